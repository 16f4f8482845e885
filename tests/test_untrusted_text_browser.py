"""In Debian's chromium: names from a hostile official list (tests/test_untrusted_text.py) stay text on the pages
that show them. No element links to or loads from the outside address the names carry, and the browser fetches
nothing from it. Screenshots go to tests/artifacts/."""

from __future__ import annotations

from urllib.parse import urlencode, urlparse

import pytest

from tests.test_browser import ARTIFACTS, running_app, settle, tall_page
from tests.test_untrusted_text import import_hostile_lists

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")
# the district profile (its paragraph names the leading repeat innovator) in both languages; the companies and
# industries pages (charts of names and of the list's industry spellings) in Chinese only, to keep the run short
VIEWS = {"zh": [("district", {"code": "440305"}), ("companies", {}), ("industries", {})],
         "en": [("district", {"code": "440305"})]}


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    path = import_hostile_lists(built_db, tmp_path_factory.mktemp("hostile_served"))
    with running_app(path, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def page():
    with tall_page() as pg:
        yield pg


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_hostile_names_render_as_text_in_the_browser(server, page, lang):
    fetched = []
    page.on("request", lambda r: fetched.append(r.url) if "evil" in (urlparse(r.url).hostname or "") else None)
    for view, extra in VIEWS[lang]:
        query = {"session": "25", "from": "24", "to": "25", **extra, **({"lang": "en"} if lang == "en" else {})}
        page.goto(f"{server}/{view}?{urlencode(query)}")
        page.wait_for_selector(".js-plotly-plot")
        settle(page)
        page.screenshot(path=str(ARTIFACTS / f"untrusted_{view}_{lang}.png"), full_page=True)
        links = page.locator("a[href*='evil'], img[src*='evil'], a[*|href*='evil']")
        assert links.count() == 0, (view, [links.nth(i).evaluate("e => e.outerHTML") for i in range(links.count())])
        if view == "district":  # the paragraph names the hostile company as typed
            body = page.locator("body").inner_text().replace("\u2060", "")
            assert "![图](http://evil.example/i.png)" in body or "![i](https://evil.example/en.png)" in body
    assert not fetched
