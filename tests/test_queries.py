"""Named queries: every published figure of DESIGN.md through the queries the dashboard uses, and every
queries/*.sql file run with valid parameters, unfiltered and filtered, returning what its header promises.
"""

from __future__ import annotations

import collections
import re

import duckdb
import pandas as pd
import pytest

from core import db

pytestmark = pytest.mark.usefixtures("built_db")

ALL = {"districts": [], "industries": []}


def run(name: str, **params) -> pd.DataFrame:
    return db.run(name, **{**ALL, **params})


def one(frame: pd.DataFrame, **where) -> pd.Series:
    """The single row of `frame` matching the column values in `where`."""
    mask = pd.Series(True, index=frame.index)
    for column, value in where.items():
        mask &= frame[column] == value
    rows = frame[mask]
    assert len(rows) == 1, f"expected one row where {where}, got {len(rows)}"
    return rows.iloc[0]


# --- published figures -------------------------------------------------------------------------------------


def kpis(session: int) -> pd.Series:
    return one(run("session_kpis"), session_no=session)


@pytest.mark.parametrize(("column", "expected"), [
    ("records", 216),
    ("companies", 159),
    ("industries", 24),
    ("awarded", 15),
    ("applicants", 163),
])
def test_session_23_counts(column, expected):
    assert kpis(23)[column] == expected


def test_session_23_high_tech_share_is_85_3_percent():
    assert round(kpis(23)["high_tech_share"], 1) == 85.3
    strength = one(run("applicant_strength", session_from=23, session_to=23), session_no=23)
    assert (strength["applicants"], strength["high_tech"]) == (163, 139)
    assert round(strength["high_tech_share"], 1) == strength["published_high_tech_share"] == 85.3


def test_session_23_mean_revenue_is_862_million_yuan():
    assert kpis(23)["mean_revenue_cny"] == 862_000_000
    strength = one(run("applicant_strength", session_from=23, session_to=23), session_no=23)
    assert strength["mean_revenue_cny"] == 862_000_000


@pytest.mark.parametrize(("category", "records"), [
    ("product_rd", 148),
    ("manufacturing", 33),
    ("modern_service", 35),
])
def test_session_23_categories(category, records):
    split = run("category_split", session_from=23, session_to=23)
    assert one(split, session_no=23, category=category)["records"] == records


def test_session_23_categories_cover_every_record():
    split = run("category_split", session_from=23, session_to=23)
    assert split["records"].sum() == 216
    assert split["share"].sum() == pytest.approx(100)


def test_session_23_awards_total_15():
    awards = run("awards_per_session", session_from=23, session_to=23)
    assert set(awards["award_level"]) <= {"national", "provincial", "municipal"}
    assert awards["records"].sum() == 15
    listed = run("record_list", session_from=23, session_to=23, q="", awarded_only=True, limit=1000)
    assert len(listed) == 15 and listed["award_level"].notna().all()


@pytest.mark.parametrize(("qualification", "companies"), [
    ("single_champion", 24),
    ("little_giant", 23),
    ("provincial_srdi", 22),
    ("municipal_srdi", 54),
])
def test_session_23_qualifications(qualification, companies):
    mix = run("qualification_mix", session_from=23, session_to=23)
    assert one(mix, qualification=qualification)["companies"] == companies


def test_session_23_qualified_share_is_75_percent_up_7_points():
    mix = run("qualification_mix", session_from=23, session_to=23)
    assert mix["companies"].sum() == 163
    qualified = mix[mix["qualification"].notna()]
    assert qualified["companies"].sum() == 123
    assert round(qualified["share"].sum()) == 75
    both = run("session_kpis")
    s23, s22 = one(both, session_no=23), one(both, session_no=22)
    assert round(s23["qualified_share"]) == 75
    assert round(s23["qualified_share"] - s22["qualified_share"]) == 7
    strength = run("applicant_strength", session_from=22, session_to=23).set_index("session_no")
    assert round(strength.loc[23, "qualified_share"] - strength.loc[22, "qualified_share"]) == 7


