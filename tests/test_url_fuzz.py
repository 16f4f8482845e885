"""URL values Python mis-parses give the usual notice, and the URL parser never raises (issue 9, item 11)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import catalog
from core.filters import parse
from core.i18n import LANGS

KEYS = ["session", "from", "to", "district", "industry", "lang", "other"]
VALUE = st.one_of(st.none(), st.text(max_size=40), st.lists(st.text(max_size=12), max_size=4),
                  st.integers().map(str), st.sampled_from(["²", "٣", "1²", "9" * 5000, "23", "en", "440305"]))


@pytest.fixture(scope="module")
def opts(built_db):
    return catalog.load_options()


ODD = ["²", "٣", "²³", "9" * 5000, "1" + "0" * 4400, "-1", "+23", "23.0", "0x17", "1_0", "２３"]


@pytest.mark.parametrize("value", ODD, ids=[v[:8] + f"..{len(v)}" for v in ODD])
@pytest.mark.parametrize("key", ["session", "from", "to"])
def test_odd_numbers_give_the_usual_notice(opts, key, value):
    parsed = parse({key: value, "lang": "en"}, opts)
    assert parsed.filters.session == 23 and (parsed.filters.session_from, parsed.filters.session_to) == (1, 23)
    assert len(parsed.notices) == 1 and parsed.notices[0].startswith(f"{key}=")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(KEYS), VALUE, max_size=7))
def test_parser_never_raises_and_always_gives_valid_filters(opts, query):
    parsed = parse(query, opts)
    f = parsed.filters
    assert f.session in opts.sessions
    assert f.session_from in opts.sessions and f.session_to in opts.sessions
    assert f.session_from <= f.session_to
    assert set(f.districts) <= set(opts.districts) and len(set(f.districts)) == len(f.districts)
    assert set(f.industries) <= set(opts.industries)
    assert f.lang in LANGS
    assert all(isinstance(n, str) and n for n in parsed.notices)
    # a clean query reproduces the same filters: what the app writes back into the address bar is valid
    assert parse(f.query(), opts).filters == f and not parse(f.query(), opts).notices
