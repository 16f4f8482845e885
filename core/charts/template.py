"""The briefing template shared by every chart, and the small helpers the page modules build with.

Every chart is a briefing chart: title, a subtitle with the filters in force, the unit, a source line, the
data version and export date, and a "demo data" marker while demo data is loaded, all inside the figure so
they survive any download.

Plotly renders a subset of HTML in every text it draws (`<a href>`, `<b>`, `<br>`), so text that comes from
the data (company, project, district and industry names) goes through `esc` before it enters a figure.
"""

from __future__ import annotations

import html
import math
import re
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from core import sessions
from core.charts import alt
from core.charts.colours import INK
from core.charts.text_lines import break_lines, lines_of, text_width, width_at_most
from core.charts.ticks import whole_ticks
from core.i18n import t

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
SEQUENTIAL = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
MUTED, GRID, DEMO = "#5f6368", "#e5e5e5", "#C0392B"
# focus charts: the districts not selected stay visible, in grey
# (their labels' grey still has WCAG AA's 4.5:1 on white: #8a8a8a had 3.45:1)
CONTEXT, CONTEXT_TEXT = "#c9c9c9", "#737373"
WIDTH, HEIGHT = 960, 540  # logical layout size; exports reach pixel size through scale
MARGIN = {"l": 70, "r": 40, "t": 96, "b": 98}  # b: the footer, and 7 px under it (printers trim edges)
FOOTER_WIDTH = WIDTH - 32  # the footer's lines start 16 px from the left edge and keep 16 px from the right
# px a further line of the subtitle (13 px text), the source (11 px) and the version line (10 px) takes
SUBTITLE_LINE, SOURCE_LINE, META_LINE = 17, 15, 13
SOURCE_TOP, META_TOP = 58, 74  # px from the plot's bottom edge down to the source and version lines
UNWRAPPED = "unwrapped"  # layout.meta's key for the texts brief() wrapped: {"subtitle"|"source"|"meta": text}

pio.templates["briefing"] = go.layout.Template(
    layout=go.Layout(
        font={"family": FONT, "size": 13, "color": INK},
        colorway=PALETTE,
        paper_bgcolor="white",
        plot_bgcolor="white",
        margin=MARGIN,
        title={"x": 0.0, "xref": "paper", "xanchor": "left", "y": 0.97, "yanchor": "top",
               "font": {"size": 20, "color": INK}},
        xaxis={"gridcolor": GRID, "linecolor": "#9e9e9e", "ticks": "outside", "tickcolor": "#9e9e9e",
               "automargin": True, "title": {"standoff": 8}},
        yaxis={"gridcolor": GRID, "zeroline": False, "automargin": True, "title": {"standoff": 8}},
        legend={"orientation": "h", "x": 0, "y": 1.0, "yanchor": "bottom", "xanchor": "left",
                "font": {"size": 12}, "bgcolor": "rgba(255,255,255,0)"},
        hoverlabel={"font": {"family": FONT}},
        coloraxis={"colorscale": SEQUENTIAL},
    )
)
# Every chart starts from new_figure(), which sets it; the default is for other figures made here (importing
# streamlit makes its own template the default, so the charts do not rely on it).
pio.templates.default = "briefing"


@dataclass(frozen=True)
class Card:
    """The texts a chart carries: everything a reader of a printed copy needs."""

    title: str
    subtitle: str
    unit: str
    source: str
    lang: str
    demo: bool
    data_version: str
    export_date: str
    permalink: str = ""


# C0/C1 control characters: the import refuses them (docs/import.md), but a database imported before that
# check may hold one, and a NUL in an SVG made every export and pack fail (kaleido error 525)
_CONTROLS = dict.fromkeys([*range(0x20), *range(0x7F, 0xA0)])


def esc(text) -> str:
    """Text from the data, made inert for Plotly: `<`, `>` and `&` become entities that Plotly shows as the
    characters themselves, so a name like `<a href=...>` is printed, not turned into a link; control
    characters are dropped."""
    return html.escape(str(text).translate(_CONTROLS), quote=False)


def esc_all(texts: Iterable) -> list[str]:
    return [esc(x) for x in texts]


def visible_length(text: str) -> int:
    """Characters a reader sees: markup removed, entities counted once."""
    return len(html.unescape(re.sub(r"<[^>]*>", "", str(text))))


def tr(key: str, card: Card, **values) -> str:
    return t(key, card.lang, **values)


