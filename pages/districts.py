"""Districts: ranking for a session, rank over time, district x session heatmap, map."""

import streamlit as st

from core.i18n import t
from ui import district_view, state, widgets

filters = state.current()
lang = filters.lang
widgets.page_header("districts", filters)
widgets.charts_for("districts", filters)
with st.expander(t("districts.history_heading", lang), expanded=False):
    history = state.run("district_options")
    for row in history.itertuples():  # each name opens the district's profile
        name_col, text_col = st.columns([1, 3])
        name_col.page_link("pages/district.py", label=getattr(row, "name_" + lang), icon=":material/location_city:",
                           query_params=district_view.link_query(row.district_code, filters))
        text_col.caption(getattr(row, "history_" + lang))
    st.caption(t("districts.harmonisation_note", lang))
