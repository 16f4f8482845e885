"""Writing rows: the demo's drawn companies and projects as rows of the contract tables (source='demo')."""

from __future__ import annotations

import pandas as pd

SOURCE = "demo"


def record_row(s: int, index: int, company_id: str, name: tuple[str, str], group: str, raw_industry: str,
               district_raw: str, strength: float) -> dict:
    return {"record_id": f"R{s:02d}-{index:04d}", "session_no": s, "company_id": company_id,
            "project_name_zh": name[0], "project_name_en": name[1], "category": None, "industry_code": group,
            "industry_raw": raw_industry, "district_raw": district_raw, "award_level": None,
            "programme_prize": None, "source": SOURCE, "_strength": strength}


def application_row(s: int, index: int, company_id: str, project_zh: str, group: str, raw_industry: str,
                    record_id: str | None) -> dict:
    return {"application_id": f"A{s:02d}-{index:04d}", "session_no": s, "company_id": company_id,
            "project_name_zh": project_zh, "industry_code": group, "industry_raw": raw_industry,
            "record_id": record_id, "source": SOURCE}


def profile_row(s: int, company, approved: bool, district_raw: str) -> dict:
    return {"session_no": s, "company_id": company.company_id, "approved": approved, "is_high_tech": False,
            "annual_revenue_cny": 0, "qualification": None, "district_raw": district_raw, "source": SOURCE,
            "_company": company}


def frames(companies: list, records: list[dict], profiles: list[dict], applications: list[dict]
           ) -> dict[str, pd.DataFrame]:
    """The four demo tables; companies that never applied (none, normally) are left out."""
    return {
        "companies": pd.DataFrame([{"company_id": c.company_id, "name_zh": c.name_zh, "name_en": c.name_en,
                                    "district_code": c.district_code, "source": SOURCE}
                                   for c in companies if c.applied]),
        "records": pd.DataFrame(records).drop(columns=["_strength"]),
        "company_profiles": pd.DataFrame(profiles).drop(columns=["_company"]),
        "applications": pd.DataFrame(applications),
    }
