"""The figures every registered chart's text alternative states, for one filtered view (Bao'an, session 22,
sessions 18-22, compared with session 20), against plain SQL on the tables written here.

tests/test_alt.py checks one chart of each kind unfiltered, and that every chart has a whole description;
this file checks the numbers and percentages of each chart's own description under a district filter, where a
wrong denominator (the city's instead of the district's, the range's instead of the session's) shows.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from core import catalog
from core.charts import alt
from core.filters import parse
from core.i18n import ordinal

CODE, SESSION, FIRST, VS = "440306", 22, 18, 20
RANGE = f"session_no BETWEEN {FIRST} AND {SESSION}"
MINE = f"district_code = '{CODE}'"


@pytest.fixture(scope="module")
def texts(built_db) -> dict[str, str]:
    options = catalog.load_options()
    filters = parse({"lang": "en", "session": str(SESSION), "from": str(FIRST), "to": str(SESSION),
                     "district": CODE, "vs": str(VS)}, options).filters
    return {name: alt.text(catalog.build(name, filters, options)[0]) for name in catalog.CHARTS}


def headline(texts: dict[str, str], name: str) -> str:
    """The description after the title (ending in ". ") and the filters (ending in ": "), whose session
    numbers are not figures."""
    return texts[name].split(". ", 1)[1].split(": ", 1)[1]


def pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%"


def records(n: int) -> str:
    return f"{n:,} record{'' if n == 1 else 's'}"


def companies(n: int) -> str:
    return f"{n:,} compan{'y' if n == 1 else 'ies'}"


def sessions(n: int) -> str:
    return f"{n:,} session{'' if n == 1 else 's'}"


def percentages(text: str) -> Counter:
    return Counter(re.findall(r"\d+\.\d%", text))


CHECKS = {}


def check(*names):
    def register(fn):
        for name in names:
            CHECKS[name] = fn
        return fn
    return register


@check("records_per_session", "profile_records")
def _records_per_session(sql, text):
    counts = dict(sql(f"SELECT session_no, count(*) FROM records WHERE {MINE} AND {RANGE} GROUP BY ALL"))
    top = max(counts.values())
    assert f"Records from {counts[FIRST]:,} in session {FIRST} to {counts[SESSION]:,} in session {SESSION}" in text
    assert ", the highest" in text if counts[SESSION] == top else f"highest {top:,} in session" in text


@check("profile_rank")
def _profile_rank(sql, text):
    ranks = dict(sql(f"""SELECT session_no, rank() OVER (PARTITION BY session_no ORDER BY count(*) DESC)
                         FROM records WHERE {RANGE} AND district_code IS NOT NULL GROUP BY session_no, district_code
                         QUALIFY {MINE}"""))
    best = min(ranks.values())
    at_best = sorted(s for s, r in ranks.items() if r == best)
    often = f"best {ordinal(best, 'en')} in session {at_best[0]}" if len(at_best) == 1 else \
        f"best {ordinal(best, 'en')}, in {len(at_best)} of {len(ranks)} sessions, most recently session {at_best[-1]}"
    assert f"rank {ordinal(ranks[FIRST], 'en')} in session {FIRST}, {ordinal(ranks[SESSION], 'en')} in session " \
           f"{SESSION}; {often}" in text


def last_words(rows: list[tuple], counted=records) -> str:
    """How a ranking's description ends for rows (name, value) most first: every place tied for last after the
    first place and the two names that follow it is named, "each" when several."""
    firsts = [r for r in rows if r[1] == rows[0][1]]
    tied = [r for r in rows[len(firsts) + 2:] if r[1] == rows[-1][1]]
    return f"last with {counted(rows[-1][1])}{' each' if len(tied) > 1 else ''} ({len(rows)} in all)"


@check("district_ranking", "profile_districts")
def _district_ranking(sql, text):
    rows = sql(f"SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               f"WHERE session_no = {SESSION} GROUP BY ALL ORDER BY n DESC")
    assert rows[0][1] > rows[1][1] > rows[2][1], "the demo's leaders are not tied"
    assert text.startswith(f"{rows[0][0]} first with {records(rows[0][1])}; then {rows[1][0]} "
                           f"({records(rows[1][1])}), {rows[2][0]} ({records(rows[2][1])})")
    assert text.endswith(last_words(rows) + ".")


@check("district_rank_history")
def _rank_history(sql, text):
    counts = dict(sql(f"SELECT d.name_en, count(*) FROM records r JOIN districts d USING (district_code) "
                      f"WHERE session_no = {SESSION} GROUP BY ALL"))
    firsts = sorted(n for n, c in counts.items() if c == max(counts.values()))
    lasts = sorted(n for n, c in counts.items() if c == min(counts.values()))
    verb = "ranks first" if len(firsts) == 1 else "share first place"
    assert text.startswith(f"in session {SESSION}, {', '.join(firsts)} {verb} and ")
    assert all(name in text.split(f"{verb} and ")[1] for name in lasts)
    assert text.endswith(f" last of {len(counts)}.")


@check("district_heatmap")
def _heatmap(sql, text):
    (cell,) = sql(f"SELECT max(n) FROM (SELECT count(*) AS n FROM records WHERE {RANGE} "
                  f"AND district_code IS NOT NULL GROUP BY session_no, district_code)")[0]
    name, total = sql(f"SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
                      f"WHERE {RANGE} GROUP BY ALL ORDER BY n DESC LIMIT 1")[0]
    assert text.startswith(f"highest {records(cell)} for ")
    assert f"{name} has the most over the period ({records(total)})" in text


@check("district_map")
def _map(sql, text):
    rows = sql(f"SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               f"WHERE {RANGE} AND d.kind = 'district' GROUP BY ALL ORDER BY n DESC")
    assert text == f"{rows[0][0]} has the most ({records(rows[0][1])}), {rows[-1][0]} the fewest " \
                   f"({records(rows[-1][1])}); {records(sum(n for _, n in rows))} in {len(rows)} districts."


@check("industry_breakdown")
def _industry_breakdown(sql, text):
    rows = sql(f"SELECT left(industry_code, 3) AS d, count(*) AS n FROM records WHERE {MINE} AND {RANGE} "
               f"GROUP BY ALL ORDER BY n DESC, d")
    total = sum(n for _, n in rows)
    assert text.startswith(rows[0][0] + " ")
    assert f"the largest of {len(rows)} with {records(rows[0][1])} ({pct(rows[0][1], total)} of {records(total)})" \
        in text
    assert f"({records(rows[1][1])})" in text and f"({records(rows[2][1])})" in text


@check("industry_trends")
def _industry_trends(sql, text):
    (division,) = sql(f"SELECT left(industry_code, 3) AS d FROM records WHERE {MINE} AND {RANGE} "
                      f"GROUP BY ALL ORDER BY count(*) DESC, d LIMIT 1")[0]
    counts = dict(sql(f"SELECT session_no, count(*) FROM records WHERE {MINE} AND {RANGE} "
                      f"AND left(industry_code, 3) = '{division}' GROUP BY ALL"))
    top = max(counts.values())
    assert f"from {records(counts.get(FIRST, 0))} in session {FIRST} to {records(counts.get(SESSION, 0))} in " \
           f"session {SESSION}" in text
    assert f"highest {records(top)} in session {min(s for s, n in counts.items() if n == top)}" in text


@check("industries_as_published")
def _as_published(sql, text):
    rows = sql(f"SELECT industry_raw, count(*) AS n FROM records WHERE {MINE} AND session_no = {SESSION} "
               f"GROUP BY ALL ORDER BY n DESC")
    assert f" first with {records(rows[0][1])}; " in text
    assert text.endswith(last_words(rows) + ".")


@check("qualification_mix")
def _qualification_mix(sql, text):
    rows = sql(f"SELECT qualification, count(*) AS n FROM company_profiles WHERE {MINE} AND session_no = {SESSION} "
               f"GROUP BY ALL ORDER BY n DESC")
    titles = [row for row in rows if row[0] is not None]  # "None of these" is no title to rank
    none = next(n for q, n in rows if q is None)
    assert f" first with {companies(titles[0][1])}; " in text
    assert text.endswith(f"{last_words(titles, companies)}; None of these: {companies(none)} "
                         f"({pct(none, sum(n for _, n in rows))} of all).")


@check("repeat_innovators", "profile_repeat_innovators")
def _repeat(sql, text):
    rows = sql(f"""SELECT coalesce(c.name_en, c.name_zh), count(DISTINCT session_no) AS s, count(*) AS n
                   FROM records r JOIN companies c USING (company_id) WHERE r.{MINE} AND {RANGE}
                   GROUP BY company_id, c.name_en, c.name_zh HAVING s >= 2 ORDER BY s DESC, n DESC, company_id""")
    assert text.startswith(f"{rows[0][0]} first with {sessions(rows[0][1])}; ")
    assert text.endswith(last_words(rows, sessions) + ".")


@check("returning_companies")
def _returning(sql, text):
    total, returning = sql(f"""SELECT count(DISTINCT company_id),
                                      count(DISTINCT company_id) FILTER (WHERE first < {SESSION})
                               FROM records JOIN (SELECT company_id, min(session_no) AS first FROM records
                                                  GROUP BY ALL) USING (company_id)
                               WHERE {MINE} AND session_no = {SESSION}""")[0]
    new = total - returning
    assert text.startswith(f"{companies(total)} in session {SESSION}: ")
    assert f"First-time companies {new:,} ({pct(new, total)})" in text  # the name says the unit
    assert f"Returning companies {returning:,} ({pct(returning, total)})" in text


@check("category_split")
def _categories(sql, text):
    rows = dict(sql(f"SELECT category, count(*) FROM records WHERE {MINE} AND session_no = {SESSION} GROUP BY ALL"))
    total = sum(rows.values())
    assert text.startswith(f"{records(total)} in session {SESSION}: ")
    assert percentages(text) == Counter(pct(n, total) for n in rows.values())
    for n in rows.values():
        assert f" {records(n)} ({pct(n, total)})" in text


@check("awards_per_session")
def _awards(sql, text):
    rows = dict(sql(f"SELECT award_level, count(*) FROM records WHERE {MINE} AND session_no = {SESSION} "
                    f"AND award_level IS NOT NULL GROUP BY ALL"))
    total = sum(rows.values())
    assert text.startswith(f"{records(total)} in session {SESSION}: ")
    assert percentages(text) == Counter(pct(n, total) for n in rows.values())


@check("applicant_strength")
def _applicant_strength(sql, text):
    shares = dict(sql(f"SELECT session_no, 100.0 * count(*) FILTER (WHERE is_high_tech) / count(*) "
                      f"FROM company_profiles WHERE {MINE} AND {RANGE} GROUP BY ALL"))
    top = max(shares.values())
    assert f"from {shares[FIRST]:.1f}% in session {FIRST} to {shares[SESSION]:.1f}% in session {SESSION}" in text
    assert ", the highest" in text if shares[SESSION] == top else f"highest {top:.1f}% in session" in text


@check("profile_industries")
def _profile_industries(sql, text):
    rows = sql(f"""SELECT left(industry_code, 3) AS d, 100.0 * count(*) FILTER (WHERE {MINE})
                                                      / sum(count(*) FILTER (WHERE {MINE})) OVER (),
                          100.0 * count(*) / sum(count(*)) OVER (), count(*) FILTER (WHERE {MINE}) AS n
                   FROM records WHERE {RANGE} GROUP BY ALL ORDER BY n DESC, d LIMIT 4""")
    for _, mine, city, _ in rows:
        assert f": {mine:.1f}% in Bao'an, {city:.1f}% in City" in text, (mine, city)
    assert len(percentages(text)) <= 8


@check("compare_sessions")
def _compare_sessions(sql, text):
    def kpis(n):
        return sql(f"""SELECT count(*), count(DISTINCT company_id), count(award_level),
                              (SELECT count(*) FROM company_profiles WHERE {MINE} AND session_no = {n})
                       FROM records WHERE {MINE} AND session_no = {n}""")[0]

    (ra, ca, aa, pa), (rb, cb, ab, pb) = kpis(VS), kpis(SESSION)
    for what, counted, a, b in (("Records", records, ra, rb), ("Approved companies", companies, ca, cb),
                                ("Applicants", companies, pa, pb), ("Award-winning records", records, aa, ab)):
        assert f"{what}: {counted(a)} in Session {VS} (2021), {counted(b)} in Session {SESSION} (2023)" in text, what


@check("compare_categories")
def _compare_categories(sql, text):
    rows = dict(sql(f"SELECT category, count(*) FROM records WHERE {MINE} AND session_no = {SESSION} GROUP BY ALL"))
    assert not sql(f"SELECT count(category) FROM records WHERE {MINE} AND session_no = {VS}")[0][0]
    words = {"product_rd": "Product R&D", "manufacturing": "Production & manufacturing",
             "modern_service": "Modern services"}
    for category, n in rows.items():
        assert f"{words[category]}: {records(n)} in Session {SESSION} (2023)" in text
    assert f"Session {VS} (2021)" not in text.split(": ", 1)[1]


def test_every_registered_chart_is_checked():
    assert set(CHECKS) == set(catalog.CHARTS)


@pytest.mark.parametrize("name", sorted(CHECKS))
def test_description_states_the_figures_sql_gives(sql, texts, name):
    text = headline(texts, name)
    CHECKS[name](sql, text)


def test_chinese_descriptions_state_the_same_numbers(texts, built_db):
    """The English descriptions are checked above; each Chinese one states the same numbers (thousands
    separators aside), so a figure computed or formatted per language cannot drift."""
    options = catalog.load_options()
    filters = parse({"lang": "zh", "session": str(SESSION), "from": str(FIRST), "to": str(SESSION),
                     "district": CODE, "vs": str(VS)}, options).filters

    def numbers(text: str) -> list[str]:
        return sorted(re.findall(r"\d+(?:\.\d+)?", text.replace(",", "")))

    for name in catalog.CHARTS:
        zh = alt.text(catalog.build(name, filters, options)[0])
        assert numbers(zh) == numbers(texts[name]), (name, zh, texts[name])


def test_a_late_districts_records_are_described_from_its_own_first_list(built_db, sql):
    """Longhua is listed on its own from session 11 (2012), before that under Bao'an: its profile from session 8
    describes its records from session 11, not from a 0 in session 8."""
    options = catalog.load_options()
    filters = parse({"lang": "en", "session": "23", "from": "8", "to": "23", "district": "440309"}, options).filters
    text = alt.text(catalog.build("profile_records", filters, options)[0])
    counts = dict(sql("SELECT session_no, count(*) FROM records WHERE district_code = '440309' "
                      "AND session_no BETWEEN 8 AND 23 GROUP BY ALL"))
    assert min(counts) == 11  # the demo follows the lists: nothing of Longhua's own before session 11
    assert f"Records from {counts[11]:,} in session 11 to {counts[23]:,} in session 23" in text


def test_a_chinese_ranking_counts_its_bars_without_the_records_measure_word(built_db, sql):
    """"深汕特别合作区最少，为3（共11项）" read as eleven records: 项 is the measure word of records here."""
    options = catalog.load_options()
    filters = parse({"session": "23", "lang": "zh"}, options).filters
    text = alt.text(catalog.build("district_ranking", filters, options)[0])
    counts = sql("SELECT d.name_zh, count(*) AS n FROM records r JOIN districts d USING (district_code) "
                 "WHERE session_no = 23 GROUP BY d.name_zh, d.district_code ORDER BY n, d.district_code")
    fewest = counts[0][1]
    names = "、".join(name for name, n in counts if n == fewest)  # tied, in district code order
    districts = sql("SELECT count(DISTINCT district_code) FROM records WHERE session_no = 23")[0][0]
    assert f"{names}最少，{'均为' if '、' in names else '为'}{fewest}项（共{districts}个）" in text
