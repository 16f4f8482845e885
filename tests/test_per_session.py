"""Per-session charts (ChartSpec.per_session) ask their query for every session once and show their range's
(or their session's) rows: what they show must be exactly what the query gives for that range or session, under
every filter."""

from __future__ import annotations

import pandas as pd
import pytest

from core import catalog, db
from core.filters import Filters

PER_SESSION = [spec for spec in catalog.CHARTS.values() if spec.per_session]
# a district profile's per-session charts read a query that has no range at all (every session of the district)
RANGED = [spec for spec in PER_SESSION if "session_from" in db.query_params(spec.query)]
RANGES = [(1, 23), (3, 20), (1, 1), (5, 5), (21, 23), (22, 23), (10, 21)]
FILTERS = [((), ()), (("440305",), ()), ((), ("C39",)), (("440305", "440307"), ("C39", "I65")),
           (("440310",), ("M73",))]


def test_the_per_session_charts_are_these():
    assert sorted(spec.name for spec in PER_SESSION) == [
        "applicant_strength", "awards_per_session", "category_split", "district_rank_history",
        "district_ranking", "profile_districts", "profile_rank", "profile_records", "qualification_mix",
        "records_per_session", "returning_companies"]
    assert sorted(spec.name for spec in PER_SESSION if spec not in RANGED) == ["profile_rank", "profile_records"]


def _plain(frame: pd.DataFrame) -> pd.DataFrame:
    """Values as Python objects, every missing one None: a text column with no value in a range is typed as
    objects (None) in the range's result and as text (NaN) in the result for every session."""
    return frame.astype(object).where(frame.notna(), None)


@pytest.mark.parametrize("spec", RANGED, ids=lambda spec: spec.name)
def test_a_per_session_chart_shows_what_its_query_gives_for_the_range(spec, built_db):
    for first, last in RANGES:
        for districts, industries in FILTERS:
            filters = Filters(last, first, last, districts, industries, "zh")
            shows = {"session_from": last} if spec.scope == "session" else {}  # the session: the range's last
            direct = db.run(spec.query, **{**filters.params(), **spec.extra, **shows})
            shown = catalog.data(spec, filters)
            where = f"{spec.name} {filters.params()}"
            if direct.empty:  # DuckDB types the columns of an empty result as plain objects
                assert shown.empty and list(shown.columns) == list(direct.columns), where
            else:
                pd.testing.assert_frame_equal(_plain(shown), _plain(direct), obj=where)


@pytest.mark.parametrize("name", ["district_heatmap", "district_map", "industry_trends", "repeat_innovators"])
def test_charts_over_the_whole_range_are_not_sliced(name):
    # ranks over the range, totals, leaders and counts of sessions depend on the range as a whole
    assert not catalog.CHARTS[name].per_session


# a comparison's charts take a pair of sessions, their context
ONE_SESSION = [s for s in catalog.CHARTS.values() if s.scope == "session" and s.context != "compare"]


@pytest.mark.parametrize("spec", ONE_SESSION,
                         ids=lambda s: s.name)
def test_a_session_chart_asks_for_its_session_or_is_per_session(spec):
    """A session chart whose query takes a range must be sliced to its session (else it shows the range), and a
    per-session one must ask for every session (else its query cannot answer for every session at once)."""
    params = db.query_params(spec.query)
    if spec.per_session:
        assert {"session_from", "session_to"} <= params and "session" not in params
    else:
        assert "session" in params and "session_from" not in params


@pytest.mark.parametrize("session", [1, 2, 13, 21, 23])
def test_the_summary_facts_are_what_the_queries_give_for_the_session(session, built_db):
    """The paragraph's facts come from results for every session: each must be what a query for the session
    alone gives (the running totals before it: the cumulative totals over sessions 1..S-1)."""
    from core import summary

    for districts, industries in FILTERS:
        filters = Filters(session, 1, 23, districts, industries, "zh")
        got = summary.facts(filters)
        one = {**filters.params(), "session_from": session, "session_to": session}
        where = f"{session} {districts} {industries}"
        for key, query in (("categories", "category_split"), ("qualifications", "qualification_mix"),
                           ("districts", "district_ranking")):
            direct = db.run(query, **one)
            assert len(getattr(got, key)) == len(direct), (key, where)
            if not direct.empty:
                pd.testing.assert_frame_equal(_plain(getattr(got, key)), _plain(direct), obj=f"{key} {where}")
        by_division = db.run("industry_breakdown", **one).groupby("division_code")["records"].sum()
        assert got.industries.set_index("division_code")["records"].sort_index().to_dict() == \
            by_division.sort_index().to_dict(), where
        if session == 1:
            assert got.cumulative_before is None
            continue
        before = db.run("cumulative_totals", **{**filters.params(), "session_from": 1, "session_to": session - 1})
        for column in ("records", "companies_summed", "companies_distinct", "divisions", "groups", "sessions"):
            assert got.cumulative_before.iloc[0][column] == before.iloc[0][column], (column, where)
