"""Records: a searchable, sortable table under the filters, with CSV and XLSX download."""

import streamlit as st

from core import export
from core.i18n import fmt_int, t
from ui import state

filters = state.current()
lang = filters.lang
st.title(t("pages.records.title", lang))
st.caption(t("pages.records.intro", lang))
state.show_notices(lang)

q = st.text_input(t("records.search", lang), key="records_q", placeholder=t("records.search_hint", lang))
awarded_only = st.toggle(t("records.awarded_only", lang), key="records_awarded")
table = state.run("record_list", **filters.params(), q=q.strip())
if awarded_only:
    table = table[table["award_level"].notna()]
st.markdown(t("records.count", lang, n=fmt_int(len(table), lang), first=filters.session_from,
              last=filters.session_to))
if table.empty:
    st.info(t("records.empty", lang))
else:
    st.dataframe(table, hide_index=True, width="stretch", height=560)
    stem = export.safe_filename(t("records.file_stem", lang), f"{filters.session_from}-{filters.session_to}",
                                ext="x")[:-2]
    left, right = st.columns(2)
    left.download_button(t("download.csv", lang), data=export.table_csv(table), file_name=stem + ".csv",
                         mime="text/csv", key="records_csv", on_click="ignore")
    right.download_button(t("download.xlsx", lang), data=export.table_xlsx(table, stem), file_name=stem + ".xlsx",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                          key="records_xlsx", on_click="ignore")
