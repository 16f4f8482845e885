"""Command-line mistakes end in one clear line and a non-zero exit, never a traceback, and nothing is
rendered or left behind before the output is known to be writable (issue 9, item 12). Also: `make run`
answers only on this machine (item 13)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def cli(*args: str, db: Path | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "RECORDS_DEBUG": ""}
    if db is not None:
        env["RECORDS_DB"] = str(db)
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=ROOT, env=env, text=True,
                          capture_output=True, timeout=300)


def one_error_line(result: subprocess.CompletedProcess, *words: str) -> str:
    assert result.returncode != 0, result.stdout
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error:"), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


@pytest.fixture
def damaged(tmp_path, built_db) -> dict[str, Path]:
    files = {"empty": tmp_path / "empty.duckdb", "garbage": tmp_path / "garbage.duckdb",
             "truncated": tmp_path / "truncated.duckdb"}
    files["empty"].write_bytes(b"")
    files["garbage"].write_bytes(b"not a database\n" * 1000)
    data = built_db.read_bytes()
    files["truncated"].write_bytes(data[: len(data) // 2])
    return files


def test_bad_filters_are_named_in_the_commands_language(built_db, tmp_path):
    """The command speaks English (its help, its other errors); --lang only chooses the pack's language."""
    result = cli("pack", "--session", "99", "--district", "Atlantis", "--out", str(tmp_path / "x.pptx"))
    one_error_line(result, "session=99: there is no such session", "unknown district code: Atlantis")
    assert not (tmp_path / "x.pptx").exists()


def test_output_folder_missing(built_db, tmp_path):
    one_error_line(cli("export", "district_ranking", "--session", "23", "--out", str(tmp_path / "no" / "x.png")),
                   "does not exist")


def test_output_folder_not_writable(built_db):
    # /proc takes no new files, whoever runs the test (root ignores a folder's permission bits)
    result = cli("pack", "--session", "23", "--out", "/proc/briefing.zip")
    one_error_line(result, "cannot write in /proc")
    assert "[1/" not in result.stderr  # no chart was rendered


def test_output_is_a_folder(built_db, tmp_path):
    one_error_line(cli("export", "district_ranking", "--session", "23", "--out", str(tmp_path)), "is a folder")


def test_existing_output_is_kept_unless_force(built_db, tmp_path):
    out = tmp_path / "rank.svg"
    out.write_bytes(b"keep me")
    result = cli("export", "district_ranking", "--session", "23", "--format", "svg", "--out", str(out))
    one_error_line(result, "already exists", "--force")
    assert out.read_bytes() == b"keep me"
    forced = cli("export", "district_ranking", "--session", "23", "--format", "svg", "--out", str(out),
                 "--force")
    if forced.returncode == 3:  # no export browser on this machine: the hint, and the old file untouched
        assert out.read_bytes() == b"keep me"
    else:
        assert forced.returncode == 0, forced.stderr
        assert out.read_bytes().lstrip().startswith(b"<svg")
    assert [p.name for p in tmp_path.iterdir()] == ["rank.svg"]  # no temporary file left


def test_unknown_chart(built_db, tmp_path):
    one_error_line(cli("export", "no_such_chart", "--session", "23", "--out", str(tmp_path / "x.png")),
                   "unknown chart 'no_such_chart'", "district_ranking")
    one_error_line(cli("pack", "--session", "23", "--charts", "district_ranking,nope", "--out",
                       str(tmp_path / "x.zip")), "'nope'")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("kind", ["missing", "empty", "garbage", "truncated", "folder"])
def test_bad_db(kind, damaged, tmp_path):
    path = {"missing": tmp_path / "none.duckdb", "folder": tmp_path}.get(kind) or damaged[kind]
    expected = {"missing": "missing", "empty": "empty", "garbage": "damaged", "truncated": "damaged",
                "folder": "unreadable"}[kind]
    out = tmp_path / "x.zip"
    one_error_line(cli("pack", "--session", "23", "--db", str(path), "--out", str(out)), expected)
    assert not out.exists()


def test_bad_build_target(tmp_path):
    one_error_line(cli("build", "--db", str(tmp_path / "no" / "records.duckdb")), "does not exist")
    one_error_line(cli("build", "--db", str(tmp_path)), "is a folder")


def test_dev_zero_as_input(built_db):
    # read whole, /dev/zero would fill the memory; the command refuses it at once
    one_error_line(cli("import", "/dev/zero", "--session", "23", "--dry-run"), "/dev/zero is not a regular file")


