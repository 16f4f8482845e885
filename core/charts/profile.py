"""Figure builders of the district profile and the session comparison, on the briefing template.

Each builder takes the query result and a `Card` (core.charts), plus the few labels its query does not carry.
The charts registered here (`@chart`, names with "profile" or "compare") are built for a district's profile
(context "district": the filters narrowed to one district) or for a comparison of two sessions (context
"compare"); core/catalog.py builds them as every other chart.
"""

from __future__ import annotations

import math

import pandas as pd
import plotly.graph_objects as go

from core import sessions
from core.charts.companies import repeat_innovators
from core.charts.registry import chart
from core.charts.template import GRID, MUTED, PALETTE, Card, brief, empty, esc_all, fill, new_figure
from core.charts.template import label_margin as _label_margin
from core.charts.template import session_axis as _session_axis
from core.charts.template import shorts as _shorts
from core.filters import district_name
from core.i18n import t

CITY_GREY = "#9e9e9e"
CATEGORIES = ("product_rd", "manufacturing", "modern_service")


def _tr(key: str, card: Card, **values) -> str:
    return t(key, card.lang, **values)


# ----- district profile -----------------------------------------------------------------------------------

def first_own_session(per_session: pd.DataFrame) -> int | None:
    """The first session in which lists give the district its own records (before: under another name)."""
    own = per_session[per_session["records"] > 0]
    return int(own["session_no"].min()) if not own.empty else None


def _first_own(filters, options, run) -> dict:
    """Of every session, not only the range shown: a range starting in a session without records is not the
    time before the district's lists."""
    return {"first_own": first_own_session(run("district_profile_records", code=filters.districts[0]))}


def _district(filters, options, run) -> dict:
    return {"district": district_name(filters.districts[0], options, filters.lang)}


@chart(page="district", scope="range", context="district", query="district_profile_records", per_session=True,
       texts="profile.charts.district_profile_records", hints=_first_own)
def profile_records(df: pd.DataFrame, card: Card, first_own: int | None = None) -> go.Figure:
    """Records (bars) and approved companies (line) per session, share of the city on the right axis; the
    sessions before the district's own lists are a grey band, without values (their records were another
    district's: a bar of 0 there, and a text alternative starting from it, would say the district had none)."""
    own = df if first_own is None else df[df["session_no"] >= first_own]
    x = own["session_no"]
    fig = new_figure([  # all traces at once, the axes filled in one step each: add_*/update_* re-check the figure
        {"type": "bar", "x": x, "y": own["records"], "name": _tr("profile.series.records", card),
         "meta": {"unit": "record"}, "marker": {"color": PALETTE[0]},
         "hovertemplate": _tr("profile.hover.records", card)},
        {"type": "scatter", "x": x, "y": own["companies"], "name": _tr("profile.series.companies", card),
         "meta": {"unit": "company"}, "mode": "lines+markers", "line": {"color": PALETTE[1], "width": 3},
         "hovertemplate": _tr("profile.hover.companies", card)},
        {"type": "scatter", "x": x, "y": own["share"], "name": _tr("profile.series.share", card), "yaxis": "y2",
         "mode": "lines+markers", "line": {"color": PALETTE[2], "width": 2, "dash": "dot"},
         "hovertemplate": _tr("profile.hover.share", card)}])
    notes = _before_own(fig, df, card, first_own)
    _session_axis(fig, df, card)
    fill(fig.layout.xaxis, range=[df["session_no"].min() - 0.6, df["session_no"].max() + 0.6])
    fill(fig.layout.yaxis, title=_tr("units.count", card), rangemode="tozero")
    highest = max(1.0, float(own["share"].max() or 0) * 1.15) if not own.empty else 1.0
    step = next(s for s in (1, 2, 5, 10, 20, 25) if highest / s <= 6)  # round ticks: 0, 10, 20 …
    fill(fig.layout, yaxis2={"overlaying": "y", "side": "right", "range": [0, step * math.ceil(highest / step)],
                             "tickmode": "linear", "tick0": 0, "dtick": step, "ticksuffix": "%",
                             "showgrid": False, "title": {"text": "%", "standoff": 8}})
    return brief(fig, card, notes=notes)


