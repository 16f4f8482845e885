"""PPTX pack: a 16:9 deck with a title slide, then one slide per chart; all text stays editable."""

from __future__ import annotations

import io
import math

from core.export.pack import BriefingItem, OnStep, PackMeta, label, qr_png, render_all
from core.i18n import t

PPTX_FONT = "Noto Sans CJK SC"
_SLIDE_W_IN, _SLIDE_H_IN = 40 / 3, 7.5  # PowerPoint widescreen, exactly 16:9
TITLE_BOX = (0.8, 0.6, 12.0)  # left, top, width (inches) of the title slide's title
TITLE_SIZES = (36, 32, 28, 24, 22, 20)  # pt, largest first: the largest at which each phrase takes one line
INSETS = 0.2  # inches of a text box's width its left and right insets take (0.1 each, PowerPoint's default)


def _font(run, meta: PackMeta, size: int, *, bold=False, color=None) -> None:
    """Name a CJK font for Latin, East Asian and complex scripts.

    Without an ea font PowerPoint picks its own East Asian face; charset -122
    (GB2312) lets a computer without Noto substitute a Chinese sans such as
    Microsoft YaHei instead of a Latin font with missing glyphs.
    """
    from pptx.dml.color import RGBColor
    from pptx.oxml.ns import qn
    from pptx.util import Pt

    run.font.size = Pt(size)
    run.font.bold = bold
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    run.font.name = PPTX_FONT
    rpr = run._r.get_or_add_rPr()
    rpr.set("lang", "zh-CN" if meta.lang == "zh" else "en-US")
    rpr.set("altLang", "en-US")
    latin = rpr.find(qn("a:latin"))
    east_asian = {"typeface": PPTX_FONT, "pitchFamily": "34", "charset": "-122"}
    # schema order is latin, ea, cs: add cs first, then ea right after latin
    for tag, attrs in (("a:cs", {"typeface": PPTX_FONT}), ("a:ea", east_asian)):
        old = rpr.find(qn(tag))
        if old is not None:
            rpr.remove(old)
        latin.addnext(latin.makeelement(qn(tag), attrs))


def _textbox(slide, meta, box, paragraphs):
    """Editable text box; each paragraph is a list of (text, size, bold, colour) runs."""
    from pptx.util import Inches

    left, top, width, height = (Inches(v) for v in box)
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for n, runs in enumerate(paragraphs):
        para = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        for text, size, bold, color in runs:
            run = para.add_run()
            run.text = text
            _font(run, meta, size, bold=bold, color=color)
    return frame


def _alt_text(picture, text: str) -> None:
    """What a screen reader says for a picture (PowerPoint's "Alt Text"): the `descr` of its shape."""
    picture._element.nvPicPr.cNvPr.set("descr", text)


def _em(text: str) -> float:
    """Width of a text in ems, roughly: a Chinese character is one em, a Latin letter or digit about half, a
    space a quarter (Noto Sans CJK: 0.23 em; counted as a letter it made an English title seem a tenth wider
    than it is, and shrink more than it had to)."""
    return sum(1.0 if ord(c) > 0x2E80 else 0.25 if c == " " else 0.55 for c in text)


def _fit(lines: list[str], width_in: float, sizes: tuple[int, ...], max_lines: int) -> int:
    """The largest font size (pt) at which `lines` take at most `max_lines` lines of a box `width_in` wide
    (its text is narrower by the insets)."""
    for size in sizes:
        per_line = (width_in - INSETS) * 72 / size
        if sum(max(1, math.ceil(_em(line) / per_line)) for line in lines) <= max_lines:
            return size
    return sizes[-1]


def _title_lines(title: str) -> list[str]:
    """A title broken where its phrases meet (" · "), never inside a phrase ("…第 23 / 届")."""
    return [part for part in title.split(" · ") if part]


