"""Streamlit-side state: cached options and query results, the shared filters and the URL."""

from __future__ import annotations

import concurrent.futures
import contextlib
import functools
import json
import sys
import threading
from dataclasses import replace
from pathlib import Path

import streamlit as st

# Streamlit internals (streamlit pinned in requirements.txt), each where no public API does the job: the script
# run context, so prefetch threads may fill the st.cache_resource results and a run can tell whether
# dashboard.py runs it; PagesManager's pages-directory flag, kept until the first st.navigation
# (ensure_entry_script).
from streamlit.runtime.pages_manager import PagesManager
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from core import catalog, config, db
from core.filters import PAGE_KEYS, Filters, Options, parse
from core.i18n import DEFAULT_LANG, LANGS, t
from core.markup import escape_markdown
from ui.recent import Recent

ENTRY_SCRIPT = config.DASHBOARD.resolve()
FILTER_KEYS = ("f_session", "f_from", "f_to", "f_districts", "f_industries", "f_lang")
# URL parameters one page owns (core.filters.PAGE_KEYS): kept on sync, the page reads and writes them
PAGE_PARAMS = tuple(dict.fromkeys(key for keys in PAGE_KEYS.values() for key in keys))


def db_stamp() -> int:
    """Changes when the database file is rebuilt or an import swaps it, so caches refresh. Read from the file once
    a run (read_stamp): a page asks 30-40 times, and each stat, a system call, let the run wait for the interpreter
    lock behind the server's other threads (6 ms of a district profile's change on two busy cores)."""
    stamp = getattr(_this_run, "stamp", None)
    return file_stamp() if stamp is None else stamp


def file_stamp() -> int:
    try:
        return config.records_db().stat().st_mtime_ns
    except FileNotFoundError:
        return 0


# The database stamp of the run in this thread (a ScriptRunner's thread runs one script at a time; st.rerun runs
# the next in the same thread, which begins by reading the stamp again).
_this_run = threading.local()


def read_stamp() -> None:
    """The database stamp for what this run draws from now on: the first thing dashboard.py does, and again
    after the run wrote the database (an import)."""
    _this_run.stamp = file_stamp()


# Every cache has limits so a worker's memory stops growing however many distinct views are opened
# (measured by the bench's memory rows); old database versions drop out by count or age.
CACHE_TTL = 12 * 3600


RESULTS = 1024  # query results kept per worker


@st.cache_resource(show_spinner=False, max_entries=RESULTS, ttl=CACHE_TTL)
def _run(name: str, stamp: int, params_json: str):
    return db.run(name, **json.loads(params_json))


def _key(name: str, params: dict) -> tuple[str, int, str]:
    used = {k: v for k, v in params.items() if k in db.query_params(name)}
    return name, db_stamp(), json.dumps(used, sort_keys=True, default=list)


# The results run() answered lately, newest last: run() reads one here without st.cache_resource's lookup (which
# inspects _run's signature and hashes every argument on each call: ~0.1 ms, and a page reads 10-25 results a
# run), and prefetch asks only for the others (nine threads started for a page whose results were all cached
# took 100 ms on a busy server). Bounded like _run's cache; the database stamp in each key retires old versions.
_answered = Recent(RESULTS)
# Results prefetch() has asked for and not yet stored. A pool, not a thread per query: starting a thread waits for
# the GIL, which the run drawing the page holds.
_coming: dict[tuple, concurrent.futures.Future] = {}
_coming_lock = threading.Lock()
_pool = concurrent.futures.ThreadPoolExecutor(max_workers=4, thread_name_prefix="prefetch")


def run(name: str, **params):
    """A named query's result, cached per database version and the parameters the query uses (so a
    trend query is not run again when only the single-session filter changes).

    Each caller gets its own copy, so changing it cannot change the cache: a copy of the cached frame
    (~0.03 ms), not cache_data's unpickled one (~0.4 ms; a page reads 10-15 results a run)."""
    key = _key(name, params)
    result = _answered.get(key)
    if result is None:
        result = _run(*key)  # once per key and worker: st.cache_resource's lock makes other callers wait
        _answered.put(key, result)
    return result.copy()


def session_rows(name: str, first: int, last: int, **params):
    """Sessions first..last of a named query whose rows each describe one session, asked for every session
    (one cached result serves every range and session; a change of either reruns no query)."""
    return catalog.in_range(run(name, **{**params, **catalog.ALL_SESSIONS}), first, last)


def prefetch(calls: list[tuple[str, dict]]) -> None:
    """Start the named queries a page is about to read, side by side, into run()'s cache, and return at once.

    DuckDB works outside the GIL, so the page draws what it has (the sidebar, charts whose results are cached)
    while the queries run, and a change that misses the cache for several waits for the slowest instead of
    their sum (two cores). The page's own call of a query being answered waits for it on st.cache_resource's
    lock for that key (which a rerun can interrupt); one still queued behind other runs' queries it asks for
    itself, and the pool then finds it cached. Errors are left for the page's own call to raise."""
    ctx = get_script_run_ctx()
    with _coming_lock:
        for key in dict.fromkeys(_key(name, params) for name, params in calls):
            if key not in _answered and key not in _coming:
                _coming[key] = _pool.submit(_quietly, key, ctx)


