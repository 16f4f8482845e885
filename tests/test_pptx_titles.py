"""The PPTX title slide's texts fit (issue 32): for every district's briefing and for the basket's pack, in
Chinese and English, each phrase of the title takes one line (never "…第 23 / 届") and no text block of the
title slide runs into the one below it (title, subtitle, summary, link).

The lines are counted here with the deck's own font, Noto Sans CJK SC (bold for the title), measured by
Pillow and wrapped as PowerPoint wraps (at spaces, or between two Chinese characters) inside the box's width
less its insets; a line is 1.2 times the font size (PowerPoint's single spacing). The slides are built
without their charts (no browser), read back with python-pptx.
"""

from __future__ import annotations

import io
import re
from functools import cache
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Emu

from core import briefing, catalog, district_briefing
from core.export import pptx
from core.filters import parse

FONTS = Path("/usr/share/fonts/opentype/noto")
SC = 2  # the face index of Noto Sans CJK SC in the collections
LINE = 1.2  # line pitch / font size
INSET_LR, INSET_TB = Emu(91440), Emu(45720)  # a text box's default insets: 0.1 in, 0.05 in
TOKENS = re.compile(r"[\u2e80-\uffff]|[^\s\u2e80-\uffff]+|\s+")


@cache
def font(bold: bool, size: float):
    from PIL import ImageFont

    path = FONTS / f"NotoSansCJK-{'Bold' if bold else 'Regular'}.ttc"
    if not path.exists():
        pytest.skip(f"{path} is not installed (the font the deck names)")
    return ImageFont.truetype(str(path), size=size * 10, index=SC)  # at 10x for precision


def width_pt(text: str, bold: bool, size: float) -> float:
    return font(bold, size).getlength(text) / 10


def lines(text: str, bold: bool, size: float, width: float) -> int:
    """Lines `text` takes in a box `width` pt wide: greedy, breaking at spaces or beside a Chinese character,
    a word longer than the line on a line of its own."""
    count, line = 1, ""
    for token in TOKENS.findall(text):
        candidate = line + token
        if line.strip() and width_pt(candidate.rstrip(), bold, size) > width:
            count, line = count + 1, token.lstrip()
        else:
            line = candidate
    return count


def blocks(deck: bytes) -> list[dict]:
    """Each text box of the title slide: where its text starts and ends (pt) and its paragraphs' line counts."""
    slide = Presentation(io.BytesIO(deck)).slides[0]
    out = []
    for shape in slide.shapes:
        if not shape.has_text_frame or not shape.text_frame.text.strip():
            continue
        width = Emu(shape.width - 2 * INSET_LR).pt
        top = Emu(shape.top + INSET_TB).pt
        paragraphs, bottom = [], top
        for p in shape.text_frame.paragraphs:
            runs = [r for r in p.runs if r.text]
            size = max(r.font.size.pt for r in runs)
            n = lines(p.text, any(r.font.bold for r in runs), size, width)
            paragraphs.append((p.text, n))
            bottom += n * size * LINE
        out.append({"top": top, "bottom": bottom, "left": Emu(shape.left).pt,
                    "right": Emu(shape.left + shape.width).pt, "paragraphs": paragraphs})
    return sorted(out, key=lambda b: b["top"])


def check_title_slide(deck: bytes, what: str) -> None:
    texts = blocks(deck)
    title = texts[0]
    for text, n in title["paragraphs"]:
        assert n == 1, f"{what}: the title's phrase {text!r} takes {n} lines"
    for upper, lower in zip(texts, texts[1:]):
        side_by_side = upper["right"] <= lower["left"] or lower["right"] <= upper["left"]
        assert side_by_side or upper["bottom"] <= lower["top"], \
            f"{what}: {upper['paragraphs'][0][0]!r} runs {upper['bottom'] - lower['top']:.1f} pt into " \
            f"{lower['paragraphs'][0][0]!r}"


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_district_briefing_title_fits(options, lang):
    filters = parse({"session": "23", "lang": lang}, options).filters
    for code in options.districts:
        meta = district_briefing.meta(code, filters, options)
        check_title_slide(pptx.build([], meta), f"{code} {lang}")


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("names", [(), ("district_ranking", "records_per_session"), ("compare_sessions",)])
def test_basket_title_fits(options, lang, names):
    filters = parse({"session": "23", "from": "3", "to": "20", "vs": "9", "lang": lang}, options).filters
    entries = [briefing.entry(name, filters) for name in names]
    meta = briefing.meta_for(filters, options, entries=entries or None)
    check_title_slide(pptx.build([], meta), f"basket {names} {lang}")


def test_the_measure_counts_a_phrase_too_long_for_its_line():
    """The check itself: a title the width of two lines is two lines, a short one is one."""
    phrase = "Shenzhen Enterprise Innovation Records session 23 (2024) district briefing"
    full = width_pt(phrase, True, 24)
    assert lines(phrase, True, 24, full + 1) == 1 and lines(phrase, True, 24, full - 10) == 2
    assert lines("深圳企业创新纪录第23届（2024年）区情简报", True, 36, width_pt("深圳企业创新纪录", True, 36) + 1) == 3
