"""More direct unit tests of the pure modules (catalog, summary, districts), written against the mutants that
survived `make mutate GROUP=pure`: a chart's texts in its context, the empty-chart and derived-figure notes, the
paragraph of a selection (its prefixed sentences, links and quotes), and district spellings.

Inputs are small literal tables, options and chart specs; every expected value is written out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from core import catalog, summary
from core.charts.registry import ChartSpec
from core.districts import alias_key, predecessor, resolve
from core.filters import Filters, Options, _district, parse

OPTIONS = Options(sessions=tuple(range(1, 24)), districts={"440305": ("南山区", "Nanshan")},
                  industries={"C39": ("计算机制造业", "Computers")})
SESSION_CHART = ChartSpec("x", "overview", "session")
RANGE_CHART = ChartSpec("x", "trends", "range")
APPLICANTS = catalog.CHARTS["qualification_mix"]  # the one applicant chart: one session
DERIVED_EN = (" · session 23's applicant count (and the high-tech count from it) is derived by the project from "
              "the published shares, not published (how: About)")
DERIVED_ZH = " · 第23届申报企业数（及由此得出的高新技术企业数）为本系统由公开比例推算，非公开数字（方法见“关于数据”）"


# ----- a chart's context, texts and query --------------------------------------------------------------------

def test_context_drops_what_the_chart_does_not_show():
    given = Filters(22, 4, 21, ("440305",), ("C39",), "en", vs=9)
    profile = catalog.context(catalog.CHARTS["profile_records"], given, OPTIONS)
    assert profile == Filters(22, 4, 21, ("440305",), (), "en", vs=None)
    compare = catalog.context(catalog.CHARTS["compare_sessions"], given, OPTIONS)
    assert compare == Filters(22, 4, 21, ("440305",), (), "en", vs=9)
    plain = catalog.context(catalog.CHARTS["district_ranking"], given, OPTIONS)
    assert plain == Filters(22, 4, 21, ("440305",), ("C39",), "en", vs=None)


@pytest.mark.parametrize(("lang", "districts", "expected"), [
    ("en", ("440305",), "Session 21 (2022) / Session 23 (2024) · Nanshan"),
    ("en", (), "Session 21 (2022) / Session 23 (2024) · Whole city"),
    ("zh", ("440305",), "第21届（2022年） / 第23届（2024年） · 南山区"),
    ("zh", (), "第21届（2022年） / 第23届（2024年） · 全市"),
])
def test_compare_subtitle_names_both_sessions_earlier_first_and_the_place(lang, districts, expected):
    filters = Filters(23, 1, 23, districts, (), lang, vs=21)
    assert catalog._context_subtitle(catalog.CHARTS["compare_sessions"], filters, OPTIONS) == expected


def test_compare_subtitle_puts_the_earlier_session_first_when_vs_is_the_later_one():
    filters = Filters(21, 1, 23, ("440305",), (), "en", vs=23)
    assert catalog._context_subtitle(catalog.CHARTS["compare_sessions"], filters, OPTIONS) == \
        "Session 21 (2022) / Session 23 (2024) · Nanshan"


@pytest.mark.parametrize(("spec", "expected"), [
    (ChartSpec("x", "district", "range", context="district"), "Sessions 4–21 (2005–2022) · Nanshan"),
    (ChartSpec("x", "district", "session", context="district"), "Session 22 · Nanshan"),
])
def test_profile_subtitle_is_its_scope_and_district_without_focus_words(spec, expected):
    filters = Filters(22, 4, 21, ("440305",), (), "en")
    assert catalog._context_subtitle(spec, filters, OPTIONS) == expected


@pytest.mark.parametrize(("focus", "expected"), [
    (True, "Session 22 · Nanshan · selected districts highlighted, others in grey"),
    (False, "Session 22 · Nanshan · selected districts only"),
])
def test_subtitle_says_whether_the_selection_is_highlighted_or_filtered(focus, expected):
    spec = ChartSpec("x", "districts", "session", focus=focus)
    assert catalog._context_subtitle(spec, Filters(22, 4, 21, ("440305",), (), "en"), OPTIONS) == expected


def test_titles_name_the_profiles_district_and_the_compared_sessions():
    en = Filters(21, 1, 23, ("440305",), (), "en", vs=23)
    assert catalog.title(catalog.CHARTS["profile_records"], en, OPTIONS) == \
        "Nanshan: records, approved companies and share of the city per session"
    assert catalog.title(catalog.CHARTS["compare_sessions"], en, OPTIONS) == "Sessions 21 and 23: headline figures"
    assert catalog.title(catalog.CHARTS["profile_records"], en.with_lang("zh"), OPTIONS) == \
        "南山区历届纪录数、入选企业与占全市比重"


def test_a_context_charts_link_names_its_district_by_code_only(monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    filters = Filters(22, 4, 21, ("440305",), ("C39",), "en")
    assert catalog.chart_permalink(catalog.CHARTS["profile_records"], filters) == \
        "http://localhost:8501/district?from=4&to=21&lang=en&code=440305"


def test_a_comparison_reads_its_two_sessions():
    _, params = catalog.query_call(catalog.CHARTS["compare_sessions"], Filters(23, 1, 23, (), (), "en", vs=21))
    assert (params["session_a"], params["session_b"]) == (21, 23)


def test_a_range_charts_rows_are_those_of_its_range():
    rows = pd.DataFrame({"session_no": [1, 2, 3, 4, 5], "records": [10, 20, 30, 40, 50]})
    got = catalog.data(catalog.CHARTS["records_per_session"], Filters(5, 2, 4), run=lambda name, **p: rows)
    assert got.to_dict("list") == {"session_no": [2, 3, 4], "records": [20, 30, 40]}


# ----- the derived-figure note and the empty-chart text ------------------------------------------------------

@pytest.mark.parametrize(("spec", "filters", "expected"), [
    (APPLICANTS, Filters(23, 1, 22, lang="en"), DERIVED_EN),  # a session chart: its session, not the range
    (APPLICANTS, Filters(22, 1, 23, lang="en"), ""),
    (APPLICANTS, Filters(23, 1, 23), DERIVED_ZH),
    (ChartSpec("x", "trends", "range", applicants=True), Filters(22, 1, 23, lang="en"), DERIVED_EN),
    (ChartSpec("x", "trends", "range", applicants=True), Filters(22, 23, 30, lang="en"), DERIVED_EN),  # first
    (ChartSpec("x", "trends", "range", applicants=True), Filters(23, 1, 22, lang="en"), ""),
    (ChartSpec("x", "trends", "range", applicants=True), Filters(22, 24, 30, lang="en"), ""),
    (SESSION_CHART, Filters(23, 1, 23, lang="en"), ""),  # not an applicant chart
    (RANGE_CHART, Filters(23, 1, 23, lang="en"), ""),
])
def test_derived_source(spec, filters, expected):
    assert catalog.derived_source(spec, filters) == expected


def _kpis(name, **params):
    """session_kpis of the whole city: session 20 was imported without applicants, 21 has them."""
    assert (name, params) == ("session_kpis", {"districts": [], "industries": []})
    return pd.DataFrame({"session_no": [20, 21], "applicants": [None, 500]})


def test_empty_text_of_an_applicant_chart_of_a_session_without_applicant_data():
    en = Filters(20, 1, 23, lang="en")
    assert catalog.empty_text(APPLICANTS, en, _kpis) == (
        "Session 20 has no applicant data: its records were imported from the official list of approved records, "
        "which does not give the applicants, their titles, high-tech status or revenue.")
    assert catalog.empty_text(APPLICANTS, en, _kpis, short=True) == \
        "No applicant data for session 20 (imported list of approved records)"
    assert catalog.empty_text(APPLICANTS, Filters(20, 1, 23), _kpis, short=True) == \
        "第20届没有申报企业数据（导入的评审通过名单不含申报企业）"


@pytest.mark.parametrize(("spec", "session"), [
    (APPLICANTS, 21),  # it has applicant data: narrower filters are why it is empty
    (SESSION_CHART, 20),  # not an applicant chart
    (ChartSpec("x", "trends", "range", applicants=True), 20),  # a range: the other sessions may have some
])
def test_no_empty_text_where_the_filters_are_the_reason(spec, session):
    assert catalog.empty_text(spec, Filters(session, 1, 23, lang="en"), _kpis) is None


def test_build_of_an_empty_applicant_chart_says_why_in_one_line():
    def run(name, **params):
        return _kpis(name, **params) if name == "session_kpis" else pd.DataFrame({"session_no": []})

    status = catalog.DataStatus(demo=False, version="v")
    fig, frame, _ = catalog.build("qualification_mix", Filters(20, 1, 23, lang="en"), OPTIONS, status, run=run)
    assert frame.empty and len(fig.data) == 0
    assert "No applicant data for session 20 (imported list of approved records)" in \
        [a.text for a in fig.layout.annotations]


# ----- remembering and load_options --------------------------------------------------------------------------

def test_remembering_takes_a_set_of_values():
    calls = []
    cached = catalog.remembering(lambda name, **p: calls.append(p) or pd.DataFrame({"x": [1]}))
    cached("session_kpis", districts={"440305"}, industries=[])
    cached("session_kpis", districts={"440305"}, industries=[])
    assert calls == [{"districts": {"440305"}, "industries": []}]


def test_load_options_are_the_databases(sql):
    got = catalog.load_options()
    assert got.sessions == tuple(r[0] for r in sql("SELECT session_no FROM sessions ORDER BY 1"))
    assert got.districts == {c: (zh, en) for c, zh, en in sql("SELECT district_code, name_zh, name_en FROM districts")}
    assert got.districts["440305"] == ("南山区", "Nanshan")
    assert dict(sql("SELECT alias_key, district_code FROM district_aliases")).items() <= dict(got.aliases).items()
    assert got.aliases[alias_key("Nanshan")] == "440305"


# ----- the summary's facts ------------------------------------------------------------------------------------

def _each_session(name, **params):
    return pd.DataFrame({"session_no": [1, 2, 3], "records": [1, 1, 0]})


def test_facts_of_session_2_has_session_1_before_it_and_divisions_of_one_record():
    got = summary.facts(Filters(2, 1, 3), run=_each_session)
    assert got.cumulative_before.to_dict("list") == {"session_no": [1], "records": [1]}
    assert got.industries.to_dict("list") == {"session_no": [2], "records": [1]}
    assert (got.district_names, got.industry_names) == (None, None)  # nothing chosen: no names asked for


def test_calls_ask_for_names_only_of_what_is_chosen():
    calls = summary.calls(Filters(2, 1, 3, industries=("C39",)))
    assert (calls["district_names"], calls["industry_names"]) == (None, ("industry_options", {}))
    calls = summary.calls(Filters(2, 1, 3, districts=("440305",)))
    assert (calls["district_names"], calls["industry_names"]) == (("district_options", {}), None)


def test_as_dict_names_every_fact():
    frames = [pd.DataFrame({"n": [i]}) for i in range(5)]
    data = summary.SummaryFacts(*frames, quotes=None, city=frames[0])
    got = summary.as_dict(data)
    assert list(got) == ["kpis", "categories", "industries", "qualifications", "districts", "quotes", "city",
                         "cumulative_before", "district_names", "industry_names"]
    assert [got[k]["n"][0] for k in ("kpis", "categories", "industries", "qualifications", "districts")] == \
        [0, 1, 2, 3, 4]
    assert got["city"] is frames[0] and got["quotes"] is None and got["industry_names"] is None


# ----- the paragraph of a selection -------------------------------------------------------------------------

def _selection(lang="en"):
    """Session 7's facts with Nanshan selected (the city has 4,936 records; Nanshan is 2nd of 5)."""
    kpis = pd.DataFrame([
        {"session_no": 7, "records": 1234, "companies": 560, "industries": 12, "awarded": 3, "applicants": 600,
         "high_tech_share": 81.26, "mean_revenue_cny": 1.5e9, "qualified_share": 40.4},
        {"session_no": 6, "records": 900, "companies": 400, "industries": 10, "awarded": 0, "applicants": 500,
         "high_tech_share": 70.0, "mean_revenue_cny": 1e9, "qualified_share": 35.6}])
    return summary.SummaryFacts(
        kpis=kpis,
        categories=pd.DataFrame({"category": ["product_rd"], "records": [1234]}),
        industries=pd.DataFrame({"name_en": ["A"], "name_zh": ["甲"], "records": [10]}),
        qualifications=pd.DataFrame({"qualification": ["little_giant", None], "companies": [3, 597]}),
        districts=pd.DataFrame({"district_code": ["440303", "440304", "440305", "440306", "440307"],
                                "name_en": ["Luohu", "Futian", "Nanshan", "Bao'an", "Longgang"],
                                "name_zh": ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区"],
                                "applicants": [50, 80, 300, 120, 50], "records": [600, 1500, 1234, 1102, 500],
                                "selected": [False, False, True, False, False], "rank": [4, 1, 2, 3, 5],
                                "districts_ranked": [5] * 5}),
        quotes=pd.DataFrame({"session_no": [7], "text": ["Firm A and Firm B"],
                             "published_on": [pd.Timestamp("2024-10-30")]}),
        city=kpis,
        cumulative_before=pd.DataFrame({"records": [5000], "companies_summed": [2100], "groups": [85]}),
        district_names=pd.DataFrame({"district_code": ["440305"], "name_zh": ["南山区"], "name_en": ["Nanshan"]}))


