"""Text cells at import: normalised before a name is matched, refused when they hold what no name holds.

Zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) are removed and every cell is put in Unicode
NFKC, so a name that only looks like another company's is that company, not a second one. Direction controls
(U+202A-U+202E, U+2066-U+2069, U+200E, U+200F) and NUL, line breaks and the other control characters are
refused with a problem naming the file, the spreadsheet row and the column; nothing is written.
"""

from __future__ import annotations

import pytest

from core import cli, importer
from tests.test_importer import HEADER_ZH, file_state, query, write_csv, write_xlsx

COMPANY = "深圳市光明生物医药有限公司"


def _row(n: int, company: str = COMPANY, project: str = "新型疫苗生产工艺", district: str = "光明") -> list:
    return [n, company, "", project, district, "C27", "生产制造", "无"]


@pytest.mark.parametrize(("char", "kind", "name"), [
    ("\u202e", "bidi", "U+202E RIGHT-TO-LEFT OVERRIDE"),
    ("\u202a", "bidi", "U+202A LEFT-TO-RIGHT EMBEDDING"),
    ("\u2066", "bidi", "U+2066 LEFT-TO-RIGHT ISOLATE"),
    ("\u2069", "bidi", "U+2069 POP DIRECTIONAL ISOLATE"),
    ("\u200e", "bidi", "U+200E LEFT-TO-RIGHT MARK"),
    ("\u200f", "bidi", "U+200F RIGHT-TO-LEFT MARK"),
    ("\x00", "control", "U+0000 CONTROL"),
    ("\x07", "control", "U+0007 CONTROL"),
    ("\n", "control", "U+000A CONTROL"),
    ("\x85", "control", "U+0085 CONTROL"),
    ("\u2028", "control", "U+2028 LINE SEPARATOR"),
])
@pytest.mark.parametrize(("field", "column"), [("company", "B (企业名称)"), ("project", "D (项目名称)")])
def test_a_refused_character_is_named_with_file_row_and_column(db_copy, tmp_path, char, kind, name, field, column):
    text = {"company": COMPANY, "project": "新型疫苗生产工艺"}[field]
    bad = text[:3] + char + text[3:]
    path = write_csv(tmp_path / "名单.csv", HEADER_ZH, [_row(1, project="其他项目"), _row(2, **{field: bad})])
    report = importer.validate(path, 24)
    assert [(p.file, p.row, p.column, p.key) for p in report.problems] == [("名单.csv", 3, column, kind)]
    assert f"{name}, at character 4" in report.problems[0].message
    assert not report.ok


def test_the_command_line_refuses_a_disguised_name_and_writes_nothing(db_copy, tmp_path, capsys):
    disguised = _row(2, "深圳市\u202e司公限有技科", "车规级激光雷达")
    path = write_xlsx(tmp_path / "名单.xlsx", HEADER_ZH, [_row(1), disguised])
    before = file_state(db_copy)
    assert cli.main(["import", str(path), "--session", "24"]) != 0
    err = capsys.readouterr().err
    assert "名单.xlsx, row 3, column B (企业名称): a direction control character, U+202E RIGHT-TO-LEFT OVERRIDE" in err
    assert "database is unchanged" in err
    assert file_state(db_copy) == before


def _import(path, session: int) -> None:
    report = importer.validate(path, session)
    assert report.ok, [str(p) for p in report.problems]
    importer.apply(report)


def test_a_look_alike_name_is_the_same_company(db_copy, tmp_path):
    _import(write_csv(tmp_path / "24.csv", HEADER_ZH, [_row(1)]), 24)
    look_alikes = ["深圳市光明\u200b生物医药有限公司", "\ufeff深圳市光明生物\u200d医药\u2060有限公司\u200c",
                   "深圳市光明生物医药有限公司\u00ad"]
    rows = [_row(n, name, f"项目{n}") for n, name in enumerate(look_alikes, start=1)]
    _import(write_csv(tmp_path / "25.csv", HEADER_ZH, rows), 25)
    assert query(db_copy, "SELECT name_zh, count(*) FROM companies WHERE source <> 'demo' GROUP BY ALL") == [
        (COMPANY, 1)]
    (ids,), = query(db_copy, "SELECT count(DISTINCT company_id) FROM records WHERE session_no IN (24, 25)")
    assert ids == 1
    (stored,), = query(db_copy, "SELECT count(*) FROM records WHERE session_no = 25 AND project_name_zh LIKE '项目%'")
    assert stored == 3


def test_a_look_alike_row_is_a_duplicate_in_the_same_file(db_copy, tmp_path):
    path = write_csv(tmp_path / "名单.csv", HEADER_ZH, [_row(1), _row(2, "深圳市光明\u200b生物医药有限公司")])
    report = importer.validate(path, 24)
    assert [(p.row, p.column, p.key) for p in report.problems] == [(3, "D (项目名称)", "duplicate")]


def test_cells_are_stored_in_nfkc(db_copy, tmp_path):
    # full-width letters, digits and brackets, as some lists type them; the credit code in full-width digits
    row = [1, "深圳市ＡＢＣ科技（集团）有限公司", "９１４４０３００ＭＡ５ＤＣ６ＱＸ９Ｃ", "Ｘ１００　模组", "南山区",
           "Ｃ３９", "产品研发", "国家级"]
    _import(write_csv(tmp_path / "名单.csv", HEADER_ZH, [row]), 24)
    assert query(db_copy, "SELECT c.company_id, c.name_zh, r.project_name_zh, r.industry_raw FROM records r "
                          "JOIN companies c USING (company_id) WHERE r.session_no = 24") == [
        ("91440300MA5DC6QX9C", "深圳市ABC科技(集团)有限公司", "X100 模组", "C39")]


def test_a_name_stored_before_the_cleaning_still_matches(db_copy, tmp_path):
    import duckdb

    with_code = _row(1)
    with_code[2] = "91440300MA5DC6QX9C"  # the company's id is its credit code, so a later list without the code
    _import(write_csv(tmp_path / "24.csv", HEADER_ZH, [with_code]), 24)  # finds it by name alone
    with duckdb.connect(str(db_copy)) as con:  # as an import before this check would have stored it
        con.execute("UPDATE companies SET name_zh = '深圳市光明\u200b生物医药有限公司' WHERE source <> 'demo'")
    _import(write_csv(tmp_path / "25.csv", HEADER_ZH, [_row(1, project="项目")]), 25)
    (ids,), = query(db_copy, "SELECT count(DISTINCT company_id) FROM records WHERE session_no IN (24, 25)")
    assert ids == 1
