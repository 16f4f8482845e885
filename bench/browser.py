"""Real-browser measurements with Playwright and Debian's chromium, against the dashboard and the floor app.

Filter change: the page's benchmarked sidebar selectbox (bench/floor_specs.PAGES) is opened and another option
clicked: one the side has never shown (`unseen`), or, as a separate measurement, one shown before (`revisit`).
t0 is taken in the page at the option's pointerdown. The change is done when (1) every plot that the change
should redraw (`changed`, known per page) has been drawn with new data (Plotly.react replaces the
plot's `data`; the time is the first animation frame at which the new data is drawn) or was newly mounted
and drawn, (2) a rerun that started after the click has finished (the app root's script state went to
"running" and is back to "notRunning"; a page waiting for a busy server looks idle, so an idle page alone
does not say the change is over), every plot on the page is drawn with a non-zero size, nothing is stale
and Streamlit's running indicator is gone, and (3) the websocket has been quiet for 300 ms.
t1 = the later of the last websocket message (the rerun's "script finished" is its last message) and the last
of those plot redraws. Latency = t1 - t0, both performance.now() in the page, so Playwright's round trips and
the quiet wait do not count.

First load: a fresh browser context opens the URL; the time is performance.now() (ms since navigation start)
at the first animation frame at which every chart of the page is drawn and visible and nothing is running.
"""

from __future__ import annotations

import asyncio
import contextlib

from playwright.async_api import TimeoutError as PlaywrightTimeout
from playwright.async_api import async_playwright

from core import config

CHROMIUM = config.browser_path() or config.CHROMIUM
CHROMIUM_ARGS = list(config.CHROMIUM_FLAGS)
TIMEOUT_MS = config.bench_timeout_ms()
VIEWPORT = {"width": 1440, "height": 900}

# Before any page script: note when the last websocket message arrived.
WS_HOOK_JS = """(() => {
  const Native = window.WebSocket;
  window.__benchLastMsg = 0;
  window.__benchLastSend = 0;
  window.__benchSockets = [];
  function Hooked(...args) {
    const ws = new Native(...args);
    window.__benchSockets.push(ws);
    ws.addEventListener('message', () => {
      window.__benchLastMsg = performance.now();
      window.__benchMsgs = (window.__benchMsgs || 0) + 1;
    });
    const send = ws.send.bind(ws);
    ws.send = data => { window.__benchLastSend = performance.now(); return send(data); };
    return ws;
  }
  Hooked.prototype = Native.prototype;
  Object.assign(Hooked, {CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3});
  window.WebSocket = Hooked;
})();"""

SNAPSHOT_JS = """() => {
  if (!window.__benchHook) {
    window.__benchHook = true;
    document.addEventListener('pointerdown', e => {
      if (e.target.closest('[role="option"]')) {
        window.__benchT0 = performance.now();
        window.__benchMsgsAt0 = window.__benchMsgs || 0;
      }
    }, true);
  }
  // A widget change leaves the page looking idle until the server starts the rerun (Streamlit marks
  // nothing stale before that), so "done" needs a run that began after the click: the app root's
  // script state turning to running, seen here as it happens.
  const app = document.querySelector('[data-testid="stApp"]');
  if (app && !app.__benchObserved) {
    app.__benchObserved = true;
    new MutationObserver(() => {
      if (window.__benchT0 != null && SCRIPT_STATE() === 'running') window.__benchRan = true;
    }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
  }
  window.__benchRan = false;
  window.__benchT0 = null;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  for (const el of plots) {
    el.__benchData = el.data; el.__benchFull = el._fullData; el.__benchRedrawn = null;
  }
  window.__benchBefore = plots;
  return plots.length;
}"""

