"""Companies: returning innovators, the most persistent ones, and one company's records across sessions."""

import streamlit as st

from core.i18n import fmt_money, t
from core.markup import escape_markdown
from ui import state, widgets

filters = state.current()
lang = filters.lang
widgets.page_header("companies", filters)
widgets.charts_for("companies", filters)

st.header(t("companies.profile_heading", lang))
q = st.text_input(t("companies.search", lang), key="companies_q", placeholder=t("companies.search_hint", lang))
found = state.run("company_search", q=q.strip())
if found.empty:
    st.info(t("companies.none_found", lang, q=escape_markdown(q)), icon=":material/info:")
else:
    # one lookup table per rerun: a lookup per option re-indexed the frame 200 times (half the rerun)
    shown_name = dict(zip(found["company_id"], found[f"name_{lang}"], strict=True))
    choice = st.selectbox(t("companies.pick", lang), list(shown_name), key="companies_pick",
                          format_func=shown_name.__getitem__)
    records = state.run("company_records", company_id=choice)
    history = state.run("company_profile_history", company_id=choice)
    st.markdown(t("companies.summary", lang, sessions=records["session_no"].nunique(), records=len(records),
                  code=choice))
    widgets.shown_table(*widgets.kept_table(("company_records", choice), records, lang))
    if not history.empty:
        # written with its unit ("16.95亿元"): under a header without one (年销售收入（元） said yuan)
        shown = history.rename(columns={"annual_revenue_cny": "annual_revenue"})
        shown["annual_revenue"] = shown["annual_revenue"].map(lambda v: fmt_money(v, lang))
        st.caption(t("companies.profile_caption", lang))
        widgets.shown_table(*widgets.kept_table(("company_profile_history", choice), shown, lang))
