"""Briefing packs: turn a basket of (chart, filters, caption) entries into export items and a pack file.

Used by the basket page and by `python -m core.cli pack`, so both produce the same slides and memos.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import replace

from core import catalog, db, export, sessions, summary
from core.filters import Filters, Options, describe, district_names, parse
from core.i18n import join_names, t

# The default pack for the command line: ten charts that tell the session's story.
DEFAULT_PACK = ["district_ranking", "qualification_mix", "records_per_session", "applicant_strength",
                "category_split", "awards_per_session", "district_heatmap", "industry_breakdown",
                "industry_trends", "repeat_innovators"]
PACK_FORMATS = export.PACK_BUILDERS  # by file extension: pptx, docx, pdf, zip
CAPTION_MAX = 160  # characters: three lines at 14 pt under a slide's chart, with the source line still on the slide


def entry(name: str, filters: Filters, caption: str = "") -> dict:
    return {"name": name, "query": filters.query(), "caption": caption}


def entry_filters(entry: dict, options: Options, lang: str) -> Filters:
    """The context a basket entry was added in (a profile's district, a comparison's `vs` included)."""
    spec = catalog.CHARTS[entry["name"]]
    return catalog.context(spec, parse({**entry["query"], "lang": lang}, options).filters, options)


def entry_card(entry: dict, options: Options, lang: str, status: catalog.DataStatus):
    """The texts of a basket entry's chart (title and subtitle as the pack will print them)."""
    return catalog.card(catalog.CHARTS[entry["name"]], entry_filters(entry, options, lang), options, status)


def items_for(entries: list[dict], options: Options, lang: str, status: catalog.DataStatus | None = None,
              run=db.run) -> list[export.BriefingItem]:
    """Export items of the basket's charts, page, profile and comparison charts alike (`run`: the UI's
    cached query runner)."""
    status = status or catalog.DataStatus.read(lang)
    items = []
    for e in entries:
        fig, frame, card = catalog.build(e["name"], entry_filters(e, options, lang), options, status, run=run)
        items.append(export.BriefingItem(name=e["name"], title=card.title, subtitle=card.subtitle,
                                         caption=e.get("caption") or "", source=card.source, figure=fig,
                                         data=frame))
    return items


def pack_key(fmt: str, lang: str, entries: list[dict], stamp) -> str:
    """What a pack is built from (format, language, the charts in order with their views and captions, the data
    version): a built file is offered only while this is unchanged."""
    charts = [[e["name"], e["query"], e.get("caption") or ""] for e in entries]
    return json.dumps([fmt, lang, stamp, charts], sort_keys=True, default=str, ensure_ascii=False)


def file_name(entries: list[dict], options: Options, lang: str, fmt: str) -> str:
    """The pack's file name: the title's words ("深圳企业创新纪录简报_第1–23届（2002–2024年）.pptx"). A list of each
    chart's sessions named 第23届 twice (a session's chart, then a comparison of 22 and 23)."""
    return export.safe_filename(t("briefing.file_stem", lang), sessions_span(entries, options, lang), ext=fmt)


def covered_sessions(entries: list[dict], options: Options, lang: str) -> set[int]:
    covered = set()
    for e in entries:
        filters = entry_filters(e, options, lang)
        scope = catalog.CHARTS[e["name"]].scope
        if catalog.CHARTS[e["name"]].context == "compare":
            covered |= {filters.vs, filters.session}
        elif scope == "session":
            covered.add(filters.session)
        else:
            covered |= {filters.session_from, filters.session_to}
    return covered


def sessions_span(entries: list[dict], options: Options, lang: str) -> str:
    """All the sessions a basket's charts cover, first to last, in words ("第1–23届（2002–2024年）")."""
    return span_words(covered_sessions(entries, options, lang), lang)


def span_words(covered: set[int], lang: str) -> str:
    first, last = min(covered), max(covered)
    if first == last:
        return t("filters.session_short", lang, n=first, year=sessions.year(first))
    return t("filters.range_short", lang, first=first, last=last, year_first=sessions.year(first),
             year_last=sessions.year(last))


def meta_for(filters: Filters, options: Options, status: catalog.DataStatus | None = None,
             today: dt.date | None = None, entries: list[dict] | None = None) -> export.PackMeta:
    """The pack's title page; with the basket's `entries`, its title states the sessions of those charts
    (not the sidebar's, which may have moved on since the charts were added)."""
    lang = filters.lang
    status = status or catalog.DataStatus.read(lang)
    title = t("briefing.pack_title", lang, n=filters.session, year=sessions.year(filters.session))
    subtitle = describe(filters, options, "session")
    if entries:  # the span of the basket's charts ("第1–23届"): "第23届、第1–23届" read as two scopes glued
        covered = covered_sessions(entries, options, lang)
        title = t("pack_words.title", lang, sessions=span_words(covered, lang))
        subtitle = contents(entries, options, lang)
        # the city's summary and link for the latest session a chart shows, not the sidebar's
        filters = replace(filters, session=max(covered), districts=(), industries=(), vs=None)
    return export.PackMeta(
        title=title,
        subtitle=subtitle,
        date=(today or dt.date.today()).isoformat(), lang=lang, demo=status.demo,
        data_version=status.version, summary=summary.paragraph(summary.facts(filters), filters, in_file=True),
        permalink=catalog.permalink("overview", filters))


def contents(entries: list[dict], options: Options, lang: str) -> str:
    """What a basket holds, for its pack's subtitle: "6幅图表 · 全市、南山区" (the places of its charts, in basket
    order)."""
    places = []
    for e in entries:
        names = district_names(entry_filters(e, options, lang), options)
        place = join_names(names, lang) if names else t("filters.all_districts", lang)
        if place not in places:
            places.append(place)
    return t("pack_words.contents", lang, n=len(entries), places=join_names(places, lang))


def build_pack(fmt: str, items: list[export.BriefingItem], meta: export.PackMeta,
               on_step: Callable[[int, int, str], None] | None = None) -> bytes:
    return PACK_FORMATS[fmt](items, meta, on_step=on_step)
