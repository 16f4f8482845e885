"""District spellings (core.districts.alias_key through the built alias table) and historical names
(core.districts.name_in_year)."""

from __future__ import annotations

import duckdb
import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.build import district_lookup
from core.districts import alias_key, name_in_year


@pytest.fixture(scope="module")
def lookup(built_db) -> dict[str, str]:
    with duckdb.connect(str(built_db), read_only=True) as con:
        return district_lookup(con)


@pytest.fixture(scope="module")
def names(built_db) -> dict[str, str]:
    with duckdb.connect(str(built_db), read_only=True) as con:
        return dict(con.execute("SELECT district_code, name_zh FROM districts").fetchall())


SPELLINGS = [
    ("440305", ["南山", "南山区", "深圳市南山区", "深圳南山区", "Nanshan", "NANSHAN DISTRICT", "nanshan district",
                " Nanshan  District ", "南山\u3000区", "\u3000深圳市南山区\u3000", "Ｎａｎｓｈａｎ", "南山\t区",
                "Nanshan\u00a0District"]),
    ("440306", ["宝安", "宝安区", "深圳市宝安区", "Bao'an", "Bao’an", "Bao‘an", "BAO’AN DISTRICT", "Baoan",
                "bao'an district", "Bao＇an"]),
    ("440309", ["龙华", "龙华区", "龙华新区", "深圳市龙华新区", "Longhua New Area", "LONGHUA NEW DISTRICT"]),
    ("440310", ["坪山", "坪山区", "坪山新区", "Pingshan"]),
    ("440311", ["光明", "光明区", "光明新区", "Guangming New Area"]),
    ("440303", ["罗湖", "罗湖区", "Luohu District"]),
    ("440304", ["福田", "福田区", "futian"]),
    ("440307", ["龙岗", "龙岗区", "Longgang"]),
    ("440308", ["盐田", "盐田区", "Yantian"]),
    ("SZDP", ["大鹏新区", "大鹏", "Dapeng New District"]),
    ("SZSS", ["深汕特别合作区", "深汕合作区", "Shenshan", "Shenzhen-Shanwei Special Cooperation Zone"]),
]


@pytest.mark.parametrize(("code", "spelling"), [(code, s) for code, spellings in SPELLINGS for s in spellings])
def test_spelling_resolves_through_alias_table(lookup, code, spelling):
    assert lookup.get(alias_key(spelling)) == code


@pytest.mark.parametrize("spelling", ["", "北京市朝阳区", "Nan shan Dist", "南山区区", "Hong Kong", "龙华镇"])
def test_unknown_spellings_do_not_resolve(lookup, spelling):
    assert alias_key(spelling) not in lookup


@pytest.mark.parametrize(("text", "key"), [
    ("Nanshan District", "nanshandistrict"),
    ("NANSHAN DISTRICT", "nanshandistrict"),
    ("南山\u3000区", "南山区"),
    ("Ｎａｎｓｈａｎ", "nanshan"),
    ("Bao’an", "bao'an"),
    ("Bao‘an", "bao'an"),
    ("Bao`an", "bao'an"),
    ("  Bao'an\n", "bao'an"),
])
def test_alias_key(text, key):
    assert alias_key(text) == key


@pytest.mark.parametrize(("code", "name_zh", "year", "expected"), [
    ("440309", "龙华区", 2005, "宝安区"),
    ("440309", "龙华区", 2011, "宝安区"),
    ("440309", "龙华区", 2012, "龙华新区"),
    ("440309", "龙华区", 2014, "龙华新区"),
    ("440309", "龙华区", 2016, "龙华新区"),
    ("440309", "龙华区", 2017, "龙华区"),
    ("440309", "龙华区", 2020, "龙华区"),
    ("440310", "坪山区", 2008, "龙岗区"),
    ("440310", "坪山区", 2009, "坪山新区"),
    ("440310", "坪山区", 2016, "坪山新区"),
    ("440310", "坪山区", 2017, "坪山区"),
    ("440311", "光明区", 2006, "宝安区"),
    ("440311", "光明区", 2007, "光明新区"),
    ("440311", "光明区", 2017, "光明新区"),
    ("440311", "光明区", 2018, "光明区"),
    ("SZDP", "大鹏新区", 2011, "龙岗区"),
    ("SZDP", "大鹏新区", 2012, "大鹏新区"),
    ("SZDP", "大鹏新区", 2024, "大鹏新区"),
    ("440305", "南山区", 2002, "南山区"),
    ("440305", "南山区", 2024, "南山区"),
    ("SZSS", "深汕特别合作区", 2024, "深汕特别合作区"),
])
def test_name_in_year(code, name_zh, year, expected):
    assert name_in_year(code, name_zh, year) == expected


@pytest.mark.parametrize("code", ["440303", "440304", "440305", "440306", "440307", "440308", "440309", "440310",
                                  "440311", "SZDP", "SZSS"])
@pytest.mark.parametrize("year", range(2002, 2026))
def test_every_historical_name_is_a_known_alias(lookup, names, code, year):
    """Whatever a list of any year printed must resolve: today's district, its new area or its parent."""
    name_zh = names[code]
    printed = name_in_year(code, name_zh, year)
    resolved = lookup.get(alias_key(printed))
    assert resolved is not None
    if printed != name_zh:  # listed under the parent district or the new area
        assert resolved in {code, "440306", "440307"}
    else:
        assert resolved == code


# --- properties ------------------------------------------------------------------------------------------

# Letters, digits, CJK district characters, apostrophes and hyphens: what district spellings are made of
# (no combining marks, whose composition a space could break).
SPELLING = st.text(alphabet=st.sampled_from(list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
                                                 "'’‘`-.深圳市南山宝安龙华岗坪光明福田罗湖盐大鹏汕特别合作区新")
                                            + ["Ｎ", "ａ", "３"]), max_size=30)
WHITESPACE = st.text(alphabet=st.sampled_from([" ", "\t", "\n", "\u3000", "\u00a0", "\r"]), min_size=1, max_size=3)


@given(SPELLING)
def test_alias_key_is_idempotent(text):
    assert alias_key(alias_key(text)) == alias_key(text)


@given(SPELLING)
def test_alias_key_ignores_case(text):
    assert alias_key(text.upper()) == alias_key(text.lower()) == alias_key(text)


@given(SPELLING, st.lists(st.tuples(st.integers(min_value=0), WHITESPACE), max_size=5))
def test_alias_key_ignores_inserted_whitespace(text, inserts):
    spaced = text
    for position, blank in inserts:
        cut = position % (len(spaced) + 1)
        spaced = spaced[:cut] + blank + spaced[cut:]
    assert alias_key(spaced) == alias_key(text)


@given(SPELLING)
def test_alias_key_has_no_whitespace_or_curly_apostrophes(text):
    key = alias_key(text)
    assert not any(ch.isspace() for ch in key)
    assert not set(key) & {"’", "‘", "`"}
