"""Budget rows measured in a real browser: filter change and first load per page, concurrency, memory.

Every browser row is a ratio to the floor app (bench/floor_app.py) measured the same way in the same run,
so the machine's speed cancels out; see bench/README.md for what each row means.
"""

from __future__ import annotations

from bench.stats import median, p95, row

LOAD_PAGE = "trends"  # concurrency and soak: every chart on it changes with the range
LEVELS = (10, 30)
CHANGES = {10: 3, 30: 2}  # filter changes per session in each round at each level
ROUNDS = 4  # runs per side at each level, the sides in turns (bench.load.concurrency); --load-rounds


def shapes() -> dict[str, dict]:
    """Write the floor's specs from the app's own figures; {page: {charts, changed, box, bytes}}."""
    from bench import floor_specs

    return floor_specs.write()


CHANGE_BUDGET, LOAD_BUDGET = 1.10, 1.25
PAGE_ROWS = [("browser_filter_change_p95_ratio", "ratio", CHANGE_BUDGET),
             ("browser_filter_change_revisit_p95_ratio", "ratio", CHANGE_BUDGET),
             ("browser_first_load_ratio", "ratio", LOAD_BUDGET),
             ("browser_first_load_cold_ratio", "ratio", LOAD_BUDGET)]


def page_rows(runs: int, loads: int, revisits: int = 10, rounds: int = 2) -> list[dict]:
    from bench import per_page

    shape = shapes()
    raw = per_page.run_pages(shape, runs=runs, loads=loads, revisits=revisits, rounds=rounds)
    if raw["errors"]:
        failed = "failed: " + "; ".join(f"{page}: {why}" for page, why in raw["errors"].items())
        return [row(name, None, unit, budget, note=failed[:400]) for name, unit, budget in PAGE_ROWS]
    per = {key: {page: p95_detail(raw["app"][page][key], raw["floor"][page][key], shape[page])
                 | floor_spread(raw["rounds"]["floor"][page][key]) for page in shape} for key in ("change", "revisit")}
    warm = {page: load_detail(raw["app"][page]["load"], raw["floor"][page]["load"], shape[page]) for page in shape}
    pooled = f"{rounds} rounds on fresh servers, pooled"
    return [worst_row("browser_filter_change_p95_ratio", per["change"], CHANGE_BUDGET,
                      f"p95 filter change until the rerun is over and every changed chart redrawn, each change to a "
                      f"view that side has never shown ({runs} per page and round, {pooled}; after 2 changes of the "
                      "other box), on servers started for the page"),
            worst_row("browser_filter_change_revisit_p95_ratio", per["revisit"], CHANGE_BUDGET,
                      f"p95 filter change as above, {revisits} per page and round ({pooled}), each back to a view "
                      "that side showed before in this process (the app's caches may answer; the floor has none)"),
            worst_row("browser_first_load_ratio", warm, LOAD_BUDGET,
                      f"warm first load: median of {loads} page opens a round ({pooled}) in new sessions until every "
                      "chart is drawn, the process having served the page's default view before"),
            cold_row(raw, shape)]


def p95_detail(app: list[float], floor: list[float], s: dict) -> dict:
    return {"ratio": round(p95(app) / p95(floor), 3), "app_p50_ms": round(median(app)), "app_p95_ms": round(p95(app)),
            "floor_p50_ms": round(median(floor)), "floor_p95_ms": round(p95(floor)), "charts": s["charts"],
            "changed_per_change": s["changed"], "runs": len(app), "app_ms": sorted(round(x) for x in app),
            "floor_ms": sorted(round(x) for x in floor)}


def floor_spread(rounds: list[list[float]]) -> dict:
    """The floor against itself: its p95 in each round, and the highest over the lowest. The same server,
    page and code gave rounds this far apart, so a ratio within that spread of 1 is not a difference."""
    p95s = [p95(r) for r in rounds if r]
    return {"floor_p95_by_round_ms": [round(x) for x in p95s],
            "floor_round_spread": round(max(p95s) / min(p95s), 3) if p95s else None}


def load_detail(app: list[float], floor: list[float], s: dict) -> dict:
    return {"ratio": round(median(app) / median(floor), 3), "app_median_ms": round(median(app)),
            "floor_median_ms": round(median(floor)), "charts": s["charts"], "app_ms": [round(x) for x in app],
            "floor_ms": [round(x) for x in floor]}


