"""`python -m core.cli bench`: measure every row of DESIGN.md's performance budget, print a table and write
bench/results.json (a list of {"name", "value", "unit", "budget", "met"} plus "note"/"detail" where useful).

Sections: queries (demo DB), scaled (×100, ×1000 copies, DuckDB against pandas), apptest (server rerun),
browser (filter change and first load of every page against the floor app), load (10 and 30 concurrent
sessions: one worker and `make serve` with 2 workers against the floor app), memory (200 distinct views,
10-minute soak), export (PNG warm/cold, 10-chart pack warm, command-line pack cold), ops (page weight, server
CPU per filter change, start-up, slow office line: bench/ops.py), capacity (sessions one worker holds at
p95 ≤ 1 s with 5 s think time: bench/capacity.py).
A section that fails gives its rows value null, met false and a note; nothing here asserts. With --only, the
other sections' rows are kept from the results file as they were (a row never measured is written as such).
"""

from __future__ import annotations

import argparse
import json
import os
import time
import traceback
from pathlib import Path

from bench import browser_rows
from bench.stats import failed_rows, median, p95, row
from core import config

ROOT = config.ROOT
RESULTS = config.BENCH / "results.json"
SECTIONS = ("queries", "scaled", "apptest", "browser", "load", "memory", "export", "ops", "capacity")


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    add_arguments(p)
    return p


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--scale", default="100,1000", help="scaled databases to measure (default 100,1000)")
    p.add_argument("--only", help=f"comma-separated sections to run, from {','.join(SECTIONS)} (default all)")
    p.add_argument("--runs", type=int, default=30, help="runs per query on the demo DB (default 30)")
    p.add_argument("--out", default=str(RESULTS), help="results file (default bench/results.json)")
    p.add_argument("--browser-runs", type=int, default=18,
                   help="filter changes per page to unseen views in the browser (default 18; at most 19)")
    p.add_argument("--browser-rounds", type=int, default=2,
                   help="rounds of the per-page browser rows, each on fresh servers, pooled (default 2)")
    p.add_argument("--views", type=int, default=200, help="distinct views before the memory reading (default 200)")
    p.add_argument("--soak-minutes", type=float, default=10, help="length of the memory soak (default 10)")
    p.add_argument("--levels", default="10,30", help="concurrent sessions to measure (default 10,30)")
    p.add_argument("--load-rounds", type=int, default=browser_rows.ROUNDS,
                   help=f"rounds per side at each concurrency level, even (default {browser_rows.ROUNDS})")
    p.add_argument("--capacity-levels", default="5,10,20,40,80,160",
                   help="sessions at once to try in capacity, ascending (default 5,10,20,40,80,160)")
    p.add_argument("--ops-runs", type=int, default=5, help="first loads / CPU rounds per side in ops (default 5)")


def section_queries(runs: int) -> list[dict]:
    from bench import queries

    per = queries.measure(config.records_db(), runs)
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
            rows += failed_rows([(name, "ms", budget)], exc)
    rows.append(duckdb_vs_pandas_row(scales))
    return rows


def duckdb_vs_pandas_row(scales: list[int]) -> dict:
    from bench import queries

    name = "duckdb_vs_pandas_x1000"
    if 1000 not in scales:
        return row(name, None, "ratio", 1.0, measured=False, note="not measured (run with --scale including 1000)")
    try:
        r = queries.duckdb_vs_pandas(queries.scaled_db(1000)[0])
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        return failed_rows([(name, "ratio", 1.0)], exc)[0]
    return row(name, r["duckdb_s"] / r["pandas_s"], "ratio", 1.0,
               note=(f"records and distinct companies per session and district over {r['rows']:,} records: DuckDB "
                     f"{r['duckdb_s'] * 1000:.0f} ms on the file / pandas {r['pandas_s'] * 1000:.0f} ms with the "
                     "table already in memory (median of 5); below 1 = DuckDB faster"),
               detail={"duckdb_ms": round(r["duckdb_s"] * 1000, 1), "pandas_ms": round(r["pandas_s"] * 1000, 1)})


def section_apptest() -> list[dict]:
    from bench import server

    times, picked, ran = server.rerun_times(10)
    return [row("apptest_rerun_median", median(times), "ms", 150,
                note=(f"dashboard.py (overview page) rerun after choosing a district not chosen before in the "
                      f"process, median of {len(times)}; each rerun ran {min(ran)}-{max(ran)} queries (the ones "
                      "taking the districts: each misses the cache once)"),
                detail={"runs_ms": [round(t, 1) for t in times], "districts": picked, "queries_run": ran})]


LOAD_ROWS = [(f"concurrent_{n}_sessions_ratio_{w}", "ratio", 1.25)
             for n in (10, 30) for w in ("1_worker", "2_workers")] + [("serve_2_workers_vs_1_at_30", "ratio", 1.0),
                                                            ("serve_capacity_2_workers_vs_1_at_30", "ratio", 1.0)]
MEMORY_ROWS = [("memory_rss_after_200_views", "MB", 1536), ("memory_soak_growth_second_half", "%", 2.0),
               ("memory_peak_rss_per_worker", "MB", 1536)]


EXPORT_ROWS = [("png_export_warm", "s", 0.3), ("briefing_pack_10_pptx", "s", 5), ("png_export_cold", "s", 3),
               ("cli_pack_10_pptx_cold", "s", 8),
               ("district_packs_all_11", "s", 60), ("release_kit_with_districts", "s", 30)]


