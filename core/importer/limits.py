"""Limits on an imported file, checked before anything is parsed where the file allows it.

A list of one session has a few hundred rows, so the limits are generous for real lists and small enough
that a hostile file cannot exhaust the server: the byte limit is Streamlit's `server.maxUploadSize` from
.streamlit/config.toml (the command line applies the same one); an XLSX is a ZIP, so its declared
uncompressed size, compression ratio and each sheet's declared dimension are read from the ZIP directory
and the sheet's first bytes before openpyxl sees it (a 5 KB zip bomb is refused without inflating it).
Every refusal states the limit.
"""

from __future__ import annotations

import re
import stat
import tomllib
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from core import config

CONFIG = config.STREAMLIT_CONFIG
MAX_ROWS = 20_000  # data rows
MAX_COLUMNS = 200
MAX_CELL_CHARS = 2_000
MAX_XLSX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_XLSX_RATIO = 100  # uncompressed / compressed; spreadsheets of text stay far below
ROW_CAP = MAX_ROWS + 1000  # rows read at most: title rows, blank rows and notes below the list fit
SHEET_HEAD_BYTES = 64 * 1024  # where a worksheet's <dimension> element sits


def max_upload_mb(config: Path = CONFIG) -> int:
    """server.maxUploadSize (MB) as the import page enforces it; Streamlit's default 200 if unset."""
    try:
        with open(config, "rb") as f:
            return int(tomllib.load(f).get("server", {}).get("maxUploadSize", 200))
    except (OSError, ValueError, tomllib.TOMLDecodeError):
        return 200


MAX_BYTES = max_upload_mb() * 1024 * 1024


@dataclass
class LimitExceeded(Exception):
    """A file over a limit; `key` and `values` are for the reader's language, `message` for the CLI."""

    key: str
    message: str
    row: int | None = None
    column: str | None = None
    values: dict = field(default_factory=dict)

    def __str__(self) -> str:
        return self.message


def _mb(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB"


def check_file(path: Path) -> int:
    """The size of `path` if it is a regular file within the byte limit; else LimitExceeded."""
    info = path.stat()  # OSError (missing, unreadable) is the caller's to report
    if not stat.S_ISREG(info.st_mode):
        kind = "a folder" if stat.S_ISDIR(info.st_mode) else "not a regular file"
        raise LimitExceeded("not_a_file", f"{path} is {kind}; give a CSV or XLSX file", values={"path": path.name})
    check_size(info.st_size)
    return info.st_size


def check_size(size: int) -> None:
    if size > MAX_BYTES:
        raise LimitExceeded("too_big", f"the file is {_mb(size)}; the limit is {_mb(MAX_BYTES)} "
                                       "(server.maxUploadSize)", values={"size": _mb(size), "limit": _mb(MAX_BYTES)})


def check_xlsx(book: zipfile.ZipFile) -> None:
    """Refuse a workbook whose ZIP directory or sheet dimensions promise more than the limits."""
    entries = book.infolist()
    unpacked = sum(e.file_size for e in entries)
    packed = max(1, sum(e.compress_size for e in entries))
    if unpacked > MAX_XLSX_UNCOMPRESSED:
        raise LimitExceeded("xlsx_too_big", f"the workbook unpacks to {_mb(unpacked)}; the limit is "
                                            f"{_mb(MAX_XLSX_UNCOMPRESSED)}",
                            values={"size": _mb(unpacked), "limit": _mb(MAX_XLSX_UNCOMPRESSED)})
    if unpacked / packed > MAX_XLSX_RATIO:
        raise LimitExceeded("xlsx_ratio", f"the workbook is compressed {unpacked / packed:.0f} to 1; the limit is "
                                          f"{MAX_XLSX_RATIO} to 1 (a ZIP bomb?)",
                            values={"ratio": f"{unpacked / packed:.0f}", "limit": MAX_XLSX_RATIO})
    for entry in entries:
        if re.fullmatch(r"xl/worksheets/[^/]+\.xml", entry.filename):
            with book.open(entry) as f:
                _check_dimension(f.read(SHEET_HEAD_BYTES))


def _check_dimension(head: bytes) -> None:
    match = re.search(rb'<(?:\w+:)?dimension\s+ref="[A-Z]*\d*:?([A-Z]+)(\d+)"', head)
    if not match:
        return
    columns = 0
    for letter in match.group(1).decode():
        columns = columns * 26 + ord(letter) - 64
    rows = int(match.group(2))
    if rows > ROW_CAP or columns > MAX_COLUMNS:
        raise LimitExceeded("xlsx_declared", f"a sheet declares {rows:,} rows and {columns:,} columns; the limits "
                                             f"are {MAX_ROWS:,} rows and {MAX_COLUMNS} columns",
                            values={"rows": rows, "columns": columns, "max_rows": MAX_ROWS,
                                    "max_columns": MAX_COLUMNS})


def check_shape(rows: list[tuple[int, list[str]]], letter) -> None:
    """Rows, columns and cell length of a parsed table (`letter` names a column index)."""
    if len(rows) > ROW_CAP:
        raise too_many_rows(len(rows))
    for number, cells in rows:
        if len(cells) > MAX_COLUMNS and any(cells[MAX_COLUMNS:]):
            raise LimitExceeded("too_many_columns", f"row {number} has {len(cells)} columns; the limit is "
                                                    f"{MAX_COLUMNS}", values={"limit": MAX_COLUMNS})
        for index, cell in enumerate(cells):
            if len(cell) > MAX_CELL_CHARS:
                raise LimitExceeded("cell_too_long", f"a cell of {len(cell):,} characters; the limit is "
                                                     f"{MAX_CELL_CHARS:,}", row=number, column=letter(index),
                                    values={"length": len(cell), "limit": MAX_CELL_CHARS})


def too_many_rows(n: int) -> LimitExceeded:
    return LimitExceeded("too_many_rows", f"{n:,} rows or more; the limit is {MAX_ROWS:,} data rows",
                         values={"rows": n, "limit": MAX_ROWS})
