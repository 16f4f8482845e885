"""core.summary: which queries the paragraph asks for, and the paragraph for hand-made results (no database), written
out in full so every number, order and dropped sentence is checked."""

from __future__ import annotations

import pandas as pd
import pytest

from core import summary
from core.filters import Filters

EN = Filters(7, 2, 9, ("440305",), ("C39",), "en")


def kpis(records=1234, awarded=3, applicants=600, previous_share=44.6, with_previous=True) -> pd.DataFrame:
    rows = [{"session_no": 7, "records": records, "companies": 560, "industries": 12, "awarded": awarded,
             "applicants": applicants, "high_tech_share": 81.26, "mean_revenue_cny": 1.5e9, "qualified_share": 40.4}]
    if with_previous:
        rows.append({"session_no": 6, "records": 900, "companies": 400, "industries": 10, "awarded": 0,
                     "applicants": 500, "high_tech_share": 70.0, "mean_revenue_cny": 1e9,
                     "qualified_share": previous_share})
    return pd.DataFrame(rows)


def data(**changes) -> summary.SummaryFacts:
    base = {
        "kpis": kpis(),
        "categories": pd.DataFrame({"category": ["product_rd", "manufacturing", "modern_service"],
                                    "records": [700, 300, 234]}),
        "industries": pd.DataFrame({"name_en": ["A", "B", "C", "C", "D", "E"],
                                    "name_zh": ["甲", "乙", "丙", "丙", "丁", "戊"],
                                    "records": [10, 30, 12, 13, 5, 1]}),
        "cumulative_before": pd.DataFrame({"records": [5000], "companies_summed": [2100], "groups": [85]}),
        "qualifications": pd.DataFrame({"qualification": ["single_champion", "little_giant", None],
                                        "companies": [2, 3, 595]}),
        "districts": pd.DataFrame({"district_code": ["440303", "440304", "440305", "440306", "440307"],
                                   "name_en": ["Luohu", "Futian", "Nanshan", "Bao'an", "Longgang"],
                                   "name_zh": ["罗湖区", "福田区", "南山区", "宝安区", "龙岗区"],
                                   "applicants": [50, 80, 300, 120, 50],
                                   "records": [10, 20, 90, 40, 30],
                                   # district_ranking flags the selected districts; none here: the paragraph
                                   # speaks of every district
                                   "selected": [False] * 5}),
    }
    return summary.SummaryFacts(**{**base, **changes})


HEADLINE = ("Session 7 (2008) of the Shenzhen Enterprise Innovation Records approved 1,234 records from 560 companies "
            "in 12 industries, such as B, C, A, D.")
CATEGORIES = ("They comprise 700 product R&D, 300 production and manufacturing, and 234 modern service records.")
AWARDS = "3 of the records won national, provincial or municipal science and technology progress awards."
CUMULATIVE = ("The first 6 sessions approved 5,000 records from 2,100 companies (summed over sessions), covering 85 "
              "sub-industries.")
APPLICANTS = ("Of this session's applicants, 81.3% are national high-tech enterprises, with a mean annual sales "
              "revenue of 1.50 billion yuan.")
QUALIFIED = ('2 manufacturing single champions, 3 national "little giants", 0 provincial and 0 municipal SRDI SMEs '
             "together make up 40% of applicants{change}.")
DOWN = ", down 4 points on the previous session"  # 40.4 - 44.6 = -4.2, rounded once
DISTRICTS = "Nanshan has the most applicants, followed by Bao'an, Futian, Longgang."


def test_full_paragraph_in_english():
    assert summary.paragraph(data(), EN) == " ".join(
        [HEADLINE, CATEGORIES, AWARDS, CUMULATIVE, APPLICANTS, QUALIFIED.format(change=DOWN), DISTRICTS])


