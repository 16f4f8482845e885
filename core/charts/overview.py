"""Charts of the overview page: the applicants' titles in one session."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.charts.registry import chart
from core.charts.template import PALETTE, Card, brief, empty, fill, label_margin, new_figure, tr


@chart(page="overview", scope="session", applicants=True, per_session=True)
def qualification_mix(df: pd.DataFrame, card: Card) -> go.Figure:
    if not df["titles_recorded"].any():  # a session before titles were recorded: not "100 % none"
        return empty(card, tr("chart_gaps.titles_not_recorded", card))
    labels = [tr(f"qualifications.{q}" if isinstance(q, str) else "qualifications.none", card)
              for q in df["qualification"]]
    colors = [PALETTE[i] for i in range(len(df) - 1)] + ["#d0d0d0"] if df["qualification"].isna().any() \
        else PALETTE[: len(df)]
    fig = new_figure({"type": "bar", "x": df["companies"], "y": labels, "orientation": "h",
                      "marker": {"color": colors},
                      # companies without any of the titles are no title: the description states them apart
                      "meta": {"unit": "company", "apart": [tr("qualifications.none", card)]},
                      "text": [f"{c} · {s:.1f}%" for c, s in zip(df["companies"], df["share"])],
                      "textposition": "outside", "cliponaxis": False,
                      "hovertemplate": tr("charts.hover.label_value", card, unit=tr("units.companies", card))})
    fill(fig.layout.yaxis, autorange="reversed")
    fill(fig.layout.xaxis, title=tr("units.companies", card))
    label_margin(fig, labels, card.lang)
    return brief(fig, card)
