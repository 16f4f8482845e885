"""The write side of the importer, piece by piece and fast (the mutation group importer-write runs these): a
two-row list imported into a copy of the database, every table checked by plain SQL against literals; an
import that fails while writing changes nothing; the history journal, the kept copies and who-undid-what
replayed from small hand-written journals; an undo takes back exactly one import.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import duckdb
import pytest

from core import build as build_module
from core import importer, writelock
from core.importer import session_undo, undo, writing
from core.importer.undo import HistoryEntry
from tests.test_importer import HEADER_ZH, file_state, query, write_csv

CODE = "91440300MA5DC6QX9C"  # a valid credit code no demo company has
HEADER = [*HEADER_ZH, "企业英文名称", "项目英文名称"]
TWO = [[1, "深圳市喆堃科技有限公司", CODE, "超高清柔性显示模组", "南山区", "C39", "产品研发", "国家级", "Zhekun Tech",
        "Flexible display module"],
       [2, "深圳市镕达软件股份有限公司", "", "工业互联网平台", "龙华区", "互联网和相关服务", "现代服务", "市级",
        "", ""]]


def two_rows(tmp_path: Path, name: str = "two.csv", rows: list[list] = TWO) -> Path:
    return write_csv(tmp_path / name, HEADER, rows)


def import_two(tmp_path: Path, session: int, name: str = "two.csv", rows: list[list] = TWO, who: str = "tester"):
    return importer.apply(importer.validate(two_rows(tmp_path, name, rows), session), who=who)


def journal_lines(db: Path) -> list[dict]:
    path = db.with_name(db.name + ".history") / "history.jsonl"
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()] if path.exists() else []


def beside(db: Path) -> list[str]:
    """Every file next to the database and in its history folder (temporary files must not stay)."""
    names = [p.name for p in db.parent.iterdir() if p.name.startswith(db.name) and p.name != db.name + ".lock"]
    history = db.with_name(db.name + ".history")
    return sorted(names + ([f"history/{p.name}" for p in history.iterdir()] if history.is_dir() else []))


def leftovers_after(monkeypatch, db: Path, *calls: tuple) -> list[tuple[str, list[str]]]:
    """Each call of the file functions `calls` ((module, name): shutil.copyfile, os.link) recorded with what the
    next writer's clean-up would find right after it: (the file written, the leftovers beside `db`)."""
    seen = []

    def watching(real):
        def watched(source, target):
            real(source, target)
            seen.append((Path(target).name, sorted(p.name for p in writelock.leftovers(db))))
        return watched

    for module, name in calls:
        monkeypatch.setattr(module, name, watching(getattr(module, name)))
    return seen


# ---- an import, table by table ----

def test_a_new_session_gets_exactly_the_lists_rows(built_db, db_copy, tmp_path):
    build_before = query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'")[0][0]
    result = import_two(tmp_path, 24)
    assert (result.session, result.import_id, result.records_added, result.records_replaced,
            result.companies_added, result.db_path) == (24, 1, 2, 0, 2, db_copy)
    records = query(db_copy, "SELECT record_id, session_no, company_id LIKE 'NAME-%', project_name_zh, "
                             "project_name_en, category, industry_code, industry_raw, district_code, district_raw, "
                             "award_level, source FROM records WHERE session_no = 24 ORDER BY record_id")
    assert records == [
        ("R24-I0001", 24, False, "超高清柔性显示模组", "Flexible display module", "product_rd", "C39", "C39", "440305",
         "南山区", "national", "import:two.csv"),
        ("R24-I0002", 24, True, "工业互联网平台", None, "modern_service", "I64", "互联网和相关服务", "440309", "龙华区",
         "municipal", "import:two.csv")]
    assert query(db_copy, "SELECT company_id FROM records WHERE record_id = 'R24-I0001'") == [(CODE,)]
    assert query(db_copy, "SELECT a.application_id, a.session_no, a.company_id = r.company_id, a.project_name_zh, "
                          "a.industry_code, a.industry_raw, a.source FROM applications a JOIN records r "
                          "USING (record_id) WHERE a.session_no = 24 ORDER BY 1") == [
        ("A24-I0001", 24, True, "超高清柔性显示模组", "C39", "C39", "import:two.csv"),
        ("A24-I0002", 24, True, "工业互联网平台", "I64", "互联网和相关服务", "import:two.csv")]
    assert query(db_copy, "SELECT count(*) FROM company_profiles WHERE session_no = 24") == [(0,)]
    assert query(db_copy, "SELECT name_zh, name_en, district_code, source FROM companies WHERE company_id IN "
                          "(SELECT company_id FROM records WHERE session_no = 24) ORDER BY district_code") == [
        ("深圳市喆堃科技有限公司", "Zhekun Tech", "440305", "import:two.csv"),
        ("深圳市镕达软件股份有限公司", None, "440309", "import:two.csv")]
    assert query(db_copy, "SELECT session_no, year, name_zh, name_en, name_attested FROM sessions "
                          "WHERE session_no = 24") == [
        (24, 2025, "第二十四届深圳企业创新纪录", "24th Shenzhen Enterprise Innovation Records", False)]
    log = query(db_copy, "SELECT import_id, file_name, session_no, rows_accepted, rows_rejected, imported_by, "
                         "length(sha256) FROM import_log")
    assert log == [(1, "two.csv", 24, 2, 0, "tester", 64)]
    build_after = query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'")[0][0]
    assert build_after == result.build_id and build_after != build_before
    # every other session and every other table row is as built
    for table in ("records", "applications", "company_profiles", "sessions"):
        other = f"SELECT * FROM {table} WHERE session_no <> 24 ORDER BY ALL"
        assert query(db_copy, other) == query(built_db, other), table
    assert query(db_copy, "SELECT count(*) FROM companies") == [(query(built_db, "SELECT count(*) FROM companies"
                                                                       )[0][0] + 2,)]
    [line] = journal_lines(db_copy)
    assert {k: line[k] for k in ("id", "action", "who", "session", "file_name", "rows_accepted", "rows_rejected",
                                 "build_after")} == {
        "id": 1, "action": "import", "who": "tester", "session": 24, "file_name": "two.csv", "rows_accepted": 2,
        "rows_rejected": 0, "build_after": build_after}
    assert line["build_before"] == build_before and line["sha256"] == query(db_copy, "SELECT sha256 FROM import_log"
                                                                             )[0][0]
    assert "undoable" not in line and "undone_by" not in line
    assert query(db_copy, "SELECT imported_at::VARCHAR FROM import_log")[0][0] == line["at"].replace("T", " ")
    # the database as it was is kept for the undo; nothing temporary is left
    assert file_state(undo.backup_path(db_copy, 1))[1] == file_state(built_db)[1]
    assert beside(db_copy) == ["history/before-1.duckdb", "history/history.jsonl", "records.duckdb",
                               "records.duckdb.history"]


