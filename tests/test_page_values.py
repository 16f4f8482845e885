"""What the districts, industries and companies pages draw for sessions 21-23 (a range other than 1-23), value by
value, against counts made here with plain SQL on the tables (not the named queries the pages use).

Totals are also checked against literals fixed by published figures: 3,684 records and 1,989 approved companies
(summed over sessions) in sessions 1-23, 3,053 and 1,522 in sessions 1-20, so sessions 21-23 have 631 records
and 467 company-sessions; session 23 alone has 216 records.
"""

from __future__ import annotations

import pytest

from core.i18n import t
from tests.test_pages import charts, entry_mode, open_page  # noqa: F401 (entry_mode is a fixture)

RANGE = {"session": "23", "from": "21", "to": "23", "lang": "en"}
RECORDS_21_23 = 3684 - 3053
COMPANY_SESSIONS_21_23 = 1989 - 1522
RECORDS_23 = 216


@pytest.fixture(scope="module")
def names(sql):
    return dict(sql("SELECT district_code, name_en FROM districts"))


def page(name: str):
    at = open_page(name, RANGE)
    assert not at.exception, [e.message for e in at.exception]
    return at, charts(at)


def test_districts_page_values(entry_mode, sql, names):  # noqa: F811
    _, figs = page("districts")
    cells = sql("SELECT district_code, session_no, count(*) FROM records WHERE session_no BETWEEN 21 AND 23 "
                "GROUP BY ALL")
    assert sum(n for _, _, n in cells) == RECORDS_21_23

    heat = figs["district_heatmap"]["data"][0]
    drawn = {(y, x): z for y, row in zip(heat["y"], heat["z"]) for x, z in zip(heat["x"], row)}
    expected = {(names[code], s): 0 for code in names for s in (21, 22, 23)}
    expected.update({(names[code], s): n for code, s, n in cells})
    assert drawn == expected

    ranks = sql("SELECT district_code, session_no, rank() OVER (PARTITION BY session_no ORDER BY n DESC) FROM "
                "(SELECT district_code, session_no, count(*) AS n FROM records WHERE session_no BETWEEN 21 AND 23 "
                "GROUP BY district_code, session_no)")
    lines = {(trace["name"], x): y for trace in figs["district_rank_history"]["data"]
             for x, y in zip(trace["x"], trace["y"])}
    assert lines == {(names[code], s): r for code, s, r in ranks}

    mapped = next(t for t in figs["district_map"]["data"] if t["type"] == "choropleth")
    per_district = dict(sql("SELECT district_code, count(*) FROM records WHERE session_no BETWEEN 21 AND 23 "
                            "GROUP BY ALL"))
    companies = dict(sql("SELECT district_code, count(DISTINCT (session_no, company_id)) FROM records "
                         "WHERE session_no BETWEEN 21 AND 23 GROUP BY ALL"))
    assert dict(zip(mapped["locations"], mapped["z"])) == {c: per_district.get(c, 0) for c in mapped["locations"]}
    assert dict(zip(mapped["locations"], mapped["customdata"])) == \
        {c: companies.get(c, 0) for c in mapped["locations"]}
    assert len(mapped["locations"]) == 9
    assert sum(companies.values()) == COMPANY_SESSIONS_21_23

    ranking = figs["district_ranking"]["data"][0]
    session_23 = dict(sql("SELECT district_code, count(*) FROM records WHERE session_no = 23 GROUP BY ALL"))
    assert dict(zip(ranking["y"], ranking["x"])) == {names[c]: n for c, n in session_23.items()}
    assert sum(ranking["x"]) == RECORDS_23


