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


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core.cli", description=__doc__)
    sub = p.add_subparsers(dest="command", required=True)
    b = sub.add_parser("build", help="rebuild the database from data/ (demo data included)")
    b.add_argument("--db", help="target file (default: $RECORDS_DB or data/records.duckdb)")
    b.set_defaults(func=cmd_build)
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
