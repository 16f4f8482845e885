"""Export engine: real renders through kaleido's Chromium, checked by their bytes.

Each artefact is rendered once per module (fixtures) to keep the file fast.
Without a browser the rendering tests fail, unless ALLOW_NO_BROWSER=1 asks for them to be skipped.
"""

from __future__ import annotations

import html
import io
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from dataclasses import replace
from pathlib import Path

import duckdb
import openpyxl
import pandas as pd
import plotly.graph_objects as go
import pytest
from PIL import Image, ImageChops
from pptx import Presentation
from pypdf import PdfReader

from core import export
from core.export import pdftext
from tests.conftest import no_browser

ROOT = Path(__file__).resolve().parents[1]
TITLE = "第23届 深圳企业创新纪录 · 南山区、宝安区"
FONT = "Noto Sans CJK SC, sans-serif"
BOM = b"\xef\xbb\xbf"


def bar_chart(title: str = TITLE, district_values=(60, 40, 25, 12)) -> go.Figure:
    districts = ["南山区", "宝安区", "龙华区", "光明区"]
    fig = go.Figure(go.Bar(x=districts, y=list(district_values)))
    fig.update_layout(
        title=title,
        xaxis_title="行政区",
        yaxis_title="申报企业数（家）",
        font_family=FONT,
    )
    return fig


def title_only(text: str) -> go.Figure:
    """Just a big title: two renders differ only where the glyphs differ."""
    fig = go.Figure()
    fig.update_layout(
        title={"text": text, "font": {"size": 40}},
        xaxis_visible=False,
        yaxis_visible=False,
        font_family=FONT,
    )
    return fig


def png(data: bytes) -> Image.Image:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.convert("RGB")


