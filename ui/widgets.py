"""Reusable page pieces: the chart card (chart, data table, downloads, add to briefing), KPI cards, headers."""

from __future__ import annotations

import base64
import copy
import datetime as dt
import functools
import json

import numpy as np
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from _plotly_utils.basevalidators import is_homogeneous_array
from _plotly_utils.utils import is_skipped_key, plotlyjsShortTypes, to_typed_array_spec

from core import catalog, charts, config, export, published, sessions
from core.charts import alt
from core.charts.phone import phone
from core.filters import Filters, describe, district_name, parse
from core.i18n import column_labels, t
from core.markup import escape_markdown
from core.readable import with_labels
from ui import a11y, device, state
from ui.profile_links import with_profile_links
from ui.recent import MISSING, Recent

MODEBAR = {"displaylogo": False, "modeBarButtonsToRemove": ["select2d", "lasso2d", "autoScale2d"]}
# on a phone the toolbar's camera would save the phone layout: images come from the download menu there
PHONE_MODEBAR = {**MODEBAR, "modeBarButtonsToRemove": [*MODEBAR["modeBarButtonsToRemove"], "toImage"]}


def page_header(key: str, filters: Filters) -> None:
    st.title(t(f"pages.{key}.title", filters.lang))
    st.caption(t(f"pages.{key}.intro", filters.lang))
    state.show_notices(filters.lang)
    demo_banner(filters.lang)


def demo_banner(lang: str) -> None:
    """"You are looking at demo data" while demo records are loaded: on every page."""
    if state.status(lang).demo:
        st.info(t("demo.banner", lang), icon=":material/science:")


def page_table_context(title: str, filters: Filters, scope: str = "range") -> export.TableContext:
    """What a table downloaded from a page (not a chart) is, written into the file like a chart's."""
    lang = filters.lang
    status = state.status(lang)
    return export.TableContext(title=title, filters=describe(filters, state.options(), scope),
                               source=t("charts.source_demo" if status.demo else "charts.source_real", lang),
                               data_version=status.version, date=dt.date.today().isoformat(), demo=status.demo,
                               lang=lang)


def file_stem(spec, filters: Filters, title: str) -> str:
    """chart, session and districts in the UI language, e.g. 区排名_第23届_南山区."""
    lang = filters.lang
    opts = state.options()
    when = (t("filters.session_short", lang, n=filters.session, year=sessions.year(filters.session))
            if spec.scope == "session" else f"{filters.session_from}-{filters.session_to}")
    where = "+".join(district_name(c, opts, lang) for c in filters.districts) or t("filters.all_districts", lang)
    return export.safe_filename(title, when, where, ext="")


class SharedFigure(go.Figure):
    """A cached figure that every rerun shows again: its dict is made once.

    st.plotly_chart calls to_dict() (a deep copy: ~15 ms for the map with its GeoJSON) on every rerun, also
    for a chart whose view did not change; profiling the districts page showed that copy as the largest
    server cost of a filter change. Only readers get this dict: downloads export a fresh copy (see _render).
    """

    def to_dict(self) -> dict:
        if getattr(self, "_shared_dict", None) is None:
            self._shared_dict = self._dict_sharing_geojson()
        return self._shared_dict

    def _dict_sharing_geojson(self) -> dict:
        """Plotly's to_dict (plotly 7.1, pinned) except that a trace's GeoJSON is not deep-copied: 15 of the
        map's 16 ms are that copy, on every filter change. Nobody changes it (the GeoJSON is read-only
        everywhere; phone() copies the dict it is given), and base64 conversion leaves its plain lists alone.
        tests/test_phone.py checks the result equals plotly's own."""
        # Private plotly attributes (_data, _layout, _frame_objs): to_dict() is the public read, and its deep copy
        # of the GeoJSON is the cost avoided here.
        if self._frame_objs:  # animations: none of ours has frames; plotly's own copy keeps them
            return super().to_dict()
        shared = {id(t["geojson"]): t["geojson"] for t in self._data if isinstance(t.get("geojson"), dict)}
        res = {"data": copy.deepcopy(self._data, shared), "layout": copy.deepcopy(self._layout)}
        typed_arrays(res)
        return res

    @classmethod
    def adopt(cls, fig: go.Figure) -> SharedFigure:
        """The builder's own figure as a SharedFigure, not a copy: SharedFigure(fig) re-checks every property
        (~4 ms a chart, ~11 ms for the map's GeoJSON) on every cache miss, i.e. every filter change."""
        fig.__class__ = cls
        return fig


SMALLER = {"int64": ("int8", "int16", "int32"), "uint64": ("uint8", "uint16", "uint32")}


