"""Table files (CSV, XLSX) and file names that are legal everywhere.

Spreadsheets are an attack surface: a company name such as ``=HYPERLINK("http://evil", "click")`` imported
from an official list would run as a formula in Excel. Every text cell starting with ``=``, ``+``, ``-``,
``@``, tab or carriage return gets a leading apostrophe (OWASP's advice), and XLSX is written with xlsxwriter's
formula and URL conversion off, so text stays text even where the apostrophe were missing.

A table may carry its context (data kind, title, filters, source, data version, date): leading lines in a
CSV, a second sheet in an XLSX, so a file forwarded on its own still says what it is. The data kind comes
first: a CSV's first line reads "数据性质,演示数据：非官方名单" ("Data,Demo data: not the official lists")
while demo data is loaded, and an XLSX's first sheet then starts with that marker above the table.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.i18n import t

if TYPE_CHECKING:
    import pandas as pd

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10)}
_MAX_STEM_BYTES = 150  # well under the 255-byte limit; Chinese is 3 bytes a char
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
XLSX_OPTIONS = {"strings_to_formulas": False, "strings_to_urls": False}
WARN = {"bold": True, "font_color": "#B91C1C"}  # the demo marker's look in a workbook


def safe_filename(*parts: object, ext: str) -> str:
    """Join parts with "_" into a name legal on Windows, macOS and Linux.

    Chinese is kept; path separators, reserved characters and whitespace runs
    become "_"; None and empty parts are dropped.
    """
    words = [unicodedata.normalize("NFC", str(p)) for p in parts if p not in (None, "")]
    stem = _ILLEGAL.sub("_", "_".join(words))
    stem = re.sub(r"\s+", "_", stem)
    stem = re.sub(r"_+", "_", stem).strip("._ ")
    while len(stem.encode()) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip("._ ") or "export"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    ext = _ILLEGAL.sub("", ext.strip().lstrip("."))
    return f"{stem}.{ext}" if ext else stem


def defuse(value: object) -> object:
    """A text cell a spreadsheet would read as a formula, made plain text; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def defused(df: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell and header defused (numbers stay numbers)."""
    out = df.rename(columns=lambda c: defuse(str(c)))
    for col in out.columns:
        if not (out[col].dtype.kind in "biufcmM" or str(out[col].dtype) == "bool"):
            out[col] = out[col].map(defuse).astype(object)
    return out


@dataclass(frozen=True)
class TableContext:
    """What a table is: written above a CSV and on a second XLSX sheet."""

    title: str
    filters: str
    source: str
    data_version: str
    date: str
    demo: bool
    lang: str
    permalink: str = ""

    def rows(self) -> list[tuple[str, str]]:
        """(label, value) lines; the data kind first, so "demo data" is the first thing a file says."""
        lang = self.lang
        rows = [self.kind(),
                (t("export.title", lang), self.title), (t("export.filters", lang), self.filters),
                (t("export.source", lang), self.source), (t("export.version", lang), self.data_version),
                (t("export.date", lang), self.date)]
        if self.permalink:
            rows.append((t("export.link", lang), self.permalink))
        return [(label, value) for label, value in rows if value]

    def kind(self) -> tuple[str, str]:
        return t("export.data_kind", self.lang), t("export.demo" if self.demo else "export.official", self.lang)


def table_csv(df: pd.DataFrame, context: TableContext | None = None) -> bytes:
    """CSV in UTF-8 with BOM (without it Excel reads Chinese as GBK); context lines first, then a blank line.

    CRLF line ends (RFC 4180): with "\n" the csv writer leaves a bare carriage return in a cell unquoted,
    and readers split the row there."""
    head = ""
    if context is not None:
        buf = io.StringIO()
        writer = csv.writer(buf, lineterminator="\r\n")
        writer.writerows([defuse(label), defuse(value)] for label, value in context.rows())
        writer.writerow([])
        head = buf.getvalue()
    return (head + defused(df).to_csv(index=False, lineterminator="\r\n")).encode("utf-8-sig")


def _display_width(value: object) -> int:
    # wide (CJK) characters take two columns in Excel
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


def _sheet_name(title: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", title or "data").strip("'")
    return name[:31] or "data"


def table_xlsx(df: pd.DataFrame, sheet_title: str, context: TableContext | None = None) -> bytes:
    """The data sheet (bold frozen header, columns sized to their text), then a context sheet if given."""
    import pandas as pd

    sheet = _sheet_name(sheet_title)
    df = defused(df)
    marked = context is not None and context.demo
    top = 1 if marked else 0  # the demo marker's row above the table, where nobody misses it
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter", engine_kwargs={"options": XLSX_OPTIONS}) as writer:
        df.to_excel(writer, sheet_name=sheet, index=False, startrow=top)
        ws = writer.sheets[sheet]
        # pandas 3 writes a plain header; rewrite it bold
        bold = writer.book.add_format({"bold": True})
        ws.write_row(top, 0, [str(c) for c in df.columns], bold)
        ws.freeze_panes(top + 1, 0)
        if marked:
            label, value = context.kind()
            ws.write_string(0, 0, f"{label}: {value}", writer.book.add_format(WARN))
        for i, col in enumerate(df.columns):
            sample = df[col].head(1000).tolist()  # enough to size, cheap on big tables
            widest = max([_display_width(col)] + [_display_width(v) for v in sample])
            ws.set_column(i, i, min(widest + 2, 60))
        if context is not None:
            _context_sheet(writer.book, context, sheet)
    return buf.getvalue()


def _context_sheet(book, context: TableContext, data_sheet: str) -> None:
    name = _sheet_name(t("export.about_sheet", context.lang))
    ws = book.add_worksheet(name if name != data_sheet else f"{name}_")
    bold = book.add_format({"bold": True, "valign": "top"})
    wrap = book.add_format({"text_wrap": True, "valign": "top"})
    warn = book.add_format({**WARN, "text_wrap": True})
    rows = context.rows()
    for r, (label, value) in enumerate(rows):
        ws.write_string(r, 0, str(defuse(label)), bold)
        ws.write_string(r, 1, str(defuse(value)), warn if context.demo and r == 0 else wrap)
    ws.set_column(0, 0, max(_display_width(label) for label, _ in rows) + 2)
    ws.set_column(1, 1, 70)
