-- Companies an import brought in (not demo data), to match a listed name without a credit code to them:
-- company_id, name_zh; ordered by company_id so that the first of two same names is always the same one.
-- params: none
SELECT company_id, name_zh FROM companies WHERE source <> 'demo' ORDER BY company_id
