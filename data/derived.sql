-- Tables derived from the records, rebuilt by core.build.stamp() at the end of every build, import and
-- restore (so they always describe the rows). They exist for speed: on a programme of millions of records the
-- per-session charts would otherwise count DISTINCT credit codes over every record on every filter change.

-- One row per company: company_key (a dense integer, cheaper to count and join than the credit code),
-- records, sessions (with a record), first_session, last_session, district_raw (as its latest list gave it).
CREATE OR REPLACE TABLE company_stats AS
SELECT company_id, row_number() OVER (ORDER BY company_id)::INTEGER AS company_key, count(*) AS records,
       count(DISTINCT session_no) AS sessions, min(session_no) AS first_session, max(session_no) AS last_session,
       arg_max(district_raw, session_no) AS district_raw
FROM records
GROUP BY company_id;

-- One row per session, company, district and division ("cell") with its records and award-winning records: the charts filter these
-- by session range, district and division as they would filter records. cells is how many rows the
-- session's (session_no, company) pair has (1 unless the company's records that session lie in several
-- districts or divisions), which lets count_pairs() count approved companies without DISTINCT for nearly
-- every pair. first_session and sessions are the company's over the whole programme (any district or
-- industry). Ordered by session so a session range reads only its part of the table.
CREATE OR REPLACE TABLE session_companies AS
WITH cells AS (
    SELECT session_no, company_id, district_code, left(industry_code, 3) AS division_code,
           count(*)::INTEGER AS records, count(award_level)::INTEGER AS awarded
    FROM records
    GROUP BY ALL
)
SELECT c.session_no, s.company_key, c.company_id, c.district_code, c.division_code, c.records, c.awarded,
       (count(*) OVER (PARTITION BY c.session_no, c.company_id))::INTEGER AS cells,
       s.first_session, s.sessions::INTEGER AS sessions
FROM cells c
JOIN company_stats s USING (company_id)
ORDER BY c.session_no, s.company_key;
