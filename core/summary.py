"""The one-paragraph summary in the style of the programme's press release (session 23's press release is the model)."""

from __future__ import annotations

from dataclasses import dataclass, fields

import pandas as pd

from core import catalog, db, published, sessions
from core.filters import Filters
from core.i18n import fmt_date, fmt_int, fmt_money, fmt_pct, in_sentence, is_missing, join_names, points_between, t

QUALIFICATIONS = ["single_champion", "little_giant", "provincial_srdi", "municipal_srdi"]


# industry_trends' $top for "every division": more than GB/T 4754 has (97)
EVERY_DIVISION = 1000
# facts that are the rows of the chosen session in a result for every session
ONE_SESSION = ("categories", "industries", "qualifications", "districts", "quotes")


@dataclass(frozen=True, eq=False)
class SummaryFacts:
    """Everything the overview's paragraph (and the press release) states, as the named queries gave it: kpis and
    city for every session (the paragraph compares with the one before), the others for the chosen session."""

    kpis: pd.DataFrame  # session_kpis under the filters
    categories: pd.DataFrame  # category_split
    industries: pd.DataFrame  # industry_trends, divisions with records only
    qualifications: pd.DataFrame  # qualification_mix
    districts: pd.DataFrame  # district_ranking: the whole city, the selection flagged
    quotes: pd.DataFrame | None = None  # source_quotes: what the session's source says word for word
    city: pd.DataFrame | None = None  # session_kpis of the whole city (None: the paragraph names no selection)
    cumulative_before: pd.DataFrame | None = None  # cumulative_by_session of the session before (None for session 1)
    district_names: pd.DataFrame | None = None  # district_options, when districts are chosen
    industry_names: pd.DataFrame | None = None  # industry_options, when industries are chosen


def facts(filters: Filters, run=db.run) -> SummaryFacts:
    """Everything the paragraph states, from the named queries (`run` lets the UI pass its cached runner).

    The queries answer for every session (cached, a change of session reruns none of them); the facts are
    the chosen session's rows, and for kpis and city every session (the paragraph compares with the one before)."""
    data = {key: run(call[0], **call[1]) if call else None for key, call in calls(filters).items()}
    n = filters.session
    for key in ONE_SESSION:
        data[key] = catalog.in_range(data[key], n, n)
    data["industries"] = data["industries"][data["industries"]["records"] > 0]
    cumulative = data.pop("cumulative")
    data["cumulative_before"] = catalog.in_range(cumulative, n - 1, n - 1) if n > 1 else None
    return SummaryFacts(**data)


def as_dict(data: SummaryFacts) -> dict:
    """The facts by field name (the press release adds its own beside them)."""
    return {f.name: getattr(data, f.name) for f in fields(data)}


def calls(filters: Filters) -> dict[str, tuple[str, dict] | None]:
    """The named query and parameters behind each fact (None: not needed under these filters)."""
    p = filters.params()
    every = {**p, **catalog.ALL_SESSIONS}
    return {
        "kpis": ("session_kpis", p),
        "categories": ("category_split", every),
        "industries": ("industry_trends", {**every, "top": EVERY_DIVISION}),
        "cumulative": ("cumulative_by_session", p),
        "qualifications": ("qualification_mix", every),
        "districts": ("district_ranking", every),
        "quotes": ("source_quotes", {}),
        # the whole city, so a filtered paragraph can say what share of the session's records the selection has
        "city": ("session_kpis", {**p, "districts": [], "industries": []}),
        "district_names": ("district_options", {}) if filters.districts else None,
        "industry_names": ("industry_options", {}) if filters.industries else None,
    }


def needed_calls(filters: Filters) -> list[tuple[str, dict]]:
    """calls(filters) without the ones these filters do not need, as ui.state.prefetch takes them."""
    return [call for call in calls(filters).values() if call]


def scope_words(filters: Filters, data: SummaryFacts) -> str:
    """The districts and industries in force in words ("南山区 · 计算机、通信…"), or "" for the whole city."""
    lang, parts = filters.lang, []
    for codes, table, code_col in ((filters.districts, data.district_names, "district_code"),
                                   (filters.industries, data.industry_names, "industry_code")):
        if codes and table is not None:
            names = dict(zip(table[code_col], table[f"name_{lang}"]))
            parts.append(join_names([names.get(c, c) for c in codes], lang))
    return " · ".join(parts)


