-- The database's build id (meta key build_id): one row, one column value; no row in a file without one.
-- A report remembers it, so an import of a report made against another state of the file is checked again.
-- params: none
SELECT value FROM meta WHERE key = 'build_id'