def brief(fig: go.Figure, card: Card, height: int = HEIGHT, notes: list[dict] = ()) -> go.Figure:
    """Apply the template and put title, subtitle, unit, source, version and demo marker in the figure;
    `notes`: the builder's own annotations (as dicts), added in the same step as the footer (see annotate)."""
    fill(fig.layout, height=height)
    unwrapped: dict[str, str] = {}  # texts wrapped for the design width, as they were before
    above = _heading(fig, card, unwrapped)
    notes = [*notes, *_footer(fig, card, unwrapped)]
    _room_for_bar_text(fig)
    whole_ticks(fig)
    if card.demo:
        notes.append({"text": f"<b>{tr('charts.demo_marker', card)}</b>", "name": "demo", "xref": "paper",
                      "yref": "paper", "x": 1, "y": 1, "xanchor": "right", "yanchor": "bottom",
                      "yshift": 52 + above, "showarrow": False, "font": {"size": 12, "color": "white"},
                      "bgcolor": DEMO, "borderpad": 4})
    annotate(fig, notes)
    # the text alternative, from the numbers the figure now holds (core/charts/alt.py); the phone layout wraps
    # the unwrapped texts for its own width (a line broken for 960 px left a lone "data ·" on a phone)
    fill(fig.layout, meta=alt.stored(fig, card) | ({UNWRAPPED: unwrapped} if unwrapped else {}))
    return fig


def wrapped(text: str, size: int, name: str, unwrapped: dict[str, str]) -> str:
    """`text` broken into lines that fit the design width; the text as it was goes into `unwrapped[name]`
    when it needed more than one line."""
    if width_at_most(text, size) <= FOOTER_WIDTH:  # most texts: break_lines would walk them for nothing
        return text
    lines = break_lines(text, size, FOOTER_WIDTH)
    if lines != text:
        unwrapped[name] = text
    return lines


def _heading(fig: go.Figure, card: Card, unwrapped: dict[str, str]) -> int:
    """Title and subtitle; a subtitle too long for one line (six districts chosen) wraps, and the plot moves
    down by the px the further lines take, which it returns."""
    # the subtitle names districts and industries from the data
    subtitle = esc(card.subtitle) + (f"  ·  {tr('charts.unit', card, unit=card.unit)}" if card.unit else "")
    subtitle = wrapped(subtitle, 13, "subtitle", unwrapped)
    fill(fig.layout, title={"text": f"<b>{card.title}</b>", "xref": "container", "x": 16 / WIDTH,
                            "subtitle": {"text": subtitle, "font": {"size": 13, "color": MUTED}}})
    above = (lines_of(subtitle) - 1) * SUBTITLE_LINE
    if above:
        fill(fig.layout, margin={"t": (fig.layout.margin.t or MARGIN["t"]) + above})
    return above


def _footer(fig: go.Figure, card: Card, unwrapped: dict[str, str]) -> list[dict]:
    """The source and version lines under the plot, wrapped to the figure's width (a derived figure's note
    or a long permalink takes a second line); the bottom margin grows by what the further lines take."""
    left = fig.layout.margin.l if fig.layout.margin.l is not None else MARGIN["l"]
    source = wrapped(tr("charts.source_line", card, source=card.source), 11, "source", unwrapped)
    meta = tr("charts.version_line", card, version=card.data_version, date=card.export_date)
    if card.permalink:  # needs no escape: urlencoded, and a bare `&name=` is not an entity to Plotly
        meta += f"  ·  {card.permalink}"
    meta = wrapped(meta, 10, "meta", unwrapped)
    below = (lines_of(source) - 1) * SOURCE_LINE
    if below or lines_of(meta) > 1:
        fill(fig.layout, margin={"b": (fig.layout.margin.b or MARGIN["b"]) + below + (lines_of(meta) - 1) * META_LINE})
    # named, so the phone layout (charts/phone.py) can find and move them
    return [_footer_line(source, "source", size=11, yshift=-SOURCE_TOP, left=left),
            _footer_line(meta, "meta", size=10, yshift=-META_TOP - below, left=left)]


def _room_for_bar_text(fig: go.Figure) -> None:
    """Horizontal bars with text after them ("54 · 33.1%"): Plotly's autorange leaves no room for the text,
    which then ran past the figure's right edge when it was wider than the right margin. The value axis is
    widened so the longest bar's text ends inside the figure; a builder that set the range keeps it."""
    bars = [t for t in fig.data if t.type == "bar" and t.orientation == "h" and t.textposition == "outside"
            and t.text is not None and t.x is not None and len(t.x)]
    if not bars or fig.layout.xaxis.range is not None:
        return
    margin = fig.layout.margin
    right = margin.r if margin.r is not None else MARGIN["r"]
    plot = WIDTH - (margin.l if margin.l is not None else MARGIN["l"]) - right
    size = max((t.textfont.size or 13) for t in bars)
    texts = [v for t in bars for v in ([t.text] if isinstance(t.text, str) else t.text)]
    room = max(text_width(str(v), size) for v in texts) + 8 - right  # what the right margin cannot hold
    longest = max(max(t.x) for t in bars)
    if room <= 0 or longest <= 0 or min(min(t.x) for t in bars) < 0 or room >= plot / 2:
        return
    fill(fig.layout.xaxis, range=[0, max(longest * 1.05, longest * plot / (plot - room))])


