"""Colour that every reader can use: the series colours of every chart stay apart for readers with deuteranopia
and protanopia (simulated with the Machado, Oliveira & Fernandes 2009 matrices at full severity, compared in
CIELAB), every text a chart draws has 4.5:1 contrast with what it is drawn on, and a selected district is marked
by more than colour (bold label, a frame)."""

from __future__ import annotations

import re
from dataclasses import replace

import numpy as np
import pytest

from core import catalog
from core.charts import template
from core.charts.colours import INK
from core.charts.industries import HUES
from core.filters import parse

# Machado et al. 2009, severity 1.0, on linear RGB
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
}
# CIE76 colour difference two neighbouring series keep at least (about 2.3 is just noticeable; 20 is a
# difference seen at a glance across a legend)
MIN_DELTA_E = 20
WHITE = "#ffffff"
COLOUR = re.compile(r"color:\s*(#[0-9a-fA-F]{6})")


def linear(hex_colour: str) -> np.ndarray:
    hex_colour = {"white": WHITE, "black": "#000000"}.get(hex_colour, hex_colour)
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def lab(lin: np.ndarray) -> np.ndarray:
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]]) @ np.clip(lin, 0, 1)
    xyz = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def seen(hex_colour: str, deficiency: str) -> np.ndarray:
    return lab(MACHADO[deficiency] @ linear(hex_colour))


def luminance(hex_colour: str) -> float:
    r, g, b = linear(hex_colour)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast(a: str, b: str) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def figures(options, query: dict):
    filters = parse({"lang": "en", **query}, options).filters
    for name in catalog.CHARTS:
        # a profile chart is one district's: a city-wide view takes Nanshan's
        one = filters if catalog.CHARTS[name].context != "district" or len(filters.districts) == 1 else \
            replace(filters, districts=("440305",))
        yield name, catalog.build(name, one, options)[0].to_plotly_json()


def series_colours(fig: dict) -> list[str]:
    """The colours of the chart's series in drawing order (one colour per trace; the grey of districts not
    selected left out: it is context, not a series)."""
    out = []
    for trace in fig["data"]:
        colour = (trace.get("marker") or {}).get("color") or (trace.get("line") or {}).get("color")
        if isinstance(colour, str) and colour.startswith("#") and colour != template.CONTEXT \
                and trace.get("showlegend") is not False and colour not in out:
            out.append(colour)
    return out


@pytest.mark.parametrize("deficiency", sorted(MACHADO))
def test_neighbouring_series_stay_apart_with_colour_blindness(options, deficiency):
    palettes = {"PALETTE": template.PALETTE, "treemap HUES": HUES}
    palettes.update({name: series_colours(fig) for name, fig in figures(options, {})})
    close = []
    for name, colours in palettes.items():
        for a, b in zip(colours, colours[1:]):
            delta = float(np.linalg.norm(seen(a, deficiency) - seen(b, deficiency)))
            if delta < MIN_DELTA_E:
                close.append((name, a, b, round(delta, 1)))
    assert not close, close


def texts_and_grounds(fig: dict):
    """(text colour, background) for every text the figure draws on the white page: the layout's fonts,
    annotations (on their own background when they have one) and colours written into labels' markup."""
    layout = fig["layout"]
    yield layout.get("font", {}).get("color", INK), WHITE
    title = layout.get("title", {})
    for part in (title, title.get("subtitle", {})):
        if "font" in part and "color" in part["font"]:
            yield part["font"]["color"], WHITE
    for note in layout.get("annotations", []):
        ground = note.get("bgcolor") if str(note.get("bgcolor", "")).startswith("#") else WHITE
        if "color" in note.get("font", {}):
            yield note["font"]["color"], ground
        for colour in COLOUR.findall(note.get("text", "")):
            yield colour, ground
    for key, axis in layout.items():
        if key.startswith(("xaxis", "yaxis")):
            for tick in axis.get("ticktext") or []:
                for colour in COLOUR.findall(str(tick)):
                    yield colour, WHITE
    for trace in fig["data"]:
        colour = (trace.get("textfont") or {}).get("color")
        if isinstance(colour, str) and trace.get("textposition") in ("outside", "top center"):
            yield colour, WHITE


@pytest.mark.parametrize("query", [{}, {"district": "440305"}], ids=["city", "focus"])
def test_chart_text_has_aa_contrast(options, query):
    weak = sorted({(name, text, ground, round(contrast(text, ground), 2))
                   for name, fig in figures(options, query) for text, ground in texts_and_grounds(fig)
                   if contrast(text, ground) < 4.5})
    assert not weak, weak


def test_a_selected_district_is_bold_and_framed_not_only_coloured(options):
    figs = dict(figures(options, {"district": "440305", "from": "21", "to": "23"}))
    ranking = figs["district_ranking"]["layout"]["yaxis"]["ticktext"]
    assert [tick for tick in ranking if tick.startswith("<b>")] == [t for t in ranking if "Nanshan" in t]
    notes = figs["district_rank_history"]["layout"]["annotations"]
    ends = [note["text"] for note in notes if "Nanshan" in note["text"]]
    assert ends and all("<b>Nanshan" in text for text in ends)
    heat = figs["district_heatmap"]
    assert any(tick.startswith("<b>") and "Nanshan" in tick for tick in heat["layout"]["yaxis"]["ticktext"])
    assert len(heat["layout"].get("shapes", [])) == 1
    labels = next(trace for trace in figs["district_map"]["data"] if trace.get("mode") == "text")["text"]
    assert [text for text in labels if text.startswith("<b>")] == [t for t in labels if "Nanshan" in t]
