"""Locales: zh and en have the same keys and placeholders; every key the code uses exists; number formats."""

from __future__ import annotations

import ast
import re
import string
from pathlib import Path

import pytest

from core import catalog
from core.i18n import LANGS, fmt_int, fmt_money, fmt_pct, strings, t

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "dashboard.py", *sorted((ROOT / "core").glob("*.py")), *sorted((ROOT / "ui").glob("*.py")),
           *sorted((ROOT / "pages").glob("*.py"))]
PAGES = sorted(p.stem for p in (ROOT / "pages").glob("*.py"))
KEY = re.compile(r"^[a-z_]+(\.[a-z0-9_]+)+$")
FILE_SUFFIXES = {"csv", "duckdb", "py", "sql", "toml", "json", "png", "svg", "pdf", "pptx", "xlsx", "zip", "geojson"}


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _in_fstring_ids(tree: ast.AST) -> set[int]:
    return {id(part) for node in ast.walk(tree) if isinstance(node, ast.JoinedStr) for part in node.values}


def code_keys() -> dict[str, str]:
    """Key literals in the code -> first file using them.

    Two sources: the literal first argument of t(...) / _tr(...), and any other plain string literal shaped
    like a dotted key whose first part is a top-level locale table (keys handed around in variables, such as
    "notice.bad_district"). File names ("records.duckdb") and f-string pieces are skipped.
    """
    tops = {key.split(".")[0] for key in strings("zh")}
    found: dict[str, str] = {}
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        skip = _in_fstring_ids(tree)
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and getattr(node.func, "id", None) in ("t", "_tr") and node.args
                    and isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str)):
                found.setdefault(node.args[0].value, path.name)
            elif (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in skip
                  and KEY.match(node.value) and node.value.split(".")[0] in tops
                  and node.value.rsplit(".", 1)[1] not in FILE_SUFFIXES):
                found.setdefault(node.value, path.name)
    return found


def dynamic_keys() -> set[str]:
    keys = {f"pages.{page}.title" for page in PAGES}
    # widgets.page_header(key, ...) reads pages.<key>.title and pages.<key>.intro
    for path in SOURCES:
        keys |= {f"pages.{key}.intro" for key in re.findall(r"page_header\(\"(\w+)\"", path.read_text("utf-8"))}
    keys |= {f"nav.{page}" for page in PAGES}
    keys |= {f"{spec.text_key}.{part}" for spec in catalog.CHARTS.values() for part in ("title", "unit")}
    return keys


def test_scan_finds_keys():
    keys = code_keys()
    assert len(keys) > 50
    assert {"filters.session", "notice.bad_district", "summary.headline"} <= set(keys)
    assert {"pages.overview.intro", "pages.districts.intro"} <= dynamic_keys()


def test_same_keys_in_both_languages():
    zh, en = set(strings("zh")), set(strings("en"))
    assert sorted(zh - en) == [] and sorted(en - zh) == []


@pytest.mark.parametrize("lang", LANGS)
def test_every_key_used_in_code_exists(lang):
    table = strings(lang)
    missing = {key: where for key, where in code_keys().items() if key not in table}
    assert missing == {}


@pytest.mark.parametrize("lang", LANGS)
def test_every_page_and_chart_key_exists(lang):
    table = strings(lang)
    assert sorted(k for k in dynamic_keys() if k not in table) == []


def test_placeholders_match():
    zh, en = strings("zh"), strings("en")
    differ = {key: (placeholders(zh[key]), placeholders(en[key])) for key in zh.keys() & en.keys()
              if placeholders(zh[key]) != placeholders(en[key])}
    assert differ == {}


@pytest.mark.parametrize("lang", LANGS)
def test_strings_format_cleanly(lang):
    """Every string formats with its own placeholders (catches stray single braces)."""
    for key, text in strings(lang).items():
        assert isinstance(text, str) and text.strip(), key
        t(key, lang, **{name: "x" for name in placeholders(text)})


def test_missing_key_is_visible():
    assert t("no.such.key", "en") == "⟦no.such.key⟧"


@pytest.mark.parametrize(("func", "args", "expected"), [
    (fmt_money, (862_000_000, "zh"), "8.62亿元"),
    (fmt_money, (862_000_000, "en"), "862 million yuan"),
    (lambda *a: fmt_money(*a, short=True), (862_000_000, "en"), "¥862m"),
    (lambda *a: fmt_money(*a, short=True), (1_669_627_000, "en"), "¥1.67bn"),
    (fmt_money, (1_670_000_000, "en"), "1.67 billion yuan"),
    (fmt_money, (35_000_000, "zh"), "3500万元"),
    (fmt_money, (None, "zh"), "–"),
    (fmt_money, (float("nan"), "en"), "–"),
    (fmt_pct, (85.276,), "85.3%"),
    (fmt_pct, (85.276, "en"), "85.3%"),
    (fmt_pct, (75.46, "zh", 0), "75%"),
    (fmt_pct, (None,), "–"),
    (fmt_int, (3684, "en"), "3,684"),
    (fmt_int, (3684, "zh"), "3684"),
    (fmt_int, (216.0, "en"), "216"),
    (fmt_int, (None, "en"), "–"),
])
def test_number_formats(func, args, expected):
    assert func(*args) == expected


@pytest.mark.parametrize("lang", LANGS)
def test_every_import_problem_has_a_message(lang):
    from core.importer import PROBLEM_KEYS

    table = strings(lang)
    assert [k for k in PROBLEM_KEYS if f"import.problem.{k}" not in table] == []
