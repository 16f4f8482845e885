"""How the published figures read on screen: the figure's name (saying whose reading it is), the published
value (a range as 51–59, a bound as ≤ 77), the value from the records, and the full citation."""

from __future__ import annotations

import re
from collections.abc import Mapping
from urllib.parse import quote

import pandas as pd

from core import sessions
from core.filters import lang_index
from core.i18n import fmt_int, fmt_money, t
from core.markup import escape_markdown

PER_ITEM = {"records_in_published_industry", "programme_prizes"}  # one row per industry or prize
# figures whose text is district codes in rank order, "440305>440306>…": shown as the districts' names
DISTRICT_ORDER = {"applicants_top_districts"}


def _number(value, decimals: int, lang: str) -> str:
    if pd.isna(value):
        return "—"
    if decimals:
        return f"{value:,.{decimals}f}" if lang == "en" else f"{value:.{decimals}f}"
    return fmt_int(round(value), lang)


def label(row, lang: str) -> str:
    """The figure's name; for per-item figures with the industry or prize it counts."""
    name = t(f"facts.metric.{row['metric']}", lang)
    if row["metric"] == "programme_prizes":
        prize = t("facts.prize." + row["value_text"], lang)
        return f"{name} · {prize}"
    if row["metric"] in PER_ITEM:
        return f"{name} · {row['value_text']}"
    return name


def district_order(text: str, lang: str, districts: Mapping[str, tuple[str, str]]) -> str:
    """"440305>440306" as "南山区 > 宝安区" or "Nanshan > Bao'an" (`districts`: code -> (name_zh, name_en));
    a code without a name stays a code rather than vanish."""
    column = lang_index(lang)
    return " > ".join(districts[code][column] if code in districts else code for code in text.split(">"))


def _text(row, column: str, lang: str, districts: Mapping[str, tuple[str, str]]) -> str:
    text = row[column]
    return district_order(text, lang, districts) if row["metric"] in DISTRICT_ORDER else text


def _measured(value, row, lang: str) -> str:
    """A figure with its unit where the number alone misleads: 85.3%, 7 个百分点, 8.62亿元 / 862 million yuan."""
    unit = row["unit"]
    if unit == "million CNY":
        return fmt_money(float(value) * 1e6, lang)
    text = _number(value, int(row["decimals"]), lang)
    if unit == "%":
        return f"{text}%"
    if unit == "percentage points":
        return t("units.points_value", lang, value=text)
    return text


def scope(row, lang: str) -> str:
    """The sessions a figure covers in the reader's words (the stored scope, "session 23", is English)."""
    first, last = int(row["session_from"]), int(row["session_to"])
    if first == last:
        return t("filters.session_short", lang, n=first, year=sessions.year(first))
    return t("filters.range_short", lang, first=first, last=last, year_first=sessions.year(first),
             year_last=sessions.year(last))


def published(row, lang: str, districts: Mapping[str, tuple[str, str]] | None = None) -> str:
    comparison = row["comparison"]
    value = row["published"]
    if comparison == "between":
        return t("facts.range", lang, low=_number(value, 0, lang), high=_number(row["published_max"], 0, lang))
    if row["metric"] not in PER_ITEM and not pd.isna(row["value_text"]) and row["value_text"]:
        return _text(row, "value_text", lang, districts or {})
    if comparison in ("le", "gt"):
        return t(f"facts.bound.{comparison}", lang, value=_number(value, int(row["decimals"]), lang))
    return _measured(value, row, lang)


def derived(row, lang: str, districts: Mapping[str, tuple[str, str]] | None = None) -> str:
    if row["comparison"] == "reported":
        return t("facts.not_in_records", lang)
    if not pd.isna(row["derived_text"]) and row["derived_text"]:
        return _text(row, "derived_text", lang, districts or {})
    if pd.isna(row["derived"]):
        return _number(row["derived"], int(row["decimals"]), lang)
    return _measured(row["derived"], row, lang)


def status(row, lang: str) -> str:
    if pd.isna(row["matches"]):
        return t("facts.not_checkable", lang)
    return t("about.match", lang) if bool(row["matches"]) else t("about.differs", lang)


def derived_note(derived: pd.DataFrame, session: int, metric: str, value, lang: str) -> str | None:
    """How a shown figure was derived, when it is one the project derived (data/raw/derived_figures.csv) and
    the data still give that value (an imported list with its own count is not derived): None otherwise."""
    if pd.isna(value):
        return None
    # a handful of rows, read on every run of the overview: a loop costs a tenth of pandas' three masks
    hows = derived[f"how_{'en' if lang == 'en' else 'zh'}"]
    for row_session, row_metric, row_value, how in zip(derived["session_no"], derived["metric"], derived["value"],
                                                       hows, strict=True):
        if row_session == session and row_metric == metric and row_value == float(value):
            return str(how)
    return None


def derived_table(derived: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The derived figures as the About page lists them: session, figure, value, how."""
    how = derived[f"how_{'en' if lang == 'en' else 'zh'}"]
    table = derived.assign(metric=derived["metric"].map(lambda m: t(f"data_truth.metric.{m}", lang)),
                           value=derived["value"].map(lambda v: fmt_int(v, lang)), how=how)
    return table[["session_no", "metric", "value", "how"]].rename(
        columns={"metric": t("data_truth.col_metric", lang), "value": t("data_truth.col_value", lang),
                 "how": t("data_truth.col_how", lang)})


def prizes_table(prizes: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The programme's prizes as a table reads: the prize's name, and for the prizes record lists cannot show
    (awarded to associations: records is NULL) the words saying so instead of an empty cell."""
    counted = prizes["records"].map(lambda n: t("facts.not_in_records", lang) if pd.isna(n) else fmt_int(n, lang))
    table = prizes.assign(prize=prizes["prize"].map(lambda p: t(f"facts.prize.{p}", lang)), records=counted)
    return table[["session_no", "year", "prize", "published", "records", "unit"]].rename(
        columns={"prize": t("facts.col_prize", lang)})


# Our own words about a source, kept in data/raw/published_stats.csv's publisher and title (and so in every
# citation built from them) where the source does not say: [cited] in the locales, in the reader's language. A
# publisher's and a title's own words stay as published.
OUR_WORDS = {"unnamed_release": "Press release (English; publisher not named)",
             "japanese_copy": " (address: Japanese republication of the release)"}


def in_language(text: str, lang: str) -> str:
    """A citation, publisher or title with OUR_WORDS in the reader's language."""
    for key, stored in OUR_WORDS.items():
        text = text.replace(stored, t(f"cited.{key}", lang))
    return text


def citation_markdown(publisher: str, title: str, date: str, url: str) -> str:
    """publisher: title, date, address (a link whose target is only ever an http(s) address, with the
    characters that could end the <...> target or the link percent-encoded)."""
    link = quote(url, safe="/:?#[]@!$&'()*+,;=%~") if re.match(r"https?://", url) else ""
    where = f"[{escape_markdown(url)}](<{link}>)" if link else escape_markdown(url)
    return f"{escape_markdown(publisher)}: *{escape_markdown(title)}*, {escape_markdown(date)}, {where}"
