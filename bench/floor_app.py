"""The performance floor: bare Streamlit + Plotly showing the same charts as one page of the dashboard.

Run by the bench (`streamlit run bench/floor_app.py`, env FLOOR_SPECS = the file bench/floor_specs.py
writes); `?page=NAME` picks the page. Two sidebar selectboxes like the dashboard's (session, first session
of the range); every rerun rebuilds each figure from in-memory data (a go.Figure from the app's own figure for
the option chosen in the selectbox its scope follows, so exactly the charts the app would redraw change, as
the app's change: numbers, axis ranges, tick and bar labels, subtitles),
draws the page's metrics (labels and help), headings, captions and text, as many tables (values following the
page's benchmarked selectbox), and the page's other widgets with its labels and options, and writes the selection
to the URL, as the dashboard does. No caching and nothing the page does not show: what bare Streamlit costs
for the same page.
"""

import json
import os

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

SESSIONS = list(range(1, 24))


@st.cache_resource
def load(path: str) -> dict[str, tuple[list, dict]]:
    """page -> ([(scope, {option: spec as JSON text})], elements); JSON text so that every rerun builds its
    figures afresh."""
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    return {page: ([(c["scope"], c["views"]) for c in d["charts"]], d["elements"]) for page, d in data.items()}


def widgets(counts: dict) -> None:
    """The page's other filters and controls, with the page's own labels and options (so the same bytes)."""
    with st.sidebar:
        for i, (label, options) in enumerate(counts.get("selectboxes", [])):
            st.selectbox(label, options, key=f"extra_box_{i}")
        for i, (label, options) in enumerate(counts.get("multiselects", [])):
            st.multiselect(label, options, key=f"multi_{i}")
        for i, (label, options) in enumerate(counts.get("radios", [])):
            st.radio(label, options, key=f"radio_{i}", horizontal=True)
        for i in range(counts.get("expanders", 0)):
            with st.expander(f"More {i}"):
                st.write("")
    for i, label in enumerate(counts.get("toggles", [])):
        st.toggle(label, key=f"toggle_{i}")
    for i, label in enumerate(counts.get("buttons", [])):
        st.button(label, key=f"button_{i}")
    for body in counts.get("alerts", []):
        st.info(body)


def elements(counts: dict, choice: int) -> None:
    """The page's other elements with the page's own texts, their values following `choice` (so they change
    as the page's do)."""
    for i, text in enumerate(counts["headings"]):
        (st.title if i == 0 else st.header)(f"{text} {choice}")
    columns = st.columns(4)
    for i, (label, _, _, help_text) in enumerate(counts["metrics"]):
        columns[i % 4].metric(label, f"{choice * 37 + i:,}", delta=f"{(choice % 7) - 3:+d}", help=help_text or None)
    for body in counts["markdown"]:
        st.markdown(f"{choice} {body}")
    for body in counts["captions"]:
        st.caption(f"{choice} {body}")
    for rows, cols in counts["tables"]:
        st.dataframe(pd.DataFrame({f"c{j}": range(choice, choice + rows) for j in range(cols)}))


def figure(views: dict[str, str], choice: int) -> go.Figure:
    return go.Figure(json.loads(views[str(choice)]))


page = st.query_params.get("page", "trends")
# bare Streamlit: this app imports nothing of the project, so it reads its one setting itself (not core.config)
charts, counts = load(os.environ["FLOOR_SPECS"])[page]
with st.sidebar:
    session = st.selectbox("Session", SESSIONS, index=len(SESSIONS) - 1, key="f_session",
                           format_func=lambda n: f"Session {n} ({2001 + n})")
    first = st.selectbox("From session", SESSIONS, index=0, key="f_from", format_func=lambda n: f"{n} ({2001 + n})")
wanted = {"page": page, "session": str(session), "from": str(first)}
if st.query_params.to_dict() != wanted:
    st.query_params.from_dict(wanted)
widgets(counts)
elements(counts, session if counts["box"] == 0 else first)
for i, (scope, views) in enumerate(charts):
    st.plotly_chart(figure(views, session if scope == "session" else first), theme=None, key=f"chart_{i}",
                    width="stretch")