def test_bad_option_value_is_one_line(built_db):
    one_error_line(cli("export", "district_ranking", "--session", "abc", "--out", "x.png"), "--session")


def test_pack_refused_by_the_parser_is_one_line_while_the_export_browser_starts(built_db, tmp_path):
    # `pack` starts the export browser before it parses its options; a refused option must still end in one
    # line, with the browser stopped rather than left writing into a profile folder being deleted
    for _ in range(3):
        result = cli("pack", "--session", "abc", "--out", str(tmp_path / "x.pptx"))
        one_error_line(result, "--session")
        assert result.returncode == 2 and not (tmp_path / "x.pptx").exists()


def test_unexpected_failure_is_one_line_without_traceback(tmp_path):
    # a database file that cannot be written into: the import fails deep inside; the user sees one line
    result = cli("import", str(ROOT / "data" / "schema.sql"), "--session", "23", "--db", str(tmp_path / "x"))
    assert result.returncode != 0 and "Traceback" not in result.stderr


def test_make_run_binds_to_localhost():
    make = shutil.which("make")
    assert make, "make is needed to run the project"
    dry = subprocess.run([make, "-n", "run"], cwd=ROOT, text=True, capture_output=True, timeout=120)
    # `make serve` with one worker: nginx on 127.0.0.1 (its workers are always on 127.0.0.1: test_serve.py)
    line = next(line for line in dry.stdout.splitlines() if "-m core.serve" in line)
    assert "--host 127.0.0.1" in line and "--port 8501" in line


def test_db_option_chooses_the_database_for_the_command_only(built_db, tmp_path, capsys, monkeypatch):
    """--db is read by that command; the process's environment and the next caller's database are untouched."""
    from core import cli, config

    other = tmp_path / "other.duckdb"
    shutil.copyfile(built_db, other)
    monkeypatch.setenv("RECORDS_DB", str(built_db))
    out = tmp_path / "x.csv"
    assert cli.main(["export", "records_per_session", "--session", "23", "--format", "csv", "--out", str(out),
                     "--db", str(other)]) == 0
    assert "wrote" in capsys.readouterr().out
    assert os.environ["RECORDS_DB"] == str(built_db)
    assert config.records_db() == built_db
    other.unlink()  # the command read the other file: without it the same command now fails
    assert cli.main(["export", "records_per_session", "--session", "23", "--format", "csv", "--out",
                     str(tmp_path / "y.csv"), "--db", str(other)]) == 1
    assert str(other) in capsys.readouterr().err


def test_a_half_written_browser_message_leaves_stderr_alone():
    """choreographer logs a message the export browser left half-written when stopped ("JSONError decoding
    message. Ignoring" and a traceback): a command exiting on a bad argument while the browser started printed it
    under its one error line (seen under load). Logged the way choreographer logs it, once the export browser's
    module is loaded, it reaches no one."""
    code = ("import core.export.browser; from choreographer.channels import pipe\n"
            "try:\n    raise ValueError('cut short')\n"
            "except ValueError:\n    pipe._logger.exception('JSONError decoding message. Ignoring')\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, text=True, capture_output=True, timeout=60)
    assert result.returncode == 0 and result.stderr == "", result.stderr


def test_files_whose_links_open_only_here_say_so(built_db, tmp_path):
    """Without PUBLIC_URL a file's links and QR codes carry http://localhost:8501 (a district pack's title slide,
    every chart's footer): the command says so once, as the dashboard does on screen; with PUBLIC_URL it is
    silent."""
    env = {k: v for k, v in os.environ.items() if k != "PUBLIC_URL"}
    args = [sys.executable, "-m", "core.cli", "export", "records_per_session", "--session", "23", "--format", "csv"]
    local = subprocess.run([*args, "--out", str(tmp_path / "a.csv")], cwd=ROOT, env=env, text=True,
                           capture_output=True, timeout=300)
    assert local.returncode == 0, local.stderr
    assert local.stderr.count("note: links and QR codes in the files point to http://localhost:8501, which "
                              "opens only on this computer; set PUBLIC_URL") == 1, local.stderr
    shared = subprocess.run([*args, "--out", str(tmp_path / "b.csv")], cwd=ROOT, text=True, capture_output=True,
                            env={**env, "PUBLIC_URL": "https://records.example.gov.cn"}, timeout=300)
    assert shared.returncode == 0 and "note:" not in shared.stderr, shared.stderr