def test_industries_page_values(entry_mode, sql):  # noqa: F811
    _, figs = page("industries")
    tree = figs["industry_breakdown"]["data"][0]
    values = dict(zip(tree["ids"], tree["values"]))
    groups = dict(sql("SELECT industry_code, count(*) FROM records WHERE session_no BETWEEN 21 AND 23 GROUP BY ALL"))
    divisions = dict(sql("SELECT left(industry_code, 3), count(*) FROM records WHERE session_no BETWEEN 21 AND 23 "
                         "GROUP BY ALL"))
    assert values == {**groups, **divisions}
    assert sum(divisions.values()) == RECORDS_21_23

    top8 = sql("SELECT left(industry_code, 3) AS d, count(*) AS n FROM records WHERE session_no BETWEEN 21 AND 23 "
               "GROUP BY d ORDER BY n DESC, d LIMIT 8")
    per_session = sql("SELECT left(industry_code, 3), session_no, count(*) FROM records "
                      "WHERE session_no BETWEEN 21 AND 23 GROUP BY ALL")
    lead = {d for d, _ in top8}
    expected = {(d, s): 0 for d in lead for s in (21, 22, 23)}
    expected.update({(d, s): n for d, s, n in per_session if d in lead})
    en_names = dict(sql("SELECT industry_code, name_en FROM industries WHERE level = 'division'"))
    short = {d: en_names[d] if len(en_names[d]) <= 18 else en_names[d][:17] + "…" for d in lead}
    lines = {(trace["name"], x): y for trace in figs["industry_trends"]["data"] for x, y in zip(trace["x"], trace["y"])}
    assert lines == {(short[d], s): n for (d, s), n in expected.items()}

    bars = figs["industries_as_published"]["data"][0]
    published = sorted(n for (n,) in sql("SELECT count(*) FROM records WHERE session_no = 23 GROUP BY industry_raw"))
    assert sorted(bars["x"]) == published and sum(published) == RECORDS_23


def test_companies_page_values(entry_mode, sql):  # noqa: F811
    at, figs = page("companies")
    first, returning = figs["returning_companies"]["data"][:2]
    rows = sql("WITH firsts AS (SELECT company_id, min(session_no) AS s0 FROM records GROUP BY ALL), "
               "pairs AS (SELECT DISTINCT session_no, company_id FROM records WHERE session_no BETWEEN 21 AND 23) "
               "SELECT p.session_no, count(*) FILTER (WHERE f.s0 = p.session_no), "
               "count(*) FILTER (WHERE f.s0 < p.session_no) FROM pairs p JOIN firsts f USING (company_id) "
               "GROUP BY ALL ORDER BY 1")
    assert dict(zip(first["x"], first["y"])) == {s: n for s, n, _ in rows}
    assert dict(zip(returning["x"], returning["y"])) == {s: n for s, _, n in rows}
    assert sum(first["y"]) + sum(returning["y"]) == COMPANY_SESSIONS_21_23

    repeat = figs["repeat_innovators"]["data"][0]
    leaders = sql("SELECT count(DISTINCT session_no) AS k, count(*) AS n, "
                  "string_agg(DISTINCT session_no::VARCHAR, ', ' ORDER BY session_no::VARCHAR) "
                  "FROM records WHERE session_no BETWEEN 21 AND 23 GROUP BY company_id "
                  "HAVING k >= 2 ORDER BY k DESC, n DESC, company_id LIMIT 15")
    drawn = list(zip(repeat["x"], [row[0] for row in repeat["customdata"]], repeat["text"]))
    assert drawn == [tuple(row) for row in leaders]

    # the profile below the charts: the first company found, its sessions and records
    choice = at.selectbox(key="companies_pick").value
    (sessions, records), = sql(f"SELECT count(DISTINCT session_no), count(*) FROM records "
                               f"WHERE company_id = '{choice}'")  # an id read from our own database
    summary = t("companies.summary", "en", sessions=sessions, records=records, code=choice)
    assert summary in "\n".join(m.value for m in at.markdown)


@pytest.mark.parametrize(("first", "last", "sessions"), [(1, 23, {2, 11}), (1, 10, {2}), (3, 10, set()),
                                                          (11, 11, {11})])
def test_trends_prizes_table_shows_the_ranges_sessions(first, last, sessions):
    """The programme's own prizes are published for sessions 2 and 11 only (the press releases)."""
    at = open_page("trends", {"session": str(last), "from": str(first), "to": str(last), "lang": "en"})
    assert not at.exception, [e.message for e in at.exception]
    heading = t("facts.prizes_heading", "en")
    assert (heading in [h.value for h in at.header]) == bool(sessions)
    shown = set()
    for table in at.dataframe:
        frame = table.value
        if t("facts.col_prize", "en") in frame.columns:
            shown |= {int(s) for s in frame[t("columns.session_no", "en")]}
    assert shown == sessions