def annotate(fig: go.Figure, notes: list[dict]) -> go.Figure:
    """Add annotations in one step. Plotly re-checks every annotation already in a figure whenever one is
    added (30 by add_annotation: 76 ms; 30 in one step on a figure without any: 2.5 ms), so builders pass
    theirs to brief() rather than adding them first."""
    if fig.layout.annotations:  # a builder added its own: append (re-setting the whole list costs ~10x more)
        fig.layout.annotations += tuple(go.layout.Annotation(note) for note in notes)
    else:
        fig.layout.annotations = notes
    return fig


def fill(obj, **props) -> None:
    """`obj.update(**props)` on a figure's layout or one axis, several times faster. Plotly's update reads every
    key as a path and merges it into what is there (brief's title and notes: 5.8 ms a chart, on every filter
    change); a property not set yet is assigned instead, which gives the same figure, and None for a property
    not set is nothing to do (update() would leave an empty object, which Plotly draws as nothing: ~1 ms an
    axis). Properties already set and path keys such as `title_text` go through update() as before; a numbered
    axis (`yaxis2`) is a property of the layout too."""
    # Private plotly attributes (plotly pinned in requirements.txt): the public ways to ask whether a property is
    # set, obj[key] (builds an empty object for a compound property) and to_plotly_json() (copies everything),
    # cost what this function saves. tests/test_charts.py checks the result draws as update()'s.
    current = obj._props or {}
    merge = {}
    for key, value in props.items():
        if current.get(key) is not None or not _own_property(obj, key):
            merge[key] = value
        elif value is not None:
            obj[key] = value
    if merge:
        obj.update(merge)


def _own_property(obj, key: str) -> bool:
    """A property of `obj` by that name: one of its own, or a numbered axis of a layout (`yaxis2`)."""
    if key in obj._valid_props:
        return True
    numbered = getattr(obj, "_subplot_re_match", None)  # layouts only
    return numbered is not None and bool(numbered(key))


def _footer_line(text: str, name: str, size: int, yshift: int, left: float) -> dict:
    return {"text": text, "name": name, "xref": "paper", "yref": "paper", "x": 0, "y": 0, "xanchor": "left",
            "yanchor": "top", "xshift": 16 - left, "yshift": yshift, "showarrow": False,
            "font": {"size": size, "color": MUTED}, "align": "left"}


class BuildingFigure(go.Figure):
    """A go.Figure that does not look for change callbacks (`on_change`) as a builder sets its properties.

    Plotly walks the layout or the traces for registered callbacks after every property set, so that a
    FigureWidget can follow; nothing in this project registers one, and the walk was ~17 % of a chart's build
    (trends' four charts: 6.1 -> 5.1 ms). No public API turns it off: these are the two hooks Plotly calls
    (plotly pinned in requirements.txt; tests/test_unchecked_figures.py checks every chart is the figure
    plain, checked go.Figure gives, and that the hooks are still Plotly's)."""

    def _dispatch_layout_change_callbacks(self, relayout_data):
        pass

    def _dispatch_trace_change_callbacks(self, restyle_data, trace_indexes):
        pass


def new_figure(data=None) -> go.Figure:
    """A figure whose properties Plotly does not check as they are set. The checks were a third of a chart's
    build (~12 ms of a four-chart page's filter change) and find nothing in our own builders; no public API
    turns them off, so this uses `_validate`, the constructor flag plotly.io's templates use too.
    tests/test_unchecked_figures.py builds every chart both ways and compares the JSON: a property Plotly would
    refuse or convert fails there."""
    fig = BuildingFigure(data, _validate=False)
    # the object, not the default's name: Streamlit makes its own template the default when imported, and
    # unchecked, a name would reach the browser as a bare string
    fig.layout.template = pio.templates["briefing"]
    return fig


def empty(card: Card, text: str | None = None) -> go.Figure:
    """A figure that says in a sentence that nothing matches (or `text`, why not), instead of empty axes."""
    fig = new_figure()
    fill(fig.layout.xaxis, visible=False)
    fill(fig.layout.yaxis, visible=False)
    return brief(fig, card, notes=[{"text": esc(text) if text else tr("charts.empty", card), "x": 0.5, "y": 0.5,
                                    "xref": "paper", "yref": "paper", "showarrow": False,
                                    "font": {"size": 16, "color": MUTED}}])


