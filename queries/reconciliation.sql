-- Every published figure next to what the records give: scope, metric, value_text, published, derived,
-- derived_text, unit, comparison (eq / gt = "more than"), decimals, matches, source.
-- Reads the snapshot the build and every import refresh (the view itself is `reconciliation`).
-- params: none
SELECT session_no, session_from, session_to, scope, metric, value_text, published, derived, derived_text, unit,
       comparison, decimals, matches, source
FROM reconciliation_snapshot
ORDER BY session_from DESC, session_to DESC, metric, value_text;
