-- Every district of the city in each session of $session_from..$session_to, the district profile's
-- starting view: session_no, district_code, name_zh, name_en, records, companies (approved, distinct in
-- the session), share (% of the city's records; NULL when the session has none), rank (by records; equal
-- records share a rank, as on every page; NULL without records), ranked (districts with
-- records in that session). A district without records in a session has a row with 0 records. All
-- industries. Ordered by session, then rank (districts without records last, by code).
-- params: $session_from INTEGER, $session_to INTEGER
WITH rec AS (
    SELECT session_no, district_code, sum(records)::BIGINT AS records,
           count_pairs(cells, session_no, company_key, TRUE) AS companies
    FROM session_companies
    WHERE district_code IS NOT NULL AND session_no BETWEEN $session_from AND $session_to
    GROUP BY session_no, district_code
),
ranked AS (
    SELECT rec.session_no, rec.district_code, rec.records, rec.companies,
           rank() OVER (PARTITION BY rec.session_no ORDER BY rec.records DESC) AS rank,
           count(*) OVER (PARTITION BY rec.session_no) AS ranked
    FROM rec
),
city AS (
    SELECT session_no, sum(records)::BIGINT AS city_records, count(*) AS ranked
    FROM rec
    GROUP BY session_no
)
SELECT s.session_no, d.district_code, d.name_zh, d.name_en,
       coalesce(r.records, 0) AS records, coalesce(r.companies, 0) AS companies,
       CASE WHEN c.city_records > 0 THEN 100.0 * coalesce(r.records, 0) / c.city_records END AS share,
       r.rank, coalesce(c.ranked, 0) AS ranked
FROM sessions s
CROSS JOIN districts d
LEFT JOIN ranked r ON r.session_no = s.session_no AND r.district_code = d.district_code
LEFT JOIN city c ON c.session_no = s.session_no
WHERE s.session_no BETWEEN $session_from AND $session_to
ORDER BY s.session_no, r.rank NULLS LAST, d.district_code;
