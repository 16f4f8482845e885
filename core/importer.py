"""Import an official list of approved records for one session (CSV or XLSX) into the database.

Two steps, so a UI can show the check before anything is written:

    report = validate(path, session)        # reads and checks the file; writes nothing
    if report.ok:
        result = apply(report)              # writes a copy of the database and swaps it in

Both take `progress`, a callable that receives a `Step` (stable `key` for translation, an English `text`
with the numbers, and `fraction` 0..1 for a progress bar). `python -m core.cli import FILE --session N
[--dry-run]` is a thin wrapper around them.

Reading
    CSV in UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK or GB18030 (detected with charset-normalizer; any
    GB-family guess is read as GB18030, the superset), delimiter sniffed; XLSX via openpyxl, first sheet
    that has a header row. Title rows above the header are skipped: the header is the first of the top
    rows whose cells name the required columns (Chinese or English, common variants, see `FIELDS`).
    Columns the file lacks become NULL; unrecognised columns are ignored and listed in the report.

Checking (every problem is collected; each names the file, the spreadsheet row as Excel shows it, and the
column letter with its header)
    empty company / project / district cell; district spelling not in district_aliases (resolved with
    core.build.district_lookup + core.districts.alias_key, the same path as the build); credit code that
    fails stdnum.cn.uscc; one credit code given for two different company names; industry that is neither
    a GB/T 4754 code in `industries`, nor one of its names, nor a session-1 name (机械, 医药 …); unknown
    category (产品研发 / 生产制造 / 现代服务 or product_rd / manufacturing / modern_service) or a category
    before session 21; unknown award level (国家级 / 省级 / 市级 or national / provincial / municipal; blank
    means none); the same project of the same company twice. Any problem: nothing is written.

What an import replaces (a session is either demo or imported, never a mix)
    All rows of the session in `records`, `applications` and `company_profiles` are deleted, whatever their
    source (demo rows, or an earlier import of the same session), and replaced by:
      * records: one per row of the file, record_id `R<session>-I<row order>`, source `import:<file name>`;
      * applications: one per imported record (an approved project was an application), linked by
        record_id. Rejected applications are not in an approved list, so none are invented;
      * company_profiles: none. Applicant attributes (high-tech status, revenue, SRDI titles) and the
        rejected applicants are not in an approved list, so applicant figures of an imported session are
        missing, not guessed; published applicant figures stay in `published_stats` and reconciliation
        shows them as not derivable.
    Companies: company_id is the credit code when the row gives one; otherwise the code another row of the
    file gives for the same name, or an imported company of that exact name already in the database, or
    `NAME-<hash of the normalised name>`. New ids are inserted; an existing demo company with the same id
    takes the imported names and source (its district_code stays: DuckDB cannot update a foreign-key column
    of a row other tables reference); an existing imported company is kept as it is.
    Demo companies left without any record, profile or application are deleted.
    A session number not yet in `sessions` gets its row (year = 2001 + N, names like the others).
    One `import_log` row (file name, sha256, rows accepted / rejected, who, when in UTC) is added, and
    meta build_id is refreshed with core.build.stamp.

Writing
    A DuckDB writer locks readers out, so `apply` copies the database file, changes the copy and swaps it
    in with os.replace: a running dashboard keeps reading the old file until the swap, and an interrupted
    import leaves the old file untouched. Imports in one process run one at a time; if the file or the
    database changed since `validate`, `apply` validates again first (two processes importing at the
    same moment are not coordinated: the later swap wins).
"""

from __future__ import annotations

import csv
import getpass
import hashlib
import io
import os
import re
import shutil
import threading
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import charset_normalizer
import duckdb
import pandas as pd
from stdnum import exceptions as stdnum_exceptions
from stdnum.cn import uscc

from core import build as build_module
from core.db import db_path
from core.districts import alias_key

# --- columns ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # how messages name the field when the file lacks it
    required: bool
    variants: tuple[str, ...]


