"""ui.state's caches: one result per query and view, and a caller that changes its copy changes nothing else."""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ui import state
from ui.recent import MISSING, Recent

ROOT = Path(__file__).resolve().parent.parent

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


def test_prefetch_asks_only_for_results_not_yet_answered(built_db, monkeypatch):
    asked = []
    submit = state._pool.submit

    def counted(task, key, ctx):
        asked.append(key[0])  # the query's name in its cache key
        return submit(task, key, ctx)

    monkeypatch.setattr(state._pool, "submit", counted)
    one = {**PARAMS, "session": 17, "session_from": 17, "session_to": 17}
    calls = [("category_split", one), ("industry_breakdown", one), ("qualification_mix", one),
             ("category_split", dict(one))]  # the same call twice: asked for once
    state.prefetch(calls)
    for name, params in calls:
        state.run(name, **params)  # waits for each
    assert sorted(asked) == ["category_split", "industry_breakdown", "qualification_mix"]
    asked.clear()
    state.prefetch(calls)  # all answered now: the page reads them from the cache
    assert asked == []
    fresh = {**one, "districts": ["440306", "440307"], "industries": ["C35"]}  # asked for by no other test
    state.prefetch([*calls, ("district_ranking", fresh), ("session_kpis", fresh)])
    state.run("district_ranking", **fresh)
    state.run("session_kpis", **fresh)
    assert sorted(asked) == ["district_ranking", "session_kpis"]


def test_prefetch_returns_at_once_and_the_page_waits_for_the_result_coming(built_db, monkeypatch):
    """The page draws on while DuckDB answers; its own call takes the prefetched result instead of asking again
    (it waits on st.cache_resource's lock for the key), and a query still queued behind others is asked for by
    the page itself, once."""
    import threading
    import time

    release, ran = threading.Event(), []
    run = state.db.run

    def slow(name, **params):
        ran.append(name)
        release.wait(5)
        return run(name, **params)

    monkeypatch.setattr(state.db, "run", slow)
    fresh = {**PARAMS, "districts": ["440304", "440309"], "industries": ["C39"]}  # asked for by no other test
    started = time.perf_counter()
    state.prefetch([("records_per_session", fresh)])
    assert time.perf_counter() - started < 1  # not waiting for the query
    while not ran:  # the pool's worker has started it
        time.sleep(0.01)
    threading.Timer(0.3, release.set).start()
    frame = state.run("records_per_session", **fresh)
    assert ran == ["records_per_session"] and list(frame["session_no"]) == list(range(1, 24))

    release.clear()
    ran.clear()
    blockers = [("records_per_session", {**fresh, "industries": [code]}) for code in ("C26", "C27", "C34", "C35")]
    state.prefetch(blockers)  # every worker of the pool busy
    queued = {**fresh, "industries": ["C38"]}
    state.prefetch([("records_per_session", queued)])
    threading.Timer(0.3, release.set).start()
    state.run("records_per_session", **queued)  # cancelled in the queue and run here
    for name, params in blockers:
        state.run(name, **params)
    deadline = time.perf_counter() + 5
    while state._coming and time.perf_counter() < deadline:  # the queued one, found cached
        time.sleep(0.01)
    assert len(ran) == 5 and not state._coming


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
    monkeypatch.setattr(widgets, "_kept", Recent(5))  # not other tests' tables in this process
    for n in range(8):
        widgets.kept(("test_bounded", n), lambda n=n: n)
    assert len(widgets._kept) <= 5
    assert widgets.kept(("test_bounded", 7), lambda: "remade") == 7  # the newest is still there
    assert widgets.kept(("test_bounded", 0), lambda: "remade") == "remade"  # the oldest was dropped


