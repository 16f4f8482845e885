"""Server-side rerun time of the dashboard after a filter change, with Streamlit's AppTest (no browser)."""

from __future__ import annotations

import time
from pathlib import Path

from bench.stats import median

ROOT = Path(__file__).resolve().parent.parent


def rerun_times(runs: int = 10) -> tuple[list[float], list[int]]:
    """ms per rerun of dashboard.py (default page: overview) after setting f_session to another session.

    Every change picks a session not shown before in this run, so each rerun misses st.cache_data once
    per query, as a user exploring sessions would.
    """
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.run()
    if at.exception:
        raise RuntimeError(f"dashboard raised on first run: {at.exception[0].message}")
    from core.catalog import load_options

    current = at.selectbox(key="f_session").value
    order = sorted(load_options().sessions, reverse=True)
    span = tuple(at.select_slider(key="f_range").value)
    times, picked = [], []
    for s in order:
        if len(times) >= runs:
            break
        if s == current:
            continue
        # AppTest sends a range select_slider back as a single value on reruns (a testing-library quirk; the
        # browser sends both ends), so the range is restated with the same value it already has.
        at.select_slider(key="f_range").set_range(*span)
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
