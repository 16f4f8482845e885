-- Records per district and session in $session_from..$session_to, every pair present (0 where none):
-- district_code, name_zh, name_en, session_no, year, records.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH counts AS (
    SELECT * FROM district_session_counts($session_from, $session_to, $industries::VARCHAR[])
),
final AS (
    SELECT d.district_code, d.name_zh, d.name_en, s.session_no, s.year, coalesce(c.records, 0) AS records
    FROM districts d
    CROSS JOIN sessions s
    LEFT JOIN counts c ON c.district_code = d.district_code AND c.session_no = s.session_no
    WHERE s.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], d.district_code)
)
SELECT * FROM final ORDER BY district_code, session_no;
