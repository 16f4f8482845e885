"""Published figures that issue 12 added: session 13, ranges ("50多" = 51-59, "80多" = 81-89), what each
industry figure counts, the programme's own prizes. Expected values are the sources' numbers, written here
literally; the reconciliation must say "differs" as soon as a value leaves its range.
"""

from __future__ import annotations

import re
from dataclasses import replace

import duckdb
import pytest

from core import catalog, db
from core.filters import defaults

ALL = {"districts": [], "industries": []}


def run(name: str, **params):
    return db.run(name, **{**ALL, **params})


@pytest.fixture(scope="module")
def con(built_db):
    with duckdb.connect(str(built_db), read_only=True) as connection:
        yield connection


def test_session_13_records_applicants_projects_and_industries(con):
    records, companies = con.execute("SELECT count(*), count(DISTINCT company_id) FROM records "
                                     "WHERE session_no = 13").fetchone()
    assert records == 146
    assert companies <= 77  # approved firms are among the 77 applicants
    applicants = con.execute("SELECT count(*) FROM company_profiles WHERE session_no = 13").fetchone()[0]
    projects, firms, divisions = con.execute(
        "SELECT count(*), count(DISTINCT company_id), count(DISTINCT left(industry_code, 3)) FROM applications "
        "WHERE session_no = 13").fetchone()
    assert (applicants, projects, firms, divisions) == (77, 188, 77, 29)


SESSION_4 = "http://www.fszi.org/gonggong/xjl/huigu/4th/2012-10-08/482.html"
SESSION_1 = "http://m.drbnnd.com/gonggong/xjl/huigu/1st/2012-10-09/494.html"


def test_session_4_gets_the_168_applications_its_source_reports(con):
    assert con.execute("SELECT count(*) FROM applications WHERE session_no = 4").fetchone()[0] == 168
    held = con.execute("SELECT value, comparison, published_on, url FROM published_stats "
                       "WHERE session_from = 4 AND session_to = 4 AND metric = 'applications'").fetchall()
    assert [(v, c, str(d), u) for v, c, d, u in held] == [(168, "eq", "2005-08-12", SESSION_4)]


def test_session_1_national_list_is_held_as_a_reported_fact_with_its_citation():
    """44 of the 104 records, from 29 companies, entered the 7th national list: published, but no record
    carries it, so the reconciliation shows it without a verdict rather than a made-up match."""
    rec = run("reconciliation")
    national = rec[rec["metric"].isin(["records_national_list", "companies_national_list"])]
    assert sorted(zip(national["metric"], national["published"])) == [
        ("companies_national_list", 29), ("records_national_list", 44)]
    assert (national["session_from"] == 1).all() and (national["comparison"] == "reported").all()
    assert national["matches"].isna().all() and national["derived"].isna().all()
    assert (national["url"] == SESSION_1).all() and (national["published_on"].astype(str) == "2002-11-23").all()


def test_session_13_is_marked_published_on_the_trend_chart():
    per_session = run("records_per_session", session_from=1, session_to=23).set_index("session_no")
    assert per_session.loc[13, "records"] == per_session.loc[13, "published_records"] == 146
    assert list(per_session.index[per_session["published"]]) == [1, 11, 13, 23]
    # "at most 77" is a bound, not a count: no published marker for session 13's companies
    assert per_session["published_companies"].isna().loc[13]


def published_marks(name: str) -> list[tuple[list, list]]:
    """(sessions, values) of each trace of published figures (the open diamonds) on a trends chart."""
    options = catalog.load_options()
    fig = catalog.build(name, replace(defaults(options), session_from=1), options)[0]
    diamonds = [t for t in fig.data if t.type == "scatter" and t.marker.symbol == "diamond-open"]
    return [(list(t.x), [float(v) for v in t.y]) for t in diamonds]


def test_the_trend_charts_mark_the_published_figures_and_no_others():
    assert published_marks("records_per_session") == [([1, 11, 13, 23], [104, 136, 146, 216])]
    # session 23's press release: 85.3 % national high-tech enterprises, 75 % qualified applicants
    assert published_marks("applicant_strength") == [([23], [85.3]), ([23], [75.0])]


