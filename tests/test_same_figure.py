"""One number, one answer: every change and rank the product prints, on every page that prints it, against
plain SQL written here (never the product's own queries or helpers).

The rules checked (docs/data.md, "Changes and ranks"):
- a percentage change is 100 × (later − earlier) / earlier, the earlier session being the one compared with;
- a change in percentage points is the difference of the unrounded shares, rounded once to one decimal
  (the summary's whole points: rounded once to a whole number);
- a rank is by records; districts with equal records share a rank (1, 1, 3).
"""

from __future__ import annotations

import json

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from core import db
from tests import test_pages as pages_test
from ui import state


def open_page(page: str, query: dict) -> AppTest:
    at = pages_test.open_page(page, query)
    assert not at.exception, [e.message for e in at.exception]
    return at


def sql(db_path, query: str, params: dict | None = None):
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(query, params or {}).fetchall()


def counts(db_path, session: int, code: str | None) -> tuple[int, int]:
    """(records, distinct approved companies) of a session, city-wide or in one district."""
    where = "AND district_code = $c" if code else ""
    return sql(db_path, f"SELECT count(*), count(DISTINCT company_id) FROM records WHERE session_no = $s {where}",
               {"s": session, **({"c": code} if code else {})})[0]


def shares(db_path, session: int) -> tuple[float, float]:
    """(high-tech %, qualified %) of the session's applicants."""
    return sql(db_path, """
        SELECT 100.0 * count(*) FILTER (WHERE is_high_tech) / count(*),
               100.0 * count(*) FILTER (WHERE qualification IS NOT NULL) / count(*)
        FROM company_profiles WHERE session_no = $s""", {"s": session})[0]


def competition_ranks(db_path, session: int) -> dict[str, int]:
    """district -> 1 + the number of districts with more records in the session."""
    rows = dict(sql(db_path, "SELECT district_code, count(*) FROM records WHERE session_no = $s "
                             "AND district_code IS NOT NULL GROUP BY district_code", {"s": session}))
    return {code: 1 + sum(1 for n in rows.values() if n > mine) for code, mine in rows.items()}


def text_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# --- percentage changes: divided by the earlier session's figure ------------------------------------------

@pytest.mark.parametrize(("earlier", "later", "code"), [(22, 23, None), (13, 23, None), (21, 23, "440305"),
                                                        (20, 22, "440306")])
def test_compare_percentage_change_is_over_the_earlier_session(entry_mode, earlier, later, code):
    query = {"session": str(later), "vs": str(earlier), "lang": "en", **({"code": code} if code else {})}
    words = text_of(open_page("compare", query))
    for i, what in enumerate(("records", "companies")):
        before, after = counts(entry_mode, earlier, code)[i], counts(entry_mode, later, code)[i]
        if before == after:
            continue
        pct = f"({100 * (after - before) / before:+.1f}%)"
        wrong = f"({100 * (after - before) / after:+.1f}%)"  # over the later figure: the bug of issue 31
        assert pct in words, (what, pct, words)
        assert pct == wrong or wrong not in words


def test_compare_24_percent_example_as_literal(entry_mode):
    """A literal case: records 216 (published, session 23) against session 22's count."""
    before = counts(entry_mode, 22, None)[0]
    words = text_of(open_page("compare", {"session": "23", "vs": "22", "lang": "en"}))
    assert f"Records 216, up {216 - before} from {before} in session 22 ({100 * (216 - before) / before:+.1f}%)" \
        in words


# --- percentage points: the unrounded difference, rounded once, the same on every page --------------------

