-- Records per session for the $top divisions with most records over $session_from..$session_to:
-- session_no, year, division_code, name_zh, name_en, records (0 where none), total (over the range).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[], $top INTEGER
WITH filtered AS (
    SELECT r.session_no, left(r.industry_code, 3) AS division_code
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
),
leaders AS (
    SELECT division_code, count(*) AS total FROM filtered
    GROUP BY division_code ORDER BY total DESC, division_code LIMIT $top
),
counts AS (
    SELECT session_no, division_code, count(*) AS records FROM filtered GROUP BY ALL
),
final AS (
    SELECT s.session_no, s.year, l.division_code, i.name_zh, i.name_en,
           coalesce(c.records, 0) AS records, l.total
    FROM leaders l
    CROSS JOIN sessions s
    JOIN industries i ON i.industry_code = l.division_code
    LEFT JOIN counts c ON c.session_no = s.session_no AND c.division_code = l.division_code
    WHERE s.session_no BETWEEN $session_from AND $session_to
)
SELECT * FROM final ORDER BY total DESC, division_code, session_no;
