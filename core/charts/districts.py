"""Charts of the districts page: ranking for a session, rank over time, district x session heatmap, map.

All four are focus charts: they show every district, and a district selection emphasises the selected ones
(colour, bold, their rank written out) while the others stay visible in grey, so a district's place in the
city is never lost. Their queries flag rows with `selected` instead of filtering.
"""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go

from core.charts import phone_focus
from core.charts.colours import INK, as_text, scale_color, text_on
from core.charts.registry import chart
from core.charts.template import (
    CONTEXT,
    CONTEXT_TEXT,
    MARGIN,
    MUTED,
    PALETTE,
    SEQUENTIAL,
    Card,
    brief,
    esc,
    esc_all,
    fill,
    label_margin,
    names,
    new_figure,
    rows_by,
    session_axis,
    tr,
    visible_length,
)
from core.geo import bounds, label_points, load_districts
from core.i18n import fmt_int, join_names, ordinal


@chart(page="districts", scope="session", focus=True, per_session=True)
def district_ranking(df: pd.DataFrame, card: Card) -> go.Figure:
    labels = esc_all(names(df, card.lang))
    focus = focused(df)
    colors = [PALETTE[0] if selected or not focus else CONTEXT for selected in df["selected"]]
    fig = new_figure(go.Bar(x=df["records"], y=labels, orientation="h", marker_color=colors, meta={"unit": "record"},
                           text=df["records"], textposition="outside", cliponaxis=False,
                           customdata=df[["companies", "applicants"]],
                           hovertemplate=tr("charts.hover.district", card)))
    ticks = district_ticks(labels, df, card) if focus else labels
    fill(fig.layout.yaxis, autorange="reversed", title=None, tickmode="array", tickvals=labels, ticktext=ticks)
    fill(fig.layout.xaxis, title=tr("units.records", card))
    label_margin(fig, ticks, card.lang)
    return brief(fig, card)


@chart(page="districts", scope="range", focus=True, per_session=True)
def district_rank_history(df: pd.DataFrame, card: Card) -> go.Figure:
    """A bump chart with each line labelled at its end (no legend to match colours against)."""
    traces = []
    focus = focused(df)
    ends: dict[tuple, list[str]] = {}  # (session, rank) -> labels: tied lines share one label, not overprint
    phone_ends: dict[tuple, list[str]] = {}  # the same for the lines a phone keeps
    shade = 0
    for line in _lines(df, card.lang):  # grey context lines first, so the selected ones are drawn on top
        label, selected = line["label"], line["selected"]
        context = focus and not selected
        # a phone keeps the chosen districts, or the top five of the range's last session (11 lines tangle)
        on_phone = selected if focus else int(line["ranks"][-1]) <= phone_focus.TOP
        color = CONTEXT if context else PALETTE[shade % len(PALETTE)]
        dash = "solid" if context or shade < len(PALETTE) else "dot"
        shade += not context
        traces.append({"type": "scatter", "x": line["sessions"], "y": line["ranks"], "name": label,
                       "mode": "lines+markers", "showlegend": False,
                       "line": {"width": 1.5 if context else 3, "color": color, "dash": dash},
                       "marker": {"size": 4 if context else 7}, "customdata": line["records"],
                       "hovertemplate": tr("charts.hover.rank", card, name=label),
                       **({} if on_phone else {"meta": phone_focus.EXTRA})})
        session, rank = int(line["sessions"][-1]), int(line["ranks"][-1])
        text = rank_label(label, rank, line["ranked"], card) if selected else label
        text = f"<b>{text}</b>" if selected else text
        span = f'<span style="color:{MUTED if context else as_text(color)}">{text}</span>'
        ends.setdefault((session, rank), []).append(span)
        if on_phone:
            phone_ends.setdefault((session, rank), []).append(span)
    fig = new_figure(traces)  # all lines at once: add_scatter re-checks the figure for each (~3x slower)
    phone_labels = _end_labels(fig, phone_ends, card.lang) if phone_ends != ends else []
    labels = _end_labels(fig, ends, card.lang)  # last: its right margin is the design figure's
    if phone_labels:  # the phone's own end labels, hidden in the design figure (downloads)
        # tied lines' names one under the other on a phone: side by side they ran past a 330 px chart
        labels = [{**a, "name": phone_focus.DESIGN_ONLY} for a in labels] + [
            {**a, "name": phone_focus.PHONE_ONLY, "visible": False,
             "text": re.sub(r"</span>(, |、)<span", "</span><br><span", a["text"])}
            for a in phone_labels]
    session_axis(fig, df, card)
    fill(fig.layout.yaxis, autorange="reversed", title=tr("units.rank", card), dtick=1)
    return brief(fig, card, notes=labels)


