-- Districts ranked for $session across the whole city (focus, not filter: $districts only flags rows):
-- district_code, name_zh, name_en, records, companies (approved), applicants, rank (by records, ties broken by
-- applicants), districts_ranked (how many districts have a rank), selected (in $districts). Districts with no
-- records are left out.
-- params: $session INTEGER, $districts VARCHAR[] (flagged, not filtered), $industries VARCHAR[]
WITH rec AS (
    SELECT c.district_code, sum(c.records)::BIGINT AS records,
           count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies
    FROM session_companies c
    WHERE c.session_no = $session
      AND in_filter($industries::VARCHAR[], c.division_code)
    GROUP BY c.district_code
),
app AS (
    SELECT p.district_code, count(*) AS applicants
    FROM company_profiles p
    WHERE p.session_no = $session
      AND applicant_in_industries($industries::VARCHAR[], p.session_no, p.company_id)
    GROUP BY p.district_code
),
final AS (
    SELECT d.district_code, d.name_zh, d.name_en, rec.records, rec.companies,
           coalesce(app.applicants, 0) AS applicants,
           rank() OVER (ORDER BY rec.records DESC, coalesce(app.applicants, 0) DESC) AS rank,
           count(*) OVER () AS districts_ranked,
           list_contains($districts::VARCHAR[], d.district_code) AS selected
    FROM rec
    JOIN districts d USING (district_code)
    LEFT JOIN app USING (district_code)
)
SELECT * FROM final ORDER BY rank, district_code;
