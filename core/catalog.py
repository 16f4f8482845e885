"""The chart catalogue: each chart's query, builder, texts and page, and how to build it for a context.

Charts are registered next to their builders (`@chart(...)` in core/charts/<page>.py); this module reads
that registry. A chart is built for a context, a `Filters` (`context`): the shared filters; for a district
profile's chart the same narrowed to one district; for a comparison's chart one district or the city and
the other session `vs`.

The pages, the download menu, the basket, the command-line export and the briefing packs all build figures
here, so a chart looks the same wherever it is shown or downloaded from.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, replace
from urllib.parse import urlencode

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from core import charts, config, db, sessions
from core.charts.registry import CHARTS, ChartSpec
from core.demo.inputs import RAW, read_csv
from core.filters import Filters, Options, describe, district_name, page_defaults
from core.i18n import is_missing, t


class ContextError(ValueError):
    """Filters a chart cannot be built for: a profile chart without exactly one district, a comparison of
    several districts."""


def context(spec: ChartSpec, filters: Filters, options: Options) -> Filters:
    """The filters `spec` is built for. A profile chart: its one district, every industry. A comparison: the
    city or one district, every industry, and `vs` (the session before `session` when not given)."""
    if spec.context == "district":
        if len(filters.districts) != 1:
            raise ContextError(f"{spec.name} is a chart of one district's profile: give one district")
        return replace(filters, industries=(), vs=None)
    if spec.context == "compare":
        if len(filters.districts) > 1:
            raise ContextError(f"{spec.name} compares the city or one district, not several")
        vs = filters.vs if filters.vs is not None else page_defaults(filters, options).vs
        return replace(filters, industries=(), vs=vs)
    return replace(filters, vs=None)


@dataclass(frozen=True)
class DataStatus:
    demo: bool
    version: str

    @classmethod
    def read(cls, lang: str) -> DataStatus:
        row = db.run("data_status").iloc[0]
        version = t("charts.build", lang, build=row["build_id"])
        if pd.notna(row["last_import_at"]):
            version += " · " + t("charts.imported", lang, date=pd.Timestamp(row["last_import_at"]).date().isoformat())
        return cls(demo=bool(row["demo_records"] > 0), version=version)


def permalink(page: str, filters: Filters, scope: str | None = None) -> str:
    return f"{config.public_url()}/{page}?{urlencode(scoped_query(filters, scope), safe=',')}"


def chart_permalink(spec: ChartSpec, filters: Filters) -> str:
    """The page that shows the chart in this context: a profile's and a comparison's name their district
    with `code` (a link without it follows the reader's sidebar)."""
    if spec.context == "filters":
        return permalink(spec.page, filters, spec.scope)
    query = {k: v for k, v in scoped_query(filters, spec.scope).items() if k not in ("district", "industry")}
    if filters.districts:
        query["code"] = filters.districts[0]
    return f"{config.public_url()}/{spec.page}?{urlencode(query, safe=',')}"


def scoped_query(filters: Filters, scope: str | None = None) -> dict[str, str]:
    """The URL parameters a chart depends on: a trend chart ignores the single session, a one-session
    chart ignores the range. Its permalink (and its cache key) then change only when the chart does."""
    query = filters.query()
    drop = {"range": ("session",), "session": ("from", "to")}.get(scope or "", ())
    return {k: v for k, v in query.items() if k not in drop}


def subtitle(spec: ChartSpec, filters: Filters, options: Options) -> str:
    """The filters in force, and with a district selection whether the chart emphasises the selected
    districts among all (focus) or counts only them (filter)."""
    text = describe(filters, options, spec.scope)
    if filters.districts:
        text += " · " + t("focus.subtitle_focus" if spec.focus else "focus.subtitle_filter", filters.lang)
    return text


def card(spec: ChartSpec, filters: Filters, options: Options, status: DataStatus,
         today: dt.date | None = None) -> charts.Card:
    """The chart's texts for `filters` (its context: see `context`)."""
    lang = filters.lang
    return charts.Card(
        title=title(spec, filters, options),
        subtitle=_context_subtitle(spec, filters, options),
        unit=t(f"{spec.text_key}.unit", lang),
        source=t("charts.source_demo" if status.demo else "charts.source_real", lang) + derived_source(spec, filters),
        lang=lang, demo=status.demo, data_version=status.version,
        export_date=(today or dt.date.today()).isoformat(),
        permalink=chart_permalink(spec, filters),
    )


# Sessions whose applicant count is the project's inference (data/raw/derived_figures.csv), not published.
DERIVED_APPLICANTS = {int(r["session_no"]) for r in read_csv(RAW / "derived_figures.csv")
                      if r["metric"] == "applicant_companies"}


def derived_source(spec: ChartSpec, filters: Filters) -> str:
    """For an applicant chart showing a session whose applicant count was derived: saying so in the source
    line, which every image, table and pack carries."""
    first, last = (filters.session, filters.session) if spec.scope == "session" else \
        (filters.session_from, filters.session_to)
    if not spec.applicants or not any(first <= n <= last for n in DERIVED_APPLICANTS):
        return ""
    return " · " + t("data_truth.derived_source", filters.lang)


def title(spec: ChartSpec, filters: Filters, options: Options) -> str:
    """A profile's title names its district; a comparison's its two sessions, earlier first."""
    values = {}
    if spec.context == "district":
        values = {"district": district_name(filters.districts[0], options, filters.lang)}
    elif spec.context == "compare":
        values = {"a": min(filters.vs, filters.session), "b": max(filters.vs, filters.session)}
    return t(f"{spec.text_key}.title", filters.lang, **values)


def _context_subtitle(spec: ChartSpec, filters: Filters, options: Options) -> str:
    if spec.context == "district":  # one district, all industries: nothing to say about focus
        return describe(filters, options, spec.scope)
    if spec.context == "compare":
        lang = filters.lang
        where = district_name(filters.districts[0], options, lang) if filters.districts else t("compare.city", lang)
        # earlier first, as the title and the bars put them, whichever of the two `vs` is
        pair = " / ".join(t("compare.series.session", lang, n=n, year=sessions.year(n))
                          for n in sorted((filters.vs, filters.session)))
        return f"{pair} · {where}"
    return subtitle(spec, filters, options)


# A range holding every session (numbers start at 1): what a per-session chart asks its query for.
ALL_SESSIONS = {"session_from": 1, "session_to": 9999}


def query_call(spec: ChartSpec, filters: Filters) -> tuple[str, dict]:
    """The named query and the parameters the chart reads under `filters` (every session for a per-session
    chart: one cached result serves every range and session)."""
    params = {**filters.params(), **spec.extra}
    if spec.per_session:
        params.update(ALL_SESSIONS)
    if spec.context == "district":
        params["code"] = filters.districts[0]
    elif spec.context == "compare":
        params.update(session_a=filters.vs, session_b=filters.session)
    return spec.query, params


def data(spec: ChartSpec, filters: Filters, run=db.run) -> pd.DataFrame:
    """The chart's query result (`run` lets the UI pass its cached runner)."""
    name, params = query_call(spec, filters)
    frame = run(name, **params)
    if spec.per_session:
        first, last = (filters.session, filters.session) if spec.scope == "session" else \
            (filters.session_from, filters.session_to)
        frame = in_range(frame, first, last)
    return frame


def in_range(frame: pd.DataFrame, first: int, last: int) -> pd.DataFrame:
    """The rows of sessions first..last in their order, numbered from 0 as a query's result is.

    A page cuts 10-20 cached results a run. Where the rows are one block (a result in session order, oldest or
    newest first, as session_kpis is) the cut is a slice: ~25 us, where pandas' take of the same rows costs
    ~40 us and a boolean mask 150-200 us (3-5 x that on a busy server)."""
    sessions = frame["session_no"].to_numpy()
    rows = np.flatnonzero((sessions >= first) & (sessions <= last))
    if len(rows) and rows[-1] - rows[0] + 1 == len(rows):
        return frame.iloc[rows[0]: rows[-1] + 1].reset_index(drop=True)
    return frame.take(rows).reset_index(drop=True)


def remembering(run):
    """`run` keeping its results for as long as the caller holds it (one pack): a result that the paragraph
    and several charts read runs once. Each call gets its own copy."""
    kept: dict[tuple[str, str], pd.DataFrame] = {}

    def cached(name: str, **params) -> pd.DataFrame:
        used = {k: v for k, v in params.items() if k in db.query_params(name)}
        key = (name, json.dumps(used, sort_keys=True, default=list))
        if key not in kept:
            kept[key] = run(name, **params)
        return kept[key].copy()

    return cached


def has_applicant_data(session: int, run=db.run) -> bool:
    """False for a session without applicant figures (one imported from an official list of approved records)."""
    kpis = run("session_kpis", districts=[], industries=[])
    row = in_range(kpis, session, session)
    return not row.empty and not is_missing(row.iloc[0]["applicants"])


def empty_text(spec: ChartSpec, filters: Filters, run=db.run, short: bool = False) -> str | None:
    """Why a chart is empty when narrower filters are not the reason (None when they are): an applicant chart
    of a session that has no applicant data. `short`: one line, for inside a figure."""
    if spec.applicants and spec.scope == "session" and not has_applicant_data(filters.session, run):
        return t("charts.no_applicants_short" if short else "charts.no_applicants", filters.lang, n=filters.session)
    if spec.categories and _latest_session(spec, filters) < sessions.CATEGORY_SINCE:
        return t("charts.no_categories_short" if short else "charts.no_categories", filters.lang,
                 since=sessions.CATEGORY_SINCE)
    return None


def _latest_session(spec: ChartSpec, filters: Filters) -> int:
    """The latest session a chart of `spec` shows under `filters`."""
    if spec.context == "compare":
        return max(filters.session, filters.vs or filters.session)
    return filters.session_to if spec.scope == "range" else filters.session


def figure(spec: ChartSpec, frame: pd.DataFrame, chart_card: charts.Card, empty: str | None = None,
           hints: dict | None = None) -> go.Figure:
    """The briefing figure for a query result; a sentence instead of axes when nothing matches (`empty`: why).
    `hints`: the builder's further arguments (`ChartSpec.hints`)."""
    if frame.empty:
        return charts.empty(chart_card, empty)
    return spec.builder(frame, chart_card, **(hints or {}))


def build(name: str, filters: Filters, options: Options, status: DataStatus | None = None, run=db.run):
    """(figure, data, card) for chart `name` in the context of `filters` (see `context`)."""
    spec = CHARTS[name]
    filters = context(spec, filters, options)
    status = status or DataStatus.read(filters.lang)
    chart_card = card(spec, filters, options, status)
    frame = data(spec, filters, run)
    if frame.empty:
        return figure(spec, frame, chart_card, empty_text(spec, filters, run, short=True)), frame, chart_card
    hints = spec.hints(filters, options, run) if spec.hints else None
    return figure(spec, frame, chart_card, hints=hints), frame, chart_card


def load_options() -> Options:
    sessions = db.run("session_options")
    districts = db.run("district_options")
    industries = db.run("industry_options")
    aliases = db.run("district_profile_aliases")
    return Options(
        sessions=tuple(int(s) for s in sessions["session_no"]),
        districts={r.district_code: (r.name_zh, r.name_en) for r in districts.itertuples()},
        industries={r.industry_code: (r.name_zh, r.name_en) for r in industries.itertuples()},
        aliases=dict(zip(aliases["alias_key"], aliases["district_code"])),
    )
