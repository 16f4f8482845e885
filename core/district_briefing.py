"""The district profile's figures and the one-click district briefing pack (UI button and `cli pack`).

A district pack is the profile's charts plus some standard charts filtered to the district, with the
profile paragraph on its title page. Formats come from core.briefing.PACK_FORMATS, so a format added
there (e.g. .docx) is available here with no change.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace
from urllib.parse import urlencode

from core import briefing, catalog, config, db, export, profile, sessions
from core.charts import for_page
from core.filters import Filters, Options, describe, district_name
from core.i18n import t

# the profile's own charts (registered for the district context), then standard charts filtered to the district
STANDARD_CHARTS = ["category_split", "awards_per_session", "qualification_mix", "returning_companies"]


def profile_charts() -> list[str]:
    return [spec.name for spec in for_page("district", "district")]


def scoped(filters: Filters, code: str) -> Filters:
    """The filters of a district's profile: that district, all industries."""
    return replace(filters, districts=(code,), industries=(), vs=None)


def permalink(code: str, filters: Filters) -> str:
    query = {"code": code, **{k: v for k, v in filters.query().items() if k not in ("district", "industry")}}
    return f"{config.public_url()}/district?{urlencode(query)}"


def items(code: str, filters: Filters, options: Options, status: catalog.DataStatus | None = None,
          run=db.run) -> list[export.BriefingItem]:
    status = status or catalog.DataStatus.read(filters.lang)
    district_filters = scoped(filters, code)
    out = []
    for name in profile_charts() + STANDARD_CHARTS:
        fig, frame, c = catalog.build(name, district_filters, options, status, run=run)
        out.append(export.BriefingItem(name=name, title=c.title, subtitle=c.subtitle, caption="", source=c.source,
                                       figure=fig, data=frame))
    return out


def meta(code: str, filters: Filters, options: Options, status: catalog.DataStatus | None = None,
         run=db.run, data: profile.ProfileFacts | None = None) -> export.PackMeta:
    lang = filters.lang
    status = status or catalog.DataStatus.read(lang)
    district = district_name(code, options, lang)
    return export.PackMeta(
        title=t("profile.pack_title", lang, district=district, n=filters.session, year=sessions.year(filters.session)),
        subtitle=describe(scoped(filters, code), options, "session"), date=dt.date.today().isoformat(),
        lang=lang, demo=status.demo, data_version=status.version,
        summary=profile.paragraph(data or profile.facts(code, filters, run), filters, options),
        permalink=permalink(code, filters))


def build(fmt: str, code: str, filters: Filters, options: Options, status: catalog.DataStatus | None = None,
          run=db.run, on_step: Callable[[int, int, str], None] | None = None) -> bytes:
    """The district briefing as `fmt` (any key of briefing.PACK_FORMATS)."""
    status = status or catalog.DataStatus.read(filters.lang)
    run = catalog.remembering(run)  # the paragraph and several charts read the same results
    data = profile.facts(code, filters, run)
    pack_items = items(code, filters, options, status, run)
    return briefing.build_pack(fmt, pack_items, meta(code, filters, options, status, run, data), on_step=on_step)


def file_name(code: str, filters: Filters, options: Options, fmt: str) -> str:
    lang = filters.lang
    return export.safe_filename(t("profile.file_stem", lang), district_name(code, options, lang),
                                t("filters.session_short", lang, n=filters.session,
                                  year=sessions.year(filters.session)),
                                ext=fmt)
