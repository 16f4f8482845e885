"""`district_packs_all_11`: `python -m core.cli pack --session N --district all --out DIR` from process start,
as a user runs it (a fresh process, so the export browser's start is included)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

from core import config

ROOT = config.ROOT


def measure(session: int = 23, fmt: str = "pptx") -> dict:
    with tempfile.TemporaryDirectory(prefix="district-packs-") as tmp:
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "core.cli", "pack", "--session", str(session), "--district",
                               "all", "--format", fmt, "--out", tmp], cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"pack --district all failed ({done.returncode}): {done.stderr.strip()[-300:]}")
        files = list(Path(tmp).glob(f"*.{fmt}"))
    return {"seconds": seconds, "files": len(files), "format": fmt}
