"""About the data: every published figure with its full citation against the records, what each figure
counts and how the project reads it, the programme's own prizes, how to recognise demo data, the
plausibility checks, definitions and sessions."""

import streamlit as st

from core import published
from core.demo import vocab
from core.i18n import fmt_int, t
from core.markup import escape_markdown
from ui import state, widgets

filters = state.current()
lang = filters.lang
st.title(t("pages.about.title", lang))
state.show_notices(lang)
status = state.run("data_status").iloc[0]
if status["demo_records"] > 0:
    st.warning(t("about.demo_notice", lang, demo=fmt_int(status["demo_records"], lang),
                 sessions=fmt_int(status["demo_sessions"], lang)), icon=":material/science:")
    st.markdown(t("facts.marker", lang, marker_zh=vocab.MARKER_ZH, marker_en=vocab.MARKER_EN.strip()))
st.markdown(t("about.build", lang, build=status["build_id"], imports=fmt_int(status["imports"], lang)))

st.header(t("about.reconciliation_heading", lang))
st.caption(t("about.reconciliation_intro", lang))
recon = state.run("reconciliation")
checkable = recon[recon["comparison"] != "reported"]
districts = state.options().districts  # the top-4 districts figure is stored as codes
st.metric(t("about.reconciliation_metric", lang), f"{int(checkable['matches'].sum())} / {len(checkable)}")
shown = recon.assign(
    scope=recon.apply(lambda r: published.scope(r, lang), axis=1),
    figure=recon.apply(lambda r: published.label(r, lang), axis=1),
    published=recon.apply(lambda r: published.published(r, lang, districts), axis=1),
    derived=recon.apply(lambda r: published.derived(r, lang, districts), axis=1),
    status=recon.apply(lambda r: published.status(r, lang), axis=1),
    source=recon["publisher"].map(lambda p: published.in_language(p, lang)) + ", " + recon["published_on"].astype(str),
)[["scope", "figure", "published", "derived", "unit", "status", "source"]]
widgets.table(shown.rename(columns={"figure": t("facts.col_figure", lang)}), lang, wide=("published", "derived"))

st.header(t("data_truth.derived_heading", lang))
st.caption(t("data_truth.derived_intro", lang))
widgets.table(published.derived_table(state.run("derived_figures"), lang), lang, wide=(t("data_truth.col_how", lang),))

st.header(t("facts.readings_heading", lang))
for key in ("session1_industries", "session23_industries", "session13_industries", "approximate", "up_7"):
    st.markdown(f"- {t(f'facts.reading.{key}', lang)}")
st.markdown(f"- {t('data_truth.translation', lang)}")

st.header(t("facts.prizes_heading", lang))
st.caption(t("facts.prizes_intro", lang))
widgets.table(published.prizes_table(state.session_rows("programme_prizes", 1, filters.session_to), lang), lang)

st.header(t("facts.quote_heading", lang))
for quote in state.session_rows("source_quotes", 23, 23).itertuples():
    st.markdown(f"> {escape_markdown(quote.text)}")
    st.caption(t("facts.quote_source", lang, citation=escape_markdown(published.in_language(quote.citation, lang))))
st.markdown(t("facts.quote_not_demo", lang))

st.header(t("facts.plausibility_heading", lang))
st.caption(t("facts.plausibility_intro", lang))
findings = state.run("plausibility_findings")  # the other headers and the check names: locales [columns], readable
rules = findings["item"].map(lambda n: t(f"facts.rule.{n}", lang))
widgets.table(findings.assign(item=rules).rename(columns={"item": t("facts.col_item", lang)}), lang)

st.header(t("about.definitions_heading", lang))
for key in ("applicants", "companies", "districts", "industries", "categories", "awards", "demo"):
    st.markdown(f"**{t(f'about.def.{key}.term', lang)}** — {t(f'about.def.{key}.text', lang)}")

st.header(t("about.sources_heading", lang))
cited = recon[["publisher", "title", "published_on", "url"]].drop_duplicates().sort_values("published_on")
for row in cited.itertuples():
    st.markdown("- " + published.citation_markdown(published.in_language(row.publisher, lang),
                                                   published.in_language(row.title, lang),
                                                   str(row.published_on)[:10], row.url))
st.markdown(t("about.sessions_note", lang))
st.markdown(t("data_truth.organiser", lang))
sessions = state.run("session_options")
organiser, other = f"organiser_{lang}", "en" if lang == "zh" else "zh"
# each name, note and organiser in the page's language only (the English note on the Chinese page read as ours)
widgets.table(sessions.drop(columns=[f"{c}_{other}" for c in ("name", "note", "organiser")]).rename(
    columns={organiser: t("facts.col_organiser", lang)}), lang)
