"""The Word memo: built through `python -m core.cli pack --out x.docx` from the built database, read back
with python-docx, and rendered by LibreOffice headless (page count, page size, text, page numbers)."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from docx import Document
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from core import cli
from core.i18n import t
from tests.conftest import no_browser

CHARTS = ["district_ranking", "records_per_session", "industry_breakdown"]


@pytest.fixture(scope="module")
def docx_file(built_db, export_browser, tmp_path_factory):
    out = tmp_path_factory.mktemp("docx") / "nanshan.docx"
    argv = ["pack", "--session", "23", "--district", "440305", "--charts", ",".join(CHARTS), "--out", str(out)]
    assert cli.main(argv) == 0
    return out


@pytest.fixture(scope="module")
def memo(docx_file):
    return Document(str(docx_file))


@pytest.fixture(scope="module")
def rendered(docx_file, tmp_path_factory) -> PdfReader:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:  # `make test` installs it; fails like a missing chromium unless ALLOW_NO_BROWSER=1
        no_browser("LibreOffice not installed (make test-deps: apt-get install libreoffice-writer-nogui)")
    work = tmp_path_factory.mktemp("lo")
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
                    "--convert-to", "pdf", "--outdir", str(work), str(docx_file)],
                   check=True, capture_output=True, timeout=300)
    return PdfReader(str(work / "nanshan.pdf"))


def styled(memo, style: str) -> list[str]:
    return [p.text for p in memo.paragraphs if p.style.name == style]


def test_docx_is_a4(memo):
    section = memo.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)  # stored in twips


def test_docx_headings_use_words_heading_styles(memo):
    heading1 = styled(memo, "Heading 1")
    assert len(heading1) == 1 and "第23届" in heading1[0]
    # each chart under "图1", "图2", ...: its title is inside the picture (and its alt title), not written twice
    assert styled(memo, "Heading 2") == [f"图{i}" for i in range(1, len(CHARTS) + 1)]
    titles = [p._inline.docPr.get("title") for p in memo.inline_shapes]
    assert titles == [t(f"charts.{name}.title", "zh") for name in CHARTS]


def test_docx_has_filters_date_summary_and_demo_marker(memo):
    text = "\n".join(p.text for p in memo.paragraphs)
    assert "南山区" in text and "演示数据：非官方名单" in text
    assert "第23届（2024年）深圳企业创新纪录" in text  # the generated summary paragraph
    assert "来源" in text


def test_docx_charts_are_300_dpi_pictures_across_the_text_width(memo):
    pictures = memo.inline_shapes
    assert len(pictures) == len(CHARTS)
    for shape in pictures:
        blob = memo.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        image = Image.open(io.BytesIO(blob))
        assert image.width == 2480 and tuple(round(d) for d in image.info["dpi"]) == (300, 300)
        assert round(shape.width.mm) == 170


def test_docx_declares_an_east_asian_font(memo):
    for rpr in (memo.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr")),
                memo.styles["Normal"].element.rPr, memo.styles["Heading 1"].element.rPr):
        fonts = rpr.find(qn("w:rFonts"))
        assert fonts.get(qn("w:eastAsia")) == "Microsoft YaHei"
        assert fonts.get(qn("w:eastAsiaTheme")) is None  # the template's theme font is Japanese
        assert rpr.find(qn("w:lang")).get(qn("w:eastAsia")) == "zh-CN"
        # Latin words are English text even in a Chinese memo: marked zh-CN, LibreOffice broke them anywhere
        assert rpr.find(qn("w:lang")).get(qn("w:val")) == "en-US"


def test_docx_footer_numbers_pages_with_word_fields(memo):
    instructions = [el.text.strip() for el in memo.sections[0].footer._element.iter(qn("w:instrText"))]
    assert instructions == ["PAGE", "NUMPAGES"]


def test_libreoffice_renders_the_memo_on_a4_pages_with_its_text(rendered):
    pages = rendered.pages
    assert len(pages) == 3  # header, summary and 3 charts, each with its description: measured 3 pages
    assert [round(v) for v in pages[0].mediabox[2:]] == [595, 842]
    text = "\n".join(p.extract_text() for p in pages)
    for needed in ("南山区", "演示数据：非官方名单", *(t(f"charts.{n}.title", "zh") for n in CHARTS)):
        assert needed in text
    assert "第 1 / 3 页" in text and "第 3 / 3 页" in text


def test_a_charts_words_and_source_stay_on_its_page(memo, rendered):
    """Picture, description and source line are kept together: a source line at the top of a page (seen in a
    basket's memo: page 5 held only "来源: …") read as belonging to the chart on that page."""
    blocks = [p for p in memo.paragraphs if p.text.startswith("来源")]
    assert len(blocks) == len(CHARTS)
    for page in rendered.pages:
        first = next(line for line in page.extract_text().splitlines() if line.strip())
        assert not first.startswith("来源"), first
    chart_paragraphs = [p for p in memo.paragraphs if p._p.xpath(".//pic:pic") or p.text.startswith("来源")]
    kept = [bool(p.paragraph_format.keep_with_next) for p in chart_paragraphs]
    assert kept == [True, False] * len(CHARTS)
