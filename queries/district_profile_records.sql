-- One district's place in the city in every session (0 where it has no records): session_no, year,
-- records, companies (approved, distinct in the session), applicants, city_records, city_companies,
-- share (% of the city's records), rank (by records; equal records share a rank, as the district ranking
-- and the rank history do; NULL without records), ranked (districts with records in that session).
-- params: $code VARCHAR (a district_code)
WITH rec AS (
    SELECT session_no, district_code, sum(records)::BIGINT AS records,
           count_pairs(cells, session_no, company_key, TRUE) AS companies
    FROM session_companies
    WHERE district_code IS NOT NULL
    GROUP BY session_no, district_code
),
app AS (
    SELECT session_no, district_code, count(*) AS applicants
    FROM company_profiles
    GROUP BY session_no, district_code
),
ranked AS (
    SELECT rec.session_no, rec.district_code, rec.records, rec.companies,
           rank() OVER (PARTITION BY rec.session_no ORDER BY rec.records DESC) AS rank,
           count(*) OVER (PARTITION BY rec.session_no) AS ranked
    FROM rec
),
city AS (
    SELECT session_no, sum(records)::BIGINT AS city_records,
           count_pairs(cells, session_no, company_key, TRUE) AS city_companies
    FROM session_companies
    GROUP BY session_no
),
final AS (
    SELECT s.session_no, s.year,
           coalesce(r.records, 0) AS records, coalesce(r.companies, 0) AS companies,
           coalesce(a.applicants, 0) AS applicants,
           coalesce(c.city_records, 0) AS city_records, coalesce(c.city_companies, 0) AS city_companies,
           CASE WHEN c.city_records > 0 THEN 100.0 * coalesce(r.records, 0) / c.city_records END AS share,
           r.rank,
           (SELECT count(DISTINCT x.district_code) FROM rec x WHERE x.session_no = s.session_no) AS ranked
    FROM sessions s
    LEFT JOIN ranked r ON r.session_no = s.session_no AND r.district_code = $code
    LEFT JOIN app a ON a.session_no = s.session_no AND a.district_code = $code
    LEFT JOIN city c ON c.session_no = s.session_no
)
SELECT * FROM final ORDER BY session_no;
