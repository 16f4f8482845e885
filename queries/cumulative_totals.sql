-- Totals over sessions $session_from..$session_to: records, companies_summed (a company approved in three
-- sessions counts three times, as the programme's own totals do), companies_distinct, industry divisions,
-- industry groups (GB/T 4754 "sub-industries"), sessions.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH final AS (
    SELECT count(*) AS records,
           count(DISTINCT r.session_no || '|' || r.company_id) AS companies_summed,
           count(DISTINCT r.company_id) AS companies_distinct,
           count(DISTINCT left(r.industry_code, 3)) AS divisions,
           count(DISTINCT r.industry_code) AS groups,
           count(DISTINCT r.session_no) AS sessions
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
)
SELECT * FROM final;
