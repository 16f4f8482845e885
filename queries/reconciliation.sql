-- Every published figure next to what the records give: scope, metric, value_text, published, derived,
-- derived_text, unit, comparison (eq / gt = "more than"), decimals, matches, source.
-- params: none
SELECT session_no, session_from, session_to, scope, metric, value_text, published, derived, derived_text, unit,
       comparison, decimals, matches, source
FROM reconciliation
ORDER BY session_from DESC, session_to DESC, metric, value_text;
