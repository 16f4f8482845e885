"""The bench's own clock, in Debian's chromium: a filter change is not over before the server has answered.

A widget change leaves Streamlit's page looking idle (nothing stale, no running indicator) until the server
starts the rerun, so a bench that only waits for a quiet, idle page ends a change before the server has taken
it up. Under load (the soak's ten sessions) such a bench fired its next change at once, and its sessions sent
several rerun requests a second. Planted here: a server that takes 1.5 s to take up each request.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from tests.test_browser import running_app

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.async_api")
PLANTED = Path(__file__).resolve().parent / "planted" / "slow_answer"
DELAY_S = 1.5


async def one_change(url: str) -> float:
    from playwright.async_api import async_playwright

    from bench import browser

    async with async_playwright() as p:
        b = await browser.launch(p)
        try:
            context = await browser.new_context(b)
            page = await browser.open_ready(context, url + "/trends", 4)
            # changed=0, as in the soak: only the rerun itself tells the change is over
            return await browser.change_filter(page, browser.by_turn(0), 4, 0, 1)
        finally:
            await b.close()


def test_a_change_lasts_until_the_slow_server_has_answered(built_db, tmp_path):
    env = {"PYTHONPATH": str(PLANTED), "SLOW_ANSWER_S": str(DELAY_S)}
    with running_app(built_db, tmp_path / "server.log", env=env) as url:
        latency_ms = asyncio.run(one_change(url))
    assert latency_ms >= DELAY_S * 1000
