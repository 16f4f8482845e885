"""Every page, run through the entry script with AppTest: defaults, a filtered URL, a bad URL; chart data checked.

How pages are run here (Streamlit 1.67): a `pages/` folder next to the main script makes Streamlit start in
"MPA v1" mode, and AppTest resets that flag before every run, so `switch_page("pages/x.py")` would run the
page on its own, without dashboard.py and its sidebar. The real server clears the flag for good the first
time `st.navigation` is called (streamlit/commands/navigation.py), so every browser run goes through
dashboard.py. The `entry_mode` fixture does what the server does (flag off after the PagesManager is
created), so `switch_page` before the first `run()` selects the st.Page with that url_path and the run goes
dashboard.py -> st.navigation -> page, like in the browser.
"""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import numpy as np
import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from core import catalog, config, db
from core.filters import Filters, describe
from core.i18n import column_labels, fmt_int, t
from tests.conftest import ADMIN, ADMIN_SESSION

ROOT = Path(__file__).resolve().parent.parent
PAGES = ["overview", "trends", "districts", "district", "compare", "industries", "companies", "records",
         "briefing", "import", "about"]
# pages built from the chart catalogue; the district profile and the comparison have tests of their own
# (tests/test_district_profile.py)
CATALOG_PAGES = [p for p in PAGES if p not in ("district", "compare")]
FILTERED = {"session": "23", "district": "440305", "lang": "en"}
BAD = [({"session": "99"}, "99"), ({"district": "XYZ"}, "XYZ"), ({"session": "abc", "lang": "en"}, "abc")]
TOP4 = {"zh": ["南山区", "宝安区", "龙华区", "光明区"], "en": ["Nanshan", "Bao'an", "Longhua", "Guangming"]}



@pytest.fixture
def entry_mode(entry_mode, admin_file):
    """conftest's entry_mode (pages through dashboard.py) with an administrator configured: the Import page
    exists."""
    return entry_mode


@pytest.fixture(scope="module")
def opts(built_db):
    return catalog.load_options()


def open_page(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query or {})
    if page == "import":  # writing needs a signed-in administrator (tests/test_admin.py checks the gate)
        at.session_state["admin_session"] = ADMIN_SESSION()
    at.switch_page(f"pages/{page}.py")
    return at.run()


def _array(value):
    """Plotly JSON arrays may be base64 typed arrays ({"dtype", "bdata", "shape"})."""
    if isinstance(value, dict) and "bdata" in value:
        arr = np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"])
        if "shape" in value:
            arr = arr.reshape([int(n) for n in str(value["shape"]).split(",")])
        return arr.tolist()
    return value


def charts(at: AppTest) -> dict[str, dict]:
    """Chart name (from the widget key chart_<name>) -> figure JSON with typed arrays decoded."""
    out = {}
    for element in at.get("plotly_chart"):
        spec = json.loads(element.proto.spec)
        for trace in spec["data"]:
            for k in ("x", "y", "z", "values", "labels", "ids", "locations", "customdata"):
                if k in trace:
                    trace[k] = _array(trace[k])
        out[element.proto.id.rsplit("chart_", 1)[1]] = spec
    return out


def expected_charts(page: str) -> set[str]:
    return {name for name, spec in catalog.CHARTS.items() if spec.page == page}


def check_page(at: AppTest, page: str, filters: Filters, opts) -> dict[str, dict]:
    assert not at.exception, [e.message for e in at.exception]
    lang = filters.lang
    assert [x.value for x in at.title][0] == t(f"pages.{page}.title", lang)
    assert at.selectbox(key="f_session").value == filters.session  # the shared sidebar ran
    assert dict(at.query_params) == filters.query()  # URL normalised to the filters in force
    figs = charts(at)
    assert set(figs) == expected_charts(page)
    for name, fig in figs.items():
        spec = catalog.CHARTS[name]
        assert t(f"charts.{name}.title", lang) in fig["layout"]["title"]["text"]
        assert fig["layout"]["title"]["subtitle"]["text"].startswith(describe(filters, opts, spec.scope)), name
        assert fig["data"], f"{name} has no traces"
    return figs


