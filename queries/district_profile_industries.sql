-- A district's leading GB/T 4754 divisions over $session_from..$session_to against the city's mix:
-- division_code, name_zh, name_en, records (the district's), share (% of the district's records),
-- city_records, city_share (% of the city's records), district_part (% of the division's city records
-- that are the district's). Most records first, at most $limit rows.
-- params: $code VARCHAR, $session_from INTEGER, $session_to INTEGER, $limit INTEGER
WITH base AS (
    SELECT left(industry_code, 3) AS division_code, district_code
    FROM records
    WHERE session_no BETWEEN $session_from AND $session_to
),
city AS (
    SELECT division_code, count(*) AS city_records FROM base GROUP BY division_code
),
district AS (
    SELECT division_code, count(*) AS records FROM base WHERE district_code = $code GROUP BY division_code
),
totals AS (
    SELECT count(*) AS city_total, count(*) FILTER (WHERE district_code = $code) AS district_total FROM base
),
final AS (
    SELECT d.division_code, i.name_zh, i.name_en, d.records,
           100.0 * d.records / t.district_total AS share,
           c.city_records, 100.0 * c.city_records / t.city_total AS city_share,
           100.0 * d.records / c.city_records AS district_part
    FROM district d
    JOIN city c USING (division_code)
    JOIN industries i ON i.industry_code = d.division_code
    CROSS JOIN totals t
)
SELECT * FROM final ORDER BY records DESC, division_code LIMIT $limit;
