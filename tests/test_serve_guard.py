"""`make serve` guarded (issue 34): security headers on every answer and every page working under its Content
Security Policy, two serves side by side each with its own workers, and no uploads from a session without a
signed-in administrator (refused, the worker's memory unchanged), with nginx's body limit at the importer's."""

from __future__ import annotations

import asyncio
import gzip
import os
import re
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest

from core import auth, serve
from core.importer import limits
from ui import uploads

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
TIMEOUT_MS = 60_000
PAGES = ["", "overview", "trends", "districts", "district?code=440305", "compare", "industries", "companies",
         "records", "briefing", "about"]
WITH_CHARTS = {"", "overview", "trends", "districts", "district?code=440305", "compare", "industries", "companies"}
WANTED = {"Content-Security-Policy", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy",
          "Permissions-Policy"}

sync_api = pytest.importorskip("playwright.sync_api")
websockets = pytest.importorskip("websockets")
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium not installed", allow_module_level=True)


ADMIN, PASSWORD = "li.admin", "a long enough password"


def make_run_arguments() -> list[str]:
    """What `make run` gives core.serve (`make -n run`): the fixture serves exactly as `make run` does."""
    dry = subprocess.run(["make", "-n", "run"], cwd=ROOT, text=True, capture_output=True, timeout=120)
    line = next(line for line in dry.stdout.splitlines() if "-m core.serve" in line)
    return shlex.split(line.split("-m core.serve", 1)[1])


def start_serve(home: Path, db: Path) -> tuple[subprocess.Popen, str, list[int]]:
    """`python -m core.serve` with `make run`'s arguments (one worker, 127.0.0.1; worker ports left to their
    default) but its own port and run folder, with one administrator."""
    port = serve.free_port()
    log = home / "serve.log"
    admins = auth.add_admin(ADMIN, PASSWORD, home / "config" / "admins.toml", replace=True)
    args = make_run_arguments()
    args[args.index("--port") + 1], args[args.index("--run-dir") + 1] = str(port), str(home / "run")
    proc = subprocess.Popen([sys.executable, "-m", "core.serve", *args], cwd=ROOT,
                            env={**os.environ, "RECORDS_DB": str(db), "RECORDS_ADMINS": str(admins)},
                            stdout=log.open("wb"),
                            stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 120
    while not (m := re.search(r"workers on 127\.0\.0\.1:([\d,]+);", log.read_text())):
        assert proc.poll() is None, log.read_text()
        assert time.monotonic() < deadline, "serve did not come up in 120 s"
        time.sleep(0.3)
    return proc, f"http://127.0.0.1:{port}", [int(p) for p in m[1].split(",")]


def stop(proc: subprocess.Popen) -> None:
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=30)


@pytest.fixture(scope="module")
def served(built_db, tmp_path_factory):
    home = tmp_path_factory.mktemp("serve_guard")
    db = home / "records.duckdb"
    shutil.copyfile(built_db, db)
    proc, url, ports = start_serve(home, db)
    try:
        yield url, ports, home, db
    finally:
        stop(proc)


def test_an_upload_to_a_fresh_worker_before_its_first_page_run_is_refused(served):
    """Must stay the module's first test to run a page: the worker has run no script yet. Its session id
    arrives when the first run starts, before dashboard.py's imports are done; the guard was installed by
    that run, so an upload sent at once was kept (200). It is now in place from process start (ui/launch.py)."""
    url = served[0]
    cookie, xsrf = xsrf_cookie(url)

    async def upload_at_once() -> int:
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", origin=url,
                                      subprotocols=["streamlit"], additional_headers={"Cookie": cookie},
                                      max_size=None, open_timeout=30) as ws:
            session_id = await new_session(ws)
            return (await asyncio.to_thread(upload, url, session_id, b"1,x\n", cookie, xsrf))[0]

    assert asyncio.run(upload_at_once()) == 403


