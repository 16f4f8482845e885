"""Figure builders and their registry: names from the data are printed, never rendered as markup."""

from __future__ import annotations

import colorsys
import dataclasses
import re

import duckdb
import pytest

from core import catalog, charts, i18n
from core.filters import parse
from core.i18n import t

HOSTILE = '<a href="http://x">bad</a><br><b>x</b>'
# The raw tags Plotly would render; the builders' own markup (<b> titles, <br> ticks, <extra>) is not here.
RAW = ('<a href="http://x">', "</a>", "<b>x</b>", "bad</a><br>")
# Columns whose text comes from the data: names of districts, companies, industries, a list's own wording.
NAME_COLUMN = re.compile(r"^(name|group|division)_(zh|en)$|^industry_raw$|^session_list$")
# Every chart that draws text from the data (the others draw only numbers and locale strings).
WITH_DATA_TEXT = ["district_ranking", "district_rank_history", "district_heatmap", "district_map",
                  "industry_breakdown", "industry_trends", "industries_as_published", "repeat_innovators"]


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def _strings(value):
    """Every string anywhere in a figure's JSON (traces, layout, axes, annotations)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            if key != "geojson":
                yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", WITH_DATA_TEXT)
def test_names_from_the_data_are_not_rendered_as_markup(name, lang, options):
    filters = parse({"session": "23", "lang": lang}, options).filters
    spec = catalog.CHARTS[name]
    frame = catalog.data(spec, filters)
    columns = [c for c in frame.columns if NAME_COLUMN.match(c)]
    assert columns, f"{name}: no name column to poison"
    frame = frame.assign(**{c: HOSTILE for c in columns})
    card = dataclasses.replace(catalog.card(spec, filters, options, catalog.DataStatus(True, "v")),
                               subtitle=HOSTILE)
    texts = list(_strings(catalog.figure(spec, frame, card).to_plotly_json()))
    leaks = [s for s in texts if any(tag in s for tag in RAW)]
    assert not leaks, f"{name}: raw markup from the data in {leaks[:3]}"
    assert any("&lt;a href=" in s for s in texts), f"{name}: the escaped name is missing"


def test_esc_makes_markup_inert_and_leaves_plain_names_alone():
    assert charts.esc('<a href="x">A&B</a>') == '&lt;a href="x"&gt;A&amp;B&lt;/a&gt;'
    assert charts.esc("Bao'an 宝安区") == "Bao'an 宝安区"


def test_every_chart_is_registered_once_with_a_known_scope_and_its_builder():
    assert set(catalog.CHARTS) >= {
        "records_per_session", "applicant_strength", "category_split", "awards_per_session", "qualification_mix",
        "district_ranking", "district_rank_history", "district_heatmap", "district_map", "industry_breakdown",
        "industry_trends", "industries_as_published", "returning_companies", "repeat_innovators"}
    for name, spec in catalog.CHARTS.items():
        assert spec.builder.__name__ == name and spec.scope in ("session", "range")
    assert [s.name for s in charts.for_page("districts")] == [
        "district_ranking", "district_rank_history", "district_heatmap", "district_map"]
    with pytest.raises(ValueError, match="twice"):
        charts.chart(page="districts", scope="session")(catalog.CHARTS["district_map"].builder)


# --- focus, not filter -------------------------------------------------------------------------------------

@pytest.mark.parametrize(("lang", "label"), [("zh", "南山区 第1/11"), ("en", "Nanshan 1st of 11")])
@pytest.mark.parametrize("name", ["district_ranking", "district_rank_history", "district_heatmap", "district_map"])
def test_focus_chart_keeps_every_district_and_writes_the_selected_rank(name, lang, label, options):
    filters = parse({"session": "23", "district": "440305", "lang": lang}, options).filters
    fig, frame, _ = catalog.build(name, filters, options)
    assert frame["district_code"].nunique() == 11
    assert any(f"<b>{label}</b>" in s for s in _strings(fig.to_plotly_json()))
    subtitle = fig.layout.title.subtitle.text.replace("·<br>", "·  ")  # a long one wraps after a part
    assert subtitle.endswith(t("focus.subtitle_focus", lang) + "  ·  " +
                             t("charts.unit", lang, unit=t(f"charts.{name}.unit", lang)))


def test_focus_ranking_greys_the_districts_not_selected(options):
    filters = parse({"session": "23", "district": "440305,440306"}, options).filters
    fig, _, _ = catalog.build("district_ranking", filters, options)
    colors = list(fig.data[0].marker.color)
    assert colors[:2] == [charts.template.PALETTE[0]] * 2 and colors[2:] == [charts.template.CONTEXT] * 9


def test_rank_history_draws_the_selected_lines_last_in_colour_over_grey(options):
    filters = parse({"session": "23", "district": "440305,440306"}, options).filters
    fig, _, _ = catalog.build("district_rank_history", filters, options)
    colors = [trace.line.color for trace in fig.data]
    assert len(fig.data) == 11 and colors[:9] == [charts.template.CONTEXT] * 9
    assert colors[9:] == charts.template.PALETTE[:2]
    # each line is its own district's ranks, session by session
    assert [t.name for t in fig.data[9:]] == ["南山区", "宝安区"]
    nanshan = fig.data[9]
    assert list(nanshan.x) == list(range(1, 24)) and nanshan.y[-1] == 1


def test_treemap_divisions_largest_first_with_their_records(options, built_db):
    filters = parse({"session": "23", "from": "21", "to": "23", "lang": "en"}, options).filters
    fig, _, _ = catalog.build("industry_breakdown", filters, options)
    treemap = fig.data[0]
    divisions = [(code, value) for code, parent, value in zip(treemap.ids, treemap.parents, treemap.values)
                 if parent == ""]
    with duckdb.connect(str(built_db), read_only=True) as con:  # counted here, most first, ties by code
        expected = con.execute("SELECT left(industry_code, 3) AS d, count(*) AS n FROM records "
                               "WHERE session_no BETWEEN 21 AND 23 GROUP BY d ORDER BY n DESC, d").fetchall()
    assert divisions == expected
    assert treemap.customdata[0].startswith(expected[0][0] + " ")  # the division's full name beside it


def test_filter_chart_says_it_counts_only_the_selection(options, built_db):
    filters = parse({"session": "23", "district": "440305", "lang": "en"}, options).filters
    fig, frame, _ = catalog.build("records_per_session", filters, options)
    assert "selected districts only" in fig.layout.title.subtitle.text
    with duckdb.connect(str(built_db), read_only=True) as con:  # Nanshan's own records, counted directly
        (own,), = con.execute("SELECT count(*) FROM records WHERE session_no = 23 AND district_code = '440305'"
                              ).fetchall()
    assert frame.loc[frame["session_no"] == 23, "records"].item() == own < 216


@pytest.mark.parametrize(("n", "expected"), [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"),
                                             (12, "12th"), (13, "13th"), (21, "21st"), (22, "22nd"), (111, "111th")])
def test_english_ordinals(n, expected):
    assert i18n.ordinal(n, "en") == expected
    assert i18n.ordinal(n, "zh") == str(n)


# --- legible labels: the treemap, the list's industries -----------------------------------------------------

def _wcag_contrast(one: str, other: str) -> float:
    """WCAG 2 contrast ratio of two #rrggbb colours, written out here apart from core.charts."""
    def lum(color: str) -> float:
        channels = [int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b
    light, dark = sorted((lum(one), lum(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _hue(color: str) -> float:
    return colorsys.rgb_to_hls(*(int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)))[0]


def _lightness(color: str) -> float:
    return colorsys.rgb_to_hls(*(int(color.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)))[1]


@pytest.fixture(scope="module")
def division_order(built_db):
    """Divisions of sessions 21-23 by records, counted here."""
    with duckdb.connect(str(built_db), read_only=True) as con:
        return [d for d, _ in con.execute("SELECT left(industry_code, 3) AS d, count(*) AS n FROM records "
                                          "WHERE session_no BETWEEN 21 AND 23 GROUP BY d ORDER BY n DESC, d")
                .fetchall()]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_treemap_colours_follow_the_division(options, division_order, lang):
    """Each group is a lighter shade of its division's hue; the six largest divisions have six hues."""
    fig, _, _ = catalog.build("industry_breakdown", parse({"from": "21", "to": "23", "lang": lang}, options).filters,
                              options)
    tree = fig.data[0]
    color = dict(zip(tree.ids, tree.marker.colors))
    for node, parent in zip(tree.ids, tree.parents):
        if parent:
            assert abs(_hue(color[node]) - _hue(color[parent])) < 0.01, (node, color[node], color[parent])
            assert _lightness(color[node]) > _lightness(color[parent]), node
    assert len({round(_hue(color[d]), 2) for d in division_order[:6]}) == 6
    note = " ".join(a.text for a in fig.layout.annotations)
    assert ("每个行业大类一种色相" if lang == "zh" else "one hue per industry division") in note


def test_treemap_labels_are_legible(options):
    """One size of at least 11 px for every label, a label that does not fit is hidden rather than shrunk, and
    every label reads against its tile (WCAG AA, 4.5:1: white on the dark blue, dark on the tints)."""
    fig, _, _ = catalog.build("industry_breakdown", parse({"from": "1", "to": "23"}, options).filters, options)
    tree = fig.data[0]
    assert tree.textfont.size >= 11
    assert fig.layout.uniformtext.mode == "hide" and fig.layout.uniformtext.minsize == tree.textfont.size
    pairs = list(zip(tree.textfont.color, tree.marker.colors))
    assert len(pairs) == len(tree.ids)
    low = min(pairs, key=lambda p: _wcag_contrast(*p))
    assert _wcag_contrast(*low) >= 4.5, low
    assert "#ffffff" in tree.textfont.color and charts.template.INK in tree.textfont.color


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_list_industries_name_every_bar(options, built_db, lang):
    """All of session 23's industry names (24, counted here) are ticks, and each bar has room for its name."""
    with duckdb.connect(str(built_db), read_only=True) as con:
        (names,), = con.execute("SELECT count(DISTINCT industry_raw) FROM records WHERE session_no = 23").fetchall()
    fig, _, _ = catalog.build("industries_as_published", parse({"session": "23", "lang": lang}, options).filters,
                              options)
    bars = list(fig.data[0].y)
    assert names == len(bars) == 24
    assert fig.layout.yaxis.tickmode == "array" and list(fig.layout.yaxis.tickvals) == bars
    margin = fig.layout.margin
    assert (fig.layout.height - margin.t - margin.b) / len(bars) >= 18  # px per bar on screen


@pytest.mark.parametrize("default", ["streamlit", "briefing"])
def test_every_chart_wears_the_briefing_template_whatever_the_default(default, options, monkeypatch):
    # importing streamlit makes its template plotly's default; new figures start from the default
    import plotly.io as pio
    import streamlit  # noqa: F401 - registers the "streamlit" template

    monkeypatch.setattr(pio.templates, "default", default)
    filters = parse({"session": "23"}, options).filters
    for name in ("records_per_session", "district_map", "qualification_mix"):
        fig = catalog.build(name, filters, options)[0]
        assert fig.layout.template.layout.font.family == charts.template.FONT, (default, name)
        assert list(fig.layout.template.layout.colorway) == charts.template.PALETTE, (default, name)


FILL_CASES = [
    ({}, {"height": 500, "title": {"text": "t", "subtitle": {"text": "s", "font": {"size": 13}}}}),
    ({"title": {"font": {"size": 30}}}, {"title": {"text": "kept font"}}),  # set: merged, the font stays
    ({"margin": {"l": 10}}, {"margin": {"r": 20}}),
    ({}, {"annotations": [{"text": "a", "x": 0}, {"text": "b", "x": 1}]}),
    ({"annotations": [{"text": "old", "x": 0, "font": {"size": 9}}]}, {"annotations": [{"text": "new"}]}),
    ({}, {"title_text": "path key", "xaxis_title": None}),
    ({"xaxis": {"title": {"text": "x"}}}, {"xaxis": None, "barmode": "stack"}),
    ({}, {"yaxis2": {"overlaying": "y", "side": "right"}, "legend": None}),  # a numbered axis; None on nothing
    ({"yaxis2": {"side": "right"}}, {"yaxis2": {"range": [0, 5]}}),  # a numbered axis already there: merged
]


def drawn(node):
    """A figure's dict without empty objects: Plotly draws `"title": {}` as it draws no title at all (update()
    leaves one where it is given None for a property that was never set)."""
    if isinstance(node, dict):
        kept = {key: drawn(value) for key, value in node.items()}
        return {key: value for key, value in kept.items() if value != {}}
    if isinstance(node, (list, tuple)):
        return [drawn(item) for item in node]
    return node


@pytest.mark.parametrize(("before", "props"), FILL_CASES)
def test_fill_gives_the_figure_plotlys_update_gives(before, props):
    import plotly.graph_objects as go

    ours, theirs = go.Figure(layout=before), go.Figure(layout=before)
    charts.template.fill(ours.layout, **props)
    theirs.update_layout(**props)
    assert drawn(ours.to_dict()) == drawn(theirs.to_dict())


def test_fill_on_an_axis_gives_what_update_axes_gives():
    import plotly.graph_objects as go

    props = {"tickmode": "array", "tickvals": [1, 2], "ticktext": ["a", "b"], "title": None, "autorange": "reversed"}
    ours, theirs = go.Figure(layout={"yaxis": {"dtick": 1}}), go.Figure(layout={"yaxis": {"dtick": 1}})
    charts.template.fill(ours.layout.yaxis, **props)
    theirs.update_yaxes(**props)
    assert drawn(ours.to_dict()) == drawn(theirs.to_dict())
    assert "title" not in ours.to_dict()["layout"]["yaxis"]  # None on a title never set: nothing to send


def test_small_counts_get_whole_ticks(sql):
    """Shenshan's charts read "0.2 家", "0.4 项" on their axes: a count axis up to 4 steps by 1 (plain SQL: its
    records per session never exceed 4); the city's, in the hundreds, keeps Plotly's own ticks."""
    (most,), = sql("SELECT max(n) FROM (SELECT count(*) AS n FROM records WHERE district_code = 'SZSS' GROUP BY "
                   "session_no)")
    assert most <= 4
    options = catalog.load_options()
    small = catalog.build("records_per_session", parse({"district": "SZSS"}, options).filters, options)[0]
    city = catalog.build("records_per_session", parse({}, options).filters, options)[0]
    assert (small.layout.yaxis.dtick, small.layout.yaxis.tick0) == (1, 0) and city.layout.yaxis.dtick is None
    # a count axis beside a share on a second axis (the profile's records and share of the city)
    profile = catalog.build("profile_records", parse({"district": "SZSS"}, options).filters, options)[0]
    assert (profile.layout.yaxis.dtick, profile.layout.yaxis.tick0) == (1, 0)