def _before_own(fig: go.Figure, df: pd.DataFrame, card: Card, first_own: int | None) -> list[dict]:
    """Grey band over the sessions before the district's lists existed: no bars there is not zero activity.
    Returns its note, for brief() to add with the footer."""
    first = int(df["session_no"].min())
    if first_own is None or first_own <= first:
        return []
    fill(fig.layout, shapes=[{"type": "rect", "xref": "x", "yref": "y domain", "x0": first - 0.5,
                              "x1": first_own - 0.5, "y0": 0, "y1": 1, "fillcolor": GRID, "opacity": 0.6,
                              "line": {"width": 0}, "layer": "below"}])
    return [{"text": _tr("profile.series.before_own", card, first=first, last=first_own - 1),
             "x": (first + first_own - 1) / 2, "xref": "x", "y": 0.5, "yref": "paper", "showarrow": False,
             "font": {"size": 11, "color": MUTED}, "textangle": -90 if first_own - first < 8 else 0}]


@chart(page="district", scope="range", context="district", query="district_profile_records", per_session=True,
       texts="profile.charts.district_profile_rank")
def profile_rank(df: pd.DataFrame, card: Card) -> go.Figure:
    """The district's rank per session (1 on top), with the number of ranked districts beside each point."""
    ranked = df.dropna(subset=["rank"])
    if ranked.empty:
        return empty(card)
    fig = new_figure({"type": "scatter", "x": ranked["session_no"], "y": ranked["rank"],
                      "name": _tr("profile.series.rank", card), "mode": "lines+markers+text",
                      "line": {"color": PALETTE[0], "width": 3}, "marker": {"size": 9}, "text": _rank_labels(ranked),
                      "textposition": "top center", "textfont": {"size": 11, "color": MUTED}, "cliponaxis": False,
                      "customdata": ranked[["ranked", "records"]].to_numpy(),
                      "hovertemplate": _tr("profile.hover.rank", card)})
    _session_axis(fig, df, card)
    worst = int(max(df["ranked"].max(), ranked["rank"].max() if not ranked.empty else 1))
    fill(fig.layout.yaxis, title=_tr("units.rank", card), range=[worst + 0.7, 0.3], dtick=1)
    fill(fig.layout.xaxis, range=[df["session_no"].min() - 0.6, df["session_no"].max() + 0.6])
    fill(fig.layout, showlegend=False)
    return brief(fig, card)


def _rank_labels(ranked: pd.DataFrame) -> list[str]:
    """"rank/districts" where the rank changes and at the last session; repeated labels only clutter."""
    ranks = [int(r) for r in ranked["rank"]]
    return [f"{r}/{int(n)}" if i == len(ranks) - 1 or i == 0 or r != ranks[i - 1] else ""
            for i, (r, n) in enumerate(zip(ranks, ranked["ranked"]))]


@chart(page="district", scope="range", context="district", query="district_profile_industries",
       extra={"limit": 8}, texts="profile.charts.district_profile_industries", hints=_district)
def profile_industries(df: pd.DataFrame, card: Card, district: str) -> go.Figure:
    """The district's leading divisions: its share of records against the city's share, side by side."""
    whole = esc_all(df[f"name_{card.lang}"])
    labels = esc_all(_shorts(df[f"name_{card.lang}"], 20))
    fig = new_figure([{"type": "bar", "x": df[column], "y": labels, "orientation": "h", "name": name,
                       "meta": {"labels": whole},  # whole names for the text alternative
                       "marker": {"color": color}, "text": [f"{v:.1f}%" for v in df[column]],
                       "textposition": "outside", "cliponaxis": False, "customdata": df[counts],
                       "hovertemplate": _tr("profile.hover.industry", card, series=name)}
                      for column, counts, name, color in (
                          ("share", "records", district, PALETTE[0]),
                          ("city_share", "city_records", _tr("profile.series.city_share", card), CITY_GREY))])
    fill(fig.layout, barmode="group", bargap=0.25)
    fill(fig.layout.yaxis, autorange="reversed", title=None)
    fill(fig.layout.xaxis, title=_tr("profile.charts.district_profile_industries.unit", card), ticksuffix="%",
         range=[0, float(df[["share", "city_share"]].max().max()) * 1.18])
    _label_margin(fig, labels, card.lang)
    return brief(fig, card)