def test_a_demo_session_is_replaced_and_its_orphaned_companies_go(built_db, db_copy, tmp_path):
    demo = query(built_db, "SELECT count(*) FROM records WHERE session_no = 23")[0][0]
    only_23 = ("SELECT count(*) FROM companies c WHERE NOT EXISTS (SELECT 1 FROM records r WHERE r.company_id = "
               "c.company_id AND r.session_no <> 23) AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.company_id "
               "= c.company_id AND a.session_no <> 23) AND NOT EXISTS (SELECT 1 FROM company_profiles p WHERE "
               "p.company_id = c.company_id AND p.session_no <> 23)")
    gone = query(built_db, only_23)[0][0]
    assert gone > 0
    companies = query(built_db, "SELECT count(*) FROM companies")[0][0]
    result = import_two(tmp_path, 23)
    assert (result.records_added, result.records_replaced, result.companies_added) == (2, demo, 2)
    for table in ("records", "applications"):
        assert query(db_copy, f"SELECT count(*), min(source), max(source) FROM {table} WHERE session_no = 23") == [
            (2, "import:two.csv", "import:two.csv")], table
    assert query(db_copy, "SELECT count(*) FROM company_profiles WHERE session_no = 23") == [(0,)]
    assert query(db_copy, "SELECT count(*) FROM sessions WHERE session_no = 23") == [(1,)]
    assert query(db_copy, "SELECT count(*) FROM companies") == [(companies - gone + 2,)]
    assert query(db_copy, "SELECT count(*) FROM companies c WHERE NOT EXISTS (SELECT 1 FROM records r WHERE "
                          "r.company_id = c.company_id) AND NOT EXISTS (SELECT 1 FROM applications a WHERE "
                          "a.company_id = c.company_id) AND NOT EXISTS (SELECT 1 FROM company_profiles p WHERE "
                          "p.company_id = c.company_id)") == [(0,)]