FIELDS = [
    FieldSpec("seq", "序号 / No.", False, ("序号", "编号", "序", "no", "no.", "number", "#", "s/n", "item")),
    FieldSpec("company", "企业名称 / Company", True,
              ("企业名称", "公司名称", "单位名称", "申报单位", "申报企业", "申报单位名称", "企业", "公司", "单位",
               "company", "company name", "enterprise", "enterprise name", "applicant", "organisation",
               "organization")),
    FieldSpec("company_en", "企业英文名称 / Company (English)", False,
              ("企业英文名称", "英文企业名称", "企业名称(英文)", "公司英文名称", "company name (english)",
               "company (english)", "company name en", "company_en", "english company name")),
    FieldSpec("credit_code", "统一社会信用代码 / Credit code", False,
              ("统一社会信用代码", "信用代码", "社会信用代码", "统一信用代码", "credit code",
               "unified social credit code", "social credit code", "uscc")),
    FieldSpec("project", "项目名称 / Project", True,
              ("项目名称", "纪录名称", "创新纪录名称", "新纪录名称", "纪录项目名称", "纪录项目", "项目", "纪录",
               "project", "project name", "record", "record name", "record title")),
    FieldSpec("project_en", "项目英文名称 / Project (English)", False,
              ("项目英文名称", "英文项目名称", "项目名称(英文)", "纪录英文名称", "project name (english)",
               "project (english)", "project name en", "project_en", "english project name")),
    FieldSpec("district", "所属区 / District", True,
              ("所属区", "区域", "辖区", "所在区", "行政区", "所属区域", "所在区域", "所属辖区", "所属行政区", "区",
               "district", "area", "region")),
    FieldSpec("industry", "行业 / Industry", False,
              ("行业", "所属行业", "行业类别", "行业分类", "行业代码", "所属行业代码", "国民经济行业", "industry",
               "industry code", "sector")),
    FieldSpec("category", "类别 / Category", False,
              ("类别", "项目类别", "纪录类别", "类型", "申报类别", "category", "type", "project category")),
    FieldSpec("award", "获奖情况 / Award", False,
              ("获奖情况", "获奖", "奖项", "获奖等级", "获奖级别", "科技奖励", "科技进步奖", "award", "awards",
               "award level", "prize")),
]
FIELD = {f.key: f for f in FIELDS}
REQUIRED = [f.key for f in FIELDS if f.required]
HEADER_SCAN_ROWS = 30
DELIMITERS = [",", "\t", ";", "|"]


def _header_key(text: str) -> str:
    key = alias_key(text)
    key = key.strip("*:：#") if key.strip("*:：#") else key
    return re.sub(r"[_\-*:：]", "", key)


def _without_brackets(key: str) -> str:
    return re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", key)


_HEADER_EXACT = {_header_key(v): f.key for f in FIELDS for v in f.variants}


def match_header(text: str) -> str | None:
    """The field a header cell names, or None (Chinese or English, any width, case or spacing)."""
    if not text.strip():
        return None
    key = _header_key(text)
    return _HEADER_EXACT.get(key) or _HEADER_EXACT.get(_without_brackets(key))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as a spreadsheet labels columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- values ----------------------------------------------------------------------------------------------

CATEGORIES = {
    "product_rd": ("产品研发", "产品研发类", "研发", "product_rd", "product r&d", "productrd", "r&d",
                   "product research and development", "product development"),
    "manufacturing": ("生产制造", "生产制造类", "制造", "manufacturing", "production", "production/manufacturing",
                      "production and manufacturing", "production & manufacturing"),
    "modern_service": ("现代服务", "现代服务类", "现代服务业", "服务", "modern_service", "modern service",
                       "modern services", "service", "services"),
}
CATEGORY_SINCE = 21
_NO_AWARD = {"", "无", "否", "没有", "暂无", "-", "--", "—", "——", "/", "none", "no", "n/a", "na", "nil", "0"}
_AWARD_WORDS = [
    ("national", ("国家", "national", "state")),
    ("provincial", ("省", "provincial", "guangdong")),
    ("municipal", ("市", "municipal", "city", "shenzhen")),
]


def _value_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", alias_key(text))


_CATEGORY_KEYS = {_value_key(v): key for key, values in CATEGORIES.items() for v in values}


