"""`python -m core.cli pack --district X|all`: the district briefing of one district, or of every district
into a folder or one .zip archive, reusing the one export browser of the process."""

from __future__ import annotations

import argparse
import os
import sys
import time
import zipfile
from pathlib import Path

from core import briefing, catalog, export
from core import district_briefing as dbf
from core.cli_common import check_out, local_links_note
from core.filters import district_name


def one_district(args: argparse.Namespace, fmt: str, filters, options, write) -> int:
    code = filters.districts[0]

    def step(i: int, n: int, title: str) -> None:
        print(f"[{i + 1}/{n}] {title}", file=sys.stderr)

    produce = lambda: dbf.build(fmt, code, filters, options, on_step=step)  # noqa: E731
    return write(args.out, produce, f"district briefing of {district_name(code, options, 'en')}")


def all_districts(args: argparse.Namespace, base) -> int:
    """One pack per district into the folder --out, or into one archive when --out ends in .zip; a line per
    district as it is done."""
    filters, options = base
    fmt = (args.pack_format or "pptx").lower()
    if fmt not in briefing.PACK_FORMATS:
        raise SystemExit(f"error: --format must be one of {sorted(briefing.PACK_FORMATS)}")
    out = Path(args.out)
    archive = out.suffix.lower() == ".zip"
    if not archive and out.suffix.lower().lstrip(".") in briefing.PACK_FORMATS:
        raise SystemExit("error: with --district all, --out is a folder or a .zip archive of the packs "
                         "(use --format for the packs' file type)")
    tmp = check_out(args.out, args.force) if archive else None  # writable, and not overwritten unasked
    started = time.perf_counter()
    try:
        packs = list(_packs(fmt, filters, options, started, None if archive else out))
        if archive:
            _write_archive(out, tmp, packs)
    except export.ExportUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    finally:
        if tmp:
            tmp.unlink(missing_ok=True)
    print(f"wrote {len(packs)} district briefings {'into' if archive else 'to'} {out} in "
          f"{time.perf_counter() - started:.1f} s")
    local_links_note()
    return 0


def _packs(fmt: str, filters, options, started: float, folder):
    """(file name, bytes) of each district's pack, written into `folder` as it is built when one is given."""
    status = catalog.DataStatus.read(filters.lang)
    codes = list(options.districts)
    if folder:
        folder.mkdir(parents=True, exist_ok=True)
    for i, code in enumerate(codes, start=1):
        district_filters = dbf.scoped(filters, code)
        data = dbf.build(fmt, code, district_filters, options, status)
        name = dbf.file_name(code, district_filters, options, fmt)
        if folder:
            (folder / name).write_bytes(data)
        done = f"wrote {folder / name}" if folder else f"built {name}"
        print(f"[{i}/{len(codes)}] {district_name(code, options, filters.lang)}: {done} "
              f"({len(data):,} bytes, {time.perf_counter() - started:.1f} s)", flush=True)
        yield name, data


def _write_archive(out: Path, tmp: Path, packs: list[tuple[str, bytes]]) -> None:
    """The packs in one ZIP, written to `tmp` beside `out` first so a failure leaves no half archive."""
    with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in packs:
            zf.writestr(name, data)
    os.replace(tmp, out)
