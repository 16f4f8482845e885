"""`release_kit_with_districts`: `python -m core.cli release --session N --with-districts --out KIT.zip` from
process start, as a user runs it on release day (a fresh process: the export browser's start is included)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

from core import config

ROOT = config.ROOT


def measure(session: int = 23) -> dict:
    with tempfile.TemporaryDirectory(prefix="release-kit-") as tmp:
        out = Path(tmp) / "kit.zip"
        started = time.perf_counter()
        done = subprocess.run([sys.executable, "-m", "core.cli", "release", "--session", str(session),
                               "--with-districts", "--out", str(out)], cwd=ROOT, capture_output=True, text=True,
                              timeout=600)
        seconds = time.perf_counter() - started
        if done.returncode != 0:
            raise RuntimeError(f"release --with-districts failed ({done.returncode}): {done.stderr.strip()[-300:]}")
        with zipfile.ZipFile(out) as zf:
            names = zf.namelist()
    return {"seconds": seconds, "files": len(names), "districts": sum(n.endswith(".pptx") for n in names)}
