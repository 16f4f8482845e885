"""What the exported files say about themselves and what they refuse to run.

- CSV/XLSX: text cells that a spreadsheet would run as formulas are defused (OWASP: leading apostrophe), and
  XLSX keeps text as text even without the apostrophe; tables carry their context (title, filters, source,
  data version, date, demo marker); ZIP CSVs have readable headers.
- Chart PDFs: the document title is the chart's title; digits and Latin text can be copied and searched.
- PNGs declare their DPI (300 for A4, 144 for slides).
"""

from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image
from pypdf import PdfReader

from core import export
from core.charts.template import FONT
from core.export import tables
from tests.test_pages import entry_mode, open_page  # noqa: F401 - fixture re-used

BOM = b"\xef\xbb\xbf"
HOSTILE = ['=HYPERLINK("http://evil.example","点我")', "+86 755", "-1+2", "@SUM(A1)", "\tTAB", "\rCR"]
HARMLESS = ["南山区", "a=b", "Nanshan", ""]


def hostile_frame() -> pd.DataFrame:
    names = HOSTILE + HARMLESS
    return pd.DataFrame({"企业": names, "纪录数": [-3] + list(range(len(names) - 1))})


def context(demo: bool = True, lang: str = "zh") -> export.TableContext:
    return export.TableContext(title="各区纪录数", filters="第23届 · 南山区", source="深圳市企业创新纪录办公室",
                               data_version="build 42", date="2025-05-01", demo=demo, lang=lang)


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(BOM)
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


# --- formula injection ---------------------------------------------------------


def test_csv_cells_that_start_a_formula_get_an_apostrophe():
    rows = csv_rows(export.table_csv(hostile_frame()))
    names = [r[0] for r in rows[1:]]
    assert names == ["'" + h for h in HOSTILE] + HARMLESS
    assert rows[1][1] == "-3"  # a number stays a number


def test_xlsx_cells_that_start_a_formula_are_text_with_an_apostrophe():
    book = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(hostile_frame(), "企业")))
    cells = [row[0] for row in book.worksheets[0].iter_rows(min_row=2)]
    # xlsxwriter stores a carriage return as _x000D_ (Excel shows it as CR; openpyxl does not decode it)
    assert [c.value.replace("_x000D_", "\r") for c in cells[: len(HOSTILE)]] == ["'" + h for h in HOSTILE]
    assert all(c.data_type == "s" for c in cells[: len(HOSTILE)])
    assert book.worksheets[0]["B2"].value == -3


def test_a_header_that_starts_a_formula_gets_an_apostrophe_too():
    """A column header comes from the data too (a pivot's district or company names)."""
    frame = pd.DataFrame({'=HYPERLINK("http://x")': [1], "-2+3": [2], "ok": [3]})
    assert csv_rows(export.table_csv(frame))[0] == ["'=HYPERLINK(\"http://x\")", "'-2+3", "ok"]
    book = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(frame, "t")))
    assert [c.value for c in book.worksheets[0][1]] == ["'=HYPERLINK(\"http://x\")", "'-2+3", "ok"]

def test_xlsx_keeps_text_as_text_even_without_the_apostrophe(monkeypatch):
    # the second layer: xlsxwriter's formula conversion is off
    monkeypatch.setattr(tables, "defused", lambda df: df)
    book = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(hostile_frame(), "企业")))
    first = book.worksheets[0]["A2"]
    assert first.value == HOSTILE[0] and first.data_type == "s"


def test_context_text_is_defused_too():
    hostile = export.TableContext(title="=1+1", filters="@x", source="s", data_version="v", date="d",
                                  demo=False, lang="en")
    rows = csv_rows(export.table_csv(pd.DataFrame({"a": [1]}), hostile))
    assert rows[1] == ["Title", "'=1+1"] and rows[2] == ["Filters", "'@x"]


# --- context -------------------------------------------------------------------


def test_csv_context_lines_come_first_then_the_table():
    df = pd.DataFrame({"行政区": ["南山区", "宝安区"], "纪录数": [82, 40]})
    data = export.table_csv(df, context())
    rows = csv_rows(data)
    # the data kind first: "demo data" is the first line of the file
    assert rows[:6] == [["数据性质", "演示数据：非官方名单"], ["标题", "各区纪录数"], ["筛选条件", "第23届 · 南山区"],
                        ["来源", "深圳市企业创新纪录办公室"], ["数据版本", "build 42"], ["日期", "2025-05-01"]]
    assert rows[6] == []
    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig", skiprows=7).equals(df)


def test_csv_context_in_english_without_demo_says_official():
    rows = csv_rows(export.table_csv(pd.DataFrame({"a": [1]}), context(demo=False, lang="en")))
    assert rows[0] == ["Data", "Official list"]
    assert rows[1] == ["Title", "各区纪录数"]


