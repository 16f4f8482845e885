-- How many rows of session $session the table {table} holds: one row, one column n. {table} is one of the
-- importer's per-session tables (core/importer/sql.py: SESSION_TABLES), never input.
-- params: $session INTEGER
SELECT count(*) AS n FROM {table} WHERE session_no = $session