@chart(page="district", scope="range", context="district", query="repeat_innovators",
       extra={"min_sessions": 2, "limit": 100_000}, texts="profile.charts.repeat_innovators")
def profile_repeat_innovators(df: pd.DataFrame, card: Card) -> go.Figure:
    """The companies page's chart of repeat innovators, for one district's profile."""
    return repeat_innovators(df, card)


@chart(page="district", scope="session", per_session=True, query="district_standings")
def profile_districts(df: pd.DataFrame, card: Card) -> go.Figure:
    """The profile's starting view: every district's records in the session, with its share of the city and
    its rank written after the bar (districts without records keep their row, at zero)."""
    labels = esc_all(df[f"name_{card.lang}"])
    text = [f"{int(r.records)} · {r.share:.1f}% · {int(r.rank)}/{int(r.ranked)}" if pd.notna(r.rank) else "–"
            for r in df.itertuples()]
    fig = new_figure(go.Bar(x=df["records"], y=labels, orientation="h", marker_color=PALETTE[0], text=text,
                           meta={"unit": "record"},
                           textposition="outside", cliponaxis=False, customdata=df[["share", "rank", "ranked"]],
                           hovertemplate=_tr("charts.profile_districts.hover", card)))
    fill(fig.layout.yaxis, autorange="reversed", title=None)
    fill(fig.layout.xaxis, title=_tr("units.records", card), range=[0, max(1, int(df["records"].max())) * 1.3])
    _label_margin(fig, labels, card.lang)
    return brief(fig, card)


# ----- session comparison ---------------------------------------------------------------------------------

METRICS = ("records", "companies", "applicants", "awarded")
COUNTED = ("record", "company", "company", "record")  # what each of METRICS counts, for the text alternative


@chart(page="compare", scope="session", context="compare", query="session_compare",
       texts="compare.charts.session_compare")
def compare_sessions(df: pd.DataFrame, card: Card) -> go.Figure:
    """Headline counts of two sessions as grouped bars, the earlier session in grey."""
    labels = [_tr(f"compare.series.metric_{m}", card) for m in METRICS]
    traces = []
    for i, row in enumerate(df.sort_values("session_no").itertuples()):
        name = _tr("compare.series.session", card, n=row.session_no, year=row.year)
        values = [int(getattr(row, m)) for m in METRICS]
        traces.append(go.Bar(x=labels, y=values, name=name, meta={"unit": list(COUNTED)},
                             marker_color=CITY_GREY if i == 0 else PALETTE[0],
                             text=values, textposition="outside", cliponaxis=False,
                             hovertemplate=_tr("compare.series.hover", card, series=name)))
    fig = new_figure(traces)
    fill(fig.layout, barmode="group")
    fill(fig.layout.yaxis, title=_tr("units.count", card), rangemode="tozero")
    return brief(fig, card)


@chart(page="compare", scope="session", context="compare", query="session_compare_categories",
       texts="compare.charts.session_compare_categories", categories=True)
def compare_categories(df: pd.DataFrame, card: Card) -> go.Figure:
    """Records per category for the sessions that have categories (from session 21)."""
    labels = {c: _tr(f"categories.{c}", card) for c in CATEGORIES}
    traces = []
    for i, (session, part) in enumerate(df.groupby("session_no", sort=True)):
        name = _tr("compare.series.session", card, n=session, year=sessions.year(session))
        traces.append(go.Bar(x=[labels[c] for c in part["category"]], y=part["records"], name=name,
                             meta={"unit": "record"},
                             marker_color=CITY_GREY if i == 0 and df["session_no"].nunique() > 1 else PALETTE[0],
                             text=[f"{r} · {s:.1f}%" for r, s in zip(part["records"], part["share"].fillna(0))],
                             textposition="outside", cliponaxis=False, customdata=part["share"],
                             hovertemplate=_tr("compare.series.hover_category", card, series=name)))
    fig = new_figure(traces)
    fill(fig.layout, barmode="group")
    fill(fig.layout.yaxis, title=_tr("units.records", card), rangemode="tozero")
    return brief(fig, card)