def test_an_imported_company_keeps_its_names_and_a_demo_one_takes_the_lists(db_copy, tmp_path):
    with duckdb.connect(str(db_copy)) as con:
        con.execute("INSERT INTO companies VALUES ('91440300MA5DC6QX9C', '旧名称公司', 'Old Name', '440304', 'demo')")
        con.execute("INSERT INTO records (record_id, session_no, company_id, project_name_zh, district_raw, source) "
                    "VALUES ('R10-X', 10, '91440300MA5DC6QX9C', '旧项目', '福田区', 'demo')")
    company = f"SELECT name_zh, name_en, district_code, source FROM companies WHERE company_id = '{CODE}'"
    first = import_two(tmp_path, 24, "a.csv")
    assert first.companies_added == 1  # the other company is new, this one was there
    assert query(db_copy, company) == [("深圳市喆堃科技有限公司", "Zhekun Tech", "440304", "import:a.csv")]
    renamed = [[1, "深圳市喆堃新名称有限公司", CODE, "另一个项目", "南山区", "C39", "产品研发", "", "New Name", ""]]
    second = import_two(tmp_path, 25, "b.csv", renamed)
    assert second.companies_added == 0
    # the journal keeps what the renamed demo company had, for an undo once no import lists it
    assert [line["renamed"] for line in journal_lines(db_copy)] == [{CODE: ["旧名称公司", "Old Name", "demo"]}, None]
    assert query(db_copy, company) == [("深圳市喆堃科技有限公司", "Zhekun Tech", "440304", "import:a.csv")]
    importer.undo_entry(1)  # session 25's standing import lists the company: its names stay
    assert query(db_copy, company) == [("深圳市喆堃科技有限公司", "Zhekun Tech", "440304", "import:a.csv")]
    importer.undo_entry(3)  # #1 stands again
    importer.undo_entry(2)  # the copy from before #2 has #1's names
    assert query(db_copy, company) == [("深圳市喆堃科技有限公司", "Zhekun Tech", "440304", "import:a.csv")]
    importer.undo_entry(1)  # no other import lists it now: the demo names come back
    assert query(db_copy, company) == [("旧名称公司", "Old Name", "440304", "demo")]


# ---- a write that fails changes nothing ----

@pytest.mark.parametrize("where", ["stamp", "replace", "copy"])
def test_a_failed_write_changes_nothing(db_copy, tmp_path, monkeypatch, where):
    report = importer.validate(two_rows(tmp_path), 24)
    before = file_state(db_copy)

    def fail(*args, **kwargs):
        raise (duckdb.IOException("disk full") if where == "stamp" else OSError(28, "No space left on device"))

    target = {"stamp": (build_module, "stamp"), "replace": (writing.os, "replace"),
              "copy": (writing.shutil, "copyfile")}[where]
    monkeypatch.setattr(*target, fail)
    with pytest.raises(importer.WriteFailed) as raised:
        importer.apply(report)
    reason = "disk full" if where == "stamp" else "[Errno 28] No space left on device"
    assert str(raised.value) == (f"the import of two.csv failed while writing the database {db_copy} ({reason}); "
                                 "nothing was imported and records.duckdb is unchanged")
    assert (raised.value.file_name, type(raised.value.cause).__name__) == (
        "two.csv", "IOException" if where == "stamp" else "OSError")
    monkeypatch.undo()
    assert file_state(db_copy) == before
    assert journal_lines(db_copy) == []
    assert [n for n in beside(db_copy) if not n.startswith("history/before-")] in (
        ["records.duckdb"], ["records.duckdb", "records.duckdb.history"])


def test_a_leftover_write_ahead_log_or_a_rejected_list_changes_nothing(db_copy, tmp_path):
    report = importer.validate(two_rows(tmp_path), 24)
    before = file_state(db_copy)
    wal = Path(f"{db_copy}.wal")
    wal.write_bytes(b"")
    with pytest.raises(RuntimeError) as raised:
        importer.apply(report)
    assert str(raised.value) == (f"{db_copy} has an unfinished write-ahead log ({db_copy}.wal): another process is "
                                 "writing to it or crashed while writing; rebuild or retry later")
    wal.unlink()
    bad = importer.validate(two_rows(tmp_path, "bad.csv", [TWO[0][:4] + ["火星区"] + TWO[0][5:]]), 24)
    with pytest.raises(importer.ImportRejected):
        importer.apply(bad)
    assert file_state(db_copy) == before and journal_lines(db_copy) == []
    assert beside(db_copy) == ["records.duckdb"]


def test_a_report_is_checked_again_only_when_the_file_or_database_changed(db_copy, tmp_path, monkeypatch):
    path = two_rows(tmp_path)
    report = importer.validate(path, 24)
    assert writing.validate_again_if_stale(report) is report
    uploaded = importer.validate("upload.csv", 24, data=path.read_bytes())
    assert writing.validate_again_if_stale(uploaded) is uploaded
    path.write_bytes(path.read_bytes() + "3,深圳市新公司有限公司,,新项目,福田区,C39,产品研发,\r\n".encode())
    fresh = writing.validate_again_if_stale(report)
    assert fresh is not report and len(fresh.rows) == 3
    path.unlink()
    assert writing.validate_again_if_stale(report) is not report  # unreadable now: checked again, not trusted
    import_two(tmp_path, 25, "other.csv")  # the database changed: checked again against it, not RECORDS_DB's
    monkeypatch.setenv("RECORDS_DB", str(tmp_path / "elsewhere.duckdb"))
    again = writing.validate_again_if_stale(uploaded)
    assert again is not uploaded and again.ok and len(again.rows) == 2 and again.db_path == db_copy


