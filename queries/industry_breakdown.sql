-- Records by GB/T 4754 division and group over $session_from..$session_to: division_code, division_zh,
-- division_en, group_code, group_zh, group_en, records.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH counts AS (
    SELECT r.industry_code AS group_code, count(*) AS records
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
    GROUP BY r.industry_code
),
final AS (
    SELECT d.industry_code AS division_code, d.name_zh AS division_zh, d.name_en AS division_en,
           g.industry_code AS group_code, g.name_zh AS group_zh, g.name_en AS group_en, c.records
    FROM counts c
    JOIN industries g ON g.industry_code = c.group_code
    JOIN industries d ON d.industry_code = g.parent_code
)
SELECT * FROM final ORDER BY records DESC, group_code;
