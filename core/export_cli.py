"""`python -m core.cli export CHART ...` and `pack ...`: one chart, or a briefing pack, as the dashboard makes them."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from core import cli_common as common


def cmd_export(args: argparse.Namespace) -> int:
    from core import catalog, export

    if args.chart not in catalog.CHARTS:
        raise common.CliError(f"unknown chart {args.chart!r}; one of: {', '.join(sorted(catalog.CHARTS))}")
    common.readable_db()
    filters, options = common.filters_of(args)
    tmp = common.check_out(args.out, args.force)
    try:
        fig, frame, card = catalog.build(args.chart, filters, options)
    except catalog.ContextError as exc:  # a profile chart without one --district, a comparison of several
        raise common.CliError(str(exc)) from exc
    if args.format in ("csv", "xlsx"):
        return common.write(args.out, tmp, lambda: _table_bytes(args.format, frame, card, Path(args.out).stem))
    return common.write(args.out, tmp, lambda: export.render(fig, args.format, args.size))


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


def cmd_pack(args: argparse.Namespace) -> int:
    from core import briefing, catalog, district_pack_cli

    if args.district and [d.strip().lower() for d in args.district] == ["all"]:
        common.readable_db()
        return district_pack_cli.all_districts(args, _with_district(args, None))
    fmt = args.out.rsplit(".", 1)[-1].lower()
    if fmt not in briefing.PACK_FORMATS:
        raise common.CliError(f"--out must end in one of {sorted(briefing.PACK_FORMATS)}")
    charts = args.charts.split(",") if args.charts else briefing.DEFAULT_PACK
    unknown = [name for name in charts if name not in catalog.CHARTS]
    if unknown:
        raise common.CliError(f"unknown chart(s) {', '.join(map(repr, unknown))}; "
                              f"one of: {', '.join(sorted(catalog.CHARTS))}")
    common.readable_db()
    filters, options = common.filters_of(args)
    tmp = common.check_out(args.out, args.force)
    if len(filters.districts) == 1 and not args.charts:  # one district: its district briefing
        return district_pack_cli.one_district(args, fmt, filters, options,
                                              lambda out, produce, what="": common.write(out, tmp, produce, what))
    entries = [briefing.entry(name, filters) for name in charts]

    def step(i: int, n: int, title: str) -> None:
        print(f"[{i + 1}/{n}] {title}", file=sys.stderr)

    def produce() -> bytes:
        items = briefing.items_for(entries, options, filters.lang)
        return briefing.build_pack(fmt, items, briefing.meta_for(filters, options), on_step=step)

    return common.write(args.out, tmp, produce, f"{len(entries)} charts")


def _with_district(args: argparse.Namespace, district: str | None):
    """The command's filters for one district (None: no district filter)."""
    return common.filters_of(argparse.Namespace(**{**vars(args), "district": [district] if district else None}))


def add_commands(sub) -> None:
    from core.catalog import CHARTS

    e = sub.add_parser("export", help="write one chart as PNG/SVG/PDF, exactly as the dashboard shows it, "
                                      "or its data as CSV/XLSX")
    e.add_argument("chart", help="chart name: " + ", ".join(sorted(CHARTS)))
    common.filter_options(e)
    e.add_argument("--vs", type=int, help="compare charts: the other session (default: the one before --session)")
    e.add_argument("--format", choices=["png", "svg", "pdf", "csv", "xlsx"], default="png")
    e.add_argument("--size", choices=["slide", "a4", "screen2x"], default="slide",
                   help="slide = 1920x1080, a4 = A4 width at 300 dpi")
    e.add_argument("--out", required=True, help="output file")
    common.output_options(e)
    e.set_defaults(func=cmd_export)

    k = sub.add_parser("pack", help="write a briefing pack: .pptx deck, .docx or .pdf memo, or .zip of images and data")
    common.filter_options(k)
    k.add_argument("--charts", help="comma-separated chart names (default: the standard 10-chart pack)")
    k.add_argument("--out", required=True,
                   help="FILE.pptx, FILE.docx, FILE.pdf or FILE.zip; with --district all, a folder for one pack "
                        "per district")
    common.output_options(k)
    k.add_argument("--format", dest="pack_format", help="pack format with --district all (default pptx)")
    k.set_defaults(func=cmd_pack)
