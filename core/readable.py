"""Cell values in the reader's language: no stored codes (``little_giant``, ``modern_service``, ``demo``),
no ``None``, no True/False in tables on screen or in downloads.

A missing value is not always the same thing: a record without an award has "none"; a category before the
programme had categories (session 21) does not exist, so it reads "not applicable", never a code or zero.
"""

from __future__ import annotations

import pandas as pd

from core.i18n import strings, t

# column -> (locale table for the codes, locale key for a missing value)
CODED = {
    "category": ("categories", "firstuse.not_applicable"),
    "award_level": ("awards", "firstuse.no_award"),
    "qualification": ("qualifications", "qualifications.none"),
}
YES_NO = ("approved", "is_high_tech", "selected")


def _missing(value) -> bool:
    return value is None or (isinstance(value, float) and value != value) or value is pd.NA


def _coded(series: pd.Series, table: str, missing_key: str, lang: str) -> pd.Series:
    def label(value):
        if _missing(value):
            return t(missing_key, lang)
        return strings(lang).get(f"{table}.{value}", value)
    return series.map(label).astype(object)


def readable(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """A copy of `frame` whose coded, yes/no and source cells read as words in `lang`."""
    out = frame.copy()
    for column, (table, missing_key) in CODED.items():
        if column in out.columns:
            out[column] = _coded(out[column], table, missing_key, lang)
    for column in YES_NO:
        if column in out.columns:
            out[column] = out[column].map(lambda v: t("firstuse.not_applicable", lang) if _missing(v)
                                          else t("firstuse.yes" if v else "firstuse.no", lang)).astype(object)
    if "source" in out.columns:
        out["source"] = out["source"].map(lambda v: t("firstuse.source_demo", lang) if v == "demo" else v)
    return out
