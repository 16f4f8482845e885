-- Every company already in the database: company_id, source ('demo' or 'import:<file name>').
-- params: none
SELECT company_id, source FROM companies
