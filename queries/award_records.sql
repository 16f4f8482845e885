-- Award-winning records in $session_from..$session_to: record_id, session_no, year, award_level,
-- project_name_zh, project_name_en, company names, district names, division names.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH final AS (
    SELECT r.record_id, r.session_no, s.year, r.award_level, r.project_name_zh, r.project_name_en,
           c.name_zh AS company_zh, c.name_en AS company_en, d.name_zh AS district_zh, d.name_en AS district_en,
           i.name_zh AS division_zh, i.name_en AS division_en
    FROM records r
    JOIN sessions s USING (session_no)
    JOIN companies c USING (company_id)
    LEFT JOIN districts d ON d.district_code = r.district_code
    LEFT JOIN industries i ON i.industry_code = left(r.industry_code, 3)
    WHERE r.award_level IS NOT NULL
      AND r.session_no BETWEEN $session_from AND $session_to
      AND (len($districts::VARCHAR[]) = 0 OR list_contains($districts::VARCHAR[], r.district_code))
      AND (len($industries::VARCHAR[]) = 0 OR list_contains($industries::VARCHAR[], left(r.industry_code, 3)))
)
SELECT * FROM final
ORDER BY session_no DESC, CASE award_level WHEN 'national' THEN 1 WHEN 'provincial' THEN 2 ELSE 3 END, record_id;