@pytest.mark.parametrize(("first", "last", "column", "low", "high"), [
    (1, 20, "divisions", 51, 59),
    (1, 22, "groups", 81, 89),
    (1, 23, "groups", 81, 89),
])
def test_approximate_figures_fall_in_their_range(first, last, column, low, high):
    totals = run("cumulative_totals", session_from=first, session_to=last).iloc[0]
    assert low <= totals[column] <= high


def test_ranges_are_stored_as_between(con):
    stored = con.execute("SELECT session_from, session_to, metric, value, value_max FROM published_stats "
                         "WHERE comparison = 'between' ORDER BY ALL").fetchall()
    assert stored == [(1, 20, "industry_divisions", 51, 59), (1, 22, "industry_groups", 81, 89),
                      (1, 23, "industry_groups", 81, 89)]


def _reconcile(path, *statements: str) -> dict:
    with duckdb.connect(str(path)) as connection:
        for sql in statements:
            connection.execute(sql)
        found = connection.execute("SELECT session_from, session_to, metric, derived, matches FROM reconciliation "
                                   "WHERE comparison = 'between'").fetchall()
    return {(f, t, m): (d, ok) for f, t, m, d, ok in found}


def test_a_value_above_its_range_is_a_mismatch(db_copy):
    """Two more GB/T groups (88 -> 90) leave "80多" = 81-89; four more divisions (56 -> 60) leave "50多"."""
    extra = [("C141", 5), ("C144", 5), ("C223", 6), ("C251", 6), ("C282", 7), ("K701", 7)]
    inserts = [f"INSERT INTO records SELECT 'PLANT-{code}', {s}, company_id, '植入记录{code}', 'planted', NULL, "
               f"'{code}', industry_raw, district_code, district_raw, NULL, NULL, 'demo' "
               f"FROM records WHERE session_no = {s} LIMIT 1" for code, s in extra]
    result = _reconcile(db_copy, *inserts)
    assert result[(1, 20, "industry_divisions")] == (60, False)
    assert result[(1, 22, "industry_groups")] == (94, False)
    assert result[(1, 23, "industry_groups")] == (94, False)


def test_a_value_below_its_range_is_a_mismatch(db_copy):
    planted = _reconcile(db_copy, "UPDATE published_stats SET value = 57 WHERE comparison = 'between' "
                                  "AND metric = 'industry_divisions'")
    assert planted[(1, 20, "industry_divisions")] == (56, False)


def test_reconciliation_shows_both_numbers_for_every_checkable_figure():
    rec = run("reconciliation")
    checkable = rec[rec["comparison"] != "reported"]
    numeric = checkable[checkable["value_text"].isna() | checkable["metric"].isin(
        ["records_in_published_industry", "programme_prizes"])]
    assert numeric["published"].notna().all() and numeric["derived"].notna().all()
    texts = checkable[checkable["published"].isna()]
    assert texts["derived_text"].notna().all()
    assert rec.loc[rec["comparison"] == "reported", "matches"].isna().all()


@pytest.mark.parametrize(("session", "prize", "records"), [
    (2, "gold", 8), (2, "silver", 11), (2, "excellence", 35),
    (11, "circular_economy", 6), (11, "innovation", 13),
])
def test_programme_prizes_as_published(con, session, prize, records):
    assert con.execute("SELECT count(*) FROM records WHERE session_no = $s AND programme_prize = $p",
                       {"s": session, "p": prize}).fetchone()[0] == records


def test_programme_prizes_only_where_published_and_apart_from_st_awards(con):
    assert con.execute("SELECT list(DISTINCT session_no ORDER BY session_no) FROM records "
                       "WHERE programme_prize IS NOT NULL").fetchone()[0] == [2, 11]
    organisation = run("programme_prizes", session_from=1, session_to=23)
    row = organisation[(organisation["session_no"] == 2) & (organisation["prize"] == "organisation")].iloc[0]
    assert row["published"] == 3


def test_session_1_industries_count_the_programme_names_and_leave_the_unknown_unnamed(con):
    sql = "SELECT DISTINCT industry_raw FROM {} WHERE session_no = 1"
    approved = [r for (r,) in con.execute(sql.format("records")).fetchall()]
    applied = [r for (r,) in con.execute(sql.format("applications")).fetchall()]
    assert (len(approved), len(applied)) == (14, 15)
    named = {"电力", "机械", "电子", "钟表", "汽车", "船舶", "石化", "医药", "旅游", "食品", "装饰", "工程", "会展"}
    assert set(approved) - named == {"未具名行业（第14个）"}
    assert set(applied) - named == {"未具名行业（第14个）", "未具名行业（第15个，仅见于申报）"}