def section_export() -> list[dict]:
    from bench import exports

    m = exports.measure(10)
    return [row("png_export_warm", median(m["warm"]), "s", 0.3,
                note=f"1920x1080 PNG, median of {len(m['warm'])} (p95 {p95(m['warm']):.3f} s)",
                detail={"runs_s": [round(x, 3) for x in m["warm"]]}),
            row("briefing_pack_10_pptx", m["pack"], "s", 5,
                note=f"DEFAULT_PACK ({m['pack_charts']} charts): queries + figures + PNGs + pptx, export browser warm"),
            row("png_export_cold", m["cold"], "s", 3, note="first export after the export browser was stopped"),
            cli_pack_row(),
            district_packs_row(),
            release_kit_row()]


def release_kit_row() -> dict:
    from bench import release_kit

    try:
        m = release_kit.measure()
    except Exception as exc:  # noqa: BLE001
        return failed_rows([("release_kit_with_districts", "s", 30)], exc)[0]
    return row("release_kit_with_districts", m["seconds"], "s", 30,
               note=f"cli release --session 23 --with-districts from process start: {m['files']} files, "
                    f"{m['districts']} district briefings")


def district_packs_row() -> dict:
    from bench import district_packs

    try:
        m = district_packs.measure()
    except Exception as exc:  # noqa: BLE001
        return failed_rows([("district_packs_all_11", "s", 60)], exc)[0]
    return row("district_packs_all_11", m["seconds"], "s", 60,
               note=f"cli pack --district all --format {m['format']} from process start: {m['files']} packs")


def cli_pack_row() -> dict:
    from bench import exports

    try:
        runs = exports.cli_pack_cold(3)
    except Exception as exc:  # noqa: BLE001
        traceback.print_exc()
        return failed_rows([("cli_pack_10_pptx_cold", "s", 8)], exc)[0]
    return row("cli_pack_10_pptx_cold", median(runs), "s", 8,
               note=("`python -m core.cli pack --session 23 --out x.pptx` (default 10 charts), a new process each "
                     f"time, from process start to exit; median of {len(runs)}"),
               detail={"runs_s": [round(x, 2) for x in runs]})


def ops_rows() -> list[tuple[str, str, float]]:
    from bench import ops

    return ops.ROWS


def ops_section(runs: int) -> list[dict]:
    from bench import ops

    return ops.section(runs=runs)


def capacity_rows() -> list[tuple[str, str, float]]:
    from bench import capacity

    return capacity.ROWS


def capacity_section(levels: str) -> list[dict]:
    from bench import capacity

    return capacity.section(tuple(int(n) for n in levels.split(",")))


def previous_rows(path: Path) -> dict[str, dict]:
    """The rows already in the results file, by name: what --only leaves as it was."""
    try:
        return {r["name"]: r for r in json.loads(path.read_text(encoding="utf-8"))}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


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
    browser_runs = getattr(args, "browser_runs", 18) or 18
    browser_rounds = getattr(args, "browser_rounds", 2) or 2
    views = getattr(args, "views", 200) or 200
    soak = getattr(args, "soak_minutes", 10) or 10
    levels = tuple(int(x) for x in str(getattr(args, "levels", "10,30") or "10,30").split(","))
    load_rounds = getattr(args, "load_rounds", browser_rows.ROUNDS) or browser_rows.ROUNDS


    if not config.records_db().exists():
        from core.build import build

        print(f"building {config.records_db()} ...", flush=True)
        build()

    plan = [
        ("queries", lambda: section_queries(runs), [("query_p95_demo", "ms", 20)]),
        ("scaled", lambda: section_scaled(scales), [("query_p95_x100", "ms", 100), ("query_p95_x1000", "ms", 500),
                                                    ("duckdb_vs_pandas_x1000", "ratio", 1.0)]),
        ("apptest", section_apptest, [("apptest_rerun_median", "ms", 150)]),
        ("browser", lambda: browser_rows.page_rows(browser_runs, loads=5, rounds=browser_rounds),
         browser_rows.PAGE_ROWS),
        ("load", lambda: browser_rows.concurrency_rows(levels, rounds=load_rounds), LOAD_ROWS),
        ("memory", lambda: browser_rows.memory_rows(views, soak), MEMORY_ROWS),
        ("export", section_export, EXPORT_ROWS),
        ("ops", lambda: ops_section(getattr(args, "ops_runs", 5) or 5), ops_rows()),
        ("capacity", lambda: capacity_section(str(getattr(args, "capacity_levels", "") or "5,10,20,40,80,160")),
         capacity_rows()),
    ]
    kept = previous_rows(out)
    rows: list[dict] = []
    started = time.perf_counter()
    for key, fn, names in plan:
        if key not in only:
            skipped = "not measured (section skipped with --only)"
            rows += [kept.get(n) or row(n, None, u, b, measured=False, note=skipped) for n, u, b in names]
            continue
        t0 = time.perf_counter()
        print(f"[bench] {key} ...", flush=True)
        try:
            rows += fn()
        except Exception as exc:  # noqa: BLE001  a failed section is a result, not a crash
            traceback.print_exc()
            rows += failed_rows(names, exc)
        print(f"[bench] {key} done in {time.perf_counter() - t0:.0f} s", flush=True)
    print_table(rows)
    print(f"total {time.perf_counter() - started:.0f} s; wrote {out}")
    out.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
