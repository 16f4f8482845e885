"""Every value a chart's description states carries the chart's unit ("67 records", "67项", "85.3%"): a trial
user read "南山区居首，为54" and could not tell 54 of what. Checked for every registered chart in both
languages, and the counts of a ranking and of the qualification mix against plain SQL on the tables.

The qualification mix's "None of these" is no qualification: it is stated apart with its share, never ranked
("None of these (40)" was named second, between two titles)."""

from __future__ import annotations

import re
from dataclasses import replace

import pytest

from core import catalog
from core.charts import alt
from core.filters import parse

QUERY = {"session": "23", "from": "18", "to": "23", "vs": "22"}
NUMBER = re.compile(r"(?<![A-Za-z0-9_.,])\d[\d,]*(?:\.\d+)?")  # "为67" is one: 为 is no letter of a code
# numbers that are no value of the chart: sessions, years, places, how many bars or districts
NOT_VALUES = {
    "en": re.compile(r"[Ss]essions? \d+(?:–\d+)?(?: \(\d{4}(?:–\d{4})?\))?|\d+(?:st|nd|rd|th)\b|\(\d+ in all\)"
                     r"|\bin \d+ of \d+ sessions\b|\bof \d+\b|\band \d+ more\b|\bin \d+ districts\b"),
    "zh": re.compile(r"第\d+(?:–\d+)?届|（\d{4}(?:–\d{4})?年）|第\d+位|共\d+个|\d+个区|\d+个大类|其他\d+个"
                     r"|\d+届中有\d+届"),
}
UNIT = {"en": re.compile(r"%| records?\b| compan(?:y|ies)\b| sessions?\b"), "zh": re.compile(r"%|项|家|届")}


def descriptions(lang: str, **query) -> dict[str, str]:
    options = catalog.load_options()
    filters = parse({"lang": lang, **QUERY, **query}, options).filters
    out = {}
    for name, spec in catalog.CHARTS.items():
        one = filters if spec.context != "district" or filters.districts else replace(filters, districts=("440305",))
        out[name] = alt.text(catalog.build(name, one, options)[0])
    return out


def headline(text: str, lang: str) -> str:
    """The description after its title and filters, whose session numbers and years are no values."""
    if lang == "zh":
        return text.split("。", 1)[1].split("：", 1)[1]
    return text.split(". ", 1)[1].split(": ", 1)[1]


CLAUSE = re.compile(r"[^,;:(，；：（]*$")
NAMED = re.compile(r"\b(?:records|companies)\b", re.IGNORECASE)


def bare(text: str, lang: str) -> list[str]:
    """The values in `text` not followed by a unit, each with the words after it. In English a value in a
    clause whose name already says the unit ("Records from 104 in session 1 to 216 …", "Returning companies
    59 (37.1%)") has it."""
    rest = NOT_VALUES[lang].sub(" ", text)
    return [rest[m.start():m.end() + 12] for m in NUMBER.finditer(rest) if not UNIT[lang].match(rest, m.end())
            and not (lang == "en" and NAMED.search(CLAUSE.search(rest[:m.start()]).group()))]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("query", [{}, {"district": "440306"}])
def test_every_value_in_every_description_carries_its_unit(built_db, lang, query):
    texts = descriptions(lang, **query)
    missing = {name: bare(headline(text, lang), lang) for name, text in texts.items()}
    assert not {name: words for name, words in missing.items() if words}, texts


def test_the_unit_test_sees_a_bare_count():
    assert bare("Nanshan first with 67; then Bao'an (42 records), 3rd of 11 (11 in all)", "en") == ["67; then Bao'a"]
    assert bare("Records from 104 in session 1 to 216 in session 23; Nanshan 5", "en") == ["5"]
    assert bare("南山区居首，为67，其次为宝安区（42项）（共11个）", "zh") == ["67，其次为宝安区（42项）"]


