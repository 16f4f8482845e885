"""Keep the briefing basket across reloads, typed links and new tabs of the same browser.

A reload starts a new Streamlit session with an empty session_state. A hidden script in the page (a Streamlit
v2 component, like ui/device.py's probe) keeps a copy of the basket in the browser's localStorage:
- when a session starts and the browser holds a basket, the script hands it to the server once (one rerun), and
  the server adopts it (core/baskets.py cleans it: it came from the browser);
- after that, every run sends the session's basket and the script stores it when it changed; "clear" empties
  both. Until the server has taken the browser's copy, the script writes nothing, so a new session's empty
  basket never overwrites a stored one; and it writes only a newer basket than the last (a sequence number):
  Streamlit may hand it an element of a run cut short by st.rerun after a later run's.
Each session has its own token, so a reconnect to a new server session hands the basket over again.
Nothing goes to the server's disk or into the URL; a browser whose storage is off simply keeps no copy.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping

import streamlit as st

from core import baskets
from ui import scripts

_KEY = "basket_keeper"
# static/page_scripts.js's basketKeeper, run as a v2 component (ui/scripts.py)
_keeper = scripts.component("basket_keeper", "basketKeeper")


def _adopt() -> None:
    """on_change of the browser's report: take its basket (plus anything this session added meanwhile)."""
    state = st.session_state.get(_KEY)
    stored = state.get("stored") if isinstance(state, Mapping) else None
    if not st.session_state.get("basket_ready"):
        current = st.session_state.get("basket", [])
        st.session_state["basket"] = baskets.merge(baskets.loads(stored), current)
        st.session_state["basket_ready"] = True


def keep() -> None:
    """Draw the hidden keeper with the basket as this run starts (in the sidebar, before the page: a page may
    end early with st.stop). Changes made by buttons' callbacks are in already; captions are read from their
    entries' widgets, since the basket page copies them into the entries only while it runs."""
    token = st.session_state.setdefault("basket_token", uuid.uuid4().hex)
    basket = [{**item, "caption": st.session_state.get("basket_caption_" + item.get("id", ""), item.get("caption"))}
              for item in st.session_state.get("basket", [])]
    text = baskets.dumps(basket)
    if text != st.session_state.get("basket_sent"):  # a new version: the script writes only newer ones
        st.session_state["basket_sent"] = text
        st.session_state["basket_seq"] = st.session_state.get("basket_seq", 0) + 1
    _keeper(key=_KEY, data={"token": token, "ready": bool(st.session_state.get("basket_ready")),
                            "basket": text, "seq": st.session_state["basket_seq"]},
            default={"stored": None}, on_stored_change=_adopt)