DONE_JS = """([n, changed]) => {
  const t0 = window.__benchT0;
  if (document.querySelector('[data-testid="stException"]')) return 'error';
  if (t0 === null || t0 === undefined) return false;
  // answered: a rerun started after the click (its first message, new_session, and more have come)
  const answered = window.__benchRan || (window.__benchMsgs || 0) - window.__benchMsgsAt0 >= 2;
  if (!answered || !IDLE()) return false;
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  if (plots.length < n) return false;
  if (document.querySelector('[data-testid="stStatusWidget"]') || document.querySelector('[data-stale="true"]'))
    return false;
  let redrawn = 0, last = 0, drawn = true;
  for (const el of plots) {
    const r = el.getBoundingClientRect();
    if (!el._fullLayout || r.width === 0 || r.height === 0) { drawn = false; continue; }
    // Plotly.react replaces gd.data; a remounted chart is a new element. Either way: note the first frame
    // at which it is drawn with its new data.
    const isNew = !window.__benchBefore.includes(el);
    if (isNew || el.data !== el.__benchData || el._fullData !== el.__benchFull) {
      if (!el.__benchRedrawn) el.__benchRedrawn = performance.now();
      redrawn += 1;
      last = Math.max(last, el.__benchRedrawn);
    }
  }
  if (!drawn) return false;
  if (redrawn < changed) return false;
  const now = performance.now();
  if (now - window.__benchLastMsg < 300) return false;
  return Math.max(last, window.__benchLastMsg) - t0;
}"""

ALL_CHARTS_JS = """(n) => {
  if (document.querySelector('[data-testid="stException"]')) return 'error';
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (plots.length < n) return false;
  for (const el of plots) {
    const r = el.getBoundingClientRect();
    if (!el._fullLayout || r.width === 0 || r.height === 0) return false;
  }
  // the status widget shows only after half a second of running; the app root says at once
  if (document.querySelector('[data-testid="stStatusWidget"]') || !IDLE()) return false;
  return performance.now();
}"""

READY_JS = """(n) => {
  if (document.querySelector('[data-testid="stException"]')) return true;
  if (!document.querySelector('[data-testid="stSidebar"] [data-testid="stSelectbox"]')) return false;
  const plots = document.querySelectorAll('.js-plotly-plot');
  if (plots.length < n) return false;
  for (const el of plots) if (!el._fullLayout) return false;
  return !document.querySelector('[data-testid="stStatusWidget"]') && IDLE();
}"""




# What a timed-out wait was waiting for (bench errors carry it, so a timeout can be told apart from a stuck page).
STATE_JS = """() => {
  const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
  return JSON.stringify({
    t0: window.__benchT0 ?? null,
    quiet_ms: Math.round(performance.now() - (window.__benchLastMsg || 0)),
    since_send_ms: Math.round(performance.now() - (window.__benchLastSend || 0)),
    sockets: (window.__benchSockets || []).length,
    socket_state: ((window.__benchSockets || []).slice(-1)[0] || {}).readyState ?? null,
    t0_age_ms: window.__benchT0 ? Math.round(performance.now() - window.__benchT0) : null,
    wall_ms: Date.now(),
    running: !!document.querySelector('[data-testid="stStatusWidget"]'),
    script_state: SCRIPT_STATE(),
    ran: !!window.__benchRan,
    msgs_after_t0: (window.__benchMsgs || 0) - (window.__benchMsgsAt0 || 0),
    stale: document.querySelectorAll('[data-stale="true"]').length,
    plots: plots.length,
    drawn: plots.filter(el => el._fullLayout && el.getBoundingClientRect().width > 0).length,
    redrawn: plots.filter(el => !(window.__benchBefore || []).includes(el) || el.data !== el.__benchData).length,
    listbox_open: !!document.querySelector('[role="option"]'),
    inputs_disabled: Array.from(
      document.querySelectorAll('[data-testid="stSidebar"] [data-testid="stSelectbox"] input')).map(el => el.disabled),
    connection: document.querySelector('[data-testid="stConnectionStatus"]')?.innerText ?? null,
  });
}"""


# The app root's script state (Streamlit keeps it there for its own tests): "running", or "notRunning" once a
# run has finished and no other has begun. IDLE() is true in the latter.
_SCRIPT_STATE = """document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state')"""


