"""Hostile and mistaken input to the importer: limits stated in the error (bytes, rows, columns, cell length,
XLSX size, ratio and declared dimensions, checked before parsing), sheets that lie about their size,
session bounds shared by the dry run, the import, the schema and the page, and command-line mistakes that
end in one line and a non-zero exit. Every test writes into its own copy of the database (`db_copy`).
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import duckdb
import openpyxl
import pytest

from core import cli, importer
from core.importer import fields, limits, reading
from tests.test_importer import HEADER_ZH, SAMPLE, file_state, query, write_csv
from tests.test_pages import entry_mode  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent


def list_rows(n: int) -> list[list]:
    return [[i, f"深圳市测试{i}科技有限公司", "", f"测试项目{i}", "南山区", "C39", "产品研发", ""]
            for i in range(1, n + 1)]


def xlsx_bytes(rows: list[list]) -> bytes:
    book = openpyxl.Workbook()
    book.active.append(HEADER_ZH)
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rewrite_sheet(data: bytes, change) -> bytes:
    """The workbook with its first sheet's XML passed through `change` (as a hostile tool would write it)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED,
                                                                   compresslevel=9) as zout:
        for item in zin.infolist():
            body = zin.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                body = change(body)
            zout.writestr(item.filename, body)
    return out.getvalue()


def declare(ref: str):
    return lambda body: re.sub(rb'<dimension ref="[^"]+"', f'<dimension ref="{ref}"'.encode(), body)


# --- the XLSX reader reads what is stored, not what the sheet declares ------------------------------------


def test_xlsx_declaring_fewer_rows_is_read_in_full(db_copy, tmp_path):
    path = tmp_path / "declares10.xlsx"
    path.write_bytes(rewrite_sheet(xlsx_bytes(list_rows(50)), declare("A1:H11")))
    report = importer.validate(path, 24)
    assert report.ok, report.problems
    assert report.rows_read == 50
    assert [r.row for r in report.rows][-1] == 51


def test_xlsx_bomb_is_refused_before_parsing(db_copy, tmp_path, monkeypatch):
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 5_000_000 + b"</t></is></c></row>"
    bomb = rewrite_sheet(xlsx_bytes(list_rows(1)), lambda body: body.replace(b"</sheetData>",
                                                                             row + b"</sheetData>"))
    assert len(bomb) < 12_000  # ~5 KB of sheet that unpacks to 5 MB
    path = tmp_path / "bomb.xlsx"
    path.write_bytes(bomb)

    def never(*args, **kwargs):
        raise AssertionError("openpyxl must not see a refused workbook")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    report = importer.validate(path, 24)
    assert [p.key for p in report.problems] == ["xlsx_ratio"]
    assert "the limit is 100 to 1" in report.problems[0].message
    before = file_state(db_copy)
    assert cli.main(["import", str(path), "--session", "24"]) == 1
    assert file_state(db_copy) == before


