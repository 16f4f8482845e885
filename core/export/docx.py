"""Word memo pack (.docx): A4, title, filters, date, the summary, each chart as a 300 dpi picture with its
caption and source, page numbers; opens in Word, WPS and LibreOffice and stays editable.

Headings use Word's own "Heading 1"/"Heading 2" styles and captions the "Caption" style, so the memo can be
restructured in the navigation pane. Chinese needs an East Asian font named in every style (w:eastAsia):
without it Word falls back to its theme's East Asian face, which on many installs is a Japanese font.
Microsoft YaHei is on every Windows with Office and in WPS; the font table names Noto Sans CJK SC as its
alternative and GB2312 as its charset, so LibreOffice on Linux (and a machine without YaHei) substitutes a
simplified-Chinese sans instead of a Latin font with missing glyphs.
"""

from __future__ import annotations

import io
import re

from core.export.pack import BriefingItem, OnStep, PackMeta, label, render_all
from core.i18n import t

FONT = "Microsoft YaHei"
FALLBACK = "Noto Sans CJK SC"
STYLES = ("Normal", "Title", "Heading 1", "Heading 2", "Caption", "Header", "Footer")
TEXT_WIDTH_MM = 170  # A4 210 mm less 20 mm margins each side
GREY, RED = "6B7280", "B91C1C"


def _declare_font(rpr, lang: str) -> None:
    """Name FONT for every script and the document's language in a run-properties element (theme fonts
    removed: the template's East Asian theme font is Japanese)."""
    from docx.oxml.ns import qn

    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = rpr.makeelement(qn("w:rFonts"), {})
        rpr.insert(0, fonts)
    for attr in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"):
        fonts.attrib.pop(qn(f"w:{attr}"), None)
    for attr in ("ascii", "hAnsi", "eastAsia", "cs"):
        fonts.set(qn(f"w:{attr}"), FONT)
    lang_el = rpr.find(qn("w:lang"))
    if lang_el is None:
        lang_el = rpr.makeelement(qn("w:lang"), {})
        rpr.append(lang_el)
    # w:val is the language of Latin-script text, w:eastAsia that of Chinese characters: an English word in a
    # Chinese memo marked zh-CN was broken anywhere by LibreOffice ("promo te"), as Chinese may be
    lang_el.set(qn("w:val"), "en-US")
    lang_el.set(qn("w:eastAsia"), "zh-CN")


def _font_table_entry(document) -> None:
    """Describe FONT in the font table: a GB2312 sans whose alternative is FALLBACK."""
    from docx.opc.constants import RELATIONSHIP_TYPE as RT

    part = next(r.target_part for r in document.part.rels.values() if r.reltype == RT.FONT_TABLE)
    entry = (f'<w:font w:name="{FONT}"><w:altName w:val="{FALLBACK}"/><w:charset w:val="86"/>'
             '<w:family w:val="swiss"/><w:pitch w:val="variable"/></w:font></w:fonts>')
    part._blob = part.blob.replace(b"</w:fonts>", entry.encode(), 1)


def _styles(document, lang: str) -> None:
    from docx.oxml.ns import qn
    from docx.shared import Pt, RGBColor

    defaults = document.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    _declare_font(defaults, lang)  # text in any other style, and LibreOffice's glyph fallback, use these
    for name in STYLES:
        _declare_font(document.styles[name].element.get_or_add_rPr(), lang)
    document.styles["Normal"].font.size = Pt(10.5)
    for name, size in (("Title", 22), ("Heading 1", 16), ("Heading 2", 13)):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.color.rgb = RGBColor.from_string("1F2937")
    document.styles["Caption"].font.size = Pt(10)
    document.styles["Caption"].font.color.rgb = RGBColor.from_string("1F2937")


def _a4(document) -> None:
    from docx.shared import Mm

    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Mm(20))
    section.top_margin, section.bottom_margin = Mm(18), Mm(18)


def styled_run(paragraph, text: str, *, size: float | None = None, color: str | None = None, bold: bool = False):
    """A run of `text` in `paragraph`, bold and in a size and colour when given (the memo and the release)."""
    from docx.shared import Pt, RGBColor

    run = paragraph.add_run(text)
    run.bold = bold
    if size:
        run.font.size = Pt(size)
    if color:
        run.font.color.rgb = RGBColor.from_string(color)
    return run


