"""core/i18n.py's and core/readable.py's small functions one by one, in both languages: number, money, points,
ordinal and date formats, names, session labels, column headers, and table cells in words. Expected strings
are written here literally."""

from __future__ import annotations

import pandas as pd
import pytest

from core import i18n
from core.readable import readable

NAN = float("nan")


def test_flatten_joins_nested_keys_with_dots():
    nested = {"a": {"b": "x", "c": {"d": "y"}}, "e": "z"}
    assert i18n._flatten(nested) == {"a.b": "x", "a.c.d": "y", "e": "z"}
    assert i18n._flatten({"k": "v", "t": {"u": "w"}}, "p.") == {"p.k": "v", "p.t.u": "w"}


@pytest.mark.parametrize(("before", "after", "decimals", "expected"), [
    (80.04, 82.06, 1, 2.0), (80.04, 82.06, 2, 2.02), (82.06, 80.04, 1, -2.0), ("10.5", "12", 1, 1.5),
    (1.0, 0.96, 1, 0.0), (12.0, 12.44, 0, 0.0)])
def test_points_between(before, after, decimals, expected):
    got = i18n.points_between(before, after, decimals)
    assert got == expected and str(got) == str(expected)


def test_points_between_rounds_to_one_decimal_by_default():
    assert str(i18n.points_between(1.0, 3.14159)) == "2.1"


@pytest.mark.parametrize(("x", "lang", "expected"), [
    (2.04, "zh", "+2.0 个百分点"), (2.06, "en", "+2.1 points"), (-0.5, "en", "-0.5 points"),
    (0.0, "zh", "+0.0 个百分点"), (NAN, "en", "–"), (None, "zh", "–")])
def test_fmt_points(x, lang, expected):
    assert i18n.fmt_points(x, lang) == expected


def test_fmt_points_and_money_default_to_chinese():
    assert i18n.fmt_points(1.0) == "+1.0 个百分点"
    assert i18n.fmt_money(3.5e7) == "3500万元"


@pytest.mark.parametrize(("cny", "lang", "short", "expected"), [
    (1e9, "en", True, "¥1.00bn"), (1.234e12, "en", True, "¥1,234.00bn"), (8.62e8, "en", True, "¥862m"),
    (999e6, "en", True, "¥999m"), (5e5, "en", True, "¥0m"),
    (1e9, "en", False, "1.00 billion yuan"), (1.67e9, "en", False, "1.67 billion yuan"),
    (1.234568e13, "en", False, "12,345.68 billion yuan"), (999_999_999, "en", False, "1,000 million yuan"),
    (8.62e8, "en", False, "862 million yuan"), (1e6, "en", False, "1 million yuan"),
    (999_999, "en", False, "999,999 yuan"), (1234.4, "en", False, "1,234 yuan"),
    (1e8, "zh", False, "1.00亿元"), (8.62e8, "zh", False, "8.62亿元"), (1.2345e12, "zh", False, "12345.00亿元"),
    (99_999_999, "zh", False, "10000万元"), (3.5e7, "zh", False, "3500万元"), (1e4, "zh", False, "1万元"),
    (9999, "zh", False, "9999元"), (12345678, "zh", True, "1235万元"), (NAN, "en", False, "–"),
    (None, "zh", True, "–")])
def test_fmt_money(cny, lang, short, expected):
    assert i18n.fmt_money(cny, lang, short=short) == expected


