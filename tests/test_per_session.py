"""Per-session charts (ChartSpec.per_session) ask their query for every session once and show their range's
rows: what they show for a range must be exactly what the query gives for that range, under every filter."""

from __future__ import annotations

import pandas as pd
import pytest

from core import catalog, db
from core.filters import Filters

PER_SESSION = [spec for spec in catalog.CHARTS.values() if spec.per_session]
RANGES = [(1, 23), (3, 20), (1, 1), (5, 5), (21, 23), (22, 23), (10, 21)]
FILTERS = [((), ()), (("440305",), ()), ((), ("C39",)), (("440305", "440307"), ("C39", "I65")),
           (("440310",), ("M73",))]


def test_the_per_session_charts_are_these():
    assert sorted(spec.name for spec in PER_SESSION) == [
        "applicant_strength", "awards_per_session", "category_split", "district_rank_history",
        "records_per_session", "returning_companies"]


@pytest.mark.parametrize("spec", PER_SESSION, ids=lambda spec: spec.name)
def test_a_per_session_chart_shows_what_its_query_gives_for_the_range(spec, built_db):
    for first, last in RANGES:
        for districts, industries in FILTERS:
            filters = Filters(last, first, last, districts, industries, "zh")
            direct = db.run(spec.query, **{**filters.params(), **spec.extra})
            shown = catalog.data(spec, filters)
            where = f"{spec.name} {filters.params()}"
            if direct.empty:  # DuckDB types the columns of an empty result as plain objects
                assert shown.empty and list(shown.columns) == list(direct.columns), where
            else:
                pd.testing.assert_frame_equal(shown, direct, obj=where)


@pytest.mark.parametrize("name", ["district_heatmap", "district_map", "industry_trends", "repeat_innovators"])
def test_charts_over_the_whole_range_are_not_sliced(name):
    # ranks over the range, totals, leaders and counts of sessions depend on the range as a whole
    assert not catalog.CHARTS[name].per_session


def test_only_a_range_chart_can_be_per_session():
    from core.charts.registry import chart

    with pytest.raises(ValueError, match="range"):
        chart(page="overview", scope="session", per_session=True)
