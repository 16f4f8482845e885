"""Entry point: page config, language, the shared sidebar filters, and navigation over pages/."""

import logging

import duckdb
import streamlit as st

from core import db, sessions
from core.filters import lang_index
from core.i18n import LANGS, t
from ui import (
    a11y,
    basket_keeper,
    connection,
    device,
    fault,
    heap,
    menu,
    page_queries,
    scripts,
    state,
    uploads,
    widgets,
)

# served from static/ (ui/scripts.py): the browser fetches it once; as a media file it was fetched twice a load
ICON = "app/static/icon.png"


state.read_stamp()  # the database's version, read once for the whole run
st.set_page_config(page_title="深圳企业创新纪录 · Shenzhen Enterprise Innovation Records",
                   page_icon=ICON, layout="wide")  # the app's own file: a named icon is fetched from a font host
connection.install()  # a browser the server stopped writing to reconnects instead of waiting forever
uploads.install()  # files kept only for a signed-in administrator's session (the import page)
fault.guard()  # a missing or damaged database gets a page that says so, not a traceback
state.init_from_url()
state.follow_sessions()  # an import or an undo since the last run may have added or removed a session
opts = state.options()

# st.navigation before anything else is drawn: until the browser hears which page this run is, a rerun it asks
# for (a filter changed early, the phone probe's or the basket keeper's report) names no page and opens the
# overview instead; a reload of the basket page on a busy server landed there. The language radio below shows
# f_lang, whose value is in session_state before the radio is drawn.
lang = st.session_state.get("f_lang", LANGS[0])
page = st.navigation(menu.pages(lang))
page_queries.start(page.url_path)  # the page's queries run while the sidebar is drawn

with st.sidebar:
    st.radio("语言 / Language", LANGS, key="f_lang", horizontal=True,
             format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    state.keep_filters_across_language(lang)
    st.header(t("filters.heading", lang))
    st.selectbox(t("filters.session", lang), opts.sessions, key="f_session",
                 format_func=lambda n: t("filters.session_label", lang, n=n, year=sessions.year(n)),
                 help=t("filters.session_help", lang))
    first_col, last_col = st.columns(2)
    first_col.selectbox(t("filters.range_from", lang), opts.sessions, key="f_from", on_change=state.order_range,
                        format_func=lambda n: f"{n} ({sessions.year(n)})", help=t("filters.range_help", lang))
    last_col.selectbox(t("filters.range_to", lang), opts.sessions, key="f_to", on_change=state.order_range,
                       format_func=lambda n: f"{n} ({sessions.year(n)})")
    if note := state.range_note(lang):
        st.caption(note)
    i = lang_index(lang)
    st.multiselect(t("filters.districts", lang), list(opts.districts), key="f_districts",
                   format_func=lambda c: opts.districts[c][i], placeholder=t("filters.all_districts", lang))
    st.multiselect(t("filters.industries", lang), list(opts.industries), key="f_industries",
                   format_func=lambda c: f"{c} {opts.industries[c][i]}", placeholder=t("filters.all_industries", lang))
    filters = state.current()
    state.sync_url(filters)
    if st.button(t("filters.reset", lang), icon=":material/restart_alt:"):
        state.reset()
        st.rerun()
    st.caption(t("filters.share_hint", lang))
    basket = st.session_state.get("basket", [])
    if basket:
        st.caption(t("basket.count", lang, n=len(basket)))
    with scripts.hidden(a11y.CSS + widgets.KPI_CSS):  # one hidden container for the page's scripts and styles
        device.probe()  # phone or not: the charts' layout for this run
        basket_keeper.keep()  # the basket in the browser's storage: a reload or a new tab finds it
        a11y.install(lang)  # page language, charts' accessible names, icons hidden from screen readers

try:
    state.remember_address(page.url_path)
    page.run()
except (duckdb.Error, db.DatabaseMissing):  # the file may have gone bad while this page was being drawn
    logging.getLogger("dashboard").exception("database error while drawing the page")
    problem = db.health()
    if problem is None:  # DuckDB reads the file: the page failed, not the database; never a false "damaged"
        raise
    fault.show(problem)

heap.settle()  # after the first run everything long-lived exists: keep the collector off it (ui/heap.py)
