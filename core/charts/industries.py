"""Charts of the industries page: the GB/T 4754 treemap, top divisions over time, a list's own names."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.charts.registry import chart
from core.charts.template import (
    MARGIN,
    PALETTE,
    Card,
    brief,
    esc,
    esc_all,
    label_margin,
    legend_right,
    names,
    session_axis,
    short,
    tr,
)


@chart(page="industries", scope="range")
def industry_breakdown(df: pd.DataFrame, card: Card) -> go.Figure:
    lang = card.lang
    divisions = df.groupby("division_code").agg(records=("records", "sum"), label=(f"division_{lang}", "first"))
    # records coded to a division only (imported lists) get a child of their own, so they are not lost
    coded = df["group_code"].notna()
    ids = list(divisions.index) + [g if c else f"{d}/" for g, d, c in zip(df["group_code"], df["division_code"], coded)]
    labels = esc_all(f"{code} {label}" for code, label in zip(divisions.index, divisions["label"])) + \
        esc_all(g if c else tr("charts.industry_breakdown.division_only", card)
                for g, c in zip(df[f"group_{lang}"], coded))
    parents = [""] * len(divisions) + list(df["division_code"])
    values = list(divisions["records"]) + list(df["records"])
    fig = go.Figure(go.Treemap(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                               marker={"colors": [PALETTE[i % len(PALETTE)] for i in range(len(divisions))]
                                       + [None] * len(df)},
                               texttemplate="%{label}<br>%{value}", maxdepth=2,
                               hovertemplate=tr("charts.hover.treemap", card)))
    fig.update_layout(margin={**MARGIN, "l": 10, "r": 10})
    return brief(fig, card)


@chart(page="industries", scope="range", extra={"top": 8})
def industry_trends(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    for i, (_code, part) in enumerate(df.groupby("division_code", sort=False)):
        label = names(part, card.lang).iloc[0]
        fig.add_scatter(x=part["session_no"], y=part["records"], name=esc(short(label, 18)), mode="lines+markers",
                        line={"width": 2.5, "color": PALETTE[i % len(PALETTE)]},
                        hovertemplate=tr("charts.hover.series_value", card, name=esc(label),
                                         unit=tr("units.records", card)))
    session_axis(fig, df, card)
    fig.update_yaxes(title=tr("units.records", card), rangemode="tozero")
    legend_right(fig, card.lang)
    return brief(fig, card)


@chart(page="industries", scope="session")
def industries_as_published(df: pd.DataFrame, card: Card) -> go.Figure:
    labels = [_published_label(raw, zh, name, card.lang)
              for raw, zh, name in zip(df["industry_raw"], df["name_zh"], names(df, card.lang))]
    labels = esc_all(short(x, 34) for x in labels)
    fig = go.Figure(go.Bar(x=df["records"], y=labels, orientation="h",
                           marker_color=PALETTE[2], text=df["records"], textposition="outside", cliponaxis=False,
                           hovertemplate=tr("charts.hover.label_value", card, unit=tr("units.records", card))))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=tr("units.records", card))
    label_margin(fig, labels, card.lang)
    return brief(fig, card)


def _published_label(raw: str, name_zh: str, name: str, lang: str) -> str:
    """The list's own name, with the GB/T division beside it where the two differ (session 1's 机械 etc.)."""
    if raw == name_zh:
        return name
    return f"{raw}（{name}）" if lang == "zh" else f"{raw} ({name})"
