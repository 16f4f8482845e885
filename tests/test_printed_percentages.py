"""Every percentage and difference the written texts print (the press-release draft, the overview's summary
paragraph and KPI deltas, a district's profile paragraph, a comparison's paragraph), parsed out of the text and
checked against plain SQL on the tables written here, never the product's queries or helpers.

The rules (docs/data.md, "Changes and ranks"): a percentage change is over the earlier session's figure; a
share is of its own whole (categories of the session's records, high-tech and titled companies of the
session's applicants); a change in points is the difference of the unrounded shares, rounded once.
The chart descriptions are checked in tests/test_alt_figures.py.
"""

from __future__ import annotations

import re

import pytest

from core import catalog, compare, profile, release, summary
from core.filters import parse

BAOAN = "440306"
NUM = r"([\d,]+(?:\.\d+)?)"


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def number(text: str) -> float:
    return float(text.replace(",", ""))


def found(pattern: str, text: str) -> tuple[float, ...]:
    """The numbers the pattern's groups capture, once; a clear failure when the sentence is not there."""
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return tuple(number(g) for g in match.groups())


def records(sql, session: int, code: str | None = None) -> tuple[int, int]:
    """(records, distinct approved companies)."""
    return sql("SELECT count(*), count(DISTINCT company_id) FROM records WHERE session_no = $s "
               "AND (district_code = $c OR $c IS NULL)", s=session, c=code)[0]


def applicants(sql, session: int, code: str | None = None) -> tuple[int, float, float | None]:
    """(applicants, high-tech %, any-title %) of the session's applicants; the title share is None (not
    applicable) before the first session in which any applicant in the city held a title."""
    return sql("""SELECT count(*), 100.0 * count(*) FILTER (WHERE is_high_tech) / count(*),
                         CASE WHEN $s >= (SELECT min(session_no) FROM company_profiles
                                          WHERE qualification IS NOT NULL)
                              THEN 100.0 * count(*) FILTER (WHERE qualification IS NOT NULL) / count(*) END
                  FROM company_profiles WHERE session_no = $s AND (district_code = $c OR $c IS NULL)""",
               s=session, c=code)[0]


def close(shown: float, exact: float, decimals: int = 1) -> bool:
    """`shown` is `exact` rounded to `decimals` (half a unit either way, for the float's own rounding)."""
    return abs(shown - exact) <= 0.5 * 10 ** -decimals + 1e-9


# --- the press-release draft -----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def drafts(options):
    return {n: release.build(n, "en", options, with_charts=False).text() for n in (15, 20, 22, 23)}


@pytest.mark.parametrize("n", [15, 22, 23])
def test_release_change_is_over_the_previous_session(sql, drafts, n):
    (now, _), (before, before_companies) = records(sql, n), records(sql, n - 1)
    text = drafts[n]
    shown_before, shown_companies = found(rf"than in session {n - 1} \({NUM} records from {NUM} compan", text)
    assert (shown_before, shown_companies) == (before, before_companies)
    diff, pct = found(r"That is ([\d,]+) (?:more|fewer) records \(([+-]\d+\.\d)%\)", text)
    assert diff == abs(now - before)
    assert close(pct, 100 * (now - before) / before), (pct, now, before)


@pytest.mark.parametrize("n", [22, 23])
def test_release_category_shares_are_of_the_sessions_records(sql, drafts, n):
    total = records(sql, n)[0]
    counts = dict(sql("SELECT category, count(*) FROM records WHERE session_no = $s GROUP BY ALL", s=n))
    words = {"product_rd": "product research and development", "manufacturing": "production and manufacturing",
             "modern_service": "modern services"}
    for category, word in words.items():
        count, share = found(rf"{word}, {NUM} \({NUM}%\)", drafts[n])
        assert count == counts[category]
        assert close(share, 100 * counts[category] / total), (category, share)


def test_release_without_categories_says_not_applicable(sql, drafts):
    assert not sql("SELECT count(category) FROM records WHERE session_no = 15")[0][0]
    assert "Record categories: not applicable" in drafts[15]


# session 20: rounding each share first would say 10 points, the unrounded difference is 9.4
@pytest.mark.parametrize("n", [15, 20, 22, 23])
def test_release_applicant_shares_and_points(sql, drafts, n):
    count, high_tech, titled = applicants(sql, n)
    text = drafts[n]
    if n == 23:  # the count is derived from the published shares (data/raw/derived_figures.csv), and said to be
        shown_count, shown_share = found(rf"Of this session's applicants \(about {NUM} companies: a count this "
                                         rf"project derived from the published shares, not a published figure\), "
                                         rf"{NUM}% are national high-tech", text)
    else:
        shown_count, shown_share = found(rf"Of the {NUM} companies that applied, {NUM}% are national high-tech", text)
    assert shown_count == count and close(shown_share, high_tech)
    (shown_titled,) = found(rf"together {NUM}% of all applicants", text)
    assert close(shown_titled, titled, 0)
    titles = dict(sql("SELECT qualification, count(*) FROM company_profiles WHERE session_no = $s "
                      "AND qualification IS NOT NULL GROUP BY ALL", s=n))
    shown = found(rf"Among the applicants are {NUM} manufacturing single champions, {NUM} national specialised "
                  rf"and innovative \"little giants\", {NUM} provincial and {NUM} municipal", text)
    assert shown == tuple(titles.get(q, 0) for q in ("single_champion", "little_giant", "provincial_srdi",
                                                      "municipal_srdi"))
    before = applicants(sql, n - 1)[2]
    if before is None:  # no titles recorded the session before: no change to state
        assert "percentage points on session" not in text
        return
    points = round(titled - before)  # whole points: the unrounded difference, rounded once
    if points:
        verb = "up" if points > 0 else "down"
        assert found(rf"{verb} {NUM} percentage points on session {n - 1}", text) == (abs(points),)
        note = found(rf"{NUM}% this session against {NUM}% in session {n - 1}, a difference of {NUM} percentage",
                     text)
        assert close(note[0], titled, 0) and close(note[1], before, 0) and note[2] == abs(points)


