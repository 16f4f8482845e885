"""Undo: the copies of replaced databases, the history journal and `restore`.

Next to the database `records.duckdb` live:
  * `records.duckdb.lock`: an flock held by whoever writes (import, restore or build; core.writelock); the
    next writer waits up to RECORDS_LOCK_WAIT seconds (default 60), then stops with a message naming the holder;
  * `records.duckdb.history/before-<ID>.duckdb`: the database as it was before import or restore ID (a hard
    link to the replaced file, so keeping it costs no copy); the newest RECORDS_KEEP (default 10) are kept;
  * `records.duckdb.history/history.jsonl`: one line per import or restore (who, file, sha256, counts, time).
    It outlives restores, unlike the database's own import_log, which always describes the rows it holds.
Temporary files of a writer that was killed (`records.duckdb.import-*`, `.restore-*`, `.tmp-*`, their WALs) are
removed by the next writer, which holds the lock and so knows no one else is using them, and by the next
command of any kind when no writer holds the lock (core.writelock.clean_if_idle).
"""

from __future__ import annotations

import json
import os
import shutil
import threading
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from core import build as build_module
from core.db import db_path
from core.writelock import WriterBusy, leftovers, os_user, writer_lock  # noqa: F401 (re-exported)

DEFAULT_KEEP = 10


class HistoryError(ValueError):
    """A restore that cannot be done (unknown id, copy no longer kept)."""


@dataclass
class HistoryEntry:
    id: int
    action: str  # import / restore
    at: str  # UTC, ISO 8601
    who: str
    session: int | None
    file_name: str | None = None
    sha256: str | None = None
    rows_accepted: int | None = None
    rows_rejected: int | None = None
    restores: int | None = None  # for a restore: the import or restore whose previous state came back
    build_before: str | None = None
    build_after: str | None = None
    undoable: bool = False  # the copy from before it is still kept


def keep_count() -> int:
    try:
        return max(0, int(os.environ.get("RECORDS_KEEP", DEFAULT_KEEP)))
    except ValueError:
        return DEFAULT_KEEP


def folder(db: Path) -> Path:
    return db.with_name(f"{db.name}.history")


def backup_path(db: Path, entry_id: int) -> Path:
    return folder(db) / f"before-{entry_id}.duckdb"


def now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def clean_orphans(db: Path) -> list[Path]:
    """Remove what an interrupted writer left; call with the writer lock held."""
    found = leftovers(db)
    for path in found:
        path.unlink(missing_ok=True)
    return found


def temp_path(db: Path, kind: str) -> Path:
    return db.with_name(f"{db.name}.{kind}-{os.getpid()}-{threading.get_ident()}")


def keep_copy(db: Path, entry_id: int) -> None:
    """Keep the current database as the state before `entry_id`, then drop the oldest copies beyond the limit."""
    keep = keep_count()
    if keep and db.exists():
        target = backup_path(db, entry_id)
        target.parent.mkdir(exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        try:
            os.link(db, partial)
        except OSError:  # a file system without hard links
            shutil.copyfile(db, partial)
        os.replace(partial, target)
    copies = sorted(folder(db).glob("before-*.duckdb"), key=lambda p: int(p.stem.split("-")[1]))
    for old in copies[: max(0, len(copies) - keep)]:
        old.unlink(missing_ok=True)


def journal(db: Path) -> list[HistoryEntry]:
    path = folder(db) / "history.jsonl"
    if not path.exists():
        return []
    entries = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            fields = json.loads(line)
            fields.pop("undoable", None)
            entries.append(HistoryEntry(**fields))
    return entries


def record(db: Path, entry: HistoryEntry) -> None:
    folder(db).mkdir(exist_ok=True)
    with open(folder(db) / "history.jsonl", "a", encoding="utf-8") as f:
        f.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")


def next_id(db: Path, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """One more than any id in the journal or the database's import_log (a restore shortens the latter)."""
    if con is None:
        with duckdb.connect(str(db), read_only=True) as own:
            return next_id(db, own)
    logged = con.execute("SELECT coalesce(max(import_id), 0) FROM import_log").fetchone()[0]
    return max([logged] + [e.id for e in journal(db)]) + 1


def _current(db: Path) -> tuple[str | None, int]:
    """(build id, next history id) of the live database; a missing or damaged one (the reason to restore)
    has no build id and ids continue from the journal."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()[0], next_id(db, con)
    except (duckdb.Error, TypeError):
        return None, max([0] + [e.id for e in journal(db)]) + 1


def history(db: str | os.PathLike | None = None) -> list[HistoryEntry]:
    """Imports and restores of the database, newest first; `undoable` where its earlier state is kept."""
    target = Path(db or db_path())
    entries = journal(target)
    for entry in entries:
        entry.undoable = backup_path(target, entry.id).is_file()
    return sorted(entries, key=lambda e: e.id, reverse=True)


def restore(entry_id: int, who: str | None = None, db: str | os.PathLike | None = None) -> HistoryEntry:
    """Bring back the database as it was before import (or restore) `entry_id`; logged as a restore, which
    keeps the state it replaced, so a restore can be undone the same way."""
    target = Path(db or db_path())
    with writer_lock(target):
        clean_orphans(target)
        entry = next((e for e in journal(target) if e.id == entry_id), None)
        if entry is None:
            raise HistoryError(f"no import or restore #{entry_id} in the history of {target.name} "
                               "(python -m core.cli history lists them)")
        source = backup_path(target, entry_id)
        if not source.is_file():
            raise HistoryError(f"the copy from before #{entry_id} is no longer kept (the newest {keep_count()} "
                               "are kept, RECORDS_KEEP)")
        tmp = temp_path(target, "restore")
        try:
            shutil.copyfile(source, tmp)
            with duckdb.connect(str(tmp)) as con:  # a damaged copy fails here, not live
                # a copy kept by an older version lacks this version's macros and derived tables
                build_module.stamp(con)
                build_after = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()[0]
            build_before, new_id = _current(target)
            keep_copy(target, new_id)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        done = HistoryEntry(id=new_id, action="restore", at=now().isoformat(), who=who or os_user(),
                            session=entry.session, restores=entry_id, build_before=build_before,
                            build_after=build_after)
        record(target, done)
    return done
