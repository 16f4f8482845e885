"""Server-side chart rendering and briefing-pack building (no Streamlit here).

Used by the Streamlit pages and by ``python -m core.cli export|pack`` so both
produce the same bytes.

Rendering: one persistent kaleido 1.x Chromium for the whole process, started
on first use and stopped at exit. We drive ``kaleido.Kaleido`` on our own
event-loop thread instead of ``kaleido.start_sync_server``: kaleido 1.5's sync
server swallows start-up failures in its thread and then blocks forever on the
first call (measured: missing or crashing browser = hung request). Here a
failure surfaces as ``ExportUnavailable`` and every call has a timeout. The
browser is not thread-safe, so all use goes through ``_lock``.

Browser lookup: ``$BROWSER_PATH`` if set, else ``/usr/bin/chromium`` (Debian)
if it exists, else choreographer's own search (its downloaded copy, then
chrome/chromium on ``PATH``). We pass the result as kaleido's ``path=``.

Sizes: a chart is laid out at a logical CSS size (e.g. 960x540 for a slide)
and reaches its pixel size through kaleido's ``scale``, so text grows with the
output; Plotly's 12 px default is unreadable at 1920x1080 otherwise.

PDF memo: an HTML page (text + the A4-preset PNGs) printed by the same
Chromium with ``Page.printToPDF``, the call kaleido itself uses for PDF
charts. Chosen over reportlab because reportlab cannot embed the CFF-based
Noto CJK fonts and its ``STSong-Light`` is not embedded (readers without the
Adobe Asian font pack or poppler-data show nothing), whereas Chromium embeds
subsets of the same Noto Sans CJK SC used in the charts, wraps Chinese text
correctly and numbers pages itself. No extra dependency: the memo needs the
browser for its chart images anyway.
"""

from __future__ import annotations

import asyncio
import atexit
import base64
import html
import io
import json
import logging
import os
import re
import tempfile
import threading
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

__all__ = [
    "PRESETS",
    "BriefingItem",
    "ExportUnavailable",
    "PackMeta",
    "Preset",
    "browser_path",
    "build_pdf",
    "build_pptx",
    "build_zip",
    "is_running",
    "render",
    "safe_filename",
    "shutdown",
    "start",
    "table_csv",
    "table_xlsx",
]

_log = logging.getLogger(__name__)

INSTALL_HINT = "apt-get install chromium fonts-noto-cjk"
DEBIAN_CHROMIUM = "/usr/bin/chromium"
START_TIMEOUT = 60  # s; cold start measured ~2.5 s, leave room for slow CI
RENDER_TIMEOUT = 60  # s per image or printed memo
FORMATS = ("png", "svg", "pdf")

# Chromium's own fallback for Han characters picks the JP variant of Noto CJK
# (Japanese glyph shapes, measured); naming the SC face after the figure's
# fonts keeps Latin text as designed and Chinese in simplified forms.
CJK_FAMILIES = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC"'
PLOTLY_DEFAULT_FAMILY = '"Open Sans", verdana, arial, sans-serif'
PPTX_FONT = "Noto Sans CJK SC"


class ExportUnavailable(RuntimeError):
    """The export browser is missing or would not start; the app keeps working."""


@dataclass(frozen=True)
class Preset:
    """Logical layout size in CSS px and the scale that reaches the pixel size."""

    name: str
    width: int
    height: int
    scale: float
    follow_figure: bool = False  # use the figure's own layout size when it sets one

    @property
    def pixel_width(self) -> int:
        return round(self.width * self.scale)

    @property
    def pixel_height(self) -> int:
        return round(self.height * self.scale)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("slide", 960, 540, 2),  # 1920x1080, a 16:9 slide
        # A4 width at 300 dpi, laid out at the charts' design size (core/charts.py
        # WIDTH x HEIGHT): narrower layouts thinned tick labels and pushed legends
        # over subtitles. 13 px text prints at ~7 pt on a full-width A4 image.
        Preset("a4", 960, 540, 2480 / 960),  # 2480x1395
        Preset("screen2x", 960, 540, 2, follow_figure=True),  # as on screen, at 2x
    )
}


# --- the browser -------------------------------------------------------------


def browser_path() -> str | None:
    """The browser kaleido will be told to use (None: let choreographer search)."""
    if os.environ.get("BROWSER_PATH"):
        return os.environ["BROWSER_PATH"]
    return DEBIAN_CHROMIUM if os.path.exists(DEBIAN_CHROMIUM) else None


