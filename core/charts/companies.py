"""Charts of the companies page: returning companies and the most persistent innovators."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.charts.registry import chart
from core.charts.template import (
    PALETTE,
    Card,
    brief,
    esc,
    esc_all,
    fill,
    label_margin,
    names,
    new_figure,
    shorts,
    stacked_by_session,
    tr,
)


@chart(page="companies", scope="range", per_session=True)
def returning_companies(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = new_figure([  # both at once: add_bar re-checks the figure for each
        go.Bar(x=df["session_no"], y=df["companies"] - df["returning"], name=tr("charts.series.first_time", card),
               meta={"unit": "company"}, marker_color=PALETTE[4], hovertemplate=tr("charts.hover.session_value", card,
                                                         unit=tr("units.companies", card))),
        go.Bar(x=df["session_no"], y=df["returning"], name=tr("charts.series.returning", card),
               meta={"unit": "company"}, marker_color=PALETTE[0], customdata=df["returning_share"],
               hovertemplate=tr("charts.hover.returning", card))])
    return stacked_by_session(fig, df, card, "units.companies")


@chart(page="companies", scope="range", extra={"min_sessions": 2, "limit": 200})
def repeat_innovators(df: pd.DataFrame, card: Card) -> go.Figure:
    top = df.head(15)
    labels = esc_all(shorts(names(top, card.lang), 22))
    fig = new_figure({"type": "bar", "x": top["sessions"], "y": labels, "orientation": "h",
                      "marker": {"color": PALETTE[0]},
                      # whole names for the text alternative
                      "meta": {"labels": esc_all(names(top, card.lang)), "unit": "session"},
                      "text": [esc(s) for s in top["session_list"]], "textposition": "outside", "cliponaxis": False,
                      "customdata": top[["records"]].to_numpy(), "hovertemplate": tr("charts.hover.repeat", card)})
    fill(fig.layout.yaxis, autorange="reversed", title=None)
    # room on the right for the list of sessions written after each bar
    most = int(top["sessions"].max())
    fill(fig.layout.xaxis, title=tr("units.sessions", card), tickvals=list(range(most + 1)), range=[0, most * 2.1])
    label_margin(fig, labels, card.lang)
    return brief(fig, card)
