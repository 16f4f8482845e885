-- Approved companies per session split into first-timers and returning innovators (approved in an earlier
-- session, any district or industry): session_no, year, companies, returning, returning_share (%).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH firsts AS (
    SELECT company_id, min(session_no) AS first_session FROM records GROUP BY company_id
),
approved AS (
    SELECT DISTINCT r.session_no, r.company_id
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
),
final AS (
    SELECT a.session_no, s.year, count(*) AS companies,
           count(*) FILTER (WHERE f.first_session < a.session_no) AS returning,
           100.0 * count(*) FILTER (WHERE f.first_session < a.session_no) / count(*) AS returning_share
    FROM approved a
    JOIN firsts f USING (company_id)
    JOIN sessions s USING (session_no)
    GROUP BY ALL
)
SELECT * FROM final ORDER BY session_no;
