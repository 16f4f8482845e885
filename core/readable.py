"""Cell values in the reader's language: no stored codes (``little_giant``, ``modern_service``, ``demo``),
no ``None``, no True/False in tables on screen or in downloads.

A missing value is not always the same thing: a record without an award has "none"; a category before the
programme had categories (session 21) does not exist, so it reads "not applicable", never a code or zero.
"""

from __future__ import annotations

import re

import pandas as pd

from core.i18n import column_labels, strings, t

# column -> (locale table for the codes, locale key for a missing value)
CODED = {
    "category": ("categories", "cell.not_applicable"),
    "award_level": ("awards", "cell.no_award"),
    "qualification": ("qualifications", "qualifications.none"),
    "unit": ("published_units", "cell.not_applicable"),  # of a published figure: records, million CNY, ...
    "check_name": ("checks", "cell.not_applicable"),  # a plausibility check
}
# column -> locale key for a missing value in a text column (elsewhere a missing text reads as an empty cell)
MISSING_WORDS = {"example": "facts.no_example"}
YES_NO = ("approved", "is_high_tech", "selected")  # and every boolean column
# Percentages (share, city_share, high_tech_share, district_part …): two decimals in a table, which round to
# the one the charts and texts print; a file read 25.96153846153846.
PERCENT = re.compile(r"(^|_)(share|part)$")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _coded(series: pd.Series, table: str, missing_key: str, lang: str) -> pd.Series:
    def label(value):
        if _missing(value):
            return t(missing_key, lang)
        return strings(lang).get(f"{table}.{value}", value)
    return series.map(label).astype(object)


def _yes_no(series: pd.Series, lang: str) -> pd.Series:
    return series.map(lambda v: t("cell.not_applicable", lang) if _missing(v)
                      else t("cell.yes" if v else "cell.no", lang)).astype(object)


def _whole_numbers(series: pd.Series) -> bool:
    """A float column holding counts: a NULL in a count column makes pandas store it as float (146.0)."""
    if series.dtype.kind != "f":
        return False
    values = series.dropna()
    return bool(((values % 1) == 0).all())


def _dates(series: pd.Series) -> pd.Series:
    """Dates as 2024-10-30 (with the time only where one was stored); a date not known as an empty cell (the
    table on screen showed "None" for a session's unknown launch date)."""
    known = series.dropna()
    timed = bool((known != known.dt.normalize()).any())
    return series.dt.strftime("%Y-%m-%d %H:%M" if timed else "%Y-%m-%d").astype(object).where(series.notna(), "")


def readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of `frame` whose coded, yes/no and source cells read as words in `lang`, and whose counts
    read as whole numbers."""
    out = frame.copy()
    for column, (table, missing_key) in CODED.items():
        if column in out.columns:
            out[column] = _coded(out[column], table, missing_key, lang)
    for column in out.columns:
        if column in YES_NO or pd.api.types.is_bool_dtype(out[column]):
            out[column] = _yes_no(out[column], lang)
        elif _whole_numbers(out[column]):
            out[column] = out[column].astype("Int64")
        elif out[column].dtype.kind == "f" and PERCENT.search(str(column)):
            out[column] = out[column].round(2)
        elif pd.api.types.is_datetime64_any_dtype(out[column]):
            out[column] = _dates(out[column])
    for column in out.columns:  # text with nothing to say reads as nothing, or as MISSING_WORDS says
        series = out[column]
        if (series.dtype == object or pd.api.types.is_string_dtype(series)) and series.isna().any():
            word = t(MISSING_WORDS[column], lang) if column in MISSING_WORDS else ""
            out[column] = series.astype(object).where(series.notna(), word)
    if "source" in out.columns:
        out["source"] = out["source"].map(lambda v: t("cell.source_demo", lang) if v == "demo" else v)
    return out


def with_labels(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with readable column headers and cell values (no stored codes, no None), for tables on
    screen and downloads people open in Excel."""
    return readable(frame, lang).rename(columns=column_labels(frame.columns, lang))
