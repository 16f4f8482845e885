"""Who imported what, undo, the writer lock and leftovers: the import log names the person, every import keeps
the database it replaced, `history` / `restore ID` bring an earlier state back (and log it), two writers at
once never lose a write, interrupted writers leave nothing behind, and the upload never touches the disk.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import duckdb
import pytest

from core import cli, db, importer
from core.importer import undo
from tests.test_importer import HEADER_ZH, SAMPLE, file_state, query, write_csv
from tests.test_pages import entry_mode  # noqa: F401 (fixture)

ROOT = Path(__file__).resolve().parent.parent


def sample_list(tmp_path: Path, name: str = "第24届名单.csv") -> Path:
    return write_csv(tmp_path / name, HEADER_ZH, SAMPLE)


def test_cli_logs_the_operating_system_user(db_copy, tmp_path, monkeypatch):
    monkeypatch.setattr("getpass.getuser", lambda: "alice")
    path = sample_list(tmp_path)
    assert cli.main(["import", str(path), "--session", "24"]) == 0
    log = query(db_copy, "SELECT import_id, file_name, sha256, session_no, rows_accepted, rows_rejected, "
                         "imported_by FROM import_log")
    assert log == [(1, "第24届名单.csv", importer.validate(path, 24).sha256, 24, 5, 0, "alice")]
    entry = importer.history()[0]
    assert (entry.id, entry.action, entry.who, entry.file_name, entry.rows_accepted, entry.session) == (
        1, "import", "alice", "第24届名单.csv", 5, 24)
    assert entry.at and entry.sha256 == log[0][2]


def test_ui_passes_the_administrator(db_copy, tmp_path):
    importer.apply(importer.validate(sample_list(tmp_path), 24), who="王管理员")
    assert query(db_copy, "SELECT imported_by FROM import_log") == [("王管理员",)]
    assert importer.history()[0].who == "王管理员"


def test_restore_brings_back_the_state_before_an_import(db_copy, tmp_path, capsys):
    before = file_state(db_copy)
    assert cli.main(["import", str(sample_list(tmp_path)), "--session", "24"]) == 0
    after_import = file_state(db_copy)
    capsys.readouterr()
    assert cli.main(["history"]) == 0
    listed = capsys.readouterr().out
    assert "#1" in listed and "第24届名单.csv" in listed and "[undo 1]" in listed

    assert cli.main(["restore", "1"]) == 0
    assert "logged as #2" in capsys.readouterr().out
    assert file_state(db_copy)[1] == before[1]  # every table as before the import
    assert query(db_copy, "SELECT count(*) FROM sessions WHERE session_no = 24") == [(0,)]
    entries = importer.history()
    assert [(e.id, e.action, e.restores) for e in entries] == [(2, "restore", 1), (1, "import", None)]

    importer.restore(2, who="tester")  # undoing the undo brings the import back
    assert file_state(db_copy)[1] == after_import[1]
    assert importer.history()[0].who == "tester"


def test_import_ids_stay_unique_after_a_restore(db_copy, tmp_path):
    importer.apply(importer.validate(sample_list(tmp_path), 24))
    importer.restore(1)
    result = importer.apply(importer.validate(sample_list(tmp_path), 24))
    assert result.import_id == 3
    assert [e.id for e in importer.history()] == [3, 2, 1]


def test_only_the_newest_copies_are_kept(db_copy, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("RECORDS_KEEP", "2")
    for session in (24, 25, 26):
        importer.apply(importer.validate(sample_list(tmp_path), session))
    kept = sorted(p.name for p in undo.folder(db_copy).glob("*.duckdb"))
    assert kept == ["before-2.duckdb", "before-3.duckdb"]
    assert [e.undoable for e in importer.history()] == [True, True, False]
    capsys.readouterr()
    assert cli.main(["restore", "1"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("error: the copy from before #1 is no longer kept") and len(err.splitlines()) == 1
    assert cli.main(["restore", "99"]) == 1
    assert "no import, undo or restore #99" in capsys.readouterr().err


def test_second_writer_waits_and_neither_write_is_lost(db_copy, tmp_path):
    first_inside = threading.Event()
    second_copied = threading.Event()
    results: dict[int, object] = {}

    def first_progress(step):
        if step.key == "log":  # the first import has its copy and holds it open while the second starts
            first_inside.set()
            second_copied.wait(timeout=2)  # without the lock the second copies the old file meanwhile

    def second_progress(step):
        if step.key == "copy":
            second_copied.set()

    def run(session: int, progress) -> None:
        report = importer.validate(write_csv(tmp_path / f"s{session}.csv", HEADER_ZH, SAMPLE), session)
        if session == 25:
            first_inside.wait(timeout=30)
        results[session] = importer.apply(report, progress=progress)

    threads = [threading.Thread(target=run, args=(24, first_progress)),
               threading.Thread(target=run, args=(25, second_progress))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert sorted(results) == [24, 25]
    assert query(db_copy, "SELECT session_no, count(*) FROM records WHERE session_no >= 24 GROUP BY 1 ORDER BY 1"
                 ) == [(24, 5), (25, 5)]
    assert query(db_copy, "SELECT list(import_id ORDER BY import_id) FROM import_log") == [([1, 2],)]


HOLD_LOCK = """
import sys, time
from pathlib import Path
from core.importer import undo
with undo.writer_lock(Path(sys.argv[1])):
    print("locked", flush=True)
    sys.stdin.readline()