def test_share_changes_are_one_figure_on_overview_and_compare(entry_mode):
    (ht22, q22), (ht23, q23) = shares(entry_mode, 22), shares(entry_mode, 23)
    high_tech, qualified = round(ht23 - ht22, 1), round(q23 - q22, 1)
    overview = open_page("overview", {"session": "23", "lang": "en"})
    deltas = {m.label: m.proto.delta for m in overview.metric}
    assert deltas["High-tech share"] == f"{high_tech:+.1f} points", deltas
    assert deltas["Champions & SRDI"] == f"{qualified:+.1f} points", deltas
    assert f"up {round(q23 - q22):.0f} points on the previous session" in text_of(overview)

    page = open_page("compare", {"session": "23", "vs": "22", "lang": "en"})
    assert f"up {abs(high_tech):.1f} points from {ht22:.1f}%" in text_of(page)
    table = page.dataframe[0].value
    row = table[table.iloc[:, 0] == "High-tech share of applicants"].iloc[0]
    assert row.iloc[3] == f"{high_tech:+.1f} points"
    row = table[table.iloc[:, 0] == "Champions & SRDI share of applicants"].iloc[0]
    assert row.iloc[3] == f"{qualified:+.1f} points"


@pytest.mark.parametrize(("code", "session"), [("440305", 23), ("440306", 22), ("440309", 20)])
def test_profile_share_change_is_the_unrounded_difference(entry_mode, code, session):
    def share(n):
        mine, city = sql(entry_mode, "SELECT count(*) FILTER (WHERE district_code = $c), count(*) FROM records "
                                     "WHERE session_no = $s", {"c": code, "s": n})[0]
        return 100 * mine / city

    points = round(share(session) - share(session - 1), 1)
    at = open_page("district", {"code": code, "session": str(session), "lang": "en"})
    if abs(points) >= 0.05:
        verb = "rose" if points > 0 else "fell"
        assert f"{verb} {abs(points):.1f} points" in text_of(at)


# --- ranks: by records, equal records share a rank ---------------------------------------------------------

def test_every_rank_query_gives_the_same_rank(built_db):
    for session in range(1, 24):
        want = competition_ranks(built_db, session)
        ranking = db.run("district_ranking", session_from=session, session_to=session, districts=[], industries=[])
        assert dict(zip(ranking["district_code"], ranking["rank"])) == want, session
        standings = db.run("district_standings", session_from=session, session_to=session)
        ranks = zip(standings["district_code"], standings["rank"])
        assert {c: int(r) for c, r in ranks if not pd.isna(r)} == want, session
        history = db.run("district_rank_history", session_from=session, session_to=session, districts=[],
                         industries=[])
        assert dict(zip(history["district_code"], history["rank"])) == want, session
    for code in ("440305", "440306", "440307"):
        profile = db.run("district_profile_records", code=code)
        for session, rank in zip(profile["session_no"], profile["rank"]):
            want = competition_ranks(built_db, int(session)).get(code)
            assert (None if rank != rank or rank is None else int(rank)) == want, (code, session)


def test_tied_districts_share_a_rank_on_the_profile(entry_mode):
    """A session where two districts tie on records: the profile shows the shared rank the districts page
    shows (session 1 or 2 of the demo, found here by SQL rather than assumed)."""
    tie = sql(entry_mode, """
        WITH c AS (SELECT session_no, district_code, count(*) AS n FROM records
                   WHERE district_code IS NOT NULL GROUP BY ALL)
        SELECT a.session_no, a.district_code FROM c a JOIN c b
          ON a.session_no = b.session_no AND a.n = b.n AND a.district_code < b.district_code
        ORDER BY a.session_no LIMIT 1""")
    assert tie, "the demo has districts tied on records in sessions 1 and 2"
    session, code = tie[0]
    want = competition_ranks(entry_mode, session)[code]
    at = open_page("district", {"code": code, "session": str(session), "lang": "en"})
    rank = next(m.value for m in at.metric if m.label == "Rank in the city")
    assert rank.startswith(f"{want} "), rank


# --- not applicable is a gap, never a zero ------------------------------------------------------------------

def sessions_without_titles(db_path) -> list[int]:
    """Sessions with applicants but before any applicant in the city held a title, by plain SQL."""
    return [n for (n,) in sql(db_path, """
        SELECT DISTINCT session_no FROM company_profiles
        WHERE session_no < (SELECT min(session_no) FROM company_profiles WHERE qualification IS NOT NULL)
        ORDER BY 1""")]


