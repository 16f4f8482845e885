"""Small pieces of the importer read once or only on a failure: the upload limit read from Streamlit's config
(computed once at import, so no file test sees a change to it), the numbers in limit messages, and the errors'
texts. Found by mutation testing (docs/testing.md); expected texts are written out by hand."""

from __future__ import annotations

import hashlib
import io
import os
import zipfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import charset_normalizer
import openpyxl
import pytest

from core.importer import checks, fields, limits, reading
from core.importer.report import ImportRejected, ImportReport, Plan, Problem, WriteFailed


def test_upload_limit_is_read_from_streamlits_config(tmp_path):
    assert limits.max_upload_mb() == 20  # .streamlit/config.toml: maxUploadSize = 20
    config = tmp_path / "config.toml"
    config.write_text("[server]\nmaxUploadSize = 7\n")
    assert limits.max_upload_mb(config) == 7


def test_upload_limit_falls_back_to_streamlits_default(tmp_path):
    config = tmp_path / "config.toml"
    assert limits.max_upload_mb(config) == 200  # no file
    for text in ("[server]\nport = 1\n", "[browser]\nmaxUploadSize = 7\n", "[server\n",
                 '[server]\nmaxUploadSize = "lots"\n'):
        config.write_text(text)
        assert limits.max_upload_mb(config) == 200, text


def test_sizes_are_stated_in_megabytes_with_one_decimal():
    assert limits._mb(1536 * 1024) == "1.5 MB"
    assert limits._mb(20 * 1024 * 1024) == "20.0 MB"
    assert limits._mb(100 * 1024 * 1024) == "100.0 MB"


def test_too_many_rows_states_the_count_and_the_limit():
    err = limits.too_many_rows(21_000)
    assert (err.key, str(err)) == ("too_many_rows", "21,000 rows or more; the limit is 20,000 data rows")
    assert err.values == {"rows": 21_000, "limit": 20_000}


def test_a_rejected_import_lists_its_problems_or_says_there_were_no_rows():
    report = ImportReport(Path("x.csv"), 23, Path("records.duckdb"), file_name="x.csv")
    assert str(ImportRejected(report)) == "x.csv: no data rows"
    report.problems = [Problem("x.csv", 3, "B (企业名称)", "empty"), Problem("x.csv", None, None, "no header")]
    err = ImportRejected(report)
    assert err.report is report
    assert str(err) == f"{report.problems[0]}\n{report.problems[1]}"


def test_a_failed_write_names_the_file_the_database_and_the_first_line_of_the_cause():
    db = Path("/data/records.duckdb")
    err = WriteFailed(db, "x.csv", OSError("No space left on device\nmore detail"))
    assert str(err) == ("the import of x.csv failed while writing the database /data/records.duckdb (No space left "
                        "on device); nothing was imported and records.duckdb is unchanged")
    assert (err.db, err.file_name, str(err.cause)) == (db, "x.csv", "No space left on device\nmore detail")
    assert "(MemoryError);" in str(WriteFailed(db, "x.csv", MemoryError()))
    assert f"({'d' * 400});" in str(WriteFailed(db, "x.csv", OSError("d" * 500)))


def test_an_invalid_cell_keeps_its_detail_and_values():
    err = checks.Invalid("not a date", value="2024-13-01")
    assert (str(err), err.detail, err.values) == ("not a date", "not a date", {"value": "2024-13-01"})
    assert (str(checks.Invalid()), checks.Invalid().detail, checks.Invalid().values) == ("", "", {})


def entry(name: str, size: int, packed: int) -> SimpleNamespace:
    return SimpleNamespace(filename=name, file_size=size, compress_size=packed)


class Book:
    """What check_xlsx reads of a zipfile.ZipFile: its directory (sizes as a hostile file may declare them)."""

    def __init__(self, *entries):
        self.entries = entries

    def infolist(self):
        return list(self.entries)


def test_a_workbook_may_unpack_to_exactly_the_limit():
    limits.check_xlsx(Book(entry("xl/a.bin", 50 * 1024 * 1024, 50 * 1024 * 1024)))
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_xlsx(Book(entry("xl/a.bin", 50 * 1024 * 1024 + 1, 50 * 1024 * 1024 + 1)))
    assert (err.value.key, err.value.values) == ("xlsx_too_big", {"size": "50.0 MB", "limit": "50.0 MB"})


def test_a_workbook_may_be_compressed_exactly_100_to_1():
    limits.check_xlsx(Book(entry("xl/a.bin", 100, 1)))
    limits.check_xlsx(Book(entry("xl/a.bin", 100, 0)))  # nothing packed counts as one byte
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_xlsx(Book(entry("xl/a.bin", 101, 0)))
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_xlsx(Book(entry("xl/a.bin", 300, 2)))
    assert (err.value.key, err.value.values) == ("xlsx_ratio", {"ratio": "150", "limit": 100})
    assert str(err.value) == "the workbook is compressed 150 to 1; the limit is 100 to 1 (a ZIP bomb?)"


@pytest.mark.parametrize("ref", ["A1:GR21000", "B2:C21000", "A1", "GR1"])
def test_declared_dimensions_within_the_limits(ref):
    limits._check_dimension(f'<worksheet><dimension ref="{ref}"/>'.encode())  # GR is column 200


@pytest.mark.parametrize("ref, rows, columns", [("A1:GS10", 10, 201), ("B2:C21001", 21001, 3),
                                                ("A1:AAA1", 1, 703)])
def test_declared_dimensions_over_the_limits(ref, rows, columns):
    with pytest.raises(limits.LimitExceeded) as err:
        limits._check_dimension(f'<x:dimension ref="{ref}"/>'.encode())
    assert (err.value.key, err.value.values) == (
        "xlsx_declared", {"rows": rows, "columns": columns, "max_rows": 20_000, "max_columns": 200})
    assert str(err.value) == (f"a sheet declares {rows:,} rows and {columns:,} columns; the limits are 20,000 rows "
                              "and 200 columns")