@pytest.mark.parametrize(("n", "expected"), [
    (1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (9, "9th"), (10, "10th"), (11, "11th"), (12, "12th"),
    (13, "13th"), (19, "19th"), (20, "20th"), (21, "21st"), (22, "22nd"), (23, "23rd"), (24, "24th"),
    (100, "100th"), (101, "101st"), (102, "102nd"), (103, "103rd"), (110, "110th"), (111, "111th"),
    (112, "112th"), (113, "113th"), (121, "121st")])
def test_ordinal_in_english(n, expected):
    assert i18n.ordinal(n, "en") == expected


def test_ordinal_otherwise_is_the_number():
    assert [i18n.ordinal(n, "zh") for n in (1, 2, 3, 11, 21)] == ["1", "2", "3", "11", "21"]
    assert i18n.ordinal(22, "fr") == "22"


def test_join_names():
    assert i18n.join_names(["南山区", "宝安区", "福田区"], "zh") == "南山区、宝安区、福田区"
    assert i18n.join_names(["Nanshan", "Bao'an"], "en") == "Nanshan, Bao'an"
    assert i18n.join_names(["Nanshan"], "en") == "Nanshan"


def test_name_picks_the_language_and_falls_back_to_chinese():
    row = {"name_zh": "南山区", "name_en": "Nanshan", "district_zh": "宝安区", "district_en": "Bao'an"}
    assert i18n.name(row, "zh") == "南山区"
    assert i18n.name(row, "en") == "Nanshan"
    assert i18n.name(row, "en", stem="district") == "Bao'an"
    assert i18n.name(row, "zh", "district") == "宝安区"
    assert i18n.name(pd.Series(row), "en") == "Nanshan"
    assert i18n.name({"name_zh": "南山区", "name_en": ""}, "en") == "南山区"
    assert i18n.name({"name_zh": "南山区", "name_en": None}, "en") == "南山区"
    assert i18n.name(pd.Series({"name_zh": "南山区", "name_en": NAN}), "en") == "南山区"
    assert i18n.name({"name_zh": "南山区"}, "en") == "南山区"


def test_session_label():
    assert i18n.session_label(23, "zh") == "第23届（2024年）"
    assert i18n.session_label(23, "en") == "Session 23 (2024)"
    assert i18n.session_label(21, "en", 1999) == "Session 21 (1999)"
    assert i18n.session_label(1, "zh") == "第1届（2002年）"


def test_column_labels_look_in_three_tables_and_keep_unknown_names():
    columns = ["session_no", "city_records", "kind", "no_such_column"]
    assert i18n.column_labels(columns, "zh") == {"session_no": "届次", "city_records": "全市纪录数",
                                                 "kind": "区划类型", "no_such_column": "no_such_column"}
    assert i18n.column_labels(columns, "en") == {"session_no": "Session", "city_records": "City records",
                                                 "kind": "Kind of area", "no_such_column": "no_such_column"}
    assert i18n.column_labels(["session_no"], "fr") == {"session_no": "届次"}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_readable_cells(lang):
    words = {"zh": ("是", "否", "不适用", "无", "无上述资质", "—（无发现）", "演示数据", "现代服务类",
                    "国家级科技进步奖"),
             "en": ("yes", "no", "not applicable", "none", "None of these", "— (none found)", "demo data",
                    "Modern services", "National S&T progress award")}[lang]
    yes, no, na, no_award, no_title, no_example, demo, service, national = words
    frame = pd.DataFrame({
        "category": ["modern_service", None, "unknown_code"], "award_level": ["national", NAN, None],
        "qualification": [None, None, None], "approved": [True, False, None], "flag": [True, False, True],
        "count": [146.0, NAN, 3.0], "share": [1.5, 2.0, NAN], "name": ["甲", None, "丙"],
        "example": [None, "x", None], "source": ["demo", "import", None], "n": [1, 2, 3]})
    out = readable(frame, lang)
    assert out["category"].tolist() == [service, na, "unknown_code"]
    assert out["award_level"].tolist() == [national, no_award, no_award]
    assert out["qualification"].tolist() == [no_title] * 3
    assert out["approved"].tolist() == [yes, no, na]
    assert out["flag"].tolist() == [yes, no, yes]
    assert str(out["count"].dtype) == "Int64" and out["count"].tolist()[::2] == [146, 3]
    assert out["count"].isna().tolist() == [False, True, False]
    assert out["share"].dtype == float
    assert out["name"].tolist() == ["甲", "", "丙"]
    assert out["example"].tolist() == [no_example, "x", no_example]
    assert out["source"].tolist() == [demo, "import", ""]
    assert out["n"].tolist() == [1, 2, 3] and out["n"].dtype.kind == "i"
    assert frame["category"][0] == "modern_service" and frame["approved"][0] is True  # the input is left alone


def test_readable_yes_no_for_the_named_columns_only_when_not_bool():
    frame = pd.DataFrame({"is_high_tech": [1, 0], "selected": pd.array([True, pd.NA], dtype="boolean"),
                          "other": [1, 0]})
    out = readable(frame, "en")
    assert out["is_high_tech"].tolist() == ["yes", "no"]
    assert out["selected"].tolist() == ["yes", "not applicable"]
    assert out["other"].tolist() == [1, 0]
    assert out["is_high_tech"].dtype == object


def test_readable_text_without_gaps_and_whole_float_counts():
    frame = pd.DataFrame({"name": ["a", "b"], "count": [1.0, 2.0], "source": ["demo", "demo"]})
    out = readable(frame, "zh")
    assert out["name"].tolist() == ["a", "b"]
    assert str(out["count"].dtype) == "Int64"
    assert out["source"].tolist() == ["演示数据", "演示数据"]


@pytest.mark.parametrize(("cny", "lang", "short", "expected"), [
    (1_995_000_001, "en", True, "¥2.00bn"), (2_500_001, "en", True, "¥3m"),
    (1_995_000_001, "en", False, "2.00 billion yuan"), (2_500_001, "en", False, "3 million yuan"),
    (100_500_001, "zh", False, "1.01亿元")])
def test_fmt_money_divides_by_exact_powers_of_ten(cny, lang, short, expected):
    # each amount lies a hair above a rounding half: dividing by 1e9 + 1 (or 1e6 + 1, 1e8 + 1) rounds it down
    assert i18n.fmt_money(cny, lang, short=short) == expected


@pytest.mark.parametrize(("value", "lang", "expected"), [
    ("2024-10-30", "zh", "2024年10月30日"), ("2024-10-30", "en", "30 October 2024"),
    (pd.Timestamp("2003-01-05"), "en", "5 January 2003"), (None, "zh", "–"), (NAN, "en", "–"), (pd.NaT, "en", "–"),
    (pd.NA, "zh", "–")])
def test_fmt_date(value, lang, expected):
    assert i18n.fmt_date(value, lang) == expected


def test_t_falls_back_to_chinese_and_marks_an_unknown_key():
    assert i18n.t("cell.yes", "fr") == "是"
    assert i18n.t("cell.yes", "en") == "yes"
    assert i18n.t("no.such.key", "en") == "⟦no.such.key⟧"
    assert i18n.t("filters.session_short", "en", n=5) == "Session 5"


def test_with_labels_reads_headers_and_cells_in_the_language():
    from core.readable import with_labels

    frame = pd.DataFrame({"session_no": [23], "approved": [True], "kind": ["x"]})
    assert with_labels(frame, "en").to_dict("list") == {"Session": [23], "Approved": ["yes"],
                                                    "Kind of area": ["x"]}
    assert list(with_labels(frame, "zh").columns) == ["届次", "入选", "区划类型"]


@pytest.mark.parametrize(("n", "expected"), [(1, "1 chart in the briefing basket"),
                                             (2, "2 charts in the briefing basket"),
                                             ("1,234", "1,234 charts in the briefing basket"),
                                             (0, "0 charts in the briefing basket")])
def test_counted_noun_takes_the_number_of_its_value(n, expected):
    assert i18n.t("basket.count", "en", n=n) == expected


def test_counted_nouns_leave_chinese_and_other_placeholders_alone():
    assert i18n.t("basket.count", "zh", n=1) == "简报篮中有 1 张图表"
    text = i18n.t("profile.text.totals", "en", first=1, last=23, district="{Nanshan}", records=1, companies=1,
                  distinct=1)
    assert text == ("Over sessions 1–23, {Nanshan} had 1 record from 1 company summed over sessions "
                    "(1 distinct company).")


def test_counted_noun_value_with_braces_is_not_read_as_a_placeholder():
    assert i18n.t("basket.count", "en", n="{x}") == "{x} charts in the briefing basket"


def test_counted_noun_without_its_value_is_a_missing_placeholder():
    with pytest.raises(KeyError):
        i18n.t("basket.count", "en")