def test_full_paragraph_in_chinese_has_no_spaces_between_sentences():
    assert summary.paragraph(data(), EN.with_lang("zh")) == (
        "第7届（2008年）深圳企业创新纪录共评审通过560家企业的1234项纪录，涉及乙、丙、甲、丁等12个行业。"
        "其中产品研发类700项、生产制造类300项、现代服务类234项。3项纪录获得国家、省、市科学技术进步奖。"
        "前6届累计发布纪录5000项，涉及企业2100家次，覆盖85个细分行业。"
        "本届申报企业中，国家高新技术企业占81.3%，平均年销售收入15.00亿元。"
        "制造业单项冠军2家、国家级专精特新“小巨人”3家、省级专精特新中小企业0家、市级专精特新中小企业0家，"
        "合计占40%，较上届下降4个百分点。申报企业数以南山区居首，其次为宝安区、福田区、龙岗区。")


@pytest.mark.parametrize(("previous_share", "change"), [
    (35.2, ", up 5 points on the previous session"),  # 40.4 - 35.2 = 5.2
    (40.2, ", up 0 points on the previous session"),  # no change reads as "up 0"
    (44.6, DOWN),  # 40.4 - 44.6 = -4.2 (rounding each first gave 40 - 45)
])
def test_qualified_share_change_is_in_whole_points(previous_share, change):
    text = summary.paragraph(data(kpis=kpis(previous_share=previous_share)), EN)
    assert QUALIFIED.format(change=change) in text


def test_no_previous_session_means_no_change_clause():
    text = summary.paragraph(data(kpis=kpis(with_previous=False)), EN)
    assert QUALIFIED.format(change="") in text


def test_sentences_without_data_drop_out():
    bare = data(kpis=kpis(awarded=0), categories=pd.DataFrame(columns=["category", "records"]),
                cumulative_before=None,
                districts=pd.DataFrame(columns=["name_en", "applicants", "records", "selected"]))
    text = summary.paragraph(bare, EN)
    assert text == " ".join([HEADLINE, APPLICANTS, QUALIFIED.format(change=DOWN)])


def test_cumulative_of_zero_records_drops_out():
    empty = pd.DataFrame({"records": [0], "companies_summed": [0], "groups": [0]})
    assert CUMULATIVE not in summary.paragraph(data(cumulative_before=empty), EN)
    assert "The first" not in summary.paragraph(data(cumulative_before=empty.iloc[0:0]), EN)


def test_no_applicants_means_no_applicant_sentences():
    text = summary.paragraph(data(kpis=kpis(applicants=0)), EN)
    assert text == " ".join([HEADLINE, CATEGORIES, AWARDS, CUMULATIVE, DISTRICTS])


def test_no_qualified_applicants_keeps_the_applicant_sentence_only():
    none = pd.DataFrame({"qualification": [None], "companies": [600]})
    text = summary.paragraph(data(qualifications=none), EN)
    assert text == " ".join([HEADLINE, CATEGORIES, AWARDS, CUMULATIVE, APPLICANTS, DISTRICTS])


def test_one_district_reads_differently():
    one = data().districts.iloc[[2]]
    assert summary.paragraph(data(districts=one), EN).endswith(" All applicants come from Nanshan.")


def test_a_district_selection_is_what_the_district_sentence_speaks_of():
    flagged = data().districts.assign(selected=[False, True, False, True, False])  # Futian and Bao'an
    assert summary.paragraph(data(districts=flagged), EN).endswith(" Bao'an has the most applicants, followed by "
                                                                   "Futian.")
    one = data().districts.assign(selected=[True, False, False, False, False])
    assert summary.paragraph(data(districts=one), EN).endswith(" All applicants come from Luohu.")


def test_district_ties_on_applicants_are_broken_by_records():
    tied = data().districts.assign(applicants=[50, 80, 120, 120, 50])
    assert summary.paragraph(data(districts=tied), EN).endswith(
        " Nanshan has the most applicants, followed by Bao'an, Futian, Longgang.")


