"""First use in the real browser (issue 10): every permalink opens its page; nothing loads from another host."""

from __future__ import annotations

import pytest

from core import catalog, district_briefing
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
    return sorted(link.removeprefix(catalog.public_url()) for link in links)


def open_and_wait(pg, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stSidebarNav"]', timeout=TIMEOUT_MS)
    settle(pg)


@pytest.mark.parametrize("path", permalink_paths())
def test_every_permalink_opens_its_page(server, page, path):
    open_and_wait(page, server + path)
    assert "Page not found" not in page.locator("body").inner_text()
    name = path.split("?")[0].strip("/")
    assert page.url.startswith(f"{server}/{name}?"), page.url
    active = page.locator('[data-testid="stSidebarNav"] a[aria-current="page"]')
    assert active.count() == 1  # the menu marks the page the link was for
    assert_no_traceback(page)