def test_the_database_stamp_is_read_once_a_run_and_afresh_the_next(tmp_path, monkeypatch):
    """A run reads the file's stamp once (read_stamp), however often the page asks; the next run, and a write
    in this run (read_stamp again), read it again; a thread no run began (a command, a test) reads the file."""
    import os
    import threading

    db_file = tmp_path / "records.duckdb"
    db_file.write_bytes(b"x")
    os.utime(db_file, ns=(1_000_000_000, 1_000_000_000))
    monkeypatch.setattr(state.config, "records_db", lambda: db_file)
    stats = []
    read = state.file_stamp
    monkeypatch.setattr(state, "file_stamp", lambda: stats.append(1) or read())

    def in_a_run_thread():
        state.read_stamp()
        asked = [state.db_stamp() for _ in range(5)]
        os.utime(db_file, ns=(2_000_000_000, 2_000_000_000))  # the CLI swaps the file during the run
        asked.append(state.db_stamp())
        state.read_stamp()  # this run wrote it
        asked.append(state.db_stamp())
        return asked

    out = []
    worker = threading.Thread(target=lambda: out.append(in_a_run_thread()))
    worker.start()
    worker.join()
    assert out == [[1_000_000_000] * 6 + [2_000_000_000]]
    assert len(stats) == 2  # the run's start and its write: none for the seven questions
    os.utime(db_file, ns=(3_000_000_000, 3_000_000_000))
    assert state.db_stamp() == 3_000_000_000  # this thread began no run: the file, as it is now


def test_an_answered_result_is_read_without_the_cache_lookup(built_db, monkeypatch):
    """run() keeps what it answered: asking again does not go through st.cache_resource's lookup (which
    inspects and hashes on every call), and a result not kept is asked for once; at most RESULTS are kept."""
    fresh = {**PARAMS, "districts": ["440303"], "industries": ["C39"]}  # asked for by no other test
    first = state.run("records_per_session", **fresh)
    asked = []
    lookup = state._run
    monkeypatch.setattr(state, "_run", lambda *key: asked.append(key[0]) or lookup(*key))
    again = state.run("records_per_session", **fresh)
    assert asked == [] and again.equals(first) and again is not first
    monkeypatch.setattr(state._answered, "limit", 3)
    for code in ("C26", "C27", "C34", "C35"):
        state.run("records_per_session", **{**fresh, "industries": [code]})
    assert asked == ["records_per_session"] * 4 and len(state._answered) == 3
    state.run("records_per_session", **fresh)  # pushed out by the four: asked for again
    assert asked == ["records_per_session"] * 5


@pytest.mark.parametrize(("page", "query", "module", "per_view"), [
    ("overview", {"session": "19", "district": "440306"}, "core.summary", 1),
    ("district", {"code": "440307", "from": "9", "to": "19"}, "core.profile", 2),  # both languages
])
def test_a_pages_paragraphs_are_written_once_per_view(entry_mode, monkeypatch, page, query, module, per_view):
    """The overview's summary and the profile's paragraphs are made once per view and database version: a
    rerun of the same view (a revisit) reads them, a new view writes its own."""
    target = importlib.import_module(module)
    written = []
    paragraph = target.paragraph
    monkeypatch.setattr(target, "paragraph", lambda *a, **k: written.append(1) or paragraph(*a, **k))
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    at.switch_page(f"pages/{page}.py")
    first = [m.value for m in at.run().markdown]
    assert not at.exception and len(written) == per_view
    assert [m.value for m in at.run().markdown] == first and len(written) == per_view
    at.query_params["to"] = "18"  # another view
    at.run()
    assert not at.exception and len(written) == 2 * per_view


def test_recent_keeps_the_newest_and_a_read_makes_a_value_newest():
    kept = Recent(2)
    kept.put("a", 1)
    kept.put("b", None)  # a value of None is kept, and told apart from a missing one
    assert kept.get("a") == 1  # read: now the newest, "b" the oldest
    kept.put("c", 3)
    assert "b" not in kept and kept.get("b", MISSING) is MISSING
    assert (kept.get("a"), kept.get("c"), len(kept)) == (1, 3, 2)
    kept.put("d", None)
    assert kept.get("d", MISSING) is None and "a" not in kept
