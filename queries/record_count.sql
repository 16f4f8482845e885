-- How many records match (the total behind the limited record list): records (one row).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[], $q VARCHAR,
--         $awarded_only BOOLEAN
-- The WHERE is the listed_records macro (data/views.sql), shared with record_list: the two cannot disagree.
SELECT count(*) AS records
FROM listed_records($session_from, $session_to, $districts::VARCHAR[], $industries::VARCHAR[], $q, $awarded_only);
