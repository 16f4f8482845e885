-- Sentences quoted word for word from session $session's published source, with that source's citation:
-- session_no, lang (language of the quote), text, note, citation (publisher, title, date, URL).
-- params: $session INTEGER
WITH cited AS (
    SELECT session_no, min(source) AS citation
    FROM published_stats
    WHERE session_no = $session
    GROUP BY session_no
),
final AS (
    SELECT q.session_no, q.lang, q.text, q.note, c.citation
    FROM source_quotes q
    LEFT JOIN cited c USING (session_no)
    WHERE q.session_no = $session
)
SELECT * FROM final;
