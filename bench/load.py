"""Many officials at once: concurrent browser sessions against one worker, `make serve` with 2 workers and the
floor app under the same load; server memory after 200 distinct views and during a soak.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from pathlib import Path

from playwright.async_api import async_playwright

from bench import browser, servers

SETTLED_JS = """() => {
  if (document.querySelector('[data-testid="stException"]')) return 'error';
  if (!document.querySelector('h1')) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]') || document.querySelector('[data-stale="true"]'))
    return false;
  for (const el of document.querySelectorAll('.js-plotly-plot')) if (!el._fullLayout) return false;
  return true;
}"""


SIDES = ("floor", "one", "two")


def concurrency(shape: dict, page: str, levels: tuple[int, ...], changes: dict[int, int],
                rounds: int = 2) -> dict:
    """{level: {"floor"|"one"|"two": (latencies, errors, shown_before), "rounds": {side: [latencies of each
    round]}}, "server": server_capacity}: the floor
    app, the dashboard as `make run` starts its worker, and `make serve` with 2 workers, each under `level`
    browser sessions at once; then the two setups' server side alone at the highest level. `shown_before`:
    changes to a view shown before in the same run (by another session, or a session's first view), which the
    app's caches may answer and the floor cannot.

    Each level is run `rounds` times per side, the sides taken in turns, in mirrored order (floor, one, two, then
    two, one, floor), with `changes[level]` changes per session each time; a side's changes are pooled. Measured
    one side after the other, the same code gave 2 workers at 10 sessions 0.69 and 1.41: the machine's drift fell
    on one side. The three are started afresh for every round: served for the whole section, a round's views
    were the earlier rounds' (the same choices each time), answered from the app's caches."""
    out: dict = {level: {side: ([], [], 0) for side in SIDES} | {"rounds": {side: [] for side in SIDES}}
                 for level in levels}
    for level in levels:
        for r in range(rounds):
            with _setups(page) as targets:
                for side in SIDES if r % 2 == 0 else reversed(SIDES):
                    _, url, warm_urls = targets[side]
                    lat, errs, repeats = browser.run_concurrent(url, shape, level, changes[level], warm_urls)
                    out[level]["rounds"][side].append(lat)
                    before = out[level][side]
                    out[level][side] = (before[0] + lat, before[1] + [f"round {r + 1}: {e}" for e in errs],
                                        before[2] + repeats)
    with _setups(page) as targets:
        out["server"] = server_capacity({side: targets[side][0] for side in ("one", "two")}, page, max(levels),
                                        2 * rounds)
    return out


@contextlib.contextmanager
def _setups(page: str):
    """The floor app, one dashboard worker and `make serve` with 2 workers, freshly started; yields
    {side: (its address, the address of `page`, the addresses to visit once before measuring, None: the page)}."""
    with contextlib.ExitStack() as stack:
        floor_url, _ = stack.enter_context(servers.floor_server())
        app_url, _ = stack.enter_context(servers.streamlit_server("dashboard.py"))
        proxy_url, workers = stack.enter_context(servers.serve_cluster(2))
        yield {"floor": (floor_url, f"{floor_url}/?page={page}", None), "one": (app_url, f"{app_url}/{page}", None),
               "two": (proxy_url, f"{proxy_url}/{page}", [f"{w}/{page}" for w in workers])}


def server_capacity(bases: dict[str, str], page: str, sessions: int, rounds: int, changes: int = 5) -> dict:
    """{"one": (lat, errs), "two": (lat, errs)}: `sessions` protocol sessions (bench.protocol, no browser)
    against one worker and against `make serve` with 2 workers (`bases`), in mirrored rounds."""
    from bench import protocol

    out = {side: ([], []) for side in ("one", "two")}
    for r in range(rounds):
        for side in ("one", "two") if r % 2 == 0 else ("two", "one"):
            lat, errs = protocol.run_sessions(bases[side], page, sessions, changes)
            out[side][0].extend(lat)
            out[side][1].extend(f"round {r + 1}: {e}" for e in errs)
    return out


def rss_mb(pid: int) -> float:
    """Resident memory of a process and its children (a worker's export browser counts), in MB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, ValueError, IndexError):
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        todo += children.get(p, [])
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{p}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1])
    return total / 1024


