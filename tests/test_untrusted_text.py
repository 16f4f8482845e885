"""Imported text is untrusted everywhere it lands.

Two lists go through the real importer into a private copy of the database (sessions 24 and 25, the same
companies in both, so they lead the repeat innovators of 24-25 in Nanshan):

- a Chinese-only list, as official lists are: no English name columns at all (session 24), or the columns
  with empty and blank cells (session 25). Every page opens in English, every chart exports in English
  (CSV), and one PNG and one English district pack are built; where a company or project has no English name
  the Chinese one is shown.
- a hostile list: names carrying Markdown links and images, raw HTML, spreadsheet formulas, `$$maths$$`,
  Streamlit's `:red[...]`, bare addresses and zero-width characters. Every page opens in both languages, and
  no Markdown element holds a live link or image or unescaped markup around the hostile names; the charts
  print the names (HTML escaped); every chart exports to CSV in both languages with the formulas neutralised,
  and the district pack is built in every format without a link to the outside.

The import-time normalisation and refusals (bidi and control characters, with file, row and column) are in
tests/test_import_text.py.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import zipfile
from pathlib import Path

import duckdb
import pytest

from core import catalog, cli, importer
from tests.test_importer import write_csv
from tests.test_pages import PAGES, charts, entry_mode, open_page  # noqa: F401 (entry_mode is a fixture)

LEAD_ZH, LEAD_CODE = "深圳市喆堃科技有限公司", "91440300MA5DC6QX9C"
OTHER_ZH = "深圳市光明生物医药有限公司"
RANGE = {"session": "25", "from": "24", "to": "25"}


def _rows(session: int, lead: tuple[str, str], other: tuple[str, str], projects: list[tuple[str, str]],
          industry: str = "C39") -> list:
    """Three Nanshan records: two of the lead company (credit code), one of another (no code); `industry` is
    the first record's industry cell as the list spells it."""
    (lead_zh, lead_en), (other_zh, other_en) = lead, other
    return [
        [1, lead_zh, lead_en, LEAD_CODE, projects[0][0] + str(session), projects[0][1], "深圳市南山区", industry,
         "产品研发", "国家级"],
        [2, lead_zh, lead_en, LEAD_CODE, projects[1][0] + str(session), projects[1][1], "南山区", "C39",
         "产品研发", ""],
        [3, other_zh, other_en, "", projects[2][0] + str(session), projects[2][1], "南山区", "C27", "生产制造", "无"],
    ]


def _import(path: Path, tmp: Path, list_of) -> None:
    """Sessions 24 and 25 from `list_of(session)` -> (header, rows)."""
    for session in (24, 25):
        header, rows = list_of(session)
        report = importer.validate(write_csv(tmp / f"list-{session}.csv", header, rows), session, path)
        assert report.ok, [str(p) for p in report.problems]
        importer.apply(report)


def _with_en_columns(header: list[str], rows: list[list], keep: bool) -> tuple[list[str], list[list]]:
    """The list with its English name columns (C, F) or without them."""
    if keep:
        return header, rows
    drop = {2, 5}
    return [h for i, h in enumerate(header) if i not in drop], [[c for i, c in enumerate(r) if i not in drop]
                                                                 for r in rows]


FULL_HEADER = ["序号", "企业名称", "企业英文名称", "统一社会信用代码", "项目名称", "项目英文名称", "所属区", "行业",
               "类别", "获奖情况"]


@pytest.fixture(scope="module")
def chinese_only(built_db, tmp_path_factory) -> Path:
    """Session 24's list has no English name columns; session 25's has them, with empty and blank cells."""
    tmp = tmp_path_factory.mktemp("zh_only")
    path = tmp / "records.duckdb"
    shutil.copyfile(built_db, path)
    blank = ("", "  ")  # an empty cell and one of spaces

    def list_of(session):
        rows = _rows(session, (LEAD_ZH, blank[0]), (OTHER_ZH, blank[1]),
                     [("超高清柔性显示模组", blank[1]), ("车规级激光雷达", blank[0]), ("新型疫苗生产工艺", "")])
        return _with_en_columns(FULL_HEADER, rows, keep=session == 25)

    _import(path, tmp, list_of)
    mp = pytest.MonkeyPatch()
    mp.setenv("RECORDS_DB", str(path))
    yield path
    mp.undo()


