"""Writing: `apply` writes an accepted report into a copy of the database and swaps the copy in.

What an import replaces (a session is either demo or imported, never a mix)
    All rows of the session in `records`, `applications` and `company_profiles` are deleted, whatever their
    source (demo rows, or an earlier import of the same session), and replaced by:
      * records: one per row of the file, record_id `R<session>-I<row order>`, source `import:<file name>`;
      * applications: one per imported record (an approved project was an application), linked by
        record_id. Rejected applications are not in an approved list, so none are invented;
      * company_profiles: none. Applicant attributes and the rejected applicants are not in an approved
        list, so applicant figures of an imported session are missing, not guessed.
    Companies: company_id is the credit code when the row gives one; otherwise the code another row of the
    file gives for the same name, or an imported company of that exact name already in the database, or
    `NAME-<hash of the normalised name>`. New ids are inserted; an existing demo company with the same id
    takes the imported names and source (its district_code stays: DuckDB cannot update a foreign-key column
    of a row other tables reference); an existing imported company is kept as it is.
    Demo companies left without any record, profile or application are deleted.
    A session number not yet in `sessions` gets its row (year = sessions.year(N), names like the others).
    One `import_log` row (file name, sha256, rows accepted / rejected, who, when in UTC) is added, the same
    facts go to the history journal, and meta build_id is refreshed with core.build.stamp.

How it is written
    A DuckDB writer locks readers out, so `apply` copies the database file, changes the copy and swaps it
    in with os.replace: a running dashboard keeps reading the old file until the swap, and an interrupted
    import leaves the old file untouched. Writers (imports and restores, in any process) take the writer
    lock first (core.importer.undo); the second waits, and if the file or the database changed since
    `validate`, `apply` validates again against what the first one wrote, so no write is lost.
    A write that fails (disk full, file too large, an I/O error) raises WriteFailed, naming the database and
    saying nothing was imported; the copy and its WAL are removed then, and a killed writer's by the next
    command (core.writelock.clean_if_idle).
"""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import duckdb
import pandas as pd

from core import build as build_module
from core import sessions
from core.i18n import ordinal
from core.importer import sql, undo
from core.importer.checks import sha256, validate
from core.importer.limits import LimitExceeded
from core.importer.reading import read_bytes
from core.importer.report import ImportRejected, ImportReport, ImportResult, ImportRow, Progress, WriteFailed, notify

_ZH_DIGITS = "零一二三四五六七八九"
_apply_lock = threading.Lock()
def chinese_number(n: int) -> str:
    """1 -> 一, 10 -> 十, 24 -> 二十四, 105 -> 一百零五 (for session names)."""
    if n < 10:
        return _ZH_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return (_ZH_DIGITS[tens] if tens > 1 else "") + "十" + (_ZH_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + chinese_number(rest) if rest < 10 else
                                 chinese_number(rest) if rest >= 20 else "一" + chinese_number(rest))
    return _ZH_DIGITS[hundreds] + "百" + tail


def session_row(session: int) -> dict:
    return {"session_no": session, "year": sessions.year(session),
            "name_zh": f"第{chinese_number(session)}届深圳企业创新纪录",
            "name_en": f"{ordinal(session, 'en')} Shenzhen Enterprise Innovation Records",
            "programme_name_zh": "深圳企业创新纪录", "name_attested": False,
            "note_zh": "由导入的官方名单创建", "note_en": "Created by importing an official list"}


def apply(report: ImportReport, progress: Progress | None = None, who: str | None = None) -> ImportResult:
    """Write an accepted report into a copy of its database and swap the copy in. Raises ImportRejected for
    a report with problems, undo.WriterBusy when another writer holds the database too long. `who` is
    the administrator's name from the UI; the command line leaves it out and the OS user is logged."""
    with _apply_lock, undo.writer_lock(report.db_path):
        undo.clean_orphans(report.db_path)
        return _apply(report, progress, who or undo.os_user())


def _apply(report: ImportReport, progress: Progress | None, who: str) -> ImportResult:
    target = report.db_path
    if Path(f"{target}.wal").exists():
        raise RuntimeError(f"{target} has an unfinished write-ahead log ({target}.wal): another process is "
                           "writing to it or crashed while writing; rebuild or retry later")
    current = validate_again_if_stale(report)
    if not current.ok:
        raise ImportRejected(current)
    report = current
    tmp = undo.temp_path(target, "import")
    notify(progress, "copy", f"Copying {target.name}", 0.1)
    try:
        entry, replaced, companies_added = _write_copy(target, tmp, report, progress, who)
        notify(progress, "swap", f"Swapping in the new {target.name}", 0.95)
        undo.keep_copy(target, entry.id)
        os.replace(tmp, target)
    except (OSError, duckdb.Error) as exc:  # disk full, file too large, an I/O error: the live file is untouched
        undo.clean_orphans(target)  # under the writer lock every temporary file here is ours or a dead writer's
        raise WriteFailed(target, report.file_name, exc) from exc
    finally:
        for path in (tmp, Path(f"{tmp}.wal")):
            path.unlink(missing_ok=True)
    undo.record(target, entry)
    notify(progress, "done", f"Imported {len(report.rows)} records into session {report.session}", 1.0)
    return ImportResult(session=report.session, db_path=target, import_id=entry.id,
                        records_added=len(report.rows), records_replaced=replaced,
                        companies_added=companies_added, build_id=entry.build_after)


