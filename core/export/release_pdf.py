"""The press-release draft as an A4 PDF, printed by the export browser like the PDF memo (core/export/pdf.py):
the same text as the DOCX, the same chart PNGs, page numbers in the footer, alt text on the images."""

from __future__ import annotations

import html
import tempfile
from pathlib import Path

from core.export.browser import with_engine
from core.export.pdf import MM, _css, write_images
from core.export.pdftext import fix_pdf_text
from core.i18n import t

CSS = """
h1.headline { font-size: 22pt; line-height: 1.25; margin: 2mm 0 2mm; border-bottom: 0.5mm solid #1f2937;
              padding-bottom: 2mm; }
.label { font-size: 9.5pt; font-weight: bold; color: #6b7280; margin: 0; }
.label .demo { margin: 0 0 0 3mm; padding: 0.3mm 1.5mm; }
.subhead { font-size: 12.5pt; color: #6b7280; margin: 0 0 4mm; }
h2 { font-size: 14pt; margin: 6mm 0 2mm; }
p.body { margin: 0 0 2.5mm; text-align: justify; overflow-wrap: anywhere; }
p.body.zh { text-indent: 2em; }
.dateline { font-weight: bold; }
figure { margin: 3mm auto 4mm; width: 82%; }
figcaption { font-size: 9.5pt; font-weight: bold; margin-top: 1mm; }
.ends { text-align: center; margin: 5mm 0; }
ul.notes { font-size: 9pt; padding-left: 5mm; }
ul.notes li { margin-bottom: 1.2mm; word-break: break-word; }
"""


def _page(release, image_files: list[str]) -> str:
    esc, lang = html.escape, release.lang
    zh = " zh" if lang == "zh" else ""
    demo = f'<span class="demo">{esc(t("export.demo", lang))}</span>' if release.demo else ""
    body = [f'<p class="label">{esc(release.label)}{demo}</p>', f'<h1 class="headline">{esc(release.headline)}</h1>',
            f'<p class="subhead">{esc(release.subhead)}</p>']
    sep = "　" if lang == "zh" else " – "
    for i, text in enumerate(release.lead):
        dateline = f'<span class="dateline">{esc(release.dateline)}{sep}</span>' if i == 0 else ""
        body.append(f'<p class="body{zh}">{dateline}{esc(text)}</p>')
    figure_no = 0
    for section in release.sections:
        body.append(f"<h2>{esc(section.heading)}</h2>")
        body += [f'<p class="body{zh}">{esc(text)}</p>' for text in section.paragraphs]
        if section.chart is not None and section.chart < len(image_files):
            chart = release.charts[section.chart]
            figure_no += 1
            body.append(f'<figure><img src="{image_files[section.chart]}" alt="{esc(chart.alt)}" style="width:100%">'
                        f"<figcaption>{esc(t('release.figure', lang, i=figure_no))}　{esc(chart.title)}</figcaption>"
                        "</figure>")
    body.append(f'<p class="ends">{esc(t("release.ends", lang))}</p>')
    body.append(f"<h2>{esc(t('release.h.notes', lang))}</h2>")
    body.append('<ul class="notes">' + "".join(f"<li>{esc(n)}</li>" for n in release.notes) + "</ul>")
    return (f'<!DOCTYPE html><html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{esc(release.headline)}</title><style>{_css('memo.css')}{CSS}</style></head>"
            f"<body>{''.join(body)}</body></html>")


def _footer(release) -> str:
    page = html.escape(t("release.page", release.lang, p="{p}", n="{n}")).format(
        p='<span class="pageNumber"></span>', n='<span class="totalPages"></span>')
    left = html.escape(release.label + (f" · {t('export.demo', release.lang)}" if release.demo else ""))
    return f'<style>{_css("memo_footer.css")}</style><div class="footer"><span>{left}</span><span>{page}</span></div>'


def build(release, images: list[bytes]) -> bytes:
    params = {"paperWidth": 210 * MM, "paperHeight": 297 * MM, "marginTop": 16 * MM, "marginBottom": 16 * MM,
              "marginLeft": 20 * MM, "marginRight": 20 * MM, "preferCSSPageSize": True, "printBackground": True,
              "displayHeaderFooter": True, "headerTemplate": "<span></span>", "footerTemplate": _footer(release)}
    with tempfile.TemporaryDirectory(prefix="release-") as tmp:
        folder = Path(tmp)
        names = write_images(folder, images)
        page = folder / "release.html"
        page.write_text(_page(release, names), "utf-8")
        pdf = with_engine(lambda engine: engine.print_pdf(page.as_uri(), params))
    return fix_pdf_text(pdf, title=release.headline)
