"""The chart catalogue: each chart's query, builder, texts and page, and how to build it for some filters.

Charts are registered next to their builders (`@chart(...)` in core/charts/<page>.py); this module reads
that registry.

The UI, the command-line export and the briefing packs all build figures here, so a chart looks the same
wherever it is downloaded from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from core import charts, config, db
from core.charts.registry import ChartSpec
from core.demo.inputs import RAW, read_csv
from core.filters import Filters, Options, describe
from core.i18n import is_missing, t

# Registered by each builder in core/charts/<page>.py; this is the same dict, by its old name.
CHARTS: dict[str, ChartSpec] = charts.REGISTRY


def for_page(page: str) -> list[ChartSpec]:
    """The charts a page shows, in the order they are defined."""
    return charts.for_page(page)


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


def public_url() -> str:
    return config.public_url()


def permalink(page: str, filters: Filters, scope: str | None = None) -> str:
    return f"{public_url()}/{page}?{urlencode(scoped_query(filters, scope), safe=',')}"


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
    lang = filters.lang
    return charts.Card(
        title=t(f"charts.{spec.name}.title", lang),
        subtitle=subtitle(spec, filters, options),
        unit=t(f"charts.{spec.name}.unit", lang),
        source=t("charts.source_demo" if status.demo else "charts.source_real", lang) + derived_source(spec, filters),
        lang=lang, demo=status.demo, data_version=status.version,
        export_date=(today or dt.date.today()).isoformat(),
        permalink=permalink(spec.page, filters, spec.scope),
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


# A range holding every session (numbers start at 1): what a per-session chart asks its query for.
ALL_SESSIONS = {"session_from": 1, "session_to": 9999}


def query_call(spec: ChartSpec, filters: Filters) -> tuple[str, dict]:
    """The named query and the parameters the chart reads under `filters` (every session for a per-session
    chart: one cached result serves every range and session)."""
    params = {**filters.params(), **spec.extra}
    if spec.per_session:
        params.update(ALL_SESSIONS)
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
    """The rows of sessions first..last, numbered from 0 as a query's result is."""
    return frame[frame["session_no"].between(first, last)].reset_index(drop=True)


def has_applicant_data(session: int, run=db.run) -> bool:
    """False for a session without applicant figures (one imported from an official list of approved records)."""
    kpis = run("session_kpis", districts=[], industries=[])
    row = kpis[kpis["session_no"] == session]
    return not row.empty and not is_missing(row.iloc[0]["applicants"])


def empty_text(spec: ChartSpec, filters: Filters, run=db.run, short: bool = False) -> str | None:
    """Why a chart is empty when narrower filters are not the reason (None when they are): an applicant chart
    of a session that has no applicant data. `short`: one line, for inside a figure."""
    if spec.applicants and spec.scope == "session" and not has_applicant_data(filters.session, run):
        return t("charts.no_applicants_short" if short else "charts.no_applicants", filters.lang, n=filters.session)
    return None


def figure(spec: ChartSpec, frame: pd.DataFrame, chart_card: charts.Card, empty: str | None = None) -> go.Figure:
    """The briefing figure for a query result; a sentence instead of axes when nothing matches (`empty`: why)."""
    if frame.empty:
        return charts.empty(chart_card, empty)
    return spec.builder(frame, chart_card)


def build(name: str, filters: Filters, options: Options, status: DataStatus | None = None, run=db.run):
    """(figure, data, card) for chart `name` under `filters`."""
    spec = CHARTS[name]
    status = status or DataStatus.read(filters.lang)
    chart_card = card(spec, filters, options, status)
    frame = data(spec, filters, run)
    why = empty_text(spec, filters, run, short=True) if frame.empty else None
    return figure(spec, frame, chart_card, why), frame, chart_card


def load_options() -> Options:
    sessions = db.run("session_options")
    districts = db.run("district_options")
    industries = db.run("industry_options")
    return Options(
        sessions=tuple(int(s) for s in sessions["session_no"]),
        districts={r.district_code: (r.name_zh, r.name_en) for r in districts.itertuples()},
        industries={r.industry_code: (r.name_zh, r.name_en) for r in industries.itertuples()},
    )