def parse_category(text: str) -> str | None:
    """product_rd / manufacturing / modern_service, or None when the text is none of them."""
    return _CATEGORY_KEYS.get(_value_key(text))


def parse_award(text: str) -> tuple[bool, str | None]:
    """(understood, level): the highest level named (国家级 > 省级 > 市级); blank or 无 means no award."""
    key = alias_key(text)
    if key in _NO_AWARD:
        return True, None
    for level, words in _AWARD_WORDS:
        if any(word in key for word in words):
            return True, level
    return False, None


class IndustryResolver:
    """GB/T 4754 code for an industry cell: a code, a code followed by its name, a name, or a session-1 name."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        rows = con.execute("SELECT industry_code, name_zh, name_en, level FROM industries "
                           "ORDER BY level DESC, industry_code").fetchall()  # divisions win name clashes
        self.codes = {code.upper(): code for code, *_ in rows}
        self.names: dict[str, str] = {}
        for code, name_zh, name_en, _level in rows:
            for name in (name_zh, name_en):
                for variant in self._variants(name):
                    self.names.setdefault(variant, code)
        for row in build_module.read_raw("session1_industries.csv").itertuples():
            self.names.setdefault(_value_key(row.industry_raw), row.industry_code)
            self.names.setdefault(_value_key(row.name_en), row.industry_code)

    @staticmethod
    def _variants(name: str) -> list[str]:
        key = _value_key(name)
        variants = [key]
        for suffix in ("制造业", "服务业", "业", "制造", "服务"):
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                variants.append(key[: -len(suffix)])
        return variants

    def resolve(self, text: str) -> str | None:
        folded = unicodedata.normalize("NFKC", text).strip()
        if folded.upper() in self.codes:
            return self.codes[folded.upper()]
        lead = re.match(r"([A-Za-z]\d{2,4})(?![0-9])\W*(.*)$", folded)
        if lead and lead.group(1).upper() in self.codes:
            return self.codes[lead.group(1).upper()]
        key = _value_key(folded)
        for variant in self._variants(folded):
            if variant in self.names:
                return self.names[variant]
        return self.names.get(key)


def name_id(name: str) -> str:
    """Stable company_id for a company listed without a credit code (never shaped like a credit code)."""
    return "NAME-" + hashlib.sha256(alias_key(name).encode()).hexdigest()[:16].upper()


# --- report ----------------------------------------------------------------------------------------------


# Problems the UI shows in the reader's language (locales: import.problem.<key>).
PROBLEM_KEYS = ("unreadable", "encoding", "not_a_table", "no_header", "second_column", "missing_column", "empty",
                "district", "credit_code", "industry", "category", "category_too_early", "award", "duplicate",
                "no_rows", "code_two_names")


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
        lines = [f"{self.file_name}: {self.rows_read} data rows"
                 + (f" ({self.format}, {self.encoding})" if self.encoding else f" ({self.format})")
                 + (f", header on row {self.header_row}" if self.header_row else "")]
        if not self.ok:
            lines.append(f"{len(self.problems)} problem(s) in {self.rows_rejected} row(s); nothing can be imported")
            return lines
        plan = self.plan
        lines.append(f"add {plan.records_to_add} records from {plan.companies_in_file} companies "
                     f"({plan.companies_new} new) to session {self.session}")
        if plan.new_session:
            lines.append(f"create session {self.session} ({2001 + self.session})")
        replaced = ", ".join(f"{n} {source}" for source, n in sorted(plan.records_to_replace.items()))
        lines.append(f"replace {sum(plan.records_to_replace.values())} records of session {self.session}"
                     + (f" ({replaced})" if replaced else "")
                     + f", {plan.applications_to_remove} applications and {plan.profiles_to_remove} applicant profiles")
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


# --- reading ---------------------------------------------------------------------------------------------

_GB_FAMILY = {"gb18030", "gbk", "gb2312", "cp936", "hz", "euc_cn"}


def detect_encoding(data: bytes) -> str:
    """utf-8-sig / utf-16 by BOM, utf-8 when it decodes, else charset-normalizer (GB family -> gb18030)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    results = charset_normalizer.from_bytes(data)
    names = [r.encoding.lower().replace("-", "_") for r in results]
    if any(name in _GB_FAMILY for name in names):
        return "gb18030"
    best = results.best()
    if best is not None:
        return best.encoding
    data.decode("gb18030")  # raises UnicodeDecodeError: reported as unreadable
    return "gb18030"


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    return str(value).strip()


