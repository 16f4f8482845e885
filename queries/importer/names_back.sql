-- Gives the companies of kept_companies (registered by the caller: a kept copy's rows) their names and source
-- back, unless a standing import of another session than $session lists them (its names stay, as they
-- would had the undone import never happened); returns the number changed (count).
-- params: $session INTEGER
UPDATE companies SET name_zh = k.name_zh, name_en = k.name_en, source = k.source
FROM kept_companies k
WHERE companies.company_id = k.company_id
  AND (companies.name_zh IS DISTINCT FROM k.name_zh OR companies.name_en IS DISTINCT FROM k.name_en
       OR companies.source IS DISTINCT FROM k.source)
  AND NOT EXISTS (SELECT 1 FROM records r WHERE r.company_id = companies.company_id
                  AND r.session_no <> $session AND r.source LIKE 'import:%')
