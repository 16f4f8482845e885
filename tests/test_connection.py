"""ui.connection: a websocket the server stopped writing to is closed, so the browser reconnects."""

import asyncio
from types import SimpleNamespace

import pytest
from starlette.websockets import WebSocketDisconnect, WebSocketState
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime import Runtime, SessionClientDisconnectedError
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.runtime import RuntimeState
from streamlit.runtime.state.session_state import SessionState
from streamlit.web.server.starlette.starlette_websocket import StarletteSessionClient

from ui import connection


class FakeSocket:
    """Stands in for starlette's WebSocket: records sends and the close code."""

    def __init__(self, send_fails: bool = False, send_blocks: bool = False, gone: bool = False):
        self.sent, self.closed_with = [], None
        self.send_fails, self.send_blocks, self.gone = send_fails, send_blocks, gone
        self.headers, self.cookies, self.client = {}, {}, None
        self.client_state = self.application_state = WebSocketState.CONNECTED

    async def send_bytes(self, payload: bytes) -> None:
        if self.gone:
            self.client_state = WebSocketState.DISCONNECTED
            raise WebSocketDisconnect(1001)
        if self.send_fails:
            raise RuntimeError("write failed")
        if self.send_blocks:
            await asyncio.Event().wait()  # a browser that stopped reading
        self.sent.append(payload)

    async def close(self, code: int = 1000) -> None:
        self.closed_with = code


def message() -> ForwardMsg:
    msg = ForwardMsg()
    msg.script_finished = ForwardMsg.FINISHED_SUCCESSFULLY
    return msg


async def write_until_refused(socket: FakeSocket, limit: int = 600) -> int:
    """Write messages as the server's flush loop does; the count written before the client refused."""
    client = StarletteSessionClient(socket)
    try:
        for n in range(limit):
            try:
                client.write_forward_msg(message())
            except SessionClientDisconnectedError:
                return n
            await asyncio.sleep(0)
        return limit
    finally:
        await asyncio.sleep(0.01)  # let the close run
        await client.aclose()


@pytest.fixture(autouse=True)
def installed():
    connection.install()


def test_a_browser_that_stopped_reading_is_disconnected_not_left_waiting():
    socket = FakeSocket(send_blocks=True)
    written = asyncio.run(write_until_refused(socket))
    assert 400 <= written <= 501  # Streamlit's queue of 500 filled up
    assert socket.closed_with == 1013


def test_a_failed_write_closes_the_socket():
    socket = FakeSocket(send_fails=True)
    written = asyncio.run(write_until_refused(socket))
    assert written < 5
    assert socket.closed_with == 1013


def test_a_browser_that_left_is_not_closed_again():
    socket = FakeSocket(gone=True)  # the tab was closed while a rerun was still writing to it
    written = asyncio.run(write_until_refused(socket))
    assert written < 5
    assert socket.closed_with is None


def test_a_browser_that_keeps_up_stays_connected():
    socket = FakeSocket()
    written = asyncio.run(write_until_refused(socket, limit=1200))
    assert written == 1200 and len(socket.sent) == 1200
    assert socket.closed_with is None


def test_install_twice_wraps_once():
    before = StarletteSessionClient.write_forward_msg
    connection.install()
    assert StarletteSessionClient.write_forward_msg is before


def test_outside_the_servers_loop_the_refusal_still_reaches_streamlit():
    """Streamlit writes from its event loop; from anywhere else the client's own error must come through."""

    async def refused_client():
        client = StarletteSessionClient(FakeSocket(send_fails=True))
        client.write_forward_msg(message())
        await asyncio.sleep(0.01)  # the failed send marks the client closed
        return client

    client = asyncio.run(refused_client())
    with pytest.raises(SessionClientDisconnectedError):
        client.write_forward_msg(message())  # no running loop here


class FakeSession:
    """An AppSession as ui.connection reads it: its id, the last finished run's state, the address now."""

    def __init__(self, session_id: str, address: dict):
        self.id, self.reruns, self.sent, self.rerun_widgets = session_id, [], [], []
        self._client_state = ClientState(query_string="from=1&to=23")  # the run before the change
        self._session_state = SimpleNamespace(query_params=SimpleNamespace(_query_params=address))

    def request_rerun(self, state: ClientState) -> None:
        self.reruns.append(state.query_string)
        self.rerun_widgets.append({w.id: getattr(w, w.WhichOneof("value")) for w in state.widget_states.widgets})

    def _handle_rerun_script_request(self, client_state: ClientState) -> None:
        """Streamlit's starts the run; a run stopped before it took the widget values is what is tested here."""

    def _enqueue_forward_msg(self, msg) -> None:
        self.sent.append(msg)


class FakeSessions:
    """Streamlit's session manager with one session, which reconnects to itself as Streamlit's does when its
    browser comes back before the old socket's handler has disconnected it (it disconnects it itself)."""

    def __init__(self, session: FakeSession, client):
        self.info = SimpleNamespace(session=session, client=client)

    def list_active_sessions(self):
        return [self.info]

    def get_active_session_info(self, session_id):
        return self.info if session_id == self.info.session.id else None

    def connect_session(self, client, existing_session_id=None, **_):
        self.info.client = client
        return existing_session_id


