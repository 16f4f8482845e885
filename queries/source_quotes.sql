-- Sentences quoted word for word from each session's published source, with that source's citation (every
-- session at once: a few dozen rows, one cached result for every page and session):
-- session_no, lang (language of the quote), text, note, citation (publisher, title, date, URL: the full record,
-- for the About page), published_on (the source's date, for a short source line in a summary).
-- params: none
WITH cited AS (
    SELECT session_no, min(source) AS citation, min(published_on) AS published_on
    FROM published_stats
    GROUP BY session_no
),
final AS (
    SELECT q.session_no, q.lang, q.text, q.note, c.citation, c.published_on
    FROM source_quotes q
    LEFT JOIN cited c USING (session_no)
)
SELECT * FROM final ORDER BY session_no, lang, text;