def typed_arrays(obj) -> None:
    """Plotly's `convert_to_base64` (plotly 7.1, pinned): numeric arrays become typed-array specs in place, with
    the same result. Plotly's checks every value of the dict (a chart's dict has ~200) through narwhals and
    copies each array first: ~0.9 of the 1 ms a trends chart's dict takes. Here a numeric numpy array or pandas
    Series (what the builders hand plotly, which keeps it) takes the short path; anything else plotly's own."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            if is_skipped_key(key):
                continue
            if isinstance(value, (dict, list, tuple)):
                typed_arrays(value)
            elif numeric_array(value):
                obj[key] = typed_array(np.asarray(value))
            elif not isinstance(value, (str, int, float, type(None))) and is_homogeneous_array(value):
                obj[key] = to_typed_array_spec(value)
    elif isinstance(obj, (list, tuple)):
        for value in obj:
            typed_arrays(value)


def numeric_array(value) -> bool:
    return isinstance(value, (np.ndarray, pd.Series)) and isinstance(value.dtype, np.dtype) \
        and value.dtype.kind in "iuf"


def typed_array(v: np.ndarray):
    """`to_typed_array_spec` for a numeric numpy array: 64-bit integers in the smallest type that holds them."""
    if v.size == 0:
        return v
    dtype = str(v.dtype)
    if dtype in SMALLER:
        low, high = v.min(), v.max()
        fits = [t for t in SMALLER[dtype] if np.iinfo(t).min <= low and high <= np.iinfo(t).max]
        if not fits:
            return v
        v, dtype = v.astype(fits[0]), fits[0]
    if dtype not in plotlyjsShortTypes:
        return v
    spec = {"dtype": plotlyjsShortTypes[dtype], "bdata": base64.b64encode(np.ascontiguousarray(v)).decode("ascii")}
    if v.ndim > 1:
        spec["shape"] = str(v.shape)[1:-1]
    return spec


@st.cache_resource(show_spinner=False, max_entries=256, ttl=dt.timedelta(hours=12))
def _figure(name: str, query_json: str, lang: str, stamp: int, today: str, address: str, compact: bool = False):
    """The briefing figure for a chart and view, built once per database version (builders take ~10 ms);
    `compact`: its phone layout, made from the full one.

    Shared, not copied (copying re-validates the whole figure): callers only read it. The limits keep a
    worker's memory bounded however many distinct views officials open."""
    if compact:
        return SharedFigure(phone(_figure(name, query_json, lang, stamp, today, address)))
    filters = parse({**json.loads(query_json), "lang": lang}, state.options()).filters
    return SharedFigure.adopt(catalog.build(name, filters, state.options(), state.status(lang), run=state.run)[0])


def show(fig: go.Figure, name: str, config: dict, phone_fig=None) -> None:
    """A chart on screen: on a phone in its phone layout (`phone_fig()` when given: a cached one; else a fresh
    copy) and without the toolbar's camera, and its text alternative written under it (ui/a11y.py makes it
    the plot's accessible name and puts the toolbar in the reader's language)."""
    compact = device.phone()
    shown = ((phone_fig or (lambda: go.Figure(phone(fig))))()) if compact else fig
    config = {**config, **(PHONE_MODEBAR if compact else {})}
    with st.container(key=f"{a11y.ALT_KEY}{name}"):
        st.plotly_chart(shown, theme=None, config=config, key=f"chart_{name}", width="stretch")
        description = alt.text(fig)
        if description:
            st.caption(escape_markdown(description))


def chart(name: str, filters: Filters, height: int | None = None) -> None:
    """One briefing chart with its table, download menu and "add to briefing" button, built for `filters`
    (a profile's or a comparison's chart for its context: core.catalog.context)."""
    spec = catalog.CHARTS[name]
    filters = catalog.context(spec, filters, state.options())
    frame = catalog.data(spec, filters, run=state.run)
    card = catalog.card(spec, filters, state.options(), state.status(filters.lang))
    if frame.empty:
        st.header(card.title)
        why = catalog.empty_text(spec, filters, run=state.run)
        st.info(why or t("charts.empty_sentence", filters.lang, filters=card.subtitle), icon=":material/info:")
        return
    view = json.dumps(catalog.scoped_query(filters, spec.scope), sort_keys=True)
    key = (name, view, filters.lang, state.db_stamp(), dt.date.today().isoformat(), config.public_url())
    fig = _figure(*key)  # the design layout: every download renders this one
    stem = file_stem(spec, filters, card.title)
    modebar = {**MODEBAR, "toImageButtonOptions": {"format": "png", "filename": stem, "scale": 2, "width": 960,
                                                  "height": fig.layout.height or 540}}
    show(fig, name, modebar, phone_fig=lambda: _figure(*key, compact=True))
    actions(name, filters, fig, frame, stem, table_context(card), card.title)


