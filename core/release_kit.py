"""Release day in one step: the press-release draft (DOCX), and with the districts a ZIP holding the release as
DOCX and PDF, the comparison with the previous session (DOCX memo, as the compare page states it) and every
district's briefing (the district packs of core/district_briefing.py). Used by `python -m core.cli release`
(core/release_cli.py), the overview page and the import page.

`on_step(text, fraction)` reports progress in the reader's language; nothing is written to disk here.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Callable
from dataclasses import replace

from core import catalog, compare, config, db, export, release, sessions
from core import district_briefing as dbf
from core.export import release_docx, release_pdf
from core.filters import Options, district_name
from core.i18n import t

OnStep = Callable[[str, float], None]
DISTRICT_FORMAT = "pptx"  # slides render at 1920x1080, quicker than A4 memos: 11 of them fit the 30 s budget


def _quiet(text: str, fraction: float) -> None:
    pass


def build_release(session: int, lang: str, options: Options, status: catalog.DataStatus | None = None,
                  on_step: OnStep | None = None, with_pdf: bool = False) -> tuple[release.Release, bytes, bytes | None]:
    """(the release, its DOCX, its PDF or None); the charts are rendered once for both files."""
    step = on_step or _quiet
    step(t("release.ui.step_text", lang), 0.0)
    draft = release.build(session, lang, options, status)
    step(t("release.ui.step_charts", lang), 0.1)
    images = release_docx.render_charts(draft)
    step(t("release.ui.step_document", lang), 0.8)
    docx = release_docx.build(draft, images)
    pdf = None
    if with_pdf:
        step(t("release.ui.step_pdf", lang), 0.9)
        pdf = release_pdf.build(draft, images)
    return draft, docx, pdf


def comparison_docx(session: int, lang: str, options: Options, status: catalog.DataStatus) -> bytes:
    """Session N against N-1 for the whole city: the compare page's words and table, then its two charts."""
    a, b = session - 1, session
    filters = replace(release.filters_for(session, lang, options), vs=a)
    data = compare.facts(a, b, None)
    items = []
    for name in ("compare_sessions", "compare_categories"):  # the compare page's charts, through the one path
        fig, frame, card = catalog.build(name, filters, options, status)
        items.append(export.BriefingItem(name=name, title=card.title, subtitle=card.subtitle, caption="",
                                         source=card.source, figure=fig, data=frame))
    table = compare.table(data, lang)
    heads = list(table.columns)
    lines = [f"{heads[0]}: {heads[1]} → {heads[2]} ({heads[3]})"]
    lines += [f"{row[0]}: {row[1]} → {row[2]} ({row[3]})" for row in table.itertuples(index=False)]
    summary = compare.paragraph(data, compare.scope_name(None, options, lang), lang) + "\n\n" + "\n\n".join(lines)
    meta = export.PackMeta(title=t("release.compare_title", lang, a=a, b=b), subtitle=compare.scope_name(None, options,
                                                                                                        lang),
                           date=dt.date.today().isoformat(), lang=lang, demo=status.demo,
                           data_version=status.version, summary=summary,
                           permalink=f"{config.public_url()}/compare?session={b}&vs={a}"
                                     + ("&lang=en" if lang == "en" else ""))
    return export.build_docx(items, meta)


def kit_names(session: int, lang: str, options: Options) -> dict[str, str]:
    """The ZIP's file names: release (docx, pdf), comparison (absent for the first session), one per district."""
    names = {"docx": release.file_name(session, lang, "docx"), "pdf": release.file_name(session, lang, "pdf")}
    if session - 1 in options.sessions:
        names["compare"] = export.safe_filename(t("release.compare_stem", lang, a=session - 1, b=session),
                                                ext="docx")
    folder = t("release.districts_folder", lang)
    filters = release.filters_for(session, lang, options)
    for code in options.districts:
        names[code] = f"{folder}/{dbf.file_name(code, dbf.scoped(filters, code), options, DISTRICT_FORMAT)}"
    return names


def build_kit(session: int, lang: str, options: Options, on_step: OnStep | None = None) -> bytes:
    """The release-day ZIP; every file is complete before the archive is (the caller writes it in one go)."""
    step = on_step or _quiet
    status = catalog.DataStatus.read(lang)
    names = kit_names(session, lang, options)
    codes = list(options.districts)
    scale = 0.25  # the release and comparison take about a quarter of the time, the districts the rest
    _draft, docx, pdf = build_release(session, lang, options, status, with_pdf=True,
                                      on_step=lambda text, f: step(text, f * scale * 0.7))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(names["docx"], docx)
        zf.writestr(names["pdf"], pdf)
        if "compare" in names:
            step(t("release.ui.step_compare", lang), scale * 0.7)
            zf.writestr(names["compare"], comparison_docx(session, lang, options, status))
        else:
            step(t("release.ui.no_compare", lang, n=session), scale * 0.7)
        filters = release.filters_for(session, lang, options)
        for i, code in enumerate(codes):
            district = district_name(code, options, lang)
            step(t("release.ui.step_district", lang, district=district, i=i + 1, n=len(codes)),
                 scale + (1 - scale) * i / len(codes))
            scoped = dbf.scoped(filters, code)
            zf.writestr(names[code], dbf.build(DISTRICT_FORMAT, code, scoped, options, status, run=db.run))
    step(t("release.ui.built", lang), 1.0)
    return buf.getvalue()


def kit_file_name(session: int, lang: str) -> str:
    return export.safe_filename(t("release.kit_stem", lang, n=session, year=sessions.year(session)), ext="zip")
