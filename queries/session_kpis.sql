-- Headline figures for every session, one row each (a page shows one session beside the one before it; one
-- cached result serves every session): session_no, year, records, companies (approved, distinct in the
-- session), industries (divisions), awarded (records with an S&T progress award), applicants (NULL for a
-- session without applicant data), high_tech_share (% of applicants), mean_revenue_cny (applicants),
-- qualified_share (% of applicants holding any SRDI/champion title; NULL before the first session in which
-- any applicant held one: the titles did not exist yet).
-- With an industry filter, applicants are those with an application in those divisions.
-- params: $districts VARCHAR[] (empty = all), $industries VARCHAR[] (divisions; empty = all)
WITH wanted AS (
    SELECT session_no, year FROM sessions
),
rec AS (
    SELECT c.session_no, sum(c.records)::BIGINT AS records,
           count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies,
           count(DISTINCT c.division_code) AS industries, sum(c.awarded)::BIGINT AS awarded
    FROM session_companies c
    WHERE in_filter($districts::VARCHAR[], c.district_code)
      AND in_filter($industries::VARCHAR[], c.division_code)
    GROUP BY c.session_no
),
app AS (
    SELECT p.session_no, count(*) AS applicants,
           100.0 * avg(CASE WHEN p.is_high_tech THEN 1 ELSE 0 END) AS high_tech_share,
           avg(p.annual_revenue_cny) AS mean_revenue_cny,
           -- NULL (not applicable), not 0, for sessions before any applicant in the city held a title
           CASE WHEN titles_recorded(p.session_no) THEN 100.0 * avg(CASE WHEN p.qualification IS NOT NULL THEN 1 ELSE 0 END) END AS qualified_share
    FROM company_profiles p
    WHERE in_filter($districts::VARCHAR[], p.district_code)
      AND applicant_in_industries($industries::VARCHAR[], p.session_no, p.company_id)
    GROUP BY p.session_no
),
final AS (
    SELECT w.session_no, w.year,
           coalesce(rec.records, 0) AS records, coalesce(rec.companies, 0) AS companies,
           coalesce(rec.industries, 0) AS industries, coalesce(rec.awarded, 0) AS awarded,
           -- NULL (not known), not 0, for a session without any applicant data (an imported official list
           -- names approved records only)
           CASE WHEN EXISTS (SELECT 1 FROM company_profiles p WHERE p.session_no = w.session_no)
                THEN coalesce(app.applicants, 0) END AS applicants, app.high_tech_share, app.mean_revenue_cny,
           app.qualified_share
    FROM wanted w
    LEFT JOIN rec USING (session_no)
    LEFT JOIN app USING (session_no)
)
SELECT * FROM final ORDER BY session_no DESC;
