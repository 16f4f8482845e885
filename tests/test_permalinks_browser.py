"""In the real browser: every permalink opens its page; a language switch then a click keeps every filter.
(Nothing loads from another host: tests/test_a11y_browser.py, on the same walk as its axe checks.)"""

from __future__ import annotations

import pytest

from core import catalog, config, district_briefing
from core.filters import Filters
from tests.test_browser import (  # noqa: F401 - fixtures re-used
    TIMEOUT_MS,
    assert_no_traceback,
    browser,
    chromium_present,
    page,
    server,
    settle,
)

pytestmark = pytest.mark.browser

FILTERS = Filters(22, 3, 20, ("440305",), ("C39",))


def permalink_paths() -> list[str]:
    """Every address a chart footer, deck title slide or memo can carry, made relative to the server."""
    links = {catalog.permalink(spec.page, FILTERS, spec.scope) for spec in catalog.CHARTS.values()}
    links.add(catalog.permalink("overview", FILTERS))  # deck title slide and QR code
    links.add(district_briefing.permalink("440305", FILTERS))  # district profile pack
    return sorted(link.removeprefix(config.public_url()) for link in links)


def open_and_wait(pg, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stSidebarNav"]', timeout=TIMEOUT_MS)
    settle(pg)


@pytest.fixture(scope="module")
def warm_server(server, browser):  # noqa: F811
    """A fresh server serves pages/ files directly until its first st.navigation call (ui/state.py); open
    the root once so each link below is resolved by the app's own navigation, as on a running server."""
    context = browser.new_context()
    pg = context.new_page()
    open_and_wait(pg, server + "/")
    context.close()
    return server


@pytest.mark.parametrize("path", permalink_paths())
def test_every_permalink_opens_its_page(warm_server, page, path):  # noqa: F811
    open_and_wait(page, warm_server + path)
    assert "Page not found" not in page.locator("body").inner_text()
    name = path.split("?")[0].strip("/")
    assert page.url.startswith(f"{warm_server}/{name}?"), page.url
    active = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    assert active.count() == 1  # the menu marks the page the link was for
    assert_no_traceback(page)


def test_language_switch_then_a_click_keeps_every_filter(warm_server, page):  # noqa: F811
    open_and_wait(page, f"{warm_server}/districts?session=22&district=440305&industry=C39")
    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("English").click()
    settle(page)
    page.locator('[data-testid="stMain"] [data-testid="stCheckbox"]').first.click()  # the show-data toggle
    settle(page)
    for part in ("session=22", "district=440305", "industry=C39", "lang=en"):
        assert part in page.url, page.url
    sidebar = page.locator('[data-testid="stSidebar"]').inner_text()
    assert "Nanshan" in sidebar and "Computers" in sidebar, sidebar  # the multiselects kept their choice
    assert_no_traceback(page)
