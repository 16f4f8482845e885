"""Charts of the industries page: the GB/T 4754 treemap, top divisions over time, a list's own names."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from core.charts.colours import mix, text_on
from core.charts.registry import chart
from core.charts.template import (
    MARGIN,
    MUTED,
    PALETTE,
    Card,
    bar_height,
    brief,
    esc,
    esc_all,
    fill,
    label_margin,
    legend_right,
    names,
    new_figure,
    rows_by,
    session_axis,
    shorts,
    tr,
    wrap,
)

# Okabe-Ito hues, one per division: without black (its groups' text and borders were unreadable) and without
# sky blue (the same hue as blue, only lighter: a blue division's groups looked like a sky-blue division)
HUES = [c for c in PALETTE if c not in ("#000000", "#56B4E9")]
# Every label at this size or not at all (uniformtext "hide": a label that does not fit its tile is left
# to the hover instead of shrinking to a few unreadable pixels)
LABEL_SIZE = 11
GROUP_TINT = 0.45  # groups: their division's hue this far towards white, so the division's band stands out
HEIGHT = 640  # on screen; more room per tile, so more labels fit


@chart(page="industries", scope="range")
def industry_breakdown(df: pd.DataFrame, card: Card) -> go.Figure:
    """Divisions in one hue each (largest first, so repeated hues fall on small tiles far apart), their groups
    in a lighter shade of it; labels wrapped, at one legible size, dark or white by the tile, and left to the
    hover where they would not fit."""
    lang = card.lang
    division, division_records, division_label = _divisions(df, lang)
    codes, records = df["division_code"].tolist(), df["records"].tolist()
    hue = {code: HUES[i % len(HUES)] for i, code in enumerate(division)}
    colors = [hue[code] for code in division] + [mix(hue[code], "#ffffff", GROUP_TINT) for code in codes]
    # records coded to a division only (imported lists) get a child of their own, so they are not lost
    coded = df["group_code"].notna().tolist()
    unnamed = tr("charts.industry_breakdown.division_only", card)
    groups = [g if c else unnamed for g, c in zip(df[f"group_{lang}"].tolist(), coded)]
    ids = division + [g if c else f"{d}/" for g, d, c in zip(df["group_code"].tolist(), codes, coded)]
    full = esc_all(f"{code} {label}" for code, label in zip(division, division_label)) + esc_all(groups)
    # Plotly writes a division's own label in its band (not its text), so the band's label is the short one
    # and the hover reads the full name from customdata
    labels = esc_all(shorts((f"{code} {label}" for code, label in zip(division, division_label)), 24)) + \
        [wrap(name, lang, 7 if lang == "zh" else 12) for name in groups]
    fig = new_figure(go.Treemap(ids=ids, labels=labels, customdata=full, parents=[""] * len(division) + codes,
                               meta={"unit": "record"},
                               values=division_records + records, branchvalues="total",
                               marker={"colors": colors, "line": {"color": "white", "width": 1}},
                               textfont={"size": LABEL_SIZE, "color": [text_on(c) for c in colors]},
                               texttemplate="%{label}<br>%{value}", maxdepth=2, domain={"y": [0.06, 1]},
                               hovertemplate=tr("charts.hover.treemap", card)))
    fill(fig.layout, margin={**MARGIN, "l": 10, "r": 10}, uniformtext={"minsize": LABEL_SIZE, "mode": "hide"})
    note = {"text": tr("charts.treemap_note", card), "xref": "paper", "yref": "paper", "x": 0, "y": 0,
            "xanchor": "left", "yanchor": "bottom", "showarrow": False, "align": "left",
            "font": {"size": 11, "color": MUTED}}
    return brief(fig, card, height=HEIGHT, notes=[note])


def _divisions(df: pd.DataFrame, lang: str) -> tuple[list[str], list[int], list[str]]:
    """The divisions (codes, records summed over their groups, names), most records first, ties by code; in
    plain lists: a pandas groupby and the checks plotly makes on pandas text cost more than the treemap."""
    totals: dict[str, int] = {}
    label: dict[str, str] = {}
    for code, n, name in zip(df["division_code"].tolist(), df["records"].tolist(), df[f"division_{lang}"].tolist()):
        totals[code] = totals.get(code, 0) + int(n)
        if code not in label and isinstance(name, str):
            label[code] = name
    order = sorted(sorted(totals), key=lambda code: -totals[code])
    return order, [totals[c] for c in order], [label.get(c) for c in order]


@chart(page="industries", scope="range", extra={"top": 8})
def industry_trends(df: pd.DataFrame, card: Card) -> go.Figure:
    traces = []
    rows = rows_by(df["division_code"])
    # numpy arrays and plain strings: plotly checks a pandas text column value by value
    labels, sessions, records = names(df, card.lang).tolist(), df["session_no"].to_numpy(), df["records"].to_numpy()
    legend = shorts((labels[at[0]] for at in rows.values()), 18)  # one legend entry a line, none alike
    for i, at in enumerate(rows.values()):
        label = labels[at[0]]
        traces.append({"type": "scatter", "x": sessions[at], "y": records[at], "name": esc(legend[i]),
                       "meta": {"name": esc(label), "unit": "record"},  # the whole name, for the text alternative
                       "mode": "lines+markers", "line": {"width": 2.5, "color": PALETTE[i % len(PALETTE)]},
                       "hovertemplate": tr("charts.hover.series_value", card, name=esc(label),
                                           unit=tr("units.records", card))})
    fig = new_figure(traces)  # all lines at once: add_scatter re-checks the figure for each
    session_axis(fig, df, card)
    fill(fig.layout.yaxis, title=tr("units.records", card), rangemode="tozero")
    legend_right(fig, card.lang)
    return brief(fig, card)


@chart(page="industries", scope="session")
def industries_as_published(df: pd.DataFrame, card: Card) -> go.Figure:
    labels = [_published_label(raw, zh, name, card.lang)
              for raw, zh, name in zip(df["industry_raw"], df["name_zh"], names(df, card.lang))]
    whole, labels = labels, esc_all(shorts(labels, 34))
    fig = new_figure(go.Bar(x=df["records"], y=labels, orientation="h",
                           meta={"labels": esc_all(whole), "unit": "record"},
                           marker_color=PALETTE[2], text=df["records"], textposition="outside", cliponaxis=False,
                           hovertemplate=tr("charts.hover.label_value", card, unit=tr("units.records", card))))
    # every bar named: Plotly thins a crowded category axis to every other label unless the ticks are listed,
    # and the figure grows with the list so the names do not touch on screen
    fill(fig.layout.yaxis, autorange="reversed", title=None, tickmode="array", tickvals=labels, ticktext=labels,
         tickfont={"size": 12})
    fill(fig.layout.xaxis, title=tr("units.records", card))
    label_margin(fig, labels, card.lang)
    return brief(fig, card, height=bar_height(len(labels)))


def _published_label(raw: str, name_zh: str, name: str, lang: str) -> str:
    """The list's own name, with the GB/T division beside it where the two differ (session 1's 机械 etc.)."""
    if raw == name_zh:
        return name
    return f"{raw}（{name}）" if lang == "zh" else f"{raw} ({name})"