class _Engine:
    """One kaleido Chromium living on a private asyncio loop thread."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, name="kaleido-export", daemon=True)
        self.thread.start()
        try:
            self.kaleido = self.call(self._open(), START_TIMEOUT)
        except BaseException:
            self._stop_loop()
            raise

    async def _open(self):
        import kaleido  # imported late: a broken kaleido must not break the app

        k = kaleido.Kaleido(n=1, mathjax=False, path=browser_path(), timeout=RENDER_TIMEOUT)
        await k.open()
        return k

    def call(self, coro, timeout: float):
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def render(self, spec: dict, opts: dict) -> bytes:
        return self.call(self.kaleido.calc_fig(spec, opts), RENDER_TIMEOUT + 15)

    def print_pdf(self, url: str, params: dict) -> bytes:
        return self.call(self._print(url, params), RENDER_TIMEOUT)

    async def _print(self, url: str, params: dict) -> bytes:
        tab = await self.kaleido.create_tab("")
        try:
            await _devtools(tab, "Page.enable")
            loaded = tab.subscribe_once("Page.loadEventFired")
            while loaded.done():  # drop a stale event from the blank page
                loaded = tab.subscribe_once("Page.loadEventFired")
            await _devtools(tab, "Page.navigate", {"url": url})
            await loaded  # fires after the <img> files have loaded
            result = await _devtools(tab, "Page.printToPDF", params)
            return base64.b64decode(result["data"])
        finally:
            await self.kaleido.close_tab(tab)

    def close(self) -> None:
        try:
            self.call(self.kaleido.close(), 15)
        finally:
            self._stop_loop()

    def _stop_loop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(5)


async def _devtools(tab, command: str, params: dict | None = None) -> dict:
    response = await tab.send_command(command, params=params)
    if "error" in response:
        raise RuntimeError(f"{command} failed: {response['error']}")
    return response.get("result", {})


_lock = threading.Lock()
_engine: _Engine | None = None


def _start_locked() -> _Engine:
    global _engine
    if _engine is None:
        try:
            _engine = _Engine()
        except Exception as exc:
            raise ExportUnavailable(
                "Image export needs a Chromium browser and CJK fonts on the "
                f"server: {INSTALL_HINT} (or set BROWSER_PATH). "
                f"Browser tried: {browser_path() or 'auto-detect'}. "
                f"Cause: {type(exc).__name__}: {exc}"
            ) from exc
        atexit.unregister(shutdown)  # once, however often the browser restarts
        atexit.register(shutdown)
    return _engine


def _with_engine(job: Callable[[_Engine], bytes]) -> bytes:
    """Run job on the browser; restart once if the browser itself died."""
    global _engine
    for attempt in (1, 2):
        with _lock:
            engine = _start_locked()
            # importable now: the engine started, so kaleido's dependency is there
            from choreographer.errors import BrowserClosedError, BrowserFailedError

            try:
                return job(engine)
            except (BrowserClosedError, BrowserFailedError, TimeoutError) as exc:
                _engine = None
                _close_quietly(engine)
                if attempt == 2:
                    raise ExportUnavailable(f"Export browser failed: {exc}") from exc
    raise AssertionError("unreachable")


def _close_quietly(engine: _Engine) -> None:
    try:
        engine.close()
    except Exception:  # noqa: BLE001  best effort: already broken or exiting
        _log.warning("export browser did not close cleanly", exc_info=True)


def start() -> None:
    """Start the export browser now (e.g. behind a progress message)."""
    with _lock:
        _start_locked()


def is_running() -> bool:
    return _engine is not None


def shutdown() -> None:
    """Stop the browser; the next export starts a new one. Runs at exit."""
    global _engine
    if not _lock.acquire(timeout=10):  # a hung render must not block exit
        return
    try:
        if _engine is not None:
            _close_quietly(_engine)
            _engine = None
    finally:
        _lock.release()


# --- rendering ---------------------------------------------------------------


def _preset(preset: str | Preset) -> Preset:
    if isinstance(preset, Preset):
        return preset
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; choose from {sorted(PRESETS)}")
    return PRESETS[preset]


def _figure_spec(fig: Any) -> dict:
    """A copy of the figure as a dict, with a simplified-Chinese font fallback."""
    spec = fig.to_dict() if hasattr(fig, "to_dict") else json.loads(json.dumps(fig))
    layout = spec.setdefault("layout", {})
    template_font = layout.get("template", {}).get("layout", {}).get("font", {})
    family = layout.get("font", {}).get("family") or template_font.get("family") or PLOTLY_DEFAULT_FAMILY
    if "CJK" not in family and "YaHei" not in family:
        layout.setdefault("font", {})["family"] = f"{family}, {CJK_FAMILIES}"
    return spec


def render(
    fig: go.Figure,
    fmt: str = "png",
    preset: str | Preset = "slide",
    *,
    width: int | None = None,
    height: int | None = None,
) -> bytes:
    """Render fig to png/svg/pdf bytes at a preset.

    width/height (logical CSS px) override the preset's size; screen2x takes
    them from the figure's layout when it sets them, as the screen does.
    """
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; choose from {FORMATS}")
    p = _preset(preset)
    spec = _figure_spec(fig)
    if p.follow_figure:
        width = width or spec["layout"].get("width")
        height = height or spec["layout"].get("height")
    opts = {"format": fmt, "width": width or p.width, "height": height or p.height, "scale": p.scale}
    image = _with_engine(lambda engine: engine.render(spec, opts))
    return _fix_pdf_text(image) if fmt == "pdf" else image


# --- file names and tables ---------------------------------------------------

_ILLEGAL = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{d}{i}" for d in ("COM", "LPT") for i in range(1, 10)}
_MAX_STEM_BYTES = 150  # well under the 255-byte limit; Chinese is 3 bytes a char


def safe_filename(*parts: object, ext: str) -> str:
    """Join parts with "_" into a name legal on Windows, macOS and Linux.

    Chinese is kept; path separators, reserved characters and whitespace runs
    become "_"; None and empty parts are dropped.
    """
    words = [unicodedata.normalize("NFC", str(p)) for p in parts if p not in (None, "")]
    stem = _ILLEGAL.sub("_", "_".join(words))
    stem = re.sub(r"\s+", "_", stem)
    stem = re.sub(r"_+", "_", stem).strip("._ ")
    while len(stem.encode()) > _MAX_STEM_BYTES:
        stem = stem[:-1]
    stem = stem.rstrip("._ ") or "export"
    if stem.split(".")[0].upper() in _WINDOWS_RESERVED:
        stem = f"_{stem}"
    ext = _ILLEGAL.sub("", ext.strip().lstrip("."))
    return f"{stem}.{ext}" if ext else stem


def table_csv(df: pd.DataFrame) -> bytes:
    """CSV in UTF-8 with BOM: without the BOM Excel reads Chinese as GBK."""
    return df.to_csv(index=False).encode("utf-8-sig")


def _display_width(value: object) -> int:
    # wide (CJK) characters take two columns in Excel
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in str(value))


def _sheet_name(title: str) -> str:
    name = re.sub(r"[\[\]:*?/\\]", "_", title or "data").strip("'")
    return name[:31] or "data"


def table_xlsx(df: pd.DataFrame, sheet_title: str) -> bytes:
    """One sheet, bold header, frozen header row, columns sized to their text."""
    import pandas as pd

    sheet = _sheet_name(sheet_title)
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="xlsxwriter") as writer:
        df.to_excel(writer, sheet_name=sheet, index=False)
        ws = writer.sheets[sheet]
        # pandas 3 writes a plain header; rewrite it bold
        bold = writer.book.add_format({"bold": True})
        ws.write_row(0, 0, [str(c) for c in df.columns], bold)
        ws.freeze_panes(1, 0)
        for i, col in enumerate(df.columns):
            sample = df[col].head(1000).tolist()  # enough to size, cheap on big tables
            widest = max([_display_width(col)] + [_display_width(v) for v in sample])
            ws.set_column(i, i, min(widest + 2, 60))
    return buf.getvalue()


# --- briefing packs ----------------------------------------------------------


@dataclass
class BriefingItem:
    name: str  # chart name, as in core/charts.py and queries/
    title: str
    subtitle: str
    caption: str
    source: str
    figure: go.Figure
    data: pd.DataFrame


@dataclass
class PackMeta:
    title: str
    subtitle: str  # the filters in force, e.g. "第23届 · 南山区、宝安区"
    date: str
    lang: str  # "zh" or "en"
    demo: bool
    data_version: str
    summary: str
    permalink: str


_LABELS = {
    "zh": {
        "demo": "演示数据：非官方名单",
        "date": "日期",
        "version": "数据版本",
        "link": "在线查看",
        "source": "来源",
        "page": "第 {p} / {n} 页",
    },
    "en": {
        "demo": "Demo data: not the official list",
        "date": "Date",
        "version": "Data version",
        "link": "Open online",
        "source": "Source",
        "page": "Page {p} of {n}",
    },
}

OnStep = Callable[[int, int, str], None]


def _labels(meta: PackMeta) -> dict[str, str]:
    return _LABELS.get(meta.lang, _LABELS["en"])


def _render_all(items: list[BriefingItem], preset: str, on_step: OnStep | None) -> list[bytes]:
    images = []
    for i, item in enumerate(items):
        if on_step:
            on_step(i, len(items), item.title)
        images.append(render(item.figure, "png", preset))
    return images


def _qr_png(text: str) -> bytes | None:
    if not text:
        return None
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=8, border=2)
    return buf.getvalue()


def _item_files(i: int, item: BriefingItem) -> tuple[str, str]:
    return (
        safe_filename(f"{i:02d}", item.name, ext="png"),
        safe_filename(f"{i:02d}", item.name, ext="csv"),
    )


def build_zip(items: list[BriefingItem], meta: PackMeta, *, on_step: OnStep | None = None) -> bytes:
    """Slide-size PNG and BOM CSV per item, plus manifest.json."""
    images = _render_all(items, "slide", on_step)
    manifest: dict[str, Any] = {**asdict(meta), "items": []}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (item, png) in enumerate(zip(items, images), start=1):
            png_name, csv_name = _item_files(i, item)
            zf.writestr(png_name, png)
            zf.writestr(csv_name, table_csv(item.data))
            manifest["items"].append(
                {
                    "png": png_name,
                    "csv": csv_name,
                    "name": item.name,
                    "title": item.title,
                    "subtitle": item.subtitle,
                    "caption": item.caption,
                    "source": item.source,
                    "rows": len(item.data),
                }
            )
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buf.getvalue()


# PPTX ----------------------------------------------------------------------

_SLIDE_W_IN, _SLIDE_H_IN = 40 / 3, 7.5  # PowerPoint widescreen, exactly 16:9


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


def _title_slide(prs, meta: PackMeta) -> None:
    from pptx.util import Inches

    labels = _labels(meta)
    slide = prs.slides.add_slide(prs.slide_layouts[6])  # blank: we place everything
    paras = [[(meta.title, 40, True, "1F2937")], [(meta.subtitle, 24, False, "374151")]]
    paras.append([(f"{labels['date']}: {meta.date}", 18, False, "4B5563")])
    if meta.data_version:
        paras.append([(f"{labels['version']}: {meta.data_version}", 14, False, "6B7280")])
    if meta.demo:
        paras.append([(labels["demo"], 20, True, "B91C1C")])
    _textbox(slide, meta, (0.8, 1.6, 9.4, 4.2), paras)
    if meta.permalink:
        link = [[(meta.permalink, 12, False, "1D4ED8")]]
        frame = _textbox(slide, meta, (0.8, 6.2, 9.4, 0.6), link)
        frame.paragraphs[0].runs[0].hyperlink.address = meta.permalink
        qr = _qr_png(meta.permalink)
        slide.shapes.add_picture(io.BytesIO(qr), Inches(10.8), Inches(4.9), Inches(1.9))


def _chart_slide(prs, meta: PackMeta, item: BriefingItem, png: bytes) -> None:
    from pptx.util import Inches

    labels = _labels(meta)
    slide = prs.slides.add_slide(prs.slide_layouts[6])
    head = [[(item.title, 26, True, "1F2937")]]
    if item.subtitle:
        head.append([(item.subtitle, 14, False, "4B5563")])
    _textbox(slide, meta, (0.5, 0.15, 12.3, 0.95), head)
    # 16:9 picture between the heading and the caption, centred
    pic_h = 5.0
    pic_w = pic_h * 16 / 9
    left = (_SLIDE_W_IN - pic_w) / 2
    slide.shapes.add_picture(io.BytesIO(png), Inches(left), Inches(1.15), Inches(pic_w), Inches(pic_h))
    foot = [[(item.caption, 14, False, "1F2937")]] if item.caption else []
    notes = [(f"{labels['source']}: {item.source}", 10, False, "6B7280")] if item.source else []
    if meta.demo:
        notes.append(("    " + labels["demo"], 10, True, "B91C1C"))
    if notes:
        foot.append(notes)
    if foot:
        _textbox(slide, meta, (0.5, 6.2, 12.3, 1.2), foot)


def build_pptx(items: list[BriefingItem], meta: PackMeta, *, on_step: OnStep | None = None) -> bytes:
    """16:9 deck: a title slide, then one slide per chart (text stays editable)."""
    from pptx import Presentation
    from pptx.util import Inches

    images = _render_all(items, "slide", on_step)
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


# PDF -----------------------------------------------------------------------

# Skia (Chromium's PDF backend) maps each glyph to its lowest code point, and
# Noto CJK draws radicals and ideographs with one glyph, so text copied from
# the PDF read "南⼭区" (KANGXI RADICAL MOUNTAIN) and searching for 南山 failed.
# Map the radicals back: Kangxi ones by NFKC, the supplement's simplified ones
# by a table checked against Noto Sans CJK SC (identical renders).
_RADICALS = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
_RADICALS.update(
    zip(
        "⺟⺠⻅⻆⻈⻉⻋⻌⻐⻓⻔⻖⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
        "母民见角讠贝车辶钅长门阝页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
        strict=True,
    )
)
_HEX = rb"<([0-9A-Fa-f]+)>"
_BF_BLOCK = re.compile(rb"\d+\s+beginbf(char|range)(.*?)endbf(?:char|range)", re.S)


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", "replace")


def _cmap_entries(cmap: bytes) -> dict[str, str] | None:
    """A ToUnicode CMap as {source code (hex): text}; None if we cannot parse it."""
    entries = {}
    for kind, body in _BF_BLOCK.findall(cmap):
        if kind == b"char":
            for src, dst in re.findall(_HEX + rb"\s*" + _HEX, body):
                entries[src.decode()] = _utf16(dst)
            continue
        if b"[" in body:  # array-form ranges: not written by Skia, leave alone
            return None
        for lo, hi, dst in re.findall(_HEX + rb"\s*" + _HEX + rb"\s*" + _HEX, body):
            first = _utf16(dst)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                text = first[:-1] + chr(ord(first[-1]) + offset)
                entries[format(code, f"0{len(lo)}X")] = text
    return entries


def _fixed_cmap(cmap: bytes) -> bytes | None:
    """The CMap with radicals replaced, or None when nothing needs fixing."""
    entries = _cmap_entries(cmap)
    if not entries or not any(c in _RADICALS for t in entries.values() for c in t):
        return None
    pairs = [
        f"<{src}> <{''.join(_RADICALS.get(c, c) for c in text).encode('utf-16-be').hex()}>"
        for src, text in entries.items()
    ]
    blocks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]  # spec limit
    body = "".join(f"{len(b)} beginbfchar\n" + "\n".join(b) + "\nendbfchar\n" for b in blocks)
    spans = [m.span() for m in _BF_BLOCK.finditer(cmap)]
    return cmap[: spans[0][0]] + body.encode() + cmap[spans[-1][1] :]


def _fonts(resources, seen: set[int]):
    """Every font reachable from a resource dict (forms and Type3 fonts nest)."""
    if resources is None:
        return
    resources = resources.get_object()
    children = list((resources.get("/Font") or {}).values())
    children += list((resources.get("/XObject") or {}).values())
    for child in children:
        child = child.get_object()
        if id(child) in seen or child.get("/Subtype") == "/Image":
            continue
        seen.add(id(child))
        if child.get("/Type") == "/Font":
            yield child
        yield from _fonts(child.get("/Resources"), seen)


def _quiet_pypdf(record: logging.LogRecord) -> bool:
    # Chromium's trailer /Size undercounts its objects; harmless, but pypdf
    # would log it on every export
    return not record.getMessage().startswith("Object count")


def _fix_pdf_text(pdf: bytes) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer_log = logging.getLogger("pypdf._writer")
    if _quiet_pypdf not in writer_log.filters:
        writer_log.addFilter(_quiet_pypdf)
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf)))
    changed, seen = False, set()
    for page in writer.pages:
        for font in _fonts(page.get("/Resources"), seen):
            if "/ToUnicode" not in font:
                continue
            stream = font["/ToUnicode"].get_object()
            fixed = _fixed_cmap(stream.get_data())
            if fixed is not None:
                stream.set_data(fixed)
                changed = True
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


_MEMO_CSS = """
@page { size: A4; }
body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;
       font-size: 10.5pt; line-height: 1.55; color: #1f2937; margin: 0; }
