"""core.compare and core.profile called directly, fast: the facts are built here by hand from literal values
(or read from the built database and checked against plain SQL written here), and every sentence, table cell,
percentage and difference is compared with a literal worked out by hand from those values.

The rules (docs/data.md, "Changes and ranks"): a percentage change is 100 × (later − earlier) / earlier, the
earlier session being the one compared with; a change in percentage points is the difference of the unrounded
shares, rounded once. The inputs are chosen so that the wrong base or rounding twice gives another text.
`make mutate GROUP=compare-profile` runs these tests (tools/mutate.py).
"""

from __future__ import annotations

import pandas as pd
import pytest

from core import compare, profile
from core.filters import Filters, Options

# ----- the comparison ---------------------------------------------------------------------------------------

KPI_COLUMNS = ["session_no", "records", "companies", "industries", "awarded", "applicants", "high_tech_share",
               "qualified_share"]
# session 22 against 23: records 1,200 -> 2,000 (+800: +66.7 % of the earlier 1,200; over the later 2,000
# it would read +40.0 %), companies 100 -> 90 (-10.0 %; over 90: -11.1 %), high-tech share 80.04 -> 82.16
# (+2.12, rounded once 2.1; rounding each share first gives 82.2 - 80.0 = 2.2)
KPIS = [(23, 2000, 90, 31, 7, 163, 82.16, 75.46), (22, 1200, 100, 30, 5, 150, 80.04, None)]
CATEGORY_ROWS = [(22, "product_rd", 500, 500 / 12), (22, "manufacturing", 400, 400 / 12),
                 (22, "modern_service", 300, 25.0), (23, "product_rd", 600, 30.0),
                 (23, "manufacturing", 1200, 60.0), (23, "modern_service", 200, 10.0)]


def comparison(a: int = 22, b: int = 23, code: str | None = None, kpis=KPIS, categories=CATEGORY_ROWS):
    return compare.ComparisonFacts(a, b, code, kpis=pd.DataFrame(kpis, columns=KPI_COLUMNS),
                                   categories=pd.DataFrame(categories,
                                                           columns=["session_no", "category", "records", "share"]))


def kpi_rows(before: dict, after: dict, a: int = 22, b: int = 23) -> list[tuple]:
    base = dict(zip(KPI_COLUMNS, KPIS[0]))
    return [tuple({**base, "session_no": a, **before}.values()), tuple({**base, "session_no": b, **after}.values())]


def test_compare_paragraph_in_english():
    assert compare.paragraph(comparison(), "Whole city", "en") == (
        "Whole city, session 23 (2024) against session 22 (2023): "
        "Records 2,000, up 800 from 1,200 in session 22 (+66.7%); "
        "Approved companies 90, down 10 from 100 in session 22 (-10.0%); "
        "High-tech share of applicants 82.2%, up 2.1 points from 80.0% in session 22; "
        "category mix: Product R&D 600 (30.0%; session 22: 500, 41.7%), "
        "Production & manufacturing 1,200 (60.0%; session 22: 400, 33.3%), "
        "Modern services 200 (10.0%; session 22: 300, 25.0%).")


def test_compare_paragraph_in_chinese():
    assert compare.paragraph(comparison(), "全市", "zh") == (
        "全市第23届（2024年）与第22届（2023年）相比："
        "纪录数2000项，比第22届的1200项增加800项（+66.7%）；"
        "入选企业90家，比第22届的100家减少10家（-10.0%）；"
        "国家高新技术企业占比为82.2%，比第22届的80.0%提高2.1个百分点；"
        "类别构成：产品研发类600项（30.0%，第22届500项，41.7%），"
        "生产制造类1200项（60.0%，第22届400项，33.3%），"
        "现代服务类200项（10.0%，第22届300项，25.0%）。")


