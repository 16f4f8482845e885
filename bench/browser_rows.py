"""Budget rows measured in a real browser: filter change and first load per page, concurrency, memory.

Every browser row is a ratio to the floor app (bench/floor_app.py) measured the same way in the same run,
so the machine's speed cancels out; see bench/README.md for what each row means.
"""

from __future__ import annotations

from bench.stats import median, p95, row

LOAD_PAGE = "trends"  # concurrency and soak: every chart on it changes with the range
LEVELS = (10, 30)
CHANGES = {10: 3, 30: 2}  # filter changes per session in each round at each level
ROUNDS = 2  # runs per side at each level, the sides in turns (bench.load.concurrency)


def shapes() -> dict[str, dict]:
    """Write the floor's specs from the app's own figures; {page: {charts, changed, box, bytes}}."""
    from bench import floor_specs

    return floor_specs.write()


def page_rows(runs: int, loads: int) -> list[dict]:
    from bench import browser

    shape = shapes()
    raw = browser.run_pages(shape, runs=runs, loads=loads)
    change, load, failed = {}, {}, []
    for page, s in shape.items():
        app, floor = raw["app"].get(page), raw["floor"].get(page)
        if not app or not floor:
            why = [raw["errors"].get(f"{what}:{page}") for what in ("changes", "app", "floor")]
            failed.append(f"{page}: {next((w for w in why if w), 'no result')}")
            continue
        fc, ac = p95(floor["change"]), p95(app["change"])
        fl, al = median(floor["load"]), median(app["load"])
        change[page] = {"ratio": round(ac / fc, 3), "app_p50_ms": round(median(app["change"])), "app_p95_ms": round(ac),
                        "floor_p50_ms": round(median(floor["change"])), "floor_p95_ms": round(fc),
                        "charts": s["charts"], "changed_per_change": s["changed"], "runs": len(app["change"]),
                        "app_ms": sorted(round(x) for x in app["change"]),
                        "floor_ms": sorted(round(x) for x in floor["change"])}
        load[page] = {"ratio": round(al / fl, 3), "app_median_ms": round(al), "floor_median_ms": round(fl),
                      "charts": s["charts"], "app_ms": [round(x) for x in app["load"]],
                      "floor_ms": [round(x) for x in floor["load"]]}
    rows = []
    for name, per, what in (
            ("browser_filter_change_p95_ratio", change,
             "p95 filter change until the rerun is over and every changed chart redrawn"),
            ("browser_first_load_ratio", load, "median page open until every chart is drawn")):
        if failed:
            rows.append(row(name, None, "ratio", 1.25, note="failed: " + "; ".join(failed)[:400], detail=per or None))
            continue
        worst = max(per, key=lambda p: per[p]["ratio"])
        rows.append(row(name, per[worst]["ratio"], "ratio", 1.25, detail=per,
                        note=f"{what}; app / floor app with the same charts, every page; worst page: {worst}"))
    return rows


def concurrency_rows(levels: tuple[int, ...] = LEVELS, changes: dict[int, int] | None = None) -> list[dict]:
    from bench import load

    changes = {level: (changes or CHANGES).get(level, 3) for level in levels}
    shape = shapes()[LOAD_PAGE]
    raw = load.concurrency(shape, LOAD_PAGE, levels, changes, ROUNDS)
    rows = []
    for level in levels:
        floor_lat, floor_err = raw[level]["floor"]
        for key, label in (("one", "1_worker"), ("two", "2_workers")):
            lat, errs = raw[level][key]
            errors = errs + [f"floor: {e}" for e in floor_err]
            note = (f"{level} browser sessions at once on /{LOAD_PAGE}, {changes[level]} range changes each, "
                    f"{ROUNDS} rounds per side taken in turns with the floor and the other setup; "
                    f"p95 {label.replace('_', ' ')} / p95 floor app under the same load; "
                    f"{len(lat)} changes measured, {len(errors)} errors")
            rows.append(p95_ratio_row(f"concurrent_{level}_sessions_ratio_{label}", 1.25, note, errors,
                                      over=("app", lat), under=("floor", floor_lat)))
    top = max(levels)
    one, two = raw[top]["one"][0], raw[top]["two"][0]
    value = p95(two) / p95(one) if one and two else None
    rows.append(row(f"serve_2_workers_vs_1_at_{top}", value, "ratio", 1.0,
                    note=f"p95 with `make serve` (2 workers) / p95 with one worker, {top} sessions; below 1 = faster",
                    detail={"one_worker_p95_ms": round(p95(one)) if one else None,
                            "two_workers_p95_ms": round(p95(two)) if two else None}))
    rows.append(capacity_row(raw["server"], top))
    return rows


