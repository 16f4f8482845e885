"""What every pack format shares: the items and the pack's metadata, rendering all charts, the QR code.

A pack format is a module with ``build(items, meta, *, on_step=None) -> bytes``, registered in
``core/export/__init__.py`` (PACK_BUILDERS); visible words come from the ``[export]`` locale table.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from core.charts import alt
from core.export.render import render
from core.export.tables import TableContext
from core.i18n import t

if TYPE_CHECKING:
    import pandas as pd
    import plotly.graph_objects as go

OnStep = Callable[[int, int, str], None]


@dataclass
class BriefingItem:
    name: str  # chart name, as registered in core/charts/ and queries/
    title: str
    subtitle: str
    caption: str
    source: str
    figure: go.Figure
    data: pd.DataFrame

    @property
    def description(self) -> str:
        """The chart's text alternative (core/charts/alt.py), in the pack's language: alt text of its picture
        and the sentence written under it in a memo."""
        return alt.text(self.figure) or self.title


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


def label(meta: PackMeta, key: str, **values) -> str:
    """A visible word of the pack in its language, from the [export] locale table."""
    return t(f"export.{key}", meta.lang, **values)


def item_context(item: BriefingItem, meta: PackMeta) -> TableContext:
    return TableContext(title=item.title, filters=item.subtitle, source=item.source,
                        data_version=meta.data_version, date=meta.date, demo=meta.demo, lang=meta.lang)


def render_all(items: list[BriefingItem], preset: str, on_step: OnStep | None) -> list[bytes]:
    images = []
    for i, item in enumerate(items):
        if on_step:
            on_step(i, len(items), item.title)
        images.append(render(item.figure, "png", preset))
    return images


def qr_png(text: str) -> bytes | None:
    if not text:
        return None
    import segno

    buf = io.BytesIO()
    segno.make(text, error="m").save(buf, kind="png", scale=8, border=2)
    return buf.getvalue()
