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
