-- Applicant companies per session in $session_from..$session_to: applicants, high_tech, high_tech_share (%),
-- qualified (any single-champion / little-giant / SRDI title), qualified_share (%; both NULL, not applicable,
-- before the first session whose applicants' titles were recorded), mean_revenue_cny,
-- and the published shares where they exist (published_high_tech_share, published_qualified_share).
-- With an industry filter, applicants are those with an application in those divisions.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH app AS (
    SELECT p.session_no, count(*) AS applicants,
           count(*) FILTER (WHERE p.is_high_tech) AS high_tech,
           count(p.qualification) AS qualified,
           avg(p.annual_revenue_cny) AS mean_revenue_cny
    FROM company_profiles p
    WHERE p.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], p.district_code)
      AND applicant_in_industries($industries::VARCHAR[], p.session_no, p.company_id)
    GROUP BY p.session_no
),
published AS (
    SELECT session_no,
           max(value) FILTER (WHERE metric = 'applicants_high_tech_share') AS published_high_tech_share,
           max(value) FILTER (WHERE metric = 'applicants_qualified_share') AS published_qualified_share
    FROM published_stats
    WHERE session_no IS NOT NULL AND len($districts::VARCHAR[]) = 0 AND len($industries::VARCHAR[]) = 0
    GROUP BY session_no
),
final AS (
    SELECT s.session_no, s.year, coalesce(a.applicants, 0) AS applicants, coalesce(a.high_tech, 0) AS high_tech,
           100.0 * a.high_tech / nullif(a.applicants, 0) AS high_tech_share,
           CASE WHEN titles_recorded(s.session_no) THEN coalesce(a.qualified, 0) END AS qualified,
           CASE WHEN titles_recorded(s.session_no) THEN 100.0 * a.qualified / nullif(a.applicants, 0) END
               AS qualified_share,
           a.mean_revenue_cny, p.published_high_tech_share, p.published_qualified_share
    FROM sessions s
    LEFT JOIN app a USING (session_no)
    LEFT JOIN published p USING (session_no)
    WHERE s.session_no BETWEEN $session_from AND $session_to
)
SELECT * FROM final ORDER BY session_no;
