"""District profile: /district?code=440305 — standing, rank, change, industries, repeat innovators, summary.
Without a district: the city's districts in the session, each linking to its profile."""

import streamlit as st

from core import district_briefing, profile
from core.filters import PageValues, district_name
from core.i18n import t
from core.markup import escape_markdown
from ui import district_view, page_values, state, widgets

filters = state.current()
lang = filters.lang
opts = state.options()
head = st.container()  # the title names the district, which the picker below decides
banner = st.container()  # under the title, with or without a district
state.show_notices(lang)
page_values.follow("district", filters, {"code": "profile_code"})
code = district_view.picker(filters)
page_values.write("district", PageValues(code=code), filters)
if code is None:
    head.title(t("nav.district", lang))
    head.caption(t("profile.pick_intro", lang))
    with banner:
        widgets.demo_banner(lang)
    district_view.city_districts(filters)
    st.stop()

district = district_name(code, opts, lang)
head.title(t("profile.title", lang, district=district))
head.caption(t("profile.intro", lang))
with banner:
    widgets.demo_banner(lang)
scoped = district_briefing.scoped(filters, code)
# the profile's range queries miss the cache together on a change of range: run them side by side (DuckDB
# works outside the interpreter lock), the charts' own queries with them
state.prefetch(list(profile.calls(code, filters).values()) + widgets.chart_calls("district", scoped, "district"))
data = profile.facts(code, filters, run=state.run)
district_view.history(code, data, filters)
district_view.kpis(data, filters)

st.header(t("profile.text_heading", lang))
st.markdown(profile.paragraph(data, filters, opts, mark=escape_markdown))
other = "en" if lang == "zh" else "zh"
with st.expander(t("profile.other_language", lang)):
    st.markdown(profile.paragraph(data, filters, opts, lang=other, mark=escape_markdown))
st.caption(t("profile.text_note", lang) + " " + t("profile.scope_note", lang))
st.page_link("pages/compare.py", label=t("profile.link_compare", lang), icon=":material/compare_arrows:",
             query_params={**filters.query(), "code": code})

widgets.charts_for("district", scoped, context="district")
district_view.briefing_button(code, filters)