def _line(document, text: str, *, size: float | None = None, color: str | None = None, bold=False, style=None):
    para = document.add_paragraph(style=style)
    styled_run(para, text, size=size, color=color, bold=bold)
    return para


def _field(paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that the reader's application fills in."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    # begin, instruction, separate, a placeholder result, end: Word's own layout of a field
    for tag, value in (("fldChar", "begin"), ("instrText", f" {code} "), ("fldChar", "separate"),
                       ("t", "1"), ("fldChar", "end")):
        el = OxmlElement(f"w:{tag}")
        if tag == "fldChar":
            el.set(qn("w:fldCharType"), value)
        else:
            el.set(qn("xml:space"), "preserve")
            el.text = value
        paragraph.add_run()._r.append(el)


def _footer(document, meta: PackMeta) -> None:
    para = document.sections[0].footer.paragraphs[0]
    left = meta.title + (f" · {label(meta, 'demo')}" if meta.demo else "")
    para.add_run(left + "    ")
    # the page label's {p} and {n} become Word's PAGE and NUMPAGES fields
    for piece in re.split(r"(\{p\}|\{n\})", label(meta, "page", p="{p}", n="{n}")):
        if piece in ("{p}", "{n}"):
            _field(para, "PAGE" if piece == "{p}" else "NUMPAGES")
        elif piece:
            para.add_run(piece)


def _head(document, meta: PackMeta) -> None:
    document.add_heading(meta.title, level=1)
    _line(document, meta.subtitle, size=12.5)
    info = f"{label(meta, 'date')}: {meta.date}"
    if meta.data_version:
        info += f" · {label(meta, 'version')}: {meta.data_version}"
    _line(document, info, size=9, color=GREY)
    if meta.permalink:
        _line(document, f"{label(meta, 'link')}: {meta.permalink}", size=9, color=GREY)
    if meta.demo:
        _line(document, label(meta, "demo"), bold=True, color=RED)
    for block in (meta.summary or "").split("\n\n"):
        if block.strip():
            document.add_paragraph(block.strip())


def _chart(document, meta: PackMeta, item: BriefingItem, png: bytes, number: int) -> None:
    from docx.shared import Mm

    # "Figure 3", not the chart's title: the picture prints its own title (it must stand alone when copied
    # out), and the title written above it as well read twice; the heading keeps the memo navigable
    document.add_heading(t("memo.figure", meta.lang, n=number), level=2)
    picture = document.add_picture(io.BytesIO(png), width=Mm(TEXT_WIDTH_MM))
    picture._inline.docPr.set("descr", item.description)  # Word's "Alt Text", read by screen readers
    picture._inline.docPr.set("title", item.title)
    block = [document.paragraphs[-1], _line(document, item.description, size=9.5)]  # the chart in words
    if item.caption:
        block.append(document.add_paragraph(item.caption, style="Caption"))
    source = f"{label(meta, 'source')}: {item.source}" if item.source else ""
    if meta.demo:
        source = (source + " · " if source else "") + label(meta, "demo")
    if source:
        block.append(_line(document, source, size=8.5, color=GREY))
    # picture, words, caption and source on one page: a source line alone at the top of the next page (or on a
    # page of its own) read as belonging to the chart there
    for para in block[:-1]:
        para.paragraph_format.keep_with_next = True


def build(items: list[BriefingItem], meta: PackMeta, *, on_step: OnStep | None = None) -> bytes:
    from docx import Document

    images = render_all(items, "a4", on_step)  # 2480 px wide: 300 dpi across an A4 page
    document = Document()
    _a4(document)
    _styles(document, meta.lang)
    _font_table_entry(document)
    props = document.core_properties
    props.title, props.subject = meta.title, meta.subtitle
    props.language = "zh-CN" if meta.lang == "zh" else "en-US"
    _head(document, meta)
    for number, (item, png) in enumerate(zip(items, images), start=1):
        _chart(document, meta, item, png, number)
    _footer(document, meta)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()