def names(df: pd.DataFrame, lang: str, stem: str = "name") -> pd.Series:
    """The raw names in the reader's language (Chinese where no translation); escape before drawing.
    The queries already fall back to Chinese for company names; a blank or missing one is caught here too."""
    column = f"{stem}_{lang}" if f"{stem}_{lang}" in df else f"{stem}_zh"
    given = df[column]
    if column == f"{stem}_zh":
        return given
    blank = given.isna() | (given.astype(str).str.strip() == "")
    return given.where(~blank, df[f"{stem}_zh"]) if blank.any() else given


def rows_by(column: pd.Series) -> dict:
    """The row positions of each value of `column`, values in the order they first appear: one trace per
    value, cut from numpy arrays (plotly checks a pandas column value by value)."""
    rows: dict = {}
    for i, value in enumerate(column.tolist()):
        rows.setdefault(value, []).append(i)
    return rows


def short(text: str, limit: int) -> str:
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def shorts(texts, limit: int) -> list[str]:
    """short(text, limit) for each text, cut later where two would read the same, and numbered ("… (2)") where
    two whole texts are equal. Category labels must differ: Plotly draws bars with equal labels as one (three
    demo companies cut to "(Demo) Shenzhen Sheng…" made one bar of their sessions added up)."""
    texts = ["" if t is None else str(t) for t in texts]
    limits = [limit] * len(texts)
    while True:
        labels = [short(text, n) for text, n in zip(texts, limits)]
        seen: dict[str, list[int]] = {}
        for i, label in enumerate(labels):
            seen.setdefault(label, []).append(i)
        longer = [i for same in seen.values() if len(same) > 1 for i in same if len(texts[i]) > limits[i]]
        if not longer:
            break
        for i in longer:
            limits[i] += 1
    counts: dict[str, int] = {}
    out = []
    for label in labels:
        counts[label] = counts.get(label, 0) + 1
        out.append(label if counts[label] == 1 else f"{label} ({counts[label]})")
    return out


def wrap(text: str, lang: str, width: int | None = None) -> str:
    """Escaped text broken into lines of about `width` characters (words kept whole in English), so a label
    fits a narrow tile at a legible size instead of shrinking."""
    text = str(text)
    if lang == "zh":  # lines of even length: 8 characters as 4 + 4, not 7 + a lone 造
        count = max(1, math.ceil(len(text) / (width or 7)))
        step = math.ceil(len(text) / count)
        lines = [text[i:i + step] for i in range(0, len(text), step)]
    else:
        lines = textwrap.wrap(text, width or 16, break_long_words=False) or [text]
    return "<br>".join(esc(line) for line in lines)


def bar_height(bars: int, per_bar: int = 22) -> int:
    """A horizontal bar chart tall enough for one readable row per bar (never below the standard height)."""
    return max(HEIGHT, MARGIN["t"] + MARGIN["b"] + 40 + bars * per_bar)


def label_margin(fig: go.Figure, labels, lang: str) -> None:
    """Room for the longest category label on the left; measured text is unreliable in headless export."""
    longest = max((visible_length(x) for x in labels), default=0)
    per_char = 14 if lang == "zh" else 7.5
    fill(fig.layout, margin={**MARGIN, "l": int(min(320, 24 + longest * per_char))})


def legend_right(fig: go.Figure, lang: str) -> None:
    """Many series: a legend column on the right, so it never runs into the subtitle."""
    longest = max((visible_length(trace.name or "") for trace in fig.data), default=0)
    per_char = 13 if lang == "zh" else 7
    fill(fig.layout, legend={"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top", "xanchor": "left"},
         margin={**MARGIN, "r": int(min(300, 50 + longest * per_char))})


def stacked_by_session(fig: go.Figure, df: pd.DataFrame, card: Card, unit_key: str,
                       notes: list[dict] = ()) -> go.Figure:
    fill(fig.layout, barmode="stack")
    session_axis(fig, df, card)
    fill(fig.layout.yaxis, title=tr(unit_key, card))
    return brief(fig, card, notes=notes)


def known(df: pd.DataFrame, column: str) -> tuple[pd.Series, pd.Series]:
    """(session_no, column) of the rows where `column` is known. `DataFrame.dropna` takes every column of
    the frame (~0.3 ms a call, a tenth of a trends chart's build); two masked columns take 0.08 ms."""
    present = df[column].notna().to_numpy()
    return df["session_no"][present], df[column][present]


def session_axis(fig: go.Figure, df: pd.DataFrame, card: Card) -> None:
    ticks = sorted(int(s) for s in df["session_no"].unique())  # plain ints: plotly checks numpy ones slowly
    step = 1 if len(ticks) <= 12 else 2
    fill(fig.layout.xaxis, tickmode="array", tickvals=ticks[::step],
         ticktext=[tr("charts.session_tick", card, n=s, year=sessions.year(s)) for s in ticks[::step]], title=None)
