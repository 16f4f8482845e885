-- Applicants of each session in $session_from..$session_to by the highest title held: session_no,
-- qualification (NULL = none), companies, share (% of the session's applicants), titles_recorded (FALSE
-- before titles were recorded: the mix does not apply, it is not 100 % none). Order: session, then single
-- champion, little giant, provincial SRDI, municipal SRDI, none. The chart shows one session; it asks for
-- every session once (one cached result serves every session).
-- params: $session_from INTEGER, $session_to INTEGER, $districts VARCHAR[], $industries VARCHAR[]
WITH app AS (
    SELECT p.session_no, p.qualification
    FROM company_profiles p
    WHERE p.session_no BETWEEN $session_from AND $session_to
      AND in_filter($districts::VARCHAR[], p.district_code)
      AND applicant_in_industries($industries::VARCHAR[], p.session_no, p.company_id)
),
final AS (
    SELECT session_no, qualification, count(*) AS companies,
           100.0 * count(*) / sum(count(*)) OVER (PARTITION BY session_no) AS share,
           titles_recorded(session_no) AS titles_recorded
    FROM app
    GROUP BY session_no, qualification
)
SELECT * FROM final
ORDER BY session_no, CASE qualification WHEN 'single_champion' THEN 1 WHEN 'little_giant' THEN 2
                                        WHEN 'provincial_srdi' THEN 3 WHEN 'municipal_srdi' THEN 4 ELSE 5 END;
