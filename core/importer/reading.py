"""Reading files: bytes within the limits, CSV encodings and delimiters, XLSX sheets, the header row.

CSV in UTF-8, UTF-8 with BOM, UTF-16 with BOM, GBK or GB18030 (detected with charset-normalizer; any GB-family
guess is read as GB18030, the superset) or Big5; any other guess (Latin-1, Shift-JIS...) is refused, as no
Chinese list is written in it; delimiter sniffed; XLSX via openpyxl, first sheet that has a header
row. Title rows above the header are skipped: the header is the first of the top rows whose cells name the
required columns. openpyxl's read-only mode trusts a sheet's declared dimension (a 50-row sheet declaring 10
rows reads as 10, one declaring a million pads a million empty rows), so dimensions are reset and the rows
actually stored are read, up to a cap.
"""

from __future__ import annotations

import csv
import io
import zipfile
from datetime import datetime
from pathlib import Path

import charset_normalizer

from core.importer import limits
from core.importer.fields import HEADER_SCAN_ROWS, REQUIRED, column_letter, match_header

DELIMITERS = [",", "\t", ";", "|"]
_GB_FAMILY = {"gb18030", "gbk", "gb2312", "cp936", "hz", "euc_cn"}
_BIG5_FAMILY = {"big5", "big5hkscs", "cp950"}  # traditional characters, read as they are

Rows = list[tuple[int, list[str]]]


def read_bytes(path: Path) -> bytes:
    """The file's bytes: a regular file within the byte limit (a FIFO or /dev/zero is never read)."""
    limits.check_file(path)
    with open(path, "rb") as f:
        data = f.read(limits.MAX_BYTES + 1)
    limits.check_size(len(data))  # it grew after the check
    return data


def _codec(name: str) -> str:
    """An encoding name as the families above spell it: lower case, `_` for `-` (charset-normalizer says `GB2312`)."""
    return name.lower().replace("-", "_")


def detect_encoding(data: bytes) -> str:
    """utf-8-sig / utf-16 by BOM, utf-8 when it decodes, else charset-normalizer (GB family -> gb18030, Big5 as
    guessed, LookupError for any other guess; gb18030 when it has none but the bytes decode)."""
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
    if any(_codec(r.encoding) in _GB_FAMILY for r in results):
        return "gb18030"
    best = results.best()
    if best is not None:
        if _codec(best.encoding) not in _BIG5_FAMILY:
            # a Latin-1 list guessed as cp1006 (Urdu) read as garbage; a Chinese list is in none of the others
            raise LookupError(f"{best.encoding}: not an encoding a Chinese list is written in")
        return best.encoding
    data.decode("gb18030")  # raises UnicodeDecodeError: reported as unreadable
    return "gb18030"


def cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    return str(value).strip()


def is_xlsx(path: Path, data: bytes) -> bool:
    return data[:4] == b"PK\x03\x04" or path.suffix.lower() in {".xlsx", ".xlsm"}


def read_table(path: Path, data: bytes) -> tuple[str, str | None, str | None, Rows]:
    """(format, encoding, sheet, [(spreadsheet row number, cell texts)]) for a CSV or XLSX file."""
    if is_xlsx(path, data):
        title, rows = _read_xlsx(data)
        limits.check_shape(rows, column_letter)
        return "xlsx", None, title, rows
    encoding, rows = _read_csv(data)
    limits.check_shape(rows, column_letter)
    return "csv", encoding, None, rows


def _read_xlsx(data: bytes) -> tuple[str | None, Rows]:
    import openpyxl

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        limits.check_xlsx(archive)
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = [(sheet.title, _sheet_rows(sheet)) for sheet in book.worksheets]
    finally:
        book.close()
    for title, rows in sheets:  # the first sheet with a header row
        if find_header(rows)[0] is not None:
            return title, rows
    return (sheets[0][0], sheets[0][1]) if sheets else (None, [])


def _sheet_rows(sheet) -> Rows:
    sheet.reset_dimensions()  # read what is stored, not what the sheet declares
    rows = []
    for number, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
        if number > limits.ROW_CAP:
            raise limits.too_many_rows(number)
        if len(values) > limits.MAX_COLUMNS and any(v is not None for v in values[limits.MAX_COLUMNS:]):
            raise limits.LimitExceeded("too_many_columns", f"row {number} has {len(values)} columns; the limit "
                                                           f"is {limits.MAX_COLUMNS}",
                                       values={"limit": limits.MAX_COLUMNS})
        rows.append((number, [cell_text(v) for v in values[: limits.MAX_COLUMNS]]))
    return rows


def _read_csv(data: bytes) -> tuple[str, Rows]:
    encoding = detect_encoding(data)
    text = data.decode(encoding)
    if text.startswith("\ufeff"):
        text = text[1:]
    best: tuple[tuple[bool, int], Rows] = ((False, -1), [])
    for delimiter in DELIMITERS:  # the delimiter whose header row names the most fields
        rows = _csv_rows(text, delimiter)
        fields = set(find_header(rows)[1].values())
        score = (set(REQUIRED) <= fields, len(fields))
        if score > best[0]:
            best = (score, rows)
    return encoding, best[1]


def _csv_rows(text: str, delimiter: str) -> Rows:
    rows = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for number, cells in enumerate(reader, start=1):
            if number > limits.ROW_CAP:
                raise limits.too_many_rows(number)
            rows.append((number, [cell.strip() for cell in cells]))
    except csv.Error as exc:
        if "field larger" not in str(exc):  # csv's own cell limit (128 KB); other errors: not a table
            raise
        raise limits.LimitExceeded("cell_too_long", f"{exc}; the limit is {limits.MAX_CELL_CHARS:,} characters",
                                   row=reader.line_num, values={"length": "> 131072",
                                                                "limit": limits.MAX_CELL_CHARS}) from None
    return rows


def find_header(rows: Rows) -> tuple[int | None, dict[int, str]]:
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
