"""District profile: /district?code=440305 — standing, rank, change, industries, repeat innovators, summary.
Without a district: the city's districts in the session, each linking to its profile."""

import streamlit as st

from core import district_briefing, profile
from core.filters import PageValues, district_name
from core.i18n import t
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
# works outside the interpreter lock); charts_for starts the charts' own queries with them
state.prefetch(list(profile.calls(code, filters).values()))
# The standing, figures and paragraph come first on the page but are written last (district_view.written):
# the charts' builds run while the profile's range queries are still running.
standing = st.container()
widgets.charts_for("district", scoped, context="district")
with standing:
    district_view.written(code, filters)
district_view.briefing_button(code, filters)
