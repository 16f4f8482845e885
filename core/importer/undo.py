"""Undo: the copies of replaced databases, the history journal, who stands, and the whole-file `restore`.

Next to the database `records.duckdb` live:
  * `records.duckdb.lock`: an flock held by whoever writes (import, restore or build; core.writelock); the
    next writer waits up to RECORDS_LOCK_WAIT seconds (default 60), then stops with a message naming the holder;
  * `records.duckdb.history/before-<ID>.duckdb`: the database as it was before import or restore ID (a hard
    link to the replaced file, so keeping it costs no copy); the newest RECORDS_KEEP (default 10) are kept;
  * `records.duckdb.history/history.jsonl`: one line per import, undo or restore (who, file, sha256, counts,
    time). It outlives restores, unlike the database's own import_log, which always describes the rows it holds.
Taking back one import (`core.importer.session_undo`) touches only its session; `restore` brings back the
whole file and so also takes back every later entry still standing: it names them and needs `confirm=True`.
`history()` replays the journal to say, for each entry, whether it stands or which entry undid it.
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
from core import config
from core.importer import sql
from core.writelock import WriterBusy, leftovers, os_user, writer_lock  # noqa: F401 (re-exported)

DEFAULT_KEEP = 10


class HistoryError(ValueError):
    """A restore or undo that cannot be done (unknown id, copy no longer kept, refused)."""


class NeedsConfirmation(HistoryError):
    """A whole-file restore that would also take back later entries: `lost` lists them; nothing was changed."""

    def __init__(self, message: str, lost: list[HistoryEntry]):
        super().__init__(message)
        self.lost = lost


@dataclass
class HistoryEntry:
    id: int
    action: str  # import / undo (one import's session taken back) / restore (the whole file)
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
    undoes: int | None = None  # for an undo: the entry whose change to its session was taken back
    lost: list[int] | None = None  # for a restore: the later entries still standing that it took back too
    # for an import: the demo companies it renamed, with what they had before ({id: [name_zh, name_en, source]})
    renamed: dict[str, list] | None = None
    undoable: bool = False  # stands and the copy from before it is still kept (computed, not journaled)
    undone_by: int | None = None  # the undo or restore that took it back; None while it stands (computed)

    def describe(self) -> str:
        """`import #5 (session 24, list.csv)`, for messages."""
        what = f"{self.action} #{self.id} (session {self.session}"
        return what + (f", {self.file_name})" if self.file_name else ")")


COMPUTED = ("undoable", "undone_by")


def keep_count() -> int:
    try:
        return max(0, int(config.keep_setting(DEFAULT_KEEP)))
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
            for name in COMPUTED:
                fields.pop(name, None)
            entries.append(HistoryEntry(**fields))
    return entries


def names_before_imports(db: Path) -> dict[str, list]:
    """For each company an import ever renamed, the names and source it had before: the latest import's word
    (a rebuilt database may have given the demo company other names since an earlier one)."""
    names: dict[str, list] = {}
    for entry in journal(db):
        names.update(entry.renamed or {})
    return names


def record(db: Path, entry: HistoryEntry) -> None:
    folder(db).mkdir(exist_ok=True)
    with open(folder(db) / "history.jsonl", "a", encoding="utf-8") as f:
        fields = {k: v for k, v in asdict(entry).items() if k not in COMPUTED}
        f.write(json.dumps(fields, ensure_ascii=False) + "\n")


def next_id(db: Path, con: duckdb.DuckDBPyConnection | None = None) -> int:
    """One more than any id in the journal or the database's import_log (a restore shortens the latter)."""
    if con is None:
        with duckdb.connect(str(db), read_only=True) as own:
            return next_id(db, own)
    logged = sql.value(con, "last_import_id")
    return max([logged] + [e.id for e in journal(db)]) + 1


def _current(db: Path) -> tuple[str | None, int]:
    """(build id, next history id) of the live database; a missing or damaged one (the reason to restore)
    has no build id and ids continue from the journal."""
    try:
        with duckdb.connect(str(db), read_only=True) as con:
            return sql.run(con, "build_id")[0][0], next_id(db, con)
    except (duckdb.Error, IndexError):  # IndexError: no build id
        return None, max([0] + [e.id for e in journal(db)]) + 1


