"""A write that fails says what happened and leaves nothing behind (issue 33, item 3): with the disk full (a file
size limit, as `ulimit -f` sets), `import --db FILE` names FILE (not the default database), says the import
failed while writing and the database is unchanged, and leaves no temporary copy or WAL; what a killed import
leaves is removed by the next command of any kind, unless a writer holds the lock at that moment.
"""

from __future__ import annotations

import errno
import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from core import cli
from core.i18n import t
from tests.test_import_history import hold_lock
from tests.test_importer import HEADER_ZH, SAMPLE, file_state, query, write_csv
from tests.test_pages import _upload_and_check, entry_mode, open_page  # noqa: F401 (entry_mode is a fixture)

ROOT = Path(__file__).resolve().parent.parent


def file_size_limit(max_bytes: int):
    """For preexec_fn: no file of the child may grow past `max_bytes` (a full disk, as the child sees it)."""
    def limit() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return limit


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.rglob("*")
                  if any(part in p.name for part in (".import-", ".restore-", ".tmp-", ".wal", ".partial")))


@pytest.fixture
def other_db(built_db, tmp_path) -> Path:
    """A database named with --db, in a folder of its own; RECORDS_DB points elsewhere."""
    path = tmp_path / "other" / "records.duckdb"
    path.parent.mkdir()
    shutil.copyfile(built_db, path)
    return path


@pytest.mark.parametrize("room", ["copy", "write"])  # the disk fills while copying, or while DuckDB writes
def test_disk_full_import_names_the_database_and_leaves_nothing(other_db, tmp_path, room):
    size = other_db.stat().st_size
    limit = size // 2 if room == "copy" else size + 256 * 1024
    listing = write_csv(tmp_path / "第24届名单.csv", HEADER_ZH, SAMPLE)
    default = tmp_path / "default" / "records.duckdb"
    before = file_state(other_db)
    env = {**os.environ, "RECORDS_DB": str(default), "RECORDS_DEBUG": ""}
    result = subprocess.run([sys.executable, "-m", "core.cli", "import", str(listing), "--session", "24",
                             "--db", str(other_db)], cwd=ROOT, env=env, text=True, capture_output=True,
                            timeout=300, preexec_fn=file_size_limit(limit))
    assert result.returncode == 1, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    assert "File too large" in lines[0]  # the reason, as the system gave it
    for words in (str(other_db), "failed while writing", "nothing was imported", "is unchanged"):
        assert words in lines[0], lines[0]
    assert str(default) not in lines[0] and "cannot be read" not in lines[0]
    assert file_state(other_db) == before
    assert leftovers(other_db.parent) == []


KILLED_MID_IMPORT = """
import sys, time
from core import importer

def progress(step):
    if step.key == "log":  # the copy is written and DuckDB has it open: the process dies here
        print("writing", flush=True)
        time.sleep(600)

importer.apply(importer.validate(sys.argv[1], 24, db=sys.argv[2]), progress=progress)
"""


def killed_import(db_path: Path, listing: Path) -> None:
    proc = subprocess.Popen([sys.executable, "-c", KILLED_MID_IMPORT, str(listing), str(db_path)], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"
    finally:
        proc.kill()
        proc.wait(timeout=30)
        proc.stdout.close()


def test_what_a_killed_import_left_goes_at_the_next_command_even_a_read(other_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("RECORDS_DB", str(other_db))  # restored afterwards (export --db sets it)
    listing = write_csv(tmp_path / "第24届名单.csv", HEADER_ZH, SAMPLE)
    before = file_state(other_db)
    killed_import(other_db, listing)
    left = leftovers(other_db.parent)
    assert left and all(".import-" in name for name in left)
    assert file_state(other_db) == before

    holder = hold_lock(other_db)  # a writer at work: what lies there may be its own
    try:
        assert cli.main(["history", "--db", str(other_db)]) == 0
        assert leftovers(other_db.parent) == left
    finally:
        holder.communicate("\n", timeout=30)

    out = tmp_path / "records.csv"
    assert cli.main(["export", "records_per_session", "--session", "23", "--format", "csv", "--out", str(out),
                     "--db", str(other_db)]) == 0
    assert leftovers(other_db.parent) == []
    assert file_state(other_db) == before
    assert query(other_db, "SELECT count(*) FROM records WHERE session_no = 24") == [(0,)]
    capsys.readouterr()


def test_leftovers_of_every_writer_go_at_the_next_command(other_db, capsys):
    """Build and restore copies and their WALs, and a copy half kept for undo, too."""
    names = [f"{other_db.name}.{kind}" for kind in ("import-1-2", "import-1-2.wal", "restore-3-4", "tmp-5",
                                                    "tmp-5.wal")]
    history = other_db.with_name(f"{other_db.name}.history")
    history.mkdir()
    for path in [other_db.with_name(n) for n in names] + [history / "before-7.duckdb.partial"]:
        path.write_bytes(b"half a database")
    other_db.with_name(f"{other_db.name}.lock").touch()  # every writer takes the lock first
    assert cli.main(["history", "--db", str(other_db)]) == 0
    assert leftovers(other_db.parent) == []
    capsys.readouterr()


@pytest.mark.usefixtures("entry_mode")
def test_the_import_page_says_the_write_failed_and_nothing_changed(db_copy, monkeypatch, tmp_path):
    def full_disk(source, target, **kwargs):  # half a copy, then the disk is full
        Path(target).write_bytes(Path(source).read_bytes()[:4096])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    before = file_state(db_copy)
    listing = write_csv(tmp_path / "第24届名单.csv", HEADER_ZH, SAMPLE)
    at = _upload_and_check(open_page("import"), listing.name, listing.read_bytes(), 24)
    monkeypatch.setattr(shutil, "copyfile", full_disk)
    at.button[[b.label for b in at.button].index(t("import.apply", "zh", n=24))].click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert t("write_failure.import", "zh") in [e.value for e in at.error]
    shown = " ".join(str(getattr(el, "value", "")) for el in at.main)
    assert str(db_copy.parent) not in shown
    assert file_state(db_copy) == before
    assert leftovers(db_copy.parent) == []