def _link(code, name):
    return f"[{name}](/district?code={code})"


def test_a_selections_paragraph_names_it_where_a_sentence_would_read_as_the_citys():
    text = summary.paragraph(_selection(), Filters(7, 2, 9, ("440305",), (), "en"), link=_link)
    assert text == " ".join([
        "In session 7 (2008) of the Shenzhen Enterprise Innovation Records, Nanshan had 1,234 records from 560 "
        "companies approved, 25.0% of the city's 4,936, in 12 industries, such as A.",
        "By records, Nanshan ranks No. 2 of the 5 districts with records.",
        "They comprise 1,234 product R&D, 0 production and manufacturing, and 0 modern service records.",
        "3 of the records won national, provincial or municipal science and technology progress awards.",
        "Nanshan: The first 6 sessions approved 5,000 records from 2,100 companies (summed over sessions), "
        "covering 85 sub-industries.",
        "Nanshan: Of this session's applicants, 81.3% are national high-tech enterprises, with a mean annual "
        "sales revenue of 1.50 billion yuan.",
        '0 manufacturing single champions, 3 national "little giants", 0 provincial and 0 municipal SRDI SMEs '
        "together make up 40% of applicants, up 5 points on the previous session.",  # 40.4 - 35.6 = 4.8
        "All applicants come from [Nanshan](/district?code=440305).",
        "The session's English press release names applicant firms: “Firm A and Firm B” "
        "(press release of 30 October 2024; full source on the About page)"])