def _top_divisions(industries: pd.DataFrame, lang: str, n: int = 4) -> list[str]:
    by_division = industries.groupby(f"name_{lang}")["records"].sum().sort_values(ascending=False)
    return list(by_division.index[:n])


def _examples(industries: pd.DataFrame, lang: str) -> str:
    """", such as A, B" / "A、B等" after the industry count; nothing when there are no names to give."""
    names = [in_sentence(name, lang) for name in _top_divisions(industries, lang)]
    return t("summary.examples", lang, names=join_names(names, lang)) if names else ""


def paragraph(data: SummaryFacts, filters: Filters, link=None, in_file: bool = False) -> str:
    """The summary for filters.session; sentences without data (e.g. categories before session 21) drop out.
    `link(code, name)`, if given, writes each district name (the UI passes Markdown links to profiles);
    `in_file`: for a pack, which has no About page to send the reader to (see quoted)."""
    lang, n = filters.lang, filters.session
    kpis = data.kpis
    current = catalog.in_range(kpis, n, n)
    if current.empty or current.iloc[0]["records"] == 0:
        return t("summary.none", lang, n=n)
    cur = current.iloc[0]
    scope = scope_words(filters, data) if data.city is not None else ""
    numbers = {"n": n, "year": sessions.year(n), "companies": fmt_int(cur["companies"], lang),
               "records": fmt_int(cur["records"], lang), "industries": fmt_int(cur["industries"], lang),
               "examples": _examples(data.industries, lang)}
    sentences = _scoped_headline(filters, data, scope, numbers) if scope else [t("summary.headline", lang, **numbers)]
    sentences += _category_sentence(data.categories, lang)
    if cur["awarded"]:
        sentences.append(t("summary.awards", lang, awarded=fmt_int(cur["awarded"], lang)))
    sentences += _scoped(_cumulative_sentence(data.cumulative_before, n, lang), scope, lang)
    sentences += _scoped(_applicant_sentences(kpis, data.qualifications, n, lang), scope, lang)
    sentences += _district_sentence(data.districts, lang, link)
    sentences += quoted(data.quotes, lang, in_file)
    return ("" if lang == "zh" else " ").join(sentences)


def _scoped_headline(filters: Filters, data: SummaryFacts, scope: str, numbers: dict) -> list[str]:
    """A filtered headline names its selection and its share of the city's total, so that nobody quotes a
    district's count as the city's; with one district, also that district's rank."""
    lang, n = filters.lang, filters.session
    ranking = data.districts
    if filters.districts:  # the city total in the same industries: the ranking lists every district
        city, whole = int(ranking["records"].sum()), t("selection.whole_city" if not filters.industries
                                                       else "selection.whole_city_industries", lang)
    else:
        city_row = catalog.in_range(data.city, n, n)
        city, whole = int(city_row.iloc[0]["records"]) if not city_row.empty else 0, t("selection.whole_city", lang)
    if not city:
        return [t("summary.headline", lang, **numbers)]
    share = fmt_pct(100.0 * int(data.kpis.query("session_no == @n").iloc[0]["records"]) / city, lang)
    out = [t("selection.headline", lang, scope=scope, whole=whole, city=fmt_int(city, lang), share=share,
             **numbers)]
    ranked = ranking[ranking["selected"]] if len(filters.districts) == 1 else ranking.iloc[0:0]
    if not ranked.empty and ranked.iloc[0]["rank"] == ranked.iloc[0]["rank"]:
        row = ranked.iloc[0]
        out.append(t("selection.rank", lang, district=row[f"name_{lang}"], rank=int(row["rank"]),
                     of=int(row["districts_ranked"])))
    return out


def _scoped(sentences: list[str], scope: str, lang: str) -> list[str]:
    """Sentences about a selection start with its name (the bare sentence reads as the city's)."""
    if not scope or not sentences:
        return sentences
    return [t("selection.prefix", lang, scope=scope) + sentences[0]] + sentences[1:]


def _category_sentence(categories: pd.DataFrame, lang: str) -> list[str]:
    if categories.empty:
        return []
    counts = dict(zip(categories["category"], categories["records"]))
    return [t("summary.categories", lang, product_rd=fmt_int(counts.get("product_rd", 0), lang),
              manufacturing=fmt_int(counts.get("manufacturing", 0), lang),
              modern_service=fmt_int(counts.get("modern_service", 0), lang))]


