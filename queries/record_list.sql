-- Records under the filters, newest session first, optionally those whose project, company or credit code
-- contains $q, optionally only award-winning ones, at most $limit rows: record_id, session_no, year,
-- project_name_zh, project_name_en, company_id, company_zh, company_en, district_raw (the district as that
-- session's list gave it: the firm's district then), district_zh, district_en (today's district, a note),
-- division_code, division_zh, division_en, industry_code, category, award_level, source. project_name_en and
-- company_en are the Chinese names where the list gave no English ones (docs/data.md).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[], $q VARCHAR,
--         $awarded_only BOOLEAN, $limit INTEGER (record_count gives the total)
WITH chosen AS (
    -- the limit applies before the name lookups, so a large programme sorts ids, not wide rows; the WHERE
    -- is the listed_records macro (data/views.sql), shared with record_count
    SELECT r.*
    FROM listed_records($session_from, $session_to, $districts::VARCHAR[], $industries::VARCHAR[], $q,
                        $awarded_only) r
    ORDER BY r.session_no DESC, r.record_id
    LIMIT $limit
),
final AS (
    SELECT r.record_id, r.session_no, s.year, r.project_name_zh,
           coalesce(nullif(trim(r.project_name_en), ''), r.project_name_zh) AS project_name_en, r.company_id,
           c.name_zh AS company_zh, coalesce(nullif(trim(c.name_en), ''), c.name_zh) AS company_en, r.district_raw, d.name_zh AS district_zh,
           d.name_en AS district_en, left(r.industry_code, 3) AS division_code, i.name_zh AS division_zh,
           i.name_en AS division_en, r.industry_code, r.category, r.award_level, r.source
    FROM chosen r
    JOIN sessions s USING (session_no)
    JOIN companies c USING (company_id)
    LEFT JOIN districts d ON d.district_code = r.district_code
    LEFT JOIN industries i ON i.industry_code = left(r.industry_code, 3)
)
SELECT * FROM final ORDER BY session_no DESC, record_id;
