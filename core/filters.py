"""The shared filters: what they are, how they read from and write to the URL, and how they read in words.

URL form: ?session=23&from=1&to=23&district=440305,440306&industry=C39&lang=en
A bad value never raises: it is dropped, the default is used, and a notice says what was ignored.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from core import sessions
from core.i18n import DEFAULT_LANG, LANGS, join_names, t

FIRST_SESSION = 1
# ASCII digits only, and few of them: str.isdigit() accepts "²" and "٣", and int() refuses numbers of more
# than 4,300 digits, so both would raise instead of giving the usual notice.
_SESSION_TEXT = re.compile(r"[0-9]{1,6}")


@dataclass(frozen=True)
class Options:
    """Valid values, read from the database."""

    sessions: tuple[int, ...]
    districts: dict[str, tuple[str, str]]  # code -> (name_zh, name_en)
    industries: dict[str, tuple[str, str]]  # division code -> (name_zh, name_en)

    @property
    def latest(self) -> int:
        return max(self.sessions)


@dataclass(frozen=True)
class Filters:
    session: int
    session_from: int
    session_to: int
    districts: tuple[str, ...] = ()
    industries: tuple[str, ...] = ()
    lang: str = DEFAULT_LANG

    def params(self) -> dict:
        """Parameters for the named queries."""
        return {"session": self.session, "session_from": self.session_from, "session_to": self.session_to,
                "districts": list(self.districts), "industries": list(self.industries)}

    def query(self) -> dict[str, str]:
        """The URL query parameters that reproduce this view."""
        q = {"session": str(self.session), "from": str(self.session_from), "to": str(self.session_to)}
        if self.districts:
            q["district"] = ",".join(self.districts)
        if self.industries:
            q["industry"] = ",".join(self.industries)
        if self.lang != DEFAULT_LANG:
            q["lang"] = self.lang
        return q

    def with_lang(self, lang: str) -> Filters:
        return replace(self, lang=lang)


@dataclass
class Parsed:
    filters: Filters
    notices: list[str] = field(default_factory=list)


def defaults(options: Options, lang: str = DEFAULT_LANG) -> Filters:
    return Filters(session=options.latest, session_from=FIRST_SESSION, session_to=options.latest, lang=lang)


def _values(raw) -> list[str]:
    items = raw if isinstance(raw, list | tuple) else [raw]
    return [v.strip() for item in items if item is not None for v in str(item).split(",") if v.strip()]


def _session(raw, options: Options, fallback: int, notices: list, label: str, lang: str) -> int:
    if raw is None:
        return fallback
    values = _values(raw)
    if len(values) == 1 and _SESSION_TEXT.fullmatch(values[0]) and int(values[0]) in options.sessions:
        return int(values[0])
    notices.append(t("notice.bad_session", lang, param=label, value=",".join(values) or "''"))
    return fallback


def _codes(raw, valid, notices: list, key: str, lang: str) -> tuple[str, ...]:
    if raw is None:
        return ()
    values = _values(raw)
    good = tuple(dict.fromkeys(v.upper() for v in values if v.upper() in valid))
    bad = [v for v in values if v.upper() not in valid]
    if bad:
        notices.append(t(key, lang, value="、".join(bad) if lang == "zh" else ", ".join(bad)))
    return good


def parse(query: Mapping[str, object], options: Options) -> Parsed:
    """Filters from URL query parameters; invalid parts fall back to defaults with a notice each."""
    lang_raw = query.get("lang")
    lang = str(lang_raw) if lang_raw in LANGS else DEFAULT_LANG
    notices: list[str] = []
    if lang_raw is not None and lang_raw not in LANGS:
        notices.append(t("notice.bad_lang", lang, value=lang_raw))
    base = defaults(options, lang)
    session = _session(query.get("session"), options, base.session, notices, "session", lang)
    first = _session(query.get("from"), options, base.session_from, notices, "from", lang)
    last = _session(query.get("to"), options, base.session_to, notices, "to", lang)
    if first > last:
        notices.append(t("notice.bad_range", lang, first=first, last=last))
        first, last = base.session_from, base.session_to
    districts = _codes(query.get("district"), options.districts, notices, "notice.bad_district", lang)
    industries = _codes(query.get("industry"), options.industries, notices, "notice.bad_industry", lang)
    return Parsed(Filters(session, first, last, districts, industries, lang), notices)


def district_names(filters: Filters, options: Options) -> list[str]:
    i = 0 if filters.lang == "zh" else 1
    return [options.districts[c][i] for c in filters.districts if c in options.districts]


def industry_names(filters: Filters, options: Options) -> list[str]:
    i = 0 if filters.lang == "zh" else 1
    return [options.industries[c][i] for c in filters.industries if c in options.industries]


def describe(filters: Filters, options: Options, scope: str = "session") -> str:
    """The filters in force in words, for chart subtitles: "第23届 · 南山区、宝安区"."""
    lang = filters.lang
    if scope == "session":
        parts = [t("filters.session_short", lang, n=filters.session, year=sessions.year(filters.session))]
    else:
        parts = [t("filters.range_short", lang, first=filters.session_from, last=filters.session_to,
                   year_first=sessions.year(filters.session_from), year_last=sessions.year(filters.session_to))]
    districts = district_names(filters, options)
    parts.append(join_names(districts, lang) if districts else t("filters.all_districts", lang))
    industries = industry_names(filters, options)
    if industries:
        parts.append(_shorten(join_names(industries, lang), 60))
    return " · ".join(parts)


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
