"""`make serve`: nginx in front of several Streamlit workers, for an organisation's server.

    python -m core.serve --workers 2 --host 0.0.0.0 --port 8080 --run-dir .serve

Every worker is `streamlit run dashboard.py` on 127.0.0.1 (never reachable from outside), with XSRF
protection on, reading the same DuckDB file read-only ($RECORDS_DB). An import swaps the file with
os.replace; each worker sees the new file's mtime on its next rerun (ui.state.db_stamp), so no restart.
nginx's config is generated from deploy/nginx.conf.template into the run folder, which also holds its pid,
logs, temp files, the workers' logs and a copy of Streamlit's front-end files with each one gzipped ahead of
time, which nginx sends itself (no worker, no compression per request): nothing is written outside it.
This process supervises: it restarts a worker that exits or stops answering /_stcore/health, and stops
everything on Ctrl-C or SIGTERM.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import gzip
import hashlib
import importlib.util
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

from core import config
from core.importer import limits

ROOT = config.ROOT
TEMPLATE = config.DEPLOY / "nginx.conf.template"
NGINX_CANDIDATES = ("nginx", "/usr/sbin/nginx")
# Streamlit's front-end files (index.html's ./static/...), content-hashed names
STREAMLIT_STATIC = Path(importlib.util.find_spec("streamlit").origin).parent / "static" / "static"
COMPRESSIBLE = {".js", ".css", ".json", ".svg", ".txt", ".map", ".html", ".ttf", ".otf", ".wasm"}
# A hung worker (stopped, deadlocked) is found by the health poll: every second, 1.5 s to answer, killed and
# restarted after two misses in a row (~3-4 s). nginx meanwhile gives up on it after its own timeouts.
CHECK_EVERY_S = 1.0
HEALTH_TIMEOUT_S = 1.5
FAILS_BEFORE_RESTART = 2
BUSY_FAILS_BEFORE_RESTART = 10
STARTUP_GRACE_S = 120.0
# The workers ping each browser this often (Streamlit's default: 30 s); nginx ends a websocket whose worker
# sent nothing for longer. Only a fallback: the health poll's kill closes a hung worker's websockets at once.
WS_PING_S = 10
WS_READ_TIMEOUT = "25s"


def free_port() -> int:
    return free_ports(1)[0]


def free_ports(n: int, besides: int | None = None) -> list[int]:
    """`n` different free ports, none of them `besides` (nginx's). The sockets are held until all are chosen: one
    at a time, the system handed out a port just released again, and both workers were told 49193 (one could not
    listen and was restarted over and over)."""
    with contextlib.ExitStack() as held:
        ports: list[int] = []
        while len(ports) < n:
            sock = held.enter_context(socket.socket())
            sock.bind(("127.0.0.1", 0))
            if sock.getsockname()[1] != besides:
                ports.append(sock.getsockname()[1])
        return ports


def nginx_binary() -> str:
    for name in NGINX_CANDIDATES:
        found = shutil.which(name)
        if found:
            return found
    raise SystemExit("error: nginx is not installed (Debian: apt-get install nginx; `make serve` does it)")


def inline_script_hashes(index_html: str) -> list[str]:
    """CSP hashes of the inline scripts in Streamlit's index.html (one line setting window.prerenderReady)."""
    bodies = re.findall(r"<script>(.*?)</script>", index_html, flags=re.S)
    return [f"'sha256-{base64.b64encode(hashlib.sha256(b.encode()).digest()).decode()}'" for b in bodies]


def security_headers(tls: bool, index_html: str | None = None) -> list[tuple[str, str]]:
    """What nginx adds to every answer. The policy is the least Streamlit's front end works under (checked
    page by page in tests/test_serve_headers.py): nothing from other hosts; scripts from this origin, the
    one inline script of index.html by its hash, blob: (Streamlit loads a v2 component's JavaScript --
    ui/device.py -- from a blob URL) and WebAssembly compilation ('wasm-unsafe-eval', which allows no
    JavaScript eval; every page's front end compiles a WebAssembly module); inline styles (Emotion, the
    CSS-in-JS Streamlit draws with, writes <style> elements at run time); data:/blob: images (Plotly's and
    Streamlit's icons and downloads)."""
    html = index_html if index_html is not None else (STREAMLIT_STATIC.parent / "index.html").read_text("utf-8")
    csp = "; ".join([
        "default-src 'self'",
        "script-src 'self' blob: 'wasm-unsafe-eval' " + " ".join(inline_script_hashes(html)),
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",
    ])
    headers = [("Content-Security-Policy", csp), ("X-Frame-Options", "SAMEORIGIN"),
               ("X-Content-Type-Options", "nosniff"),
               # stricter than strict-origin-when-cross-origin: a permalink's filters never leave the site
               ("Referrer-Policy", "same-origin"),
               ("Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=(), usb=()")]
    if tls:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return headers


def render_config(run_dir: Path, worker_ports: list[int], host: str, port: int,
                  tls_cert: str | None = None, tls_key: str | None = None) -> str:
    """nginx.conf for these workers, from the template."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=2 fail_timeout=10s;" for p in worker_ports)
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    if tls_cert and tls_key:
        listen = (f"        listen {bind} ssl;\n        ssl_certificate {tls_cert};\n"
                  f"        ssl_certificate_key {tls_key};\n        ssl_protocols TLSv1.2 TLSv1.3;")
    else:
        listen = f"        listen {bind};"
    # Started by root, nginx would run its workers as nobody, who cannot reach a run folder in a private
    # directory; keep them as the account that runs `make serve` (a service account in production).
    user = "user root;" if os.geteuid() == 0 else ""
    headers = "\n".join(f'add_header {name} "{value}" always;' for name, value in security_headers(bool(tls_cert)))
    values = {"run_dir": str(run_dir), "frontend": str(run_dir / "frontend"), "upstream_servers": servers,
              "listen": listen, "user": user, "security_headers": headers,
              "max_body": f"{limits.MAX_BYTES // 1024 + 64}k", "stream_read_timeout": WS_READ_TIMEOUT,
              "cookie_secure": "; Secure" if tls_cert else ""}
    text = TEMPLATE.read_text(encoding="utf-8")
    # a name alone on its line: each line of its value at that line's indentation
    text = re.sub(r"^( *)\{\{(\w+)\}\}$", lambda m: "\n".join(m[1] + line for line in values[m[2]].splitlines()),
                  text, flags=re.M)
    for key, value in values.items():
        text = text.replace("{{" + key + "}}", value)
    return text


def worker_command(port: int, script: str | Path = config.DASHBOARD) -> list[str]:
    # ui.launch: `streamlit run` with the upload guard in place before the first request (not the first run)
    return [sys.executable, "-m", "ui.launch", "run", str(script),
            "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
            "--server.enableXsrfProtection", "true", "--server.enableCORS", "true",
            "--server.fileWatcherType", "none", "--server.runOnSave", "false",
            "--server.maxUploadSize", str(limits.MAX_BYTES // (1024 * 1024)),
            "--server.websocketPingInterval", str(WS_PING_S),
            "--browser.gatherUsageStats", "false"]


def healthy(port: int, timeout: float = HEALTH_TIMEOUT_S) -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=timeout) as r:
            return r.status == 200
    except OSError:
        return False


@dataclass
class Worker:
    port: int
    log: Path
    env: dict
    proc: subprocess.Popen | None = None
    fails: int = 0
    restarts: int = field(default=0)
    up: bool = False  # has answered its health check since it was started
    ticks: int | None = None  # CPU time at the last health poll
    started: float = 0.0
    script: str = str(config.DASHBOARD)

    def start(self) -> None:
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(worker_command(self.port, self.script), cwd=ROOT, env=self.env, stdout=out,
                                         stderr=subprocess.STDOUT, start_new_session=True)
        self.fails, self.up, self.started = 0, False, time.monotonic()

    def stop(self) -> None:
        stop_process(self.proc)


def stop_process(proc: subprocess.Popen | None, sig: int = signal.SIGTERM, wait_s: float = 10) -> None:
    """Stop a process started in its own session, with its children; SIGKILL after `wait_s`."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=wait_s)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def wait_healthy(workers: list[Worker], limit_s: float = 120.0) -> None:
    deadline = time.monotonic() + limit_s
    waiting = list(workers)
    while waiting:
        waiting = [w for w in waiting if not healthy(w.port)]
        for w in waiting:
            if w.proc.poll() is not None:
                raise SystemExit(f"error: worker on port {w.port} exited; see {w.log}")
        if waiting and time.monotonic() > deadline:
            raise SystemExit(f"error: workers {[w.port for w in waiting]} not healthy after {limit_s:.0f} s")
        time.sleep(0.3)


def cpu_ticks(pid: int) -> int | None:
    """User + system CPU time the process has used (clock ticks; None if unknown)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return None


def check(workers: list[Worker]) -> None:
    """Restart a worker that has exited or failed its health check several times in a row. A worker that
    used CPU since the last poll is busy, not hung (30 officials at once can slow its health answer), and
    gets BUSY_FAILS_BEFORE_RESTART misses; a stopped or deadlocked one uses none and gets two."""
    for w in workers:
        ticks, w.ticks = w.ticks, cpu_ticks(w.proc.pid)
        if w.proc.poll() is None and healthy(w.port):
            w.fails, w.up = 0, True
            continue
        if w.proc.poll() is None and not w.up and time.monotonic() - w.started < STARTUP_GRACE_S:
            continue  # still starting (several seconds): not hung
        w.fails += 1
        busy = ticks is not None and w.ticks is not None and w.ticks > ticks
        if w.proc.poll() is not None or w.fails >= (BUSY_FAILS_BEFORE_RESTART if busy else FAILS_BEFORE_RESTART):
            print(f"[serve] restarting worker on port {w.port}", flush=True)
            stop_process(w.proc, signal.SIGKILL)  # a stopped or hung process would not act on SIGTERM
            w.start()
            w.restarts += 1


def prepare(run_dir: Path) -> None:
    for sub in ("tmp", "cache", "logs"):
        (run_dir / sub).mkdir(parents=True, exist_ok=True)
    frontend(run_dir / "frontend", STREAMLIT_STATIC)


def frontend(target: Path, source: Path) -> None:
    """`target`/static: a copy of Streamlit's front-end files, each compressible one beside its gzip (level 9,
    written once). nginx serves them from here with gzip_static: 30 officials opening the page at once cost
    it ~6 CPU-seconds when it compressed the 10 MB bundle for each. Rebuilt when Streamlit's files change."""
    files = {p: p.stat() for p in sorted(source.rglob("*")) if p.is_file()}
    stamp = target / "source.txt"
    signature = "\n".join(f"{p.relative_to(source)} {s.st_size} {s.st_mtime_ns}" for p, s in files.items())
    if stamp.exists() and stamp.read_text(encoding="utf-8") == signature:
        return
    shutil.rmtree(target, ignore_errors=True)
    for path, stat in files.items():
        copy = target / "static" / path.relative_to(source)
        copy.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, copy)
        if path.suffix in COMPRESSIBLE and stat.st_size >= 1024:
            with path.open("rb") as raw, gzip.open(copy.with_name(copy.name + ".gz"), "wb", compresslevel=9) as out:
                shutil.copyfileobj(raw, out)
    stamp.write_text(signature, encoding="utf-8")


