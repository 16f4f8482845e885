-- The companies the rows of session $session in the table {table} name: company_id, once each.
-- {table} is one of the per-session tables (core/importer/sql.py: SESSION_TABLES), never input.
-- params: $session INTEGER
SELECT DISTINCT company_id FROM {table} WHERE session_no = $session
