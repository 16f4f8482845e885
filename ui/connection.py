"""A reader whose connection the server gave up on gets reconnected, instead of a page that never answers.

Streamlit 1.67's server stops writing to a browser when the browser cannot keep up (500 messages queued) or
when a write fails, and disconnects the session, but leaves the websocket open. The browser cannot tell: it
keeps the page, marks it stale on the next filter change and sends the rerun request, which the server drops
(logged at debug level only). The page waits forever. Closing the websocket at that moment makes the browser
do what it does after any dropped connection: reconnect to its session and rerun, with the filters it had.
"""

from __future__ import annotations

import asyncio
import contextlib

from starlette.websockets import WebSocketState
from streamlit.logger import get_logger
from streamlit.runtime import SessionClientDisconnectedError
from streamlit.web.server.starlette.starlette_websocket import StarletteSessionClient

_log = get_logger(__name__)  # Streamlit's format: with a timestamp, to line up with a reader's report
# 1013 "try again later": the browser reconnects as it does after a server restart
CLOSE_CODE = 1013


def install() -> None:
    """Patch Streamlit's websocket client once per process (each run calls this; later calls do nothing)."""
    if getattr(StarletteSessionClient, "_closes_given_up_socket", False):
        return
    write = StarletteSessionClient.write_forward_msg

    def write_forward_msg(self: StarletteSessionClient, msg) -> None:
        try:
            write(self, msg)
        except SessionClientDisconnectedError:
            close_given_up(self)
            raise

    StarletteSessionClient.write_forward_msg = write_forward_msg
    StarletteSessionClient._closes_given_up_socket = True


def close_given_up(client: StarletteSessionClient) -> None:
    """Close the client's websocket (once); called on the server's event loop, where writes happen."""
    if getattr(client, "_closing", None) is not None:
        return
    socket = client._websocket
    if WebSocketState.DISCONNECTED in (socket.client_state, socket.application_state):
        return  # the browser left (a closed tab, another page): nobody is waiting
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:  # not on the server's loop (Streamlit writes from it): leave the socket to Streamlit
        return
    _log.warning("a browser connection could not be written to (%d messages queued); closing it so the "
                 "browser reconnects", client._send_queue.qsize())
    client._closing = loop.create_task(_close(client))


async def _close(client: StarletteSessionClient) -> None:
    with contextlib.suppress(Exception):  # already closed by the browser: nothing left to do
        await client._websocket.close(code=CLOSE_CODE)