def read_table(path: Path, data: bytes) -> tuple[str, str | None, str | None, list[tuple[int, list[str]]]]:
    """(format, encoding, sheet, [(spreadsheet row number, cell texts)]) for a CSV or XLSX file."""
    if data[:4] == b"PK\x03\x04" or path.suffix.lower() in {".xlsx", ".xlsm"}:
        import openpyxl

        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        try:
            sheets = []
            for sheet in book.worksheets:
                rows = [(number, [_cell_text(v) for v in values])
                        for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1)]
                sheets.append((sheet.title, rows))
        finally:
            book.close()
        for title, rows in sheets:  # the first sheet with a header row
            if find_header(rows)[0] is not None:
                return "xlsx", None, title, rows
        return "xlsx", None, sheets[0][0] if sheets else None, sheets[0][1] if sheets else []
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    best: tuple[tuple[bool, int], list] = ((False, -1), [])
    for delimiter in DELIMITERS:  # the delimiter whose header row names the most fields
        reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        rows = [(number, [cell.strip() for cell in cells]) for number, cells in enumerate(reader, start=1)]
        fields = set(find_header(rows)[1].values())
        score = (set(REQUIRED) <= fields, len(fields))
        if score > best[0]:
            best = (score, rows)
    return "csv", encoding, None, best[1]


def find_header(rows: list[tuple[int, list[str]]]) -> tuple[int | None, dict[int, str]]:
    """The header row (first of the top rows naming every required field; else the best partial one)."""
    best: tuple[int, int | None, dict[int, str]] = (1, None, {})
    for number, cells in rows[:HEADER_SCAN_ROWS]:
        mapping = {i: f for i, cell in enumerate(cells) if (f := match_header(cell))}
        fields = set(mapping.values())
        if set(REQUIRED) <= fields:
            return number, mapping
        if len(fields) > best[0]:
            best = (len(fields), number, mapping)
    return best[1], best[2]


# --- validation ------------------------------------------------------------------------------------------


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _notify(progress: Progress | None, key: str, text: str, fraction: float) -> None:
    if progress is not None:
        progress(Step(key, text, fraction))


def validate(path: str | os.PathLike, session: int, db: str | os.PathLike | None = None,
             progress: Progress | None = None) -> ImportReport:
    """Read and check `path` as the approved list of `session` against the database `db` (default:
    RECORDS_DB). Writes nothing; bad input becomes `report.problems`, never an exception."""
    path = Path(path)
    report = ImportReport(path=path, session=session, db_path=Path(db or db_path()), file_name=path.name)

    def problem(row: int | None, column: str | None, message: str, key: str | None = None, **values) -> None:
        assert key is None or key in PROBLEM_KEYS, key
        report.problems.append(Problem(report.file_name, row, column, message, key, values))

    if not isinstance(session, int) or session < 1:
        problem(None, None, f"session must be a positive whole number, not {session!r}")
        return report
    if not report.db_path.exists():
        problem(None, None, f"the database {report.db_path} does not exist; build it first "
                            "(python -m core.cli build)")
        return report
    _notify(progress, "read", f"Reading {path.name}", 0.05)
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem(None, None, f"cannot read the file: {exc.strerror or exc}", "unreadable",
                detail=str(exc.strerror or exc))
        return report
    report.sha256 = _sha256(data)
    try:
        report.format, report.encoding, report.sheet, rows = read_table(path, data)
    except (UnicodeDecodeError, LookupError):
        problem(None, None, "cannot tell the text encoding; save the list as UTF-8 CSV or as XLSX", "encoding")
        return report
    except Exception as exc:  # openpyxl raises many kinds for a damaged workbook
        problem(None, None, f"cannot read the file as CSV or XLSX: {exc}", "not_a_table", detail=str(exc))
        return report

    header_row, mapping = find_header(rows)
    if header_row is None:
        problem(None, None, "no header row found in the first rows: expected columns such as 企业名称 / Company, "
                            "项目名称 / Project and 所属区 / District", "no_header")
        return report
    report.header_row = header_row
    header_cells = dict(rows)[header_row]
    _notify(progress, "header", f"Header found on row {header_row}", 0.1)

    by_field: dict[str, int] = {}
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
    if report.problems:
        return report
    if "category" not in by_field and session >= CATEGORY_SINCE:
        report.warnings.append(f"no category column: the records of session {session} will have no category")

    with duckdb.connect(str(report.db_path), read_only=True) as con:
        lookup = build_module.district_lookup(con)
        industries = IndustryResolver(con)
        report.build_id = _build_id(con)
        known = dict(con.execute("SELECT company_id, source FROM companies").fetchall())
        imported_names = {}
        for company_id, name in con.execute("SELECT company_id, name_zh FROM companies WHERE source <> 'demo' "
                                            "ORDER BY company_id").fetchall():
            imported_names.setdefault(alias_key(name), company_id)
        _check_rows(report, rows, header_row, by_field, lookup, industries, problem, progress)
        _resolve_companies(report, imported_names, problem)
        if report.ok:
            _plan(report, con, known)
    _notify(progress, "plan", "Checked: " + "; ".join(report.summary()[1:]), 1.0)
    return report