def _with_script_state(js: str) -> str:
    return js.replace("IDLE()", f"({_SCRIPT_STATE} === 'notRunning')").replace("SCRIPT_STATE()", f"({_SCRIPT_STATE})")


SNAPSHOT_JS, DONE_JS, ALL_CHARTS_JS, READY_JS, STATE_JS = map(
    _with_script_state, (SNAPSHOT_JS, DONE_JS, ALL_CHARTS_JS, READY_JS, STATE_JS))


async def launch(p):
    return await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)


async def new_context(browser):
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(WS_HOOK_JS)
    return context


async def open_ready(context, url: str, n_charts: int):
    page = await context.new_page()
    await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
    await page.wait_for_function(READY_JS, arg=n_charts, polling=100, timeout=TIMEOUT_MS)
    return page


# The sidebar listbox's options as [label, selected] (the first USABLE: range starts past the 20th would leave a
# range of one to three sessions).
OPTIONS_JS = """(usable) => Array.from(document.querySelectorAll('[role="option"]')).slice(0, usable).map(
  el => [el.innerText.trim(), el.getAttribute('aria-selected') === 'true'])"""
USABLE = 20


class NoViewLeft(Exception):
    """Every option of the box has been shown in this process."""


def by_turn(i: int):
    """A choice that cycles through the options other than the selected one (views may repeat)."""
    def pick(options: list[list]) -> int:
        candidates = [j for j, (_, selected) in enumerate(options) if not selected]
        return candidates[(i * 7) % len(candidates)]
    return pick


def spread(k: int, i: int, changes: int, chosen: list[str], first: set[str]):
    """Session k's change i when sessions change at once: the k-th session takes options k*changes onwards, so
    that sessions go to different views while there are some. Notes the option chosen in `chosen`, and the
    session's first view (the one selected before its first change) in `first`."""
    def pick(options: list[list]) -> int:
        if i == 0:
            first.update(label for label, selected in options if selected)
        candidates = [j for j, (_, selected) in enumerate(options) if not selected]
        j = candidates[(k * changes + i) % len(candidates)]
        chosen.append(options[j][0])
        return j
    return pick


def shown_before(chosen: list[str], first_views: set[str]) -> int:
    """How many of the chosen views another change (or a session's first view) had shown before: the app's
    caches may answer those, the floor has none."""
    seen, repeats = set(first_views), 0
    for label in chosen:
        repeats += label in seen
        seen.add(label)
    return repeats


def unseen(shown: set[str]):
    """The first option this side has never shown (the selected one counts as shown); adds it to `shown`."""
    def pick(options: list[list]) -> int:
        shown.update(label for label, selected in options if selected)
        for j, (label, _) in enumerate(options):
            if label not in shown:
                shown.add(label)
                return j
        raise NoViewLeft(f"all {len(options)} options shown")
    return pick


def revisit(shown: set[str], i: int):
    """An option this side has shown before, other than the selected one, cycling with `i`."""
    def pick(options: list[list]) -> int:
        candidates = [j for j, (label, selected) in enumerate(options) if label in shown and not selected]
        return candidates[(i * 7) % len(candidates)]
    return pick


async def change_filter(page, pick, n_charts: int, changed: int, box: int) -> float:
    """Pick another option in sidebar selectbox `box` (`pick(options)` gives its index, options as
    [label, selected]); ms until the rerun is over and the charts redrawn."""
    await page.wait_for_function(READY_JS, arg=n_charts, polling=100, timeout=TIMEOUT_MS)
    await page.evaluate(SNAPSHOT_JS)
    await page.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(box).click()
    options = page.locator('[role="option"]')
    try:
        await options.first.wait_for(state="visible", timeout=TIMEOUT_MS)
    except PlaywrightTimeout as exc:  # what the page was doing tells a lost click from a stuck page
        raise TimeoutError(f"the selectbox's options did not open in {TIMEOUT_MS} ms; page: "
                           f"{await page.evaluate(STATE_JS)}") from exc
    try:
        choice = pick(await page.evaluate(OPTIONS_JS, USABLE))
    except NoViewLeft:
        await page.keyboard.press("Escape")
        raise
    await options.nth(choice).click()
    try:
        handle = await page.wait_for_function(DONE_JS, arg=[n_charts, changed], polling="raf", timeout=TIMEOUT_MS)
    except PlaywrightTimeout as exc:
        raise TimeoutError(f"change not done in {TIMEOUT_MS} ms; page: {await page.evaluate(STATE_JS)}") from exc
    value = await handle.json_value()
    if value == "error":
        text = await page.locator('[data-testid="stException"]').first.inner_text()
        raise RuntimeError("the page shows an exception: " + " ".join(text.split())[:160])
    return float(value)


