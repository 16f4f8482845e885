"""The reconciliation's verdict on near misses: a published figure one off, 0.1 off for a percentage, or at and
just past the bound of a "more than" figure must show as a mismatch, the exact figure as a match.

Each test adds published rows (source 'test:…') to a copy of the database and reads the `reconciliation` view,
so it exercises the comparison in SQL whatever the stored published figures are. The value the rows give
is computed here with a plain query on the tables, never taken from the view under test.
"""

from __future__ import annotations

import duckdb
import pytest

SOURCE = "test:near-miss"


def derived(con, sql: str) -> float:
    return con.execute(sql).fetchone()[0]


def publish(con, session: int, metric: str, value, value_max, comparison: str, decimals: int) -> None:
    """One published row with source SOURCE (value_max only for 'between')."""
    con.execute("INSERT INTO published_stats (session_no, session_from, session_to, scope, metric, value, value_max, "
                "unit, comparison, decimals, publisher, title, published_on, url, source) "
                "VALUES ($s, $s, $s, 'test', $m, $v, $hi, 'n', $c, $d, 'test', 'test', DATE '2025-01-01', "
                "'http://localhost/test', $src)",
                {"s": session, "m": metric, "v": value, "hi": value_max, "c": comparison, "d": decimals,
                 "src": SOURCE})


def verdicts(con, rows: list[tuple]) -> dict[float, bool]:
    """Insert (session, metric, value, comparison, decimals) rows; published value -> matches."""
    for session, metric, value, comparison, decimals in rows:
        publish(con, session, metric, value, None, comparison, decimals)
    found = con.execute("SELECT published, matches FROM reconciliation WHERE source = $src",
                        {"src": SOURCE}).fetchall()
    assert len(found) == len(rows), found
    return dict(found)


@pytest.fixture
def con(db_copy):
    with duckdb.connect(str(db_copy)) as c:
        yield c


def test_record_count_exact_matches_and_one_off_does_not(con):
    n = derived(con, "SELECT count(*) FROM records WHERE session_no = 22")
    assert n > 20  # so that one off is well within 5%: a tolerance would pass it
    got = verdicts(con, [(22, "records", v, "eq", 0) for v in (n - 1, n, n + 1)])
    assert got == {n - 1: False, n: True, n + 1: False}


def test_company_count_one_off_is_a_mismatch(con):
    n = derived(con, "SELECT count(DISTINCT company_id) FROM records WHERE session_no = 15")
    got = verdicts(con, [(15, "companies_summed", v, "eq", 0) for v in (n - 1, n, n + 1)])
    assert got == {n - 1: False, n: True, n + 1: False}


def test_percentage_off_by_a_tenth_is_a_mismatch(con):
    share = derived(con, "SELECT 100.0 * avg(CASE WHEN is_high_tech THEN 1 ELSE 0 END) FROM company_profiles "
                         "WHERE session_no = 22")
    shown = round(share, 1)
    got = verdicts(con, [(22, "applicants_high_tech_share", v, "eq", 1)
                             for v in (round(shown - 0.1, 1), shown, round(shown + 0.1, 1))])
    assert got == {round(shown - 0.1, 1): False, shown: True, round(shown + 0.1, 1): False}


def test_percentage_published_without_decimals_is_compared_rounded(con):
    share = derived(con, "SELECT 100.0 * avg(CASE WHEN qualification IS NOT NULL THEN 1 ELSE 0 END) "
                         "FROM company_profiles WHERE session_no = 22")
    whole = round(share)
    got = verdicts(con, [(22, "applicants_qualified_share", v, "eq", 0) for v in (whole - 1, whole, whole + 1)])
    assert got == {whole - 1: False, whole: True, whole + 1: False}


def test_more_than_is_strict_at_its_bound(con):
    """"More than N": the count itself is not more than itself; one below it is; one above it is not."""
    n = derived(con, "SELECT count(DISTINCT industry_code) FROM records WHERE session_no = 22")
    got = verdicts(con, [(22, "industry_groups", v, "gt", 0) for v in (n - 1, n, n + 1)])
    assert got == {n - 1: True, n: False, n + 1: False}


def test_more_than_far_below_still_matches(con):
    n = derived(con, "SELECT count(*) FROM records WHERE session_no = 22")
    assert verdicts(con, [(22, "records", 1, "gt", 0)]) == {1: True}
    assert n > 1


def test_published_figure_without_rows_is_a_mismatch(con):
    # nothing derives this metric: no derived value must never count as a match, exact or "more than"
    got = verdicts(con, [(22, "no_such_metric", 5, "eq", 0), (22, "no_such_metric", 0, "gt", 0)])
    assert got == {5: False, 0: False}


def range_verdicts(con, session: int, metric: str, ranges: list[tuple[int, int]]) -> dict[tuple, bool]:
    """Insert 'between' rows (a "50多"-style range low..high); (low, high) -> matches."""
    for low, high in ranges:
        publish(con, session, metric, low, high, "between", 0)
    found = con.execute("SELECT published, matches FROM reconciliation WHERE source = $src ORDER BY published",
                        {"src": SOURCE}).fetchall()
    assert len(found) == len(ranges), found
    return {r: m for r, (_, m) in zip(sorted(ranges), found, strict=True)}


def test_a_range_holds_at_both_bounds_and_fails_one_past_them(con):
    n = int(derived(con, "SELECT count(*) FROM records WHERE session_no = 22"))
    ranges = [(n, n + 8), (n - 8, n), (n + 1, n + 9), (n - 9, n - 1)]
    assert range_verdicts(con, 22, "records", ranges) == {(n, n + 8): True, (n - 8, n): True,
                                                         (n + 1, n + 9): False, (n - 9, n - 1): False}
