"""Edges of core.auth that the sign-in tests (test_admin.py, test_signin_throttle.py) pass by: the default admins
file, a bad or tiny idle timeout, removing from the default file, and e-mails that are not plain strings.
Found by mutation testing (docs/testing.md): each test fails on a one-token change of the line it names."""

from __future__ import annotations

import base64
import hashlib
import re
import sqlite3
import tomllib
from pathlib import Path

import pytest

from core import auth, config, throttle


def test_admins_file_defaults_to_the_users_config_folder_without_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("RECORDS_ADMINS", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert config.admins_file() == tmp_path / ".config" / "sz-records" / "admins.toml"


def test_an_unreadable_timeout_is_the_default(monkeypatch):
    monkeypatch.setenv("RECORDS_ADMIN_TIMEOUT", "half an hour")
    assert auth.session_timeout() == 30 * 60  # DEFAULT_TIMEOUT_MIN, docs/security.md


def test_the_timeout_is_never_under_one_minute(monkeypatch):
    monkeypatch.setenv("RECORDS_ADMIN_TIMEOUT", "0.5")
    assert auth.session_timeout() == 60.0
    monkeypatch.setenv("RECORDS_ADMIN_TIMEOUT", "1.5")
    assert auth.session_timeout() == 90.0


def test_remove_admin_from_the_default_file(monkeypatch, tmp_path):
    path = tmp_path / "admins.toml"
    auth.add_admin("chen.admin", "correct horse battery", path)
    monkeypatch.setenv("RECORDS_ADMINS", str(path))
    assert auth.remove_admin("Chen.Admin")
    assert auth.load_admins(Path(path)) == {}


def test_an_email_that_is_empty_or_not_text_is_refused():
    assert not auth.email_allowed("", True, [" "])  # a blank entry on the list must not let a blank e-mail in
    assert not auth.email_allowed(["chen@sz.gov.cn"], True, ["chen@sz.gov.cn"])


def test_the_admins_file_is_created_with_its_folders_and_says_what_it_holds(tmp_path):
    path = tmp_path / "etc" / "sz-records" / "admins.toml"  # two folders that do not exist yet
    auth.add_admin("chen.admin", "correct horse battery", path)
    assert path.read_text(encoding="utf-8").splitlines()[:2] == [
        "# Administrators of the records dashboard: scrypt hashes, never passwords.",
        "# Edit with `python -m core.cli admin add|remove|list`."]


def test_failed_sign_ins_are_counted_next_to_the_admins_file():
    assert throttle.attempts_path(Path("/etc/sz/admins.toml")) == Path("/etc/sz/admins.attempts.sqlite3")


def test_a_hash_holds_a_16_byte_salt_and_a_32_byte_key():
    kind, n, r, p, salt, key = auth.hash_password("correct horse battery").split("$")
    assert (kind, n, r, p) == ("scrypt", "16384", "8", "1")
    assert (len(base64.b64decode(salt)), len(base64.b64decode(key))) == (16, 32)


def test_passwords_at_the_limits():
    assert auth.password_problem("abcde12345") is None  # 10 characters, 10 different
    assert auth.password_problem("aabbccddee") is None  # 10 characters, exactly 5 different
    assert auth.password_problem(" abcde1234 ") == ("the password must have at least 10 characters, not counting "
                                                    "spaces at either end")
    assert auth.password_problem("aabbccddaa") == "the password must have at least 5 different characters"


def test_refusals_say_why(tmp_path):
    path = tmp_path / "admins.toml"
    with pytest.raises(auth.AdminError) as err:
        auth.add_admin("-chen", "correct horse battery", path)
    assert str(err.value) == "a name is 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit"
    auth.add_admin("chen.admin", "correct horse battery", path)
    with pytest.raises(auth.AdminError) as err:
        auth.add_admin("Chen.Admin", "correct horse battery", path)
    assert str(err.value) == ("an administrator 'chen.admin' already exists (names ignore case); to give it a new "
                              "password, add it again with --replace")
    path.write_text("[admins\n")
    with pytest.raises(auth.AdminError, match=f"^cannot read the administrators file {re.escape(str(path))}: "):
        auth.add_admin("li.admin", "correct horse battery", path)


def test_add_admin_writes_to_the_default_file(monkeypatch, tmp_path):
    monkeypatch.setenv("RECORDS_ADMINS", str(tmp_path / "admins.toml"))
    auth.add_admin("chen.admin", "correct horse battery")
    assert list(auth.load_admins(tmp_path / "admins.toml")) == ["chen.admin"]


def test_adding_an_admin_keeps_the_others_and_when_they_were_created(tmp_path):
    path = tmp_path / "admins.toml"
    stored = auth.hash_password("correct horse battery")
    path.write_text(f'[admins]\nbroken = "not a table"\n\n[admins."wang.admin"]\nhash = "{stored}"\n\n'
                    f'[admins."li.admin"]\nhash = "{stored}"\ncreated = "2025-01-02T03:04:05Z"\n')
    auth.add_admin("chen.admin", "correct horse battery", path)
    admins = tomllib.loads(path.read_text(encoding="utf-8"))["admins"]
    assert sorted(admins) == ["chen.admin", "li.admin", "wang.admin"]  # an entry that is not a table is dropped
    assert admins["li.admin"] == {"hash": stored, "created": "2025-01-02T03:04:05Z"}
    assert admins["wang.admin"] == {"hash": stored, "created": ""}  # none was recorded: none is made up
    assert re.fullmatch(r"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ", admins["chen.admin"]["created"])


def test_a_file_without_administrators_takes_one(tmp_path):
    path = tmp_path / "admins.toml"
    path.write_text("# nobody yet\n")
    auth.add_admin("chen.admin", "correct horse battery", path)
    assert list(auth.load_admins(path)) == ["chen.admin"]


def test_a_stored_hash_of_another_kind_or_malformed_never_matches():
    assert not auth.verify_password("correct horse battery", "bcrypt$16384$8$1$c2FsdA==$a2V5")
    assert not auth.verify_password("correct horse battery", "not a hash")
    assert not auth.verify_password("correct horse battery", "scrypt$x$8$1$c2FsdA==$a2V5")


def test_a_stronger_hash_than_todays_still_verifies():
    salt = b"0123456789abcdef"
    key = hashlib.scrypt(b"correct horse battery", salt=salt, n=2**16, r=8, p=1, dklen=32, maxmem=2**27)
    stored = f"scrypt$65536$8$1${base64.b64encode(salt).decode()}${base64.b64encode(key).decode()}"
    assert auth.verify_password("correct horse battery", stored)  # 64 MiB: over scrypt's default memory cap


def test_an_unknown_name_without_an_address_is_counted_for_the_local_client(tmp_path):
    attempts = throttle.Throttle(tmp_path / "a.sqlite3")
    assert auth.sign_in("nobody", "wrong password!", None, {}, attempts) == auth.Attempt(False, 0.0)
    with sqlite3.connect(tmp_path / "a.sqlite3") as con:
        assert sorted(k for (k,) in con.execute("SELECT key FROM failures")) == ["client:local", "name:nobody"]


def test_sign_in_fails_closed_and_says_why_when_the_attempts_file_is_broken(tmp_path, caplog):
    broken = throttle.Throttle(tmp_path)  # a folder: sqlite cannot open it
    admins = {"chen.admin": auth.hash_password("correct horse battery")}
    assert auth.sign_in("chen.admin", "correct horse battery", None, admins, broken) == auth.Attempt(False, 60.0)
    assert caplog.records[-1].getMessage() == f"sign-in attempts file {tmp_path}: unable to open database file"


def test_loading_admins_skips_entries_that_are_not_tables_and_refuses_a_name_twice(tmp_path):
    path = tmp_path / "admins.toml"
    path.write_text('[admins]\nbroken = "text"\n\n[admins.li]\nhash = "h0"\n')
    assert auth.load_admins(path) == {"li": "h0"}  # the entry after the broken one still counts
    path.write_text('[admins.Chen]\nhash = "h1"\n\n[admins.chen]\nhash = "h2"\n')
    with pytest.raises(auth.AdminError) as err:
        auth.load_admins(path)
    assert str(err.value) == (f"the administrators file {path} has 'chen' twice (names ignore case); remove it with "
                              "`admin remove` and add it again")
    path.write_text("[admins\n")
    with pytest.raises(auth.AdminError, match=f"^cannot read the administrators file {re.escape(str(path))}: "):
        auth.load_admins(path)