def test_compare_the_later_session_first_still_divides_by_the_one_compared_with():
    # comparing session 23 with the later 22 in the reader's order: the base is the session compared with (23)
    words = compare.paragraph(comparison(a=23, b=22), "Whole city", "en")
    assert "Records 1,200, down 800 from 2,000 in session 23 (-40.0%)" in words
    assert "Approved companies 100, up 10 from 90 in session 23 (+11.1%)" in words
    assert "High-tech share of applicants 80.0%, down 2.1 points from 82.2% in session 23" in words


@pytest.mark.parametrize(("before", "after", "lang", "expected"), [
    (250, 250, "en", "Records unchanged at 250"),
    (250, 250, "zh", "纪录数均为250项"),
    (0, 5, "en", "Records 5, up 5 from 0 in session 22;"),  # no percentage of nothing
    (0, 5, "zh", "纪录数5项，比第22届的0项增加5项；"),
    (3, 0, "en", "Records 0, down 3 from 3 in session 22 (-100.0%)"),
    (8, 9, "en", "Records 9, up 1 from 8 in session 22 (+12.5%)"),
])
def test_compare_count_edges(before, after, lang, expected):
    data = comparison(kpis=kpi_rows({"records": before}, {"records": after}))
    assert expected in compare.paragraph(data, "x", lang)


def test_compare_companies_unchanged_are_counted_in_companies():
    data = comparison(kpis=kpi_rows({"companies": 1500}, {"companies": 1500}))
    assert "Approved companies unchanged at 1,500;" in compare.paragraph(data, "x", "en")
    assert "入选企业均为1500家；" in compare.paragraph(data, "x", "zh")


@pytest.mark.parametrize(("before", "after", "lang", "expected"), [
    (None, 82.16, "en", "; High-tech share of applicants: applicant data missing for one of the sessions;"),
    (80.04, float("nan"), "en", "; High-tech share of applicants: applicant data missing for one of the sessions;"),
    (None, None, "zh", "；国家高新技术企业占比缺少其中一届的申报数据；"),
    (80.0, 80.04, "en", "; High-tech share of applicants unchanged at 80.0%;"),  # +0.04: 0.0 points
    (80.04, 80.0, "zh", "；国家高新技术企业占比均为80.0%；"),
    (80.0, 80.1, "en", "; High-tech share of applicants 80.1%, up 0.1 points from 80.0% in session 22;"),
    (80.16, 80.04, "en", "; High-tech share of applicants 80.0%, down 0.1 points from 80.2% in session 22;"),
    (82.16, 80.04, "zh", "；国家高新技术企业占比为80.0%，比第22届的82.2%下降2.1个百分点；"),
])
def test_compare_share_edges(before, after, lang, expected):
    data = comparison(kpis=kpi_rows({"high_tech_share": before}, {"high_tech_share": after}))
    assert expected in compare.paragraph(data, "x", lang)


@pytest.mark.parametrize(("a", "b", "lang", "expected"), [
    (20, 23, "en", "; categories are counted from session 21 on, so session 20 has none."),
    (23, 20, "en", "; categories are counted from session 21 on, so session 20 has none."),
    (19, 20, "zh", "；第21届起才分类统计，第19届没有类别数据。"),
])
def test_compare_without_categories_names_the_session(a, b, lang, expected):
    rows = [(a if s == 22 else b, *rest) for s, *rest in KPIS]
    cats = [r for r in CATEGORY_ROWS if r[0] == 23] if 23 in (a, b) else []
    data = comparison(a, b, kpis=rows, categories=cats)
    assert compare.paragraph(data, "x", lang).endswith(expected)


def table_rows(frame: pd.DataFrame) -> list[tuple]:
    return [tuple(frame.columns)] + [tuple(r) for r in frame.itertuples(index=False)]


def test_compare_table_in_english_marks_the_derived_applicants():
    assert table_rows(compare.table(comparison(), "en")) == [
        ("Measure", "Session 22 (2023)", "Session 23 (2024)", "Change"),
        ("Records", "1,200", "2,000", "+800"),
        ("Approved companies", "100", "90", "-10"),
        ("Industry divisions", "30", "31", "+1"),
        ("Award-winning records", "5", "7", "+2"),
        ("Applicant companies (derived)", "150", "163", "+13"),  # session 23's count is the project's inference
        ("High-tech share of applicants", "80.0%", "82.2%", "+2.1 points"),
        ("Champions & SRDI share of applicants", "–", "75.5%", "–"),
    ]


