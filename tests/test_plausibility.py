"""The plausibility suite (data/plausibility.sql, the `plausibility` view): the demo gives no finding at all,
each check turns red when its rule is broken in a copy of the database, and an imported list is reported on,
never refused.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest
from stdnum.cn import uscc

from core import importer

ROOT = Path(__file__).resolve().parent.parent


def findings(path, *statements: str) -> dict[str, list[tuple]]:
    """check_name -> [(session_no, key, detail, source)] after running `statements` on the database at path."""
    with duckdb.connect(str(path), read_only=not statements) as con:  # the shared build is read-only
        for sql in statements:
            con.execute(sql)
        found = con.execute("SELECT check_name, session_no, key, detail, source FROM plausibility").fetchall()
    out: dict[str, list[tuple]] = {}
    for name, *rest in found:
        out.setdefault(name, []).append(tuple(rest))
    return out


def test_the_demo_passes_every_check(built_db):
    assert findings(built_db) == {}


def _valid(body: str) -> str:
    return body + uscc.calc_check_digit(body)


def _record(con_path, where: str) -> tuple:
    with duckdb.connect(str(con_path), read_only=True) as con:
        return con.execute(f"SELECT record_id, session_no, company_id FROM records WHERE {where} "
                           "ORDER BY record_id LIMIT 1").fetchone()


COMPANY = "INSERT INTO companies VALUES ('{id}', '{zh}', '{en}', '440305', 'demo')"
CONCENTRATED = "91440305MA5PLANT4Y"


def records_of_one_firm(company_id: str, per_session: dict[int, int]) -> list[str]:
    """A demo firm with `per_session` records (session -> count): distinct plain names, one district."""
    rows = [f"('PLANT-{s}-{i}', {s}, '{company_id}', '植入集中项目{s}号{i}', 'planted', NULL, 'C392', '电子', "
            "'440305', '南山区', NULL, NULL, 'demo')" for s, n in per_session.items() for i in range(n)]
    return [COMPANY.format(id=company_id, zh="【演示】深圳市植入集中电子有限公司", en="(Demo) Shenzhen Planted Hoard"),
            "INSERT INTO records VALUES " + ", ".join(rows)]


PLANTED = [
    # item 6: a demo firm that could pass for a real one
    ("demo_code_passes_uscc_check",
     [COMPANY.format(id=_valid("91440305MA5PLANT0"), zh="【演示】深圳市样本科技有限公司",
                     en="(Demo) Shenzhen Sample")]),
    ("demo_name_without_marker",
     [COMPANY.format(id="91440305MA5PLANT1Y", zh="深圳市样本科技有限公司", en="Shenzhen Sample Co., Ltd.")]),
    ("demo_company_named_in_sources",
     [COMPANY.format(id="91440305MA5PLANT2Y", zh="【演示】深圳市镭神智能系统有限公司", en="(Demo) Leishen")]),
    # item 7: project names that do not fit industry or year
    ("product_filed_under_another_group",
     ["UPDATE records SET project_name_zh = '国内首创医用超声诊断仪' WHERE record_id = "
      "(SELECT min(record_id) FROM records WHERE session_no = 23 AND industry_code = 'C392')"]),
    ("first_machine_claim_not_equipment",
     ["UPDATE records SET project_name_zh = '全国首台智能手表' WHERE record_id = "
      "(SELECT min(record_id) FROM records r WHERE session_no = 23 AND industry_code = 'C396' AND NOT EXISTS "
      "(SELECT 1 FROM records o WHERE o.session_no = 23 AND o.company_id = r.company_id "
      "AND contains(o.project_name_zh, '智能手表')))"]),
    ("doubled_word_in_project_name",
     ["UPDATE records SET project_name_zh = '国内首创智能智能产品' WHERE record_id = "
      "(SELECT min(record_id) FROM records WHERE session_no = 23)"]),
    ("product_outside_its_years",
     ["UPDATE records SET project_name_zh = '国内首创数字程控交换机' WHERE record_id = "
      "(SELECT min(record_id) FROM records WHERE session_no = 23 AND industry_code = 'C392')"]),
    ("product_listed_twice_by_one_firm",
     ["CREATE TEMP TABLE pick AS SELECT r.company_id, r.industry_code, min(p.name_zh) AS product FROM records r "
      "JOIN product_terms p ON p.group_code = r.industry_code AND r.session_no BETWEEN p.first_session "
      "AND p.last_session WHERE r.session_no = 20 GROUP BY ALL HAVING count(DISTINCT r.record_id) > 1 "
      "ORDER BY ALL LIMIT 1",
      "UPDATE records SET project_name_zh = '国内首创' || (SELECT product FROM pick) WHERE session_no = 20 "
      "AND (company_id, industry_code) = (SELECT (company_id, industry_code) FROM pick)"]),
    # item 8: a firm's district is the one of that session (DuckDB cannot update a key column of a referenced
    # table, so the second district arrives as a further record)
    ("firm_in_two_districts_in_one_session",
     ["INSERT INTO records SELECT 'PLANT-1', session_no, company_id, '国内首创样本服务平台', 'planted', NULL, "
      "industry_code, industry_raw, '440303', '罗湖区', NULL, NULL, 'demo' FROM records "
      "WHERE session_no = 20 AND district_code <> '440303' ORDER BY record_id LIMIT 1"]),
    ("applicant_district_differs_from_records",
     ["UPDATE company_profiles SET district_code = '440303', district_raw = '罗湖区' WHERE (session_no, "
      "company_id) = (SELECT (session_no, company_id) FROM records WHERE session_no = 22 AND district_code "
      "<> '440303' ORDER BY record_id LIMIT 1)"]),
    ("district_name_not_in_use_that_year",
     ["UPDATE records SET district_raw = '龙华区' WHERE record_id = "
      "(SELECT min(record_id) FROM records WHERE session_no = 5)"]),
    # item 9: concentration within the bounds of data/raw/plausibility_bounds.csv; one English name per firm
    ("company_records_in_one_session_above_bound", records_of_one_firm(CONCENTRATED, {12: 7})),
    ("company_records_overall_above_bound", records_of_one_firm(CONCENTRATED, {s: 4 for s in range(5, 12)})),
    ("english_name_shared_by_companies",
     [COMPANY.format(id="91440305MA5PLANT3Y", zh="【演示】深圳市样本同名有限公司", en="x") + "; UPDATE companies "
      "SET name_en = (SELECT replace(name_en, 'Co., Ltd.', 'Limited') FROM companies WHERE source = 'demo' "
      "ORDER BY company_id LIMIT 1) WHERE company_id = '91440305MA5PLANT3Y'"]),
]


# A second district for a firm also differs from the district its applicant profile gives.
COMPANIONS = {"firm_in_two_districts_in_one_session": {"applicant_district_differs_from_records"}}


@pytest.mark.parametrize(("check", "statements"), PLANTED, ids=[p[0] for p in PLANTED])
def test_each_check_turns_red_when_its_rule_is_broken(db_copy, check, statements):
    found = findings(db_copy, *statements)
    assert check in found, found
    assert set(found) == {check} | COMPANIONS.get(check, set()), f"other checks fired too: {sorted(found)}"


def test_a_firm_holding_92_records_fails_the_overall_bound(db_copy):
    """The firm the issue found: 6 records in each of sessions 5-19 and 2 in session 20 (never more than the
    per-session bound, so only the overall one fires)."""
    per_session = {s: 6 for s in range(5, 20)} | {20: 2}
    found = findings(db_copy, *records_of_one_firm(CONCENTRATED, per_session))
    assert set(found) == {"company_records_overall_above_bound"}, found
    assert found["company_records_overall_above_bound"] == [(None, CONCENTRATED, "92 > 25", "demo")]


def test_the_bounds_are_written_in_the_docs_with_their_reason():
    docs = (ROOT / "docs" / "data.md").read_text(encoding="utf-8")
    with open(ROOT / "data" / "raw" / "plausibility_bounds.csv", encoding="utf-8", newline="") as f:
        bounds = list(csv.DictReader(f))
    assert {b["bound"] for b in bounds} == {"records_per_company_session", "records_per_company_overall"}
    for b in bounds:
        line = next((x for x in docs.splitlines() if f"`{b['bound']}`" in x), "")
        assert f"**{b['value']}**" in line and b["reason"] in docs, b


def test_an_imported_list_is_reported_on_not_refused(db_copy, tmp_path):
    path = tmp_path / "第24届名单.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["企业名称", "统一社会信用代码", "项目名称", "所属区", "行业", "类别", "获奖情况"])
        writer.writerow(["深圳市测试科技有限公司", _valid("91440305MA5TXT001"), "国内首创激光雷达", "南山区", "C392",
                         "产品研发", ""])
        writer.writerow(["深圳市样例智能有限公司", _valid("91440306MA5TXT002"), "全国首台智能手表", "宝安区", "C396",
                         "生产制造", ""])
    report = importer.validate(path, 24)
    assert report.ok, report.problems
    importer.apply(report)
    found = findings(db_copy)
    assert set(found) == {"product_filed_under_another_group", "first_machine_claim_not_equipment"}
    assert all(source.startswith("import:") and session == 24 for rows in found.values()
               for session, _key, _detail, source in rows)


def test_every_check_is_listed_for_the_report(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        listed = {name for (name,) in con.execute("SELECT check_name FROM plausibility_checks").fetchall()}
    assert listed == {p[0] for p in PLANTED} | {"imported_code_fails_uscc_check"}
