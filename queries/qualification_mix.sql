-- Applicants of $session by the highest title held: qualification (NULL = none), companies, share (% of
-- applicants). Order: single champion, little giant, provincial SRDI, municipal SRDI, none.
-- params: $session INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH app AS (
    SELECT p.qualification
    FROM company_profiles p
    WHERE p.session_no = $session
      AND in_filter($districts::VARCHAR[], p.district_code)
      AND applicant_in_industries($industries::VARCHAR[], p.session_no, p.company_id)
),
final AS (
    SELECT qualification, count(*) AS companies, 100.0 * count(*) / sum(count(*)) OVER () AS share
    FROM app
    GROUP BY qualification
)
SELECT * FROM final
ORDER BY CASE qualification WHEN 'single_champion' THEN 1 WHEN 'little_giant' THEN 2
                            WHEN 'provincial_srdi' THEN 3 WHEN 'municipal_srdi' THEN 4 ELSE 5 END;
