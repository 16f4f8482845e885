-- One company's applicant profile per session it applied in: session_no, year, approved, is_high_tech,
-- annual_revenue_cny, qualification, district_code, district_raw.
-- params: $company_id VARCHAR
SELECT p.session_no, s.year, p.approved, p.is_high_tech, p.annual_revenue_cny, p.qualification,
       p.district_code, p.district_raw
FROM company_profiles p
JOIN sessions s USING (session_no)
WHERE p.company_id = $company_id
ORDER BY p.session_no;
