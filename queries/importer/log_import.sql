-- Adds the import's line to import_log; returns the number added (count).
-- params: $id INTEGER, $file VARCHAR, $sha VARCHAR, $session INTEGER, $accepted INTEGER, $rejected INTEGER,
-- $who VARCHAR, $at TIMESTAMP
INSERT INTO import_log (import_id, file_name, sha256, session_no, rows_accepted, rows_rejected, imported_by,
                        imported_at)
VALUES ($id, $file, $sha, $session, $accepted, $rejected, $who, $at)
