"""The named queries of the page a run is about to draw, started as the run begins.

On a change to a view this worker has not shown, a page waited for its first query (5-10 ms on two cores)
after the shared sidebar and menu had been drawn (~8 ms of pure Python). Started before them, in
ui.state's pool (DuckDB works outside the interpreter lock), they run while the sidebar is drawn. The pages
still ask for what they read themselves: a query started here is not started twice, and one missing from
here is run by the page as before, so this list can only make a page faster, never change what it shows.
"""

from __future__ import annotations

import streamlit as st

from core import district_briefing, profile, summary
from core.filters import Filters
from ui import state, widgets

CHART_PAGES = ("trends", "districts", "industries", "companies")


def calls(page: str, filters: Filters) -> list[tuple[str, dict]]:
    """(query, parameters) the page at address `page` reads first under `filters` ([] for one not listed)."""
    if page in ("", "overview"):  # "": the overview at "/" (Streamlit's address of the default page)
        return summary.needed_calls(filters)  # the figures, paragraph and chart
    if page in CHART_PAGES:
        return widgets.chart_calls(page, filters)
    code = st.session_state.get("profile_code")
    if page == "district" and code in state.options().districts:  # the profile shown in the last run
        scoped = district_briefing.scoped(filters, code)
        return [*profile.calls(code, filters).values(), *widgets.chart_calls("district", scoped, "district")]
    return []


def start(page: str) -> None:
    """Start the page's queries, unless the sidebar's session has no value yet: a client that sends only the
    widget it changed (the bench's protocol sessions; a browser sends them all) gets the selects' values
    back from the sidebar's own widgets later in the run, and the page then asks for its queries itself."""
    if "f_session" in st.session_state:
        state.prefetch(calls(page, state.current()))
