"""Links to a district's profile: its URL parameters and the link column of data tables. Both the chart card
(ui/widgets.py) and the profile's page pieces (ui/district_view.py) use them, so they live apart from both."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core.filters import Filters
from core.i18n import t
from ui import state


def link_query(code: str, filters: Filters) -> dict[str, str]:
    """The profile's URL parameters: the district, and the other filters the reader has set."""
    return {"code": code, **filters.query()}


def with_profile_links(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """A table with a link column to each row's district profile, when the rows carry a district_code."""
    if "district_code" not in frame.columns or frame.empty:
        return frame, {}
    filters = state.current()
    label = t("profile.table_link", lang)
    url = {c: f"district?{urlencode(link_query(c, filters))}" for c in set(frame["district_code"])
           if isinstance(c, str)}  # once per district, not per row (a company list has hundreds)
    urls = [url.get(c) if isinstance(c, str) else None for c in frame["district_code"]]
    out = frame.copy()
    out.insert(list(frame.columns).index("district_code") + 1, "district_profile", urls)
    return out, {label: st.column_config.LinkColumn(label, display_text=label)}