@pytest.mark.parametrize("records", [0, None])
def test_session_without_records(records):
    frame = kpis(records=0) if records == 0 else kpis().iloc[1:]
    assert summary.paragraph(data(kpis=frame), EN) == "Session 7 has no records under the current filters."


def test_facts_asks_every_query_for_every_session_with_the_filters():
    """No call names the session: a change of session reruns no query (each answers for every session)."""
    calls = []

    def run(name, **params):
        calls.append((name, params))
        return pd.DataFrame({"session_no": [6, 7], "records": [1, 2]})

    summary.facts(EN, run=run)
    common = {"session": 7, "districts": ["440305"], "industries": ["C39"]}
    every = {**common, "session_from": 1, "session_to": 9999}
    assert calls == [
        ("session_kpis", {**common, "session_from": 2, "session_to": 9}),
        ("category_split", every),
        ("industry_trends", {**every, "top": 1000}),
        ("cumulative_by_session", {**common, "session_from": 2, "session_to": 9}),
        ("qualification_mix", every),
        ("district_ranking", every),
        ("source_quotes", {}),
        # the whole city, and the names of the selection, for "Nanshan's share of the city's 216"
        ("session_kpis", {**common, "districts": [], "industries": [], "session_from": 2, "session_to": 9}),
        ("district_options", {}),
        ("industry_options", {}),
    ]


def _every_session(name, **params):
    """A result for sessions 5..8 whose rows say which query and session they came from."""
    return pd.DataFrame({"session_no": [5, 6, 7, 8], "records": [50, 60, 70, 0], "query": [name] * 4})


def test_facts_are_the_sessions_rows_and_the_running_totals_before_it():
    got = summary.facts(EN, run=_every_session)
    for key in ("categories", "qualifications", "districts", "quotes"):
        assert getattr(got, key)[["session_no", "records"]].values.tolist() == [[7, 70]], key
    assert got.cumulative_before[["session_no", "query"]].values.tolist() == [[6, "cumulative_by_session"]]
    assert list(got.kpis["session_no"]) == [5, 6, 7, 8]  # the paragraph compares with the session before
    assert list(got.city["session_no"]) == [5, 6, 7, 8]
    assert list(got.district_names["query"]) == ["district_options"] * 4  # not a per-session result


def test_facts_industries_are_the_divisions_with_records_that_session():
    got = summary.facts(Filters(8, 1, 23), run=_every_session)
    assert got.industries.empty  # industry_trends lists every division, with 0 where it had none


def test_facts_for_session_1_has_nothing_before_it():
    got = summary.facts(Filters(1, 1, 23), run=_every_session)
    assert got.cumulative_before is None


def test_every_number_uses_the_readers_grouping():
    """Numbers of four digits and more take a thousands separator in English (and none in Chinese)."""
    big = kpis(records=12345).assign(companies=5600, industries=1200, awarded=3000)
    text = summary.paragraph(data(
        kpis=big,
        categories=pd.DataFrame({"category": ["product_rd", "manufacturing", "modern_service"],
                                 "records": [7000, 3000, 2345]}),
        cumulative_before=pd.DataFrame({"records": [50000], "companies_summed": [21000], "groups": [8500]}),
        qualifications=pd.DataFrame({"qualification": ["single_champion", "little_giant", "provincial_srdi",
                                                       "municipal_srdi"], "companies": [2000, 3000, 4000, 5000]})), EN)
    for part in ("12,345 records from 5,600 companies in 1,200 industries", "7,000 product R&D, 3,000 production",
                 "and 2,345 modern service", "3,000 of the records", "50,000 records from 21,000 companies",
                 "covering 8,500 sub-industries", "2,000 manufacturing single champions, 3,000 national",
                 "4,000 provincial and 5,000 municipal"):
        assert part in text, part


def test_a_category_without_records_reads_as_zero():
    only_rd = pd.DataFrame({"category": ["product_rd"], "records": [9]})
    assert "They comprise 9 product R&D, 0 production and manufacturing, and 0 modern service records." in \
        summary.paragraph(data(categories=only_rd), EN)
    only_service = pd.DataFrame({"category": ["modern_service"], "records": [9]})
    assert "They comprise 0 product R&D, 0 production and manufacturing, and 9 modern service records." in \
        summary.paragraph(data(categories=only_service), EN)