def distinct_views(n: int) -> list[str]:
    """n districts-page URLs, each a different (session, district, language)."""
    from core.catalog import load_options

    options = load_options()
    districts = [""] + list(options.districts)
    combos = itertools.product(("zh", "en"), districts, reversed(options.sessions))
    return [f"/districts?session={s}&lang={lang}" + (f"&district={d}" if d else "")
            for lang, d, s in itertools.islice(combos, n)]


async def _visit_all(base: str, paths: list[str], parallel: int) -> list[str]:
    errors: list[str] = []
    queue = list(paths)
    async with async_playwright() as p:
        b = await browser.launch(p)
        try:
            async def worker():
                context = await browser.new_context(b)
                page = await context.new_page()
                try:
                    while queue:
                        path = queue.pop()
                        try:  # a new page load is a new Streamlit session with its own view
                            await page.goto(base + path, wait_until="commit", timeout=browser.TIMEOUT_MS)
                            await page.wait_for_timeout(300)
                            await page.wait_for_function(SETTLED_JS, polling=200, timeout=browser.TIMEOUT_MS)
                        except Exception as exc:  # noqa: BLE001
                            errors.append(f"{path}: {type(exc).__name__}: {str(exc)[:100]}")
                finally:
                    await context.close()

            await asyncio.gather(*(worker() for _ in range(parallel)))
        finally:
            await b.close()
    return errors


async def _soak(url: str, shape: dict, sessions: int, seconds: float, pid: int, every_s: float) -> dict:
    samples: list[tuple[float, float]] = []
    errors: list[str] = []
    changes = 0
    deadline = time.monotonic() + seconds
    gate = asyncio.Semaphore(4)  # sessions arrive four at a time, as in bench.browser.concurrent
    async with async_playwright() as p:
        b = await browser.launch(p)
        try:
            async def one(k: int):
                nonlocal changes
                context = await browser.new_context(b)
                try:
                    try:
                        async with gate:
                            page = await browser.open_ready(context, url, shape["charts"])
                    except Exception as exc:  # noqa: BLE001  counted; the soak goes on with the others
                        errors.append(f"session {k} did not open: {type(exc).__name__}: {str(exc)[:100]}")
                        return
                    i = k
                    while time.monotonic() < deadline:
                        box = i % 2  # session and range in turn: views keep changing, caches keep filling
                        try:
                            await browser.change_filter(page, browser.by_turn(i), shape["charts"], 0, box)
                            changes += 1
                        except Exception as exc:  # noqa: BLE001
                            errors.append(f"session {k}: {type(exc).__name__}: {str(exc)[:400]}")
                        i += 1
                finally:
                    await context.close()

            async def sample():
                started = time.monotonic()
                while time.monotonic() < deadline:
                    samples.append((time.monotonic() - started, rss_mb(pid)))
                    await asyncio.sleep(every_s)

            await asyncio.gather(sample(), *(one(k) for k in range(sessions)))
        finally:
            await b.close()
    return {"samples": samples, "errors": errors, "changes": changes}


def memory(views: int, parallel: int, soak_sessions: int, soak_s: float, shape: dict, page: str) -> dict:
    """RSS of a fresh worker after `views` distinct views, then during a soak of `soak_sessions` sessions."""
    with servers.streamlit_server("dashboard.py") as (url, pid):
        asyncio.run(_visit_all(url, ["/"], 1))
        start = rss_mb(pid)
        errors = asyncio.run(_visit_all(url, distinct_views(views), parallel))
        after_views = rss_mb(pid)
        soak = asyncio.run(_soak(f"{url}/{page}", shape, soak_sessions, soak_s, pid, every_s=10))
    return {"start_mb": start, "after_views_mb": after_views, "view_errors": errors, "soak": soak}
