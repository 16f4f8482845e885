-- Companies whose Chinese or English name or credit code contains $q (case-insensitive), most records first:
-- company_id, name_zh, name_en, district_code, records, sessions. At most 200 rows.
-- params: $q VARCHAR
WITH matched AS (
    SELECT company_id, name_zh, name_en, district_code
    FROM companies
    WHERE $q = '' OR name_zh ILIKE '%' || $q || '%' OR name_en ILIKE '%' || $q || '%'
       OR company_id ILIKE '%' || $q || '%'
),
counts AS (
    SELECT r.company_id, count(*) AS records, count(DISTINCT r.session_no) AS sessions
    FROM records r
    SEMI JOIN matched m ON m.company_id = r.company_id
    GROUP BY r.company_id
),
final AS (
    SELECT m.company_id, m.name_zh, m.name_en, m.district_code, c.records, c.sessions
    FROM matched m
    JOIN counts c USING (company_id)
)
SELECT * FROM final ORDER BY sessions DESC, records DESC, company_id LIMIT 200;