def _quietly(key: tuple, ctx) -> None:
    add_script_run_ctx(threading.current_thread(), ctx)  # st.cache_resource's lookups read the run's context
    try:
        with contextlib.suppress(Exception):
            _answered.put(key, _run(*key))
    finally:
        with _coming_lock:
            _coming.pop(key, None)


# The same object for every caller: both are read on every widget and chart of a run (20-30 times). A plain
# memo, not st.cache_resource, whose key (the function's signature, the arguments hashed) cost more than the
# answer: 6 % of a trends run's samples under load. Keyed by the database version; Options and DataStatus are
# frozen and never changed.
@functools.lru_cache(maxsize=4)
def _options(stamp: int) -> Options:
    return catalog.load_options()


def options() -> Options:
    return _options(db_stamp())


@functools.lru_cache(maxsize=8)
def _status(stamp: int, lang: str) -> catalog.DataStatus:
    return catalog.DataStatus.read(lang)


def status(lang: str) -> catalog.DataStatus:
    return _status(db_stamp(), lang)


def _query_dict() -> dict:
    """The shared filters' URL parameters (the page-owned ones are the page's: ui/page_values.py)."""
    return {key: st.query_params.get_all(key) if key in ("district", "industry") else st.query_params.get(key)
            for key in st.query_params if key not in PAGE_PARAMS}


def _seed_widgets(filters: Filters) -> None:
    st.session_state["f_session"] = filters.session
    st.session_state["f_from"] = filters.session_from
    st.session_state["f_to"] = filters.session_to
    st.session_state["f_districts"] = list(filters.districts)
    st.session_state["f_industries"] = list(filters.industries)
    st.session_state["f_lang"] = filters.lang


URL_FILTER_KEYS = ("session", "from", "to", "district", "industry", "lang")


def _moved_by_browser() -> bool:
    """True when the URL's filters are not the ones this session last wrote: the Back or Forward button (Streamlit
    pushes a history entry for each URL the app writes and reruns the page on Back), or a link that carries
    filters. A URL without any filter (a page picked in the menu) keeps the filters in force."""
    written = st.session_state.get("url_filters")
    if written is None or not any(k in st.query_params for k in URL_FILTER_KEYS):
        return False
    return _url_filters() != written


def _url_filters() -> dict:
    return {k: v for k, v in st.query_params.to_dict().items() if k in URL_FILTER_KEYS}


def init_from_url() -> None:
    """On a session's first run, and after Back or Forward, the URL decides the filters; bad values leave
    notices."""
    if "filters_ready" in st.session_state and not _moved_by_browser():
        return
    parsed = parse(_query_dict(), options())
    _seed_widgets(parsed.filters)
    st.session_state["notices"] = parsed.notices
    st.session_state["notice_filters"] = parsed.filters
    st.session_state["filters_latest"] = options().latest
    st.session_state["filters_ready"] = True
    st.session_state["url_filters"] = _url_filters()  # taken: a second call in this run changes nothing


def follow_sessions() -> None:
    """Keep an open session's filters on sessions the database has, after an import adds one or an undo
    removes one (call before the sidebar's widgets are drawn).

    A range that ended at the latest session ends at the new latest one; a session that is gone falls back to
    the latest (the selects would otherwise jump to their first option, session 1)."""
    s, opts = st.session_state, options()
    seen = s.get("filters_latest")
    s["filters_latest"] = opts.latest
    if seen is None or seen == opts.latest:
        return
    if s.get("f_to") == seen:
        s["f_to"] = opts.latest
    for key in ("f_session", "f_from", "f_to"):
        if key in s and s[key] not in opts.sessions:
            s[key] = opts.latest


def keep_filters_across_language(lang: str) -> None:
    """Re-seed the sidebar selects when the language changes.

    A select's browser side holds the label of its option, and labels are in the page language. Without a
    fresh value from the server the browser would send the old-language label on the next click, which
    matches no option, and the session would fall back to 1 and the districts/industries be dropped.
    Setting the values through session_state makes Streamlit send them again under the new labels.
    """
    if st.session_state.get("filters_lang", lang) != lang:
        for key in ("f_session", "f_from", "f_to", "f_districts", "f_industries"):
            if key in st.session_state:
                st.session_state[key] = st.session_state[key]
    st.session_state["filters_lang"] = lang


def remember_address(page_url_path: str) -> None:
    """Permalinks point where the browser reached the app (PUBLIC_URL, when set, still wins)."""
    url = st.context.url or ""
    if page_url_path and url.rstrip("/").endswith("/" + page_url_path):
        url = url.rstrip("/")[: -len(page_url_path) - 1]
    config.serve_at(url)


