"""Fields: which columns a list has, how header cells and values are spelled, and how they are understood.

Header and category spellings live in data/raw/import_synonyms.csv (kind, key, spelling), so an
administrator adds a spelling there without touching Python; the fields themselves (key, label, required)
are fixed here because the checks and the writer depend on them.
"""

from __future__ import annotations

import csv
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

import duckdb

from core import build as build_module
from core import config, sessions
from core.districts import alias_key
from core.importer import sql

SYNONYMS = config.IMPORT_SYNONYMS
HEADER_SCAN_ROWS = 30
CATEGORY_SINCE = sessions.CATEGORY_SINCE
# Session numbers the import accepts; data/schema.sql checks the same range on `sessions` and the import
# page's number box uses it (year = sessions.year(N), session names are written up to 99).
SESSION_MIN, SESSION_MAX = 1, 99


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # how messages name the field when the file lacks it
    required: bool
    variants: tuple[str, ...]


# (key, label, required): the order is the order of a typical list.
_FIELD_KEYS = [
    ("seq", "序号 / No.", False),
    ("company", "企业名称 / Company", True),
    ("company_en", "企业英文名称 / Company (English)", False),
    ("credit_code", "统一社会信用代码 / Credit code", False),
    ("project", "项目名称 / Project", True),
    ("project_en", "项目英文名称 / Project (English)", False),
    ("district", "所属区 / District", True),
    ("industry", "行业 / Industry", False),
    ("category", "类别 / Category", False),
    ("award", "获奖情况 / Award", False),
]
CATEGORY_KEYS = ("product_rd", "manufacturing", "modern_service")


def read_synonyms(path: Path = SYNONYMS) -> dict[str, dict[str, tuple[str, ...]]]:
    """{kind: {key: spellings}} from the synonyms CSV; an unknown kind or key stops the import loudly."""
    known = {"header": {k for k, _, _ in _FIELD_KEYS}, "category": set(CATEGORY_KEYS)}
    found: dict[str, dict[str, list[str]]] = {kind: {} for kind in known}
    with open(path, encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            kind, key, spelling = row["kind"].strip(), row["key"].strip(), row["spelling"].strip()
            if kind not in known or key not in known[kind] or not spelling:
                raise ValueError(f"{path.name}, row {line}: unknown kind/key {kind!r}/{key!r} or empty spelling")
            found[kind].setdefault(key, []).append(spelling)
    return {kind: {key: tuple(v) for key, v in keys.items()} for kind, keys in found.items()}


_SYNONYMS = read_synonyms()
FIELDS = [FieldSpec(key, label, required, _SYNONYMS["header"].get(key, ())) for key, label, required in _FIELD_KEYS]
FIELD = {f.key: f for f in FIELDS}
REQUIRED = [f.key for f in FIELDS if f.required]
CATEGORIES = {key: _SYNONYMS["category"].get(key, ()) for key in CATEGORY_KEYS}


def _header_key(text: str) -> str:
    key = alias_key(text)
    key = key.strip("*:：#") if key.strip("*:：#") else key
    return re.sub(r"[_\-*:：]", "", key)


def _without_brackets(key: str) -> str:
    return re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", key)


_HEADER_EXACT = {_header_key(v): f.key for f in FIELDS for v in f.variants}


def match_header(text: str) -> str | None:
    """The field a header cell names, or None (Chinese or English, any width, case or spacing)."""
    if not text.strip():
        return None
    key = _header_key(text)
    return _HEADER_EXACT.get(key) or _HEADER_EXACT.get(_without_brackets(key))


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA (as a spreadsheet labels columns)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


# --- text: normalised, or refused -------------------------------------------------------------------------

# Invisible characters that only make one name look like another: removed, so "深圳市喆\u200b堃" is the company
# "深圳市喆堃" (matched by name, not a second company).
ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))  # and the soft hyphen
# Characters that reorder what a reader sees (a right-to-left override shows "abc\u202edcba" as "abcabcd") or
# that no name holds (NUL, line breaks, other C0/C1 controls, line and paragraph separators): refused with
# file, row and column, because dropping them silently could change what the official meant.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def clean_text(text: str) -> str:
    """A cell as stored and matched: Unicode NFKC (full-width letters, digits and brackets become their
    ordinary forms), zero-width characters removed, outer spaces stripped."""
    return unicodedata.normalize("NFKC", text.translate(ZERO_WIDTH)).translate(ZERO_WIDTH).strip()


