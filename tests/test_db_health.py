"""A real server's history (issue 33): imports one after another, the same session twice, an undo and its undo,
five imports at once from five processes. After every step the health check, a command-line export and the
dashboard must find the database sound and every imported record there (counted by plain SQL). The same
checks on real damage (a file cut short at several points, garbage written over it) must say "damaged" and
show the fault page, whose advice puts the restore (keeps imports) before the rebuild (drops them).
"""

from __future__ import annotations

import csv
import io
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from core import cli, config, db, importer
from core.i18n import t
from tests.test_faults import app
from tests.test_importer import HEADER_ZH, SAMPLE, query, write_csv

ROOT = Path(__file__).resolve().parent.parent
HEADER = 3 * 4096  # DuckDB's file headers before the first block


def per_session(path: Path) -> dict[int, int]:
    return dict(query(path, "SELECT session_no, count(*) FROM records GROUP BY 1"))


def exported_counts(out: Path, session: int) -> dict[int, int]:
    """Records per session from the command line's CSV export of records_per_session (the chart's data)."""
    assert cli.main(["export", "records_per_session", "--session", str(session), "--format", "csv",
                     "--out", str(out), "--force"]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    table = list(csv.reader(io.StringIO("\n".join(lines[lines.index(next(x for x in lines
                                                                          if x.startswith("届次,"))):]))))
    column = table[0].index("纪录数")
    return {int(row[0]): int(row[column]) for row in table[1:] if row and row[column]}


def assert_sound(path: Path, expected: dict[int, int], session: int, out: Path) -> None:
    """Sound for the health check, the command line and the dashboard, with exactly the expected records."""
    assert db.health() is None
    assert per_session(path) == expected
    assert exported_counts(out, session) == expected
    at = app({"session": str(session)})
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == t("pages.overview.title", "zh"), [e.value for e in at.error]


def assert_damaged(path: Path, out: Path) -> None:
    """Damaged for the health check, the command line (one line naming the file) and the dashboard."""
    assert db.health() == "damaged"
    assert cli.main(["export", "records_per_session", "--session", "23", "--format", "csv",
                     "--out", str(out), "--force"]) == 1
    at = app()
    assert not at.exception, [e.message for e in at.exception]
    assert at.title[0].value == t("fault.title", "zh")
    assert [e.value for e in at.error] == [t("fault.damaged", "zh")]


def sample(tmp_path: Path, session: int, n: int = 0) -> Path:
    return write_csv(tmp_path / f"第{session}届名单-{n}.csv", HEADER_ZH, SAMPLE)


def test_imports_in_a_row_the_same_session_twice_and_undo_never_look_damaged(db_copy, tmp_path, capsys):
    out = tmp_path / "records.csv"
    expected = per_session(db_copy)
    assert_sound(db_copy, expected, 23, out)
    states = []
    for n, session in enumerate([24, 24, *range(25, 34)], start=1):  # the same session twice on a fresh file
        states.append(dict(expected))
        importer.apply(importer.validate(sample(tmp_path, session, n), session))
        expected[session] = len(SAMPLE)
        assert_sound(db_copy, expected, session, out)
    last = importer.history()[0].id
    importer.restore(last)  # undo the last import: the state before it comes back
    assert_sound(db_copy, states[-1], 32, out)
    importer.restore(last + 1)  # undo the undo
    assert_sound(db_copy, expected, 33, out)
    for copy in sorted(importer.undo.folder(db_copy).glob("before-*.duckdb")):  # the copies kept for undo
        with config.database(copy):
            assert db.health() is None, copy.name
    capsys.readouterr()


FIVE = [34, 35, 36, 37, 38]


def test_five_imports_at_once_from_five_processes(db_copy, tmp_path):
    out = tmp_path / "records.csv"
    expected = per_session(db_copy)
    env = {**os.environ, "RECORDS_DEBUG": "", "RECORDS_LOCK_WAIT": "300"}
    procs = [subprocess.Popen([sys.executable, "-m", "core.cli", "import", str(sample(tmp_path, s)), "--session",
                               str(s), "--db", str(db_copy)], cwd=ROOT, env=env, text=True,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for s in FIVE]
    seen = set()
    while any(p.poll() is None for p in procs):  # a reader meanwhile sees one sound version after another
        assert db.health() is None
        seen.add(db_copy.stat().st_ino)
        time.sleep(0.2)
    for p in procs:
        stdout, stderr = p.communicate(timeout=300)
        assert p.returncode == 0, stderr
    expected.update({s: len(SAMPLE) for s in FIVE})
    assert_sound(db_copy, expected, 38, out)
    assert query(db_copy, "SELECT list(session_no ORDER BY session_no) FROM import_log") == [(FIVE,)]
    assert len(seen) >= 2


def data_blocks(path: Path) -> tuple[int, list[int]]:
    """(block size, ids of the blocks that hold table data) of a sound database."""
    with duckdb.connect(str(path), read_only=True) as con:
        size = con.execute("SELECT block_size FROM pragma_database_size()").fetchone()[0]
        tables = [r[0] for r in con.execute("SELECT table_name FROM duckdb_tables() WHERE NOT internal "
                                            "AND database_name = current_database()").fetchall()]
        blocks = set()
        for table in tables:
            blocks |= {r[0] for r in con.execute("SELECT DISTINCT block_id FROM pragma_storage_info($t) "
                                                 "WHERE block_id >= 0", {"t": table}).fetchall()}
    return size, sorted(blocks)


@pytest.fixture(scope="module")
def imported_once(built_db, tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("imported")
    path = folder / "records.duckdb"
    shutil.copyfile(built_db, path)
    for session in (24, 25, 26):
        importer.apply(importer.validate(sample(folder, session), session, db=path))
    return path


@pytest.fixture
def imported(imported_once, db_copy) -> Path:
    """The demo copy after three imports (the third one was condemned by the file-length guess)."""
    shutil.copyfile(imported_once, db_copy)
    return db_copy


def cuts(path: Path) -> list[int]:
    """Lengths to cut the file to: inside its headers, its first block, and halfway through the first, the
    middle and the last block that hold table data (readers read every one of those)."""
    size, blocks = data_blocks(path)
    inside = [HEADER + b * size + size // 2 for b in (blocks[0], blocks[len(blocks) // 2], blocks[-1])]
    assert inside[-1] < path.stat().st_size
    return [4096, HEADER + 100, *inside]


def test_a_file_cut_short_anywhere_readers_read_is_damaged(imported, tmp_path):
    good = imported.read_bytes()
    for cut in cuts(imported):
        imported.write_bytes(good[:cut])
        assert_damaged(imported, tmp_path / "x.csv")
    imported.write_bytes(good)
    assert db.health() is None


@pytest.mark.parametrize("where", ["first", "middle", "last"])
def test_garbage_over_a_data_block_is_damaged(imported, tmp_path, where):
    size, blocks = data_blocks(imported)
    block = {"first": blocks[0], "middle": blocks[len(blocks) // 2], "last": blocks[-1]}[where]
    with open(imported, "r+b") as f:  # the length stays; DuckDB's block checksum no longer matches
        f.seek(HEADER + block * size + 64)
        f.write(os.urandom(4096))
    assert_damaged(imported, tmp_path / "x.csv")


def test_a_file_that_is_not_a_records_database_is_damaged(db_copy, tmp_path):
    db_copy.unlink()
    with duckdb.connect(str(db_copy)) as con:  # a DuckDB file, but not ours
        con.execute("CREATE TABLE sessions (session_no INTEGER)")
    assert_damaged(db_copy, tmp_path / "x.csv")
    shutil.copyfile(ROOT / "data" / "schema.sql", db_copy)
    assert_damaged(db_copy, tmp_path / "x.csv")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_advice_puts_the_restore_that_keeps_imports_before_the_rebuild_that_drops_them(db_copy, tmp_path,
                                                                                          lang, capsys):
    db_copy.write_bytes(db_copy.read_bytes()[: HEADER + 100])
    at = app({"lang": lang} if lang == "en" else {})
    advice = [m.value for m in at.markdown]
    restore, rebuild = t("fault_advice.restore", lang), t("fault_advice.rebuild", lang)
    assert advice.index(restore) < advice.index(rebuild)
    assert [c.value for c in at.code] == ["python -m core.cli history\npython -m core.cli restore ID",
                                          "python -m core.cli build"]
    keeps, loses = {"zh": ("保留", "丢失"), "en": ("keeps", "lost")}[lang]
    assert keeps in restore and loses in rebuild
    shown = " ".join(str(getattr(el, "value", "")) for el in at.main)
    assert str(db_copy.parent) not in shown
    capsys.readouterr()
    assert cli.main(["export", "records_per_session", "--session", "23", "--out", str(tmp_path / "x.csv"),
                     "--format", "csv"]) == 1
    err = capsys.readouterr().err
    assert err.index("restore ID") < err.index("core.cli build")
    assert "keeps the imports" in err and "drops every imported list" in err


def test_a_page_that_fails_on_a_sound_file_is_not_called_damaged(db_copy, monkeypatch):
    """A DuckDB error while a page draws (a query this version got wrong) on a file the check finds sound."""
    sound_run = db.run

    def run(name, **params):
        if name.endswith("_options") or name == "data_status":  # the sidebar is drawn before the page
            return sound_run(name, **params)
        raise duckdb.BinderException(f"{name}: a query this version got wrong")

    monkeypatch.setattr(db, "run", run)
    at = app({"session": "22"})  # a view no earlier test cached
    assert at.exception  # Streamlit's own error (its details hidden from readers), not a false "damaged"
    assert t("fault.title", "zh") not in [title.value for title in at.title]
