"""Direct unit tests of pure functions that only the (slow) page tests reached: a page's own URL values
(parse_page, page_query), the paragraph's scope and filtered headline, and catalog helpers (in_range among them).

Inputs are small literal tables and options; every expected value is written out by hand."""

from __future__ import annotations

import pandas as pd
import pytest

from core import catalog, summary
from core.districts import alias_key
from core.filters import Filters, Options, PageValues, page_query, parse_page

OPTIONS = Options(
    sessions=(21, 22, 23),
    districts={"440305": ("南山区", "Nanshan"), "440306": ("宝安区", "Bao'an")},
    industries={"C39": ("计算机制造业", "Computers"), "I65": ("软件业", "Software")},
    aliases={alias_key("南山区"): "440305", alias_key("Nanshan"): "440305", alias_key("宝安区"): "440306",
             "n" * 61: "440305"},  # a spelling too long to be looked up (URL values over 60 characters are not)
)


def _filters(lang="zh", session=23, districts=(), industries=()):
    return Filters(session, 21, 23, tuple(districts), tuple(industries), lang)


# ----- parse_page -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("page", "query", "expected"), [
    ("district", {}, PageValues(None, 22)),
    ("district", {"code": "440305"}, PageValues("440305", 22)),
    ("district", {"code": ["440306"]}, PageValues("440306", 22)),
    ("district", {"code": " 南山区 "}, PageValues("440305", 22)),
    ("district", {"code": "NANSHAN"}, PageValues("440305", 22)),
    ("district", {"vs": "21"}, PageValues(None, 22)),  # vs is not the profile's
    ("district", {"vs": "nonsense"}, PageValues(None, 22)),
    ("compare", {"vs": "21"}, PageValues(None, 21)),
    ("compare", {"vs": "23", "code": "宝安区"}, PageValues("440306", 23)),
    ("overview", {"code": "440305", "vs": "21"}, PageValues(None, 22)),
])
def test_parse_page_good_values(page, query, expected):
    assert parse_page(page, query, _filters(), OPTIONS) == (expected, [])


def test_parse_page_defaults_follow_the_sidebar():
    # one sidebar district is the profile's default; two are none; the first session compares with the latest
    assert parse_page("district", {}, _filters(districts=["440306"]), OPTIONS) == (PageValues("440306", 22), [])
    assert parse_page("district", {}, _filters(districts=["440305", "440306"]), OPTIONS) == (PageValues(None, 22), [])
    assert parse_page("compare", {}, _filters(session=21), OPTIONS) == (PageValues(None, 23), [])
    assert parse_page("compare", {}, _filters(session=22), OPTIONS) == (PageValues(None, 21), [])


@pytest.mark.parametrize(("page", "raw", "shown", "where_zh", "where_en"), [
    ("district", "999999", "999999", "全市各区", "the city's districts"),
    ("compare", "999999", "999999", "全市", "the whole city"),
    ("district", "440305,440306", "440305,440306", "全市各区", "the city's districts"),
    ("district", "", "''", "全市各区", "the city's districts"),
    ("district", "4" * 61, "4" * 59 + "…", "全市各区", "the city's districts"),
    ("district", "N" * 61, "N" * 59 + "…", "全市各区", "the city's districts"),
    ("district", "南山区" * 21, ("南山区" * 21)[:59] + "…", "全市各区", "the city's districts"),
])
def test_parse_page_bad_code_gives_notice_and_default(page, raw, shown, where_zh, where_en):
    assert parse_page(page, {"code": raw}, _filters("zh"), OPTIONS) == (
        PageValues(None, 22), [f"参数 code={shown} 不是有效的区，改为显示{where_zh}"])
    assert parse_page(page, {"code": raw}, _filters("en"), OPTIONS) == (
        PageValues(None, 22), [f"code={shown} is not a district; showing {where_en} instead"])