def refused_character(text: str) -> tuple[str, str, int] | None:
    """(kind, "U+202E NAME", position from 1) of the first character a cell may not hold, or None;
    kind is "bidi" for direction controls, "control" for NUL and the other control or format characters."""
    if text.isprintable():  # every refused character is unprintable: most cells are checked in C
        return None
    for position, char in enumerate(text, start=1):
        category = unicodedata.category(char)
        if char in BIDI:
            kind = "bidi"
        elif category in ("Cc", "Cf", "Zl", "Zp") and ord(char) not in ZERO_WIDTH:
            kind = "control"
        else:
            continue
        return kind, f"U+{ord(char):04X} {unicodedata.name(char, 'CONTROL')}", position
    return None


# --- values ----------------------------------------------------------------------------------------------

_NO_AWARD = {"", "无", "否", "没有", "暂无", "-", "--", "—", "——", "/", "none", "no", "n/a", "na", "nil", "0"}
_AWARD_WORDS = [
    ("national", ("国家", "national", "state")),
    ("provincial", ("省", "provincial", "guangdong")),
    ("municipal", ("市", "municipal", "city", "shenzhen")),
]


def value_key(text: str) -> str:
    return re.sub(r"[\W_]+", "", alias_key(text))


_CATEGORY_KEYS = {value_key(v): key for key, values in CATEGORIES.items() for v in values}


def parse_category(text: str) -> str | None:
    """product_rd / manufacturing / modern_service, or None when the text is none of them."""
    return _CATEGORY_KEYS.get(value_key(text))


def parse_award(text: str) -> tuple[bool, str | None]:
    """(understood, level): the highest level named (国家级 > 省级 > 市级); blank or 无 means no award."""
    key = alias_key(text)
    if key in _NO_AWARD:
        return True, None
    for level, words in _AWARD_WORDS:
        if any(word in key for word in words):
            return True, level
    return False, None


class IndustryResolver:
    """GB/T 4754 code for an industry cell: a code, a code followed by its name, a name, or a session-1 name."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        rows = sql.run(con, "industries_for_matching")  # divisions win name clashes
        self.codes = {code.upper(): code for code, *_ in rows}
        self.names: dict[str, str] = {}
        for code, name_zh, name_en, _level in rows:
            for name in (name_zh, name_en):
                for variant in self._variants(name):
                    self.names.setdefault(variant, code)
        for row in build_module.read_raw("session1_industries.csv").itertuples():
            self.names.setdefault(value_key(row.industry_raw), row.industry_code)
            self.names.setdefault(value_key(row.name_en), row.industry_code)

    @staticmethod
    def _variants(name: str) -> list[str]:
        key = value_key(name)
        variants = [key]
        for suffix in ("制造业", "服务业", "业", "制造", "服务"):
            if key.endswith(suffix) and len(key) > len(suffix) + 1:
                variants.append(key[: -len(suffix)])
        return variants

    def resolve(self, text: str) -> str | None:
        folded = unicodedata.normalize("NFKC", text).strip()
        if folded.upper() in self.codes:
            return self.codes[folded.upper()]
        lead = re.match(r"([A-Za-z]\d{2,4})(?![0-9])\W*(.*)$", folded)
        if lead and lead.group(1).upper() in self.codes:
            return self.codes[lead.group(1).upper()]
        key = value_key(folded)
        for variant in self._variants(folded):
            if variant in self.names:
                return self.names[variant]
        return self.names.get(key)


def name_id(name: str) -> str:
    """Stable company_id for a company listed without a credit code (never shaped like a credit code)."""
    return "NAME-" + hashlib.sha256(alias_key(name).encode()).hexdigest()[:16].upper()