def test_only_the_head_of_a_sheet_is_searched_for_its_dimension():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_STORED) as z:
        z.writestr("xl/worksheets/sheet1.xml", "<worksheet>" + " " * 70_000 + '<dimension ref="A1:A99999"/>')
    with zipfile.ZipFile(buf) as book:
        limits.check_xlsx(book)  # past the first 64 KiB: not read, so not refused here


def test_cell_text_of_each_kind_of_spreadsheet_value():
    assert reading.cell_text(None) == ""
    assert reading.cell_text(3.0) == "3"  # a whole number read as float, as openpyxl gives it
    assert reading.cell_text(3.5) == "3.5"
    assert reading.cell_text(datetime(2024, 5, 1)) == "2024-05-01"
    assert reading.cell_text(datetime(2024, 5, 1, 8, 30)) == "2024-05-01T08:30:00"
    assert reading.cell_text("  南山区 ") == "南山区"


def test_a_company_without_a_credit_code_gets_an_id_from_its_folded_name():
    expected = "NAME-" + hashlib.sha256("深圳市某某科技有限公司".encode()).hexdigest()[:16].upper()
    assert fields.name_id("深圳市 某某科技 有限公司") == expected
    assert fields.name_id("ＡＢＣ Ltd") == fields.name_id("abc ltd") == \
        "NAME-" + hashlib.sha256(b"abcltd").hexdigest()[:16].upper()


class Sheet:
    """What _sheet_rows reads of an openpyxl read-only worksheet: its stored rows, as value tuples."""

    def __init__(self, rows):
        self.rows = rows

    def reset_dimensions(self):
        pass

    def iter_rows(self, min_row=None, values_only=False):
        assert (min_row, values_only) == (1, True)
        return iter(self.rows)


def test_a_sheet_may_have_200_columns_and_empty_cells_beyond():
    rows = reading._sheet_rows(Sheet([("a",) * 200, ("b",) * 200 + (None, None)]))
    assert [(n, len(cells)) for n, cells in rows] == [(1, 200), (2, 200)]


def test_a_sheet_with_a_value_in_column_201_is_refused():
    with pytest.raises(limits.LimitExceeded) as err:
        reading._sheet_rows(Sheet([("a",), (None,) * 200 + ("x",)]))
    assert (err.value.key, str(err.value), err.value.values) == (
        "too_many_columns", "row 2 has 201 columns; the limit is 200", {"limit": 200})


def test_a_sheet_may_have_21000_rows_and_not_one_more():
    assert len(reading._sheet_rows(Sheet([("a",)] * 21_000))) == 21_000
    with pytest.raises(limits.LimitExceeded, match="^21,001 rows or more"):
        reading._sheet_rows(Sheet([("a",)] * 21_001))


# --- the read side on small in-memory inputs: encodings, delimiters, the header row, which sheet of a workbook
# is read, the synonyms file, credit-code messages and the plan of a check. Whole-session imports checked these
# before; they take a second each, too slow for mutation testing (docs/testing.md).

HEADER = "序号,企业名称,项目名称,所属区"
ROW = "1,深圳市甲科技有限公司,柔性屏,南山区"
MAPPING = {0: "seq", 1: "company", 2: "project", 3: "district"}


def test_encodings_by_byte_order_mark_then_utf_8_then_gb18030():
    assert reading.detect_encoding(b"\xef\xbb\xbf" + HEADER.encode()) == "utf-8-sig"
    assert reading.detect_encoding(b"\xff\xfea\x00") == "utf-16"
    assert reading.detect_encoding(b"\xfe\xff\x00a") == "utf-16"
    assert reading.detect_encoding(HEADER.encode()) == "utf-8"
    gbk = f"{HEADER}\r\n{ROW}\r\n2,深圳市乙精密机械有限公司,数控加工中心,宝安区\r\n".encode("gbk")
    assert reading.detect_encoding(gbk) == "gb18030"
    # charset-normalizer's best guess for these bytes is Big5; GB18030 is among its candidates, and wins
    assert reading.detect_encoding("南山区".encode("gbk")) == "gb18030"


def test_big5_is_read_as_guessed_other_encodings_and_no_guess_are_refused():
    big5 = "企業名稱,項目名稱,所屬區\n深圳市甲科技有限公司,柔性屏幕,南山區\n".encode("big5")
    assert charset_normalizer.from_bytes(big5).best().encoding == "big5"  # so no GB-family candidate won
    assert reading.detect_encoding(big5) == "big5"
    latin = "café,naïve\n".encode("latin-1")  # charset-normalizer guesses cp1006 (Urdu): garbage if read
    assert charset_normalizer.from_bytes(latin).best() is not None
    with pytest.raises(LookupError):
        reading.detect_encoding(latin)
    with pytest.raises(UnicodeDecodeError):
        reading.detect_encoding(b"\xff\x00\xff\x81\x30")  # no candidate at all: reported as unreadable
    chaotic = b"\xb3\x95w\xc4\xcbC\x10\xc3Y"  # no candidate either, but these bytes decode as GB18030
    assert charset_normalizer.from_bytes(chaotic).best() is None
    assert reading.detect_encoding(chaotic) == "gb18030"


def test_a_csv_with_a_byte_order_mark_reads_its_first_header_cell_plainly():
    data = f"\ufeff{HEADER}\r\n{ROW}\r\n".encode()
    assert reading._read_csv(data) == ("utf-8-sig", [(1, HEADER.split(",")), (2, ROW.split(","))])
    assert reading._read_csv(f"{HEADER}\r\n{ROW}\r\n".encode("utf-16")) == (
        "utf-16", [(1, HEADER.split(",")), (2, ROW.split(","))])

    gb = f"\ufeff{HEADER}\r\n{ROW}\r\n".encode("gb18030")  # a BOM the GB18030 codec does not remove
    assert reading._read_csv(gb) == ("gb18030", [(1, HEADER.split(",")), (2, ROW.split(","))])


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_the_delimiter_is_the_one_whose_header_names_the_fields(delimiter):
    text = f"{HEADER}\n{ROW}\n".replace(",", delimiter)
    assert reading._read_csv(text.encode()) == ("utf-8", [(1, HEADER.split(",")), (2, ROW.split(","))])


