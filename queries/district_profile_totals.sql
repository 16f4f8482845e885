-- One district's totals over sessions $session_from..$session_to, for its profile's paragraph: records,
-- companies_summed (a company approved in three sessions counts three times, as the programme's own totals
-- do), companies_distinct. The cumulative totals query's figures for that district, without the divisions,
-- groups and sessions the paragraph does not state (a second pass over the records for the groups).
-- params: $code VARCHAR (a district_code), $session_from INTEGER, $session_to INTEGER
WITH counted AS (
    SELECT coalesce(sum(c.records), 0)::BIGINT AS records,
           count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies_summed,
           -- a company with one row in the whole table (one session, one cell) is counted without DISTINCT
           count(*) FILTER (WHERE c.sessions = 1 AND c.cells = 1)
           + count(DISTINCT CASE WHEN c.sessions > 1 OR c.cells > 1 THEN c.company_key END) AS companies_distinct
    FROM session_companies c
    WHERE c.session_no BETWEEN $session_from AND $session_to
      AND c.district_code = $code
)
SELECT * FROM counted;
