"""Charts of the districts page: ranking for a session, rank over time, district x session heatmap, map."""

from __future__ import annotations

import functools
import json
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go

from core.charts.registry import chart
from core.charts.template import (
    MUTED,
    PALETTE,
    SEQUENTIAL,
    Card,
    brief,
    esc,
    esc_all,
    label_margin,
    legend_right,
    names,
    session_axis,
    tr,
)
from core.i18n import fmt_int

GEOJSON = Path(__file__).resolve().parents[2] / "data" / "geo" / "shenzhen_districts.geojson"


@chart(page="districts", scope="session")
def district_ranking(df: pd.DataFrame, card: Card) -> go.Figure:
    labels = esc_all(names(df, card.lang))
    fig = go.Figure(go.Bar(x=df["records"], y=labels, orientation="h", marker_color=PALETTE[0],
                           text=df["records"], textposition="outside", cliponaxis=False,
                           customdata=df[["companies", "applicants"]],
                           hovertemplate=tr("charts.hover.district", card)))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=tr("units.records", card))
    label_margin(fig, labels, card.lang)
    return brief(fig, card)


@chart(page="districts", scope="range")
def district_rank_history(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    for i, (_code, part) in enumerate(df.groupby("district_code", sort=True)):
        label = esc(names(part, card.lang).iloc[0])
        fig.add_scatter(x=part["session_no"], y=part["rank"], name=label, mode="lines+markers",
                        line={"width": 3, "color": PALETTE[i % len(PALETTE)],
                              "dash": "solid" if i < len(PALETTE) else "dot"},
                        customdata=part["records"], hovertemplate=tr("charts.hover.rank", card, name=label))
    session_axis(fig, df, card)
    fig.update_yaxes(autorange="reversed", title=tr("units.rank", card), dtick=1)
    legend_right(fig, card.lang)
    return brief(fig, card)


@chart(page="districts", scope="range")
def district_heatmap(df: pd.DataFrame, card: Card) -> go.Figure:
    matrix = df.pivot_table(index="district_code", columns="session_no", values="records", aggfunc="sum")
    order = matrix.sum(axis=1).sort_values(ascending=False).index
    matrix = matrix.loc[order]
    lookup = df.drop_duplicates("district_code").set_index("district_code")
    labels = [esc(names(lookup.loc[[c]], card.lang).iloc[0]) for c in matrix.index]
    fig = go.Figure(go.Heatmap(z=matrix.values, x=[int(c) for c in matrix.columns], y=labels,
                               colorscale=SEQUENTIAL, colorbar={"title": {"text": tr("units.records", card)}},
                               hovertemplate=tr("charts.hover.heatmap", card), xgap=1, ygap=1))
    session_axis(fig, df, card)
    fig.update_yaxes(autorange="reversed", title=None)
    return brief(fig, card)


@functools.lru_cache(maxsize=1)
def _geojson() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


@chart(page="districts", scope="range")
def district_map(df: pd.DataFrame, card: Card) -> go.Figure:
    """Choropleth on the vendored boundaries, drawn without map tiles (no internet needed)."""
    geo = df[df["kind"] == "district"]
    fig = go.Figure(go.Choroplethmap(
        geojson=_geojson(), locations=geo["district_code"], featureidkey="properties.district_code",
        z=geo["records"], zmin=0, zmax=max(1, int(geo["records"].max())), colorscale=SEQUENTIAL,
        marker={"line": {"color": "white", "width": 1}},
        text=esc_all(names(geo, card.lang)), customdata=geo["companies_summed"],
        colorbar={"title": {"text": tr("units.records", card)}},
        hovertemplate=tr("charts.hover.map", card)))
    fig.update_layout(map={"style": "white-bg", "center": {"lat": 22.63, "lon": 114.11}, "zoom": 8.6})
    others = df[df["kind"] != "district"]
    if not others.empty:
        note = "；".join(f"{esc(n)}: {fmt_int(r, card.lang)}"
                        for n, r in zip(names(others, card.lang), others["records"]))
        fig.add_annotation(text=tr("charts.map_note", card, values=note), xref="paper", yref="paper", x=0, y=0,
                           xanchor="left", yanchor="bottom", showarrow=False, align="left",
                           font={"size": 11, "color": MUTED}, bgcolor="rgba(255,255,255,0.85)")
    return brief(fig, card)
