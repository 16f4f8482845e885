"""ui/page_queries.py: a run starts its page's queries before the sidebar is drawn, and only queries the page
then reads, for the filters the page then uses.

Each page is opened through dashboard.py (AppTest), then the first session of the range is changed, as an
official would; the second run is the one checked. What the page reads is recorded at state.run, what was
started early at page_queries.calls, and "before the sidebar" as before state.sync_url (the sidebar writes
the URL once its filters are drawn).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import page_queries, state, widgets
from ui.recent import Recent

ROOT = Path(__file__).resolve().parent.parent

# the queries behind each page's charts (core/charts/<page>.py), written out: the early start must include them
CHART_QUERIES = {
    "overview": {"qualification_mix"},
    "trends": {"records_per_session", "applicant_strength", "category_split", "awards_per_session"},
    "districts": {"district_map", "district_ranking", "district_heatmap", "district_rank_history"},
    "industries": {"industry_breakdown", "industry_trends", "industries_as_published"},
    "companies": {"returning_companies", "repeat_innovators"},
    "district": {"district_profile_records", "district_profile_industries", "repeat_innovators"},
}
QUERY = {"district": {"code": "440305"}}


@pytest.fixture
def recorded(entry_mode, monkeypatch):
    """events: ("early", key) for each call started early, ("read", key) for each state.run, ("sidebar", None)
    when the sidebar writes the URL."""
    events = []
    calls, run, sync_url = page_queries.calls, state.run, state.sync_url

    def early(page, filters):
        found = calls(page, filters)
        events.extend(("early", state._key(name, params)) for name, params in found)
        return found

    def read(name, **params):
        events.append(("read", state._key(name, params)))
        return run(name, **params)

    def synced(filters):
        events.append(("sidebar", None))
        return sync_url(filters)

    monkeypatch.setattr(page_queries, "calls", early)
    monkeypatch.setattr(state, "run", read)
    # texts made from a view another test showed (the overview's summary, widgets.kept) would be read without
    # their queries: the checked run must be a view this process has not shown
    monkeypatch.setattr(widgets, "_kept", Recent(widgets.KEPT))
    monkeypatch.setattr(state, "sync_url", synced)
    return events


def changed_run(page: str, events: list) -> list:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(QUERY.get(page, {}))
    if page != "/":  # "/": the default page, the overview at the root
        at.switch_page(f"pages/{page}.py")
    at.run()
    assert not at.exception
    events.clear()
    at.selectbox(key="f_from").set_value(7).run()  # a range no other run of this test has shown
    assert not at.exception
    return list(events)


@pytest.mark.parametrize("page", [*CHART_QUERIES, "/"])
def test_a_page_starts_the_queries_it_reads_before_the_sidebar(recorded, page):
    events = changed_run(page, recorded)
    early = [key for kind, key in events if kind == "early"]
    read = {key for kind, key in events if kind == "read"}
    sidebar = events.index(("sidebar", None))
    assert early and all(kind != "early" for kind, _ in events[sidebar:]), "started after the sidebar"
    # the same keys: the same queries with the parameters the page then uses (the range starting at 7)
    assert set(early) <= read, f"started but not read: {set(early) - read}"
    assert CHART_QUERIES.get(page, CHART_QUERIES["overview"]) <= {name for name, _, _ in early}


def test_pages_without_a_list_start_nothing(built_db):
    assert page_queries.calls("records", None) == []
    assert page_queries.calls("about", None) == []


def test_a_run_without_the_sidebar_values_still_draws_the_page(entry_mode):
    """A client that sends only the widget it changed (the bench's protocol sessions) arrives at the early start
    without the sidebar's values: Streamlit dropped those of widgets the rerun did not carry. The run must draw
    the page, as before the early start (every such run crashed on it)."""
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["filters_ready"] = True  # the session's other keys kept, no f_session, f_from, ...
    at.switch_page("pages/companies.py")
    at.run()
    assert not at.exception
    assert at.get("plotly_chart")