def test_parse_page_bad_code_names_the_sidebar_district():
    zh, en = _filters("zh", districts=["440306"]), _filters("en", districts=["440306"])
    assert parse_page("district", {"code": "x"}, zh, OPTIONS) == (
        PageValues("440306", 22), ["参数 code=x 不是有效的区，改为显示宝安区"])
    assert parse_page("district", {"code": "x"}, en, OPTIONS) == (
        PageValues("440306", 22), ["code=x is not a district; showing Bao'an instead"])


@pytest.mark.parametrize("raw", ["24", "20", "abc", "٣", "²", "21,22", "", "1" * 7, "-1", "22.0"])
def test_parse_page_bad_vs_gives_notice_and_default(raw):
    shown = raw or "''"
    assert parse_page("compare", {"vs": raw}, _filters("zh"), OPTIONS) == (
        PageValues(None, 22), [f"参数 vs={shown} 不是有效届次，改为与第22届对比"])
    assert parse_page("compare", {"vs": raw}, _filters("en"), OPTIONS) == (
        PageValues(None, 22), [f"vs={shown} is not a session number; comparing with session 22 instead"])


def test_parse_page_two_bad_values_give_two_notices():
    values, notices = parse_page("compare", {"code": "x", "vs": "y"}, _filters("en"), OPTIONS)
    assert values == PageValues(None, 22)
    assert notices == ["code=x is not a district; showing the whole city instead",
                       "vs=y is not a session number; comparing with session 22 instead"]


# ----- page_query -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("page", "values", "sidebar", "expected"), [
    ("compare", PageValues(None, 22), (), {}),
    ("compare", PageValues("440305", 21), (), {"code": "440305", "vs": "21"}),
    ("compare", PageValues("440305", None), (), {"code": "440305"}),
    ("compare", PageValues(None, 23), (), {"vs": "23"}),
    ("district", PageValues("440305", 21), (), {"code": "440305"}),
    ("district", PageValues("440305", 21), ("440305",), {}),
    ("district", PageValues(None, 22), ("440305",), {}),  # an empty value is left out
    ("district", PageValues("440306", 22), ("440305",), {"code": "440306"}),
    ("district", PageValues("440306", 22), ("440305", "440306"), {"code": "440306"}),
    ("overview", PageValues("440305", 21), (), {}),
])
def test_page_query(page, values, sidebar, expected):
    assert page_query(page, values, _filters(districts=sidebar), OPTIONS) == expected


@pytest.mark.parametrize(("page", "values"), [
    ("compare", PageValues("440305", 21)), ("compare", PageValues("440306", 23)), ("compare", PageValues(None, 22)),
    ("district", PageValues("440306", 22)), ("district", PageValues(None, 22)),
])
def test_page_query_round_trips(page, values):
    filters = _filters()
    assert parse_page(page, page_query(page, values, filters, OPTIONS), filters, OPTIONS) == (values, [])


# ----- scope_words and the filtered headline ---------------------------------------------------------------

DISTRICT_NAMES = pd.DataFrame({"district_code": ["440305", "440306"], "name_zh": ["南山区", "宝安区"],
                               "name_en": ["Nanshan", "Bao'an"]})
INDUSTRY_NAMES = pd.DataFrame({"industry_code": ["C39", "I65"], "name_zh": ["计算机制造业", "软件业"],
                               "name_en": ["Computers", "Software"]})
EMPTY = pd.DataFrame()


def _facts(kpis=EMPTY, districts=EMPTY, city=None, district_names=None, industry_names=None):
    return summary.SummaryFacts(kpis, EMPTY, EMPTY, EMPTY, districts, city=city,
                                district_names=district_names, industry_names=industry_names)


@pytest.mark.parametrize(("lang", "districts", "industries", "expected"), [
    ("zh", (), (), ""),
    ("zh", ("440305",), (), "南山区"),
    ("en", ("440306", "440305"), (), "Bao'an, Nanshan"),
    ("zh", ("440306", "440305"), (), "宝安区、南山区"),
    ("zh", (), ("I65", "C39"), "软件业、计算机制造业"),
    ("en", ("440305",), ("C39", "I65"), "Nanshan · Computers, Software"),
    ("zh", ("440305",), ("C39",), "南山区 · 计算机制造业"),
    ("zh", ("440399",), (), "440399"),  # a code without a name is shown as it is
])
def test_scope_words(lang, districts, industries, expected):
    data = _facts(district_names=DISTRICT_NAMES, industry_names=INDUSTRY_NAMES)
    assert summary.scope_words(_filters(lang, districts=districts, industries=industries), data) == expected


