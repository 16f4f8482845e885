"""The export browser: one persistent kaleido 1.x Chromium per process, started on first use, stopped at exit.

We drive ``kaleido.Kaleido`` on our own event-loop thread instead of ``kaleido.start_sync_server``: kaleido
1.5's sync server swallows start-up failures in its thread and then blocks forever on the first call
(measured: missing or crashing browser = hung request). Here a failure surfaces as ``ExportUnavailable`` and
every call has a timeout. The browser is not thread-safe, so all use goes through ``_lock``.

Browser lookup and flags come from core.config (``$BROWSER_PATH``, else Debian's ``/usr/bin/chromium``, else
choreographer's own search).
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import logging
import threading
from collections.abc import Callable

from core import config

_log = logging.getLogger(__name__)
# choreographer logs a message the browser left half-written when it is stopped (a command line exiting on a bad
# argument while the browser starts) as "JSONError decoding message. Ignoring" with its traceback on stderr: the
# command's one error line became 26 (seen in a test under load). Its failures that matter reach us as exceptions.
logging.getLogger("choreographer.channels").setLevel(logging.CRITICAL)

INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"
START_TIMEOUT = 60  # s; cold start measured ~2.5 s, leave room for slow CI
RENDER_TIMEOUT = 60  # s per image or printed memo


class ExportUnavailable(RuntimeError):
    """The export browser is missing or would not start; the app keeps working."""


def browser_path() -> str | None:
    """The browser kaleido will be told to use (None: let choreographer search)."""
    return config.browser_path()


class _Engine:
    """One kaleido Chromium living on a private asyncio loop thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido-export", daemon=True)
        self.thread.start()
        try:
            self.kaleido = self.call(self._open(), START_TIMEOUT)
        except BaseException:
            self._stop_loop()
            raise

    async def _open(self):
        import kaleido  # imported late: a broken kaleido must not break the app

        k = kaleido.Kaleido(n=1, mathjax=False, path=browser_path(), timeout=RENDER_TIMEOUT,
                            **config.kaleido_browser_options())
        await k.open()
        return k

    def call(self, coro, timeout: float):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def render(self, spec: dict, opts: dict) -> bytes:
        return self.call(self.kaleido.calc_fig(spec, opts), RENDER_TIMEOUT + 15)

    def print_pdf(self, url: str, params: dict) -> bytes:
        return self.call(self._print(url, params), RENDER_TIMEOUT)

    async def _print(self, url: str, params: dict) -> bytes:
        tab = await self.kaleido.create_tab("")
        try:
            await _devtools(tab, "Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            while loaded.done():  # drop a stale event from the blank page
                loaded = tab.subscribe_once("Page.loadEventFired")
            await _devtools(tab, "Page.navigate", {"url": url})
            await loaded  # fires after the <img> files have loaded
            result = await _devtools(tab, "Page.printToPDF", params)
            return base64.b64decode(result["data"])
        finally:
            await self.kaleido.close_tab(tab)

    def close(self) -> None:
        try:
            self.call(self.kaleido.close(), 15)
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


async def _devtools(tab, command: str, params: dict | None = None) -> dict:
    response = await tab.send_command(command, params=params)
    if "error" in response:
        raise RuntimeError(f"{command} failed: {response['error']}")
    return response.get("result", {})


_lock = threading.Lock()
_engine: _Engine | None = None


def _start_locked() -> _Engine:
    global _engine
    if _engine is None:
        try:
            _engine = _Engine()
        except Exception as exc:
            raise ExportUnavailable(
                "Image export needs a Chromium browser and CJK fonts on the "
                f"server: {INSTALL_HINT} (or set BROWSER_PATH). "
                f"Browser tried: {browser_path() or 'auto-detect'}. "
                f"Cause: {type(exc).__name__}: {exc}"
            ) from exc
        atexit.unregister(shutdown)  # once, however often the browser restarts
        atexit.register(shutdown)
    return _engine


def with_engine(job: Callable[[_Engine], bytes]) -> bytes:
    """Run job on the browser; restart once if the browser itself died."""
    global _engine
    for attempt in (1, 2):
        with _lock:
            engine = _start_locked()
            # importable now: the engine started, so kaleido's dependency is there
            from choreographer.errors import BrowserClosedError, BrowserFailedError

            try:
                return job(engine)
            except (BrowserClosedError, BrowserFailedError, TimeoutError) as exc:
                _engine = None
                _close_quietly(engine)
                if attempt == 2:
                    raise ExportUnavailable(f"Export browser failed: {exc}") from exc
    raise AssertionError("unreachable")


def _close_quietly(engine: _Engine) -> None:
    try:
        engine.close()
    except Exception:  # noqa: BLE001  best effort: already broken or exiting
        _log.warning("export browser did not close cleanly", exc_info=True)


def start() -> None:
    """Start the export browser now (e.g. behind a progress message)."""
    with _lock:
        _start_locked()


def is_running() -> bool:
    return _engine is not None


def shutdown() -> None:
    """Stop the browser; the next export starts a new one. Runs at exit."""
    global _engine
    if not _lock.acquire(timeout=10):  # a hung render must not block exit
        return
    try:
        if _engine is not None:
            _close_quietly(_engine)
            _engine = None
    finally:
        _lock.release()
