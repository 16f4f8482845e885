-- Records by category per session (categories exist from session 21): session_no, year, category
-- (product_rd / manufacturing / modern_service), records, share (% of the session's records).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH counts AS (
    SELECT r.session_no, r.category, count(*) AS records
    FROM records r
    WHERE r.session_no BETWEEN greatest($session_from, 21) AND $session_to
      AND r.category IS NOT NULL
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
    GROUP BY r.session_no, r.category
),
final AS (
    SELECT c.session_no, s.year, c.category, c.records,
           100.0 * c.records / sum(c.records) OVER (PARTITION BY c.session_no) AS share
    FROM counts c
    JOIN sessions s USING (session_no)
)
SELECT * FROM final
ORDER BY session_no, CASE category WHEN 'product_rd' THEN 1 WHEN 'manufacturing' THEN 2 ELSE 3 END;