def _cumulative_sentence(cumulative: pd.DataFrame | None, n: int, lang: str) -> list[str]:
    if cumulative is None or cumulative.empty or cumulative.iloc[0]["records"] == 0:
        return []
    row = cumulative.iloc[0]
    return [t("summary.cumulative", lang, previous=n - 1, records=fmt_int(row["records"], lang),
              companies=fmt_int(row["companies_summed"], lang), groups=fmt_int(row["groups"], lang))]


def _applicant_sentences(kpis: pd.DataFrame, qualifications: pd.DataFrame, n: int, lang: str) -> list[str]:
    """The applicants' sentences; a session without applicant data (an imported list names approved records
    only) has none, and a sentence whose numbers are missing drops out rather than print a dash."""
    cur = catalog.in_range(kpis, n, n).iloc[0]
    if is_missing(cur["applicants"]) or not cur["applicants"]:
        return []
    out = []
    if not (is_missing(cur["high_tech_share"]) or is_missing(cur["mean_revenue_cny"])):
        out.append(t("summary.applicants", lang, high_tech=fmt_pct(cur["high_tech_share"], lang),
                     revenue=fmt_money(cur["mean_revenue_cny"], lang)))
    pairs = zip(qualifications["qualification"], qualifications["companies"])
    counts = {"none" if is_missing(q) else q: c for q, c in pairs}  # fillna cost ~1 ms a run on a busy server
    if is_missing(cur["qualified_share"]) or not any(counts.get(q) for q in QUALIFICATIONS):
        return out
    points = qualified_points(kpis, n)
    change = "" if points is None else \
        t("summary.change_up" if points >= 0 else "summary.change_down", lang, points=abs(points))
    out.append(t("summary.qualifications", lang, **{q: fmt_int(counts.get(q, 0), lang) for q in QUALIFICATIONS},
                 share=fmt_pct(cur["qualified_share"], lang, decimals=0), change=change))
    return out


def qualified_points(kpis: pd.DataFrame, n: int) -> int | None:
    """The qualified share's change on session n-1 in whole percentage points (the unrounded difference rounded
    once, as every change is: core.i18n.points_between); None when either session lacks it."""
    cur, prev = catalog.in_range(kpis, n, n), catalog.in_range(kpis, n - 1, n - 1)
    if cur.empty or prev.empty or is_missing(cur.iloc[0]["qualified_share"]) \
            or is_missing(prev.iloc[0]["qualified_share"]):
        return None
    return int(points_between(prev.iloc[0]["qualified_share"], cur.iloc[0]["qualified_share"], 0))


def quoted(quotes: pd.DataFrame | None, lang: str, in_file: bool = False) -> list[str]:
    """What the session's source says word for word (session 23: the firms it names, which the demo data
    does not contain), with its citation: on a page a short source line in the reader's language (the full
    record is on the About page); in a file (a pack, a press-release draft), which has no About page, the full
    record."""
    if quotes is None or quotes.empty:
        return []
    return [t("facts.summary_quote", lang, quote=q.text, source=_quote_source(q, lang, in_file))
            for q in quotes.itertuples()]


def _quote_source(quote, lang: str, in_file: bool) -> str:
    if in_file:
        return t("facts.summary_source_file", lang, citation=published.in_language(quote.citation, lang))
    return t("facts.summary_source", lang, date=fmt_date(quote.published_on, lang))


def _district_sentence(districts: pd.DataFrame, lang: str, link=None) -> list[str]:
    # district_ranking returns the whole city with the selection flagged; the paragraph speaks of the selection
    if districts["selected"].any():
        districts = districts[districts["selected"]]
    if not (districts["applicants"] > 0).any():  # no applicant data (an imported session): nothing to rank
        return []
    ordered = districts.sort_values(["applicants", "records"], ascending=False)
    names = [link(code, name) if link else name for code, name in zip(ordered["district_code"],
                                                                      ordered[f"name_{lang}"])]
    if len(names) == 1:
        return [t("summary.district_only", lang, first=names[0])]
    return [t("summary.districts", lang, first=names[0], rest=join_names(names[1:4], lang))]