def worst_row(name: str, per: dict, budget: float, what: str) -> dict:
    worst = max(per, key=lambda p: per[p]["ratio"])
    spreads = [d["floor_round_spread"] for d in per.values() if d.get("floor_round_spread")]
    spread = f"; the floor against itself, round to round: up to {max(spreads):.2f} x" if spreads else ""
    return row(name, per[worst]["ratio"], "ratio", budget, detail=per,
               note=f"{what}; app / floor app with the same charts, every page; worst page: {worst}{spread}")


def cold_row(raw: dict, shape: dict) -> dict:
    """A cold load per page, side and round is one sample each, so the row is the pages' total, app / floor."""
    per = {page: {"app_ms": round(sum(raw["app"][page]["cold"])), "floor_ms": round(sum(raw["floor"][page]["cold"])),
                  "loads": len(raw["app"][page]["cold"])} for page in shape}
    for d in per.values():
        d["ratio"] = round(d["app_ms"] / d["floor_ms"], 3)
    value = sum(d["app_ms"] for d in per.values()) / sum(d["floor_ms"] for d in per.values())
    return row("browser_first_load_cold_ratio", value, "ratio", LOAD_BUDGET, detail=per,
               note=("cold first load: each page opened as the first visit to a server process started for it "
                     "(once a round), until every chart is drawn; sum over the pages and rounds, app / floor (per "
                     "page in the detail)"))


def concurrency_rows(levels: tuple[int, ...] = LEVELS, changes: dict[int, int] | None = None,
                     rounds: int = ROUNDS) -> list[dict]:
    from bench import load

    changes = {level: (changes or CHANGES).get(level, 3) for level in levels}
    shape = shapes()[LOAD_PAGE]
    raw = load.concurrency(shape, LOAD_PAGE, levels, changes, rounds)
    rows = []
    for level in levels:
        floor_lat, floor_err, _ = raw[level]["floor"]
        for key, label in (("one", "1_worker"), ("two", "2_workers")):
            lat, errs, repeats = raw[level][key]
            errors = errs + [f"floor: {e}" for e in floor_err]
            note = (f"{level} browser sessions at once on /{LOAD_PAGE}, {changes[level]} range changes each, "
                    f"{rounds} rounds per side taken in turns with the floor and the other setup, all three started "
                    f"afresh each round; p95 {label.replace('_', ' ')} / p95 floor app under the same load; "
                    f"{len(lat)} changes measured, {repeats} of them to a view another session had shown in the "
                    f"same round (the app's caches may answer those, the floor has none), {len(errors)} errors")
            spread = floor_spread(raw[level]["rounds"]["floor"])
            if spread["floor_round_spread"]:
                note += f"; the floor against itself, round to round: p95 up to {spread['floor_round_spread']:.2f} x"
            r = p95_ratio_row(f"concurrent_{level}_sessions_ratio_{label}", 1.25, note, errors,
                              over=("app", lat), under=("floor", floor_lat))
            r["detail"] |= spread | {"changes_to_views_shown_before": repeats}
            rows.append(r)
    top = max(levels)
    one, two = raw[top]["one"][0], raw[top]["two"][0]  # latencies
    value = p95(two) / p95(one) if one and two else None
    rows.append(row(f"serve_2_workers_vs_1_at_{top}", value, "ratio", 1.0,
                    note=f"p95 with `make serve` (2 workers) / p95 with one worker, {top} sessions; below 1 = faster",
                    detail={"one_worker_p95_ms": round(p95(one)) if one else None,
                            "two_workers_p95_ms": round(p95(two)) if two else None}))
    rows.append(capacity_row(raw["server"], top, rounds))
    return rows


def capacity_row(server: dict, sessions: int, rounds: int = ROUNDS) -> dict:
    (one, one_err), (two, two_err) = server["one"], server["two"]
    errors = [f"1 worker: {e}" for e in one_err] + [f"2 workers: {e}" for e in two_err]
    note = (f"{sessions} sessions at once speaking Streamlit's protocol without a browser (bench/protocol.py), "
            f"range changes on /{LOAD_PAGE} until the server's script-finished; p95 with 2 workers / p95 with "
            f"1, {2 * rounds} rounds per side in turns; {len(one)} + {len(two)} changes, {len(errors)} errors; "
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
