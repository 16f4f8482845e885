"""Records: a searchable, sortable table under the filters, with CSV and XLSX download."""

import streamlit as st

from core import db, export
from core.i18n import fmt_int, t
from core.readable import with_labels
from ui import state, widgets

SHOWN = 2000  # rows drawn in the browser; downloads carry every matching row

filters = state.current()
lang = filters.lang
st.title(t("pages.records.title", lang))
st.caption(t("pages.records.intro", lang))
state.show_notices(lang)
widgets.demo_banner(lang)

q = st.text_input(t("records.search", lang), key="records_q", placeholder=t("records.search_hint", lang))
awarded_only = st.toggle(t("records.awarded_only", lang), key="records_awarded")
params = {**filters.params(), "q": q.strip(), "awarded_only": awarded_only}
total = int(state.run("record_count", **params)["records"].iloc[0])
table = state.run("record_list", **params, limit=SHOWN)
st.markdown(t("records.count", lang, n=fmt_int(total, lang), first=filters.session_from, last=filters.session_to))
if total > SHOWN:
    st.caption(t("records.first_rows", lang, shown=fmt_int(SHOWN, lang)))
if table.empty:
    st.info(t("records.empty", lang), icon=":material/info:")
else:
    widgets.table(table, lang, height=560)
    stem = export.safe_filename(t("records.file_stem", lang), f"{filters.session_from}-{filters.session_to}",
                                ext="")

    def everything():
        return with_labels(db.run("record_list", **params, limit=total), lang)

    def context():  # says "demo data" first, like every downloaded table
        return widgets.page_table_context(t("pages.records.title", lang), filters)

    left, right = st.columns(2)
    left.download_button(t("download.csv", lang), data=lambda: export.table_csv(everything(), context()),
                         file_name=stem + ".csv", mime="text/csv", key="records_csv", on_click="ignore")
    right.download_button(t("download.xlsx", lang), data=lambda: export.table_xlsx(everything(), stem, context()),
                          file_name=stem + ".xlsx", key="records_xlsx", on_click="ignore",
                          mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
