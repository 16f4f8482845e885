"""A session's press-release draft, in the structure of the session 23 release: headline, lead (records and
companies), change on the session before, categories and awards, the applicants, leading districts and
industries, totals since 2002, notes for editors.

Every number comes from the overview's facts (`summary.facts`, the same named queries and the same slices);
this module only chooses sentences and formats numbers. A figure the session does not have is "not
applicable", never 0, nan or an empty list. The document builders are core/export/release_docx.py and
release_pdf.py; the release kit (ZIP) is core/release_kit.py.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pandas as pd
import plotly.graph_objects as go

from core import catalog, db, sessions, summary
from core.filters import Filters, Options
from core.i18n import counted, fmt_int, fmt_money, fmt_pct, in_sentence, is_missing, ordinal, t

CHARTS = ("records_per_session", "district_ranking")
LEADERS = 4  # districts and industries named in the "leading" sentences


@dataclass
class Section:
    heading: str
    paragraphs: list[str]
    chart: int | None = None  # index into Release.charts shown after the section's text


@dataclass
class Chart:
    name: str
    title: str
    alt: str
    figure: go.Figure


@dataclass
class Release:
    lang: str
    session: int
    label: str  # "新闻稿（草稿）"
    headline: str
    subhead: str
    dateline: str
    lead: list[str]
    sections: list[Section]
    notes: list[str]
    charts: list[Chart] = field(default_factory=list)
    demo: bool = False
    version: str = ""
    date: str = ""

    def text(self) -> str:
        """Every sentence in reading order (tests, search)."""
        parts = [self.label, self.headline, self.subhead, self.dateline, *self.lead]
        for s in self.sections:
            parts += [s.heading, *s.paragraphs]
        return "\n".join(parts + self.notes)


class UnknownSession(ValueError):
    pass


def filters_for(session: int, lang: str, options: Options) -> Filters:
    """The whole city, session N, trends up to N (a release of session 23 does not show session 24)."""
    if session not in options.sessions:
        raise UnknownSession(f"session {session} is not in the database (sessions "
                             f"{min(options.sessions)}-{max(options.sessions)})")
    return Filters(session=session, session_from=min(options.sessions), session_to=session, lang=lang)


def gather(filters: Filters, run=db.run) -> dict:
    """The overview's facts plus the running totals up to this session and the session's dates."""
    data = summary.as_dict(summary.facts(filters, run))
    name, params = summary.calls(filters)["cumulative"]
    data["cumulative_now"] = catalog.in_range(run(name, **params), filters.session, filters.session)
    data["session_row"] = catalog.in_range(run("session_options"), filters.session, filters.session)
    return data


def build(session: int, lang: str, options: Options, status: catalog.DataStatus | None = None, run=db.run,
          with_charts: bool = True, today: dt.date | None = None) -> Release:
    filters = filters_for(session, lang, options)
    status = status or catalog.DataStatus.read(lang)
    data = gather(filters, run)
    cur = _row(data["kpis"], session)
    if cur is None or not cur["records"]:
        raise UnknownSession(f"session {session} has no records")
    sections = [Section(t("release.h.categories", lang), _categories(data, cur, lang), chart=0),
                Section(t("release.h.applicants", lang), _applicants(data, cur, session, lang)),
                Section(t("release.h.leaders", lang), _leaders(data, cur, lang), chart=1),
                Section(t("release.h.cumulative", lang, year=sessions.year(min(options.sessions))),
                        _cumulative(data, session, lang))]
    release = Release(
        lang=lang, session=session, label=t("release.label", lang),
        headline=t("release.headline" if _row(data["kpis"], session - 1) is not None else "release.headline_first",
                   lang, records=fmt_int(cur["records"], lang)),
        subhead=t("release.subhead", lang, n=session, nth=ordinal(session, lang), year=sessions.year(session),
                  records=fmt_int(cur["records"], lang), companies=fmt_int(cur["companies"], lang)),
        dateline=_dateline(data["session_row"], session, lang), lead=_lead(data, cur, session, lang),
        sections=sections, notes=[], demo=status.demo, version=status.version,
        date=(today or dt.date.today()).isoformat())
    release.notes = _notes(data, release, status, lang)
    if with_charts:
        release.charts = charts(filters, options, status, data, run)
    return release


def _row(kpis: pd.DataFrame, n: int) -> pd.Series | None:
    rows = catalog.in_range(kpis, n, n)
    return rows.iloc[0] if not rows.empty else None


def _date(value, lang: str) -> str | None:
    if value is None or pd.isna(value):
        return None
    day = pd.Timestamp(value)
    return f"{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day.strftime('%B')}"


def _dateline(session_row: pd.DataFrame, n: int, lang: str) -> str:
    review = _date(session_row.iloc[0]["review_date"], lang) if not session_row.empty else None
    year = sessions.year(n)
    return t("release.dateline", lang, date=f"{year}年{review}" if lang == "zh" else f"{review} {year}") \
        if review else t("release.dateline", lang, date=t("release.year", lang, year=year))


def _lead(data: dict, cur: pd.Series, n: int, lang: str) -> list[str]:
    row = data["session_row"]
    review = _date(row.iloc[0]["review_date"], lang) if not row.empty else None
    values = {"n": n, "nth": ordinal(n, lang), "year": sessions.year(n), "date": review,
              "records": fmt_int(cur["records"], lang), "companies": fmt_int(cur["companies"], lang)}
    first = [t("release.lead_dated" if review else "release.lead", lang, **values)]
    launch = _date(row.iloc[0]["launch_date"], lang) if not row.empty else None
    first.append(t("release.launched" if launch else "release.span", lang, date=launch,
                   industries=fmt_int(cur["industries"], lang)))
    return [("" if lang == "zh" else " ").join(first), _change(data["kpis"], cur, n, lang)]


def _change(kpis: pd.DataFrame, cur: pd.Series, n: int, lang: str) -> str:
    prev = _row(kpis, n - 1)
    if prev is None or not prev["records"]:
        return t("release.change.first", lang)
    parts = []
    for kind, column in (("record", "records"), ("company", "companies")):
        diff = int(cur[column]) - int(prev[column])
        if diff == 0:
            parts.append(t(f"release.change.same_{kind}", lang))
            continue
        pct = f"{100 * diff / prev[column]:+.1f}%"
        parts.append(t(f"release.change.{'more' if diff > 0 else 'fewer'}_{kind}", lang,
                       d=fmt_int(abs(diff), lang), pct=pct))
    return t("release.change.sentence", lang, prev=n - 1, prev_records=counted("record", prev["records"], lang),
             prev_companies=counted("company", prev["companies"], lang), records=parts[0], companies=parts[1])


def _categories(data: dict, cur: pd.Series, lang: str) -> list[str]:
    frame = data["categories"]
    if frame.empty:
        out = [t("release.categories_na", lang)]
    else:
        by = {r.category: r for r in frame.itertuples()}
        values = {}
        for c in ("product_rd", "manufacturing", "modern_service"):
            values[c] = fmt_int(by[c].records if c in by else 0, lang)
            values[f"{c}_share"] = fmt_pct(by[c].share if c in by else 0.0, lang)
        out = [t("release.categories", lang, **values)]
    awarded = cur["awarded"]
    out.append(t("release.awards", lang, awarded=fmt_int(awarded, lang)) if awarded else t("release.awards_none", lang))
    return out


def _applicants(data: dict, cur: pd.Series, n: int, lang: str) -> list[str]:
    """The applicants' strength; "not applicable" for a session whose list names approved records only."""
    if is_missing(cur["applicants"]) or not cur["applicants"]:
        return [t("release.applicants_na", lang)]
    # a count the project derived from the published shares (data/raw/derived_figures.csv) is said to be one
    key = "release.applicants_derived" if n in catalog.DERIVED_APPLICANTS else "release.applicants"
    out = [t(key, lang, applicants=fmt_int(cur["applicants"], lang),
             high_tech=fmt_pct(cur["high_tech_share"], lang), revenue=fmt_money(cur["mean_revenue_cny"], lang))]
    quals = data["qualifications"]
    counts = dict(zip(quals["qualification"].fillna("none"), quals["companies"]))
    if is_missing(cur["qualified_share"]) or not any(counts.get(q) for q in summary.QUALIFICATIONS):
        return out + [t("release.qualifications_na", lang)]
    points = summary.qualified_points(data["kpis"], n)
    change = "" if points is None else t("release.points_up" if points >= 0 else "release.points_down", lang,
                                         points=abs(points), prev=n - 1)
    out.append(t("release.qualifications", lang, share=fmt_pct(cur["qualified_share"], lang, decimals=0),
                 change=change, **{q: fmt_int(counts.get(q, 0), lang) for q in summary.QUALIFICATIONS}))
    return out


