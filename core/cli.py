"""Command line: `python -m core.cli build | import | history | undo | restore | export | pack | release | bench |
admin` (see README).

Mistakes (a missing folder, an existing output file, an unknown chart, a bad --db) end with one line on
stderr starting "error:" and a non-zero exit, never a traceback (RECORDS_DEBUG=1 shows it); outputs are
checked before anything is rendered and written through a temporary file, so a failure leaves no half file.

This file is the entry: it assembles the commands, each in a module of its own (core/import_cli.py,
history_cli.py, export_cli.py, release_cli.py, admin_cli.py; shared helpers in cli_common.py), runs one and
turns any failure into one line. It alone imports bench/, for `bench`.
"""

from __future__ import annotations

import argparse
import sys

from core import admin_cli, config, export_cli, history_cli, import_cli, release_cli
from core.cli_common import CliError, Parser, start_export_browser_early


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.run import main as bench_main

    return bench_main(args)


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m core.cli", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    import_cli.add_commands(sub)  # build, import
    history_cli.add_commands(sub)  # history, undo, restore
    export_cli.add_commands(sub)  # export, pack
    release_cli.add_parser(sub)
    r = sub.add_parser("bench", help="measure the performance budget; prints a table, writes bench/results.json")
    from bench.run import add_arguments  # one list of bench options, shared with `python -m bench.run`

    add_arguments(r)
    r.set_defaults(func=cmd_bench)
    a = sub.add_parser("admin", help="administrator accounts for the dashboard (add asks for the password twice)")
    admin_cli.add_arguments(a)
    a.set_defaults(func=admin_cli.run)
    return p


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["pack"] and not {"-h", "--help"} & set(argv):
        return _pack_main(argv)
    return _run(argv)


def _pack_main(argv: list[str]) -> int:
    """`pack`, with the export browser starting before the parser's own imports (the chart catalogue and the
    bench options, ~1 s of a cold pack's ~6 s)."""
    starting = start_export_browser_early()
    code = 2  # the parser exits with 2 on a bad option
    try:
        code = _run(argv)
        return code
    finally:
        if code != 0:
            # a command refused at once (bad --out, unknown chart) exits while the browser is still starting;
            # chromium then writes into the profile folder Python is deleting, and a traceback follows the
            # one-line error. Let the start finish and close the browser first.
            from core import export

            starting.join(timeout=60)
            export.shutdown()


def _run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    if args.command == "admin" and args.action != "list" and not args.name:
        print(f"error: admin {args.action} needs a NAME", file=sys.stderr)
        return 2
    try:
        with config.database(getattr(args, "db", None)):  # --db is this command's database, for this command only
            _clean_leftovers(args)
            return args.func(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line for the user; RECORDS_DEBUG=1 for the traceback
        if config.debug():
            raise
        print(f"error: {_one_line(exc, getattr(args, 'db', None))}", file=sys.stderr)
        return 1


def _clean_leftovers(args: argparse.Namespace) -> None:
    """What a killed import, restore or build left beside the database goes at the start of any command."""
    from core.writelock import clean_if_idle

    if args.command not in ("admin", "bench"):
        clean_if_idle(config.records_db())


def _one_line(exc: Exception, db_arg: str | None = None) -> str:
    import duckdb

    from core import auth, db, importer

    if isinstance(exc, CliError | auth.AdminError | db.DatabaseMissing | importer.WriterBusy | importer.HistoryError
                  | importer.WriteFailed):
        return str(exc)
    if isinstance(exc, duckdb.Error):
        return f"the database {db_arg or config.records_db()} cannot be read ({str(exc).splitlines()[0][:200]})"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else 'unexpected failure'}"


if __name__ == "__main__":
    sys.exit(main())
