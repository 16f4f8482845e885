-- GB/T 4754 divisions that have at least one record: industry_code, name_zh, name_en, records.
-- params: none
SELECT i.industry_code, i.name_zh, i.name_en, count(r.record_id) AS records
FROM industries i
JOIN records r ON left(r.industry_code, 3) = i.industry_code
WHERE i.level = 'division'
GROUP BY ALL
ORDER BY i.industry_code;
