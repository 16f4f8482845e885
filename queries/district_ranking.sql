-- Districts ranked in each session of $session_from..$session_to across the whole city (focus, not filter:
-- $districts only flags rows): session_no, district_code, name_zh, name_en, records, companies (approved),
-- applicants, rank (by records within the session;
-- districts with equal records share a rank, as on every page: 1, 1, 3), districts_ranked (how many
-- districts have a rank that session), selected (in $districts). Districts with no records in a session are
-- left out of it. The chart shows one session; it asks for every session once (one cached result serves
-- every session).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[] (flagged, not filtered),
--         $industries VARCHAR[]
WITH rec AS (
    SELECT c.session_no, c.district_code, sum(c.records)::BIGINT AS records,
           count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies
    FROM session_companies c
    WHERE c.session_no BETWEEN $session_from AND $session_to
      AND in_filter($industries::VARCHAR[], c.division_code)
    GROUP BY c.session_no, c.district_code
),
app AS (
    SELECT p.session_no, p.district_code, count(*) AS applicants
    FROM company_profiles p
    WHERE p.session_no BETWEEN $session_from AND $session_to
      AND applicant_in_industries($industries::VARCHAR[], p.session_no, p.company_id)
    GROUP BY p.session_no, p.district_code
),
final AS (
    SELECT rec.session_no, d.district_code, d.name_zh, d.name_en, rec.records, rec.companies,
           coalesce(app.applicants, 0) AS applicants,
           rank() OVER (PARTITION BY rec.session_no ORDER BY rec.records DESC) AS rank,
           count(*) OVER (PARTITION BY rec.session_no) AS districts_ranked,
           list_contains($districts::VARCHAR[], d.district_code) AS selected
    FROM rec
    JOIN districts d USING (district_code)
    LEFT JOIN app USING (session_no, district_code)
)
SELECT * FROM final ORDER BY session_no, rank, district_code;
