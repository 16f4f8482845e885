"""`make serve`: two Streamlit workers behind nginx, a browser session through the proxy, an import while both
serve, and the new data seen by both workers on their next rerun (no restart).

The servers run on a private copy of the built database (the import writes to it).
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from core import serve
from tests.test_browser import ARTIFACTS, CHROMIUM, TIMEOUT_MS, browser, settle  # noqa: F401 (browser: a fixture)

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
HEADER = ["序号", "企业名称", "统一社会信用代码", "项目名称", "所属区", "行业", "类别", "获奖情况"]
NEW_LIST = [  # five records for a new session 24
    [1, "深圳市喆堃科技有限公司", "91440300MA5DC6QX9C", "超高清柔性显示模组", "南山区", "C39", "产品研发", "国家级"],
    [2, "深圳市喆堃科技有限公司", "91440300MA5DC6QX9C", "车规级激光雷达", "南山区", "C39", "产品研发", ""],
    [3, "深圳市吉祥精密机械有限公司", "", "五轴联动数控加工中心", "宝安区", "C34", "生产制造", "省级"],
    [4, "深圳市镕达软件股份有限公司", "", "工业互联网平台", "龙华区", "I65", "现代服务", ""],
    [5, "深圳市光明生物医药有限公司", "", "新型疫苗生产工艺", "光明区", "C27", "生产制造", ""],
]

sync_api = pytest.importorskip("playwright.sync_api")
if not os.path.exists(CHROMIUM):
    pytest.skip("Debian chromium not installed", allow_module_level=True)


def test_config_has_every_worker_and_no_placeholder(tmp_path):
    text = serve.render_config(tmp_path, [9101, 9102], "127.0.0.1", 9100)
    assert "{{" not in text
    assert "server 127.0.0.1:9101 " in text and "server 127.0.0.1:9102 " in text
    assert "listen 127.0.0.1:9100;" in text
    assert "hash $route_key consistent;" in text
    assert "proxy_set_header Upgrade $http_upgrade;" in text
    assert f"pid {tmp_path}/nginx.pid;" in text
    assert "gzip on;" in text and "proxy_cache static_assets;" in text
    assert f"root {tmp_path}/frontend;" in text and "gzip_static on;" in text
    tls = serve.render_config(tmp_path, [9101], "0.0.0.0", 443, "/c.pem", "/k.pem")
    assert "listen 0.0.0.0:443 ssl;" in tls and "ssl_certificate /c.pem;" in tls and "; Secure" in tls


def test_front_end_copy_has_each_compressible_file_gzipped_once(tmp_path):
    source = tmp_path / "streamlit_static"
    (source / "js").mkdir(parents=True)
    bundle = ("export const x = 1;\n" * 500).encode()
    (source / "js" / "index.A1.js").write_bytes(bundle)
    (source / "js" / "tiny.B2.js").write_bytes(b"export{};")
    (source / "media").mkdir()
    (source / "media" / "font.C3.woff2").write_bytes(os.urandom(4096))
    target = tmp_path / "frontend"
    serve.frontend(target, source)
    copy = target / "static" / "js" / "index.A1.js"
    assert copy.read_bytes() == bundle and gzip.decompress(Path(f"{copy}.gz").read_bytes()) == bundle
    assert not (target / "static" / "js" / "tiny.B2.js.gz").exists()  # below 1 KB: not worth it
    assert not (target / "static" / "media" / "font.C3.woff2.gz").exists()  # already compressed
    written = Path(f"{copy}.gz").stat().st_mtime_ns
    serve.frontend(target, source)
    assert Path(f"{copy}.gz").stat().st_mtime_ns == written  # unchanged source: nothing rewritten
    (source / "js" / "index.A1.js").write_bytes(bundle + b"// new version\n")
    serve.frontend(target, source)
    assert gzip.decompress(Path(f"{copy}.gz").read_bytes()).endswith(b"// new version\n")


def test_workers_listen_on_localhost_with_xsrf_protection():
    cmd = serve.worker_command(9101)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert cmd[cmd.index("--server.enableXsrfProtection") + 1] == "true"


def get(url: str) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.status, dict(r.headers), r.read()


@pytest.fixture(scope="module")
def cluster(built_db, tmp_path_factory):
    """`python -m core.serve` with 2 workers on a copy of the database; yields (proxy url, worker urls, db, the
    serve process)."""
    home = tmp_path_factory.mktemp("serve")
    db = home / "records.duckdb"
    shutil.copyfile(built_db, db)
    port = serve.free_port()
    out = (home / "serve.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "core.serve", "--workers", "2", "--host", "127.0.0.1",
                             "--port", str(port), "--worker-port", "0", "--run-dir", str(home / "run")],
                            cwd=ROOT, env={**os.environ, "RECORDS_DB": str(db)}, stdout=out,
                            stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 120
        while not (m := re.search(r"workers on 127\.0\.0\.1:(\d+),(\d+)", (home / "serve.log").read_text())):
            assert proc.poll() is None, (home / "serve.log").read_text()
            assert time.monotonic() < deadline, "make serve did not come up in 120 s"
            time.sleep(0.3)
        workers = [f"http://127.0.0.1:{p}" for p in m.groups()]
        yield f"http://127.0.0.1:{port}", workers, db, proc
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=30)
        out.close()


def test_proxy_health_gzip_static_files_and_sticky_cookie(cluster):
    proxy, _, db, _ = cluster
    status, _, body = get(proxy + "/healthz")
    assert (status, body) == (200, b"ok")
    status, headers, html = get(proxy + "/")
    assert status == 200 and headers.get("Content-Encoding") == "gzip"
    assert "records_route=" in headers.get("Set-Cookie", "")
    # the front end comes gzipped from nginx's own copy, not from a worker (no proxy cache status)
    script = re.search(rb'static/js/[^"]+\.js', gzip.decompress(html)).group().decode()
    status, headers, body = get(f"{proxy}/{script}")
    assert status == 200 and headers.get("Content-Encoding") == "gzip" and "X-Cache" not in headers
    ahead = db.parent / "run" / "frontend" / f"{script}.gz"  # sent as written at start, not compressed per request
    assert int(headers["Content-Length"]) == ahead.stat().st_size
    assert gzip.decompress(body) == (serve.STREAMLIT_STATIC / script.removeprefix("static/")).read_bytes()
    assert "immutable" in headers.get("Cache-Control", "")


def first_metric(pg) -> str:
    return pg.locator('[data-testid="stMetricValue"]').first.inner_text()


def open_overview(context, url: str):
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.goto(url)
    pg.wait_for_selector('[data-testid="stMetricValue"]')
    settle(pg)
    return pg


def choose_session(pg, label: str) -> None:
    pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    pg.get_by_role("option", name=label).click()
    settle(pg)


def write_list(path: Path) -> Path:
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        csv.writer(f).writerows([HEADER, *NEW_LIST])
    return path


def test_import_while_two_workers_serve_reaches_both(cluster, browser, tmp_path):  # noqa: F811
    proxy, workers, db, _ = cluster
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="en-US")
    through_proxy = open_overview(context, f"{proxy}/?session=23&lang=en")
    assert first_metric(through_proxy) == "216"
    choose_session(through_proxy, "Session 22 (2023)")  # a rerun over the proxy's websocket
    assert first_metric(through_proxy) == "212" and "session=22" in through_proxy.url
    assert any(c["name"] == "records_route" for c in context.cookies())
    assert any(c["name"] == "_streamlit_xsrf" for c in context.cookies())
    for url in workers:  # both workers know only sessions 1-23 and have cached that
        pg = open_overview(browser.new_context(locale="en-US"), f"{url}/?session=24&lang=en")
        assert "session=24" in pg.locator('[data-testid="stAlert"]').first.inner_text()
        assert first_metric(pg) == "216"

    done = subprocess.run([sys.executable, "-m", "core.cli", "import", str(write_list(tmp_path / "s24.csv")),
                           "--session", "24"], cwd=ROOT, env={**os.environ, "RECORDS_DB": str(db)},
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr

    choose_session(through_proxy, "Session 21 (2022)")  # the next rerun sees the new file
    choose_session(through_proxy, "Session 24 (2025)")
    through_proxy.screenshot(path=str(ARTIFACTS / "serve_proxy_session24.png"), full_page=True)
    assert first_metric(through_proxy) == "5" and "session=24" in through_proxy.url
    for i, url in enumerate(workers):
        pg = open_overview(browser.new_context(locale="en-US"), f"{url}/?session=24&lang=en")
        pg.screenshot(path=str(ARTIFACTS / f"serve_worker{i + 1}_session24.png"), full_page=True)
        assert pg.locator('[data-testid="stAlert"]', has_text="session=24").count() == 0
        assert first_metric(pg) == "5"


def worker_pids(serve_pid: int) -> list[int]:
    """The Streamlit workers core.serve started (its children running ui.launch)."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            command = (stat.parent / "cmdline").read_bytes()
        except (OSError, ValueError, IndexError):
            continue  # ended meanwhile
        if parent == serve_pid and b"ui.launch" in command:
            found.append(int(stat.parent.name))
    return found