# ---- names ----

@pytest.mark.parametrize(("n", "zh"), [
    (0, "零"), (9, "九"), (19, "十九"), (20, "二十"), (99, "九十九"), (101, "一百零一"), (109, "一百零九"),
    (110, "一百一十"), (119, "一百一十九"), (120, "一百二十"), (199, "一百九十九"), (200, "二百"), (999, "九百九十九"),
])
def test_chinese_numbers(n, zh):
    assert writing.chinese_number(n) == zh


def test_a_new_sessions_row():
    assert writing.session_row(30) == {
        "session_no": 30, "year": 2031, "name_zh": "第三十届深圳企业创新纪录",
        "name_en": "30th Shenzhen Enterprise Innovation Records", "programme_name_zh": "深圳企业创新纪录",
        "name_attested": False, "note_zh": "由导入的官方名单创建", "note_en": "Created by importing an official list"}


def test_file_names_beside_the_database(tmp_path):
    db = tmp_path / "records.duckdb"
    assert undo.folder(db) == tmp_path / "records.duckdb.history"
    assert undo.backup_path(db, 7) == tmp_path / "records.duckdb.history" / "before-7.duckdb"
    name = undo.temp_path(db, "import").name
    assert name.startswith(f"records.duckdb.import-{__import__('os').getpid()}-")
    assert name.split("-")[-1].isdigit()


# ---- kept copies and the journal ----

@pytest.mark.parametrize(("setting", "keep"), [(None, 10), ("3", 3), ("0", 0), ("-2", 0), ("many", 10)])
def test_keep_count(monkeypatch, setting, keep):
    if setting is None:
        monkeypatch.delenv("RECORDS_KEEP", raising=False)
    else:
        monkeypatch.setenv("RECORDS_KEEP", setting)
    assert undo.keep_count() == keep


def swap_in(db: Path, text: str) -> None:
    """A new file swapped in, as writers do (a kept copy is a hard link to the replaced one)."""
    db.with_name("new").write_text(text)
    db.with_name("new").replace(db)


def test_only_the_newest_copies_are_kept_by_number(tmp_path, monkeypatch):
    db = tmp_path / "records.duckdb"
    db.write_text("state 1")
    monkeypatch.setenv("RECORDS_KEEP", "2")
    for entry_id in (8, 9, 10):  # 10 sorts before 9 as text
        undo.keep_copy(db, entry_id)
        swap_in(db, f"state {entry_id}")
    kept = sorted(p.name for p in undo.folder(db).iterdir())
    assert kept == ["before-10.duckdb", "before-9.duckdb"]
    assert undo.backup_path(db, 10).read_text() == "state 9"
    undo.keep_copy(db, 11)
    assert sorted(p.name for p in undo.folder(db).iterdir()) == ["before-10.duckdb", "before-11.duckdb"]
    monkeypatch.setenv("RECORDS_KEEP", "0")
    undo.keep_copy(db, 12)  # keeping none removes the old ones too
    assert list(undo.folder(db).iterdir()) == []
    assert db.read_text() == "state 10"


def test_a_kept_copy_is_a_copy_where_hard_links_fail(tmp_path, monkeypatch):
    db = tmp_path / "records.duckdb"
    db.write_text("state")

    def no_links(*args):
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(undo.os, "link", no_links)
    undo.keep_copy(db, 1)
    assert undo.backup_path(db, 1).read_text() == "state"
    assert sorted(p.name for p in undo.folder(db).iterdir()) == ["before-1.duckdb"]


def test_the_journal_round_trips_and_skips_blank_lines(tmp_path):
    db = tmp_path / "records.duckdb"
    assert undo.journal(db) == []
    first = HistoryEntry(id=1, action="import", at="2026-12-06T01:02:03", who="王", session=24, file_name="名单.csv",
                         rows_accepted=2, rows_rejected=1, undoable=True, undone_by=5)
    undo.record(db, first)
    with open(undo.folder(db) / "history.jsonl", "a", encoding="utf-8") as f:
        f.write("\n   \n")
    undo.record(db, HistoryEntry(id=2, action="restore", at="2026-12-06T01:02:04", who="b", session=24, restores=1,
                                 lost=[1]))
    text = (undo.folder(db) / "history.jsonl").read_text(encoding="utf-8")
    assert '"who": "王"' in text and '"file_name": "名单.csv"' in text  # readable, not \u escapes
    assert "undoable" not in text and "undone_by" not in text
    entries = undo.journal(db)
    assert [(e.id, e.action, e.who, e.file_name, e.rows_rejected, e.restores, e.lost, e.undoable, e.undone_by)
            for e in entries] == [(1, "import", "王", "名单.csv", 1, None, None, False, None),
                                  (2, "restore", "b", None, None, 1, [1], False, None)]


