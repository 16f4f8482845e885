"""The district profile's figures and the one-click district briefing pack (UI button and `cli pack`).

A district pack is the profile's charts plus some standard charts filtered to the district, with the
profile paragraph on its title page. Formats come from core.briefing.PACK_FORMATS, so a format added
there (e.g. .docx) is available here with no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

import pandas as pd
import plotly.graph_objects as go

from core import briefing, catalog, charts, db, export, profile, sessions
from core.charts import profile as builders
from core.filters import Filters, Options, describe
from core.i18n import t

# (name, scope): the profile's own charts, then standard charts filtered to the district
PROFILE_CHARTS = [("district_profile_records", "range"), ("district_profile_rank", "range"),
                  ("district_profile_industries", "range"), ("repeat_innovators", "range")]
STANDARD_CHARTS = ["category_split", "awards_per_session", "qualification_mix", "returning_companies"]


def scoped(filters: Filters, code: str) -> Filters:
    """The filters of a district's profile: that district, all industries."""
    return replace(filters, districts=(code,), industries=())


def permalink(code: str, filters: Filters) -> str:
    query = {"code": code, **{k: v for k, v in filters.query().items() if k not in ("district", "industry")}}
    return f"{catalog.public_url()}/district?{urlencode(query)}"


def card(name: str, scope: str, code: str, filters: Filters, options: Options,
         status: catalog.DataStatus) -> charts.Card:
    lang = filters.lang
    district = profile.district_name(code, options, lang)
    return charts.Card(
        title=t(f"profile.charts.{name}.title", lang, district=district),
        subtitle=describe(scoped(filters, code), options, scope),
        unit=t(f"profile.charts.{name}.unit", lang),
        source=t("charts.source_demo" if status.demo else "charts.source_real", lang),
        lang=lang, demo=status.demo, data_version=status.version, export_date=dt.date.today().isoformat(),
        permalink=permalink(code, filters))


def profile_figure(name: str, code: str, filters: Filters, options: Options, status: catalog.DataStatus,
                   run=db.run, data: dict | None = None) -> tuple[go.Figure, pd.DataFrame, charts.Card]:
    """(figure, data, card) of one profile chart; `data` reuses profile.facts already fetched."""
    data = data or profile.facts(code, filters, run)
    scope = dict(PROFILE_CHARTS)[name]
    chart_card = card(name, scope, code, filters, options, status)
    if name == "district_profile_records":
        frame = profile.in_range(data["per_session"], filters)
        fig = builders.district_profile_records(frame, chart_card, profile.first_own_session(data["per_session"]))
    elif name == "district_profile_rank":
        frame = profile.in_range(data["per_session"], filters)
        fig = builders.district_profile_rank(frame, chart_card) if frame["rank"].notna().any() else None
    elif name == "district_profile_industries":
        frame = data["industries"]
        fig = builders.district_profile_industries(frame, chart_card, profile.district_name(
            code, options, filters.lang)) if not frame.empty else None
    else:
        frame = data["repeat"]
        fig = charts.companies.repeat_innovators(frame, chart_card) if not frame.empty else None
    return (fig if fig is not None else charts.empty(chart_card)), frame, chart_card


def items(code: str, filters: Filters, options: Options, status: catalog.DataStatus | None = None,
          run=db.run, data: dict | None = None) -> list[export.BriefingItem]:
    status = status or catalog.DataStatus.read(filters.lang)
    data = data or profile.facts(code, filters, run)
    out = []
    for name, _scope in PROFILE_CHARTS:
        fig, frame, c = profile_figure(name, code, filters, options, status, run, data)
        out.append(export.BriefingItem(name=name, title=c.title, subtitle=c.subtitle, caption="", source=c.source,
                                       figure=fig, data=frame))
    district_filters = scoped(filters, code)
    for name in STANDARD_CHARTS:
        fig, frame, c = catalog.build(name, district_filters, options, status, run=run)
        out.append(export.BriefingItem(name=name, title=c.title, subtitle=c.subtitle, caption="", source=c.source,
                                       figure=fig, data=frame))
    return out


def meta(code: str, filters: Filters, options: Options, status: catalog.DataStatus | None = None,
         run=db.run, data: dict | None = None) -> export.PackMeta:
    lang = filters.lang
    status = status or catalog.DataStatus.read(lang)
    district = profile.district_name(code, options, lang)
    return export.PackMeta(
        title=t("profile.pack_title", lang, district=district, n=filters.session, year=sessions.year(filters.session)),
        subtitle=describe(scoped(filters, code), options, "session"), date=dt.date.today().isoformat(),
        lang=lang, demo=status.demo, data_version=status.version,
        summary=profile.paragraph(data or profile.facts(code, filters, run), filters, options),
        permalink=permalink(code, filters))


def build(fmt: str, code: str, filters: Filters, options: Options, status: catalog.DataStatus | None = None,
          run=db.run, on_step: Callable[[int, int, str], None] | None = None) -> bytes:
    """The district briefing as `fmt` (any key of briefing.PACK_FORMATS)."""
    status = status or catalog.DataStatus.read(filters.lang)
    data = profile.facts(code, filters, run)
    pack_items = items(code, filters, options, status, run, data)
    return briefing.build_pack(fmt, pack_items, meta(code, filters, options, status, run, data), on_step=on_step)


def file_name(code: str, filters: Filters, options: Options, fmt: str) -> str:
    lang = filters.lang
    return export.safe_filename(t("profile.file_stem", lang), profile.district_name(code, options, lang),
                                t("filters.session_short", lang, n=filters.session,
                                  year=sessions.year(filters.session)),
                                ext=fmt)