"""


def test_writer_in_another_process_makes_the_import_refuse_clearly(db_copy, tmp_path, capsys, monkeypatch):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_copy)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    try:
        assert holder.stdout.readline().strip() == "locked"
        monkeypatch.setenv("RECORDS_LOCK_WAIT", "0.3")
        before = file_state(db_copy)
        assert cli.main(["import", str(sample_list(tmp_path)), "--session", "24"]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1
        assert f"is being written by process {holder.pid}" in err and "nothing was changed" in err
        assert file_state(db_copy) == before
    finally:
        holder.communicate("\n", timeout=30)
    assert cli.main(["import", str(sample_list(tmp_path)), "--session", "24"]) == 0  # free again


def hold_lock(db_path: Path) -> subprocess.Popen:
    """Another process (an import, say) holding the writer lock until it reads a line."""
    holder = subprocess.Popen([sys.executable, "-c", HOLD_LOCK, str(db_path)], cwd=ROOT, stdin=subprocess.PIPE,
                              stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    return holder


def test_build_refuses_while_another_writer_holds_the_lock(db_copy, capsys, monkeypatch):
    holder = hold_lock(db_copy)
    try:
        monkeypatch.setenv("RECORDS_LOCK_WAIT", "0.3")
        before = file_state(db_copy)
        assert cli.main(["build", "--db", str(db_copy)]) == 1
        err = capsys.readouterr().err
        assert len(err.strip().splitlines()) == 1 and err.startswith("error: ")
        assert f"is being written by process {holder.pid}" in err and "nothing was changed" in err
        assert file_state(db_copy) == before
        assert [p.name for p in db_copy.parent.iterdir() if ".tmp-" in p.name] == []
    finally:
        holder.communicate("\n", timeout=30)


def test_build_waits_for_the_writer_before_it(db_copy, capsys, monkeypatch):
    from core import writelock

    holder = hold_lock(db_copy)
    inode = db_copy.stat().st_ino
    waited = []

    def sleep(seconds):  # the build found the lock taken: the other writer finishes now
        waited.append(seconds)
        if len(waited) == 1:  # (Popen.wait with a timeout would sleep too: block instead)
            holder.stdin.write("\n")
            holder.stdin.close()
            holder.wait()
            holder.stdout.close()

    monkeypatch.setattr(writelock.time, "sleep", sleep)
    try:
        assert cli.main(["build", "--db", str(db_copy)]) == 0
    finally:
        if holder.poll() is None:  # the build did not wait: do not leave the holder behind
            holder.kill()
            holder.wait()
    assert waited and holder.returncode == 0
    assert capsys.readouterr().out.startswith(f"built {db_copy}")
    assert db_copy.stat().st_ino != inode  # a new file was swapped in after the other writer finished


def test_leftovers_of_an_interrupted_import_are_removed(db_copy, tmp_path):
    orphans = [db_copy.with_name(f"{db_copy.name}.import-4242-1"), db_copy.with_name(f"{db_copy.name}.restore-1-2"),
               undo.folder(db_copy) / "before-7.duckdb.partial"]
    undo.folder(db_copy).mkdir()
    for path in orphans:
        path.write_bytes(b"half a database")
    importer.apply(importer.validate(sample_list(tmp_path), 24))
    assert [p for p in orphans if p.exists()] == []
    left = sorted(p.name for p in db_copy.parent.iterdir() if p.name.startswith(db_copy.name))
    assert left == [db_copy.name, f"{db_copy.name}.history", f"{db_copy.name}.lock"]


@pytest.mark.usefixtures("entry_mode")
def test_upload_is_checked_without_a_copy_on_disk(db_copy, tmp_path, monkeypatch):
    from tests.test_pages import _upload_and_check, open_page

    spool = tmp_path / "spool"
    spool.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(spool))
    at = _upload_and_check(open_page("import"), "第24届名单.csv", sample_list(tmp_path).read_bytes(), 24)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert list(spool.iterdir()) == []
    report = importer.validate("第24届名单.csv", 24, data=sample_list(tmp_path).read_bytes())
    assert report.ok and not Path("第24届名单.csv").exists()
    assert importer.apply(report).records_added == 5  # the stale check re-reads the bytes, not a path


@pytest.mark.usefixtures("entry_mode")
def test_import_page_lists_history_and_undoes(db_copy, tmp_path):
    from core.i18n import t
    from tests.test_pages import open_page

    importer.apply(importer.validate(sample_list(tmp_path), 24), who="王管理员")
    at = open_page("import")
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[-1].value
    assert list(table[t("import.history.who", "zh")]) == ["王管理员"]
    at.button(key="import_undo").click().run()  # says what it will do (tests/test_undo.py), then does it
    at.button(key="import_undo_confirm").click().run()
    assert not at.exception, [e.message for e in at.exception]
    assert at.success and t("import.undo.done", "zh", id=1, new=2) == at.success[0].value
    # through core.db, which reopens a swapped file (a plain connect would share the page's open instance)
    assert db.scalar("SELECT count(*) FROM sessions WHERE session_no = 24") == 0


def test_restore_repairs_a_damaged_database(db_copy, tmp_path):
    before = file_state(db_copy)[1]
    importer.apply(importer.validate(sample_list(tmp_path), 24))
    db_copy.write_bytes(b"\0" * 4096)  # damaged while serving: restoring is how to get back
    entry = importer.restore(1)
    assert (entry.id, entry.build_before) == (2, None)
    assert file_state(db_copy)[1] == before


def test_restore_of_a_copy_kept_by_an_older_version_brings_it_up_to_date(db_copy, tmp_path):
    # the copy kept before import #1, as a version without the derived tables and their macro wrote it
    importer.apply(importer.validate(sample_list(tmp_path), 24))
    with duckdb.connect(str(undo.backup_path(db_copy, 1))) as con:
        con.execute("DROP TABLE session_companies")
        con.execute("DROP MACRO count_pairs")
    importer.restore(1)
    counted = db.run("records_per_session", session_from=23, session_to=23, districts=[], industries=[])
    assert counted[["records", "companies"]].values.tolist() == [[216, 159]]  # the published figures


def test_build_keep_imports_refreshes_a_database_that_holds_imports(db_copy, tmp_path, capsys):
    # `make run` / `make serve` rebuild when data/ changes (a new version): imported lists must survive it
    importer.apply(importer.validate(sample_list(tmp_path), 24))
    with duckdb.connect(str(db_copy)) as con:
        con.execute("DROP TABLE session_companies")  # as a version before the derived tables left it
    assert cli.main(["build", "--db", str(db_copy), "--keep-imports"]) == 0
    assert "kept" in capsys.readouterr().out
    assert query(db_copy, "SELECT count(*) FROM records WHERE session_no = 24") == [(5,)]
    assert query(db_copy, "SELECT sum(records) FROM session_companies WHERE session_no = 24") == [(5,)]
    assert cli.main(["build", "--db", str(db_copy)]) == 0  # asked for by name: back to the demo data
    assert query(db_copy, "SELECT count(*) FROM records WHERE session_no = 24") == [(0,)]


def test_build_keep_imports_still_rebuilds_a_demo_database(db_copy, capsys):
    assert cli.main(["build", "--db", str(db_copy), "--keep-imports"]) == 0
    assert capsys.readouterr().out.startswith("built ")