header { display: flex; justify-content: space-between; gap: 6mm;
         border-bottom: 0.6mm solid #1f2937; padding-bottom: 3mm; margin-bottom: 4mm; }
h1 { font-size: 19pt; line-height: 1.3; margin: 0 0 1.5mm; }
.filters { font-size: 12.5pt; margin: 0 0 1.5mm; }
.meta { font-size: 9pt; color: #4b5563; margin: 0; word-break: break-all; }
.demo { display: inline-block; color: #b91c1c; font-weight: bold;
        border: 0.4mm solid #b91c1c; padding: 0.5mm 2mm; margin-top: 2mm; }
.qr { width: 24mm; height: 24mm; flex: none; }
.summary { margin: 0 0 5mm; text-align: justify; }
figure { margin: 0 0 6mm; break-inside: avoid; }
figure img { width: 100%; display: block; }
.caption { margin: 1.5mm 0 0.5mm; }
.source { font-size: 8.5pt; color: #6b7280; margin: 0; }
"""

_FOOTER = (
    "<div style=\"font-family: 'Noto Sans CJK SC', sans-serif; font-size: 8pt; "
    "color: #6b7280; width: 100%; margin: 0 12mm; display: flex; "
    'justify-content: space-between;"><span>{left}</span><span>{page}</span></div>'
)


def _memo_html(items, meta: PackMeta, image_files: list[str], qr_file: str | None) -> str:
    esc = html.escape
    labels = _labels(meta)
    head = [
        f"<h1>{esc(meta.title)}</h1>",
        f'<p class="filters">{esc(meta.subtitle)}</p>',
    ]
    info = f"{labels['date']}: {esc(meta.date)}"
    if meta.data_version:
        info += f" · {labels['version']}: {esc(meta.data_version)}"
    head.append(f'<p class="meta">{info}</p>')
    if meta.permalink:
        link = esc(meta.permalink)
        head.append(f'<p class="meta">{labels["link"]}: <a href="{link}">{link}</a></p>')
    if meta.demo:
        head.append(f'<div class="demo">{esc(labels["demo"])}</div>')
    qr = f'<img class="qr" src="{qr_file}" alt="">' if qr_file else ""
    body = [f"<header><div>{''.join(head)}</div>{qr}</header>"]
    if meta.summary:
        body.append(f'<p class="summary">{esc(meta.summary)}</p>')
    for item, src in zip(items, image_files):
        body.append(
            f'<figure><img src="{src}" alt="{esc(item.title)}"><figcaption>'
            f'<p class="caption">{esc(item.caption)}</p>'
            f'<p class="source">{labels["source"]}: {esc(item.source)}</p>'
            "</figcaption></figure>"
        )
    lang = "zh-CN" if meta.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(meta.title)}</title><style>{_MEMO_CSS}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def _footer(meta: PackMeta) -> str:
    labels = _labels(meta)
    page = labels["page"].format(p='<span class="pageNumber"></span>', n='<span class="totalPages"></span>')
    left = html.escape(meta.title)
    if meta.demo:
        left += f" · {html.escape(labels['demo'])}"
    return _FOOTER.format(left=left, page=page)


def build_pdf(items: list[BriefingItem], meta: PackMeta, *, on_step: OnStep | None = None) -> bytes:
    """A4 memo: header, summary, each chart with caption and source, page numbers."""
    images = _render_all(items, "a4", on_step)
    mm = 1 / 25.4  # printToPDF takes inches
    params = {
        "paperWidth": 210 * mm,
        "paperHeight": 297 * mm,
        "marginTop": 15 * mm,
        "marginBottom": 16 * mm,
        "marginLeft": 16 * mm,
        "marginRight": 16 * mm,
        "preferCSSPageSize": True,  # exact A4 (paperWidth rounds to 596 pt)
        "printBackground": True,
        "displayHeaderFooter": True,
        "headerTemplate": "<span></span>",
        "footerTemplate": _footer(meta),
    }
    with tempfile.TemporaryDirectory(prefix="memo-") as tmp:
        folder = Path(tmp)
        names = []
        for i, png in enumerate(images, start=1):
            names.append(f"{i:02d}.png")
            (folder / names[-1]).write_bytes(png)
        qr = _qr_png(meta.permalink)
        if qr:
            (folder / "qr.png").write_bytes(qr)
        page = folder / "memo.html"
        page.write_text(_memo_html(items, meta, names, "qr.png" if qr else None), "utf-8")
        if on_step:
            on_step(len(items), len(items) + 1, "PDF")
        pdf = _with_engine(lambda engine: engine.print_pdf(page.as_uri(), params))
    return _fix_pdf_text(pdf)
