-- Records and approved companies per session in $session_from..$session_to, with the published figure
-- where one exists (published_records, published_companies: exact figures only, NULL otherwise or when
-- filters are set) and published (TRUE where the session's record count is a published figure).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH counts AS (
    SELECT c.session_no, sum(c.records)::BIGINT AS records,
           count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies
    FROM session_companies c
    WHERE c.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], c.district_code)
      AND in_filter($industries::VARCHAR[], c.division_code)
    GROUP BY c.session_no
),
unfiltered AS (
    SELECT len($districts::VARCHAR[]) = 0 AND len($industries::VARCHAR[]) = 0 AS yes
),
published AS (
    SELECT session_no,
           max(value) FILTER (WHERE metric = 'records') AS published_records,
           max(value) FILTER (WHERE metric = 'companies_summed') AS published_companies
    FROM published_stats
    WHERE session_no IS NOT NULL AND comparison = 'eq'
    GROUP BY session_no
),
final AS (
    SELECT s.session_no, s.year, coalesce(c.records, 0) AS records, coalesce(c.companies, 0) AS companies,
           CASE WHEN u.yes THEN p.published_records END AS published_records,
           CASE WHEN u.yes THEN p.published_companies END AS published_companies,
           coalesce(u.yes AND p.published_records IS NOT NULL, FALSE) AS published
    FROM sessions s
    CROSS JOIN unfiltered u
    LEFT JOIN counts c USING (session_no)
    LEFT JOIN published p USING (session_no)
    WHERE s.session_no BETWEEN $session_from AND $session_to
)
SELECT * FROM final ORDER BY session_no;