def stop_workers(serve_pid: int) -> set[int]:
    """SIGSTOP both workers as they are now: on a busy machine the health poll may have restarted one since the
    test began (a pid read earlier was gone: ProcessLookupError), so the pids are read again until both stop."""
    stopped: set[int] = set()
    for _ in range(20):
        for pid in set(worker_pids(serve_pid)) - stopped:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGSTOP)
                stopped.add(pid)
        if len(stopped & set(worker_pids(serve_pid))) == 2:
            return stopped
        time.sleep(0.25)
    raise AssertionError(f"could not stop both workers: {stopped}")


def test_a_page_open_on_a_worker_that_hangs_comes_back(cluster, browser):  # noqa: F811
    """Both workers stop answering (SIGSTOP: a hung worker keeps its connections and never answers) while a page
    is open and the reader changes the session. core/serve.py kills and restarts them, the browser reconnects
    for a session the new workers never had, and ui/connection.py has it load its address again: the page
    answers the next change. Before, it stayed silent until the reader reloaded it. (Runs after the import
    test: session 24 exists by then, sessions 22 and 23 are unchanged.)"""
    proxy, _, _, serve_proc = cluster
    assert len(worker_pids(serve_proc.pid)) == 2
    context = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="en-US")
    pids: set[int] = set()
    try:
        pg = open_overview(context, f"{proxy}/overview?session=23&lang=en")
        assert first_metric(pg) == "216"
        with pg.expect_event("load", timeout=90_000):  # the page loads its address again
            pids = stop_workers(serve_proc.pid)
            pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
            pg.get_by_role("option", name="Session 21 (2022)").click()  # lost in the hung worker
        pg.wait_for_selector('[data-testid="stMetricValue"]')
        settle(pg)
        assert "/overview" in pg.url and "session=23" in pg.url
        choose_session(pg, "Session 22 (2023)")
        assert first_metric(pg) == "212" and "session=22" in pg.url
    finally:
        context.close()
        for pid in pids:  # already killed by core.serve unless the test failed before
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGCONT)