def test_commas_inside_cells_do_not_beat_the_delimiter_naming_the_fields():
    # split on ",", the header names only 企业名称 and 项目名称 (2 fields); on ";" all four
    text = "序号;企业名称,简称;项目名称,名称;所属区\n1;甲,乙;屏,幕;南山区\n"
    assert reading._read_csv(text.encode())[1] == [(1, ["序号", "企业名称,简称", "项目名称,名称", "所属区"]),
                                                  (2, ["1", "甲,乙", "屏,幕", "南山区"])]



def test_a_delimiter_naming_every_required_field_beats_one_naming_as_many_others():
    # split on ",": 序号, 行业, 类别 (3 fields, not the required ones); on ";": exactly the 3 required ones
    text = "序号,行业,类别,;企业名称;项目名称;所属区\n1,C39,产品研发,;甲;屏;南山区\n"
    assert reading._read_csv(text.encode())[1][0] == (1, ["序号,行业,类别,", "企业名称", "项目名称", "所属区"])


def test_a_text_without_any_header_is_split_on_commas():
    assert reading._read_csv(b"a,b;c\n") == ("utf-8", [(1, ["a", "b;c"])])


def test_the_header_is_the_first_row_naming_every_required_field():
    rows = [(1, ["第二十四届名单"]), (2, ["企业名称", "项目名称"]), (3, HEADER.split(",")), (4, HEADER.split(","))]
    assert reading.find_header(rows) == (3, MAPPING)


def test_without_a_full_header_the_row_naming_most_fields_is_taken():
    rows = [(1, ["企业名称"]), (2, ["企业名称", "项目名称"]), (3, ["企业名称", "所属区"]), (4, ["x"])]
    assert reading.find_header(rows) == (2, {0: "company", 1: "project"})
    assert reading.find_header([(1, ["企业名称"]), (2, ["序号"])]) == (None, {})  # one field is no header
    assert reading.find_header([]) == (None, {})


def test_the_header_is_looked_for_in_the_first_30_rows_only():
    titles = [(n, [f"title {n}"]) for n in range(1, 30)]
    assert reading.find_header([*titles, (30, HEADER.split(","))]) == (30, MAPPING)
    titles.append((30, ["title 30"]))
    assert reading.find_header([*titles, (31, HEADER.split(","))]) == (None, {})


def workbook(*sheets: tuple[str, list[list]]) -> bytes:
    book = openpyxl.Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_the_first_sheet_with_a_header_row_is_read():
    data = workbook(("说明", [["本表为第24届名单"]]), ("名单", [HEADER.split(","), ROW.split(",")]),
                    ("备用", [HEADER.split(",")]))
    assert reading._read_xlsx(data) == ("名单", [(1, HEADER.split(",")), (2, ROW.split(","))])


def test_without_any_header_row_the_first_sheet_is_read():
    data = workbook(("甲", [["a", "b"]]), ("乙", [["c"]]))
    assert reading._read_xlsx(data) == ("甲", [(1, ["a", "b"])])


def test_a_formula_cell_reads_as_its_stored_value_never_as_the_formula():
    # openpyxl saves no computed value: the cell is empty, as a list would show it, not the text "=1+1"
    data = workbook(("名单", [HEADER.split(","), ["1", "甲公司", "=1+1", "南山区"]]))
    assert reading._read_xlsx(data)[1][1] == (2, ["1", "甲公司", "", "南山区"])


def test_a_file_is_a_workbook_by_its_zip_signature_or_its_name():
    assert reading.is_xlsx(reading.Path("list.csv"), b"PK\x03\x04rest")
    assert reading.is_xlsx(reading.Path("LIST.XLSX"), b"")
    assert reading.is_xlsx(reading.Path("list.xlsm"), b"")
    assert not reading.is_xlsx(reading.Path("list.csv"), b"PK\x03")


def test_the_synonyms_file_is_read_by_kind_and_key(tmp_path):
    path = tmp_path / "syn.csv"
    path.write_text("kind,key,spelling\nheader,company, 企业 \nheader,company,公司\ncategory,product_rd,研发\n",
                    encoding="utf-8")
    assert fields.read_synonyms(path) == {"header": {"company": ("企业", "公司")},
                                          "category": {"product_rd": ("研发",)}}


@pytest.mark.parametrize("line, shown", [("heading,company,公司", "'heading'/'company'"),
                                         ("header,firm,公司", "'header'/'firm'"),
                                         ("category,company,公司", "'category'/'company'"),
                                         ("header,company,  ", "'header'/'company'")])
def test_an_unknown_kind_key_or_empty_spelling_in_the_synonyms_stops_loudly(tmp_path, line, shown):
    path = tmp_path / "syn.csv"
    path.write_text(f"kind,key,spelling\nheader,seq,序号\n{line}\n", encoding="utf-8")
    with pytest.raises(ValueError) as err:
        fields.read_synonyms(path)
    assert str(err.value) == f"syn.csv, row 3: unknown kind/key {shown} or empty spelling"


def test_a_credit_code_is_stored_compact_or_refused_with_the_reason():
    assert checks._credit_code(" 91440300-MA5DC6QX9C", None) == "91440300MA5DC6QX9C"
    with pytest.raises(checks.Invalid) as err:
        checks._credit_code("91440300MA5DC6QX9X", None)
    assert err.value.detail == "The number's checksum or check digit is invalid."
    with pytest.raises(checks.Invalid) as err:
        checks._credit_code("9144", None)
    assert err.value.detail == "The number has an invalid length."


