"""Districts: ranking for a session, rank over time, district x session heatmap, map."""

import streamlit as st

from core.i18n import t
from ui import district_view, state, widgets

filters = state.current()
lang = filters.lang
widgets.page_header("districts", filters)
widgets.charts_for("districts", filters)
# drawn only while open (opening or closing it reruns the page): no other run sends its 45 elements
with st.expander(t("districts.history_heading", lang), expanded=False, key="district_history", on_change="rerun"):
    if st.session_state.get("district_history"):
        district_view.history_list(filters)
