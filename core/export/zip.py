"""ZIP pack: a slide-size PNG and a CSV per chart (headers in the reader's language, context lines first),
plus manifest.json for scripts."""

from __future__ import annotations

import io
import json
import zipfile
from dataclasses import asdict
from typing import Any

from core.export.pack import BriefingItem, OnStep, PackMeta, item_context, label, render_all
from core.export.tables import safe_filename, table_csv
from core.readable import with_labels


def _item_files(i: int, item: BriefingItem) -> tuple[str, str]:
    return (
        safe_filename(f"{i:02d}", item.name, ext="png"),
        safe_filename(f"{i:02d}", item.name, ext="csv"),
    )


def build(items: list[BriefingItem], meta: PackMeta, *, on_step: OnStep | None = None) -> bytes:
    images = render_all(items, "slide", on_step)
    # the data kind in words first, as in every table's first line ("演示数据：非官方名单" while demo data is loaded)
    manifest: dict[str, Any] = {"data_kind": label(meta, "demo" if meta.demo else "official"), **asdict(meta),
                                "items": []}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for i, (item, png) in enumerate(zip(items, images), start=1):
            png_name, csv_name = _item_files(i, item)
            zf.writestr(png_name, png)
            zf.writestr(csv_name, table_csv(with_labels(item.data, meta.lang), item_context(item, meta)))
            manifest["items"].append(
                {
                    "png": png_name,
                    "csv": csv_name,
                    "name": item.name,
                    "title": item.title,
                    "subtitle": item.subtitle,
                    "caption": item.caption,
                    "description": item.description,  # the chart's text alternative (core/charts/alt.py)
                    "source": item.source,
                    "rows": len(item.data),
                }
            )
        zf.writestr("manifest.json", json.dumps(manifest, ensure_ascii=False, indent=2))
    return buf.getvalue()