def _page_query(page: str, lang: str, extra: dict | None = None) -> dict:
    query = {**RANGE, **(extra or {})}
    if lang == "en":
        query["lang"] = "en"
    if page in ("district", "compare"):
        query["code"] = "440305"
    return query


def _search(at, page: str, text: str):
    """The companies and records pages list the firm searched for (the profile picker shows its name)."""
    key = {"companies": "companies_q", "records": "records_q"}.get(page)
    return at.text_input(key=key).input(text).run() if key else at


@pytest.mark.parametrize("page", PAGES)
def test_every_page_opens_in_english_after_a_chinese_only_list(entry_mode, chinese_only, page):  # noqa: F811
    at = _search(open_page(page, _page_query(page, "en")), page, "喆堃")
    assert not at.exception, [e.message for e in at.exception]
    if page == "companies":
        assert LEAD_ZH in at.selectbox(key="companies_pick").options  # the Chinese name stands in
        assert LEAD_ZH in str(charts(at)["repeat_innovators"]["data"][0]["y"])
    if page == "district":
        assert LEAD_ZH in "\n".join(m.value for m in at.markdown)  # the repeat innovators' sentence
    if page == "records":  # the English company and project columns hold the Chinese names
        rows = [list(r) for r in at.dataframe[0].value.itertuples(index=False) if LEAD_ZH in list(r)]
        assert len(rows) == 4 and all(r.count(LEAD_ZH) == 2 for r in rows), rows
        assert all(any(r.count(v) == 2 for v in r if isinstance(v, str) and v.startswith(("超高清", "车规级")))
                   for r in rows), rows


def context_args(name: str) -> list[str]:
    """What a profile chart (a district) or a comparison chart (the other session) needs besides the filters:
    the district whose list was imported, and the session before."""
    context = catalog.CHARTS[name].context
    return {"district": ["--district", "440305"], "compare": ["--vs", "24"]}.get(context, [])


def test_every_chart_exports_in_english_after_a_chinese_only_list(chinese_only, tmp_path):
    for name in catalog.CHARTS:
        out = tmp_path / f"{name}.csv"
        assert cli.main(["export", name, "--format", "csv", "--lang", "en", "--out", str(out), *context_args(name),
                         "--session", "25", "--from", "24", "--to", "25", "--db", str(chinese_only)]) == 0, name
    text = (tmp_path / "repeat_innovators.csv").read_text("utf-8-sig")
    lead = next(row for row in csv.reader(io.StringIO(text)) if LEAD_ZH in row)
    assert lead.count(LEAD_ZH) == 2, lead  # Chinese name and, standing in, English name
    assert not {"", "nan", "None"} & set(lead[:3]), lead


def test_an_english_png_and_district_pack_after_a_chinese_only_list(chinese_only, tmp_path, export_browser):
    common = ["--session", "25", "--from", "24", "--to", "25", "--lang", "en", "--db", str(chinese_only)]
    assert cli.main(["export", "repeat_innovators", "--format", "png", "--out", str(tmp_path / "r.png"),
                     *common]) == 0
    assert cli.main(["pack", "--district", "440305", "--out", str(tmp_path / "nanshan.zip"), *common]) == 0
    with zipfile.ZipFile(tmp_path / "nanshan.zip") as z:
        data = "".join(z.read(n).decode("utf-8-sig") for n in z.namelist() if n.endswith(".csv"))
    assert LEAD_ZH in data


# --- a hostile list -----------------------------------------------------------------------------------------

