-- Sessions for the filters: session_no, year, name_zh, name_en, programme_name_zh, name_attested (the name is
-- attested for that session), launch_date, review_date, note_zh, note_en, organiser_zh, organiser_en (深圳工经联
-- in the early years, 深圳工业总会 later).
-- params: none
SELECT session_no, year, name_zh, name_en, programme_name_zh, name_attested, launch_date, review_date,
       note_zh, note_en, organiser_zh, organiser_en
FROM sessions
ORDER BY session_no;
