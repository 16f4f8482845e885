"""Bars never share a category label: Plotly draws bars with equal labels as one, at their values added up
(three demo companies of Bao'an cut to "(Demo) Shenzhen Sheng…" made one bar of 10 sessions, longer than the
leader's 9, and the chart showed 13 companies under a "top 15" title)."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

from core import catalog, charts
from core.charts.template import short, shorts
from core.filters import parse


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def test_shorts_cuts_later_where_two_labels_would_read_the_same():
    assert shorts(["Shenzhen Shengzhong Co", "Shenzhen Shengheng Co", "Taide"], 12) == \
        ["Shenzhen Shengz…", "Shenzhen Shengh…", "Taide"]


def test_shorts_numbers_equal_whole_texts_and_keeps_short_ones():
    assert shorts(["Same Co", "Same Co", "Other", None], 20) == ["Same Co", "Same Co (2)", "Other", ""]


def test_short_drops_the_space_before_the_ellipsis():
    assert short("Yiyu Tech Co", 6) == "Yiyu…"


def _bar_categories(fig) -> list[list[str]]:
    """Each bar trace's category labels (y of a horizontal bar, x of a vertical one)."""
    return [list(trace.y if trace.orientation == "h" else trace.x) for trace in fig.data
            if trace.type == "bar" and all(isinstance(v, str) for v in (trace.y if trace.orientation == "h"
                                                                          else trace.x))]


def test_baoan_repeat_innovators_in_english_draw_fifteen_companies(options, sql):
    filters = dataclasses.replace(parse({"lang": "en"}, options).filters, districts=("440306",))
    fig = catalog.build("profile_repeat_innovators", filters, options)[0]
    labels = fig.data[0].y
    # plain SQL: companies of Bao'an with records in two or more sessions of 1..23
    repeat = sql("SELECT count(*) FROM (SELECT r.company_id FROM records r JOIN companies c USING (company_id) "
                 "WHERE c.district_code = '440306' GROUP BY r.company_id "
                 "HAVING count(DISTINCT r.session_no) >= 2)")[0][0]
    assert repeat >= 15
    assert len(labels) == 15 and len(set(labels)) == 15
    assert sum(label.startswith("(Demo) Shenzhen Sheng") for label in labels) == 3


def test_companies_cut_to_the_same_label_stay_apart(options):
    spec = catalog.CHARTS["repeat_innovators"]
    filters = parse({"lang": "en"}, options).filters
    frame = pd.DataFrame({"company_id": ["a", "b", "c"], "name_zh": ["甲", "乙", "丙"],
                          "name_en": ["Shenzhen Shengzhong Technology", "Shenzhen Shengheng Technology",
                                      "Shenzhen Shengheng Technology"],
                          "sessions": [4, 3, 3], "records": [5, 3, 3], "session_list": ["1, 2, 3, 4", "1, 2", "3, 4"]})
    card = catalog.card(spec, filters, options, catalog.DataStatus(True, "v"))
    fig = catalog.figure(spec, frame, card)
    assert list(fig.data[0].x) == [4, 3, 3]
    assert len(set(fig.data[0].y)) == 3


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_chart_draws_two_bars_under_one_label(options, lang):
    filters = parse({"lang": lang}, options).filters
    built = [(name, catalog.build(name, filters, options)[0])
             for name, spec in catalog.CHARTS.items() if spec.context == "filters"]
    built += [(f"{name} {code}", catalog.build(name, dataclasses.replace(filters, districts=(code,)), options)[0])
              for code in options.districts for spec in charts.for_page("district", "district")
              for name in [spec.name]]
    assert len(built) > 50
    for name, fig in built:
        for labels in _bar_categories(fig):
            assert len(labels) == len(set(labels)), f"{name}: {labels}"