def worker_env(run_dir: Path) -> dict:
    """All workers share one cookie secret (kept in the run folder, readable by its owner only)."""
    secret_file = run_dir / "cookie_secret"
    if not secret_file.exists():
        secret_file.write_text(secrets.token_hex(32))
        secret_file.chmod(0o600)
    # RECORDS_TRUSTED_PROXY: nginx on this machine sets X-Real-IP, so the sign-in throttle may believe it
    return config.child_env({"STREAMLIT_SERVER_COOKIE_SECRET": secret_file.read_text().strip(),
                             "RECORDS_TRUSTED_PROXY": "127.0.0.1",
                             "RECORDS_DB": str(config.records_db().resolve())})


def serve(args: argparse.Namespace) -> int:
    run_dir = Path(args.run_dir).resolve()
    prepare(run_dir)
    nginx = nginx_binary()
    ports = ([args.worker_port + i for i in range(args.workers)] if args.worker_port
             else free_ports(args.workers, besides=args.port))
    env = worker_env(run_dir)
    workers = [Worker(p, run_dir / "logs" / f"worker_{p}.log", env, script=args.script) for p in ports]
    conf = run_dir / "nginx.conf"
    conf.write_text(render_config(run_dir, ports, args.host, args.port, args.tls_cert, args.tls_key), "utf-8")
    subprocess.run([nginx, "-t", "-q", "-p", str(run_dir), "-c", str(conf)], check=True)
    stopping = []
    signal.signal(signal.SIGTERM, lambda *_: stopping.append(True))
    signal.signal(signal.SIGINT, lambda *_: stopping.append(True))
    proxy = None
    try:
        for w in workers:
            w.start()
        wait_healthy(workers)
        proxy = subprocess.Popen([nginx, "-p", str(run_dir), "-c", str(conf)], start_new_session=True)
        scheme = "https" if args.tls_cert else "http"
        print(f"[serve] {len(workers)} workers on 127.0.0.1:{','.join(map(str, ports))}; "
              f"nginx on {scheme}://{args.host}:{args.port} (run folder {run_dir})", flush=True)
        next_check = time.monotonic() + CHECK_EVERY_S
        while not stopping:
            if proxy.poll() is not None:
                print(f"[serve] nginx exited ({proxy.returncode}); see {run_dir / 'error.log'}", flush=True)
                return 1
            if time.monotonic() >= next_check:
                check(workers)
                next_check = time.monotonic() + CHECK_EVERY_S
            time.sleep(0.2)
        return 0
    finally:
        stop_process(proxy, signal.SIGQUIT)  # SIGQUIT: nginx's graceful shutdown
        for w in workers:
            w.stop()


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m core.serve", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workers", type=int, default=os.cpu_count() or 2, help="Streamlit processes (default: cores)")
    p.add_argument("--host", default="0.0.0.0", help="address nginx listens on (default 0.0.0.0)")
    p.add_argument("--port", type=int, default=8080, help="port nginx listens on (default 8080)")
    p.add_argument("--worker-port", type=int, default=0,
                   help="first worker port on 127.0.0.1 (default 0: free ports chosen at start, so two serves "
                        "on one machine never share workers)")
    p.add_argument("--run-dir", default=str(config.SERVE_RUN_DIR),
                   help="generated config, logs, cache (default .serve)")
    p.add_argument("--tls-cert", help="certificate file: nginx then speaks HTTPS itself")
    p.add_argument("--tls-key", help="private key file for --tls-cert")
    p.add_argument("--script", default=str(config.DASHBOARD),
                   help="the Streamlit script each worker runs (default: the dashboard; the bench runs its floor "
                        "app behind the same nginx)")
    return p


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    if args.workers < 1:
        raise SystemExit("error: --workers must be at least 1")
    if bool(args.tls_cert) != bool(args.tls_key):
        raise SystemExit("error: --tls-cert and --tls-key go together")
    return serve(args)


if __name__ == "__main__":
    sys.exit(main())
