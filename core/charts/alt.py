"""Each chart's text alternative: one or two sentences, in the chart's language, saying what it shows and its
headline, written from the figure's own traces when `brief` finishes it.

The figure already holds every number it draws, so describing it costs no query and nothing extra on a filter
change (the description is built and cached with the figure). The describer is picked by the kind of chart the
traces make (ranking, trend, rank over time, share, comparison, heatmap, map, treemap), so a chart built
anywhere on the briefing template gets one. The text is kept in `layout.meta.description`: it travels with
every copy of the figure (the phone layout, downloads, packs), and `text(fig)` reads it back.

Every value is stated with the unit the chart counts in ("67 records", "67项", "85.3%"): a bare "54" left a
reader asking 54 of what. A builder declares it in its traces' meta, as the counted noun of core/i18n.counted:
`meta={"unit": "record"}` ("company", "session"), or one per category where the categories are measures of
different kinds; a percent axis (ticksuffix "%") gives "%". Categories that hold no place in a ranking (the
applicants with none of the titles) are named in `meta={"apart": [label, ...]}` and stated after the ranking
with their share.
"""

from __future__ import annotations

import html
import math
import re

import plotly.graph_objects as go

from core.i18n import fmt_int, join_names, ordinal, t

META_KEY = "description"
_TAGS = re.compile(r"<[^>]*>")
_LIST_AT_MOST = 3  # names in a list of "next" ones: more would not fit a sentence


# Figures are read through plotly's private _data and _layout (plotly pinned in requirements.txt): the traces and
# layout as plain dicts, as the describers read them. The public reads cost what a description must not: to_dict()
# deep-copies every trace (the map's GeoJSON: ~15 ms), fig.data builds validated trace objects.


def text(fig) -> str:
    """The description `stored` put in the figure (a Figure or its dict), "" when there is none."""
    layout = fig.get("layout") or {} if isinstance(fig, dict) else fig._layout or {}
    meta = layout.get("meta")
    return html.unescape(meta.get(META_KEY, "")) if isinstance(meta, dict) else ""


def stored(fig: go.Figure, card) -> dict:
    """The layout's meta holding the description, escaped like every text in a figure (Plotly would render
    markup in it if a template ever showed %{meta})."""
    return {META_KEY: html.escape(describe(fig, card), quote=False)}


def describe(fig: go.Figure, card) -> str:
    """The chart's title and filters, then its headline in one sentence."""
    traces = [trace for trace in fig._data if _has_values(trace)]
    lang = card.lang
    scope = card.subtitle.replace(" · ", "，" if lang == "zh" else ", ")
    describer = _KINDS[kind(traces, fig._layout or {})]
    headline = describer(traces, fig._layout or {}, lang) if traces else _empty_words(fig)
    return t("alt.sentence", lang, title=card.title, scope=scope, headline=headline)


def kind(traces: list[dict], layout: dict) -> str:
    types = {trace.get("type", "scatter") for trace in traces}
    if not traces:
        return "empty"
    for name in ("treemap", "choropleth", "heatmap"):
        if name in types:
            return name
    bars = [trace for trace in traces if trace.get("type") == "bar"]
    if len(bars) > 1 and layout.get("barmode") == "stack":
        return "share"
    # grouped bars over categories; one series alone when only one session of a comparison has categories
    if layout.get("barmode") == "group" and (len(bars) > 1 or (bars and not _numeric(bars[0].get("x")))):
        return "comparison"
    if bars and bars[0].get("orientation") == "h":
        return "ranking"
    if _reversed(layout.get("yaxis") or {}):
        return "rank"
    return "trend"


def _numeric(values) -> bool:
    try:
        return all(float(v) == float(v) for v in values if v is not None)
    except (TypeError, ValueError):
        return False


def _has_values(trace: dict) -> bool:
    """Some value to describe: a series of gaps only (a share no session of the range has) is not one."""
    def present(values) -> bool:
        return any(present(v) if isinstance(v, list | tuple) else not _missing(v) for v in values)

    return any(trace.get(key) is not None and present(list(trace[key])) for key in ("y", "z", "values"))


def _reversed(axis: dict) -> bool:
    span = axis.get("range")
    return axis.get("autorange") == "reversed" or (span is not None and len(span) == 2 and span[0] > span[1])


