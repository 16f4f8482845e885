"""A reader whose connection the server gave up on gets reconnected, instead of a page that never answers.

Streamlit 1.67's server stops writing to a browser when the browser cannot keep up (500 messages queued) or
when a write fails, and disconnects the session, but leaves the websocket open. The browser cannot tell: it
keeps the page, marks it stale on the next filter change and sends the rerun request, which the server drops
(logged at debug level only). The page waits forever. Closing the websocket at that moment makes the browser
do what it does after any dropped connection: reconnect to its session. The browser does not ask again after
reconnecting to a session the server kept, so the server reruns it then, with the widget values of the
browser's last request (the run whose answer was lost may have stopped before taking them), and tells the
browser the address of that change: the change the reader made arrives, in the page and in the address bar.

A browser that comes back for a session this process never had (its worker hung or died, the server restarted)
is asked to load its own address again: nothing else would make its page answer (_reload_page).
"""

from __future__ import annotations

import asyncio
import contextlib
from urllib import parse

from starlette.websockets import WebSocketState
from streamlit.logger import get_logger
from streamlit.proto.ClientState_pb2 import ClientState
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.proto.WidgetStates_pb2 import WidgetStates
from streamlit.runtime import Runtime, SessionClientDisconnectedError
from streamlit.runtime.app_session import AppSession
from streamlit.runtime.scriptrunner import get_script_run_ctx
from streamlit.runtime.state.session_state import SessionState
from streamlit.web.server.starlette.starlette_websocket import StarletteSessionClient

_log = get_logger(__name__)  # Streamlit's format: with a timestamp, to line up with a reader's report
# 1013 "try again later": the browser reconnects as it does after a server restart
CLOSE_CODE = 1013
_given_up: set[str] = set()  # sessions whose socket was closed here: rerun when their browser is back
# session id -> the widget values its browser last asked for, and those its last run took (_remember_requests)
_requested: dict[str, WidgetStates] = {}
_taken: dict[str, WidgetStates] = {}
# a button's press: a rerun on the browser's return must not press it again
TRIGGERS = frozenset({"trigger_value", "string_trigger_value", "json_trigger_value", "chat_input_value"})


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
    _remember_requests()
    _rerun_on_return()


def _remember_requests() -> None:
    """Keep, for each session, the widget values of the last rerun the browser asked for (the reader's change),
    and those the last run took into the session, until the session ends. A run stopped when its socket is
    closed may not have taken them yet: Streamlit applies them only once the run has started and compiled its
    script, and a stop that comes first drops them (a CI run lost the reader's change so on a loaded machine).
    The rerun on the browser's return asks with them then (_latest_state)."""
    handle, shutdown = AppSession.handle_backmsg, AppSession.shutdown
    will_rerun = SessionState.on_script_will_rerun

    def handle_backmsg(self: AppSession, msg) -> None:
        if msg.WhichOneof("type") == "rerun_script":
            _requested[self.id] = _copy(msg.rerun_script.widget_states)
        handle(self, msg)

    def on_script_will_rerun(self: SessionState, fresh_widget_states, *args, **kwargs) -> None:
        will_rerun(self, fresh_widget_states, *args, **kwargs)
        ctx = get_script_run_ctx()  # SessionState takes no attributes of ours; its run's context names the session
        if fresh_widget_states is not None and ctx is not None:
            _taken[ctx.session_id] = _copy(fresh_widget_states)

    def shutdown_session(self: AppSession) -> None:
        _requested.pop(self.id, None)
        _taken.pop(self.id, None)
        shutdown(self)

    AppSession.handle_backmsg = handle_backmsg
    AppSession.shutdown = shutdown_session
    SessionState.on_script_will_rerun = on_script_will_rerun


def _copy(states: WidgetStates) -> WidgetStates:
    kept = WidgetStates()
    kept.CopyFrom(states)
    return kept


