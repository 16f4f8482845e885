"""Demo names and codes that nobody can take for a real firm: a fixed marker in every company name, credit
codes that fail the USCC check digit, and project names that fit their GB/T group and year."""

from __future__ import annotations

import random
import re

from stdnum.cn import uscc

from core.demo import vocab

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
DOUBLED = re.compile(r"(..+)\1")  # 智能智能, 服务服务


def credit_code(n: int, district: str) -> str:
    """An 18-character code shaped like a unified social credit code whose check digit is deliberately wrong,
    so it can never be a real registration (python-stdnum rejects it)."""
    region = district if district.isdigit() else "440300"
    body = f"91{region}MA5{n:05d}X"[:17]
    right = uscc.calc_check_digit(body)
    return body + USCC_ALPHABET[(USCC_ALPHABET.index(right) + 1) % len(USCC_ALPHABET)]


def company_name(rng: random.Random, division: str, taken: set[str], taken_en: set[str]) -> tuple[str, str]:
    """A demo firm's (Chinese, English) name: a brand of two syllables no other demo firm has, and an English
    name no other demo firm has either (瑞 and 锐 are both "Rui": 富瑞 and 富锐 must not both be "Furui
    Automation")."""
    words = (vocab.COMPANY_WORDS.get(division) or vocab.COMPANY_WORDS.get(division[0])
             or vocab.COMPANY_WORDS["*"])
    while True:
        (a, pa), (b, pb) = rng.sample(vocab.SYLLABLES, 2)
        word_zh, word_en = words[rng.randrange(len(words))]
        english = f"{pa}{pb.lower()} {word_en}"
        if (a + b not in taken and a + b not in vocab.AVOID_BRANDS and pa != pb
                and english.lower() not in taken_en):
            break
    taken.add(a + b)
    taken_en.add(english.lower())
    listed = rng.random() < 0.12
    suffix_zh, suffix_en = ("股份有限公司", "Co., Ltd. (joint-stock)") if listed else ("有限公司", "Co., Ltd.")
    return (f"{vocab.MARKER_ZH}深圳市{a}{b}{word_zh}{suffix_zh}",
            f"{vocab.MARKER_EN}Shenzhen {english} {suffix_en}")


def is_service(code: str) -> bool:
    return code[0] >= "F"


def products_for(group: str, s: int, products: list[dict], group_name: tuple[str, str]) -> list[dict]:
    """What a firm in `group` could have filed in session `s`: the listed products current that year, then
    generic names built on the group's own name (never doubling a word)."""
    listed = [p for p in products if p["group_code"] == group
              and int(p["first_session"]) <= s <= int(p["last_session"])]
    name_zh, name_en = group_name
    stem = name_zh.removesuffix("业").removesuffix("服务") if is_service(group) else name_zh.removesuffix("业")
    forms = vocab.GENERIC_SERVICES if is_service(group) else vocab.GENERIC_GOODS
    generic = [{"name_zh": stem + zh, "name_en": f"{name_en.lower()} {en}", "kind": "generic"} for zh, en in forms]
    return listed + [g for g in generic if not DOUBLED.search(g["name_zh"])]


def project_names(product: dict, s: int) -> list[tuple[str, str]]:
    """Every wording of a record for `product` in session `s`, in a fixed order (claims x prefixes)."""
    claims = vocab.CLAIMS + (vocab.EQUIPMENT_CLAIMS if product["kind"] == "equipment" else [])
    prefixes = vocab.PREFIXES_EARLY if s <= 12 else vocab.PREFIXES_LATE
    zh, en = product["name_zh"], product["name_en"]
    usable = [(p_zh, p_en) for p_zh, p_en in prefixes if not _overlaps(p_zh, zh)]
    names = [(f"{c_zh}{p_zh}{zh}", f"{c_en} {p_en} {en}") for c_zh, c_en in claims for p_zh, p_en in usable]
    names += [(f"{c_zh}{zh}", f"{c_en} {en}") for c_zh, c_en in claims]
    return [n for n in names if not DOUBLED.search(n[0])]


def _overlaps(prefix: str, name: str) -> bool:
    """A prefix that repeats a word already in the name (智能 + 智能手机, 数字化 + 数字程控交换机)."""
    return any(prefix[i:i + 2] in name for i in range(len(prefix) - 1))
