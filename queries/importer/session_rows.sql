-- Every row of session $session in the table {table} (all its columns), from a kept copy an undo brings back.
-- {table} is a per-session table, sessions or import_log (core/importer/sql.py), never input.
-- params: $session INTEGER
SELECT * FROM {table} WHERE session_no = $session