def ranking_names(figs) -> list[str]:
    return list(figs["district_ranking"]["data"][0]["y"])


def applicant_order(figs) -> list[str]:
    """District names by applicants (customdata = [companies, applicants]), most first."""
    bar = figs["district_ranking"]["data"][0]
    applicants = [row[1] for row in bar["customdata"]]
    return [name for _, name in sorted(zip(applicants, bar["y"]), key=lambda pair: -pair[0])]


def metric(at: AppTest, key: str, lang: str) -> str:
    """The first metric with that label (in English the session and cumulative "Records" share a label)."""
    label = t(key, lang)
    return next(m.value for m in at.metric if m.label == label)


def markdown_text(at: AppTest) -> str:
    """The text a reader sees: Markdown links (district names link to their profiles) read as their label."""
    text = "\n".join(m.value for m in at.markdown)
    return re.sub(r"\\(.)", r"\1", re.sub(r"\[((?:\\.|[^\]])*)\]\([^)]*\)", r"\1", text))


# --- per-page data checks: (page, lang, district filter?) -> assertions on what was rendered --------------

def data_checks(page: str, at: AppTest, figs: dict, filters: Filters) -> None:
    en = filters.lang == "en"
    nanshan_only = filters.districts == ("440305",)
    if page == "overview":
        lang = filters.lang
        if not nanshan_only:
            assert metric(at, "overview.kpi.records", lang) == "216"
            assert metric(at, "overview.kpi.companies", lang) == "159"
            assert metric(at, "overview.kpi.high_tech", lang) == "85.3%"
            assert metric(at, "overview.kpi.revenue", lang) == ("¥862m" if en else "8.62亿元")
            summary = markdown_text(at)
            parts = ("862 million yuan", "Nanshan has the most applicants, followed by Bao'an, Longhua, Guangming") \
                if en else ("8.62亿元", "南山区", "宝安区、龙华区、光明区")
            for part in ("216", "159", "85.3%", "75%", *parts):
                assert part in summary, part
        else:
            assert 0 < int(metric(at, "overview.kpi.records", lang)) < 216
        assert "qualification_mix" in figs
    elif page == "districts":
        names = ranking_names(figs)
        if nanshan_only:  # focus, not filter: every district stays, Nanshan's rank written on the chart
            assert len(names) == 11 and names[0] == "Nanshan"
            assert "<b>Nanshan 1st of 11</b>" in figs["district_ranking"]["layout"]["yaxis"]["ticktext"]
        else:
            records = figs["district_ranking"]["data"][0]["x"]
            assert names[0] == TOP4[filters.lang][0]
            assert records == sorted(records, reverse=True) and sum(records) == 216  # ranked by records
            assert applicant_order(figs)[:4] == TOP4[filters.lang]  # the press release on session 23: most applicants
    elif page == "trends":
        bars = figs["records_per_session"]["data"][0]
        per_session = dict(zip(bars["x"], bars["y"]))
        if not nanshan_only:
            assert per_session[1] == 104 and per_session[11] == 136 and per_session[23] == 216
            assert sum(per_session.values()) == 3684
        else:
            assert 0 < per_session[23] < 216
    elif page == "industries":
        assert figs["industry_breakdown"]["data"][0]["type"] == "treemap"
    elif page == "companies":
        assert len(figs["repeat_innovators"]["data"][0]["y"]) > 0
    elif page == "records":
        table = at.dataframe[0].value
        # counted on the table, not with the record_count query the page uses
        total = int(db.scalar("SELECT count(*) FROM records WHERE len($d::VARCHAR[]) = 0 OR "
                              "list_contains($d::VARCHAR[], district_code)", {"d": list(filters.districts)}))
        assert t("records.count", filters.lang, n=f"{total:,}" if en else str(total),
                 first=1, last=23) in markdown_text(at)
        assert len(table) == min(total, 2000)  # the browser gets the first 2,000; downloads get all
        if not nanshan_only:
            assert total == 3684
        else:
            assert 0 < total < 3684
    elif page == "briefing":
        # the demo banner first, then the empty basket's hint
        assert [i.value for i in at.info] == [t("demo.banner", filters.lang), t("basket.empty", filters.lang)]
    elif page == "about":
        label = t("about.reconciliation_metric", filters.lang)
        value = next(m.value for m in at.metric if m.label == label)
        matched, total = (int(v) for v in value.split(" / "))
        assert total > 0 and matched == total, value  # every published figure reproduced


