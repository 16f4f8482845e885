"""Paths and environment variables, in one place.

- ``RECORDS_DB``: the DuckDB file the app reads (default ``data/records.duckdb``).
- ``PUBLIC_URL``: the address officials use, for permalinks behind a proxy.
- ``BROWSER_PATH``: the Chromium used for server-side export; default Debian's ``/usr/bin/chromium``.

The Chromium path and launch flags serve the export browser, the benchmark and the browser tests alike, so a
flag added for one is not forgotten in the others.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
DEFAULT_DB = DATA / "records.duckdb"
DEFAULT_PUBLIC_URL = "http://localhost:8501"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make` installs it
CHROMIUM_FLAGS = ("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


def records_db() -> Path:
    return Path(os.environ.get("RECORDS_DB") or DEFAULT_DB)


def public_url() -> str:
    return (os.environ.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL).rstrip("/")


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
