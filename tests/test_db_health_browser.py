"""In Debian's chromium, a served dashboard through a real server's history (issue 33): imports one after
another (the same session twice, and the third import, whose file the old length guess condemned), an undo,
then real damage. Sound files never show the fault page; a truncated one does, with the restore first."""

from __future__ import annotations

import shutil

import pytest

from core import importer
from core.i18n import t
from tests.test_browser import ARGS, ARTIFACTS, CHROMIUM, TIMEOUT_MS, running_app, settle
from tests.test_importer import HEADER_ZH, SAMPLE, query, write_csv

pytestmark = pytest.mark.browser
sync_api = pytest.importorskip("playwright.sync_api")


def plain(markdown: str) -> str:
    return markdown.replace("**", "")


def test_a_served_dashboard_through_imports_an_undo_and_real_damage(built_db, tmp_path):
    served = tmp_path / "served" / "records.duckdb"
    served.parent.mkdir()
    shutil.copyfile(built_db, served)
    ARTIFACTS.mkdir(exist_ok=True)
    with running_app(served, tmp_path / "server.log") as url, sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.set_default_timeout(2 * TIMEOUT_MS)

        def body(session: int) -> str:
            page.goto(f"{url}/overview?session={session}&lang=en")
            page.wait_for_selector("h1")  # the overview's title or the fault page's
            settle(page)
            return page.locator("body").inner_text()

        def sound(session: int, records: int) -> None:
            text = body(session)
            assert t("fault.title", "en") not in text and t("nav.districts", "en") in text
            assert t("notice.heading", "en") not in text  # the served app knows the session
            assert query(served, "SELECT count(*) FROM records WHERE session_no = $s", {"s": session}) == [(records,)]

        sound(23, 216)
        for n, session in enumerate([24, 24, 25, 26]):
            listing = write_csv(tmp_path / f"list-{n}.csv", HEADER_ZH, SAMPLE)
            importer.apply(importer.validate(listing, session, db=served))
            sound(session, len(SAMPLE))
        importer.restore(importer.history(served)[0].id, db=served)  # undo the import of session 26
        sound(25, len(SAMPLE))
        assert query(served, "SELECT count(*) FROM records WHERE session_no = 26") == [(0,)]

        good = served.read_bytes()
        served.write_bytes(good[: len(good) // 3])
        text = body(23)
        page.screenshot(path=str(ARTIFACTS / "db_health_fault_page.png"), full_page=True)
        assert t("fault.title", "en") in text and t("fault.damaged", "en") in text
        restore, rebuild = plain(t("fault_advice.restore", "en")), plain(t("fault_advice.rebuild", "en"))
        assert text.index(restore) < text.index(rebuild)
        assert str(served.parent) not in text
        served.write_bytes(good)
        sound(25, len(SAMPLE))
        browser.close()
