"""Shared fixtures: a freshly built database, so no test depends on data/records.duckdb.

`built_db` (session scope) builds the database once per test run with the same code as
`python -m core.cli build` (core.build.build) into a temporary directory and points the RECORDS_DB
environment variable at it for the whole session; the previous value is restored afterwards. Any test
that reads the database (named queries, pages, browser, export) asks for `built_db`; treat the file as
read-only.

`TEST_DB_REUSE=<path>` makes `built_db` use that already built file instead of building one: only `make mutate`
sets it, because mutmut starts a fresh pytest session for every mutant and the build would dominate the run.

`no_browser(reason)`: what a test that needs chromium does when there is none. It fails, so a machine without
the browser cannot pass `make test` by skipping; `ALLOW_NO_BROWSER=1` turns that into an explicit skip.

`db_copy` (function scope) is a private copy of that database for tests that write (the importer): it
points RECORDS_DB at the copy for the duration of one test.

Administrators: for the whole run RECORDS_ADMINS points at a file that does not exist (no administrator,
whatever the machine's ~/.config holds). `admin_file` points it at a file with one administrator, ADMIN
with password ADMIN_PASSWORD, for one test; `ADMIN_SESSION()` is what a signed-in session holds.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pytest

from core import auth, throttle
from core import build as build_module

ADMIN, ADMIN_PASSWORD = "wang.admin", "correct horse battery"


@pytest.fixture(scope="session", autouse=True)
def no_admins(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("config") / "no-admins.toml"
    mp = pytest.MonkeyPatch()
    mp.setenv("RECORDS_ADMINS", str(path))
    yield path
    mp.undo()


@pytest.fixture(scope="session")
def _one_admin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return auth.add_admin(ADMIN, ADMIN_PASSWORD, tmp_path_factory.mktemp("config") / "admins.toml")


@pytest.fixture
def admin_file(_one_admin: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("RECORDS_ADMINS", str(_one_admin))
    throttle.attempts_path(_one_admin).unlink(missing_ok=True)  # each test starts with no failed sign-ins
    return _one_admin


def ADMIN_SESSION() -> auth.AdminSession:  # noqa: N802 - reads like the constant it stands for
    import time

    return auth.AdminSession(ADMIN, "password", time.time())


@pytest.fixture(scope="session")
def built_db(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Path of a database built from data/ (demo data included); RECORDS_DB points at it."""
    reuse = os.environ.get("TEST_DB_REUSE")
    path = Path(reuse) if reuse else build_module.build(tmp_path_factory.mktemp("db") / "records.duckdb")
    with pytest.MonkeyPatch.context() as mp:  # the whole session, subprocesses included
        mp.setenv("RECORDS_DB", str(path))
        yield path


@pytest.fixture(scope="module")
def sql(built_db: Path):
    """Plain SQL on the built database, read-only: `sql(query, **params)` gives the rows (expected values are
    written in the tests this way, never taken from the code under test)."""
    con = duckdb.connect(str(built_db), read_only=True)
    yield lambda query, **params: con.execute(query, params).fetchall()
    con.close()


@pytest.fixture
def db_copy(built_db: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the built database; RECORDS_DB points at it for this test only."""
    path = tmp_path / "records.duckdb"
    shutil.copyfile(built_db, path)
    monkeypatch.setenv("RECORDS_DB", str(path))
    return path


def no_browser(reason: str) -> None:
    """Fail a test that needs chromium, or skip it when ALLOW_NO_BROWSER=1 says a run without one is intended."""
    if os.environ.get("ALLOW_NO_BROWSER") == "1":
        pytest.skip(f"{reason} (ALLOW_NO_BROWSER=1)")
    pytest.fail(f"{reason}: install Debian's chromium (make system-deps) or set ALLOW_NO_BROWSER=1 to skip "
                "the browser and export tests on purpose", pytrace=False)


@pytest.fixture(scope="session")
def export_browser() -> None:
    """The export engine's browser is up (tests that render PNG/SVG/PDF through kaleido ask for it)."""
    from core import export

    try:
        export.start()
    except export.ExportUnavailable as exc:
        no_browser(f"no export browser: {exc}")


@pytest.fixture
def entry_mode(built_db: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Pages run through dashboard.py as in the browser (see tests/test_pages.py's docstring): Streamlit's
    pages-directory mode off once the PagesManager exists. Yields the database path. Test files that need an
    administrator as well define their own."""
    from streamlit.runtime.pages_manager import PagesManager

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as after the server's first st.navigation call

    monkeypatch.setattr(PagesManager, "__init__", init)
    return built_db
