"""In Debian's chromium: hostile URL values stay text (no link, no outside fetch), and the database fault
page and its recovery as a reader sees them (issue 9, items 9 and 10). Screenshots go to tests/artifacts/."""

from __future__ import annotations

import shutil
from pathlib import Path
from urllib.parse import urlencode, urlparse

import pytest

from core.i18n import t
from tests.test_browser import ARTIFACTS, running_app, settle, tall_page

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def own_db(built_db, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("served") / "records.duckdb"
    shutil.copyfile(built_db, path)
    return path


@pytest.fixture(scope="module")
def server(own_db, tmp_path_factory):
    with running_app(own_db, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def page():
    with tall_page() as pg:
        yield pg


def test_hostile_url_values_render_as_text(server, page):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "evil.example" in (urlparse(r.url).hostname or "") else None)
    query = {"lang": "[click](https://evil.example/x)",
             "district": "![x](https://evil.example/p.png),https://evil.example/a,www.evil.example,:streamlit:",
             "industry": "x@evil.example"}
    page.goto(f"{server}/?{urlencode(query)}")
    page.wait_for_selector('[data-testid="stAlert"]')
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "security_hostile_url.png"), full_page=True)
    notice = page.locator('[data-testid="stAlert"]').filter(has_text=t("notice.heading", "zh")[:6])
    assert notice.count() == 1
    assert notice.locator("a").count() == 0 and notice.locator("img").count() == 0
    text = notice.inner_text().replace("\u2060", "")
    assert "[click](https://evil.example/x)" in text and "x@evil.example" in text and ":streamlit:" in text
    assert not fetched


def test_fault_page_and_recovery_in_the_browser(server, page, own_db):
    good = own_db.read_bytes()
    page.goto(f"{server}/districts?lang=en")
    page.wait_for_selector(".js-plotly-plot")
    own_db.write_bytes(good[: len(good) // 3])  # truncated while the app serves
    page.reload()
    page.get_by_role("button", name=t("fault.retry", "en")).wait_for()
    settle(page)
    page.screenshot(path=str(ARTIFACTS / "security_fault_page.png"), full_page=True)
    body = page.locator("body").inner_text()
    assert t("fault.title", "en") in body and t("fault.damaged", "en") in body
    assert str(own_db.parent) not in body and "Traceback" not in body
    own_db.write_bytes(good)  # restored
    page.get_by_role("button", name=t("fault.retry", "en")).click()
    page.wait_for_selector('[data-testid="stSidebarNav"]')  # the dashboard is back (no nav on the fault page)
    settle(page)
    body = page.locator("body").inner_text()
    assert t("fault.title", "en") not in body and t("nav.districts", "en") in body
    page.screenshot(path=str(ARTIFACTS / "security_fault_recovered.png"), full_page=True)


def test_the_quotes_citation_reads_as_typed(server, page):
    """The citation under the About page's quote carries a web address from the data: it reads as typed, with
    no backslashes from the escaping and not turned into a link by the Markdown renderer."""
    page.goto(f"{server}/about?lang=en")
    caption = page.locator('[data-testid="stCaptionContainer"]').filter(has_text="gznews")
    caption.first.wait_for()
    settle(page)
    text = caption.first.inner_text().replace("\u2060", "")
    assert "http://www.gznews.com/?p=1406" in text and "\\" not in text
    assert caption.first.locator("a").count() == 0