def _title_slide(prs, meta: PackMeta) -> None:
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank: we place everything
    lines = _title_lines(meta.title)
    # each phrase on a line of its own: an English district title is one long phrase (issue 32: at 24 pt its
    # last word wrapped onto a third line, against the subtitle)
    size = _fit(lines, TITLE_BOX[2], TITLE_SIZES, len(lines))
    rows = sum(max(1, math.ceil(_em(line) / ((TITLE_BOX[2] - INSETS) * 72 / size))) for line in lines)
    title_h = rows * size * 1.25 / 72
    _textbox(slide, meta, (*TITLE_BOX[:3], title_h), [[(line, size, True, "1F2937")] for line in lines])
    top = TITLE_BOX[1] + title_h + 0.15
    paras = [[(meta.subtitle, 20, False, "374151")]]
    info = f"{label(meta, 'date')}: {meta.date}"
    if meta.data_version:
        info += f"  ·  {label(meta, 'version')}: {meta.data_version}"
    paras.append([(info, 12, False, "4B5563")])
    if meta.demo:
        paras.append([(label(meta, "demo"), 16, True, "B91C1C")])
    _textbox(slide, meta, (TITLE_BOX[0], top, TITLE_BOX[2], 1.3), paras)
    if meta.summary:  # what the pack says in words: the slide a briefing opens with
        summary_top = top + 1.45
        height = 6.1 - summary_top
        blocks = [b.strip() for b in meta.summary.split("\n\n") if b.strip()]
        width = 9.6
        fit = max((s for s in (16, 14, 13, 12, 11)
                   if sum(math.ceil(_em(b) / ((width - INSETS) * 72 / s)) for b in blocks) * s * 1.35 / 72 <= height),
                  default=11)
        _textbox(slide, meta, (TITLE_BOX[0], summary_top, width, height),
                 [[(block, fit, False, "1F2937")] for block in blocks])
    if meta.permalink:
        link = [[(meta.permalink, 12, False, "1D4ED8")]]
        frame = _textbox(slide, meta, (0.8, 6.35, 9.6, 0.5), link)
        frame.paragraphs[0].runs[0].hyperlink.address = meta.permalink
        qr = qr_png(meta.permalink)
        code = slide.shapes.add_picture(io.BytesIO(qr), Inches(10.8), Inches(4.9), Inches(1.9))
        _alt_text(code, t("a11y.qr_code", meta.lang, link=meta.permalink))


def _chart_slide(prs, meta: PackMeta, item: BriefingItem, png: bytes) -> None:
    from pptx.util import Inches

    slide = prs.slides.add_slide(prs.slide_layouts[6])
    # The chart image carries its own title and subtitle: written again above it they would only take the
    # chart's room. The 16:9 picture fills the top, centred; the caption and source line sit below it.
    pic_h = 6.0
    pic_w = pic_h * 16 / 9
    left = (_SLIDE_W_IN - pic_w) / 2
    picture = slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(0.15), Inches(pic_w), Inches(pic_h))
    picture.name = item.title  # the slide's chart is still found by its title (selection pane, screen readers)
    _alt_text(picture, item.description)
    slide.notes_slide.notes_text_frame.text = item.description  # the presenter can read it out
    foot = [[(item.caption, 14, False, "1F2937")]] if item.caption else []
    notes = [(f"{label(meta, 'source')}: {item.source}", 10, False, "6B7280")] if item.source else []
    if meta.demo:
        notes.append(("    " + label(meta, "demo"), 10, True, "B91C1C"))
    if notes:
        foot.append(notes)
    if foot:
        _textbox(slide, meta, (0.5, 6.2, 12.3, 1.25), foot)


def build(items: list[BriefingItem], meta: PackMeta, *, on_step: OnStep | None = None) -> bytes:
    from pptx import Presentation
    from pptx.util import Inches

    images = render_all(items, "slide", on_step)
    prs = Presentation()
    prs.slide_width, prs.slide_height = Inches(_SLIDE_W_IN), Inches(_SLIDE_H_IN)
    prs.core_properties.title = meta.title
    prs.core_properties.subject = meta.subtitle
    _title_slide(prs, meta)
    for item, png in zip(items, images):
        _chart_slide(prs, meta, item, png)
    buf = io.BytesIO()
    prs.save(buf)
    return buf.getvalue()
