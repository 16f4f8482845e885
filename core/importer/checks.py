"""Checks: `validate` reads a file and checks every row against the database; it writes nothing.

Every problem is collected; each names the file, the spreadsheet row as Excel shows it, and the column letter
with its header. Per-field checks are one table, CHECKS: (field, parser, problem, hint). A parser turns a
non-blank cell into the value to store or raises Invalid; the hint is the English message ({value!r} and
the parser's details filled in), the problem key its translation under import.problem. Checks of one field
run in order and stop at its first problem. Rules across rows (required cells, duplicates, one credit code
for two names) follow the table.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

from core import build as build_module
from core import config
from core.districts import alias_key
from core.importer import limits, sql
from core.importer.fields import (
    CATEGORY_SINCE,
    FIELD,
    REQUIRED,
    SESSION_MAX,
    SESSION_MIN,
    IndustryResolver,
    clean_text,
    column_letter,
    name_id,
    parse_award,
    parse_category,
    refused_character,
    value_key,
)
from core.importer.reading import find_header, read_bytes, read_table
from core.importer.report import PROBLEM_KEYS, ImportReport, ImportRow, Problem, Progress, counted, notify


class Invalid(Exception):
    """A cell its parser does not accept; keyword values fill the hint and the translated message."""

    def __init__(self, detail: str = "", **values) -> None:
        super().__init__(detail)
        self.detail = detail
        self.values = values


@dataclass
class Context:
    session: int
    districts: dict[str, str]  # alias_key -> district_code (core.build.district_lookup, as the build)
    industries: IndustryResolver


@dataclass(frozen=True)
class Check:
    field: str
    parse: Callable[[str, Context], object]
    problem: str
    hint: str


def _district(text: str, ctx: Context) -> str:
    code = ctx.districts.get(alias_key(text))
    if code is None:
        raise Invalid()
    return code


def _credit_code(text: str, ctx: Context) -> str:
    try:
        return uscc.validate(text)
    except stdnum_exceptions.ValidationError as exc:
        raise Invalid(exc.message) from None


def _industry(text: str, ctx: Context) -> str:
    return ctx.industries.resolve(text) or _invalid()


def _category(text: str, ctx: Context) -> str:
    return parse_category(text) or _invalid()


def _category_in_session(text: str, ctx: Context) -> str:
    if ctx.session < CATEGORY_SINCE:
        raise Invalid(since=CATEGORY_SINCE)
    return parse_category(text)


def _award(text: str, ctx: Context) -> str | None:
    understood, level = parse_award(text)
    return level if understood else _invalid()


def _invalid():
    raise Invalid()


CHECKS = [
    Check("district", _district, "district", "unknown district {value!r} (not a spelling in district_aliases)"),
    Check("credit_code", _credit_code, "credit_code", "invalid unified social credit code {value!r}: {detail}"),
    Check("industry", _industry, "industry",
          "unknown industry {value!r} (give a GB/T 4754 code such as C39, or a division or group name)"),
    Check("category", _category, "category", "unknown category {value!r} (expected 产品研发, 生产制造 or 现代服务)"),
    Check("category", _category_in_session, "category_too_early",
          "category {value!r} given, but categories exist from session {since} on"),
    Check("award", _award, "award", "unknown award level {value!r} (expected 国家级, 省级, 市级 or blank)"),
]


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def validate(path: str | os.PathLike, session: int, db: str | os.PathLike | None = None,
             progress: Progress | None = None, data: bytes | None = None) -> ImportReport:
    """Read and check `path` as the approved list of `session` against the database `db` (default:
    RECORDS_DB). With `data` (an upload's bytes) nothing is read from disk and `path` only names the file.
    Writes nothing; bad input becomes `report.problems`, never an exception."""
    path = Path(path)
    report = ImportReport(path=path, session=session, db_path=Path(db or config.records_db()), file_name=path.name,
                          data=data)

    def problem(row: int | None, column: str | None, message: str, key: str | None = None, **values) -> None:
        assert key is None or key in PROBLEM_KEYS, key
        report.problems.append(Problem(report.file_name, row, column, message, key, values))

    if isinstance(session, bool) or not isinstance(session, int) or not SESSION_MIN <= session <= SESSION_MAX:
        problem(None, None, f"session must be a whole number from {SESSION_MIN} to {SESSION_MAX}, not {session!r}",
                "session", low=SESSION_MIN, high=SESSION_MAX, value=session)
        return report
    if not report.db_path.is_file():
        state = "is not a database file" if report.db_path.exists() else "does not exist"
        problem(None, None, f"the database {report.db_path} {state}; build it first (python -m core.cli build) "
                            "or give another --db", "database", path=report.db_path.name)
        return report
    notify(progress, "read", f"Reading {path.name}", 0.05)
    rows = _read(report, problem)
    if rows is None:
        return report
    header_row, mapping = find_header(rows)
    if header_row is None:
        problem(None, None, "no header row found in the first rows: expected columns such as 企业名称 / Company, "
                            "项目名称 / Project and 所属区 / District", "no_header")
        return report
    report.header_row = header_row
    notify(progress, "header", f"Header found on row {header_row}", 0.1)
    by_field = _columns(report, dict(rows)[header_row], mapping, problem)
    if report.problems:
        return report
    try:
        with duckdb.connect(str(report.db_path), read_only=True) as con:
            _check_against(con, report, rows, by_field, problem, progress)
    except duckdb.Error as exc:
        problem(None, None, f"cannot open the database {report.db_path}: {str(exc).splitlines()[0]}", "database",
                path=report.db_path.name)
        return report
    notify(progress, "plan", "Checked: " + "; ".join(report.summary()[1:]), 1.0)
    return report


def _read(report: ImportReport, problem) -> list | None:
    """The file's rows, or None after reporting why they cannot be read."""
    try:
        data = report.data if report.data is not None else read_bytes(report.path)
        limits.check_size(len(data))
        report.sha256 = sha256(data)
        report.format, report.encoding, report.sheet, rows = read_table(report.path, data)
    except limits.LimitExceeded as exc:
        problem(exc.row, exc.column, exc.message, exc.key, **exc.values)
        return None
    except OSError as exc:
        detail = str(exc.strerror or exc)
        problem(None, None, f"cannot read the file: {detail}", "unreadable", detail=detail)
        return None
    except (UnicodeDecodeError, LookupError):
        problem(None, None, "cannot tell the text encoding; save the list as UTF-8 CSV or as XLSX", "encoding")
        return None
    except Exception as exc:  # openpyxl and zipfile raise many kinds for a damaged workbook
        problem(None, None, f"cannot read the file as CSV or XLSX: {exc}", "not_a_table", detail=str(exc))
        return None
    return rows


def _columns(report: ImportReport, header_cells: list[str], mapping: dict[int, str], problem) -> dict[str, int]:
    """Field -> column index; a field given twice or a required one missing is a problem."""
    by_field: dict[str, int] = {}
    header_row = report.header_row
    for index, key in sorted(mapping.items()):
        label = f"{column_letter(index)} ({header_cells[index]})"
        if key in by_field:
            first = by_field[key]
            problem(header_row, label, f"a second column for {FIELD[key].label} "
                                       f"(column {column_letter(first)} ({header_cells[first]}) already is one)",
                    "second_column", field=FIELD[key].label, first=f"{column_letter(first)} ({header_cells[first]})")
            continue
        by_field[key] = index
        report.columns[key] = label
    report.ignored_columns = [f"{column_letter(i)} ({cell})" for i, cell in enumerate(header_cells)
                              if cell and i not in mapping]
    for key in REQUIRED:
        if key not in by_field:
            problem(header_row, None, f"no column for {FIELD[key].label} in the header row", "missing_column",
                    field=FIELD[key].label)
    if "category" not in by_field and report.session >= CATEGORY_SINCE:
        report.warnings.append(f"no category column: the records of session {report.session} will have no "
                               "category")
    return by_field


def _check_against(con, report: ImportReport, rows, by_field, problem, progress) -> None:
    ctx = Context(report.session, build_module.district_lookup(con), IndustryResolver(con))
    report.build_id = sql.value(con, "build_id")
    known = dict(sql.run(con, "company_sources"))
    imported_names: dict[str, str] = {}
    for company_id, name in sql.run(con, "imported_company_names"):
        imported_names.setdefault(alias_key(clean_text(name)), company_id)  # also names stored before cleaning
    _check_rows(report, rows, by_field, ctx, problem, progress)
    _resolve_companies(report, imported_names, problem)
    if report.ok:
        _plan(report, con, known)


def _check_rows(report: ImportReport, rows, by_field: dict[str, int], ctx: Context, problem,
                progress: Progress | None) -> None:
    data_rows = [(n, cells) for n, cells in rows if n > report.header_row and any(c for c in cells)]
    report.rows_read = len(data_rows)
    if len(data_rows) > limits.MAX_ROWS:
        exc = limits.too_many_rows(len(data_rows))
        problem(None, None, exc.message, exc.key, **exc.values)
        return
    seen_projects: dict[tuple[str, str], int] = {}
    blank_categories = 0
    for position, (number, cells) in enumerate(data_rows):
        if position % 200 == 0:
            notify(progress, "check", f"Checking row {position + 1} of {len(data_rows)}",
                   0.1 + 0.8 * position / max(1, len(data_rows)))

        def bad(check: Check, text: str, exc: Invalid, number=number) -> None:
            message = check.hint.format(value=text, detail=exc.detail, **exc.values)
            problem(number, report.columns[check.field], message, check.problem, value=text, **exc.values)

        before = len(report.problems)
        values = _cell_texts(report, number, cells, by_field, problem)
        for key in REQUIRED:
            if not values[key]:
                problem(number, report.columns[key], f"empty {FIELD[key].label} (required)", "empty",
                        field=FIELD[key].label)
        parsed = _parse_cells(values, ctx, bad)
        blank_categories += "category" in values and not values["category"]
        _check_duplicate(report, number, values, parsed, seen_projects, problem)
        if len(report.problems) == before:
            report.rows.append(_import_row(number, values, parsed))
    if blank_categories:
        report.warnings.append(f"{counted(blank_categories, 'row', 'rows')} with a blank category")
    if not data_rows:
        problem(None, None, f"no data rows below the header on row {report.header_row}", "no_rows",
                header_row=report.header_row)


_REFUSED = {
    "bidi": "a direction control character, {char}, at character {position}: it can make the text read "
            "differently from what is stored; delete it and import again",
    "control": "a control character, {char}, at character {position} (a line break, NUL or other invisible "
               "code); delete it and import again",
}


def _cell_texts(report: ImportReport, number: int, cells: list[str], by_field: dict[str, int],
                problem) -> dict[str, str]:
    """Each field's text as stored and matched (fields.clean_text), so a look-alike spelling is the same name;
    a cell with a character no name holds is a problem naming row and column (the row is not imported)."""
    values = {}
    for key, i in by_field.items():
        text = cells[i].strip() if i < len(cells) else ""
        refused = refused_character(text)
        if refused:
            kind, char, position = refused
            problem(number, report.columns[key], _REFUSED[kind].format(char=char, position=position), kind,
                    char=char, position=position)
        values[key] = clean_text(text)
    return values


def _parse_cells(values: dict[str, str], ctx: Context, bad) -> dict[str, object]:
    """The stored value of each non-blank checked cell; `bad(check, text, exc)` for each one refused."""
    parsed: dict[str, object] = {}
    failed: set[str] = set()
    for check in CHECKS:
        text = values.get(check.field, "")
        if not text or check.field in failed:
            continue
        try:
            parsed[check.field] = check.parse(text, ctx)
        except Invalid as exc:
            failed.add(check.field)
            bad(check, text, exc)
    return parsed


def _check_duplicate(report, number, values, parsed, seen_projects, problem) -> None:
    if not (values["company"] and values["project"]):
        return
    key = (parsed.get("credit_code") or alias_key(values["company"]), value_key(values["project"]))
    if key in seen_projects:
        problem(number, report.columns["project"], f"duplicate project: {values['project']!r} of "
                                                   f"{values['company']!r} is already on row {seen_projects[key]}",
                "duplicate", project=values["project"], company=values["company"], first_row=seen_projects[key])
    else:
        seen_projects[key] = number


def _import_row(number: int, values: dict[str, str], parsed: dict[str, object]) -> ImportRow:
    return ImportRow(
        row=number, company_id="", company_zh=values["company"], company_en=values.get("company_en") or None,
        credit_code=parsed.get("credit_code"), project_zh=values["project"],
        project_en=values.get("project_en") or None, district_raw=values["district"],
        district_code=parsed.get("district"), industry_raw=values.get("industry") or None,
        industry_code=parsed.get("industry"), category=parsed.get("category"), award_level=parsed.get("award"))


def _resolve_companies(report: ImportReport, imported_names: dict[str, str], problem) -> None:
    """company_id per row: credit code, else a code the file gives for that name, else an imported company
    of that name, else a name-derived id. One code with two different names is a problem."""
    code_of_name: dict[str, str] = {}
    name_of_code: dict[str, tuple[str, int]] = {}
    for row in report.rows:
        if row.credit_code:
            name_key = alias_key(row.company_zh)
            first = name_of_code.setdefault(row.credit_code, (name_key, row.row))
            if first[0] != name_key:
                problem(row.row, report.columns["credit_code"],
                        f"credit code {row.credit_code} is given for {row.company_zh!r} here and for another "
                        f"company name on row {first[1]}", "code_two_names", code=row.credit_code,
                        company=row.company_zh, first_row=first[1])
            code_of_name.setdefault(name_key, row.credit_code)
    for row in report.rows:
        name_key = alias_key(row.company_zh)
        row.company_id = (row.credit_code or code_of_name.get(name_key) or imported_names.get(name_key)
                          or name_id(row.company_zh))
    if report.problems:
        bad = {p.row for p in report.problems}
        report.rows = [r for r in report.rows if r.row not in bad]


def _plan(report: ImportReport, con: duckdb.DuckDBPyConnection, known: dict[str, str]) -> None:
    session = report.session
    plan = report.plan
    plan.new_session = sql.value(con, "session_exists", session=session) == 0
    plan.records_to_add = len(report.rows)
    companies = {r.company_id for r in report.rows}
    plan.companies_in_file = len(companies)
    plan.companies_new = len(companies - known.keys())
    plan.records_to_replace = dict(sql.run(con, "session_records_by_source", session=session))
    plan.profiles_to_remove = sql.value(con, "session_row_count", "company_profiles", session=session)
    plan.applications_to_remove = sql.value(con, "session_row_count", "applications", session=session)
    if plan.new_session:
        last = sql.value(con, "latest_session") or 0
        if report.session > last + 1:
            report.warnings.append(f"session {report.session} leaves a gap after session {last}")
