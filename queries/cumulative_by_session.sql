-- For every session S, the programme so far (one cached result serves every session): session_no, year,
-- records, companies_summed, companies_distinct, divisions, groups, sessions (with records), each the total
-- over sessions 1..S as the cumulative totals query counts it. A company, division or group counts from the
-- first session it has a record in under the filters.
-- params: $districts VARCHAR[], $industries VARCHAR[]
WITH cells AS (
    SELECT c.session_no, c.company_key, c.division_code, c.records, c.cells
    FROM session_companies c
    WHERE in_filter($districts::VARCHAR[], c.district_code)
      AND in_filter($industries::VARCHAR[], c.division_code)
),
per_session AS (
    SELECT session_no, sum(records)::BIGINT AS records,
           count_pairs(cells, session_no, company_key, TRUE) AS companies_summed
    FROM cells
    GROUP BY session_no
),
firsts AS (
    SELECT min(session_no) AS session_no, 'company' AS kind FROM cells GROUP BY company_key
    UNION ALL
    SELECT min(session_no), 'division' FROM cells GROUP BY division_code
    UNION ALL
    -- groups need the records' own codes (session_companies keeps divisions)
    SELECT min(r.session_no), 'group'
    FROM records r
    WHERE in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
      AND length(r.industry_code) > 3
    GROUP BY r.industry_code
),
new AS (
    SELECT session_no, count(*) FILTER (WHERE kind = 'company') AS companies,
           count(*) FILTER (WHERE kind = 'division') AS divisions,
           count(*) FILTER (WHERE kind = 'group') AS groups
    FROM firsts
    GROUP BY session_no
),
final AS (
    SELECT s.session_no, s.year,
           coalesce(sum(p.records) OVER so_far, 0)::BIGINT AS records,
           coalesce(sum(p.companies_summed) OVER so_far, 0)::BIGINT AS companies_summed,
           coalesce(sum(n.companies) OVER so_far, 0)::BIGINT AS companies_distinct,
           coalesce(sum(n.divisions) OVER so_far, 0)::BIGINT AS divisions,
           coalesce(sum(n.groups) OVER so_far, 0)::BIGINT AS groups,
           count(p.session_no) OVER so_far AS sessions
    FROM sessions s
    LEFT JOIN per_session p USING (session_no)
    LEFT JOIN new n USING (session_no)
    WINDOW so_far AS (ORDER BY s.session_no ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW)
)
SELECT * FROM final ORDER BY session_no;
