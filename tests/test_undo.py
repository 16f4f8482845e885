"""Undo takes back one import and nothing else: `undo ID` gives the import's session back the rows it had
(compared by plain SQL with the freshly built database), every other import stands; it refuses, naming the
import, while a later import changed the same session; the whole-file `restore` names the later entries it
would take back and needs --yes for them; `history` says what stands and what was undone by which entry; the
import page shows what an undo will do on the first click and does it on the second.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core import cli, db, importer
from core.i18n import t
from core.importer import undo
from core.markup import escape_markdown
from tests.test_importer import HEADER_ZH, SAMPLE, file_state, query, write_csv
from tests.test_pages import entry_mode  # noqa: F401 (fixture)

SESSION_TABLES = ["records", "applications", "company_profiles"]
# session_companies without company_key, which numbers every company of the programme
DERIVED = ("SELECT session_no, company_id, district_code, division_code, records, awarded, cells, first_session, "
           "sessions FROM session_companies WHERE session_no = $s")


def import_list(tmp_path: Path, session: int, name: str | None = None, who: str | None = None) -> int:
    path = write_csv(tmp_path / (name or f"第{session}届名单.csv"), HEADER_ZH, SAMPLE)
    return importer.apply(importer.validate(path, session), who=who).import_id


def rows(path: Path, sql: str, session: int | None = None) -> list[tuple]:
    return sorted(query(path, sql, {"s": session} if session is not None else None), key=repr)


def standing(path: Path) -> list[tuple]:
    return [(e.id, e.action, e.undone_by) for e in importer.history(path)]


def test_undo_takes_back_one_import_and_keeps_the_later_ones(built_db, db_copy, tmp_path, capsys):
    assert [import_list(tmp_path, s) for s in (21, 24, 25)] == [1, 2, 3]
    build_before = query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'")
    before = file_state(db_copy)
    capsys.readouterr()
    assert cli.main(["undo", "1", "--dry-run"]) == 0
    assert "removes the 5 records of session 21" in capsys.readouterr().out
    assert file_state(db_copy) == before and len(importer.history()) == 3

    assert cli.main(["undo", "1"]) == 0
    assert "logged as #4" in capsys.readouterr().out

    for table in SESSION_TABLES:  # session 21 holds its demo rows again, exactly
        sql = f"SELECT * FROM {table} WHERE session_no = $s"
        assert rows(db_copy, sql, 21) == rows(built_db, sql, 21), table
    # the demo companies the import had dropped are back; no company is there that no row uses
    later = "SELECT company_id FROM records WHERE session_no IN (24, 25)"
    assert rows(db_copy, f"SELECT * FROM companies WHERE company_id NOT IN ({later})") == rows(
        built_db, "SELECT * FROM companies")
    for session in (24, 25):  # the later imports stand
        assert query(db_copy, "SELECT count(*), min(source) FROM records WHERE session_no = $s", {"s": session}
                     ) == [(5, f"import:第{session}届名单.csv")]
        assert query(db_copy, "SELECT count(*) FROM applications WHERE session_no = $s", {"s": session}) == [(5,)]
    assert query(db_copy, "SELECT list(import_id ORDER BY import_id) FROM import_log") == [([2, 3],)]
    # derived tables and the build id follow the rows
    assert rows(db_copy, DERIVED, 21) == rows(built_db, DERIVED, 21)
    assert query(db_copy, "SELECT value FROM meta WHERE key = 'build_id'") != build_before

    assert standing(db_copy) == [(4, "undo", None), (3, "import", None), (2, "import", None), (1, "import", 4)]
    assert cli.main(["history"]) == 0
    listed = {line.split()[0]: line for line in capsys.readouterr().out.splitlines()}
    assert listed["#1"].endswith("undone by #4") and "standing" in listed["#2"] and "[undo 3]" in listed["#3"]


def test_undoing_a_new_session_leaves_the_database_as_built(built_db, db_copy, tmp_path):
    import_list(tmp_path, 24)
    undone = importer.undo_entry(1, who="tester")
    assert (undone.id, undone.action, undone.undoes, undone.session, undone.who) == (2, "undo", 1, 24, "tester")
    assert file_state(db_copy)[1] == file_state(built_db)[1]  # session row and companies gone, build id as built
    importer.undo_entry(2)  # the undo of the undo brings the import back
    assert query(db_copy, "SELECT count(*) FROM records WHERE session_no = 24") == [(5,)]
    assert query(db_copy, "SELECT list(import_id) FROM import_log") == [([1],)]
    assert standing(db_copy) == [(3, "undo", None), (2, "undo", 3), (1, "import", None)]


def test_undo_refuses_while_a_later_import_changed_the_same_session(db_copy, tmp_path, capsys):
    import_list(tmp_path, 24, "a.csv")
    import_list(tmp_path, 21, "b.csv")
    import_list(tmp_path, 24, "c.csv")
    before = file_state(db_copy)
    capsys.readouterr()

    assert cli.main(["undo", "1"]) == 1
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1
    assert "import #3 (session 24, c.csv) changed session 24 after #1" in err and "undo #3 first" in err
    assert file_state(db_copy) == before and len(importer.history()) == 3

    importer.undo_entry(3)  # the later one first: session 24 holds a.csv's rows again
    assert query(db_copy, "SELECT DISTINCT source FROM records WHERE session_no = 24") == [("import:a.csv",)]
    importer.undo_entry(1)  # the undo of #3 does not stand in the way
    assert query(db_copy, "SELECT count(*) FROM sessions WHERE session_no = 24") == [(0,)]
    assert query(db_copy, "SELECT count(*) FROM records WHERE session_no = 21 AND source = 'import:b.csv'") == [(5,)]


def test_restore_names_what_it_takes_back_and_asks_first(built_db, db_copy, tmp_path, capsys):
    for session, name in ((24, "a.csv"), (21, "b.csv"), (25, "c.csv")):
        import_list(tmp_path, session, name)
    before = file_state(db_copy)
    capsys.readouterr()

    assert cli.main(["restore", "1"]) == 1
    err = capsys.readouterr().err
    assert "import #2 (session 21, b.csv)" in err and "import #3 (session 25, c.csv)" in err and "--yes" in err
    assert file_state(db_copy) == before and len(importer.history()) == 3

    assert cli.main(["restore", "1", "--yes"]) == 0
    assert capsys.readouterr().out.rstrip().endswith("taken back: #1, #2, #3")
    assert file_state(db_copy)[1] == file_state(built_db)[1]
    assert standing(db_copy) == [(4, "restore", None), (3, "import", 4), (2, "import", 4), (1, "import", 4)]
    # a restore journaled by the previous version (no list of what it took back) reads the same
    journal = undo.folder(db_copy) / "history.jsonl"
    lines = [json.loads(line) for line in journal.read_text(encoding="utf-8").splitlines()]
    journal.write_text("".join(json.dumps({k: v for k, v in e.items() if k != "lost"}) + "\n" for e in lines),
                       encoding="utf-8")
    assert standing(db_copy) == [(4, "restore", None), (3, "import", 4), (2, "import", 4), (1, "import", 4)]


def click(at, key: str):
    at.button(key=key).click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


@pytest.mark.usefixtures("entry_mode")
def test_import_page_says_what_the_undo_does_then_does_it(db_copy, tmp_path):
    from tests.test_pages import open_page

    import_list(tmp_path, 24, who="王管理员")
    import_list(tmp_path, 25)
    at = open_page("import")
    at.selectbox(key="import_undo_id").set_value(1).run()
    click(at, "import_undo")
    assert [w.value for w in at.warning] == [t("import.undo.plan_removes", "zh", id=1, session=24, now=5)]
    assert db.scalar("SELECT count(*) FROM records WHERE session_no = 24") == 5  # nothing changed yet

    click(at, "import_undo_confirm")
    assert t("import.undo.done", "zh", id=1, new=3) in [s.value for s in at.success]
    # through core.db, which reopens a swapped file (a plain connect would share the page's open instance)
    assert db.scalar("SELECT count(*) FROM sessions WHERE session_no = 24") == 0
    assert db.scalar("SELECT count(*) FROM records WHERE session_no = 25") == 5
    table = at.dataframe[-1].value  # drawn after the undo: #1 is marked undone by #3
    assert list(table[t("import.undo.status", "zh")]) == [t("import.undo.standing", "zh")] * 2 + [
        t("import.undo.undone_by", "zh", id=3)]


@pytest.mark.usefixtures("entry_mode")
def test_import_page_refuses_an_undo_a_later_import_stands_in_the_way_of(db_copy, tmp_path):
    from tests.test_pages import open_page

    import_list(tmp_path, 24, "a.csv")
    import_list(tmp_path, 24, "b.csv")
    at = open_page("import")
    at.selectbox(key="import_undo_id").set_value(1).run()
    click(at, "import_undo")
    later = f"#2 ({escape_markdown('b.csv')})"
    assert [e.value for e in at.error] == [t("import.undo.refused", "zh", id=1, session=24, later=later)]
    assert not [b for b in at.button if b.key == "import_undo_confirm"]
    assert db.scalar("SELECT count(*) FROM records WHERE session_no = 24 AND source = 'import:b.csv'") == 5


COMPANY = "SELECT name_zh, name_en, source FROM companies WHERE company_id = '91440300MA5DC6QX9C'"


def add_listed_demo_company(path: Path) -> None:
    """A demo company whose credit code is valid (SAMPLE lists it), so an official list naming it renames it."""
    import duckdb

    with duckdb.connect(str(path)) as con:
        con.execute("INSERT INTO companies VALUES ('91440300MA5DC6QX9C', '旧名称公司', 'Old Name', '440305', 'demo')")
        con.execute("INSERT INTO records (record_id, session_no, company_id, project_name_zh, district_raw, source) "
                    "VALUES ('R10-X', 10, '91440300MA5DC6QX9C', '旧项目', '南山区', 'demo')")


def test_a_renamed_company_gets_its_names_back_unless_a_standing_import_lists_it(db_copy, tmp_path):
    add_listed_demo_company(db_copy)
    company = COMPANY
    import_list(tmp_path, 24, "a.csv")
    assert query(db_copy, company)[0][2] == "import:a.csv"
    importer.undo_entry(1)
    assert query(db_copy, company) == [("旧名称公司", "Old Name", "demo")]

    importer.undo_entry(2)  # #1 again, then a list of session 25 naming the company too
    import_list(tmp_path, 25, "b.csv")
    importer.undo_entry(1)
    assert query(db_copy, company)[0][2] == "import:a.csv"  # session 25's standing import still lists it


def test_undoing_the_renaming_import_first_then_the_other_gives_the_demo_names_back(db_copy, tmp_path):
    """#1 (session 24) renames a demo company, #2 (session 25) lists it too; undo #1 (the names stay: #2 still
    lists it), then undo #2: neither import stands, so the company has its names from before either, not #1's
    (the copy kept before #2 holds #1's names)."""
    add_listed_demo_company(db_copy)
    import_list(tmp_path, 24, "a.csv")
    import_list(tmp_path, 25, "b.csv")
    importer.undo_entry(1)
    assert query(db_copy, COMPANY)[0][2] == "import:a.csv"
    importer.undo_entry(2)
    assert query(db_copy, COMPANY) == [("旧名称公司", "Old Name", "demo")]
    importer.undo_entry(4)  # undoing that undo brings #2 back, and with it a list naming the company
    assert query(db_copy, COMPANY)[0][2] != "demo"
