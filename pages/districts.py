"""Districts: ranking for a session, rank over time, district x session heatmap, map."""

import streamlit as st

from core.i18n import t
from ui import state, widgets

filters = state.current()
lang = filters.lang
widgets.page_header("districts", filters)
widgets.charts_for("districts", filters)
with st.expander(t("districts.history_heading", lang), expanded=False):
    history = state.run("district_options")
    st.markdown("\n".join(f"- **{row['name_' + lang]}** — {row['history_' + lang]}"
                           for row in history.to_dict("records")))
    st.caption(t("districts.harmonisation_note", lang))
