"""A district's profile: its standing in the city per session, rank and change, leading industries, repeat
innovators, and a press-release style paragraph in Chinese and English.

Every number in the paragraph comes from a named query's rows (`facts`); the paragraph only formats them.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import pandas as pd

from core import catalog, config, db, districts, sessions
from core.charts.profile import first_own_session
from core.filters import Filters, Options, district_name
from core.i18n import fmt_int, fmt_pct, in_sentence, join_names, points_between, t

TOP_INDUSTRIES = 8


@functools.cache
def _aliases(stamp: int) -> dict[str, str]:
    frame = db.run("district_profile_aliases")
    return dict(zip(frame["alias_key"], frame["district_code"]))


def resolve(text: str | None) -> str | None:
    """District code for a code or name typed anywhere (URL, command line); None if unknown."""
    if not text or not str(text).strip():
        return None
    try:
        stamp = config.records_db().stat().st_mtime_ns
    except FileNotFoundError:
        stamp = 0
    return districts.resolve(str(text).strip(), _aliases(stamp))


@dataclass(frozen=True)
class Standing:
    """A district in one session."""

    session: int
    records: int
    companies: int
    city_records: int
    share: float  # % of the city's records
    rank: int | None  # None without records
    ranked: int  # districts with records in that session


def standing(per_session: pd.DataFrame, session: int) -> Standing | None:
    rows = catalog.in_range(per_session, session, session)
    if rows.empty:
        return None
    r = rows.iloc[0]
    rank = None if pd.isna(r["rank"]) else int(r["rank"])
    share = 0.0 if pd.isna(r["share"]) else float(r["share"])
    return Standing(session, int(r["records"]), int(r["companies"]), int(r["city_records"]), share, rank,
                    int(r["ranked"]))


@dataclass(frozen=True)
class Change:
    records: int  # now - previous
    share_points: float
    rank_places: int | None  # positive = moved up; None when either session has no rank


def change(now: Standing, prev: Standing | None) -> Change | None:
    if prev is None:
        return None
    places = prev.rank - now.rank if now.rank is not None and prev.rank is not None else None
    return Change(now.records - prev.records, points_between(prev.share, now.share), places)


@dataclass(frozen=True, eq=False)
class ProfileFacts:
    """Everything a district's profile states, as the named queries gave it."""

    code: str
    per_session: pd.DataFrame  # district_profile_records: every session
    industries: pd.DataFrame  # district_profile_industries: leading divisions over the range
    repeat: pd.DataFrame  # repeat_innovators of the district over the range
    totals: pd.DataFrame  # district_profile_totals over the range (one row)


def calls(code: str, filters: Filters) -> dict[str, tuple[str, dict]]:
    """The named query and parameters behind each fact (the page runs them side by side first: ui.state.prefetch)."""
    span = {"session_from": filters.session_from, "session_to": filters.session_to}
    return {
        "per_session": ("district_profile_records", {"code": code}),
        "industries": ("district_profile_industries", {"code": code, "limit": TOP_INDUSTRIES, **span}),
        "repeat": ("repeat_innovators", {**span, "districts": [code], "industries": [], "min_sessions": 2,
                                         "limit": 100_000}),
        "totals": ("district_profile_totals", {"code": code, **span}),
    }


def facts(code: str, filters: Filters, run=db.run) -> ProfileFacts:
    """Everything the profile states, from named queries (`run` lets the UI pass its cached runner)."""
    return ProfileFacts(code=code, **{key: run(name, **params) for key, (name, params) in calls(code, filters).items()})


# ----- the paragraph --------------------------------------------------------------------------------------

def paragraph(data: ProfileFacts, filters: Filters, options: Options, lang: str | None = None, mark=str) -> str:
    """The profile in words for filters.session, in `lang` (default: the filters' language). `mark` writes each
    text that came from an imported list (a company name): the page passes core.markup.escape_markdown, so a
    name is shown as typed, never as a link or image; packs keep the plain text."""
    lang = lang or filters.lang
    code, n = data.code, filters.session
    name = district_name(code, options, lang)
    per_session = data.per_session
    now = standing(per_session, n)
    sentences = _headline(name, now, n, lang)
    if now is not None and now.records:
        sentences += _change_sentence(now, standing(per_session, n - 1), lang)
    sentences += _late_sentence(code, name, first_own_session(per_session), options, lang)
    sentences += _totals_sentence(name, data.totals, filters, lang)
    sentences += _industry_sentence(data.industries, lang)
    sentences += _repeat_sentence(data.repeat, lang, mark)
    return ("" if lang == "zh" else " ").join(sentences)


