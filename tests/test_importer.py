"""The importer (core.importer and `python -m core.cli import`): encodings and XLSX title rows, header
variants, problems named by file / row / column with the database untouched, replacing a session's demo
records, creating a new session, dry runs. Sample files are generated here from small tables; every test
writes into its own copy of the built database (fixture `db_copy`), never into data/records.duckdb.
"""

from __future__ import annotations

import csv
import hashlib
import io
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import pytest
from stdnum.cn import uscc

from core import build as build_module
from core import cli, importer

HEADER_ZH = ["序号", "企业名称", "统一社会信用代码", "项目名称", "所属区", "行业", "类别", "获奖情况"]
HEADER_EN = ["No.", "Company", "Credit code", "Project", "District", "Industry", "Category", "Award"]
CATEGORY_ZH = {"product_rd": "产品研发", "manufacturing": "生产制造", "modern_service": "现代服务", None: ""}
AWARD_ZH = {"national": "国家级", "provincial": "省级", "municipal": "市级", None: ""}

# A small list with the spellings real lists use (two rows of one company, one without a credit code).
SAMPLE = [
    [1, "深圳市喆堃科技有限公司", "91440300MA5DC6QX9C", "超高清柔性显示模组", "深圳市南山区", "C39", "产品研发",
     "国家级"],
    [2, "深圳市喆堃科技有限公司", "91440300MA5DC6QX9C", "车规级激光雷达", "南山区", "计算机、通信和其他电子设备制造业",
     "产品研发", ""],
    [3, "深圳市𠮷祥精密机械有限公司", "", "五轴联动数控加工中心", "Bao’an", "通用设备制造业", "生产制造", "省级"],
    [4, "深圳市镕达软件股份有限公司", "", "工业互联网平台", "龙华新区", "I65", "现代服务", "深圳市科技进步奖"],
    [5, "深圳市光明生物医药有限公司", "", "新型疫苗生产工艺", "光明", "C27", "生产制造", "无"],
]
GBK_SAFE = [[c.replace("𠮷", "吉") if isinstance(c, str) else c for c in row] for row in SAMPLE]


def csv_bytes(header: list[str], rows: list[list], encoding: str, titles: list[str] = (),
              delimiter: str = ",") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n", delimiter=delimiter)
    for title in titles:
        writer.writerow([title] + [""] * (len(header) - 1))
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8",
              titles: list[str] = ()) -> Path:
    path.write_bytes(csv_bytes(header, rows, encoding, titles))
    return path


def write_xlsx(path: Path, header: list[str], rows: list[list], titles: list[str] = ()) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "名单"
    for title in titles:
        sheet.append([title])
        sheet.merge_cells(start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=len(header))
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def file_state(path: Path) -> tuple[str, dict[str, str]]:
    """sha256 of the file's bytes and the checksum of every contract table."""
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with duckdb.connect(str(path), read_only=True) as con:
        return digest, {t: build_module.table_checksum(con, t) for t in build_module.CONTRACT_TABLES + ["meta"]}


def query(path: Path, sql: str, params: dict | None = None) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(sql, params or {}).fetchall()


def official_list(db: Path, session: int) -> list[list]:
    """The session's records as an official list would print them (from the demo rows of `db`). Demo credit
    codes fail the check digit on purpose, so the list gets each code with its check digit corrected."""
    rows = query(db, "SELECT c.name_zh, r.company_id, r.project_name_zh, r.district_raw, r.industry_code, "
                     "r.category, r.award_level FROM records r JOIN companies c USING (company_id) "
                     "WHERE r.session_no = $s ORDER BY r.record_id", {"s": session})
    return [[i, name, code[:17] + uscc.calc_check_digit(code[:17]), project, district, industry, CATEGORY_ZH[category],
             AWARD_ZH[award]]
            for i, (name, code, project, district, industry, category, award) in enumerate(rows, start=1)]


