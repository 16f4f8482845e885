"""Build the DuckDB database from the committed files under data/ (reference CSVs, schema, views, demo data).

The build writes a new file next to the target and swaps it in with os.replace, so a running dashboard
keeps reading the old file until the new one is complete (a DuckDB writer would lock readers out). It holds
the importer's writer lock (core.writelock) meanwhile, so a build and an import or restore never interleave.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

import duckdb
import pandas as pd

from core import config, demo
from core.db import CONTRACT_TABLES
from core.districts import alias_key
from core.writelock import writer_lock

DATA, RAW = config.DATA, config.RAW


def build(target: Path | None = None) -> Path:
    """Rebuild the database at `target` (default: RECORDS_DB or data/records.duckdb); returns its path."""
    target = Path(target or config.records_db())
    target.parent.mkdir(parents=True, exist_ok=True)

    def fill(con: duckdb.DuckDBPyConnection) -> None:
        con.execute((DATA / "schema.sql").read_text(encoding="utf-8"))
        load_reference(con)
        load_demo(con)
        stamp(con)

    return _swap_in(target, fill)


def _swap_in(target: Path, fill, start_from_target: bool = False) -> Path:
    """Write a new file next to `target` with `fill(connection)` (on a copy of `target` if
    `start_from_target`) and swap it in with os.replace; returns `target`.

    An import copies the file, changes the copy and swaps it in: a build swapped in meanwhile would be
    overwritten (or overwrite the import), so all take the same lock; WriterBusy after RECORDS_LOCK_WAIT."""
    with writer_lock(target):
        tmp = target.with_name(f"{target.name}.tmp-{os.getpid()}")
        tmp.unlink(missing_ok=True)
        try:
            if start_from_target:
                shutil.copyfile(target, tmp)
            with duckdb.connect(str(tmp)) as con:
                fill(con)
            os.replace(tmp, target)
        finally:
            for path in (tmp, Path(f"{tmp}.wal")):  # a failed write leaves a WAL beside its file
                path.unlink(missing_ok=True)
    return target


def holds_imports(target: Path) -> bool:
    """True when the file at `target` has imported lists (rows in import_log): a rebuild would lose them."""
    if not Path(target).is_file():
        return False
    try:
        with duckdb.connect(str(target), read_only=True) as con:
            return con.execute("SELECT count(*) FROM import_log").fetchone()[0] > 0
    except duckdb.Error:  # damaged or not a database: nothing to keep, a rebuild replaces it
        return False


def refresh(target: Path | None = None) -> Path:
    """Bring the database at `target` to this version's views, macros and derived tables, keeping every row.

    For a database that holds imported lists, where a rebuild would put the demo data back in their place
    (`make run` / `make serve` rebuild when the code under data/ changes). Written like an import: a copy is
    changed and swapped in under the writer lock, so running workers keep reading the old file meanwhile.
    """
    return _swap_in(Path(target or config.records_db()), stamp, start_from_target=True)


def read_raw(name: str) -> pd.DataFrame:
    return pd.read_csv(RAW / name, dtype=str, keep_default_na=False, encoding="utf-8")


def insert(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    """Insert by column name, so a frame may leave out columns the table has (they become NULL)."""
    frame = frame.replace({"": None})
    columns = ", ".join(frame.columns)
    con.register("incoming", frame)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")  # names from our code
    finally:
        con.unregister("incoming")


def load_reference(con: duckdb.DuckDBPyConnection) -> None:
    insert(con, "sessions", read_raw("sessions.csv"))
    insert(con, "districts", read_raw("districts.csv"))
    aliases = read_raw("district_aliases.csv")
    aliases["alias_key"] = aliases["alias"].map(alias_key)
    insert(con, "district_aliases", aliases)
    insert(con, "industries", read_raw("industries.csv"))
    insert(con, "published_stats", with_citation(read_raw("published_stats.csv")))
    insert(con, "named_firms", read_raw("named_firms.csv"))
    insert(con, "source_quotes", read_raw("source_quotes.csv"))
    insert(con, "district_name_periods", read_raw("district_name_periods.csv"))
    insert(con, "product_terms", pd.read_csv(DATA / "demo" / "products.csv", dtype=str, keep_default_na=False))


def with_citation(stats: pd.DataFrame) -> pd.DataFrame:
    """The `source` column of the contract: one citation string built from publisher, title, date and URL."""
    return stats.assign(source=stats["publisher"] + ". " + stats["title"] + ". " + stats["published_on"]
                        + ". " + stats["url"])


def district_lookup(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    rows = con.execute("SELECT alias_key, district_code FROM district_aliases").fetchall()
    return dict(rows)


def harmonise(frame: pd.DataFrame, lookup: dict[str, str]) -> pd.DataFrame:
    """Set district_code from district_raw through the alias table (the one place spellings are resolved)."""
    codes = frame["district_raw"].map(lambda raw: lookup.get(alias_key(raw)) if isinstance(raw, str) else None)
    unknown = sorted(set(frame.loc[codes.isna() & frame["district_raw"].notna(), "district_raw"]))
    if unknown:
        raise ValueError(f"district spellings not in district_aliases: {unknown}")
    return frame.assign(district_code=codes)


def load_demo(con: duckdb.DuckDBPyConnection) -> None:
    frames = demo.generate()
    lookup = district_lookup(con)
    insert(con, "companies", frames["companies"])
    insert(con, "records", harmonise(frames["records"], lookup))
    insert(con, "company_profiles", harmonise(frames["company_profiles"], lookup))
    insert(con, "applications", frames["applications"])


def replace_table(con: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame) -> None:
    con.register("incoming", frame)
    try:
        con.execute(f"CREATE OR REPLACE TABLE {table} AS SELECT * FROM incoming")  # names from our code
    finally:
        con.unregister("incoming")


def create_views(con: duckdb.DuckDBPyConnection) -> None:
    con.execute((DATA / "views.sql").read_text(encoding="utf-8"))
    # reference lists the views read (the concentration bounds of the plausibility checks, the figures the
    # project derived from published ones): replaced on every stamp, so a restored older file gets them too
    replace_table(con, "plausibility_bounds", pd.read_csv(RAW / "plausibility_bounds.csv", dtype={"value": int}))
    replace_table(con, "derived_figures", pd.read_csv(RAW / "derived_figures.csv", dtype={"value": float}))
    con.execute((DATA / "plausibility.sql").read_text(encoding="utf-8"))


def table_checksum(con: duckdb.DuckDBPyConnection, table: str) -> str:
    """Order-independent digest of a table's contents (same rows, same digest)."""
    sql = f"SELECT coalesce(md5(string_agg(t::VARCHAR, chr(10) ORDER BY t::VARCHAR)), '') FROM {table} t"
    return con.execute(sql).fetchone()[0]


def stamp(con: duckdb.DuckDBPyConnection) -> None:
    """Refresh views, macros and derived tables and record a build id derived from the contents (same data,
    same id).

    Build, import and restore all end here, so the snapshots and derived tables always match the rows, and a
    file written by an older version (a restored copy) gets this version's views, macros and tables.
    """
    create_views(con)
    con.execute("CREATE OR REPLACE TABLE reconciliation_snapshot AS SELECT * FROM reconciliation")
    # the checks scan every record several times (~130 ms): the About page reads what this build found
    con.execute("CREATE OR REPLACE TABLE plausibility_snapshot AS SELECT * FROM plausibility")
    con.execute((DATA / "derived.sql").read_text(encoding="utf-8"))
    digest = hashlib.sha256()
    for table in CONTRACT_TABLES:
        digest.update(table_checksum(con, table).encode())
    con.execute("DELETE FROM meta")
    con.executemany("INSERT INTO meta VALUES (?, ?)",
                    [("build_id", digest.hexdigest()[:12]), ("schema_version", "1")])