def test_a_selections_paragraph_in_chinese():
    text = summary.paragraph(_selection(), Filters(7, 2, 9, ("440305",), (), "zh"))
    assert text == (
        "第7届（2008年）深圳企业创新纪录中，南山区共有560家企业的1234项纪录评审通过，占全市4936项的25.0%，涉及甲等12个行业。"
        "按纪录数，南山区在全市5个有纪录的区中居第2位。"
        "其中产品研发类1234项、生产制造类0项、现代服务类0项。3项纪录获得国家、省、市科学技术进步奖。"
        "南山区：前6届累计发布纪录5000项，涉及企业2100家次，覆盖85个细分行业。"
        "南山区：本届申报企业中，国家高新技术企业占81.3%，平均年销售收入15.00亿元。"
        "制造业单项冠军0家、国家级专精特新“小巨人”3家、省级专精特新中小企业0家、市级专精特新中小企业0家，合计占40%，"
        "较上届提高5个百分点。申报企业均来自南山区。"
        "本届英文新闻稿点名了部分申报企业（英文原文）：“Firm A and Firm B”"
        "（见2024年10月30日发布的英文新闻稿，完整出处见“数据说明”页）")


def test_without_the_city_the_paragraph_names_no_selection():
    data = _selection()
    plain = summary.SummaryFacts(**{**summary.as_dict(data), "city": None})
    text = summary.paragraph(plain, Filters(7, 2, 9, ("440305",), (), "en"))
    assert text.startswith("Session 7 (2008) of the Shenzhen Enterprise Innovation Records approved 1,234 records "
                           "from 560 companies in 12 industries, such as A. They comprise")
    assert "Nanshan:" not in text


