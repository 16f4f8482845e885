-- How many records match (the total behind the limited record list): records (one row).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[], $q VARCHAR,
--         $awarded_only BOOLEAN
WITH named_companies AS (
    SELECT company_id FROM companies
    WHERE $q <> '' AND (name_zh ILIKE '%' || $q || '%' OR name_en ILIKE '%' || $q || '%'
                        OR company_id ILIKE '%' || $q || '%')
)
SELECT count(*) AS records
FROM records r
WHERE r.session_no BETWEEN $session_from AND $session_to
  AND in_filter($districts::VARCHAR[], r.district_code)
  AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
  AND ($q = '' OR r.project_name_zh ILIKE '%' || $q || '%' OR r.project_name_en ILIKE '%' || $q || '%'
       OR r.company_id IN (SELECT company_id FROM named_companies))
  AND (NOT $awarded_only OR r.award_level IS NOT NULL);
