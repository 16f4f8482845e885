-- The highest session number in the database: one row, one column last_session (NULL when there is none).
-- params: none
SELECT max(session_no) AS last_session FROM sessions
