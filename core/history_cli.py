"""`history`, `undo ID` and `restore ID [--yes]` on the command line (core.importer does the work).

`undo ID` takes back one import in its session only; `restore ID` brings back the whole database as it was
before ID and, when later entries still stand, names them and changes nothing unless `--yes` is given.
"""

from __future__ import annotations

import argparse

DB_HELP = "database file (default: $RECORDS_DB or data/records.duckdb)"


def add_commands(sub) -> None:
    h = sub.add_parser("history", help="list imports, undos and restores, newest first: standing or undone (by "
                                       "which entry), and how to undo the ones that can be")
    h.add_argument("--db", help=DB_HELP)
    h.set_defaults(func=cmd_history)
    u = sub.add_parser("undo", help="take back import ID in its session only (other sessions stay); refused "
                                    "while a later import of the same session stands")
    u.add_argument("id", type=int, help="the number `history` shows")
    u.add_argument("--dry-run", action="store_true", help="say what the undo would do; change nothing")
    u.add_argument("--db", help=DB_HELP)
    u.set_defaults(func=cmd_undo)
    r = sub.add_parser("restore", help="bring back the whole database as it was before ID; names the later "
                                       "entries it would take back too and needs --yes for them")
    r.add_argument("id", type=int, help="the number `history` shows")
    r.add_argument("--yes", action="store_true", help="go ahead although later entries are taken back too")
    r.add_argument("--db", help=DB_HELP)
    r.set_defaults(func=cmd_restore)


def cmd_history(args: argparse.Namespace) -> int:
    from core import importer

    entries = importer.history(args.db)
    if not entries:
        print("no imports yet")
        return 0
    for e in entries:
        print(f"#{e.id:<4} {e.at}  {e.who:<12} {_what(e)}  build {e.build_after}  "
              + (f"undone by #{e.undone_by}" if e.undone_by else "standing") + _how_to_undo(e))
    return 0


def _what(e) -> str:
    if e.action == "import":
        return (f"import   session {e.session}  {e.file_name}  {e.rows_accepted} accepted / {e.rows_rejected} "
                f"rejected  sha256 {e.sha256[:12]}")
    if e.action == "undo":
        return f"undo     of #{e.undoes} (session {e.session})"
    lost = f", took back {', '.join(f'#{i}' for i in e.lost)}" if e.lost else ""
    return f"restore  whole database as before #{e.restores}{lost}"


def _how_to_undo(e) -> str:
    if not e.undoable:
        return ""
    return f"  [undo {e.id}]" if e.action in ("import", "undo") else f"  [restore {e.id}]"


def cmd_undo(args: argparse.Namespace) -> int:
    from core import importer

    plan = importer.undo_plan(args.id, db=args.db)
    if not plan.ok:
        raise importer.UndoRefused(plan)
    print(plan.summary())
    if args.dry_run:
        print("dry run: nothing was changed")
        return 0
    entry = importer.undo_entry(args.id, db=args.db)
    print(f"undone #{args.id}; logged as #{entry.id} (build {entry.build_after}); `undo {entry.id}` brings it back")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from core import importer

    try:
        entry = importer.restore(args.id, db=args.db, confirm=args.yes)
    except importer.NeedsConfirmation as exc:
        raise importer.HistoryError(f"{exc}: add --yes to take them back too, or take back #{args.id} alone "
                                    f"with `undo {args.id}`") from None
    took = ", ".join(f"#{i}" for i in entry.lost or [])
    print(f"restored the database as it was before #{args.id}; logged as #{entry.id} (build {entry.build_after})"
          + (f"; taken back: {took}" if took else ""))
    return 0
