"""`python -m core.cli release --session N [--lang zh|en] [--with-districts] --out FILE.docx|FILE.zip`: the
session's press-release draft, or the release-day kit (core/release_kit.py). Mistakes end with one `error:` line
and a non-zero exit; the file is written through a temporary file, so a failure leaves none behind."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from core import cli_common as common


def add_parser(sub) -> None:
    r = sub.add_parser("release", help="write the session's press-release draft (.docx), or with --with-districts "
                                       "the release-day kit (.zip: release DOCX and PDF, comparison, district "
                                       "briefings)")
    r.add_argument("--session", type=int, required=True, help="session number (1-23, or an imported one)")
    r.add_argument("--lang", choices=["zh", "en"], default="zh")
    r.add_argument("--with-districts", action="store_true",
                   help="write a ZIP with the release (DOCX, PDF), the comparison with the previous session and "
                        "every district's briefing")
    r.add_argument("--out", required=True, help="FILE.docx, or FILE.zip with --with-districts")
    r.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    r.add_argument("--db", help="database file (default: $RECORDS_DB or data/records.duckdb)")
    r.set_defaults(func=cmd_release)


def cmd_release(args: argparse.Namespace) -> int:
    from core import export, release_kit

    options, tmp = _checked(args)
    starting = common.start_export_browser_early()
    started = time.perf_counter()

    def step(text: str, fraction: float) -> None:
        print(f"[{fraction:4.0%}] {text}", file=sys.stderr, flush=True)

    def produce() -> bytes:
        if args.with_districts:
            return release_kit.build_kit(args.session, args.lang, options, on_step=step)
        return release_kit.build_release(args.session, args.lang, options, on_step=step)[1]

    code = 1
    try:
        code = common.write(args.out, tmp, produce, f"session {args.session}, {args.lang}")
        if code == 0:
            print(f"done in {time.perf_counter() - started:.1f} s", file=sys.stderr)
        return code
    finally:
        if code != 0:  # let a still-starting export browser finish before the process exits (see cli._pack_main)
            starting.join(timeout=60)
            export.shutdown()


def _checked(args: argparse.Namespace):
    """The session's options and the temporary output file, once every argument is known to be good."""
    from core import catalog

    want = "zip" if args.with_districts else "docx"
    if Path(args.out).suffix.lower() != f".{want}":
        raise common.CliError(f"--out must end in .{want}" + (" with --with-districts" if args.with_districts else
                                                           " (add --with-districts for the .zip kit)"))
    common.readable_db()
    options = catalog.load_options()
    if args.session not in options.sessions:
        raise common.CliError(f"session {args.session} is not in the database (sessions {min(options.sessions)}-"
                           f"{max(options.sessions)})")
    return options, common.check_out(args.out, args.force)