def charts_for(page: str, filters: Filters, context: str = "filters") -> None:
    """Every chart registered for `page` in `context` (core/charts/<page>.py), in the order they are defined."""
    state.prefetch(chart_calls(page, filters, context))
    for spec in charts.for_page(page, context):
        chart(spec.name, filters)


def chart_calls(page: str, filters: Filters, context: str = "filters") -> list[tuple[str, dict]]:
    """The named queries behind the charts of `page` in `context`, as (name, parameters)."""
    opts = state.options()
    return [catalog.query_call(spec, catalog.context(spec, filters, opts)) for spec in charts.for_page(page, context)]


def table_context(card) -> export.TableContext:
    """What a downloaded table is (title, filters, source, version, date, demo), written into the file."""
    return export.TableContext(title=card.title, filters=card.subtitle, source=card.source,
                               data_version=card.data_version, date=card.export_date, demo=card.demo,
                               lang=card.lang, permalink=card.permalink)


def actions(name: str, filters: Filters, fig, frame: pd.DataFrame, stem: str,
            context: export.TableContext | None = None, title: str = "") -> None:
    lang = filters.lang
    row = st.container(horizontal=True, vertical_alignment="center")  # one block, not st.columns' four
    with row:
        download_popover(name, fig, frame, stem, lang, context, width="stretch")
    show = row.toggle(t("charts.show_data", lang), key=f"table_{name}", width="stretch")
    # a callback, so the change is made before the run and the sidebar's basket keeper stores it at once
    if row.button(t("basket.add", lang), key=f"basket_{name}", icon=":material/add:", width="stretch",
                    on_click=add_to_basket, args=(name, filters)):
        st.toast(t("basket.added", lang, title=title))
    if show:  # drawn only on request: a table per chart would slow every rerun
        table(frame, lang)


def _render(fig, fmt: str, preset: str) -> bytes:
    return export.render(go.Figure(fig), fmt, preset)  # a copy: the export adds fonts to what it is given


def _csv(frame: pd.DataFrame, lang: str, context: export.TableContext | None = None) -> bytes:
    return export.table_csv(with_labels(frame, lang), context)


def _xlsx(frame: pd.DataFrame, lang: str, stem: str, context: export.TableContext | None = None) -> bytes:
    return export.table_xlsx(with_labels(frame, lang), stem, context)


def download_popover(name: str, fig, frame: pd.DataFrame, stem: str, lang: str,
                     context: export.TableContext | None = None, width: str = "content") -> None:
    """The "Download" button and its menu. The menu's buttons are drawn only while it is open: opening or
    closing it reruns the page (its buttons show ~0.2 s after the click), and no other run sends them (six to
    eight elements a chart, a third of a chart page's elements, drawn on every filter change before)."""
    key = f"menu_{name}"
    with st.popover(t("download.menu", lang), icon=":material/download:", width=width, key=key, on_change="rerun"):
        if st.session_state.get(key):
            download_menu(name, fig, frame, stem, lang, context)


