"""Every notice the pages draw names its icon. Given none, Streamlit looks for a leading emoji in the text, and
the first time a worker does so for text that is not ASCII (every Chinese notice) it loads its emoji catalogue
and compiles a regular expression over all of it: 250 ms, in the middle of an official's filter change (seen
on the district profile when a range left one of its charts empty). Each view below draws a notice in Chinese;
none may reach Streamlit's emoji lookup."""

from __future__ import annotations

from pathlib import Path

import pytest
import streamlit.elements.alert as alert
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

# page, URL values, what the notice says (a piece of its Chinese text)
VIEWS = [
    # one session: nobody can be a repeat innovator in it, so that chart is a notice
    ("district", {"code": "440305", "from": "23", "to": "23"}, "没有"),
    ("compare", {"vs": "23", "session": "23"}, "两届相同"),
    ("briefing", {}, "简报"),
    ("records", {"session": "3", "from": "2", "to": "3", "district": "440309", "industry": "A01"}, "没有"),
]


def open_page(page: str, query: dict) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    at.switch_page(f"pages/{page}.py")
    return at.run()


@pytest.mark.parametrize(("page", "query", "words"), VIEWS, ids=[v[0] for v in VIEWS])
def test_notices_name_their_icon(entry_mode, monkeypatch, page, query, words):
    asked = []
    lookup = alert.extract_leading_icon
    monkeypatch.setattr(alert, "extract_leading_icon", lambda text: asked.append(text) or lookup(text))
    at = open_page(page, query)
    assert not at.exception
    notices = [n.value for kind in ("info", "warning", "error", "success") for n in at.get(kind)]
    assert any(words in n for n in notices), notices  # the view did draw its notice
    assert asked == []
