"""The phone layout: a briefing chart laid out again for a screen about 360 px wide.

Every chart is built once at its design size (template.WIDTH x HEIGHT) and exports render exactly that. On a
phone Streamlit stretches the same figure to ~360 px, where a 960 px layout does not fit: titles run under
Plotly's toolbar, footers are cut, legends grow over the subtitle and year ticks collide. `phone(fig)` takes a
built figure and returns a copy for the screen only (downloads keep the original):

    toolbar strip │ title, wrapped │ subtitle, wrapped │ y axis title │ plot │ x axis, thinned ticks
    │ legend or colour bar │ notes from the bottom of the plot │ demo badge │ source and version lines

Everything is placed in pixels from a fixed height, with Plotly's automatic margins off: text measured by the
browser would move the footers after they were placed. Text is wrapped for PHONE_WIDTH (a 360 px screen minus
the page padding), so it also fits wider phones.
"""

from __future__ import annotations

import base64
import copy
import math
import re

import numpy as np
import plotly.graph_objects as go

from core.charts import phone_focus
from core.charts.template import MUTED, UNWRAPPED
from core.charts.text_lines import break_lines, lines_of, text_width

PHONE_WIDTH = 328  # px of chart on a 360 px screen (Streamlit pads the page by 16 px a side)
PAD = 8  # px kept free at the left and right edges
TOOLBAR = 36  # px kept free at the top for Plotly's toolbar
TITLE, SUBTITLE, TICK = 16, 12, 11  # font sizes, px
BADGE_HEIGHT = 26  # px the demo badge takes in the footer
LINE = 1.3  # line height / font size
MAP_LABEL = 9  # px, district names on the map
LABEL_LINES = 2  # lines a category label may take beside its bar
PLOT = 280  # default plot height, px
FOOTERS = ("source", "meta")  # names brief() gives the footer annotations
BADGE = "demo"  # name of the demo marker annotation
LEGEND_TYPES = {"bar", "scatter"}
SCALE_TYPES = {"heatmap", "choropleth"}

def phone(fig: go.Figure) -> dict:
    """The phone layout of a briefing figure, as a figure dict (see the module docstring); `fig` is not
    changed. Works on the plain dict: Plotly's checked objects made this ten times slower."""
    # a copy: a cached figure (ui.widgets.SharedFigure) hands out the dict it shows, not a copy of it
    spec = copy.deepcopy(fig.to_dict())
    layout = spec["layout"]
    traces = spec["data"] = phone_focus.focus(layout, spec.get("data", []))
    footers, badge = _footer_parts(layout, traces)
    footer = (BADGE_HEIGHT if badge else 0) + sum(_height(a) for a in footers) + 6
    left, right = _side_margins(layout, traces)
    plot_width = PHONE_WIDTH - left - right
    top = _heading(layout) + _axis_titles(layout, left, right)
    _bar_texts(layout, traces, plot_width)
    axis = _x_axis(layout, traces, plot_width)
    legend = _legend(layout, traces, plot_width)
    scale = _colour_bars(traces)
    bottom = axis + legend + scale + footer
    height = math.ceil(top + _plot_height(layout, traces) + bottom)

    _place_heading(layout, height)
    layout.update(height=height, margin={"t": math.ceil(top), "b": math.ceil(bottom), "l": left, "r": right,
                                         "autoexpand": False})
    layout.setdefault("legend", {})["y"] = (footer + legend) / height
    for t in traces:
        if t["type"] in SCALE_TYPES and t.get("showscale") is not False:
            t.setdefault("colorbar", {})["y"] = (footer + legend + scale) / height
    _place_footer(footers, badge, bottom - footer, left)
    _wrap_notes(layout, footers, badge, plot_width)
    _fit_map(layout, traces)
    return spec


