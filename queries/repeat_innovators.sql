-- Companies with records in at least $min_sessions sessions of $session_from..$session_to:
-- company_id, name_zh, name_en, district_code, district_zh, district_en, sessions, records,
-- first_session, last_session, session_list (e.g. "3, 7, 12"). name_en is the Chinese name where the list
-- gave no English one (official lists are Chinese-only; docs/data.md).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[],
--         $min_sessions INTEGER, $limit INTEGER (most sessions first)
WITH pairs AS (
    SELECT c.company_key, c.session_no, sum(c.records) AS records
    FROM session_companies c
    WHERE c.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], c.district_code)
      AND in_filter($industries::VARCHAR[], c.division_code)
      -- sessions is the company's count over the whole programme: fewer cannot reach $min_sessions here,
      -- and most companies are approved once, so this leaves a fraction of the rows to group
      AND c.sessions >= $min_sessions
    GROUP BY c.company_key, c.session_no
),
per_company AS (
    SELECT company_key, count(*) AS sessions, sum(records)::BIGINT AS records,
           min(session_no) AS first_session, max(session_no) AS last_session
    FROM pairs
    GROUP BY company_key
    HAVING count(*) >= $min_sessions
),
leaders AS (
    -- company_key follows the order of company_id (data/derived.sql), so it breaks ties as the id would
    SELECT * FROM per_company ORDER BY sessions DESC, records DESC, company_key LIMIT $limit
),
session_lists AS (
    -- built for the leaders only: lists are the costly part on a large programme
    SELECT p.company_key, string_agg(p.session_no::VARCHAR, ', ' ORDER BY p.session_no) AS session_list
    FROM pairs p
    SEMI JOIN leaders l ON l.company_key = p.company_key
    GROUP BY p.company_key
),
final AS (
    SELECT k.company_id, c.name_zh, coalesce(nullif(trim(c.name_en), ''), c.name_zh) AS name_en, c.district_code, d.name_zh AS district_zh,
           d.name_en AS district_en, l.sessions, l.records, l.first_session, l.last_session, s.session_list
    FROM leaders l
    JOIN session_lists s USING (company_key)
    JOIN company_stats k USING (company_key)
    JOIN companies c ON c.company_id = k.company_id
    LEFT JOIN districts d ON d.district_code = c.district_code
)
SELECT * FROM final ORDER BY sessions DESC, records DESC, company_id;
