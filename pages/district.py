"""District profile: /district?code=440305 — standing, rank, change, industries, repeat innovators, summary."""

import streamlit as st

from core import profile
from core.i18n import t
from ui import district_view, state

filters = state.current()
lang = filters.lang
opts = state.options()
head = st.container()  # the title names the district, which the picker below decides
state.show_notices(lang)
code = district_view.chosen_district(filters)
if code is None:
    head.title(t("nav.district", lang))
    st.info(t("profile.pick_intro", lang))
    st.stop()

district = profile.district_name(code, opts, lang)
head.title(t("profile.title", lang, district=district))
head.caption(t("profile.intro", lang))
if state.status(lang).demo:
    st.info(t("demo.banner", lang), icon=":material/science:")
data = profile.facts(code, filters, run=state.run)
district_view.history(code, data, filters)
district_view.kpis(data, filters)

st.header(t("profile.text_heading", lang))
st.markdown(profile.paragraph(data, filters, opts))
other = "en" if lang == "zh" else "zh"
with st.expander(t("profile.other_language", lang)):
    st.markdown(profile.paragraph(data, filters, opts, lang=other))
st.caption(t("profile.text_note", lang) + " " + t("profile.scope_note", lang))
st.page_link("pages/compare.py", label=t("profile.link_compare", lang), icon=":material/compare_arrows:",
             query_params={**filters.query(), "code": code})

for name in ("district_profile_records", "district_profile_rank", "district_profile_industries",
             "repeat_innovators"):
    district_view.figure(name, code, filters, data)

district_view.briefing_button(code, filters)