def _heading(layout: dict) -> float:
    """Title and subtitle wrapped; the height from the top of the figure to the plot."""
    title = layout.setdefault("title", {})
    title["text"] = break_lines(title.get("text", ""), TITLE, PHONE_WIDTH - 2 * PAD)
    subtitle = title.setdefault("subtitle", {})
    text = _unwrapped(layout).get("subtitle", subtitle.get("text", ""))
    subtitle["text"] = break_lines(text, SUBTITLE, PHONE_WIDTH - 2 * PAD)
    subtitle["font"] = {**subtitle.get("font", {}), "size": SUBTITLE}
    return (TOOLBAR + (lines_of(title["text"]) + 0.2) * TITLE * LINE
            + (lines_of(subtitle["text"]) * SUBTITLE * LINE + 6 if subtitle["text"] else 0) + 14)


def _place_heading(layout: dict, height: int) -> None:
    """The title's top just under the toolbar strip. Plotly lifts a title of several lines by its cap height
    (0.7 em) when it is anchored at the top: that is put back."""
    title = layout["title"]
    drop = TOOLBAR + (0.7 * TITLE if lines_of(title["text"]) > 1 else 0)
    title.update(font={"size": TITLE}, xref="container", x=PAD / PHONE_WIDTH, yref="container",
                 y=1 - drop / height, yanchor="top")


def _footer_parts(layout: dict, traces: list[dict]) -> tuple[list[dict], dict | None]:
    """The lines that go under the plot, wrapped: the builder's notes written on the plot (below), then
    source and version; and the demo badge."""
    notes = layout.get("annotations", [])
    # A note written over the plot goes under it: on a slide it sits in a corner the data leaves free, on a
    # phone the same corner is a third as wide and the note lay over the lines and bars (the trends page's
    # "titles recorded from session 15" and "Hatched bars: …"; the map's chosen districts' ranks over the
    # northern districts' names). An empty chart's sentence stays in its middle.
    below = [a for a in notes if _over_plot(a)] if traces else []
    footers = below + [a for a in notes if a.get("name") in FOOTERS]
    unwrapped = _unwrapped(layout)
    for a in footers:
        text = unwrapped.get(a["name"], a["text"]) if a.get("name") in FOOTERS else a["text"]
        a["text"] = break_lines(text, _size(a), PHONE_WIDTH - 2 * PAD)
        a.pop("bgcolor", None)
    return footers, next((a for a in notes if a.get("name") == BADGE), None)


def _unwrapped(layout: dict) -> dict:
    """The texts brief() broke into lines for the design width, as they were: wrapped again for a phone, the
    design's breaks would stay and leave short lines ("data ·" alone)."""
    meta = layout.get("meta")
    return meta.get(UNWRAPPED, {}) if isinstance(meta, dict) else {}


def _wrap_notes(layout: dict, footers: list[dict], badge: dict | None, plot_width: float) -> None:
    """A note left on the plot (an empty chart's sentence: the others go under it) wraps to its width."""
    for note in layout.get("annotations", []):
        moved = note is badge or any(note is a for a in footers)
        if not moved and note.get("xref", "x") == "paper" and note.get("text"):
            note["text"] = break_lines(note["text"], _size(note), plot_width - 4)
    _wrap_band_notes(layout, plot_width)


def _wrap_band_notes(layout: dict, plot_width: float) -> None:
    """A level note at a data x over a shaded band (the district profile's sessions before the district's own
    lists) wraps to the band's width: a third as wide as on a slide, the line ran past the band and out of the
    chart ("Sessions 1–10: counted under another district"). A turned note runs up the plot's height, which a
    phone keeps."""
    low, high = layout.get("xaxis", {}).get("range") or (None, None)
    if low is None or high == low:
        return
    bands = [s for s in layout.get("shapes", []) if s.get("type") == "rect" and s.get("xref") == "x"]
    for note in layout.get("annotations", []):
        level = not note.get("textangle") and isinstance(note.get("x"), (int, float))  # not a category name
        if note.get("xref") != "x" or not level or not note.get("text"):
            continue
        band = next((s for s in bands if min(s["x0"], s["x1"]) <= note["x"] <= max(s["x0"], s["x1"])), None)
        if band:
            width = abs(band["x1"] - band["x0"]) / (high - low) * plot_width
            note["text"] = break_lines(note["text"], _size(note), width - 8)