def _plain(label) -> str:
    """A label as a reader sees it: markup and line breaks gone, entities as characters."""
    return html.unescape(_TAGS.sub(" ", str(label))).replace("  ", " ").strip()


def _number(value, lang: str, percent: bool = False) -> str:
    if percent:
        return f"{float(value):.1f}%"
    value = float(value)
    return fmt_int(value, lang) if value == round(value) else f"{value:,.1f}" if lang == "en" else f"{value:.1f}"


def _amount(value, lang: str, unit=None, percent: bool = False) -> str:
    """A value with the unit the chart counts in: "67 records", "1 record", "67项", "85.3%"."""
    if unit is None or percent:
        return _number(value, lang, percent)
    return t(f"counted.{unit}", lang, n=_number(value, lang))


def _unless_named(unit: str | None, name: str, lang: str) -> str | None:
    """No unit after a name that already says it: "Records from 26 in session 1", "First-time companies 100
    (62.9%)"; "Records from 26 records" said it twice. (Chinese names end in 数 or 企业, the values in 项, 家.)"""
    if unit is None or lang != "en":
        return unit
    many = t(f"counted.{unit}", lang, n=2).split(" ", 1)[1]
    return None if name.lower().endswith(many) else unit


def _unit(trace: dict, at: int | None = None) -> str | None:
    """The counted noun the builder declared for the trace's values (for category `at` when it gave one each)."""
    unit = _meta(trace, "unit")
    return unit[at] if isinstance(unit, list | tuple) and at is not None else unit if isinstance(unit, str) else None


def _meta(trace: dict, key: str, default=None):
    meta = trace.get("meta")
    return meta.get(key, default) if isinstance(meta, dict) else default


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _session(n, lang: str) -> str:
    return t("alt.session", lang, n=int(n))


def _labels(trace: dict, key: str) -> list:
    """Category labels as drawn, or the whole names a builder kept in the trace's meta when it drew them
    shortened (`meta={"labels": [...]}`)."""
    meta = trace.get("meta")
    return list(meta["labels"]) if isinstance(meta, dict) and "labels" in meta else list(trace[key])


def _name(trace: dict) -> str:
    meta = trace.get("meta")
    return _plain(meta["name"] if isinstance(meta, dict) and "name" in meta else trace.get("name") or "")


def _percent_axis(trace: dict, layout: dict) -> bool:
    axis = layout.get("yaxis2" if trace.get("yaxis") == "y2" else "yaxis") or {}
    return axis.get("ticksuffix") == "%"


def _points(trace: dict) -> list[tuple[float, float]]:
    return [(float(x), float(y)) for x, y in zip(trace.get("x", []), trace.get("y", []))
            if not _missing(y) and not _missing(x)]


# ----- one describer per kind ---------------------------------------------------------------------------

def _trend(traces: list[dict], layout: dict, lang: str) -> str:
    trace = traces[0]
    points = _points(trace)
    series = _name(trace)
    percent, unit = _percent_axis(trace, layout), _unless_named(_unit(trace), series, lang)
    first, last = points[0], points[-1]
    top = max(points, key=lambda p: p[1])
    value = {"series": series, "first": _amount(first[1], lang, unit, percent),
             "first_session": _session(first[0], lang), "last": _amount(last[1], lang, unit, percent),
             "last_session": _session(last[0], lang), "top": _amount(top[1], lang, unit, percent),
             "top_session": _session(top[0], lang)}
    if len(points) == 1:
        return t("alt.trend_one", lang, **value)
    peak = t("alt.peak_last", lang) if top[1] == last[1] else t("alt.peak", lang, **value)
    return t("alt.trend", lang, **value) + peak


def _rank(traces: list[dict], layout: dict, lang: str) -> str:
    if len(traces) == 1:  # one district's rank per session: 1 is its best
        points = _points(traces[0])
        first, last = points[0], points[-1]
        best = min(rank for _, rank in points)
        at_best = [session for session, rank in points if rank == best]
        # how often, and when last: "best 1st in session 3" read as once, of a district first since session 11
        key = "alt.rank_one" if len(at_best) == 1 else "alt.rank_one_often"
        return t(key, lang, first=ordinal(int(first[1]), lang), first_session=_session(first[0], lang),
                 last=ordinal(int(last[1]), lang), last_session=_session(last[0], lang),
                 best=ordinal(int(best), lang), best_session=_session(at_best[-1], lang), times=len(at_best),
                 n=len(points))
    ends = [(_points(trace)[-1], _plain(trace.get("name"))) for trace in traces if _points(trace)]
    latest = max(point[0] for point, _ in ends)
    at_end = sorted((point[1], name) for point, name in ends if point[0] == latest)
    firsts = [name for rank, name in at_end if rank == at_end[0][0]]
    lasts = [name for rank, name in at_end if rank == at_end[-1][0]]
    key = "alt.rank_many_tied" if len(firsts) > 1 else "alt.rank_many"  # "A, B share first place", not "ranks"
    return t(key, lang, session=_session(latest, lang), first=join_names(firsts, lang),
             last=join_names(lasts, lang), n=len(at_end))


