"""Failed sign-ins, counted in a small SQLite file beside the administrators file (core/auth.py).

In a file, not in process memory, so every worker of `make serve` shares one count (the worker is chosen by a
cookie the client sets: per-process counts gave one budget per worker) and a restart does not clear it.
An attempt is reserved before its password is checked: one IMMEDIATE transaction reads the keys' counts,
refuses if a wait is running, and otherwise counts the attempt as a failure at once. Parallel guesses are
serialised by SQLite's write lock, so a burst of 30 gets FREE_TRIES checks, not 30. A right password then
clears its name's count.

Each key (e.g. "name:wang") allows FREE_TRIES failures at no cost; after that each attempt must wait twice
as long as the one before, up to MAX_WAIT seconds after the last one. Rows quiet for a day are dropped.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from pathlib import Path

FREE_TRIES = 3
MAX_WAIT = 15 * 60
FORGET_AFTER_S = 24 * 3600
SCHEMA = "CREATE TABLE IF NOT EXISTS failures (key TEXT PRIMARY KEY, count INTEGER NOT NULL, last REAL NOT NULL)"


def delay(failures: int) -> float:
    return 0.0 if failures < FREE_TRIES else float(min(2 ** (failures - FREE_TRIES + 1), MAX_WAIT))


def attempts_path(admins_file: Path) -> Path:
    """admins.toml -> admins.attempts.sqlite3 in the same folder (same owner, same protection)."""
    return admins_file.with_name(admins_file.stem + ".attempts.sqlite3")


class Throttle:
    def __init__(self, path: Path | Callable[[], Path], clock: Callable[[], float] = time.time):
        # wall-clock time: the count outlives the process, so a monotonic clock would mean nothing after it
        self._path, self.clock = path, clock

    @property
    def path(self) -> Path:
        return Path(self._path() if callable(self._path) else self._path)

    @contextlib.contextmanager
    def _transaction(self):
        path = self.path
        path.parent.mkdir(parents=True, exist_ok=True)
        new = not path.exists()
        con = sqlite3.connect(path, timeout=30, isolation_level=None)
        try:
            if new:
                os.chmod(path, 0o600)
            con.execute("BEGIN IMMEDIATE")  # the write lock first: no other reader slips in between
            con.execute(SCHEMA)
            yield con
            con.execute("COMMIT")
        except BaseException:
            if con.in_transaction:
                con.execute("ROLLBACK")
            raise
        finally:
            con.close()

    def _wait(self, con: sqlite3.Connection, keys: Sequence[str], now: float) -> float:
        waits = [0.0]
        for key in keys:
            row = con.execute("SELECT count, last FROM failures WHERE key = ?", (key,)).fetchone()
            if row:
                waits.append(row[1] + delay(row[0]) - now)
        return max(waits)

    def reserve(self, keys: Sequence[str]) -> float:
        """0 and the attempt is counted as a failure for every key; or > 0, the seconds still to wait."""
        now = self.clock()
        with self._transaction() as con:
            con.execute("DELETE FROM failures WHERE last < ?", (now - FORGET_AFTER_S,))
            wait = self._wait(con, keys, now)
            if wait > 0:
                return wait
            for key in keys:
                con.execute("INSERT INTO failures VALUES (?, 1, ?) ON CONFLICT (key) DO UPDATE "
                            "SET count = count + 1, last = excluded.last", (key, now))
            return 0.0

    def wait(self, keys: Sequence[str]) -> float:
        with self._transaction() as con:
            return self._wait(con, keys, self.clock())

    def clear(self, keys: Sequence[str]) -> None:
        with self._transaction() as con:
            con.executemany("DELETE FROM failures WHERE key = ?", [(k,) for k in keys])
