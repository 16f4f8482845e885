-- Companies whose Chinese or English name or credit code contains $q (case-insensitive), most records first:
-- company_id, name_zh, name_en, district_raw (the district as the firm's latest list gave it), last_session,
-- district_code (today's district, a note), records, sessions. At most 200 rows.
-- Reads the per-company counts that the build and every import refresh.
-- params: $q VARCHAR
WITH final AS (
    SELECT c.company_id, c.name_zh, c.name_en, s.district_raw, s.last_session, c.district_code, s.records,
           s.sessions
    FROM companies c
    JOIN company_stats s USING (company_id)
    WHERE $q = '' OR c.name_zh ILIKE '%' || $q || '%' OR c.name_en ILIKE '%' || $q || '%'
       OR c.company_id ILIKE '%' || $q || '%'
)
SELECT * FROM final ORDER BY sessions DESC, records DESC, company_id LIMIT 200;
