-- Removes the companies $ids; returns the number removed (count).
-- params: $ids VARCHAR[]
DELETE FROM companies WHERE company_id IN (SELECT unnest(CAST($ids AS VARCHAR[])))
