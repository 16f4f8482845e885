"""Edges of the named queries where a plausible slip changes what an official reads: ties (rank and order),
the first session of a district, a share's denominator, case in a search. Expected values from plain SQL on
the built database, never from the query under test."""

from __future__ import annotations

import pandas as pd
import pytest

from core import db

ALL = {"districts": [], "industries": []}


def _competition_ranks(rows: list[tuple[str, int | None]]) -> dict[str, int | None]:
    """Rank by records, equal records sharing a rank and the next rank skipping (1, 1, 3)."""
    counted = [n for _, n in rows if n is not None]
    return {code: (None if n is None else 1 + sum(m > n for m in counted)) for code, n in rows}


def test_a_credit_code_is_found_in_lower_case(sql):
    code = sql("SELECT company_id FROM companies WHERE company_id LIKE '9144%' ORDER BY company_id LIMIT 1")[0][0]
    assert code != code.lower()
    assert list(db.run("company_search", q=code.lower())["company_id"]) == [code]


def test_repeat_innovators_break_ties_by_company_id(sql):
    expected = [r[0] for r in sql(
        "SELECT company_id FROM records WHERE session_no BETWEEN 1 AND 17 GROUP BY company_id "
        "HAVING count(DISTINCT session_no) >= 2 ORDER BY count(DISTINCT session_no) DESC, count(*) DESC, "
        "company_id LIMIT 200")]
    got = db.run("repeat_innovators", session_from=1, session_to=17, min_sessions=2, limit=200, **ALL)
    assert list(got["company_id"]) == expected


def test_industry_trends_break_ties_by_division_code(sql):
    expected = [r[0] for r in sql(
        "SELECT left(industry_code, 3) AS d FROM records WHERE session_no BETWEEN 1 AND 11 "
        "AND industry_code IS NOT NULL GROUP BY d ORDER BY count(*) DESC, d LIMIT 5")]
    got = db.run("industry_trends", session_from=1, session_to=11, top=5, **ALL)
    assert sorted(set(got["division_code"])) == sorted(expected)


def test_an_award_share_is_of_all_the_session_s_records(sql):
    share = db.run("awards_per_session", session_from=1, session_to=1, **ALL).set_index("award_level")["share"]
    provincial, total = sql("SELECT count(*) FILTER (WHERE award_level = 'provincial'), count(*) FROM records "
                            "WHERE session_no = 1")[0]
    assert provincial > 0 and share["provincial"] == pytest.approx(100 * provincial / total)


@pytest.mark.parametrize(("first", "last"), [(1, 10), (8, 9), (1, 23)])
def test_the_map_ranks_districts_as_every_page_does(sql, first, last):
    got = db.run("district_map", session_from=first, session_to=last, districts=["440303"], industries=[])
    counts = sql("SELECT d.district_code, count(r.record_id) FROM districts d LEFT JOIN records r "
                 "ON r.district_code = d.district_code AND r.session_no BETWEEN $a AND $b GROUP BY 1", a=first, b=last)
    ranks = _competition_ranks([(code, n or None) for code, n in counts])
    shown = {row.district_code: row.rank for row in got.itertuples() if row.records}
    assert shown == {code: rank for code, rank in ranks.items() if rank is not None}


def test_the_heatmap_ranks_ties_alike_and_counts_a_district_from_its_first_year(sql):
    got = db.run("district_heatmap", session_from=1, session_to=10, districts=["SZSS"], industries=[])
    founded = dict(sql("SELECT district_code, year(established) FROM districts"))
    assert founded["SZDP"] == founded["SZSS"] == 2011 and sql("SELECT year FROM sessions WHERE session_no = 10") \
        == [(2011,)]
    for row in got.itertuples():
        if row.year == founded[row.district_code]:  # its first year counts, 0 or more: not "not applicable"
            assert not pd.isna(row.records), row
    # a district established after 2011 without records (of its area, harmonised) in 1-10 has no cell to count
    totals = sql("SELECT d.district_code, CASE WHEN count(r.record_id) > 0 OR year(d.established) <= 2011 "
                 "THEN count(r.record_id) END FROM districts d LEFT JOIN records r "
                 "ON r.district_code = d.district_code AND r.session_no BETWEEN 1 AND 10 GROUP BY d.district_code, "
                 "d.established")
    ranks = {code: rank for code, rank in _competition_ranks(totals).items() if rank is not None}
    assert {r.district_code: int(r.rank) for r in got.itertuples() if r.district_code in ranks} == ranks
    assert ranks["SZDP"] == ranks["SZSS"]  # both 0 over sessions 1-10: a tie the ranks must show


def test_a_district_without_applicants_in_a_session_has_0_not_nothing():
    kpis = db.run("session_kpis", session_from=1, session_to=23, districts=["SZDP"], industries=[])
    early = kpis[kpis["session_no"] <= 3]
    assert len(early) == 3 and list(early["applicants"]) == [0, 0, 0]


def test_published_shares_stand_beside_the_city_only(sql):
    """The published 85.3 % is of the whole city's applicants: an industry or district view must not show it."""
    city = db.run("applicant_strength", session_from=21, session_to=23, districts=[], industries=[])
    assert city.set_index("session_no").loc[23, "published_high_tech_share"] == 85.3
    for districts, industries in (([], ["C39"]), (["440305"], [])):
        part = db.run("applicant_strength", session_from=21, session_to=23, districts=districts, industries=industries)
        assert part["published_high_tech_share"].isna().all() and part["published_qualified_share"].isna().all()


def test_titled_applicants_are_0_not_nothing_where_titles_were_recorded():
    part = db.run("applicant_strength", session_from=21, session_to=23, districts=["SZSS"], industries=["C39"])
    assert list(part["qualified"]) == [0, 0, 0]


def test_the_returning_share_keeps_its_decimals():
    rows = db.run("returning_companies", session_from=22, session_to=23, districts=[], industries=[])
    for row in rows.itertuples():
        assert row.returning_share == pytest.approx(100 * row.returning / row.companies)
    assert any(row.returning_share % 1 for row in rows.itertuples())