def entry(id: int, action: str = "import", session: int | None = 24, **more) -> HistoryEntry:  # noqa: A002
    return HistoryEntry(id=id, action=action, at="2026-12-06T00:00:00", who="x", session=session, **more)


@pytest.mark.parametrize(("entries", "status"), [
    ([], {}),
    ([entry(1), entry(2, session=25)], {1: None, 2: None}),
    ([entry(1), entry(2, "undo", undoes=1)], {1: 2, 2: None}),
    ([entry(1), entry(2, "undo", undoes=1), entry(3, "undo", undoes=2)], {1: None, 2: 3, 3: None}),
    ([entry(1), entry(2, "undo", undoes=None)], {1: None, 2: None}),
    ([entry(1), entry(2, session=25), entry(3, "restore", restores=2)], {1: None, 2: 3, 3: None}),
    ([entry(1), entry(2, session=25), entry(3, "restore", restores=1)], {1: 3, 2: 3, 3: None}),
    # a restore to before #1 after #1 was undone: #1 keeps its undo, #2 goes with the restore
    ([entry(1), entry(2, "undo", undoes=1), entry(3, session=25), entry(4, "restore", restores=1)],
     {1: 2, 2: 4, 3: 4, 4: None}),
    # restoring to before the restore #3 brings back who stood before #3
    ([entry(1), entry(2, session=25), entry(3, "restore", restores=1), entry(4, "restore", restores=3)],
     {1: None, 2: None, 3: 4, 4: None}),
    ([entry(1), entry(2, "restore", restores=None)], {1: None, 2: None}),
    # an undo of an entry the journal does not hold (cut short by hand)
    ([entry(2), entry(3, "undo", undoes=1)], {1: 3, 2: None, 3: None}),
    # journal order does not matter, ids do
    ([entry(2, "undo", undoes=1), entry(1)], {1: 2, 2: None}),
    # a restore to before an id the journal lacks: the earlier entries keep their state
    ([entry(1), entry(3), entry(4, "restore", restores=2)], {1: None, 3: 4, 4: None}),
    # a restore to before #3: #1, undone by #2 before #3, stays undone
    ([entry(1), entry(2, "undo", undoes=1), entry(3, session=25), entry(4, "restore", restores=3)],
     {1: 2, 2: None, 3: 4, 4: None}),
])
def test_who_undid_what(entries, status):
    assert undo.undone_by(entries) == status


def test_history_is_newest_first_and_undoable_only_where_a_copy_is_kept(tmp_path):
    db = tmp_path / "records.duckdb"
    for e in (entry(1), entry(2, session=25), entry(3, "undo", undoes=1)):
        undo.record(db, e)
    for kept in (1, 2):
        undo.backup_path(db, kept).write_text("copy")
    assert [(e.id, e.undone_by, e.undoable) for e in undo.history(db)] == [
        (3, None, False), (2, None, True), (1, 3, False)]
    assert [e.id for e in undo.restore_losses(1, db)] == [2, 3]
    assert [e.id for e in undo.restore_losses(2, db)] == [3]
    assert undo.restore_losses(3, db) == []
    assert undo.find(db, 2).id == 2
    with pytest.raises(undo.HistoryError) as unknown:
        undo.find(db, 9)
    assert str(unknown.value) == ("no import, undo or restore #9 in the history of records.duckdb "
                                  "(python -m core.cli history lists them)")
    with pytest.raises(undo.HistoryError) as gone:
        undo.find(db, 3)
    assert str(gone.value) == "the copy from before #3 is no longer kept (the newest 10 are kept, RECORDS_KEEP)"


