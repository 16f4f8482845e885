-- What the database holds: demo_records, real_records, demo_sessions (sessions still on demo data),
-- build_id, last_import_at, imports.
-- params: none
SELECT (SELECT count(*) FROM records WHERE source = 'demo') AS demo_records,
       (SELECT count(*) FROM records WHERE source <> 'demo') AS real_records,
       (SELECT count(DISTINCT session_no) FROM records WHERE source = 'demo') AS demo_sessions,
       (SELECT value FROM meta WHERE key = 'build_id') AS build_id,
       (SELECT max(imported_at) FROM import_log) AS last_import_at,
       (SELECT count(*) FROM import_log) AS imports;