# --- reading ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("encoding", "rows", "detected"), [
    ("utf-8", SAMPLE, "utf-8"),
    ("utf-8-sig", SAMPLE, "utf-8-sig"),
    ("gbk", GBK_SAFE, "gb18030"),
    ("gb18030", SAMPLE, "gb18030"),
])
def test_csv_encodings(db_copy, tmp_path, encoding, rows, detected):
    path = write_csv(tmp_path / f"名单-{encoding}.csv", HEADER_ZH, rows, encoding,
                     titles=["第二十四届深圳企业创新纪录名单"])
    report = importer.validate(path, 24)
    assert report.problems == []
    assert report.ok
    assert (report.format, report.encoding, report.header_row, report.rows_read) == ("csv", detected, 2, 5)
    assert [r.company_zh for r in report.rows] == [row[1] for row in rows]
    assert [r.project_zh for r in report.rows] == [row[3] for row in rows]
    assert [r.district_code for r in report.rows] == ["440305", "440305", "440306", "440309", "440311"]
    assert [r.industry_code for r in report.rows] == ["C39", "C39", "C34", "I65", "C27"]
    assert [r.category for r in report.rows] == ["product_rd", "product_rd", "manufacturing", "modern_service",
                                                 "manufacturing"]
    assert [r.award_level for r in report.rows] == ["national", None, "provincial", "municipal", None]
    assert [r.row for r in report.rows] == [3, 4, 5, 6, 7]
    importer.apply(report)
    stored = query(db_copy, "SELECT c.name_zh, r.project_name_zh FROM records r JOIN companies c USING (company_id) "
                            "WHERE r.session_no = 24 ORDER BY r.record_id")
    assert stored == [(row[1], row[3]) for row in rows]


def test_a_latin_1_list_is_refused_naming_the_file_not_read_as_garbage(db_copy, tmp_path):
    path = tmp_path / "liste-latin1.csv"
    path.write_bytes("Entreprise,Projet,District\nSociété Générale,Écran souple,Nanshan\n".encode("latin-1"))
    before = file_state(db_copy)
    report = importer.validate(path, 24)
    assert [(p.file, p.row, p.column, p.key) for p in report.problems] == [("liste-latin1.csv", None, None, "encoding")]
    assert "save the list as UTF-8 CSV or as XLSX" in str(report.problems[0]) and not report.rows
    with pytest.raises(ValueError):
        importer.apply(report)
    assert file_state(db_copy) == before


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_csv_delimiters(db_copy, tmp_path, delimiter):
    path = tmp_path / "list.txt"
    path.write_bytes(csv_bytes(HEADER_ZH, SAMPLE, "utf-8", delimiter=delimiter))
    report = importer.validate(path, 24)
    assert report.ok, report.problems
    assert [r.industry_code for r in report.rows] == ["C39", "C39", "C34", "I65", "C27"]


@pytest.mark.parametrize(("text", "code"), [
    ("C39", "C39"), ("c392", "C392"), ("C39 计算机、通信和其他电子设备制造业", "C39"), ("I65-软件", "I65"),
    ("计算机、通信和其他电子设备制造业", "C39"), ("软件和信息技术服务", "I65"),
    ("Software and information technology services", "I65"),
    ("医药制造业", "C27"), ("医药", "C27"), ("机械", "C34"), ("钟表", "C40"), ("Machinery", "C34"),
])
def test_industry_resolution(built_db, text, code):
    with duckdb.connect(str(built_db), read_only=True) as con:
        assert importer.IndustryResolver(con).resolve(text) == code


def test_missing_database(tmp_path, monkeypatch):
    monkeypatch.setenv("RECORDS_DB", str(tmp_path / "nowhere.duckdb"))
    report = importer.validate(write_csv(tmp_path / "a.csv", HEADER_ZH, SAMPLE), 24)
    assert not report.ok and "does not exist" in str(report.problems[0])