def _and_join(items: list[str], lang: str) -> str:
    if lang == "zh" or len(items) < 2:
        return "、".join(items)
    return ", ".join(items[:-1]) + t("release.and", lang) + items[-1]


def _leaders(data: dict, cur: pd.Series, lang: str) -> list[str]:
    out = []
    ranking = data["districts"]
    by_applicants = ranking[ranking["applicants"] > 0].sort_values(["applicants", "records"], ascending=False)
    if len(by_applicants) > 1:
        names = list(by_applicants[f"name_{lang}"])
        out.append(t("release.districts_applicants", lang, first=names[0], rest=_and_join(names[1:LEADERS], lang)))
    # tied districts in the order every chart and table lists them (docs/data.md, "Rank"), and all of a rank
    # that makes the list: session 23 named 龙岗区 (19) fourth and left out 光明区, also 19 and also fourth
    by_records = ranking.sort_values(["rank", "district_code"])
    if not by_records.empty:
        by_records = by_records[by_records["rank"] <= by_records["rank"].iloc[min(LEADERS, len(by_records)) - 1]]
    if not by_records.empty:
        items = [_item(r[f"name_{lang}"], r["records"], lang) for _, r in by_records.iterrows()]
        lead = by_records.iloc[0]
        out.append(t("release.districts_records", lang, first=lead[f"name_{lang}"],
                     records=counted("record", lead["records"], lang), rest=_and_join(items[1:], lang))
                   if len(items) > 1 else t("release.district_only", lang, first=lead[f"name_{lang}"]))
    industries = data["industries"].groupby(f"name_{lang}")["records"].sum().sort_values(ascending=False)
    industries.index = [in_sentence(name, lang) for name in industries.index]
    if not industries.empty:
        items = [_item(name, v, lang) for name, v in industries.head(LEADERS).items()]
        out.append(t("release.industries", lang, count=fmt_int(cur["industries"], lang),
                     first=industries.index[0], records=counted("record", industries.iloc[0], lang),
                     rest=_and_join(items[1:], lang)) if len(items) > 1 else
                   t("release.industry_only", lang, first=industries.index[0]))
    return out