@pytest.mark.parametrize("page", CATALOG_PAGES)
def test_page_defaults(entry_mode, opts, page):
    at = open_page(page)
    filters = Filters(session=23, session_from=1, session_to=23)
    figs = check_page(at, page, filters, opts)
    assert not [w for w in at.warning if t("notice.heading", "zh") in w.value]
    data_checks(page, at, figs, filters)


@pytest.mark.parametrize("page", CATALOG_PAGES)
def test_page_filtered_url(entry_mode, opts, page):
    at = open_page(page, FILTERED)
    filters = Filters(session=23, session_from=1, session_to=23, districts=("440305",), lang="en")
    figs = check_page(at, page, filters, opts)
    for name, fig in figs.items():
        assert "Nanshan" in fig["layout"]["title"]["subtitle"]["text"], name
    data_checks(page, at, figs, filters)


@pytest.mark.parametrize("page", CATALOG_PAGES)
@pytest.mark.parametrize(("query", "bad"), BAD, ids=["session99", "districtXYZ", "sessionABC"])
def test_page_bad_url(entry_mode, opts, page, query, bad):
    at = open_page(page, query)
    lang = query.get("lang", "zh")
    filters = Filters(session=23, session_from=1, session_to=23, lang=lang)
    figs = check_page(at, page, filters, opts)
    notices = [w.value for w in at.warning if t("notice.heading", lang) in w.value]
    assert len(notices) == 1 and bad in notices[0], [w.value for w in at.warning]
    data_checks(page, at, figs, filters)


@pytest.mark.parametrize(("lang", "order"), [("zh", "南山区 > 宝安区 > 龙华区 > 光明区"),
                                           ("en", "Nanshan > Bao'an > Longhua > Guangming")])
def test_about_names_the_districts_with_most_applicants(entry_mode, lang, order):
    """The press release's order of districts by applicants, as published and from the records, in names."""
    at = open_page("about", {"lang": lang})
    assert not at.exception
    cells = [str(v) for v in at.dataframe[0].value.to_numpy().ravel()]  # the reconciliation table
    assert cells.count(order) == 2
    assert [c for c in cells if re.search(r"\d{6}>", c)] == []


def test_about_tables_read_as_words_on_the_chinese_page(entry_mode):
    """No None, no stored codes and no English units in the About page's tables (found on the page in zh)."""
    at = open_page("about", {"lang": "zh"})
    assert not at.exception
    cells = [str(v) for table in at.dataframe for v in table.value.to_numpy().ravel()]
    assert not [c for c in cells if c in ("None", "nan", "NaN", "<NA>", "NaT")]
    assert not [c for c in cells if re.fullmatch(r"[a-z]+(_[a-z]+)+", c)]  # check names, codes
    assert not {"records", "organisations", "companies", "million CNY", "percentage points"} & set(cells)
    labels = column_labels(["records", "unit", "session_no"], "zh")
    prizes = next(tb.value for tb in at.dataframe if "奖项" in tb.value.columns)
    organisation = prizes[prizes["奖项"] == "优秀组织奖（颁给行业协会）"]
    assert list(organisation[labels["session_no"]]) == [2]  # 3 organisations, session 2's release
    assert list(organisation[labels["records"]]) == ["纪录名单中无此项"]
    assert list(organisation[labels["unit"]]) == ["家单位"]
    checks = next(tb.value for tb in at.dataframe if "检查项" in tb.value.columns)
    listed = db.scalar("SELECT count(*) FROM plausibility_checks")
    assert len(checks) == listed and "演示企业的信用代码通过了校验位检查（可能被当作真实企业）" in set(checks["检查项"])
    assert set(checks["规则"]) == {"6 · 无可冒充真实企业的数据", "7 · 项目名称与行业和年份相符",
                                 "8 · 企业所在区与当届一致", "9 · 集中度合理，不同企业英文名称不同"}
    assert set(checks["示例"]) == {"—（无发现）"}  # the demo data gives no finding


