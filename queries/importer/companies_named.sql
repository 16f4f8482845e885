-- The companies $ids, every column (from a kept copy an undo brings them back from).
-- params: $ids VARCHAR[]
SELECT * FROM companies WHERE company_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))