def test_the_plan_counts_what_an_import_adds_and_replaces(built_db, sql, tmp_path):
    path = tmp_path / "s23.csv"
    path.write_text("企业名称,统一社会信用代码,项目名称,所属区\n"
                    "深圳市甲科技有限公司,91440300MA5DC6QX9C,柔性屏,南山区\n"
                    "深圳市甲科技有限公司,91440300MA5DC6QX9C,激光雷达,南山区\n"
                    "深圳市乙机械有限公司,,数控机床,宝安区\n", encoding="utf-8")
    report = checks.validate(path, 23, db=built_db)
    assert report.problems == [] and report.warnings == ["no category column: the records of session 23 will "
                                                         "have no category"]
    by_source = dict(sql("SELECT source, count(*) FROM records WHERE session_no = 23 GROUP BY source"))
    [(profiles,)] = sql("SELECT count(*) FROM company_profiles WHERE session_no = 23")
    [(applications,)] = sql("SELECT count(*) FROM applications WHERE session_no = 23")
    [(known,)] = sql("SELECT count(*) FROM companies WHERE company_id = '91440300MA5DC6QX9C'")
    assert report.plan == Plan(new_session=False, records_to_add=3, companies_in_file=2,
                               companies_new=2 - known, records_to_replace=by_source,
                               profiles_to_remove=profiles, applications_to_remove=applications)


def test_a_new_session_after_a_gap_is_planned_with_a_warning(built_db, sql, tmp_path):
    [(last,)] = sql("SELECT max(session_no) FROM sessions")
    path = tmp_path / "later.csv"
    path.write_text("企业名称,项目名称,所属区,类别\n深圳市甲科技有限公司,柔性屏,南山区,产品研发\n", encoding="utf-8")
    report = checks.validate(path, last + 2, db=built_db)
    assert report.problems == []
    assert report.warnings == [f"session {last + 2} leaves a gap after session {last}"]
    assert report.plan == Plan(new_session=True, records_to_add=1, companies_in_file=1, companies_new=1)
    assert checks.validate(path, last + 1, db=built_db).warnings == []


def test_the_summary_of_a_checked_file():
    report = ImportReport(reading.Path("a.csv"), 25, reading.Path("r.duckdb"), file_name="a.csv", format="csv",
                          encoding="utf-8", header_row=2, rows_read=3)
    report.rows = [object()]
    report.plan = Plan(new_session=True, records_to_add=3, companies_in_file=2, companies_new=1,
                       records_to_replace={"import": 4, "demo": 1}, profiles_to_remove=5, applications_to_remove=6)
    assert report.summary() == ["a.csv: 3 data rows (csv, utf-8), header on row 2",
                                "add 3 records from 2 companies (1 new) to session 25",
                                "create session 25 (2026)",  # the first session was in 2002
                                "replace 5 records of session 25 (1 demo, 4 import), 6 applications and 5 "
                                "applicant profiles"]
    report.plan = Plan()
    report.format, report.encoding, report.header_row = "xlsx", None, None
    assert report.summary()[0] == "a.csv: 3 data rows (xlsx)"
    assert report.summary()[2] == "replace 0 records of session 25, 0 applications and 0 applicant profiles"


def test_rows_rejected_counts_rows_with_problems_but_not_the_header():
    report = ImportReport(reading.Path("a.csv"), 25, reading.Path("r.duckdb"), header_row=2, rows_read=5)
    report.problems = [checks.Problem("a.csv", 2, "A", "x"), checks.Problem("a.csv", 3, "A", "x"),
                       checks.Problem("a.csv", 3, "B", "y"), checks.Problem("a.csv", None, None, "z"),
                       checks.Problem("a.csv", 6, "C", "w")]
    assert (report.rows_rejected, report.rows_accepted, report.ok) == (2, 0, False)
    assert report.summary()[1] == "5 problems in 2 rows; nothing can be imported"


def test_the_session_check_comes_before_the_database_is_opened(tmp_path):
    for session in (0, 100, True, "24", 24.0):
        report = checks.validate(tmp_path / "a.csv", session, db=tmp_path / "nowhere.duckdb")
        [problem] = report.problems
        assert (problem.key, problem.values) == ("session", {"low": 1, "high": 99, "value": session})
        assert problem.message == f"session must be a whole number from 1 to 99, not {session!r}"


def test_a_database_that_is_not_a_file_is_named(tmp_path):
    report = checks.validate(tmp_path / "a.csv", 24, db=tmp_path)
    [problem] = report.problems
    assert (problem.key, problem.values) == ("database", {"path": tmp_path.name})
    assert problem.message == (f"the database {tmp_path} is not a database file; build it first (python -m "
                               "core.cli build) or give another --db")


def test_a_damaged_database_is_named(tmp_path):
    db = tmp_path / "bad.duckdb"
    db.write_bytes(b"not a database" * 100)
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    [problem] = checks.validate(path, 24, db=db).problems
    assert (problem.key, problem.values) == ("database", {"path": "bad.duckdb"})
    assert problem.message.startswith(f"cannot open the database {db}: ")
    assert "not a valid DuckDB database file" in problem.message  # DuckDB's own reason, its first line
    assert "\n" not in problem.message


def test_a_workbook_that_is_no_zip_is_not_a_table(tmp_path, built_db):
    path = tmp_path / "a.xlsx"
    path.write_bytes(b"PK\x03\x04 broken")
    [problem] = checks.validate(path, 24, db=built_db).problems
    assert (problem.key, problem.message) == ("not_a_table", "cannot read the file as CSV or XLSX: File is not "
                                                             "a zip file")
    assert problem.values == {"detail": "File is not a zip file"}



def test_a_line_break_inside_a_quoted_cell_is_kept_as_written():
    assert reading._csv_rows('a,"x\r\ny"\r\nb,c\r\n', ",") == [(1, ["a", "x\r\ny"]), (2, ["b", "c"])]


