-- A district's leading GB/T 4754 divisions over $session_from..$session_to against the city's mix:
-- division_code, name_zh, name_en, records (the district's), share (% of the district's records),
-- city_records, city_share (% of the city's records), district_part (% of the division's city records
-- that are the district's). Most records first, at most $limit rows.
-- params: $code VARCHAR, $session_from INTEGER, $session_to INTEGER, $limit INTEGER
WITH per_division AS (
    -- one pass over the range: each division's records in the district and in the city, and both totals over
    -- every division (records without a division count in the totals, as they are part of either's records)
    SELECT left(industry_code, 3) AS division_code,
           count(*) FILTER (WHERE district_code = $code) AS records, count(*) AS city_records,
           sum(count(*) FILTER (WHERE district_code = $code)) OVER () AS district_total,
           sum(count(*)) OVER () AS city_total
    FROM records
    WHERE session_no BETWEEN $session_from AND $session_to
    GROUP BY ALL
),
final AS (
    SELECT d.division_code, i.name_zh, i.name_en, d.records,
           100.0 * d.records / d.district_total AS share,
           d.city_records, 100.0 * d.city_records / d.city_total AS city_share,
           100.0 * d.records / d.city_records AS district_part
    FROM per_division d
    JOIN industries i ON i.industry_code = d.division_code
    WHERE d.records > 0
)
SELECT * FROM final ORDER BY records DESC, division_code LIMIT $limit;
