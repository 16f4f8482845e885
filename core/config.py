"""Paths and environment variables, in one place.

- ``RECORDS_DB``: the DuckDB file the app reads (default ``data/records.duckdb``).
- ``PUBLIC_URL``: the address officials use, for permalinks behind a proxy. Unset, permalinks use the
  address the browser used for the current page (set per run by the app), else ``http://localhost:8501``.
- ``BROWSER_PATH``: the Chromium used for server-side export; default Debian's ``/usr/bin/chromium``.

The Chromium path and launch flags serve the export browser, the benchmark and the browser tests alike, so a
flag added for one is not forgotten in the others.
"""

from __future__ import annotations

import os
import re
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEFAULT_DB = DATA / "records.duckdb"
DEFAULT_PUBLIC_URL = "http://localhost:8501"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make` installs it
CHROMIUM_FLAGS = ("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def records_db() -> Path:
    return Path(os.environ.get("RECORDS_DB") or DEFAULT_DB)


# The app's root as the browser reached it, set by the app at the start of each run (one run per thread).
_served_at: ContextVar[str | None] = ContextVar("served_at", default=None)
_SAFE_HOST = re.compile(r"^[A-Za-z0-9.\-\[\]:]+$")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~/\-]*$")


def public_url() -> str:
    return (os.environ.get("PUBLIC_URL") or _served_at.get() or DEFAULT_PUBLIC_URL).rstrip("/")


def serve_at(url: str | None) -> None:
    """Remember the app's root address as the browser used it; anything unusual is ignored.

    The value comes from the browser, and permalinks land in chart footers, slides and Markdown, so only a
    plain http(s) address with an ordinary host and path is taken."""
    _served_at.set(plain_root(url))


def plain_root(url: str | None) -> str | None:
    if not url:
        return None
    try:
        parts = urlsplit(url)
        port_ok = parts.port is None or 0 < parts.port < 65536
    except ValueError:
        return None
    host = parts.netloc
    if parts.scheme not in ("http", "https") or "@" in host or not port_ok:
        return None
    if not host or not _SAFE_HOST.match(host) or not _SAFE_PATH.match(parts.path):
        return None
    return f"{parts.scheme}://{host}{parts.path}".rstrip("/")


def browser_path() -> str | None:
    """``$BROWSER_PATH`` if set, else Debian's chromium if installed, else None (let the caller search)."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    return CHROMIUM if os.path.exists(CHROMIUM) else None


def kaleido_browser_options() -> dict:
    """The flags above as choreographer's keywords: kaleido builds its own command line from these
    (it always adds --no-first-run, --disable-component-update and --disable-sync itself)."""
    return {
        "headless": "--headless" in CHROMIUM_FLAGS,
        "enable_gpu": "--disable-gpu" not in CHROMIUM_FLAGS,
        "enable_sandbox": "--no-sandbox" not in CHROMIUM_FLAGS,
    }