def test_a_csv_with_old_mac_line_endings_is_read_line_by_line():
    # "CSV (Macintosh)" ends lines with a lone carriage return; csv reads them only in universal-newline mode
    assert reading._csv_rows("企业名称,所属区\r甲公司,南山区\r", ",") == [(1, ["企业名称", "所属区"]),
                                                                    (2, ["甲公司", "南山区"])]


def test_a_csv_may_have_21000_rows_and_not_one_more():
    assert len(reading._csv_rows("a\n" * 21_000, ",")) == 21_000
    with pytest.raises(reading.limits.LimitExceeded) as err:
        reading._csv_rows("a\n" * 21_001, ",")
    assert (err.value.key, err.value.values) == ("too_many_rows", {"rows": 21_001, "limit": 20_000})


def test_a_cell_over_the_csv_modules_own_limit_names_its_row():
    with pytest.raises(reading.limits.LimitExceeded) as err:
        reading._csv_rows("a,b\n1,2\n3," + "x" * 140_000 + "\n", ",")
    assert (err.value.key, err.value.row, err.value.column) == ("cell_too_long", 3, None)
    assert err.value.values == {"length": "> 131072", "limit": 2000}
    assert str(err.value) == "field larger than field limit (131072); the limit is 2,000 characters"


def test_each_cell_lands_in_its_field_of_the_row_to_import(built_db, tmp_path):
    path = tmp_path / "full.csv"
    path.write_text("企业名称,企业英文名称,统一社会信用代码,项目名称,项目英文名称,所属区,行业,类别,获奖情况\n"
                    "深圳市甲科技有限公司,Jia Tech,91440300MA5DC6QX9C,柔性屏,Flexible screen,南山区,C39,产品研发,"
                    "国家级\n"
                    "深圳市乙机械有限公司,,,数控机床,,Bao’an,,,\n", encoding="utf-8")
    report = checks.validate(path, 24, db=built_db)
    assert report.problems == []
    name_id = "NAME-" + hashlib.sha256("深圳市乙机械有限公司".encode()).hexdigest()[:16].upper()
    assert [vars(row) for row in report.rows] == [
        {"row": 2, "company_id": "91440300MA5DC6QX9C", "company_zh": "深圳市甲科技有限公司", "company_en": "Jia Tech",
         "credit_code": "91440300MA5DC6QX9C", "project_zh": "柔性屏", "project_en": "Flexible screen",
         "district_raw": "南山区", "district_code": "440305", "industry_raw": "C39", "industry_code": "C39",
         "category": "product_rd", "award_level": "national"},
        {"row": 3, "company_id": name_id, "company_zh": "深圳市乙机械有限公司", "company_en": None,
         "credit_code": None, "project_zh": "数控机床", "project_en": None, "district_raw": "Bao’an",
         "district_code": "440306", "industry_raw": None, "industry_code": None, "category": None,
         "award_level": None}]


@pytest.mark.parametrize("text, refused", [
    ("甲\u2061乙", ("control", "U+2061 FUNCTION APPLICATION", 2)),  # a format character (Cf) outside BIDI
    ("甲乙\u2029", ("control", "U+2029 PARAGRAPH SEPARATOR", 3)),
    ("\u2028", ("control", "U+2028 LINE SEPARATOR", 1)),
    ("甲\u200b乙\u00ad", None),  # zero-width characters and the soft hyphen are removed later, not refused
    ("甲乙", None)])
def test_the_first_character_a_cell_may_not_hold(text, refused):
    assert fields.refused_character(text) == refused


def test_categories_are_refused_before_session_21():
    context = checks.Context(21, {}, None)
    assert checks._category_in_session("产品研发", context) == "product_rd"
    with pytest.raises(checks.Invalid) as err:
        checks._category_in_session("产品研发", checks.Context(20, {}, None))
    assert err.value.values == {"since": 21}


def test_a_short_row_has_blank_cells_and_a_refused_character_is_named():
    report = ImportReport(Path("a.csv"), 24, Path("r.duckdb"), file_name="a.csv")
    report.columns = {"company": "A (企业名称)", "project": "B (项目名称)"}
    found = []
    values = checks._cell_texts(report, 5, [" 甲\u202e公司 "], {"company": 0, "project": 1},
                                lambda *args, **values: found.append((args, values)))
    assert values == {"company": "甲\u202e公司", "project": ""}
    assert found == [((5, "A (企业名称)", "a direction control character, U+202E RIGHT-TO-LEFT OVERRIDE, at "
                                         "character 2: it can make the text read differently from what is stored; "
                                         "delete it and import again", "bidi"),
                      {"char": "U+202E RIGHT-TO-LEFT OVERRIDE", "position": 2})]


def duplicates(*rows: tuple[dict, dict]) -> list[tuple]:
    report = ImportReport(Path("a.csv"), 24, Path("r.duckdb"), file_name="a.csv")
    report.columns = {"project": "C (项目名称)"}
    found, seen = [], {}
    for number, (values, parsed) in enumerate(rows, start=2):
        checks._check_duplicate(report, number, values, parsed, seen,
                                lambda *args, **values: found.append((*args[:2], args[3], values)))
    return found


def test_a_project_listed_twice_for_one_credit_code_is_a_duplicate_whatever_the_name():
    code = {"credit_code": "91440300MA5DC6QX9C"}
    assert duplicates(({"company": "甲公司", "project": "柔性屏"}, code),
                      ({"company": "甲有限公司", "project": "柔 性 屏"}, code)) == [
        (3, "C (项目名称)", "duplicate", {"project": "柔 性 屏", "company": "甲有限公司", "first_row": 2})]
    assert duplicates(({"company": "甲公司", "project": "柔性屏"}, {}),
                      ({"company": "乙公司", "project": "柔性屏"}, {})) == []


def test_rows_without_a_company_or_a_project_are_no_duplicates():
    assert duplicates(({"company": "", "project": "柔性屏"}, {}), ({"company": "", "project": "柔性屏"}, {})) == []
    assert duplicates(({"company": "甲", "project": ""}, {}), ({"company": "甲", "project": ""}, {})) == []


