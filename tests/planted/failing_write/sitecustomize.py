"""Planted fault for tests/test_connection_browser.py, loaded by putting this folder on PYTHONPATH.

In the server process, the first websocket write after the test arms the fault (it creates the file named by
FAILING_WRITE_ARM, once the page has settled) fails once, as a write to a browser on a bad network does;
Streamlit then stops writing to that browser. Armed by the test, not by the first finished run: a rerun the
page makes by itself after loading would otherwise take the fault at a moment that depends on the machine's
speed, racing the test's own click.

The run that took the failed write is then held for SLOW_RUN_SECONDS before its page draws (after the sidebar
has rewritten the address), as on a busy machine: the browser reconnects while that run is still going, which
is when a rerun at the last finished run's address used to put the old filters back (the CI failure).

With FAILING_WRITE_STOP=early the run that took the failed write is instead held before it applies the reader's
change (between its start message and its widget values), until the closed socket has asked it to stop: the
stopped run never took the change into the session, as on a loaded machine (a CI run lost the change so).
"""

import os
import sys
import time

from streamlit.navigation.page import StreamlitPage
from streamlit.runtime.scriptrunner.script_cache import ScriptCache
from streamlit.runtime.scriptrunner.script_runner import ScriptRunner
from streamlit.web.server.starlette import starlette_websocket

_client_init = starlette_websocket.StarletteSessionClient.__init__
_ARM = os.environ.get("FAILING_WRITE_ARM", "")
_EARLY = os.environ.get("FAILING_WRITE_STOP") == "early"
_state = {"failed": False, "held": False, "stop_asked": False}
SLOW_RUN_SECONDS = 4


def _failing(send):
    async def send_bytes(payload: bytes) -> None:
        if not _state["failed"] and _ARM and os.path.exists(_ARM):
            _state["failed"] = True
            raise OSError("planted write failure")
        await send(payload)
    return send_bytes


def _init(self, websocket) -> None:
    websocket.send_bytes = _failing(websocket.send_bytes)
    _client_init(self, websocket)


starlette_websocket.StarletteSessionClient.__init__ = _init


_page_run = StreamlitPage.run


def _held_run(self) -> None:
    if not _EARLY and _state["failed"] and not _state["held"]:
        _state["held"] = True
        time.sleep(SLOW_RUN_SECONDS)
    _page_run(self)


StreamlitPage.run = _held_run


_request_stop = ScriptRunner.request_stop
_get_bytecode = ScriptCache.get_bytecode


def _noted_stop(self) -> None:
    if _state["failed"]:
        _state["stop_asked"] = True
    _request_stop(self)


def _early_stop(self, script_path: str):
    """Called by each run after its start message is queued and before it applies the browser's widget values."""
    if _EARLY and _ARM and os.path.exists(_ARM) and not _state["held"]:
        _state["held"] = True
        deadline = time.monotonic() + 3 * SLOW_RUN_SECONDS
        while not _state["stop_asked"] and time.monotonic() < deadline:
            time.sleep(0.01)
        if _state["stop_asked"]:
            print("planted: the run was asked to stop before it took the change", file=sys.stderr, flush=True)
    return _get_bytecode(self, script_path)


ScriptRunner.request_stop = _noted_stop
ScriptCache.get_bytecode = _early_stop
