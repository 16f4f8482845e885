-- How many records match (the total behind the limited record list): records (one row).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[], $q VARCHAR,
--         $awarded_only BOOLEAN
WITH matched AS (
    SELECT r.record_id
    FROM records r
    JOIN companies c USING (company_id)
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND (len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], r.district_code))
      AND (len($industries::VARCHAR[]) = 0 OR list_contains($industries::VARCHAR[], left(r.industry_code, 3)))
      AND ($q = '' OR r.project_name_zh ILIKE '%' || $q || '%' OR r.project_name_en ILIKE '%' || $q || '%'
           OR c.name_zh ILIKE '%' || $q || '%' OR c.name_en ILIKE '%' || $q || '%'
           OR r.company_id ILIKE '%' || $q || '%')
      AND (NOT $awarded_only OR r.award_level IS NOT NULL)
)
SELECT count(*) AS records FROM matched;
