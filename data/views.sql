-- Views and macros built with the database. `reconciliation` compares every published figure with what the
-- rows give.

-- The filters of the named queries: an empty list means "everything" (DuckDB inlines macros, so the plans
-- are the same as writing the condition out).
CREATE OR REPLACE MACRO in_filter(wanted, value) AS (len(wanted) = 0 OR list_contains(wanted, value));

-- Approved companies among the session_companies rows (data/derived.sql) of a group for which `wanted`
-- holds, each (session, company) pair once. A pair with one row (cells = 1, nearly all) is counted with
-- count(*); DISTINCT runs only over pairs spread over several districts or divisions. (DISTINCT over a CASE,
-- not with FILTER: DuckDB 2.0 spends ~90 ms per 2M rows on a FILTER that keeps none, the CASE ~4 ms.)
-- Whether a session's applicants had their titles (champion / little giant / SRDI) recorded: from the first
-- session in which any applicant in the city held one. Before it a qualified share is not applicable (NULL),
-- never 0; every query that states the share uses this one rule.
CREATE OR REPLACE MACRO titles_recorded(session) AS
    session >= (SELECT min(session_no) FROM company_profiles WHERE qualification IS NOT NULL);

CREATE OR REPLACE MACRO count_pairs(cells, session, company_key, wanted) AS
    count(*) FILTER (WHERE wanted AND cells = 1)
    + count(DISTINCT CASE WHEN wanted AND cells > 1 THEN (session::BIGINT << 32) + company_key END);

-- Applicants (session_no, company_id) with an application in the chosen industry divisions; empty, and
-- never scanned, without an industry filter.
CREATE OR REPLACE MACRO applied_in_industries(industry_list) AS TABLE
    SELECT DISTINCT session_no, company_id
    FROM applications
    WHERE len(industry_list) > 0 AND list_contains(industry_list, left(industry_code, 3));

-- The industry filter for applicants (company_profiles rows): true for all without the filter, else for
-- those with an application in the chosen divisions that session.
CREATE OR REPLACE MACRO applicant_in_industries(industry_list, session, company) AS (
    len(industry_list) = 0
    OR (session, company) IN (SELECT session_no, company_id FROM applied_in_industries(industry_list))
);

-- Records per session and district in session_from..session_to under the industry filter: session_no,
-- district_code, records. Pairs without records are absent.
CREATE OR REPLACE MACRO district_session_counts(first_session, last_session, industry_list) AS TABLE
    SELECT r.session_no, r.district_code, count(*) AS records
    FROM records r
    WHERE r.session_no BETWEEN first_session AND last_session
      AND in_filter(industry_list, left(r.industry_code, 3))
    GROUP BY r.session_no, r.district_code;

-- The records the record list shows and the count above it: one WHERE for both, so they cannot disagree.
-- text matches the project name (either language), the company's name or its credit code ('' = any), as
-- typed: case aside, % and _ are characters, not wildcards (contains, not ILIKE).
-- Two branches, only one of which has rows: without a text the company-name lookup is never run (in one
-- WHERE DuckDB built it for every call, ~170 ms on 3.7M records).
CREATE OR REPLACE MACRO listed_records(first_session, last_session, district_list, industry_list, text, awarded_only) AS TABLE
    SELECT r.*
    FROM records r
    WHERE text = ''
      AND r.session_no BETWEEN first_session AND last_session
      AND in_filter(district_list, r.district_code)
      AND in_filter(industry_list, left(r.industry_code, 3))
      AND (NOT awarded_only OR r.award_level IS NOT NULL)
    UNION ALL
    SELECT r.*
    FROM records r
    WHERE text <> ''
      AND r.session_no BETWEEN first_session AND last_session
      AND in_filter(district_list, r.district_code)
      AND in_filter(industry_list, left(r.industry_code, 3))
      AND (NOT awarded_only OR r.award_level IS NOT NULL)
      AND (contains(lower(r.project_name_zh), lower(text)) OR contains(lower(r.project_name_en), lower(text))
           OR r.company_id IN (SELECT c.company_id FROM companies c
                               WHERE contains(lower(c.name_zh), lower(text))
                                  OR contains(lower(c.name_en), lower(text))
                                  OR contains(lower(c.company_id), lower(text))));

