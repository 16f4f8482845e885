-- Which of the companies $ids some row of the table {table} still names, in any session: company_id.
-- {table} is one of the per-session tables (core/importer/sql.py: SESSION_TABLES), never input.
-- params: $ids VARCHAR[]
SELECT DISTINCT company_id FROM {table} WHERE company_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))
