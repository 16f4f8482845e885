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
    for row in history.itertuples():
        st.markdown(f"**{row.name_zh if lang == 'zh' else row.name_en}** — "
                    f"{row.history_zh if lang == 'zh' else row.history_en}")
    st.caption(t("districts.harmonisation_note", lang))
