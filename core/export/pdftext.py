"""Making Chromium's PDF text copyable and searchable, and giving the document its title.

Skia (Chromium's PDF backend) maps each glyph back to text through the font's cmap, which fails twice with
Noto Sans CJK SC:
- radicals and ideographs share glyphs, and Skia picks the lowest code point, so copied text read "南⼭区"
  (KANGXI RADICAL MOUNTAIN) and searching for 南山 failed. We map the radicals back: Kangxi ones by NFKC,
  the supplement's simplified ones by a table checked against Noto Sans CJK SC (identical renders);
- the font's Chinese ``locl`` feature swaps digits (and a few quotes) for proportional glyphs that no cmap
  entry reaches, so Skia writes U+0000 and every number in a chart PDF vanished from copy and search. Chart
  PDFs draw text as Type3 fonts whose glyph names are the glyph ids (``/gF6B1``), so we map those ids back
  with ``_LOCL_GLYPHS``, read from the font's GSUB table (identical in the Regular and Bold files).
"""

from __future__ import annotations

import io
import logging
import re
import unicodedata

_RADICALS = {chr(c): unicodedata.normalize("NFKC", chr(c)) for c in range(0x2F00, 0x2FD6)}
_RADICALS.update(
    zip(
        "⺟⺠⻅⻆⻈⻉⻋⻌⻐⻓⻔⻖⻚⻛⻜⻝⻢⻣⻤⻥⻦⻧⻨⻩⻪⻬⻮⻰⻳",
        "母民见角讠贝车辶钅长门阝页风飞食马骨鬼鱼鸟卤麦黄黾齐齿龙龟",
        strict=True,
    )
)
# Noto Sans CJK SC glyph id -> text, for the glyphs its zh-Hans `locl` substitutes (fontTools, GSUB table)
_LOCL_GLYPHS = {0xF6B1 + d: str(d) for d in range(10)}
_LOCL_GLYPHS.update({0xF686: '"', 0xF687: "'", 0xF699: "ʻ", 0xF69B: "‚", 0xF69E: "„", 0xF69F: "‼",
                     0xF6A0: "⁇", 0xF6A1: "⁈", 0xF6A2: "⁉", 0xF6A7: "⸺", 0xF6A8: "⸻", 0xF6BB: "…"})
_HEX = rb"<([0-9A-Fa-f]+)>"
_BF_BLOCK = re.compile(rb"\d+\s+beginbf(char|range)(.*?)endbf(?:char|range)", re.S)
_GLYPH_NAME = re.compile(r"/g([0-9A-Fa-f]+)$")


def _utf16(hex_text: bytes) -> str:
    return bytes.fromhex(hex_text.decode()).decode("utf-16-be", "replace")


def _cmap_entries(cmap: bytes) -> dict[str, str] | None:
    """A ToUnicode CMap as {source code (hex): text}; None if we cannot parse it."""
    entries = {}
    for kind, body in _BF_BLOCK.findall(cmap):
        if kind == b"char":
            for src, dst in re.findall(_HEX + rb"\s*" + _HEX, body):
                entries[src.decode().upper()] = _utf16(dst)
            continue
        if b"[" in body:  # array-form ranges: not written by Skia, leave alone
            return None
        for lo, hi, dst in re.findall(_HEX + rb"\s*" + _HEX + rb"\s*" + _HEX, body):
            first = _utf16(dst)
            for offset, code in enumerate(range(int(lo, 16), int(hi, 16) + 1)):
                text = first[:-1] + chr(ord(first[-1]) + offset)
                entries[format(code, f"0{len(lo)}X")] = text
    return entries


def _fixed_cmap(cmap: bytes, unmapped: dict[int, str] | None = None) -> bytes | None:
    """The CMap with radicals replaced and codes mapped to U+0000 filled from `unmapped` (code -> text);
    None when nothing needs fixing."""
    entries = _cmap_entries(cmap)
    if not entries:
        return None
    unmapped = unmapped or {}
    fixed = {}
    for src, text in entries.items():
        if text in ("", "\x00") and int(src, 16) in unmapped:
            text = unmapped[int(src, 16)]
        fixed[src] = "".join(_RADICALS.get(c, c) for c in text)
    if fixed == entries:
        return None
    pairs = [f"<{src}> <{text.encode('utf-16-be').hex()}>" for src, text in fixed.items()]
    blocks = [pairs[i : i + 100] for i in range(0, len(pairs), 100)]  # spec limit
    body = "".join(f"{len(b)} beginbfchar\n" + "\n".join(b) + "\nendbfchar\n" for b in blocks)
    spans = [m.span() for m in _BF_BLOCK.finditer(cmap)]
    return cmap[: spans[0][0]] + body.encode() + cmap[spans[-1][1] :]


def _type3_glyph_text(font) -> dict[int, str]:
    """{code: text} for a Type3 font's codes whose glyph (named by id) is one of _LOCL_GLYPHS."""
    encoding = font.get("/Encoding")
    encoding = encoding.get_object() if encoding is not None else None
    if font.get("/Subtype") != "/Type3" or not hasattr(encoding, "get"):
        return {}
    found, code = {}, 0
    for entry in encoding.get("/Differences") or []:
        if isinstance(entry, int):
            code = entry
            continue
        match = _GLYPH_NAME.match(str(entry))
        if match and int(match.group(1), 16) in _LOCL_GLYPHS:
            found[code] = _LOCL_GLYPHS[int(match.group(1), 16)]
        code += 1
    return found


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


def fix_pdf_text(pdf: bytes, title: str | None = None, lang: str | None = None) -> bytes:
    """The PDF with its text mapped back as above and, if given, `title` as its document title (Chromium
    writes the HTML page's title, which for a chart is kaleido's page) and `lang` (e.g. "zh-CN") as the
    document's language, which a screen reader reads it in (Chromium does not write the page's lang)."""
    from pypdf import PdfReader, PdfWriter
    from pypdf.generic import NameObject, TextStringObject

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
            fixed = _fixed_cmap(stream.get_data(), _type3_glyph_text(font))
            if fixed is not None:
                stream.set_data(fixed)
                changed = True
    if title:
        writer.add_metadata({"/Title": title})
        writer.create_viewer_preferences().display_doctitle = True  # window shows the title, not the file
        changed = True
    if lang:
        writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
        changed = True
    if not changed:
        return pdf
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
