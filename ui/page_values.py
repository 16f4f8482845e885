"""The URL values one page owns (core.filters.PAGE_KEYS: `code` on /district, `vs` and `code` on /compare):
a followed link sets the page's widgets once, later choices in them win and are written back to the URL.

Parsing is core.filters.parse_page's (never raises; a bad value gives a notice naming it and the default).
"""

from __future__ import annotations

import streamlit as st

from core.filters import PAGE_KEYS, Filters, PageValues, page_defaults, page_query, parse_page
from core.i18n import t
from core.markup import escape_markdown
from ui import state


def _from_url(page: str) -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in PAGE_KEYS[page] if key in st.query_params}


def follow(page: str, filters: Filters, widgets: dict[str, str]) -> None:
    """Set the page's widgets (`widgets`: URL key -> widget key) from the URL when a link was followed, or
    when they are new to this session; a district chosen in the sidebar since the last run opens too.
    Shows the notices of bad values while the widgets still hold what replaced them."""
    opts = state.options()
    raw, base = _from_url(page), page_defaults(filters, opts)
    seen_key, notice_key = f"{page}_values_url", f"{page}_values_notices"
    seen = st.session_state.get(seen_key)
    if seen is None or seen[0] != raw or any(key not in st.session_state for key in widgets.values()):
        values, notices = parse_page(page, raw, filters, opts)
        for param, key in widgets.items():
            st.session_state[key] = getattr(values, param)
        st.session_state[notice_key] = (values, notices)
    elif seen[1] != base and base.code is not None and "code" in widgets:
        st.session_state[widgets["code"]] = base.code  # the sidebar's new single district
    st.session_state[seen_key] = (raw, base)
    parsed, notices = st.session_state.get(notice_key, (None, []))
    # a select may hold "" for "no district" (the whole city), which the parsed values say with None
    unchanged = all((st.session_state.get(key) or None) == getattr(parsed, param) for param, key in widgets.items())
    if notices and unchanged:
        items = "\n".join(f"- {escape_markdown(n)}" for n in notices)
        st.warning(t("notice.heading", filters.lang) + "\n\n" + items, icon=":material/warning:")


def write(page: str, values: PageValues, filters: Filters) -> None:
    """The page's values into the URL, only where they differ from what the sidebar implies."""
    opts = state.options()
    wanted = page_query(page, values, filters, opts)
    for key in PAGE_KEYS[page]:
        if key in wanted and st.query_params.get_all(key) != [wanted[key]]:
            st.query_params[key] = wanted[key]
        elif key not in wanted and key in st.query_params:
            del st.query_params[key]
    st.session_state[f"{page}_values_url"] = ({k: [v] for k, v in wanted.items()}, page_defaults(filters, opts))
