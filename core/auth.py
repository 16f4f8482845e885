"""Who may write: local administrator accounts, sign-in attempts, and how long a sign-in lasts.

Pure logic, no Streamlit, so it is tested directly (the thin Streamlit part is ui/admin.py).

Accounts live in a TOML file outside the repository: $RECORDS_ADMINS, or sz-records/admins.toml under the
user's config folder ($XDG_CONFIG_HOME or ~/.config). It holds names and scrypt hashes, never a password:

    [admins."wang"]
    hash = "scrypt$16384$8$1$<salt, base64>$<key, base64>"
    created = "2026-11-25T16:00:00Z"

`python -m core.cli admin add|remove|list` edits it. The file is written with mode 0600.

Names are case-insensitive (kept in lower case: `Wang` and `wang` are one account). Wrong passwords are
slowed down per account name, from anywhere, and, for names that are not accounts, per client address too
(one client spraying many names). A client's failures never count against an existing account, so failures
on other names never lock an administrator out. The counts live in a file beside the administrators file,
shared by all workers and kept over a restart, and each attempt is counted before its password is checked
(core/throttle.py): the guessing rate does not grow with the attacker's concurrency.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import ipaddress
import logging
import os
import re
import secrets
import sqlite3
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from core import config
from core import throttle as attempts
from core.throttle import FREE_TRIES, MAX_WAIT  # noqa: F401 - part of this module's interface

log = logging.getLogger(__name__)

# scrypt cost: 16 MiB of memory and ~50 ms per check, far beyond what a guessing machine wants to pay
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,31}")
MIN_PASSWORD = 10
MIN_DISTINCT = 5  # different characters: "aaaaaaaaaa" or "ababababab" is not a password
DEFAULT_TIMEOUT_MIN = 30


class AdminError(ValueError):
    """A name or password that cannot be used, or an admins file that cannot be read; one clear line."""


def session_timeout() -> float:
    """Seconds an administrator stays signed in without doing anything ($RECORDS_ADMIN_TIMEOUT minutes)."""
    raw = config.admin_timeout_setting()
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
    path = Path(path) if path else config.admins_file()
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AdminError(f"cannot read the administrators file {path}: {exc}") from None
    admins: dict[str, str] = {}
    for name, entry in data.get("admins", {}).items():
        if not (isinstance(entry, dict) and isinstance(entry.get("hash"), str)):
            continue
        if name.lower() in admins:  # written by hand or by an older version: which one is meant is unknown
            raise AdminError(f"the administrators file {path} has {name!r} twice (names ignore case); "
                             "remove it with `admin remove` and add it again")
        admins[name.lower()] = entry["hash"]
    return admins


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
    """The file's entries as written (names as spelled there), for add and remove."""
    try:
        with open(path, "rb") as f:
            table = tomllib.load(f).get("admins", {})
    except FileNotFoundError:
        return {}
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AdminError(f"cannot read the administrators file {path}: {exc}") from None
    return {name: {"hash": e["hash"], "created": str(e.get("created", ""))} for name, e in table.items()
            if isinstance(e, dict) and isinstance(e.get("hash"), str)}


def password_problem(password: str) -> str | None:
    """Why this password cannot be used, or None. Spaces at either end do not count."""
    core = password.strip()
    if len(core) < MIN_PASSWORD:
        return f"the password must have at least {MIN_PASSWORD} characters, not counting spaces at either end"
    if len(set(core)) < MIN_DISTINCT:
        return f"the password must have at least {MIN_DISTINCT} different characters"
    return None


def add_admin(name: str, password: str, path: Path | None = None, replace: bool = False) -> Path:
    """Save `name` (in lower case) with this password; an existing name only with `replace`."""
    path = Path(path) if path else config.admins_file()
    if not NAME.fullmatch(name):
        raise AdminError("a name is 1-32 letters, digits, '.', '_' or '-', starting with a letter or digit")
    problem = password_problem(password)
    if problem:
        raise AdminError(problem)
    entries = _entries(path)
    same = [n for n in entries if n.lower() == name.lower()]
    if same and not replace:
        raise AdminError(f"an administrator {name.lower()!r} already exists (names ignore case); "
                         "to give it a new password, add it again with --replace")
    for n in same:
        del entries[n]
    now = dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    entries[name.lower()] = {"hash": hash_password(password), "created": now}
    _write(path, entries)
    return path


def remove_admin(name: str, path: Path | None = None) -> bool:
    path = Path(path) if path else config.admins_file()
    entries = _entries(path)
    same = [n for n in entries if n.lower() == name.strip().lower()]
    if not same:
        return False
    _write(path, {n: e for n, e in entries.items() if n not in same})
    return True


def check(name: str, password: str, admins: dict[str, str]) -> bool:
    stored = admins.get(name.strip().lower())
    ok = verify_password(password, stored or _DUMMY)
    return ok and stored is not None


def email_allowed(email: object, verified: object, allow_list) -> bool:
    """An OIDC sign-in counts as administrator if its e-mail is on the allow-list (case-insensitive) and
    the identity provider did not say the address is unverified."""
    if not isinstance(email, str) or not email or verified is False:
        return False
    return email.strip().lower() in {str(a).strip().lower() for a in allow_list or ()}


THROTTLE = attempts.Throttle(lambda: attempts.attempts_path(config.admins_file()))


def client_key(ip_address: str | None, headers: Mapping[str, str], proxy: str | None) -> str:
    """Who is asking, for the throttle. `ip_address` is Streamlit's (None for a loopback peer). Behind
    `make serve` the peer is nginx on this machine, which sets X-Real-IP itself (replacing any the client
    sent); the header is believed only then ($RECORDS_TRUSTED_PROXY, set by core.serve for its workers).
    Without a proxy every browser on this machine is one client (`make run` is nginx on 127.0.0.1, so there
    every browser is 127.0.0.1 anyway)."""
    if ip_address is None and proxy:
        real = next((v for k, v in headers.items() if k.lower() == "x-real-ip"), "")
        with contextlib.suppress(ValueError):
            return str(ipaddress.ip_address(real.strip()))
    return ip_address or "local"


@dataclass
class Attempt:
    ok: bool
    wait: float = 0.0  # > 0: refused without checking the password, try again in this many seconds


def sign_in(name: str, password: str, client: str | None, admins: dict[str, str],
            throttle: attempts.Throttle | None = None) -> Attempt:
    """Counted before the password is checked (core/throttle.py). A name that is an account is limited by
    its own failures only; any other name also by its client's, so spraying names from one client slows
    down without ever locking an administrator out."""
    throttle = throttle or THROTTLE
    folded = name.strip().lower()
    keys = [f"name:{folded}"] + ([] if folded in admins else [f"client:{client or 'local'}"])
    try:
        wait = throttle.reserve(keys)
        if wait > 0:
            return Attempt(False, wait)
        if check(folded, password, admins):
            throttle.clear(keys[:1])
            return Attempt(True)
        return Attempt(False, throttle.wait(keys))
    except (OSError, sqlite3.Error) as exc:  # fail closed: no count, no check
        log.error("sign-in attempts file %s: %s", throttle.path, exc)
        return Attempt(False, 60.0)


@dataclass
class AdminSession:
    name: str
    via: str  # "password" or "oidc"
    last_seen: float

    def expired(self, now: float, timeout: float) -> bool:
        return now - self.last_seen > timeout
