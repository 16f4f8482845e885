"""Command line: `python -m core.cli build | import | export | pack | release | bench | admin` (see README).

Mistakes (a missing folder, an existing output file, an unknown chart, a bad --db) end with one line on
stderr starting "error:" and a non-zero exit, never a traceback (RECORDS_DEBUG=1 shows it); outputs are
checked before anything is rendered and written through a temporary file, so a failure leaves no half file.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path


class CliError(Exception):
    """A mistake in how the command was called; the message is the one line the user sees."""


class Parser(argparse.ArgumentParser):
    def error(self, message: str):  # one line instead of argparse's usage block
        print(f"error: {self.prog}: {message} (see --help)", file=sys.stderr)
        sys.exit(2)


def _check_out(out: str, force: bool) -> Path:
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


def _use_db(value: str | None) -> None:
    """--db points RECORDS_DB at a file that must be a readable database."""
    from core import db

    if value:
        os.environ["RECORDS_DB"] = str(Path(value).resolve())
    fault = db.health()
    if fault:
        raise CliError(f"database {db.db_path()} is {fault}; restore an earlier version (`python -m core.cli "
                       "history`, then `restore ID`: keeps the imports made before it) or, if none is kept, rebuild "
                       "it (`python -m core.cli build`: drops every imported list)")


def _input_file(value: str) -> None:
    path = Path(value)
    if not path.exists():
        raise CliError(f"{value} does not exist")
    if not path.is_file():  # a folder, /dev/zero, a pipe: nothing an official list comes as
        raise CliError(f"{value} is not a regular file")


def cmd_build(args: argparse.Namespace) -> int:
    from core import db
    from core.build import build, holds_imports, refresh

    if args.db:
        target = Path(args.db)
        if target.is_dir():
            raise CliError(f"--db {args.db} is a folder; give a file name")
        if not target.parent.is_dir():
            raise CliError(f"the folder {target.parent} does not exist")
        if not os.access(target.parent, os.W_OK):
            raise CliError(f"cannot write in {target.parent}")
    started = time.perf_counter()
    target = Path(args.db or db.db_path())
    if args.keep_imports and holds_imports(target):
        refresh(target)
        print(f"kept {target}: it holds imported lists, so its views and derived tables were refreshed instead "
              f"of rebuilding it from data/ (in {time.perf_counter() - started:.1f} s); `build` without "
              "--keep-imports replaces everything with the demo data")
        return 0
    path = build(target)
    print(f"built {path} in {time.perf_counter() - started:.1f} s")
    return 0


def _filters(args: argparse.Namespace):
    """Filters from command-line options, validated like URL parameters; bad values stop the command."""
    from core.catalog import load_options
    from core.filters import parse

    query = {"session": str(args.session), "lang": args.lang}
    if args.session_from is not None:
        query["from"] = str(args.session_from)
    if args.session_to is not None:
        query["to"] = str(args.session_to)
    if args.district:
        query["district"] = _district_codes(args.district)
    if args.industry:
        query["industry"] = args.industry
    if getattr(args, "vs", None) is not None:  # export of a comparison chart
        query["vs"] = str(args.vs)
    options = load_options()
    parsed = parse(query, options)
    if parsed.notices:  # in English like the command's other messages; --lang is the output's language
        raise SystemExit("error: " + "; ".join(parse({**query, "lang": "en"}, options).notices))
    return parsed.filters, options


def _district_codes(values: list[str]) -> list[str]:
    """District codes for codes or names (南山区, 南山, Nanshan); unknown ones pass through to be reported."""
    from core.profile import resolve

    wanted = [v.strip() for value in values for v in value.split(",") if v.strip()]
    return [resolve(v) or v for v in wanted]


def _write(out: str, tmp: Path, produce, what: str = "") -> int:
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
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from core import catalog, export

    if args.chart not in catalog.CHARTS:
        raise CliError(f"unknown chart {args.chart!r}; one of: {', '.join(sorted(catalog.CHARTS))}")
    _use_db(args.db)
    filters, options = _filters(args)
    tmp = _check_out(args.out, args.force)
    try:
        fig, frame, card = catalog.build(args.chart, filters, options)
    except catalog.ContextError as exc:  # a profile chart without one --district, a comparison of several
        raise CliError(str(exc)) from exc
    if args.format in ("csv", "xlsx"):
        return _write(args.out, tmp, lambda: _table_bytes(args.format, frame, card, Path(args.out).stem))
    return _write(args.out, tmp, lambda: export.render(fig, args.format, args.size))


def _table_bytes(fmt: str, frame, card, sheet: str) -> bytes:
    """The chart's data as the dashboard's download gives it: readable headers and values, then the context
    (title, filters, source, data version, date, demo marker)."""
    from core import export
    from core.readable import with_labels

    context = export.TableContext(title=card.title, filters=card.subtitle, source=card.source,
                                  data_version=card.data_version, date=card.export_date, demo=card.demo,
                                  lang=card.lang, permalink=card.permalink)
    labelled = with_labels(frame, card.lang)
    return export.table_csv(labelled, context) if fmt == "csv" else export.table_xlsx(labelled, sheet, context)


def _start_export_browser_early():
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


def _pack_main(argv: list[str]) -> int:
    """`pack`, with the export browser starting before the parser's own imports (the chart catalogue and the
    bench options, ~1 s of a cold pack's ~6 s)."""
    starting = _start_export_browser_early()
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


