"""`python -m core.cli build` and `import FILE --session N [--dry-run]`: the commands that write the database."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from core import cli_common as common
from core.importer.report import counted


def cmd_build(args: argparse.Namespace) -> int:
    from core import config
    from core.build import build, holds_imports, refresh

    if args.db:
        target = Path(args.db)
        if target.is_dir():
            raise common.CliError(f"--db {args.db} is a folder; give a file name")
        if not target.parent.is_dir():
            raise common.CliError(f"the folder {target.parent} does not exist")
        if not os.access(target.parent, os.W_OK):
            raise common.CliError(f"cannot write in {target.parent}")
    started = time.perf_counter()
    target = Path(args.db or config.records_db())
    if args.keep_imports and holds_imports(target):
        refresh(target)
        print(f"kept {target}: it holds imported lists, so its views and derived tables were refreshed instead "
              f"of rebuilding it from data/ (in {time.perf_counter() - started:.1f} s); `build` without "
              "--keep-imports replaces everything with the demo data")
        return 0
    path = build(target)
    print(f"built {path} in {time.perf_counter() - started:.1f} s")
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    """Validate an official list; unless --dry-run, import it. Problems go to stderr with a non-zero exit."""
    from core import importer

    def progress(step: importer.Step) -> None:
        if args.verbose:
            print(f"  {step.text}", file=sys.stderr)

    common.input_file(args.file)
    report = importer.validate(args.file, args.session, db=args.db, progress=progress)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not report.ok:
        if len(report.problems) == 1 and report.problems[0].row is None:  # the file or the database as a whole
            print(f"error: {report.problems[0]} (not imported; the database is unchanged)", file=sys.stderr)
            return 1
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(f"{report.file_name}: not imported ({counted(len(report.problems), 'problem', 'problems')}); "
              "the database is unchanged", file=sys.stderr)
        return 1
    if args.dry_run:
        for line in report.summary():
            print(line)
        print("dry run: nothing written")
        return 0
    try:
        result = importer.apply(report, progress=progress)
    except importer.ImportRejected as exc:  # the file or the database changed meanwhile and no longer fits
        print(exc, file=sys.stderr)
        print(f"{report.file_name}: not imported; the database is unchanged", file=sys.stderr)
        return 1
    for line in report.summary():
        print(line)
    print(f"imported {result.records_added} records into session {result.session} "
          f"(replaced {result.records_replaced}); import #{result.import_id}, build {result.build_id}, "
          f"{result.db_path}")
    return 0


def add_commands(sub) -> None:
    b = sub.add_parser("build", help="rebuild the database from data/ (demo data included)")
    b.add_argument("--db", help="target file (default: $RECORDS_DB or data/records.duckdb)")
    b.add_argument("--keep-imports", action="store_true",
                   help="if the target holds imported lists, refresh its views and derived tables instead of "
                        "rebuilding it (what make run / make serve do)")
    b.set_defaults(func=cmd_build)
    i = sub.add_parser("import", help="import an official list of approved records (CSV or XLSX) for a session")
    i.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GBK, GB18030) or XLSX")
    i.add_argument("--session", type=int, required=True, help="session number, e.g. 23 (a new number adds it)")
    i.add_argument("--dry-run", action="store_true", help="check and report what would change; write nothing")
    i.add_argument("--db", help="database file (default: $RECORDS_DB or data/records.duckdb)")
    i.add_argument("-v", "--verbose", action="store_true", help="print each step")
    i.set_defaults(func=cmd_import)
