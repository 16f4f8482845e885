-- The companies of kept_companies (registered by the caller: a kept copy's rows) the database no longer
-- holds, every column.
-- params: none
SELECT k.* FROM kept_companies k ANTI JOIN companies c USING (company_id)