def _lines(df: pd.DataFrame, lang: str) -> list[dict]:
    """One line per district, in the frame's row order, as numpy arrays and plain values (plotly checks a
    pandas text column value by value: most of the chart's build time), unselected districts first."""
    rows = rows_by(df["district_code"])
    labels, chosen = names(df, lang).tolist(), df["selected"].tolist()
    sessions, ranks = df["session_no"].to_numpy(), df["rank"].to_numpy()
    records, ranked = df["records"].to_numpy(), df["districts_ranked"].to_numpy()
    lines = [{"label": esc(labels[at[0]]), "selected": bool(chosen[at[0]]), "sessions": sessions[at],
              "ranks": ranks[at], "records": records[at], "ranked": int(ranked[at[-1]])}
             for _code, at in sorted(rows.items())]
    return sorted(lines, key=lambda line: line["selected"])


def _end_labels(fig: go.Figure, ends: dict[tuple, list[str]], lang: str) -> list[dict]:
    """One label per line end, right of it (returned for brief to add); a right margin wide enough for the
    longest."""
    per_char = 13 if lang == "zh" else 7.5
    longest = max((visible_length(join_names(x, lang)) for x in ends.values()), default=0)
    fill(fig.layout, margin={**MARGIN, "r": int(min(320, 24 + longest * per_char))})
    return [{"x": session, "y": rank, "text": join_names(texts, lang), "xanchor": "left", "xshift": 8,
             "showarrow": False, "font": {"size": 12}} for (session, rank), texts in ends.items()]


@chart(page="districts", scope="range", focus=True)
def district_heatmap(df: pd.DataFrame, card: Card) -> go.Figure:
    # pivot, not pivot_table: a cell before the district existed stays empty (not applicable), never 0
    # floats before the pivot: one column to convert instead of one per session after it
    cells = pd.DataFrame({"district_code": df["district_code"], "session_no": df["session_no"],
                          "records": df["records"].astype(float)})
    matrix = cells.pivot(index="district_code", columns="session_no", values="records")
    order = matrix.sum(axis=1).sort_values(ascending=False).index
    matrix = matrix.loc[order]
    lookup = df.drop_duplicates("district_code").set_index("district_code").loc[order]
    labels = esc_all(names(lookup, card.lang))
    fig = new_figure(go.Heatmap(z=matrix.values, x=[int(c) for c in matrix.columns], y=labels, meta={"unit": "record"},
                               text=_cell_words(matrix, card),
                               colorscale=SEQUENTIAL, colorbar={"title": {"text": tr("units.records", card)}},
                               hovertemplate=tr("heatmap.hover", card), xgap=1, ygap=1))
    if focused(lookup):
        fill(fig.layout.yaxis, tickmode="array", tickvals=labels, ticktext=district_ticks(labels, lookup, card))
        for row, selected in enumerate(lookup["selected"]):
            if selected:  # a frame around the selected district's row
                fig.add_shape(type="rect", xref="paper", x0=0, x1=1, yref="y", y0=row - 0.5, y1=row + 0.5,
                              line={"color": INK, "width": 2})
    session_axis(fig, df, card)
    fill(fig.layout.yaxis, autorange="reversed", title=None)
    return brief(fig, card)


def _cell_words(matrix: pd.DataFrame, card: Card) -> list[list[str]]:
    """Each cell's hover words; formatted once per distinct count, not per cell."""
    values = matrix.to_numpy()
    words = {v: tr("heatmap.count", card, n=fmt_int(v, card.lang))
             for v in pd.unique(values.ravel()) if not pd.isna(v)}
    none = tr("heatmap.none", card)
    return [[none if pd.isna(v) else words[v] for v in row] for row in values.tolist()]


def _choropleth(geo: pd.DataFrame, card: Card, zmax: int, colorscale, **style) -> go.Choropleth:
    """The shapes' trace without its GeoJSON (see _share_geojson)."""
    return go.Choropleth(
        locations=geo["district_code"], featureidkey="properties.district_code",
        z=geo["records"], zmin=0, zmax=zmax, colorscale=colorscale,
        text=esc_all(names(geo, card.lang)), customdata=geo["companies_summed"],
        hovertemplate=tr("charts.hover.map", card), meta={"unit": "record"}, **style)


def _labels(geo: pd.DataFrame, card: Card, zmax: int, focus: bool) -> go.Scattergeo:
    """Each district's name and records written inside its shape, dark on light fills and white on dark ones
    (the fill is worked out here as Plotly will draw it)."""
    points = label_points()
    fills = [CONTEXT if focus and not selected else scale_color(SEQUENTIAL, records / zmax)
             for records, selected in zip(geo["records"], geo["selected"])]
    texts = [f"<b>{esc(name)}</b><br>{fmt_int(records, card.lang)}" if focus and selected
             else f"{esc(name)}<br>{fmt_int(records, card.lang)}"
             for name, records, selected in zip(names(geo, card.lang), geo["records"], geo["selected"])]
    return go.Scattergeo(lon=[points[c][0] for c in geo["district_code"]],
                         lat=[points[c][1] for c in geo["district_code"]],
                         text=texts, mode="text", textposition="middle center", hoverinfo="skip",
                         textfont={"size": 12, "color": [text_on(f) for f in fills]}, showlegend=False)


