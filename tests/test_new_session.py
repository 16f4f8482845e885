"""An official imports the list of a new session (24) and opens the dashboard.

Session 24 is imported with the real importer from a small CSV written here (the five rows of
tests/test_importer.py: records coded to GB/T divisions, as lists name them, and no applicant data at all, since
an approved list names no applicants). The overview must then state only what exists: no "nan", no empty
"such as ." list, "not applicable" for the applicant figures, an explanation instead of the qualification chart;
the sidebar's sessions come from the database, in a new browser session and in one that was open during the
import (or an undo). Expected values are literals or plain SQL on the tables.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pytest

from core import catalog, db, importer
from core.filters import Filters
from core.i18n import t
from tests.test_importer import HEADER_ZH, SAMPLE, write_csv
from tests.test_pages import charts, entry_mode, markdown_text, open_page  # noqa: F401 (entry_mode is a fixture)

ROWS = len(SAMPLE)  # 5 records, 4 companies, 4 divisions, 3 with an award


def import_session_24(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "第24届名单.csv", HEADER_ZH, SAMPLE)
    importer.apply(importer.validate(path, 24))


@pytest.fixture
def session24(db_copy: Path, tmp_path: Path) -> Path:
    import_session_24(tmp_path)
    return db_copy


def sql(path: Path, query: str) -> list[tuple]:
    with duckdb.connect(str(path), read_only=True) as con:
        return con.execute(query).fetchall()


def page_text(at) -> str:
    """Every text the page shows: Markdown, metrics with their deltas, notes, headings and the figures."""
    parts = [markdown_text(at)]
    parts += [f"{m.label} {m.value} {m.proto.delta}" for m in at.metric]
    parts += [e.value for kind in ("info", "warning", "caption", "header", "subheader", "title") for e in at.get(kind)]
    parts += [str(fig) for fig in charts(at).values()]
    return "\n".join(parts)


# --- the named queries --------------------------------------------------------------------------------------


def test_the_new_session_has_its_year_and_names(session24):
    # the year follows the programme's rule (session 1 in 2002) and the schema's CHECK; the sidebar shows it
    assert sql(session24, "SELECT year, name_zh, name_en FROM sessions WHERE session_no = 24") == [
        (2025, "第二十四届深圳企业创新纪录", "24th Shenzhen Enterprise Innovation Records")]


def test_records_coded_to_a_division_count_in_the_industry_breakdown(session24):
    frame = db.run("industry_breakdown", session_from=24, session_to=24, districts=[], industries=[])
    assert int(frame["records"].sum()) == ROWS
    expected = dict(sql(session24, "SELECT left(industry_code, 3), count(*) FROM records WHERE session_no = 24 "
                                   "GROUP BY ALL"))
    assert frame.groupby("division_code")["records"].sum().to_dict() == expected
    assert frame["group_code"].isna().all()  # the list names divisions only: no group is invented


def test_division_codes_are_not_counted_as_sub_industries(session24):
    totals = db.run("cumulative_totals", session_from=1, session_to=24, districts=[], industries=[]).iloc[0]
    (groups,), = sql(session24, "SELECT count(DISTINCT industry_code) FROM records r JOIN industries i "
                                "USING (industry_code) WHERE i.level = 'group'")
    assert (totals["records"], totals["groups"]) == (3684 + ROWS, groups)


def test_the_treemap_gives_division_coded_records_a_box_of_their_own(session24):
    from core import catalog
    from core.filters import Filters

    fig, _, _ = catalog.build("industry_breakdown", Filters(24, 24, 24, lang="en"), catalog.load_options())
    tree = fig.data[0]
    # customdata holds the full name (labels are wrapped to fit the tiles)
    boxes = {i: (name, parent, value) for i, name, parent, value in zip(tree.ids, tree.customdata, tree.parents,
                                                                       tree.values)}
    assert boxes["C39"][2] == 2 and boxes["C39/"] == ("group not given", "C39", 2)
    assert sum(value for _, parent, value in boxes.values() if parent == "") == ROWS


def test_applicants_of_a_session_without_applicant_data_are_missing_not_zero(session24):
    kpis = db.run("session_kpis", districts=[], industries=[]).set_index("session_no")
    assert (kpis.loc[24, "records"], kpis.loc[24, "companies"], kpis.loc[24, "awarded"]) == (ROWS, 4, 3)
    assert kpis.loc[24, ["applicants", "high_tech_share", "mean_revenue_cny", "qualified_share"]].isna().all()
    assert kpis.loc[23, "applicants"] == 163  # published: session 23 had 163 applicants
    # a district with no applicants in a session that has applicant data is a true zero
    none_there = db.run("session_kpis", districts=["440307"], industries=["A01"]).set_index("session_no")
    assert list(none_there.loc[[23, 22], "applicants"]) == [0, 0]


def test_the_qualification_chart_of_session_24_says_why_it_is_empty(session24):
    options = catalog.load_options()
    fig, frame, _ = catalog.build("qualification_mix", Filters(24, 1, 24, lang="en"), options)
    assert frame.empty
    assert fig.layout.annotations[0].text == "No applicant data for session 24 (imported list of approved records)"
    # a narrower filter on a session with applicant data keeps the usual sentence
    fig, frame, _ = catalog.build("qualification_mix", Filters(23, 1, 23, districts=("440307",),
                                                               industries=("A01",), lang="en"), options)
    assert frame.empty and fig.layout.annotations[0].text == t("charts.empty", "en")


# --- the overview page --------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_of_an_imported_session(entry_mode, session24, lang):  # noqa: F811
    at = open_page("overview", {"lang": lang} if lang == "en" else {})
    assert not at.exception, [e.message for e in at.exception]
    to = at.selectbox(key="f_to")
    assert to.options[-1].startswith("24 (2025)") and to.value == 24  # the range ends at the new session
    assert at.selectbox(key="f_session").value == 24 and dict(at.query_params)["to"] == "24"

    text = page_text(at)
    assert not re.search(r"\bnan\b", text, re.IGNORECASE), text
    for empty_list in ("such as .", "such as  ", "涉及等", "如 。", "如。"):
        assert empty_list not in text
    summary = markdown_text(at)
    if lang == "en":
        assert summary.startswith("Session 24 (2025) of the Shenzhen Enterprise Innovation Records approved 5 records "
                                  "from 4 companies in 4 industries, such as computers, communication and other "
                                  "electronic equipment, ")
        assert "applicants" not in summary  # no applicant sentence, no "Nanshan has the most applicants"
    else:
        assert summary.startswith("第24届（2025年）深圳企业创新纪录共评审通过4家企业的5项纪录，"
                                  "涉及计算机、通信和其他电子设备制造业、")
        assert "申报企业" not in summary

    metrics = {}
    for m in at.metric:  # the first of a label (in English the session's and the cumulative "Records" share it)
        metrics.setdefault(m.label, (m.value, m.proto.delta))
    na = t("cell.not_applicable", lang)
    for key in ("applicants", "high_tech", "revenue", "qualified"):
        assert metrics[t(f"overview.kpi.{key}", lang)] == (na, ""), key
    assert metrics[t("overview.kpi.records", lang)][1] == "-211"  # 5 records against session 23's 216

    assert t("charts.no_applicants", lang, n=24) in [i.value for i in at.info]


def test_an_open_session_follows_an_import_and_its_undo(entry_mode, db_copy, tmp_path):  # noqa: F811
    at = open_page("overview")
    assert (at.selectbox(key="f_session").value, at.selectbox(key="f_to").value) == (23, 23)

    import_session_24(tmp_path)  # on the import page, or by another official on the command line
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    to = at.selectbox(key="f_to")
    assert to.options[-1].startswith("24 (2025)") and to.value == 24  # cached options refreshed, range follows
    assert at.selectbox(key="f_session").value == 23  # the session being read stays
    assert dict(at.query_params) == {"session": "23", "from": "1", "to": "24"}

    at.selectbox(key="f_session").set_value(24).run()
    importer.restore(1)  # undo: session 24 is gone again
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    assert (at.selectbox(key="f_session").value, at.selectbox(key="f_to").value) == (23, 23)  # not session 1
    assert at.selectbox(key="f_to").options[-1].startswith("23 (2024)")