def title_band(image: Image.Image) -> Image.Image:
    return image.crop((0, 0, image.width, image.height // 8))


def dark_pixels(image: Image.Image) -> int:
    return sum(image.convert("L").histogram()[:128])


# --- fixtures ----------------------------------------------------------------


@pytest.fixture(scope="module")
def browser():
    try:
        export.start()
    except export.ExportUnavailable as exc:
        no_browser(f"no export browser: {exc}")


@pytest.fixture(scope="module")
def slide_png(browser):
    return export.render(bar_chart(), "png", "slide")


@pytest.fixture(scope="module")
def items():
    def item(n: int) -> export.BriefingItem:
        data = pd.DataFrame({"行政区": ["南山区", "宝安区", "龙华区", "光明区"], "企业数": [60, 40, n, 12]})
        return export.BriefingItem(
            name=f"district_rank_{n}",
            title=f"各区申报企业数（图{n}）",
            subtitle="第23届 · 南山区、宝安区",
            caption=f"南山区申报企业最多，其次为宝安区（图{n}）。",
            source="深圳市企业创新纪录办公室",
            figure=bar_chart(f"图{n} {TITLE}", (60, 40, 20 + n, 12)),
            data=data,
        )

    return [item(n) for n in (1, 2, 3)]


@pytest.fixture(scope="module")
def meta():
    return export.PackMeta(
        title="深圳企业创新纪录 简报",
        subtitle="第23届 · 南山区、宝安区",
        date="2025-05-01",
        lang="zh",
        demo=True,
        data_version="demo-1",
        summary="第23届共产生216项纪录，来自159家企业，覆盖24个行业大类。",
        permalink="http://localhost:8501/?session=23&district=440305",
    )


@pytest.fixture(scope="module")
def pptx_deck(browser, items, meta):
    return Presentation(io.BytesIO(export.build_pptx(items, meta)))


@pytest.fixture(scope="module")
def memo(browser, items, meta):
    return PdfReader(io.BytesIO(export.build_pdf(items, meta)))


@pytest.fixture(scope="module")
def pack_zip(browser, items, meta):
    return zipfile.ZipFile(io.BytesIO(export.build_zip(items, meta)))


# --- presets and single renders ------------------------------------------------


@pytest.mark.parametrize(
    ("name", "size"),
    [("slide", (1920, 1080)), ("a4", (2480, 1395)), ("screen2x", (1920, 1080))],
)
def test_preset_pixel_size_comes_from_scale(name, size):
    preset = export.PRESETS[name]
    assert (preset.pixel_width, preset.pixel_height) == size
    assert preset.scale >= 2  # fonts grow with the output, not just the canvas


def test_slide_png_is_1920x1080_with_a_title(slide_png):
    image = png(slide_png)
    assert image.size == (1920, 1080)
    assert dark_pixels(title_band(image)) > 500


def test_a4_png_is_2480_wide(browser):
    assert png(export.render(bar_chart(), "png", "a4")).width == 2480


def test_screen2x_follows_the_figures_own_size(browser):
    fig = bar_chart()
    fig.update_layout(width=500, height=300)
    assert png(export.render(fig, "png", "screen2x")).size == (1000, 600)


def test_chinese_glyphs_are_not_tofu(browser):
    def band(text):
        return title_band(png(export.render(title_only(text), "png", "screen2x")))

    tofu_a, tofu_b = band("\U000e0f00" * 8), band("\U000e0f10" * 8)
    chinese_a, chinese_b = band("深圳企业创新纪录"), band("南山宝安龙华光明")
    # missing glyphs all draw the same box; real glyphs differ from it and each other
    assert ImageChops.difference(tofu_a, tofu_b).getbbox() is None
    assert ImageChops.difference(chinese_a, tofu_a).getbbox() is not None
    assert ImageChops.difference(chinese_a, chinese_b).getbbox() is not None


def test_han_characters_use_simplified_chinese_forms_by_default(browser):
    # Chromium's own fallback picks Noto CJK JP; render() appends the SC face
    def band(family):
        fig = title_only("直骨关海门")
        fig.update_layout(font_family=family)
        return title_band(png(export.render(fig, "png", "screen2x")))

    assert ImageChops.difference(band(None), band("Noto Sans CJK SC")).getbbox() is None


def test_render_leaves_the_callers_figure_alone(browser):
    fig = go.Figure(go.Bar(x=["南山区"], y=[1]))
    export.render(fig, "png", "screen2x")
    assert fig.layout.font.family is None


def test_svg_parses_and_holds_the_title(browser):
    svg = export.render(bar_chart(), "svg", "slide")
    ET.fromstring(svg)
    assert TITLE in svg.decode("utf-8")


def test_pdf_chart_opens_with_pypdf(browser):
    reader = PdfReader(io.BytesIO(export.render(bar_chart(), "pdf", "slide")))
    assert len(reader.pages) == 1
    assert "深圳企业创新纪录" in reader.pages[0].extract_text()


def test_unknown_format_and_preset_are_refused():
    with pytest.raises(ValueError, match="format"):
        export.render(bar_chart(), "gif")
    with pytest.raises(ValueError, match="preset"):
        export.render(bar_chart(), "png", "poster")


@pytest.mark.parametrize("browser_path", ["/nonexistent/chromium", "/bin/false"])
def test_missing_or_broken_browser_raises_export_unavailable(browser_path):
    # a fresh process: the module keeps one browser per process
    code = (
        "import sys, plotly.graph_objects as go\n"
        "from core import export\n"
        "assert 'kaleido' not in sys.modules  # imported only when needed\n"
        "try:\n"
        "    export.render(go.Figure())\n"
        "except export.ExportUnavailable as exc:\n"
        "    print(exc)\n"
    )
    env = {**os.environ, "BROWSER_PATH": browser_path}
    done = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert "apt-get install chromium fonts-noto-cjk" in done.stdout


# --- packs ---------------------------------------------------------------------


def slide_text(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_pptx_has_title_slide_and_one_slide_per_chart(pptx_deck, items, meta):
    slides = list(pptx_deck.slides)
    assert len(slides) == 1 + len(items)
    assert pptx_deck.slide_width * 9 == pptx_deck.slide_height * 16
    first = slide_text(slides[0])
    for text in (meta.title, meta.subtitle, meta.date, meta.permalink, "演示数据"):
        assert text in first
    for slide, item in zip(slides[1:], items):
        text = slide_text(slide)
        assert item.caption in text and item.source in text
        pictures = [s for s in slide.shapes if s.shape_type == 13]
        assert png(pictures[0].image.blob).size == (1920, 1080)
        # the title is inside the chart image (and names the picture): not written again above it
        assert pictures[0].name == item.title and item.title not in text


def test_pptx_runs_name_an_east_asian_font(pptx_deck):
    shape = next(s for s in pptx_deck.slides[1].shapes if s.has_text_frame)
    rpr = shape.text_frame.paragraphs[0].runs[0]._r.rPr
    ea = rpr.find("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")
    assert ea is not None and "CJK SC" in ea.get("typeface")


def test_pdf_memo_is_a4_with_text_and_page_numbers(memo, items, meta):
    page = memo.pages[0]
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (595, 842)
    text = "\n".join(p.extract_text() for p in memo.pages)
    for needed in (meta.title, meta.subtitle, meta.summary[:10], "演示数据"):
        assert needed in text
    for item in items:
        assert item.caption in text
    assert f"第 1 / {len(memo.pages)} 页" in text


def test_zip_has_pngs_bom_csvs_and_manifest(pack_zip, items, meta):
    names = set(pack_zip.namelist())
    expected = {f"{i:02d}_{it.name}.{ext}" for i, it in enumerate(items, 1) for ext in ("png", "csv")}
    assert names == expected | {"manifest.json"}
    assert png(pack_zip.read("01_district_rank_1.png")).size == (1920, 1080)
    csv = pack_zip.read("01_district_rank_1.csv")
    assert csv.startswith(BOM) and "南山区" in csv.decode("utf-8-sig")
    manifest = json.loads(pack_zip.read("manifest.json"))
    assert manifest["title"] == meta.title and manifest["demo"] is True
    first = manifest["items"][0]
    assert first["png"] == "01_district_rank_1.png" and first["rows"] == 4
    assert first["caption"] == items[0].caption


# --- tables and file names -------------------------------------------------------


def test_table_csv_has_bom_and_round_trips():
    df = pd.DataFrame({"行政区": ["南山区", "宝安区"], "纪录数": [1, 2]})
    data = export.table_csv(df)
    assert data.startswith(BOM)
    assert pd.read_csv(io.BytesIO(data), encoding="utf-8-sig").equals(df)


def test_table_xlsx_bold_header_and_sized_columns():
    df = pd.DataFrame({"企业名称": ["深圳市某某科技股份有限公司"], "n": [1]})
    book = openpyxl.load_workbook(io.BytesIO(export.table_xlsx(df, "第23届/南山区")))
    sheet = book.worksheets[0]
    assert sheet.title == "第23届_南山区"
    assert sheet["A1"].value == "企业名称" and sheet["A1"].font.b
    assert sheet.column_dimensions["A"].width >= 26  # 13 wide characters
    assert sheet["A2"].value == "深圳市某某科技股份有限公司"


@pytest.mark.parametrize(
    ("parts", "ext", "expected"),
    [
        (("district_rank", "第23届", "南山区"), "png", "district_rank_第23届_南山区.png"),
        (("chart", "南山区/宝安区"), ".pdf", "chart_南山区_宝安区.pdf"),
        (('a<b>:c"d', "e|f?g*h\\i"), "csv", "a_b_c_d_e_f_g_h_i.csv"),
        (("趋势 图", None, "", 23), "svg", "趋势_图_23.svg"),
        (("CON",), "txt", "_CON.txt"),
        (("...",), "png", "export.png"),
        (("name. ",), "png", "name.png"),
    ],
)
def test_safe_filename(parts, ext, expected):
    assert export.safe_filename(*parts, ext=ext) == expected


def test_safe_filename_stays_under_the_byte_limit():
    name = export.safe_filename("南山区" * 200, ext="png")
    assert len(name.encode()) < 255
    assert name.startswith("南山区") and name.endswith(".png")


def test_pdf_text_maps_radicals_back_to_ideographs():
    # Chromium writes KANGXI RADICAL MOUNTAIN for 山 (shared Noto CJK glyph)
    cmap = b"begincmap\n1 beginbfchar\n<01> <2EDA>\nendbfchar\n1 beginbfrange\n<02> <04> <2F2C>\nendbfrange\nendcmap\n"
    fixed = pdftext._fixed_cmap(cmap)
    assert pdftext._cmap_entries(fixed) == {"01": "页", "02": "屮", "03": "山", "04": "巛"}
    assert fixed.startswith(b"begincmap\n") and fixed.endswith(b"endcmap\n")
    assert pdftext._fixed_cmap(b"1 beginbfchar\n<01> <5C71>\nendbfchar\n") is None


# --- dashboard charts, rendered ---------------------------------------------------------------------------

SVG = "{http://www.w3.org/2000/svg}"
DISTRICTS = {"440303": ("罗湖区", "Luohu"), "440304": ("福田区", "Futian"), "440305": ("南山区", "Nanshan"),
             "440306": ("宝安区", "Bao'an"), "440307": ("龙岗区", "Longgang"), "440308": ("盐田区", "Yantian"),
             "440309": ("龙华区", "Longhua"), "440310": ("坪山区", "Pingshan"), "440311": ("光明区", "Guangming")}


def svg_texts(svg: bytes, css_class: str | None = None) -> list[ET.Element]:
    """The <text> elements of a rendered SVG; with css_class, those of that class or inside an element of it."""
    root = ET.fromstring(svg)
    if css_class is None:
        return list(root.iter(f"{SVG}text"))
    found: dict[int, ET.Element] = {}
    for element in root.iter():
        if css_class in (element.get("class") or "").split():
            found.update((id(t), t) for t in element.iter(f"{SVG}text"))
    return list(found.values())


def lines(text: ET.Element) -> list[str]:
    """A text's lines as drawn: one <tspan class="line"> each, or the text itself."""
    spans = [s for s in text.iter(f"{SVG}tspan") if "line" in (s.get("class") or "")]
    return ["".join(s.itertext()) for s in spans] if spans else ["".join(text.itertext())]


def shown_size(text: ET.Element) -> float:
    """The font size a reader sees: the style's size times the transform's scale (0 when hidden)."""
    size = float(re.search(r"font-size: ([\d.]+)px", text.get("style") or "").group(1))
    scale = re.search(r"scale\(([\d.e-]+)", text.get("transform") or "")
    hidden = "display: none" in (text.get("style") or "")
    return 0.0 if hidden else size * (float(scale.group(1)) if scale else 1.0)


def dashboard_chart(name: str, filters):
    from core import catalog

    return catalog.build(name, filters, catalog.load_options())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_map_export_names_every_district_with_its_records(browser, built_db, lang):
    """The exported map (offline: no world map fetched) writes each district's name and its records for
    sessions 21-23 (counted here) as text in the SVG, and the PNG renders too."""
    from core.filters import Filters

    fig, _, _ = dashboard_chart("district_map", Filters(23, 21, 23, lang=lang))
    svg = export.render(fig, "svg", "slide")
    with duckdb.connect(str(built_db), read_only=True) as con:
        counts = dict(con.execute("SELECT district_code, count(*) FROM records WHERE session_no BETWEEN 21 AND 23 "
                                  "GROUP BY ALL").fetchall())
    drawn = {tuple(lines(t)) for t in svg_texts(svg)}
    column = 0 if lang == "zh" else 1
    for code, names in DISTRICTS.items():
        count = counts.get(code, 0)
        assert (names[column], f"{count:,}" if lang == "en" else str(count)) in drawn, names[column]
    assert png(export.render(fig, "png", "slide")).size == (1920, 1080)


@pytest.mark.parametrize("preset", ["slide", "screen2x"])
def test_list_industries_export_names_every_bar(browser, built_db, preset):
    """Session 23's list has 24 industry names (published); every bar keeps its name, none thinned out."""
    from core.filters import Filters

    fig, frame, _ = dashboard_chart("industries_as_published", Filters(23, 1, 23, lang="zh"))
    ticks = [lines(t)[0] for t in svg_texts(export.render(fig, "svg", preset), "ytick")]
    assert len(frame) == 24 and len(ticks) == 24
    assert "计算机、通信和其他电子设备制造业" in ticks and "装卸搬运和仓储业" in ticks


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_treemap_export_has_no_label_below_eleven_pixels(browser, built_db, lang):
    """Every label the treemap draws is at least 11 px (as laid out); the biggest group is among them."""
    from core.filters import Filters

    fig, _, _ = dashboard_chart("industry_breakdown", Filters(23, 21, 23, lang=lang))
    texts = [t for t in svg_texts(export.render(fig, "svg", "screen2x"), "slicetext") if shown_size(t) > 0]
    sizes = [shown_size(t) for t in texts]
    assert min(sizes) >= 11, sorted(sizes)[:5]
    biggest = "通信设备制造" if lang == "zh" else "Communication equipment"
    assert any(" ".join(lines(t)).startswith(biggest) for t in texts), [lines(t) for t in texts][:8]


def test_a_long_memo_title_leaves_no_word_alone_on_its_second_line(browser, items, meta):
    """"深圳企业创新纪录简报 · 第1–23届（2002–2024年）" broke before "年）" on the memo's first page: the title's
    lines are balanced."""
    title = "深圳企业创新纪录简报 · 第1–23届（2002–2024年）"
    reader = PdfReader(io.BytesIO(export.build_pdf(items[:1], replace(meta, title=title))))
    lines = [line.strip().replace("\u2012", "–") for line in reader.pages[0].extract_text().splitlines()]
    start = next(i for i, line in enumerate(lines) if line.startswith("深圳企业创新纪录简报"))
    first, second = lines[start], lines[start + 1]
    # broken at the space of " · ", not inside a phrase ("…简报 · 第" then "1–23届…")
    assert (first, second) == ("深圳企业创新纪录简报 ·", "第1–23届（2002–2024年）"), (first, second)


def test_a_title_part_too_long_for_a_line_may_break():
    """A part kept whole must fit the line: an English district briefing's second part is longer than one."""
    from core.export import pdf

    esc = html.escape
    short = "第1–23届（2002–2024年）"
    long = "Shenzhen Enterprise Innovation Records session 23 (2024) district briefing"
    assert pdf._title(f"Shenshan · {long}", esc) == f'<span class="part">Shenshan</span> · {long}'
    assert pdf._title(f"简报 · {short}", esc) == f'<span class="part">简报</span> · <span class="part">{short}</span>'