@pytest.mark.parametrize("n", [15, 22, 23])
def test_release_totals_since_2002(sql, drafts, n):
    def totals(last):
        return sql("""SELECT count(*), (SELECT sum(c) FROM (SELECT count(DISTINCT company_id) AS c FROM records
                                                            WHERE session_no <= $n GROUP BY session_no)),
                             count(DISTINCT company_id), count(DISTINCT industry_code)
                      FROM records WHERE session_no <= $n""", n=last)[0]

    text = drafts[n]
    shown = found(rf"{n} sessions have approved {NUM} Shenzhen Enterprise Innovation Records from {NUM} companies "
                  rf"\(counted once per session; {NUM} different companies\), covering {NUM} sub-industries", text)
    assert shown == totals(n)
    assert found(rf"The first {n - 1} sessions accounted for {NUM} records from {NUM} companies", text) == \
        totals(n - 1)[:2]


def test_release_leading_districts_by_records(sql, drafts):
    rows = sql("SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               "WHERE session_no = 22 GROUP BY ALL ORDER BY n DESC LIMIT 4")
    (first,) = found(rf"By approved records, {rows[0][0]} leads with {NUM} records", drafts[22])
    assert first == rows[0][1]
    for name, count in rows[1:]:
        assert f"{name} ({count})" in drafts[22]


def test_release_picture_descriptions(sql, options):
    """The alt text of the release's two pictures: the session's records and the leading district's."""
    charts = {c.name: c.alt for c in release.build(22, "en", options).charts}
    assert found(r"sessions 1 to 22; session 22 has ([\d,]+) records", charts["records_per_session"]) == \
        (records(sql, 22)[0],)
    name, count = sql("SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
                      "WHERE session_no = 22 GROUP BY ALL ORDER BY n DESC LIMIT 1")[0]
    assert found(rf"{name} leads with ([\d,]+) records", charts["district_ranking"]) == (count,)


# --- the overview: summary paragraph (one district) and KPI deltas ----------------------------------------

def test_summary_paragraph_of_one_district(sql, options):
    # Bao'an in session 23: 75.8 % against 73.3 %, 2 points (rounding each share first would say 3)
    filters = parse({"lang": "en", "session": "23", "district": BAOAN}, options).filters
    text = summary.paragraph(summary.facts(filters), filters)
    mine, city = records(sql, 23, BAOAN)[0], records(sql, 23)[0]
    share, shown_city = found(rf"approved, {NUM}% of the city's {NUM}", text)
    assert shown_city == city and close(share, 100 * mine / city)
    _, high_tech, titled = applicants(sql, 23, BAOAN)
    assert close(found(rf"applicants, {NUM}% are national high-tech", text)[0], high_tech)
    points = round(titled - applicants(sql, 22, BAOAN)[2])
    verb = "up" if points > 0 else "down"
    shown_titled, shown_points = found(rf"together make up {NUM}% of applicants, {verb} {NUM} points", text)
    assert close(shown_titled, titled, 0) and shown_points == abs(points)


def overview_deltas(sql, session: int, code: str) -> dict[str, str]:
    """The overview's KPI deltas for one district, computed here: counts as signed integers, shares in points
    (the unrounded difference rounded once)."""
    def kpis(n):
        return sql("""SELECT count(*), count(DISTINCT company_id), count(DISTINCT left(industry_code, 3)),
                             count(award_level) FROM records WHERE session_no = $s AND district_code = $c""",
                   s=n, c=code)[0]

    now, before = kpis(session), kpis(session - 1)
    (a_now, ht_now, q_now), (a_before, ht_before, q_before) = applicants(sql, session, code), \
        applicants(sql, session - 1, code)
    out = {label: f"{a - b:+d}" for label, a, b in zip(("Records", "Approved companies", "Industry divisions",
                                                        "Award-winning records"), now, before)}
    out["Applicant companies"] = f"{a_now - a_before:+d}"
    out["High-tech share"] = f"{round(ht_now - ht_before, 1):+.1f} points"
    out["Champions & SRDI"] = f"{round(q_now - q_before, 1):+.1f} points"
    return out


def test_overview_kpi_deltas_of_one_district(sql, entry_mode):
    from tests.test_same_figure import open_page

    at = open_page("overview", {"session": "23", "district": BAOAN, "lang": "en"})
    shown = {}
    for m in at.metric:  # the session's cards come first; the running totals below repeat "Records"
        shown.setdefault(m.label, m.proto.delta)
    for label, delta in overview_deltas(sql, 23, BAOAN).items():
        key = next(k for k in shown if k.startswith(label))
        # Streamlit shows no delta for "+0"
        assert shown[key] == delta or (delta == "+0" and not shown[key]), (label, shown[key], delta)

    def mean(n):
        return sql("SELECT avg(annual_revenue_cny) FROM company_profiles WHERE session_no = $s AND district_code = $c",
                   s=n, c=BAOAN)[0][0]

    sign, millions = re.fullmatch(r"([+−])¥([\d.]+)m", shown["Mean revenue"]).groups()
    diff = (mean(23) - mean(22)) / 1e6
    assert sign == ("+" if diff >= 0 else "−") and close(float(millions), abs(diff), 0), (shown, diff)


# --- a district's profile paragraph ----------------------------------------------------------------------

@pytest.mark.parametrize(("code", "session"), [(BAOAN, 22), ("440307", 19)])
def test_profile_paragraph_percentages(sql, options, code, session):
    filters = parse({"lang": "en", "session": str(session), "from": "18", "to": "22", "district": code},
                    options).filters
    text = profile.paragraph(profile.facts(code, filters), filters, options)

    def share(n):
        return 100 * records(sql, n, code)[0] / records(sql, n)[0]

    shown_share, city = found(rf"companies, {NUM}% of the city's {NUM}", text)
    assert city == records(sql, session)[0] and close(shown_share, share(session))
    points = round(share(session) - share(session - 1), 1)
    if abs(points) >= 0.05:
        verb = "rose" if points > 0 else "fell"
        assert found(rf"its share of the city {verb} (\d+\.\d) points", text) == (abs(points),)
    top = sql("""SELECT left(industry_code, 3) AS d, count(*) AS n,
                        100.0 * count(*) / sum(count(*)) OVER () FROM records
                 WHERE district_code = $c AND session_no BETWEEN 18 AND 22 GROUP BY ALL
                 ORDER BY n DESC, d LIMIT 1""", c=code)[0]
    (city_share,) = sql("SELECT 100.0 * count(*) FILTER (WHERE left(industry_code, 3) = $d) / count(*) "
                        "FROM records WHERE session_no BETWEEN 18 AND 22", d=top[0])[0]
    mine, theirs = found(rf"made up {NUM}% of the district's records, against {NUM}% city-wide", text)
    assert close(mine, top[2]) and close(theirs, city_share)


# --- a comparison's paragraph -----------------------------------------------------------------------------

@pytest.mark.parametrize(("a", "b", "code"), [(21, 23, None), (20, 22, BAOAN), (23, 16, "440307")])
def test_comparison_paragraph_percentages(sql, a, b, code):
    text = compare.paragraph(compare.facts(a, b, code), "here", "en")
    for i, what in enumerate(("Records", "Approved companies")):
        before, after = records(sql, a, code)[i], records(sql, b, code)[i]
        if before != after:
            verb = "up" if after > before else "down"
            shown_after, diff, shown_before, pct = found(
                rf"{what} {NUM}, {verb} {NUM} from {NUM} in session {a} \(([+-]\d+\.\d)%\)", text)
            assert (shown_after, diff, shown_before) == (after, abs(after - before), before)
            assert close(pct, 100 * (after - before) / before), (what, pct)
    ht_before, ht_after = applicants(sql, a, code)[1], applicants(sql, b, code)[1]
    verb = "up" if ht_after > ht_before else "down"
    shown_after, points, shown_before = found(
        rf"High-tech share of applicants {NUM}%, {verb} {NUM} points from {NUM}%", text)
    assert close(shown_after, ht_after) and close(shown_before, ht_before)
    assert points == abs(round(ht_after - ht_before, 1))
    if min(a, b) >= 21:  # categories from session 21 on
        for n, pattern in ((b, rf"Product R&D {NUM} \({NUM}%;"),
                           (a, rf"Product R&D [\d,]+ \([\d.]+%; session {a}: {NUM}, {NUM}%\)")):
            count, share = found(pattern, text)
            mine, total = sql("SELECT count(*) FILTER (WHERE category = 'product_rd'), count(*) FROM records "
                              "WHERE session_no = $s AND (district_code = $c OR $c IS NULL)", s=n, c=code)[0]
            assert count == mine and close(share, 100 * mine / total)


@pytest.mark.parametrize("n", [20, 22])
def test_chinese_release_prints_the_same_percentages(options, drafts, n):
    """The English draft's figures are checked above; the Chinese one states the same ones."""
    def figures(text):
        return sorted(re.findall(r"[+-]?\d+(?:\.\d+)?%|\d+ ?(?:percentage points|个百分点)", text.replace(
            " percentage points", "个百分点")))

    assert figures(release.build(n, "zh", options, with_charts=False).text()) == figures(drafts[n])