def test_titles_before_they_were_recorded_are_a_gap_not_zero(built_db):
    from core import catalog
    from core.filters import Filters

    untitled = sessions_without_titles(built_db)
    assert untitled and untitled[0] == 1  # the demo records titles from a later session on
    options = catalog.load_options()
    fig, frame, _ = catalog.build("applicant_strength", Filters(23, 1, 23, lang="en"), options)
    qualified = next(tr for tr in fig.data if tr.name == "Champions, little giants and SRDI firms")
    by_session = dict(zip(qualified.x, qualified.y))
    assert all(by_session[n] is None or by_session[n] != by_session[n] for n in untitled), by_session
    first = max(untitled) + 1
    assert by_session[first] > 0
    assert any(f"recorded from session {first}" in (a.text or "") for a in fig.layout.annotations)
    fig, _, _ = catalog.build("qualification_mix", Filters(untitled[-1], 1, 23, lang="en"), options)
    assert not fig.data  # no "100 % none" bar
    assert any("were not recorded in this session" in (a.text or "") for a in fig.layout.annotations)


def test_compare_with_a_session_before_titles_says_not_applicable(entry_mode):
    untitled = sessions_without_titles(entry_mode)
    page = open_page("compare", {"session": "23", "vs": str(untitled[-1]), "lang": "en"})
    table = page.dataframe[0].value
    row = table[table.iloc[:, 0] == "Champions & SRDI share of applicants"].iloc[0]
    assert row.iloc[1] == "–" and row.iloc[3] == "–", list(row)


# --- the range's selects show the range in force -------------------------------------------------------------

def test_a_backwards_range_swaps_the_selects_and_says_so(entry_mode):
    at = open_page("trends", {"from": "5", "to": "15", "lang": "en"})
    at.selectbox(key="f_from").set_value(20).run()
    assert not at.exception
    assert (at.selectbox(key="f_from").value, at.selectbox(key="f_to").value) == (15, 20)
    assert (at.query_params["from"], at.query_params["to"]) == ("15", "20")
    assert any("now runs from session 15 to 20" in c.value for c in at.sidebar.caption)
    at.selectbox(key="f_session").set_value(22).run()  # said once, not on every later run
    assert not any("now runs from session" in c.value for c in at.sidebar.caption)


def test_tables_on_screen_show_no_bare_district_code(entry_mode):
    """The companies page's record table named the district by its code (区代码 440307) beside its name."""
    at = open_page("companies", {"session": "23"})
    at.text_input(key="companies_q").set_value("海").run()
    frames = [d for d in at.dataframe if "区代码" in d.value.columns]
    assert frames, "a table with the district code column, to check it is hidden"
    for d in frames:
        assert json.loads(d.proto.columns)["区代码"] == {"hidden": True}, d.proto.columns



@pytest.mark.parametrize(("lang", "header", "unit"), [("zh", "年销售收入", "元"), ("en", "Annual revenue", "yuan")])
def test_revenue_written_with_its_unit_has_a_header_without_one(entry_mode, lang, header, unit):
    """The header said 年销售收入（元） over cells reading 16.95亿元."""
    at = open_page("companies", {"session": "23", "lang": lang})
    at.text_input(key="companies_q").set_value("深圳").run()
    tables = [d.value for d in at.dataframe if header in d.value.columns]
    assert tables, [list(d.value.columns) for d in at.dataframe]
    cells = [v for v in tables[0][header] if v]
    assert cells and all(v.endswith(unit) for v in cells), cells
    assert not any("（元）" in c or "(yuan)" in c for d in at.dataframe for c in d.value.columns)

