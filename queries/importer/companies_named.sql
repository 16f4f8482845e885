-- The companies $ids, every column (from a kept copy an undo brings them back from).
-- params: $ids VARCHAR[]
SELECT * FROM companies WHERE list_contains(CAST($ids AS VARCHAR[]), company_id)
