-- Approved companies per session split into first-timers and returning innovators (approved in an earlier
-- session, any district or industry): session_no, year, companies, returning, returning_share (%).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH counts AS (
    -- first_session is the company's first approval anywhere (data/derived.sql)
    SELECT c.session_no, count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies,
           count_pairs(c.cells, c.session_no, c.company_key, c.first_session < c.session_no) AS returning
    FROM session_companies c
    WHERE c.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], c.district_code)
      AND in_filter($industries::VARCHAR[], c.division_code)
    GROUP BY c.session_no
),
final AS (
    SELECT c.session_no, s.year, c.companies, c.returning, 100.0 * c.returning / c.companies AS returning_share
    FROM counts c
    JOIN sessions s USING (session_no)
)
SELECT * FROM final ORDER BY session_no;
