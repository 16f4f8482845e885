"""The performance floor: bare Streamlit + Plotly, one selectbox and N bar charts from in-memory data.

Run by the bench (`streamlit run bench/floor_app.py`); `?charts=N` sets the number of charts (default 4).
The browser measurements of the real dashboard are reported as ratios to this app, measured the same way
in the same run, so machine speed cancels out.
"""

import plotly.graph_objects as go
import streamlit as st

SESSIONS = list(range(1, 24))
N = int(st.query_params.get("charts", 4))

with st.sidebar:
    session = st.selectbox("Session", SESSIONS, index=len(SESSIONS) - 1, key="f_session",
                           format_func=lambda n: f"Session {n} ({2001 + n})")

for c in range(N):
    categories = [f"Item {i}" for i in range(12)]
    values = [((session * 37 + c * 11 + i * 7) % 50) + 5 for i in range(12)]
    fig = go.Figure(go.Bar(x=categories, y=values, name=f"Series {c}"))
    fig.update_layout(title=f"Chart {c + 1} · session {session}", height=420, template="plotly_white")
    st.plotly_chart(fig, theme=None, key=f"chart_{c}", width="stretch")