def _share_geojson(fig: go.Figure) -> None:
    """Give every shape trace the boundaries as the one shared, read-only GeoJSON. Plotly deep-copies a GeoJSON
    that goes in through the figure's API (9 of the map's ~17 ms, on every filter change); a value put into
    the trace's own dict is used as it is, and plotly reads and exports it the same way (tests/test_geo.py)."""
    geojson = load_districts()
    for trace in fig._data:  # plotly 7.1 (pinned): the trace dicts behind fig.data
        if trace.get("type") == "choropleth":
            trace["geojson"] = geojson


def _frame(fig: go.Figure) -> None:
    """The city fills the plot (fitbounds leaves it at half the width); the bottom strip is kept for the note
    on Dapeng and Shenshan."""
    (west, east), (south, north) = bounds()
    pad = 0.01
    fill(fig.layout.geo, visible=False, projection={"type": "mercator"}, bgcolor="white",
         domain={"x": [0, 1], "y": [0.07, 1]}, lonaxis={"range": [west - pad, east + pad]},
         lataxis={"range": [south - pad, north + pad]})


@chart(page="districts", scope="range", focus=True)
def district_map(df: pd.DataFrame, card: Card) -> go.Figure:
    """Choropleth on the vendored boundaries (no map tiles, no internet), each shape named with its records.

    The labels are the first trace on purpose: plotly.js decides whether to fetch its world map from a CDN by
    the first trace of the geo subplot. A choropleth asks for it (and without internet the chart, on screen
    and in every export, fails); a text trace at lon/lat does not. Text is drawn above the shapes whatever
    the order (tests/test_export.py renders the map offline)."""
    geo = df[df["kind"] == "district"]
    zmax = max(1, int(geo["records"].max()))
    colorbar = {"title": {"text": tr("units.records", card)}}
    focus = focused(df)
    notes = []  # for brief() to add in one step with its own
    traces = [_labels(geo, card, zmax, focus)]
    if focus:
        context, chosen = geo[~geo["selected"]], geo[geo["selected"]]
        traces.append(_choropleth(context, card, zmax, [[0, CONTEXT], [1, CONTEXT]], showscale=False,
                                  marker={"line": {"color": "white", "width": 1}}))
        if not chosen.empty:
            traces.append(_choropleth(chosen, card, zmax, SEQUENTIAL, colorbar=colorbar,
                                      marker={"line": {"color": INK, "width": 2}}))
        ranks = [rank_label(esc(n), rank, total, card) for n, rank, total in
                 zip(names(df[df["selected"]], card.lang), df.loc[df["selected"], "rank"],
                     df.loc[df["selected"], "districts_ranked"])]
        # top right: the sea east of Longgang, where no shape lies (top left is Bao'an's northern tip)
        notes.append({"text": f"<b>{join_names(ranks, card.lang)}</b>", "xref": "paper", "yref": "paper", "x": 1,
                      "y": 1, "xanchor": "right", "yanchor": "top", "showarrow": False, "align": "right",
                      "font": {"size": 13, "color": INK}, "bgcolor": "rgba(255,255,255,0.85)"})
    else:
        traces.append(_choropleth(geo, card, zmax, SEQUENTIAL, colorbar=colorbar,
                                  marker={"line": {"color": "white", "width": 1}}))
    fig = new_figure(traces)
    _share_geojson(fig)
    _frame(fig)
    others = df[df["kind"] != "district"]
    if not others.empty:
        note = "；".join(f"{esc(n)}: {fmt_int(r, card.lang)}"
                        for n, r in zip(names(others, card.lang), others["records"]))
        notes.append({"text": tr("charts.map_note", card, values=note), "xref": "paper", "yref": "paper", "x": 0,
                      "y": 0, "xanchor": "left", "yanchor": "bottom", "showarrow": False, "align": "left",
                      "font": {"size": 11, "color": MUTED}, "bgcolor": "rgba(255,255,255,0.85)"})
    return brief(fig, card, notes=notes)


# ----- focus, not filter: the selected districts emphasised among all, with their rank -------------------

def focused(df: pd.DataFrame) -> bool:
    """True when the query flagged some rows as selected (a district selection is in force)."""
    return "selected" in df and bool(df["selected"].any())


def rank_label(label: str, rank: int, total: int, card: Card) -> str:
    """"南山区 第1/11", "Nanshan 1st of 11"; `label` is already escaped."""
    return tr("focus.rank", card, name=label, rank=ordinal(int(rank), card.lang), total=int(total))


def emphasis(label: str, selected: bool) -> str:
    """A selected district's label in bold, the others' in grey (markup around already escaped text)."""
    return f"<b>{label}</b>" if selected else f'<span style="color:{CONTEXT_TEXT}">{label}</span>'


def district_ticks(labels: list[str], rows: pd.DataFrame, card: Card) -> list[str]:
    """Tick labels of a focus chart: rank written beside each selected district, the others in grey."""
    return [emphasis(rank_label(label, row.rank, row.districts_ranked, card) if row.selected else label,
                     bool(row.selected))
            for label, row in zip(labels, rows.itertuples())]