@pytest.mark.parametrize(("public", "lang", "expected"), [
    (None, "en", "<http://localhost:8501>, which opens only on this computer"),
    # bare, the address took the Chinese text after it into its link (GFM ends an autolink at a space only)
    (None, "zh", "<http://localhost:8501>，该地址只能在本机打开"),
    ("https://records.example.gov.cn", "en", "point to <https://records.example.gov.cn>."),
])
def test_the_basket_says_which_address_links_carry(entry_mode, monkeypatch, public, lang, expected):
    """Packs built under `make run` carried 127.0.0.1 links, useless to a recipient: the page says so, with the
    address as a link that ends where it ends."""
    if public:
        monkeypatch.setenv("PUBLIC_URL", public)
    else:
        monkeypatch.delenv("PUBLIC_URL", raising=False)
    at = open_page("briefing", {"lang": lang})
    at.button[0].click().run()  # the default charts, so the export part of the page shows
    assert any(expected in c.value for c in at.caption), [c.value for c in at.caption]


def test_an_address_that_is_not_plain_is_written_as_text_not_as_a_link():
    """PUBLIC_URL is not checked: a space or a parenthesis in it must not end or bend a Markdown link."""
    odd = state.markdown_address("https://records.example.gov.cn/x y)")
    assert not odd.startswith("<") and "\\)" in odd and "](" not in odd
    assert state.markdown_address("https://records.example.gov.cn/x") == "<https://records.example.gov.cn/x>"


def test_back_after_a_filter_change_brings_the_earlier_view_back(entry_mode):
    """Streamlit pushes a history entry for each URL the app writes and reruns the page with the old URL on
    Back; the filters follow that URL instead of writing the newer view over it."""
    at = open_page("trends", {"session": "23", "from": "5", "to": "23"})
    at.selectbox(key="f_from").set_value(12).run()
    assert at.query_params["from"] == "12"
    at.query_params["from"] = "5"  # Back: the browser's URL is the earlier one
    at.run()
    assert not at.exception
    assert at.selectbox(key="f_from").value == 5 and at.query_params["from"] == "5"
    at.query_params.pop("from"), at.query_params.pop("to"), at.query_params.pop("session")  # menu: no filters
    at.run()
    assert at.selectbox(key="f_from").value == 5 and at.query_params["from"] == "5"


def test_about_reconciliation_reads_in_the_readers_words(entry_mode):
    """The scope column said "session 23" on the Chinese page, and 85.3, 862, 75 stood without units."""
    at = open_page("about", {"session": "23"})
    recon = next(d.value for d in at.dataframe if "范围" in d.value.columns)
    assert not recon["范围"].str.contains("session").any()
    assert set(recon["范围"]) >= {"第23届", "第1–22届（2002–2023年）"}
    published = list(recon.iloc[:, recon.columns.get_loc("范围") + 2])  # scope, figure, published
    assert {"85.3%", "8.62亿元", "75%", "7 个百分点"} <= set(published), published
    sessions = next(d.value for d in at.dataframe if d.value.shape[0] >= 23 and "届次" in d.value.columns)
    assert not sessions.astype(str).isin(["None", "nan", "NaT", "<NA>"]).any().any()


def test_tied_districts_are_listed_alike_on_the_districts_page_the_profile_and_the_release(built_db, sql):
    """Session 23: 龙岗区 and 光明区 both have 19 records. The districts ranking listed 光明 first (by
    applicants), the profile's city chart 龙岗 (by code)."""
    from core import catalog, release
    from core.filters import parse

    options = catalog.load_options()
    filters = parse({"lang": "zh", "session": "23"}, options).filters
    ties = [name for name, n in sql("SELECT d.name_zh, count(*) FROM records r JOIN districts d USING "
                                    "(district_code) WHERE session_no = 23 GROUP BY d.name_zh, d.district_code "
                                    "HAVING count(*) = 19 ORDER BY d.district_code")]
    assert ties == ["龙岗区", "光明区"]
    for name in ("district_ranking", "profile_districts"):
        labels = list(catalog.build(name, filters, options)[0].data[0].y)
        assert [x for x in labels if x in ties] == ties, name
    # the release's leading districts by records: both of the fourth rank, in that order
    records = next(p for sec in release.build(23, "zh", options, with_charts=False).sections
                   for p in sec.paragraphs if p.startswith("从获评项目数看"))
    assert "龙华区（31项）、龙岗区（19项）、光明区（19项）" in records
