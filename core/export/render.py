"""Rendering presets and single-chart rendering (png/svg/pdf).

Sizes: a chart is laid out at a logical CSS size (e.g. 960x540 for a slide) and reaches its pixel size
through kaleido's ``scale``, so text grows with the output; Plotly's 12 px default is unreadable at 1920x1080
otherwise. Each preset also states the DPI its PNG declares, so Word and PowerPoint place a slide image at
13.33 inches and an A4 image at A4 width instead of guessing 96 dpi.
"""

from __future__ import annotations

import html
import json
import re
import struct
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from core.export.browser import with_engine
from core.export.pdftext import fix_pdf_text

if TYPE_CHECKING:
    import plotly.graph_objects as go

FORMATS = ("png", "svg", "pdf")

# Chromium's own fallback for Han characters picks the JP variant of Noto CJK
# (Japanese glyph shapes, measured); naming the SC face after the figure's
# fonts keeps Latin text as designed and Chinese in simplified forms.
CJK_FAMILIES = '"Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC"'
PLOTLY_DEFAULT_FAMILY = '"Open Sans", verdana, arial, sans-serif'


@dataclass(frozen=True)
class Preset:
    """Logical layout size in CSS px, the scale that reaches the pixel size, and the DPI the PNG declares."""

    name: str
    width: int
    height: int
    scale: float
    follow_figure: bool = False  # use the figure's own layout size when it sets one
    dpi: int = 96

    @property
    def pixel_width(self) -> int:
        return round(self.width * self.scale)

    @property
    def pixel_height(self) -> int:
        return round(self.height * self.scale)


PRESETS: dict[str, Preset] = {
    p.name: p
    for p in (
        Preset("slide", 960, 540, 2, dpi=144),  # 1920x1080 = 13.33 x 7.5 in, PowerPoint's widescreen slide
        # A4 width at 300 dpi, laid out at the charts' design size (core/charts/template.py
        # WIDTH x HEIGHT): narrower layouts thinned tick labels and pushed legends
        # over subtitles. 13 px text prints at ~7 pt on a full-width A4 image.
        Preset("a4", 960, 540, 2480 / 960, dpi=300),  # 2480x1395
        Preset("screen2x", 960, 540, 2, follow_figure=True, dpi=192),  # as on screen, at 2x
    )
}


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


def figure_title(spec: dict) -> str:
    """The figure's title as plain text (Plotly titles carry <b>, <br> and entities)."""
    title = spec.get("layout", {}).get("title") or {}
    return plain(title.get("text", "") if isinstance(title, dict) else str(title))


def plain(text: str) -> str:
    text = re.sub(r"<br\s*/?>", " ", text or "", flags=re.I)
    return " ".join(html.unescape(re.sub(r"<[^>]*>", "", text)).split())


def demo_note(spec: dict) -> str:
    """The text of the figure's "demo data" marker (the annotation named demo), or "" without one."""
    notes = spec.get("layout", {}).get("annotations") or []
    return next((plain(a.get("text", "")) for a in notes if a.get("name") == "demo"), "")


def png_with_comment(png: bytes, text: str) -> bytes:
    """The PNG with an iTXt "Comment" chunk (UTF-8) after its header: the demo marker the image shows, also
    where a program (or a test) can read it. Pixels untouched."""
    body = b"iTXt" + b"Comment\0" + b"\0\0" + b"\0" + b"\0" + text.encode("utf-8")
    chunk = struct.pack(">I", len(body) - 4) + body + struct.pack(">I", zlib.crc32(body))
    (length,) = struct.unpack(">I", png[8:12])
    end = 8 + 12 + length  # IHDR always comes first
    return png[:end] + chunk + png[end:]


def png_with_dpi(png: bytes, dpi: float) -> bytes:
    """The PNG with a pHYs chunk declaring dpi (any old one replaced); pixels untouched, no re-encoding."""
    ppm = round(dpi / 0.0254)
    body = b"pHYs" + struct.pack(">IIB", ppm, ppm, 1)  # unit 1: per metre
    phys = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body))
    out, pos = [png[:8]], 8
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind = png[pos + 4 : pos + 8]
        end = pos + 12 + length
        if kind != b"pHYs":
            out.append(png[pos:end])
        if kind == b"IHDR":
            out.append(phys)
        pos = end
    return b"".join(out)


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
    image = with_engine(lambda engine: engine.render(spec, opts))
    if fmt == "pdf":
        return fix_pdf_text(image, title=figure_title(spec))
    if fmt == "png":
        note = demo_note(spec)
        image = png_with_dpi(image, p.dpi)
        return png_with_comment(image, note) if note else image
    return image
