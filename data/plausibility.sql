-- Plausibility checks over the built database (issue "demo records a reader cannot mistake for facts").
-- Every check is one SELECT giving the rows that look wrong; `plausibility` unions them:
-- check_name, item (6 = nothing that passes for a real firm, 7 = project names fit industry and year,
-- 8 = a firm's district is the one of that session, 9 = no implausible concentration, one English name per
-- firm), session_no, key (record or company id), detail, source. The concentration bounds are the table
-- plausibility_bounds (data/raw/plausibility_bounds.csv; docs/data.md gives their reasons).
-- The demo must give no row at all (tests/test_plausibility.py); imported lists are reported, never refused.

-- The unified social credit code check digit (GB 32100-2015), as python-stdnum computes it.
CREATE OR REPLACE MACRO uscc_valid(code) AS (
    coalesce(regexp_full_match(code, '[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}'), FALSE)
    AND (31 - list_sum(list_transform(range(1, 18), lambda i:
            (strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, i, 1)) - 1)
            * [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28][i])) % 31) % 31
        = strpos('0123456789ABCDEFGHJKLMNPQRTUWXY', substr(code, 18, 1)) - 1
);

-- A word said twice in a row (智能智能, 服务服务): some substring of 2-4 characters followed by itself.
CREATE OR REPLACE MACRO has_doubled_word(text) AS (
    len(list_filter(range(1, length(text)), lambda i:
        list_bool_or(list_transform(range(2, 5), lambda l:
            i + 2 * l - 1 <= length(text) AND substr(text, i, l) = substr(text, i + l, l))))) > 0
);

-- An English company name without its legal form and case: "Shenzhen Furui Automation Co., Ltd. (joint-stock)"
-- -> "shenzhen furui automation".
CREATE OR REPLACE MACRO english_stem(name) AS (
    trim(regexp_replace(lower(name), '[\s,]*(co\.,? ltd\.?|ltd\.?|limited|inc\.?)(\s*\(joint-stock\))?\s*$', ''))
);

-- The longest product term of product_terms each record's project name contains.
CREATE OR REPLACE VIEW record_products AS
SELECT r.record_id, r.session_no, r.company_id, r.industry_code, r.project_name_zh, r.source,
       arg_max(p.name_zh, length(p.name_zh)) AS product,
       arg_max(p.group_code, length(p.name_zh)) AS product_group,
       arg_max(p.kind, length(p.name_zh)) AS kind,
       arg_max(p.first_session, length(p.name_zh)) AS first_session,
       arg_max(p.last_session, length(p.name_zh)) AS last_session
FROM records r
JOIN product_terms p ON contains(r.project_name_zh, p.name_zh)
GROUP BY ALL;

-- Every check by name, so a report can say "0" for the ones that find nothing.
CREATE OR REPLACE VIEW plausibility_checks AS
SELECT * FROM (VALUES
    ('demo_name_without_marker', 6), ('demo_code_passes_uscc_check', 6), ('demo_company_named_in_sources', 6),
    ('imported_code_fails_uscc_check', 6), ('product_filed_under_another_group', 7),
    ('first_machine_claim_not_equipment', 7), ('doubled_word_in_project_name', 7), ('product_outside_its_years', 7),
    ('product_listed_twice_by_one_firm', 7), ('firm_in_two_districts_in_one_session', 8),
    ('applicant_district_differs_from_records', 8), ('district_name_not_in_use_that_year', 8),
    ('company_records_in_one_session_above_bound', 9), ('company_records_overall_above_bound', 9),
    ('english_name_shared_by_companies', 9)
) AS t(check_name, item);

