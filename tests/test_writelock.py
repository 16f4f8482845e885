"""core.writelock on its own, in one process: the lock, the holder it names, and the leftovers it may remove.

The cross-process behaviour (an import waiting for a build, a killed writer's files) is in test_import_history.py
and test_write_failures.py; these pin the details a wrong line would change, in milliseconds.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import writelock


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "records.duckdb"
    path.write_bytes(b"")
    return path


def test_the_lock_file_sits_next_to_the_database(db):
    assert writelock.lock_path(db) == db.parent / "records.duckdb.lock"


def test_the_holder_is_written_into_the_lock_file(db):
    with writelock.writer_lock(db, wait=0):
        text = (db.parent / "records.duckdb.lock").read_text()
    assert text == f"process {os.getpid()} of {writelock.os_user()}"


def test_a_second_writer_waits_then_stops_naming_the_holder(db, monkeypatch):
    monkeypatch.setenv("RECORDS_LOCK_WAIT", "0.2")
    with writelock.writer_lock(db), pytest.raises(writelock.WriterBusy) as err, writelock.writer_lock(db):
        pass
    message = str(err.value)
    assert message.startswith(f"records.duckdb is being written by process {os.getpid()} of ")
    assert "(lock records.duckdb.lock); waited 0.2 s, nothing was changed" in message


def test_the_lock_is_free_again_after_the_block(db):
    with writelock.writer_lock(db, wait=0):
        pass
    with writelock.writer_lock(db, wait=0):  # would raise WriterBusy if the first one were still held
        pass


def test_an_empty_lock_file_names_another_process(db):
    with writelock.writer_lock(db, wait=0):
        os.truncate(writelock.lock_path(db), 0)
        with pytest.raises(writelock.WriterBusy, match="written by another process "), \
                writelock.writer_lock(db, wait=0):
            pass


def make_leftovers(db: Path) -> list[Path]:
    history = db.with_name("records.duckdb.history")
    history.mkdir()
    paths = [db.with_name("records.duckdb.import-1"), db.with_name("records.duckdb.restore-2.wal"),
             db.with_name("records.duckdb.tmp-3"), history / "4.partial"]
    for p in paths:
        p.write_bytes(b"x")
    (history / "5.duckdb").write_bytes(b"kept")  # a copy in the history: not a leftover
    db.with_name("other.duckdb.import-1").write_bytes(b"kept")  # another database's
    return paths


def test_leftovers_are_the_writers_temporary_files_only(db):
    paths = make_leftovers(db)
    assert sorted(writelock.leftovers(db)) == sorted(paths)


def test_clean_if_idle_removes_them_when_no_writer_holds_the_lock(db):
    paths = make_leftovers(db)
    assert writelock.clean_if_idle(db) == []  # no lock file yet: no writer ever ran, nothing is touched
    assert all(p.exists() for p in paths)
    with writelock.writer_lock(db, wait=0):
        pass
    assert sorted(writelock.clean_if_idle(db)) == sorted(paths)
    assert not any(p.exists() for p in paths)
    assert sorted(p.name for p in db.parent.rglob("*")) == [
        "5.duckdb", "other.duckdb.import-1", "records.duckdb", "records.duckdb.history", "records.duckdb.lock"]


def test_clean_if_idle_leaves_them_while_a_writer_works(db):
    paths = make_leftovers(db)
    with writelock.writer_lock(db, wait=0):
        assert writelock.clean_if_idle(db) == []
    assert all(p.exists() for p in paths)


def test_a_leftover_that_cannot_be_removed_is_left_and_the_rest_go(db):
    paths = make_leftovers(db)
    stuck = db.with_name("records.duckdb.import-9")
    stuck.mkdir()  # unlink() refuses a folder, as it refuses a file in a folder we may not write in
    with writelock.writer_lock(db, wait=0):
        pass
    assert sorted(writelock.clean_if_idle(db)) == sorted(paths)
    assert stuck.is_dir()


def test_os_user_falls_back_to_the_uid(monkeypatch):
    def no_name():
        raise KeyError("no user")

    monkeypatch.setattr(writelock.getpass, "getuser", no_name)
    assert writelock.os_user() == f"uid {os.getuid()}"
