"""Is the page on a phone? Charts then take their phone layout (core/charts/phone.py).

The server never sees the screen. Its first guess comes from the request headers (a phone's browser says
"Mobile" in its User-Agent, Chromium also sends `Sec-CH-UA-Mobile: ?1`), so a phone gets the phone layout on
the first paint. A small script in the page (a Streamlit v2 component, hidden) then checks the viewport's
width and reports it when it disagrees with the guess (a desktop window made narrow, a phone turned
sideways, a browser that does not say what it is): that costs one rerun, and it follows later resizes.
Nothing goes into the URL. The script (static/page_scripts.js, `phoneProbe`) watches a media query, not a
measured element: Streamlit replaces and resizes its containers while it draws, the viewport only changes when
the reader resizes the window or turns the phone. One listener per page, reading the latest run's data.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

import streamlit as st

from ui import scripts

# Streamlit's own phone breakpoint: below it the sidebar covers the page and charts get the full width,
# 330-400 px on a phone held upright
NARROW_BELOW = 640
_MOBILE = re.compile(r"Mobi|iPhone|iPod|Android.+Mobile|Windows Phone|BlackBerry|Opera Mini", re.I)
_KEY = "phone_probe"

# static/page_scripts.js's phoneProbe, run as a v2 component (ui/scripts.py)
_probe = scripts.component("phone_probe", "phoneProbe")


def mobile_headers(headers: Mapping[str, str]) -> bool:
    """True when the request says it comes from a phone."""
    if headers.get("Sec-CH-UA-Mobile", "").strip() == "?1":
        return True
    return bool(_MOBILE.search(headers.get("User-Agent", "")))


def _ignore() -> None:
    """The probe's report reruns the script; nothing else to do."""


def _reported() -> bool | None:
    """What the page last measured (None before its first report)."""
    state = st.session_state.get(_KEY)
    narrow = state.get("narrow") if isinstance(state, Mapping) else None
    return None if narrow is None else bool(narrow)


def probe() -> None:
    """Decide this run's layout (headers, corrected by the width the page reported); call once per run
    before the page is drawn."""
    reported = _reported()
    now = mobile_headers(st.context.headers or {}) if reported is None else reported
    st.session_state["phone_layout"] = now
    _probe(key=_KEY, data={"phone": now, "below": NARROW_BELOW}, default={"narrow": None},
           on_narrow_change=_ignore)


def phone() -> bool:
    """True when this run's charts take the phone layout."""
    if "phone_layout" not in st.session_state:
        return mobile_headers(st.context.headers or {})
    return st.session_state["phone_layout"]