def _ranking(traces: list[dict], layout: dict, lang: str) -> str:
    trace = traces[0]
    unit = _unit(trace)
    rows = sorted(((float(v), _plain(label)) for v, label in zip(trace["x"], _labels(trace, "y"))
                   if not _missing(v)),
                  key=lambda row: -row[0])
    apart = {_plain(label) for label in _meta(trace, "apart", ())}
    ranked = [row for row in rows if row[1] not in apart]
    total = sum(value for value, _ in rows)
    # "None of these" is no title to rank: its count and share follow the ranking
    aside = [t("alt.apart", lang, name=name, value=_amount(value, lang, unit), share=f"{100 * value / total:.1f}%")
             for value, name in rows if name in apart and total]
    places = [_places(ranked, trace, layout, lang, unit)] if ranked else []
    return ("；" if lang == "zh" else "; ").join(places + aside)


def _places(rows: list[tuple[float, str]], trace: dict, layout: dict, lang: str, unit: str | None) -> str:
    """The first, the next few and the last of rows (value, name), most first, and any selected one between."""
    # tied first or last places are named together ("A, B tie for first"): one of them named alone read as the
    # only one, and the other was left out
    firsts = [name for value, name in rows if value == rows[0][0]]
    key = "alt.ranking_first_tied" if len(firsts) > 1 else "alt.ranking_first"
    words = [t(key, lang, name=_tied(firsts, lang), value=_amount(rows[0][0], lang, unit))]
    shown = rows[len(firsts):len(firsts) + _LIST_AT_MOST - 1]
    if shown:
        words.append(t("alt.then", lang, names=join_names(
            [t("alt.name_value", lang, name=name, value=_amount(value, lang, unit)) for value, name in shown],
            lang)))
    lasts = [name for value, name in rows[len(firsts) + len(shown):] if value == rows[-1][0]]
    if lasts:
        key = "alt.ranking_last_tied" if len(lasts) > 1 else "alt.ranking_last"
        words.append(t(key, lang, name=_tied(lasts, lang), value=_amount(rows[-1][0], lang, unit), n=len(rows)))
    for place, (value, name) in enumerate(rows, start=1):  # a selected district outside the names above
        if name in _selected(trace, layout) and _LIST_AT_MOST < place < len(rows):
            words.append(t("alt.ranking_selected", lang, name=name, place=ordinal(place, lang), n=len(rows),
                           value=_amount(value, lang, unit)))
    return ("，" if lang == "zh" else "; ").join(words)


def _tied(names: list[str], lang: str) -> str:
    """Names sharing a place, the first few of them when many do ("A, B, C and 7 more")."""
    if len(names) <= _LIST_AT_MOST:
        return join_names(names, lang)
    return t("alt.names_and_more", lang, names=join_names(names[:_LIST_AT_MOST], lang),
             more=len(names) - _LIST_AT_MOST)


def _selected(trace: dict, layout: dict) -> set[str]:
    """The categories a focus chart emphasises: their tick labels are bold (never colour alone)."""
    axis = layout.get("yaxis") or {}
    ticks, values = axis.get("ticktext"), axis.get("tickvals")
    if ticks is None or values is None:
        return set()
    return {_plain(value) for value, tick in zip(values, ticks) if str(tick).startswith("<b>")}


