"""The rows an operations team asks about first (`bench --only ops`): page weight, server CPU per filter change,
start-up and a slow office line, each against the floor app (bench/floor_app.py, run under the app's own
.streamlit/config.toml) where a floor means something.

App and floor are both bare `streamlit run` on localhost (bench.servers.streamlit_server, floor_server), so
the same transport carries both sides; what `make run` adds in front (nginx, the gzipped front end) is
measured on its own in the start-up row and, as a detail, in the slow-line row.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import time
from pathlib import Path
from urllib.parse import urlsplit

from playwright.async_api import async_playwright

from bench import browser, floor_specs, protocol, servers
from bench.stats import failed_rows, median, row
from core import config

ROOT = config.ROOT
WEIGHT_PAGES = ("overview", "districts", "district")  # the last: a district profile (floor_specs.APP_PATHS)
CPU_PAGES = ("trends", "districts")  # the range selectbox changes every chart on them
SLOW_LINE = {"offline": False, "latency": 150, "downloadThroughput": 200 * 1024, "uploadThroughput": 200 * 1024}
SETTLE_MS = 1000  # after every chart is drawn: the websocket quiet this long, so its last messages count
# One load, whatever it waits for: a bench run once sat 15 minutes in a load that never ended (not reproduced);
# over this, the row fails and the run goes on
LOAD_LIMIT_S = 300


async def first_load(browser_, url: str, n_charts: int, line: dict | None = None) -> dict:
    """One first load in a fresh context: ms until every chart is drawn, and the bytes it took: HTTP as
    transferred (encodedDataLength: headers and bodies, compressed if the server compressed), split into
    Streamlit's front end (the HTML shell the address answers with, the same file on both sides, and the
    bundle under /static/) and the rest (the app's own scripts under /app/static/ among them), and websocket
    payloads both ways."""
    context = await fresh_context(browser_)
    try:
        page = await context.new_page()
        cdp = await context.new_cdp_session(page)
        await cdp.send("Network.enable")
        if line:
            await cdp.send("Network.emulateNetworkConditions", line)
        kinds, sizes = {}, {"static": 0, "document": 0, "other_http": 0, "websocket": 0}

        def sent(e):
            # Streamlit's bundle is under /static/; the app's own files under /app/static/ are the page's bytes
            path = urlsplit(e["request"]["url"]).path
            kinds[e["requestId"]] = "document" if e.get("type") == "Document" else \
                "static" if path.startswith("/static/") else "other_http"

        def finished(e):
            sizes[kinds.get(e["requestId"], "other_http")] += int(e["encodedDataLength"])

        def frame(e):
            data = e["response"]["payloadData"]
            sizes["websocket"] += len(data) * 3 // 4 if e["response"]["opcode"] == 2 else len(data.encode())

        cdp.on("Network.requestWillBeSent", sent)
        cdp.on("Network.loadingFinished", finished)
        cdp.on("Network.webSocketFrameReceived", frame)
        cdp.on("Network.webSocketFrameSent", frame)
        await page.goto(url, wait_until="commit", timeout=browser.TIMEOUT_MS * 3)
        handle = await page.wait_for_function(browser.ALL_CHARTS_JS, arg=n_charts, polling="raf",
                                              timeout=browser.TIMEOUT_MS * 3)
        drawn = await handle.json_value()
        if drawn == "error":
            raise RuntimeError(f"{url} shows an exception")
        await page.wait_for_function(f"() => performance.now() - window.__benchLastMsg > {SETTLE_MS}",
                                     polling=100, timeout=browser.TIMEOUT_MS)
        return {"ms": float(drawn), **sizes}
    finally:
        await context.close()


async def fresh_context(browser_):
    """A new session with the bench's websocket hook; nginx's policy (`make run`) forbids the string
    evaluation Playwright's waits use, so it is bypassed in this measuring browser only."""
    context = await browser_.new_context(viewport=browser.VIEWPORT, bypass_csp=True)
    await context.add_init_script(browser.WS_HOOK_JS)
    return context


def loads(sides: dict[str, str], n_charts: int, runs: int, line: dict | None = None) -> dict[str, list[dict]]:
    """{side: [first_load result per run]}, the sides taken in turns."""
    async def main():
        async with async_playwright() as p:
            b = await browser.launch(p)
            try:
                for url in sides.values():
                    await asyncio.wait_for(browser.warm(b, url), LOAD_LIMIT_S)
                out = {side: [] for side in sides}
                for _ in range(runs):
                    for side, url in sides.items():
                        out[side].append(await asyncio.wait_for(first_load(b, url, n_charts, line), LOAD_LIMIT_S))
                return out
            finally:
                await b.close()

    return asyncio.run(main())


def own_bytes(load: dict) -> int:
    """What the page itself costs: everything but Streamlit's front end (its HTML shell and bundle, the same
    files on both sides; bare Streamlit gzips the shell at a page's own address but not at "/", so counting
    it would weigh the address, not the page)."""
    return load["other_http"] + load["websocket"]


def page_weight(shapes: dict, app_url: str, floor_url: str, runs: int) -> dict:
    """{page: detail}: median bytes of a first load, app and floor."""
    out = {}
    for page in WEIGHT_PAGES:
        sides = {"floor": f"{floor_url}/?page={page}", "app": f"{app_url}/{floor_specs.app_path(page)}"}
        raw = loads(sides, shapes[page]["charts"], runs)
        detail = {}
        for side, results in raw.items():
            detail[f"{side}_own_kb"] = round(median([own_bytes(r) for r in results]) / 1024, 1)
            detail[f"{side}_websocket_kb"] = round(median([r["websocket"] for r in results]) / 1024, 1)
            detail[f"{side}_front_end_kb"] = round(median([r["static"] + r["document"] for r in results]) / 1024, 1)
        detail["ratio"] = round(detail["app_own_kb"] / detail["floor_own_kb"], 3)
        out[page] = detail
    return out


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def protocol_changes(base: str, page: str, query: str, changes: int) -> None:
    """One protocol session (bench/protocol.py): open `page`, then `changes` range changes, each to a range
    start this session has not shown."""
    async with contextlib.AsyncExitStack() as stack:
        tab = protocol.Tab(await protocol.connect(stack, base), page, query)
        await tab.open()
        shown = {tab.shown(tab.boxes[protocol.RANGE_BOX])}
        for _ in range(changes):
            box = tab.boxes[protocol.RANGE_BOX]
            choice = next(o for o in list(box.options)[:20] if o not in shown)
            shown.add(choice)
            await tab.choose(box, choice)


def cpu_per_change(sides: dict[str, tuple[str, int, str, str]], changes: int, rounds: int) -> dict[str, list]:
    """{side: [CPU-s per change, per round]}; sides: name -> (base url, server pid, page name, query)."""
    out = {side: [] for side in sides}
    for _ in range(rounds):
        for side, (base, pid, page, query) in sides.items():
            asyncio.run(protocol_changes(base, page, query, 1))  # the page's first run is not a change
            before = cpu_seconds(pid)
            asyncio.run(protocol_changes(base, page, query, changes))
            out[side].append((cpu_seconds(pid) - before) / (changes + 1))  # + the session's opening run
    return out


def startup(n_charts: int) -> dict:
    """Seconds from starting `make run`'s command (core.serve, one worker, nginx) to the overview with every
    chart drawn in a browser already running."""
    port = servers.free_port()
    run_dir = servers.ARTIFACTS / "startup_run"
    log = open(servers.ARTIFACTS / "startup.log", "w")  # noqa: SIM115 - closed below

    async def main():
        async with async_playwright() as p:
            b = await browser.launch(p)
            try:
                t0 = time.perf_counter()
                proc = subprocess.Popen(servers.serve_command(1, port, run_dir), cwd=ROOT, stdout=log,
                                        stderr=subprocess.STDOUT, start_new_session=True)
                try:
                    await asyncio.to_thread(servers.wait_healthy, f"http://127.0.0.1:{port}", proc, "make run")
                    healthy = time.perf_counter() - t0
                    context = await fresh_context(b)
                    page = await context.new_page()
                    await page.goto(f"http://127.0.0.1:{port}/overview", wait_until="commit")
                    await page.wait_for_function(browser.ALL_CHARTS_JS, arg=n_charts, polling="raf",
                                                 timeout=browser.TIMEOUT_MS)
                    return {"seconds": time.perf_counter() - t0, "healthy_s": healthy}
                finally:
                    servers.stop(proc)
            finally:
                await b.close()

    try:
        return asyncio.run(main())
    finally:
        log.close()


@contextlib.contextmanager
def make_run_server():
    """`make run`'s command on a free port; yields its URL."""
    port = servers.free_port()
    log = open(servers.ARTIFACTS / "make_run.log", "w")  # noqa: SIM115 - closed below
    proc = subprocess.Popen(servers.serve_command(1, port, servers.ARTIFACTS / "make_run"), cwd=ROOT, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        servers.wait_healthy(f"http://127.0.0.1:{port}", proc, "make run")
        yield f"http://127.0.0.1:{port}"
    finally:
        servers.stop(proc)
        log.close()


ROWS = [("page_weight_ratio", "ratio", 1.5), ("server_cpu_per_change_ratio", "ratio", 1.5),
        ("startup_to_first_page", "s", 30), ("slow_line_first_load_ratio", "ratio", 1.3)]


def section(runs: int = 3, changes: int = 10) -> list[dict]:
    """The section's rows; each row measured on its own, a failure failing that row only."""
    from bench import browser_rows

    shapes = browser_rows.shapes()
    out = []
    with servers.floor_server() as (floor_url, floor_pid), \
            servers.streamlit_server("dashboard.py") as (app_url, app_pid):
        for name, unit, budget in ROWS:
            try:
                if name == "page_weight_ratio":
                    out.append(weight_row(page_weight(shapes, app_url, floor_url, runs)))
                elif name == "server_cpu_per_change_ratio":
                    out.append(cpu_row(app_url, app_pid, floor_url, floor_pid, changes, runs))
                elif name == "startup_to_first_page":
                    out.append(startup_row(shapes["overview"]["charts"], runs))
                else:
                    out.append(slow_line_row(shapes["overview"]["charts"], app_url, floor_url, max(1, runs // 3)))
            except Exception as exc:  # noqa: BLE001  a failed row is a result
                out += failed_rows([(name, unit, budget)], exc)
    return out


def weight_row(per: dict) -> dict:
    worst = max(per, key=lambda p: per[p]["ratio"])
    return row("page_weight_ratio", per[worst]["ratio"], "ratio", 1.5, detail=per,
               note=("bytes of a first load that are the page's own (HTTP other than Streamlit's front-end bundle, "
                     "as transferred, + websocket payloads both ways, until every chart is drawn and the socket "
                     f"quiet {SETTLE_MS} ms), app / floor, median of the runs; pages {', '.join(WEIGHT_PAGES)} "
                     f"(district: /{floor_specs.app_path('district')}); worst: {worst}. The front end is the same "
                     "on both sides (bare Streamlit: uncompressed; `make run` gzips it)"))


def cpu_row(app_url: str, app_pid: int, floor_url: str, floor_pid: int, changes: int, rounds: int) -> dict:
    per = {}
    for page in CPU_PAGES:
        raw = cpu_per_change({"floor": (floor_url, floor_pid, "", f"page={page}"),
                              "app": (app_url, app_pid, page, "")}, changes, rounds)
        per[page] = {"ratio": round(median(raw["app"]) / median(raw["floor"]), 3),
                     "app_cpu_ms": round(median(raw["app"]) * 1000), "floor_cpu_ms": round(median(raw["floor"]) * 1000),
                     "app_rounds_ms": [round(x * 1000) for x in raw["app"]],
                     "floor_rounds_ms": [round(x * 1000) for x in raw["floor"]]}
    worst = max(per, key=lambda p: per[p]["ratio"])
    return row("server_cpu_per_change_ratio", per[worst]["ratio"], "ratio", 1.5, detail=per,
               note=(f"user + system CPU of the server process per range change (protocol client, no browser; "
                     f"{changes} changes per round, each to a range start the session has not shown, + its opening "
                     f"run), app / floor, median of {rounds} rounds taken in turns; pages {', '.join(CPU_PAGES)}; "
                     f"worst: {worst}"))


def startup_row(n_charts: int, runs: int) -> dict:
    results = [startup(n_charts) for _ in range(max(1, runs // 3))]
    seconds = [r["seconds"] for r in results]
    return row("startup_to_first_page", median(seconds), "s", 30,
               note=("from starting `make run`'s command (python -m core.serve, one worker, nginx; browser already "
                     "running) to the overview with every chart drawn, a new server each time; median of "
                     f"{len(seconds)}"),
               detail={"runs_s": [round(s, 2) for s in seconds],
                       "until_healthy_s": [round(r["healthy_s"], 2) for r in results]})


def slow_line_row(n_charts: int, app_url: str, floor_url: str, runs: int) -> dict:
    raw = loads({"floor": f"{floor_url}/?page=overview", "app": f"{app_url}/overview"}, n_charts, runs, SLOW_LINE)
    with make_run_server() as run_url:
        gz = loads({"make_run": f"{run_url}/overview"}, n_charts, runs, SLOW_LINE)["make_run"]
    app, floor = median([r["ms"] for r in raw["app"]]), median([r["ms"] for r in raw["floor"]])
    return row("slow_line_first_load_ratio", app / floor, "ratio", 1.3,
               note=("overview first load until every chart is drawn on a 200 KiB/s, 150 ms line (Chromium's "
                     f"network emulation), app / floor, both bare Streamlit, median of {runs}; detail: the same "
                     "load through `make run` (nginx, gzipped front end)"),
               detail={"app_s": round(app / 1000, 1), "floor_s": round(floor / 1000, 1),
                       "make_run_s": round(median([r["ms"] for r in gz]) / 1000, 1),
                       "app_front_end_kb": round(median([r["static"] for r in raw["app"]]) / 1024),
                       "make_run_front_end_kb": round(median([r["static"] for r in gz]) / 1024)})
