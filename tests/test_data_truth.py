"""Inferred numbers and translations are labelled as such (issue "data truth, round three"): session 23's
163 applicants is the project's inference, the Chinese quoted for the English-only session 23 release is the
project's translation, and the organiser is named as the sources name it.

Expected values: the press release's published figures (data/raw/published_stats.csv) and arithmetic written
out here; never the code under test.
"""

from __future__ import annotations

import csv
from pathlib import Path

import duckdb
import pytest

from core import catalog
from core.filters import Filters
from core.i18n import t
from tests.test_pages import entry_mode, markdown_text, open_page  # noqa: F401 - a fixture, used by name

ROOT = Path(__file__).resolve().parent.parent


def _csv(name: str) -> list[dict]:
    with open(ROOT / "data" / "raw" / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def _published(metric: str) -> float:
    return next(float(r["value"]) for r in _csv("published_stats.csv")
                if r["session_to"] == "23" and r["session_from"] == "23" and r["metric"] == metric)


def test_163_is_the_only_applicant_count_both_published_shares_fit():
    """85.3 % high-tech (one decimal) and 24+23+22+54 qualified = 75 % (whole percent): only 163 applicants."""
    qualified = sum(_published(f"applicants_{q}") for q in ("single_champion", "little_giant", "provincial_srdi",
                                                             "municipal_srdi"))
    share, whole = _published("applicants_high_tech_share"), _published("applicants_qualified_share")
    fits = [n for n in range(int(qualified), 5000)
            if round(100 * qualified / n) == whole and any(round(100 * k / n, 1) == share for k in range(n + 1))]
    assert fits == [163]
    held = {r["metric"]: float(r["value"]) for r in _csv("derived_figures.csv") if r["session_no"] == "23"}
    assert held == {"applicant_companies": 163, "applicants_high_tech": round(163 * share / 100),
                    "applicants_qualified": qualified}


def test_the_demo_carries_the_derived_counts(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        found = con.execute("SELECT count(*), count(*) FILTER (WHERE is_high_tech), count(qualification) "
                            "FROM company_profiles WHERE session_no = 23").fetchone()
    assert found == (163, 139, 123)


@pytest.mark.usefixtures("entry_mode")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_overview_marks_session_23_applicants_as_derived(lang):
    at = open_page("overview", {"session": "23", "lang": lang})
    assert not at.exception
    label = t("overview.kpi.applicants", lang) + t("data_truth.derived_suffix", lang)
    kpi = next(m for m in at.metric if m.label == label)
    assert kpi.value == "163" and "139/163" in kpi.proto.help
    earlier = open_page("overview", {"session": "22", "lang": lang})  # an ordinary demo count: no label
    assert t("overview.kpi.applicants", lang) in [m.label for m in earlier.metric]


@pytest.mark.usefixtures("entry_mode")
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_about_page_says_what_is_derived_translated_and_who_organised(lang):
    at = open_page("about", {"lang": lang})
    assert not at.exception
    derived = next(tb.value for tb in at.dataframe if t("data_truth.col_how", lang) in tb.value.columns)
    how = dict(zip(derived[t("data_truth.col_value", lang)], derived[t("data_truth.col_how", lang)]))
    assert set(how) == {"163", "139", "123"} and "139/163" in how["163"]
    text = markdown_text(at)
    assert "163" not in t("about.def.applicants.text", lang)  # no longer stated as if published
    assert "增长7%" in text and t("data_truth.translation", lang).split("：")[0].split(":")[0] in text
    assert "深圳工经联" in text and "深圳工业总会" in text and "2002-11-23" in text and "2013-01-14" in text


@pytest.mark.parametrize(("session", "marked"), [(23, True), (22, False)])
def test_an_applicant_charts_source_line_says_the_count_is_derived(built_db, session, marked):
    """The source line goes on every image, table and pack of the chart."""
    filters = Filters(session=session, session_from=1, session_to=22, lang="en")
    options, status = catalog.load_options(), catalog.DataStatus.read("en")
    note = t("data_truth.derived_source", "en")
    card = catalog.card(catalog.CHARTS["qualification_mix"], filters, options, status)
    assert (note in card.source) is marked
    records = catalog.card(catalog.CHARTS["records_per_session"], filters, options, status)
    assert note not in records.source  # not an applicant chart


@pytest.mark.parametrize(("code", "marked"), [(None, True), ("440305", False)])
def test_the_session_comparison_marks_the_citys_derived_applicants(built_db, code, marked):
    """The city's applicants of session 23 are the derived 163; a district's are the demo's own split."""
    from core import compare

    table = compare.table(compare.facts(22, 23, code), "zh")
    measures = list(table.iloc[:, 0])
    derived = t("compare.applicants", "zh") + t("data_truth.derived_suffix", "zh")
    assert (derived in measures) is marked
    assert (t("compare.applicants", "zh") in measures) is not marked
