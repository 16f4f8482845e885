"""ui/menu: the page menu is made once per language and handed out as fresh copies, so a run's marks on its pages
(st.navigation marks the one it returns as callable) never reach another session's run, and an administrator
configured while the server runs brings the import page."""

from __future__ import annotations

import textwrap

import pytest
from streamlit.testing.v1 import AppTest

from core import config
from ui import admin

# Runs inside a script run (st.Page reads the app's folder from it) and reports what menu.pages gave.
SCRIPT = textwrap.dedent("""
    import streamlit as st
    from ui import menu

    first, again = menu.pages("zh"), menu.pages("zh")
    first[0]._can_be_called = True  # what st.navigation does to the page it returns
    st.session_state["report"] = {
        "titles": [p.title for p in first], "paths": [p.url_path for p in again],
        "english": [p.title for p in menu.pages("en")],
        "fresh": all(a is not b for a, b in zip(first, again)),
        "unmarked": not again[0]._can_be_called and not menu.pages("zh")[0]._can_be_called,
        "files": [str(p._page) for p in again],
    }
""")


def report(monkeypatch, tmp_path, configured: bool) -> dict:
    monkeypatch.setattr(admin, "configured", lambda: configured)
    # st.Page looks for pages/ beside the running script: the app's own, linked (resolved to the real files)
    (tmp_path / "pages").symlink_to(config.ROOT / "pages", target_is_directory=True)
    script = tmp_path / "menu_check.py"
    script.write_text(SCRIPT, encoding="utf-8")
    at = AppTest.from_file(str(script), default_timeout=60).run()
    assert not at.exception
    return at.session_state["report"]


@pytest.mark.parametrize("configured", [False, True])
def test_each_call_gives_new_pages_in_the_language_and_a_mark_stays_with_its_copy(monkeypatch, tmp_path, configured):
    got = report(monkeypatch, tmp_path, configured)
    assert got["fresh"] and got["unmarked"]
    expected = ["", "overview", "trends", "districts", "district", "compare", "industries", "companies", "records",
                "briefing", *(["import"] if configured else []), "about"]
    assert got["paths"] == expected  # the hidden home page answers at "/"
    assert got["titles"][:3] == ["概览", "概览", "历届趋势"]
    assert got["english"][:3] == ["Overview", "Overview", "Trends"]
    assert ("导入名单" in got["titles"]) is configured and ("Import a list" in got["english"]) is configured
    assert got["files"][0] == str(config.ROOT / "pages" / "overview.py")
    assert all(f.startswith(str(config.ROOT / "pages")) for f in got["files"])