def fake_runtime(sessions: FakeSessions) -> SimpleNamespace:
    return SimpleNamespace(_state=RuntimeState.ONE_OR_MORE_SESSIONS_CONNECTED, _session_mgr=sessions,
                           _main_script_path="dashboard.py", _is_hello=False, _set_state=lambda state: None,
                           _get_async_objs=lambda: SimpleNamespace(has_connection=SimpleNamespace(set=lambda: None)))


def test_a_browser_back_before_its_old_socket_is_let_go_gets_its_change_run(monkeypatch):
    """The reader's change is in the session (the address says from=5) but its run's answer was lost; the
    browser reconnects before Runtime.disconnect_session is called for the old socket (never, here). The session
    must be rerun at the address it holds now."""
    session = FakeSession("s1", {"from": "5", "to": "23"})
    sessions = FakeSessions(session, client=None)
    runtime = fake_runtime(sessions)
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: runtime))
    monkeypatch.setattr(connection, "_given_up", set())

    async def fail_then_reconnect():
        client = StarletteSessionClient(FakeSocket(send_fails=True))
        sessions.info.client = client
        with pytest.raises(SessionClientDisconnectedError):
            for _ in range(5):
                client.write_forward_msg(message())
                await asyncio.sleep(0.01)
        return Runtime.connect_session(runtime, StarletteSessionClient(FakeSocket()), None, existing_session_id="s1")

    assert asyncio.run(fail_then_reconnect()) == "s1"
    assert session.reruns == ["from=5&to=23"]
    assert connection._given_up == set()


def test_the_reconnected_browser_is_told_the_address_of_the_change_it_made(monkeypatch):
    """The lost run had rewritten the address (from=5) in the session and in the messages that were lost; the
    rerun finds the session's address already right and sends none, so the browser's address bar kept from=1
    while the page showed from=5 (a link copied from it was wrong; the browser test failed 1 in 3 on it). The
    browser is sent the session's address as it reconnects."""
    session = FakeSession("s1", {"from": "5", "to": "23"})
    sessions = FakeSessions(session, client=None)
    runtime = fake_runtime(sessions)
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: runtime))
    monkeypatch.setattr(connection, "_given_up", {"s1"})
    Runtime.connect_session(runtime, StarletteSessionClient.__new__(StarletteSessionClient), None,
                            existing_session_id="s1")
    assert [m.page_info_changed.query_string for m in session.sent if m.WhichOneof("type") == "page_info_changed"
            ] == ["from=5&to=23"]
    assert session.reruns == ["from=5&to=23"]


def rerun_request(*widgets: tuple[str, str, object]) -> BackMsg:
    """The browser's rerun request with (widget id, value field, value) for each widget."""
    msg = BackMsg()
    msg.rerun_script.query_string = "from=1&to=23"
    for widget_id, field, value in widgets:
        state = msg.rerun_script.widget_states.widgets.add()
        state.id = widget_id
        setattr(state, field, value)
    return msg


def reconnect_after(monkeypatch, *requests: BackMsg, taken: BackMsg | None = None) -> FakeSession:
    """A session (still at from=1: its run stopped before it took the change) sent `requests`, then its socket
    was given up and its browser came back; `taken`: the request whose values the last run took."""
    session = FakeSession("s1", {"from": "1", "to": "23"})
    runtime = fake_runtime(FakeSessions(session, client=None))
    monkeypatch.setattr(Runtime, "instance", classmethod(lambda cls: runtime))
    monkeypatch.setattr(connection, "_given_up", {"s1"})
    monkeypatch.setattr(connection, "_requested", {})
    monkeypatch.setattr(connection, "_taken", {})
    for msg in requests:
        AppSession.handle_backmsg(session, msg)
    if taken is not None:  # Streamlit's own session state, with the patch install() put on it, in a run of s1
        monkeypatch.setattr(connection, "get_script_run_ctx", lambda: SimpleNamespace(session_id="s1"))
        SessionState().on_script_will_rerun(taken.rerun_script.widget_states)
    Runtime.connect_session(runtime, StarletteSessionClient.__new__(StarletteSessionClient), None,
                            existing_session_id="s1")
    return session


def test_the_rerun_on_return_asks_with_the_change_the_browser_sent_last(monkeypatch):
    """A stop that comes before the run has applied the browser's widget values drops them (Streamlit applies
    them after compiling the script); the rerun with the last finished run's state had none, and the reader's
    change was lost (a CI run on a loaded machine)."""
    session = reconnect_after(monkeypatch, rerun_request(("f_from", "int_value", 3)),
                              rerun_request(("f_from", "int_value", 5), ("f_lang", "string_value", "en")))
    assert session.rerun_widgets == [{"f_from": 5, "f_lang": "en"}]
    assert session.reruns == ["from=1&to=23"]


def test_a_request_that_pressed_a_button_is_not_asked_again(monkeypatch):
    session = reconnect_after(monkeypatch, rerun_request(("f_from", "int_value", 5), ("undo", "trigger_value", True)))
    assert session.rerun_widgets == [{}]  # the last finished run's state, as before: no press counted twice


def test_a_change_a_run_has_taken_is_not_asked_again(monkeypatch):
    """The run took the values, then the page changed them (from after to: the range put in order); asking again
    with the browser's values would undo that."""
    change = rerun_request(("f_from", "int_value", 20))
    session = reconnect_after(monkeypatch, change, taken=change)
    assert session.rerun_widgets == [{}]