CREATE OR REPLACE VIEW plausibility AS
WITH marker_missing AS (
    SELECT 'demo_name_without_marker' AS check_name, 6 AS item, NULL::INTEGER AS session_no,
           company_id AS key, name_zh AS detail, source
    FROM companies
    WHERE source = 'demo' AND NOT (starts_with(name_zh, '【演示】') AND starts_with(name_en, '(Demo) '))
),
valid_demo_code AS (
    SELECT 'demo_code_passes_uscc_check', 6, NULL, company_id, name_zh, source
    FROM companies WHERE source = 'demo' AND uscc_valid(company_id)
),
named_firm AS (
    SELECT 'demo_company_named_in_sources', 6, NULL, c.company_id, c.name_zh || ' ~ ' || f.name_zh, c.source
    FROM companies c JOIN named_firms f
      ON contains(c.name_zh, f.name_zh) OR contains(lower(c.name_en), lower(f.name_en))
    WHERE c.source = 'demo'
),
invalid_real_code AS (
    SELECT 'imported_code_fails_uscc_check', 6, NULL, company_id, name_zh, source
    FROM companies WHERE source <> 'demo' AND length(company_id) = 18 AND NOT uscc_valid(company_id)
),
wrong_group AS (
    SELECT 'product_filed_under_another_group', 7, session_no, record_id,
           product || ': ' || industry_code || ' (makers: ' || product_group || ')', source
    FROM record_products WHERE industry_code <> product_group
),
first_machine AS (
    SELECT 'first_machine_claim_not_equipment', 7, r.session_no, r.record_id, r.project_name_zh, r.source
    FROM records r LEFT JOIN record_products p USING (record_id)
    WHERE contains(r.project_name_zh, '全国首台') AND p.kind IS DISTINCT FROM 'equipment'
),
doubled AS (
    SELECT 'doubled_word_in_project_name', 7, session_no, record_id, project_name_zh, source
    FROM records WHERE has_doubled_word(project_name_zh)
),
out_of_time AS (
    SELECT 'product_outside_its_years', 7, session_no, record_id,
           product || ' (' || first_session || '-' || last_session || ')', source
    FROM record_products WHERE session_no NOT BETWEEN first_session AND last_session
),
listed_twice AS (
    SELECT 'product_listed_twice_by_one_firm', 7, session_no, company_id, product, min(source)
    FROM record_products GROUP BY session_no, company_id, product HAVING count(*) > 1
),
two_districts AS (
    SELECT 'firm_in_two_districts_in_one_session', 8, session_no, company_id,
           string_agg(DISTINCT district_raw, ' / '), min(source)
    FROM records GROUP BY session_no, company_id HAVING count(DISTINCT district_code) > 1
),
profile_elsewhere AS (
    SELECT 'applicant_district_differs_from_records', 8, p.session_no, p.company_id,
           p.district_raw || ' / ' || r.district_raw, p.source
    FROM company_profiles p
    JOIN (SELECT DISTINCT session_no, company_id, district_code, district_raw FROM records) r
      USING (session_no, company_id)
    WHERE p.district_code <> r.district_code
),
anachronism AS (
    SELECT 'district_name_not_in_use_that_year', 8, r.session_no, r.record_id, r.district_raw, r.source
    FROM records r
    JOIN sessions s USING (session_no)
    JOIN district_name_periods n ON n.name_zh = regexp_replace(r.district_raw, '^深圳市?', '')
    WHERE s.year NOT BETWEEN n.first_year AND n.last_year
),
per_session_bound AS (
    SELECT 'company_records_in_one_session_above_bound', 9, r.session_no, r.company_id,
           count(*) || ' > ' || any_value(b.value), min(r.source)
    FROM records r JOIN plausibility_bounds b ON b.bound = 'records_per_company_session'
    GROUP BY r.session_no, r.company_id HAVING count(*) > any_value(b.value)
),
overall_bound AS (
    SELECT 'company_records_overall_above_bound', 9, NULL, r.company_id,
           count(*) || ' > ' || any_value(b.value), min(r.source)
    FROM records r JOIN plausibility_bounds b ON b.bound = 'records_per_company_overall'
    GROUP BY r.company_id HAVING count(*) > any_value(b.value)
),
shared_english_name AS (
    -- one row per firm whose English name another firm also carries, the legal form aside (富瑞 and 富锐
    -- both "Furui Automation", one a joint-stock company)
    SELECT 'english_name_shared_by_companies', 9, NULL, company_id, name_en, source
    FROM (SELECT *, count(*) OVER (PARTITION BY english_stem(name_en)) AS sharing FROM companies)
    WHERE coalesce(name_en, '') <> '' AND sharing > 1
),
final AS (
    SELECT * FROM marker_missing
    UNION ALL SELECT * FROM valid_demo_code
    UNION ALL SELECT * FROM named_firm
    UNION ALL SELECT * FROM invalid_real_code
    UNION ALL SELECT * FROM wrong_group
    UNION ALL SELECT * FROM first_machine
    UNION ALL SELECT * FROM doubled
    UNION ALL SELECT * FROM out_of_time
    UNION ALL SELECT * FROM listed_twice
    UNION ALL SELECT * FROM two_districts
    UNION ALL SELECT * FROM profile_elsewhere
    UNION ALL SELECT * FROM anachronism
    UNION ALL SELECT * FROM per_session_bound
    UNION ALL SELECT * FROM overall_bound
    UNION ALL SELECT * FROM shared_english_name
)
SELECT * FROM final;
