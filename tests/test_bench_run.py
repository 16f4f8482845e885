"""`bench --only SECTION` measures that section and keeps every other row of the results file as it was (it
once wrote them all as "not measured", so measuring one new row blanked the other 25)."""

from __future__ import annotations

import json

from bench import run
from bench.stats import row


def test_only_one_section_keeps_the_other_rows(built_db, tmp_path, monkeypatch):
    out = tmp_path / "results.json"
    out.write_text(json.dumps([{"name": "query_p95_demo", "value": 5.0, "unit": "ms", "budget": 20, "met": True},
                               {"name": "apptest_rerun_median", "value": 300.0, "unit": "ms", "budget": 150,
                                "met": False}]), encoding="utf-8")
    monkeypatch.setattr(run, "section_apptest", lambda: [row("apptest_rerun_median", 99.0, "ms", 150)])
    monkeypatch.chdir(tmp_path)
    run.main(["--only", "apptest", "--out", str(out)])
    rows = {r["name"]: r for r in json.loads(out.read_text(encoding="utf-8"))}
    assert rows["query_p95_demo"]["value"] == 5.0 and rows["query_p95_demo"]["met"] is True  # kept
    assert rows["apptest_rerun_median"]["value"] == 99.0  # measured now
    assert rows["png_export_warm"]["value"] is None and rows["png_export_warm"]["met"] is None  # never measured
    assert "page_weight_ratio" in rows and "server_cpu_per_change_ratio" in rows  # the ops rows are listed


def test_sessions_changing_at_once_spread_over_the_options():
    from bench.browser import spread

    options = [["1 (2002)", True], ["2 (2003)", False], ["3 (2004)", False], ["4 (2005)", False]]
    chosen, first = [], set()
    picks = [spread(k, i, 2, chosen, first)(options) for k in range(2) for i in range(2)]
    assert picks == [1, 2, 3, 1]  # session 0 takes the first two others, session 1 the next (wrapping round)
    assert chosen == ["2 (2003)", "3 (2004)", "4 (2005)", "2 (2003)"]
    assert first == {"1 (2002)"}
    later = [["1 (2002)", False], ["2 (2003)", True], ["3 (2004)", False]]  # a session's second change
    spread(0, 1, 2, chosen, first)(later)
    assert first == {"1 (2002)"}  # the view it is on was chosen by a change, not its first


def test_changes_to_views_shown_before_are_counted():
    from bench.browser import shown_before

    assert shown_before(["a", "b", "c"], set()) == 0
    assert shown_before(["a", "b", "a", "c", "b"], set()) == 2
    assert shown_before(["x", "a"], {"x"}) == 1  # every session's first view counts as shown


def test_per_page_rounds_are_pooled_on_fresh_servers_and_the_floor_spread_reported(monkeypatch):
    """Each round starts fresh servers for each page (the views it changes to are unseen again); the rows take
    the rounds' samples together, and the floor's p95 round by round shows how far it moves on its own."""
    from bench import browser_rows, per_page

    calls = []

    def one_round(page, shape, runs, loads, revisits, app_first):
        calls.append((page, app_first))
        k = len(calls)
        floor = {"cold": [1000.0], "change": [100.0 * k] * runs, "revisit": [50.0] * revisits, "load": [500.0]}
        app = {"cold": [1100.0], "change": [110.0 * k] * runs, "revisit": [50.0] * revisits, "load": [600.0]}
        return {"floor": floor, "app": app}

    monkeypatch.setattr(per_page, "_one_round", one_round)
    monkeypatch.setattr(browser_rows, "shapes", lambda: {"a": {"charts": 1, "changed": 1},
                                                         "b": {"charts": 2, "changed": 2}})
    rows = {r["name"]: r for r in browser_rows.page_rows(runs=3, loads=1, revisits=2, rounds=2)}
    assert calls == [("a", False), ("b", True), ("a", True), ("b", False)]  # who goes first alternates
    change = rows["browser_filter_change_p95_ratio"]
    assert change["detail"]["a"]["runs"] == 6  # 3 a round, two rounds
    assert change["detail"]["a"]["floor_ms"] == [100] * 3 + [300] * 3
    assert change["detail"]["a"]["floor_p95_by_round_ms"] == [100, 300]
    assert change["detail"]["a"]["floor_round_spread"] == 3.0
    assert change["value"] == 1.1 and "up to 3.00 x" in change["note"]
    cold = rows["browser_first_load_cold_ratio"]
    assert cold["detail"]["a"] == {"app_ms": 2200, "floor_ms": 2000, "loads": 2, "ratio": 1.1}
    assert rows["browser_first_load_ratio"]["value"] == 1.2


def test_concurrency_rows_report_the_floor_round_by_round(monkeypatch):
    from bench import browser_rows, load

    def concurrency(shape, page, levels, changes, rounds):
        rounds_floor = [[100.0] * 20, [150.0] * 20]
        raw = {10: {"floor": ([100.0] * 20 + [150.0] * 20, [], 0), "one": ([120.0] * 40, [], 3),
                    "two": ([180.0] * 40, [], 3), "rounds": {"floor": rounds_floor, "one": [], "two": []}}}
        raw["server"] = {"one": ([10.0], []), "two": ([9.0], [])}
        return raw

    monkeypatch.setattr(load, "concurrency", concurrency)
    monkeypatch.setattr(browser_rows, "shapes", lambda: {"trends": {"charts": 4, "changed": 4}})
    rows = {r["name"]: r for r in browser_rows.concurrency_rows(levels=(10,), rounds=2)}
    one = rows["concurrent_10_sessions_ratio_1_worker"]
    assert one["value"] == 0.8  # p95 120 / 150
    assert one["detail"]["floor_p95_by_round_ms"] == [100, 150] and one["detail"]["floor_round_spread"] == 1.5
    assert "p95 up to 1.50 x" in one["note"] and one["detail"]["changes_to_views_shown_before"] == 3
