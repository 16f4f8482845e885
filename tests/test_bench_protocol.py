"""The bench's protocol sessions (bench/protocol.py) ask the server what a browser asks it.

A browser sends every widget's value and the URL's query string with each rerun request. A session that sent
only the select it changed let Streamlit drop the sidebar's other values from its second change on: the
dashboard drew session 1 and a range from 1 to the chosen start, not the view an official would see, and the
capacity, server-only and CPU rows timed that.
"""

from __future__ import annotations

import asyncio
import contextlib

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

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


class Replay:
    """A websocket that answers every request with the same recorded messages."""

    def __init__(self, messages: list[ForwardMsg]):
        self.messages, self.queue, self.sent = messages, [], 0

    async def send(self, data: bytes) -> None:
        self.sent += 1
        self.queue += [m.SerializeToString() for m in self.messages]

    async def recv(self) -> bytes:
        return self.queue.pop(0)


def selectbox(widget_id: str, value: str) -> ForwardMsg:
    msg = ForwardMsg()
    box = msg.delta.new_element.selectbox
    box.id, box.raw_value, box.set_value = widget_id, value, True
    box.options.append(value)
    return msg


def a_run(query: str, range_start: str, status: int) -> list[ForwardMsg]:
    """The messages of one run of /trends: its start, the session and range-start selects, the URL, its end."""
    start, info, end = ForwardMsg(), ForwardMsg(), ForwardMsg()
    start.new_session.SetInParent()
    info.page_info_changed.query_string = query
    end.script_finished = status
    return [start, selectbox("session", "第23届（2024年）"), selectbox("from", range_start), info, end]


def test_a_change_lasts_until_the_run_that_follows_an_early_end_has_finished():
    """The app's own st.rerun (or a request that came during a run) ends a run early and starts another: the
    change is over when that one has finished. Stopping at the first "script finished" left the second run's
    messages for the next change, which then read the view before it (seen once in a full test run:
    `from=1` after choosing 2)."""
    early = a_run("session=23&from=1&to=23", "1 (2002)", protocol.EARLY)
    done = a_run("session=23&from=2&to=23", "2 (2003)", ForwardMsg.ScriptFinishedStatus.FINISHED_SUCCESSFULLY)
    ws = Replay(early + done)
    tab = protocol.Tab(ws, "trends")
    boxes = asyncio.run(tab.rerun())
    assert tab.query == "session=23&from=2&to=23" and ws.queue == []
    assert [b.raw_value for b in boxes] == ["第23届（2024年）", "2 (2003)"]
    assert tab.values["from"] == ("string_value", "2 (2003)")
