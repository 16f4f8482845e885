"""Database access: where the file is, a cached read-only connection, and running named queries.

Named queries live in queries/<name>.sql. Parameters are DuckDB `$name` placeholders; values are always
passed separately, never formatted into the SQL text. One DuckDB connection shared by threads fails, so
every call takes its own cursor from the cached connection.
"""

from __future__ import annotations

import functools
import re
import stat
import threading

import duckdb
import pandas as pd

from core import config

ROOT = config.ROOT
DEFAULT_DB = config.DEFAULT_DB
QUERIES = config.QUERIES
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_lock = threading.Lock()
_connections: dict[tuple[str, int], duckdb.DuckDBPyConnection] = {}


class DatabaseMissing(RuntimeError):
    pass


FAULTS = ("missing", "unreadable", "empty", "damaged")
# The tables every page and command relies on (docs/data.md); a file without one of them is not a records database.
CONTRACT_TABLES = ["sessions", "districts", "district_aliases", "industries", "companies", "records",
                   "company_profiles", "applications", "published_stats", "import_log"]


def health() -> str | None:
    """None when the current database file can be read; else one of FAULTS (what the app tells readers).

    Cheap enough for every rerun: one stat for a version of the file already found sound (each system call in
    a run hands the interpreter to the server's busy event loop), else also 16 bytes. Once per version of the
    file (same path, inode, size and modification time) DuckDB itself is asked: it must open the file
    read-only, read its catalogue, find every contract table, and read every column of every table once (see
    `_read_fault`). Never the file's length: DuckDB leaves files shorter than its block count when the last
    blocks are free.
    """
    path = config.records_db()
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
    version = (str(path), info.st_ino, info.st_size, info.st_mtime_ns)  # any write or swap changes it
    if version in _readable:  # read and found sound already: no more system calls on a filter change
        return None
    try:
        with open(path, "rb") as f:
            head = f.read(16)
    except OSError:
        return "unreadable"
    if head[8:12] != b"DUCK":
        return "damaged"
    with _check_lock:  # after an import every session reruns at once: one of them reads the file
        if version in _readable:
            return None
        fault = _read_fault()
        if fault is None:  # only a good answer is kept: a fault is looked at again on the next rerun
            if len(_readable) > 16:
                _readable.clear()
            _readable.add(version)
    return fault


_readable: set[tuple] = set()
_check_lock = threading.Lock()
_TABLES = """
    SELECT t.table_name, list(c.column_name ORDER BY c.column_index)
    FROM duckdb_tables() t JOIN duckdb_columns() c USING (database_name, schema_name, table_name)
    WHERE t.database_name = current_database() AND NOT t.internal
    GROUP BY t.table_name
"""


def _read_fault() -> str | None:
    """None when DuckDB reads the catalogue and every block of table data, else "damaged".

    A file cut short still opens and answers small queries from its first blocks, and a block overwritten in
    place is noticed only when it is read (DuckDB checks each block's checksum then), so every column of
    every table is hashed once: 11-18 ms on the demo database, 50-60 ms on 100 times its rows (quiet
    machine). Indexes are not read (readers never use them: `connection` turns index scans off); damage
    there is noticed by the next import, which fails while writing and leaves the database unchanged.
    """
    try:
        cursor = connection().cursor()
        try:
            tables = dict(cursor.execute(_TABLES).fetchall())
            if not set(CONTRACT_TABLES) <= tables.keys():
                return "damaged"
            for table, columns in tables.items():
                cursor.execute(f"SELECT bit_xor(hash({', '.join(map(_quoted, columns))})) "
                               f"FROM {_quoted(table)}").fetchone()
        finally:
            cursor.close()
    except (duckdb.Error, DatabaseMissing, OSError):
        return "damaged"
    return None


def _quoted(name: str) -> str:
    """An identifier from the file's own catalogue, quoted for SQL."""
    return '"' + name.replace('"', '""') + '"'


def connection() -> duckdb.DuckDBPyConnection:
    """Read-only connection to the current file; a rebuilt or imported file (new mtime) gets a new one."""
    path = config.records_db()
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


IMPORTER = QUERIES / "importer"  # the importer's statements, run on its own writable copy (core/importer/sql.py)


def query_names() -> list[str]:
    return sorted(p.stem for p in QUERIES.glob("*.sql"))


def importer_names() -> list[str]:
    """The importer's named statements, as `sql_text` takes them: "importer/<name>"."""
    return sorted(f"importer/{p.stem}" for p in IMPORTER.glob("*.sql"))


@functools.cache
def sql_text(name: str) -> str:
    path = QUERIES / f"{name}.sql"
    if path.parent not in (QUERIES, IMPORTER) or not path.exists():
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


def params_for(name: str, params: dict) -> dict:
    """The values of the parameters query `name` uses (extra ones are ignored); TypeError when one is missing."""
    needed = query_params(name)
    missing = needed - params.keys()
    if missing:
        raise TypeError(f"query {name!r} needs parameters {sorted(missing)}")
    return {k: params[k] for k in needed}


def run(name: str, **params) -> pd.DataFrame:
    """Run queries/<name>.sql with the parameters it uses (extra keyword arguments are ignored)."""
    values = params_for(name, params)
    cursor = connection().cursor()
    try:
        return cursor.execute(sql_text(name), values).df()
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
