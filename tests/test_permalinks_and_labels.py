"""Filters kept across a language switch, permalinks and the public address, the selection named in headings and
the summary, tables read as words (headers, "not applicable"), the uploader in Chinese, captions and pack titles."""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from types import SimpleNamespace

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import catalog, config
from core.filters import Filters
from core.i18n import t
from tests.test_pages import entry_mode, open_page  # noqa: F401 - fixture re-used

DEEP = {"session": "22", "district": "440305", "industry": "C39"}
SIDEBAR = ("f_session", "f_districts", "f_industries", "f_from", "f_to")


def _sidebar_state(at: AppTest):
    s = at.session_state
    return s["f_session"], list(s["f_districts"]), list(s["f_industries"])


def _wire_labels(at: AppTest) -> dict:
    """What the browser holds for each sidebar select: the option labels it last showed."""
    out = {}
    for node in at.get("selectbox") + at.get("multiselect"):
        if node.key in SIDEBAR:
            out[node.id] = node._widget_state
    return out


def _run_as_browser(at: AppTest, held: dict) -> AppTest:
    """Rerun as the browser would: a select keeps the label it holds unless the server sent a new value
    (proto.set_value), so labels of the previous language come back unless the app re-seeds them."""
    states = at._tree.get_widget_states()
    fresh = {n.id for n in at.get("selectbox") + at.get("multiselect") if n.proto.set_value}
    for i, w in enumerate(states.widgets):
        if w.id in held and w.id not in fresh:
            states.widgets[i].CopyFrom(held[w.id])
    return at._run(states)


def test_language_switch_keeps_filters(entry_mode):  # noqa: F811
    at = open_page("districts", DEEP)
    assert _sidebar_state(at) == (22, ["440305"], ["C39"])
    held = _wire_labels(at)
    assert any("届" in w.string_value for w in held.values())  # the Chinese label is what the browser holds
    at.radio(key="f_lang").set_value("en").run()
    _run_as_browser(at, held)  # the next click anywhere (show-data toggle, another page)
    assert _sidebar_state(at) == (22, ["440305"], ["C39"])
    assert at.query_params["session"] in (["22"], "22")
    assert at.session_state["f_lang"] == "en"


# --- item 3: permalinks use the address the browser used ---------------------------------------------------------