EVIL_ZH = ("[点我](http://evil.example/x) ![图](http://evil.example/i.png) <img src=x onerror=alert(1)> "
           "$$x^2$$ :red[红字] **粗** 深圳市恶意科技有限公司")
EVIL_EN = ("[click](https://evil.example/en) ![i](https://evil.example/en.png) <a href='http://evil.example'>a</a> "
           "<script>alert(1)</script> www.evil.example admin@evil.example :material/home: Evil Co.")
FORMULA = '=HYPERLINK("http://evil.example","点")'
ZERO_WIDTH_OTHER = "深圳市光明\u200b生物医药\u200d有限公司"  # the same company as OTHER_ZH once normalised
# an industry cell the importer understands (C39) and stores as the list spelled it: the industries page draws
# it, shortened to 34 characters, so the markup has to be short
HOSTILE_INDUSTRY = "C39<a href='//evil'>点</a>"
HOSTILE_PROJECTS = [("=1+2+evil", "+SUM(1)evil"), ("@SUM(1)evil", "-2+3 [x](http://evil.example/p)"),
                    ("<b>evil</b> ![p](http://evil.example/p.png)", "")]

# Markdown that would render as a link, an image, HTML, maths, colour or an emoji, or a bare address that
# Streamlit turns into a link. The app's own links to district profiles (`](district?`) are allowed.
LIVE = re.compile(r"(?<!\\)\]\((?!district\?)|(?<!\\)!\[|(?<!\\)<[a-zA-Z/]|https?://|www\.|(?<!\\)\$|"
                  r"(?<!\\):[a-z]+\[|(?<!\\)\*\*|evil\.example|@evil")
MARKDOWN_KINDS = ("markdown", "caption", "info", "warning", "error", "success", "title", "header", "subheader")


def import_hostile_lists(built_db: Path, tmp: Path) -> Path:
    """A copy of the built database with the hostile lists of sessions 24 and 25 imported."""
    path = tmp / "records.duckdb"
    shutil.copyfile(built_db, path)
    _import(path, tmp, lambda s: (FULL_HEADER, _rows(s, (EVIL_ZH, EVIL_EN),
                                                      (OTHER_ZH if s == 24 else ZERO_WIDTH_OTHER, FORMULA),
                                                      HOSTILE_PROJECTS, HOSTILE_INDUSTRY)))
    return path


@pytest.fixture(scope="module")
def hostile(built_db, tmp_path_factory) -> Path:
    path = import_hostile_lists(built_db, tmp_path_factory.mktemp("hostile"))
    mp = pytest.MonkeyPatch()
    mp.setenv("RECORDS_DB", str(path))
    yield path
    mp.undo()


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_a_look_alike_name_with_zero_width_characters_is_the_same_company(hostile):
    with duckdb.connect(str(hostile), read_only=True) as con:
        rows = con.execute("SELECT name_zh FROM companies WHERE source <> 'demo' ORDER BY 1").fetchall()
    names = [n for (n,) in rows]
    assert names == sorted([EVIL_ZH, OTHER_ZH])


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_every_page_shows_hostile_names_as_text(entry_mode, hostile, page, lang):  # noqa: F811
    at = _search(open_page(page, _page_query(page, lang)), page, "evil")
    assert not at.exception, [e.message for e in at.exception]
    shown = [e.value for kind in MARKDOWN_KINDS for e in at.get(kind)]
    for value in shown:
        if "evil" in value.lower() or "恶意" in value:
            assert not LIVE.search(value), (LIVE.search(value), value)
    if page == "district":  # the profile's sentence on repeat innovators names the hostile company
        assert any("恶意" in v for v in shown)
    for name, fig in charts(at).items():
        for text in _strings(fig):
            assert not re.search(r"<(a|img|script)\b", text, re.IGNORECASE), (name, text)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_exports_hostile_names_inert(hostile, tmp_path, lang):
    for name in catalog.CHARTS:
        out = tmp_path / f"{name}.csv"
        assert cli.main(["export", name, "--format", "csv", "--lang", lang, "--out", str(out), *RANGE_ARGS,
                         *context_args(name), "--db", str(hostile)]) == 0, name
        for row in csv.reader(io.StringIO(out.read_text("utf-8-sig"))):
            for cell in row:
                assert not ("evil" in cell and cell[:1] in "=+-@"), (name, cell)
    text = (tmp_path / "repeat_innovators.csv").read_text("utf-8-sig")
    assert EVIL_ZH.split(" ")[-1] in text and "\u200b" not in text


