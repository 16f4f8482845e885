"""Python's garbage collector, set for a long-running server rather than a script.

Measured on the dashboard (a gc callback in the server during page loads and filter changes): a full
collection ran about once per rerun and took 70-170 ms, because it walks every object the process holds
(plotly's validators, pandas, the map's GeoJSON, the caches). It landed inside reruns: 150-350 ms silences
in the middle of a page's websocket stream. After the first run, what the process holds then (imports,
templates, the boundaries) is moved out of the collector's sight for good (gc.freeze), and the youngest
generation is collected less often, so fewer collections reach the oldest one. Cyclic garbage is still
collected; the bench's memory rows watch the cost.

Streamlit also ran a full collection after every run (runner.postScriptGC, off in .streamlit/config.toml).
Measured on the companies page after the bench's other pages: 20 full collections for 18 filter changes,
~50 ms each, in the thread that then had to send the rerun's last message; with it off, the page's change
took 176-197 ms instead of 200-236 ms (median of 16, two runs each).
"""

from __future__ import annotations

import gc
import threading

# Allocations between collections of the youngest generation (CPython's default is 700): a rerun
# allocates hundreds of thousands of objects building figures, most of them short-lived.
YOUNG_THRESHOLD = 50_000
_lock = threading.Lock()
_settled = False


def settle() -> None:
    """Once per process, after the first run: freeze what exists and collect less often."""
    global _settled
    with _lock:
        if _settled:
            return
        _settled = True
        gc.collect()
        gc.freeze()
        _, middle, old = gc.get_threshold()
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)
