"""Server-side chart rendering, table files and briefing packs (no Streamlit here).

Used by the Streamlit pages and by ``python -m core.cli export|pack`` so both produce the same bytes.
One module per topic (see docs/export.md):

- browser: the persistent kaleido Chromium (start, lock, shutdown, ExportUnavailable)
- render: presets (slide, a4, screen2x) and ``render(fig, fmt, preset)``
- pdftext: copyable text and the document title in Chromium's PDFs
- tables: CSV/XLSX (formula-safe, with context) and safe file names
- pack: BriefingItem, PackMeta and what every pack shares
- pptx, docx, pdf, zip: one module per pack format, each with ``build(items, meta, on_step=None)``

Everything callers used from the former single module is re-exported here.
"""

from __future__ import annotations

from core.export import docx, pdf, pptx, zip
from core.export.browser import INSTALL_HINT, ExportUnavailable, browser_path, is_running, shutdown, start
from core.export.pack import BriefingItem, OnStep, PackMeta
from core.export.pdftext import fix_pdf_text
from core.export.render import FORMATS, PRESETS, Preset, render
from core.export.tables import TableContext, defuse, safe_filename, table_csv, table_xlsx

build_pptx = pptx.build
build_pdf = pdf.build
build_zip = zip.build
build_docx = docx.build

# pack formats by file extension, in the order offered to readers
PACK_BUILDERS = {"pptx": build_pptx, "docx": build_docx, "pdf": build_pdf, "zip": build_zip}
PACK_MIME = {
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}

__all__ = [
    "FORMATS",
    "INSTALL_HINT",
    "PACK_BUILDERS",
    "PACK_MIME",
    "PRESETS",
    "BriefingItem",
    "ExportUnavailable",
    "OnStep",
    "PackMeta",
    "Preset",
    "TableContext",
    "browser_path",
    "build_docx",
    "build_pdf",
    "build_pptx",
    "build_zip",
    "defuse",
    "fix_pdf_text",
    "is_running",
    "render",
    "safe_filename",
    "shutdown",
    "start",
    "table_csv",
    "table_xlsx",
]
