"""`python -m core.cli pack --district X|all`: the district briefing of one district, or of every district
into a folder, reusing the one export browser of the process."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from core import briefing, catalog, export
from core import district_briefing as dbf
from core.cli_common import local_links_note
from core.filters import district_name


def one_district(args: argparse.Namespace, fmt: str, filters, options, write) -> int:
    code = filters.districts[0]

    def step(i: int, n: int, title: str) -> None:
        print(f"[{i + 1}/{n}] {title}", file=sys.stderr)

    produce = lambda: dbf.build(fmt, code, filters, options, on_step=step)  # noqa: E731
    return write(args.out, produce, f"district briefing of {district_name(code, options, 'en')}")


def all_districts(args: argparse.Namespace, base) -> int:
    """One pack per district into the folder --out; a line per district as it is written."""
    filters, options = base
    fmt = (args.pack_format or "pptx").lower()
    if fmt not in briefing.PACK_FORMATS:
        raise SystemExit(f"error: --format must be one of {sorted(briefing.PACK_FORMATS)}")
    folder = Path(args.out)
    if folder.suffix.lower().lstrip(".") in briefing.PACK_FORMATS:
        raise SystemExit("error: with --district all, --out is a folder (use --format for the file type)")
    folder.mkdir(parents=True, exist_ok=True)
    status = catalog.DataStatus.read(filters.lang)
    codes = list(options.districts)
    started = time.perf_counter()
    for i, code in enumerate(codes, start=1):
        district_filters = dbf.scoped(filters, code)
        try:
            data = dbf.build(fmt, code, district_filters, options, status)
        except export.ExportUnavailable as exc:
            print(f"error: {exc}", file=sys.stderr)
            return 3
        path = folder / dbf.file_name(code, district_filters, options, fmt)
        path.write_bytes(data)
        print(f"[{i}/{len(codes)}] {district_name(code, options, filters.lang)}: wrote {path} "
              f"({len(data):,} bytes, {time.perf_counter() - started:.1f} s)", flush=True)
    print(f"wrote {len(codes)} district briefings to {folder} in {time.perf_counter() - started:.1f} s")
    local_links_note()
    return 0
