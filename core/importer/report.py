"""The report: what `validate` found (rows, problems, the plan) and what `apply` returns.

Problems carry an English message for the command line and a locale key (import.problem.<key>) with its
values, so the import page can show them in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from core import sessions


def counted(n: int, one: str, many: str) -> str:
    """"1 record" / "216 records": the command line's English (the import page words it from the locales)."""
    return f"{n} {one if n == 1 else many}"


# Problems the UI shows in the reader's language (locales: import.problem.<key>).
PROBLEM_KEYS = ("unreadable", "encoding", "not_a_table", "no_header", "second_column", "missing_column", "empty",
                "district", "credit_code", "industry", "category", "category_too_early", "award", "duplicate",
                "no_rows", "code_two_names", "session", "database", "not_a_file", "too_big", "too_many_rows",
                "too_many_columns", "cell_too_long", "xlsx_too_big", "xlsx_ratio", "xlsx_declared", "bidi", "control")
@dataclass(frozen=True)
class Problem:
    file: str
    row: int | None
    column: str | None  # "E (所属区)"
    message: str  # English, for the command line and logs
    key: str | None = None  # locales key under import.problem, for the UI in the reader's language
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        where = [self.file]
        if self.row is not None:
            where.append(f"row {self.row}")
        if self.column is not None:
            where.append(f"column {self.column}")
        return f"{', '.join(where)}: {self.message}"


@dataclass(frozen=True)
class Step:
    key: str  # read / header / check / plan / copy / replace / insert / log / swap / done
    text: str
    fraction: float


Progress = Callable[[Step], None]


def notify(progress: Progress | None, key: str, text: str, fraction: float) -> None:
    if progress is not None:
        progress(Step(key, text, fraction))


@dataclass
class ImportRow:
    row: int  # spreadsheet row number
    company_id: str
    company_zh: str
    company_en: str | None
    credit_code: str | None
    project_zh: str
    project_en: str | None
    district_raw: str
    district_code: str
    industry_raw: str | None
    industry_code: str | None
    category: str | None
    award_level: str | None


@dataclass
class Plan:
    new_session: bool = False
    records_to_add: int = 0
    companies_in_file: int = 0
    companies_new: int = 0
    records_to_replace: dict[str, int] = field(default_factory=dict)  # by source
    profiles_to_remove: int = 0
    applications_to_remove: int = 0


@dataclass
class ImportReport:
    path: Path
    session: int
    db_path: Path
    file_name: str = ""
    sha256: str = ""
    format: str = ""
    encoding: str | None = None
    sheet: str | None = None
    header_row: int | None = None
    columns: dict[str, str] = field(default_factory=dict)  # field key -> "E (所属区)"
    ignored_columns: list[str] = field(default_factory=list)
    rows_read: int = 0
    rows: list[ImportRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    plan: Plan = field(default_factory=Plan)
    build_id: str | None = None
    data: bytes | None = field(default=None, repr=False)  # an upload's bytes: no copy of it on disk

    @property
    def ok(self) -> bool:
        return not self.problems and bool(self.rows)

    @property
    def rows_rejected(self) -> int:
        return len({p.row for p in self.problems if p.row is not None and p.row != self.header_row})

    @property
    def rows_accepted(self) -> int:
        return self.rows_read - self.rows_rejected if self.ok else 0

    def summary(self) -> list[str]:
        """What the file holds and what an import would change, one sentence a line."""
        lines = [f"{self.file_name}: {counted(self.rows_read, 'data row', 'data rows')}"
                 + (f" ({self.format}, {self.encoding})" if self.encoding else f" ({self.format})")
                 + (f", header on row {self.header_row}" if self.header_row else "")]
        if not self.ok:
            lines.append(f"{counted(len(self.problems), 'problem', 'problems')} in "
                         f"{counted(self.rows_rejected, 'row', 'rows')}; nothing can be imported")
            return lines
        plan = self.plan
        lines.append(f"add {counted(plan.records_to_add, 'record', 'records')} from "
                     f"{counted(plan.companies_in_file, 'company', 'companies')} ({plan.companies_new} new) "
                     f"to session {self.session}")
        if plan.new_session:
            lines.append(f"create session {self.session} ({sessions.year(self.session)})")
        replaced = ", ".join(f"{n} {source}" for source, n in sorted(plan.records_to_replace.items()))
        lines.append(f"replace {counted(sum(plan.records_to_replace.values()), 'record', 'records')} of session "
                     f"{self.session}" + (f" ({replaced})" if replaced else "")
                     + f", {counted(plan.applications_to_remove, 'application', 'applications')} and "
                     f"{counted(plan.profiles_to_remove, 'applicant profile', 'applicant profiles')}")
        return lines


@dataclass
class ImportResult:
    session: int
    db_path: Path
    import_id: int
    records_added: int
    records_replaced: int
    companies_added: int
    build_id: str


class ImportRejected(ValueError):
    def __init__(self, report: ImportReport) -> None:
        self.report = report
        super().__init__("\n".join(str(p) for p in report.problems) or f"{report.file_name}: no data rows")


class WriteFailed(RuntimeError):
    """Writing the new database failed (disk full, file too large, an I/O error): nothing was imported, the
    database is the one before, and no temporary file is left."""

    def __init__(self, db: Path, file_name: str, cause: BaseException) -> None:
        self.db, self.file_name, self.cause = db, file_name, cause
        detail = str(cause).splitlines()[0][:400] if str(cause) else type(cause).__name__
        super().__init__(f"the import of {file_name} failed while writing the database {db} ({detail}); "
                         f"nothing was imported and {db.name} is unchanged")
