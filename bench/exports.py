"""Export timings: first PNG after start (cold), warm PNG, and a 10-chart briefing pack (pptx)."""

from __future__ import annotations

import time


def measure(warm_runs: int = 10) -> dict:
    from core import briefing, catalog, export
    from core.filters import defaults

    options = catalog.load_options()
    filters = defaults(options)
    fig, _, _ = catalog.build("district_ranking", filters, options)
    export.shutdown()  # make sure the next export starts the export browser
    started = time.perf_counter()
    export.render(fig, "png", "slide")
    cold = time.perf_counter() - started
    warm = []
    for _ in range(warm_runs):
        started = time.perf_counter()
        export.render(fig, "png", "slide")
        warm.append(time.perf_counter() - started)
    entries = [briefing.entry(name, filters) for name in briefing.DEFAULT_PACK]
    started = time.perf_counter()
    items = briefing.items_for(entries, options, filters.lang)
    data = briefing.build_pack("pptx", items, briefing.meta_for(filters, options))
    pack = time.perf_counter() - started
    return {"cold": cold, "warm": warm, "pack": pack, "pack_charts": len(items), "pack_bytes": len(data)}


def cli_pack_cold(runs: int = 3) -> list[float]:
    """Seconds for `python -m core.cli pack` of the default 10 charts as PPTX, each a new process (imports,
    database, export browser all started from nothing), timed from before the process starts to its exit."""
    import subprocess
    import sys
    import tempfile
    from pathlib import Path

    from core import config

    root = config.ROOT
    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for i in range(runs):
            target = Path(tmp) / f"pack{i}.pptx"
            started = time.perf_counter()
            done = subprocess.run([sys.executable, "-m", "core.cli", "pack", "--session", "23", "--out", str(target)],
                                  cwd=root, capture_output=True, text=True, timeout=300)
            elapsed = time.perf_counter() - started
            if done.returncode != 0 or not target.exists():
                raise RuntimeError(f"pack failed ({done.returncode}): {done.stderr.strip()[-200:]}")
            out.append(elapsed)
    return out
