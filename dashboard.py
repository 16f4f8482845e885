"""Entry point: page config, language, the shared sidebar filters, and navigation over pages/."""

import logging

import duckdb
import streamlit as st

from core import config, db, sessions
from core.filters import lang_index
from core.i18n import LANGS, t
from ui import a11y, admin, basket_keeper, connection, device, fault, heap, state, uploads

ICON = config.UI_ASSETS / "icon.png"

st.set_page_config(page_title="深圳企业创新纪录 · Shenzhen Enterprise Innovation Records",
                   page_icon=str(ICON), layout="wide")  # a local file: a named icon is fetched from a font host
connection.install()  # a browser the server stopped writing to reconnects instead of waiting forever
uploads.install()  # files kept only for a signed-in administrator's session (the import page)
fault.guard()  # a missing or damaged database gets a page that says so, not a traceback
state.init_from_url()
state.follow_sessions()  # an import or an undo since the last run may have added or removed a session
opts = state.options()

with st.sidebar:
    st.radio("语言 / Language", LANGS, key="f_lang", horizontal=True,
             format_func=lambda code: {"zh": "中文", "en": "English"}[code])
    lang = st.session_state["f_lang"]
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
    device.probe()  # phone or not: the charts' layout for this run
    basket_keeper.keep()  # the basket in the browser's storage: a reload or a new tab finds it
    a11y.install(lang)  # page language, charts' accessible names, icons hidden from screen readers

pages = [
    # "/" and "/overview" both open the overview: permalinks, deck title slides and memos say /overview,
    # and Streamlit serves a default page only at the root. The root entry is hidden from the menu.
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/home:", url_path="home",
            default=True, visibility="hidden"),
    st.Page("pages/overview.py", title=t("nav.overview", lang), icon=":material/home:", url_path="overview"),
    st.Page("pages/trends.py", title=t("nav.trends", lang), icon=":material/trending_up:", url_path="trends"),
    st.Page("pages/districts.py", title=t("nav.districts", lang), icon=":material/map:", url_path="districts"),
    st.Page("pages/district.py", title=t("nav.district", lang), icon=":material/location_city:",
            url_path="district"),
    st.Page("pages/compare.py", title=t("nav.compare", lang), icon=":material/compare_arrows:",
            url_path="compare"),
    st.Page("pages/industries.py", title=t("nav.industries", lang), icon=":material/factory:", url_path="industries"),
    st.Page("pages/companies.py", title=t("nav.companies", lang), icon=":material/apartment:", url_path="companies"),
    st.Page("pages/records.py", title=t("nav.records", lang), icon=":material/table_rows:", url_path="records"),
    st.Page("pages/briefing.py", title=t("nav.briefing", lang), icon=":material/shopping_basket:", url_path="briefing"),
    st.Page("pages/about.py", title=t("nav.about", lang), icon=":material/info:", url_path="about"),
]
if admin.configured():  # with no administrator the command line is the only way to write
    pages.insert(-1, st.Page("pages/import.py", title=t("nav.import", lang), icon=":material/upload_file:",
                             url_path="import"))
try:
    page = st.navigation(pages)
    state.remember_address(page.url_path)
    page.run()
except (duckdb.Error, db.DatabaseMissing):  # the file may have gone bad while this page was being drawn
    logging.getLogger("dashboard").exception("database error while drawing the page")
    problem = db.health()
    if problem is None:  # DuckDB reads the file: the page failed, not the database; never a false "damaged"
        raise
    fault.show(problem)

heap.settle()  # after the first run everything long-lived exists: keep the collector off it (ui/heap.py)