def cmd_pack(args: argparse.Namespace) -> int:
    from core import briefing, catalog, district_pack_cli

    if args.district and [d.strip().lower() for d in args.district] == ["all"]:
        _use_db(args.db)
        return district_pack_cli.all_districts(args, _with_district(args, None))
    fmt = args.out.rsplit(".", 1)[-1].lower()
    if fmt not in briefing.PACK_FORMATS:
        raise CliError(f"--out must end in one of {sorted(briefing.PACK_FORMATS)}")
    charts = args.charts.split(",") if args.charts else briefing.DEFAULT_PACK
    unknown = [name for name in charts if name not in catalog.CHARTS]
    if unknown:
        raise CliError(f"unknown chart(s) {', '.join(map(repr, unknown))}; one of: {', '.join(sorted(catalog.CHARTS))}")
    _use_db(args.db)
    filters, options = _filters(args)
    tmp = _check_out(args.out, args.force)
    if len(filters.districts) == 1 and not args.charts:  # one district: its district briefing
        return district_pack_cli.one_district(args, fmt, filters, options,
                                              lambda out, produce, what="": _write(out, tmp, produce, what))
    entries = [briefing.entry(name, filters) for name in charts]

    def step(i: int, n: int, title: str) -> None:
        print(f"[{i + 1}/{n}] {title}", file=sys.stderr)

    def produce() -> bytes:
        items = briefing.items_for(entries, options, filters.lang)
        return briefing.build_pack(fmt, items, briefing.meta_for(filters, options), on_step=step)

    return _write(args.out, tmp, produce, f"{len(entries)} charts")


def _with_district(args: argparse.Namespace, district: str | None):
    """The command's filters for one district (None: no district filter)."""
    return _filters(argparse.Namespace(**{**vars(args), "district": [district] if district else None}))


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.run import main as bench_main

    return bench_main(args)


def _filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--session", type=int, required=True, help="session number (1-23, or an imported one)")
    p.add_argument("--district", action="append",
                   help="district code or name, e.g. 440305, 南山区, Nanshan (repeat or comma-separate); "
                        "pack: one district gives its district briefing, 'all' one briefing per district")
    p.add_argument("--industry", action="append", help="GB/T 4754 division code, e.g. C39")
    p.add_argument("--from", dest="session_from", type=int, help="first session of trend charts (default 1)")
    p.add_argument("--to", dest="session_to", type=int, help="last session of trend charts (default latest)")
    p.add_argument("--lang", choices=["zh", "en"], default="zh")


def cmd_import(args: argparse.Namespace) -> int:
    """Validate an official list; unless --dry-run, import it. Problems go to stderr with a non-zero exit."""
    from core import importer

    def progress(step: importer.Step) -> None:
        if args.verbose:
            print(f"  {step.text}", file=sys.stderr)

    _input_file(args.file)
    report = importer.validate(args.file, args.session, db=args.db, progress=progress)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not report.ok:
        if len(report.problems) == 1 and report.problems[0].row is None:  # the file or the database as a whole
            print(f"error: {report.problems[0]} (not imported; the database is unchanged)", file=sys.stderr)
            return 1
        for problem in report.problems:
            print(problem, file=sys.stderr)
        print(f"{report.file_name}: not imported ({len(report.problems)} problem(s)); the database is unchanged",
              file=sys.stderr)
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