def test_xlsx_with_two_title_rows(db_copy, tmp_path):
    path = write_xlsx(tmp_path / "第24届名单.xlsx", HEADER_ZH, SAMPLE,
                      titles=["第二十四届深圳企业创新纪录名单", "（按申报顺序排列）"])
    report = importer.validate(path, 24)
    assert report.problems == []
    assert (report.format, report.sheet, report.header_row, report.rows_read) == ("xlsx", "名单", 3, 5)
    assert [r.row for r in report.rows] == [4, 5, 6, 7, 8]
    assert report.rows[2].company_zh == "深圳市𠮷祥精密机械有限公司"
    result = importer.apply(report)
    assert result.records_added == 5


def test_xlsx_problem_rows_are_spreadsheet_rows(db_copy, tmp_path):
    rows = [list(r) for r in SAMPLE]
    rows[3][4] = "龙华镇"  # the 4th data row: spreadsheet row 3 titles/header + 4 = 7
    path = write_xlsx(tmp_path / "list.xlsx", HEADER_EN, rows, titles=["Approved records", "Session 24"])
    report = importer.validate(path, 24)
    assert [str(p) for p in report.problems] == [
        "list.xlsx, row 7, column E (District): unknown district '龙华镇' (not a spelling in district_aliases)"]


def test_xlsx_numbers_and_blank_rows(db_copy, tmp_path):
    rows = [list(SAMPLE[0]), [None] * 8, list(SAMPLE[2])]
    path = write_xlsx(tmp_path / "gaps.xlsx", HEADER_ZH, rows)
    report = importer.validate(path, 24)
    assert report.ok, report.problems
    assert [r.row for r in report.rows] == [2, 4]


@pytest.mark.parametrize(("header", "field"), [
    ("序号", "seq"), ("No.", "seq"),
    ("企业名称", "company"), ("公司名称", "company"), ("Company", "company"), ("COMPANY NAME", "company"),
    ("申报单位", "company"), ("企业名称*", "company"),
    ("统一社会信用代码", "credit_code"), ("信用代码", "credit_code"), ("Credit code", "credit_code"),
    ("统一社会信用代码（18位）", "credit_code"),
    ("项目名称", "project"), ("纪录名称", "project"), ("Project", "project"), ("Project name", "project"),
    ("所属区", "district"), ("区域", "district"), ("辖区", "district"), ("District", "district"),
    ("行政区", "district"),
    ("行业", "industry"), ("所属行业", "industry"), ("Industry", "industry"), ("行业代码", "industry"),
    ("类别", "category"), ("Category", "category"),
    ("获奖情况", "award"), ("Award", "award"),
    ("企业英文名称", "company_en"), ("Project name (English)", "project_en"),
    ("联系人", None), ("备注", None), ("", None),
])
def test_header_variants(header, field):
    assert importer.match_header(header) == field


@pytest.mark.parametrize(("text", "level"), [
    ("国家级", "national"), ("国家科学技术进步奖二等奖", "national"), ("省级", "provincial"),
    ("广东省科学技术奖", "provincial"), ("市级", "municipal"), ("深圳市科技进步奖", "municipal"),
    ("National", "national"), ("provincial", "provincial"), ("Municipal", "municipal"),
    ("国家级、省级", "national"), ("", None), ("无", None), ("—", None), ("None", None),
])
def test_parse_award(text, level):
    assert importer.parse_award(text) == (True, level)


@pytest.mark.parametrize("text", ["一等奖", "yes", "是"])
def test_parse_award_unknown(text):
    assert importer.parse_award(text) == (False, None)


@pytest.mark.parametrize(("text", "category"), [
    ("产品研发", "product_rd"), ("产品研发类", "product_rd"), ("product_rd", "product_rd"),
    ("Product R&D", "product_rd"), ("生产制造", "manufacturing"), ("manufacturing", "manufacturing"),
    ("现代服务", "modern_service"), ("Modern service", "modern_service"), ("modern_service", "modern_service"),
    ("技术改造", None),
])
def test_parse_category(text, category):
    assert importer.parse_category(text) == category


