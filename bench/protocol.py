"""Sessions that speak Streamlit's websocket protocol directly, with no browser: what the server side costs.

The browser rows run their chromium on the same two cores as the servers; at 30 sessions the browsers take
nearly all of the CPU (a 2-minute run: the machine busy 269 of 271 CPU-seconds, the servers 11), so they
cannot tell whether a second worker helps. Here each session sends what the page sends on a filter change
(a rerun request carrying every widget's value and the URL's query string, the changed select's new value
among them) and a change is over when the server's "script finished" message for the last run it started
arrives: the server's answer, without anybody's drawing.
"""

from __future__ import annotations

import asyncio
import contextlib
import time

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

RANGE_BOX = 1  # the sidebar's second selectbox, the range start, as in the browser rows on /trends
TIMEOUT_S = 90
# The widget kinds the pages draw whose value a browser keeps and sends back with every rerun request, and the
# field of the request's widget state that carries it.
KEPT = {"selectbox": "string_value", "radio": "string_value", "text_input": "string_value",
        "multiselect": "string_array_value", "checkbox": "bool_value"}
EARLY = ForwardMsg.ScriptFinishedStatus.FINISHED_EARLY_FOR_RERUN


def rerun_request(page: str, values: dict[str, tuple[str, object]], query: str = "") -> bytes:
    """`values`: widget id -> (widget state field, value); `query`: the URL's query string (the floor app
    picks its page by ?page=)."""
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    for widget_id, (field, value) in values.items():
        widget = msg.rerun_script.widget_states.widgets.add()
        widget.id = widget_id
        if field == "string_array_value":
            widget.string_array_value.data.extend(value)
        else:
            setattr(widget, field, value)
    return msg.SerializeToString()


def drawn_value(kind: str, element):
    """What a browser shows in a widget the server has just drawn and the browser holds no value for: the
    server's value when it sets one, else the widget's default (None: nothing chosen)."""
    if kind in ("selectbox", "radio"):
        if element.set_value:
            return element.raw_value
        return element.options[element.default] if element.HasField("default") else None
    if kind == "multiselect":
        return list(element.raw_values if element.set_value else element.default)
    if kind == "text_input" and not element.set_value:
        return element.default if element.HasField("default") else ""
    return element.value if element.set_value else element.default


class Tab:
    """One browser tab's side of the protocol. Like the browser, it keeps the value of every widget the last
    run drew and the query string the app last wrote to the URL, and sends them all with each rerun request:
    a request with only the changed select's value lets Streamlit drop the other widgets' values."""

    def __init__(self, ws, page: str, query: str = ""):
        self.ws, self.page, self.query = ws, page, query
        self.values: dict[str, tuple[str, object]] = {}
        self.boxes: list = []  # the selectboxes the last run drew, in order

    async def open(self) -> list:
        for _ in range(3):  # a worker's very first run can end before its sidebar is drawn; ask again
            if len(await self.rerun()) > RANGE_BOX:
                return self.boxes
        raise RuntimeError(f"no range selectbox on /{self.page}")

    def shown(self, box) -> str:
        """The option the selectbox `box` shows."""
        return self.values[box.id][1]

    async def choose(self, box, option: str) -> list:
        """Choose `option` in the selectbox `box`; the selectboxes the run drew, once it has finished."""
        return await self.rerun({box.id: ("string_value", option)})

    async def rerun(self, changed: dict | None = None) -> list:
        """Ask for a run; the selectboxes drawn once the runs it starts are over. A run that ends early for
        another (the app's st.rerun, or a request that came while it ran) is followed by that one: the change
        is over when the last has finished, as in the browser rows."""
        await self.ws.send(rerun_request(self.page, self.values | (changed or {}), self.query))
        drawn, boxes = {}, []
        while True:
            msg = ForwardMsg()
            msg.ParseFromString(await asyncio.wait_for(self.ws.recv(), TIMEOUT_S))
            kind = msg.WhichOneof("type")
            if kind == "new_session":  # a run begins: it draws the page again
                drawn, boxes = {}, []
            elif kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
                self.drawn(msg.delta.new_element, drawn, boxes, changed or {})
            elif kind == "page_info_changed":
                self.query = msg.page_info_changed.query_string
            elif kind == "script_finished":
                # as the browser: a run that ended early keeps the widgets it did not reach
                self.values = self.values | drawn if msg.script_finished == EARLY else drawn
                self.boxes = boxes
                if msg.script_finished != EARLY:
                    return boxes

    def drawn(self, element, drawn: dict, boxes: list, changed: dict) -> None:
        kind = element.WhichOneof("type")
        if kind not in KEPT:
            return
        widget = getattr(element, kind)
        held = changed.get(widget.id) or self.values.get(widget.id)
        value = held if held and not widget.set_value else (KEPT[kind], drawn_value(kind, widget))
        if value[1] is not None:
            drawn[widget.id] = value
        if kind == "selectbox":
            boxes.append(widget)


async def connect(stack: contextlib.AsyncExitStack, base: str):
    return await stack.enter_async_context(websockets.connect(
        base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], origin=base,
        max_size=None, ping_interval=None, open_timeout=TIMEOUT_S))


async def session(base: str, page: str, k: int, changes: int, start: asyncio.Barrier) -> list[float]:
    """One official: open the page, wait for everyone, then `changes` range changes; ms per change."""
    async with contextlib.AsyncExitStack() as stack:
        tab, failed = None, None
        try:  # whatever fails here, the barrier below is still reached
            tab = Tab(await connect(stack, base), page)
            await tab.open()
        except Exception as exc:  # noqa: BLE001  reported below, after the barrier
            failed = exc
        await start.wait()
        if failed is not None:
            raise RuntimeError(f"did not open: {type(failed).__name__}: {failed}") from failed
        return await change_range(tab, k, changes)


async def change_range(tab: Tab, k: int, changes: int) -> list[float]:
    times = []
    for i in range(changes):
        box = tab.boxes[RANGE_BOX]
        options = [o for o in list(box.options)[:20] if o != tab.shown(box)]
        t0 = time.perf_counter()
        await tab.choose(box, options[((i + k) * 7) % len(options)])
        times.append((time.perf_counter() - t0) * 1000)
        if len(tab.boxes) <= RANGE_BOX:
            raise RuntimeError(f"no range selectbox after change {i}")
    return times


def run_sessions(base: str, page: str, sessions: int, changes: int) -> tuple[list[float], list[str]]:
    """`sessions` protocol sessions at once, `changes` each; (latencies in ms, errors)."""
    async def main():
        start = asyncio.Barrier(sessions)
        return await asyncio.gather(*(session(base, page, k, changes, start) for k in range(sessions)),
                                    return_exceptions=True)

    latencies, errors = [], []
    for k, result in enumerate(asyncio.run(main())):
        if isinstance(result, BaseException):
            errors.append(f"session {k}: {type(result).__name__}: {str(result)[:200]}")
        else:
            latencies.extend(result)
    return latencies, errors