def test_next_ids_follow_the_journal_and_the_import_log(db_copy, tmp_path):
    assert undo.next_id(db_copy) == 1
    undo.record(db_copy, entry(4))
    assert undo.next_id(db_copy) == 5
    with duckdb.connect(str(db_copy)) as con:
        con.execute("INSERT INTO import_log VALUES (7, 'a.csv', 'x', 24, 1, 0, 'me', TIMESTAMP '2026-12-06')")
    assert undo.next_id(db_copy) == 8
    assert undo._current(db_copy) == (query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'")[0][0], 8)
    broken = tmp_path / "broken" / "records.duckdb"
    broken.parent.mkdir()
    broken.write_bytes(b"not a database")
    assert undo._current(broken) == (None, 1)
    undo.record(broken, entry(6))
    assert undo._current(broken) == (None, 7)
    with duckdb.connect(str(db_copy)) as con:
        con.execute("DELETE FROM meta WHERE key = 'build_id'")
    assert undo._current(db_copy) == (None, 5)


def test_describe():
    assert entry(5, file_name="a.csv").describe() == "import #5 (session 24, a.csv)"
    assert entry(6, "restore", session=None).describe() == "restore #6 (session None)"


# ---- taking back one import ----

def test_what_an_undo_says_and_who_stands_in_its_way():
    plan = session_undo.UndoPlan(entry(3), records_now=2, records_back=216, removes_session=False)
    assert plan.ok and plan.session == 24
    assert plan.summary() == ("undo #3: removes the 2 records of session 24 and brings back the 216 records "
                              "session 24 had before #3; every other session stays as it is")
    new = session_undo.UndoPlan(entry(3), records_now=2, records_back=0, removes_session=True,
                                blockers=[entry(5, file_name="b.csv"), entry(7, "undo", undoes=2)])
    assert not new.ok
    assert new.summary().endswith("removes session 24, which #3 created; every other session stays as it is")
    assert new.refusal() == ("cannot undo #3 alone: import #5 (session 24, b.csv) changed session 24 after #3; "
                             "undo #7 (session 24) changed session 24 after #3: undo #7 and #5 first; "
                             "nothing was changed")


def test_blockers_are_later_standing_changes_of_the_same_session():
    entries = [entry(1), entry(2, session=25), entry(3), entry(4, "undo", undoes=3), entry(5, "undo", undoes=1),
               entry(6, undone_by=7), entry(7, "undo", undoes=6), entry(8, "restore", restores=2)]
    assert [b.id for b in session_undo._blockers(entries[0], entries)] == [3, 5]
    assert [b.id for b in session_undo._blockers(entries[2], entries)] == [4, 5]
    assert [b.id for b in session_undo._blockers(entries[1], entries)] == []


def test_undo_takes_back_exactly_one_import(built_db, db_copy, tmp_path):
    import_two(tmp_path, 23, "a.csv")
    after_first = {t: query(db_copy, f"SELECT * FROM {t} WHERE session_no <> 23 ORDER BY ALL")
                   for t in ("records", "applications", "company_profiles", "sessions")}
    import_two(tmp_path, 24, "b.csv")
    plan = importer.undo_plan(1)
    assert (plan.records_now, plan.records_back, plan.removes_session, plan.ok) == (
        2, query(built_db, "SELECT count(*) FROM records WHERE session_no = 23")[0][0], False, True)
    assert importer.undo_plan(2).removes_session
    done = importer.undo_entry(1, who="撤销者")
    assert (done.id, done.action, done.undoes, done.session, done.who) == (3, "undo", 1, 23, "撤销者")
    for table in ("records", "applications", "company_profiles", "sessions", "import_log"):
        sql = f"SELECT * FROM {table} WHERE session_no = 23 ORDER BY ALL"
        assert query(db_copy, sql) == query(built_db, sql), table
    assert query(db_copy, "SELECT count(*), min(source) FROM records WHERE session_no = 24") == [(2, "import:b.csv")]
    assert query(db_copy, "SELECT list(import_id) FROM import_log") == [([2],)]
    for table, rows in after_first.items():  # sessions other than 23 as before the undo, except #2's
        sql = f"SELECT * FROM {table} WHERE session_no NOT IN (23, 24) ORDER BY ALL"
        assert query(db_copy, sql) == [r for r in rows if r[1 if table != "sessions" else 0] != 24], table
    companies = "SELECT * FROM companies WHERE source NOT LIKE 'import:%' ORDER BY ALL"
    assert query(db_copy, companies) == query(built_db, companies)
    assert query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'") == [(done.build_after,)]
    assert done.build_before != done.build_after
    assert undo.backup_path(db_copy, 3).is_file()
    assert [(e["id"], e["action"], e.get("undoes")) for e in journal_lines(db_copy)] == [
        (1, "import", None), (2, "import", None), (3, "undo", 1)]
    assert beside(db_copy) == ["history/before-1.duckdb", "history/before-2.duckdb", "history/before-3.duckdb",
                               "history/history.jsonl", "records.duckdb", "records.duckdb.history"]
    with pytest.raises(undo.HistoryError) as again:
        importer.undo_plan(1)
    assert str(again.value) == "#1 was already undone by #3"


def test_an_undo_of_a_new_session_removes_it_and_its_companies(built_db, db_copy, tmp_path):
    import_two(tmp_path, 24)
    importer.undo_entry(1)
    tables = {t: c for t, c in file_state(db_copy)[1].items() if t != "meta"}  # meta: a new build id
    assert tables == {t: c for t, c in file_state(built_db)[1].items() if t != "meta"}
    assert query(db_copy, "SELECT count(*) FROM sessions WHERE session_no = 24") == [(0,)]
    assert query(db_copy, f"SELECT count(*) FROM companies WHERE company_id = '{CODE}'") == [(0,)]
    importer.undo_entry(2)  # the undo of the undo: the session, its rows and its log line are back
    assert query(db_copy, "SELECT session_no, year, name_zh FROM sessions WHERE session_no = 24") == [
        (24, 2025, "第二十四届深圳企业创新纪录")]
    assert query(db_copy, "SELECT count(*), min(source) FROM records WHERE session_no = 24") == [(2, "import:two.csv")]
    assert query(db_copy, "SELECT list(import_id) FROM import_log") == [([1],)]
    assert query(db_copy, f"SELECT name_zh FROM companies WHERE company_id = '{CODE}'") == [("深圳市喆堃科技有限公司",)]
    undo.restore(1, confirm=True)
    with pytest.raises(undo.HistoryError) as whole:
        importer.undo_plan(4)
    assert str(whole.value) == ("#4 is a restore of the whole database: bring back the state before it with "
                                "python -m core.cli restore 4")


def test_a_failed_undo_or_restore_changes_nothing(db_copy, tmp_path, monkeypatch):
    import_two(tmp_path, 24)
    before = file_state(db_copy)
    files = beside(db_copy)

    def fail(con):
        raise duckdb.IOException("disk full")

    monkeypatch.setattr(build_module, "stamp", fail)
    with pytest.raises(duckdb.IOException):
        importer.undo_entry(1)
    with pytest.raises(duckdb.IOException):
        importer.restore(1)
    monkeypatch.undo()
    assert file_state(db_copy) == before and beside(db_copy) == files
    assert [e["id"] for e in journal_lines(db_copy)] == [1]


def test_restore_asks_before_taking_back_later_entries(db_copy, tmp_path):
    import_two(tmp_path, 24, "a.csv")
    import_two(tmp_path, 25, "b.csv")
    before = file_state(db_copy)
    with pytest.raises(undo.NeedsConfirmation) as asked:
        importer.restore(1)
    assert [e.id for e in asked.value.lost] == [2]
    assert str(asked.value) == ("restoring the database as it was before #1 would also take back import #2 "
                                "(session 25, b.csv); nothing was changed")
    assert file_state(db_copy) == before
    done = importer.restore(2, who="r")
    assert (done.id, done.action, done.restores, done.lost, done.session, done.who) == (3, "restore", 2, [2], 25, "r")
    assert query(db_copy, "SELECT session_no, count(*) FROM records WHERE session_no >= 24 GROUP BY 1") == [(24, 2)]
    assert query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'") == [(done.build_after,)]
    done = importer.restore(2, confirm=True)  # #2 was taken back already: only #3 is lost now
    assert (done.id, done.lost) == (4, [3])


def test_the_database_named_is_the_one_written_whatever_records_db_says(db_copy, tmp_path, monkeypatch):
    import_two(tmp_path, 24, "a.csv")
    import_two(tmp_path, 25, "b.csv")
    import_two(tmp_path, 24, "c.csv")
    elsewhere = tmp_path / "elsewhere" / "records.duckdb"
    monkeypatch.setenv("RECORDS_DB", str(elsewhere))
    before = file_state(db_copy)
    with pytest.raises(undo.NeedsConfirmation):
        undo.restore(2, db=db_copy)
    with pytest.raises(session_undo.UndoRefused) as refused:
        session_undo.undo_entry(1, db=db_copy)
    assert [b.id for b in refused.value.plan.blockers] == [3]
    assert str(refused.value) == ("cannot undo #1 alone: import #3 (session 24, c.csv) changed session 24 after #1: "
                                  "undo #3 first; nothing was changed")
    assert file_state(db_copy) == before
    session_undo.undo_entry(3, db=db_copy)  # session 24's earlier import and its log line stand again
    assert query(db_copy, "SELECT import_id, file_name FROM import_log ORDER BY 1") == [(1, "a.csv"), (2, "b.csv")]
    assert query(db_copy, "SELECT DISTINCT source FROM records WHERE session_no = 24") == [("import:a.csv",)]
    assert not elsewhere.parent.exists()


def test_reading_a_missing_database_does_not_create_it(tmp_path):
    missing = tmp_path / "records.duckdb"
    assert undo._current(missing) == (None, 1)
    assert not missing.exists()


def test_the_steps_an_import_reports(built_db, db_copy, tmp_path):
    steps = []
    importer.apply(importer.validate(two_rows(tmp_path), 23), progress=steps.append)
    demo = query(built_db, "SELECT count(*) FROM records WHERE session_no = 23")[0][0]
    assert [(s.key, s.text, s.fraction) for s in steps] == [
        ("copy", "Copying records.duckdb", 0.1), ("replace", f"Removing the {demo} records of session 23", 0.3),
        ("insert", "Adding 2 records", 0.5), ("log", "Writing the import log", 0.8),
        ("swap", "Swapping in the new records.duckdb", 0.95), ("done", "Imported 2 records into session 23", 1.0)]


def test_an_undo_records_its_time_and_the_version_it_replaced_and_its_copy_is_a_known_leftover(db_copy, tmp_path,
                                                                                              monkeypatch):
    """The undo's journal line says when it was made and which build it replaced; its temporary copy has a name
    the next writer removes if the undo is killed while copying (any other name would stay on disk for good)."""
    import_two(tmp_path, 23)
    build_before = query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'")[0][0]
    seen_while_copying = leftovers_after(monkeypatch, db_copy, (session_undo.shutil, "copyfile"))
    started = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    done = importer.undo_entry(1)
    [(copy_name, leftovers)] = seen_while_copying
    assert copy_name.startswith("records.duckdb.restore-") and leftovers == [copy_name]
    line = journal_lines(db_copy)[-1]
    assert (line["id"], line["action"], line["build_before"]) == (2, "undo", build_before)
    assert (done.build_before, done.at) == (build_before, line["at"])
    assert started <= datetime.fromisoformat(line["at"]) <= started + timedelta(minutes=5)


def test_a_restore_records_its_time_and_the_version_it_replaced_and_its_copy_is_a_known_leftover(db_copy, tmp_path,
                                                                                                 monkeypatch):
    """As for an undo: the journal line's time and replaced build; the temporary copy and the kept copy's
    partial file have names the next writer removes if the restore is killed halfway."""
    import_two(tmp_path, 24)
    build_before = query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'")[0][0]
    seen = leftovers_after(monkeypatch, db_copy, (undo.shutil, "copyfile"), (undo.os, "link"))
    started = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    done = importer.restore(1)
    [(copy_name, leftovers), (partial_name, then)] = seen
    assert copy_name.startswith("records.duckdb.restore-") and leftovers == [copy_name]
    assert partial_name == "before-2.duckdb.partial" and then == sorted([copy_name, partial_name])
    line = journal_lines(db_copy)[-1]
    assert (line["id"], line["action"], line["build_before"]) == (2, "restore", build_before)
    assert (done.build_before, done.at) == (build_before, line["at"])
    assert started <= datetime.fromisoformat(line["at"]) <= started + timedelta(minutes=5)


def test_a_restore_names_every_entry_it_would_take_back(db_copy, tmp_path):
    import_two(tmp_path, 24, "a.csv")
    import_two(tmp_path, 25, "b.csv")
    import_two(tmp_path, 26, "c.csv")
    with pytest.raises(undo.NeedsConfirmation) as asked:
        importer.restore(1)
    assert str(asked.value) == ("restoring the database as it was before #1 would also take back import #2 "
                                "(session 25, b.csv), import #3 (session 26, c.csv); nothing was changed")


def test_a_restore_brings_back_a_deleted_database(built_db, db_copy, tmp_path):
    """The file gone altogether (deleted by mistake): restoring the copy from before #1 is how to get back;
    there is nothing to keep a copy of."""
    import_two(tmp_path, 24)
    db_copy.unlink()
    done = importer.restore(1)
    assert (done.id, done.build_before) == (2, None)
    sql = "SELECT session_no, count(*) FROM records GROUP BY 1 ORDER BY 1"
    assert query(db_copy, sql) == query(built_db, sql)
    assert sorted(p.name for p in undo.folder(db_copy).iterdir()) == ["before-1.duckdb", "history.jsonl"]


def test_an_imports_copy_is_a_known_leftover_and_times_are_whole_seconds(db_copy, tmp_path, monkeypatch):
    """The import's temporary copy has a name the next writer removes if the import is killed while copying;
    the journal's times are in whole seconds, as the import log shows them."""
    real_copy = writing.shutil.copyfile
    seen = leftovers_after(monkeypatch, db_copy, (writing.shutil, "copyfile"))
    import_two(tmp_path, 24)
    [(copy_name, leftovers)] = seen
    assert copy_name.startswith("records.duckdb.import-") and leftovers == [copy_name]
    monkeypatch.setattr(writing.shutil, "copyfile", real_copy)
    importer.undo_entry(1)
    importer.restore(1, confirm=True)
    assert [line["action"] for line in journal_lines(db_copy)] == ["import", "undo", "restore"]
    for line in journal_lines(db_copy):
        assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d", line["at"]), line


def test_a_journal_line_that_carries_computed_fields_is_read(tmp_path):
    """A line holding `undoable` or `undone_by` (written by hand, or by a future version): they are worked
    out from the journal, never taken from the line."""
    db = tmp_path / "records.duckdb"
    undo.folder(db).mkdir()
    (undo.folder(db) / "history.jsonl").write_text(
        '{"id": 1, "action": "import", "at": "2026-12-06T00:00:00", "who": "x", "session": 24, '
        '"undoable": true, "undone_by": 7}\n', encoding="utf-8")
    [entry] = undo.journal(db)
    assert (entry.id, entry.undone_by, entry.undoable) == (1, None, False)
