"""Taking back one import: its session gets back the rows it had before, every other session stays.

`plan(ID)` says what `undo(ID)` will do, or why it refuses, without writing anything; the import page shows
it before its second click. Undoing entry ID (an import, or an undo, which brings the import back) of
session S uses the copy kept from before it (`before-ID.duckdb`):
  * records, applications and company_profiles of S become exactly the copy's; so does S's row in
    `sessions` (removed when the import created the session) and S's lines of `import_log`;
  * companies those rows need come back from the copy; a company the import renamed gets the copy's names
    back unless a standing import of another session still lists it (and where the copy's names came from an
    import undone since, the names it had before an import first renamed it, from the journal); companies only
    S's removed rows used are deleted;
  * derived tables and meta build_id are refreshed (core.build.stamp), as after an import.
It refuses while a later entry still standing changed S (a later import of S, say): S's rows then are not
the import's to take back; undo that one first. Written like an import: a copy of the database is changed
under the writer lock and swapped in with os.replace; the replaced file is kept as `before-<new id>`, so
the undo can itself be undone, and the journal gets an `undo` line naming the entry it took back.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from core import build as build_module
from core import config
from core.importer import sql, undo
from core.importer.undo import HistoryEntry, HistoryError


class UndoRefused(HistoryError):
    """A later entry still standing changed the same session; `plan.blockers` names them."""

    def __init__(self, plan: UndoPlan):
        super().__init__(plan.refusal())
        self.plan = plan


@dataclass
class UndoPlan:
    entry: HistoryEntry  # what is taken back
    records_now: int  # the session's records now, which go
    records_back: int  # the session's records in the kept copy, which come back
    removes_session: bool  # the session did not exist before: its row goes too
    blockers: list[HistoryEntry] = field(default_factory=list)

    @property
    def session(self) -> int:
        return self.entry.session

    @property
    def ok(self) -> bool:
        return not self.blockers

    def refusal(self) -> str:
        changed = "; ".join(f"{b.describe()} changed session {self.session} after #{self.entry.id}"
                            for b in self.blockers)
        first = " and ".join(f"#{b.id}" for b in sorted(self.blockers, key=lambda b: -b.id))
        return f"cannot undo #{self.entry.id} alone: {changed}: undo {first} first; nothing was changed"

    def summary(self) -> str:
        back = ("removes session {s}, which #{id} created" if self.removes_session else
                "brings back the {back} records session {s} had before #{id}")
        return (f"undo #{self.entry.id}: removes the {self.records_now} records of session {self.session} and "
                + back.format(s=self.session, id=self.entry.id, back=self.records_back)
                + "; every other session stays as it is")


def plan(entry_id: int, db: str | os.PathLike | None = None) -> UndoPlan:
    """What undoing `entry_id` would do (HistoryError when it cannot be undone at all); writes nothing."""
    target = Path(db or config.records_db())
    entry = undo.find(target, entry_id)
    if entry.action not in ("import", "undo") or entry.session is None:
        raise HistoryError(f"#{entry_id} is a restore of the whole database: bring back the state before it "
                           f"with python -m core.cli restore {entry_id}")
    if entry.undone_by is not None:
        raise HistoryError(f"#{entry_id} was already undone by #{entry.undone_by}")
    s = entry.session
    with duckdb.connect(str(undo.backup_path(target, entry_id)), read_only=True) as kept:
        records_back = sql.value(kept, "session_row_count", "records", session=s)
        existed = sql.value(kept, "session_exists", session=s)
    with duckdb.connect(str(target), read_only=True) as con:
        records_now = sql.value(con, "session_row_count", "records", session=s)
    return UndoPlan(entry, records_now, records_back, removes_session=not existed,
                    blockers=_blockers(entry, undo.history(target)))


def _blockers(entry: HistoryEntry, entries: list[HistoryEntry]) -> list[HistoryEntry]:
    """Later entries still standing that changed the session: imports of it, and undos that took back an
    entry not later than this one (an undo of a later import only cancels that import's change)."""
    return sorted((e for e in entries if e.id > entry.id and e.undone_by is None and e.session == entry.session
                   and (e.action == "import" or (e.action == "undo" and (e.undoes or 0) <= entry.id))),
                  key=lambda e: e.id)


def undo_entry(entry_id: int, who: str | None = None, db: str | os.PathLike | None = None) -> HistoryEntry:
    """Take back import (or undo) `entry_id` in its session only; the new history entry. UndoRefused when a
    later standing entry changed the session, HistoryError when it cannot be undone, WriterBusy."""
    target = Path(db or config.records_db())
    with undo.writer_lock(target):
        undo.clean_orphans(target)
        chosen = plan(entry_id, target)  # again under the lock: another writer may have changed the history
        if not chosen.ok:
            raise UndoRefused(chosen)
        tmp = undo.temp_path(target, "restore")
        try:
            shutil.copyfile(target, tmp)
            with duckdb.connect(str(target), read_only=True) as con:
                build_before, new_id = sql.value(con, "build_id"), undo.next_id(target, con)
            # autocommit per statement: DuckDB refuses to delete a parent row whose children were deleted
            # earlier in the same transaction; the copy and swap make the whole undo atomic instead
            with duckdb.connect(str(tmp)) as con:
                _take_back(con, chosen.session, undo.backup_path(target, entry_id), undo.names_before_imports(target))
                build_module.stamp(con)
                build_after = sql.value(con, "build_id")
                con.execute("CHECKPOINT")
            undo.keep_copy(target, new_id)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        done = HistoryEntry(id=new_id, action="undo", at=undo.now().isoformat(), who=who or undo.os_user(),
                            session=chosen.session, undoes=entry_id, build_before=build_before,
                            build_after=build_after)
        undo.record(target, done)
    return done


def _session_rows(copy: Path, session: int, leaving: list[str]) -> dict[str, pa.Table]:
    """The kept copy's rows of the session, its session row and import_log lines, and its companies that
    those rows or the `leaving` ones (used by the session's rows now) name."""
    with duckdb.connect(str(copy), read_only=True) as kept:
        rows = {t: sql.arrow(kept, "session_rows", t, session=session) for t in sql.KEYED_BY_SESSION}
        named = sorted(sql.session_companies(kept, session) | set(leaving))
        rows["companies"] = sql.arrow(kept, "companies_named", ids=named)
    return rows


def _take_back(con: duckdb.DuckDBPyConnection, session: int, copy: Path, names_before: dict[str, list]) -> None:
    leaving = sorted(sql.session_companies(con, session))
    kept = _session_rows(copy, session, leaving)
    kept["companies"] = _unlisted_named_as_before(kept, names_before)
    for table in reversed(sql.SESSION_TABLES):  # children first
        sql.run(con, "delete_session_rows", table, session=session)
    sql.run(con, "delete_session_rows", "import_log", session=session)
    _insert(con, "import_log", kept["import_log"])
    if kept["sessions"].num_rows == 0:
        sql.run(con, "delete_session_rows", "sessions", session=session)
    elif sql.value(con, "session_exists", session=session) == 0:
        _insert(con, "sessions", kept["sessions"])
    _companies_back(con, session, kept["companies"])
    for table in sql.SESSION_TABLES:
        _insert(con, table, kept[table])
    sql.drop_unnamed(con, leaving)


def _unlisted_named_as_before(kept: dict[str, pa.Table], names_before: dict[str, list]) -> pa.Table:
    """The kept companies, where the session's kept rows list one in no import, with the names and source it
    had before an import first renamed it (`names_before`, from the journal): the copy may hold the names of an
    import of another session that has been undone since, and then no standing import gave them."""
    records = kept["records"]
    listed = {cid for cid, source in zip(records["company_id"].to_pylist(), records["source"].to_pylist(),
                                         strict=True) if (source or "").startswith("import:")}
    rows = kept["companies"].to_pylist()
    for row in rows:
        cid = row["company_id"]
        if cid in names_before and cid not in listed and row["source"] != "demo":
            row["name_zh"], row["name_en"], row["source"] = names_before[cid]
    return pa.Table.from_pylist(rows, schema=kept["companies"].schema)


def _companies_back(con: duckdb.DuckDBPyConnection, session: int, companies: pa.Table) -> None:
    """Insert the copy's companies that are gone; give renamed ones their names back unless a standing import
    of another session lists them (its names stay, as they would had this import never happened)."""
    con.register("kept_companies", companies)
    try:
        sql.run(con, "names_back", session=session)
        gone = sql.arrow(con, "companies_gone")
    finally:
        con.unregister("kept_companies")
    _insert(con, "companies", gone)


def _insert(con: duckdb.DuckDBPyConnection, table: str, rows: pa.Table) -> None:
    """Insert by column name: a copy kept by an older version may lack columns added since (they stay NULL)."""
    if rows.num_rows == 0:
        return
    # Not a named file: the column list is the one both schemas share, known only at run time.
    have = {r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()}
    columns = ", ".join(c for c in rows.column_names if c in have)  # names from the schema, not from input
    con.register("incoming", rows)
    try:
        con.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM incoming")
    finally:
        con.unregister("incoming")
