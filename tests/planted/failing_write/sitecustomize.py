"""Planted fault for tests/test_connection_browser.py, loaded by putting this folder on PYTHONPATH.

In the server process, the first websocket write after a run has finished fails once, as a write to a
browser on a bad network does; Streamlit then stops writing to that browser.
"""

from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.web.server.starlette import starlette_websocket

_client_init = starlette_websocket.StarletteSessionClient.__init__
_state = {"finished": False, "failed": False}


def _failing(send):
    async def send_bytes(payload: bytes) -> None:
        if _state["finished"] and not _state["failed"]:
            _state["failed"] = True
            raise OSError("planted write failure")
        msg = ForwardMsg()
        msg.ParseFromString(payload)
        if msg.WhichOneof("type") == "script_finished" and msg.script_finished == ForwardMsg.FINISHED_SUCCESSFULLY:
            _state["finished"] = True
        await send(payload)
    return send_bytes


def _init(self, websocket) -> None:
    websocket.send_bytes = _failing(websocket.send_bytes)
    _client_init(self, websocket)


starlette_websocket.StarletteSessionClient.__init__ = _init
