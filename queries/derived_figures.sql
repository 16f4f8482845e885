-- Figures the project derived from published ones, never published as such: session_no, metric, value,
-- how_zh, how_en (how it was derived; shown wherever the figure is).
-- params: none
SELECT session_no, metric, value, how_zh, how_en
FROM derived_figures
ORDER BY session_no, metric;
