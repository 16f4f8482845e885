"""Ticks of a chart's value axes that Plotly's own choice gets wrong for the figures here: called by
core/charts/template.brief on every chart."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go


def whole_ticks(fig: go.Figure) -> None:
    """A count axis up to 4 ticks in steps of 1: Plotly's own steps read "0.2 家", "0.4 项" on a small district's
    charts. Only where every value drawn on the axis is a whole number and the builder chose no ticks. Read from
    the figure's plain dicts (plotly's _data and _layout, as core/charts/alt.py does): through the trace objects
    this cost up to 1.3 ms a chart on every filter change."""
    layout = fig._layout or {}
    for name, along in (("xaxis", "x"), ("yaxis", "y")):
        axis = layout.get(name) or {}
        if any(axis.get(k) is not None for k in ("dtick", "tickvals")) or axis.get("ticksuffix") == "%" \
                or axis.get("type") == "category":
            continue
        values = [_counted(trace, along) for trace in fig._data if trace.get("type", "scatter") in ("bar", "scatter")]
        values = [v for v in values if v is not None]
        if not values or not all(v.size and np.all(v == np.round(v)) and np.all(v >= 0) for v in values):
            continue
        top = sum(v.max() for v in values) if layout.get("barmode") == "stack" else max(v.max() for v in values)
        if 0 < top <= 4:
            fig.layout[name].update(dtick=1, tick0=0)  # rare: small counts only


def _counted(trace: dict, along: str):
    """The numbers a trace draws along the value axis `along` ("x" for horizontal bars, "y" otherwise), or None:
    a trace drawn the other way, or holding text."""
    horizontal = trace.get("type") == "bar" and trace.get("orientation") == "h"
    # a trace on a second axis (a share on y2 beside counts) is not on this one
    if (along == "x") != horizontal or trace.get(along) is None or trace.get(f"{along}axis", along) != along:
        return None
    try:
        return np.asarray(trace[along], dtype=float)
    except (TypeError, ValueError):
        return None
