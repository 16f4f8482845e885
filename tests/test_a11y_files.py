"""Briefing files a screen reader can read: every picture in a PPTX deck and a DOCX memo carries its chart's text
alternative (`descr`, at least 20 characters, in the pack's language); the DOCX and PDF memos declare their
language and a real title; in a memo each chart is followed by its description (the PDF's text, in order).

The charts' pictures are stand-ins (a 1-pixel PNG): what is checked is what the files say about them, and the
PDF still goes through the export browser."""

from __future__ import annotations

import base64
import io
import re
import unicodedata

import duckdb
import pytest

from core import briefing, catalog
from core import district_briefing as dbf
from core.export import docx as docx_pack
from core.export import pdf as pdf_pack
from core.export import pptx as pptx_pack
from core.export import zip as zip_pack
from core.filters import parse

CODE = "440305"
CJK = re.compile(r"[\u4e00-\u9fff]")
PIXEL = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5E"
                         "rkJggg==")


@pytest.fixture(autouse=True)
def stand_in_pictures(monkeypatch):
    def render_all(items, preset, on_step):
        return [PIXEL for _ in items]
    for module in (pptx_pack, docx_pack, pdf_pack, zip_pack):
        monkeypatch.setattr(module, "render_all", render_all)


@pytest.fixture(scope="module")
def records_23(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return con.execute(f"SELECT count(*) FROM records WHERE district_code = '{CODE}' AND session_no = 23"
                           ).fetchone()[0]


def pack(fmt: str, lang: str):
    options = catalog.load_options()
    filters = parse({"lang": lang, "session": "23"}, options).filters
    items = dbf.items(CODE, filters, options)
    meta = dbf.meta(CODE, filters, options)
    return briefing.build_pack(fmt, items, meta), items, meta


def plain(text: str) -> str:
    """Text as compared: without line breaks, dashes as one (the PDF font maps the en dash to U+2012), the
    font's ligatures (ﬁ) as letters."""
    return re.sub(r"[\u2012\u2013]", "-", re.sub(r"\s+", "", unicodedata.normalize("NFKC", text)))


def in_language(text: str, lang: str) -> bool:
    return bool(CJK.search(text)) == (lang == "zh")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_pptx_picture_has_alt_text_in_the_packs_language(built_db, lang, records_23):
    from pptx import Presentation

    data, items, meta = pack("pptx", lang)
    deck = Presentation(io.BytesIO(data))
    pictures = [shape for slide in deck.slides for shape in slide.shapes if shape.shape_type == 13]
    descr = [pic._element.nvPicPr.cNvPr.get("descr") or "" for pic in pictures]
    assert len(pictures) == len(items) + 1  # each chart and the title slide's QR code
    assert all(len(d) >= 20 for d in descr), descr
    charts = descr[1:]
    assert charts == [item.description for item in items]
    assert all(in_language(d, lang) for d in charts), charts
    records = next(d for d, item in zip(charts, items) if item.name == "profile_records")
    assert (f"第23届的{records_23}项" if lang == "zh" else f" to {records_23} in session 23") in records


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_docx_pictures_have_alt_text_and_a_description_under_them(built_db, lang, records_23):
    from docx import Document

    data, items, meta = pack("docx", lang)
    memo = Document(io.BytesIO(data))
    assert memo.core_properties.language == {"zh": "zh-CN", "en": "en-US"}[lang]
    assert memo.core_properties.title == meta.title and len(meta.title) > 4
    shapes = memo.inline_shapes
    descr = [shape._inline.docPr.get("descr") or "" for shape in shapes]
    assert descr == [item.description for item in items]
    assert all(len(d) >= 20 and in_language(d, lang) for d in descr), descr
    paragraphs = memo.paragraphs
    for at, paragraph in enumerate(paragraphs):
        if paragraph._p.xpath(".//pic:pic"):
            assert paragraphs[at + 1].text == descr.pop(0)
    assert not descr


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_memo_has_title_language_and_each_description_after_its_chart(built_db, export_browser, lang):
    from pypdf import PdfReader

    data, items, meta = pack("pdf", lang)
    reader = PdfReader(io.BytesIO(data))
    assert reader.metadata.title == meta.title
    assert reader.trailer["/Root"]["/Lang"] == {"zh": "zh-CN", "en": "en"}[lang]
    text = plain("".join(page.extract_text() for page in reader.pages))
    at = 0
    for item in items:  # each description in the order of the charts
        found = text.find(plain(item.description), at)
        assert found >= 0, item.description
        at = found + 1


def test_zip_manifest_gives_each_pictures_description(built_db):
    import json
    import zipfile

    data, items, _ = pack("zip", "en")
    manifest = json.loads(zipfile.ZipFile(io.BytesIO(data)).read("manifest.json"))
    assert [entry["description"] for entry in manifest["items"]] == [item.description for item in items]
    assert all(len(entry["description"]) >= 20 for entry in manifest["items"])
