-- Whether session $session has its row in sessions: one row, one column n (0 or 1).
-- params: $session INTEGER
SELECT count(*) AS n FROM sessions WHERE session_no = $session