async def first_loads(browser, url: str, n_charts: int, runs: int) -> list[float]:
    """ms from navigation start until every chart is drawn, each in a fresh context (new session)."""
    out = []
    for _ in range(runs):
        context = await new_context(browser)
        try:
            page = await context.new_page()
            await page.goto(url, wait_until="commit", timeout=TIMEOUT_MS)
            handle = await page.wait_for_function(ALL_CHARTS_JS, arg=n_charts, polling="raf", timeout=TIMEOUT_MS)
            value = await handle.json_value()
            if value == "error":
                raise RuntimeError(f"{url} shows an exception")
            out.append(float(value))
        finally:
            await context.close()
    return out


async def concurrent(browser, url: str, shape: dict, sessions: int, changes: int,
                     opening: int = 4) -> tuple[list[float], list[str], int]:
    """`sessions` browser contexts changing the filter `changes` times each, all at once; (latencies, errors,
    changes to a view shown before in this run: `shown_before`).

    Sessions open `opening` at a time and start changing together once all are open: officials arrive over
    a minute, and 30 first loads in the same 100 ms on 2 cores measure chromium's start, not a rerun (they
    timed out opening, floor and app alike)."""
    latencies: list[float] = []
    errors: list[str] = []
    chosen: list[str] = []
    first_views: set[str] = set()
    gate = asyncio.Semaphore(opening)
    everyone_open = asyncio.Barrier(sessions)

    async def one(k: int):
        context = page = None
        try:
            async with gate:
                try:  # whatever fails here, the barrier below is still reached
                    context = await new_context(browser)
                    page = await open_ready(context, url, shape["charts"])
                except Exception as exc:  # noqa: BLE001  counted; the others go on
                    errors.append(f"session {k} did not open: {type(exc).__name__}: {str(exc)[:120]}")
            await everyone_open.wait()
            if page is None:
                return
            for i in range(changes):
                try:
                    latencies.append(await change_filter(page, spread(k, i, changes, chosen, first_views),
                                                         shape["charts"], shape["changed"], shape["box"]))
                except Exception as exc:  # noqa: BLE001  counted as an error, the session goes on
                    errors.append(f"session {k} change {i}: {type(exc).__name__}: {str(exc)[:400]}")
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"session {k}: exception shown on page")
        finally:
            if context is not None:
                await context.close()

    await asyncio.gather(*(one(k) for k in range(sessions)))
    return latencies, errors, shown_before(chosen, first_views)


async def warm(browser, url: str) -> None:
    """The first visitor after a start pays for imports; the bench is not that visitor."""
    context = await new_context(browser)
    with contextlib.suppress(Exception):
        await open_ready(context, url, 1)
    await context.close()


def run_concurrent(url: str, shape: dict, sessions: int, changes: int,
                   warm_urls: list[str] | None = None) -> tuple[list[float], list[str], int]:
    """`concurrent` in a browser of its own, after one visit to each of `warm_urls` (default: `url`): behind
    the proxy a visit lands on one worker, and a cold worker would put its imports on the measured side."""
    async def main():
        async with async_playwright() as p:
            browser = await launch(p)
            try:
                for warm_url in warm_urls or [url]:
                    await warm(browser, warm_url)
                return await concurrent(browser, url, shape, sessions, changes)
            finally:
                await browser.close()

    return asyncio.run(main())
