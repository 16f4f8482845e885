"""Direct unit tests of core/db.py (the health check, the cached connection, named queries) and core/config.py
(paths and environment variables, the app's public address), for `make mutate GROUP=base`.

Databases are tiny files made here with plain SQL; every expected value is written out by hand."""

from __future__ import annotations

import contextvars
import os
from pathlib import Path

import duckdb
import pytest

from core import config, db

# ----- db.health --------------------------------------------------------------------------------------------


def _tiny(path: Path, tables=db.CONTRACT_TABLES, odd: bool = True) -> Path:
    """A database with `tables` (two rows each) and (`odd`) one whose name needs quoting."""
    with duckdb.connect(str(path)) as con:
        for table in tables:
            con.execute(f"CREATE TABLE {table} (id INTEGER, name VARCHAR)")
            con.execute(f"INSERT INTO {table} VALUES (1, 'a'), (2, NULL)")
        if odd:
            con.execute('CREATE TABLE "odd ""name""" ("a ""b""" INTEGER)')
    return path


@pytest.fixture
def records(tmp_path, monkeypatch) -> Path:
    """A tiny database with every contract table; RECORDS_DB points at it, and the health check and the
    connection cache remember no earlier file."""
    monkeypatch.setenv("RECORDS_DB", str(_tiny(tmp_path / "records.duckdb")))
    monkeypatch.setattr(db, "_readable", set())
    monkeypatch.setattr(db, "_connections", {})
    return tmp_path / "records.duckdb"


def _touch(path: Path) -> int:
    """A new version of the file (a write changes its modification time); the new time."""
    stamp = path.stat().st_mtime_ns + 10**9
    os.utime(path, ns=(stamp, stamp))
    return stamp


def _counting_reads(monkeypatch) -> list:
    reads, real = [], db._read_fault
    monkeypatch.setattr(db, "_read_fault", lambda: reads.append(1) or real())
    return reads


def test_health_of_a_sound_file_asks_duckdb_once_per_version(records, monkeypatch):
    reads = _counting_reads(monkeypatch)
    assert (db.health(), db.health()) == (None, None)
    assert len(reads) == 1
    _touch(records)
    assert db.health() is None
    assert len(reads) == 2


def test_health_keeps_no_fault(records, monkeypatch):
    monkeypatch.setenv("RECORDS_DB", str(_tiny(records.with_name("other.duckdb"), db.CONTRACT_TABLES[1:])))
    reads = _counting_reads(monkeypatch)
    assert (db.health(), db.health()) == ("damaged", "damaged")
    assert len(reads) == 2


@pytest.mark.parametrize(("kept", "left"), [(16, 17), (17, 1)])
def test_health_forgets_old_versions_past_16(records, kept, left):
    db._readable.update(("old", i) for i in range(kept))
    assert db.health() is None
    assert len(db._readable) == left


@pytest.mark.parametrize(("content", "fault"), [
    (None, "missing"),
    (b"", "empty"),
    (b"\0" * 8 + b"DUCX" + b"\0" * 4096, "damaged"),  # not a DuckDB file
    (b"\0" * 8 + b"DUCK" + b"\0" * 4096, "damaged"),  # says it is one, but DuckDB cannot read it
], ids=["none", "empty", "other", "unreadable"])  # bytes make no test ids where mutmut turns escaping off
def test_health_of_a_file_that_is_not_a_database(tmp_path, monkeypatch, content, fault):
    path = tmp_path / "records.duckdb"
    if content is not None:
        path.write_bytes(content)
    monkeypatch.setenv("RECORDS_DB", str(path))
    assert db.health() == fault


def test_health_of_what_cannot_be_read(tmp_path, monkeypatch, records):
    monkeypatch.setenv("RECORDS_DB", str(tmp_path))  # a directory
    assert db.health() == "unreadable"
    monkeypatch.setenv("RECORDS_DB", str(records / "x"))  # below a file: stat fails, not "missing"
    assert db.health() == "unreadable"
    monkeypatch.setenv("RECORDS_DB", str(records))

    def refused(*args, **kwargs):
        raise PermissionError("no")

    monkeypatch.setattr(db, "open", refused, raising=False)
    assert db.health() == "unreadable"


def test_a_missing_contract_table_is_damaged_and_odd_names_are_read(records, monkeypatch):
    assert db._read_fault() is None
    tables = [t for t in db.CONTRACT_TABLES if t != "company_profiles"]
    monkeypatch.setenv("RECORDS_DB", str(_tiny(records.with_name("other.duckdb"), tables)))
    assert db._read_fault() == "damaged"
    monkeypatch.setenv("RECORDS_DB", str(_tiny(records.with_name("exact.duckdb"), odd=False)))
    assert db._read_fault() is None  # the contract tables and nothing else


