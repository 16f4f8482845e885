"""Server-side rerun time of the dashboard after a filter change, with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import time

from bench.stats import median
from core import config

ROOT = config.ROOT


def rerun_times(runs: int = 10) -> tuple[list[float], list[int]]:
    """ms per rerun of dashboard.py (default page: overview) after setting f_session to another session.

    Every change picks a session not shown before in this run, so each rerun misses st.cache_data once
    per query, as a user exploring sessions would (the cache is process-wide, shared by the AppTests).
    """
    from streamlit.testing.v1 import AppTest

    from core.catalog import load_options

    latest = max(load_options().sessions)
    order = sorted((s for s in load_options().sessions if s != latest), reverse=True)
    times, picked = [], []
    for s in order[:runs]:
        # A fresh AppTest per change: with st.navigation, AppTest runs only the page (no entry script, so
        # no sidebar) on the reruns after the first one, so each instance measures exactly one filter change.
        at = AppTest.from_file(str(config.DASHBOARD), default_timeout=120)
        at.run()
        if at.exception:
            raise RuntimeError(f"dashboard raised on first run: {at.exception[0].message}")
        started = time.perf_counter()
        at.selectbox(key="f_session").set_value(s).run()
        times.append((time.perf_counter() - started) * 1000)
        picked.append(s)
        if at.exception:
            raise RuntimeError(f"dashboard raised after choosing session {s}: {at.exception[0].message}")
    return times, picked


if __name__ == "__main__":
    t, p = rerun_times()
    print(median(t), t, p)