def test_xlsx_over_the_uncompressed_limit(db_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_XLSX_UNCOMPRESSED", 2_000)
    path = tmp_path / "big.xlsx"
    path.write_bytes(xlsx_bytes(list_rows(5)))
    report = importer.validate(path, 24)
    assert [p.key for p in report.problems] == ["xlsx_too_big"]
    assert "the limit is 0.0 MB" in report.problems[0].message


def test_xlsx_declaring_a_million_rows_is_refused(db_copy, tmp_path):
    path = tmp_path / "million.xlsx"
    path.write_bytes(rewrite_sheet(xlsx_bytes(list_rows(3)), declare("A1:H1000000")))
    report = importer.validate(path, 24)
    assert [p.key for p in report.problems] == ["xlsx_declared"]
    assert "declares 1,000,000 rows" in report.problems[0].message and "20,000 rows" in report.problems[0].message


def test_xlsx_with_a_far_away_row_hits_the_row_cap(db_copy, tmp_path):
    far = b'<row r="900000"><c r="A900000" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
    path = tmp_path / "far.xlsx"
    path.write_bytes(rewrite_sheet(xlsx_bytes(list_rows(3)), lambda body: body.replace(b"</sheetData>", far)))
    report = importer.validate(path, 24)
    assert [p.key for p in report.problems] == ["too_many_rows"]
    assert "the limit is 20,000 data rows" in report.problems[0].message


# --- bytes, rows, columns, cells -------------------------------------------------------------------------


def test_byte_limit_is_streamlits_upload_limit():
    config = (ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8")
    assert re.search(r"^maxUploadSize = 20$", config, re.M)
    assert limits.MAX_BYTES == 20 * 1024 * 1024


def test_file_over_the_byte_limit(db_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(limits, "MAX_BYTES", 100)
    path = write_csv(tmp_path / "big.csv", HEADER_ZH, SAMPLE)
    assert cli.main(["import", str(path), "--session", "24"]) == 1
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: big.csv: the file is 0.0 MB; the limit is 0.0 MB (server.maxUploadSize)")
    assert len(err.splitlines()) == 1
    report = importer.validate("upload.csv", 24, data=path.read_bytes())  # the page's path: bytes in memory
    assert [p.key for p in report.problems] == ["too_big"]


def test_too_many_rows(db_copy, tmp_path, monkeypatch):
    monkeypatch.setattr(limits, "MAX_ROWS", 4)
    report = importer.validate(write_csv(tmp_path / "rows.csv", HEADER_ZH, list_rows(5)), 24)
    assert [p.key for p in report.problems] == ["too_many_rows"]
    assert "the limit is 4 data rows" in report.problems[0].message


def test_too_many_columns(db_copy, tmp_path):
    header = HEADER_ZH + [f"备注{i}" for i in range(250)]
    rows = [row + ["x"] * 250 for row in SAMPLE]
    report = importer.validate(write_csv(tmp_path / "wide.csv", header, rows), 24)
    assert [p.key for p in report.problems] == ["too_many_columns"]
    assert "the limit is 200" in report.problems[0].message


def test_cell_too_long_names_row_and_column(db_copy, tmp_path):
    rows = [list(r) for r in SAMPLE]
    rows[1][3] = "很长的项目名称" * 400
    report = importer.validate(write_csv(tmp_path / "long.csv", HEADER_ZH, rows), 24)
    assert [(p.key, p.row, p.column) for p in report.problems] == [("cell_too_long", 3, "D")]
    assert "a cell of 2,800 characters; the limit is 2,000" in str(report.problems[0])


# --- session bounds: the same in the dry run, the import, the schema and the page --------------------------


@pytest.mark.parametrize("session", [0, 100, 1000])
def test_session_out_of_range_fails_the_dry_run(db_copy, tmp_path, capsys, session):
    path = write_csv(tmp_path / "s.csv", HEADER_ZH, SAMPLE)
    assert cli.main(["import", str(path), "--session", str(session), "--dry-run"]) == 1
    assert "session must be a whole number from 1 to 99" in capsys.readouterr().err


def test_session_99_imports_and_the_schema_refuses_100(db_copy, tmp_path):
    path = write_csv(tmp_path / "s.csv", HEADER_ZH, SAMPLE)
    assert cli.main(["import", str(path), "--session", "99"]) == 0
    assert query(db_copy, "SELECT year, name_zh FROM sessions WHERE session_no = 99") == [
        (2100, "第九十九届深圳企业创新纪录")]
    row = importer.session_row(100)
    with duckdb.connect(str(db_copy)) as con, pytest.raises(duckdb.ConstraintException):
        con.execute("INSERT INTO sessions (session_no, year, name_zh, name_en, programme_name_zh, name_attested) "
                    "VALUES (100, 2101, $zh, $en, $p, false)",
                    {"zh": row["name_zh"], "en": row["name_en"], "p": row["programme_name_zh"]})
    assert (fields.SESSION_MIN, fields.SESSION_MAX) == (1, 99)


@pytest.mark.usefixtures("entry_mode")
def test_import_page_after_importing_session_99(db_copy, tmp_path):
    from tests.test_pages import open_page

    assert cli.main(["import", str(write_csv(tmp_path / "s.csv", HEADER_ZH, SAMPLE)), "--session", "99"]) == 0
    at = open_page("import")
    assert not at.exception, [e.message for e in at.exception]
    box = at.number_input(key="import_session")
    assert (box.min, box.max, box.value) == (1, 99, 99)


# --- command-line mistakes: one line, non-zero exit, no traceback ------------------------------------------


def one_line_error(capsys, argv: list[str]) -> str:
    assert cli.main(argv) == 1
    captured = capsys.readouterr()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err
    return lines[0]


def test_cli_missing_file_folder_and_device(db_copy, tmp_path, capsys):
    missing = one_line_error(capsys, ["import", str(tmp_path / "nope.csv"), "--session", "24"])
    assert "nope.csv does not exist" in missing
    assert "is not a regular file" in one_line_error(capsys, ["import", str(tmp_path), "--session", "24"])
    assert "not a regular file" in one_line_error(capsys, ["import", "/dev/zero", "--session", "24"])


def test_cli_unreadable_file(db_copy, tmp_path, capsys, monkeypatch):
    path = write_csv(tmp_path / "secret.csv", HEADER_ZH, SAMPLE)

    def denied(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(reading, "open", denied, raising=False)  # root reads anything; stand in for chmod 000
    assert "cannot read the file: Permission denied" in one_line_error(
        capsys, ["import", str(path), "--session", "24"])


@pytest.mark.parametrize("kind", ["missing", "folder", "garbage"])
def test_cli_bad_db(tmp_path, capsys, kind):
    db = {"missing": tmp_path / "none.duckdb", "folder": tmp_path, "garbage": tmp_path / "junk.duckdb"}[kind]
    if kind == "garbage":
        db.write_bytes(b"not a database" * 100)
    path = write_csv(tmp_path / "s.csv", HEADER_ZH, SAMPLE)
    line = one_line_error(capsys, ["import", str(path), "--session", "24", "--db", str(db)])
    assert "database" in line


def test_cli_unwritable_database_folder(db_copy, tmp_path, capsys, monkeypatch):
    import shutil

    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(shutil, "copyfile", full)
    path = write_csv(tmp_path / "s.csv", HEADER_ZH, SAMPLE)
    before = file_state(db_copy)
    assert "No space left on device" in one_line_error(capsys, ["import", str(path), "--session", "24"])
    assert file_state(db_copy) == before


# --- the synonyms and the check table ---------------------------------------------------------------------


def test_header_spellings_come_from_the_csv(tmp_path):
    synonyms = fields.read_synonyms()
    assert "申报单位" in synonyms["header"]["company"] and "现代服务业" in synonyms["category"]["modern_service"]
    extra = tmp_path / "synonyms.csv"
    extra.write_text("kind,key,spelling\nheader,district,所在街道区\n", encoding="utf-8")
    assert fields.read_synonyms(extra)["header"]["district"] == ("所在街道区",)
    extra.write_text("kind,key,spelling\nheader,nonsense,x\n", encoding="utf-8")
    with pytest.raises(ValueError, match="row 2"):
        fields.read_synonyms(extra)


def test_importer_modules_stay_small():
    sizes = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in (ROOT / "core" / "importer").glob("*.py")}
    assert {"fields.py", "reading.py", "report.py", "checks.py", "writing.py"} <= sizes.keys()
    assert [name for name, n in sizes.items() if n > 400] == []
    assert [c.field for c in importer.CHECKS] == ["district", "credit_code", "industry", "category", "category",
                                                  "award"]
