"""Colours and the text drawn on them: mixing, a colour scale's colour, WCAG contrast, and a text colour that
reads on a given fill (core/charts/template.py and the page modules' builders use them)."""

from __future__ import annotations

import functools

INK = "#1a1a1a"  # the charts' text


def rgb(color: str) -> tuple[int, int, int]:
    """"#08306b" as (8, 48, 107)."""
    color = color.lstrip("#")
    return int(color[0:2], 16), int(color[2:4], 16), int(color[4:6], 16)


def hex_color(channels) -> str:
    return "#" + "".join(f"{round(min(255, max(0, c))):02x}" for c in channels)


@functools.lru_cache(maxsize=1024)  # the treemap asks for the same few colours hundreds of times a build
def mix(color: str, other: str, amount: float) -> str:
    """`color` moved `amount` (0..1) of the way towards `other`."""
    return hex_color(a + (b - a) * amount for a, b in zip(rgb(color), rgb(other)))


def scale_color(colors: list[str], fraction: float) -> str:
    """The colour Plotly gives `fraction` (0..1) on a colour scale of evenly spaced stops."""
    position = min(1.0, max(0.0, fraction)) * (len(colors) - 1)
    low = min(int(position), len(colors) - 2)
    return mix(colors[low], colors[low + 1], position - low)


def luminance(color: str) -> float:
    """Relative luminance (WCAG 2)."""
    linear = [c / 255 / 12.92 if c / 255 <= 0.04045 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in rgb(color)]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(one: str, other: str) -> float:
    """WCAG contrast ratio, 1 to 21."""
    light, dark = sorted((luminance(one), luminance(other)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


@functools.lru_cache(maxsize=256)
def as_text(color: str, background: str = "#ffffff") -> str:
    """`color` darkened just enough for text on `background` (WCAG AA, 4.5:1): a label in its line's hue,
    readable also where the hue is light (yellow, sky blue)."""
    for step in range(21):
        darker = mix(color, "#000000", step / 20)
        if contrast(darker, background) >= 4.5:
            return darker
    return INK


@functools.lru_cache(maxsize=1024)
def text_on(background: str) -> str:
    """Dark text on a light fill, white on a dark one: whichever contrasts more."""
    return "#ffffff" if contrast(background, "#ffffff") > contrast(background, INK) else INK
