"""Command line: `python -m core.cli build | import | export | pack | bench` (see README)."""

from __future__ import annotations

import argparse
import sys
import time


def cmd_build(args: argparse.Namespace) -> int:
    from core.build import build

    started = time.perf_counter()
    path = build(args.db)
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
        query["district"] = args.district
    if args.industry:
        query["industry"] = args.industry
    options = load_options()
    parsed = parse(query, options)
    if parsed.notices:
        raise SystemExit("error: " + "; ".join(parsed.notices))
    return parsed.filters, options


def _write(out: str, produce, what: str = "") -> int:
    """Write what `produce` returns to `out`; exit 3 with the install hint if the export browser is missing."""
    from core import export

    try:
        data = produce()
    except export.ExportUnavailable as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 3
    with open(out, "wb") as f:
        f.write(data)
    print(f"wrote {out} ({len(data):,} bytes{', ' + what if what else ''})")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from core import catalog, export

    filters, options = _filters(args)
    fig, _, _ = catalog.build(args.chart, filters, options)
    return _write(args.out, lambda: export.render(fig, args.format, args.size))


def _start_export_browser_early() -> None:
    """Launch the export browser in the background while the command imports and queries: a cold `pack`
    then pays for the slowest start-up step in parallel with the rest (first render waits for it)."""
    import contextlib
    import threading

    def start() -> None:
        from core import export

        with contextlib.suppress(Exception):  # a real problem is reported by the first render
            export.start()

    threading.Thread(target=start, name="export-start", daemon=True).start()


def cmd_pack(args: argparse.Namespace) -> int:
    _start_export_browser_early()
    from core import briefing

    fmt = args.out.rsplit(".", 1)[-1].lower()
    if fmt not in briefing.PACK_FORMATS:
        raise SystemExit(f"error: --out must end in one of {sorted(briefing.PACK_FORMATS)}")
    filters, options = _filters(args)
    charts = args.charts.split(",") if args.charts else briefing.DEFAULT_PACK
    entries = [briefing.entry(name, filters) for name in charts]

    def step(i: int, n: int, title: str) -> None:
        print(f"[{i + 1}/{n}] {title}", file=sys.stderr)

    def produce() -> bytes:
        items = briefing.items_for(entries, options, filters.lang)
        return briefing.build_pack(fmt, items, briefing.meta_for(filters, options), on_step=step)

    return _write(args.out, produce, f"{len(entries)} charts")


def cmd_bench(args: argparse.Namespace) -> int:
    from bench.run import main as bench_main

    return bench_main(args)


def _filter_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--session", type=int, required=True, help="session number (1-23, or an imported one)")
    p.add_argument("--district", action="append", help="district code, e.g. 440305 (repeat or comma-separate)")
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

    report = importer.validate(args.file, args.session, db=args.db, progress=progress)
    for warning in report.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if not report.ok:
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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core.cli", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild the database from data/ (demo data included)")
    b.add_argument("--db", help="target file (default: $RECORDS_DB or data/records.duckdb)")
    b.set_defaults(func=cmd_build)
    i = sub.add_parser("import", help="import an official list of approved records (CSV or XLSX) for a session")
    i.add_argument("file", help="CSV (UTF-8, UTF-8 with BOM, GBK, GB18030) or XLSX")
    i.add_argument("--session", type=int, required=True, help="session number, e.g. 23 (a new number adds it)")
    i.add_argument("--dry-run", action="store_true", help="check and report what would change; write nothing")
    i.add_argument("--db", help="database file (default: $RECORDS_DB or data/records.duckdb)")
    i.add_argument("-v", "--verbose", action="store_true", help="print each step")
    i.set_defaults(func=cmd_import)

    from core.catalog import CHARTS

    e = sub.add_parser("export", help="write one chart as PNG/SVG/PDF, exactly as the dashboard shows it")
    e.add_argument("chart", choices=sorted(CHARTS), help="chart name")
    _filter_options(e)
    e.add_argument("--format", choices=["png", "svg", "pdf"], default="png")
    e.add_argument("--size", choices=["slide", "a4", "screen2x"], default="slide",
                   help="slide = 1920x1080, a4 = A4 width at 300 dpi")
    e.add_argument("--out", required=True, help="output file")
    e.set_defaults(func=cmd_export)

    k = sub.add_parser("pack", help="write a briefing pack: .pptx deck, .pdf memo or .zip of images and data")
    _filter_options(k)
    k.add_argument("--charts", help="comma-separated chart names (default: the standard 10-chart pack)")
    k.add_argument("--out", required=True, help="FILE.pptx, FILE.pdf or FILE.zip")
    k.set_defaults(func=cmd_pack)

    r = sub.add_parser("bench", help="measure the performance budget; prints a table, writes bench/results.json")
    from bench.run import add_arguments  # one list of bench options, shared with `python -m bench.run`

    add_arguments(r)
    r.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