def _item(name: str, records, lang: str) -> str:
    return t("release.item", lang, name=name, n=fmt_int(records, lang), records=counted("record", records, lang))


def _cumulative(data: dict, n: int, lang: str) -> list[str]:
    now = data["cumulative_now"].iloc[0]
    if int(now["sessions"]) <= 1:
        return [t("release.cumulative_first", lang, first_year=sessions.year(1))]
    out = [t("release.cumulative", lang, first_year=sessions.year(1), sessions=int(now["sessions"]),
             records=fmt_int(now["records"], lang), companies=fmt_int(now["companies_summed"], lang),
             distinct=fmt_int(now["companies_distinct"], lang), groups=fmt_int(now["groups"], lang))]
    before = data["cumulative_before"]
    if before is not None and not before.empty and before.iloc[0]["records"]:
        row = before.iloc[0]
        out.append(t("release.cumulative_before", lang, prev=n - 1, records=fmt_int(row["records"], lang),
                     companies=fmt_int(row["companies_summed"], lang)))
    return out


def _notes(data: dict, release: Release, status: catalog.DataStatus, lang: str) -> list[str]:
    n = release.session
    notes = [t("release.note.records", lang), t("release.note.companies", lang)]
    cur = _row(data["kpis"], n)
    if not is_missing(cur["applicants"]) and cur["applicants"]:
        notes.append(t("release.note.applicants", lang))
    points = summary.qualified_points(data["kpis"], n)
    if points is not None:
        prev = _row(data["kpis"], n - 1)
        notes.append(t("release.note.points", lang, points=abs(points), prev=n - 1,
                       now=fmt_pct(cur["qualified_share"], lang, decimals=0),
                       before=fmt_pct(prev["qualified_share"], lang, decimals=0)))
    notes.append(t("release.note.sources", lang,
                   source=t("charts.source_demo" if status.demo else "charts.source_real", lang)))
    notes += summary.quoted(data.get("quotes"), lang, in_file=True)
    notes.append(t("release.note.version", lang, version=status.version, date=release.date))
    if status.demo:
        notes.append(t("release.note.demo", lang))
    return notes


def charts(filters: Filters, options: Options, status: catalog.DataStatus, data: dict, run=db.run) -> list[Chart]:
    """The two briefing charts (the same figures as the dashboard's) with alt text stating what they show."""
    lang, n = filters.lang, filters.session
    out = []
    for name in CHARTS:
        fig, _frame, card = catalog.build(name, filters, options, status, run=run)
        out.append(Chart(name=name, title=card.title, alt=_alt(name, data, n, lang, card.title), figure=fig))
    return out


def _alt(name: str, data: dict, n: int, lang: str, title: str) -> str:
    if name == "records_per_session":
        cur = _row(data["kpis"], n)
        return t("release.alt.records_per_session", lang, title=title, first=1, last=n,
                 records=counted("record", cur["records"], lang))
    ranking = data["districts"].sort_values("rank")
    lead = ranking.iloc[0]
    return t("release.alt.district_ranking", lang, title=title, n=n, first=lead[f"name_{lang}"],
             records=counted("record", lead["records"], lang))


def file_name(session: int, lang: str, ext: str) -> str:
    from core.export import safe_filename

    return safe_filename(t("release.file_stem", lang, n=session, year=sessions.year(session)), ext=ext)
