-- The highest id in import_log: one row, one column last_id (0 when there is none).
-- params: none
SELECT coalesce(max(import_id), 0) AS last_id FROM import_log
