"""Districts: ranking for a session, rank over time, district x session heatmap, map."""

import streamlit as st

from core.i18n import t
from ui import state, widgets

filters = state.current()
lang = filters.lang
widgets.page_header("districts", filters)
widgets.chart("district_ranking", filters)
widgets.chart("district_rank_history", filters)
widgets.chart("district_heatmap", filters)
widgets.chart("district_map", filters)
with st.expander(t("districts.history_heading", lang), expanded=False):
    history = state.run("district_options")
    st.markdown("\n".join(f"- **{getattr(row, 'name_' + lang)}** — {getattr(row, 'history_' + lang)}"
                           for row in history.itertuples()))
    st.caption(t("districts.harmonisation_note", lang))