def test_session_23_applicants_mostly_from_nanshan_baoan_longhua_guangming():
    ranking = run("district_ranking", session_from=23, session_to=23)
    assert ranking["applicants"].sum() <= 163
    by_applicants = ranking.sort_values(["applicants", "district_code"], ascending=[False, True])
    top = list(by_applicants["district_code"].head(4))
    assert top == ["440305", "440306", "440309", "440311"]
    # strictly ahead: the order is not an artefact of tie-breaking
    counts = list(by_applicants["applicants"].head(5))
    assert counts == sorted(counts, reverse=True) and len(set(counts)) == 5


@pytest.mark.parametrize(("code", "first", "last"), [
    ("440305", 1, 23), ("440305", 20, 23), ("440309", 2, 11), ("440307", 11, 11), ("NOPE", 1, 23),
])
def test_district_profile_industries_against_the_records(sql, code, first, last):
    """Every division of the district over the range (ties by code), counted here in Python from plain rows;
    the shares' totals include records without a known division."""
    rows = sql("SELECT district_code, left(industry_code, 3) FROM records WHERE session_no BETWEEN $a AND $b",
               a=first, b=last)
    known = {industry for (industry,) in sql("SELECT industry_code FROM industries")}
    city = collections.Counter(division for _, division in rows)
    mine = collections.Counter(division for district, division in rows if district == code)
    expected = sorted((-n, division) for division, n in mine.items() if division in known)
    got = run("district_profile_industries", code=code, session_from=first, session_to=last, limit=1000)
    assert [(r.division_code, r.records) for r in got.itertuples()] == [(d, -n) for n, d in expected]
    assert (code == "NOPE") == got.empty
    for r in got.itertuples():
        assert r.share == pytest.approx(100 * r.records / mine.total())
        assert r.city_records == city[r.division_code]
        assert r.city_share == pytest.approx(100 * city[r.division_code] / len(rows))
        assert r.district_part == pytest.approx(100 * r.records / city[r.division_code])


@pytest.mark.parametrize(("code", "first", "last"), [
    ("440305", 1, 23), ("440305", 20, 23), ("440309", 2, 11), ("440307", 11, 11), ("NOPE", 1, 23),
])
def test_district_profile_totals_against_the_records(sql, code, first, last):
    """Records, company-sessions and distinct companies, counted from the plain rows (not session_companies)."""
    pairs = sql("SELECT session_no, company_id FROM records WHERE district_code = $c "
                "AND session_no BETWEEN $a AND $b", c=code, a=first, b=last)
    got = one(run("district_profile_totals", code=code, session_from=first, session_to=last))
    assert (got["records"], got["companies_summed"], got["companies_distinct"]) == (
        len(pairs), len(set(pairs)), len({company for _, company in pairs}))


@pytest.mark.parametrize(("first", "last", "records", "companies_summed", "column", "low", "high"), [
    (1, 22, 3468, 1830, "groups", 81, 89),
    (1, 20, 3053, 1522, "divisions", 51, 59),
    (1, 23, 3684, 1989, "groups", 81, 89),
])
def test_cumulative_totals(first, last, records, companies_summed, column, low, high):
    totals = one(run("cumulative_totals", session_from=first, session_to=last))
    assert totals["records"] == records
    assert totals["companies_summed"] == companies_summed
    assert low <= totals[column] <= high  # "50多" / "80多"
    assert totals["sessions"] == last - first + 1
    assert totals["companies_distinct"] <= totals["companies_summed"]


@pytest.mark.parametrize(("first", "last"), [(1, 20), (1, 22), (1, 23)])
def test_records_per_session_adds_up_to_the_cumulative_totals(first, last):
    per_session = run("records_per_session", session_from=first, session_to=last)
    totals = one(run("cumulative_totals", session_from=first, session_to=last))
    assert per_session["records"].sum() == totals["records"]
    assert per_session["companies"].sum() == totals["companies_summed"]