@pytest.mark.parametrize(("scope", "sentences", "expected"), [
    ("Nanshan", ["A.", "B.", "C."], ["Nanshan: A.", "B.", "C."]),
    ("Nanshan", [], []),
    ("", ["A.", "B."], ["A.", "B."]),
])
def test_scoped_prefixes_the_first_sentence_only(scope, sentences, expected):
    assert summary._scoped(sentences, scope, "en") == expected


def test_scoped_in_chinese():
    assert summary._scoped(["甲。", "乙。"], "南山区", "zh") == ["南山区：甲。", "乙。"]


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", ["The session's English press release names applicant firms: “A” (press release of 1 March 2024; "
            "full source on the About page)", "The session's English press release names applicant firms: “B” "
                                              "(press release of 2 March 2024; full source on the About page)"]),
    ("zh", ["本届英文新闻稿点名了部分申报企业（英文原文）：“A”"
            "（见2024年3月1日发布的英文新闻稿，完整出处见“数据说明”页）",
            "本届英文新闻稿点名了部分申报企业（英文原文）：“B”"
            "（见2024年3月2日发布的英文新闻稿，完整出处见“数据说明”页）"]),
])
def test_quoted(lang, expected):
    quotes = pd.DataFrame({"text": ["A", "B"], "published_on": pd.to_datetime(["2024-03-01", "2024-03-02"])})
    assert summary.quoted(quotes, lang) == expected
    assert summary.quoted(quotes.iloc[0:0], lang) == [] and summary.quoted(None, lang) == []


