-- Category mix of two sessions (categories exist from session 21; earlier sessions give no rows):
-- session_no, category (product_rd / manufacturing / modern_service), records, share (% of the session's
-- categorised records). Every category appears for a categorised session, 0 where none.
-- params: $session_a INTEGER, $session_b INTEGER, $districts VARCHAR[] (empty = the whole city)
WITH counts AS (
    SELECT r.session_no, r.category, count(*) AS records
    FROM records r
    WHERE r.session_no IN ($session_a, $session_b)
      AND r.category IS NOT NULL
      AND in_filter($districts::VARCHAR[], r.district_code)
    GROUP BY r.session_no, r.category
),
categorised AS (
    SELECT DISTINCT session_no FROM records
    WHERE session_no IN ($session_a, $session_b) AND category IS NOT NULL
),
grid AS (
    SELECT s.session_no, c.category
    FROM categorised s
    CROSS JOIN (VALUES ('product_rd'), ('manufacturing'), ('modern_service')) AS c(category)
),
final AS (
    SELECT g.session_no, g.category, coalesce(n.records, 0) AS records,
           CASE WHEN sum(coalesce(n.records, 0)) OVER (PARTITION BY g.session_no) > 0
                THEN 100.0 * coalesce(n.records, 0) / sum(coalesce(n.records, 0)) OVER (PARTITION BY g.session_no)
           END AS share
    FROM grid g
    LEFT JOIN counts n USING (session_no, category)
)
SELECT * FROM final
ORDER BY session_no, CASE category WHEN 'product_rd' THEN 1 WHEN 'manufacturing' THEN 2 ELSE 3 END;