@pytest.mark.parametrize(("session", "records", "companies"), [
    (1, 104, 52),
    (11, 136, None),
    (13, 146, None),
    (23, 216, 159),
])
def test_records_per_session_matches_the_published_figure(session, records, companies):
    row = one(run("records_per_session", session_from=1, session_to=23), session_no=session)
    assert row["records"] == records == row["published_records"]
    if companies is not None:
        assert row["companies"] == companies == row["published_companies"]


def test_session_1_records_companies_industries():
    row = kpis(1)
    assert (row["records"], row["companies"], row["industries"], row["applicants"]) == (104, 52, 14, 66)


def test_session_1_applications_139_projects_from_66_companies_in_15_industries(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        applications, companies, divisions = con.execute(
            "SELECT count(*), count(DISTINCT company_id), count(DISTINCT left(industry_code, 3)) "
            "FROM applications WHERE session_no = 1").fetchone()
        approved = con.execute("SELECT count(*) FROM applications WHERE session_no = 1 AND record_id IS NOT NULL"
                               ).fetchone()[0]
    assert (applications, companies, divisions) == (139, 66, 15)
    assert approved == 104


def test_session_1_industries_as_published():
    published = run("industries_as_published", session=1)
    counts = dict(zip(published["industry_raw"], published["records"]))
    assert published["records"].sum() == 104
    assert [counts[name] for name in ["机械", "医药", "钟表", "旅游", "电力"]] == [19, 18, 13, 13, 11]
    assert list(published["industry_raw"].head(2)) == ["机械", "医药"]
    assert set(published["industry_raw"].iloc[2:4]) == {"钟表", "旅游"}
    assert published["industry_raw"].iloc[4] == "电力"
    others = published[~published["industry_raw"].isin(["机械", "医药", "钟表", "旅游", "电力"])]
    assert (others["records"] <= 10).all()
    assert list(published["records"]) == sorted(published["records"], reverse=True)


def test_session_11_has_136_records():
    assert kpis(11)["records"] == 136


def test_reconciliation_has_no_mismatch():
    rec = run("reconciliation")
    assert rec.loc[rec["matches"].isna(), "comparison"].eq("reported").all()  # only figures records cannot give
    mismatches = rec[rec["matches"].eq(False)]
    assert mismatches.empty, mismatches[["scope", "metric", "value_text", "published", "derived"]].to_string()


def test_reconciliation_covers_every_published_figure(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        published = con.execute("SELECT session_from, session_to, metric, coalesce(value_text, '') "
                                "FROM published_stats").fetchall()
    rec = run("reconciliation")
    shown = list(zip(rec["session_from"], rec["session_to"], rec["metric"], rec["value_text"].fillna("")))
    assert sorted(shown) == sorted(published)
    assert len(rec) == len(published) >= 38


# --- every named query -------------------------------------------------------------------------------------

# Enumerated values mentioned in headers (not column names).
VALUES = {"product_rd", "manufacturing", "modern_service", "single_champion", "little_giant",
          "provincial_srdi", "municipal_srdi"}


def some_company_id() -> str:
    return run("company_search", q="")["company_id"].iloc[0]


def params_for(name: str, **overrides) -> dict:
    """Sensible values for every $parameter a query uses, chosen by the parameter's name."""
    defaults = {"session": 23, "session_from": 1, "session_to": 23, "districts": [], "industries": [],
                "top": 5, "min_sessions": 2, "q": "", "limit": 100_000, "awarded_only": False,
                "code": "440305", "session_a": 22, "session_b": 23}
    values = {}
    for param in db.query_params(name):
        if param == "company_id":
            values[param] = some_company_id()
        elif param in defaults:
            values[param] = defaults[param]
        else:
            pytest.fail(f"query {name!r} has parameter ${param}; teach params_for a value for it")
    return {**values, **{k: v for k, v in overrides.items() if k in values}}


def promised_columns(name: str) -> set[str]:
    """Column names a query's header comment promises (parsed loosely).

    The header reads "what it returns: col_a, col_b (note), ... . More prose. params: ...": the single
    identifiers in the list after the first colon outside parentheses, plus every snake_case identifier
    anywhere in the description (minus $parameters and enumerated values).
    """
    text = db.header(name).split("params:", 1)[0]
    promised = {t for t in re.findall(r"(?<![$\w])([a-z][a-z0-9]*(?:_[a-z0-9]+)+)\b", text)} - VALUES
    flat, depth = [], 0
    for ch in text.replace("\n", " "):
        depth += ch == "("
        flat.append(ch if depth == 0 else "")
        depth -= ch == ")" and depth > 0
    outside = "".join(flat)
    if ":" in outside:
        listing = re.split(r"\.(?:\s|$)", outside.split(":", 1)[1], maxsplit=1)[0]
        for piece in listing.split(","):
            piece = re.sub(r"^\s*and\s+", "", piece).strip()
            if re.fullmatch(r"[a-z][a-z0-9_]*", piece):
                promised.add(piece)
    return promised - db.query_params(name)


QUERY_NAMES = db.query_names()


def test_queries_are_discovered():
    assert len(QUERY_NAMES) >= 20
    assert {"session_kpis", "cumulative_totals", "reconciliation", "record_list"} <= set(QUERY_NAMES)


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_header_documents_params(name):
    head = db.header(name)
    assert head, f"{name}.sql has no header comment"
    assert "params:" in head
    for param in db.query_params(name):
        assert f"${param}" in head, f"{name}.sql header does not mention ${param}"


@pytest.mark.parametrize("name", QUERY_NAMES)
def test_query_returns_promised_columns(name):
    result = db.run(name, **params_for(name))
    promised = promised_columns(name)
    assert promised, f"could not read any column names from the header of {name}.sql"
    missing = promised - set(result.columns)
    assert not missing, f"{name}.sql header promises {sorted(missing)}, result has {list(result.columns)}"
    assert not result.empty, f"{name}.sql returned no rows for {params_for(name)}"


# Focus, not filter: these show the whole city and flag the selected districts.
FOCUS_QUERIES = {"district_ranking", "district_rank_history", "district_heatmap", "district_map"}
ALL_DISTRICTS = {"440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310", "440311",
                 "SZDP", "SZSS"}


@pytest.mark.parametrize("name", [n for n in QUERY_NAMES if "districts" in db.query_params(n)])
def test_query_with_district_filter_shows_only_that_district(name):
    result = db.run(name, **params_for(name, districts=["440305"]))
    assert not result.empty, f"{name}.sql returned nothing for Nanshan"
    if name in FOCUS_QUERIES:
        assert set(result.loc[result["selected"], "district_code"]) == {"440305"}
    elif "district_code" in result.columns:
        assert set(result["district_code"].dropna()) == {"440305"}


@pytest.mark.parametrize(("name", "sessions"), [
    ("district_ranking", {"session_from": 23, "session_to": 23}),
    ("district_rank_history", {"session_from": 22, "session_to": 23}),
    ("district_heatmap", {"session_from": 1, "session_to": 23}),
    ("district_map", {"session_from": 1, "session_to": 23}),
])
def test_focus_queries_keep_every_district_and_flag_the_selected(name, sessions):
    result = run(name, **sessions, districts=["440305", "440309"])
    assert set(result["district_code"]) == ALL_DISTRICTS
    assert set(result.loc[result["selected"], "district_code"]) == {"440305", "440309"}
    assert not run(name, **sessions)["selected"].any()  # no selection: nothing emphasised


def _city_rank(con, district: str, first: int, last: int) -> int:
    """1 + the number of districts with more records in sessions first..last, counted directly."""
    (above,), = con.execute(
        "SELECT count(*) FROM (SELECT district_code, count(*) AS n FROM records WHERE session_no BETWEEN $f AND $l "
        "GROUP BY district_code) WHERE n > (SELECT count(*) FROM records WHERE district_code = $d "
        "AND session_no BETWEEN $f AND $l)", {"f": first, "l": last, "d": district}).fetchall()
    return above + 1


def test_focus_rank_is_the_rank_in_the_city(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        (own,), = con.execute("SELECT count(*) FROM records WHERE session_no = 23 AND district_code = '440309'"
                              ).fetchall()
        expected = {key: _city_rank(con, *key) for key in
                    [("440309", 23, 23), ("440309", 22, 22), ("440305", 23, 23), ("440306", 1, 23)]}
    assert expected[("440305", 23, 23)] == 1  # published: most applicants and records from Nanshan
    ranking = run("district_ranking", session_from=23, session_to=23, districts=["440309"])
    longhua = one(ranking, district_code="440309")
    assert (longhua["rank"], longhua["districts_ranked"], longhua["records"], bool(longhua["selected"])) == \
        (expected[("440309", 23, 23)], 11, own, True)
    assert one(ranking, district_code="440305")["rank"] == 1
    history = run("district_rank_history", session_from=22, session_to=23, districts=["440309"])
    assert one(history, district_code="440309", session_no=22)["rank"] == expected[("440309", 22, 22)]
    assert one(history, district_code="440309", session_no=23)["rank"] == expected[("440309", 23, 23)]
    whole_range = run("district_map", session_from=1, session_to=23, districts=["440306"])
    assert one(whole_range, district_code="440306")["rank"] == expected[("440306", 1, 23)]


@pytest.mark.parametrize("name", [n for n in QUERY_NAMES if "industries" in db.query_params(n)])
def test_query_with_industry_filter_shows_only_that_division(name):
    result = db.run(name, **params_for(name, industries=["C39"]))
    assert not result.empty, f"{name}.sql returned nothing for division C39"
    if "division_code" in result.columns:
        assert set(result["division_code"].dropna()) == {"C39"}


@pytest.mark.parametrize(("districts", "industries"), [
    (["440305"], []),
    ([], ["C39"]),
    (["440305", "440309"], ["C39", "I65"]),
])
def test_filtered_totals_match_the_rows(built_db, districts, industries):
    totals = one(run("cumulative_totals", session_from=1, session_to=23, districts=districts,
                     industries=industries))
    listed = run("record_list", session_from=1, session_to=23, districts=districts, industries=industries, q="",
                 awarded_only=False, limit=100_000)
    counted = one(run("record_count", session_from=1, session_to=23, districts=districts, industries=industries,
                      q="", awarded_only=False))["records"]
    with duckdb.connect(str(built_db), read_only=True) as con:
        direct = con.execute(
            "SELECT count(*) FROM records WHERE (len($d::VARCHAR[]) = 0 OR list_contains($d, district_code)) "
            "AND (len($i::VARCHAR[]) = 0 OR list_contains($i, left(industry_code, 3)))",
            {"d": districts, "i": industries}).fetchone()[0]
    assert totals["records"] == len(listed) == counted == direct > 0
    per_session = run("records_per_session", session_from=1, session_to=23, districts=districts,
                      industries=industries)
    assert per_session["records"].sum() == direct
    assert per_session["published_records"].isna().all()


@pytest.mark.parametrize(("first", "last", "districts", "industries", "q", "awarded_only"), [
    (1, 23, [], [], "", False),
    (1, 23, ["440305"], [], "", True),
    (20, 23, [], ["C34", "C39"], "数控", False),
    (23, 23, ["440305", "440306"], ["C39", "I65"], "", False),
    (1, 23, [], [], "Automation", False),  # English company name
    (1, 23, ["440306"], [], "91440306", True),  # credit-code fragment, award winners only
])
def test_record_count_equals_the_list_below_it(first, last, districts, industries, q, awarded_only):
    params = {"session_from": first, "session_to": last, "districts": districts, "industries": industries,
              "q": q, "awarded_only": awarded_only}
    counted = one(run("record_count", **params))["records"]
    listed = run("record_list", **params, limit=2**31 - 1)  # no limit in effect
    assert counted == len(listed) > 0


@pytest.mark.parametrize("typed", ["%", "_", "%技%", "9144_306"])
def test_searches_take_percent_and_underscore_as_typed(typed):
    # no demo name, project or credit code holds % or _: as wildcards they matched every row
    params = {"session_from": 1, "session_to": 23, "q": typed, "awarded_only": False}
    assert one(run("record_count", **params))["records"] == 0
    assert run("record_list", **params, limit=10).empty
    assert run("company_search", q=typed).empty


def test_searches_ignore_case():
    lower = one(run("record_count", session_from=1, session_to=23, q="automation", awarded_only=False))
    upper = one(run("record_count", session_from=1, session_to=23, q="AUTOMATION", awarded_only=False))
    assert lower["records"] == upper["records"] > 0
    assert len(run("company_search", q="automation")) == len(run("company_search", q="AUTOMATION")) > 0


def test_unknown_district_filter_gives_empty_results_not_errors():
    assert one(run("cumulative_totals", session_from=1, session_to=23, districts=["NOPE"]))["records"] == 0
    assert run("record_list", session_from=1, session_to=23, districts=["NOPE"], q="", awarded_only=False,
               limit=10).empty
    assert not run("district_ranking", session_from=23, session_to=23, districts=["NOPE"])["selected"].any()


def test_run_rejects_missing_parameters():
    with pytest.raises(TypeError, match="session"):
        db.run("industries_as_published", districts=[])


def test_queries_read_tables_without_index_scans():
    """DuckDB keeps an index for every foreign key; on a small database it would read a district's records
    through it and fetch the project names row by row (record_count with a district and a text: 10 ms, 2 ms
    scanned). The app's connection turns index scans off."""
    params = {"session_from": 1, "session_to": 23, "districts": ["440305"], "industries": [], "q": "科技",
              "awarded_only": False}
    cursor = db.connection().cursor()
    try:
        plan = cursor.execute("EXPLAIN ANALYZE " + db.sql_text("record_count"), params).fetchall()[0][1]
    finally:
        cursor.close()
    assert "Sequential Scan" in plan and "Index Scan" not in plan


# --- the importer's statements (queries/importer/): run on the importer's own copy by tests/test_importer.py,
# test_undo.py and test_import_history.py; here, that each is documented, used, and the table list is right --

IMPORTER_NAMES = db.importer_names()
IMPORTER_CODE = "\n".join(p.read_text(encoding="utf-8") for p in sorted(db.ROOT.glob("core/importer/*.py")))


def test_importer_statements_are_discovered_and_kept_apart():
    assert len(IMPORTER_NAMES) >= 15
    assert not {name.removeprefix("importer/") for name in IMPORTER_NAMES} & set(QUERY_NAMES)
    with pytest.raises(KeyError):
        db.sql_text("importer/../session_kpis")


@pytest.mark.parametrize("name", IMPORTER_NAMES)
def test_importer_statement_header_documents_params_and_the_importer_uses_it(name):
    head = db.header(name)
    assert "params:" in head, f"{name}.sql has no params line in its header"
    for param in db.query_params(name):
        assert f"${param}" in head, f"{name}.sql header does not mention ${param}"
    assert f'"{name.removeprefix("importer/")}"' in IMPORTER_CODE, f"{name}.sql is used nowhere"


def test_session_tables_are_the_tables_whose_rows_name_a_company_in_a_session(built_db):
    from core.importer import sql

    con = duckdb.connect(str(built_db), read_only=True)
    try:
        keyed = con.execute("SELECT table_name FROM duckdb_constraints() WHERE constraint_type = 'FOREIGN KEY' "
                            "GROUP BY table_name HAVING bool_or(referenced_table = 'companies') "
                            "AND bool_or(referenced_table = 'sessions')").fetchall()
    finally:
        con.close()
    assert set(sql.SESSION_TABLES) == {t for (t,) in keyed}
    assert sql.SESSION_TABLES.index("records") < sql.SESSION_TABLES.index("applications")  # parents first
