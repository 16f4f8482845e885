-- Gives the demo company $id the names and source of the list that lists it; returns the number changed (count).
-- Its district_code stays: DuckDB cannot update an indexed (foreign-key) column of a row other tables still
-- reference; records carry each session's district anyway.
-- params: $id VARCHAR, $zh VARCHAR, $en VARCHAR, $source VARCHAR
UPDATE companies SET name_zh = $zh, name_en = $en, source = $source WHERE company_id = $id