def test_compare_table_in_chinese_for_a_district():
    rows = kpi_rows({"records": 1200, "qualified_share": 70.04}, {"records": 1200, "high_tech_share": None,
                                                                     "qualified_share": 75.46})
    assert table_rows(compare.table(comparison(code="440305", kpis=rows), "zh")) == [
        ("指标", "第22届（2023年）", "第23届（2024年）", "变化"),
        ("纪录数", "1200", "1200", "+0"),
        ("入选企业", "90", "90", "+0"),
        ("涉及行业大类", "31", "31", "+0"),
        ("获科技进步奖纪录", "7", "7", "+0"),
        ("申报企业", "163", "163", "+0"),  # a district's applicants are counted, not derived
        ("国家高新技术企业占比", "82.2%", "–", "–"),
        ("单项冠军/小巨人/专精特新占比", "70.0%", "75.5%", "+5.4 个百分点"),  # 5.42 once; 75.5 - 70.0 = 5.5
    ]


def test_compare_table_derived_only_for_the_derived_session():
    rows = [(21 if s == 22 else 22, *rest) for s, *rest in KPIS]
    labels = list(compare.table(comparison(21, 22, kpis=rows), "en").iloc[:, 0])
    assert "Applicant companies" in labels
    later = list(compare.table(comparison(23, 22, kpis=[(23, *KPIS[0][1:]), (22, *KPIS[1][1:])]), "zh").iloc[:, 0])
    assert "申报企业（推算）" in later


def test_compare_facts_asks_the_two_named_queries_for_the_scope():
    calls = []

    def run(name, **params):
        calls.append((name, params))
        return pd.DataFrame({"name": [name]})

    data = compare.facts(21, 23, "440305", run=run)
    scope = {"session_a": 21, "session_b": 23, "districts": ["440305"]}
    assert calls == [("session_compare", scope), ("session_compare_categories", scope)]
    assert (data.a, data.b, data.code) == (21, 23, "440305")
    assert list(data.kpis["name"]) == ["session_compare"] and list(data.categories["name"]) == \
        ["session_compare_categories"]
    calls.clear()
    compare.facts(22, 23, None, run=run)
    assert [c[1]["districts"] for c in calls] == [[], []]


def test_compare_scope_name():
    options = Options(sessions=(22, 23), districts={"440305": ("南山区", "Nanshan")}, industries={})
    assert [compare.scope_name(None, options, "zh"), compare.scope_name(None, options, "en"),
            compare.scope_name("440305", options, "zh"), compare.scope_name("440305", options, "en")] == \
        ["全市", "Whole city", "南山区", "Nanshan"]


@pytest.mark.parametrize(("a", "b", "code"), [(21, 23, None), (23, 21, "440305")])
def test_compare_words_from_the_database_against_plain_sql(built_db, sql, a, b, code):
    where = "AND district_code = $c" if code else ""
    params = {"a": a, "b": b, **({"c": code} if code else {})}
    counts = dict(sql(f"SELECT session_no, count(*) FROM records WHERE session_no IN ($a, $b) {where} "
                      "GROUP BY session_no", **params))
    before, after = counts[a], counts[b]
    pct = 100 * (after - before) / before  # over the session compared with
    assert f"{pct:+.1f}" != f"{100 * (after - before) / after:+.1f}"  # these sessions tell the two bases apart
    words = compare.paragraph(compare.facts(a, b, code), "x", "en")
    direction = "up" if after > before else "down"
    assert (f"Records {after:,}, {direction} {abs(after - before):,} from {before:,} in session {a} "
            f"({pct:+.1f}%)") in words


# ----- the district profile ---------------------------------------------------------------------------------

