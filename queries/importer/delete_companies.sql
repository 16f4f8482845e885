-- Removes the companies $ids; returns the number removed (count).
-- params: $ids VARCHAR[]
DELETE FROM companies WHERE list_contains(CAST($ids AS VARCHAR[]), company_id)
