"""Figure builders and the "briefing" template.

Every chart is a briefing chart: title, a subtitle with the filters in force, the unit, a source line, the
data version and export date, and a "demo data" marker while demo data is loaded, all inside the figure so
they survive any download. Each builder is named like its chart and its query (queries/<name>.sql) and
takes the query result plus a `Card` that carries those texts.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from core.i18n import fmt_int, t

FONT = "Noto Sans CJK SC, Noto Sans SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif"
# Okabe-Ito: distinguishable with the common colour-vision deficiencies, and in greyscale print.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#56B4E9", "#CC79A7", "#F0E442", "#000000"]
SEQUENTIAL = ["#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b"]
INK, MUTED, GRID, DEMO = "#1a1a1a", "#5f6368", "#e5e5e5", "#C0392B"
WIDTH, HEIGHT = 960, 540  # logical layout size; exports reach pixel size through scale
MARGIN = {"l": 70, "r": 40, "t": 96, "b": 92}
GEOJSON = Path(__file__).resolve().parent.parent / "data" / "geo" / "shenzhen_districts.geojson"

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


def _tr(key: str, card: Card, **values) -> str:
    return t(key, card.lang, **values)


def brief(fig: go.Figure, card: Card, height: int = HEIGHT) -> go.Figure:
    """Apply the template and put title, subtitle, unit, source, version and demo marker in the figure."""
    subtitle = card.subtitle + (f"  ·  {_tr('charts.unit', card, unit=card.unit)}" if card.unit else "")
    left = fig.layout.margin.l if fig.layout.margin.l is not None else MARGIN["l"]
    fig.update_layout(
        template="briefing",
        height=height,
        title={"text": f"<b>{card.title}</b>", "xref": "container", "x": 16 / WIDTH,
               "subtitle": {"text": subtitle, "font": {"size": 13, "color": MUTED}}},
    )
    footer = _tr("charts.source_line", card, source=card.source)
    meta = _tr("charts.version_line", card, version=card.data_version, date=card.export_date)
    if card.permalink:
        meta += f"  ·  {card.permalink}"
    _footer_line(fig, footer, size=11, yshift=-MARGIN["b"] + 34, left=left)
    _footer_line(fig, meta, size=10, yshift=-MARGIN["b"] + 18, left=left)
    if card.demo:
        fig.add_annotation(text=f"<b>{_tr('charts.demo_marker', card)}</b>", xref="paper", yref="paper",
                           x=1, y=1, xanchor="right", yanchor="bottom", yshift=52, showarrow=False,
                           font={"size": 12, "color": "white"}, bgcolor=DEMO, borderpad=4)
    return fig


def _footer_line(fig: go.Figure, text: str, size: int, yshift: int, left: float) -> None:
    fig.add_annotation(text=text, xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
                       xshift=16 - left, yshift=yshift, showarrow=False, font={"size": size, "color": MUTED},
                       align="left")


def empty(card: Card) -> go.Figure:
    """A figure that says in a sentence that nothing matches, instead of an empty pair of axes."""
    fig = go.Figure()
    fig.add_annotation(text=_tr("charts.empty", card), x=0.5, y=0.5, xref="paper", yref="paper",
                       showarrow=False, font={"size": 16, "color": MUTED})
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False)
    return brief(fig, card)


def _names(df: pd.DataFrame, lang: str, stem: str = "name") -> pd.Series:
    column = f"{stem}_{lang}" if f"{stem}_{lang}" in df else f"{stem}_zh"
    return df[column]


def _label_margin(fig: go.Figure, labels, lang: str) -> None:
    """Room for the longest category label on the left; measured text is unreliable in headless export."""
    longest = max((len(str(x)) for x in labels), default=0)
    per_char = 14 if lang == "zh" else 7.5
    fig.update_layout(margin={**MARGIN, "l": int(min(320, 24 + longest * per_char))})


def _legend_right(fig: go.Figure, lang: str) -> None:
    """Many series: a legend column on the right, so it never runs into the subtitle."""
    names = [trace.name or "" for trace in fig.data]
    longest = max((len(n) for n in names), default=0)
    per_char = 13 if lang == "zh" else 7
    fig.update_layout(legend={"orientation": "v", "x": 1.01, "y": 1, "yanchor": "top", "xanchor": "left"},
                      margin={**MARGIN, "r": int(min(300, 50 + longest * per_char))})


def _stacked_by_session(fig: go.Figure, df: pd.DataFrame, card: Card, unit_key: str) -> go.Figure:
    fig.update_layout(barmode="stack")
    _session_axis(fig, df, card)
    fig.update_yaxes(title=_tr(unit_key, card))
    return brief(fig, card)


def _session_axis(fig: go.Figure, df: pd.DataFrame, card: Card) -> None:
    ticks = sorted(df["session_no"].unique())
    step = 1 if len(ticks) <= 12 else 2
    fig.update_xaxes(tickmode="array", tickvals=ticks[::step],
                     ticktext=[_tr("charts.session_tick", card, n=s, year=2001 + s) for s in ticks[::step]],
                     title=None)


# ----- trends ---------------------------------------------------------------------------------------------

def records_per_session(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(x=df["session_no"], y=df["records"], name=_tr("charts.series.records", card),
                marker_color=PALETTE[0],
                hovertemplate=_tr("charts.hover.session_value", card, unit=_tr("units.records", card)))
    fig.add_scatter(x=df["session_no"], y=df["companies"], name=_tr("charts.series.companies", card),
                    mode="lines+markers", line={"color": PALETTE[1], "width": 3},
                    hovertemplate=_tr("charts.hover.session_value", card, unit=_tr("units.companies", card)))
    published = df.dropna(subset=["published_records"])
    if not published.empty:
        fig.add_scatter(x=published["session_no"], y=published["published_records"], mode="markers",
                        name=_tr("charts.series.published", card),
                        marker={"symbol": "diamond-open", "size": 14, "color": INK, "line": {"width": 2}},
                        hovertemplate=_tr("charts.hover.published", card, unit=_tr("units.records", card)))
    _session_axis(fig, df, card)
    fig.update_yaxes(title=_tr("units.count", card), rangemode="tozero")
    return brief(fig, card)


def applicant_strength(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    series = [("high_tech_share", "published_high_tech_share", "charts.series.high_tech", PALETTE[0]),
              ("qualified_share", "published_qualified_share", "charts.series.qualified", PALETTE[2])]
    for column, published_column, key, color in series:
        fig.add_scatter(x=df["session_no"], y=df[column], name=_tr(key, card), mode="lines+markers",
                        line={"color": color, "width": 3}, connectgaps=False,
                        hovertemplate=_tr("charts.hover.session_pct", card))
        published = df.dropna(subset=[published_column])
        if not published.empty:
            fig.add_scatter(x=published["session_no"], y=published[published_column], mode="markers",
                            name=_tr("charts.series.published", card), showlegend=column == "high_tech_share",
                            marker={"symbol": "diamond-open", "size": 14, "color": INK, "line": {"width": 2}},
                            hovertemplate=_tr("charts.hover.published_pct", card))
    _session_axis(fig, df, card)
    fig.update_yaxes(title=_tr("units.percent_of_applicants", card), range=[0, 100], ticksuffix="%")
    return brief(fig, card)


def category_split(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    for i, (category, part) in enumerate(df.groupby("category", sort=False)):
        fig.add_bar(x=part["session_no"], y=part["records"], name=_tr(f"categories.{category}", card),
                    marker_color=PALETTE[i], text=part["records"], textposition="inside",
                    customdata=part["share"],
                    hovertemplate=_tr("charts.hover.category", card))
    return _stacked_by_session(fig, df, card, "units.records")


def returning_companies(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    fig.add_bar(x=df["session_no"], y=df["companies"] - df["returning"], name=_tr("charts.series.first_time", card),
                marker_color=PALETTE[4], hovertemplate=_tr("charts.hover.session_value", card,
                                                           unit=_tr("units.companies", card)))
    fig.add_bar(x=df["session_no"], y=df["returning"], name=_tr("charts.series.returning", card),
                marker_color=PALETTE[0], customdata=df["returning_share"],
                hovertemplate=_tr("charts.hover.returning", card))
    return _stacked_by_session(fig, df, card, "units.companies")


def awards_per_session(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    for level, color in zip(["national", "provincial", "municipal"], [PALETTE[3], PALETTE[1], PALETTE[4]]):
        part = df[df["award_level"] == level]
        fig.add_bar(x=part["session_no"], y=part["records"], name=_tr(f"awards.{level}", card), marker_color=color,
                    marker_pattern_shape=["" if p else "/" for p in part["published"]],  # hatched = demo counts
                    hovertemplate=_tr("charts.hover.session_value", card, unit=_tr("units.records", card)))
    published = sorted(df.loc[df["published"].astype(bool), "session_no"].unique())
    note = (_tr("facts.awards_demo_note", card, published=", ".join(str(s) for s in published)) if published
            else _tr("facts.awards_all_demo", card))
    fig.add_annotation(text=note, xref="paper", yref="paper", x=0.01, y=0.99, xanchor="left", yanchor="top",
                       showarrow=False, bgcolor="rgba(255,255,255,0.8)")
    return _stacked_by_session(fig, df, card, "units.records")


def qualification_mix(df: pd.DataFrame, card: Card) -> go.Figure:
    labels = [_tr(f"qualifications.{q}" if isinstance(q, str) else "qualifications.none", card)
              for q in df["qualification"]]
    colors = [PALETTE[i] for i in range(len(df) - 1)] + ["#d0d0d0"] if df["qualification"].isna().any() \
        else PALETTE[: len(df)]
    fig = go.Figure(go.Bar(x=df["companies"], y=labels, orientation="h", marker_color=colors,
                           text=[f"{c} · {s:.1f}%" for c, s in zip(df["companies"], df["share"])],
                           textposition="outside", cliponaxis=False,
                           hovertemplate=_tr("charts.hover.label_value", card, unit=_tr("units.companies", card))))
    fig.update_yaxes(autorange="reversed")
    fig.update_xaxes(title=_tr("units.companies", card))
    _label_margin(fig, labels, card.lang)
    return brief(fig, card)


# ----- districts ------------------------------------------------------------------------------------------

def district_ranking(df: pd.DataFrame, card: Card) -> go.Figure:
    names = _names(df, card.lang)
    fig = go.Figure(go.Bar(x=df["records"], y=names, orientation="h", marker_color=PALETTE[0],
                           text=df["records"], textposition="outside", cliponaxis=False,
                           customdata=df[["companies", "applicants"]],
                           hovertemplate=_tr("charts.hover.district", card)))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=_tr("units.records", card))
    _label_margin(fig, names, card.lang)
    return brief(fig, card)


def district_rank_history(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    for i, (_code, part) in enumerate(df.groupby("district_code", sort=True)):
        label = _names(part, card.lang).iloc[0]
        fig.add_scatter(x=part["session_no"], y=part["rank"], name=label, mode="lines+markers",
                        line={"width": 3, "color": PALETTE[i % len(PALETTE)],
                              "dash": "solid" if i < len(PALETTE) else "dot"},
                        customdata=part["records"], hovertemplate=_tr("charts.hover.rank", card, name=label))
    _session_axis(fig, df, card)
    fig.update_yaxes(autorange="reversed", title=_tr("units.rank", card), dtick=1)
    _legend_right(fig, card.lang)
    return brief(fig, card)


def district_heatmap(df: pd.DataFrame, card: Card) -> go.Figure:
    matrix = df.pivot_table(index="district_code", columns="session_no", values="records", aggfunc="sum")
    order = matrix.sum(axis=1).sort_values(ascending=False).index
    matrix = matrix.loc[order]
    lookup = df.drop_duplicates("district_code").set_index("district_code")
    names = [_names(lookup.loc[[c]], card.lang).iloc[0] for c in matrix.index]
    fig = go.Figure(go.Heatmap(z=matrix.values, x=[int(c) for c in matrix.columns], y=names,
                               colorscale=SEQUENTIAL, colorbar={"title": {"text": _tr("units.records", card)}},
                               hovertemplate=_tr("charts.hover.heatmap", card), xgap=1, ygap=1))
    _session_axis(fig, df, card)
    fig.update_yaxes(autorange="reversed", title=None)
    return brief(fig, card)


@functools.lru_cache(maxsize=1)
def _geojson() -> dict:
    return json.loads(GEOJSON.read_text(encoding="utf-8"))


def district_map(df: pd.DataFrame, card: Card) -> go.Figure:
    """Choropleth on the vendored boundaries, drawn without map tiles (no internet needed)."""
    geo = df[df["kind"] == "district"]
    fig = go.Figure(go.Choroplethmap(
        geojson=_geojson(), locations=geo["district_code"], featureidkey="properties.district_code",
        z=geo["records"], zmin=0, zmax=max(1, int(geo["records"].max())), colorscale=SEQUENTIAL,
        marker={"line": {"color": "white", "width": 1}},
        text=_names(geo, card.lang), customdata=geo["companies_summed"],
        colorbar={"title": {"text": _tr("units.records", card)}},
        hovertemplate=_tr("charts.hover.map", card)))
    fig.update_layout(map={"style": "white-bg", "center": {"lat": 22.63, "lon": 114.11}, "zoom": 8.6})
    others = df[df["kind"] != "district"]
    if not others.empty:
        note = "；".join(f"{n}: {fmt_int(r, card.lang)}" for n, r in zip(_names(others, card.lang), others["records"]))
        fig.add_annotation(text=_tr("charts.map_note", card, values=note), xref="paper", yref="paper", x=0, y=0,
                           xanchor="left", yanchor="bottom", showarrow=False, align="left",
                           font={"size": 11, "color": MUTED}, bgcolor="rgba(255,255,255,0.85)")
    return brief(fig, card)


# ----- industries -----------------------------------------------------------------------------------------

def industry_breakdown(df: pd.DataFrame, card: Card) -> go.Figure:
    lang = card.lang
    divisions = df.groupby("division_code").agg(records=("records", "sum"), label=(f"division_{lang}", "first"))
    ids = list(divisions.index) + list(df["group_code"])
    labels = [f"{code} {label}" for code, label in zip(divisions.index, divisions["label"])] + \
        list(df[f"group_{lang}"])
    parents = [""] * len(divisions) + list(df["division_code"])
    values = list(divisions["records"]) + list(df["records"])
    fig = go.Figure(go.Treemap(ids=ids, labels=labels, parents=parents, values=values, branchvalues="total",
                               marker={"colors": [PALETTE[i % len(PALETTE)] for i in range(len(divisions))]
                                       + [None] * len(df)},
                               texttemplate="%{label}<br>%{value}", maxdepth=2,
                               hovertemplate=_tr("charts.hover.treemap", card)))
    fig.update_layout(margin={**MARGIN, "l": 10, "r": 10})
    return brief(fig, card)


def industry_trends(df: pd.DataFrame, card: Card) -> go.Figure:
    fig = go.Figure()
    for i, (_code, part) in enumerate(df.groupby("division_code", sort=False)):
        label = _names(part, card.lang).iloc[0]
        fig.add_scatter(x=part["session_no"], y=part["records"], name=_short(label, 18), mode="lines+markers",
                        line={"width": 2.5, "color": PALETTE[i % len(PALETTE)]},
                        hovertemplate=_tr("charts.hover.series_value", card, name=label,
                                          unit=_tr("units.records", card)))
    _session_axis(fig, df, card)
    fig.update_yaxes(title=_tr("units.records", card), rangemode="tozero")
    _legend_right(fig, card.lang)
    return brief(fig, card)


def industries_as_published(df: pd.DataFrame, card: Card) -> go.Figure:
    labels = [_published_label(raw, zh, name, card.lang)
              for raw, zh, name in zip(df["industry_raw"], df["name_zh"], _names(df, card.lang))]
    labels = [_short(x, 34) for x in labels]
    fig = go.Figure(go.Bar(x=df["records"], y=labels, orientation="h",
                           marker_color=PALETTE[2], text=df["records"], textposition="outside", cliponaxis=False,
                           hovertemplate=_tr("charts.hover.label_value", card, unit=_tr("units.records", card))))
    fig.update_yaxes(autorange="reversed", title=None)
    fig.update_xaxes(title=_tr("units.records", card))
    _label_margin(fig, labels, card.lang)
    return brief(fig, card)


def _published_label(raw: str, name_zh: str, name: str, lang: str) -> str:
    """The list's own name, with the GB/T division beside it where the two differ (session 1's 机械 etc.)."""
    if raw == name_zh:
        return name
    return f"{raw}（{name}）" if lang == "zh" else f"{raw} ({name})"


# ----- companies ------------------------------------------------------------------------------------------

def repeat_innovators(df: pd.DataFrame, card: Card) -> go.Figure:
    top = df.head(15)
    names = [_short(n, 22) for n in _names(top, card.lang)]
    fig = go.Figure(go.Bar(x=top["sessions"], y=names, orientation="h", marker_color=PALETTE[0],
                           text=top["session_list"], textposition="outside", cliponaxis=False,
                           customdata=top[["records"]],
                           hovertemplate=_tr("charts.hover.repeat", card)))
    fig.update_yaxes(autorange="reversed", title=None)
    # room on the right for the list of sessions written after each bar
    most = int(top["sessions"].max())
    fig.update_xaxes(title=_tr("units.sessions", card), tickvals=list(range(most + 1)), range=[0, most * 2.1])
    _label_margin(fig, names, card.lang)
    return brief(fig, card)


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
