"""The derived tables (data/derived.sql) give the same answers as counting the records themselves.

The demo data has one district and one division per company and session, so the queries' fast path
(count_pairs: count(*) for a pair with one row) is all it exercises. Here a copy of the database gets
companies whose records in one session lie in two districts or two divisions, the derived tables are
refreshed as an import refreshes them, and every query that counts approved companies is checked against
pandas counting distinct (session, company) pairs of the raw records.
"""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from core import build as build_module
from core import config, db

SESSION = 20


@pytest.fixture
def spread_db(db_copy):
    """Three companies of session 20 get a second record: one in another district, one in another division,
    one in both; a fourth company gets a record in session 21 in a district it never had."""
    with duckdb.connect(str(db_copy)) as con:
        firms = con.execute(
            "SELECT company_id, district_code, district_raw, industry_code FROM records WHERE session_no = $s "
            "ORDER BY record_id LIMIT 4", {"s": SESSION}).fetchall()
        other_district = {"440305": "440306"}  # Nanshan -> Bao'an, otherwise -> Nanshan
        extra = []
        for i, (company, district, raw, industry) in enumerate(firms):
            moved = other_district.get(district, "440305") if i in (0, 2, 3) else district
            division = "C39" if not industry.startswith("C39") else "C38"
            code = f"{division}1" if i in (1, 2) else industry
            session = SESSION + 1 if i == 3 else SESSION
            raw_name = raw if moved == district else con.execute(
                "SELECT name_zh FROM districts WHERE district_code = $d", {"d": moved}).fetchone()[0]
            extra.append((f"spread-{i}", session, company, f"扩展项目{i}", code, moved, raw_name))
        con.executemany("INSERT INTO records (record_id, session_no, company_id, project_name_zh, industry_code, "
                        "district_code, district_raw, source) VALUES (?, ?, ?, ?, ?, ?, ?, 'test')", extra)
        build_module.stamp(con)
        spread = con.execute("SELECT count(DISTINCT company_id) FROM session_companies WHERE cells > 1").fetchone()[0]
        assert spread == 3  # the three pairs of session 20 now have two rows each
        records = con.execute("SELECT session_no, company_id, district_code, left(industry_code, 3) AS division "
                              "FROM records").df()
    with config.database(db_copy):
        yield records, firms


def pairs(frame: pd.DataFrame) -> int:
    return len(frame[["session_no", "company_id"]].drop_duplicates())


def test_companies_per_session_count_each_pair_once(spread_db):
    records, _ = spread_db
    for districts in ([], ["440305"], ["440305", "440306"]):
        got = db.run("records_per_session", session_from=SESSION, session_to=SESSION + 1, districts=districts,
                     industries=[]).set_index("session_no")["companies"]
        for session in (SESSION, SESSION + 1):
            rows = records[records.session_no == session]
            if districts:
                rows = rows[rows.district_code.isin(districts)]
            assert got[session] == pairs(rows), (districts, session)


def test_district_ranking_and_map_count_a_spread_company_in_each_district(spread_db):
    records, _ = spread_db
    rows = records[records.session_no == SESSION]
    expected = {d: pairs(g) for d, g in rows.groupby("district_code")}
    ranking = db.run("district_ranking", session_from=SESSION, session_to=SESSION, districts=[], industries=[])
    assert dict(zip(ranking.district_code, ranking.companies)) == expected
    shown = db.run("district_map", session_from=SESSION, session_to=SESSION, districts=[], industries=[])
    assert {d: n for d, n in zip(shown.district_code, shown.companies_summed) if n} == expected


def test_totals_kpis_and_profile_agree_with_the_records(spread_db):
    records, _ = spread_db
    span = records[records.session_no.between(SESSION, SESSION + 1)]
    totals = db.run("cumulative_totals", session_from=SESSION, session_to=SESSION + 1, districts=[],
                    industries=[]).iloc[0]
    assert totals["companies_summed"] == pairs(span)
    assert totals["companies_distinct"] == span.company_id.nunique()
    assert totals["records"] == len(span)
    kpis = db.run("session_kpis", districts=[], industries=["C39"]).set_index("session_no")
    for session in (SESSION, SESSION + 1):
        rows = records[(records.session_no == session) & (records.division == "C39")]
        assert kpis.loc[session, "companies"] == pairs(rows)
        assert kpis.loc[session, "records"] == len(rows)
    profile = db.run("district_profile_records", code="440305").set_index("session_no")
    for session in (SESSION, SESSION + 1):
        rows = records[records.session_no == session]
        assert profile.loc[session, "city_companies"] == pairs(rows)
        assert profile.loc[session, "companies"] == pairs(rows[rows.district_code == "440305"])


def test_returning_and_repeat_innovators_follow_the_whole_programme(spread_db):
    records, firms = spread_db
    firsts = records.groupby("company_id").session_no.min()
    rows = records[records.session_no == SESSION + 1][["session_no", "company_id"]].drop_duplicates()
    got = db.run("returning_companies", session_from=SESSION + 1, session_to=SESSION + 1, districts=[],
                 industries=[]).iloc[0]
    assert got["companies"] == len(rows)
    assert got["returning"] == int((rows.company_id.map(firsts) < SESSION + 1).sum())
    moved = firms[3][0]  # approved in session 20 and, in another district, in 21
    repeat = db.run("repeat_innovators", session_from=SESSION, session_to=SESSION + 1, districts=[],
                    industries=[], min_sessions=2, limit=100000)
    spans = records[records.session_no.between(SESSION, SESSION + 1)].groupby("company_id").session_no.nunique()
    assert set(repeat.company_id) == set(spans[spans >= 2].index)
    assert moved in set(repeat.company_id)
