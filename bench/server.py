"""Server-side rerun time of the dashboard after a filter change, with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import time

from bench.stats import median
from core import config

ROOT = config.ROOT


def rerun_times(runs: int = 10) -> tuple[list[float], list[str], list[int]]:
    """ms per rerun of dashboard.py (default page: overview) after choosing a district not chosen before in this
    process, and the names of the districts, and how many queries each rerun ran.

    A session change would not do: the overview asks its queries for every session at once and picks one in
    Python, so a session change runs no SQL at all. A district never chosen before misses st.cache_data once
    for each query that takes the districts (the cache is process-wide, shared by the AppTests); the count of
    queries run (core.db.run called) is kept so that the row shows it.
    """
    from streamlit.testing.v1 import AppTest

    from core import db

    queries: list[str] = []
    counted = db.run

    def counting(name: str, **params):
        queries.append(name)
        return counted(name, **params)

    times, picked, ran = [], [], []
    db.run = counting
    try:
        for k in range(runs):
            # A fresh AppTest per change: with st.navigation, AppTest runs only the page (no entry script, so
            # no sidebar) on the reruns after the first one, so each instance measures exactly one change.
            at = AppTest.from_file(str(config.DASHBOARD), default_timeout=120)
            at.run()
            if at.exception:
                raise RuntimeError(f"dashboard raised on first run: {at.exception[0].message}")
            box = at.multiselect(key="f_districts")
            district = box.options[k % len(box.options)]
            queries.clear()
            started = time.perf_counter()
            box.set_value([district]).run()
            times.append((time.perf_counter() - started) * 1000)
            picked.append(district)
            ran.append(len(queries))
            if at.exception:
                raise RuntimeError(f"dashboard raised after choosing {district}: {at.exception[0].message}")
    finally:
        db.run = counted
    return times, picked, ran


if __name__ == "__main__":
    t, p, q = rerun_times()
    print(median(t), t, p, q)
