-- The programme's own prizes, as published (never mixed with the S&T progress awards), per session in
-- $session_from..$session_to: session_no, year, prize (gold, silver, excellence, organisation, circular
-- economy or innovation), published (the published count), records (records carrying the prize in
-- the database; NULL for prizes that go to associations), unit, citation (publisher, title, date, URL).
-- params: $session_from INTEGER, $session_to INTEGER
WITH published AS (
    SELECT session_no, value_text AS prize, value AS published, unit, comparison, source AS citation
    FROM published_stats
    WHERE metric = 'programme_prizes' AND session_no BETWEEN $session_from AND $session_to
),
counted AS (
    SELECT session_no, programme_prize AS prize, count(*) AS records
    FROM records
    WHERE programme_prize IS NOT NULL AND session_no BETWEEN $session_from AND $session_to
    GROUP BY ALL
),
final AS (
    SELECT p.session_no, s.year, p.prize, p.published,
           CASE WHEN p.comparison <> 'reported' THEN coalesce(c.records, 0) END AS records, p.unit, p.citation
    FROM published p
    JOIN sessions s USING (session_no)
    LEFT JOIN counted c USING (session_no, prize)
)
SELECT * FROM final
ORDER BY session_no, CASE prize WHEN 'gold' THEN 1 WHEN 'silver' THEN 2 WHEN 'excellence' THEN 3
                                WHEN 'organisation' THEN 4 ELSE 5 END, prize;
