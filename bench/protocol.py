"""Sessions that speak Streamlit's websocket protocol directly, with no browser: what the server side costs.

The browser rows run their chromium on the same two cores as the servers; at 30 sessions the browsers take
nearly all of the CPU (a 2-minute run: the machine busy 269 of 271 CPU-seconds, the servers 11), so they
cannot tell whether a second worker helps. Here each session sends what the page sends on a filter change
(a rerun request carrying the changed selectbox value) and a change is over when the server's
"script finished" message arrives: the server's answer, without anybody's drawing.
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


def rerun_request(page: str, states: dict[str, str], query: str = "") -> bytes:
    """`query`: the URL's query string (the floor app picks its page by ?page=)."""
    msg = BackMsg()
    msg.rerun_script.page_name = page
    msg.rerun_script.query_string = query
    for widget_id, value in states.items():
        widget = msg.rerun_script.widget_states.widgets.add()
        widget.id, widget.string_value = widget_id, value
    return msg.SerializeToString()


async def run_once(ws, page: str, states: dict[str, str], query: str = "") -> list:
    """Send one rerun request; the selectboxes the run drew, once its "script finished" has come."""
    await ws.send(rerun_request(page, states, query))
    boxes = []
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), TIMEOUT_S))
        kind = msg.WhichOneof("type")
        if kind == "delta" and msg.delta.WhichOneof("type") == "new_element":
            if msg.delta.new_element.WhichOneof("type") == "selectbox":
                boxes.append(msg.delta.new_element.selectbox)
        elif kind == "script_finished":
            return boxes


async def session(base: str, page: str, k: int, changes: int, start: asyncio.Barrier) -> list[float]:
    """One official: open the page, wait for everyone, then `changes` range changes; ms per change."""
    async with contextlib.AsyncExitStack() as stack:
        boxes, failed = [], None
        try:  # whatever fails here, the barrier below is still reached
            ws = await stack.enter_async_context(websockets.connect(
                base.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"], origin=base,
                max_size=None, ping_interval=None, open_timeout=TIMEOUT_S))
            for _ in range(3):  # a worker's very first run can end before its sidebar is drawn; ask again
                boxes = await run_once(ws, page, {})
                if len(boxes) > RANGE_BOX:
                    break
        except Exception as exc:  # noqa: BLE001  reported below, after the barrier
            failed = exc
        await start.wait()
        if failed is not None:
            raise RuntimeError(f"did not open: {type(failed).__name__}: {failed}") from failed
        if len(boxes) <= RANGE_BOX:
            raise RuntimeError(f"no range selectbox on /{page}")
        return await change_range(ws, page, k, changes, boxes)


async def change_range(ws, page: str, k: int, changes: int, boxes: list) -> list[float]:
    states, times = {}, []
    for i in range(changes):
        box = boxes[RANGE_BOX]
        options = [o for o in list(box.options)[:20] if o != states.get(box.id, box.raw_value)]
        states[box.id] = options[((i + k) * 7) % len(options)]
        t0 = time.perf_counter()
        boxes = await run_once(ws, page, states)
        times.append((time.perf_counter() - t0) * 1000)
        if len(boxes) <= RANGE_BOX:
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
