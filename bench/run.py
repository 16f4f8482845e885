"""`python -m core.cli bench`: measure every row of DESIGN.md's performance budget, print a table and write
bench/results.json (a list of {"name", "value", "unit", "budget", "met"} plus "note"/"detail" where useful).

Sections: queries (demo DB), scaled (×100, ×1000 copies), apptest (server rerun), browser (filter change and
first load vs the floor app, 10 concurrent sessions), export (PNG warm/cold, 10-chart pack).
A section that fails gives its rows value null, met false and a note; nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import os
import time
import traceback
from pathlib import Path

from bench.stats import median, p95, row

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
SECTIONS = ("queries", "scaled", "apptest", "browser", "export")
BROWSER_PAGES = {"trends": 4, "districts": 4}  # page -> number of charts (the floor gets the same number)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scale", default="100,1000", help="scaled databases to measure (default 100,1000)")
    p.add_argument("--only", help=f"comma-separated sections to run, from {','.join(SECTIONS)} (default all)")
    p.add_argument("--runs", type=int, default=30, help="runs per query on the demo DB (default 30)")
    p.add_argument("--out", default=str(RESULTS), help="results file (default bench/results.json)")


def _failed(names: list[tuple[str, str, float]], exc: BaseException) -> list[dict]:
    first_line = str(exc).strip().splitlines()[0][:300] if str(exc).strip() else ""
    note = f"measurement failed: {type(exc).__name__}: {first_line}"
    return [row(n, None, u, b, note=note) for n, u, b in names]


def section_queries(runs: int) -> list[dict]:
    from bench import queries
    from core import db

    per = queries.measure(db.db_path(), runs)
    worst = max(per, key=per.get)
    return [row("query_p95_demo", per[worst], "ms", 20,
                note=f"max over {len(per)} named queries of p95 over {runs} runs; slowest: {worst}",
                detail={"per_query_p95_ms": {k: round(v, 2) for k, v in sorted(per.items())}})]


def section_scaled(scales: list[int]) -> list[dict]:
    from bench import queries

    rows = []
    for k, budget in ((100, 100), (1000, 500)):
        name = f"query_p95_x{k}"
        if k not in scales:
            rows.append(row(name, None, "ms", budget, measured=False,
                            note=f"not measured (run with --scale including {k})"))
            continue
        try:
            path, built_s, reused = queries.scaled_db(k)
            runs, cap = (20, 3.0) if k == 100 else (10, 4.0)
            per = queries.measure(path, runs, cap_s=cap)
            worst = max(per, key=per.get)
            over = sorted(q for q, v in per.items() if v > budget)
            rows.append(row(name, per[worst], "ms", budget,
                            note=(f"max over named queries of p95 (up to {runs} runs, {cap:.0f} s cap per query) on "
                                  f"a x{k} copy ({'reused' if reused else f'built in {built_s:.0f} s'}); "
                                  f"slowest: {worst}; over budget: {', '.join(over) or 'none'}"),
                            detail={"per_query_p95_ms": {q: round(v, 2) for q, v in sorted(per.items())}}))
        except Exception as exc:  # noqa: BLE001
            traceback.print_exc()
            rows += _failed([(name, "ms", budget)], exc)
    return rows


def section_apptest() -> list[dict]:
    from bench import server

    times, picked = server.rerun_times(10)
    return [row("apptest_rerun_median", median(times), "ms", 150,
                note=f"dashboard.py (overview page) rerun after f_session change, median of {len(times)}",
                detail={"runs_ms": [round(t, 1) for t in times], "sessions": picked})]


BROWSER_ROWS = [("browser_filter_change_p95_ratio", "ratio", 1.25), ("browser_first_load_ratio", "ratio", 1.25),
                ("concurrent_10_sessions_p95", "s", 1.5)]


def section_browser() -> list[dict]:
    from bench import browser

    raw = browser.run_browser(BROWSER_PAGES, runs=20, loads=5, conc_sessions=10, conc_changes=5)
    rows = []
    change_ratios, load_ratios, detail_c, detail_l = {}, {}, {}, {}
    notes_c, notes_l = [], []
    for page, n in BROWSER_PAGES.items():
        floor = raw["floor"].get(n)
        app = raw["app"].get(page)
        if not floor or not app:
            err = raw["errors"].get(page) or raw["errors"].get(f"floor{n}") or "no data"
            notes_c.append(f"{page}: failed: {err.splitlines()[0][:200]}")
            notes_l.append(f"{page}: failed")
            continue
        fc, ac = p95(floor["change"]), p95(app["change"])
        fl, al = median(floor["load"]), median(app["load"])
        change_ratios[page], load_ratios[page] = ac / fc, al / fl
        detail_c[page] = {"app_p50_ms": round(median(app["change"])), "app_p95_ms": round(ac),
                          "floor_p50_ms": round(median(floor["change"])), "floor_p95_ms": round(fc),
                          "ratio": round(ac / fc, 2), "runs": len(app["change"])}
        detail_l[page] = {"app_median_ms": round(al), "floor_median_ms": round(fl), "ratio": round(al / fl, 2),
                          "app_ms": [round(x) for x in app["load"]], "floor_ms": [round(x) for x in floor["load"]]}
    failed_pages = [page for page in BROWSER_PAGES if page not in change_ratios]
    for (name, unit, budget), ratios, detail, notes, what in (
            (BROWSER_ROWS[0], change_ratios, detail_c, notes_c, "p95 filter change until all charts redrawn"),
            (BROWSER_ROWS[1], load_ratios, detail_l, notes_l, "median page open until first chart visible")):
        if failed_pages:
            rows.append(row(name, None, unit, budget, note="; ".join(notes), detail=detail or None))
        else:
            worst = max(ratios, key=ratios.get)
            rows.append(row(name, ratios[worst], unit, budget, detail=detail,
                            note=f"{what}, app / floor app with the same chart count; worst page: {worst}"))
    name, unit, budget = BROWSER_ROWS[2]
    conc = raw.get("concurrent")
    if not conc:
        rows.append(row(name, None, unit, budget, note=f"failed: {raw['errors'].get('concurrent', 'no data')}"))
    else:
        lat = [x / 1000 for x in conc["latencies"]]
        errors = conc["errors"]
        value = p95(lat) if lat else None
        r = row(name, value, unit, budget,
                note=(f"10 browser contexts on /{conc['page']} at once, 5 filter changes each; "
                      f"{len(lat)} changes measured, {len(errors)} errors"),
                detail={"p50_s": round(median(lat), 3) if lat else None, "errors": errors[:10]})
        if errors:
            r["met"] = False
        rows.append(r)
    return rows


EXPORT_ROWS = [("png_export_warm", "s", 0.3), ("briefing_pack_10_pptx", "s", 5), ("png_export_cold", "s", 3),
               ("district_packs_all_11", "s", 60)]


def section_export() -> list[dict]:
    from bench import exports

    m = exports.measure(10)
    return [row("png_export_warm", median(m["warm"]), "s", 0.3,
                note=f"1920x1080 PNG, median of {len(m['warm'])} (p95 {p95(m['warm']):.3f} s)",
                detail={"runs_s": [round(x, 3) for x in m["warm"]]}),
            row("briefing_pack_10_pptx", m["pack"], "s", 5,
                note=f"DEFAULT_PACK ({m['pack_charts']} charts): queries + figures + PNGs + pptx, export browser warm"),
            row("png_export_cold", m["cold"], "s", 3, note="first export after the export browser was stopped"),
            district_packs_row()]


def district_packs_row() -> dict:
    from bench import district_packs

    try:
        m = district_packs.measure()
    except Exception as exc:  # noqa: BLE001
        return _failed([("district_packs_all_11", "s", 60)], exc)[0]
    return row("district_packs_all_11", m["seconds"], "s", 60,
               note=f"cli pack --district all --format {m['format']} from process start: {m['files']} packs")


def print_table(rows: list[dict]) -> None:
    print()
    print(f"{'measurement':36} {'value':>10} {'unit':6} {'budget':>8}  met")
    print("-" * 70)
    for r in rows:
        value = "—" if r["value"] is None else f"{r['value']:.3f}" if r["value"] < 10 else f"{r['value']:.1f}"
        met = {True: "yes", False: "NO", None: "n/a"}[r["met"]]
        print(f"{r['name']:36} {value:>10} {r['unit']:6} {r['budget']:>8}  {met}")
        if r.get("note"):
            print(f"    {r['note']}")
        per = (r.get("detail") or {}).get("per_query_p95_ms")
        if per:
            items = sorted(per.items(), key=lambda kv: -kv[1])
            for i in range(0, len(items), 3):
                print("      " + "   ".join(f"{q:27} {v:8.1f}" for q, v in items[i:i + 3]))
        for page, d in (r.get("detail") or {}).items():
            if isinstance(d, dict) and "ratio" in d:
                print(f"      {page}: " + ", ".join(f"{k}={v}" for k, v in d.items() if not isinstance(v, list)))
    print()


def main(args: argparse.Namespace | list[str] | None = None) -> int:
    if not isinstance(args, argparse.Namespace):
        args = parser().parse_args(args)
    os.chdir(ROOT)
    only = set((getattr(args, "only", None) or ",".join(SECTIONS)).split(","))
    scales = [int(s) for s in str(getattr(args, "scale", "100,1000") or "").split(",") if s.strip()]
    runs = getattr(args, "runs", 30) or 30
    out = Path(getattr(args, "out", None) or RESULTS)

    from core import db

    if not db.db_path().exists():
        from core.build import build

        print(f"building {db.db_path()} ...", flush=True)
        build()

    plan = [
        ("queries", lambda: section_queries(runs), [("query_p95_demo", "ms", 20)]),
        ("scaled", lambda: section_scaled(scales), [("query_p95_x100", "ms", 100), ("query_p95_x1000", "ms", 500)]),
        ("apptest", section_apptest, [("apptest_rerun_median", "ms", 150)]),
        ("browser", section_browser, BROWSER_ROWS),
        ("export", section_export, EXPORT_ROWS),
    ]
    rows: list[dict] = []
    started = time.perf_counter()
    for key, fn, names in plan:
        if key not in only:
            rows += [row(n, None, u, b, measured=False, note="not measured (section skipped with --only)")
                     for n, u, b in names]
            continue
        t0 = time.perf_counter()
        print(f"[bench] {key} ...", flush=True)
        try:
            rows += fn()
        except Exception as exc:  # noqa: BLE001  a failed section is a result, not a crash
            traceback.print_exc()
            rows += _failed(names, exc)
        print(f"[bench] {key} done in {time.perf_counter() - t0:.0f} s", flush=True)
    print_table(rows)
    print(f"total {time.perf_counter() - started:.0f} s; wrote {out}")
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
