"""core.markup.escape_markdown character by character: the expected text is written out by hand.

The page tests (test_untrusted_text.py) show hostile names inert in the app; these say exactly what the escaping
turns each character into, so a dropped or changed escape fails here in milliseconds (and under mutation).
"""

from __future__ import annotations

import string

import pytest

from core.markup import escape_markdown

WJ = "\u2060"  # word joiner: invisible, breaks Streamlit's bare-link and :emoji: patterns


@pytest.mark.parametrize("text, expected", [
    ("[x](https://evil)", "\\[x\\]\\(https\\:" + WJ + "\\/\\/evil\\)"),
    ("![](p.png)", "\\!\\[\\]\\(p" + WJ + "\\.png\\)"),
    ("wang@example.cn", "wang\\@" + WJ + "example" + WJ + "\\.cn"),
    (":red[alarm]", "\\:" + WJ + "red\\[alarm\\]"),
    ("$x$ *b* _i_ `c`", "\\$x\\$ \\*b\\* \\_i\\_ \\`c\\`"),
    ("# heading\n- item\r\nnext\u2028a\u2029b", "\\# heading \\- item  next a b"),
    ("南山区 科技", "南山区 科技"),
    ("", ""),
])
def test_escaped_text(text, expected):
    assert escape_markdown(text) == expected


def test_every_ascii_punctuation_character_gets_a_backslash():
    special = {":": "\\:" + WJ, "@": "\\@" + WJ, ".": WJ + "\\."}
    for c in string.punctuation:
        assert escape_markdown(c) == special.get(c, "\\" + c), c


def test_letters_digits_and_spaces_are_left_alone():
    plain = string.ascii_letters + string.digits + " \t"
    assert escape_markdown(plain) == plain


def test_a_number_or_none_is_escaped_as_its_text():
    assert escape_markdown(1234.5) == "1234" + WJ + "\\.5"
    assert escape_markdown(None) == "None"