def _fit_map(layout: dict, traces: list[dict]) -> None:
    """The map fills its plot (its note, which kept a strip below it, is in the footer now); district names
    at a size that fits shapes a third as wide as on a slide, with a halo in the contrasting colour: a name
    wider than its small shape crosses a border, and a chosen district's dark 2 px border hid its letters
    ("Pingshan" read "ingshan")."""
    if "geo" in layout:
        layout["geo"]["domain"] = {"x": [0, 1], "y": [0, 1]}
    for t in traces:
        if t["type"] == "scattergeo" and t.get("mode") == "text":
            t["textfont"] = {**t.get("textfont", {}), "size": MAP_LABEL, "shadow": "auto"}


def _map_height(layout: dict) -> float:
    """A map as tall as the city is at the width a phone gives it. Plotly fits the geo subplot's longitude and
    latitude ranges into the plot keeping their shape, so the whole city shows at any width; on a wider
    phone it is only centred with some white beside it."""
    geo = layout.get("geo", {})
    lon, lat = geo.get("lonaxis", {}).get("range"), geo.get("lataxis", {}).get("range")
    if not (lon and lat):
        return PLOT
    tall = (_mercator(lat[1]) - _mercator(lat[0])) / math.radians(lon[1] - lon[0])
    return (PHONE_WIDTH - 2 * PAD) * tall + 10


def _mercator(lat: float) -> float:
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _array(value) -> list:
    """A trace array as a list: to_dict() writes numeric arrays as base64 typed arrays."""
    if isinstance(value, dict) and "bdata" in value:
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=value["dtype"]).tolist()
    return [] if value is None else list(value)