def test_overview_summary_in_english(entry_mode):
    at = open_page("overview", {"session": "23", "lang": "en"})
    assert not at.exception
    summary = markdown_text(at)
    for part in ("216", "159", "85.3%", "862 million yuan", "75%", "Nanshan"):
        assert part in summary, part
    assert metric(at, "overview.kpi.revenue", "en") == "¥862m"


def test_session_22_from_url(entry_mode, opts):
    at = open_page("districts", {"session": "22"})
    figs = check_page(at, "districts", Filters(22, 1, 23), opts)
    assert sum(figs["district_ranking"]["data"][0]["x"]) == 212


def nav_titles(at: AppTest) -> list[str]:
    # AppTest keeps the st.navigation registry of the last run (no public accessor in 1.67).
    # the root ("", url_pathname empty) is a hidden second entry for the overview, served at "/" (dashboard.py)
    return [info["page_name"] for info in at._registered_pages.values() if info["url_pathname"]]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_navigation_labels_follow_language(entry_mode, lang):
    at = open_page("overview", {"lang": lang} if lang == "en" else {})
    assert not at.exception
    assert nav_titles(at) == [t(f"nav.{page}", lang) for page in PAGES]
    assert at.radio(key="f_lang").value == lang


def test_sidebar_session_change_reruns(entry_mode):
    at = open_page("overview", {"session": "23"})
    assert metric(at, "overview.kpi.records", "zh") == "216"
    at.selectbox(key="f_session").set_value(22).run()
    assert not at.exception, [e.message for e in at.exception]
    assert metric(at, "overview.kpi.records", "zh") == "212"
    assert at.query_params["session"] == "22"


def test_sidebar_district_then_switch_page_keeps_filters(entry_mode):
    at = open_page("overview", {"session": "22"})
    at.multiselect(key="f_districts").set_value(["440305"]).run()
    assert not at.exception, [e.message for e in at.exception]
    at.switch_page("pages/districts.py").run()
    assert not at.exception
    figs = charts(at)
    assert len(ranking_names(figs)) == 11
    assert "<b>南山区 第1/11</b>" in figs["district_ranking"]["layout"]["yaxis"]["ticktext"]
    assert dict(at.query_params) == {"session": "22", "from": "1", "to": "23", "district": "440305"}


# --- the import page ---------------------------------------------------------------------------------------

def _credit_code(body: str) -> str:
    from stdnum.cn import uscc

    return body + uscc.calc_check_digit(body)


def _list_csv(district_of_second_row: str) -> bytes:
    rows = ["企业名称,统一社会信用代码,项目名称,所属区,行业,类别,获奖情况",
            f"深圳市测试科技有限公司,{_credit_code('91440305MA5TXT001')},全球首款测试芯片,南山区,C39,产品研发,",
            f"深圳市样例智能有限公司,{_credit_code('91440306MA5TXT002')},国内首台样例机器人,{district_of_second_row},"
            "C34,生产制造,市级"]
    return ("\n".join(rows) + "\n").encode("utf-8-sig")


