"""The servers the browser measurements run against: the dashboard and the floor app as `streamlit run` starts
them, and the `make serve` cluster; each on a free localhost port, its log in bench/artifacts/."""

from __future__ import annotations

import contextlib
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from core import config
from core.serve import stop_process

ROOT = config.ROOT
ARTIFACTS = config.BENCH_ARTIFACTS


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_healthy(url: str, proc: subprocess.Popen, what: str, limit_s: float = 120) -> None:
    deadline = time.monotonic() + limit_s
    while True:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            pass
        if proc.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{what} did not start (see bench/artifacts/)")
        time.sleep(0.3)


def stop(proc: subprocess.Popen) -> None:
    stop_process(proc, wait_s=20)


@contextlib.contextmanager
def streamlit_server(script: str, env: dict | None = None, cwd: Path = ROOT):
    """`streamlit run script` on a free localhost port, as `make run` starts its worker (without the nginx in
    front); yields (url, pid)."""
    port = free_port()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / f"server_{Path(script).stem}.log", "w")  # noqa: SIM115 - closed when the server stops
    cmd = [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(port),
           "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--server.runOnSave", "false"]
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=log, stderr=subprocess.STDOUT,
                            env=config.child_env(env), start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, f"streamlit {script}")
        yield url, proc.pid
    finally:
        stop(proc)
        log.close()


def serve_command(workers: int, port: int, run_dir: Path, *extra: str) -> list[str]:
    """`python -m core.serve` on 127.0.0.1:`port`, as `make serve` (or, with one worker, `make run`) starts it."""
    return [sys.executable, "-m", "core.serve", "--workers", str(workers), "--host", "127.0.0.1",
            "--port", str(port), "--run-dir", str(run_dir), *extra]


@contextlib.contextmanager
def serve_cluster(workers: int, floor: bool = False):
    """`python -m core.serve` (what `make serve` runs) with `workers` workers, running the dashboard or (floor)
    the floor app; yields the proxy URL and the workers' own URLs (from the line core.serve prints once they
    are up), so that each can be warmed."""
    port = free_port()
    name = "serve_floor" if floor else "serve"
    run_dir = ARTIFACTS / name
    run_dir.mkdir(parents=True, exist_ok=True)
    log = open(ARTIFACTS / f"{name}.log", "w")  # noqa: SIM115 - closed when the cluster stops
    extra = ["--script", str(config.BENCH / "floor_app.py")] if floor else []
    proc = subprocess.Popen(serve_command(workers, port, run_dir, "--worker-port", "0", *extra),
                            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
                            env=config.child_env(floor_env() if floor else None))
    url = f"http://127.0.0.1:{port}"
    try:
        wait_healthy(url, proc, "make serve")
        yield url, worker_urls(ARTIFACTS / f"{name}.log")
    finally:
        stop(proc)
        log.close()


def worker_urls(log: Path) -> list[str]:
    """Worker URLs from core.serve's start line, "[serve] 2 workers on 127.0.0.1:8601,8602; nginx on ..."."""
    found = re.search(r"workers on 127\.0\.0\.1:([\d,]+);", log.read_text("utf-8"))
    if not found:
        raise RuntimeError(f"no worker ports in {log}")
    return [f"http://127.0.0.1:{port}" for port in found.group(1).split(",")]


def floor_env() -> dict:
    from bench import floor_specs

    return {"FLOOR_SPECS": str(floor_specs.SPECS)}


def floor_server():
    """The floor app as bare Streamlit under the app's own server settings: started from a folder holding a
    copy of the dashboard's .streamlit/config.toml (no full garbage collection after every run, which alone
    halved the floor's overview change, 232 -> 106 ms; the same upload limit, theme and error details), so
    that no ratio is flattered by the floor running under Streamlit's defaults."""
    cwd = ARTIFACTS / "floor_run"
    (cwd / ".streamlit").mkdir(parents=True, exist_ok=True)
    shutil.copyfile(config.STREAMLIT_CONFIG, cwd / ".streamlit" / "config.toml")
    return streamlit_server(str(config.BENCH / "floor_app.py"), floor_env(), cwd=cwd)
