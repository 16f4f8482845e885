"""Mutation testing one group of modules at a time: `python tools/mutate.py GROUP [mutant names...]`.

mutmut 3 reads a single `[tool.mutmut]` table from pyproject.toml in the directory it runs in, and every mutant
only runs the tests that reached the mutated function while the group's tests ran once. So each group (the
modules mutated, and the fast tests that check them) gets its own working directory, build/mutate/<group>/, with a
copy of the code and a pyproject.toml holding that group's table; the run's outcome list goes to
build/mutate/<group>.txt and a one-line count is printed. With mutant names (globs allowed, as mutmut takes
them) the group's earlier run is reused and only those mutants are run again, against the current tests; with
--resume, a stopped run goes on with the mutants it had not checked. Either way the group's selection of tests
must be the one of the earlier run: mutmut resets every outcome when it changes.

`make mutate` runs every group; `make mutate GROUP=auth` one. The database is the prebuilt one (TEST_DB_REUSE,
see tests/conftest.py). Groups and what is left out, and why: docs/testing.md, "Mutation testing".
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "build" / "mutate"
# mutmut as a module of this interpreter, not the venv's `mutmut` script: the script's first line names the
# interpreter of the checkout that installed it, and a shared venv's script fails where that checkout is gone
MUTMUT = [sys.executable, "-m", "mutmut"]
# Everything the tests read besides core/ (mutmut copies core/ into mutants/ itself, the rest via also_copy)
COPIED = [".streamlit", "bench", "core", "data", "deploy", "docs", "locales", "pages", "queries", "tests", "ui",
          "dashboard.py", "Makefile", "pyproject.toml", "requirements.txt"]
SKIP = shutil.ignore_patterns("*.duckdb*", "__pycache__", "artifacts", "*.lock")

# group: (modules mutated, test selection). Tests are the ones that check these modules without a browser and
# without rendering charts to files (seconds per mutant).
NOT_SIZE = "not stay_small"  # counts the lines of the modules, which mutmut's trampolines make longer
# the table tests of the export test files; not the ZIP pack (it renders charts through the export browser,
# which hangs in mutmut's forked child: mutants reached only by it were "timeout")
EXPORT_TESTS = "(csv or xlsx or context or safe_filename or test_export_names) and not zip"
# not the sign-in pages (AppTest, several seconds a mutant, and they check ui/ rather than core/auth.py) nor the
# command line in a subprocess
AUTH_TESTS = "not cli_ and not import_page and not in_the_form and not signed_in_session"
# the table tests of test_permalinks_and_labels; not test_every_key_used_in_code_exists: it reads the sources,
# which in the group's copy hold every mutant's strings
# the tests that write a database in this process: not test_undo (two to five seconds each; what they check,
# test_import_write_units checks with two-row lists), the import page (AppTest), the writers in a thread or
# another process, the build (test_build_keep_imports...: seconds each, and every mutant of `apply` ran them),
# nor the read-side tests of test_importer (encodings, delimiters, XLSX: the importer-read group's)
WRITE_TESTS = (f"{NOT_SIZE} and not import_page and not upload_is_checked and not second_writer and not "
               "another_process and not build_ and not encodings and not delimiters and not xlsx")
SMALL_TESTS = "(not permalinks_and_labels or words or headers) and not every_key_used"
# the importer's read side: not the tests that import a whole session into the database, open the import page,
# or run the command line (0.2 to 1.5 s each, and every checking function reaches them: seconds per mutant); what
# they check of reading and checking, test_importer_units checks on small in-memory inputs
IMPORTER_READ_TESTS = " and not ".join([
    NOT_SIZE, "session_23", "session_24", "reimport", "revalidates", "reconciles", "after_importing",
    "stored_before", "look_alike_name", "optional_columns", "two_title_rows", "csv_encodings", "progress_steps",
    "named_queries", "nfkc", "session_99", "dry_run_writes", "command_line_refuses", "cli_rejects", "unwritable"])
GROUPS: dict[str, tuple[list[str], list[str]]] = {
    "importer-read": (["core/importer/checks.py", "core/importer/fields.py", "core/importer/reading.py",
                       "core/importer/limits.py", "core/importer/report.py", "core/importer/__init__.py"],
                      ["tests/test_importer.py", "tests/test_import_safety.py", "tests/test_import_text.py",
                       "tests/test_importer_units.py", "-k", IMPORTER_READ_TESTS]),
    "importer-write": (["core/importer/writing.py", "core/importer/undo.py", "core/importer/session_undo.py"],
                       ["tests/test_import_write_units.py", "tests/test_import_history.py", "tests/test_importer.py",
                        "-k", WRITE_TESTS]),
    "writelock": (["core/writelock.py"], ["tests/test_writelock.py"]),
    "auth": (["core/auth.py", "core/throttle.py"], ["tests/test_admin.py", "tests/test_signin_throttle.py",
                                                     "tests/test_auth_edges.py", "-k", AUTH_TESTS]),
    "markup": (["core/markup.py", "core/sessions.py"],
               ["tests/test_markup.py", "tests/test_sessions.py"]),
    "export-tables": (["core/export/tables.py"], ["tests/test_export_files.py", "tests/test_export.py",
                                                  "tests/test_export_names.py", "-k", EXPORT_TESTS]),
    # the unit tests only: test_same_figure and test_district_profile open pages through AppTest (seconds each)
    "compare-profile": (["core/compare.py", "core/profile.py"], ["tests/test_compare_profile_units.py"]),
    "small": (["core/baskets.py", "core/published.py", "core/i18n.py", "core/geo.py", "core/readable.py"],
              ["tests/test_baskets.py", "tests/test_published.py", "tests/test_published_units.py",
               "tests/test_i18n.py", "tests/test_i18n_units.py", "tests/test_geo.py",
               "tests/test_geo_units.py",
               "tests/test_permalinks_and_labels.py", "-k", SMALL_TESTS]),
    "pure": (["core/filters.py", "core/districts.py", "core/summary.py", "core/catalog.py"],
             ["tests/test_filters.py", "tests/test_districts.py", "tests/test_summary.py", "tests/test_catalog.py",
              "tests/test_pure_units.py", "tests/test_context_texts_units.py",
              "-k", "not cli_ and not every_chart_carries"]),
    # the database file, its health check and named queries; paths and environment variables
    "base": (["core/db.py", "core/config.py"], ["tests/test_base_units.py"]),
}

# Pytest escapes non-ASCII characters in parametrised test ids ("第23届" becomes "\\u7b2c23\\u5c4a"); mutmut records
# those ids and hands them back to pytest, which then finds no such test, exits 4, and mutmut's forked child dies
# on the exception: every mutant of a function only such tests reach was reported "segfault". Unescaped ids
# round-trip. Only for mutation runs: the suite's own output is unchanged.
PYTEST_ARGS = ["-o", "disable_test_id_escaping_and_forfeit_all_rights_to_community_support=true",
               "-p", "no:cacheprovider", "-q", "-x"]


def table(modules: list[str], tests: list[str]) -> str:
    def toml_list(items: list[str]) -> str:
        return "[" + ", ".join(f'"{i}"' for i in items) + "]"

    return ("[tool.mutmut]\n"
            'source_paths = ["core/"]\n'
            f"only_mutate = {toml_list(modules)}\n"
            f"also_copy = {toml_list([n for n in COPIED if n not in ('core', 'tests', 'pyproject.toml')])}\n"
            f"pytest_add_cli_args_test_selection = {toml_list(tests)}\n"
            f"pytest_add_cli_args = {toml_list(PYTEST_ARGS)}\n")


def prepare(group: str, fresh: bool) -> Path:
    """The group's working directory: a fresh copy of the code, or (re-run) the earlier one with today's tests."""
    work = WORK / group
    if fresh:
        shutil.rmtree(work, ignore_errors=True)
        work.mkdir(parents=True)
        for name in COPIED:
            source = ROOT / name
            if source.is_dir():
                shutil.copytree(source, work / name, ignore=SKIP)
            else:
                shutil.copy2(source, work / name)
    else:
        for target in (work / "tests", work / "mutants" / "tests"):
            shutil.copytree(ROOT / "tests", target, ignore=SKIP, dirs_exist_ok=True)
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    pyproject = re.sub(r"\[tool\.mutmut\].*?(?=^\[|\Z)", "", pyproject, flags=re.S | re.M)
    (work / "pyproject.toml").write_text(pyproject.rstrip() + "\n\n" + table(*GROUPS[group]), encoding="utf-8")
    return work


def run(group: str, names: list[str], children: int, db: Path, resume: bool = False) -> Counter:
    work = prepare(group, fresh=not (names or resume) or not (WORK / group / "mutants").is_dir())
    env = {**os.environ, "TEST_DB_REUSE": str(db)}
    with open(WORK / f"{group}.log", "w", encoding="utf-8") as log:  # mutmut's own progress and errors
        subprocess.run([*MUTMUT, "run", "--max-children", str(children), *names], cwd=work, env=env,
                       stdout=log, stderr=subprocess.STDOUT, check=False)
    results = subprocess.run([*MUTMUT, "results", "--all", "true"], cwd=work, env=env,
                             capture_output=True, text=True).stdout
    (WORK / f"{group}.txt").write_text(results, encoding="utf-8")
    return Counter(line.rsplit(": ", 1)[1].strip() for line in results.splitlines() if ": " in line)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("group", choices=[*GROUPS, "all"])
    parser.add_argument("names", nargs="*", help="mutants to run again (the group's earlier run is reused)")
    parser.add_argument("--resume", action="store_true",
                        help="go on with a stopped run: only the mutants not checked yet, with today's tests")
    parser.add_argument("--max-children", type=int, default=1)
    parser.add_argument("--db", type=Path, default=ROOT / "data" / "records.duckdb")
    args = parser.parse_args()
    for group in GROUPS if args.group == "all" else [args.group]:
        start = time.monotonic()
        counts = run(group, args.names, args.max_children, args.db.resolve(), args.resume)
        minutes = (time.monotonic() - start) / 60
        total = sum(counts.values())
        killed = counts.get("killed", 0)
        score = f"{100 * killed / total:.1f} %" if total else "-"
        print(f"{group}: {total} mutants, {dict(counts)}, score {score}, {minutes:.1f} min", flush=True)


if __name__ == "__main__":
    main()
