"""File names and the workbook's "About" sheet at their edges (core/export/tables.py): names cut at the byte
limit, stripped ends, reserved Windows names, odd extensions; the About sheet in English, bold, and when the
data sheet has its name. Found by mutation testing (docs/testing.md); every expected value is written by hand."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
import pytest

from core.export import tables


@pytest.mark.parametrize("parts, ext, expected", [
    (("_a_",), "png", "a.png"),  # underscores and dots at either end go
    (("a  /  b",), "png", "a_b.png"),  # a run of separators and spaces is one underscore
    (("X光", "图X"), "png", "X光_图X.png"),  # only dots, underscores and spaces are stripped
    (("con.report",), "pdf", "_con.report.pdf"),  # a reserved device name before the first dot
    (("a",), "p*ng", "a.png"),  # illegal characters in the extension are dropped
    (("a",), "XLSX", "a.XLSX"),
    (("a",), "", "a"),  # no extension, no dot
])
def test_safe_filename_edges(parts, ext, expected):
    assert tables.safe_filename(*parts, ext=ext) == expected


def test_a_name_at_the_byte_limit_is_kept_and_one_over_loses_one_character():
    assert tables.safe_filename("a" * 150, ext="png") == "a" * 150 + ".png"
    assert tables.safe_filename("a" * 151, ext="png") == "a" * 150 + ".png"


def test_a_name_cut_at_the_limit_loses_a_separator_left_at_its_end():
    assert tables.safe_filename("a" * 149 + "_b", ext="png") == "a" * 149 + ".png"
    assert tables.safe_filename("a" * 149 + "XY", ext="png") == "a" * 149 + "X.png"


def context(lang: str) -> tables.TableContext:
    return tables.TableContext(title="Records", filters="Session 23", source="Office", data_version="build 42",
                               date="2025-05-01", demo=False, lang=lang)


def test_the_about_sheet_is_named_in_the_readers_language_and_its_labels_are_bold():
    df = pd.DataFrame({"District": ["Nanshan"], "Records": [82]})
    book = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(df, "Records", context("en"))))
    assert book.sheetnames == ["Records", "About"]
    about = book["About"]
    assert about["A1"].value == "Data" and about["A1"].font.b and about["A1"].alignment.vertical == "top"


def test_a_data_sheet_called_like_the_about_sheet_gets_it_a_different_name():
    df = pd.DataFrame({"District": ["Nanshan"]})
    book = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(df, "About", context("en"))))
    assert book.sheetnames == ["About", "About_"]


def test_the_context_lines_in_english_with_a_link():
    ctx = tables.TableContext(title="Records", filters="", source="Office", data_version="build 42",
                              date="2025-05-01", demo=True, lang="en", permalink="https://x.example/?s=23")
    assert ctx.rows() == [("Data", "Demo data: not the official list"), ("Title", "Records"), ("Source", "Office"),
                          ("Data version", "build 42"), ("Date", "2025-05-01"),
                          ("Open online", "https://x.example/?s=23")]  # the empty filters line is left out


@pytest.mark.parametrize("title, expected", [
    ("a[b]:c*d?e/f\\g", "a_b__c_d_e_f_g"), ("'Q'", "Q"), (" x ", " x "), ("", "data"), ("'", "data"),
    ("x" * 40, "x" * 31), ("X光X", "X光X"),
])
def test_sheet_names(title, expected):
    assert tables._sheet_name(title) == expected


def excel_width(chars: int) -> float:
    """The width Excel's file stores for a column `chars` characters wide (xlsxwriter's conversion, Calibri 11)."""
    return int((int(chars * 7 + 0.5) + 5) / 7 * 256) / 256


def test_columns_are_as_wide_as_their_widest_text_with_wide_characters_counted_twice():
    df = pd.DataFrame({"District": ["Nanshan"], "南山区x": ["y"], "Note": ["n" * 100]})
    book = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(df, "Records")))
    widths = [book["Records"].column_dimensions[c].width for c in "ABC"]
    assert widths == [excel_width(8 + 2), excel_width(7 + 2), excel_width(60)]  # 60 at most
    assert book["Records"].freeze_panes == "A2"


def test_the_about_sheet_columns_fit_the_longest_label():
    df = pd.DataFrame({"District": ["Nanshan"]})
    book = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(df, "Records", context("en"))))
    about = book["About"]
    assert [about.column_dimensions[c].width for c in "AB"] == [excel_width(len("Data version") + 2), excel_width(70)]
    assert about["B2"].alignment.wrap_text and about["B2"].alignment.vertical == "top"
    assert about.column_dimensions["B"].max == 2  # only the value column is wide, not the ones after it
    assert not about["B1"].font.b  # official data: the first line is not the red demo marker


def test_the_demo_marker_on_the_about_sheet_wraps():
    df = pd.DataFrame({"District": ["Nanshan"]})
    ctx = tables.TableContext(title="Records", filters="", source="", data_version="", date="", demo=True, lang="en")
    about = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(df, "Records", ctx)))["About"]
    assert about["B1"].font.b and about["B1"].alignment.wrap_text


def test_column_widths_are_measured_on_the_first_thousand_rows():
    df = pd.DataFrame({"Name": ["ab"] * 1000 + ["x" * 30]})  # the long value is row 1001
    book = openpyxl.load_workbook(io.BytesIO(tables.table_xlsx(df, "Records")))
    assert book["Records"].column_dimensions["A"].width == excel_width(len("Name") + 2)


def test_dates_keep_their_date_form_in_a_csv():
    df = pd.DataFrame({"Date": pd.to_datetime(["2024-05-01"]), "Flag": [True], "Name": ["=1+1"]})
    assert tables.table_csv(df).decode("utf-8-sig") == "Date,Flag,Name\r\n2024-05-01,True,'=1+1\r\n"