def _shown(value) -> str:
    """A bar's text as Plotly.js writes it: a whole number without ".0" (counts come as floats from a typed
    array or a column with gaps; str() wrote the phone's ranking as 67.0, 42.0, … where the page shows 67)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _size(annotation: dict) -> float:
    return annotation.get("font", {}).get("size") or 13  # the template's font size


def _height(annotation: dict) -> float:
    return lines_of(annotation["text"]) * _size(annotation) * LINE + 2


def _cartesian(traces: list[dict]) -> bool:
    return any(t["type"] in ("bar", "scatter", "heatmap") for t in traces)


def _categories(layout: dict, traces: list[dict], axis: str) -> tuple[list, list[str]]:
    """(values, labels) of a category axis: its tick values and texts, or the trace values; ([], []) for a
    numeric axis."""
    ax = layout.get(f"{axis}axis", {})
    if ax.get("ticktext") and ax.get("tickvals") and all(isinstance(v, str) for v in ax["tickvals"]):
        return list(ax["tickvals"]), [str(x) for x in ax["ticktext"]]
    values = list(dict.fromkeys(v for t in traces if t["type"] in ("bar", "heatmap")
                                for v in _array(t.get(axis)) if isinstance(v, str)))
    return values, values


def _side_margins(layout: dict, traces: list[dict]) -> tuple[int, int]:
    """Left: the y tick labels (category names wrapped where too long) and the axis title.
    Right: text written outside bars or at line ends, a second y axis."""
    if not _cartesian(traces):
        return PAD, PAD
    y = layout.setdefault("yaxis", {})
    values, labels = _categories(layout, traces, "y")
    if labels:
        cap = 0.4 * PHONE_WIDTH
        wrapped = [_first_lines(break_lines(x, TICK, cap - 12), LABEL_LINES) for x in labels]
        left = min(cap, max(text_width(x, TICK) for x in wrapped) + 12)
        y.update(tickmode="array", tickvals=values, ticktext=wrapped)
    else:
        left = 40
    y.update(automargin=False, tickfont={"size": TICK})
    right = PAD
    x_range = layout.get("xaxis", {}).get("range")
    for t in traces:  # the builder left no room in the axis range for text after the longest bar
        if _outside_text(t) and not x_range:
            right = max(right, min(0.3 * PHONE_WIDTH, max(text_width(_shown(x), 12) for x in _array(t["text"])) + 10))
    ends = [a for a in layout.get("annotations", []) if a.get("xref", "x") == "x" and a.get("xanchor") == "left"]
    if ends:  # labels at the ends of lines
        for a in ends:
            a["font"] = {**a.get("font", {}), "size": TICK}
        right = max(right, min(0.35 * PHONE_WIDTH, max(text_width(a["text"], TICK) for a in ends) + 14))
        xs = [float(x) for t in traces for x in _array(t.get("x", []))]
        if xs and not x_range:  # the margin holds the labels: Plotly's autorange would widen the axis for them too
            layout.setdefault("xaxis", {})["range"] = [min(xs) - 0.5, max(xs) + 0.5]
    if "yaxis2" in layout:
        right = max(right, 40)
        layout["yaxis2"].update(automargin=False, tickfont={"size": TICK})
    return math.ceil(left), math.ceil(right)


def _axis_titles(layout: dict, left: int, right: int) -> float:
    """Y axis titles written level above their axis instead of turned up beside it: that saves the width of a
    line on a narrow screen (and Plotly misplaced turned titles once automatic margins were off). The height
    they take above the plot."""
    moved = 0
    for name, x, shift in (("yaxis", 0, PAD - left), ("yaxis2", 1, right - PAD)):
        title = layout.get(name, {}).get("title", {})
        if title.get("text"):
            layout.setdefault("annotations", []).append(
                {"text": title["text"], "name": "axis", "xref": "paper", "yref": "paper", "x": x, "y": 1,
                 "xanchor": "left" if x == 0 else "right", "yanchor": "bottom", "xshift": shift, "yshift": 6,
                 "showarrow": False, "font": {"size": TICK, "color": MUTED}})
            layout[name]["title"] = {"text": ""}
            moved = TICK * LINE + 8
    return moved


def _first_lines(text: str, count: int) -> str:
    """The first `count` lines of wrapped text, "…" where more was cut (the hover keeps the whole name)."""
    lines = re.split(r"<br\s*/?>", text, flags=re.I)
    if len(lines) <= count:
        return text
    last = re.sub(r"((?:</[^>]+>)*)$", r"…\1", lines[count - 1], count=1)
    return "<br>".join([*lines[: count - 1], last])


def _outside_text(trace: dict) -> bool:
    return (trace["type"] == "bar" and trace.get("orientation") == "h" and trace.get("text") is not None
            and trace.get("textposition") == "outside")


def _bar_texts(layout: dict, traces: list[dict], plot_width: float) -> None:
    """Text after bars, where the builder kept room for it in the axis range: the range widened so the text
    fits after the longest bar, long text wrapped to at most 45 % of the plot."""
    x = layout.get("xaxis", {})
    bars = [t for t in traces if _outside_text(t)]
    if not x.get("range") or not bars:
        return
    room = min(0.45 * plot_width, max(text_width(_shown(v), 12) for t in bars for v in _array(t["text"])))
    for t in bars:
        t["text"] = [break_lines(_shown(v), 12, room) for v in _array(t["text"])]
        t["textfont"] = {**t.get("textfont", {}), "size": 12}
    longest = max(max(_array(t["x"])) for t in bars)
    x["range"] = [x["range"][0], max(x["range"][1], longest / (1 - (room + 10) / plot_width))]


def _x_axis(layout: dict, traces: list[dict], plot_width: float) -> float:
    """Thin and wrap the x tick labels so neighbours never touch; the height the axis takes below the plot."""
    if not _cartesian(traces):
        return 0
    x = layout.setdefault("xaxis", {})
    values, labels = _categories(layout, traces, "x")
    if labels:  # category names (vertical bars): wrapped to their share of the width
        labels = [break_lines(t, TICK, plot_width / len(labels) - 6, split_words=False) for t in labels]
        x.update(tickmode="array", tickvals=values, ticktext=labels)
    elif x.get("tickvals") is not None:  # sessions or counts: every k-th, the last kept
        values = list(_array(x["tickvals"]))
        labels = [str(t) for t in (x.get("ticktext") or values)]
        every = max(1, math.ceil(len(values) * (max(text_width(t, TICK) for t in labels) + 10) / plot_width))
        keep = sorted(range(len(values) - 1, -1, -every))
        labels = [labels[i] for i in keep]
        x.update(tickvals=[values[i] for i in keep], ticktext=labels)
    else:  # plain numbers
        x["nticks"] = max(2, int(plot_width // 50))
        labels = ["0"]
    x.update(automargin=False, tickangle=0, tickfont={"size": TICK})
    titled = bool(x.get("title", {}).get("text"))
    return max(lines_of(t) for t in labels) * TICK * LINE + 10 + (13 * LINE + 8 if titled else 0) + 6


def _legend(layout: dict, traces: list[dict], plot_width: float) -> float:
    """A legend below the plot, in two columns where the names fit; the height it takes."""
    items = [t.get("name") or "" for t in traces if t["type"] in LEGEND_TYPES and t.get("showlegend") is not False]
    shown = layout.get("showlegend")
    if not (shown or (shown is None and len(items) > 1)):
        return 0
    column = plot_width / 2 - 4  # Plotly wraps a level legend at the width of the plot
    two = max(text_width(x, 12) for x in items) + 44 <= column
    legend = {"orientation": "h" if two else "v", "xref": "container", "x": PAD / PHONE_WIDTH, "xanchor": "left",
              "yref": "container", "yanchor": "top", "font": {"size": 12}, "tracegroupgap": 0}
    if two:
        legend.update(entrywidth=column - 40, entrywidthmode="pixels")
    layout["legend"] = {**layout.get("legend", {}), **legend}
    return (math.ceil(len(items) / 2) if two else len(items)) * 20 + 8


def _colour_bars(traces: list[dict]) -> float:
    """A colour scale as a bar below the plot; the height it takes."""
    bars = [t for t in traces if t["type"] in SCALE_TYPES and t.get("showscale") is not False]
    for t in bars:
        bar = t.setdefault("colorbar", {})
        bar.update(orientation="h", thickness=10, len=0.8, lenmode="fraction", xref="container", x=0.5,
                   xanchor="center", yref="container", yanchor="top", tickfont={"size": TICK})
        bar["title"] = {"text": ""}  # the unit is in the subtitle; a title would sit on the bar
    return 40 if bars else 0


def _over_plot(note: dict) -> bool:
    """A note of the builder's placed on the plot area (paper coordinates between 0 and 1 both ways)."""
    inside = all(note.get(ref) == "paper" and 0 <= (note.get(axis) or 0) <= 1
                 for ref, axis in (("xref", "x"), ("yref", "y")))
    return inside and note.get("name") not in (*FOOTERS, BADGE)