def test_districts_with_one_applicant_each_are_still_ranked():
    districts = pd.DataFrame({"district_code": ["440305", "440306"], "name_en": ["Nanshan", "Bao'an"],
                              "applicants": [1, 1], "records": [2, 3], "selected": [False, False]})
    assert summary._district_sentence(districts, "en", _link) == [
        "[Bao'an](/district?code=440306) has the most applicants, followed by [Nanshan](/district?code=440305)."]


@pytest.mark.parametrize(("previous", "points"), [
    (35.8, 5),  # 40.4 - 35.8 = 4.6: rounded to 5, not cut to 4
    (45.0, -5),  # -4.6
])
def test_qualified_points_round_the_difference(previous, points):
    kpis = pd.DataFrame({"session_no": [6, 7], "qualified_share": [previous, 40.4]})
    assert summary.qualified_points(kpis, 7) == points


# ----- district spellings -------------------------------------------------------------------------------------

ALIASES = {alias_key("南山区"): "440305", alias_key("Nanshan"): "440305", "440305": "440305", "none": "X"}


@pytest.mark.parametrize(("text", "expected"), [
    ("南山区", "440305"), (" NANSHAN ", "440305"), ("Ｎａｎｓｈａｎ", "440305"), (440305, "440305"),
    ("福田区", None), (None, None),
])
def test_resolve(text, expected):
    assert resolve(text, ALIASES) == expected


@pytest.mark.parametrize(("code", "expected"), [
    ("440309", "宝安区"), ("440310", "龙岗区"), ("440311", "宝安区"), ("SZDP", "龙岗区"), ("440305", None),
])
def test_predecessor(code, expected):
    assert predecessor(code) == expected


# ----- filters: the comparison's session in the URL, a district's code or spelling ---------------------------

def test_a_bad_vs_in_the_url_is_named_in_the_readers_language():
    assert parse({"vs": "x", "lang": "en"}, OPTIONS).notices == ["vs=x: there is no such session"]
    assert parse({"vs": "99"}, OPTIONS).notices == ["参数 vs=99：没有这一届"]
    assert parse({"vs": "21"}, OPTIONS).filters.vs == 21


def test_a_notice_quotes_a_value_of_60_characters_whole():
    notices = parse({"session": "1" * 60, "lang": "en"}, OPTIONS).notices
    assert notices == [f"session={'1' * 60}: there is no such session"]


SPELLINGS = Options(sessions=(23,), districts={"440305": ("南山区", "Nanshan"), "SZDP": ("大鹏新区", "Dapeng")},
                    industries={}, aliases={"m" * 60: "440305", "gone": "440399"})


@pytest.mark.parametrize(("raw", "code"), [
    ("szdp", "SZDP"),  # a code in any case, with no alias for it
    ("m" * 60, "440305"),  # a spelling of 60 characters is looked up
    ("gone", None),  # an alias of a district that is not in the options
])
def test_district_codes_and_spellings(raw, code):
    assert _district(raw, SPELLINGS) == code


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "The session's English press release names applicant firms: “A” (source: Press release (English; "
           "publisher not named). T. 2024-03-01. http://x.example)"),
    ("zh", "本届英文新闻稿点名了部分申报企业（英文原文）：“A”（出处：英文新闻稿（未署发布者）. T. 2024-03-01. "
           "http://x.example）"),
])
def test_quoted_in_a_file_cites_in_full(lang, expected):
    """A pack or a press-release draft has no About page to send its reader to: the full record, our own words
    about it in the reader's language."""
    quotes = pd.DataFrame({"text": ["A"], "published_on": pd.to_datetime(["2024-03-01"]),
                           "citation": ["Press release (English; publisher not named). T. 2024-03-01. http://x.example"]})
    assert summary.quoted(quotes, lang, in_file=True) == [expected]
