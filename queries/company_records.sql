-- One company's records across sessions: session_no, year, record_id, project_name_zh, project_name_en,
-- category, award_level, division_code, division_zh, division_en, district_raw, district_code. project_name_en
-- is the Chinese name where the list gave no English one (docs/data.md).
-- params: $company_id VARCHAR
WITH final AS (
    SELECT r.session_no, s.year, r.record_id, r.project_name_zh,
           coalesce(nullif(trim(r.project_name_en), ''), r.project_name_zh) AS project_name_en, r.category, r.award_level,
           left(r.industry_code, 3) AS division_code, i.name_zh AS division_zh, i.name_en AS division_en,
           r.district_raw, r.district_code
    FROM records r
    JOIN sessions s USING (session_no)
    LEFT JOIN industries i ON i.industry_code = left(r.industry_code, 3)
    WHERE r.company_id = $company_id
)
SELECT * FROM final ORDER BY session_no, record_id;