def _headline(name: str, now: Standing | None, n: int, lang: str) -> list[str]:
    if now is None or not now.records:
        return [t("profile.text.none", lang, n=n, year=sessions.year(n), district=name)]
    return [t("profile.text.headline", lang, n=n, year=sessions.year(n), district=name,
              companies=fmt_int(now.companies, lang), records=fmt_int(now.records, lang),
              city_records=fmt_int(now.city_records, lang), share=fmt_pct(now.share, lang),
              rank=now.rank, ranked=now.ranked)]


def _change_sentence(now: Standing, prev: Standing | None, lang: str) -> list[str]:
    diff = change(now, prev)
    if diff is None:
        return []
    if diff.records:
        records = t("profile.text.records_up" if diff.records > 0 else "profile.text.records_down", lang,
                    d=fmt_int(abs(diff.records), lang), before=fmt_int(prev.records, lang),
                    after=fmt_int(now.records, lang))
    else:
        records = t("profile.text.records_same", lang, after=fmt_int(now.records, lang))
    if abs(diff.share_points) >= 0.05:
        share = t("profile.text.share_up" if diff.share_points > 0 else "profile.text.share_down", lang,
                  points=f"{abs(diff.share_points):.1f}")
    else:
        share = t("profile.text.share_same", lang)
    if diff.rank_places is None:
        rank = t("profile.text.rank_new", lang)
    elif diff.rank_places:
        rank = t("profile.text.rank_up" if diff.rank_places > 0 else "profile.text.rank_down", lang,
                 places=abs(diff.rank_places), rank=now.rank)
    else:
        rank = t("profile.text.rank_same", lang, rank=now.rank)
    return [t("profile.text.change", lang, prev=prev.session, records=records, share=share, rank=rank)]


def late_note(code: str, first: int | None, options: Options, lang: str) -> str:
    """For districts whose lists start later: from which session they have their own figures."""
    if first is None or first <= min(options.sessions):
        return ""
    name = district_name(code, options, lang)
    parent_zh = districts.predecessor(code)
    parent = resolve(parent_zh) if parent_zh else None
    if parent:
        return t("profile.text.late_parent", lang, district=name, n=first, year=sessions.year(first),
                 parent=district_name(parent, options, lang))
    return t("profile.text.late", lang, district=name, n=first, year=sessions.year(first))


def _late_sentence(code, name, first, options, lang) -> list[str]:
    note = late_note(code, first, options, lang)
    return [note] if note else []


def _totals_sentence(name: str, totals: pd.DataFrame, filters: Filters, lang: str) -> list[str]:
    row = totals.iloc[0]
    if not row["records"]:
        return []
    return [t("profile.text.totals", lang, first=filters.session_from, last=filters.session_to, district=name,
              records=fmt_int(row["records"], lang), companies=fmt_int(row["companies_summed"], lang),
              distinct=fmt_int(row["companies_distinct"], lang))]


def _industry_sentence(industries: pd.DataFrame, lang: str) -> list[str]:
    if industries.empty:
        return []
    top = industries.head(3)
    listed = [t("profile.text.industry_item", lang, name=in_sentence(r[f"name_{lang}"], lang),
                records=fmt_int(r["records"], lang)) for _, r in top.iterrows()]
    lead = top.iloc[0]
    return [t("profile.text.industries", lang, items=join_names(listed, lang),
              top=in_sentence(lead[f"name_{lang}"], lang), share=fmt_pct(lead["share"], lang),
              city_share=fmt_pct(lead["city_share"], lang))]


def _repeat_sentence(repeat: pd.DataFrame, lang: str, mark=str) -> list[str]:
    if repeat.empty:
        return []
    lead = repeat.iloc[0]
    company = lead[f"name_{lang}"] if isinstance(lead[f"name_{lang}"], str) and lead[f"name_{lang}"] \
        else lead["name_zh"]
    key = "profile.text.repeat_one" if len(repeat) == 1 else "profile.text.repeat"
    return [t(key, lang, count=fmt_int(len(repeat), lang), company=mark(company),
              sessions=int(lead["sessions"]))]
