-- Headline figures of two sessions side by side, one row each ($session_a and $session_b; one row if they
-- are equal): session_no, year, records, companies (approved, distinct in the session), industries
-- (divisions), awarded, applicants, high_tech_share (% of applicants), qualified_share (% of applicants),
-- mean_revenue_cny (applicants).
-- params: $session_a INTEGER, $session_b INTEGER, $districts VARCHAR[] (empty = the whole city)
WITH wanted AS (
    SELECT session_no, year FROM sessions WHERE session_no IN ($session_a, $session_b)
),
rec AS (
    SELECT r.session_no, count(*) AS records, count(DISTINCT r.company_id) AS companies,
           count(DISTINCT left(r.industry_code, 3)) AS industries, count(r.award_level) AS awarded
    FROM records r
    WHERE r.session_no IN ($session_a, $session_b)
      AND in_filter($districts::VARCHAR[], r.district_code)
    GROUP BY r.session_no
),
app AS (
    SELECT p.session_no, count(*) AS applicants,
           100.0 * avg(CASE WHEN p.is_high_tech THEN 1 ELSE 0 END) AS high_tech_share,
           CASE WHEN titles_recorded(p.session_no)  -- NULL (not applicable) before titles were recorded
                THEN 100.0 * avg(CASE WHEN p.qualification IS NOT NULL THEN 1 ELSE 0 END) END AS qualified_share,
           avg(p.annual_revenue_cny) AS mean_revenue_cny
    FROM company_profiles p
    WHERE p.session_no IN ($session_a, $session_b)
      AND in_filter($districts::VARCHAR[], p.district_code)
    GROUP BY p.session_no
),
final AS (
    SELECT w.session_no, w.year,
           coalesce(rec.records, 0) AS records, coalesce(rec.companies, 0) AS companies,
           coalesce(rec.industries, 0) AS industries, coalesce(rec.awarded, 0) AS awarded,
           coalesce(app.applicants, 0) AS applicants, app.high_tech_share, app.qualified_share,
           app.mean_revenue_cny
    FROM wanted w
    LEFT JOIN rec USING (session_no)
    LEFT JOIN app USING (session_no)
)
SELECT * FROM final ORDER BY session_no;
