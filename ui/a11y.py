"""What the page does for screen readers and for the reader's language that Streamlit does not do itself.

- The page's language (`<html lang>`): zh-CN or en, so a screen reader reads Chinese as Chinese.
- Each chart's plot carries role="img" and its text alternative as aria-label (the text also shows under the
  chart, see ui/widgets.show), so a screen reader announces a sentence instead of the toolbar's buttons. The
  label goes on the plot's own SVG, not its container, which also holds the toolbar's buttons: they must stay
  reachable, and an image's children are not. Titles, legend and notes are drawn in further SVG layers, hidden:
  the description says what they say.
- Material icons are ligatures: their name ("science", "download") is text, and an alert or a button would
  be read starting with it. They are hidden from assistive technology (the label next to them says it all).
- Plotly's toolbar in the reader's language: its titles and messages from the zh-CN locale of plotly.js
  (vendored in ui/assets from the plotly.js-locales package, MIT), put on the buttons by the script below.
  They travel with the script's data in a session's first run in each language, not in every chart's config
  (1.5 KB a chart, sent again with each redraw); the script keeps them for the page's life.

Streamlit cannot put attributes on its elements, so a script in the page (static/page_scripts.js, `a11y`, run
as a v2 component: ui/scripts.py) sets them, again just after each run (and 0.3 s and 1.5 s later, for
charts Plotly draws late), when Plotly shows a toolbar message and every two seconds; the language comes with each
run's data. It no longer watches every change in the page: told of each node Plotly drew, that observer cost
~20 ms of the browser's work on a four-chart filter change.
"""

from __future__ import annotations

import functools
import json

import streamlit as st

from core import config
from core.i18n import t
from ui import scripts

LOCALE_FILE = config.UI_ASSETS / "plotly_locale_zh-cn.json"
HTML_LANG = {"zh": "zh-CN", "en": "en"}
ALT_KEY = "alt_"  # a chart's container key starts with this (class st-key-alt_<chart>)

# Section headings are h2 under the page's h1 (a screen reader's outline skips no level); drawn at the size
# the h3 they replaced had, so the page looks as before.
CSS = "[data-testid='stMain'] h2 {font-size: 1.6rem; padding-top: 1rem;}"

# static/page_scripts.js's a11y, run as a v2 component (ui/scripts.py)
_script = scripts.component("a11y", "a11y")


def install(lang: str) -> None:
    """Once per run, in scripts.hidden() with CSS (it draws nothing visible)."""
    page_lang = HTML_LANG.get(lang, "zh-CN")
    _script(key="a11y_script", data={"lang": page_lang, "toolbar": _words_once(page_lang)})


def _words_once(page_lang: str) -> dict | None:
    """The toolbar's words for the page language, in the session's first run in that language only: the script
    keeps them in the page, which lives as long as the session (a reload starts a new one); 1.3 KB less in every
    other run's messages."""
    sent = st.session_state.setdefault("a11y_words_sent", set())
    if page_lang in sent:
        return None
    sent.add(page_lang)
    return _toolbar_words().get(page_lang, {})


# Streamlit's own English words the page can show or read out (its front end has no other language): the key
# under [a11y] in the locales, whose English text is what Streamlit writes. The script puts them on the page-
# not-found dialog, on buttons' accessible names (the file picker's, the password field's) and on the toolbar.
STREAMLIT_WORDS = ("fullscreen", "exit_fullscreen", "page_not_found", "page_not_found_text", "close", "add_files",
                   "show_password", "hide_password")
# Names Streamlit writes around something of the page ("Remove list.csv", "Help for Records"): a locale template
# with {name}; the script finds the English one's start and writes the page language's template with the rest.
STREAMLIT_NAMED = ("remove_file", "help_for")


def _toolbar_words() -> dict:
    """Streamlit's and the toolbar's words per page language: STREAMLIT_WORDS, STREAMLIT_NAMED (English text
    before {name} -> the template) and the ones from plotly's zh-CN locale these charts can show."""
    named = {_raw(f"a11y.{key}", "en").split("{name}")[0]: _raw(f"a11y.{key}", "zh") for key in STREAMLIT_NAMED}
    return {HTML_LANG["zh"]: {**_zh_shown(), **named, **{t(f"a11y.{key}", "en"): t(f"a11y.{key}", "zh")
                                                         for key in STREAMLIT_WORDS}}}


def _raw(key: str, lang: str) -> str:
    """A template with its {name} left for the script to fill."""
    return t(key, lang, name="{name}")


# From the locale, only the strings these charts show: the toolbar's titles (the buttons left after
# widgets.MODEBAR, on every kind of chart here: read from the pages in the browser) and its messages. The rest is
# for chart types, modes and buttons never used here (3-D cameras, hover and spike-line modes, autoscale, box
# plots, Sankey, OHLC, editable titles), and its date format for date axes (none: sessions are numbers).
SHOWN_STRINGS = frozenset({
    "Download plot as a PNG", "Pan", "Reset", "Reset axes", "Zoom", "Zoom in", "Zoom out",
    "Double-click on legend to isolate one trace", "Double-click to zoom back out", "Snapshot succeeded",
    "Sorry, there was a problem downloading your snapshot!", "Taking snapshot - this may take a few seconds",
})


@functools.cache
def _zh_shown() -> dict:
    locale = json.loads(LOCALE_FILE.read_text(encoding="utf-8"))
    return {k: v for k, v in locale["dictionary"].items() if k in SHOWN_STRINGS}
