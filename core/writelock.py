"""The writer lock: one writer of a database file at a time, across threads and processes; and the temporary
files a writer killed mid-way leaves next to the database.

`records.duckdb.lock` next to the database holds an flock while an import, a restore or a build writes; the
next writer waits up to RECORDS_LOCK_WAIT seconds (default 60), then stops with one line naming the holder.
The lock lives here, below both `core.build` and `core.importer`, so a build and an import never interleave
(each swaps in a whole new file: without the lock the second swap would silently drop the first one's work).
"""

from __future__ import annotations

import contextlib
import fcntl
import getpass
import os
import time
from pathlib import Path

from core import config

DEFAULT_LOCK_WAIT = 60.0


class WriterBusy(RuntimeError):
    """Another import, restore or build kept the database locked for longer than we wait."""


def os_user() -> str:
    """The operating-system user running this process (the command line's `who`)."""
    try:
        return getpass.getuser()
    except Exception:  # no user name on this system (getpass raises OSError or KeyError)
        return f"uid {os.getuid()}"


def lock_path(db: Path) -> Path:
    return db.with_name(f"{db.name}.lock")


@contextlib.contextmanager
def writer_lock(db: Path, wait: float | None = None):
    """Hold the database's writer lock for the block (threads and processes alike: flock on a new open)."""
    if wait is None:
        wait = config.lock_wait(DEFAULT_LOCK_WAIT)
    path = lock_path(db)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    try:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 200, 0).decode(errors="replace").strip() or "another process"
                    raise WriterBusy(f"{db.name} is being written by {holder} (lock {path.name}); waited "
                                     f"{wait:g} s, nothing was changed: try again when it has finished") from None
                time.sleep(0.05)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"process {os.getpid()} of {os_user()}".encode(), 0)
        yield
    finally:
        os.close(fd)  # releases the lock


def leftovers(db: Path) -> list[Path]:
    """Temporary files of writers next to `db`: import and restore copies, build files, their WALs, and copies
    half kept in the history folder. Only a holder of the lock may remove them (they may be in use)."""
    found = [p for pattern in (f"{db.name}.import-*", f"{db.name}.restore-*", f"{db.name}.tmp-*")
             for p in db.parent.glob(pattern)]
    history = db.with_name(f"{db.name}.history")
    if history.is_dir():
        found += list(history.glob("*.partial"))
    return found


def clean_if_idle(db: Path) -> list[Path]:
    """Remove what killed writers left next to `db` unless a writer holds the lock now; what was removed.
    Every command starts with it, reads included, so a killed import's copy (as large as the database) does
    not wait for the next import."""
    try:
        fd = os.open(lock_path(db), os.O_RDONLY)  # no lock file: no writer ever ran here
    except OSError:
        return []
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # a writer is at work: its files are in use
            return []
        removed = []
        for path in leftovers(db):
            with contextlib.suppress(OSError):  # a folder we may not write in: leave it to the next writer
                path.unlink()
                removed.append(path)
        return removed
    finally:
        os.close(fd)