@pytest.mark.parametrize(("n", "zh", "en"), [
    (1, "一", "1st"), (10, "十", "10th"), (11, "十一", "11th"), (21, "二十一", "21st"), (22, "二十二", "22nd"),
    (23, "二十三", "23rd"), (24, "二十四", "24th"), (100, "一百", "100th"), (105, "一百零五", "105th"),
    (112, "一百一十二", "112th"),
])
def test_session_names(n, zh, en):
    assert importer.chinese_number(n) == zh
    assert importer.session_row(n)["name_en"] == f"{en} Shenzhen Enterprise Innovation Records"


def test_column_letters():
    assert [importer.column_letter(i) for i in (0, 4, 25, 26, 27, 701, 702)] == [
        "A", "E", "Z", "AA", "AB", "ZZ", "AAA"]


def test_name_ids_are_stable_and_not_credit_codes():
    assert importer.name_id("深圳市镕达软件股份有限公司") == importer.name_id(" 深圳市镕达软件股份有限公司\u3000")
    assert importer.name_id("A公司") != importer.name_id("B公司")
    assert importer.name_id("A公司").startswith("NAME-")


# --- problems --------------------------------------------------------------------------------------------

BAD = [
    [1, "深圳市喆堃科技有限公司", "91440300MA5DC6QX9C", "超高清柔性显示模组", "南山去", "C39", "产品研发", ""],
    [2, "深圳市甲科技有限公司", "91440300MA5DC6QX9X", "激光雷达", "南山区", "C39", "产品研发", ""],
    [3, "", "", "无主项目", "福田区", "C39", "产品研发", ""],
    [4, "深圳市乙科技有限公司", "", "量子芯片", "宝安区", "量子玄学", "产品研发", ""],
    [5, "深圳市丙科技有限公司", "", "储能电池", "龙岗区", "C38", "技术改造", ""],
    [6, "深圳市喆堃科技有限公司", "91440300MA5DC6QX9C", "超高清柔性显示模组", "南山区", "C39", "产品研发", ""],
    [7, "深圳市丁科技有限公司", "", "", "", "C39", "产品研发", "一等奖"],
    [8, "深圳市戊科技有限公司", "", "智能网联汽车", "坪山区", "C36", "生产制造", "国家级"],
]
EXPECTED_PROBLEMS = [
    ("3", "E (所属区)", "unknown district '南山去'"),
    ("4", "C (统一社会信用代码)", "invalid unified social credit code '91440300MA5DC6QX9X'"),
    ("5", "B (企业名称)", "empty 企业名称 / Company"),
    ("6", "F (行业)", "unknown industry '量子玄学'"),
    ("7", "G (类别)", "unknown category '技术改造'"),
    ("8", "D (项目名称)", "duplicate project: '超高清柔性显示模组' of '深圳市喆堃科技有限公司' is already on row 3"),
    ("9", "D (项目名称)", "empty 项目名称 / Project"),
    ("9", "E (所属区)", "empty 所属区 / District"),
    ("9", "H (获奖情况)", "unknown award level '一等奖'"),
]


def test_bad_cells_are_all_reported(db_copy, tmp_path):
    path = write_csv(tmp_path / "bad.csv", HEADER_ZH, BAD, "gbk", titles=["名单"])
    report = importer.validate(path, 23)
    assert not report.ok
    found = [(str(p.row), p.column, p.message) for p in report.problems]
    for row, column, message in EXPECTED_PROBLEMS:
        assert any(r == row and c == column and m.startswith(message) for r, c, m in found), (row, column, message)
    assert len(found) == len(EXPECTED_PROBLEMS)
    assert all(p.file == "bad.csv" for p in report.problems)
    assert report.rows_rejected == 7  # every row but the last
    with pytest.raises(importer.ImportRejected):
        importer.apply(report)