OPTIONS = Options(sessions=tuple(range(1, 24)),
                  districts={"440305": ("南山区", "Nanshan"), "440306": ("宝安区", "Bao'an"),
                             "440309": ("龙华区", "Longhua"), "SZSS": ("深汕特别合作区", "Shenshan")},
                  industries={})
FILTERS = Filters(session=23, session_from=20, session_to=23, lang="en")
PER_SESSION = ["session_no", "records", "companies", "city_records", "share", "rank", "ranked"]
# session 22 -> 23: records 40 -> 50 (+10), share 10.04 -> 12.16 (+2.12: 2.1 rounded once; 12.2 - 10.0 would
# be 2.2), rank 3 -> 1 (up 2 places)
SESSIONS = [(1, 5, 4, 100, 5.0, 2, 3), (22, 40, 30, 400, 10.04, 3, 9), (23, 1050, 35, 4100, 12.16, 1, 10)]
INDUSTRIES = pd.DataFrame(
    [("软件业", "Software", 30, 25.54, 10.0), ("电子", "Electronics", 20, 17.0, 9.0),
     ("机械", "Machinery", 10, 8.5, 7.0), ("化工", "Chemicals", 5, 4.2, 3.0)],
    columns=["name_zh", "name_en", "records", "share", "city_share"])
REPEAT = pd.DataFrame([("甲公司", "Alpha Ltd", 5), ("乙公司", None, 3)], columns=["name_zh", "name_en", "sessions"])
TOTALS = pd.DataFrame([(1234, 1000, 800)], columns=["records", "companies_summed", "companies_distinct"])


def profile_facts(code="440305", sessions=SESSIONS, industries=INDUSTRIES, repeat=REPEAT, totals=TOTALS):
    return profile.ProfileFacts(code, pd.DataFrame(sessions, columns=PER_SESSION), industries, repeat, totals)


def test_profile_paragraph_in_english():
    assert profile.paragraph(profile_facts(), FILTERS, OPTIONS, mark=lambda s: f"<{s}>") == " ".join([
        "In session 23 (2024) of the Shenzhen Enterprise Innovation Records, Nanshan had 1,050 records from 35 "
        "companies, 12.2% of the city's 4,100, ranking No. 1 of the 10 districts with records.",
        "Compared with session 22, its records rose by 1,010 (40 to 1,050), its share of the city rose 2.1 points "
        "and its rank moved up 2 to No. 1.",
        "Over sessions 20–23, Nanshan had 1,234 records from 1,000 companies summed over sessions (800 distinct "
        "companies).",
        "In that period its leading industries (records in brackets) were software (30), electronics (20), "
        "machinery (10); software made up 25.5% of the district's records, against 10.0% city-wide.",
        "2 companies had records in two or more sessions, led by <Alpha Ltd> with 5 sessions."])


def test_profile_paragraph_in_chinese():
    assert profile.paragraph(profile_facts(), FILTERS, OPTIONS, "zh") == "".join([
        "第23届（2024年）深圳企业创新纪录中，南山区共有35家企业的1050项纪录入选，占全市4100项的12.2%，"
        "在有纪录的10个区中排名第1。",
        "与第22届相比，纪录增加1010项（40项→1050项），占全市比重提高2.1个百分点，排名上升2位至第1。",
        "第20–23届累计，南山区共有纪录1234项、入选企业1000家次（不重复企业800家）。",
        "其间纪录最多的行业为软件业（30项）、电子（20项）、机械（10项）；其中软件业占本区纪录的25.5%，全市该行业占比为10.0%。",
        "2家企业在两届及以上入选，其中甲公司入选5届，次数最多。"])


