"""Database faults while the app serves (issue 9, item 10) and URL values echoed as text (item 9), through
dashboard.py with AppTest: a clear page in the reader's language, no path, recovery once the file is back."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core.i18n import t

ROOT = Path(__file__).resolve().parent.parent


def app(query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query or {})
    return at.run()


def break_file(path: Path, kind: str, good: bytes) -> None:
    if kind == "missing":
        path.unlink()
    elif kind == "empty":
        path.write_bytes(b"")
    elif kind == "garbage":
        path.write_bytes(b"PK\x03\x04 not a database " * 500)
    elif kind == "truncated":
        path.write_bytes(good[: len(good) // 2])
    elif kind == "folder":  # unreadable as a database, even for root, which ignores permission bits
        path.unlink()
        path.mkdir()


FAULT = {"missing": "missing", "empty": "empty", "garbage": "damaged", "truncated": "damaged",
         "folder": "unreadable"}


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("kind", list(FAULT))
def test_fault_page_then_recovery_without_restart(db_copy, kind, lang):
    good = db_copy.read_bytes()
    at = app({"lang": lang} if lang == "en" else {})
    assert not at.exception and at.title[0].value == t("pages.overview.title", lang)
    break_file(db_copy, kind, good)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert [e.value for e in at.error] == [t(f"fault.{FAULT[kind]}", lang)]
    assert at.title[0].value == t("fault.title", lang)
    shown = " ".join(str(getattr(el, "value", "")) for el in at.main)
    assert str(db_copy.parent) not in shown and "Traceback" not in shown
    if db_copy.is_dir():
        db_copy.rmdir()
    db_copy.write_bytes(good)  # restored (a rebuild or `core.cli restore` does the same)
    at.button[0].click()
    at.run()
    assert not at.exception and not at.error
    assert at.title[0].value == t("pages.overview.title", lang)


def test_production_config_hides_error_details():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["client"]["showErrorDetails"] in ("none", False)


HOSTILE = {"lang": "[click](https://evil.example/x)",
           "district": "![x](https://evil.example/p.png),www.evil.example,:streamlit:",
           "industry": "x@evil.example\n# big"}


def test_url_values_in_notices_are_plain_text(built_db):
    at = app(HOSTILE)
    assert not at.exception
    notice = next(w.value for w in at.warning if t("notice.heading", "zh") in w.value)
    body = notice.split("\n\n", 1)[1]
    # Markdown would make links, images, autolinks, e-mail links, emoji or headings of these: none may
    # survive unescaped (the browser test checks the rendered page has no link or image)
    for live in ("](", "![", "https://", "www.", "@e", ":streamlit:", "\n#"):
        assert live not in body, live
    for word in ("click", "evil", "streamlit", "big"):
        assert word in body


def test_file_name_in_import_summary_is_plain_text(built_db, db_copy, admin_file, monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    from tests.conftest import ADMIN_SESSION

    original = PagesManager.__init__

    def init(self, *args, **kwargs):
        original(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False  # as after the server's first st.navigation call

    monkeypatch.setattr(PagesManager, "__init__", init)
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.session_state["admin_session"] = ADMIN_SESSION()
    at.switch_page("pages/import.py")
    at.run()
    name = "[list](https:evil.example)![x](www.evil.example) x@evil.example.csv"  # no "/": uploads drop folders
    at.get("file_uploader")[0].set_value((name, "企业名称,项目名称\n".encode(), "text/csv"))
    at.run()
    at.button[[b.label for b in at.button].index(t("import.check", "zh"))].click()
    at.run()
    assert not at.exception
    lines = [m.value for m in at.markdown if "evil" in m.value]
    assert lines, [m.value for m in at.markdown]
    for line in lines:
        for live in ("](", "![", "www.", "@e"):
            assert live not in line, line


def test_a_file_damaged_in_place_after_a_good_check_is_reported(db_copy):
    """health() keeps its catalogue check per version of the file; a write that keeps the size is a new version."""
    from core import db

    assert db.health() is None
    with open(db_copy, "r+b") as f:  # the catalogue's blocks overwritten, the size unchanged
        f.seek(3 * 4096)
        f.write(b"\0" * (256 * 1024))
    assert db.health() == "damaged"


def test_the_first_run_settles_the_heap(built_db):
    """ui.heap: after a first run the process's objects are frozen and young collections are less frequent."""
    import gc

    from ui import heap

    app()
    assert heap._settled and gc.get_freeze_count() > 0
    assert gc.get_threshold()[0] == heap.YOUNG_THRESHOLD
