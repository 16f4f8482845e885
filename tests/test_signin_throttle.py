"""The administrators' sign-in throttle (issue 34, item 4) against the real sign-in code: a burst of parallel
guesses checks at most the free tries, failures on other names never lock an administrator out, names differ
not by case, the count is shared by processes and survives a restart, and the client address behind the proxy."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from core import auth
from core import throttle as attempts

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "long enough password"


@pytest.fixture
def admins(tmp_path, monkeypatch):
    path = tmp_path / "admins.toml"
    monkeypatch.setenv("RECORDS_ADMINS", str(path))
    auth.add_admin("li", PASSWORD, path)
    return auth.load_admins(path)


@pytest.fixture
def frozen(admins, monkeypatch):
    """The real throttle, its file beside the admins file, with a clock that stands still: a busy machine
    taking longer than a wait for 30 scrypt checks must not let a guess through in the test."""
    monkeypatch.setattr(auth, "THROTTLE", attempts.Throttle(auth.THROTTLE.path, clock=lambda: 1_000_000.0))


@pytest.fixture
def checks(monkeypatch):
    """How many passwords were really checked (scrypt run against a stored or the dummy hash)."""
    calls = []
    real = auth.verify_password

    def counting(password, stored):
        calls.append(password)
        return real(password, stored)

    monkeypatch.setattr(auth, "verify_password", counting)
    return calls


def burst(n, name, client, admins):
    results, start = [], threading.Barrier(n)

    def guess(i):
        start.wait()
        results.append(auth.sign_in(name, f"guess {i}", client, admins))

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(n)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    return results


def test_a_burst_of_parallel_guesses_checks_only_the_free_tries(admins, checks, frozen):
    results = burst(30, "li", "10.0.0.9", admins)
    assert not any(r.ok for r in results)
    assert len(checks) == auth.FREE_TRIES  # the rest refused before scrypt ran
    assert sum(r.wait > 0 for r in results) >= 30 - auth.FREE_TRIES
    # the right password is refused unchecked while the wait runs
    assert not auth.sign_in("li", PASSWORD, "10.0.0.1", admins).ok and len(checks) == auth.FREE_TRIES


def test_failures_on_other_names_never_lock_an_administrator_out(admins, checks, frozen):
    for client in (None, "10.0.0.9"):  # None: every browser on this machine (`make run`), one client
        burst(30, "mallory", client, admins)
        for i in range(10):
            auth.sign_in(f"user{i}", "guess", client, admins)
        assert auth.sign_in("li", PASSWORD, client, admins).ok


def test_names_differing_only_by_case_are_one_account(admins, checks, frozen, tmp_path):
    for i in range(auth.FREE_TRIES):
        auth.sign_in("LI" if i % 2 else "Li", f"guess {i}", f"10.0.0.{i}", admins)
    assert auth.sign_in("li", PASSWORD, "10.0.1.1", admins).wait > 0
    with pytest.raises(auth.AdminError, match="already"):
        auth.add_admin("LI", "another long password", tmp_path / "admins.toml")
    auth.add_admin("LI", "another long password", tmp_path / "admins.toml", replace=True)
    assert list(auth.load_admins(tmp_path / "admins.toml")) == ["li"]


def test_the_count_is_shared_by_processes_and_survives_a_restart(admins, checks, tmp_path):
    # three failures in other processes (other workers, or this one before a restart)
    code = ("from core import auth; import sys\n"
            "print(auth.sign_in('li', 'guess', sys.argv[1], auth.load_admins()).ok)")
    for client in ("10.0.0.1", "10.0.0.2", "10.0.0.3"):
        done = subprocess.run([sys.executable, "-c", code, client], cwd=ROOT, capture_output=True, text=True,
                              timeout=60, env=dict(os.environ))
        assert done.stdout.strip() == "False", done.stderr
    path = attempts.attempts_path(tmp_path / "admins.toml")
    with sqlite3.connect(path) as con:
        last = con.execute("SELECT last FROM failures WHERE key = 'name:li'").fetchone()[0]
    # a second after the last failure (however long the processes took to start), this process waits too
    throttle = attempts.Throttle(path, clock=lambda: last + 1)
    attempt = auth.sign_in("li", PASSWORD, "10.0.0.4", admins, throttle)
    assert not attempt.ok and attempt.wait == 1 and checks == []


@pytest.mark.parametrize("password", [" " * 9 + "x", " " * 30, "aaaaaaaaaaaa", "ababababab", "\t\t" + "abc" * 2])
def test_blankish_and_monotonous_passwords_are_refused(tmp_path, password):
    with pytest.raises(auth.AdminError):
        auth.add_admin("zhao", password, tmp_path / "a.toml")
    assert not (tmp_path / "a.toml").exists()


def test_client_address_comes_from_the_proxy_header_only_from_the_proxy():
    headers = {"X-Real-Ip": "203.0.113.7"}
    assert auth.client_key(None, headers, "127.0.0.1") == "203.0.113.7"  # through make serve's nginx
    assert auth.client_key(None, headers, None) == "local"  # make run: no proxy, the header is ignored
    assert auth.client_key("198.51.100.2", headers, "127.0.0.1") == "198.51.100.2"  # not from the proxy
    assert auth.client_key(None, {"X-Real-Ip": "not an address"}, "127.0.0.1") == "local"
    assert auth.client_key(None, {}, "127.0.0.1") == "local"


def test_names_differing_only_by_spaces_around_them_are_one_account(admins, checks, frozen):
    """" li" is the account li: each spacing of the name must not get a throttle of its own (a guesser
    would get FREE_TRIES more checks for every space added)."""
    for i in range(auth.FREE_TRIES):
        auth.sign_in("li", f"guess {i}", f"10.0.0.{i}", admins)
    assert auth.sign_in(" li ", PASSWORD, "10.0.1.1", admins).wait > 0
    assert len(checks) == auth.FREE_TRIES


def test_an_allow_list_entry_written_with_spaces_still_lets_its_administrator_in():
    assert auth.email_allowed("wang@example.cn", True, [" Wang@Example.cn "])
    assert not auth.email_allowed("wang@example.cn", False, ["wang@example.cn"])


def test_the_attempts_file_is_readable_by_its_owner_only(admins, tmp_path):
    """It holds the names tried and when; under the usual umask 022 a new file would be world-readable."""
    old = os.umask(0o022)
    try:
        auth.sign_in("mallory", "guess", "10.0.0.9", admins)
    finally:
        os.umask(old)
    assert auth.THROTTLE.path.exists() and auth.THROTTLE.path.stat().st_mode & 0o777 == 0o600
