-- Totals over sessions $session_from..$session_to: records, companies_summed (a company approved in three
-- sessions counts three times, as the programme's own totals do), companies_distinct, industry divisions,
-- industry groups (GB/T 4754 "sub-industries"; a record coded to its division only, as imported lists often
-- are, names no group), sessions.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH filtered AS (
    SELECT r.session_no, r.company_id, r.industry_code
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
),
pairs AS (
    SELECT DISTINCT session_no, company_id FROM filtered
),
final AS (
    SELECT (SELECT count(*) FROM filtered) AS records,
           (SELECT count(*) FROM pairs) AS companies_summed,
           (SELECT count(DISTINCT company_id) FROM pairs) AS companies_distinct,
           (SELECT count(DISTINCT left(industry_code, 3)) FROM filtered) AS divisions,
           (SELECT count(DISTINCT industry_code) FROM filtered WHERE length(industry_code) > 3) AS groups,
           (SELECT count(DISTINCT session_no) FROM pairs) AS sessions
)
SELECT * FROM final;
