"""Every chart's text alternative (core/charts/alt.py): the numbers it states against plain SQL on the tables,
one chart per kind (trend, ranking, share, heatmap, map, treemap, comparison, rank), in both languages; and
every registered chart under several filters has one, in its language, with nothing left blank."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core import catalog
from core.charts import alt
from core.filters import parse
from core.i18n import ordinal

CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def described(name: str, options, **query) -> str:
    filters = parse({"lang": "en", **query}, options).filters
    return alt.text(catalog.build(name, filters, options)[0])


def records(n: int) -> str:
    return f"{n:,} record{'' if n == 1 else 's'}"


def test_trend_states_first_last_and_highest_session(sql, options):
    counts = dict(sql("SELECT session_no, count(*) FROM records GROUP BY ALL"))
    first, last = min(counts), max(counts)
    top = max(counts, key=counts.get)
    text = described("records_per_session", options)
    # "Records from 104 in session 1": the series' name says the unit
    assert f"Records from {counts[first]:,} in session {first} to {counts[last]:,} in session {last}" in text
    assert (", the highest" in text) if top == last else (f"highest {counts[top]:,} in session {top}" in text)
    zh = described("records_per_session", options, lang="zh")
    assert f"从第{first}届的{counts[first]}项到第{last}届的{counts[last]}项" in zh


def test_trend_of_a_range_starts_at_the_range(sql, options):
    counts = dict(sql("SELECT session_no, count(*) FROM records WHERE session_no BETWEEN 21 AND 23 GROUP BY ALL"))
    text = described("records_per_session", options, **{"from": "21", "to": "23"})
    assert f"Records from {counts[21]:,} in session 21 to {counts[23]:,} in session 23" in text


def test_ranking_names_the_first_the_next_and_the_last(sql, options):
    rows = sql("SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               "WHERE session_no = 22 GROUP BY ALL ORDER BY n DESC, d.name_en")
    text = described("district_ranking", options, session="22")
    assert f"{rows[0][0]} first with {records(rows[0][1])}" in text
    assert f"{rows[1][0]} ({records(rows[1][1])})" in text
    lasts = [name for name, n in rows[3:] if n == rows[-1][1]]
    assert len(lasts) > 1 and f"{', '.join(lasts[:-1])}" in text  # tied for last: all of them named
    assert f"last with {records(rows[-1][1])} each ({len(rows)} in all)" in text


def test_ranking_names_a_selected_district_wherever_it_stands(sql, options):
    rows = sql("SELECT d.district_code, d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               "WHERE session_no = 23 GROUP BY ALL ORDER BY n DESC, d.name_en")
    place = len(rows) - 3  # well below the first three, above the last
    code, name, n = rows[place - 1]
    text = described("district_ranking", options, session="23", district=code)
    assert f"{name} {ordinal(place, 'en')} of {len(rows)} with {records(n)}" in text


def test_share_splits_the_latest_session(sql, options):
    parts = dict(sql("SELECT category, count(*) FROM records WHERE session_no = 23 GROUP BY ALL"))
    total = sum(parts.values())
    text = described("category_split", options)
    assert f"{records(total)} in session 23:" in text
    biggest = max(parts, key=parts.get)
    assert f"{records(parts[biggest])} ({100 * parts[biggest] / total:.1f}%)" in text
    assert text.index(f"{records(parts[biggest])} (") < min(text.index(f" {records(v)} (") for c, v in parts.items()
                                                            if c != biggest)


def test_heatmap_states_the_highest_cell_and_row(sql, options):
    cells = sql("SELECT d.name_en, session_no, count(*) AS n FROM records r JOIN districts d USING (district_code) "
                "WHERE session_no BETWEEN 21 AND 23 GROUP BY ALL ORDER BY n DESC")
    rows = sql("SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               "WHERE session_no BETWEEN 21 AND 23 GROUP BY ALL ORDER BY n DESC")
    text = described("district_heatmap", options, **{"from": "21", "to": "23"})
    top = [c for c in cells if c[2] == cells[0][2]]
    assert any(f"highest {records(n)} for {name} in session {s}" in text for name, s, n in top)
    assert f"{rows[0][0]} has the most over the period ({records(rows[0][1])})" in text


def test_map_states_the_most_and_the_fewest(sql, options):
    rows = sql("SELECT d.name_en, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               "WHERE session_no BETWEEN 21 AND 23 AND d.kind = 'district' GROUP BY ALL ORDER BY n DESC")
    text = described("district_map", options, **{"from": "21", "to": "23"})
    assert f"{rows[0][0]} has the most ({records(rows[0][1])}), {rows[-1][0]} the fewest ({records(rows[-1][1])})" \
        in text
    assert f"{records(sum(n for _, n in rows))} in {len(rows)} districts" in text


def test_treemap_states_the_largest_division_and_its_share(sql, options):
    rows = sql("SELECT left(industry_code, 3) AS division, count(*) AS n FROM records "
               "WHERE session_no BETWEEN 21 AND 23 GROUP BY ALL ORDER BY n DESC")
    total = sum(n for _, n in rows)
    text = described("industry_breakdown", options, **{"from": "21", "to": "23"})
    assert text.split(": ", 1)[1].startswith(rows[0][0] + " ")
    assert f"the largest of {len(rows)} with {records(rows[0][1])} ({100 * rows[0][1] / total:.1f}% of " \
           f"{records(total)})" in text


def test_comparison_gives_both_sessions_for_each_measure(sql, options):
    counts = dict(sql("SELECT session_no, count(*) FROM records WHERE session_no IN (22, 23) GROUP BY ALL"))
    filters = parse({"lang": "en", "session": "23", "vs": "22"}, options).filters
    fig, _, _ = catalog.build("compare_sessions", filters, options)
    text = alt.text(fig)
    assert f"Records: {records(counts[22])} in Session 22 (2023), {records(counts[23])} in Session 23 (2024)" in text


def test_one_districts_rank_states_first_last_and_best(sql, options):
    ranks = sql("SELECT session_no, rank() OVER (PARTITION BY session_no ORDER BY n DESC) FROM "
                "(SELECT session_no, district_code, count(*) AS n FROM records GROUP BY ALL) "
                "QUALIFY district_code = '440306' ORDER BY session_no")
    filters = parse({"lang": "en", "session": "23", "district": "440306"}, options).filters
    fig, _, _ = catalog.build("profile_rank", filters, options)
    text = alt.text(fig)
    best = min(r for _, r in ranks)
    at_best = [s for s, r in ranks if r == best]
    (s0, r0), (s1, r1) = ranks[0], ranks[-1]
    assert f"rank {ordinal(r0, 'en')} in session {s0}, {ordinal(r1, 'en')} in session {s1}; " in text
    # how often the best, and when last (it said "best 1st in session 3" of a district first in 18 sessions)
    assert len(at_best) > 1 and text.endswith(
        f"best {ordinal(best, 'en')}, in {len(at_best)} of {len(ranks)} sessions, most recently session "
        f"{at_best[-1]}."), text


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("query", [{}, {"district": "440305"}, {"from": "21", "to": "23", "industry": "C39"},
                                   {"session": "1"}])
def test_every_chart_has_a_whole_description_in_its_language(options, lang, query):
    filters = parse({"lang": lang, **query}, options).filters
    for name in catalog.CHARTS:
        # a profile chart is one district's: the city-wide views take Nanshan's
        one = filters if catalog.CHARTS[name].context != "district" or len(filters.districts) == 1 else \
            replace(filters, districts=("440305",))
        fig, _, card = catalog.build(name, one, options)
        text = alt.text(fig)
        assert text.startswith(card.title), (name, text)
        assert len(text) >= len(card.title) + 15, (name, text)
        assert not re.search(r"\bnan\b|\bNone\b(?! of these)|[{}<>]|–%|\(\)|（）", text), (name, text)
        if name != "industries_as_published":  # that chart names a list's own (Chinese) industry names
            assert bool(CJK.search(text)) == (lang == "zh"), (name, text)


# ----- the describers on small literal charts: what each names, and nothing twice ---------------------------

def _bars(values: list[float], names: list[str], bold: tuple[str, ...] = ()) -> tuple[list[dict], dict]:
    layout = {"yaxis": {"tickvals": names, "ticktext": [f"<b>{n}</b>" if n in bold else n for n in names]}}
    return [{"type": "bar", "orientation": "h", "x": values, "y": names}], layout


def test_a_ranking_names_the_first_three_and_the_last_of_more():
    traces, layout = _bars([9, 7, 5, 3, 1], ["A", "B", "C", "D", "E"])
    assert alt._ranking(traces, layout, "en") == "A first with 9; then B (7), C (5); E last with 1 (5 in all)"


@pytest.mark.parametrize(("values", "lang", "expected"), [
    # tied for last: both named ("…最少，为7" left out the other 7)
    ([20, 11, 8, 7, 7], "zh", "A居首，为20，其次为B（11）、C（8），D、E最少，均为7（共5个）"),
    # tied for first: neither "first", then the rest
    ([1, 1], "en", "A, B tie for first with 1 each"),
    ([9, 9, 7, 5, 3, 3], "en", "A, B tie for first with 9 each; then C (7), D (5); E, F last with 3 each (6 in all)"),
    # many tied: the first three and how many more
    ([9, 7, 6, 5, 5, 5, 5, 5], "en", "A first with 9; then B (7), C (6); D, E, F and 2 more last with 5 each "
                                     "(8 in all)"),
    ([9, 7, 6, 5, 5, 5, 5, 5], "zh", "A居首，为9，其次为B（7）、C（6），D、E、F及其他2个最少，均为5（共8个）"),
])
def test_a_ranking_names_every_tied_place(values, lang, expected):
    traces, layout = _bars(values, list("ABCDEFGH"[:len(values)]))
    assert alt._ranking(traces, layout, lang) == expected


def test_a_short_ranking_names_each_bar_once():
    traces, layout = _bars([5, 3, 1], ["A", "B", "C"])
    assert alt._ranking(traces, layout, "en") == "A first with 5; then B (3), C (1)"


def test_a_selected_district_is_named_once_where_it_stands():
    """Longgang third was named in the "then" list and again as "3rd of 11"."""
    traces, layout = _bars([9, 7, 5, 3, 2, 1], ["A", "B", "C", "D", "E", "F"], bold=("C",))
    assert alt._ranking(traces, layout, "en").count("C") == 1
    traces, layout = _bars([9, 7, 5, 3, 2, 1], ["A", "B", "C", "D", "E", "F"], bold=("D", "F"))
    text = alt._ranking(traces, layout, "en")
    assert text.endswith("F last with 1 (6 in all); D 4th of 6 with 3") and text.count("F") == 1


def test_a_split_names_four_parts_of_the_latest_session():
    traces = [{"type": "bar", "name": n, "x": [23], "y": [v]} for n, v in zip("ABCDE", [5, 4, 3, 2, 1])]
    text = alt._share(traces, {}, "en")
    assert "A 5 (33.3%)" in text and "D 2 (13.3%)" in text and "E 1" not in text


def test_ranks_tied_first_are_all_named():
    traces = [{"type": "scatter", "name": n, "x": [22, 23], "y": [r0, r1]}
              for n, r0, r1 in (("A", 2, 1), ("B", 1, 1), ("C", 3, 3))]
    assert alt._rank(traces, {}, "en").startswith("in session 23, A, B share first place and C last")
    assert alt._rank(traces, {}, "zh").startswith("第23届共3个区，A、B并列第一")


def test_a_trend_s_peak_is_its_first_session_at_that_height():
    traces = [{"type": "scatter", "name": "Records", "x": [21, 22, 23], "y": [9, 9, 5]}]
    assert "highest 9 in session 21" in alt._trend(traces, {}, "en")


def test_a_profiles_industries_are_named_whole_in_its_description(sql, options):
    """The chart cuts long industry names to fit; its description names them whole (a district briefing read
    "Manufacture of medi…: 25.0% in Shenshan")."""
    (code, name), = sql("""
        SELECT r.district_code, i.name_en FROM records r
        JOIN industries i ON i.industry_code = left(r.industry_code, 3)
        WHERE r.district_code = '440309'
        GROUP BY r.district_code, i.industry_code, i.name_en ORDER BY count(*) DESC, i.industry_code LIMIT 1""")
    assert len(name) > 20
    text = described("profile_industries", options, district=code, **{"from": "1", "to": "23"})
    assert f"{name}: " in text, text
    assert "…" not in text
