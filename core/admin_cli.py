"""`python -m core.cli admin add|remove|list`: the administrators file (core/auth.py) from the command line.

The password is typed twice at a terminal, never given as an argument (it would sit in the shell's history
and in every process list); a script pipes it in with --password-stdin (one line).
"""

from __future__ import annotations

import argparse
import getpass
import sys

from core import auth, config


class AdminCliError(auth.AdminError):
    """One line for the user (core.cli prints an AdminError as it is)."""


def add_arguments(a: argparse.ArgumentParser) -> None:
    a.add_argument("action", choices=["add", "remove", "list"])
    a.add_argument("name", nargs="?", help="account name (add, remove); names ignore case")
    a.add_argument("--replace", action="store_true", help="add: give an existing administrator a new password")
    a.add_argument("--password-stdin", action="store_true",
                   help="add: read the password from the first line of standard input (for scripts)")


def _password(name: str, from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise AdminCliError("admin add asks for the password at a terminal; without one, pipe it in with "
                            "--password-stdin")
    first = getpass.getpass(f"password for {name}: ")
    if first != getpass.getpass("again: "):
        raise AdminCliError("the passwords do not match; nothing changed")
    return first


def run(args: argparse.Namespace) -> int:
    path = config.admins_file()
    if args.action == "list":
        for name in sorted(auth.load_admins(path)):
            print(name)
        return 0
    if args.action == "remove":
        if not auth.remove_admin(args.name, path):
            raise AdminCliError(f"no administrator {args.name!r} in {path}")
        print(f"removed {args.name.lower()} from {path}")
        return 0
    if not auth.NAME.fullmatch(args.name or ""):
        raise AdminCliError("a name is 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if not args.replace and args.name.lower() in auth.load_admins(path):
        raise AdminCliError(f"an administrator {args.name.lower()!r} already exists (names ignore case); "
                            "to give it a new password, add it again with --replace")
    auth.add_admin(args.name, _password(args.name, args.password_stdin), path, replace=args.replace)
    print(f"administrator {args.name.lower()} saved in {path} (scrypt hash, file mode 600)")
    return 0
