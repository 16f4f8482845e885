"""About the data: sources, published figures against the records (reconciliation), definitions."""

import streamlit as st

from core.i18n import fmt_int, t
from ui import state, widgets

filters = state.current()
lang = filters.lang
st.title(t("pages.about.title", lang))
state.show_notices(lang)
status = state.run("data_status").iloc[0]
if status["demo_records"] > 0:
    st.warning(t("about.demo_notice", lang, demo=fmt_int(status["demo_records"], lang),
                 sessions=fmt_int(status["demo_sessions"], lang)), icon=":material/science:")
st.markdown(t("about.build", lang, build=status["build_id"], imports=fmt_int(status["imports"], lang)))

st.header(t("about.reconciliation_heading", lang))
st.caption(t("about.reconciliation_intro", lang))
recon = state.run("reconciliation")
matched = int(recon["matches"].sum())
st.metric(t("about.reconciliation_metric", lang), f"{matched} / {len(recon)}")
shown = recon.assign(
    status=recon["matches"].map({True: t("about.match", lang), False: t("about.differs", lang)}),
    published=recon.apply(lambda r: r["value_text"] if r["value_text"] else r["published"], axis=1),
    derived=recon.apply(lambda r: r["derived_text"] if r["derived_text"] else r["derived"], axis=1),
)[["scope", "metric", "published", "derived", "unit", "comparison", "status", "source"]]
widgets.table(shown, lang)

st.header(t("about.definitions_heading", lang))
for key in ("applicants", "companies", "districts", "industries", "categories", "awards", "demo"):
    st.markdown(f"**{t(f'about.def.{key}.term', lang)}** — {t(f'about.def.{key}.text', lang)}")

st.header(t("about.sources_heading", lang))
for source in sorted(set(recon["source"])):
    st.markdown(f"- {source}")
st.markdown(t("about.sessions_note", lang))
sessions = state.run("session_options")
widgets.table(sessions, lang)