@pytest.fixture
def served(monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    yield config.serve_at
    config.serve_at(None)


@pytest.mark.parametrize(("browser_url", "link"), [
    ("http://10.2.3.4:9000", "http://10.2.3.4:9000/overview?session=23&from=1&to=23"),
    ("https://dash.sz.gov.cn/records/", "https://dash.sz.gov.cn/records/overview?session=23&from=1&to=23"),
    (None, "http://localhost:8501/overview?session=23&from=1&to=23"),
    # hostile or odd addresses from the browser fall back to the default, never into a footer or slide
    ("javascript:alert(1)", "http://localhost:8501/overview?session=23&from=1&to=23"),
    ("http://evil.example<b>x</b>", "http://localhost:8501/overview?session=23&from=1&to=23"),
    ("http://user:pw@host.example", "http://localhost:8501/overview?session=23&from=1&to=23"),
    ("http://host.example/a b", "http://localhost:8501/overview?session=23&from=1&to=23"),
])
def test_permalink_uses_the_address_the_browser_used(served, browser_url, link):
    served(browser_url)
    assert catalog.permalink("overview", Filters(23, 1, 23)) == link


def test_public_url_overrides_the_browser_address(served, monkeypatch):
    served("http://10.2.3.4:9000")
    monkeypatch.setenv("PUBLIC_URL", "https://dash.example.gov.cn/")
    assert catalog.permalink("overview", Filters(23, 1, 23)) == "https://dash.example.gov.cn/overview?session=23&from=1&to=23"


def test_app_takes_the_root_from_the_page_url(monkeypatch):
    """The browser reports the page's own URL; the page path is cut to get the app's root."""
    from ui import state

    monkeypatch.delenv("PUBLIC_URL", raising=False)
    for page_url, path, root in [("http://h.example:8600/districts", "districts", "http://h.example:8600"),
                                 ("http://h.example:8600/", "", "http://h.example:8600"),
                                 ("https://gw.example/dash/overview", "overview", "https://gw.example/dash")]:
        monkeypatch.setattr(state.st, "context", SimpleNamespace(url=page_url))
        try:
            state.remember_address(path)
            assert config.public_url() == root
        finally:
            config.serve_at(None)


# --- item 4: the invalid-link notice goes away once the filters are valid -----------------------------------------

def _link_notices(at: AppTest, lang: str = "zh") -> list[str]:
    return [w.value for w in at.warning if t("notice.heading", lang) in w.value]


def test_bad_link_notice_goes_once_filters_are_chosen(entry_mode):  # noqa: F811
    at = open_page("overview", {"session": "99"})
    assert len(_link_notices(at)) == 1 and "99" in _link_notices(at)[0]
    at.run()  # a rerun with nothing changed (a click on a toggle) keeps it: the link still has to be explained
    assert len(_link_notices(at)) == 1
    at.selectbox(key="f_session").set_value(22).run()
    assert _link_notices(at) == []
    at.selectbox(key="f_session").set_value(23).run()  # back to the defaults the notice was shown with
    assert _link_notices(at) == []


# --- item 6: the summary and the KPI heading name the selection and its share of the city --------------------------

@pytest.mark.parametrize(("filters", "expected", "absent"), [
    (Filters(23, 1, 23, ("440305",)),
     ["南山区共有{ns_companies}家企业的{ns}项纪录", "占全市216项的{ns_share}%",
      "南山区在全市{districts}个有纪录的区中居第1位", "南山区：前22届累计"],
     ["共评审通过{ns_companies}家企业"]),
    (Filters(23, 1, 23, ("440305",), lang="en"),
     ["Nanshan had {ns} records from {ns_companies} companies", "{ns_share}% of the city's 216",
      "Nanshan ranks No. 1 of the {districts}"],
     ["approved {ns} records"]),
    (Filters(23, 1, 23, (), ("C39",)), ["占全市216项的{c39_share}%"], ["居第"]),
    (Filters(23, 1, 23, ("440305", "440306"), ("C39",)), ["占全市同一行业{c39}项的{two_share}%"], ["居第"]),
    (Filters(23, 1, 23), ["第23届（2024年）深圳企业创新纪录共评审通过159家企业的216项纪录"], ["占全市", "居第"]),
])
def test_summary_names_the_selection_and_its_share(built_db, filters, expected, absent):
    from core import summary

    counts = session_23_counts(built_db)
    text = summary.paragraph(summary.facts(filters), filters)
    for phrase in expected:
        assert phrase.format(**counts) in text
    for phrase in absent:
        assert phrase.format(**counts) not in text


def session_23_counts(path) -> dict:
    """Session 23's demo counts by plain SQL (the demo's district and industry split is generated)."""
    import duckdb

    with duckdb.connect(str(path), read_only=True) as con:
        ns, ns_companies, districts, c39, two = con.execute(
            "SELECT count(*) FILTER (WHERE district_code = '440305'), "
            "count(DISTINCT company_id) FILTER (WHERE district_code = '440305'), count(DISTINCT district_code), "
            "count(*) FILTER (WHERE left(industry_code, 3) = 'C39'), count(*) FILTER (WHERE left(industry_code, 3) "
            "= 'C39' AND district_code IN ('440305', '440306')) FROM records WHERE session_no = 23").fetchone()
    return {"ns": ns, "ns_companies": ns_companies, "districts": districts, "c39": c39,
            "ns_share": f"{100 * ns / 216:.1f}", "c39_share": f"{100 * c39 / 216:.1f}",
            "two_share": f"{100 * two / c39:.1f}"}


def test_kpi_heading_names_the_selection(entry_mode):  # noqa: F811
    at = open_page("overview", {"session": "23", "district": "440305"})
    headings = [h.value for h in at.header]
    assert "第23届（2024年）核心指标 · 南山区" in headings
    markdown = " ".join(m.value for m in at.markdown)
    assert f"占全市216项的{session_23_counts(entry_mode)['ns_share']}%" in markdown


# --- item 7: no raw codes or None in tables and downloads ----------------------------------------------------------

RAW = {"modern_service", "product_rd", "manufacturing", "little_giant", "single_champion", "provincial_srdi",
       "municipal_srdi", "demo", "None", "nan", "NaN", "True", "False", "<NA>"}


def _cells(frame) -> set[str]:
    """Every cell that is not a number (pandas counts True/False as numbers: they are checked too)."""
    return {str(v) for column in frame.columns
            if pd.api.types.is_bool_dtype(frame[column]) or not pd.api.types.is_numeric_dtype(frame[column])
            for v in frame[column]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_record_and_profile_tables_read_as_words(built_db, lang):
    from core import db
    from core.readable import with_labels

    filters = Filters(23, 1, 23)
    records = db.run("record_list", **filters.params(), q="", awarded_only=False, limit=400)
    shown = with_labels(records, lang)
    assert not (_cells(shown) & RAW)
    expected = {"zh": {"现代服务类", "无", "演示数据"}, "en": {"Modern services", "none", "demo data"}}[lang]
    assert expected <= _cells(shown)
    company = records["company_id"].iloc[0]
    history = db.run("company_profile_history", company_id=company)
    assert not (_cells(with_labels(history, lang)) & RAW)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_chart_table_has_translated_headers(built_db, lang):
    """What goes into the per-chart CSV/XLSX and the basket ZIP: headers are words, not query column names."""
    from core.readable import with_labels

    filters = Filters(22, 1, 23, ("440305",), lang=lang)
    options = catalog.load_options()
    for spec in catalog.CHARTS.values():
        frame = with_labels(catalog.data(spec, catalog.context(spec, filters, options)), lang)
        snake = [c for c in frame.columns if re.fullmatch(r"[a-z0-9_]+", str(c))]
        assert not snake, (spec.name, snake)
        assert not (_cells(frame) & RAW), spec.name


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_published_figures_download_as_whole_numbers_and_words(built_db, lang):
    """Session 13's published 146 records, not 146.0 (a count column with gaps is float in pandas), and the
    published flag as yes/no, not True/False."""
    from ui.widgets import _csv

    frame = catalog.data(catalog.CHARTS["records_per_session"], Filters(23, 1, 23, lang=lang))
    rows = list(csv.reader(io.StringIO(_csv(frame, lang).decode("utf-8-sig"))))
    session_13 = next(row for row in rows if row[0] == "13")
    assert session_13[4] == "146", session_13
    assert session_13[-1] == {"zh": "是", "en": "yes"}[lang]
    assert not any(cell.endswith(".0") for row in rows for cell in row)


# --- item 8: values that do not exist read "not applicable", never 0 -------------------------------------------

def test_heatmap_cells_before_a_district_existed_are_not_zero(built_db):
    filters = Filters(23, 1, 23)
    fig, _, _ = catalog.build("district_heatmap", filters, catalog.load_options())
    heat = fig.data[0]
    cells = {(y, x): (z, text) for y, zs, texts in zip(heat.y, heat.z, heat.text)
             for x, z, text in zip(heat.x, zs, texts)}
    # Guangming became a district in 2018; the 2002 list (session 1) registered its firms under Bao'an
    z, text = cells[("光明区", 1)]
    assert z != z and text == "不适用（当时尚未设立该区）"
    z, text = cells[("南山区", 1)]  # Nanshan existed: a number, even where it is small
    assert z == z and text.endswith(" 项")
    assert "%{text}" in heat.hovertemplate


def test_srdi_share_before_the_titles_existed_is_not_applicable(entry_mode):  # noqa: F811
    at = open_page("overview", {"session": "10"})
    metrics = {m.label: m.value for m in at.metric}
    assert metrics[t("overview.kpi.qualified", "zh")] == "不适用"
    at = open_page("overview", {"session": "16"})
    assert {m.label: m.value for m in at.metric}[t("overview.kpi.qualified", "zh")].endswith("%")


# --- item 16: the CLI writes a chart's data as CSV and XLSX, for district names too ---------------------------------

@pytest.mark.parametrize(("district", "fmt"), [("南山", "csv"), ("Nanshan", "xlsx"), ("南山区", "csv")])
def test_cli_exports_chart_data_as_csv_and_xlsx(built_db, tmp_path, district, fmt):
    from tests.test_cli_errors import cli

    out = tmp_path / f"ranking.{fmt}"
    result = cli("export", "district_ranking", "--session", "23", "--district", district, "--format", fmt,
                 "--out", str(out), db=built_db)
    assert result.returncode == 0, result.stderr
    if fmt == "csv":
        rows = out.read_text(encoding="utf-8-sig").splitlines()
        assert rows[0] == "数据性质,演示数据：非官方名单" and rows[1] == "标题,各区纪录数排名"
        table = rows[rows.index("") + 1:]
        nanshan = session_23_counts(built_db)["ns"]
        assert table[1].startswith(f"23,440305,南山区,Nanshan,{nanshan},") and table[1].endswith(",是")
    else:
        frame = pd.read_excel(out, sheet_name=None, skiprows=1)  # row 1: the demo marker
        data = next(iter(frame.values()))
        assert data.iloc[0]["名称"] == "南山区" and int(data.iloc[0]["纪录数"]) == session_23_counts(built_db)["ns"]


def test_cli_export_refuses_a_missing_folder_in_one_line(built_db, tmp_path):
    from tests.test_cli_errors import cli

    result = cli("export", "district_ranking", "--session", "23", "--format", "csv",
                 "--out", str(tmp_path / "nope" / "x.csv"), db=built_db)
    assert result.returncode != 0 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [f"error: the folder {tmp_path / 'nope'} does not exist"]


def test_import_page_uploader_speaks_chinese(entry_mode):  # noqa: F811
    at = open_page("import")
    captions = [c.value for c in at.caption]
    assert "每个文件不超过 20 MB · CSV, XLSX" in captions  # server.maxUploadSize in .streamlit/config.toml
    styles = " ".join(h.proto.body for h in at.get("html"))
    assert 'content: "选择文件"' in styles and "stFileUploaderDropzoneInstructions" in styles


# --- item 12: briefing basket captions and the sessions the pack states ---------------------------------------------

def _basket_page(entries: list[dict]) -> AppTest:
    from tests.test_pages import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["basket"] = entries
    at.switch_page("pages/briefing.py")
    return at.run()


def test_caption_typed_then_moved_stays_with_its_chart(entry_mode):  # noqa: F811
    from core import briefing

    at = _basket_page([briefing.entry("district_ranking", Filters(22, 1, 23)),
                       briefing.entry("records_per_session", Filters(22, 1, 23))])
    first = at.text_area[0]
    first.input("南山区居首\n第二行")
    at.button(key="basket_down_0").click().run()  # typed and moved in one go, as in the browser
    basket = at.session_state["basket"]
    assert [e["name"] for e in basket] == ["records_per_session", "district_ranking"]
    assert [e["caption"] for e in basket] == ["", "南山区居首\n第二行"]
    assert [a.value for a in at.text_area] == ["", "南山区居首\n第二行"]
    assert at.text_area[0].proto.max_chars == briefing.CAPTION_MAX


def test_pack_title_and_file_name_state_the_sessions_of_the_charts(built_db):
    from core import briefing

    options = catalog.load_options()
    entries = [briefing.entry("district_ranking", Filters(22, 3, 20)),
               briefing.entry("records_per_session", Filters(22, 3, 20)),
               briefing.entry("district_ranking", Filters(22, 3, 20))]
    meta = briefing.meta_for(Filters(23, 1, 23), options, entries=entries)  # the sidebar moved on to 23
    # one span from the first session any chart shows to the last: "第22届、第3–20届" read as two scopes glued
    assert meta.title == "深圳企业创新纪录简报 · 第3–22届（2004–2023年）"
    assert "23届" not in meta.title  # the sidebar's session is not what the charts show
    # the file says what the title says; a list of each chart's sessions named 第23届 twice
    assert briefing.file_name(entries, options, "zh", "pptx") == "深圳企业创新纪录简报_第3–22届（2004–2023年）.pptx"
    assert briefing.file_name(entries[:1], options, "en", "pdf") == \
        "Shenzhen_innovation_records_briefing_Session_22.pdf"


def test_pack_subtitle_and_summary_follow_the_basket_not_the_sidebar(built_db):
    """A basket of city charts, a Nanshan chart and a comparison of 22 and 23, made while the sidebar moved to
    session 15 and Futian: the cover said "第15届 · 福田区" and summed up session 15."""
    from core import briefing

    options = catalog.load_options()
    entries = [briefing.entry("district_ranking", Filters(22, 3, 20)),
               briefing.entry("profile_rank", Filters(23, 1, 23, districts=("440305",))),
               briefing.entry("compare_categories", Filters(23, 1, 23, vs=22))]
    sidebar = Filters(15, 1, 23, districts=("440304",))
    meta = briefing.meta_for(sidebar, options, entries=entries)
    assert meta.subtitle == "3幅图表 · 全市、南山区"
    assert "第23届" in meta.summary and "第15届" not in meta.summary and "福田区" not in meta.subtitle
    en = briefing.meta_for(replace(sidebar, lang="en"), options, entries=entries[1:2])
    assert en.subtitle == "1 chart · Nanshan"


def test_emptying_the_basket_asks_first(entry_mode):  # noqa: F811
    """One click emptied a basket of charts and captions, with no way back: the button opens a question, and
    only its answer empties it (the words count the charts, in the singular for one)."""
    from core import briefing

    at = _basket_page([briefing.entry("district_ranking", Filters(22, 1, 23))])
    texts = [m.value for m in at.markdown]
    assert "将移出这张图表及其说明，无法撤销。" in texts
    assert len(at.session_state["basket"]) == 1  # drawn, not yet answered
    at.button(key="basket_clear_yes").click().run()
    assert at.session_state["basket"] == [] and not at.exception


def test_the_download_offers_only_a_file_of_the_chosen_format(entry_mode):  # noqa: F811
    """A PDF built, then PowerPoint chosen: the button still offered "下载 PDF" (the old file) until rebuilt."""
    from core import briefing
    from tests.test_pages import ROOT
    from ui import state

    basket = [briefing.entry("district_ranking", Filters(22, 1, 23)), briefing.entry("records_per_session",
                                                                                   Filters(22, 1, 23))]
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["basket"] = [dict(e) for e in basket]
    at.session_state["basket_file"] = (briefing.pack_key("pdf", "zh", basket, state.file_stamp()), "pdf", b"%PDF-1.4")
    at.switch_page("pages/briefing.py")
    at.run()
    assert at.radio(key="basket_format").value == "pptx" and at.get("download_button") == []
    at.radio(key="basket_format").set_value("pdf").run()
    assert [b.proto.label for b in at.get("download_button")] == ["下载 PDF"]
    # the same format, but not the same pack: a chart removed, or the page in another language
    at.button(key="basket_remove_1").click().run()
    assert at.get("download_button") == []
