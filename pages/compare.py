"""Comparison: this session (the sidebar's) against another one, for the city or a district, in figures,
words and two briefing charts. URL: /compare?session=23&vs=22&code=440305."""

from dataclasses import replace

import streamlit as st

from core import compare, sessions
from core.filters import PageValues, district_name
from core.i18n import t
from ui import district_view, page_values, state, widgets

filters = state.current()
lang = filters.lang
opts = state.options()
st.title(t("pages.compare.title", lang))
st.caption(t("compare.intro", lang))
state.show_notices(lang)
page_values.follow("compare", filters, {"vs": "compare_vs", "code": "compare_code"})
if st.session_state.get("compare_code") is None:  # the whole city: a select shows None as "nothing chosen"
    st.session_state["compare_code"] = ""
if state.status(lang).demo:
    st.info(t("demo.banner", lang), icon=":material/science:")

left, right = st.columns(2)
a = left.selectbox(t("compare.session_a", lang), opts.sessions, key="compare_vs",
                   format_func=lambda n: t("filters.session_label", lang, n=n, year=sessions.year(n)),
                   help=t("compare.session_b", lang) + ": " + t("filters.session_label", lang, n=filters.session,
                                                               year=sessions.year(filters.session)))
code = right.selectbox(t("compare.scope", lang), ["", *opts.districts], key="compare_code",
                       format_func=lambda c: district_name(c, opts, lang) if c else t("compare.city", lang)) or None
page_values.write("compare", PageValues(code=code, vs=a), filters)

b = filters.session
if a == b:
    st.info(t("compare.same_session", lang), icon=":material/info:")
    st.stop()

data = compare.facts(a, b, code, run=state.run)
st.header(t("compare.words_heading", lang))
st.markdown(compare.paragraph(data, compare.scope_name(code, opts, lang), lang))
st.header(t("compare.table_heading", lang))
st.dataframe(compare.table(data, lang), hide_index=True, width="stretch")
st.caption(t("compare.scope_note", lang))
if code:
    district_view.page_links([code], filters, columns=1)

widgets.charts_for("compare", replace(filters, districts=(code,) if code else (), vs=a), context="compare")