def xsrf_cookie(url: str) -> tuple[str, str]:
    _, headers, _ = answer(url + "/")
    found = re.search(r"_streamlit_xsrf=([^;]+)", "; ".join(headers.get_all("Set-Cookie") or []))
    xsrf = found[1] if found else "2|00000000|" + "0" * 64 + "|1"
    return f"_streamlit_xsrf={xsrf}", xsrf


async def new_session(ws, finished: bool = False) -> str:
    """Ask for a run of the default page; the session id from its first message (after the run's last one
    if `finished`: a fresh worker's first run grows it by its imports)."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    rerun = BackMsg()
    rerun.rerun_script.page_name = ""
    await ws.send(rerun.SerializeToString())
    session_id = None
    while True:
        msg = ForwardMsg()
        msg.ParseFromString(await asyncio.wait_for(ws.recv(), 60))
        if msg.WhichOneof("type") == "new_session":
            session_id = msg.new_session.initialize.session_id
        if session_id and (not finished or msg.WhichOneof("type") == "script_finished"):
            return session_id


def upload(url: str, session_id: str, data: bytes, cookie: str, xsrf: str):
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"list.csv\"\r\n"
            f"Content-Type: text/csv\r\n\r\n").encode() + data + f"\r\n--{boundary}--\r\n".encode()
    return answer(f"{url}/_stcore/upload_file/{session_id}/{uuid.uuid4()}", "PUT", body,
                  {"Content-Type": f"multipart/form-data; boundary={boundary}", "X-Xsrftoken": xsrf,
                   "Cookie": cookie})


def answer(url: str, method: str = "GET", data: bytes | None = None, headers: dict | None = None):
    request = urllib.request.Request(url, method=method, data=data, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=60) as r:
            return r.status, r.headers, r.read()
    except urllib.error.HTTPError as e:
        return e.code, e.headers, e.read()


def assert_security_headers(headers) -> None:
    for name in WANTED:
        assert len(headers.get_all(name) or []) == 1, (name, headers.get_all(name))  # present, and once
    csp = headers["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in csp and "default-src 'self'" in csp
    assert "http:" not in csp and "https:" not in csp and "*" not in csp  # no foreign host
    assert "'unsafe-eval'" not in csp
    assert headers["X-Frame-Options"] == "SAMEORIGIN" and headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Referrer-Policy"] in {"same-origin", "no-referrer", "strict-origin-when-cross-origin",
                                          "strict-origin"}
    for feature in ("camera=()", "microphone=()", "geolocation=()"):
        assert feature in headers["Permissions-Policy"]


def test_security_headers_on_every_kind_of_answer(served):
    url = served[0]
    status, _, html = answer(url + "/")
    script = re.search(rb'static/js/[^"]+\.js', html).group().decode()
    for path in ("/", f"/{script}", "/_stcore/health", "/healthz", "/favicon.png", "/no/such/page"):
        status, headers, _ = answer(url + path)
        assert status == 200, path
        assert_security_headers(headers)
        assert "Strict-Transport-Security" not in headers  # plain HTTP: HSTS means nothing here
    tls = serve.render_config(Path("/run"), [9101], "0.0.0.0", 443, "/c.pem", "/k.pem")
    assert tls.count("add_header Strict-Transport-Security") == tls.count("add_header X-Frame-Options") >= 3


def test_make_run_sends_the_front_end_gzipped(served):
    """Streamlit sends its 7.6 MB front end uncompressed (~41 s on a 200 KB/s line); `make run` puts nginx,
    and its gzipped copy, in front of its one worker."""
    url = served[0]
    html = answer(url + "/")[2]
    script = re.search(rb'static/js/index[^"]*\.js', html).group().decode()
    status, headers, body = answer(f"{url}/{script}", headers={"Accept-Encoding": "gzip"})
    original = (serve.STREAMLIT_STATIC / script.removeprefix("static/")).read_bytes()
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert gzip.decompress(body) == original and len(body) < len(original) / 2


def test_websocket_upgrade_carries_the_headers(served):
    url = served[0]

    async def handshake():
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", origin=url,
                                      subprotocols=["streamlit"], open_timeout=30) as ws:
            return ws.response.headers

    headers = asyncio.run(handshake())
    for name in WANTED:
        assert name in headers, name


def test_every_page_draws_its_charts_with_no_policy_violation(served):
    url = served[0]
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="en-US")
            context.add_init_script("window.__csp = []; document.addEventListener('securitypolicyviolation', "
                                    "e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));")
            pg = context.new_page()
            pg.set_default_timeout(TIMEOUT_MS)
            console = []
            pg.on("console", lambda m: console.append(m.text))
            charts = {}
            for path in PAGES:
                pg.goto(f"{url}/{path}")
                pg.wait_for_selector('[data-testid="stSidebar"] [data-testid="stSelectbox"]')
                if path in WITH_CHARTS:
                    pg.wait_for_selector('[data-testid="stPlotlyChart"] .main-svg')
                pg.wait_for_timeout(300)
                pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')")
                pg.wait_for_timeout(300)  # the run is over: every chart element is in the page, drawn or not
                pg.wait_for_function("""() => [...document.querySelectorAll('[data-testid="stPlotlyChart"]')]
                                              .every(c => c.querySelector('.main-svg'))""")
                charts[path] = pg.locator('[data-testid="stPlotlyChart"]').count()
                assert pg.evaluate("window.__csp") == [], path
                assert not pg.locator('[data-testid="stException"]').count(), path
            assert not [m for m in console if "Content Security Policy" in m]
            for path in WITH_CHARTS - {"", "overview"}:
                assert charts[path] >= 2, charts  # pages whose charts were all drawn, not pages without any
        finally:
            browser.close()


def test_two_serves_on_one_machine_each_serve_with_their_own_workers(served, tmp_path):
    url, ports, _, db = served
    proc, other, other_ports = start_serve(tmp_path, db)
    try:
        assert not set(ports) & set(other_ports)
        for base in (url, other):
            assert answer(base + "/healthz")[:1] == (200,)
        conf = (tmp_path / "run" / "nginx.conf").read_text()
        assert all(f"127.0.0.1:{p} " in conf for p in other_ports)
        assert not any(f"127.0.0.1:{p} " in conf for p in ports)
    finally:
        stop(proc)
    assert answer(url + "/healthz")[0] == 200  # the first one still serves


def rss_kb(port: int) -> int:
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"--server.port" in cmd and cmd[cmd.index(b"--server.port") + 1] == str(port).encode():
            status = Path(f"/proc/{pid}/status").read_text()
            return int(re.search(r"VmRSS:\s+(\d+)", status)[1])
    raise AssertionError(f"no worker on port {port}")


def test_an_anonymous_session_cannot_upload(served):
    url, ports, _, _ = served
    cookie, xsrf = xsrf_cookie(url)
    body = os.urandom(19 * 1024 * 1024)

    async def anonymous_session() -> tuple[list[int], int]:
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", origin=url,
                                      subprotocols=["streamlit"], additional_headers={"Cookie": cookie},
                                      max_size=None, open_timeout=30) as ws:
            session_id = await new_session(ws, finished=True)
            before = rss_kb(ports[0])
            codes = []
            for _ in range(8):
                codes.append((await asyncio.to_thread(upload, url, session_id, body, cookie, xsrf))[0])
            grown = rss_kb(ports[0]) - before
            return codes, grown

    codes, grown_kb = asyncio.run(anonymous_session())
    assert codes == [403] * 8, codes
    # kept, 8 x 19 MB would be 152 MB; the request's own buffers come and go
    assert grown_kb < 60 * 1024, f"worker grew by {grown_kb // 1024} MB"
    # a body over the importer's limit never reaches a worker: nginx refuses it
    assert upload(url, "x", os.urandom(limits.MAX_BYTES + 128 * 1024), cookie, xsrf)[0] == 413


def test_a_signed_in_administrator_can_still_upload(served, tmp_path):
    url = served[0]
    listing = tmp_path / "list.csv"
    listing.write_text("序号,企业名称\n1,深圳市测试科技有限公司\n", encoding="utf-8")
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pg = browser.new_context(locale="en-US").new_page()
            pg.set_default_timeout(TIMEOUT_MS)
            pg.goto(f"{url}/import?lang=en")
            pg.get_by_label("Name", exact=True).fill(ADMIN)
            pg.locator("input[type=password]").fill(PASSWORD)
            pg.get_by_role("button", name="Sign in").click()
            pg.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(listing))
            pg.get_by_role("button", name="Check the file").wait_for()  # shown once the server holds the file
        finally:
            browser.close()


def test_upload_allowance_and_per_session_cap():
    import streamlit.runtime.scriptrunner as runner

    class Rec:
        def __init__(self, size):
            self.data = b"x" * size

    ctx = type("Ctx", (), {"session_id": "s1"})()
    original = uploads.get_script_run_ctx
    uploads.get_script_run_ctx = lambda: ctx
    try:
        assert uploads.refusal("s1", {}, 10).status_code == 403  # never signed in
        uploads.allow(time.time() + 60)
        assert uploads.refusal("s1", {}, 10) is None
        assert uploads.refusal("s2", {}, 10).status_code == 403  # another session
        full = {str(i): Rec(1) for i in range(uploads.MAX_FILES)}
        assert uploads.refusal("s1", full, 10).status_code == 413
        assert uploads.refusal("s1", {"a": Rec(uploads.MAX_SESSION_BYTES)}, 1).status_code == 413
        uploads.revoke()
        assert uploads.refusal("s1", {}, 10).status_code == 403
        uploads.allow(time.time() - 1)  # the sign-in ran out
        assert not uploads.may_upload("s1")
    finally:
        uploads.get_script_run_ctx = original
    assert runner  # the module the real context comes from is importable


def test_a_hung_worker_is_restarted_after_two_missed_polls_a_busy_one_is_not(monkeypatch, tmp_path):
    class Proc:
        pid = 4242

        def poll(self):
            return None

    ticks = iter(range(100, 10_000, 7))
    restarted = []
    monkeypatch.setattr(serve, "healthy", lambda port: False)
    monkeypatch.setattr(serve, "stop_process", lambda proc, sig=None: restarted.append(sig))
    monkeypatch.setattr(serve.Worker, "start", lambda self: setattr(self, "fails", 0))
    for busy, misses in ((False, serve.FAILS_BEFORE_RESTART), (True, serve.BUSY_FAILS_BEFORE_RESTART)):
        monkeypatch.setattr(serve, "cpu_ticks", (lambda pid: next(ticks)) if busy else (lambda pid: 500))
        worker = serve.Worker(9101, tmp_path / "w.log", {}, proc=Proc(), up=True)
        restarted.clear()
        for _ in range(misses - 1):
            serve.check([worker])
        assert restarted == [], busy
        serve.check([worker])
        assert restarted == [signal.SIGKILL], busy  # SIGTERM would wait on a stopped process
    starting = serve.Worker(9102, tmp_path / "w.log", {}, proc=Proc(), started=time.monotonic())
    for _ in range(5):
        serve.check([starting])
    assert starting.fails == 0  # not yet up: a worker that is starting is not hung


class RecyclingSocket:
    """A socket whose system hands out the lowest port not bound now, as a busy machine may: a port just released
    is handed out again."""
    bound: set[int] = set()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        RecyclingSocket.bound.discard(self.port)

    def bind(self, address):
        self.port = min(p for p in range(5000, 6000) if p not in RecyclingSocket.bound)
        RecyclingSocket.bound.add(self.port)

    def getsockname(self):
        return ("127.0.0.1", self.port)


def test_workers_get_different_free_ports(monkeypatch):
    """Both workers of a serve were told 49193 (chosen one at a time, the port just released came back): one could
    not listen and was restarted over and over. The ports are chosen with every socket still held, and never
    nginx's own."""
    monkeypatch.setattr(serve.socket, "socket", RecyclingSocket)
    assert serve.free_ports(3) == [5000, 5001, 5002]
    assert serve.free_ports(2, besides=5000) == [5001, 5002]
    assert RecyclingSocket.bound == set()  # all released