CREATE OR REPLACE VIEW session_qualified_share AS
SELECT session_no, 100.0 * avg(CASE WHEN qualification IS NOT NULL THEN 1 ELSE 0 END) AS share
FROM company_profiles
GROUP BY session_no;

CREATE OR REPLACE VIEW reconciliation AS
WITH scopes AS (
    SELECT DISTINCT session_from, session_to FROM published_stats
),
from_records AS (
    SELECT s.session_from, s.session_to,
           count(r.record_id)::DOUBLE AS records,
           count(DISTINCT r.session_no || '|' || r.company_id)::DOUBLE AS companies_summed,
           count(DISTINCT left(r.industry_code, 3))::DOUBLE AS industry_divisions,
           count(DISTINCT r.industry_code)::DOUBLE AS industry_groups,
           count(DISTINCT r.industry_raw)::DOUBLE AS industries_programme,
           count(*) FILTER (WHERE r.category = 'product_rd')::DOUBLE AS records_product_rd,
           count(*) FILTER (WHERE r.category = 'manufacturing')::DOUBLE AS records_manufacturing,
           count(*) FILTER (WHERE r.category = 'modern_service')::DOUBLE AS records_modern_service,
           count(r.award_level)::DOUBLE AS records_awarded
    FROM scopes s
    LEFT JOIN records r ON r.session_no BETWEEN s.session_from AND s.session_to
    GROUP BY ALL
),
from_applicants AS (
    SELECT s.session_from, s.session_to,
           count(p.company_id)::DOUBLE AS applicant_companies,
           100.0 * avg(CASE WHEN p.is_high_tech THEN 1 ELSE 0 END) AS applicants_high_tech_share,
           avg(p.annual_revenue_cny) / 1e6 AS applicants_mean_revenue,
           count(*) FILTER (WHERE p.qualification = 'single_champion')::DOUBLE AS applicants_single_champion,
           count(*) FILTER (WHERE p.qualification = 'little_giant')::DOUBLE AS applicants_little_giant,
           count(*) FILTER (WHERE p.qualification = 'provincial_srdi')::DOUBLE AS applicants_provincial_srdi,
           count(*) FILTER (WHERE p.qualification = 'municipal_srdi')::DOUBLE AS applicants_municipal_srdi,
           100.0 * avg(CASE WHEN p.qualification IS NOT NULL THEN 1 ELSE 0 END) AS applicants_qualified_share
    FROM scopes s
    LEFT JOIN company_profiles p ON p.session_no BETWEEN s.session_from AND s.session_to
    GROUP BY ALL
),
from_applications AS (
    SELECT s.session_from, s.session_to,
           count(a.application_id)::DOUBLE AS applications,
           count(DISTINCT left(a.industry_code, 3))::DOUBLE AS application_industry_divisions,
           count(DISTINCT a.industry_raw)::DOUBLE AS application_industries_programme
    FROM scopes s
    LEFT JOIN applications a ON a.session_no BETWEEN s.session_from AND s.session_to
    GROUP BY ALL
),
share_change AS (
    SELECT s.session_from, s.session_to, cur.share - prev.share AS applicants_qualified_share_change
    FROM scopes s
    JOIN session_qualified_share cur ON cur.session_no = s.session_to AND s.session_from = s.session_to
    JOIN session_qualified_share prev ON prev.session_no = s.session_to - 1
),
numeric_metrics AS (
    UNPIVOT from_records ON COLUMNS(* EXCLUDE (session_from, session_to)) INTO NAME metric VALUE derived
    UNION ALL
    UNPIVOT from_applicants ON COLUMNS(* EXCLUDE (session_from, session_to)) INTO NAME metric VALUE derived
    UNION ALL
    UNPIVOT from_applications ON COLUMNS(* EXCLUDE (session_from, session_to)) INTO NAME metric VALUE derived
    UNION ALL
    UNPIVOT share_change ON COLUMNS(* EXCLUDE (session_from, session_to)) INTO NAME metric VALUE derived
),
per_published_item AS (
    -- figures published per item: records in one of session 1's industries, records with one programme prize
    SELECT p.session_from, p.session_to, p.metric, p.value_text, count(r.record_id)::DOUBLE AS derived
    FROM published_stats p
    LEFT JOIN records r
           ON r.session_no BETWEEN p.session_from AND p.session_to
          AND CASE p.metric WHEN 'records_in_published_industry' THEN r.industry_raw
                            ELSE r.programme_prize END = p.value_text
    WHERE p.metric IN ('records_in_published_industry', 'programme_prizes') AND p.comparison <> 'reported'
    GROUP BY ALL
),
district_applicants AS (
    SELECT s.session_from, s.session_to, p.district_code, count(*) AS applicants
    FROM scopes s
    JOIN company_profiles p ON p.session_no BETWEEN s.session_from AND s.session_to
    GROUP BY ALL
),
top_districts AS (
    SELECT session_from, session_to, 'applicants_top_districts' AS metric,
           string_agg(district_code, '>' ORDER BY applicants DESC, district_code) AS derived_text
    FROM (
        SELECT *, row_number() OVER (PARTITION BY session_from, session_to
                                     ORDER BY applicants DESC, district_code) AS position
        FROM district_applicants
    )
    WHERE position <= 4
    GROUP BY ALL
),
published_industry_counts AS (
    SELECT session_from, session_to, industry_raw, n,
           rank() OVER (PARTITION BY session_from, session_to ORDER BY n DESC) AS position
    FROM (
        SELECT s.session_from, s.session_to, r.industry_raw, count(*) AS n
        FROM scopes s
        JOIN records r ON r.session_no BETWEEN s.session_from AND s.session_to
        GROUP BY s.session_from, s.session_to, r.industry_raw
    )
),
top_published_industries AS (
    SELECT session_from, session_to, 'top_published_industries' AS metric,
           string_agg(names, '>' ORDER BY n DESC) AS derived_text
    FROM (
        SELECT session_from, session_to, n, string_agg(industry_raw, '|' ORDER BY industry_raw) AS names
        FROM published_industry_counts
        WHERE position <= 5
        GROUP BY ALL
    )
    GROUP BY ALL
),
text_metrics AS (
    SELECT * FROM top_districts
    UNION ALL
    SELECT * FROM top_published_industries
),
final AS (
    SELECT p.session_no, p.session_from, p.session_to, p.scope, p.metric, p.value_text,
           p.value AS published, p.value_max AS published_max, p.unit, p.comparison, p.decimals,
           p.publisher, p.title, p.published_on, p.url, p.source,
           CASE WHEN p.comparison <> 'reported' THEN coalesce(i.derived, n.derived) END AS derived,
           t.derived_text,
           -- NULL: the figure cannot be derived from record lists (e.g. awards to associations)
           CASE
               WHEN p.comparison = 'reported' THEN NULL
               WHEN p.metric IN ('applicants_top_districts', 'top_published_industries')
                   THEN coalesce(t.derived_text = p.value_text, FALSE)
               WHEN p.comparison = 'gt' THEN coalesce(coalesce(i.derived, n.derived) > p.value, FALSE)
               WHEN p.comparison = 'le' THEN coalesce(coalesce(i.derived, n.derived) <= p.value, FALSE)
               WHEN p.comparison = 'between'
                   THEN coalesce(coalesce(i.derived, n.derived) BETWEEN p.value AND p.value_max, FALSE)
               ELSE coalesce(round(coalesce(i.derived, n.derived), p.decimals) = p.value, FALSE)
           END AS matches
    FROM published_stats p
    LEFT JOIN numeric_metrics n
           ON n.session_from = p.session_from AND n.session_to = p.session_to AND n.metric = p.metric
    LEFT JOIN per_published_item i
           ON i.session_from = p.session_from AND i.session_to = p.session_to
          AND i.metric = p.metric AND i.value_text = p.value_text
    LEFT JOIN text_metrics t
           ON t.session_from = p.session_from AND t.session_to = p.session_to AND t.metric = p.metric
)
SELECT * FROM final;