def ensure_entry_script() -> None:
    """Run pages through dashboard.py even on a deep link opened first after a server start.

    Until the first st.navigation call in the process, Streamlit serves files in pages/ directly, so the
    shared sidebar (and the URL filters it keeps) would be missing. Leave that mode and rerun: the rerun
    goes through the entry script, whose st.navigation picks this page again from the URL. Decided per run,
    not by Streamlit's flag alone: when several officials open deep links on a fresh worker at once, another
    session may leave the mode while this run is already in it (the page then had no filters and never
    became ready: make serve's cold second worker, bench errors).
    """
    if PagesManager.uses_pages_directory or _without_entry_script():
        PagesManager.uses_pages_directory = False
        st.rerun()


@functools.lru_cache(maxsize=8)
def _is_entry_script(path: str) -> bool:
    """Resolved once per path: resolving walks every folder with a system call, and each gave the interpreter
    to the server's busy event loop, for 25 ms of every filter change on the district profile (py-spy)."""
    return Path(path).resolve() == ENTRY_SCRIPT


def _without_entry_script() -> bool:
    """True when this run's page runs although the app's main script, dashboard.py, is not running it (it is
    not on the stack). A page run on its own (AppTest on a page file) has itself as the main script."""
    ctx = get_script_run_ctx()
    main = ctx.pages_manager.main_script_path if ctx is not None else None
    if main is None or not _is_entry_script(main):
        return False
    frame = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_filename == main:  # Streamlit compiles the main script under this name
            return False
        frame = frame.f_back
    return True


def link_address_note(lang: str) -> str:
    """Which address the links and QR codes in files will carry, and whether a recipient can open it: without
    PUBLIC_URL they carry the address this browser used, which on 127.0.0.1 or localhost opens only here."""
    key = "link_address.local" if config.public_url_is_local() else "link_address.shared"
    return t(key, lang, url=markdown_address(config.public_url()))


def markdown_address(url: str) -> str:
    """`url` as a Markdown link that ends where the address ends: written bare, the page's Markdown took the
    Chinese text after it ("，该地址只能在本机打开…") into the link. PUBLIC_URL is written by an administrator
    and not checked: one that is not a plain address is shown as text."""
    return f"<{url}>" if config.plain_root(url) == url else escape_markdown(url)


def order_range() -> None:
    """on_change of the range's two selects: a start after the end swaps the two widgets themselves (the
    charts used the sorted range while the selects still showed it backwards), and says so once."""
    s = st.session_state
    first, last = s.get("f_from"), s.get("f_to")
    if first is not None and last is not None and first > last:
        s["f_from"], s["f_to"] = last, first
        s["range_swapped"] = (last, first)


def range_note(lang: str) -> str | None:
    """The sentence for a swap made by order_range in this run (shown once)."""
    swapped = st.session_state.pop("range_swapped", None)
    return t("range_order.swapped", lang, first=swapped[0], last=swapped[1]) if swapped else None


def current() -> Filters:
    """The filters in force (a page run on its own, as in AppTest, reads them from the URL)."""
    ensure_entry_script()
    init_from_url()
    follow_sessions()
    s = st.session_state
    first, last = sorted((int(s.get("f_from", 1)), int(s.get("f_to", options().latest))))
    lang = s.get("f_lang", DEFAULT_LANG)
    filters = Filters(session=int(s["f_session"]), session_from=int(first), session_to=int(last),
                      districts=tuple(s.get("f_districts", ())), industries=tuple(s.get("f_industries", ())),
                      lang=lang if lang in LANGS else DEFAULT_LANG)
    _drop_stale_notices(filters)
    return filters


def _drop_stale_notices(filters: Filters) -> None:
    """A notice about the link's bad values stands until the official chooses filters (the URL is then
    rewritten with valid values); switching the language alone keeps it."""
    parsed = st.session_state.get("notice_filters")
    if st.session_state.get("notices") and parsed is not None and replace(parsed, lang=filters.lang) != filters:
        st.session_state["notices"] = []


def sync_url(filters: Filters) -> None:
    wanted = filters.query()
    st.session_state["url_filters"] = dict(wanted)  # what Back must differ from to count as a move
    wanted.update({k: st.query_params[k] for k in PAGE_PARAMS if k in st.query_params})
    if dict(st.query_params.to_dict()) != wanted:
        st.query_params.from_dict(wanted)


def show_notices(lang: str) -> None:
    notices = st.session_state.get("notices") or []
    if notices:
        # a notice quotes the URL value it ignored: show it as text, never as a link or image
        items = "\n".join(f"- {escape_markdown(n)}" for n in notices)
        st.warning(t("notice.heading", lang) + "\n\n" + items, icon=":material/warning:")


def reset() -> None:
    for key in FILTER_KEYS + ("filters_ready", "notices", "notice_filters", "filters_lang", "filters_latest"):
        st.session_state.pop(key, None)
    st.query_params.clear()
