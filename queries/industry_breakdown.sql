-- Records by GB/T 4754 division and group over $session_from..$session_to: division_code, division_zh,
-- division_en, group_code, group_zh, group_en, records. A record coded to its division only (imported lists
-- often name the division) counts in its division with group_code, group_zh and group_en NULL.
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH counts AS (
    SELECT left(r.industry_code, 3) AS division_code,
           CASE WHEN length(r.industry_code) > 3 THEN r.industry_code END AS group_code, count(*) AS records
    FROM records r
    WHERE r.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], r.district_code)
      AND in_filter($industries::VARCHAR[], left(r.industry_code, 3))
    GROUP BY ALL
),
final AS (
    SELECT d.industry_code AS division_code, d.name_zh AS division_zh, d.name_en AS division_en,
           c.group_code, g.name_zh AS group_zh, g.name_en AS group_en, c.records
    FROM counts c
    JOIN industries d ON d.industry_code = c.division_code
    LEFT JOIN industries g ON g.industry_code = c.group_code
)
SELECT * FROM final ORDER BY records DESC, group_code NULLS LAST, division_code;
