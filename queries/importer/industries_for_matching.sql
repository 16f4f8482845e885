-- Every industry a list's industry cell may name: industry_code, name_zh, name_en, level; divisions first
-- (a name shared by a division and a class means the division).
-- params: none
SELECT industry_code, name_zh, name_en, level FROM industries ORDER BY level DESC, industry_code