def test_no_file_is_damaged_to_the_reader(tmp_path, monkeypatch):
    monkeypatch.setenv("RECORDS_DB", str(tmp_path / "none.duckdb"))
    assert db._read_fault() == "damaged"


def test_quoted():
    assert db._quoted('odd "name"') == '"odd ""name"""'


# ----- db.connection, named queries -------------------------------------------------------------------------

def test_connection_is_kept_per_file_version(records):
    first = db.connection()
    assert db.connection() is first
    assert first.execute("SELECT current_setting('index_scan_max_count')").fetchone() == (0,)
    with pytest.raises(duckdb.Error, match="read-only"):
        first.execute("CREATE TABLE x (a INTEGER)")
    stamp = _touch(records)
    assert db.connection() is not first
    assert list(db._connections) == [(str(records), stamp)]


def test_connection_to_a_missing_file(tmp_path, monkeypatch):
    path = tmp_path / "none.duckdb"
    monkeypatch.setenv("RECORDS_DB", str(path))
    with pytest.raises(db.DatabaseMissing) as raised:
        db.connection()
    assert str(raised.value) == f"{path} does not exist; build it with `python -m core.cli build`"


def test_query_names_are_the_files():
    folder = Path(__file__).resolve().parent.parent / "queries"
    assert db.query_names() == sorted(name[:-4] for name in os.listdir(folder) if name.endswith(".sql"))
    assert "session_kpis" in db.query_names()
    assert db.importer_names() == sorted("importer/" + name[:-4] for name in os.listdir(folder / "importer")
                                         if name.endswith(".sql"))
    assert "importer/build_id" in db.importer_names()


def test_header_is_the_leading_comment():
    assert db.header("district_options") == (
        "Today's districts for the filters and notes: district_code, name_zh, name_en, kind, established, "
        "history_zh,\nhistory_en.\nparams: none")


def test_params_for_takes_what_the_query_uses():
    params = {"session": 1, "session_from": 1, "session_to": 2, "districts": [], "industries": []}
    assert db.params_for("category_split", params) == {"session_from": 1, "session_to": 2, "districts": [],
                                                       "industries": []}
    with pytest.raises(TypeError) as raised:
        db.params_for("category_split", {"session": 1, "districts": []})
    assert str(raised.value) == "query 'category_split' needs parameters ['industries', 'session_from', 'session_to']"


def test_run_takes_the_parameters_the_query_uses(tmp_path, monkeypatch):
    path = tmp_path / "profiles.duckdb"
    with duckdb.connect(str(path)) as con:
        con.execute("CREATE TABLE sessions (session_no INTEGER, year INTEGER)")
        con.execute("INSERT INTO sessions VALUES (22, 2023), (23, 2024)")
        con.execute("CREATE TABLE company_profiles (company_id VARCHAR, session_no INTEGER, approved BOOLEAN, "
                    "is_high_tech BOOLEAN, annual_revenue_cny DOUBLE, qualification VARCHAR, district_code VARCHAR, "
                    "district_raw VARCHAR)")
        con.execute("INSERT INTO company_profiles VALUES ('c1', 23, true, false, 5.0, 'little_giant', '440305', "
                    "'南山'), ('c1', 22, false, true, 4.0, NULL, '440305', '南山区'), "
                    "('c2', 23, true, true, 1.0, NULL, '440306', '宝安')")
    monkeypatch.setenv("RECORDS_DB", str(path))
    monkeypatch.setattr(db, "_connections", {})
    got = db.run("company_profile_history", company_id="c1", session=1)  # extra parameters are left out
    assert got[["session_no", "year", "district_raw"]].values.tolist() == [[22, 2023, "南山区"], [23, 2024, "南山"]]


def test_scalar(records):
    assert db.scalar("SELECT 40 + $n", {"n": 2}) == 42
    assert db.scalar("SELECT count(*) FROM records") == 2
    assert db.scalar("SELECT 1 WHERE false") is None


# ----- config -----------------------------------------------------------------------------------------------

def test_records_db(monkeypatch, tmp_path):
    monkeypatch.delenv("RECORDS_DB", raising=False)
    assert config.records_db() == config.ROOT / "data" / "records.duckdb"
    monkeypatch.setenv("RECORDS_DB", "")
    assert config.records_db() == config.ROOT / "data" / "records.duckdb"
    monkeypatch.setenv("RECORDS_DB", "/srv/x.duckdb")
    assert config.records_db() == Path("/srv/x.duckdb")
    with config.database(tmp_path / "chosen.duckdb") as chosen:
        assert chosen == config.records_db() == tmp_path / "chosen.duckdb"
        with config.database(None) as same:
            assert same == tmp_path / "chosen.duckdb"
    assert config.records_db() == Path("/srv/x.duckdb")


