"""Planted fault for tests/test_bench_browser.py, loaded by putting this folder on PYTHONPATH.

The server takes SLOW_ANSWER_S seconds to take up each rerun request (it blocks its event loop first), as a
server busy with other readers does: the page looks idle meanwhile, nothing stale, nothing running.
"""

import os
import time

from streamlit.runtime.runtime import Runtime

_DELAY_S = float(os.environ.get("SLOW_ANSWER_S", "1.5"))
_handle = Runtime.handle_backmsg


def handle_backmsg(self, session_id, msg, *, client=None):
    if msg.WhichOneof("type") == "rerun_script":
        time.sleep(_DELAY_S)
    return _handle(self, session_id, msg, client=client)


Runtime.handle_backmsg = handle_backmsg
