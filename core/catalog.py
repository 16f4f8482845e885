"""The chart catalogue: each chart's query, builder, texts and page, and how to build it for some filters.

The UI, the command-line export and the briefing packs all build figures here, so a chart looks the same
wherever it is downloaded from.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from core import charts, config, db
from core.filters import Filters, Options, describe
from core.i18n import t


@dataclass(frozen=True)
class ChartSpec:
    name: str
    page: str  # url path of the page that shows it
    scope: str  # "session" (one session) or "range" (sessions from..to)
    extra: dict = field(default_factory=dict)  # fixed extra query parameters

    @property
    def builder(self):
        return getattr(charts, self.name)

    @property
    def query(self) -> str:
        return self.name


CHARTS: dict[str, ChartSpec] = {spec.name: spec for spec in [
    ChartSpec("records_per_session", "trends", "range"),
    ChartSpec("applicant_strength", "trends", "range"),
    ChartSpec("category_split", "trends", "range"),
    ChartSpec("awards_per_session", "trends", "range"),
    ChartSpec("qualification_mix", "overview", "session"),
    ChartSpec("district_ranking", "districts", "session"),
    ChartSpec("district_rank_history", "districts", "range"),
    ChartSpec("district_heatmap", "districts", "range"),
    ChartSpec("district_map", "districts", "range"),
    ChartSpec("industry_breakdown", "industries", "range"),
    ChartSpec("industry_trends", "industries", "range", {"top": 8}),
    ChartSpec("industries_as_published", "industries", "session"),
    ChartSpec("returning_companies", "companies", "range"),
    ChartSpec("repeat_innovators", "companies", "range", {"min_sessions": 2, "limit": 200}),
]}


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


def card(spec: ChartSpec, filters: Filters, options: Options, status: DataStatus,
         today: dt.date | None = None) -> charts.Card:
    lang = filters.lang
    return charts.Card(
        title=t(f"charts.{spec.name}.title", lang),
        subtitle=describe(filters, options, spec.scope),
        unit=t(f"charts.{spec.name}.unit", lang),
        source=t("charts.source_demo" if status.demo else "charts.source_real", lang),
        lang=lang, demo=status.demo, data_version=status.version,
        export_date=(today or dt.date.today()).isoformat(),
        permalink=permalink(spec.page, filters, spec.scope),
    )


def data(spec: ChartSpec, filters: Filters, run=db.run) -> pd.DataFrame:
    """The chart's query result (`run` lets the UI pass its cached runner)."""
    return run(spec.query, **filters.params(), **spec.extra)


def figure(spec: ChartSpec, frame: pd.DataFrame, chart_card: charts.Card) -> go.Figure:
    """The briefing figure for a query result; a sentence instead of axes when nothing matches."""
    if frame.empty:
        return charts.empty(chart_card)
    return spec.builder(frame, chart_card)


def build(name: str, filters: Filters, options: Options, status: DataStatus | None = None, run=db.run):
    """(figure, data, card) for chart `name` under `filters`."""
    spec = CHARTS[name]
    status = status or DataStatus.read(filters.lang)
    chart_card = card(spec, filters, options, status)
    frame = data(spec, filters, run)
    return figure(spec, frame, chart_card), frame, chart_card


def load_options() -> Options:
    sessions = db.run("session_options")
    districts = db.run("district_options")
    industries = db.run("industry_options")
    return Options(
        sessions=tuple(int(s) for s in sessions["session_no"]),
        districts={r.district_code: (r.name_zh, r.name_en) for r in districts.itertuples()},
        industries={r.industry_code: (r.name_zh, r.name_en) for r in industries.itertuples()},
    )