def test_build_reads_the_published_figures_from_the_csv_only():
    """The generator holds no published number: change one in a copy of published_stats.csv and the demo
    follows it."""
    from core.demo import inputs, plan

    published = inputs.Published.load()
    rows = tuple({**r, "value": "150"} if (r["session_to"], r["metric"]) == ("13", "records") else r
                 for r in published.rows)
    changed = plan.plan_sessions(inputs.Published(rows), inputs.Shape.load())
    assert changed[13].records == 150
    assert sum(p.records for s, p in changed.items() if s <= 20) == 3053  # other sessions absorb the change


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_session_23_summary_quotes_the_named_firms_with_the_citation(built_db, lang):
    from core import summary
    from core.filters import Filters

    filters = Filters(session=23, session_from=1, session_to=23, lang=lang)
    text = summary.paragraph(summary.facts(filters), filters)
    assert "Kaisheng Technology and Shenzhen Chuan Technology" in text
    # a short source line in the reader's language (the full record, address included, is on the About page)
    assert {"zh": "（见2024年10月30日发布的英文新闻稿，完整出处见“数据说明”页）",
            "en": "(press release of 30 October 2024; full source on the About page)"}[lang] in text
    assert "gznews" not in text and "publisher not named" not in text
    earlier = Filters(session=22, session_from=1, session_to=23, lang=lang)
    assert "Kaisheng" not in summary.paragraph(summary.facts(earlier), earlier)



@pytest.mark.parametrize(("lang", "published", "derived"), [("zh", "南山区 > 宝安区 > X1", "宝安区 > 南山区"),
                                                            ("en", "Nanshan > Bao'an > X1", "Bao'an > Nanshan")])
def test_a_district_order_reads_as_names(lang, published, derived):
    """Codes in rank order become names in the reader's language; a code without a name stays a code."""
    import core.published

    row = {"metric": "applicants_top_districts", "comparison": "eq", "published": None, "decimals": 0,
           "value_text": "440305>440306>X1", "derived_text": "440306>440305"}
    districts = {"440305": ("南山区", "Nanshan"), "440306": ("宝安区", "Bao'an")}
    assert core.published.published(row, lang, districts) == published
    assert core.published.derived(row, lang, districts) == derived


def test_a_citations_link_target_cannot_be_ended_by_the_address():
    """An address with '>' or a space would end the <...> link target and let the rest become Markdown of its
    own (a second link to anywhere)."""
    from core import published

    text = published.citation_markdown("P", "T", "2024-10-30", "https://a.example/x> [y](https://evil.example/) z")
    target = text[text.index("](<") + 3:]
    assert target == "https://a.example/x%3E%20[y](https://evil.example/)%20z>)"


def test_an_address_in_a_citation_shows_as_typed():
    """Escaped for Markdown, an address must not be turned into a link by the renderer anyway (it then showed
    its backslashes: www\\.gznews\\.com); the backslashes only quote punctuation, and the invisible word
    joiners only break the patterns Streamlit links."""
    from core import published

    escaped = published.citation_markdown("Press release [1] *x* $5", "T", "2024-10-30", "www.gznews.com/?p=1406")
    text = "Press release [1] *x* $5: *T*, 2024-10-30, www.gznews.com/?p=1406"
    assert "www." not in escaped and "[1]" not in escaped and "*x*" not in escaped and " \\$5" in escaped
    assert re.sub(r"\\(.)", r"\1", escaped.replace("\u2060", "")) == text


def test_an_address_in_quoted_text_shows_as_typed():
    """The quote and its citation (About page) go through the same escape: no link, emphasis or maths of
    their own, and nothing lost once the escapes and word joiners are taken out."""
    from core.markup import escape_markdown

    text = "Press release, http://www.gznews.com/?p=1406 or www.gznews.com (2024-10-30) [1] *x* $5"
    escaped = escape_markdown(text)
    assert "http:" not in escaped and "www." not in escaped and "[1]" not in escaped and "*x*" not in escaped
    assert re.sub(r"\\(.)", r"\1", escaped.replace("\u2060", "")) == text
