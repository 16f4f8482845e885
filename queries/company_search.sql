-- Companies whose Chinese or English name or credit code contains $q (case-insensitive), most records first:
-- company_id, name_zh, name_en, district_raw (the district as the firm's latest list gave it), last_session,
-- district_code (today's district, a note), records, sessions. At most 200 rows. name_en is the Chinese name
-- where the list gave no English one (docs/data.md).
-- Reads the per-company counts that the build and every import refresh.
-- params: $q VARCHAR
WITH matched AS (
    -- names are matched only when a text is given; without one the leaders come from the counts alone
    SELECT company_id FROM companies
    -- as typed: case aside, % and _ are characters (contains, not ILIKE), as in the record search
    WHERE $q <> '' AND (contains(lower(name_zh), lower($q)) OR contains(lower(name_en), lower($q))
                        OR contains(lower(company_id), lower($q)))
),
leaders AS (
    -- the 200 are chosen on the narrow counts table before the wide names are joined: on a large
    -- programme the join of every company was the cost
    SELECT s.* FROM company_stats s
    WHERE $q = '' OR s.company_id IN (SELECT company_id FROM matched)
    ORDER BY s.sessions DESC, s.records DESC, s.company_id
    LIMIT 200
),
final AS (
    SELECT c.company_id, c.name_zh, coalesce(nullif(trim(c.name_en), ''), c.name_zh) AS name_en, l.district_raw, l.last_session, c.district_code, l.records,
           l.sessions
    FROM leaders l
    JOIN companies c USING (company_id)
)
SELECT * FROM final ORDER BY sessions DESC, records DESC, company_id;
