"""core.filters: URL parsing (good, lists, repeats, case, bad values), round trip, and the words for a view."""

from __future__ import annotations

import pytest

from core import catalog
from core import filters as filters_module
from core.filters import Filters, defaults, describe, parse
from core.i18n import t


@pytest.fixture(scope="module")
def opts(built_db):
    return catalog.load_options()


DEFAULT = Filters(session=23, session_from=1, session_to=23)

GOOD = [
    ({}, DEFAULT),
    ({"session": "22"}, Filters(22, 1, 23)),
    ({"session": ["21"]}, Filters(21, 1, 23)),
    ({"session": " 5 "}, Filters(5, 1, 23)),
    ({"from": "3", "to": "10"}, Filters(23, 3, 10)),
    ({"from": "7", "to": "7"}, Filters(23, 7, 7)),
    ({"district": "440305"}, Filters(23, 1, 23, ("440305",))),
    ({"district": "440305,440306"}, Filters(23, 1, 23, ("440305", "440306"))),
    ({"district": ["440305", "440306"]}, Filters(23, 1, 23, ("440305", "440306"))),
    ({"district": ["440305", "440305,440306", "440305"]}, Filters(23, 1, 23, ("440305", "440306"))),
    ({"district": "szdp,SZSS"}, Filters(23, 1, 23, ("SZDP", "SZSS"))),
    ({"district": "440305, ,"}, Filters(23, 1, 23, ("440305",))),
    ({"industry": "c39"}, Filters(23, 1, 23, (), ("C39",))),
    ({"industry": ["C39", "c35", "C39"]}, Filters(23, 1, 23, (), ("C39", "C35"))),
    ({"lang": "en"}, Filters(23, 1, 23, lang="en")),
    ({"lang": "zh"}, DEFAULT),
    ({"session": "23", "district": "440305", "lang": "en"}, Filters(23, 1, 23, ("440305",), lang="en")),
]


@pytest.mark.parametrize(("query", "expected"), GOOD, ids=[str(q) for q, _ in GOOD])
def test_parse_good(opts, query, expected):
    parsed = parse(query, opts)
    assert parsed.notices == []
    assert parsed.filters == expected


BAD = [
    # query, expected filters, one text per notice (notices are in the language asked for, else Chinese)
    ({"session": "99"}, DEFAULT, [t("notice.bad_session", "zh", param="session", value="99")]),
    ({"session": "abc"}, DEFAULT, [t("notice.bad_session", "zh", param="session", value="abc")]),
    ({"session": "0"}, DEFAULT, ["session=0"]),
    ({"session": "-1"}, DEFAULT, ["session=-1"]),
    ({"session": "22,23"}, DEFAULT, ["session=22,23"]),
    ({"session": ""}, DEFAULT, ["session="]),
    ({"from": "x"}, DEFAULT, [t("notice.bad_session", "zh", param="from", value="x")]),
    ({"to": "30"}, DEFAULT, [t("notice.bad_session", "zh", param="to", value="30")]),
    ({"from": "10", "to": "3"}, DEFAULT, [t("notice.bad_range", "zh", first=10, last=3)]),
    ({"district": "XYZ"}, DEFAULT, [t("notice.bad_district", "zh", value="XYZ")]),
    ({"district": "440305,XYZ,abc"}, Filters(23, 1, 23, ("440305",)),
     [t("notice.bad_district", "zh", value="XYZ、abc")]),
    ({"industry": "Z99"}, DEFAULT, [t("notice.bad_industry", "zh", value="Z99")]),
    ({"lang": "fr"}, DEFAULT, [t("notice.bad_lang", "zh", value="fr")]),
    ({"lang": "en", "session": "abc", "district": "XYZ,Q"}, Filters(23, 1, 23, lang="en"),
     [t("notice.bad_session", "en", param="session", value="abc"), t("notice.bad_district", "en", value="XYZ, Q")]),
    ({"session": "99", "district": "XYZ", "industry": "Z99", "lang": "de"}, DEFAULT,
     ["99", "XYZ", "Z99", "de"]),
]


@pytest.mark.parametrize(("query", "expected", "texts"), BAD, ids=[str(q) for q, _, _ in BAD])
def test_parse_bad_values_give_notice_and_default(opts, query, expected, texts):
    parsed = parse(query, opts)
    assert parsed.filters == expected
    assert len(parsed.notices) == len(texts), parsed.notices
    joined = "\n".join(parsed.notices)
    for text in texts:
        assert text in joined


ODD = [
    # the same raw value for every parameter: a number is a valid session but neither a district nor a division
    (None, DEFAULT, []),
    (5, Filters(5, 5, 5), ["5", "5"]),
    (["22"], Filters(22, 22, 22), ["22", "22"]),
    (("23",), Filters(23, 23, 23), ["23", "23"]),
    ([None, "23"], Filters(23, 23, 23), ["23", "23"]),
]


