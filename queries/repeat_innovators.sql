-- Companies with records in at least $min_sessions sessions of $session_from..$session_to:
-- company_id, name_zh, name_en, district_code, district_zh, district_en, sessions, records,
-- first_session, last_session, session_list (e.g. "3, 7, 12").
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[],
--         $min_sessions INTEGER, $limit INTEGER (most sessions first)
WITH filtered AS (
    SELECT r.company_id, r.session_no
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
),
pairs AS (
    SELECT company_id, session_no, count(*) AS records FROM filtered GROUP BY company_id, session_no
),
per_company AS (
    SELECT company_id, count(*) AS sessions, sum(records)::BIGINT AS records,
           min(session_no) AS first_session, max(session_no) AS last_session
    FROM pairs
    GROUP BY company_id
    HAVING count(*) >= $min_sessions
),
leaders AS (
    SELECT * FROM per_company ORDER BY sessions DESC, records DESC, company_id LIMIT $limit
),
session_lists AS (
    -- built for the leaders only: lists are the costly part on a large programme
    SELECT p.company_id, string_agg(p.session_no::VARCHAR, ', ' ORDER BY p.session_no) AS session_list
    FROM pairs p
    SEMI JOIN leaders l ON l.company_id = p.company_id
    GROUP BY p.company_id
),
final AS (
    SELECT l.company_id, c.name_zh, c.name_en, c.district_code, d.name_zh AS district_zh,
           d.name_en AS district_en, l.sessions, l.records, l.first_session, l.last_session, s.session_list
    FROM leaders l
    JOIN session_lists s USING (company_id)
    JOIN companies c USING (company_id)
    LEFT JOIN districts d ON d.district_code = c.district_code
)
SELECT * FROM final ORDER BY sessions DESC, records DESC, company_id;
