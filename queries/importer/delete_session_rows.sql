-- Removes the rows of session $session from the table {table}; returns the number removed (count).
-- {table} is a per-session table, sessions or import_log (core/importer/sql.py), never input.
-- params: $session INTEGER
DELETE FROM {table} WHERE session_no = $session
