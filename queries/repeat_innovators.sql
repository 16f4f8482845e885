-- Companies with records in at least $min_sessions sessions of $session_from..$session_to:
-- company_id, name_zh, name_en, district_code, district_zh, district_en, sessions, records,
-- first_session, last_session, session_list (e.g. "3, 7, 12").
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[],
--         $min_sessions INTEGER, $limit INTEGER (most sessions first)
WITH filtered AS (
    SELECT r.company_id, r.session_no
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND (len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], r.district_code))
      AND (len($industries::VARCHAR[]) = 0 OR list_contains($industries::VARCHAR[], left(r.industry_code, 3)))
),
per_company AS (
    SELECT company_id, count(DISTINCT session_no) AS sessions, count(*) AS records,
           min(session_no) AS first_session, max(session_no) AS last_session,
           list_sort(list_distinct(list(session_no))) AS session_numbers
    FROM filtered
    GROUP BY company_id
    HAVING count(DISTINCT session_no) >= $min_sessions
),
final AS (
    SELECT p.company_id, c.name_zh, c.name_en, c.district_code, d.name_zh AS district_zh,
           d.name_en AS district_en, p.sessions, p.records, p.first_session, p.last_session,
           array_to_string(p.session_numbers, ', ') AS session_list
    FROM per_company p
    JOIN companies c USING (company_id)
    LEFT JOIN districts d ON d.district_code = c.district_code
)
SELECT * FROM final ORDER BY sessions DESC, records DESC, company_id LIMIT $limit;
