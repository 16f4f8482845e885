-- Every published figure next to what the records give: scope, metric, value_text, published, published_max
-- (upper end of a range), derived, derived_text, unit, comparison (eq / between = a range such as "50多" =
-- 51-59 / le = at most / gt = more than / reported = not derivable from records, matches NULL), decimals,
-- matches, publisher, title, published_on, url, source (the full citation).
-- Reads the snapshot the build and every import refresh (the view itself is `reconciliation`).
-- params: none
SELECT session_no, session_from, session_to, scope, metric, value_text, published, published_max, derived,
       derived_text, unit, comparison, decimals, matches, publisher, title, published_on, url, source
FROM reconciliation_snapshot
ORDER BY session_from DESC, session_to DESC, metric, value_text;
