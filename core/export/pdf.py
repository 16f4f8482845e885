"""PDF memo: an A4 HTML page (text + the A4-preset PNGs) printed by the export browser.

Printed with ``Page.printToPDF``, the call kaleido itself uses for PDF charts. Chosen over reportlab because
reportlab cannot embed the CFF-based Noto CJK fonts and its ``STSong-Light`` is not embedded (readers without
the Adobe Asian font pack or poppler-data show nothing), whereas Chromium embeds subsets of the same Noto Sans
CJK SC used in the charts, wraps Chinese text correctly and numbers pages itself. No extra dependency: the
memo needs the browser for its chart images anyway. The page's look is memo.css beside this file.
"""

from __future__ import annotations

import functools
import html
import tempfile
from pathlib import Path

from core import config
from core.charts.text_lines import text_width
from core.export.browser import with_engine
from core.export.pack import BriefingItem, OnStep, PackMeta, label, qr_png, render_all
from core.export.pdftext import fix_pdf_text

HERE = config.EXPORT_STYLES
MM = 1 / 25.4  # printToPDF takes inches
TITLE_PT, LINE_PT = 19, 178 / 25.4 * 72  # memo.css's h1 size; the text's width between the 16 mm margins


def _title(title: str, esc) -> str:
    """The title's " · " parts kept whole where one fits on a line (memo.css .part): a line broken inside
    "第1–23届（2002–2024年）" left "年）" or "1–23届…" alone on the next line. A longer part may break."""
    return " · ".join(f'<span class="part">{esc(part)}</span>' if text_width(part, TITLE_PT) <= 0.9 * LINE_PT
                      else esc(part) for part in title.split(" · "))


@functools.cache
def _css(name: str) -> str:
    return (HERE / name).read_text(encoding="utf-8")


def _header(meta: PackMeta, qr_file: str | None) -> str:
    esc = html.escape
    head = [f"<h1>{_title(meta.title, esc)}</h1>", f'<p class="filters">{esc(meta.subtitle)}</p>']
    info = f"{esc(label(meta, 'date'))}: {esc(meta.date)}"
    if meta.data_version:
        info += f" · {esc(label(meta, 'version'))}: {esc(meta.data_version)}"
    head.append(f'<p class="meta">{info}</p>')
    if meta.permalink:
        link = esc(meta.permalink)
        head.append(f'<p class="meta">{esc(label(meta, "link"))}: <a href="{link}">{link}</a></p>')
    if meta.demo:
        head.append(f'<div class="demo">{esc(label(meta, "demo"))}</div>')
    qr = f'<img class="qr" src="{qr_file}" alt="">' if qr_file else ""
    return f"<header><div>{''.join(head)}</div>{qr}</header>"


def _memo_html(items: list[BriefingItem], meta: PackMeta, image_files: list[str], qr_file: str | None) -> str:
    esc = html.escape
    body = [_header(meta, qr_file)]
    if meta.summary:
        body.append(f'<p class="summary">{esc(meta.summary)}</p>')
    for item, src in zip(items, image_files):
        body.append(
            f'<figure><img src="{src}" alt="{esc(item.description)}"><figcaption>'
            f'<p class="description">{esc(item.description)}</p>'
            f'<p class="caption">{esc(item.caption)}</p>'
            f'<p class="source">{esc(label(meta, "source"))}: {esc(item.source)}</p>'
            "</figcaption></figure>"
        )
    lang = "zh-CN" if meta.lang == "zh" else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f"<title>{esc(meta.title)}</title><style>{_css('memo.css')}</style></head>"
        f"<body>{''.join(body)}</body></html>"
    )


def _footer(meta: PackMeta) -> str:
    page = label(meta, "page", p="{p}", n="{n}")
    page = html.escape(page).format(p='<span class="pageNumber"></span>', n='<span class="totalPages"></span>')
    left = html.escape(meta.title)
    if meta.demo:
        left += f" · {html.escape(label(meta, 'demo'))}"
    return f'<style>{_css("memo_footer.css")}</style><div class="footer"><span>{left}</span><span>{page}</span></div>'


def write_images(folder: Path, images: list[bytes]) -> list[str]:
    """The pictures as 01.png, 02.png, ... in `folder`, for the printed page to load; their names in order."""
    names = [f"{i:02d}.png" for i in range(1, len(images) + 1)]
    for name, png in zip(names, images):
        (folder / name).write_bytes(png)
    return names


def _print_params(meta: PackMeta) -> dict:
    return {
        "paperWidth": 210 * MM,
        "paperHeight": 297 * MM,
        "marginTop": 15 * MM,
        "marginBottom": 16 * MM,
        "marginLeft": 16 * MM,
        "marginRight": 16 * MM,
        "preferCSSPageSize": True,  # exact A4 (paperWidth rounds to 596 pt)
        "printBackground": True,
        "displayHeaderFooter": True,
        "headerTemplate": "<span></span>",
        "footerTemplate": _footer(meta),
    }


def build(items: list[BriefingItem], meta: PackMeta, *, on_step: OnStep | None = None) -> bytes:
    """A4 memo: header, summary, each chart with caption and source, page numbers."""
    images = render_all(items, "a4", on_step)
    params = _print_params(meta)
    with tempfile.TemporaryDirectory(prefix="memo-") as tmp:
        folder = Path(tmp)
        names = write_images(folder, images)
        qr = qr_png(meta.permalink)
        if qr:
            (folder / "qr.png").write_bytes(qr)
        page = folder / "memo.html"
        page.write_text(_memo_html(items, meta, names, "qr.png" if qr else None), "utf-8")
        if on_step:
            on_step(len(items), len(items) + 1, "PDF")
        pdf = with_engine(lambda engine: engine.print_pdf(page.as_uri(), params))
    return fix_pdf_text(pdf, title=meta.title, lang="zh-CN" if meta.lang == "zh" else "en")
