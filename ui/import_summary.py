"""What a checked list holds and what importing it would change, in the reader's language, one sentence a line
(the command line prints core.importer's English summary; the page wrote that English on the Chinese page)."""

from __future__ import annotations

from core import importer, sessions
from core.i18n import fmt_int, t
from core.markup import escape_markdown


def lines(report: importer.ImportReport, lang: str) -> list[str]:
    """Markdown lines; the file's name and a source's name are escaped (they come from the upload)."""
    kind = f"{report.format}, {report.encoding}" if report.encoding else report.format
    header = t("import.summary.header", lang, row=report.header_row) if report.header_row else ""
    out = [t("import.summary.file", lang, file=escape_markdown(report.file_name), kind=escape_markdown(kind),
             rows=counted(report.rows_read, "data_row", lang), header=header)]
    if not report.ok:
        out.append(t("import.summary.blocked", lang, problems=counted(len(report.problems), "problem", lang),
                     rows=counted(report.rows_rejected, "row", lang)))
        return out
    return out + _plan(report, lang)


def _plan(report: importer.ImportReport, lang: str) -> list[str]:
    plan, n = report.plan, report.session
    out = [t("import.summary.add", lang, session=n, records=counted(plan.records_to_add, "record", lang),
             companies=counted(plan.companies_in_file, "company", lang), new=fmt_int(plan.companies_new, lang))]
    if plan.new_session:
        out.append(t("import.summary.create", lang, session=n, year=sessions.year(n)))
    parts = [t("import.summary.by_source", lang, n=fmt_int(count, lang), source=_source(source, lang))
             for source, count in sorted(plan.records_to_replace.items())]
    detail = t("import.summary.detail", lang, parts=t("import.summary.joiner", lang).join(parts)) if parts else ""
    out.append(t("import.summary.replace", lang, session=n, detail=detail,
                 records=counted(sum(plan.records_to_replace.values()), "record", lang),
                 applications=counted(plan.applications_to_remove, "application", lang),
                 profiles=counted(plan.profiles_to_remove, "profile", lang)))
    return out


def counted(n: int, word: str, lang: str) -> str:
    """"1 problem", "3 problems"; "3 个问题" """
    return t(f"import.summary.{word}", lang, n=fmt_int(n, lang))


def _source(source: str, lang: str) -> str:
    return t("import.summary.source_demo", lang) if source == "demo" else escape_markdown(source)
