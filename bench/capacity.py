"""Capacity (`bench --only capacity`): how many officials one worker holds, each changing a filter every 5 s,
with the p95 of the changes still within 1 s; the dashboard against the floor app, with one worker and with
`make serve`'s 2 workers behind nginx (the floor app behind the same nginx). Protocol clients
(bench/protocol.py): the server's side alone, no browser on the same cores.
"""

from __future__ import annotations

import asyncio
import contextlib

from bench import protocol, servers
from bench.stats import p95, row

PAGE = "trends"  # every chart on it follows the range
THINK_S = 5.0
LIMIT_MS = 1000.0
LEVELS = (5, 10, 20, 40, 80, 160)
ROWS = [("capacity_one_worker_floor_vs_app", "ratio", 1.25), ("capacity_two_workers_floor_vs_app", "ratio", 1.25)]


async def official(base: str, page: str, query: str, k: int, n: int, changes: int) -> list[float]:
    """Open the page, wait for this official's turn (the sessions spread over one think time), then
    `changes` range changes to range starts not shown before, THINK_S apart; ms per change."""
    async with contextlib.AsyncExitStack() as stack:
        tab = protocol.Tab(await protocol.connect(stack, base), page, query)
        await tab.open()
        await asyncio.sleep(THINK_S * k / n)
        shown, times = {tab.shown(tab.boxes[protocol.RANGE_BOX])}, []
        for _ in range(changes):
            box = tab.boxes[protocol.RANGE_BOX]
            options = list(box.options)[:20]  # later starts would leave a range of one to three sessions
            choice = next(o for o in options[k % len(options):] + options if o not in shown)
            shown.add(choice)
            t0 = asyncio.get_running_loop().time()
            await tab.choose(box, choice)
            times.append((asyncio.get_running_loop().time() - t0) * 1000)
            await asyncio.sleep(THINK_S)
        return times


def level(base: str, page: str, query: str, n: int, changes: int) -> tuple[list[float], list[str]]:
    async def main():
        return await asyncio.gather(*(official(base, page, query, k, n, changes) for k in range(n)),
                                    return_exceptions=True)

    latencies, errors = [], []
    for k, result in enumerate(asyncio.run(main())):
        if isinstance(result, BaseException):
            errors.append(f"session {k}: {type(result).__name__}: {str(result)[:160]}")
        else:
            latencies += result
    return latencies, errors


def capacity(base: str, page: str, query: str, levels: tuple[int, ...], changes: int) -> tuple[int, dict]:
    """The largest number of sessions whose changes all succeeded with p95 ≤ LIMIT_MS (0 if none), and each
    level tried: `levels` ascending up to the first that fails, then halving the gap between the last held
    and that one, twice at most (so 20 held, 40 not gives 30, then 25 or 35)."""
    held, tried, failed = 0, {}, None

    def holds(n: int) -> bool:
        latencies, errors = level(base, page, query, n, changes)
        tried[n] = {"p95_ms": round(p95(latencies)) if latencies else None, "errors": len(errors),
                    "first_errors": errors[:2]}
        return bool(latencies) and not errors and p95(latencies) <= LIMIT_MS

    for n in levels:
        if not holds(n):
            failed = n
            break
        held = n
    for _ in range(2):
        if failed is None or failed - held < 2:
            break
        middle = (held + failed) // 2
        held, failed = (middle, failed) if holds(middle) else (held, middle)
    return held, tried


def section(levels: tuple[int, ...] = LEVELS, changes: int = 3) -> list[dict]:
    """One worker (bare `streamlit run`, as `make run` starts its worker) and `make serve`'s 2 workers behind
    nginx, the floor app set up the same way each time."""
    held: dict[tuple[str, int], tuple[int, dict]] = {}
    for workers in (1, 2):
        for side in ("floor", "app"):
            with server(side, workers) as base:
                page, query = ("", f"page={PAGE}") if side == "floor" else (PAGE, "")
                held[side, workers] = capacity(base, page, query, levels, changes)
    return [capacity_row(ROWS[workers - 1], workers, held, levels, changes) for workers in (1, 2)]


@contextlib.contextmanager
def server(side: str, workers: int):
    if workers == 1:
        with (servers.floor_server() if side == "floor" else servers.streamlit_server("dashboard.py")) as (url, _):
            yield url
    else:
        with servers.serve_cluster(workers, floor=side == "floor") as (url, _):
            yield url


def capacity_row(spec: tuple[str, str, float], workers: int, held: dict, levels: tuple[int, ...], changes: int) -> dict:
    name, unit, budget = spec
    (floor, floor_tried), (app, app_tried) = held["floor", workers], held["app", workers]
    setup = "one worker (`streamlit run`)" if workers == 1 else "`make serve` with 2 workers behind nginx"
    return row(name, floor / app if app else None, unit, budget,
               note=(f"sessions at once (tried {', '.join(map(str, levels))}) that {setup} holds with each "
                     f"changing the range on /{PAGE} every {THINK_S:g} s ({changes} changes each, every one to a "
                     f"range start that session has not shown) and p95 ≤ {LIMIT_MS:g} ms, no errors: floor / app "
                     "(≤ 1.25 means the app holds ≥ 0.8 × the floor's), the floor app run the same way; protocol "
                     "clients, no browser. A side holding the largest level tried held at least that many "
                     "(floor_at_top_level: the ratio is then a lower bound)"),
               detail={"floor_sessions": floor, "app_sessions": app, "floor_at_top_level": floor == max(levels),
                       "floor_levels": floor_tried, "app_levels": app_tried})
