-- What the plausibility checks (data/plausibility.sql) find, one row per check: check_name, item (6, 7 or 8
-- of the data-truth rules), demo_findings, imported_findings, example (one finding's detail, or NULL).
-- Imported lists are reported here, never refused. Read from the snapshot that build and import refresh.
-- params: none
WITH counted AS (
    SELECT check_name, count(*) FILTER (WHERE source = 'demo') AS demo_findings,
           count(*) FILTER (WHERE source <> 'demo') AS imported_findings, min(detail) AS example
    FROM plausibility_snapshot
    GROUP BY check_name
),
final AS (
    SELECT c.check_name, c.item, coalesce(n.demo_findings, 0) AS demo_findings,
           coalesce(n.imported_findings, 0) AS imported_findings, n.example
    FROM plausibility_checks c
    LEFT JOIN counted n USING (check_name)
)
SELECT * FROM final ORDER BY item, check_name;
