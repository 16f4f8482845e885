"""Visible strings and number formats in Chinese (default) and English.

Strings live in locales/<lang>.toml; keys are dotted paths ("overview.title"). Numbers follow the reader's
conventions: 8.62亿元 in Chinese, 862 million yuan in English, percentages with one decimal, thousands
separators in English.
"""

from __future__ import annotations

import functools
import math
import re
import tomllib

import pandas as pd

from core import config, sessions

LOCALES = config.LOCALES
LANGS = ("zh", "en")
DEFAULT_LANG = "zh"


def _flatten(table: dict, prefix: str = "") -> dict[str, str]:
    flat = {}
    for key, value in table.items():
        path = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flatten(value, path + "."))
        else:
            flat[path] = value
    return flat


@functools.cache
def strings(lang: str) -> dict[str, str]:
    with open(LOCALES / f"{lang}.toml", "rb") as f:
        return _flatten(tomllib.load(f))


def t(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The string for `key` in `lang`, with {placeholders} filled (literal braces are doubled in the files).

    A counted noun, `{records:record|records}`, reads "1 record" or "216 records": the value as given, then the
    noun its number takes (English only needs it; the Chinese measure words do not change)."""
    text = strings(lang if lang in LANGS else DEFAULT_LANG).get(key)
    if text is None:
        return f"⟦{key}⟧"
    if "|" in text:
        text = COUNTED.sub(lambda found: _counted(found, values), text)
    return text.format(**values)


COUNTED = re.compile(r"(?<!\{)\{(\w+):([^{}|:]+)\|([^{}|:]+)\}")


def _counted(found: re.Match, values: dict) -> str:
    """`{name:one|many}` as "<value> <noun>", its braces doubled for the format() that follows."""
    name, one, many = found.groups()
    if name not in values:
        raise KeyError(name)
    value = values[name]
    noun = one if str(value).strip() == "1" else many
    return f"{value} {noun}".replace("{", "{{").replace("}", "}}")


def is_missing(value) -> bool:
    """None, NaN, or pandas' NA (a nullable integer column's NULL, e.g. applicants of an imported session)."""
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def fmt_int(n, lang: str = DEFAULT_LANG) -> str:
    if is_missing(n):
        return "–"
    return f"{int(round(n)):,}" if lang == "en" else f"{int(round(n))}"


def counted(kind: str, n, lang: str = DEFAULT_LANG) -> str:
    """"216 records" / "1 record" / "216项" (locales [counted]), the number formatted for the reader."""
    return t(f"counted.{kind}", lang, n=fmt_int(n, lang))


def fmt_pct(x, lang: str = DEFAULT_LANG, decimals: int = 1) -> str:
    return "–" if is_missing(x) else f"{x:.{decimals}f}%"


def points_between(before, after, decimals: int = 1) -> float:
    """A change in percentage points: the difference of the unrounded figures, rounded once. Every page, file
    and sentence states a change through this, so the overview's card and the comparison's words agree
    (rounding each figure first gave +2.1 on one page and +2.0 on another for the same two sessions)."""
    return round(float(after) - float(before), decimals) + 0.0  # + 0.0: never "-0.0"


def fmt_points(x, lang: str = DEFAULT_LANG) -> str:
    if is_missing(x):
        return "–"
    return t("units.points_value", lang, value=f"{x:+.1f}")


def fmt_date(value, lang: str = DEFAULT_LANG) -> str:
    """A date as the reader writes it: 2024年10月30日 / 30 October 2024 (a missing one reads as a dash)."""
    if is_missing(value) or value is pd.NaT:
        return "–"
    day = pd.Timestamp(value)
    return f"{day.year}年{day.month}月{day.day}日" if lang == "zh" else f"{day.day} {day:%B} {day.year}"


def fmt_money(cny, lang: str = DEFAULT_LANG, short: bool = False) -> str:
    """Yuan amounts: 8.62亿元 / 3,500万元 in Chinese; 862 million yuan / 1.67 billion yuan in English
    (short, for narrow cards: ¥862m / ¥1.67bn)."""
    if is_missing(cny):
        return "–"
    if lang == "en" and short:
        return f"¥{cny / 1e9:,.2f}bn" if cny >= 1e9 else f"¥{cny / 1e6:,.0f}m"
    if lang == "en":
        if cny >= 1e9:
            return f"{cny / 1e9:,.2f} billion yuan"
        if cny >= 1e6:
            return f"{cny / 1e6:,.0f} million yuan"
        return f"{cny:,.0f} yuan"
    if cny >= 1e8:
        return f"{cny / 1e8:.2f}亿元"
    if cny >= 1e4:
        return f"{cny / 1e4:.0f}万元"
    return f"{cny:.0f}元"


def name(row, lang: str, stem: str = "name") -> str:
    """Pick row[stem_zh] or row[stem_en] (e.g. name_zh / name_en), falling back to Chinese."""
    value = row.get(f"{stem}_{lang}") if hasattr(row, "get") else None
    return value if isinstance(value, str) and value else row.get(f"{stem}_zh")


def session_label(session_no: int, lang: str, year: int | None = None) -> str:
    year = year or sessions.year(session_no)
    return t("filters.session_label", lang, n=session_no, year=year)


def ordinal(n: int, lang: str) -> str:
    """1st, 2nd, 3rd, 11th, 21st in English (rank labels, imported sessions' names); the plain number otherwise."""
    if lang != "en":
        return str(n)
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def in_sentence(name: str, lang: str) -> str:
    """An English industry name as it reads inside a sentence ("…; computers, communication and other electronic
    equipment has the most"): its capital lowered, unless it starts an acronym or a name ("R&D", "ICT")."""
    if lang == "en" and re.match(r"[A-Z][a-z]", name):
        return name[0].lower() + name[1:]
    return name


def join_names(names: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(names)


def column_labels(columns, lang: str) -> dict[str, str]:
    """Readable headers for query columns (locales [columns]); unknown columns keep their names."""
    table = strings(lang if lang in LANGS else DEFAULT_LANG)
    return {c: table.get(f"columns.{c}") or table.get(f"chart_columns.{c}") or table.get(f"table_columns.{c}", c)
            for c in columns}

