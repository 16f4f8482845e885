"""Page pieces of the district profile and the links to it from every district name in the app."""

from __future__ import annotations

from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from core import briefing, export, profile, sessions
from core import district_briefing as dbf
from core.filters import Filters
from core.i18n import fmt_int, fmt_pct, t
from core.markup import escape_markdown
from ui import state, widgets

PAGE = "pages/district.py"
MIME = {"pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "pdf": "application/pdf", "zip": "application/zip",
        "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def link_query(code: str, filters: Filters) -> dict[str, str]:
    """The profile's URL parameters: the district, and the other filters the reader has set."""
    return {"code": code, **filters.query()}


def md_link(code: str, name: str, filters: Filters) -> str:
    """A Markdown link to the profile; the name is escaped so it cannot inject Markdown or HTML."""
    return f"[{escape_markdown(name)}](district?{urlencode(link_query(code, filters))})"


def page_links(codes: list[str], filters: Filters, columns: int = 4) -> None:
    """In-app links (same tab, same session) to the profiles of `codes`."""
    opts = state.options()
    i = 0 if filters.lang == "zh" else 1
    cols = st.columns(columns)
    for n, code in enumerate(codes):
        cols[n % columns].page_link(PAGE, label=opts.districts[code][i], icon=":material/location_city:",
                                    query_params=link_query(code, filters))


def with_profile_links(frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """A table with a link column to each row's district profile, when the rows carry a district_code."""
    if "district_code" not in frame.columns or frame.empty:
        return frame, {}
    filters = state.current()
    label = t("profile.table_link", lang)
    url = {c: f"district?{urlencode(link_query(c, filters))}" for c in set(frame["district_code"])
           if isinstance(c, str)}  # once per district, not per row (a company list has hundreds)
    urls = [url.get(c) if isinstance(c, str) else None for c in frame["district_code"]]
    out = frame.copy()
    out.insert(list(frame.columns).index("district_code") + 1, "district_profile", urls)
    return out, {label: st.column_config.LinkColumn(label, display_text=label)}


# ----- the profile page -----------------------------------------------------------------------------------

def chosen_district(filters: Filters) -> str | None:
    """The district of ?code= (a code or any name), else the sidebar's one district; a bad code gives a notice
    and the picker. The URL carries the code unless the sidebar's district already says it."""
    opts = state.options()
    lang = filters.lang
    default = filters.districts[0] if len(filters.districts) == 1 else None
    raw = st.query_params.get("code")
    if raw != st.session_state.get("profile_url_code") or "profile_code" not in st.session_state:
        st.session_state["profile_url_code"] = raw  # a link was followed: the URL decides
        st.session_state["profile_code"] = profile.resolve(raw) if raw else default
    if raw and st.session_state.get("profile_code") is None:
        st.warning(t("profile.bad_code", lang, value=escape_markdown(str(raw)[:60])), icon=":material/warning:")
    i = 0 if lang == "zh" else 1
    code = st.selectbox(t("profile.pick", lang), list(opts.districts), key="profile_code", index=None,
                        format_func=lambda c: opts.districts[c][i], placeholder=t("profile.pick_intro", lang))
    wanted = code if code != default else None
    if wanted != raw and (code is not None or raw is not None and profile.resolve(raw)):
        if wanted:
            st.query_params["code"] = wanted
        else:
            del st.query_params["code"]
        st.session_state["profile_url_code"] = wanted
    return code


def kpis(data: dict, filters: Filters) -> None:
    lang, n = filters.lang, filters.session
    now = profile.standing(data["per_session"], n)
    prev = profile.standing(data["per_session"], n - 1)
    diff = profile.change(now, prev) if now else None
    st.header(t("profile.kpi_heading", lang, n=n, year=sessions.year(n)))
    cols = st.columns(4)
    widgets.kpi(cols[0], t("profile.kpi_records", lang), fmt_int(now.records, lang),
                f"{diff.records:+d}" if diff else None)
    widgets.kpi(cols[1], t("profile.kpi_companies", lang), fmt_int(now.companies, lang),
                f"{now.companies - prev.companies:+d}" if diff else None)
    widgets.kpi(cols[2], t("profile.kpi_share", lang), fmt_pct(now.share, lang),
                t("units.points_value", lang, value=f"{diff.share_points:+.1f}") if diff else None)
    rank = t("profile.rank_value", lang, rank=now.rank, ranked=now.ranked) if now.rank else t("profile.rank_none",
                                                                                                   lang)
    same = diff is not None and diff.rank_places == 0
    cols[3].metric(t("profile.kpi_rank", lang), rank, delta=_rank_delta(diff, lang), help=t("profile.rank_help", lang),
                   border=True, delta_color="off" if same else "normal", delta_arrow="off" if same else "auto")


def _rank_delta(diff: profile.Change | None, lang: str) -> str | None:
    """Places moved, positive = up (st.metric then shows a green up arrow); words when unchanged."""
    if diff is None or diff.rank_places is None:
        return None
    return t("profile.rank_delta_same", lang) if diff.rank_places == 0 else f"{diff.rank_places:+d}"


def figure(name: str, code: str, filters: Filters, data: dict) -> None:
    """One profile chart with its download menu and data table."""
    lang = filters.lang
    fig, frame, card = dbf.profile_figure(name, code, filters, state.options(), state.status(lang),
                                          run=state.run, data=data)
    stem = export.safe_filename(card.title, ext="")
    config = {**widgets.MODEBAR, "toImageButtonOptions": {"format": "png", "filename": stem, "scale": 2,
                                                          "width": 960, "height": fig.layout.height or 540}}
    widgets.show(fig, name, config)
    left, right = st.columns(2)
    with left:
        widgets.download_popover(name, fig, frame, stem, lang, width="stretch")
    if right.toggle(t("charts.show_data", lang), key=f"table_{name}"):
        widgets.table(frame, lang)


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
    district = profile.district_name(code, opts, lang)
    st.header(t("profile.briefing_heading", lang))
    st.caption(t("profile.briefing_intro", lang))
    if export.browser_path() is None:
        st.error(t("download.no_browser", lang, hint=export.INSTALL_HINT))
        return
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


def history(code: str, data: dict, filters: Filters) -> None:
    lang = filters.lang
    rows = state.run("district_options")
    row = rows[rows["district_code"] == code].iloc[0]
    note = profile.late_note(code, profile.first_own_session(data["per_session"]), state.options(), lang)
    st.caption(f"{t('profile.history_heading', lang)}：{row['history_' + lang]} {note}" if lang == "zh"
               else f"{t('profile.history_heading', lang)}: {row['history_' + lang]} {note}")
