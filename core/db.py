"""Database access: where the file is, a cached read-only connection, and running named queries.

Named queries live in queries/<name>.sql. Parameters are DuckDB `$name` placeholders; values are always
passed separately, never formatted into the SQL text. One DuckDB connection shared by threads fails, so
every call takes its own cursor from the cached connection.
"""

from __future__ import annotations

import contextlib
import functools
import os
import re
import stat
import threading
from pathlib import Path

import duckdb
import pandas as pd

from core import config

ROOT = config.ROOT
DEFAULT_DB = config.DEFAULT_DB
QUERIES = ROOT / "queries"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_lock = threading.Lock()
_connections: dict[tuple[str, int], duckdb.DuckDBPyConnection] = {}


class DatabaseMissing(RuntimeError):
    pass


FAULTS = ("missing", "unreadable", "empty", "damaged")
_HEADER = 3 * 4096  # DuckDB's file headers before the first block


def health() -> str | None:
    """None when the current database file can be read; else one of FAULTS (what the app tells readers).

    Cheap enough for every rerun: a stat and 16 bytes; the two catalogue queries run once per version of
    the file (same path, inode, size and modification time) that passed them. A truncated file still opens
    and answers small queries from its first blocks, so its size is compared with the block count DuckDB
    expects.
    """
    path = db_path()
    try:
        info = path.stat()
    except FileNotFoundError:
        return "missing"
    except OSError:
        return "unreadable"
    if not stat.S_ISREG(info.st_mode):
        return "unreadable"
    if info.st_size == 0:
        return "empty"
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return "unreadable"
    if head[8:12] != b"DUCK":
        return "damaged"
    version = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)  # any write or swap changes it
    if version in _readable:
        return None
    fault = _catalogue_fault(info.st_size)
    if fault is None:  # only a good answer is kept: a fault is looked at again on the next rerun
        if len(_readable) > 16:
            _readable.clear()
        _readable.add(version)
    return fault


_readable: set[tuple] = set()


def _catalogue_fault(size: int) -> str | None:
    try:
        cursor = connection().cursor()
        try:
            blocks, block_size = cursor.execute(
                "SELECT total_blocks, block_size FROM pragma_database_size()").fetchone()
            cursor.execute("SELECT count(*) FROM sessions").fetchone()
        finally:
            cursor.close()
    except (duckdb.Error, DatabaseMissing, OSError):
        return "damaged"
    return "damaged" if size < _HEADER + blocks * block_size else None


def db_path() -> Path:
    return config.records_db()


@contextlib.contextmanager
def using(path: str | os.PathLike):
    """Point RECORDS_DB at `path` for the block, then restore what was there."""
    previous = os.environ.get("RECORDS_DB")
    os.environ["RECORDS_DB"] = str(path)
    try:
        yield Path(path)
    finally:
        if previous is None:
            os.environ.pop("RECORDS_DB", None)
        else:
            os.environ["RECORDS_DB"] = previous


def connection() -> duckdb.DuckDBPyConnection:
    """Read-only connection to the current file; a rebuilt or imported file (new mtime) gets a new one."""
    path = db_path()
    try:
        stamp = path.stat().st_mtime_ns
    except FileNotFoundError:
        raise DatabaseMissing(f"{path} does not exist; build it with `python -m core.cli build`") from None
    key = (str(path), stamp)
    with _lock:
        con = _connections.get(key)
        if con is None:
            for old in [k for k in _connections if k[0] == key[0]]:
                _connections.pop(old)  # readers holding cursors keep the old file open until they finish
            con = duckdb.connect(str(path), read_only=True)
            # No index scans: DuckDB keeps an index for every foreign key, and for an equality filter on such
            # a column matching up to 2048 rows it reads through the index and then fetches every other
            # column row by row: a district filter with a text search took 10 ms on the demo data instead of
            # 2 ms. (Over 2048 matching rows, as on any larger programme, it never used them.) Global: every
            # cursor of this connection reads without them.
            con.execute("SET index_scan_max_count = 0")
            _connections[key] = con
    return con


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


@functools.cache
def sql_text(name: str) -> str:
    path = QUERIES / f"{name}.sql"
    if path.parent != QUERIES or not path.exists():
        raise KeyError(f"no named query {name!r} in {QUERIES}")
    return path.read_text(encoding="utf-8")


@functools.cache
def query_params(name: str) -> frozenset[str]:
    """The $parameters a named query uses (comments stripped, so the header may mention them)."""
    body = "\n".join(line.split("--", 1)[0] for line in sql_text(name).splitlines())
    return frozenset(_PARAM.findall(body))


def header(name: str) -> str:
    """The leading comment block of a named query: what it returns and its parameters."""
    lines = []
    for line in sql_text(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def run(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with the parameters it uses (extra keyword arguments are ignored)."""
    needed = query_params(name)
    missing = needed - params.keys()
    if missing:
        raise TypeError(f"query {name!r} needs parameters {sorted(missing)}")
    cursor = connection().cursor()
    try:
        return cursor.execute(sql_text(name), {k: params[k] for k in needed}).df()
    finally:
        cursor.close()


def scalar(sql: str, params: dict | None = None):
    """One value from a fixed SQL string of our own (never from user input)."""
    cursor = connection().cursor()
    try:
        row = cursor.execute(sql, params or {}).fetchone()
        return row[0] if row else None
    finally:
        cursor.close()
