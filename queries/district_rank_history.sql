-- Each district's rank by records in every session of $session_from..$session_to, across the whole city
-- (focus, not filter: $districts only flags rows): session_no, year, district_code, name_zh, name_en, records,
-- rank (1 = most records in that session), districts_ranked (districts with records that session),
-- selected (in $districts).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[] (flagged, not filtered),
--         $industries VARCHAR[]
WITH counts AS (
    SELECT * FROM district_session_counts($session_from, $session_to, $industries::VARCHAR[])
),
ranked AS (
    SELECT *, rank() OVER (PARTITION BY session_no ORDER BY records DESC) AS rank,
           count(*) OVER (PARTITION BY session_no) AS districts_ranked
    FROM counts
),
final AS (
    SELECT k.session_no, s.year, k.district_code, d.name_zh, d.name_en, k.records, k.rank, k.districts_ranked,
           list_contains($districts::VARCHAR[], k.district_code) AS selected
    FROM ranked k
    JOIN sessions s USING (session_no)
    JOIN districts d USING (district_code)
)
SELECT * FROM final ORDER BY session_no, rank, district_code;