def _upload_and_check(at: AppTest, name: str, data: bytes, session: int, lang: str = "zh") -> AppTest:
    at.number_input(key="import_session").set_value(session)
    at.get("file_uploader")[0].set_value((name, data, "text/csv"))
    at.run()
    at.button[[b.label for b in at.button].index(t("import.check", lang))].click()
    return at.run()


def test_import_page_names_file_row_and_column_and_changes_nothing(entry_mode, db_copy):
    before = config.records_db().stat().st_mtime_ns
    at = _upload_and_check(open_page("import"), "名单.csv", _list_csv("火星区"), 24)
    assert not at.exception, [e.message for e in at.exception]
    assert at.error and t("import.problems", "zh", n="1") == at.error[0].value
    labels = column_labels(["file", "row", "column", "message"], "zh")
    problems = at.dataframe[0].value.rename(columns={v: k for k, v in labels.items()})
    assert list(problems["row"]) == [3] and "火星区" in problems["message"].iloc[0]
    assert problems["column"].iloc[0].startswith("D") and problems["file"].iloc[0] == "名单.csv"
    assert config.records_db().stat().st_mtime_ns == before
    # the check's summary in the reader's language (the page wrote the command line's English)
    assert _summary(at) == ["名单.csv：2 行数据（csv, utf-8-sig），表头在第 1 行", "1 行中有 1 个问题，无法导入"]


def test_the_import_check_speaks_english_with_singulars(entry_mode, db_copy):
    at = _upload_and_check(open_page("import", {"lang": "en"}), "list.csv", _list_csv("火星区"), 24, "en")
    assert _summary(at) == ["list.csv: 2 data rows (csv, utf-8-sig), header on row 1",
                            "1 problem in 1 row; nothing can be imported"]
    assert at.error[0].value.startswith("Problems found: 1.")


def _summary(at: AppTest) -> list[str]:
    """The lines of the check's summary (a Markdown list) as they read: without Markdown's escapes."""
    lists = [m.value for m in at.markdown if m.value.startswith("- ")]
    assert len(lists) == 1, lists
    return [re.sub(r"\\(.)", r"\1", line[2:].replace("\u2060", "")) for line in lists[0].splitlines()]


def test_import_page_imports_a_clean_list_into_a_new_session(entry_mode, db_copy):
    at = _upload_and_check(open_page("import"), "第24届名单.csv", _list_csv("宝安区"), 24)
    assert not at.error, [e.value for e in at.error]
    assert _summary(at) == ["第24届名单.csv：2 行数据（csv, utf-8-sig），表头在第 1 行",
                            "向第24届加入 2 项纪录，来自 2 家企业（其中新企业 2 家）", "新建第24届（2025年）",
                            "替换第24届原有的 0 项纪录，以及 0 条申报和 0 份申报企业资料"]
    at.button[[b.label for b in at.button].index(t("import.apply", "zh", n=24))].click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success and "2" in at.success[0].value
    rows = db.run("record_list", session_from=24, session_to=24, districts=[], industries=[], q="",
                  awarded_only=False, limit=10)
    assert sorted(rows["district_zh"]) == ["南山区", "宝安区"]
    assert set(rows["source"]) == {"import:第24届名单.csv"}
    assert db.scalar("SELECT imported_by FROM import_log ORDER BY import_id DESC LIMIT 1") == ADMIN


