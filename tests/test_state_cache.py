"""ui.state's caches: one result per query and view, and a caller that changes its copy changes nothing else."""

from __future__ import annotations

from ui import state

PARAMS = {"session_from": 1, "session_to": 23, "districts": [], "industries": []}


def test_a_changed_result_leaves_the_cached_one_alone(built_db):
    first = state.run("records_per_session", **PARAMS)
    records = int(first["records"].sum())
    assert records == 3684  # published: 3,684 records in sessions 1-23
    first["records"] = 0  # a page editing the frame it was given
    first.loc[first.index[0], "session_no"] = -1
    again = state.run("records_per_session", **PARAMS)
    assert int(again["records"].sum()) == 3684 and list(again["session_no"]) == list(range(1, 24))


def test_options_are_read_once_per_database_version(built_db):
    assert state.options() is state.options()
    assert state.options().sessions == tuple(range(1, 24))


def test_prefetch_starts_threads_only_for_results_not_yet_answered(built_db, monkeypatch):
    started = []

    class Counted(state.threading.Thread):
        def start(self):
            started.append(self._args[0][0])  # the query's name in its cache key
            super().start()

    monkeypatch.setattr(state.threading, "Thread", Counted)
    one = {**PARAMS, "session": 17, "session_from": 17, "session_to": 17}
    calls = [("category_split", one), ("industry_breakdown", one), ("qualification_mix", one),
             ("category_split", dict(one))]  # the same call twice: one thread
    state.prefetch(calls)
    assert sorted(started) == ["category_split", "industry_breakdown", "qualification_mix"]
    started.clear()
    state.prefetch(calls)  # all answered now: the page reads them from the cache
    assert started == []
    fresh = {**one, "districts": ["440306", "440307"], "industries": ["C35"]}  # asked for by no other test
    state.prefetch([*calls, ("district_ranking", fresh), ("session_kpis", fresh)])
    assert sorted(started) == ["district_ranking", "session_kpis"]


def test_options_follow_a_new_database_version(built_db, monkeypatch):
    """An import swaps the file: the next run reads the options of the new version, not the memo's."""
    shown = state.options()
    monkeypatch.setattr(state, "db_stamp", lambda: -1)  # a version no run has read yet
    assert state.options() is not shown and state.options() == shown


def test_kept_tables_are_made_once_per_key_and_database_version(monkeypatch):
    from ui import widgets

    made = []

    def make(value):
        return lambda: made.append(value) or value

    monkeypatch.setattr(widgets.state, "db_stamp", lambda: 1)
    assert widgets.kept(("test_kept", "a"), make("first")) == "first"
    assert widgets.kept(("test_kept", "a"), make("second")) == "first"  # the same key: not made again
    assert widgets.kept(("test_kept", "b"), make("other")) == "other"
    monkeypatch.setattr(widgets.state, "db_stamp", lambda: 2)  # an import since
    assert widgets.kept(("test_kept", "a"), make("after import")) == "after import"
    assert made == ["first", "other", "after import"]


def test_kept_tables_are_bounded(monkeypatch):
    from ui import widgets

    monkeypatch.setattr(widgets.state, "db_stamp", lambda: 3)
    monkeypatch.setattr(widgets, "KEPT", 5)
    monkeypatch.setattr(widgets, "_kept", type(widgets._kept)())  # other tests' tables in this process
    for n in range(8):
        widgets.kept(("test_bounded", n), lambda n=n: n)
    assert len(widgets._kept) <= 5
    assert widgets.kept(("test_bounded", 7), lambda: "remade") == 7  # the newest is still there
    assert widgets.kept(("test_bounded", 0), lambda: "remade") == "remade"  # the oldest was dropped
