"""Import an official list of approved records for one session (CSV or XLSX) into the database.

Two steps, so a UI can show the check before anything is written:

    report = validate(path, session)        # reads and checks the file; writes nothing
    if report.ok:
        result = apply(report, who=NAME)    # writes a copy of the database and swaps it in

and the undo: `history()` lists imports, undos and restores, each standing or undone (by which entry);
`undo_plan(ID)` says what `undo_entry(ID)` will do: take back import ID in its session only, other sessions
untouched, or refuse naming the later import of the same session; `restore(ID, confirm=...)` brings back the
whole database as it was before ID, and first names the later entries it would take back too.
Both steps take `progress`, a callable that receives a `Step` (stable `key` for translation, an English
`text` with the numbers, and `fraction` 0..1 for a progress bar). `python -m core.cli import FILE --session N
[--dry-run]`, `history`, `undo ID` and `restore ID [--yes]` are thin wrappers around them.

The rooms (docs/import.md has the whole pipeline):
    fields    which columns exist, header and category spellings (data/raw/import_synonyms.csv), values
    limits    bytes, rows, columns, cell length, XLSX size and ratio, checked before parsing
    reading   bytes -> rows: CSV encodings and delimiters, XLSX sheets, the header row
    report    Problem, Step, ImportReport, ImportResult, ImportRejected
    checks    validate(): one table of per-field checks, rules across rows, the plan
    writing   apply(): copy, replace the session, log, swap
    undo      writer lock, kept copies, journal, who stands, restore()
    session_undo  undo_entry(): one import's session back to its kept rows
"""

from core.importer.checks import CHECKS, Check, Invalid, validate
from core.importer.fields import (
                                  CATEGORIES,
                                  CATEGORY_SINCE,
                                  FIELD,
                                  FIELDS,
                                  HEADER_SCAN_ROWS,
                                  REQUIRED,
                                  SESSION_MAX,
                                  SESSION_MIN,
                                  FieldSpec,
                                  IndustryResolver,
                                  column_letter,
                                  match_header,
                                  name_id,
                                  parse_award,
                                  parse_category,
)
from core.importer.limits import LimitExceeded
from core.importer.reading import DELIMITERS, detect_encoding, find_header, read_table
from core.importer.report import (
                                  PROBLEM_KEYS,
                                  ImportRejected,
                                  ImportReport,
                                  ImportResult,
                                  ImportRow,
                                  Plan,
                                  Problem,
                                  Progress,
                                  Step,
                                  WriteFailed,
)
from core.importer.session_undo import UndoPlan, UndoRefused, undo_entry
from core.importer.session_undo import plan as undo_plan
from core.importer.undo import (
                                HistoryEntry,
                                HistoryError,
                                NeedsConfirmation,
                                WriterBusy,
                                history,
                                restore,
                                restore_losses,
                                writer_lock,
)
from core.importer.writing import apply, chinese_number, session_row, validate_again_if_stale

__all__ = ["CATEGORIES", "CATEGORY_SINCE", "CHECKS", "DELIMITERS", "FIELD", "FIELDS", "HEADER_SCAN_ROWS",
           "PROBLEM_KEYS", "REQUIRED", "SESSION_MAX", "SESSION_MIN", "Check", "FieldSpec", "HistoryEntry",
           "HistoryError", "ImportRejected", "ImportReport", "ImportResult", "ImportRow", "IndustryResolver",
           "Invalid", "LimitExceeded", "NeedsConfirmation", "Plan", "Problem", "Progress", "Step", "UndoPlan",
           "UndoRefused", "WriteFailed", "WriterBusy", "apply",
           "chinese_number", "column_letter", "detect_encoding", "find_header", "history", "match_header",
           "name_id", "parse_award", "parse_category", "read_table", "restore", "restore_losses", "session_row",
           "undo_entry", "undo_plan", "validate", "validate_again_if_stale", "writer_lock"]
