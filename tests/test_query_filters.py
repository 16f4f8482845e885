"""Every filterable named query under a district, an industry and both filters: the filtered total is smaller than
the unfiltered one and equal to a count made here with plain SQL on the tables."""

from __future__ import annotations

import duckdb
import pytest

from core import db
from tests.test_queries import QUERY_NAMES, one, params_for

pytestmark = pytest.mark.usefixtures("built_db")

# Each filterable query's total, and the same total counted directly on the tables (plain SQL written here,
# not the query under test). Sessions 21-23, or session 22, so a query that ignores the start of the range
# or the session shows too. $d / $i are the district and division lists; $f / $t the sessions.
REC = ("FROM records r WHERE r.session_no BETWEEN $f AND $t AND (len($d) = 0 OR list_contains($d, r.district_code))"
       " AND (len($i) = 0 OR list_contains($i, left(r.industry_code, 3)))")
APPLICANTS = ("SELECT count(*) FROM company_profiles p WHERE p.session_no BETWEEN $f AND $t "
              "AND (len($d) = 0 OR list_contains($d, p.district_code)) AND (len($i) = 0 OR EXISTS ("
              "SELECT 1 FROM applications a WHERE a.session_no = p.session_no AND a.company_id = p.company_id "
              "AND list_contains($i, left(a.industry_code, 3))))")
RECORDS = f"SELECT count(*) {REC}"
PAIRS = f"SELECT count(DISTINCT (r.session_no, r.company_id)) {REC}"


def _sum(column):
    return lambda frame: int(frame[column].sum())


def _sum_selected(column):
    """Focus queries keep every district and flag the selection: the selection's total is what is filtered."""
    def total(frame):
        chosen = frame[frame["selected"]] if frame["selected"].any() else frame
        return int(chosen[column].sum())
    return total


def _session_row(column):
    return lambda frame: int(one(frame, session_no=22)[column])


def _running(column):
    """Running totals from session 1 (cumulative_by_session): sessions 21-23's is the 23rd's less the 20th's."""
    return lambda frame: int(one(frame, session_no=23)[column] - one(frame, session_no=20)[column])


TOTALS = {
    # name: (one session?, total of the result, direct SQL)
    "applicant_strength": (False, _sum("applicants"), APPLICANTS),
    "awards_per_session": (False, _sum("records"), f"{RECORDS} AND r.award_level IS NOT NULL"),
    "category_split": (False, _sum("records"), f"{RECORDS} AND r.category IS NOT NULL"),
    "cumulative_by_session": (False, _running("records"), RECORDS),
    "cumulative_totals": (False, _sum("records"), RECORDS),
    "district_heatmap": (False, _sum_selected("records"), RECORDS),
    "district_map": (False, _sum_selected("records"), RECORDS),
    "district_rank_history": (False, _sum_selected("records"), RECORDS),
    "district_ranking": (True, _sum_selected("records"), RECORDS),
    "industries_as_published": (True, _sum("records"), RECORDS),
    "industry_breakdown": (False, _sum("records"), RECORDS),
    "industry_trends": (False, _sum("records"), RECORDS),
    "qualification_mix": (True, _sum("companies"), APPLICANTS),
    "record_count": (False, _sum("records"), RECORDS),
    "record_list": (False, len, RECORDS),
    "records_per_session": (False, _sum("records"), RECORDS),
    "repeat_innovators": (False, len, f"SELECT count(*) FROM (SELECT r.company_id {REC} GROUP BY r.company_id "
                                      "HAVING count(DISTINCT r.session_no) >= 2)"),
    "returning_companies": (False, _sum("companies"), PAIRS),
    "session_kpis": (True, _session_row("records"), RECORDS),
}
FILTERS = {"district": (["440305", "440309"], []), "industry": ([], ["C39", "I65"]),
           "both": (["440305", "440309"], ["C39", "I65"])}


# The two-session comparison is checked against plain SQL in tests/test_district_profile.py.
COMPARED_ELSEWHERE = {"session_compare", "session_compare_categories"}


def test_every_filterable_query_has_a_direct_count():
    filterable = {n for n in QUERY_NAMES if db.query_params(n) & {"districts", "industries"}}
    assert filterable - COMPARED_ELSEWHERE == set(TOTALS)


def _total(name: str, districts: list, industries: list) -> int:
    single, total, _ = TOTALS[name]
    scope = {"session": 22, "session_from": 22, "session_to": 22} if single else \
        {"session": 22, "session_from": 21, "session_to": 23}
    params = {**params_for(name), **scope, "top": 100, "limit": 100_000}
    if "districts" in params:
        params["districts"] = districts
    if "industries" in params:
        params["industries"] = industries
    return total(db.run(name, **params))


def _direct(con, name: str, districts: list, industries: list) -> int:
    single, _, sql = TOTALS[name]
    first, last = (22, 22) if single else (21, 23)
    return con.execute(sql, {"f": first, "t": last, "d": districts, "i": industries}).fetchone()[0]


CASES = [(name, kind) for name in sorted(TOTALS) for kind in FILTERS
         if kind == "district" or "industries" in db.query_params(name)]


@pytest.mark.parametrize(("name", "kind"), CASES)
def test_filtered_total_is_smaller_and_equals_a_direct_count(built_db, name, kind):
    districts, industries = FILTERS[kind]
    with duckdb.connect(str(built_db), read_only=True) as con:
        everything = _direct(con, name, [], [])
        expected = _direct(con, name, districts, industries)
    assert _total(name, [], []) == everything
    assert _total(name, districts, industries) == expected
    assert 0 < expected < everything