def capacity_row(server: dict, sessions: int) -> dict:
    (one, one_err), (two, two_err) = server["one"], server["two"]
    errors = [f"1 worker: {e}" for e in one_err] + [f"2 workers: {e}" for e in two_err]
    note = (f"{sessions} sessions at once speaking Streamlit's protocol without a browser (bench/protocol.py), "
            f"range changes on /{LOAD_PAGE} until the server's script-finished; p95 with 2 workers / p95 with "
            f"1, {2 * ROUNDS} rounds per side in turns; {len(one)} + {len(two)} changes, {len(errors)} errors; "
            "below 1 = faster")
    return p95_ratio_row(f"serve_capacity_2_workers_vs_1_at_{sessions}", 1.0, note, errors,
                         over=("two_workers", two), under=("one_worker", one))


def p95_ratio_row(name: str, budget: float, note: str, errors: list[str],
                  over: tuple[str, list[float]], under: tuple[str, list[float]]) -> dict:
    """Row = p95 of `over`'s latencies / p95 of `under`'s, with both sides' p50 and p95 in the detail;
    any error makes it not met, whatever the ratio."""
    detail = {}
    for label, lat in (over, under):
        detail[f"{label}_p50_ms"] = round(median(lat)) if lat else None
        detail[f"{label}_p95_ms"] = round(p95(lat)) if lat else None
    value = p95(over[1]) / p95(under[1]) if over[1] and under[1] else None
    r = row(name, value, "ratio", budget, note=note,
            detail=detail | {"errors": len(errors), "first_errors": errors[:5]})
    if errors:
        r["met"] = False
    return r


def memory_rows(views: int, soak_minutes: float) -> list[dict]:
    from bench import load

    shape = shapes()[LOAD_PAGE]
    m = load.memory(views, parallel=3, soak_sessions=10, soak_s=soak_minutes * 60, shape=shape, page=LOAD_PAGE)
    r_views = row("memory_rss_after_200_views", m["after_views_mb"], "MB", 1536,
                  note=(f"one worker's RSS (with children) after {views} distinct districts-page views "
                        f"(session x district x language, each a new session); {m['start_mb']:.0f} MB after "
                        f"the first view; {len(m['view_errors'])} views failed"),
                  detail={"start_mb": round(m["start_mb"]), "errors": m["view_errors"][:5]})
    if m["view_errors"]:
        r_views["met"] = False
    samples = m["soak"]["samples"]
    half = len(samples) // 2
    first, second = [mb for _, mb in samples[:half]], [mb for _, mb in samples[half:]]
    growth = (max(second) - max(first)) / max(first) * 100 if first and second else None
    r_soak = row("memory_soak_growth_second_half", growth, "%", 2.0,
                 note=(f"{soak_minutes:g}-minute soak, 10 sessions changing session and range in turn on "
                       f"/{LOAD_PAGE} ({m['soak']['changes']} changes, {len(m['soak']['errors'])} errors); "
                       "peak RSS of the second half against the first; up to 2 % is allocator noise"),
                 detail={"rss_mb": [[round(t), round(mb)] for t, mb in samples],
                         "peak_mb": round(max(mb for _, mb in samples)) if samples else None,
                         "errors": m["soak"]["errors"][:5]})
    if m["soak"]["errors"]:
        r_soak["met"] = False
    worst_peak = max([m["after_views_mb"]] + [mb for _, mb in samples])
    r_peak = row("memory_peak_rss_per_worker", worst_peak, "MB", 1536,
                 note="highest RSS seen over the views and the soak")
    return [r_views, r_soak, r_peak]
