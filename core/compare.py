"""Two sessions side by side for the city or a district: the figures, their differences in words, and the
comparison's briefing charts. Every number in the words is read from the named queries' rows."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from core import catalog, db, sessions
from core.charts import profile as builders
from core.filters import Options, district_name
from core.i18n import fmt_int, fmt_pct, is_missing, points_between, t

COUNTS = ("records", "companies")
SHARES = ("high_tech_share",)
TABLE_ROWS = ("records", "companies", "industries", "awarded", "applicants", "high_tech_share", "qualified_share")


@dataclass(frozen=True, eq=False)
class ComparisonFacts:
    """What a comparison of session `a` with session `b` states, as the named queries gave it."""

    a: int
    b: int
    code: str | None  # the district, None for the whole city
    kpis: pd.DataFrame  # session_compare: one row per session
    categories: pd.DataFrame  # session_compare_categories


def facts(a: int, b: int, code: str | None, run=db.run) -> ComparisonFacts:
    scope = {"session_a": a, "session_b": b, "districts": [code] if code else []}
    return ComparisonFacts(a, b, code, kpis=run("session_compare", **scope),
                           categories=run("session_compare_categories", **scope))


def _row(kpis: pd.DataFrame, session: int) -> pd.Series:
    return catalog.in_range(kpis, session, session).iloc[0]


def table(data: ComparisonFacts, lang: str) -> pd.DataFrame:
    """Measure | session a | session b | change, with values formatted for the reader."""
    a, b = _row(data.kpis, data.a), _row(data.kpis, data.b)
    rows = []
    for m in TABLE_ROWS:
        if m.endswith("_share"):
            change = "–" if is_missing(a[m]) or is_missing(b[m]) else \
                t("units.points_value", lang, value=f"{points_between(a[m], b[m]):+.1f}")
            rows.append((t(f"compare.{m}", lang), fmt_pct(a[m], lang), fmt_pct(b[m], lang), change))
        else:
            rows.append((_measure(m, data, lang), fmt_int(a[m], lang), fmt_int(b[m], lang), f"{int(b[m] - a[m]):+d}"))
    heads = [t("compare.metric", lang), _session(data.a, lang), _session(data.b, lang),
             t("compare.difference", lang)]
    return pd.DataFrame(rows, columns=heads)


def _measure(metric: str, data: ComparisonFacts, lang: str) -> str:
    """The measure's name; the city's applicants of a session whose count the project derived say so."""
    derived = metric == "applicants" and not data.code and {data.a, data.b} & catalog.DERIVED_APPLICANTS
    return t(f"compare.{metric}", lang) + (t("data_truth.derived_suffix", lang) if derived else "")


def _session(n: int, lang: str) -> str:
    return t("compare.series.session", lang, n=n, year=sessions.year(n))


def paragraph(data: ComparisonFacts, scope_name: str, lang: str) -> str:
    """The differences written out: records, companies, high-tech share, category mix."""
    a_no, b_no = data.a, data.b
    a, b = _row(data.kpis, a_no), _row(data.kpis, b_no)
    parts = [_count(m, a[m], b[m], a_no, lang) for m in COUNTS]
    parts += [_share(m, a[m], b[m], a_no, lang) for m in SHARES]
    parts.append(_categories(data.categories, a_no, b_no, lang))
    intro = t("compare.text.intro", lang, scope=scope_name, a=a_no, b=b_no, year_a=sessions.year(a_no),
              year_b=sessions.year(b_no))
    return intro + t("compare.text.separator", lang).join(parts) + t("compare.text.end", lang)


def _amount(metric: str, n, lang: str) -> str:
    unit = "compare.text.unit_companies" if metric == "companies" else "compare.text.unit_records"
    return t(unit, lang, n=fmt_int(n, lang))


def _count(metric: str, before, after, a_no: int, lang: str) -> str:
    what = t(f"compare.{metric}", lang)
    diff = int(after) - int(before)
    if diff == 0:
        return t("compare.text.count_same", lang, what=what, after=_amount(metric, after, lang))
    pct = t("compare.text.pct", lang, value=f"{100 * diff / before:+.1f}%") if before else ""
    key = "compare.text.count_up" if diff > 0 else "compare.text.count_down"
    return t(key, lang, what=what, after=_amount(metric, after, lang), before=_amount(metric, before, lang),
             d=_amount(metric, abs(diff), lang), a=a_no, pct=pct)


def _share(metric: str, before, after, a_no: int, lang: str) -> str:
    what = t(f"compare.{metric}", lang)
    if is_missing(before) or is_missing(after):
        return t("compare.text.share_missing", lang, what=what)
    points = points_between(before, after)
    if abs(points) < 0.05:
        return t("compare.text.share_same", lang, what=what, after=fmt_pct(after, lang))
    key = "compare.text.share_up" if points > 0 else "compare.text.share_down"
    return t(key, lang, what=what, after=fmt_pct(after, lang), before=fmt_pct(before, lang), a=a_no,
             points=f"{abs(points):.1f}")


def _categories(categories: pd.DataFrame, a_no: int, b_no: int, lang: str) -> str:
    present = set(categories["session_no"])
    missing = [n for n in (a_no, b_no) if n not in present]
    if missing:
        return t("compare.text.no_categories", lang, session=missing[0])
    by = {(r.session_no, r.category): r for r in categories.itertuples()}
    items = []
    for c in builders.CATEGORIES:
        before, after = by[(a_no, c)], by[(b_no, c)]
        items.append(t("compare.text.category_item", lang, name=t(f"categories.{c}", lang),
                       after=fmt_int(after.records, lang), share_after=fmt_pct(after.share, lang), a=a_no,
                       before=fmt_int(before.records, lang), share_before=fmt_pct(before.share, lang)))
    return t("compare.text.categories", lang, items=("，" if lang == "zh" else ", ").join(items))


def scope_name(code: str | None, options: Options, lang: str) -> str:
    return district_name(code, options, lang) if code else t("compare.city", lang)