@pytest.mark.parametrize(("prev", "now", "lang", "expected"), [
    # records down, share down, rank down
    ((22, 60, 30, 400, 12.16, 1, 9), (23, 50, 35, 410, 10.04, 3, 10), "en",
     "Compared with session 22, its records fell by 10 (60 to 50), its share of the city fell 2.1 points and its "
     "rank moved down 2 to No. 3."),
    ((22, 60, 30, 400, 12.16, 1, 9), (23, 50, 35, 410, 10.04, 3, 10), "zh",
     "与第22届相比，纪录减少10项（60项→50项），占全市比重下降2.1个百分点，排名下降2位至第3。"),
    # the same records, a share change under 0.05 points, tied on the same rank (2 of several at No. 2)
    ((22, 50, 30, 400, 10.0, 2, 9), (23, 50, 35, 410, 10.04, 2, 10), "en",
     "Compared with session 22, its records held at 50, its share of the city held steady and its rank stayed "
     "at No. 2."),
    ((22, 50, 30, 400, 10.04, 2, 9), (23, 50, 35, 410, 10.0, 2, 10), "zh",
     "与第22届相比，纪录持平（50项），占全市比重基本持平，排名保持第2。"),
    # 0.1 points is a change; no rank before (no records then)
    ((22, 0, 0, 400, 0.0, None, 9), (23, 1, 1, 410, 0.1, 4, 10), "en",
     "Compared with session 22, its records rose by 1 (0 to 1), its share of the city rose 0.1 points and its "
     "rank is new, as it had no records before."),
    ((22, 0, 0, 400, 0.1, None, 9), (23, 1, 1, 410, 0.0, 4, 10), "zh",
     "与第22届相比，纪录增加1项（0项→1项），占全市比重下降0.1个百分点，排名为首次进入排名。"),
    ((22, 1, 1, 400, 0.1, 1, 9), (23, 2, 1, 410, 0.2, 1, 10), "en", "rank stayed at No. 1."),
])
def test_profile_change_sentences(prev, now, lang, expected):
    text = profile.paragraph(profile_facts(sessions=[prev, now]), FILTERS, OPTIONS, lang)
    assert expected in text


def test_profile_headline_of_a_tied_rank():
    sessions = [(22, 40, 30, 400, 10.0, 2, 9), (23, 30, 20, 300, 10.0, 2, 8)]
    text = profile.paragraph(profile_facts(sessions=sessions), FILTERS, OPTIONS, "en")
    assert "10.0% of the city's 300, ranking No. 2 of the 8 districts with records." in text


@pytest.mark.parametrize("sessions", [
    [SESSIONS[0], (22, 40, 30, 400, 10.0, 1, 9), (23, 0, 0, 410, 0.0, None, 10)],  # no records this session
    [SESSIONS[0], (22, 40, 30, 400, 10.0, 1, 9)],  # no row for the session
])
def test_profile_without_records_in_the_session(sessions):
    facts = profile_facts(sessions=sessions)
    assert profile.paragraph(facts, FILTERS, OPTIONS, "en").startswith(
        "In session 23 (2024) of the Shenzhen Enterprise Innovation Records, Nanshan had no approved records. "
        "Over sessions 20–23")
    assert profile.paragraph(facts, FILTERS, OPTIONS, "zh").startswith(
        "第23届（2024年）深圳企业创新纪录中，南山区没有入选纪录。第20–23届累计")


def test_profile_without_a_previous_session_has_no_change_sentence():
    text = profile.paragraph(profile_facts(sessions=[SESSIONS[0], SESSIONS[2]]), FILTERS, OPTIONS, "en")
    assert "Compared with" not in text and "ranking No. 1 of the 10 districts with records. Over" in text


def test_profile_paragraph_defaults_to_the_filters_language():
    zh = Filters(session=23, session_from=20, session_to=23)
    assert profile.paragraph(profile_facts(), zh, OPTIONS).startswith("第23届（2024年）深圳企业创新纪录中，南山区")
    assert profile.paragraph(profile_facts(), FILTERS, OPTIONS).startswith("In session 23 (2024) of")


def test_profile_without_totals_industries_or_repeat_innovators():
    facts = profile_facts(industries=INDUSTRIES.head(0), repeat=REPEAT.head(0),
                          totals=pd.DataFrame([(0, 0, 0)], columns=TOTALS.columns))
    assert profile.paragraph(facts, FILTERS, OPTIONS, "en").endswith("and its rank moved up 2 to No. 1.")


