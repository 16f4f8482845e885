-- Records of $session by the industry name its own list used (session 1 had its own names such as 机械):
-- industry_raw, division_code, name_zh, name_en, records.
-- params: $session INTEGER, $districts VARCHAR[]
WITH final AS (
    SELECT r.industry_raw, left(r.industry_code, 3) AS division_code, i.name_zh, i.name_en, count(*) AS records
    FROM records r
    JOIN industries i ON i.industry_code = left(r.industry_code, 3)
    WHERE r.session_no = $session
      AND in_filter($districts::VARCHAR[], r.district_code)
    GROUP BY ALL
)
SELECT * FROM final ORDER BY records DESC, industry_raw;