@pytest.mark.parametrize(("raw", "expected", "bad"), ODD, ids=[repr(o[0]) for o in ODD])
def test_parse_odd_types(opts, raw, expected, bad):
    parsed = parse({"session": raw, "district": raw, "industry": raw, "from": raw, "to": raw}, opts)
    assert parsed.filters == expected
    assert len(parsed.notices) == len(bad)
    if bad:
        assert parsed.notices == [t("notice.bad_district", "zh", value=bad[0]),
                                  t("notice.bad_industry", "zh", value=bad[1])]


ROUND_TRIP = [
    DEFAULT,
    Filters(22, 1, 23),
    Filters(23, 5, 20, ("440305", "440306"), ("C39",), "en"),
    Filters(1, 1, 1, ("SZDP",), ("C39", "C35")),
    Filters(11, 3, 11, lang="en"),
]


@pytest.mark.parametrize("filters", ROUND_TRIP, ids=str)
def test_query_round_trips(opts, filters):
    query = filters.query()
    assert all(isinstance(v, str) for v in query.values())
    parsed = parse(query, opts)
    assert parsed.notices == [] and parsed.filters == filters


def test_query_shape():
    assert DEFAULT.query() == {"session": "23", "from": "1", "to": "23"}
    assert Filters(23, 1, 23, ("440305", "440306"), ("C39",), "en").query() == {
        "session": "23", "from": "1", "to": "23", "district": "440305,440306", "industry": "C39", "lang": "en"}


def test_defaults(opts):
    assert opts.latest == 23 and opts.sessions == tuple(range(1, 24))
    assert defaults(opts) == DEFAULT
    assert defaults(opts, "en") == DEFAULT.with_lang("en")


DESCRIBE = [
    (Filters(23, 1, 23, ("440305", "440306")), "session", "第23届 · 南山区、宝安区"),
    (Filters(23, 1, 23, ("440305", "440306"), lang="en"), "session", "Session 23 · Nanshan, Bao'an"),
    (DEFAULT, "session", "第23届 · 全市"),
    (DEFAULT, "range", "第1–23届（2002–2024年） · 全市"),
    (Filters(23, 1, 23, ("440305",), ("C39",)), "session", "第23届 · 南山区 · 计算机、通信和其他电子设备制造业"),
]


@pytest.mark.parametrize(("filters", "scope", "expected"), DESCRIBE, ids=[d[2] for d in DESCRIBE])
def test_describe(opts, filters, scope, expected):
    assert describe(filters, opts, scope) == expected


def test_describe_english_range_and_all(opts):
    assert describe(DEFAULT.with_lang("en"), opts, "range") == "Sessions 1–23 (2002–2024) · Whole city"
    assert describe(Filters(22, 4, 21, ("SZDP",), lang="en"), opts, "range") == "Sessions 4–21 (2005–2022) · Dapeng"
    assert describe(Filters(22, 4, 21, ("SZDP",), lang="en"), opts, "session") == "Session 22 · Dapeng"


def test_describe_shortens_long_industry_lists(opts):
    many = tuple(list(opts.industries)[:12])
    text = describe(Filters(23, 1, 23, (), many), opts)
    assert text.endswith("…") and len(text.split(" · ")[-1]) == 60


def test_params(opts):
    f = Filters(22, 3, 20, ("440305",), ("C39",))
    assert f.params() == {"session": 22, "session_from": 3, "session_to": 20, "districts": ["440305"],
                          "industries": ["C39"]}


def test_notices_follow_the_language_asked_for(opts):
    parsed = parse({"lang": "en", "from": "x", "to": "99", "industry": "Z99"}, opts)
    assert parsed.notices == [t("notice.bad_session", "en", param="from", value="x"),
                              t("notice.bad_session", "en", param="to", value="99"),
                              t("notice.bad_industry", "en", value="Z99")]
    assert parse({"lang": "en", "from": "9", "to": "4"}, opts).notices == [
        t("notice.bad_range", "en", first=9, last=4)]
    assert parse({"lang": "en"}, opts).filters.lang == "en"
    assert parse({"lang": "en", "session": "x"}, opts).filters == Filters(23, 1, 23, lang="en")


def test_describe_defaults_to_the_session_and_joins_english_names_with_commas(opts):
    a, b = sorted(opts.industries, key=lambda code: len(opts.industries[code][1]))[:2]  # the two shortest names
    f = Filters(22, 4, 21, (), (a, b), lang="en")
    assert describe(f, opts) == f"Session 22 · Whole city · {opts.industries[a][1]}, {opts.industries[b][1]}"


def test_an_industry_list_of_exactly_60_characters_is_not_shortened():
    assert filters_module._shorten("x" * 60, 60) == "x" * 60
    assert filters_module._shorten("x" * 61, 60) == "x" * 59 + "…"


def test_describe_joins_chinese_names_with_the_enumeration_comma(opts):
    a, b = sorted(opts.industries, key=lambda code: len(opts.industries[code][0]))[:2]
    f = Filters(22, 4, 21, (), (a, b), lang="zh")
    assert describe(f, opts) == f"第22届 · 全市 · {opts.industries[a][0]}、{opts.industries[b][0]}"
