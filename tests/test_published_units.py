"""core/published.py's pieces one by one, in both languages: the figure's name, its number with the unit, the
sessions it covers, the published and the derived value, the match, and the About page's two tables. Expected
strings are written here literally from the locale files' wording."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from core import published as pub

NAN = float("nan")
DISTRICTS = {"440305": ("南山区", "Nanshan"), "440306": ("宝安区", "Bao'an")}


def row(**values) -> pd.Series:
    base = {"metric": "records", "value_text": None, "derived_text": None, "comparison": "eq", "published": 146.0,
            "published_max": NAN, "derived": 146.0, "decimals": 0, "unit": "records", "matches": True,
            "session_from": 23, "session_to": 23}
    return pd.Series({**base, **values})


@pytest.mark.parametrize(("value", "decimals", "lang", "expected"), [
    (1234.56, 1, "en", "1,234.6"), (1234.56, 1, "zh", "1234.6"), (1234.56, 2, "en", "1,234.56"),
    (1234.6, 0, "en", "1,235"), (1234.6, 0, "zh", "1235"), (NAN, 1, "en", "—"), (NAN, 0, "zh", "—")])
def test_number(value, decimals, lang, expected):
    assert pub._number(value, decimals, lang) == expected


@pytest.mark.parametrize(("metric", "text", "lang", "expected"), [
    ("programme_prizes", "gold", "zh", "活动奖项 · 金奖"),
    ("programme_prizes", "silver", "en", "Programme prize · Silver award"),
    ("records_in_published_industry", "C39", "zh", "某行业的纪录数 · C39"),
    ("records_in_published_industry", "C39", "en", "Records in one industry · C39"),
    ("applicant_companies", "ignored", "zh", "申报企业数"), ("applicant_companies", None, "en", "Applicant companies")])
def test_label(metric, text, lang, expected):
    assert pub.label(row(metric=metric, value_text=text), lang) == expected


@pytest.mark.parametrize(("unit", "value", "decimals", "lang", "expected"), [
    ("million CNY", 862, 0, "zh", "8.62亿元"), ("million CNY", 862, 0, "en", "862 million yuan"),
    ("million CNY", "35", 0, "zh", "3500万元"),
    ("%", 85.34, 1, "zh", "85.3%"), ("%", 1234.5, 1, "en", "1,234.5%"),
    ("percentage points", 7, 0, "zh", "7 个百分点"), ("percentage points", 7.25, 1, "en", "7.2 points"),
    ("records", 1234, 0, "en", "1,234"), ("records", 1234, 0, "zh", "1234"), ("companies", 12.5, 1, "en", "12.5")])
def test_measured(unit, value, decimals, lang, expected):
    assert pub._measured(value, row(unit=unit, decimals=decimals), lang) == expected


@pytest.mark.parametrize(("first", "last", "lang", "expected"), [
    (23, 23, "zh", "第23届"), (23, 23, "en", "Session 23"), (21, 23, "zh", "第21–23届（2022–2024年）"),
    (21, 23, "en", "Sessions 21–23 (2022–2024)"), (22.0, 23.0, "en", "Sessions 22–23 (2023–2024)")])
def test_scope(first, last, lang, expected):
    assert pub.scope(row(session_from=first, session_to=last), lang) == expected


@pytest.mark.parametrize(("values", "lang", "expected"), [
    ({"comparison": "between", "published": 51.0, "published_max": 59.0}, "zh", "51–59"),
    ({"comparison": "between", "published": 1234.0, "published_max": 1259.0, "decimals": 1}, "en", "1,234–1,259"),
    ({"value_text": "南山区"}, "zh", "南山区"),
    ({"metric": "applicants_top_districts", "value_text": "440305>440306>440399"}, "en", "Nanshan > Bao'an > 440399"),
    ({"metric": "applicants_top_districts", "value_text": "440306>440305"}, "zh", "宝安区 > 南山区"),
    ({"value_text": ""}, "en", "146"),
    ({"value_text": NAN, "published": 1234.0}, "en", "1,234"),
    ({"metric": "programme_prizes", "value_text": "gold", "published": 3.0}, "zh", "3"),
    ({"metric": "records_in_published_industry", "value_text": "C39", "comparison": "le", "published": 1234.0},
     "en", "at most 1,234"),
    ({"comparison": "le", "published": 77.0}, "zh", "不超过 77"),
    ({"comparison": "gt", "published": 12.25, "decimals": 1, "unit": "%"}, "en", "more than 12.2"),
    ({"comparison": "gt", "published": 1234.0}, "zh", "超过 1234"),
    ({"published": 85.3, "decimals": 1, "unit": "%"}, "zh", "85.3%"),
    ({"published": 862.0, "unit": "million CNY"}, "en", "862 million yuan")])
def test_published(values, lang, expected):
    assert pub.published(row(**values), lang, DISTRICTS) == expected


def test_published_district_order_without_names_keeps_the_codes():
    assert pub.published(row(metric="applicants_top_districts", value_text="440305>440306"), "en") == \
        "440305 > 440306"
    assert pub.derived(row(metric="applicants_top_districts", derived_text="440306"), "zh") == "440306"


@pytest.mark.parametrize(("values", "lang", "expected"), [
    ({"comparison": "reported", "derived_text": "x", "derived": 5.0}, "zh", "纪录名单中无此项"),
    ({"comparison": "reported"}, "en", "not in record lists"),
    ({"derived_text": "金奖"}, "zh", "金奖"),
    ({"metric": "applicants_top_districts", "derived_text": "440305>440306"}, "en", "Nanshan > Bao'an"),
    ({"derived_text": "", "derived": 1234.0}, "en", "1,234"),
    ({"derived_text": NAN, "derived": 1234.0}, "zh", "1234"),
    ({"derived": NAN, "decimals": 1.0}, "en", "—"),
    ({"derived": NAN, "unit": "million CNY"}, "zh", "—"),
    ({"derived": 862.0, "unit": "million CNY"}, "zh", "8.62亿元"),
    ({"derived": 85.34, "decimals": 1, "unit": "%"}, "en", "85.3%"),
    ({"comparison": "between", "derived": 57.0}, "en", "57")])
def test_derived(values, lang, expected):
    assert pub.derived(row(**values), lang, DISTRICTS) == expected


@pytest.mark.parametrize(("matches", "lang", "expected"), [
    (True, "zh", "✅ 一致"), (True, "en", "✅ matches"), (False, "zh", "❌ 不一致"), (False, "en", "❌ differs"),
    (1, "en", "✅ matches"), (0, "en", "❌ differs"), (NAN, "zh", "➖ 无法由纪录得出"),
    (None, "en", "➖ not derivable from records")])
def test_status(matches, lang, expected):
    assert pub.status(pd.Series({"matches": matches}, dtype=object), lang) == expected


DERIVED = pd.DataFrame({"session_no": [22, 23, 23], "metric": ["applicant_companies", "applicant_companies",
                                                                 "applicants_high_tech"],
                        "value": [500.0, 1234.0, 77.0], "how_zh": ["甲", "乙", "丙"], "how_en": ["A", "B", "C"]})


@pytest.mark.parametrize(("session", "metric", "value", "lang", "expected"), [
    (23, "applicant_companies", 1234, "en", "B"), (23, "applicant_companies", 1234.0, "zh", "乙"),
    (22, "applicant_companies", 500, "en", "A"), (23, "applicants_high_tech", 77, "fr", "丙"),
    (22, "applicant_companies", 1234, "en", None), (23, "applicants_high_tech", 1234, "en", None),
    (23, "applicant_companies", 77, "en", None), (21, "applicant_companies", 500, "zh", None),
    (23, "applicant_companies", NAN, "en", None), (23, "applicant_companies", None, "zh", None)])
def test_derived_note(session, metric, value, lang, expected):
    assert pub.derived_note(DERIVED, session, metric, value, lang) == expected


def test_derived_table_in_both_languages():
    zh = pub.derived_table(DERIVED, "zh")
    assert list(zh.columns) == ["session_no", "数字", "数值", "推算方法"]
    assert zh.values.tolist() == [[22, "申报企业数", "500", "甲"], [23, "申报企业数", "1234", "乙"],
                                  [23, "申报企业中国家高新技术企业数", "77", "丙"]]
    en = pub.derived_table(DERIVED, "en")
    assert list(en.columns) == ["session_no", "Figure", "Value", "How derived"]
    assert en.values.tolist() == [[22, "Applicants", "500", "A"], [23, "Applicants", "1,234", "B"],
                                  [23, "High-tech applicants", "77", "C"]]


PRIZES = pd.DataFrame({"session_no": [23, 23], "year": [2024, 2024], "prize": ["gold", "organisation"],
                       "published": [1200, 5], "records": [1200.0, NAN], "unit": ["records", "organisations"],
                       "extra": ["x", "y"]})


def test_prizes_table_in_both_languages():
    zh = pub.prizes_table(PRIZES, "zh")
    assert list(zh.columns) == ["session_no", "year", "奖项", "published", "records", "unit"]
    assert zh.values.tolist() == [[23, 2024, "金奖", 1200, "1200", "records"],
                                  [23, 2024, "优秀组织奖（颁给行业协会）", 5, "纪录名单中无此项", "organisations"]]
    en = pub.prizes_table(PRIZES, "en")
    assert list(en.columns) == ["session_no", "year", "Prize", "published", "records", "unit"]
    assert en.values.tolist() == [[23, 2024, "Gold award", 1200, "1,200", "records"],
                                  [23, 2024, "Organisation award (to associations)", 5, "not in record lists",
                                   "organisations"]]
    assert not math.isnan(PRIZES["records"][0])  # the input is left as it was
    assert PRIZES["prize"].tolist() == ["gold", "organisation"]


def test_a_code_like_text_is_read_as_districts_only_for_the_district_order_figure():
    assert pub.published(row(value_text="440305"), "en", DISTRICTS) == "440305"
    assert pub.derived(row(derived_text="440305>440306"), "zh", DISTRICTS) == "440305>440306"


def test_measured_money_is_not_rounded_before_the_format():
    # 2.499999 million: 2,499,999 yuan, "2 million" (a factor a millionth too large would make it 2,500,001: "3")
    assert pub._measured("2.499999", row(unit="million CNY"), "en") == "2 million yuan"


def test_a_citations_link_reads_as_the_address():
    text = pub.citation_markdown("P", "T", "2024", "https://a.example/x")
    assert re.sub(r"\\(.)", r"\1", text.replace("\u2060", "")) == "P: *T*, 2024, [https://a.example/x](<https://a.example/x>)"


def test_an_address_without_its_slashes_is_text_not_a_link():
    """Only an http(s):// address becomes a link target ("http:example.org" is shown as text)."""
    assert "](" not in pub.citation_markdown("P", "T", "2024-01-01", "http:example.org")