def test_profile_repeat_innovator_without_an_english_name_keeps_the_chinese_one():
    for name_en in (None, ""):
        repeat = pd.DataFrame([("乙公司", name_en, 3)], columns=REPEAT.columns)
        text = profile.paragraph(profile_facts(repeat=repeat), FILTERS, OPTIONS, "en")
        assert text.endswith(" One company had records in two or more sessions: 乙公司, with 3 sessions.")


def test_profile_a_single_industry():
    text = profile.paragraph(profile_facts(industries=INDUSTRIES.tail(1)), FILTERS, OPTIONS, "zh")
    assert "其间纪录最多的行业为化工（5项）；其中化工占本区纪录的4.2%，全市该行业占比为3.0%。" in text


def test_standing_reads_the_session_row():
    frame = pd.DataFrame(SESSIONS + [(2, 0, 0, 0, float("nan"), float("nan"), 0)], columns=PER_SESSION)
    assert profile.standing(frame, 22) == profile.Standing(22, 40, 30, 400, 10.04, 3, 9)
    assert profile.standing(frame, 2) == profile.Standing(2, 0, 0, 0, 0.0, None, 0)
    assert profile.standing(frame, 3) is None
    got = profile.standing(frame, 23)
    assert [type(v) for v in (got.records, got.companies, got.city_records, got.share, got.rank, got.ranked)] == \
        [int, int, int, float, int, int]


def test_change_is_later_minus_earlier():
    prev = profile.Standing(22, 40, 30, 400, 10.04, 3, 9)
    now = profile.Standing(23, 50, 35, 410, 12.16, 1, 10)
    assert profile.change(now, prev) == profile.Change(10, 2.1, 2)
    assert profile.change(prev, now) == profile.Change(-10, -2.1, -2)
    assert profile.change(now, None) is None
    unranked = profile.Standing(21, 0, 0, 380, 0.0, None, 9)
    assert profile.change(now, unranked) == profile.Change(50, 12.2, None)  # 12.16 rounded once
    assert profile.change(unranked, now) == profile.Change(-50, -12.2, None)


def test_profile_facts_asks_the_named_queries_for_the_range():
    calls = []

    def run(name, **params):
        calls.append((name, params))
        return name

    data = profile.facts("440305", Filters(session=23, session_from=18, session_to=22), run=run)
    span = {"session_from": 18, "session_to": 22}
    assert calls == [
        ("district_profile_records", {"code": "440305"}),
        ("district_profile_industries", {"code": "440305", "limit": 8, **span}),
        ("repeat_innovators", {**span, "districts": ["440305"], "industries": [], "min_sessions": 2,
                               "limit": 100_000}),
        ("district_profile_totals", {"code": "440305", **span}),
    ]
    assert (data.code, data.per_session, data.industries, data.repeat, data.totals) == (
        "440305", "district_profile_records", "district_profile_industries", "repeat_innovators",
        "district_profile_totals")


def test_late_note(built_db):
    assert profile.late_note("440309", 12, OPTIONS, "en") == (
        "Longhua has been listed on its own since session 12 (2013); before that, firms in the area were counted "
        "under Bao'an.")
    assert profile.late_note("440309", 12, OPTIONS, "zh") == \
        "龙华区自第12届（2013年）起在名单中单独列出，此前该地区企业计入宝安区。"
    assert profile.late_note("SZSS", 18, OPTIONS, "en") == "Shenshan has records from session 18 (2019) on."
    assert profile.late_note("SZSS", 18, OPTIONS, "zh") == "深汕特别合作区自第18届（2019年）起有入选纪录。"
    assert profile.late_note("SZSS", 2, OPTIONS, "en") == "Shenshan has records from session 2 (2003) on."
    assert profile.late_note("440309", 1, OPTIONS, "en") == ""  # the first session: not late
    assert profile.late_note("440309", None, OPTIONS, "en") == ""  # never had records