def _check_rows(report: ImportReport, rows, header_row: int, by_field: dict[str, int], lookup: dict[str, str],
                industries: IndustryResolver, problem, progress: Progress | None) -> None:
    session = report.session
    data_rows = [(n, cells) for n, cells in rows if n > header_row and any(c for c in cells)]
    report.rows_read = len(data_rows)
    seen_projects: dict[tuple[str, str], int] = {}
    blank_categories = 0
    for position, (number, cells) in enumerate(data_rows):
        if position % 200 == 0:
            _notify(progress, "check", f"Checking row {position + 1} of {len(data_rows)}",
                    0.1 + 0.8 * position / max(1, len(data_rows)))

        def cell(key: str, cells=cells) -> str:
            index = by_field.get(key)
            return cells[index].strip() if index is not None and index < len(cells) else ""

        def where(key: str) -> str:
            return report.columns[key]

        before = len(report.problems)
        values = {key: cell(key) for key in by_field}
        for key in REQUIRED:
            if not values[key]:
                problem(number, where(key), f"empty {FIELD[key].label} (required)", "empty",
                        field=FIELD[key].label)

        district_code = None
        if values["district"]:
            district_code = lookup.get(alias_key(values["district"]))
            if district_code is None:
                problem(number, where("district"), f"unknown district {values['district']!r} "
                                                   "(not a spelling in district_aliases)", "district",
                        value=values["district"])

        credit_code = None
        if values.get("credit_code"):
            try:
                credit_code = uscc.validate(values["credit_code"])
            except stdnum_exceptions.ValidationError as exc:
                problem(number, where("credit_code"),
                        f"invalid unified social credit code {values['credit_code']!r}: {exc.message}",
                        "credit_code", value=values["credit_code"])

        industry_code = None
        if values.get("industry"):
            industry_code = industries.resolve(values["industry"])
            if industry_code is None:
                problem(number, where("industry"), f"unknown industry {values['industry']!r} (give a GB/T 4754 "
                                                   "code such as C39, or a division or group name)", "industry",
                        value=values["industry"])

        category = None
        if values.get("category"):
            category = parse_category(values["category"])
            if category is None:
                problem(number, where("category"), f"unknown category {values['category']!r} (expected 产品研发, "
                                                   "生产制造 or 现代服务)", "category", value=values["category"])
            elif session < CATEGORY_SINCE:
                problem(number, where("category"), f"category {values['category']!r} given, but categories exist "
                                                   f"from session {CATEGORY_SINCE} on", "category_too_early",
                        value=values["category"], since=CATEGORY_SINCE)
        elif "category" in by_field:
            blank_categories += 1

        award_level = None
        if "award" in by_field:
            understood, award_level = parse_award(values["award"])
            if not understood:
                problem(number, where("award"), f"unknown award level {values['award']!r} (expected 国家级, 省级, "
                                                "市级 or blank)", "award", value=values["award"])

        if values["company"] and values["project"]:
            key = (credit_code or alias_key(values["company"]), _value_key(values["project"]))
            if key in seen_projects:
                problem(number, where("project"), f"duplicate project: {values['project']!r} of "
                                                  f"{values['company']!r} is already on row {seen_projects[key]}",
                        "duplicate", project=values["project"], company=values["company"],
                        first_row=seen_projects[key])
            else:
                seen_projects[key] = number

        if len(report.problems) == before:
            report.rows.append(ImportRow(
                row=number, company_id="", company_zh=values["company"], company_en=values.get("company_en") or None,
                credit_code=credit_code, project_zh=values["project"], project_en=values.get("project_en") or None,
                district_raw=values["district"], district_code=district_code,
                industry_raw=values.get("industry") or None, industry_code=industry_code, category=category,
                award_level=award_level))
    if blank_categories:
        report.warnings.append(f"{blank_categories} row(s) with a blank category")
    if not data_rows:
        problem(None, None, f"no data rows below the header on row {header_row}", "no_rows", header_row=header_row)


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
    session = {"s": report.session}
    plan = report.plan
    plan.new_session = con.execute("SELECT count(*) FROM sessions WHERE session_no = $s", session).fetchone()[0] == 0
    plan.records_to_add = len(report.rows)
    companies = {r.company_id for r in report.rows}
    plan.companies_in_file = len(companies)
    plan.companies_new = len(companies - known.keys())
    plan.records_to_replace = dict(con.execute("SELECT source, count(*) FROM records WHERE session_no = $s "
                                               "GROUP BY source", session).fetchall())
    plan.profiles_to_remove = con.execute("SELECT count(*) FROM company_profiles WHERE session_no = $s",
                                          session).fetchone()[0]
    plan.applications_to_remove = con.execute("SELECT count(*) FROM applications WHERE session_no = $s",
                                              session).fetchone()[0]
    if plan.new_session:
        last = con.execute("SELECT max(session_no) FROM sessions").fetchone()[0] or 0
        if report.session > last + 1:
            report.warnings.append(f"session {report.session} leaves a gap after session {last}")


