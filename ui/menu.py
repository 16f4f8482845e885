"""The page menu st.navigation shows, in the reader's language."""

from __future__ import annotations

import copy
import functools

import streamlit as st

from core.i18n import t
from ui import admin

# (file, locale key of the title, icon, address); import.py only where an administrator is configured
PAGES = [
    ("overview", "nav.overview", "home", "overview"),
    ("trends", "nav.trends", "trending_up", "trends"),
    ("districts", "nav.districts", "map", "districts"),
    ("district", "nav.district", "location_city", "district"),
    ("compare", "nav.compare", "compare_arrows", "compare"),
    ("industries", "nav.industries", "factory", "industries"),
    ("companies", "nav.companies", "apartment", "companies"),
    ("records", "nav.records", "table_rows", "records"),
    ("briefing", "nav.briefing", "shopping_basket", "briefing"),
    ("import", "nav.import", "upload_file", "import"),
    ("about", "nav.about", "info", "about"),
]


def pages(lang: str) -> list:
    """The menu in the reader's language. "/" and "/overview" both open the overview: permalinks, deck title
    slides and memos say /overview, and Streamlit serves a default page only at the root, whose entry is hidden
    from the menu. With no administrator the command line is the only way to write: no import page.

    A fresh copy of pages made once: st.Page resolves and checks its file (six system calls a page, 66 a run,
    each a moment in which the server's other threads can take the interpreter lock from this run), and
    st.navigation marks the page it returns as this run's, so every run needs its own objects."""
    return [copy.copy(page) for page in _made(lang, admin.configured())]


@functools.cache
def _made(lang: str, with_import: bool) -> tuple:
    home = st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/home:", url_path="home",
                   default=True, visibility="hidden")
    return (home, *(st.Page(f"pages/{name}.py", title=t(key, lang), icon=f":material/{icon}:", url_path=path)
                    for name, key, icon, path in PAGES if name != "import" or with_import))
