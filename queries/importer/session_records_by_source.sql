-- The records of session $session an import would replace, by where they came from: source, records.
-- params: $session INTEGER
SELECT source, count(*) AS records FROM records WHERE session_no = $session GROUP BY source