def _write_copy(target: Path, tmp: Path, report: ImportReport, progress: Progress | None,
                who: str) -> tuple[undo.HistoryEntry, int, int]:
    """Copy the database to `tmp` and import the report into the copy: (history entry, records replaced,
    companies added)."""
    shutil.copyfile(target, tmp)
    # Autocommit per statement: DuckDB refuses to delete a parent row whose children were deleted earlier
    # in the same transaction; the copy-and-swap makes the whole import atomic instead.
    with duckdb.connect(str(tmp)) as con:
        replaced, companies_added, renamed = _replace_session(con, report, progress)
        notify(progress, "log", "Writing the import log", 0.8)
        at = undo.now()
        entry = undo.HistoryEntry(
            id=undo.next_id(target, con), action="import", at=at.isoformat(), who=who,
            session=report.session, file_name=report.file_name, sha256=report.sha256,
            rows_accepted=len(report.rows), rows_rejected=report.rows_rejected, build_before=report.build_id,
            renamed=renamed or None)
        sql.run(con, "log_import", id=entry.id, file=entry.file_name, sha=entry.sha256, session=entry.session,
                accepted=entry.rows_accepted, rejected=entry.rows_rejected, who=who, at=at)
        build_module.stamp(con)
        entry.build_after = sql.value(con, "build_id")
        con.execute("CHECKPOINT")
    return entry, replaced, companies_added


def _replace_session(con: duckdb.DuckDBPyConnection, report: ImportReport,
                     progress) -> tuple[int, int, dict[str, list]]:
    """Delete the session's rows and insert the report's; (records replaced, companies added, demo companies
    renamed with what they had before)."""
    source = f"import:{report.file_name}"
    replaced = sql.value(con, "session_row_count", "records", session=report.session)
    notify(progress, "replace", f"Removing the {replaced} records of session {report.session}", 0.3)
    for table in reversed(sql.SESSION_TABLES):  # children first
        sql.run(con, "delete_session_rows", table, session=report.session)
    if report.plan.new_session:
        build_module.insert(con, "sessions", pd.DataFrame([session_row(report.session)]))

    notify(progress, "insert", f"Adding {len(report.rows)} records", 0.5)
    companies_added, renamed = _upsert_companies(con, report, source)
    records = pd.DataFrame([{
        "record_id": f"R{report.session:02d}-I{i:04d}", "session_no": report.session,
        "company_id": r.company_id, "project_name_zh": r.project_zh, "project_name_en": r.project_en,
        "category": r.category, "industry_code": r.industry_code, "industry_raw": r.industry_raw,
        "district_code": r.district_code, "district_raw": r.district_raw, "award_level": r.award_level,
        "source": source} for i, r in enumerate(report.rows, start=1)])
    build_module.insert(con, "records", records)
    applications = pd.DataFrame({
        "application_id": records["record_id"].str.replace("R", "A", n=1),
        "session_no": records["session_no"], "company_id": records["company_id"],
        "project_name_zh": records["project_name_zh"], "industry_code": records["industry_code"],
        "industry_raw": records["industry_raw"], "record_id": records["record_id"], "source": source})
    build_module.insert(con, "applications", applications)
    sql.drop_unnamed(con, {cid for (cid,) in sql.run(con, "demo_companies")})
    return replaced, companies_added, renamed


def validate_again_if_stale(report: ImportReport) -> ImportReport:
    """The report itself if neither the file nor the database changed since it was made, else a fresh one."""
    try:
        data = report.data if report.data is not None else read_bytes(report.path)
        same_file = sha256(data) == report.sha256
    except (OSError, LimitExceeded):
        same_file = False
    with duckdb.connect(str(report.db_path), read_only=True) as con:
        same_db = sql.value(con, "build_id") == report.build_id
    return report if same_file and same_db else validate(report.path, report.session, report.db_path,
                                                         data=report.data)


def _upsert_companies(con: duckdb.DuckDBPyConnection, report: ImportReport,
                      source: str) -> tuple[int, dict[str, list]]:
    """Add the listed companies that are new and give listed demo companies the list's names: (companies added,
    {renamed id: [name_zh, name_en, source] before}); an undo needs the latter once no import lists them."""
    existing = dict(sql.run(con, "company_sources"))
    first: dict[str, ImportRow] = {}
    for row in report.rows:
        first.setdefault(row.company_id, row)
    new = [r for cid, r in first.items() if cid not in existing]
    demo = sorted(cid for cid in first if existing.get(cid) == "demo")
    before = {c["company_id"]: [c["name_zh"], c["name_en"], c["source"]]
              for c in sql.arrow(con, "companies_named", ids=demo).to_pylist()} if demo else {}
    for cid in demo:
        r = first[cid]
        sql.run(con, "rename_demo_company", id=cid, zh=r.company_zh, en=r.company_en, source=source)
    if new:
        build_module.insert(con, "companies", pd.DataFrame([
            {"company_id": r.company_id, "name_zh": r.company_zh, "name_en": r.company_en,
             "district_code": r.district_code, "source": source} for r in new]))
    return len(new), before
