"""District profile (/district?code=), session comparison (/compare) and the district briefing packs.

Expected values come from data/raw/districts.csv and from plain SQL written here against the built
database, never from core.profile / core.compare themselves.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from pathlib import Path

import duckdb
import pytest
from pptx import Presentation
from streamlit.testing.v1 import AppTest

from core import briefing, catalog, cli, cli_common, compare, profile
from core.filters import parse
from core.i18n import t

ROOT = Path(__file__).resolve().parent.parent
with open(ROOT / "data" / "raw" / "districts.csv", encoding="utf-8") as f:
    DISTRICTS = {row["district_code"]: row for row in csv.DictReader(f)}
LATE = {"440309", "440310", "440311", "SZDP", "SZSS"}  # created after the programme began (2002)




def open_page(page: str, query: dict | None = None) -> AppTest:
    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=60)
    at.query_params.update(query or {})
    at.switch_page(f"pages/{page}.py")
    return at.run()


def sql(db_path, query: str, params: dict | None = None):
    with duckdb.connect(str(db_path), read_only=True) as con:
        return con.execute(query, params or {}).fetchall()


def district_counts(db_path, session: int) -> dict[str, tuple[int, int, int]]:
    """district -> (records, distinct approved companies, applicants) in a session, by plain SQL."""
    rows = sql(db_path, """
        SELECT r.district_code, count(*), count(DISTINCT r.company_id),
               (SELECT count(*) FROM company_profiles p WHERE p.session_no = $s AND p.district_code = r.district_code)
        FROM records r WHERE r.session_no = $s GROUP BY r.district_code""", {"s": session})
    return {code: (records, companies, applicants) for code, records, companies, applicants in rows}


def expected_rank(counts: dict, code: str) -> int:
    """1 + districts with more records (equal records share a rank, as on the districts page)."""
    mine = counts[code]
    return 1 + sum(1 for other, c in counts.items() if other != code and c[0] > mine[0])


def metric(at: AppTest, key: str, lang: str = "zh") -> str:
    return next(m.value for m in at.metric if m.label == t(key, lang))


def text_of(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


# --- the profile page, every district ---------------------------------------------------------------------

@pytest.mark.parametrize("code", sorted(DISTRICTS))
def test_profile_page_of_every_district(entry_mode, code):
    at = open_page("district", {"code": code, "session": "23"})
    assert not at.exception, [e.message for e in at.exception]
    name = DISTRICTS[code]["name_zh"]
    assert at.title[0].value.startswith(name)
    counts = district_counts(entry_mode, 23)
    records, companies, _ = counts[code]
    assert metric(at, "profile.kpi_records") == str(records)
    assert metric(at, "profile.kpi_companies") == str(companies)
    city = sql(entry_mode, "SELECT count(*) FROM records WHERE session_no = 23")[0][0]
    assert city == 216
    assert metric(at, "profile.kpi_share") == f"{100 * records / city:.1f}%"
    assert metric(at, "profile.kpi_rank") == f"第{expected_rank(counts, code)}/{len(counts)}"
    charts = {e.proto.id.rsplit("chart_", 1)[1] for e in at.get("plotly_chart")}
    repeat = sql(entry_mode, """SELECT count(*) FROM (SELECT company_id FROM records WHERE district_code = $c
                                GROUP BY company_id HAVING count(DISTINCT session_no) >= 2)""", {"c": code})[0][0]
    # a chart with no rows says so under its title instead of drawing empty axes, as on every page
    assert charts == {"profile_records", "profile_rank", "profile_industries"} | (
        {"profile_repeat_innovators"} if repeat else set())
    if not repeat:
        assert t("profile.charts.repeat_innovators.title", "zh", district=name) in [s.value for s in at.subheader]
    paragraph = text_of(at)
    assert f"{name}共有{companies}家企业的{records}项纪录入选" in paragraph
    assert f"排名第{expected_rank(counts, code)}" in paragraph
    first = sql(entry_mode, "SELECT min(session_no) FROM records WHERE district_code = $c", {"c": code})[0][0]
    late_sentence = f"自第{first}届（{2001 + first}年）起"
    assert (late_sentence in paragraph) == (code in LATE), paragraph
    assert not at.warning


def test_late_district_in_english_states_its_first_session(entry_mode):
    at = open_page("district", {"code": "Guangming", "session": "23", "lang": "en"})
    assert not at.exception
    first = sql(entry_mode, "SELECT min(session_no) FROM records WHERE district_code = '440311'")[0][0]
    assert first > 1
    text = text_of(at)
    assert f"Guangming has been listed on its own since session {first} ({2001 + first})" in text
    assert "counted under Bao'an" in text  # the parent of the Guangming new area
    assert at.title[0].value == "Guangming · District profile"


def test_profile_before_the_district_existed_says_so(entry_mode):
    at = open_page("district", {"code": "440311", "session": "3"})
    assert not at.exception
    assert metric(at, "profile.kpi_records") == "0"
    assert metric(at, "profile.kpi_rank") == t("profile.rank_none", "zh")
    assert "光明区没有入选纪录" in text_of(at)


def test_change_on_previous_session_matches_sql(entry_mode):
    at = open_page("district", {"code": "440309", "session": "23"})
    now, before = district_counts(entry_mode, 23), district_counts(entry_mode, 22)
    diff = now["440309"][0] - before["440309"][0]
    assert diff != 0
    word = "增加" if diff > 0 else "减少"
    assert f"与第22届相比，纪录{word}{abs(diff)}项（{before['440309'][0]}项→{now['440309'][0]}项）" in text_of(at)
    places = expected_rank(before, "440309") - expected_rank(now, "440309")
    if places:
        assert f"{'上升' if places > 0 else '下降'}{abs(places)}位" in text_of(at)


@pytest.mark.parametrize("raw", ["XYZ", "<script>alert(1)</script>", "**bold**", "9999999"])
def test_bad_code_gives_notice_and_picker_not_a_traceback(entry_mode, raw):
    at = open_page("district", {"code": raw})
    assert not at.exception
    assert at.warning and "不是有效的区，改为显示全市各区" in at.warning[0].value
    assert "<script>" not in at.warning[0].value and "**bold**" not in at.warning[0].value
    picker = at.selectbox(key="profile_code")
    assert picker.value is None and len(picker.options) == 11
    picker.set_value("440305").run()
    assert not at.exception
    assert at.title[0].value.startswith("南山区")
    assert at.query_params["code"] == "440305"


@pytest.mark.parametrize("raw", ["南山区", "南山", "Nanshan", "nanshan district", "440305"])
def test_code_accepts_names(entry_mode, raw):
    assert profile.resolve(raw) == "440305"
    assert cli_common.district_codes([raw]) == ["440305"]


# --- links to the profile ---------------------------------------------------------------------------------

def test_overview_summary_links_its_districts(entry_mode):
    at = open_page("overview", {"session": "23", "lang": "en"})
    text = text_of(at)
    for code, name in (("440305", "Nanshan"), ("440306", "Bao\\'an")):  # the apostrophe escaped for Markdown
        assert f"[{name}](district?code={code}&session=23&from=1&to=23&lang=en)" in text


def test_districts_history_list_links_every_district(entry_mode):
    at = open_page("districts", {"session": "22"})
    assert not at.get("page_link")  # drawn only while the list is open
    at.session_state["district_history"] = True  # the reader opens it
    at.run()
    links = [e.proto for e in at.get("page_link")]
    assert {p.label for p in links} == {row["name_zh"] for row in DISTRICTS.values()}
    assert all(p.page == "district" and "session=22" in p.query_string for p in links)


def test_data_tables_link_district_rows(entry_mode):
    from ui import district_view  # noqa: F401  (the import must not need a running page)

    at = open_page("districts", {"session": "23"})
    at.toggle(key="table_district_ranking").set_value(True).run()
    frame = at.dataframe[0].value
    column = t("profile.table_link", "zh")
    assert column in frame.columns
    first = frame.iloc[0]
    assert first[column].startswith("district?code=440305&")


# --- the profile without a district: the city's districts ------------------------------------------------

def chart_specs(at: AppTest) -> dict[str, dict]:
    return {e.proto.id.rsplit("chart_", 1)[1]: json.loads(e.proto.spec) for e in at.get("plotly_chart")}


def test_profile_without_a_district_shows_every_district_with_its_link(entry_mode):
    at = open_page("district", {"session": "10", "lang": "en"})  # 8 of the 11 districts have records
    assert not at.exception and not at.warning
    bar = chart_specs(at)["profile_districts"]["data"][0]
    counts = district_counts(entry_mode, 10)
    assert len(counts) < len(DISTRICTS)
    city = sum(c[0] for c in counts.values())
    by_name = {row["name_en"]: code for code, row in DISTRICTS.items()}
    written = dict(zip(bar["y"], bar["text"]))
    assert set(written) == set(by_name)  # all 11, also a district without records that session
    for name, text in written.items():
        code = by_name[name]
        expected = (f"{counts[code][0]} · {100 * counts[code][0] / city:.1f}% · "
                    f"{expected_rank(counts, code)}/{len(counts)}") if code in counts else "–"
        assert text == expected, name
    links = [e.proto for e in at.get("page_link")]
    assert sorted(p.query_string.split("code=")[1].split("&")[0] for p in links) == sorted(DISTRICTS)
    assert at.button(key="basket_profile_districts")  # the same card as every chart: basket, downloads


def test_a_district_chosen_in_the_sidebar_opens_its_profile(entry_mode):
    at = open_page("district", {"session": "23"})
    assert at.selectbox(key="profile_code").value is None
    at.multiselect(key="f_districts").set_value(["440306"]).run()
    assert not at.exception
    assert at.title[0].value.startswith("宝安区")
    assert set(chart_specs(at)) == {"profile_records", "profile_rank", "profile_industries",
                                    "profile_repeat_innovators"}


def test_a_basket_pack_mixes_page_profile_and_compare_charts(entry_mode, tmp_path, export_browser):
    at = open_page("district", {"code": "440305", "session": "23", "lang": "en"})
    at.button(key="basket_profile_rank").click().run()
    at.switch_page("pages/compare.py").run()
    assert not at.exception
    at.button(key="basket_compare_categories").click().run()
    at.switch_page("pages/trends.py").run()
    at.button(key="basket_records_per_session").click().run()
    basket = at.session_state["basket"]
    assert [e["name"] for e in basket] == ["profile_rank", "compare_categories", "records_per_session"]
    at.switch_page("pages/briefing.py").run()
    assert not at.exception, [e.message for e in at.exception]
    # as a reader sees it: Markdown escapes and the word joiner after an escaped colon removed
    listed = re.sub(r"\\(.)", r"\1", "\n".join(m.value for m in at.markdown)).replace("\u2060", "")
    assert "1. Nanshan: rank in the city" in listed and "2. Sessions 22 and 23: records by category" in listed
    options = catalog.load_options()
    items = briefing.items_for(basket, options, "en")
    meta = briefing.meta_for(parse({"session": "23", "lang": "en"}, options).filters, options, entries=basket)
    out = tmp_path / "mixed.pptx"
    out.write_bytes(briefing.build_pack("pptx", items, meta))
    # chart slides: the picture named after the chart's title (the title page has a picture too)
    pictures = [[s.name for s in slide.shapes if s.shape_type == 13] for slide in Presentation(str(out)).slides]
    titles = ["Nanshan: rank in the city", "Sessions 22 and 23: records by category",
              t("charts.records_per_session.title", "en")]
    assert len(pictures) == 1 + 3
    for names, title in zip(pictures[1:], titles):
        assert any(title in name for name in names), (title, names)


# --- comparison -------------------------------------------------------------------------------------------

def comparison_sql(db_path, session: int, code: str | None) -> dict:
    where = "AND district_code = $c" if code else ""
    params = {"s": session, **({"c": code} if code else {})}
    records, companies = sql(db_path, f"SELECT count(*), count(DISTINCT company_id) FROM records "
                                      f"WHERE session_no = $s {where}", params)[0]
    applicants, high_tech = sql(db_path, f"SELECT count(*), count(*) FILTER (WHERE is_high_tech) "
                                         f"FROM company_profiles WHERE session_no = $s {where}", params)[0]
    cats = dict(sql(db_path, f"SELECT category, count(*) FROM records WHERE session_no = $s {where} "
                             f"AND category IS NOT NULL GROUP BY category", params))
    return {"records": records, "companies": companies,
            "high_tech": 100 * high_tech / applicants if applicants else None, "categories": cats}


@pytest.mark.parametrize(("a", "b", "code"), [(22, 23, None), (21, 23, "440305"), (20, 22, "440309"),
                                              (10, 23, "SZSS")])
def test_comparison_numbers_match_the_records(built_db, a, b, code):
    data = compare.facts(a, b, code)
    for session in (a, b):
        want = comparison_sql(built_db, session, code)
        row = data.kpis[data.kpis["session_no"] == session].iloc[0]
        assert (row["records"], row["companies"]) == (want["records"], want["companies"])
        if want["high_tech"] is None:
            assert row["high_tech_share"] != row["high_tech_share"]  # NaN: no applicants
        else:
            assert row["high_tech_share"] == pytest.approx(want["high_tech"])
        got = data.categories[data.categories["session_no"] == session]
        assert {c: n for c, n in zip(got["category"], got["records"]) if n} == want["categories"]


def test_city_comparison_22_23_in_words(built_db):
    words = compare.paragraph(compare.facts(22, 23, None), "全市", "zh")
    s22, s23 = comparison_sql(built_db, 22, None), comparison_sql(built_db, 23, None)
    assert s23["records"] == 216 and s23["companies"] == 159  # the press release
    assert f"纪录数{s23['records']}项，比第22届的{s22['records']}项增加{s23['records'] - s22['records']}项" in words
    points = round(s23["high_tech"] - s22["high_tech"], 1)  # the unrounded difference, rounded once
    assert (f"国家高新技术企业占比为{s23['high_tech']:.1f}%，比第22届的{s22['high_tech']:.1f}%"
            f"提高{points:.1f}个百分点") in words
    assert f"产品研发类{s23['categories']['product_rd']}项" in words
    assert "148" in words and "33" in words and "35" in words


def test_compare_page_side_by_side(entry_mode):
    at = open_page("compare", {"session": "23", "vs": "21", "code": "南山区", "lang": "en"})
    assert not at.exception, [e.message for e in at.exception]
    table = at.dataframe[0].value
    s21, s23 = comparison_sql(entry_mode, 21, "440305"), comparison_sql(entry_mode, 23, "440305")
    records = table[table.iloc[:, 0] == "Records"].iloc[0]
    assert list(records.iloc[1:]) == [str(s21["records"]), str(s23["records"]),
                                      f"{s23['records'] - s21['records']:+d}"]
    assert text_of(at).startswith("Nanshan, session 23 (2024) against session 21 (2022)")
    assert {e.proto.id.rsplit("chart_", 1)[1] for e in at.get("plotly_chart")} == {
        "compare_sessions", "compare_categories"}
    assert at.query_params["vs"] == "21" and at.query_params["code"] == "440305"


def test_compare_page_same_session_says_so(entry_mode):
    at = open_page("compare", {"session": "23", "vs": "23"})
    assert not at.exception
    assert at.info[-1].value == t("compare.same_session", "zh")


def test_compare_page_bad_params_fall_back(entry_mode):
    at = open_page("compare", {"session": "23", "vs": "abc", "code": "nowhere"})
    assert not at.exception
    assert at.selectbox(key="compare_vs").value == 22
    scope = at.selectbox(key="compare_code")
    assert scope.value == "" and scope.format_func(scope.value) == t("compare.city", "zh")  # shown, not blank
    assert text_of(at).startswith("全市第23届")


# --- packs from the command line --------------------------------------------------------------------------

def deck_text(path) -> list[str]:
    return [" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)
            for slide in Presentation(str(path)).slides]


def test_cli_pack_one_district_by_name(tmp_path, built_db):
    out = tmp_path / "nanshan.pptx"
    assert cli.main(["pack", "--session", "23", "--district", "Nanshan", "--out", str(out)]) == 0
    slides = deck_text(out)
    assert len(slides) == 1 + 8
    assert "南山区" in slides[0] and "第23届" in slides[0]
    # the title slide carries the district's summary, as the profile page promises (its words from plain SQL)
    nanshan = sql(built_db, "SELECT count(*) FROM records WHERE session_no = 23 AND district_code = '440305'")[0][0]
    assert f"{nanshan}项" in slides[0]
    # and the same rank and change as the profile page and the districts page (plain SQL; one rule each)
    rank = expected_rank(district_counts(built_db, 23), "440305")
    share = {n: 100 * sql(built_db, "SELECT count(*) FILTER (WHERE district_code = '440305') / count(*) "
                                    "FROM records WHERE session_no = $s", {"s": n})[0][0] for n in (22, 23)}
    points = round(share[23] - share[22], 1)
    assert f"排名第{rank}" in slides[0]
    assert f"{'提高' if points > 0 else '下降'}{abs(points):.1f}个百分点" in slides[0]
    # the title is broken where its phrases meet, never inside one, in its own box above the subtitle
    title_box = next(s for s in Presentation(str(out)).slides[0].shapes if s.has_text_frame)
    assert [p.text for p in title_box.text_frame.paragraphs] == ["南山区", "深圳企业创新纪录第23届（2024年）区情简报"]
    # chart slides carry their title inside the image, which is named after it (issue 10: no repeated heading)
    pictures = [[s.name for s in slide.shapes if s.shape_type == 13] for slide in Presentation(str(out)).slides]
    assert "南山区历届纪录数" in pictures[1][0] and "南山区在全市的排名" in pictures[2][0]


def test_cli_pack_all_districts(tmp_path, built_db, capsys):
    folder = tmp_path / "packs"
    assert cli.main(["pack", "--session", "23", "--district", "all", "--out", str(folder), "--lang", "en"]) == 0
    files = sorted(folder.glob("*.pptx"))
    assert len(files) == 11
    titles = {deck_text(f)[0] for f in files}
    for row in DISTRICTS.values():
        assert sum(row["name_en"] in title for title in titles) >= 1, row["name_en"]
    lines = [line for line in capsys.readouterr().out.splitlines() if line.startswith("[")]
    assert [line.split("]")[0] for line in lines] == [f"[{i}/11" for i in range(1, 12)]


def test_cli_pack_all_needs_a_folder(tmp_path, built_db):
    with pytest.raises(SystemExit) as exc:
        cli.main(["pack", "--session", "23", "--district", "all", "--out", str(tmp_path / "x.pptx")])
    assert "folder" in str(exc.value)


def in_page_order(node) -> list:
    """The elements under `node` in the order the page shows them (a block's children by their position,
    whatever order the run sent them in)."""
    children = getattr(node, "children", None)
    if children is None:
        return [node]
    return [element for _, child in sorted(children.items()) for element in in_page_order(child)]


def test_profile_shows_its_figures_and_paragraph_above_the_charts():
    """The page writes its standing and paragraph after building the charts (so the builds overlap the range
    queries), into a box above them: the official still reads history, figures and paragraph first."""
    at = open_page("district", {"code": "440305"})
    kinds = [(e.type, getattr(e, "value", None)) for e in in_page_order(at.main)]
    where = {what: next(i for i, (kind, value) in enumerate(kinds) if test(kind, value))
             for what, test in {
                 "figures": lambda kind, value: kind == "header" and value == t("profile.kpi_heading", "zh", n=23,
                                                                                year=2024),
                 "paragraph": lambda kind, value: kind == "header" and value == t("profile.text_heading", "zh"),
                 "first_chart": lambda kind, value: kind == "plotly_chart",
                 "briefing": lambda kind, value: kind == "header" and value == t("profile.briefing_heading", "zh"),
             }.items()}
    last_chart = max(i for i, (kind, _) in enumerate(kinds) if kind == "plotly_chart")
    assert where["figures"] < where["paragraph"] < where["first_chart"] < last_chart < where["briefing"]


@pytest.mark.parametrize(("lang", "expected"), [("en", "One company had records in two or more sessions: "),
                                                ("zh", "1家企业在两届及以上入选：")])
def test_one_repeat_innovator_reads_in_the_singular(entry_mode, lang, expected):
    """Shenshan has one company approved in two or more sessions (plain SQL): "1 companies had records …" read
    in the English briefing."""
    (repeaters,), = sql(entry_mode, "SELECT count(*) FROM (SELECT company_id FROM records WHERE district_code = "
                                    "'SZSS' GROUP BY ALL HAVING count(DISTINCT session_no) >= 2)")
    assert repeaters == 1
    text = text_of(open_page("district", {"code": "SZSS", "session": "23", "from": "1", "to": "23", "lang": lang}))
    assert expected in text and "1 companies" not in text


def test_cli_pack_all_districts_into_one_archive(tmp_path, built_db, monkeypatch, capsys):
    """`--district all --out packs.zip`: every district's pack in one archive (it was refused: a folder only).
    The packs themselves are built as in the test above; here each is a stand-in, to keep the test quick."""
    from core import district_briefing

    monkeypatch.setattr(district_briefing, "build", lambda fmt, code, *rest, **kw: f"{fmt}:{code}".encode())
    out = tmp_path / "packs.zip"
    assert cli.main(["pack", "--session", "23", "--district", "all", "--out", str(out), "--format", "docx"]) == 0
    with zipfile.ZipFile(out) as zf:
        names = zf.namelist()
        assert len(names) == len(DISTRICTS) == 11 and all(n.endswith(".docx") for n in names)
        assert sorted(zf.read(n).decode() for n in names) == sorted(f"docx:{code}" for code in DISTRICTS)
    assert "11 district briefings into" in capsys.readouterr().out
    # an archive is not overwritten unasked
    assert cli.main(["pack", "--session", "23", "--district", "all", "--out", str(out)]) == 1
    assert "already exists; add --force" in capsys.readouterr().err
    assert not list(tmp_path.glob(".*tmp"))
