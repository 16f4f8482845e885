"""Planted fault for tests/test_connection_browser.py, loaded by putting this folder on PYTHONPATH.

In the server process, the first websocket write after the test arms the fault (it creates the file named by
FAILING_WRITE_ARM, once the page has settled) fails once, as a write to a browser on a bad network does;
Streamlit then stops writing to that browser. Armed by the test, not by the first finished run: a rerun the
page makes by itself after loading would otherwise take the fault at a moment that depends on the machine's
speed, racing the test's own click.

The run that took the failed write is then held for SLOW_RUN_SECONDS before its page draws (after the sidebar
has rewritten the address), as on a busy machine: the browser reconnects while that run is still going, which
is when a rerun at the last finished run's address used to put the old filters back (the CI failure).
"""

import os
import time

from streamlit.navigation.page import StreamlitPage
from streamlit.web.server.starlette import starlette_websocket

_client_init = starlette_websocket.StarletteSessionClient.__init__
_ARM = os.environ.get("FAILING_WRITE_ARM", "")
_state = {"failed": False, "held": False}
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
    if _state["failed"] and not _state["held"]:
        _state["held"] = True
        time.sleep(SLOW_RUN_SECONDS)
    _page_run(self)


StreamlitPage.run = _held_run