def _rerun_on_return() -> None:
    """Rerun each session whose socket was closed here (close_given_up) when its browser reconnects (Runtime
    has no hook for it: its connect_session is wrapped)."""
    connect = Runtime.connect_session

    def connect_session(self: Runtime, client, user_info, existing_session_id=None, session_id_override=None) -> str:
        session_id = connect(self, client, user_info, existing_session_id, session_id_override)
        unknown = bool(existing_session_id) and session_id != existing_session_id
        if unknown or session_id in _given_up:
            _given_up.discard(session_id)
            # private: Runtime gives no public way from a session id to its AppSession, nor to the page and
            # query of the session's last run, which Streamlit's own rerun after a file change passes the same way
            info = self._session_mgr.get_active_session_info(session_id)
            if info is not None and unknown:
                _reload_page(info.session)
            elif info is not None:
                state = _latest_state(info.session)
                _send_address(info.session, state.query_string)
                info.session.request_rerun(state)
        return session_id

    Runtime.connect_session = connect_session


def _reload_page(session) -> None:
    """The browser came back for a session this process never had: its worker hung or died, or the server was
    restarted. Its page and filters are only in the browser, which does not send them after reconnecting to an
    idle page (the page then stayed silent: make serve with a worker stopped, 4 of 4 trials). Ask it to load its
    own address again (Streamlit's redirect message with an empty address: the page's URL, filters included;
    the basket is in the browser's storage)."""
    _log.warning("a browser reconnected for a session this server does not have; asking it to reload its page")
    msg = ForwardMsg()
    msg.auth_redirect.url = ""
    session._enqueue_forward_msg(msg)


def _send_address(session, query_string: str) -> None:
    """Put the session's address in the browser's address bar. The lost run had rewritten it, in the session and
    in messages the browser never got; the rerun finds the session's address already right and sends none, so
    the bar kept the old filters while the page showed the new ones (and a link copied from it was wrong)."""
    msg = ForwardMsg()
    msg.page_info_changed.query_string = query_string
    session._enqueue_forward_msg(msg)  # private, as below: the way Streamlit's own runs send it


def _latest_state(session) -> ClientState:
    """The page and address the session is at now. The saved client state is the last finished run's: while the
    run that took the reader's change is still going (a slow machine), it holds the address from before the
    change, and a rerun there reads as the Back button to ui/state.py, which puts the old filters back. The
    address the server holds now (the session's query parameters, rewritten by each run as it goes) agrees
    with the filters in session_state at every moment; the page is updated as each run starts.

    The widget values are those of the browser's last request (_remember_requests) when no run has taken them:
    a stopped run's change then arrives. A request a run has taken is not asked again (the page may have
    changed those values since: a range put in order, a range end moved on by an import), nor is a request
    that pressed a button (a press must not count twice)."""
    state = ClientState()
    state.CopyFrom(session._client_state)
    params = dict(session._session_state.query_params._query_params)  # a copy: a run may be writing it
    state.query_string = parse.urlencode(params, doseq=True)
    requested, taken = _requested.get(session.id), _taken.get(session.id)
    if requested is not None and requested != taken and not any(w.WhichOneof("value") in TRIGGERS
                                                                for w in requested.widgets):
        state.widget_states.CopyFrom(requested)
    return state


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
    _given_up.update(_sessions_of(client))
    client._closing = loop.create_task(_close(client))


def _sessions_of(client: StarletteSessionClient) -> list[str]:
    """The ids of the sessions written to through `client`: marked as given up when it is closed. (Marked when
    the server disconnected the session, they were missed when the browser was quicker: Streamlit then
    disconnects the session inside its own reconnect, the run holding the reader's change is stopped, and
    nothing ran it again; the page kept its old address, 2 of 5 runs of the browser test on one machine.)"""
    with contextlib.suppress(RuntimeError):  # no runtime: nothing to rerun
        # private, as above: no public way from a client to its session
        return [info.session.id for info in Runtime.instance()._session_mgr.list_active_sessions()
                if info.client is client]
    return []


async def _close(client: StarletteSessionClient) -> None:
    with contextlib.suppress(Exception):  # already closed by the browser: nothing left to do
        await client._websocket.close(code=CLOSE_CODE)