def _build_id(con: duckdb.DuckDBPyConnection) -> str | None:
    row = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchone()
    return row[0] if row else None


# --- writing ---------------------------------------------------------------------------------------------

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


def ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def session_row(session: int) -> dict:
    return {"session_no": session, "year": 2001 + session,
            "name_zh": f"第{chinese_number(session)}届深圳企业创新纪录",
            "name_en": f"{ordinal(session)} Shenzhen Enterprise Innovation Records",
            "programme_name_zh": "深圳企业创新纪录", "name_attested": False,
            "note_zh": "由导入的官方名单创建", "note_en": "Created by importing an official list"}


def _who() -> str:
    try:
        return os.environ.get("USER") or getpass.getuser()
    except Exception:  # no user name on this system
        return "unknown"


def apply(report: ImportReport, progress: Progress | None = None, who: str | None = None) -> ImportResult:
    """Write an accepted report into a copy of its database and swap the copy in. Raises ImportRejected for
    a report with problems. If the file or the database changed since `validate`, it is validated again."""
    with _apply_lock:  # one import at a time in this process; the next one re-checks against the result
        return _apply(report, progress, who)


def _apply(report: ImportReport, progress: Progress | None, who: str | None) -> ImportResult:
    target = report.db_path
    if Path(f"{target}.wal").exists():
        raise RuntimeError(f"{target} has an unfinished write-ahead log ({target}.wal): another process is "
                           "writing to it or crashed while writing; rebuild or retry later")
    current = validate_again_if_stale(report)
    if not current.ok:
        raise ImportRejected(current)
    report = current
    source = f"import:{report.file_name}"
    tmp = target.with_name(f"{target.name}.import-{os.getpid()}-{threading.get_ident()}")
    tmp.unlink(missing_ok=True)
    _notify(progress, "copy", f"Copying {target.name}", 0.1)
    shutil.copyfile(target, tmp)
    try:
        # Autocommit per statement: DuckDB refuses to delete a parent row whose children were deleted earlier
        # in the same transaction; the copy-and-swap makes the whole import atomic instead.
        with duckdb.connect(str(tmp)) as con:
            s = {"s": report.session}
            replaced = con.execute("SELECT count(*) FROM records WHERE session_no = $s", s).fetchone()[0]
            _notify(progress, "replace", f"Removing the {replaced} records of session {report.session}", 0.3)
            con.execute("DELETE FROM applications WHERE session_no = $s", s)
            con.execute("DELETE FROM company_profiles WHERE session_no = $s", s)
            con.execute("DELETE FROM records WHERE session_no = $s", s)
            if report.plan.new_session:
                build_module.insert(con, "sessions", pd.DataFrame([session_row(report.session)]))

            _notify(progress, "insert", f"Adding {len(report.rows)} records", 0.5)
            companies_added = _upsert_companies(con, report, source)
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
            con.execute("DELETE FROM companies c WHERE c.source = 'demo' "
                        "AND NOT EXISTS (SELECT 1 FROM records r WHERE r.company_id = c.company_id) "
                        "AND NOT EXISTS (SELECT 1 FROM company_profiles p WHERE p.company_id = c.company_id) "
                        "AND NOT EXISTS (SELECT 1 FROM applications a WHERE a.company_id = c.company_id)")

            _notify(progress, "log", "Writing the import log", 0.8)
            import_id = con.execute("SELECT coalesce(max(import_id), 0) + 1 FROM import_log").fetchone()[0]
            con.execute("INSERT INTO import_log VALUES ($id, $file, $sha, $s, $accepted, $rejected, $who, $at)",
                        {"id": import_id, "file": report.file_name, "sha": report.sha256, "s": report.session,
                         "accepted": len(report.rows), "rejected": report.rows_rejected, "who": who or _who(),
                         "at": datetime.now(UTC).replace(tzinfo=None)})
            build_module.stamp(con)
            build_id = _build_id(con)
            con.execute("CHECKPOINT")
        _notify(progress, "swap", f"Swapping in the new {target.name}", 0.95)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    _notify(progress, "done", f"Imported {len(report.rows)} records into session {report.session}", 1.0)
    return ImportResult(session=report.session, db_path=target, import_id=import_id,
                        records_added=len(report.rows), records_replaced=replaced,
                        companies_added=companies_added, build_id=build_id)


