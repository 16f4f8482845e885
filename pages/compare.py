"""Comparison: this session (the sidebar's) against another one, for the city or a district, in figures,
words and two briefing charts. URL: /compare?session=23&vs=22&code=440305."""

import streamlit as st

from core import compare, export, profile, sessions
from core.i18n import t
from ui import district_view, state, widgets

filters = state.current()
lang = filters.lang
opts = state.options()
st.title(t("pages.compare.title", lang))
st.caption(t("compare.intro", lang))
state.show_notices(lang)
if state.status(lang).demo:
    st.info(t("demo.banner", lang), icon=":material/science:")


def from_url(param: str, key: str, valid) -> None:
    """A followed link sets the widget once; later choices write back to the URL."""
    raw = st.query_params.get(param)
    if raw != st.session_state.get(f"{key}_url"):
        st.session_state[f"{key}_url"] = raw
        value = valid(raw)
        if value is not None:
            st.session_state[key] = value


def valid_session(raw):
    return int(raw) if raw and str(raw).isdigit() and int(raw) in opts.sessions else None


earlier = [s for s in opts.sessions if s < filters.session]
defaults = {"compare_vs": earlier[-1] if earlier else opts.sessions[-1],
            "compare_code": filters.districts[0] if len(filters.districts) == 1 else ""}
from_url("vs", "compare_vs", valid_session)
from_url("code", "compare_code", lambda raw: profile.resolve(raw) if raw else "")
for key, value in defaults.items():
    st.session_state.setdefault(key, value)

i = 0 if lang == "zh" else 1
left, right = st.columns(2)
a = left.selectbox(t("compare.session_a", lang), opts.sessions, key="compare_vs",
                   format_func=lambda n: t("filters.session_label", lang, n=n, year=sessions.year(n)),
                   help=t("compare.session_b", lang) + ": " + t("filters.session_label", lang, n=filters.session,
                                                               year=sessions.year(filters.session)))
code = right.selectbox(t("compare.scope", lang), ["", *opts.districts], key="compare_code",
                       format_func=lambda c: opts.districts[c][i] if c else t("compare.city", lang)) or None
# the URL carries a choice only where it differs from what the sidebar implies, so links stay short
for param, key, value in (("vs", "compare_vs", a), ("code", "compare_code", code or "")):
    wanted = str(value) if value != defaults[key] else None
    if wanted != st.query_params.get(param):
        if wanted:
            st.query_params[param] = wanted
        else:
            del st.query_params[param]
        st.session_state[f"{key}_url"] = wanted

b = filters.session
if a == b:
    st.info(t("compare.same_session", lang))
    st.stop()

data = compare.facts(a, b, code, run=state.run)
st.header(t("compare.words_heading", lang))
st.markdown(compare.words(data, compare.scope_name(code, opts, lang), lang))
st.header(t("compare.table_heading", lang))
st.dataframe(compare.table(data, lang), hide_index=True, width="stretch")
st.caption(t("compare.scope_note", lang))
if code:
    district_view.page_links([code], filters, columns=1)

status = state.status(lang)
for name in ("session_compare", "session_compare_categories"):
    fig, frame = compare.figure(name, data, filters, opts, status)
    stem = export.safe_filename(fig.layout.title.text.replace("<b>", "").replace("</b>", ""), ext="")
    widgets.show(fig, name, widgets.MODEBAR)
    widgets.download_popover(name, fig, frame, stem, lang)
