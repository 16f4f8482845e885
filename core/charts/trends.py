"""Charts of the trends page: growth, applicant strength, categories and awards over sessions."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.charts.colours import INK
from core.charts.registry import chart
from core.charts.template import (
    PALETTE,
    Card,
    brief,
    fill,
    known,
    new_figure,
    session_axis,
    stacked_by_session,
    tr,
)


@chart(page="trends", scope="range", per_session=True)
def records_per_session(df: pd.DataFrame, card: Card) -> go.Figure:
    traces = [
        {"type": "bar", "x": df["session_no"], "y": df["records"], "name": tr("charts.series.records", card),
         "marker": {"color": PALETTE[0]}, "meta": {"unit": "record"},
         "hovertemplate": tr("charts.hover.session_value", card, unit=tr("units.records", card))},
        {"type": "scatter", "x": df["session_no"], "y": df["companies"], "name": tr("charts.series.companies", card),
         "meta": {"unit": "company"}, "mode": "lines+markers", "line": {"color": PALETTE[1], "width": 3},
         "hovertemplate": tr("charts.hover.session_value", card, unit=tr("units.companies", card))},
    ]
    sessions, published = known(df, "published_records")
    if len(published):
        traces.append({"type": "scatter", "x": sessions, "y": published,
                       "mode": "markers", "name": tr("charts.series.published", card), "meta": {"unit": "record"},
                       "marker": {"symbol": "diamond-open", "size": 14, "color": INK, "line": {"width": 2}},
                       "hovertemplate": tr("charts.hover.published", card, unit=tr("units.records", card))})
    fig = new_figure(traces)  # all traces at once: add_bar/add_scatter re-check the figure each time (~3x slower)
    session_axis(fig, df, card)
    fill(fig.layout.yaxis, title=tr("units.count", card), rangemode="tozero")
    return brief(fig, card)


@chart(page="trends", scope="range", per_session=True)
def applicant_strength(df: pd.DataFrame, card: Card) -> go.Figure:
    series = [("high_tech_share", "published_high_tech_share", "charts.series.high_tech", PALETTE[0]),
              ("qualified_share", "published_qualified_share", "charts.series.qualified", PALETTE[2])]
    traces = []
    for column, published_column, key, color in series:
        traces.append({"type": "scatter", "x": df["session_no"], "y": df[column], "name": tr(key, card),
                       "mode": "lines+markers", "line": {"color": color, "width": 3}, "connectgaps": False,
                       "hovertemplate": tr("charts.hover.session_pct", card)})
        sessions, published = known(df, published_column)
        if len(published):
            traces.append({"type": "scatter", "x": sessions, "y": published,
                           "mode": "markers", "name": tr("charts.series.published", card),
                           "showlegend": column == "high_tech_share",
                           "marker": {"symbol": "diamond-open", "size": 14, "color": INK, "line": {"width": 2}},
                           "hovertemplate": tr("charts.hover.published_pct", card)})
    fig = new_figure(traces)
    session_axis(fig, df, card)
    fill(fig.layout.yaxis, title=tr("units.percent_of_applicants", card), range=[0, 100], ticksuffix="%")
    note = titles_note(df, card)
    return brief(fig, card, notes=[note] if note else [])


def titles_note(df: pd.DataFrame, card: Card) -> dict | None:
    """Sessions with applicants but no titles recorded draw a gap, never 0 %; this note says why."""
    unrecorded = df["qualified_share"].isna() & (df["applicants"] > 0)
    if not unrecorded.any():
        return None
    recorded = df.loc[df["qualified_share"].notna(), "session_no"]
    text = (tr("chart_gaps.titles_from", card, first=int(recorded.min())) if not recorded.empty
            else tr("chart_gaps.titles_none", card))
    return {"text": text, "xref": "paper", "yref": "paper", "x": 0.01, "y": 0.99, "xanchor": "left",
            "yanchor": "top", "showarrow": False, "bgcolor": "rgba(255,255,255,0.8)"}


@chart(page="trends", scope="range", per_session=True, categories=True)
def category_split(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = new_figure([{"type": "bar", "x": part["session_no"], "y": part["records"],
                      "name": tr(f"categories.{category}", card), "marker": {"color": PALETTE[i]},
                      "meta": {"unit": "record"},
                      "text": part["records"], "textposition": "inside", "customdata": part["share"],
                      "hovertemplate": tr("charts.hover.category", card)}
                     for i, (category, part) in enumerate(df.groupby("category", sort=False))])
    return stacked_by_session(fig, df, card, "units.records")


@chart(page="trends", scope="range", per_session=True)
def awards_per_session(df: pd.DataFrame, card: Card) -> go.Figure:
    traces = []
    for level, color in zip(["national", "provincial", "municipal"], [PALETTE[3], PALETTE[4], PALETTE[1]]):
        part = df[df["award_level"] == level]
        traces.append({"type": "bar", "x": part["session_no"], "y": part["records"],
                       "name": tr(f"awards.{level}", card), "meta": {"unit": "record"},  # hatched: demo counts
                       "marker": {"color": color, "pattern": {"shape": ["" if p else "/" for p in part["published"]]}},
                       "hovertemplate": tr("charts.hover.session_value", card, unit=tr("units.records", card))})
    fig = new_figure(traces)
    published = sorted(df.loc[df["published"].astype(bool), "session_no"].unique())
    note = (tr("facts.awards_demo_note", card, published=", ".join(str(s) for s in published)) if published
            else tr("facts.awards_all_demo", card))
    return stacked_by_session(fig, df, card, "units.records", notes=[
        {"text": note, "xref": "paper", "yref": "paper", "x": 0.01, "y": 0.99, "xanchor": "left", "yanchor": "top",
         "showarrow": False, "bgcolor": "rgba(255,255,255,0.8)"}])
