"""The bench's protocol sessions (bench/protocol.py) ask the server what a browser asks it.

A browser sends every widget's value and the URL's query string with each rerun request. A session that sent
only the select it changed let Streamlit drop the sidebar's other values from its second change on: the
dashboard drew session 1 and a range from 1 to the chosen start, not the view an official would see, and the
capacity, server-only and CPU rows timed that.
"""

from __future__ import annotations

import asyncio
import contextlib

from bench import protocol
from tests.test_browser import running_app


async def range_changes(url: str, starts: list[str]) -> list[str]:
    """Open /trends, choose each range start in turn; the query string the app wrote after each change."""
    written = []
    async with contextlib.AsyncExitStack() as stack:
        tab = protocol.Tab(await protocol.connect(stack, url), "trends")
        await tab.open()
        for start in starts:
            await tab.choose(tab.boxes[protocol.RANGE_BOX], start)
            written.append(tab.query)
    return written


def test_range_changes_keep_the_session_and_the_range_end(built_db, tmp_path):
    with running_app(built_db, tmp_path / "server.log") as url:
        written = asyncio.run(range_changes(url, ["2 (2003)", "9 (2010)", "16 (2017)"]))
    assert written == ["session=23&from=2&to=23", "session=23&from=9&to=23", "session=23&from=16&to=23"]
