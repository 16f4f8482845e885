-- Records per district and session in $session_from..$session_to, every pair present (0 where none, NULL
-- in sessions held before the district was established), for
-- the whole city (focus, not filter: $districts only flags rows): district_code, name_zh, name_en, session_no,
-- year, records, rank (of the district by its records over the whole range, 1 = most), districts_ranked,
-- selected (in $districts).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[] (flagged, not filtered),
--         $industries VARCHAR[]
WITH counts AS (
    SELECT * FROM district_session_counts($session_from, $session_to, $industries::VARCHAR[])
),
cells AS (
    -- a district that did not exist yet in a session's year has no count there (NULL, "not applicable")
    SELECT d.district_code, d.name_zh, d.name_en, s.session_no, s.year,
           CASE WHEN c.records IS NULL AND s.year < year(d.established) THEN NULL
                ELSE coalesce(c.records, 0) END AS records
    FROM districts d
    CROSS JOIN sessions s
    LEFT JOIN counts c ON c.district_code = d.district_code AND c.session_no = s.session_no
    WHERE s.session_no BETWEEN $session_from AND $session_to
),
totals AS (
    SELECT district_code, rank() OVER (ORDER BY sum(records) DESC) AS rank, count(*) OVER () AS districts_ranked
    FROM cells
    GROUP BY district_code
),
final AS (
    SELECT c.*, t.rank, t.districts_ranked, list_contains($districts::VARCHAR[], c.district_code) AS selected
    FROM cells c
    JOIN totals t USING (district_code)
)
SELECT * FROM final ORDER BY district_code, session_no;