def test_a_deep_link_run_from_pages_gets_the_entry_script_even_after_another_session_left_that_mode(
        built_db, admin_file, monkeypatch):
    """On a fresh worker Streamlit serves pages/ directly until some session's first st.navigation call. Two
    officials opening /trends at once: the first one's run leaves that mode; the second one's run had
    already started in it, without the entry script (no sidebar filters, no URL sync). It must rerun through
    the entry script all the same."""
    from streamlit.runtime.scriptrunner import script_runner

    original_init, original_v1 = PagesManager.__init__, script_runner._mpa_v1

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = True  # a fresh worker

    def other_session_leaves_the_mode_first(main_script_path):
        PagesManager.uses_pages_directory = False
        original_v1(main_script_path)

    monkeypatch.setattr(PagesManager, "__init__", init)
    monkeypatch.setattr(script_runner, "_mpa_v1", other_session_leaves_the_mode_first)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update({"session": "22", "lang": "en"})
    at.switch_page("pages/trends.py")
    at.run()
    assert not at.exception
    assert at.selectbox(key="f_session").value == 22  # the entry script's sidebar, with the URL's session
    assert len(at.get("plotly_chart")) == 4


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_a_comparison_before_categories_existed_says_so_instead_of_asking_to_widen_filters(entry_mode, lang):
    """/compare?session=15&code=440306 replaced the category chart by "请放宽届次、区或行业条件"."""
    at = open_page("compare", {"session": "15", "code": "440306", "lang": lang})
    assert not at.exception, [e.message for e in at.exception]
    infos = [i.value for i in at.info]
    assert t("charts.no_categories", lang, since=21) in infos, infos
    assert not any(t("charts.empty_sentence", lang, filters="")[:8] in i for i in infos), infos


def test_the_trends_category_chart_of_early_sessions_says_when_categories_began(entry_mode):
    at = open_page("trends", {"session": "15", "from": "3", "to": "15"})
    assert t("charts.no_categories", "zh", since=21) in [i.value for i in at.info]


def test_about_cites_the_english_release_in_chinese_words(entry_mode):
    """Our own description of the English press release (no publisher named, its address a Japanese site's
    copy) is stored in English in data/raw/published_stats.csv: on the Chinese page, in the reconciliation
    table, the list of sources and the quote's citation, it reads in Chinese; the release's title stays as
    published."""
    at = open_page("about", {"lang": "zh"})
    assert not at.exception
    page = markdown_text(at) + " ".join(str(v) for tb in at.dataframe for v in tb.value.to_numpy().ravel()) + \
        " ".join(c.value for c in at.caption)
    assert "publisher not named" not in page and "Japanese republication" not in page
    assert "英文新闻稿（未署发布者）, 2024-10-30" in page
    assert ("英文新闻稿（未署发布者）: *Shenzhen adds 216 more “corporate innovation records”"
            "（网址为该新闻稿的日文转载）*") in page
    raw = (ROOT / "data" / "raw" / "published_stats.csv").read_text(encoding="utf-8")
    assert "Press release (English; publisher not named)" in raw and "Japanese republication of the release" in raw


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_states_the_demo_records_and_sessions(entry_mode, sql, lang):
    """The About page's notice counts the demo records and their sessions (plain SQL)."""
    (demo, sessions), = sql("SELECT count(*), count(DISTINCT session_no) FROM records WHERE source = 'demo'")
    at = open_page("about", {"lang": lang})
    assert demo > 0 and [w.value for w in at.warning] == [
        t("about.demo_notice", lang, demo=fmt_int(demo, lang), sessions=fmt_int(sessions, lang))]


def test_about_lists_every_reading_definition_quote_and_dated_source(entry_mode, sql):
    """All five readings of the published wording, the seven definitions, session 23's quoted sentence and every
    source with its full date, oldest first."""
    text = markdown_text(open_page("about", {"lang": "en"})).replace("\u2060", "")
    for key in ("session1_industries", "session23_industries", "session13_industries", "approximate", "up_7"):
        assert re.sub(r"\\(.)", r"\1", t(f"facts.reading.{key}", "en"))[:40] in text, key
    for key in ("applicants", "companies", "districts", "industries", "categories", "awards", "demo"):
        assert t(f"about.def.{key}.term", "en") in text, key
    (quote,), = sql("SELECT text FROM source_quotes WHERE session_no = 23")
    assert quote in text
    dates = [str(d) for (d,) in sql("SELECT DISTINCT published_on FROM published_stats ORDER BY 1")]
    places = [text.find(f"*, {d}, ") for d in dates]
    assert -1 not in places and places == sorted(places), places
