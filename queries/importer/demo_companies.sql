-- The companies of the demo data: company_id (an import drops the ones no row names any more).
-- params: none
SELECT company_id FROM companies WHERE source = 'demo'
