"""Who may write: local administrator accounts, sign-in attempts, and how long a sign-in lasts.

Pure logic, no Streamlit, so it is tested directly (the thin Streamlit part is ui/admin.py).

Accounts live in a TOML file outside the repository: $RECORDS_ADMINS, or sz-records/admins.toml under the
user's config folder ($XDG_CONFIG_HOME or ~/.config). It holds names and scrypt hashes, never a password:

    [admins."wang"]
    hash = "scrypt$16384$8$1$<salt, base64>$<key, base64>"
    created = "2026-11-25T16:00:00Z"

`python -m core.cli admin add|remove|list` edits it. The file is written with mode 0600.

Wrong passwords are slowed down per client address and per account name (both, so neither many names
from one address nor one name from many addresses gets fast guesses): the first FREE_TRIES failures cost
nothing, then each further one doubles the wait, up to MAX_WAIT seconds. The state is in the server
process (shared by all browser sessions); a restart clears it.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import os
import re
import secrets
import threading
import time
import tomllib
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

# scrypt cost: 16 MiB of memory and ~50 ms per check, far beyond what a guessing machine wants to pay
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
MIN_PASSWORD = 10
FREE_TRIES = 3
MAX_WAIT = 15 * 60
DEFAULT_TIMEOUT_MIN = 30


class AdminError(ValueError):
    """A name or password that cannot be used, or an admins file that cannot be read; one clear line."""


def admins_path() -> Path:
    env = os.environ.get("RECORDS_ADMINS")
    if env:
        return Path(env).expanduser()
    config = os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config"
    return Path(config) / "sz-records" / "admins.toml"


def session_timeout() -> float:
    """Seconds an administrator stays signed in without doing anything ($RECORDS_ADMIN_TIMEOUT minutes)."""
    raw = os.environ.get("RECORDS_ADMIN_TIMEOUT", "")
    try:
        minutes = float(raw) if raw else DEFAULT_TIMEOUT_MIN
    except ValueError:
        minutes = DEFAULT_TIMEOUT_MIN
    return max(minutes, 1.0) * 60


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def verify_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        expected = base64.b64decode(key)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n), r=int(r),
                             p=int(p), dklen=len(expected), maxmem=256 * 1024 * 1024)
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


# checked against when the name is unknown, so an unknown name costs as long as a wrong password
_DUMMY = hash_password(secrets.token_hex(16))


def load_admins(path: Path | None = None) -> dict[str, str]:
    """name -> hash; no file means no administrators."""
    path = Path(path) if path else admins_path()
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AdminError(f"cannot read the administrators file {path}: {exc}") from None
    table = data.get("admins", {})
    return {name: entry["hash"] for name, entry in table.items()
            if isinstance(entry, dict) and isinstance(entry.get("hash"), str)}


def _write(path: Path, entries: dict[str, dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["# Administrators of the records dashboard: scrypt hashes, never passwords.",
             "# Edit with `python -m core.cli admin add|remove|list`.", ""]
    for name in sorted(entries):
        # the name is quoted: a dot in it would otherwise nest tables
        lines += [f'[admins."{name}"]', f'hash = "{entries[name]["hash"]}"',
                  f'created = "{entries[name].get("created", "")}"', ""]
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write("\n".join(lines))
    os.replace(tmp, path)


def _entries(path: Path) -> dict[str, dict]:
    hashes = load_admins(path)
    if not hashes:
        return {}
    with open(path, "rb") as f:
        table = tomllib.load(f).get("admins", {})
    return {name: {"hash": hashes[name], "created": str(table[name].get("created", ""))} for name in hashes}


def add_admin(name: str, password: str, path: Path | None = None) -> Path:
    path = Path(path) if path else admins_path()
    if not NAME.fullmatch(name):
        raise AdminError("a name is 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit")
    if len(password) < MIN_PASSWORD:
        raise AdminError(f"the password must have at least {MIN_PASSWORD} characters")
    entries = _entries(path)
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries[name] = {"hash": hash_password(password), "created": now}
    _write(path, entries)
    return path


def remove_admin(name: str, path: Path | None = None) -> bool:
    path = Path(path) if path else admins_path()
    entries = _entries(path)
    if entries.pop(name, None) is None:
        return False
    _write(path, entries)
    return True


def check(name: str, password: str, admins: dict[str, str]) -> bool:
    stored = admins.get(name)
    ok = verify_password(password, stored or _DUMMY)
    return ok and stored is not None


def email_allowed(email: object, verified: object, allow_list) -> bool:
    """An OIDC sign-in counts as administrator if its e-mail is on the allow-list (case-insensitive) and
    the identity provider did not say the address is unverified."""
    if not isinstance(email, str) or not email or verified is False:
        return False
    return email.strip().lower() in {str(a).strip().lower() for a in allow_list or ()}


@dataclass
class Throttle:
    """Failed sign-ins per key ("ip:…", "name:…"): how long the next attempt must wait."""

    clock: Callable[[], float] = time.monotonic
    failures: dict[str, int] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    @staticmethod
    def delay(failures: int) -> float:
        return 0.0 if failures < FREE_TRIES else float(min(2 ** (failures - FREE_TRIES + 1), MAX_WAIT))

    def wait(self, *keys: str) -> float:
        """Seconds until these keys may try again (0 = now)."""
        now = self.clock()
        with self._lock:
            return max([self.last.get(k, now) + self.delay(self.failures.get(k, 0)) - now for k in keys] + [0.0])

    def failed(self, *keys: str) -> None:
        now = self.clock()
        with self._lock:
            for k in keys:
                self.failures[k] = self.failures.get(k, 0) + 1
                self.last[k] = now

    def succeeded(self, *keys: str) -> None:
        with self._lock:
            for k in keys:
                self.failures.pop(k, None)
                self.last.pop(k, None)


THROTTLE = Throttle()


@dataclass
class Attempt:
    ok: bool
    wait: float = 0.0  # > 0: refused without checking the password, try again in this many seconds


def sign_in(name: str, password: str, client: str | None, admins: dict[str, str],
            throttle: Throttle | None = None) -> Attempt:
    throttle = throttle or THROTTLE
    keys = (f"ip:{client or 'local'}", f"name:{name.strip().lower()}")
    wait = throttle.wait(*keys)
    if wait > 0:
        return Attempt(False, wait)
    if check(name.strip(), password, admins):
        throttle.succeeded(*keys)
        return Attempt(True)
    throttle.failed(*keys)
    return Attempt(False, throttle.wait(*keys))


@dataclass
class AdminSession:
    name: str
    via: str  # "password" or "oidc"
    last_seen: float

    def expired(self, now: float, timeout: float) -> bool:
        return now - self.last_seen > timeout