def test_cli_rejects_bad_file_and_leaves_database_untouched(db_copy, tmp_path, capsys):
    path = write_csv(tmp_path / "bad.csv", HEADER_ZH, BAD, "utf-8", titles=["名单"])
    before = file_state(db_copy)
    assert cli.main(["import", str(path), "--session", "23"]) != 0
    err = capsys.readouterr().err
    for row, column, message in EXPECTED_PROBLEMS:
        assert f"bad.csv, row {row}, column {column}: {message}" in err
    assert "database is unchanged" in err
    assert file_state(db_copy) == before
    assert sorted(p.name for p in db_copy.parent.iterdir() if p.name.startswith(db_copy.name)) == [db_copy.name]


def test_missing_required_column(db_copy, tmp_path):
    header = ["序号", "企业名称", "项目名称", "行业"]
    path = write_csv(tmp_path / "no-district.csv", header, [[1, "深圳市甲有限公司", "项目", "C39"]])
    report = importer.validate(path, 23)
    assert [str(p) for p in report.problems] == ["no-district.csv, row 1: no column for 所属区 / District in the "
                                                 "header row"]


def test_no_header_row(db_copy, tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("hello,world\n1,2\n", encoding="utf-8")
    report = importer.validate(path, 23)
    assert not report.ok
    assert str(report.problems[0]).startswith("notes.csv: no header row found")


def test_unreadable_file(db_copy, tmp_path):
    report = importer.validate(tmp_path / "missing.csv", 23)
    assert not report.ok and "cannot read the file" in str(report.problems[0])
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    assert "cannot read the file as CSV or XLSX" in str(importer.validate(broken, 23).problems[0])


def test_one_credit_code_for_two_names(db_copy, tmp_path):
    rows = [list(SAMPLE[0]), [2, "深圳市别家公司", "91440300MA5DC6QX9C", "另一个项目", "福田区", "C39", "产品研发", ""]]
    report = importer.validate(write_csv(tmp_path / "twice.csv", HEADER_ZH, rows), 24)
    assert [(p.row, p.column) for p in report.problems] == [(3, "C (统一社会信用代码)")]
    assert "on row 2" in report.problems[0].message


def test_category_before_session_21_is_a_problem(db_copy, tmp_path):
    report = importer.validate(write_csv(tmp_path / "old.csv", HEADER_ZH, SAMPLE), 5)
    assert {p.column for p in report.problems} == {"G (类别)"}
    assert len(report.problems) == 5


def test_session_must_be_positive(db_copy, tmp_path):
    report = importer.validate(write_csv(tmp_path / "a.csv", HEADER_ZH, SAMPLE), 0)
    assert not report.ok and "session" in report.problems[0].message


# --- applying --------------------------------------------------------------------------------------------


@pytest.fixture
def session23_list(db_copy, tmp_path) -> Path:
    """The demo records of session 23 written out as an official list (GB18030, title row)."""
    return write_csv(tmp_path / "第23届深圳企业创新纪录名单.csv", HEADER_ZH, official_list(db_copy, 23), "gb18030",
                     titles=["第二十三届深圳企业创新纪录名单"])


def test_import_session_23_replaces_its_demo_records(db_copy, session23_list, capsys):
    before_other = query(db_copy, "SELECT count(*), max(source) FROM records WHERE session_no <> 23")
    old_build = query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'")
    assert cli.main(["import", str(session23_list), "--session", "23"]) == 0
    out = capsys.readouterr().out
    assert "replace 216 records of session 23 (216 demo)" in out
    source = f"import:{session23_list.name}"
    assert query(db_copy, "SELECT count(*), count(DISTINCT company_id), list(DISTINCT source) FROM records "
                          "WHERE session_no = 23") == [(216, 159, [source])]
    assert query(db_copy, "SELECT count(*), max(source) FROM records WHERE session_no <> 23") == before_other
    assert query(db_copy, "SELECT category, count(*) FROM records WHERE session_no = 23 GROUP BY ALL ORDER BY 1"
                 ) == [("manufacturing", 33), ("modern_service", 35), ("product_rd", 148)]
    assert query(db_copy, "SELECT count(award_level), count(DISTINCT left(industry_code, 3)) FROM records "
                          "WHERE session_no = 23") == [(15, 24)]
    # the session's applicant layer goes with its demo records; one application per imported record
    assert query(db_copy, "SELECT count(*) FROM company_profiles WHERE session_no = 23") == [(0,)]
    assert query(db_copy, "SELECT count(*), count(record_id), list(DISTINCT source) FROM applications "
                          "WHERE session_no = 23") == [(216, 216, [source])]
    # companies kept their credit codes and now carry the import as their source
    assert query(db_copy, "SELECT count(*) FROM companies WHERE source = $s", {"s": source}) == [(159,)]
    assert query(db_copy, "SELECT count(*) FROM records r LEFT JOIN companies c USING (company_id) "
                          "WHERE c.company_id IS NULL") == [(0,)]
    log = query(db_copy, "SELECT import_id, file_name, sha256, session_no, rows_accepted, rows_rejected, "
                         "imported_by, imported_at IS NOT NULL FROM import_log")
    digest = hashlib.sha256(session23_list.read_bytes()).hexdigest()
    assert len(log) == 1
    assert log[0][:6] == (1, session23_list.name, digest, 23, 216, 0)
    assert log[0][6] and log[0][7]
    assert query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'") != old_build


def test_imported_session_still_reconciles_record_figures(db_copy, session23_list):
    report = importer.validate(session23_list, 23)
    importer.apply(report)
    figures = dict(query(db_copy, "SELECT metric, matches FROM reconciliation WHERE scope = 'session 23'"))
    for metric in ["records", "companies_summed", "industry_divisions", "records_product_rd",
                   "records_manufacturing", "records_modern_service", "records_awarded"]:
        assert figures[metric], metric
    # applicant figures are not in an approved list: no longer derivable for an imported session
    assert not figures["applicants_high_tech_share"]
    cumulative = dict(query(db_copy, "SELECT metric, matches FROM reconciliation WHERE scope = 'sessions 1-23'"))
    assert cumulative == {"records": True, "companies_summed": True, "industry_groups": True}


def test_reimport_replaces_the_previous_import(db_copy, session23_list):
    importer.apply(importer.validate(session23_list, 23))
    report = importer.validate(session23_list, 23)
    assert report.plan.records_to_replace == {f"import:{session23_list.name}": 216}
    assert report.plan.companies_new == 0
    importer.apply(report)
    assert query(db_copy, "SELECT count(*) FROM records WHERE session_no = 23") == [(216,)]
    assert query(db_copy, "SELECT list(import_id ORDER BY import_id) FROM import_log") == [([1, 2],)]


def test_import_session_24_creates_the_session(db_copy, tmp_path, capsys):
    path = write_csv(tmp_path / "第24届名单.csv", HEADER_ZH, SAMPLE, "utf-8-sig")
    demo_before = query(db_copy, "SELECT count(*) FROM records WHERE source = 'demo'")
    assert cli.main(["import", str(path), "--session", "24"]) == 0
    assert "create session 24 (2025)" in capsys.readouterr().out
    assert query(db_copy, "SELECT session_no, year, name_zh, name_en, programme_name_zh FROM sessions "
                          "WHERE session_no = 24") == [
        (24, 2025, "第二十四届深圳企业创新纪录", "24th Shenzhen Enterprise Innovation Records", "深圳企业创新纪录")]
    assert query(db_copy, "SELECT count(*) FROM records WHERE source = 'demo'") == demo_before
    records = query(db_copy, "SELECT company_id, district_code, district_raw, industry_raw, source FROM records "
                             "WHERE session_no = 24 ORDER BY record_id")
    assert [r[1] for r in records] == ["440305", "440305", "440306", "440309", "440311"]
    assert [r[2] for r in records] == ["深圳市南山区", "南山区", "Bao’an", "龙华新区", "光明"]
    assert records[0][0] == records[1][0] == "91440300MA5DC6QX9C"
    assert records[2][0] == importer.name_id("深圳市𠮷祥精密机械有限公司")
    assert {r[4] for r in records} == {"import:第24届名单.csv"}
    assert query(db_copy, "SELECT count(*) FROM companies WHERE source = 'import:第24届名单.csv'") == [(4,)]
    assert query(db_copy, "SELECT session_no FROM import_log") == [(24,)]


def test_company_without_code_links_to_the_code_given_elsewhere_in_the_file(db_copy, tmp_path):
    rows = [list(SAMPLE[0]), [2, "深圳市喆堃科技有限公司", "", "第三个项目", "南山区", "C39", "产品研发", ""]]
    report = importer.validate(write_csv(tmp_path / "link.csv", HEADER_ZH, rows), 24)
    assert {r.company_id for r in report.rows} == {"91440300MA5DC6QX9C"}


def test_optional_columns_may_be_missing(db_copy, tmp_path):
    header = ["Company", "Project", "District"]
    path = write_csv(tmp_path / "minimal.csv", header, [[r[1], r[3], r[4]] for r in SAMPLE])
    report = importer.validate(path, 24)
    assert report.ok, report.problems
    assert any("no category column" in w for w in report.warnings)
    importer.apply(report)
    assert query(db_copy, "SELECT count(*), count(industry_code), count(category), count(award_level) "
                          "FROM records WHERE session_no = 24") == [(5, 0, 0, 0)]


def test_dry_run_writes_nothing(db_copy, session23_list, capsys):
    before = file_state(db_copy)
    assert cli.main(["import", str(session23_list), "--session", "23", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "add 216 records from 159 companies" in out
    assert "replace 216 records of session 23 (216 demo)" in out
    assert "dry run: nothing written" in out
    assert file_state(db_copy) == before


def test_api_reports_progress_steps(db_copy, session23_list):
    steps: list[importer.Step] = []
    report = importer.validate(session23_list, 23, progress=steps.append)
    result = importer.apply(report, progress=steps.append, who="tester")
    keys = [s.key for s in steps]
    assert keys[0] == "read" and keys[-1] == "done"
    assert {"header", "check", "plan", "copy", "replace", "insert", "log", "swap"} <= set(keys)
    assert all(0 <= s.fraction <= 1 and s.text for s in steps)
    assert (result.session, result.records_added, result.records_replaced, result.import_id) == (23, 216, 216, 1)
    assert query(db_copy, "SELECT imported_by FROM import_log") == [("tester",)]
    assert query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'") == [(result.build_id,)]


def test_apply_revalidates_a_stale_report(db_copy, session23_list, tmp_path):
    report = importer.validate(session23_list, 23)
    importer.apply(importer.validate(write_csv(tmp_path / "s24.csv", HEADER_ZH, SAMPLE), 24))
    result = importer.apply(report)  # the database changed in between: checked again, still fine
    assert result.import_id == 2
    assert query(db_copy, "SELECT count(*) FROM records WHERE session_no IN (23, 24)") == [(221,)]


def test_named_queries_after_import(db_copy, session23_list):
    from core import db

    importer.apply(importer.validate(session23_list, 23))
    kpis = db.run("session_kpis", districts=[], industries=[]).set_index("session_no")
    assert (kpis.loc[23, "records"], kpis.loc[23, "companies"]) == (216, 159)
    assert kpis.loc[23, "applicants"] is pd.NA  # an approved list names no applicants: missing, not 0
    status = db.run("data_status").iloc[0]
    assert (status["real_records"], status["demo_records"], status["imports"]) == (216, 3684 - 216, 1)