def download_menu(name: str, fig, frame: pd.DataFrame, stem: str, lang: str,
                  context: export.TableContext | None = None) -> None:
    if export.browser_path() is None:
        st.warning(t("download.no_browser", lang, hint=export.INSTALL_HINT), icon=":material/warning:")
    else:
        st.caption(t("download.first_export_note", lang))
        images = [("png_slide", "png", "slide", "image/png", "_1920x1080.png"),
                  ("png_a4", "png", "a4", "image/png", "_A4_300dpi.png"),
                  ("svg", "svg", "slide", "image/svg+xml", ".svg"),
                  ("pdf", "pdf", "slide", "application/pdf", ".pdf")]
        for key, fmt, preset, mime, suffix in images:
            st.download_button(t(f"download.{key}", lang), data=functools.partial(_render, fig, fmt, preset),
                               file_name=stem + suffix, mime=mime, key=f"dl_{name}_{key}", on_click="ignore",
                               width="stretch")
    # Labelled tables are made on download only: doing it on every rerun cost ~3 ms a chart.
    st.download_button(t("download.csv", lang), data=functools.partial(_csv, frame, lang, context),
                       file_name=stem + ".csv", mime="text/csv", key=f"dl_{name}_csv", on_click="ignore",
                       width="stretch")
    st.download_button(t("download.xlsx", lang), data=functools.partial(_xlsx, frame, lang, stem, context),
                       file_name=stem + ".xlsx", key=f"dl_{name}_xlsx", on_click="ignore", width="stretch",
                       mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def add_to_basket(name: str, filters: Filters) -> None:
    basket = st.session_state.setdefault("basket", [])
    basket.append({"name": name, "query": filters.query(), "caption": ""})


# The figures of a kpi_row share its width equally, two to a line on a phone (ui/scripts.hidden's style sheet)
# A figure's label wraps instead of ending in "…": Streamlit cuts it to one line ("单项冠军/小巨人/专精特新…",
# "Applicant compa…" on a phone), and the label is what says which figure it is.
KPI_CSS = ("[class*='st-key-kpis_'] > [data-testid='stElementContainer'] {flex: 1 1 0; min-width: 9rem;}"
           "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'],"
           "[data-testid='stMetricLabel'] [data-testid='stMarkdownContainer'] p "
           "{white-space: normal; overflow: visible;}")


def kpi_row(key: str):
    """Where a row of figures goes (`kpi(row, ...)` each): one block in every run's messages, where
    st.columns(4) sent five (a flex row that wraps; KPI_CSS gives its figures equal widths)."""
    return st.container(horizontal=True, key=f"kpis_{key}")


def kpi(row, label: str, value: str, delta: str | None = None, help_text: str | None = None) -> None:
    row.metric(label, value, delta=delta, help=help_text, border=True)


def table(frame: pd.DataFrame, lang: str, wide: tuple[str, ...] = (), **kwargs) -> None:
    """A data table with headers in the reader's language; rows with a district link to its profile. Columns
    named in `wide` get room for long text (a list of names) instead of being cut after a few characters."""
    shown_table(*table_parts(frame, lang, wide), **kwargs)


def shown_table(labelled: pd.DataFrame, column_config: dict, **kwargs) -> None:
    st.dataframe(labelled, hide_index=True, width="stretch", column_config=column_config, **kwargs)


def table_parts(frame: pd.DataFrame, lang: str, wide: tuple[str, ...] = ()) -> tuple[pd.DataFrame, dict]:
    """What table() shows: the frame with the reader's headers and its column settings."""
    frame, links = with_profile_links(frame, lang)
    labelled = with_labels(frame, lang).rename(columns={"district_profile": t("profile.table_link", lang)})
    roomy = {label: st.column_config.TextColumn(width="large") for label in column_labels(wide, lang).values()}
    # on screen the district reads as its name and its profile link; the code stays in downloaded tables
    hidden = {label: None for label in column_labels(["district_code"], lang).values()
              if "district_code" in frame.columns}
    return labelled, {**links, **roomy, **hidden}


def kept_table(key: tuple, frame: pd.DataFrame, lang: str) -> tuple[pd.DataFrame, dict]:
    """table_parts(frame, lang), made once per `key` (what the frame shows: a query and its parameters),
    language and database version: a table drawn on every run from a cached result is relabelled once
    (pandas, 2-4 ms a table: on the trends and companies pages more than the rest of a run whose charts were
    cached). Callers only read the result."""
    return kept((key, lang), lambda: table_parts(frame, lang))


def prizes(filters: Filters) -> tuple[pd.DataFrame, dict] | None:
    """The programme's prizes over the range as table() shows them (None: none in the range): the rows of
    every session's table, labelled once per language and database version. (Labelled per range, each range
    change cost the run 6-7 ms of pandas, as much as a chart's build.)"""
    def make():
        rows = state.run("programme_prizes", **catalog.ALL_SESSIONS)
        labelled, config = table_parts(published.prizes_table(rows, filters.lang), filters.lang)
        return labelled, config, rows["session_no"].to_numpy()
    labelled, config, sessions = kept(("prizes", filters.lang), make)
    shown = np.flatnonzero((sessions >= filters.session_from) & (sessions <= filters.session_to))
    return None if not len(shown) else (labelled.take(shown).reset_index(drop=True), config)


KEPT = 256  # tables and texts kept per worker
_kept = Recent(KEPT)


def kept(key: tuple, make):
    """make()'s result for `key` in this database version, made once and shared (the oldest dropped beyond
    KEPT). Two runs asking at once may both make it; the later one is kept."""
    full = (*key, state.db_stamp())
    value = _kept.get(full, MISSING)
    if value is MISSING:
        value = make()
        _kept.put(full, value)
    return value


def uploader_in_reader_language(lang: str) -> None:
    """Streamlit writes the upload button and its "200MB per file" line in English only: hide both texts,
    write the button's label in the reader's language (CSS) and the limit in a caption below."""
    button = json.dumps(t("uploader.button", lang), ensure_ascii=False)  # quoted as CSS quotes
    # Only the upload button's own text: under every button of the box, the label was added after "Upload"
    # (its text sits in a paragraph with a font size of its own) and over a chosen file's remove icon.
    label = '[data-testid="stFileUploaderDropzone"] > span > button [data-testid="stMarkdownContainer"]'
    st.html("<style>"
            '[data-testid="stFileUploaderDropzoneInstructions"] {display: none;}'
            f"{label} p {{display: none;}}"
            f"{label}::after {{content: {button};}}"
            "</style>")
    st.caption(t("uploader.limit", lang, mb=st.get_option("server.maxUploadSize"), types="CSV, XLSX"))