def test_a_field_refused_by_its_first_check_is_not_checked_again():
    found = []
    checks._parse_cells({"category": "其他"}, checks.Context(20, {}, None),
                        lambda check, text, exc: found.append(check.problem))
    assert found == ["category"]  # not also "category_too_early"


def test_the_data_rows_limit_and_the_progress_of_a_check(built_db, sql, tmp_path, monkeypatch):
    path = tmp_path / "rows.csv"
    path.write_text("企业名称,项目名称,所属区\n" + "".join(f"甲公司,项目{n},南山区\n" for n in range(201)),
                    encoding="utf-8")
    steps = []
    report = checks.validate(path, 24, db=built_db, progress=steps.append)
    assert report.problems == [] and report.rows_read == 201
    [(build_id,)] = sql("SELECT value FROM meta WHERE key = 'build_id'")
    assert report.build_id == build_id
    assert sql("SELECT count(*) FROM sessions WHERE session_no >= 24") == [(0,)]  # so session 24 is new
    assert [(s.key, s.text, round(s.fraction, 4)) for s in steps] == [
        ("read", "Reading rows.csv", 0.05), ("header", "Header found on row 1", 0.1),
        ("check", "Checking row 1 of 201", 0.1), ("check", "Checking row 201 of 201", round(0.1 + 0.8 * 200 / 201, 4)),
        ("plan", "Checked: add 201 records from 1 company (1 new) to session 24; create session 24 (2025); "
                 "replace 0 records of session 24, 0 applications and 0 applicant profiles", 1.0)]
    monkeypatch.setattr(limits, "MAX_ROWS", 201)
    assert checks.validate(path, 24, db=built_db).problems == []
    monkeypatch.setattr(limits, "MAX_ROWS", 200)
    [problem] = checks.validate(path, 24, db=built_db).problems
    assert (problem.row, problem.key, problem.values) == (None, "too_many_rows", {"rows": 201, "limit": 200})


def test_a_listed_name_without_a_code_is_the_imported_company_of_that_cleaned_name(db_copy, tmp_path):
    import duckdb

    with duckdb.connect(str(db_copy)) as con:  # two imported companies whose names clean to the same one
        con.execute("UPDATE companies SET source = 'import', name_zh = '深圳市喆\u200b堃科技有限公司' "
                    "WHERE company_id IN ('91440300MA500026XW', '91440300MA500115XD')")
    path = tmp_path / "a.csv"
    path.write_text("企业名称,项目名称,所属区\n深圳市喆堃科技有限公司,柔性屏,南山区\n", encoding="utf-8")
    [row] = checks.validate(path, 24, db=db_copy).rows
    assert row.company_id == "91440300MA500026XW"  # the first by company_id


def test_a_lower_case_code_followed_by_its_name_is_that_code(built_db):
    import duckdb

    with duckdb.connect(str(built_db), read_only=True) as con:
        resolver = fields.IndustryResolver(con)
    assert resolver.resolve("c39 计算机、通信和其他电子设备制造业") == "C39"
    assert resolver.resolve("i65：软件") == "I65"
    assert resolver.resolve("食品制造") == resolver.resolve("食品") == "C14"  # 食品制造业 without its suffix


