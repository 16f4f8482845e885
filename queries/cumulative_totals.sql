-- Totals over sessions $session_from..$session_to: records, companies_summed (a company approved in three
-- sessions counts three times, as the programme's own totals do), companies_distinct, industry divisions,
-- industry groups (GB/T 4754 "sub-industries"; a record coded to its division only, as imported lists often
-- are, names no group), sessions.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH counted AS (
    SELECT coalesce(sum(c.records), 0)::BIGINT AS records,
           count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies_summed,
           -- a company with one row in the whole table (one session, one cell) is counted without DISTINCT
           count(*) FILTER (WHERE c.sessions = 1 AND c.cells = 1)
           + count(DISTINCT CASE WHEN c.sessions > 1 OR c.cells > 1 THEN c.company_key END) AS companies_distinct,
           count(DISTINCT c.division_code) AS divisions,
           count(DISTINCT c.session_no) AS sessions
    FROM session_companies c
    WHERE c.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], c.district_code)
      AND in_filter($industries::VARCHAR[], c.division_code)
),
grouped AS (
    -- groups need the records' own codes (session_companies keeps divisions)
    SELECT count(DISTINCT r.industry_code) AS groups
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
      AND length(r.industry_code) > 3
),
final AS (
    SELECT c.records, c.companies_summed, c.companies_distinct, c.divisions, g.groups, c.sessions
    FROM counted c
    CROSS JOIN grouped g
)
SELECT * FROM final;
