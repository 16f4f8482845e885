"""In Debian's chromium, on a server that holds each session's first run (tests/planted/slow_first_run): the
browser's own reports (the basket keeper handing over a stored basket, the phone probe's width) each ask for a
rerun while that run is still going. The page the reader opened must stay open: before dashboard.py called
st.navigation ahead of the sidebar, those reruns named no page and opened the overview (a CI failure)."""

from __future__ import annotations

import contextlib
from pathlib import Path

import pytest

from core.i18n import t
from tests.test_browser import TIMEOUT_MS, browser, running_app, settle  # noqa: F401 (browser: a fixture)

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
PLANTED = Path(__file__).resolve().parent / "planted" / "slow_first_run"


@pytest.fixture(scope="module")
def slow_server(built_db, tmp_path_factory):
    log = tmp_path_factory.mktemp("streamlit") / "server.log"
    with running_app(built_db, log, env={"PYTHONPATH": str(PLANTED)}) as url:
        yield url


@contextlib.contextmanager
def new_tab(browser, width: int, height: int):  # noqa: F811
    context = browser.new_context(viewport={"width": width, "height": height}, locale="zh-CN")
    try:
        pg = context.new_page()
        pg.set_default_timeout(TIMEOUT_MS)
        yield pg
    finally:
        context.close()


def heading(pg) -> str:
    pg.wait_for_selector("h1", timeout=TIMEOUT_MS)
    settle(pg)
    return pg.locator('[data-testid="stMain"] h1').first.inner_text()


def test_a_reload_of_the_basket_page_stays_on_it(slow_server, browser):  # noqa: F811
    with new_tab(browser, 1400, 1600) as pg:
        pg.goto(f"{slow_server}/briefing?session=23")
        assert heading(pg) == t("pages.briefing.title", "zh")
        pg.get_by_role("button", name="放入默认的10张图表").click()
        pg.locator("textarea").first.wait_for()
        settle(pg)
        pg.reload()  # a new session: the keeper hands the stored basket over during the held first run
        assert heading(pg) == t("pages.briefing.title", "zh")
        pg.locator("textarea").first.wait_for()
        assert "/briefing" in pg.url


def test_a_link_opened_on_a_phone_stays_on_its_page(slow_server, browser):  # noqa: F811
    """A desktop browser's User-Agent at a phone's width: the probe reports "narrow" during the first run."""
    with new_tab(browser, 390, 844) as pg:
        pg.goto(f"{slow_server}/trends?from=5")
        pg.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT_MS)
        assert heading(pg) == t("pages.trends.title", "zh")
        assert "/trends" in pg.url and "from=5" in pg.url
