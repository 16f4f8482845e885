"""Uploads only where an administrator can upload: the import page, signed in.

Streamlit's upload endpoint (/_stcore/upload_file/<session>/<file>) takes a file for any open session, with
or without an uploader on its page, and keeps it in the worker's memory until the session ends: 20 files of
19 MB from a visitor who never signed in grew a worker from 324 to 737 MB. Streamlit 1.67 offers no hook
for this (the server builds its MemoryUploadedFileManager itself), so its add_file is wrapped once per
process, as ui/connection.py wraps the websocket client: a file for a session without a signed-in
administrator is dropped and the request answered 403; a signed-in session holds at most MAX_FILES files
of MAX_SESSION_BYTES in all (413 beyond). Streamlit frees a closed session's files when it ends the
session (server.disconnectedSessionTTL after the browser left); the allowance here ends with the sign-in.

The wrapper is installed at process start by ui/launch.py (every worker runs `python -m ui.launch run
dashboard.py`), before the server answers anything; dashboard.py's own call covers other ways of starting it.
"""

from __future__ import annotations

import threading
import time

from starlette.exceptions import HTTPException
from streamlit.runtime.memory_uploaded_file_manager import MemoryUploadedFileManager
from streamlit.runtime.scriptrunner import get_script_run_ctx

from core.importer import limits

MAX_FILES = 3  # the import page has one uploader for one file; a replaced file is deleted by the browser
MAX_SESSION_BYTES = 2 * limits.MAX_BYTES
_allowed: dict[str, float] = {}  # session id -> until when (time.time()) it may upload
_lock = threading.Lock()


def allow(until: float) -> None:
    """The current session may upload until `until` (its administrator's sign-in runs out then)."""
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    now = time.time()
    with _lock:
        for sid in [s for s, t in _allowed.items() if t < now]:
            del _allowed[sid]
        _allowed[ctx.session_id] = until


def revoke() -> None:
    ctx = get_script_run_ctx()
    if ctx is not None:
        with _lock:
            _allowed.pop(ctx.session_id, None)


def may_upload(session_id: str, now: float | None = None) -> bool:
    with _lock:
        return _allowed.get(session_id, 0.0) >= (time.time() if now is None else now)


def refusal(session_id: str, held: dict, size: int) -> HTTPException | None:
    """Why this file cannot be kept for this session (None: it can). `held`: file id -> record."""
    if not may_upload(session_id):
        return HTTPException(status_code=403, detail="uploads need a signed-in administrator")
    if len(held) >= MAX_FILES or sum(len(f.data) for f in held.values()) + size > MAX_SESSION_BYTES:
        return HTTPException(status_code=413, detail="this session holds as many uploaded files as it may")
    return None


def install() -> None:
    """Wrap Streamlit's in-memory upload manager once per process (later calls do nothing)."""
    if getattr(MemoryUploadedFileManager, "_admin_only", False):
        return
    add_file = MemoryUploadedFileManager.add_file

    def guarded_add_file(self: MemoryUploadedFileManager, session_id: str, file) -> None:
        with self._lock:
            held = dict(self.file_storage.get(session_id, {}))
        held.pop(file.file_id, None)  # the same file sent again replaces itself
        problem = refusal(session_id, held, len(file.data))
        if problem is not None:
            raise problem  # Starlette answers with its status; the file's bytes go with the request
        add_file(self, session_id, file)

    MemoryUploadedFileManager.add_file = guarded_add_file
    MemoryUploadedFileManager._admin_only = True
