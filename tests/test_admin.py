"""Who may write (issue 9, item 1): administrator accounts, the hash file, sign-in throttling, session
timeout, and the import page only for a signed-in administrator (AppTest through dashboard.py)."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from streamlit.runtime.pages_manager import PagesManager
from streamlit.testing.v1 import AppTest

from core import auth, config
from core import throttle as attempts
from core.i18n import t
from core.markup import escape_markdown
from tests.conftest import ADMIN, ADMIN_PASSWORD, ADMIN_SESSION

ROOT = Path(__file__).resolve().parent.parent


# --- core.auth -------------------------------------------------------------------------------------------

def test_hash_file_holds_a_scrypt_hash_never_the_password(tmp_path):
    path = auth.add_admin("li", "s3cret-passphrase-Ω", tmp_path / "cfg" / "admins.toml")
    auth.add_admin("dotted.name", "another long password", path)
    text = path.read_text(encoding="utf-8")
    assert "s3cret" not in text and "passphrase" not in text
    assert '[admins."li"]' in text and 'hash = "scrypt$16384$8$1$' in text
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    admins = auth.load_admins(path)
    assert sorted(admins) == ["dotted.name", "li"]
    assert auth.check("li", "s3cret-passphrase-Ω", admins)
    assert not auth.check("li", "s3cret-passphrase-o", admins)
    assert not auth.check("nobody", "s3cret-passphrase-Ω", admins)


def test_same_password_gets_a_different_salt():
    assert auth.hash_password("same password") != auth.hash_password("same password")


def test_bad_names_and_short_passwords_are_refused(tmp_path):
    for name in ("", "a b", "x]\nhash='", "../etc", "a" * 33):
        with pytest.raises(auth.AdminError):
            auth.add_admin(name, "long enough password", tmp_path / "a.toml")
    with pytest.raises(auth.AdminError, match="at least 10"):
        auth.add_admin("li", "short", tmp_path / "a.toml")
    assert not (tmp_path / "a.toml").exists()


def test_remove_admin(tmp_path):
    path = tmp_path / "a.toml"
    auth.add_admin("li", "long enough password", path)
    auth.add_admin("wang", "another long password", path)
    assert auth.remove_admin("li", path) and not auth.remove_admin("li", path)
    assert list(auth.load_admins(path)) == ["wang"]


def test_default_path_is_under_the_users_config_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("RECORDS_ADMINS", raising=False)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    assert config.admins_file() == tmp_path / "sz-records" / "admins.toml"
    assert not config.admins_file().is_relative_to(ROOT)


class Clock:
    def __init__(self):
        self.now = 1000.0

    def __call__(self):
        return self.now


def test_wrong_passwords_are_throttled_per_name_and_unknown_names_per_client(tmp_path):
    clock = Clock()
    throttle = attempts.Throttle(tmp_path / "attempts.sqlite3", clock=clock)
    admins = auth.load_admins(auth.add_admin("li", "long enough password", tmp_path / "a.toml"))
    tries = [auth.sign_in("li", f"guess {i}", "10.0.0.9", admins, throttle) for i in range(3)]
    assert [a.ok for a in tries] == [False] * 3
    assert [a.wait for a in tries] == [0, 0, 2]  # free tries, then a wait that doubles
    # while the wait runs even the right password is refused unchecked, from any address
    assert auth.sign_in("li", "long enough password", "10.0.0.9", admins, throttle) == auth.Attempt(False, 2)
    assert auth.sign_in("li", "long enough password", "10.0.0.7", admins, throttle).wait == 2
    clock.now += 2
    assert auth.sign_in("li", "guess 4", "10.0.0.9", admins, throttle).wait == 4
    clock.now += 4
    assert auth.sign_in("li", "guess 5", "10.0.0.9", admins, throttle).wait == 8
    assert attempts.delay(50) == auth.MAX_WAIT
    clock.now += 8
    assert auth.sign_in("li", "long enough password", "10.0.0.9", admins, throttle).ok
    assert throttle.wait(["name:li"]) == 0  # success clears the name's count
    # names that are no account: one client spraying them slows down whatever the name
    tries = [auth.sign_in(f"user{i}", "guess", "10.0.0.9", admins, throttle) for i in range(4)]
    assert [a.wait for a in tries] == [0, 0, 2, 2]
    assert auth.sign_in("user9", "guess", "10.0.0.8", admins, throttle).wait == 0  # another client
    assert auth.sign_in("li", "long enough password", "10.0.0.9", admins, throttle).ok  # never the account


def test_session_times_out_after_idle_time(monkeypatch):
    session = auth.AdminSession("li", "password", last_seen=100.0)
    monkeypatch.setenv("RECORDS_ADMIN_TIMEOUT", "5")
    assert auth.session_timeout() == 300
    assert not session.expired(400.0, auth.session_timeout())
    assert session.expired(400.1, auth.session_timeout())
    monkeypatch.delenv("RECORDS_ADMIN_TIMEOUT")
    assert auth.session_timeout() == auth.DEFAULT_TIMEOUT_MIN * 60


def test_oidc_allow_list():
    allow = ["Chen@SZ.gov.cn"]
    assert auth.email_allowed("chen@sz.gov.cn", True, allow)
    assert auth.email_allowed("chen@sz.gov.cn", None, allow)  # provider does not say
    assert not auth.email_allowed("chen@sz.gov.cn", False, allow)
    assert not auth.email_allowed("chen@sz.gov.cn.evil.com", True, allow)
    assert not auth.email_allowed(None, True, allow) and not auth.email_allowed("chen@sz.gov.cn", True, [])


# --- the command line ------------------------------------------------------------------------------------

def _cli(*args, stdin="", env=None):
    return subprocess.run([sys.executable, "-m", "core.cli", *args], cwd=ROOT, input=stdin, text=True,
                          capture_output=True, env={**os.environ, **(env or {})}, timeout=120)


def test_cli_admin_add_list_remove(tmp_path):
    env = {"RECORDS_ADMINS": str(tmp_path / "admins.toml")}
    # no terminal (as here): it says what to do instead of failing on getpass
    no_tty = _cli("admin", "add", "zhao", stdin="same long password\nsame long password\n", env=env)
    assert no_tty.returncode != 0 and "--password-stdin" in no_tty.stderr and "terminal" in no_tty.stderr
    assert no_tty.stderr.count("\n") == 1 and not (tmp_path / "admins.toml").exists()
    added = _cli("admin", "add", "Zhao", "--password-stdin", stdin="same long password\n", env=env)
    assert added.returncode == 0, added.stderr
    assert "same long password" not in (tmp_path / "admins.toml").read_text()
    assert _cli("admin", "list", env=env).stdout.split() == ["zhao"]
    assert auth.check("ZHAO", "same long password", auth.load_admins(tmp_path / "admins.toml"))
    # an existing name (any case) is not silently replaced
    again = _cli("admin", "add", "zhao", "--password-stdin", stdin="other long password\n", env=env)
    assert again.returncode != 0 and "--replace" in again.stderr and "Traceback" not in again.stderr
    assert auth.check("zhao", "same long password", auth.load_admins(tmp_path / "admins.toml"))
    replaced = _cli("admin", "add", "ZHAO", "--replace", "--password-stdin", stdin="other long password\n", env=env)
    assert replaced.returncode == 0, replaced.stderr
    assert auth.check("zhao", "other long password", auth.load_admins(tmp_path / "admins.toml"))
    blank = _cli("admin", "add", "li", "--password-stdin", stdin=" " * 9 + "x\n", env=env)
    assert blank.returncode != 0 and "at least 10" in blank.stderr
    assert _cli("admin", "remove", "ZHAO", env=env).returncode == 0
    gone = _cli("admin", "remove", "zhao", env=env)
    assert gone.returncode != 0 and gone.stderr.count("\n") == 1 and "Traceback" not in gone.stderr


# --- the app ---------------------------------------------------------------------------------------------

@pytest.fixture
def entry(built_db, monkeypatch):
    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as after the server's first st.navigation call

    monkeypatch.setattr(PagesManager, "__init__", init)


def nav(at: AppTest) -> list[str]:
    return [info["url_pathname"] for info in at._registered_pages.values()]


def app(page: str | None = None, session=None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    if session is not None:
        at.session_state["admin_session"] = session
    if page:
        at.switch_page(f"pages/{page}.py")
    return at.run()


def test_no_administrator_no_import_page(entry):
    at = app()
    assert not at.exception
    assert "import" not in nav(at) and "about" in nav(at)
    # the file opened on its own (a guessed address) writes nothing either: it says the CLI is the way
    direct = AppTest.from_file(str(ROOT / "pages" / "import.py"), default_timeout=60).run()
    assert not direct.exception
    # the demo banner (shown before the gate), then why nobody can import here
    assert [i.value for i in direct.info] == [t("demo.banner", "zh"), t("auth.none_configured", "zh")]
    assert not direct.get("file_uploader")


def test_import_page_present_and_gated(entry, admin_file):
    at = app("import")
    assert not at.exception and "import" in nav(at)
    assert not at.get("file_uploader")  # the sign-in form only
    at.text_input(key="admin_name").set_value(ADMIN)
    at.text_input(key="admin_password").set_value("wrong password")
    at.button[0].click()  # the form's submit button
    at.run()
    assert [e.value for e in at.error] == [t("auth.wrong", "zh")] and not at.get("file_uploader")
    at.text_input(key="admin_password").set_value(ADMIN_PASSWORD)
    at.button[0].click()
    at.run()
    assert not at.exception and at.get("file_uploader")
    assert t("auth.signed_in_as", "zh", name=escape_markdown(ADMIN)) in [c.value for c in at.caption]


def test_signed_in_session_times_out(entry, admin_file):
    at = app("import", ADMIN_SESSION())
    assert at.get("file_uploader")
    at.session_state["admin_session"].last_seen -= auth.session_timeout() + 1
    at.run()
    assert not at.get("file_uploader")
    assert t("auth.expired", "zh") in [w.value for w in at.warning]


def test_wrong_passwords_in_the_form_are_throttled(entry, admin_file, monkeypatch, tmp_path):
    monkeypatch.setattr(auth, "THROTTLE", attempts.Throttle(tmp_path / "attempts.sqlite3", clock=Clock()))
    at = app("import")
    for _ in range(3):
        at.text_input(key="admin_name").set_value(ADMIN)
        at.text_input(key="admin_password").set_value("wrong password")
        at.button[0].click()
        at.run()
    assert [e.value for e in at.error] == [t("auth.wrong_wait", "zh", seconds=2)]
    at.text_input(key="admin_password").set_value(ADMIN_PASSWORD)
    at.button[0].click()
    at.run()
    assert not at.get("file_uploader")  # refused while the wait runs, right password or not