def test_environment_settings(monkeypatch):
    for name in ("RECORDS_DEBUG", "RECORDS_ADMIN_TIMEOUT", "RECORDS_TRUSTED_PROXY", "RECORDS_KEEP",
                 "RECORDS_LOCK_WAIT", "BENCH_TIMEOUT_MS"):
        monkeypatch.delenv(name, raising=False)
    assert (config.debug(), config.admin_timeout_setting(), config.trusted_proxy()) == (False, "", None)
    assert (config.keep_setting(5), config.lock_wait(2.5), config.bench_timeout_ms()) == ("5", 2.5, 90_000)
    monkeypatch.setenv("RECORDS_DEBUG", "")
    assert config.debug() is False
    for name, value in (("RECORDS_DEBUG", "1"), ("RECORDS_ADMIN_TIMEOUT", "15"), ("RECORDS_TRUSTED_PROXY", "10.0.0.1"),
                        ("RECORDS_KEEP", "3"), ("RECORDS_LOCK_WAIT", "0.5"), ("BENCH_TIMEOUT_MS", "1000")):
        monkeypatch.setenv(name, value)
    assert (config.debug(), config.admin_timeout_setting(), config.trusted_proxy()) == (True, "15", "10.0.0.1")
    assert (config.keep_setting(5), config.lock_wait(2.5), config.bench_timeout_ms()) == ("3", 0.5, 1000)


def test_child_env(monkeypatch):
    monkeypatch.setenv("RECORDS_KEEP", "3")
    assert config.child_env() == dict(os.environ)
    assert config.child_env({"RECORDS_KEEP": "4", "X": "y"}) == {**os.environ, "RECORDS_KEEP": "4", "X": "y"}
    assert os.environ["RECORDS_KEEP"] == "3"


def test_admins_file(monkeypatch):
    monkeypatch.setenv("HOME", "/home/wang")
    monkeypatch.setenv("RECORDS_ADMINS", "~/admins.toml")
    assert config.admins_file() == Path("/home/wang/admins.toml")
    monkeypatch.setenv("RECORDS_ADMINS", "")
    monkeypatch.setenv("XDG_CONFIG_HOME", "/etc/xdg")
    assert config.admins_file() == Path("/etc/xdg/sz-records/admins.toml")
    monkeypatch.delenv("RECORDS_ADMINS")
    monkeypatch.setenv("XDG_CONFIG_HOME", "")
    assert config.admins_file() == Path("/home/wang/.config/sz-records/admins.toml")


def _in_fresh_context(function, *args):
    return contextvars.Context().run(function, *args)


def test_public_url(monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    assert _in_fresh_context(config.public_url) == "http://localhost:8501"

    def served(url):
        config.serve_at(url)
        return config.public_url()

    assert _in_fresh_context(served, "https://records.sz.gov.cn/app/") == "https://records.sz.gov.cn/app"
    assert _in_fresh_context(served, "javascript:alert(1)") == "http://localhost:8501"
    monkeypatch.setenv("PUBLIC_URL", "https://example.org/recordsX/")
    assert _in_fresh_context(served, "https://records.sz.gov.cn/app/") == "https://example.org/recordsX"


@pytest.mark.parametrize(("url", "root"), [
    ("http://localhost:8501/", "http://localhost:8501"),
    ("https://records.sz.gov.cn/app/overview?x=1#y", "https://records.sz.gov.cn/app/overview"),
    ("http://[::1]:8501/a_b-c.d~e", "http://[::1]:8501/a_b-c.d~e"),
    ("http://h:1", "http://h:1"),
    ("http://hX/pathX/", "http://hX/pathX"),
    ("http://h:65535", "http://h:65535"),
    ("HTTP://h/", "http://h"),  # urlsplit lowers the scheme
    ("ftp://h/", None),
    ("http://user@h/", None),
    ("http://h:0/", None),
    ("http://h:65536/", None),
    ("http://h:x/", None),
    ("http:///path", None),
    ("http://h\"onload=/", None),
    ("http://h/a b", None),
    ("http://h/<script>", None),
    ("http://[::1/", None),
    ("", None),
    (None, None),
])
def test_plain_root(url, root):
    assert config.plain_root(url) == root


def test_browser_path(monkeypatch):
    monkeypatch.setenv("BROWSER_PATH", "/opt/chrome")
    assert config.browser_path() == "/opt/chrome"
    monkeypatch.setenv("BROWSER_PATH", "")
    monkeypatch.setattr(os.path, "exists", lambda path: path == "/usr/bin/chromium")
    assert config.browser_path() == "/usr/bin/chromium"
    monkeypatch.setattr(os.path, "exists", lambda path: False)
    assert config.browser_path() is None


def test_kaleido_browser_options():
    assert config.kaleido_browser_options() == {"headless": True, "enable_gpu": False, "enable_sandbox": False}