RANGE_ARGS = ["--session", "25", "--from", "24", "--to", "25"]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_xlsx_and_an_svg_hold_hostile_names_as_text(hostile, tmp_path, export_browser, lang):
    import openpyxl

    for chart, fmt in (("repeat_innovators", "xlsx"), ("industries_as_published", "svg")):
        assert cli.main(["export", chart, "--format", fmt, "--lang", lang, "--out",
                         str(tmp_path / f"r.{fmt}"), *RANGE_ARGS, "--db", str(hostile)]) == 0
    book = openpyxl.load_workbook(tmp_path / "r.xlsx")
    cells = [c for sheet in book for row in sheet.iter_rows() for c in row]
    assert any("evil" in str(c.value) for c in cells)
    assert not [c.coordinate for c in cells if c.data_type == "f" or c.hyperlink], "a formula or a link"
    svg = (tmp_path / "r.svg").read_text("utf-8")
    assert "evil" in svg  # the list's industry name is drawn ...
    assert not re.search(r"<(a|img|script)\b", svg)  # ... and nothing in it became an element


@pytest.mark.parametrize(("fmt", "lang"), [("pptx", "en"), ("docx", "zh"), ("pdf", "en"), ("zip", "zh")])
def test_the_district_pack_carries_hostile_names_without_links(hostile, tmp_path, export_browser, fmt, lang):
    out = tmp_path / f"nanshan.{fmt}"
    assert cli.main(["pack", "--district", "440305", "--lang", lang, "--out", str(out), *RANGE_ARGS,
                     "--db", str(hostile)]) == 0
    if fmt == "pdf":  # a link in a PDF is a URI action
        assert not re.search(rb"/URI\s*\(https?://evil", out.read_bytes())
        return
    with zipfile.ZipFile(out) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    for part, data in parts.items():
        if part.endswith(".rels"):  # Office documents keep every hyperlink's address in a relationship
            assert b"evil" not in data, part
        if part.endswith((".svg", ".xml", ".html")):  # text, never an element
            assert not re.search(rb"<(a|img|script)\b[^>]*evil", data), part
    if fmt in ("docx", "zip"):  # the memo's paragraph and the data files name the company, as text
        assert any(b"evil" in d for d in parts.values())


def test_chart_labels_take_a_blank_english_name_as_missing():
    import pandas as pd

    from core.charts.template import names, short

    df = pd.DataFrame({"name_zh": ["甲", "乙", "丙", "丁"], "name_en": ["A Co.", None, float("nan"), "  "]})
    assert names(df, "en").tolist() == ["A Co.", "乙", "丙", "丁"]
    assert names(df, "zh").tolist() == ["甲", "乙", "丙", "丁"]
    assert short(None, 5) == ""


def test_chart_text_drops_control_characters_a_database_imported_before_the_check_may_hold():
    from core.charts.template import esc

    assert esc("甲\x00乙\x1f丙\x7f丁\x85<b>") == "甲乙丙丁&lt;b&gt;"


def test_a_search_that_finds_nothing_repeats_the_text_as_typed(entry_mode, hostile):  # noqa: F811
    typed = "![i](http://evil.example/none.png) [x](http://evil.example/none)"
    at = _search(open_page("companies", _page_query("companies", "en")), "companies", typed)
    notes = [e.value for e in at.info if "evil" in e.value]
    assert notes and not any(LIVE.search(v) for v in notes), notes
