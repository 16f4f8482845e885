"""Real-browser measurements with Playwright and Debian's chromium, against the dashboard and the floor app.

Filter change: the sidebar selectbox (key f_session) is opened and an option clicked. t0 is taken in the page
at the option's pointerdown (capture listener), t1 on the first animation frame at which every
`.js-plotly-plot` on the page has finished a Plotly.react call started after t0 (its `plotly_react` event,
which Plotly emits once drawing, including async map subplots, is done), is laid out with a non-zero size,
and is not inside a stale (`data-stale="true"`) Streamlit element. Latency = t1 - t0, measured in the page,
so Playwright's own round trips do not count.

First load: a fresh browser context opens the URL; the time is performance.now() (ms since navigation
start) on the first animation frame at which a `.js-plotly-plot` is drawn (has `_fullLayout`) and visible.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from playwright.async_api import async_playwright

from core import config

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = config.browser_path() or config.CHROMIUM
CHROMIUM_ARGS = list(config.CHROMIUM_FLAGS)
TIMEOUT_MS = 60_000

SNAPSHOT_JS = """() => {
  if (!window.__benchHook) {
    window.__benchHook = true;
    document.addEventListener('pointerdown', e => {
      if (e.target.closest('[role="option"]')) window.__benchT0 = performance.now();
    }, true);
  }
  window.__benchT0 = null;
  window.__benchSawRun = false;
  window.__benchSearch = location.search;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  for (const el of plots) {
    if (!el.__benchListening && typeof el.on === 'function') {
      el.__benchListening = true;
      el.on('plotly_react', () => { el.__benchReacted = performance.now(); });
    }
  }
  window.__benchBefore = plots;
  return plots.length;
}"""

DONE_JS = """(n) => {
  const t0 = window.__benchT0;
  if (document.querySelector('[data-testid="stException"]')) return 'error';
  if (t0 === null || t0 === undefined) return false;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  if (plots.length < n) return false;
  const running = !!document.querySelector('[data-testid="stStatusWidget"]')
    || !!document.querySelector('[data-stale="true"]');
  if (running) { window.__benchSawRun = true; return false; }
  const redrawn = plots.some(el => el.__benchReacted > t0 || !window.__benchBefore.includes(el));
  if (!window.__benchSawRun && !redrawn && location.search === window.__benchSearch) return false;
  for (const el of plots) {
    if (!el._fullLayout) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
  }
  return performance.now() - t0;
}"""

FIRST_CHART_JS = """() => {
  for (const el of document.querySelectorAll('.js-plotly-plot')) {
    const r = el.getBoundingClientRect();
    if (el._fullLayout && r.width > 0 && r.height > 0) return performance.now();
  }
  return false;
}"""

READY_JS = """(n) => {
  if (document.querySelector('[data-testid="stException"]')) return true;
  if (!document.querySelector('[data-testid="stSidebar"] [data-testid="stSelectbox"]')) return false;
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (plots.length < n) return false;
  for (const el of plots) if (!el._fullLayout) return false;
  return !document.querySelector('[data-testid="stStatusWidget"]');
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(script: str, env: dict | None = None):
    """Start `streamlit run script` on a free localhost port; yields the base URL; stops it afterwards."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / f"server_{Path(script).stem}.log", "w")  # noqa: SIM115 - outlives this block; closed when the server stops
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT,
                            env={**os.environ, **(env or {})}, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"streamlit {script} did not start (see {log.name})")
            time.sleep(0.3)
        yield url
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        log.close()


async def launch(p):
    return await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


async def open_ready(context, url: str, n_charts: int):
    page = await context.new_page()
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    await page.wait_for_function(READY_JS, arg=n_charts, polling=100, timeout=TIMEOUT_MS)
    return page


async def change_filter(page, i: int, n_charts: int) -> float:
    """Pick another session in the sidebar selectbox; ms until every chart has redrawn."""
    await page.wait_for_function(READY_JS, arg=n_charts, polling=100, timeout=TIMEOUT_MS)
    await page.evaluate(SNAPSHOT_JS)
    box = page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first
    await box.click()
    options = page.locator('[role="option"]')
    await options.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    count = await options.count()
    candidates = []
    for j in range(count):
        if await options.nth(j).get_attribute("aria-selected") != "true":
            candidates.append(j)
    pick = candidates[i % len(candidates)]
    await options.nth(pick).click()
    handle = await page.wait_for_function(DONE_JS, arg=n_charts, polling="raf", timeout=TIMEOUT_MS)
    value = await handle.json_value()
    if value == "error":
        text = await page.locator('[data-testid="stException"]').first.inner_text()
        raise RuntimeError("the page shows an exception: " + " ".join(text.split())[:160])
    return float(value)


async def filter_changes(browser, url: str, n_charts: int, runs: int, warmup: int = 2) -> list[float]:
    context = await browser.new_context(viewport={"width": 1440, "height": 900})
    try:
        page = await open_ready(context, url, n_charts)
        for i in range(warmup):
            await change_filter(page, i + 100, n_charts)
        return [await change_filter(page, i, n_charts) for i in range(runs)]
    finally:
        await context.close()


async def first_loads(browser, url: str, runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            page = await context.new_page()
            await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            handle = await page.wait_for_function(FIRST_CHART_JS, polling="raf", timeout=TIMEOUT_MS)
            out.append(float(await handle.json_value()))
        finally:
            await context.close()
    return out


async def concurrent(browser, url: str, n_charts: int, sessions: int, changes: int) -> tuple[list[float], list[str]]:
    """`sessions` browser contexts at once, each changing the filter `changes` times."""
    latencies: list[float] = []
    errors: list[str] = []

    async def one(k: int):
        context = await browser.new_context(viewport={"width": 1440, "height": 900})
        try:
            page = await open_ready(context, url, n_charts)
            for i in range(changes):
                try:
                    latencies.append(await change_filter(page, i + k, n_charts))
                except Exception as exc:  # noqa: BLE001  counted as an error, the session goes on
                    errors.append(f"session {k} change {i}: {type(exc).__name__}: {str(exc)[:120]}")
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"session {k}: exception shown on page")
        except Exception as exc:  # noqa: BLE001
            errors.append(f"session {k}: {type(exc).__name__}: {str(exc)[:120]}")
        finally:
            await context.close()

    await asyncio.gather(*(one(k) for k in range(sessions)))
    return latencies, errors


def run_browser(pages: dict[str, int], runs: int, loads: int, conc_sessions: int, conc_changes: int,
                do_concurrent: bool = True) -> dict:
    """Everything browser-side in one go: floor and app servers up, then measure. Returns raw numbers."""
    async def main(app_url: str, floor_url: str) -> dict:
        result: dict = {"floor": {}, "app": {}, "errors": {}}
        async with async_playwright() as p:
            browser = await launch(p)
            try:
                for warm in (app_url, floor_url):  # the first visitor after start pays for imports
                    context = await browser.new_context()
                    with contextlib.suppress(Exception):
                        await open_ready(context, warm + "/", 1)
                    await context.close()
                counts = sorted(set(pages.values()))
                for n in counts:
                    furl = f"{floor_url}/?charts={n}"
                    try:
                        result["floor"][n] = {"change": await filter_changes(browser, furl, n, runs),
                                              "load": await first_loads(browser, furl, loads)}
                    except Exception as exc:  # noqa: BLE001
                        result["errors"][f"floor{n}"] = f"{type(exc).__name__}: {str(exc)[:200]}"
                for page, n in pages.items():
                    aurl = f"{app_url}/{page}"
                    try:
                        result["app"][page] = {"charts": n,
                                               "change": await filter_changes(browser, aurl, n, runs),
                                               "load": await first_loads(browser, aurl, loads)}
                    except Exception as exc:  # noqa: BLE001
                        result["errors"][page] = f"{type(exc).__name__}: {str(exc)[:200]}"
                if do_concurrent:
                    page, n = next(iter(pages.items()))
                    try:
                        lat, errs = await concurrent(browser, f"{app_url}/{page}", n, conc_sessions, conc_changes)
                        result["concurrent"] = {"page": page, "latencies": lat, "errors": errs}
                    except Exception as exc:  # noqa: BLE001
                        result["errors"]["concurrent"] = f"{type(exc).__name__}: {str(exc)[:200]}"
            finally:
                await browser.close()
        return result

    with streamlit_server("bench/floor_app.py") as floor_url, streamlit_server("dashboard.py") as app_url:
        return asyncio.run(main(app_url, floor_url))