def _share(traces: list[dict], layout: dict, lang: str) -> str:
    """Stacked parts per session: the latest session's total and how it splits."""
    totals: dict[float, float] = {}
    parts: dict[str, dict[float, float]] = {}
    for trace in traces:
        for session, value in _points(trace):
            totals[session] = totals.get(session, 0) + value
            parts.setdefault(_plain(trace.get("name")), {})[session] = value
    latest = max(totals)
    total = totals[latest]
    unit = next((_unit(trace) for trace in traces if _unit(trace)), None)  # the parts of one whole: one unit
    split = sorted(((values.get(latest, 0), name) for name, values in parts.items()), reverse=True)
    words = [t("alt.share_part", lang, name=name, value=_amount(value, lang, _unless_named(unit, name, lang)),
               share=f"{100 * value / total:.1f}%" if total else "–") for value, name in split if value]
    return t("alt.share", lang, session=_session(latest, lang), total=_amount(total, lang, unit),
             parts=join_names(words[:_LIST_AT_MOST + 1], lang))


def _comparison(traces: list[dict], layout: dict, lang: str) -> str:
    """Grouped bars: each category with every series' value."""
    horizontal = traces[0].get("orientation") == "h"
    categories, values = ("y", "x") if horizontal else ("x", "y")
    percent = (layout.get("xaxis" if horizontal else "yaxis") or {}).get("ticksuffix") == "%"
    rows = []
    for at, category in enumerate(_labels(traces[0], categories)[:_LIST_AT_MOST + 1]):
        pairs = [t("alt.series_value", lang, name=_plain(trace.get("name")),
                   value=_amount(trace[values][at], lang, _unit(trace, at), percent))
                 for trace in traces if at < len(trace[values]) and not _missing(trace[values][at])]
        rows.append(t("alt.category", lang, category=_plain(category), values=join_names(pairs, lang)))
    return ("；" if lang == "zh" else "; ").join(rows)


def _heatmap(traces: list[dict], layout: dict, lang: str) -> str:
    trace = traces[0]
    rows = [_plain(label) for label in trace["y"]]
    cells = [(float(v), rows[i], trace["x"][j]) for i, row in enumerate(trace["z"]) for j, v in enumerate(row)
             if not _missing(v)]
    value, name, session = max(cells, key=lambda cell: cell[0])
    sums = sorted(((sum(v for v, row, _ in cells if row == r), r) for r in rows), key=lambda s: -s[0])
    unit = _unit(trace)
    return t("alt.heatmap", lang, name=name, value=_amount(value, lang, unit), session=_session(session, lang),
             most=sums[0][1], most_value=_amount(sums[0][0], lang, unit))


def _map(traces: list[dict], layout: dict, lang: str) -> str:
    shapes = [(float(v), _plain(name)) for trace in traces if trace.get("type") == "choropleth"
              for v, name in zip(trace["z"], trace.get("text") or trace["locations"]) if not _missing(v)]
    shapes.sort(key=lambda shape: -shape[0])
    unit = next((_unit(trace) for trace in traces if trace.get("type") == "choropleth"), None)
    return t("alt.map", lang, most=shapes[0][1], most_value=_amount(shapes[0][0], lang, unit), least=shapes[-1][1],
             least_value=_amount(shapes[-1][0], lang, unit), n=len(shapes),
             total=_amount(sum(v for v, _ in shapes), lang, unit))


def _treemap(traces: list[dict], layout: dict, lang: str) -> str:
    trace = traces[0]
    names = list(trace.get("customdata") if trace.get("customdata") is not None else trace["labels"])
    tops = sorted(((float(v), _plain(names[i])) for i, (v, parent) in enumerate(zip(trace["values"], trace["parents"]))
                   if parent == ""), key=lambda top: -top[0])
    total, unit = sum(v for v, _ in tops), _unit(trace)
    nexts = [t("alt.name_value", lang, name=name, value=_amount(v, lang, unit)) for v, name in tops[1:_LIST_AT_MOST]]
    words = t("alt.treemap", lang, name=tops[0][1], value=_amount(tops[0][0], lang, unit),
              share=f"{100 * tops[0][0] / total:.1f}%", total=_amount(total, lang, unit), n=len(tops))
    return words + (t("alt.then_sentence", lang, names=join_names(nexts, lang)) if nexts else "")


def _empty_words(fig: go.Figure) -> str:
    """An empty chart says why in its one annotation; the footer lines are the template's own."""
    notes = [a.get("text", "") for a in (fig._layout or {}).get("annotations", []) if not a.get("name")]
    return _plain(notes[0]) if notes else ""


_KINDS = {"trend": _trend, "rank": _rank, "ranking": _ranking, "share": _share, "comparison": _comparison,
          "heatmap": _heatmap, "choropleth": _map, "treemap": _treemap, "empty": lambda *_: ""}