def test_a_refused_cell_is_named_with_its_reason_and_problem_key(built_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("企业名称,统一社会信用代码,项目名称,所属区\n甲公司,91440300MA5DC6QX9X,柔性屏,南山区\n",
                    encoding="utf-8")
    [problem] = checks.validate(path, 24, db=built_db).problems
    assert (problem.row, problem.column, problem.key, problem.values) == (
        2, "B (统一社会信用代码)", "credit_code", {"value": "91440300MA5DC6QX9X"})
    assert problem.message == ("invalid unified social credit code '91440300MA5DC6QX9X': The number's checksum or "
                               "check digit is invalid.")


def test_empty_required_cells_and_early_categories_are_named_with_their_values(built_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("企业名称,项目名称,所属区,类别\n甲公司,柔性屏,南山区,产品研发\n乙公司,,南山区,\n", encoding="utf-8")
    found = [(p.row, p.column, p.message, p.key, p.values) for p in checks.validate(path, 20, db=built_db).problems]
    assert found == [
        (2, "D (类别)", "category '产品研发' given, but categories exist from session 21 on", "category_too_early",
         {"value": "产品研发", "since": 21}),
        (3, "B (项目名称)", "empty 项目名称 / Project (required)", "empty", {"field": "项目名称 / Project"})]


def test_blank_categories_are_counted_in_a_warning(built_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("企业名称,项目名称,所属区,类别\n甲公司,柔性屏,南山区,\n乙公司,机床,南山区,生产制造\n"
                    "丙公司,疫苗,南山区,\n", encoding="utf-8")
    report = checks.validate(path, 24, db=built_db)
    assert (report.problems, report.warnings) == ([], ["2 rows with a blank category"])


def test_a_header_without_rows_is_named_with_its_row(built_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("名单\n企业名称,项目名称,所属区\n,,\n", encoding="utf-8")
    found = [(p.row, p.column, p.message, p.key, p.values) for p in checks.validate(path, 24, db=built_db).problems]
    assert found == [(None, None, "no data rows below the header on row 2", "no_rows", {"header_row": 2})]


def test_one_credit_code_for_two_names_is_named_and_two_codes_are_two_companies(built_db, tmp_path):
    from stdnum.cn import uscc

    other = "91440300MA500026X" + uscc.calc_check_digit("91440300MA500026X")
    path = tmp_path / "a.csv"
    path.write_text("企业名称,统一社会信用代码,项目名称,所属区\n甲公司,91440300MA5DC6QX9C,屏,南山区\n"
                    f"乙公司,{other},机床,南山区\n丙公司,91440300MA5DC6QX9C,疫苗,南山区\n", encoding="utf-8")
    report = checks.validate(path, 24, db=built_db)
    assert [row.row for row in report.rows] == [2, 3]  # the rows without a problem
    found = [(p.row, p.column, p.message, p.key, p.values) for p in report.problems]
    assert found == [(4, "B (统一社会信用代码)", "credit code 91440300MA5DC6QX9C is given for '丙公司' here and for "
                                                 "another company name on row 2", "code_two_names",
                      {"code": "91440300MA5DC6QX9C", "company": "丙公司", "first_row": 2})]



def test_one_credit_code_under_one_name_spelt_two_ways_is_one_company(built_db, tmp_path):
    """Case and inner spaces do not make another name: the name is compared as the importer matches names
    everywhere (alias_key), so both rows are imported for the one company."""
    for first, second in (("Shenzhen Abc Co", "SHENZHEN ABC CO"), ("深圳市甲 公司", "深圳市甲公司")):
        path = tmp_path / "a.csv"
        path.write_text("企业名称,统一社会信用代码,项目名称,所属区\n"
                        f"{first},91440300MA5DC6QX9C,屏,南山区\n{second},91440300MA5DC6QX9C,机床,南山区\n",
                        encoding="utf-8")
        report = checks.validate(path, 24, db=built_db)
        assert not report.problems and [row.row for row in report.rows] == [2, 3], (first, report.problems)


def test_columns_of_a_header_second_ones_missing_ones_and_ignored_ones(built_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("备注,企业名称,Company,项目名称,,联系人\n", encoding="utf-8")
    report = checks.validate(path, 20, db=built_db)
    found = [(p.row, p.column, p.message, p.key, p.values) for p in report.problems]
    assert found == [
        (1, "C (Company)", "a second column for 企业名称 / Company (column B (企业名称) already is one)",
         "second_column", {"field": "企业名称 / Company", "first": "B (企业名称)"}),
        (1, None, "no column for 所属区 / District in the header row", "missing_column",
         {"field": "所属区 / District"})]
    assert report.columns == {"company": "B (企业名称)", "project": "D (项目名称)"}
    assert report.ignored_columns == ["A (备注)", "F (联系人)"]
    assert report.warnings == []  # session 20 has no categories: no warning for the missing column


def test_a_file_that_cannot_be_read_or_decoded_is_named_with_the_reason(built_db, tmp_path):
    [problem] = checks.validate(tmp_path / "missing.csv", 24, db=built_db).problems
    assert (problem.message, problem.key, problem.values) == (
        "cannot read the file: No such file or directory", "unreadable", {"detail": "No such file or directory"})
    path = tmp_path / "a.csv"
    path.write_bytes(b"\xff\x00\xff\x81\x30")
    [problem] = checks.validate(path, 24, db=built_db).problems
    assert (problem.message, problem.key, problem.values) == (
        "cannot tell the text encoding; save the list as UTF-8 CSV or as XLSX", "encoding", {})


def test_a_limit_exceeded_is_a_problem_with_its_row_column_and_values(built_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("企业名称,项目名称,所属区\n甲公司," + "长" * 2001 + ",南山区\n", encoding="utf-8")
    report = checks.validate(path, 24, db=built_db)
    [problem] = report.problems
    assert (problem.row, problem.column, problem.key, problem.values) == (
        2, "B", "cell_too_long", {"length": 2001, "limit": 2000})
    assert report.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert (report.format, report.encoding, report.sheet) == ("", None, None)  # not read past the limit


def test_a_list_of_session_21_without_a_category_column_is_warned_about(built_db, tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("企业名称,项目名称,所属区\n甲公司,柔性屏,南山区\n", encoding="utf-8")
    assert checks.validate(path, 21, db=built_db).warnings == [
        "no category column: the records of session 21 will have no category"]


def test_a_header_cell_of_a_hash_or_ending_in_one_is_named():
    assert fields.match_header("#") == "seq"
    assert fields.match_header("企业名称#") == "company"


def test_the_shape_of_a_parsed_table_at_and_over_each_limit():
    limits.check_shape([(1, ["a"] * 200 + [""]), (2, ["长" * 2000])], fields.column_letter)
    limits.check_shape([(n, ["a"]) for n in range(21_000)], fields.column_letter)
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_shape([(n, ["a"]) for n in range(21_001)], fields.column_letter)
    assert err.value.values == {"rows": 21_001, "limit": 20_000}
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_shape([(1, ["a"]), (2, [""] * 200 + ["x"])], fields.column_letter)
    assert (err.value.key, err.value.values) == ("too_many_columns", {"limit": 200})
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_shape([(1, ["a"]), (3, ["b", "长" * 2001])], fields.column_letter)
    assert (err.value.key, err.value.row, err.value.column, err.value.values) == (
        "cell_too_long", 3, "B", {"length": 2001, "limit": 2000})
    assert str(err.value) == "a cell of 2,001 characters; the limit is 2,000"


def test_separators_inside_a_header_cell_are_ignored_and_exactly_the_required_fields_are_a_header():
    assert (fields.match_header("Credit-code"), fields.match_header("企业_名称")) == ("credit_code", "company")
    rows = [(1, ["企业名称", "项目名称", "所属区"]), (2, ["序号", "企业名称", "项目名称", "所属区"])]
    assert reading.find_header(rows) == (1, {0: "company", 1: "project", 2: "district"})


def test_check_file_gives_a_regular_files_size(tmp_path):
    path = tmp_path / "list.csv"
    path.write_bytes(b"x" * 1234)
    assert limits.check_file(path) == 1234


@pytest.mark.parametrize("kind", ["folder", "fifo"])
def test_check_file_refuses_what_is_not_a_regular_file(tmp_path, kind):
    path = tmp_path / "list.csv"
    if kind == "folder":
        path.mkdir()
    else:
        os.mkfifo(path)
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_file(path)
    said = "a folder" if kind == "folder" else "not a regular file"
    assert (err.value.key, err.value.values, str(err.value)) == \
        ("not_a_file", {"path": "list.csv"}, f"{path} is {said}; give a CSV or XLSX file")
    assert (err.value.row, err.value.column) == (None, None)


def test_check_size_at_and_over_the_limit():
    limits.check_size(20 * 1024 * 1024)  # exactly the limit: accepted
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_size(20 * 1024 * 1024 + 1)
    assert (err.value.key, err.value.values, str(err.value)) == \
        ("too_big", {"size": "20.0 MB", "limit": "20.0 MB"},
         "the file is 20.0 MB; the limit is 20.0 MB (server.maxUploadSize)")
    with pytest.raises(limits.LimitExceeded) as err:
        limits.check_size(31 * 1024 * 1024)
    assert err.value.values == {"size": "31.0 MB", "limit": "20.0 MB"}


# --- against the survivors of the importer-read run of 2026-12-06 (docs/testing.md)


def test_sessions_1_and_99_are_accepted_and_a_missing_database_is_named(tmp_path):
    db = tmp_path / "nowhere.duckdb"
    for session in (1, 99):
        [problem] = checks.validate(tmp_path / "a.csv", session, db=db).problems
        assert (problem.row, problem.column, problem.key, problem.values) == (
            None, None, "database", {"path": "nowhere.duckdb"})
        assert problem.message == (f"the database {db} does not exist; build it first (python -m core.cli build) "
                                   "or give another --db")


def test_a_file_without_a_header_row_is_named(tmp_path):
    db = tmp_path / "r.duckdb"
    db.write_bytes(b"")  # never opened: the header is looked for first
    path = tmp_path / "a.csv"
    path.write_text("第24届名单\n1,甲公司,柔性屏\n", encoding="utf-8")
    [problem] = checks.validate(path, 24, db=db).problems
    assert (problem.row, problem.column, problem.key, problem.values) == (None, None, "no_header", {})
    assert problem.message == ("no header row found in the first rows: expected columns such as 企业名称 / Company, "
                               "项目名称 / Project and 所属区 / District")


def test_a_problem_key_without_a_translation_stops_the_check(tmp_path, monkeypatch):
    def refuse(size):
        raise limits.LimitExceeded("no_such_key", "refused")

    monkeypatch.setattr(limits, "check_size", refuse)
    db = tmp_path / "r.duckdb"
    db.write_bytes(b"")
    path = tmp_path / "a.csv"
    path.write_text(f"{HEADER}\n{ROW}\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="no_such_key"):  # the page could not say it in the reader's language
        checks.validate(path, 24, db=db)


def test_an_industry_name_is_also_known_without_its_suffix():
    variants = fields.IndustryResolver._variants
    assert variants("通用设备制造业") == ["通用设备制造业", "通用设备", "通用设备制造"]
    assert variants("软件和信息技术服务业") == ["软件和信息技术服务业", "软件和信息技术", "软件和信息技术服务"]
    assert variants("汽车制造") == ["汽车制造", "汽车"]
    assert variants("商务服务") == ["商务服务", "商务"]
    assert variants("畜牧业") == ["畜牧业", "畜牧"]
    # a suffix is taken off only where at least two characters are left
    assert (variants("林业"), variants("业"), variants("a制造业")) == (["林业"], ["业"], ["a制造业", "a制造"])


def test_a_file_is_read_no_further_than_one_byte_past_the_limit(tmp_path, monkeypatch):
    path = tmp_path / "a.csv"
    path.write_bytes(b"x" * 100)
    sizes = []
    monkeypatch.setattr(limits, "MAX_BYTES", 10)
    # the size first measured is not trusted (a file may grow, /proc files say 0): what is read is checked again
    monkeypatch.setattr(limits, "check_size", sizes.append)
    assert reading.read_bytes(path) == b"x" * 11
    assert sizes == [100, 11]


def test_read_table_names_the_format_and_checks_the_shape_of_a_workbook_too():
    data = workbook(("名单", [HEADER.split(","), ROW.split(",")]))
    rows = [(1, HEADER.split(",")), (2, ROW.split(","))]
    assert reading.read_table(Path("a.xlsx"), data) == ("xlsx", None, "名单", rows)
    assert reading.read_table(Path("a.csv"), f"{HEADER}\n{ROW}\n".encode()) == ("csv", "utf-8", None, rows)
    data = workbook(("名单", [HEADER.split(","), ["1", "甲公司", "长" * 2001, "南山区"]]))
    with pytest.raises(limits.LimitExceeded) as err:
        reading.read_table(Path("a.xlsx"), data)
    assert (err.value.key, err.value.row, err.value.column) == ("cell_too_long", 2, "C")


def test_a_workbook_without_any_worksheet_has_no_rows():
    # only chart sheets, or none: read as an empty table (then "no header row"), not a failure to read it
    buf = io.BytesIO()
    rels = "http://schemas.openxmlformats.org/package/2006/relationships"
    with zipfile.ZipFile(buf, "w") as book:
        book.writestr("[Content_Types].xml", (
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>'))
        book.writestr("_rels/.rels", f'<Relationships xmlns="{rels}"><Relationship Id="rId1" Type="http://schemas.'
                                     'openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                                     'Target="xl/workbook.xml"/></Relationships>')
        book.writestr("xl/workbook.xml", '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
                                         'main"><sheets/></workbook>')
        book.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{rels}"/>')
    assert reading._read_xlsx(buf.getvalue()) == (None, [])


def test_a_gap_before_the_first_session_of_an_empty_database_is_warned_about():
    import duckdb

    with duckdb.connect() as con:  # the tables the plan counts, all empty
        for table in ("sessions", "records", "company_profiles", "applications"):
            con.execute(f"CREATE TABLE {table} (session_no INTEGER, source VARCHAR)")
        for session, warnings in ((1, []), (2, ["session 2 leaves a gap after session 0"])):
            report = ImportReport(Path("a.csv"), session, Path("r.duckdb"))
            checks._plan(report, con, {})
            assert (report.plan.new_session, report.warnings) == (True, warnings)
