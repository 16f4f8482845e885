"""Trends over sessions: growth, applicant strength, categories, awards, and the programme's own prizes."""

import streamlit as st

from core.i18n import t
from ui import state, widgets

filters = state.current()
widgets.page_header("trends", filters)
widgets.charts_for("trends", filters)

# The programme's own prizes are published figures, kept apart from the S&T progress awards above.
lang = filters.lang
prizes = widgets.prizes(filters)
if prizes is not None:
    st.header(t("facts.prizes_heading", lang))
    st.caption(t("facts.prizes_intro", lang))
    widgets.shown_table(*prizes)
