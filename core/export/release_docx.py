"""The press-release draft as Word (.docx): A4, the headline in Word's "Title" style, sections in "Heading 1",
body text as text, the two charts as 300 dpi pictures with alt text (the picture's `descr`, what screen
readers and Word's "Alt Text" pane show), page numbers as PAGE / NUMPAGES fields, and a notes-for-editors
block. Fonts and the A4 page come from the memo builder (core/export/docx.py), so Chinese shows in a
simplified-Chinese face in Word, WPS and LibreOffice alike.
"""

from __future__ import annotations

import io
import re

from core.export import docx as memo
from core.export.render import render
from core.i18n import t

GREY, RED, INK = "6B7280", "B91C1C", "1F2937"
PICTURE_MM = 140


def render_charts(release, on_step=None) -> list[bytes]:
    """Each chart as an A4-width PNG (the same rendering as every other export); the DOCX and PDF share them."""
    images = []
    for i, chart in enumerate(release.charts):
        if on_step:
            on_step(i, len(release.charts), chart.title)
        images.append(render(chart.figure, "png", "a4"))
    return images


def _body(document, text: str, lang: str, dateline: str = ""):
    """A body paragraph; Chinese prose starts two characters in, English is set flush."""
    from docx.shared import Pt

    para = document.add_paragraph()
    fmt = para.paragraph_format
    fmt.space_after, fmt.line_spacing = Pt(6), 1.3
    if lang == "zh":
        fmt.first_line_indent = Pt(21)
    if dateline:
        memo.styled_run(para, dateline + ("　" if lang == "zh" else " – "), bold=True)
    memo.styled_run(para, text)
    return para


def _styles(document, lang: str) -> None:
    from docx.shared import Pt, RGBColor

    memo._styles(document, lang)
    document.styles["Normal"].font.size = Pt(11)
    subtitle = document.styles["Subtitle"]
    memo._declare_font(subtitle.element.get_or_add_rPr(), lang)
    subtitle.font.size, subtitle.font.italic = Pt(13), False
    subtitle.font.color.rgb = RGBColor.from_string(GREY)
    document.styles["Title"].font.size = Pt(24)
    for name in ("Title", "Heading 1"):
        document.styles[name].font.color.rgb = RGBColor.from_string(INK)


def _picture(document, png: bytes, alt: str, title: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    shape = document.add_picture(io.BytesIO(png), width=Mm(PICTURE_MM))
    doc_pr = shape._inline.docPr
    doc_pr.set("descr", alt)
    doc_pr.set("title", title)
    para = document.paragraphs[-1]
    para.alignment = WD_ALIGN_PARAGRAPH.CENTER
    para.paragraph_format.keep_with_next = True  # the caption stays under its chart


def _header_footer(document, release) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    section = document.sections[0]
    head = section.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    marker = f" · {t('export.demo', release.lang)}" if release.demo else ""
    memo.styled_run(head, release.label + marker, size=8.5, color=RED if release.demo else GREY)
    foot = section.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for piece in re.split(r"(\{p\}|\{n\})", t("release.page", release.lang, p="{p}", n="{n}")):
        if piece in ("{p}", "{n}"):
            memo._field(foot, "PAGE" if piece == "{p}" else "NUMPAGES")
        elif piece:
            foot.add_run(piece)


def _top(document, release) -> None:
    para = document.add_paragraph()
    memo.styled_run(para, release.label, size=10, color=GREY, bold=True)
    if release.demo:
        memo.styled_run(para, "　" + t("export.demo", release.lang), size=10, color=RED, bold=True)
    document.add_paragraph(release.headline, style="Title")
    document.add_paragraph(release.subhead, style="Subtitle")
    for i, text in enumerate(release.lead):
        _body(document, text, release.lang, dateline=release.dateline if i == 0 else "")


def _notes(document, release) -> None:
    from docx.shared import Pt

    document.add_heading(t("release.h.notes", release.lang), level=1)
    for note in release.notes:
        para = document.add_paragraph(style="List Bullet")
        para.paragraph_format.space_after = Pt(3)
        memo.styled_run(para, note, size=9.5, color=INK)


def build(release, images: list[bytes]) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    lang = release.lang
    document = Document()
    memo._a4(document)
    _styles(document, lang)
    memo._font_table_entry(document)
    props = document.core_properties
    props.title, props.subject = release.headline, release.subhead
    props.language = "zh-CN" if lang == "zh" else "en-US"
    _header_footer(document, release)
    _top(document, release)
    figure_no = 0
    for section in release.sections:
        document.add_heading(section.heading, level=1)
        for text in section.paragraphs:
            _body(document, text, lang)
        if section.chart is not None and section.chart < len(images):
            chart = release.charts[section.chart]
            figure_no += 1
            _picture(document, images[section.chart], chart.alt, chart.title)
            document.add_paragraph(f"{t('release.figure', lang, i=figure_no)}　{chart.title}", style="Caption")
    ends = document.add_paragraph(t("release.ends", lang))
    ends.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _notes(document, release)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
