"""What an official hits on first use (issue 10): filters kept across a language switch, permalinks."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.test_pages import entry_mode, open_page  # noqa: F401 - fixture re-used

DEEP = {"session": "22", "district": "440305", "industry": "C39"}
SIDEBAR = ("f_session", "f_districts", "f_industries", "f_from", "f_to")


def _sidebar_state(at: AppTest):
    s = at.session_state
    return s["f_session"], list(s["f_districts"]), list(s["f_industries"])


def _wire_labels(at: AppTest) -> dict:
    """What the browser holds for each sidebar select: the option labels it last showed."""
    out = {}
    for node in at.get("selectbox") + at.get("multiselect"):
        if node.key in SIDEBAR:
            out[node.id] = node._widget_state
    return out


def _run_as_browser(at: AppTest, held: dict) -> AppTest:
    """Rerun as the browser would: a select keeps the label it holds unless the server sent a new value
    (proto.set_value), so labels of the previous language come back unless the app re-seeds them."""
    states = at._tree.get_widget_states()
    fresh = {n.id for n in at.get("selectbox") + at.get("multiselect") if n.proto.set_value}
    for i, w in enumerate(states.widgets):
        if w.id in held and w.id not in fresh:
            states.widgets[i].CopyFrom(held[w.id])
    return at._run(states)


def test_language_switch_keeps_filters(entry_mode):  # noqa: F811
    at = open_page("districts", DEEP)
    assert _sidebar_state(at) == (22, ["440305"], ["C39"])
    held = _wire_labels(at)
    assert any("届" in w.string_value for w in held.values())  # the Chinese label is what the browser holds
    at.radio(key="f_lang").set_value("en").run()
    _run_as_browser(at, held)  # the next click anywhere (show-data toggle, another page)
    assert _sidebar_state(at) == (22, ["440305"], ["C39"])
    assert at.query_params["session"] in (["22"], "22")
    assert at.session_state["f_lang"] == "en"