def _place_footer(footers: list[dict], badge: dict | None, below_plot: float, left: int) -> None:
    """Notes, demo badge, then source and version lines, from `below_plot` px under the plot down, at the left
    edge."""
    notes = [a for a in footers if a.get("name") not in FOOTERS]
    for annotation in notes:
        annotation.update(x=0, y=0, xanchor="left", yanchor="top", xshift=PAD - left, yshift=-below_plot,
                          align="left")
        below_plot += _height(annotation)
    footers = [a for a in footers if a.get("name") in FOOTERS]
    if badge:
        badge.update(x=0, y=0, xref="paper", yref="paper", xanchor="left", yanchor="top", xshift=PAD - left,
                     yshift=-below_plot - 2)
        below_plot += BADGE_HEIGHT
    for annotation in footers:
        annotation.update(x=0, y=0, xanchor="left", yanchor="top", xshift=PAD - left, yshift=-below_plot,
                          align="left")
        below_plot += _height(annotation)


def _plot_height(layout: dict, traces: list[dict]) -> float:
    types = {t["type"] for t in traces}
    if "choropleth" in types:
        return _map_height(layout)
    if "treemap" in types:
        return 360
    values, labels = _categories(layout, traces, "y")
    if values:  # a band per category, tall enough for its bars, its label and the text after its bar
        bars = sum(t["type"] == "bar" for t in traces) if layout.get("barmode") == "group" else 1
        text_lines = max((lines_of(x) for t in traces if _outside_text(t) for x in _array(t["text"])), default=1)
        label_lines = max(lines_of(x) for x in labels)
        return max(200, len(values) * max(14 * bars + 10, text_lines * 14 + 8, label_lines * TICK * LINE + 6))
    return PLOT
