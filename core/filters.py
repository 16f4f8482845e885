"""The shared filters: what they are, how they read from and write to the URL, and how they read in words.

URL form: ?session=23&from=1&to=23&district=440305,440306&industry=C39&lang=en
A bad value never raises: it is dropped, the default is used, and a notice says what was ignored.

The values one page owns (`code` on /district and /compare, `vs` on /compare) are declared here too
(`PAGE_KEYS`, `PageValues`, `parse_page`, `page_query`), parsed and written back the same way. A chart's
context is a `Filters`: the shared filters, narrowed to one district for a profile chart, with `vs` for a
comparison chart (core/catalog.py).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from core import districts as spellings
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
    # every spelling of a district (core.districts.alias_key of it) -> its code: names are accepted in `code`
    aliases: Mapping[str, str] = field(default_factory=dict)

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
    vs: int | None = None  # the other session of a comparison (compare charts only; `session` is the first)

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
        if self.vs is not None:
            q["vs"] = str(self.vs)
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


def _session(raw, options: Options, fallback: int | None, notices: list, label: str, lang: str) -> int | None:
    if raw is None:
        return fallback
    number = _session_number(raw, options)
    if number is None:
        notices.append(t("notice.bad_session", lang, param=label, value=_shown(raw)))
        return fallback
    return number


def _session_number(raw, options: Options) -> int | None:
    values = _values(raw)
    if len(values) == 1 and _SESSION_TEXT.fullmatch(values[0]) and int(values[0]) in options.sessions:
        return int(values[0])
    return None


def _shown(raw) -> str:
    """A URL value as a notice quotes it: its parts, at most 60 characters of them, '' when empty."""
    text = ",".join(_values(raw))
    return (text if len(text) <= 60 else text[:59] + "…") or "''"


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
    vs = _session(query.get("vs"), options, None, notices, "vs", lang)
    return Parsed(Filters(session, first, last, districts, industries, lang, vs), notices)


# ----- values one page owns ---------------------------------------------------------------------------------

# The URL keys each page reads beside the shared filters (the page's url path -> keys).
PAGE_KEYS: dict[str, tuple[str, ...]] = {"district": ("code",), "compare": ("vs", "code")}


@dataclass(frozen=True)
class PageValues:
    code: str | None = None  # a district (profile, comparison); None: the city's districts / the whole city
    vs: int | None = None  # the comparison's other session


def page_defaults(filters: Filters, options: Options) -> PageValues:
    """What a page shows without its own values: the sidebar's one district (else none), and for a comparison
    the session before the sidebar's (the latest when there is none before it)."""
    earlier = [s for s in options.sessions if s < filters.session]
    return PageValues(code=filters.districts[0] if len(filters.districts) == 1 else None,
                      vs=earlier[-1] if earlier else options.latest)


def parse_page(page: str, query: Mapping[str, object], filters: Filters,
               options: Options) -> tuple[PageValues, list[str]]:
    """The page's own values from URL parameters; a bad one falls back to its default with a notice naming
    both. Never raises. `code` takes a code or any spelling of a district's name (南山区, Nanshan)."""
    base = page_defaults(filters, options)
    keys = PAGE_KEYS.get(page, ())
    notices: list[str] = []
    lang = filters.lang
    code, vs = base.code, base.vs
    if "code" in keys and query.get("code") is not None:
        code = _district(query["code"], options)
        if code is None:
            code = base.code
            where = district_name(code, options, lang) if code else t(f"page_values.no_code_{page}", lang)
            notices.append(t("page_values.bad_code", lang, value=_shown(query["code"]), default=where))
    if "vs" in keys and query.get("vs") is not None:
        vs = _session_number(query["vs"], options)
        if vs is None:
            vs = base.vs
            notices.append(t("page_values.bad_vs", lang, value=_shown(query["vs"]), default=vs))
    return PageValues(code, vs), notices


def _district(raw, options: Options) -> str | None:
    values = _values(raw)
    if len(values) != 1 or len(values[0]) > 60:
        return None
    text = values[0]
    code = text.upper() if text.upper() in options.districts else options.aliases.get(spellings.alias_key(text))
    return code if code in options.districts else None


def page_query(page: str, values: PageValues, filters: Filters, options: Options) -> dict[str, str]:
    """The page's values as URL parameters, only where they differ from what the sidebar implies (links stay
    short, and a link without them follows the sidebar)."""
    base = page_defaults(filters, options)
    keys = PAGE_KEYS.get(page, ())
    query = {}
    if "code" in keys and values.code != base.code:
        query["code"] = values.code or ""
    if "vs" in keys and values.vs is not None and values.vs != base.vs:
        query["vs"] = str(values.vs)
    return {k: v for k, v in query.items() if v}


def district_name(code: str, options: Options, lang: str) -> str:
    return options.districts[code][lang_index(lang)]


def lang_index(lang: str) -> int:
    """The position of a language in the (zh, en) name pairs of Options."""
    return 0 if lang == "zh" else 1


def district_names(filters: Filters, options: Options) -> list[str]:
    i = lang_index(filters.lang)
    return [options.districts[c][i] for c in filters.districts if c in options.districts]


def industry_names(filters: Filters, options: Options) -> list[str]:
    i = lang_index(filters.lang)
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
