"""Small pieces of the importer read once or only on a failure: the upload limit read from Streamlit's config
(computed once at import, so no file test sees a change to it), the numbers in limit messages, and the errors'
texts. Found by mutation testing (docs/testing.md); expected texts are written out by hand."""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from core.importer import checks, fields, limits, reading
from core.importer.report import ImportRejected, ImportReport, Problem, WriteFailed


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