def test_cumulative_of_one_record_is_stated():
    one = pd.DataFrame({"records": [1], "companies_summed": [1], "groups": [1]})
    text = summary.paragraph(data(cumulative_before=one), EN)
    assert "The first 6 sessions approved 1 record from 1 company (summed over sessions), covering 1 sub-industry." \
        in text


def test_one_company_and_one_industry_read_in_the_singular():
    one = kpis(records=2).assign(companies=[1, 400], industries=[1, 10])
    text = summary.paragraph(data(kpis=one), EN)
    assert text.startswith("Session 7 (2008) of the Shenzhen Enterprise Innovation Records approved 2 records from "
                           "1 company in 1 industry, such as B, C, A, D.")


# A session imported from an official list: records, but no applicant data (session_kpis gives applicants as
# pandas' NA and the shares as NaN; district_ranking counts 0 applicants everywhere) and, here, no industry names.
def imported(**changes) -> summary.SummaryFacts:
    frame = kpis(with_previous=False).astype({"applicants": "Int64"})
    frame.loc[0, ["applicants"]] = pd.NA
    frame.loc[0, ["high_tech_share", "mean_revenue_cny", "qualified_share"]] = float("nan")
    return data(kpis=frame, qualifications=pd.DataFrame(columns=["qualification", "companies"]),
                industries=pd.DataFrame(columns=["name_en", "name_zh", "records"]),
                districts=data().districts.assign(applicants=0), **changes)


def test_a_session_without_applicant_data_states_only_what_it_has():
    assert summary.paragraph(imported(), EN) == " ".join([
        "Session 7 (2008) of the Shenzhen Enterprise Innovation Records approved 1,234 records from 560 companies "
        "in 12 industries.", CATEGORIES, AWARDS, CUMULATIVE])
    assert summary.paragraph(imported(), EN.with_lang("zh")) == (
        "第7届（2008年）深圳企业创新纪录共评审通过560家企业的1234项纪录，涉及12个行业。"
        "其中产品研发类700项、生产制造类300项、现代服务类234项。3项纪录获得国家、省、市科学技术进步奖。"
        "前6届累计发布纪录5000项，涉及企业2100家次，覆盖85个细分行业。")


def test_the_previous_session_without_applicant_data_gives_no_change_clause():
    frame = kpis().astype({"applicants": "Int64"})
    frame.loc[1, ["applicants"]] = pd.NA
    frame.loc[1, ["high_tech_share", "mean_revenue_cny", "qualified_share"]] = float("nan")
    assert QUALIFIED.format(change="") in summary.paragraph(data(kpis=frame), EN)


def test_a_missing_mean_revenue_drops_its_sentence_only():
    text = summary.paragraph(data(kpis=kpis().assign(mean_revenue_cny=[float("nan"), 1e9])), EN)
    assert text == " ".join([HEADLINE, CATEGORIES, AWARDS, CUMULATIVE, QUALIFIED.format(change=DOWN), DISTRICTS])


def test_a_missing_qualified_share_drops_the_qualification_sentence():
    text = summary.paragraph(data(kpis=kpis().assign(qualified_share=[float("nan"), 44.6])), EN)
    assert text == " ".join([HEADLINE, CATEGORIES, AWARDS, CUMULATIVE, APPLICANTS, DISTRICTS])


def test_industry_names_inside_the_sentence_start_in_lower_case():
    named = pd.DataFrame({"name_en": ["Software and information technology services", "R&D services"],
                          "name_zh": ["软件和信息技术服务业", "研究和试验发展"], "records": [30, 10]})
    text = summary.paragraph(data(industries=named), EN)
    assert "in 12 industries, such as software and information technology services, R&D services." in text