def undone_by(entries: list[HistoryEntry]) -> dict[int, int | None]:
    """Entry id -> the entry that took it back (None: it stands), replaying the journal in order.

    An undo takes back its target (and, for an undo of an undo, the first undo's target stands again); a
    restore to before K puts back who stood before K and takes back every entry from K on that still stood."""
    status: dict[int, int | None] = {}
    before: dict[int, dict[int, int | None]] = {}
    by_id = {e.id: e for e in entries}
    for e in sorted(entries, key=lambda e: e.id):
        before[e.id] = dict(status)
        if e.action == "undo" and e.undoes is not None:
            status[e.undoes] = e.id
            target = by_id.get(e.undoes)
            if target is not None and target.action == "undo" and target.undoes is not None:
                status[target.undoes] = None
        elif e.action == "restore" and e.restores is not None:
            earlier = before.get(e.restores, {i: s for i, s in status.items() if i < e.restores})
            status = {i: (e.id if status[i] is None else status[i]) if i >= e.restores else earlier.get(i)
                      for i in status}
        status[e.id] = None
    return status


def history(db: str | os.PathLike | None = None) -> list[HistoryEntry]:
    """Imports, undos and restores of the database, newest first, each with `undone_by` and `undoable`
    (it stands and its earlier state is kept)."""
    target = Path(db or config.records_db())
    entries = journal(target)
    status = undone_by(entries)
    for entry in entries:
        entry.undone_by = status.get(entry.id)
        entry.undoable = entry.undone_by is None and backup_path(target, entry.id).is_file()
    return sorted(entries, key=lambda e: e.id, reverse=True)


def find(target: Path, entry_id: int) -> HistoryEntry:
    """The entry `entry_id` as history() shows it, its copy still kept; HistoryError otherwise."""
    entry = next((e for e in history(target) if e.id == entry_id), None)
    if entry is None:
        raise HistoryError(f"no import, undo or restore #{entry_id} in the history of {target.name} "
                           "(python -m core.cli history lists them)")
    if not backup_path(target, entry_id).is_file():
        raise HistoryError(f"the copy from before #{entry_id} is no longer kept (the newest {keep_count()} "
                           "are kept, RECORDS_KEEP)")
    return entry


def restore_losses(entry_id: int, db: str | os.PathLike | None = None) -> list[HistoryEntry]:
    """The entries a restore to before `entry_id` takes back besides it: every later one still standing."""
    return sorted((e for e in history(db) if e.id > entry_id and e.undone_by is None), key=lambda e: e.id)


def restore(entry_id: int, who: str | None = None, db: str | os.PathLike | None = None,
            confirm: bool = False) -> HistoryEntry:
    """Bring back the whole database as it was before import (or undo, or restore) `entry_id`; logged as a
    restore, which keeps the state it replaced, so a restore can be undone the same way. When later entries
    still stand it would take them back too: without `confirm` it raises NeedsConfirmation naming them."""
    target = Path(db or config.records_db())
    with writer_lock(target):
        clean_orphans(target)
        entry = find(target, entry_id)
        lost = restore_losses(entry_id, target)
        if lost and not confirm:
            raise NeedsConfirmation(f"restoring the database as it was before #{entry_id} would also take back "
                                    + ", ".join(e.describe() for e in lost) + "; nothing was changed", lost)
        source = backup_path(target, entry_id)
        tmp = temp_path(target, "restore")
        try:
            shutil.copyfile(source, tmp)
            with duckdb.connect(str(tmp)) as con:  # a damaged copy fails here, not live
                # a copy kept by an older version lacks this version's macros and derived tables
                build_module.stamp(con)
                build_after = sql.run(con, "build_id")[0][0]
            build_before, new_id = _current(target)
            keep_copy(target, new_id)
            os.replace(tmp, target)
        finally:
            tmp.unlink(missing_ok=True)
        standing = [entry_id] if entry.undone_by is None else []
        done = HistoryEntry(id=new_id, action="restore", at=now().isoformat(), who=who or os_user(),
                            session=entry.session, restores=entry_id, build_before=build_before,
                            build_after=build_after, lost=standing + [e.id for e in lost])
        record(target, done)
    return done
