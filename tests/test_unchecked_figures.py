"""Charts are built without Plotly's property checks (core.charts.template.new_figure): every registered chart, in
both languages, for the default view, a narrowed one, a view with nothing to show, a district's profile and a
comparison, gives the same figure as when Plotly checks each property as it is set (Plotly's validators are the
independent reference: a misspelt property raises there, and a value they would convert shows up as a
difference). Number arrays are compared by value: Plotly's checks may store 141 as 141.0; NaN as an empty cell."""

from __future__ import annotations

import base64
import json
import sys

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio
import pytest

from core import catalog, db
from core.charts import template
from core.filters import Filters
from ui import state

VIEWS = {
    "default": {"session": 23, "session_from": 1, "session_to": 23},
    "narrowed": {"session": 20, "session_from": 8, "session_to": 20, "districts": ("440306", "440307"),
                 "industries": ("C39", "I65")},
    "nothing": {"session": 3, "session_from": 2, "session_to": 3, "districts": ("440309",), "industries": ("A01",)},
}


def checked(data=None) -> go.Figure:
    """new_figure() with Plotly's checks on: the same template, set as it checks every property."""
    fig = go.Figure(data)
    fig.layout.template = pio.templates["briefing"]
    return fig


def values(node):
    """The figure's JSON with typed arrays ({"dtype", "bdata"}) decoded into plain lists of numbers."""
    if isinstance(node, dict):
        if set(node) >= {"dtype", "bdata"}:
            array = np.frombuffer(base64.b64decode(node["bdata"]), dtype=node["dtype"])
            shape = [int(n) for n in str(node.get("shape", len(array))).split(",")]  # "15, 1" in Plotly's JSON
            return values(array.reshape(shape).tolist())
        return {key: values(value) for key, value in node.items()}
    if isinstance(node, list):
        return [values(item) for item in node]
    return None if isinstance(node, float) and node != node else node  # NaN, which equals nothing


def first_difference(a, b, path: str = "") -> str | None:
    """Where two JSON trees first differ, e.g. `.data[0].z[3][1]: 2 != 2.5`."""
    if isinstance(a, dict) and isinstance(b, dict):
        for key in sorted(set(a) | set(b)):
            found = first_difference(a.get(key), b.get(key), f"{path}.{key}")
            if found:
                return found
        return None
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        for i, (x, y) in enumerate(zip(a, b, strict=True)):
            found = first_difference(x, y, f"{path}[{i}]")
            if found:
                return found
        return None
    return None if a == b else f"{path}: {str(a)[:120]} != {str(b)[:120]}"


def filters_for(spec, view: str, lang: str) -> Filters:
    base = Filters(lang=lang, **VIEWS[view])
    if spec.context == "district":
        # narrowed: Longhua from session 8, before its own lists (session 11): the profile's grey band and its note
        code = "440309" if view == "narrowed" else "440305"
        base = Filters(lang=lang, session=base.session, session_from=base.session_from, session_to=base.session_to,
                       districts=(code,))
    elif spec.context == "compare":
        base = Filters(lang=lang, session=23, session_from=1, session_to=23, districts=base.districts[:1], vs=21)
    return catalog.context(spec, base, state.options())


def build(name: str, filters: Filters):
    run = catalog.remembering(db.run)
    return json.loads(catalog.build(name, filters, state.options(), state.status(filters.lang), run=run)[0].to_json())


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_every_chart_is_the_figure_plotly_would_check(built_db, monkeypatch, view, lang):
    builders = [module for name, module in sys.modules.items()
                if name.startswith("core.charts") and getattr(module, "new_figure", None) is template.new_figure]
    assert len(builders) >= 7  # template and the six modules of charts
    compared = 0
    for name, spec in catalog.CHARTS.items():
        filters = filters_for(spec, view, lang)
        unchecked = build(name, filters)
        with monkeypatch.context() as patch:
            for module in builders:
                patch.setattr(module, "new_figure", checked)
            reference = build(name, filters)
        unchecked, reference = values(unchecked), values(reference)
        assert unchecked == reference, (name, view, lang, first_difference(unchecked, reference))
        compared += 1
    assert compared == len(catalog.CHARTS) >= 21  # every chart the registry has (21 today)


def test_builders_skip_plotlys_search_for_change_callbacks(built_db, monkeypatch):
    """Plotly still calls the two hooks BuildingFigure replaces (a plain figure does, on every property set),
    and a chart's build calls neither: the search for on_change callbacks was ~17 % of a build."""
    calls = []
    monkeypatch.setattr(go.Figure, "_dispatch_layout_change_callbacks", lambda self, *a: calls.append("layout"))
    monkeypatch.setattr(go.Figure, "_dispatch_trace_change_callbacks", lambda self, *a: calls.append("trace"))
    plain = go.Figure(go.Bar(x=[1], y=[2]))
    plain.layout.xaxis.title = "x"
    plain.data[0].name = "a"
    assert calls == ["layout", "trace"]
    calls.clear()
    filters = Filters(lang="zh", **VIEWS["default"])
    for name in ("records_per_session", "district_heatmap", "district_rank_history", "qualification_mix"):
        fig = catalog.build(name, filters, state.options(), state.status("zh"), run=catalog.remembering(db.run))[0]
        assert isinstance(fig, template.BuildingFigure) and fig.layout.title.text
    assert calls == []