def cmd_admin(args: argparse.Namespace) -> int:
    """Local administrator accounts for the dashboard's writing pages (hashes only, see core/auth.py)."""
    from core import admin_cli

    return admin_cli.run(args)


def parser() -> argparse.ArgumentParser:
    p = Parser(prog="python -m core.cli", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
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
    from core import history_cli  # history, undo, restore

    history_cli.add_commands(sub)

    from core.catalog import CHARTS

    e = sub.add_parser("export", help="write one chart as PNG/SVG/PDF, exactly as the dashboard shows it, "
                                      "or its data as CSV/XLSX")
    e.add_argument("chart", help="chart name: " + ", ".join(sorted(CHARTS)))
    _filter_options(e)
    e.add_argument("--vs", type=int, help="compare charts: the other session (default: the one before --session)")
    e.add_argument("--format", choices=["png", "svg", "pdf", "csv", "xlsx"], default="png")
    e.add_argument("--size", choices=["slide", "a4", "screen2x"], default="slide",
                   help="slide = 1920x1080, a4 = A4 width at 300 dpi")
    e.add_argument("--out", required=True, help="output file")
    _output_options(e)
    e.set_defaults(func=cmd_export)

    k = sub.add_parser("pack", help="write a briefing pack: .pptx deck, .docx or .pdf memo, or .zip of images and data")
    _filter_options(k)
    k.add_argument("--charts", help="comma-separated chart names (default: the standard 10-chart pack)")
    k.add_argument("--out", required=True,
                   help="FILE.pptx, FILE.docx, FILE.pdf or FILE.zip; with --district all, a folder for one pack "
                        "per district")
    _output_options(k)
    k.add_argument("--format", dest="pack_format", help="pack format with --district all (default pptx)")
    k.set_defaults(func=cmd_pack)

    from core import release_cli

    release_cli.add_parser(sub)
    r = sub.add_parser("bench", help="measure the performance budget; prints a table, writes bench/results.json")
    from bench.run import add_arguments  # one list of bench options, shared with `python -m bench.run`

    add_arguments(r)
    r.set_defaults(func=cmd_bench)

    a = sub.add_parser("admin", help="administrator accounts for the dashboard (add asks for the password twice)")
    from core.admin_cli import add_arguments as admin_arguments

    admin_arguments(a)
    a.set_defaults(func=cmd_admin)
    return p


def _output_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--force", action="store_true", help="overwrite --out if it exists")
    p.add_argument("--db", help="database file (default: $RECORDS_DB or data/records.duckdb)")


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["pack"] and not {"-h", "--help"} & set(argv):
        return _pack_main(argv)
    return _run(argv)


def _run(argv: list[str]) -> int:
    args = parser().parse_args(argv)
    if args.command == "admin" and args.action != "list" and not args.name:
        print(f"error: admin {args.action} needs a NAME", file=sys.stderr)
        return 2
    try:
        _clean_leftovers(args)
        return args.func(args)
    except KeyboardInterrupt:
        print("error: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # one line for the user; RECORDS_DEBUG=1 for the traceback
        if os.environ.get("RECORDS_DEBUG"):
            raise
        print(f"error: {_one_line(exc, getattr(args, 'db', None))}", file=sys.stderr)
        return 1


def _clean_leftovers(args: argparse.Namespace) -> None:
    """What a killed import, restore or build left beside the database goes at the start of any command."""
    from core import db
    from core.writelock import clean_if_idle

    if args.command not in ("admin", "bench"):
        clean_if_idle(Path(getattr(args, "db", None) or db.db_path()))


def _one_line(exc: Exception, db_arg: str | None = None) -> str:
    import duckdb

    from core import auth, db, importer

    if isinstance(exc, CliError | auth.AdminError | db.DatabaseMissing | importer.WriterBusy | importer.HistoryError
                  | importer.WriteFailed):
        return str(exc)
    if isinstance(exc, duckdb.Error):
        return f"the database {db_arg or db.db_path()} cannot be read ({str(exc).splitlines()[0][:200]})"
    if isinstance(exc, OSError):
        return f"{exc.strerror or exc}{': ' + str(exc.filename) if exc.filename else ''}"
    return f"{type(exc).__name__}: {str(exc).splitlines()[0][:200] if str(exc) else 'unexpected failure'}"


if __name__ == "__main__":
    sys.exit(main())
