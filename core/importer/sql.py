"""The importer's SQL: named statements in queries/importer/, run on the connection the importer holds (its
writable copy, or a kept copy it reads), with `$name` parameters like every other query (core/db).

SESSION_TABLES is the one list of the tables that hold a session's rows: the check counts them, the import
replaces them and an undo brings them back. A statement that names `{table}` runs on one of these tables
(or sessions, import_log); only these names ever fill it, never input.
"""

from __future__ import annotations

import duckdb
import pyarrow as pa

from core import db

SESSION_TABLES = ("records", "company_profiles", "applications")  # inserted in this order, deleted in reverse
KEYED_BY_SESSION = (*SESSION_TABLES, "sessions", "import_log")  # every table with a session_no to undo


def run(con: duckdb.DuckDBPyConnection, name: str, table: str | None = None, **params) -> list[tuple]:
    """The rows queries/importer/<name>.sql returns on `con` (fetched, so the connection is free again)."""
    return con.execute(*_statement(name, table, params)).fetchall()


def arrow(con: duckdb.DuckDBPyConnection, name: str, table: str | None = None, **params) -> pa.Table:
    """What queries/importer/<name>.sql returns, as an Arrow table (the rows an undo puts back)."""
    text, values = _statement(name, table, params)
    return con.sql(text, params=values).to_arrow_table()


def _statement(name: str, table: str | None, params: dict) -> tuple[str, dict]:
    full = f"importer/{name}"
    text = db.sql_text(full)
    if "{table}" in text:
        if table not in KEYED_BY_SESSION:
            raise ValueError(f"{full} runs on a table keyed by session, not {table!r}")
        text = text.replace("{table}", table)
    return text, db.params_for(full, params)


def value(con: duckdb.DuckDBPyConnection, name: str, table: str | None = None, **params):
    """The first column of the first row (None when there is no row)."""
    rows = run(con, name, table, **params)
    return rows[0][0] if rows else None


def session_companies(con: duckdb.DuckDBPyConnection, session: int) -> set[str]:
    """The companies the session's rows name, in any of the per-session tables."""
    return {cid for table in SESSION_TABLES
            for (cid,) in run(con, "session_companies", table, session=session)}


def drop_unnamed(con: duckdb.DuckDBPyConnection, ids: list[str] | set[str]) -> None:
    """Remove the companies of `ids` that no row of a per-session table names any more."""
    ids = sorted(ids)
    if not ids:
        return
    named = {cid for table in SESSION_TABLES
             for (cid,) in run(con, "companies_still_named", table, ids=ids)}
    unnamed = [cid for cid in ids if cid not in named]
    if unnamed:
        run(con, "delete_companies", ids=unnamed)