def test_xlsx_context_sheet_follows_the_data_sheet_which_starts_with_the_demo_marker():
    df = pd.DataFrame({"行政区": ["南山区"], "纪录数": [82]})
    book = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(df, "各区纪录数", context())))
    assert book.sheetnames == ["各区纪录数", "说明"]
    first = book["各区纪录数"]
    assert first["A1"].value == "数据性质: 演示数据：非官方名单" and first["A1"].font.b  # first sheet, at the top
    assert first["A2"].value == "行政区" and first["A3"].value == "南山区"
    official = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(df, "各区纪录数", context(demo=False))))
    assert official["各区纪录数"]["A1"].value == "行政区"  # no marker row when the data are official
    about = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True)}
    assert about == {"标题": "各区纪录数", "筛选条件": "第23届 · 南山区", "来源": "深圳市企业创新纪录办公室",
                     "数据版本": "build 42", "日期": "2025-05-01", "数据性质": "演示数据：非官方名单"}
    assert book["说明"]["B1"].font.b  # the demo marker stands out


def test_chart_download_context_comes_from_the_card():
    from core.charts import Card
    from ui.widgets import table_context

    card = Card(title="各区纪录数", subtitle="第23届", unit="项", source="来源甲", lang="zh", demo=True,
                data_version="build 7", export_date="2025-05-02", permalink="http://host/districts?session=23")
    rows = dict(table_context(card).rows())
    assert rows["标题"] == "各区纪录数" and rows["日期"] == "2025-05-02" and rows["数据版本"] == "build 7"
    assert rows["在线查看"] == "http://host/districts?session=23"
    assert rows["数据性质"] == "演示数据：非官方名单"


@pytest.mark.parametrize(("page", "menus"), [("districts", 4), ("trends", 4)])
def test_download_menus_are_drawn_only_while_open(built_db, entry_mode, page, menus):  # noqa: F811
    """A closed menu sends no buttons (they were a third of a chart page's elements on every run); the open one
    has the image and table downloads of its chart."""
    at = open_page(page, {"session": "23", "lang": "en"})
    assert len(at.get("popover")) == menus and not at.get("download_button")
    name = next(key for key in at.session_state if key.startswith("menu_"))
    at.session_state[name] = True  # the reader opens one chart's menu
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert len(labels) == 6 and {"CSV", "PNG"} <= {w for label in labels for w in label.replace("(", " ").split()}


# --- renders (need the export browser) -------------------------------------------


@pytest.fixture(scope="module")
def browser(export_browser):
    """Every test here renders through the export browser (missing: fails unless ALLOW_NO_BROWSER=1)."""


def chart() -> go.Figure:
    fig = go.Figure(go.Bar(x=["Nanshan 南山区", "Bao'an 宝安区"], y=[2024, 1357]))
    fig.update_layout(title="<b>Records 2024 各区纪录</b><br>第23届", font_family=FONT)
    return fig


def test_chart_pdf_title_is_the_charts_title(browser):
    reader = PdfReader(io.BytesIO(export.render(chart(), "pdf", "slide")))
    assert reader.metadata.title == "Records 2024 各区纪录 第23届"


def test_chart_pdf_digits_and_latin_text_can_be_searched(browser):
    text = PdfReader(io.BytesIO(export.render(chart(), "pdf", "slide"))).pages[0].extract_text()
    for needed in ("Records 2024", "Nanshan", "南山区", "2000", "1500"):
        assert needed in text
    assert "\x00" not in text


@pytest.mark.parametrize(("preset", "dpi"), [("slide", 144), ("a4", 300)])
def test_png_declares_its_dpi(browser, preset, dpi):
    image = Image.open(io.BytesIO(export.render(chart(), "png", preset)))
    assert tuple(round(d) for d in image.info["dpi"]) == (dpi, dpi)
    image.load()  # the chunk we add keeps the file valid


def test_zip_csvs_have_readable_headers_context_and_no_formulas(browser):
    data = pd.DataFrame({"district_zh": ["南山区", "=CMD()"], "records": [82, 1]})
    item = export.BriefingItem(name="district_ranking", title="各区纪录数", subtitle="第23届", caption="",
                               source="来源甲", figure=chart(), data=data)
    meta = export.PackMeta(title="简报", subtitle="第23届", date="2025-05-01", lang="zh", demo=True,
                           data_version="build 42", summary="", permalink="")
    pack = zipfile.ZipFile(io.BytesIO(export.build_zip([item], meta)))
    rows = csv_rows(pack.read("01_district_ranking.csv"))
    assert rows[0] == ["数据性质", "演示数据：非官方名单"] and rows[1] == ["标题", "各区纪录数"]
    header = rows[rows.index([]) + 1]
    assert header == ["今属区（注）", "纪录数"]  # district_zh: today's district, as a note beside the listed one
    assert rows[-1] == ["'=CMD()", "1"]