def test_late_note_in_the_paragraph(built_db):
    sessions = [(11, 0, 0, 100, 0.0, None, 8), (12, 3, 3, 100, 3.0, 7, 9)]
    filters = Filters(session=12, session_from=12, session_to=12, lang="en")
    text = profile.paragraph(profile_facts("440309", sessions=sessions), filters, OPTIONS)
    assert ("its rank is new, as it had no records before. Longhua has been listed on its own since session 12 "
            "(2013); before that, firms in the area were counted under Bao'an. Over sessions 12–12") in text


@pytest.mark.parametrize(("text", "code"), [
    ("440305", "440305"), (" 南山区 ", "440305"), ("Nanshan", "440305"), ("龙华", "440309"), ("nowhere", None),
    ("", None), ("   ", None), (None, None),
])
def test_resolve(built_db, text, code):
    assert profile.resolve(text) == code


def test_resolve_with_no_database_file_reads_the_aliases_once_without_a_stamp(monkeypatch, built_db, tmp_path):
    seen = []
    monkeypatch.setattr(profile, "_aliases", lambda stamp: seen.append(stamp) or {"nanshan": "440305"})
    monkeypatch.setattr(profile.config, "records_db", lambda: tmp_path / "missing.duckdb")
    assert profile.resolve("Nanshan") == "440305" and seen == [0]


def test_compare_categories_in_english_write_thousands_with_commas():
    cats = [(22, "product_rd", 1500, 75.0), (22, "manufacturing", 400, 20.0), (22, "modern_service", 100, 5.0),
            *CATEGORY_ROWS[3:]]
    assert "category mix: Product R&D 600 (30.0%; session 22: 1,500, 75.0%), " in \
        compare.paragraph(comparison(categories=cats), "x", "en")


def test_profile_in_english_writes_thousands_with_commas():
    sessions = [SESSIONS[0], (22, 1500, 900, 40000, 6.25, 3, 9), (23, 2500, 1200, 41000, 6.04, 2, 10)]
    industries = pd.DataFrame([("软件业", "Software", 1500, 25.54, 10.0)], columns=INDUSTRIES.columns)
    repeat = pd.DataFrame([("甲公司", "Alpha Ltd", 5)] * 1000, columns=REPEAT.columns)
    totals = pd.DataFrame([(12345, 10000, 1500)], columns=TOTALS.columns)
    text = profile.paragraph(profile_facts(sessions=sessions, industries=industries, repeat=repeat, totals=totals),
                             FILTERS, OPTIONS, "en")
    assert text == " ".join([
        "In session 23 (2024) of the Shenzhen Enterprise Innovation Records, Nanshan had 2,500 records from 1,200 "
        "companies, 6.0% of the city's 41,000, ranking No. 2 of the 10 districts with records.",
        "Compared with session 22, its records rose by 1,000 (1,500 to 2,500), its share of the city fell 0.2 "
        "points and its rank moved up 1 to No. 2.",  # 6.04 - 6.25 = -0.21
        "Over sessions 20–23, Nanshan had 12,345 records from 10,000 companies summed over sessions (1,500 distinct "
        "companies).",
        "In that period its leading industries (records in brackets) were software (1,500); software made up 25.5% "
        "of the district's records, against 10.0% city-wide.",
        "1,000 companies had records in two or more sessions, led by Alpha Ltd with 5 sessions."])
    same = [SESSIONS[0], (22, 2500, 900, 40000, 6.25, 2, 9), (23, 2500, 1200, 41000, 6.25, 2, 10)]
    assert "its records held at 2,500, its share of the city held steady and its rank stayed at No. 2." in \
        profile.paragraph(profile_facts(sessions=same), FILTERS, OPTIONS, "en")


def test_resolve_never_looks_up_blank_text(monkeypatch):
    seen = []
    monkeypatch.setattr(profile, "_aliases", lambda stamp: seen.append(stamp) or {"": "440305", "none": "440305"})
    assert [profile.resolve(text) for text in (None, "", "   ", "\t")] == [None, None, None, None]
    assert seen == []
