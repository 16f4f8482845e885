"""Paths and environment variables, in one place: no other module finds the repository or reads the environment.

- ``RECORDS_DB``: the DuckDB file the app reads (default ``data/records.duckdb``). A command given ``--db``
  chooses its database for the command with `database` instead (nothing is written into the environment).
- ``PUBLIC_URL``: the address officials use, for permalinks behind a proxy. Unset, permalinks use the
  address the browser used for the current page (set per run by the app), else ``http://localhost:8501``.
- ``BROWSER_PATH``: the Chromium used for server-side export; default Debian's ``/usr/bin/chromium``.
- ``RECORDS_ADMINS`` (else ``$XDG_CONFIG_HOME/sz-records/admins.toml``), ``RECORDS_ADMIN_TIMEOUT`` (minutes),
  ``RECORDS_TRUSTED_PROXY``: administrators (docs/admin.md).
- ``RECORDS_KEEP`` (earlier versions kept), ``RECORDS_LOCK_WAIT`` (seconds an import waits for the writer lock).
- ``RECORDS_DEBUG``: a failing command prints its traceback instead of one line.
- ``BENCH_TIMEOUT_MS``: the benchmark's browser timeout (bench/floor_app.py, bare Streamlit, reads its own
  ``FLOOR_SPECS``).

The Chromium path and launch flags serve the export browser, the benchmark and the browser tests alike, so a
flag added for one is not forgotten in the others.
"""

from __future__ import annotations

import contextlib
import os
import re
from contextvars import ContextVar
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "data"
RAW = DATA / "raw"
DEMO = DATA / "demo"
GEOJSON = DATA / "geo" / "shenzhen_districts.geojson"
IMPORT_SYNONYMS = RAW / "import_synonyms.csv"
QUERIES = ROOT / "queries"
LOCALES = ROOT / "locales"
DASHBOARD = ROOT / "dashboard.py"
UI_ASSETS = ROOT / "ui" / "assets"
EXPORT_STYLES = ROOT / "core" / "export"  # the printed pages' CSS, beside the code that uses it
STREAMLIT_CONFIG = ROOT / ".streamlit" / "config.toml"
DEPLOY = ROOT / "deploy"
SERVE_RUN_DIR = ROOT / ".serve"
BENCH = ROOT / "bench"
BENCH_ARTIFACTS = BENCH / "artifacts"
DEFAULT_DB = DATA / "records.duckdb"
DEFAULT_PUBLIC_URL = "http://localhost:8501"

CHROMIUM = "/usr/bin/chromium"  # Debian's package; `make` installs it
CHROMIUM_FLAGS = ("--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run")


_chosen_db: Path | None = None


def records_db() -> Path:
    """The database: the one chosen with `database` (a command's --db), else $RECORDS_DB, else data/."""
    return _chosen_db or Path(os.environ.get("RECORDS_DB") or DEFAULT_DB)


@contextlib.contextmanager
def database(path: str | os.PathLike | None):
    """Read and write `path` for the block (None: leave the choice as it is), then restore the previous one.

    In-process only: child processes are given their database explicitly (core/serve.py)."""
    global _chosen_db
    previous = _chosen_db
    if path is not None:
        _chosen_db = Path(path).resolve()
    try:
        yield records_db()
    finally:
        _chosen_db = previous


def child_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """The environment for a child process: this one's, with `extra` on top (a worker's database, a secret)."""
    return {**os.environ, **(extra or {})}


def debug() -> bool:
    return bool(os.environ.get("RECORDS_DEBUG"))


def admins_file() -> Path:
    if os.environ.get("RECORDS_ADMINS"):
        return Path(os.environ["RECORDS_ADMINS"]).expanduser()
    return Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "sz-records" / "admins.toml"


def admin_timeout_setting() -> str:
    """$RECORDS_ADMIN_TIMEOUT as written (minutes); core/auth decides what a bad value means."""
    return os.environ.get("RECORDS_ADMIN_TIMEOUT", "")


def trusted_proxy() -> str | None:
    return os.environ.get("RECORDS_TRUSTED_PROXY")


def keep_setting(default: int) -> str:
    return os.environ.get("RECORDS_KEEP", str(default))


def lock_wait(default: float) -> float:
    return float(os.environ.get("RECORDS_LOCK_WAIT", default))


def bench_timeout_ms() -> int:
    return int(os.environ.get("BENCH_TIMEOUT_MS", 90_000))


# The app's root as the browser reached it, set by the app at the start of each run (one run per thread).
_served_at: ContextVar[str | None] = ContextVar("served_at", default=None)
_SAFE_HOST = re.compile(r"^[A-Za-z0-9.\-\[\]:]+$")
_SAFE_PATH = re.compile(r"^[A-Za-z0-9._~/\-]*$")


def public_url() -> str:
    return (os.environ.get("PUBLIC_URL") or _served_at.get() or DEFAULT_PUBLIC_URL).rstrip("/")


def public_url_is_local() -> bool:
    """Whether links and QR codes carry an address that opens only on this computer (localhost, 127.x)."""
    host = (urlsplit(public_url()).hostname or "").lower()
    return host in ("localhost", "::1") or host.startswith("127.")


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
