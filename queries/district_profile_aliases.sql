-- Every spelling that names a district, for resolving a code or name typed by a user or in a URL:
-- alias_key (normalised as core.districts.alias_key does), district_code. Codes themselves are included.
-- params: none
SELECT alias_key, district_code FROM district_aliases
UNION
SELECT lower(district_code) AS alias_key, district_code FROM districts
UNION
SELECT lower(replace(name_en, ' ', '')) AS alias_key, district_code FROM districts
ORDER BY district_code, alias_key;