def test_scope_words_without_name_tables():
    assert summary.scope_words(_filters(districts=["440305"], industries=["C39"]), _facts()) == ""
    only = _facts(industry_names=INDUSTRY_NAMES)
    assert summary.scope_words(_filters("en", districts=["440305"], industries=["C39"]), only) == "Computers"


NUMBERS = {"n": 23, "year": 2025, "companies": "12", "records": "300", "industries": "7", "examples": ""}
KPIS = pd.DataFrame({"session_no": [22, 23], "records": [5, 300]})


def _ranking(rank=1.0, selected=(True, False)):
    return pd.DataFrame({"district_code": ["440305", "440306"], "name_zh": ["南山区", "宝安区"],
                         "name_en": ["Nanshan", "Bao'an"], "records": [1200, 300], "selected": list(selected),
                         "rank": [rank, 2.0], "districts_ranked": [2, 2]})


def test_scoped_headline_one_district_names_share_and_rank():
    data = _facts(KPIS, _ranking())
    assert summary._scoped_headline(_filters("zh", districts=["440305"]), data, "南山区", NUMBERS) == [
        "第23届（2025年）深圳企业创新纪录中，南山区共有12家企业的300项纪录评审通过，占全市1500项的20.0%，涉及7个行业。",
        "按纪录数，南山区在全市2个有纪录的区中居第1位。"]
    assert summary._scoped_headline(_filters("en", districts=["440305"]), data, "Nanshan", NUMBERS) == [
        "In session 23 (2025) of the Shenzhen Enterprise Innovation Records, Nanshan had 300 records from 12 "
        "companies approved, 20.0% of the city's 1,500, in 7 industries.",
        "By records, Nanshan ranks No. 1 of the 2 districts with records."]


def test_scoped_headline_two_districts_with_industries_has_no_rank():
    data = _facts(KPIS, _ranking(selected=(True, True)))
    filters = _filters("zh", districts=["440305", "440306"], industries=["C39"])
    assert summary._scoped_headline(filters, data, "南山区、宝安区 · 计算机制造业", NUMBERS) == [
        "第23届（2025年）深圳企业创新纪录中，南山区、宝安区 · 计算机制造业共有12家企业的300项纪录评审通过，"
        "占全市同一行业1500项的20.0%，涉及7个行业。"]
    filters = _filters("en", districts=["440305", "440306"], industries=["C39"])
    assert summary._scoped_headline(filters, data, "S", NUMBERS) == [
        "In session 23 (2025) of the Shenzhen Enterprise Innovation Records, S had 300 records from 12 "
        "companies approved, 20.0% of the city's same-industry 1,500, in 7 industries."]


def test_scoped_headline_unranked_district_has_no_rank():
    data = _facts(KPIS, _ranking(rank=float("nan")))
    assert len(summary._scoped_headline(_filters("en", districts=["440305"]), data, "Nanshan", NUMBERS)) == 1


def test_scoped_headline_industries_only_uses_the_city_row():
    city = pd.DataFrame({"session_no": [22, 23], "records": [100, 1600]})
    data = _facts(KPIS, _ranking(), city=city)
    assert summary._scoped_headline(_filters("zh", industries=["C39"]), data, "计算机制造业", NUMBERS) == [
        "第23届（2025年）深圳企业创新纪录中，计算机制造业共有12家企业的300项纪录评审通过，占全市1600项的18.8%，涉及7个行业。"]
    assert summary._scoped_headline(_filters("en", industries=["C39"]), data, "Computers", NUMBERS) == [
        "In session 23 (2025) of the Shenzhen Enterprise Innovation Records, Computers had 300 records from 12 "
        "companies approved, 18.8% of the city's 1,600, in 7 industries."]


