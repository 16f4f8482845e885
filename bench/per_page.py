"""The per-page browser measurements behind the filter-change and first-load rows, each page on a floor and an
app server started for it alone (bench/servers.py), so that nothing another page did is in either side's caches:
a cold first load (the process's first visit), filter changes to views neither side has shown, revisits, then
warm first loads; all of it in two rounds on fresh servers. How a change and a load are timed: bench/browser.py.
"""

from __future__ import annotations

import asyncio

from playwright.async_api import async_playwright

from bench import floor_specs
from bench.browser import by_turn, change_filter, first_loads, launch, new_context, open_ready, revisit, unseen
from bench.servers import floor_server, streamlit_server


def run_pages(shapes: dict[str, dict], runs: int, loads: int, revisits: int = 10, rounds: int = 2) -> dict:
    """Per page, `rounds` times, on a floor and an app server started for that page alone: a cold first load
    (the process's first visit), filter changes to unseen views and revisits, then warm first loads (new
    sessions, the default view already served). A page offers about 18 unseen views a server; fresh servers
    each round give as many again, so a p95 is not just the slowest change or two. Returns
    {"floor"|"app": {page: {"cold", "change", "revisit", "load"}}} with the rounds' samples pooled,
    {"rounds": {"floor"|"app": {page: {key: [samples of round 1], ...}}}} and {"errors": {page: text}}."""
    result: dict = {"floor": {}, "app": {}, "rounds": {"floor": {}, "app": {}}, "errors": {}}
    for turn in range(rounds):
        for n, (page, shape) in enumerate(shapes.items()):
            if page in result["errors"]:
                continue
            try:
                measured = _one_round(page, shape, runs, loads, revisits, app_first=bool((n + turn) % 2))
            except Exception as exc:  # noqa: BLE001  a page that fails is a result; the others go on
                result["errors"][page] = f"{type(exc).__name__}: {str(exc)[:300]}"
                continue
            for side, values in measured.items():
                pooled = result[side].setdefault(page, {key: [] for key in values})
                by_round = result["rounds"][side].setdefault(page, {key: [] for key in values})
                for key, samples in values.items():
                    pooled[key] += samples
                    by_round[key].append(samples)
    return result


def _one_round(page: str, shape: dict, runs: int, loads: int, revisits: int, app_first: bool) -> dict:
    """One page on a floor and an app server started for it; which side goes first alternates from page to
    page and from round to round."""
    with floor_server() as (floor_url, _), streamlit_server("dashboard.py") as (app_url, _):
        sides = {"floor": f"{floor_url}/?page={page}", "app": f"{app_url}/{floor_specs.app_path(page)}"}
        if app_first:
            sides = dict(reversed(sides.items()))
        return asyncio.run(measure_page(sides, shape, runs, loads, revisits))


async def measure_page(sides: dict[str, str], shape: dict, runs: int, loads: int, revisits: int) -> dict:
    async with async_playwright() as p:
        b = await launch(p)
        try:
            out = {side: {"cold": [], "change": [], "revisit": [], "load": []} for side in sides}
            for side, url in sides.items():
                out[side]["cold"] += await first_loads(b, url, shape["charts"], 1)
            await page_changes(b, sides, shape, runs, revisits, out)
            for _ in range(loads):  # in turns, so that a machine slowing down weighs on both sides alike
                for side, url in sides.items():
                    out[side]["load"] += await first_loads(b, url, shape["charts"], 1)
            return out
        finally:
            await b.close()


async def page_changes(browser, sides: dict[str, str], shape: dict, runs: int, revisits: int,
                       out: dict[str, dict], warmup: int = 2) -> None:
    """Into out[side]["change"] and ["revisit"]: ms per change, one page open per side, the changes taken in
    turns (one on each side, then the next; all of one side's, then the other's, once put a page at 1.43 and,
    in the next run on the same code, 1.23).

    First `warmup` changes of the page's other selectbox (the first rerun after opening pays one-time costs);
    then `runs` changes of the benchmarked box, each to an option that side has never shown (on a server that
    has shown nothing but the default view: neither side's caches can answer them); then `revisits` changes
    back to options shown before, where the app's caches may answer."""
    contexts, pages, shown = [], {}, {side: set() for side in sides}
    box, other = shape["box"], 1 - shape["box"]
    try:
        for side, url in sides.items():
            contexts.append(await new_context(browser))
            pages[side] = await open_ready(contexts[-1], url, shape["charts"])
            for i in range(warmup):
                await change_filter(pages[side], by_turn(i + 100), shape["charts"], shape["changed_by_box"][other],
                                    other)
        for key, n in (("change", runs), ("revisit", revisits)):
            for i in range(n):
                for side, page in pages.items():
                    pick = unseen(shown[side]) if key == "change" else revisit(shown[side], i)
                    out[side][key].append(await change_filter(page, pick, shape["charts"], shape["changed"], box))
    finally:
        for context in contexts:
            await context.close()
