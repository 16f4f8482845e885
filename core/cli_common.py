"""What the command-line commands share: the one-line error, checked outputs and databases, filters from options.

Every command module (core/*_cli.py) imports this, never core.cli: `python -m core.cli` runs core/cli.py as
__main__, and a second copy of it would bring a second CliError class its handler does not know.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from core import config


class CliError(Exception):
    """A mistake in how the command was called; the message is the one line the user sees."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of argparse's usage block
        print(f"error: {self.prog}: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def check_out(out: str, force: bool) -> Path:
    """A new empty temporary file next to `out`: proof the folder is writable, before any rendering."""
    path = Path(out)
    if path.is_dir():
        raise CliError(f"--out {out} is a folder; give a file name")
    if path.exists() and not force:
        raise CliError(f"--out {out} already exists; add --force to overwrite it")
    folder = path.parent
    if not folder.is_dir():
        raise CliError(f"the folder {folder} does not exist")
    tmp = folder / f".{path.name}.{os.getpid()}.tmp"
    try:
        tmp.open("xb").close()
    except OSError as exc:
        raise CliError(f"cannot write in {folder}: {exc.strerror}") from None
    return tmp


def readable_db() -> None:
    """The command's database (--db, chosen for the command by core/cli.py) must be a readable one."""
    from core import db

    fault = db.health()
    if fault:
        raise CliError(f"database {config.records_db()} is {fault}; restore an earlier version (`python -m core.cli "
                       "history`, then `restore ID`: keeps the imports made before it) or, if none is kept, rebuild "
                       "it (`python -m core.cli build`: drops every imported list)")


def input_file(value: str) -> None:
    path = Path(value)
    if not path.exists():
        raise CliError(f"{value} does not exist")
    if not path.is_file():  # a folder, /dev/zero, a pipe: nothing an official list comes as
        raise CliError(f"{value} is not a regular file")


def filters_of(args: argparse.Namespace):
    """Filters from command-line options, validated like URL parameters; bad values stop the command."""
    from core.catalog import load_options
    from core.filters import parse

    query = {"session": str(args.session), "lang": args.lang}
    if args.session_from is not None:
        query["from"] = str(args.session_from)
    if args.session_to is not None:
        query["to"] = str(args.session_to)
    if args.district:
        query["district"] = district_codes(args.district)
    if args.industry:
        query["industry"] = args.industry
    if getattr(args, "vs", None) is not None:  # export of a comparison chart
        query["vs"] = str(args.vs)
    options = load_options()
    parsed = parse(query, options)
    if parsed.notices:  # in English like the command's other messages; --lang is the output's language
        raise SystemExit("error: " + "; ".join(parse({**query, "lang": "en"}, options).notices))
    return parsed.filters, options


def district_codes(values: list[str]) -> list[str]:
    """District codes for codes or names (南山区, 南山, Nanshan); unknown ones pass through to be reported."""
    from core.profile import resolve

    wanted = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return [resolve(v) or v for v in wanted]


def write(out: str, tmp: Path, produce, what: str = "") -> int:
    """Write what `produce` returns to `out` via `tmp`; exit 3 with the install hint if the export browser
    is missing."""
    from core import export

    try:
        data = produce()
        tmp.write_bytes(data)
        os.replace(tmp, out)
    except export.ExportUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    finally:
        tmp.unlink(missing_ok=True)
    print(f"wrote {out} ({len(data):,} bytes{', ' + what if what else ''})")
    local_links_note()
    return 0


_noted: list[str] = []


def local_links_note() -> None:
    """Once a command: files whose links and QR codes open only on this computer say so (the dashboard says it
    on screen; a district pack's title slide carried http://localhost:8501 and its QR code without a word)."""
    if config.public_url_is_local() and not _noted:
        _noted.append(config.public_url())
        print(f"note: links and QR codes in the files point to {config.public_url()}, which opens only on this "
              "computer; set PUBLIC_URL to the address officials use (README: Running it for an organisation)",
              file=sys.stderr)


def start_export_browser_early():
    """Launch the export browser in the background: a cold `pack` then pays for its slowest start-up step in
    parallel with the imports and queries (the first render waits for it). Returns the starting thread."""
    import contextlib
    import threading

    def start() -> None:
        from core import export

        with contextlib.suppress(Exception):  # a real problem is reported by the first render
            export.start()

    thread = threading.Thread(target=start, name="export-start", daemon=True)
    thread.start()
    return thread


def filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--session", type=int, required=True, help="session number (1-23, or an imported one)")
    p.add_argument("--district", action="append",
                   help="district code or name, e.g. 440305, 南山区, Nanshan (repeat or comma-separate); "
                        "pack: one district gives its district briefing, 'all' one briefing per district")
    p.add_argument("--industry", action="append", help="GB/T 4754 division code, e.g. C39")
    p.add_argument("--from", dest="session_from", type=int, help="first session of trend charts (default 1)")
    p.add_argument("--to", dest="session_to", type=int, help="last session of trend charts (default latest)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")


def output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.add_argument("--db", help="database file (default: $RECORDS_DB or data/records.duckdb)")