def test_scoped_headline_without_a_city_total_is_the_plain_headline():
    no_row = _facts(KPIS, _ranking(), city=pd.DataFrame({"session_no": [22], "records": [100]}))
    assert summary._scoped_headline(_filters("zh", industries=["C39"]), no_row, "计算机制造业", NUMBERS) == [
        "第23届（2025年）深圳企业创新纪录共评审通过12家企业的300项纪录，涉及7个行业。"]
    zero = _facts(KPIS, _ranking().assign(records=0))
    assert summary._scoped_headline(_filters("en", districts=["440305"]), zero, "Nanshan", NUMBERS) == [
        "Session 23 (2025) of the Shenzhen Enterprise Innovation Records approved 300 records from 12 companies "
        "in 7 industries."]


# ----- catalog helpers --------------------------------------------------------------------------------------

def test_has_applicant_data():
    kpis = pd.DataFrame({"session_no": [21, 22, 23], "applicants": [None, 0, 812]})
    asked = []

    def run(name, **params):
        asked.append((name, params))
        return kpis

    assert [catalog.has_applicant_data(n, run) for n in (20, 21, 22, 23)] == [False, False, True, True]
    assert asked[0] == ("session_kpis", {"districts": [], "industries": []})


def test_has_applicant_data_in_the_built_database(sql):
    sessions = [r[0] for r in sql("SELECT session_no FROM sessions ORDER BY 1")]
    with_applicants = {r[0] for r in sql("SELECT DISTINCT session_no FROM company_profiles")}
    assert with_applicants
    for n in sessions:
        assert catalog.has_applicant_data(n) == (n in with_applicants)
    assert not catalog.has_applicant_data(max(sessions) + 1)


def test_remembering_runs_each_result_once_and_hands_out_copies():
    calls = []

    def run(name, **params):
        calls.append((name, params))
        return pd.DataFrame({"x": [len(calls)]})

    cached = catalog.remembering(run)
    first = cached("session_kpis", districts=[], industries=[], session=1)
    first.loc[0, "x"] = 99  # a caller's change stays its own
    again = cached("session_kpis", industries=[], districts=[], session=2)  # $session is not one it reads
    other = cached("session_kpis", districts=["440305"], industries=[])
    assert (list(first["x"]), list(again["x"]), list(other["x"])) == ([99], [1], [2])
    assert calls == [("session_kpis", {"districts": [], "industries": [], "session": 1}),
                     ("session_kpis", {"districts": ["440305"], "industries": []})]
    assert catalog.remembering(run)("session_kpis", districts=[], industries=[])["x"].tolist() == [3]


# ----- catalog.in_range -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("sessions", "first", "last", "kept"), [
    ([20, 20, 21, 22, 23], 21, 22, ["c", "d"]),  # in session order: cut by position
    ([20, 20, 21, 22, 23], 20, 20, ["a", "b"]),
    ([20, 20, 21, 22, 23], 24, 30, []),
    ([20, 20, 21, 22, 23], 1, 99, ["a", "b", "c", "d", "e"]),
    ([23, 22, 21, 20, 20], 21, 22, ["b", "c"]),  # newest first (session_kpis): cut by value, order kept
    ([21, 23, 21, 22, 20], 21, 21, ["a", "c"]),
])
def test_in_range_keeps_the_rows_of_the_sessions_in_their_order_numbered_from_0(sessions, first, last, kept):
    frame = pd.DataFrame({"session_no": sessions, "x": list("abcde"), "n": [1.5, 2.5, 3.5, 4.5, 5.5]})
    cut = catalog.in_range(frame, first, last)
    assert list(cut["x"]) == kept and list(cut.index) == list(range(len(kept)))
    assert list(cut.columns) == ["session_no", "x", "n"] and str(cut["n"].dtype) == "float64"


def test_in_range_of_an_empty_result():
    cut = catalog.in_range(pd.DataFrame({"session_no": pd.Series([], dtype="int64")}), 1, 23)
    assert cut.empty and list(cut.columns) == ["session_no"]