def test_a_ranking_states_its_counts_as_records(sql, built_db):
    rows = sql("SELECT d.name_en, d.name_zh, count(*) AS n FROM records r JOIN districts d USING (district_code) "
               "WHERE session_no = 23 GROUP BY ALL ORDER BY n DESC")
    (en1, zh1, n1), (en2, zh2, n2) = rows[:2]
    assert n1 > n2 > 1
    assert f"{en1} first with {n1} records; then {en2} ({n2} records)" in descriptions("en")["district_ranking"]
    assert f"{zh1}居首，为{n1}项，其次为{zh2}（{n2}项）" in descriptions("zh")["district_ranking"]


def test_a_name_that_says_the_unit_is_not_followed_by_it_again():
    trend = [{"type": "scatter", "x": [1, 23], "y": [104, 216], "name": "Records", "meta": {"unit": "record"}}]
    assert alt._trend(trend, {}, "en") == "Records from 104 in session 1 to 216 in session 23, the highest"
    assert alt._trend(trend, {}, "zh") == "Records从第1届的104项到第23届的216项，为最高"
    named = [{**trend[0], "name": "Nanshan"}]
    assert alt._trend(named, {}, "en") == \
        "Nanshan from 104 records in session 1 to 216 records in session 23, the highest"


def test_one_is_counted_in_the_singular():
    traces = [{"type": "bar", "orientation": "h", "x": [3, 2, 1], "y": ["A", "B", "C"], "meta": {"unit": "session"}}]
    assert alt._ranking(traces, {}, "en") == "A first with 3 sessions; then B (2 sessions), C (1 session)"
    assert alt._ranking(traces, {}, "zh") == "A居首，为3届，其次为B（2届）、C（1届）"


QUALIFICATIONS = {"single_champion": ("Manufacturing single champion", "制造业单项冠军"),
                  "little_giant": ('National "little giant"', "国家级专精特新“小巨人”"),
                  "provincial_srdi": ("Provincial SRDI SME", "省级专精特新中小企业"),
                  "municipal_srdi": ("Municipal SRDI SME", "市级专精特新中小企业")}


@pytest.mark.parametrize(("session", "code"), [(23, None), (22, "440306")])
def test_the_qualification_mix_ranks_the_titles_and_states_none_apart(sql, built_db, session, code):
    mine = f"AND district_code = '{code}'" if code else ""
    rows = sql(f"SELECT qualification, count(*) AS n FROM company_profiles WHERE session_no = {session} {mine} "
               f"GROUP BY ALL ORDER BY n DESC, qualification")
    titles = [(q, n) for q, n in rows if q is not None]
    none = next(n for q, n in rows if q is None)
    share = f"{100 * none / sum(n for _, n in rows):.1f}%"
    assert titles[0][1] > titles[1][1] and titles[-2][1] > titles[-1][1]  # no ties at either end here
    query = {"session": str(session), **({"district": code} if code else {})}

    def companies(n: int) -> str:
        return f"{n} {'company' if n == 1 else 'companies'}"

    en = headline(descriptions("en", **query)["qualification_mix"], "en")
    assert en.startswith(f"{QUALIFICATIONS[titles[0][0]][0]} first with {companies(titles[0][1])}; then ")
    assert en.endswith(f"{QUALIFICATIONS[titles[-1][0]][0]} last with {companies(titles[-1][1])} "
                       f"({len(titles)} in all); None of these: {companies(none)} ({share} of all).")
    zh = headline(descriptions("zh", **query)["qualification_mix"], "zh")
    assert zh.startswith(f"{QUALIFICATIONS[titles[0][0]][1]}居首，为{titles[0][1]}家，其次为")
    assert zh.endswith(f"{QUALIFICATIONS[titles[-1][0]][1]}最少，为{titles[-1][1]}家（共{len(titles)}个）；"
                       f"无上述资质：{none}家（占全部的{share}）。")
    assert en.count("None of these") == 1 and zh.count("无上述资质") == 1


def test_applicants_with_no_title_at_all_are_stated_without_a_ranking():
    traces = [{"type": "bar", "orientation": "h", "x": [3], "y": ["None of these"],
               "meta": {"unit": "company", "apart": ["None of these"]}}]
    assert alt._ranking(traces, {}, "en") == "None of these: 3 companies (100.0% of all)"