def validate_again_if_stale(report: ImportReport) -> ImportReport:
    """The report itself if neither the file nor the database changed since it was made, else a fresh one."""
    try:
        same_file = _sha256(report.path.read_bytes()) == report.sha256
    except OSError:
        same_file = False
    with duckdb.connect(str(report.db_path), read_only=True) as con:
        same_db = _build_id(con) == report.build_id
    return report if same_file and same_db else validate(report.path, report.session, report.db_path)


def _upsert_companies(con: duckdb.DuckDBPyConnection, report: ImportReport, source: str) -> int:
    existing = dict(con.execute("SELECT company_id, source FROM companies").fetchall())
    first: dict[str, ImportRow] = {}
    for row in report.rows:
        first.setdefault(row.company_id, row)
    new = [r for cid, r in first.items() if cid not in existing]
    for cid, r in first.items():
        if existing.get(cid) == "demo":
            # district_code stays: DuckDB cannot update an indexed (foreign-key) column of a row other tables
            # still reference; records carry each session's district anyway.
            con.execute("UPDATE companies SET name_zh = $zh, name_en = $en, source = $src WHERE company_id = $id",
                        {"zh": r.company_zh, "en": r.company_en, "src": source, "id": cid})
    if new:
        build_module.insert(con, "companies", pd.DataFrame([
            {"company_id": r.company_id, "name_zh": r.company_zh, "name_en": r.company_en,
             "district_code": r.district_code, "source": source} for r in new]))
    return len(new)
