-- Records and approved companies (summed over sessions) per district over $session_from..$session_to, for
-- the map, across the whole city (focus, not filter: $districts only flags rows): district_code, name_zh,
-- name_en, kind, records, companies_summed, rank (by records, 1 = most), districts_ranked, selected (in
-- $districts). All districts, 0 where none.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[] (flagged, not filtered),
--         $industries VARCHAR[]
WITH counts AS (
    SELECT c.district_code, sum(c.records)::BIGINT AS records,
           count_pairs(c.cells, c.session_no, c.company_key, TRUE) AS companies_summed
    FROM session_companies c
    WHERE c.session_no BETWEEN $session_from AND $session_to
      AND in_filter($industries::VARCHAR[], c.division_code)
    GROUP BY c.district_code
),
final AS (
    SELECT d.district_code, d.name_zh, d.name_en, d.kind,
           coalesce(c.records, 0) AS records, coalesce(c.companies_summed, 0) AS companies_summed,
           rank() OVER (ORDER BY coalesce(c.records, 0) DESC) AS rank, count(*) OVER () AS districts_ranked,
           list_contains($districts::VARCHAR[], d.district_code) AS selected
    FROM districts d
    LEFT JOIN counts c USING (district_code)
)
SELECT * FROM final ORDER BY records DESC, district_code;
