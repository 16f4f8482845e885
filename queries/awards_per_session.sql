-- Records that won an S&T progress award, per session and level: session_no, year, award_level
-- (national / provincial / municipal), records, share (% of the session's records under the filters),
-- published (TRUE where the session's count of award-winning records is a published figure; elsewhere the
-- demo invented the counts and the chart says so).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH filtered AS (
    SELECT r.session_no, r.award_level
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
),
totals AS (
    SELECT session_no, count(*) AS all_records FROM filtered GROUP BY session_no
),
published AS (
    SELECT DISTINCT session_no FROM published_stats WHERE metric = 'records_awarded' AND session_no IS NOT NULL
),
final AS (
    SELECT f.session_no, s.year, f.award_level, count(*) AS records,
           100.0 * count(*) / any_value(t.all_records) AS share,
           bool_or(p.session_no IS NOT NULL) AS published
    FROM filtered f
    JOIN totals t USING (session_no)
    JOIN sessions s USING (session_no)
    LEFT JOIN published p USING (session_no)
    WHERE f.award_level IS NOT NULL
    GROUP BY ALL
)
SELECT * FROM final
ORDER BY session_no, CASE award_level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 ELSE 3 END;
