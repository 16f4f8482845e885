"""A briefing basket as it travels to and from the browser's storage (ui/basket_keeper.py).

Officials build a briefing over an afternoon; a reload, a link typed into the address bar or a new tab starts a
new Streamlit session, whose session_state is empty, so the basket is kept in the browser (localStorage, per
origin) and handed back to the new session. What comes back from a browser is untrusted: `clean` keeps only
entries of the shape the basket page writes, bounded in number and size. Chart names and query values are
only ever used through the chart catalogue and Filters.parse, which accept known values only.
"""

from __future__ import annotations

import json
import re

MAX_ENTRIES = 40
CAPTION_MAX = 160  # as core.briefing.CAPTION_MAX
MAX_TEXT = 64 * 1024  # characters of stored JSON: a full basket of long captions is ~15 K
_ID = re.compile(r"^[0-9a-f]{32}$")
_NAME = re.compile(r"^[a-z0-9_]{1,64}$")
_KEY = re.compile(r"^[a-z_]{1,16}$")


def dumps(entries: list[dict]) -> str:
    return json.dumps(clean(entries), ensure_ascii=False, separators=(",", ":"))


def loads(text) -> list[dict]:
    """Entries from what a browser stored ([] for anything that is not a basket)."""
    if not isinstance(text, str) or len(text) > MAX_TEXT:
        return []
    try:
        return clean(json.loads(text))
    except (ValueError, RecursionError):  # RecursionError: "[[[[..." nested past Python's limit
        return []


def clean(raw) -> list[dict]:
    """Entries as the basket page uses them: name, query, caption, id and any small context (a page's own
    values, such as a district or a session pair); anything else is dropped."""
    if not isinstance(raw, list):
        return []
    out = []
    for item in raw[:MAX_ENTRIES]:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str) or not _NAME.match(item["name"]):
            continue
        entry = {"name": item["name"], "query": _values(item.get("query")),
                 "caption": item["caption"][:CAPTION_MAX] if isinstance(item.get("caption"), str) else ""}
        if isinstance(item.get("id"), str) and _ID.match(item["id"]):
            entry["id"] = item["id"]
        if isinstance(item.get("context"), dict):
            entry["context"] = _values(item["context"])
        out.append(entry)
    return out


def merge(stored: list[dict], current: list[dict]) -> list[dict]:
    """The stored basket, then what this session added before the browser's copy arrived (no repeats)."""
    seen = {json.dumps(e, sort_keys=True) for e in stored}
    return clean(stored + [e for e in current if json.dumps(e, sort_keys=True) not in seen])


def _values(raw) -> dict:
    """URL-like values only: short strings, or short lists of short strings (districts, industries)."""
    if not isinstance(raw, dict):
        return {}
    out = {}
    for key, value in list(raw.items())[:16]:
        if not isinstance(key, str) or not _KEY.match(key):
            continue
        if isinstance(value, str) and len(value) <= 64:
            out[key] = value
        elif isinstance(value, list):
            out[key] = [v for v in value[:32] if isinstance(v, str) and len(v) <= 64]
    return out
