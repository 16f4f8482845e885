"""Edges of core.auth that the sign-in tests (test_admin.py, test_signin_throttle.py) pass by: the default admins
file, a bad or tiny idle timeout, removing from the default file, and e-mails that are not plain strings.
Found by mutation testing (docs/testing.md): each test fails on a one-token change of the line it names."""

from __future__ import annotations

from pathlib import Path

from core import auth, throttle


def test_admins_file_defaults_to_the_users_config_folder_without_xdg(monkeypatch, tmp_path):
    monkeypatch.delenv("RECORDS_ADMINS", raising=False)
    monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    monkeypatch.setenv("HOME", str(tmp_path))
    assert auth.admins_path() == tmp_path / ".config" / "sz-records" / "admins.toml"


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
