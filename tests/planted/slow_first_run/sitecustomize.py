"""Planted slowness for tests/test_slow_server_browser.py, loaded by putting this folder on PYTHONPATH.

Each session's first run is held for HOLD_SECONDS when it calls st.navigation, as a busy server holds it: the
browser has drawn what came before and its scripts (the phone probe, the basket keeper) report meanwhile.
"""

import time

import streamlit
from streamlit.runtime.scriptrunner import get_script_run_ctx

HOLD_SECONDS = 3
_navigation = streamlit.navigation
_held: set[str] = set()


def _held_navigation(*args, **kwargs):
    ctx = get_script_run_ctx()
    if ctx is not None and ctx.session_id not in _held:
        _held.add(ctx.session_id)
        time.sleep(HOLD_SECONDS)
    return _navigation(*args, **kwargs)


streamlit.navigation = _held_navigation
