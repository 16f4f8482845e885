"""ui.state's caches: one result per query and view, and a caller that changes its copy changes nothing else."""

from __future__ import annotations

from ui import state

PARAMS = {"session_from": 1, "session_to": 23, "districts": [], "industries": []}


def test_a_changed_result_leaves_the_cached_one_alone(built_db):
    first = state.run("records_per_session", **PARAMS)
    records = int(first["records"].sum())
    assert records == 3684  # published: 3,684 records in sessions 1-23
    first["records"] = 0  # a page editing the frame it was given
    first.drop(first.index, inplace=True)
    again = state.run("records_per_session", **PARAMS)
    assert int(again["records"].sum()) == 3684 and len(again) == 23


def test_options_are_read_once_per_database_version(built_db):
    assert state.options() is state.options()
    assert state.options().sessions == tuple(range(1, 24))
