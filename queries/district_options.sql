-- Today's districts for the filters and notes: district_code, name_zh, name_en, kind, established, history_zh,
-- history_en.
-- params: none
SELECT district_code, name_zh, name_en, kind, established, history_zh, history_en
FROM districts
ORDER BY CASE kind WHEN 'district' THEN 0 WHEN 'new_area' THEN 1 ELSE 2 END, district_code;
