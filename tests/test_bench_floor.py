"""The bench's floor app draws the app's own figures for the view chosen, not one figure with its numbers
scaled: until 2026-12-06 its axes, tick and bar labels and subtitles never changed with the filter, Plotly
measured none of them again, and the floor's changes cost the browser half the layouts of the app's."""

from __future__ import annotations

import json

import pytest
from streamlit.testing.v1 import AppTest

from bench import floor_specs
from core import config

PAGE = "district"  # four range charts of one district (floor_specs.PROFILE_CODE)
FIRST = 5


@pytest.fixture(scope="module")
def specs_file(built_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("floor") / "floor_specs.json"
    floor_specs.write(path, pages=[PAGE])
    return path


def drawn(at: AppTest) -> list[dict]:
    """What each chart on the page draws: its traces' kinds and values, and its axes."""
    out = []
    for element in at.get("plotly_chart"):
        spec = floor_specs.plain(json.loads(element.proto.spec))
        out.append({"data": [{k: t.get(k) for k in ("type", "x", "y", "text")} for t in spec["data"]],
                    "xaxis": spec["layout"].get("xaxis"), "yaxis": spec["layout"].get("yaxis")})
    return out


def floor_page(specs_file, monkeypatch) -> AppTest:
    monkeypatch.setenv("FLOOR_SPECS", str(specs_file))
    at = AppTest.from_file(str(config.ROOT / "bench" / "floor_app.py"), default_timeout=60)
    at.query_params["page"] = PAGE
    at.run()
    at.selectbox(key="f_from").select(FIRST).run()
    assert not at.exception
    return at


def app_page() -> AppTest:
    at = AppTest.from_file(str(config.DASHBOARD), default_timeout=60)
    at.query_params.update({"code": floor_specs.PROFILE_CODE, "from": str(FIRST)})
    at.switch_page(f"pages/{PAGE}.py")
    at.run()
    assert not at.exception
    return at


def test_the_floor_draws_the_apps_figures_for_the_range_chosen(specs_file, monkeypatch):
    floor = drawn(floor_page(specs_file, monkeypatch))
    assert len(floor) == 4
    records = floor[0]["data"][0]
    assert records["x"][0] == FIRST  # the range's first session, as the app's own chart starts
    assert floor == drawn(app_page())
