"""Page pieces of the district profile and the links to it from every district name in the app."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import urlencode

import streamlit as st

from core import briefing, export, profile, sessions
from core import district_briefing as dbf
from core.charts.profile import first_own_session
from core.filters import Filters, district_name
from core.i18n import fmt_int, fmt_pct, fmt_points, t
from core.markup import escape_markdown
from ui import state, widgets
from ui.profile_links import link_query

PAGE = "pages/district.py"
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf", "zip": "application/zip",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def md_link(code: str, name: str, filters: Filters) -> str:
    """A Markdown link to the profile; the name is escaped so it cannot inject Markdown or HTML."""
    return f"[{escape_markdown(name)}](district?{urlencode(link_query(code, filters))})"


def page_links(codes: list[str], filters: Filters, columns: int = 4) -> None:
    """In-app links (same tab, same session) to the profiles of `codes`."""
    opts = state.options()
    cols = st.columns(columns)
    for n, code in enumerate(codes):
        cols[n % columns].page_link(PAGE, label=district_name(code, opts, filters.lang),
                                    icon=":material/location_city:", query_params=link_query(code, filters))


# ----- the profile page -----------------------------------------------------------------------------------

def picker(filters: Filters) -> str | None:
    """The district picker (its value comes from ?code= or the sidebar: ui.page_values.follow)."""
    opts = state.options()
    lang = filters.lang
    return st.selectbox(t("profile.pick", lang), list(opts.districts), key="profile_code", index=None,
                        format_func=lambda c: district_name(c, opts, lang), placeholder=t("profile.pick_intro", lang))


def city_districts(filters: Filters) -> None:
    """Without a district: the city's districts in the session, each with a link to its profile."""
    widgets.chart("profile_districts", replace(filters, districts=(), industries=()))
    st.caption(t("profile.links_heading", filters.lang))
    page_links(list(state.options().districts), filters)


def kpis(data: profile.ProfileFacts, filters: Filters) -> None:
    lang, n = filters.lang, filters.session
    now = profile.standing(data.per_session, n)
    prev = profile.standing(data.per_session, n - 1)
    diff = profile.change(now, prev) if now else None
    st.header(t("profile.kpi_heading", lang, n=n, year=sessions.year(n)))
    cols = widgets.kpi_row("profile")
    widgets.kpi(cols, t("profile.kpi_records", lang), fmt_int(now.records, lang),
                f"{diff.records:+d}" if diff else None)
    widgets.kpi(cols, t("profile.kpi_companies", lang), fmt_int(now.companies, lang),
                f"{now.companies - prev.companies:+d}" if diff else None)
    widgets.kpi(cols, t("profile.kpi_share", lang), fmt_pct(now.share, lang),
                fmt_points(diff.share_points, lang) if diff else None)
    rank = t("profile.rank_value", lang, rank=now.rank, ranked=now.ranked) if now.rank else t("profile.rank_none",
                                                                                                   lang)
    same = diff is not None and diff.rank_places == 0
    cols.metric(t("profile.kpi_rank", lang), rank, delta=_rank_delta(diff, lang), help=t("profile.rank_help", lang),
                border=True, delta_color="off" if same else "normal", delta_arrow="off" if same else "auto")


def _rank_delta(diff: profile.Change | None, lang: str) -> str | None:
    """Places moved, positive = up (st.metric then shows a green up arrow); words when unchanged."""
    if diff is None or diff.rank_places is None:
        return None
    return t("profile.rank_delta_same", lang) if diff.rank_places == 0 else f"{diff.rank_places:+d}"


def history_list(filters: Filters) -> None:
    """Every district with its history (established, split, renamed); each name opens its profile."""
    lang = filters.lang
    for row in state.run("district_options").itertuples():
        name_col, text_col = st.columns([1, 3])
        name_col.page_link("pages/district.py", label=getattr(row, "name_" + lang), icon=":material/location_city:",
                           query_params=link_query(row.district_code, filters))
        text_col.caption(getattr(row, "history_" + lang))
    st.caption(t("districts.harmonisation_note", lang))


def briefing_button(code: str, filters: Filters) -> None:
    lang = filters.lang
    opts = state.options()
    district = district_name(code, opts, lang)
    st.header(t("profile.briefing_heading", lang))
    st.caption(t("profile.briefing_intro", lang))
    if export.browser_path() is None:
        st.error(t("download.no_browser", lang, hint=export.INSTALL_HINT), icon=":material/error:")
        return
    st.caption(state.link_address_note(lang))
    fmt = st.radio(t("profile.briefing_format", lang), list(briefing.PACK_FORMATS), horizontal=True,
                   key="profile_format", format_func=lambda f: t(f"basket.format_{f}", lang))
    key = (code, fmt, tuple(sorted(filters.query().items())))
    if st.button(t("profile.briefing_build", lang, district=district), type="primary",
                 icon=":material/inventory_2:", key="profile_build"):
        with st.status(t("profile.briefing_building", lang, district=district), expanded=True) as box:
            bar = st.progress(0.0)

            def step(i: int, n: int, title: str) -> None:
                bar.progress((i + 1) / (n + 1), text=t("basket.step", lang, i=i + 1, n=n, title=title))

            st.write(t("basket.step_data", lang))
            pack = dbf.build(fmt, code, filters, opts, state.status(lang), run=state.run, on_step=step)
            bar.progress(1.0, text=t("profile.briefing_done", lang, district=district))
            box.update(label=t("profile.briefing_done", lang, district=district), state="complete")
        st.session_state["profile_pack"] = (key, pack)
    built = st.session_state.get("profile_pack")
    if built and built[0] == key:
        st.download_button(t("profile.briefing_download", lang, fmt=fmt.upper()), data=built[1],
                           file_name=dbf.file_name(code, filters, opts, fmt),
                           mime=MIME.get(fmt, "application/octet-stream"), key="profile_download",
                           on_click="ignore", type="primary")


def written(code: str, filters: Filters) -> None:
    """The profile's history line, figures and paragraph (both languages), and its link to the comparison."""
    lang = filters.lang
    data = profile.facts(code, filters, run=state.run)
    history(code, data, filters)
    kpis(data, filters)
    st.header(t("profile.text_heading", lang))
    shown, other = widgets.kept(("profile_paragraphs", code, filters), lambda: paragraphs(data, filters))
    st.markdown(shown)
    with st.expander(t("profile.other_language", lang)):
        st.markdown(other)
    st.caption(t("profile.text_note", lang) + " " + t("profile.scope_note", lang))
    st.page_link("pages/compare.py", label=t("profile.link_compare", lang), icon=":material/compare_arrows:",
                 query_params={**filters.query(), "code": code})


def paragraphs(data: profile.ProfileFacts, filters: Filters) -> tuple[str, str]:
    """The paragraph in the reader's language and in the other one (made once per view and database version:
    a revisit reads them)."""
    opts = state.options()
    other = "en" if filters.lang == "zh" else "zh"
    return (profile.paragraph(data, filters, opts, mark=escape_markdown),
            profile.paragraph(data, filters, opts, lang=other, mark=escape_markdown))


def history(code: str, data: profile.ProfileFacts, filters: Filters) -> None:
    lang = filters.lang
    rows = state.run("district_options")
    row = rows[rows["district_code"] == code].iloc[0]
    note = profile.late_note(code, first_own_session(data.per_session), state.options(), lang)
    st.caption(f"{t('profile.history_heading', lang)}：{row['history_' + lang]} {note}" if lang == "zh"
               else f"{t('profile.history_heading', lang)}: {row['history_' + lang]} {note}")
