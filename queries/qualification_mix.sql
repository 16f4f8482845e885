-- Applicants of $session by the highest title held: qualification (NULL = none), companies, share (% of
-- applicants). Order: single champion, little giant, provincial SRDI, municipal SRDI, none.
-- params: $session INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH applied_in_industries AS (
    -- applicants with an application in the chosen divisions; empty, and never scanned, without that filter
    SELECT DISTINCT session_no, company_id
    FROM applications
    WHERE len($industries::VARCHAR[]) > 0 AND list_contains($industries::VARCHAR[], left(industry_code, 3))
),
app AS (
    SELECT p.qualification
    FROM company_profiles p
    WHERE p.session_no = $session
      AND in_filter($districts::VARCHAR[], p.district_code)
      AND (len($industries::VARCHAR[]) = 0
           OR (p.session_no, p.company_id) IN (SELECT session_no, company_id FROM applied_in_industries))
),
final AS (
    SELECT qualification, count(*) AS companies, 100.0 * count(*) / sum(count(*)) OVER () AS share
    FROM app
    GROUP BY qualification
)
SELECT * FROM final
ORDER BY CASE qualification WHEN 'single_champion' THEN 1 WHEN 'little_giant' THEN 2
                            WHEN 'provincial_srdi' THEN 3 WHEN 'municipal_srdi' THEN 4 ELSE 5 END;
