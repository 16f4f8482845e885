"""In Debian's chromium: when a write to the browser fails, the page reconnects and the filter change still
arrives (ui.connection). Without it the page stays stale forever and ignores every later change."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_browser import ARGS, CHROMIUM, TIMEOUT_MS, running_app

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")
PLANTED = Path(__file__).resolve().parent / "planted" / "failing_write"

SETTLED = """() => document.querySelectorAll('.js-plotly-plot').length >= 4
  && !document.querySelector('[data-stale="true"]')
  && !document.querySelector('[data-testid="stStatusWidget"]')"""


# where the run that took the failed write stops: after its sidebar rewrote the address ("late"), or before it
# took the reader's change into the session ("early")
@pytest.fixture(scope="module", params=["late", "early"])
def failing_server(request, built_db, tmp_path_factory):
    folder = tmp_path_factory.mktemp("streamlit")
    log, arm = folder / "server.log", folder / "arm"
    env = {"PYTHONPATH": str(PLANTED), "FAILING_WRITE_ARM": str(arm), "FAILING_WRITE_STOP": request.param}
    with running_app(built_db, log, env=env) as url:
        yield url, log, arm, request.param


def pick_range_start(pg, label: str) -> None:
    pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1).click()
    pg.locator('[role="option"]').filter(has_text=label).first.click()


def test_a_failed_write_reconnects_and_the_change_arrives(failing_server):
    url, log, arm, stop = failing_server
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pg = browser.new_page(viewport={"width": 1400, "height": 1200})
            pg.goto(url + "/trends?from=1&to=23")
            pg.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
            pg.wait_for_timeout(1000)  # any rerun the page makes by itself after loading is over
            arm.touch()
            pick_range_start(pg, "5 (2006)")  # the rerun's first write fails
            pg.wait_for_url("**from=5**", timeout=TIMEOUT_MS)
            pg.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
            pick_range_start(pg, "9 (2010)")  # and the page goes on answering
            pg.wait_for_url("**from=9**", timeout=TIMEOUT_MS)
            pg.wait_for_function(SETTLED, timeout=TIMEOUT_MS)
        finally:
            browser.close()
    server_log = log.read_text(errors="replace")
    assert "planted write failure" in server_log  # the fault did happen
    assert "closing it so the browser reconnects" in server_log
    if stop == "early":
        assert "asked to stop before it took the change" in server_log
