"""URL values Python mis-parses give the usual notice, and the URL parser never raises (issue 9, item 11)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from core import catalog
from core.filters import parse
from core.i18n import LANGS

ROOT = Path(__file__).resolve().parent.parent
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


# --- every page x every URL parameter x hostile values, through the real entry script (AppTest) -----------

PAGES = ["overview", "trends", "districts", "district", "compare", "industries", "companies", "records",
         "briefing", "import", "about"]
PARAMS = ["session", "from", "to", "district", "industry", "lang", "code", "vs"]
# unicode digits, a 30-digit number, empty, repeated, 5,000 characters, a NUL byte (%00 decoded)
HOSTILE = ["²", "４", "9" * 30, "", ["22", "abc"], "x" * 5000, "2\x003"]


@pytest.fixture
def entry_mode(entry_mode, admin_file):
    """conftest's entry_mode (pages through dashboard.py) with an administrator configured: the Import page
    exists."""
    return entry_mode


def open_page(page: str, query: dict):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ADMIN_SESSION

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query)
    if page == "import":
        at.session_state["admin_session"] = ADMIN_SESSION()
    at.switch_page(f"pages/{page}.py")
    return at.run()


def rotated(turn: int) -> dict:
    """Every parameter gets a hostile value; over len(HOSTILE) turns each parameter gets each value once."""
    return {key: HOSTILE[(turn + i) % len(HOSTILE)] for i, key in enumerate(PARAMS)}


@pytest.mark.parametrize("turn", range(len(HOSTILE)))
@pytest.mark.parametrize("page", PAGES)
def test_hostile_url_values_give_notices_on_every_page(entry_mode, page, turn):
    at = open_page(page, rotated(turn))
    assert not at.exception, [e.message for e in at.exception]
    assert at.warning, "a bad value must give a notice"


@pytest.mark.parametrize(("page", "query", "named"), [
    ("compare", {"vs": "²"}, "²"),
    ("compare", {"vs": "99999999999999999999"}, "99999999999999999999"),
    ("compare", {"vs": "abc", "code": "zzz"}, "abc"),
    ("compare", {"vs": "abc", "code": "zzz"}, "zzz"),
    ("district", {"code": "４"}, "４"),
])
def test_a_bad_page_value_gives_a_notice_naming_it(entry_mode, page, query, named):
    at = open_page(page, {**query, "lang": "en"})
    assert not at.exception, [e.message for e in at.exception]
    warnings = "\n".join(w.value for w in at.warning)
    assert named in warnings.replace("\\", "")


ODD_PAGE_VALUES = ["²", "４", "9" * 30, "", "\x00", "x" * 5000, "22", "440305", "南山区", "Nanshan", "１"]
PAGE_VALUE = st.one_of(st.sampled_from(ODD_PAGE_VALUES), st.none(), st.text(max_size=40),
                       st.lists(st.text(max_size=12), max_size=3))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sampled_from(["district", "compare", "overview"]),
       st.dictionaries(st.sampled_from(["code", "vs", "session"]), PAGE_VALUE, max_size=3))
@example("compare", {"vs": "²", "code": "\x00"})
@example("district", {"code": ["４", "440305"]})
def test_page_values_never_raise_and_round_trip(opts, page, query):
    from core.filters import defaults, page_query, parse_page

    filters = defaults(opts)
    values, notices = parse_page(page, query, filters, opts)
    assert values.code is None or values.code in opts.districts
    assert values.vs in opts.sessions
    assert all(isinstance(n, str) and n for n in notices)
    # what the page writes back into the address bar reads as the same values, without a notice
    assert parse_page(page, page_query(page, values, filters, opts), filters, opts) == (values, [])
