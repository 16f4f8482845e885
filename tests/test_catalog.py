"""Every chart in the catalogue builds a briefing figure that explains itself, and the CLI exports it."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile

import duckdb
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from core import catalog, cli
from core.charts import Card
from core.filters import Filters, Options, parse
from core.i18n import t


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def _texts(fig) -> str:
    layout = fig.layout
    parts = [layout.title.text or "", layout.title.subtitle.text or ""]
    parts += [a.text or "" for a in layout.annotations]
    return "\n".join(parts)


# Each chart's page and whether it shows one session or a range (written out, not read from the catalogue).
PAGE_AND_SCOPE = {
    "records_per_session": ("trends", "range"), "applicant_strength": ("trends", "range"),
    "category_split": ("trends", "range"), "awards_per_session": ("trends", "range"),
    "qualification_mix": ("overview", "session"), "district_ranking": ("districts", "session"),
    "district_rank_history": ("districts", "range"), "district_heatmap": ("districts", "range"),
    "district_map": ("districts", "range"), "industry_breakdown": ("industries", "range"),
    "industry_trends": ("industries", "range"), "industries_as_published": ("industries", "session"),
    "returning_companies": ("companies", "range"), "repeat_innovators": ("companies", "range"),
    "profile_districts": ("district", "session"),
    "profile_records": ("district", "range"), "profile_rank": ("district", "range"),
    "profile_industries": ("district", "range"), "profile_repeat_innovators": ("district", "range"),
    "compare_sessions": ("compare", "session"), "compare_categories": ("compare", "session"),
}
# The charts of one district's profile and of a comparison, built for their context: URL query -> English
# title and permalink (the page that shows the chart in that context), written out.
CONTEXT_CHARTS = {
    "profile_records": ({"session": "22", "from": "4", "to": "21", "district": "440305"},
                        "Nanshan: records, approved companies and share of the city per session",
                        "http://localhost:8501/district?from=4&to=21&lang=en&code=440305"),
    "profile_rank": ({"session": "22", "from": "4", "to": "21", "district": "440305", "industry": "C39"},
                     "Nanshan: rank in the city", "http://localhost:8501/district?from=4&to=21&lang=en&code=440305"),
    "profile_industries": ({"session": "22", "district": "440305"},
                           "Nanshan: leading industries against the city's mix",
                           "http://localhost:8501/district?from=1&to=23&lang=en&code=440305"),
    "profile_repeat_innovators": ({"session": "22", "district": "440306"}, "Bao'an: repeat innovators (top 15)",
                                  "http://localhost:8501/district?from=1&to=23&lang=en&code=440306"),
    "compare_sessions": ({"session": "23", "vs": "21", "district": "440305"}, "Sessions 21 and 23: headline figures",
                         "http://localhost:8501/compare?session=23&lang=en&vs=21&code=440305"),
    "compare_categories": ({"session": "22", "industry": "C39"}, "Sessions 21 and 22: records by category",
                           "http://localhost:8501/compare?session=22&lang=en&vs=21"),
}


def test_every_chart_has_a_known_page():
    assert set(catalog.CHARTS) == set(PAGE_AND_SCOPE)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(set(catalog.CHARTS) - set(CONTEXT_CHARTS)))
def test_every_chart_carries_title_filters_source_and_demo_marker(name, lang, options, monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    filters = parse({"session": "22", "from": "4", "to": "21", "district": "440305,440306", "lang": lang},
                    options).filters
    fig, frame, card = catalog.build(name, filters, options)
    text = _texts(fig)
    assert t(f"charts.{name}.title", lang) in text
    assert ("南山区、宝安区" if lang == "zh" else "Nanshan, Bao'an") in text
    assert t("charts.demo_marker", lang) in text
    assert card.source in text
    page, scope = PAGE_AND_SCOPE[name]
    sessions = "from=4&to=21" if scope == "range" else "session=22"
    url = f"http://localhost:8501/{page}?{sessions}&district=440305,440306" + ("&lang=en" if lang == "en" else "")
    assert card.permalink == url and url in text
    assert not frame.empty and len(fig.data) > 0


@pytest.mark.parametrize("name", sorted(CONTEXT_CHARTS))
def test_profile_and_compare_charts_name_their_district_or_sessions(name, options, monkeypatch):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    query, title, url = CONTEXT_CHARTS[name]
    filters = parse({**query, "lang": "en"}, options).filters
    fig, frame, card = catalog.build(name, filters, options)
    text = _texts(fig)
    assert card.title == title and f"<b>{title}</b>" in text
    assert card.permalink == url and url in text
    assert t("charts.demo_marker", "en") in text and card.source in text
    assert not frame.empty and len(fig.data) > 0


@pytest.mark.parametrize(("name", "query"), [("profile_rank", {"session": "23"}),
                                             ("profile_rank", {"session": "23", "district": "440305,440306"}),
                                             ("compare_sessions", {"session": "23", "district": "440305,440306"})])
def test_a_context_chart_without_its_context_says_what_it_needs(name, query, options):
    with pytest.raises(catalog.ContextError, match="one district"):
        catalog.build(name, parse(query, options).filters, options)


PERMALINKS = [
    ("districts", Filters(22, 3, 20, ("440305", "440306"), ("C39",), "en"), "range",
     "http://localhost:8501/districts?from=3&to=20&district=440305,440306&industry=C39&lang=en"),
    ("districts", Filters(22, 3, 20, ("440305", "440306"), ("C39",), "en"), "session",
     "http://localhost:8501/districts?session=22&district=440305,440306&industry=C39&lang=en"),
    ("records", Filters(5, 2, 9, ("SZDP",), ("C39", "I65")), None,
     "http://localhost:8501/records?session=5&from=2&to=9&district=SZDP&industry=C39,I65"),
    ("overview", Filters(23, 1, 23), None, "http://localhost:8501/overview?session=23&from=1&to=23"),
    ("trends", Filters(23, 1, 23, lang="en"), "range", "http://localhost:8501/trends?from=1&to=23&lang=en"),
]


@pytest.mark.parametrize(("page", "filters", "scope", "url"), PERMALINKS, ids=[p[3] for p in PERMALINKS])
def test_permalink_carries_every_filter(monkeypatch, page, filters, scope, url):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    assert catalog.permalink(page, filters, scope) == url


def test_permalink_uses_public_url_without_a_trailing_slash(monkeypatch):
    monkeypatch.setenv("PUBLIC_URL", "https://dash.example.gov.cn/")
    assert catalog.permalink("companies", Filters(23, 21, 23, ("440305",))) == \
        "https://dash.example.gov.cn/companies?session=23&from=21&to=23&district=440305"


@pytest.mark.parametrize(("page", "filters", "scope", "url"), PERMALINKS, ids=[p[3] for p in PERMALINKS])
def test_permalink_opens_the_same_view(options, page, filters, scope, url):
    """What the link's query says parses back to the filters (the part the chart depends on)."""
    query = dict(pair.split("=", 1) for pair in url.split("?", 1)[1].split("&"))
    parsed = parse(query, options)
    assert parsed.notices == []
    got = parsed.filters
    assert (got.districts, got.industries, got.lang) == (filters.districts, filters.industries, filters.lang)
    if scope != "session":
        assert (got.session_from, got.session_to) == (filters.session_from, filters.session_to)
    if scope != "range":
        assert got.session == filters.session


def test_empty_result_says_so_in_a_sentence(options):
    # Shenshan had no firms in session 1 (it joined in 2011): the figure says so instead of drawing axes.
    filters = parse({"session": "1", "district": "SZSS", "industry": "D46"}, options).filters
    fig, frame, _ = catalog.build("district_ranking", filters, options)
    assert frame.empty
    assert t("charts.empty", "zh") in _texts(fig)


def test_cli_export_png_is_slide_sized(tmp_path, built_db, export_browser):
    out = tmp_path / "rank.png"
    code = cli.main(["export", "district_ranking", "--session", "23", "--district", "440305",
                     "--format", "png", "--out", str(out)])
    assert code == 0
    assert Image.open(out).size == (1920, 1080)


def test_cli_export_svg_contains_title_and_filters(tmp_path, built_db, export_browser):
    out = tmp_path / "rank.svg"
    assert cli.main(["export", "district_ranking", "--session", "23", "--district", "440305", "--lang", "en",
                     "--format", "svg", "--out", str(out)]) == 0
    svg = out.read_text(encoding="utf-8")
    assert "District ranking by records" in svg and "Nanshan" in svg


def test_cli_export_rejects_bad_filters(tmp_path, built_db):
    with pytest.raises(SystemExit) as exc:
        cli.main(["export", "district_ranking", "--session", "99", "--format", "png",
                  "--out", str(tmp_path / "x.png")])
    assert "99" in str(exc.value)


def test_cli_export_help_lists_chart_names(capsys):
    with pytest.raises(SystemExit):
        cli.main(["export", "--help"])
    out = capsys.readouterr().out
    assert all(name in out for name in catalog.CHARTS)


def _csv_rows(path) -> list[list[str]]:
    """The data rows of an exported CSV (after the header block and the blank line)."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return [line.split(",") for line in lines[lines.index("") + 2:]]


def test_cli_exports_a_compare_chart_for_a_session_pair(tmp_path, built_db):
    out = tmp_path / "compare.csv"
    assert cli.main(["export", "compare_categories", "--session", "23", "--vs", "22", "--format", "csv",
                     "--out", str(out), "--lang", "en"]) == 0
    with duckdb.connect(str(built_db), read_only=True) as con:
        counts = con.execute("SELECT session_no, count(*) FROM records WHERE session_no IN (22, 23) AND category "
                             "IS NOT NULL GROUP BY session_no ORDER BY session_no").fetchall()
    rows = _csv_rows(out)
    assert [(s, sum(int(r[2]) for r in rows if r[0] == str(s))) for s, _ in counts] == counts
    assert "http://localhost:8501/compare?session=23&lang=en&vs=22" in out.read_text(encoding="utf-8-sig")


def test_cli_exports_a_profile_chart_for_a_district_by_name(tmp_path, built_db):
    out = tmp_path / "profile.csv"
    assert cli.main(["export", "profile_records", "--session", "23", "--district", "南山区", "--format", "csv",
                     "--out", str(out), "--lang", "en"]) == 0
    with duckdb.connect(str(built_db), read_only=True) as con:
        per_session = con.execute("SELECT session_no, count(*) FROM records WHERE district_code = '440305' "
                                  "GROUP BY session_no ORDER BY session_no").fetchall()
    assert [(int(r[0]), int(r[2])) for r in _csv_rows(out)] == per_session


def test_cli_export_of_a_profile_chart_needs_one_district(tmp_path, built_db, capsys):
    assert cli.main(["export", "profile_rank", "--session", "23", "--out", str(tmp_path / "x.png")]) == 1
    assert "one district" in capsys.readouterr().err


def test_cli_pack_pptx_has_title_slide_and_one_slide_per_chart(tmp_path, built_db, export_browser):
    out = tmp_path / "brief.pptx"
    charts = "district_ranking,records_per_session,qualification_mix"
    assert cli.main(["pack", "--session", "23", "--district", "440305", "--charts", charts, "--out", str(out)]) == 0
    deck = Presentation(str(out))
    slides = list(deck.slides)
    assert len(slides) == 4
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "第23届" in first and "南山区" in first
    assert [s.name for s in slides[1].shapes if s.shape_type == 13] == [t("charts.district_ranking.title", "zh")]


def test_cli_pack_zip_has_images_data_and_manifest(tmp_path, built_db, export_browser):
    out = tmp_path / "brief.zip"
    assert cli.main(["pack", "--session", "23", "--charts", "district_ranking,category_split", "--lang", "en",
                     "--out", str(out)]) == 0
    with zipfile.ZipFile(out) as z:
        names = z.namelist()
        manifest = json.loads(z.read("manifest.json"))
        png = next(n for n in names if n.endswith(".png"))
        assert Image.open(io.BytesIO(z.read(png))).size == (1920, 1080)
        csv = next(n for n in names if n.endswith(".csv"))
        assert z.read(csv).startswith(b"\xef\xbb\xbf")
    assert [item["name"] for item in manifest["items"]] == ["district_ranking", "category_split"]
    assert manifest["demo"] is True


def test_data_status_of_a_demo_build(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        (build_id,), = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchall()
    assert catalog.DataStatus.read("en") == catalog.DataStatus(demo=True, version=f"build {build_id}")


def test_data_status_after_an_import_without_demo_rows(db_copy):
    with duckdb.connect(str(db_copy)) as con:
        (build_id,), = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchall()
        con.execute("INSERT INTO import_log VALUES (1, 'list.csv', 'x', 24, 2, 0, 'test', "
                    "TIMESTAMP '2025-03-04 05:06:07')")
        con.execute("UPDATE records SET source = 'import:list.csv'")
    status = catalog.DataStatus.read("en")
    assert status == catalog.DataStatus(demo=False, version=f"build {build_id} · imported 2025-03-04")


def test_load_options_lists_sessions_districts_and_divisions(options):
    assert options.sessions == tuple(range(1, 24))
    assert options.districts["440306"] == ("宝安区", "Bao'an") and options.districts["SZSS"][1] == "Shenshan"
    assert len(options.districts) == 11
    assert options.industries["C39"] == ("计算机、通信和其他电子设备制造业",
                                         "Computers, communication and other electronic equipment")
    assert all(len(code) == 3 for code in options.industries)


# --- cards, data and figures without the database: literal options and status --------------------------------

OPTIONS = Options(sessions=tuple(range(1, 24)), districts={"440305": ("南山区", "Nanshan")},
                  industries={"C39": ("计算机、通信和其他电子设备制造业", "Computers")})


@pytest.mark.parametrize(("demo", "source"), [
    (True, "Shenzhen Enterprise Innovation Records, published totals; details are demo data"),
    (False, "Lists published by the Shenzhen Enterprise Innovation Records office"),
])
def test_card_texts(monkeypatch, demo, source):
    monkeypatch.delenv("PUBLIC_URL", raising=False)
    filters = Filters(22, 4, 21, ("440305",), lang="en")
    got = catalog.card(catalog.CHARTS["district_ranking"], filters, OPTIONS,
                       catalog.DataStatus(demo=demo, version="build abc"), today=dt.date(2025, 1, 2))
    assert got == Card(title="District ranking by records",
                       subtitle="Session 22 · Nanshan · selected districts highlighted, others in grey",
                       unit="records (equal records share a rank)",
                       source=source, lang="en", demo=demo, data_version="build abc", export_date="2025-01-02",
                       permalink="http://localhost:8501/districts?session=22&district=440305&lang=en")


def test_card_of_a_range_chart_in_chinese_dated_today():
    got = catalog.card(catalog.CHARTS["repeat_innovators"], Filters(22, 4, 21), OPTIONS,
                       catalog.DataStatus(demo=True, version="v"))
    assert got.title == "多次入选的创新企业（前15家）" and got.lang == "zh"
    assert got.subtitle == "第4–21届（2005–2022年） · 全市"
    assert got.export_date == dt.date.today().isoformat()


def test_data_passes_the_filters_and_the_charts_fixed_parameters():
    calls = []
    catalog.data(catalog.CHARTS["industry_trends"], Filters(22, 4, 21, ("440305",), ("C39",)),
                 run=lambda name, **params: calls.append((name, params)) or pd.DataFrame())
    assert calls == [("industry_trends", {"session": 22, "session_from": 4, "session_to": 21,
                                          "districts": ["440305"], "industries": ["C39"], "top": 8})]


def test_build_with_no_rows_gives_the_empty_sentence_figure():
    status = catalog.DataStatus(demo=False, version="v")
    fig, frame, card = catalog.build("district_map", Filters(22, 4, 21, lang="en"), OPTIONS, status,
                                     run=lambda name, **params: pd.DataFrame())
    assert frame.empty and card.demo is False and len(fig.data) == 0
    assert "No data under the current filters" in _texts(fig)


def test_build_with_rows_draws_them():
    status = catalog.DataStatus(demo=True, version="v")
    rows = pd.DataFrame({"session_no": [22], "district_code": ["440305"], "name_zh": ["南山区"],
                         "name_en": ["Nanshan"], "records": [7], "companies": [5], "applicants": [9], "rank": [1],
                         "selected": [False], "districts_ranked": [1]})
    fig, frame, _ = catalog.build("district_ranking", Filters(22, 4, 21, lang="en"), OPTIONS, status,
                                  run=lambda name, **params: rows)
    pd.testing.assert_frame_equal(frame, rows)
    assert list(fig.data[0].x) == [7] and list(fig.data[0].y) == ["Nanshan"]


def test_build_reads_the_data_status_in_the_readers_language(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        (build_id,), = con.execute("SELECT value FROM meta WHERE key = 'build_id'").fetchall()
    _, frame, card = catalog.build("district_ranking", Filters(23, 1, 23, lang="en"), OPTIONS)
    assert card.data_version == f"build {build_id}" and card.demo is True
    assert int(frame["records"].sum()) == 216  # published: session 23 has 216 records


def test_one_demo_record_makes_the_data_demo(db_copy):
    with duckdb.connect(str(db_copy)) as con:
        con.execute("UPDATE records SET source = 'import:x.csv' WHERE record_id <> (SELECT min(record_id) FROM "
                    "records WHERE source = 'demo')")
    assert catalog.DataStatus.read("en").demo is True


def test_an_exported_share_has_two_decimals_that_round_to_the_chart_s(tmp_path, built_db):
    """The profile's table read 25.96153846153846 in its CSV and XLSX."""
    out = tmp_path / "profile.csv"
    assert cli.main(["export", "profile_records", "--district", "440306", "--session", "23", "--format", "csv",
                     "--out", str(out), "--lang", "en"]) == 0
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    header = lines[lines.index("") + 1].split(",")
    shares = {int(row[header.index("Session")]): row[header.index("Share (%)")] for row in _csv_rows(out)}
    with duckdb.connect(str(built_db), read_only=True) as con:
        baoan, city = con.execute("SELECT count(*) FILTER (WHERE district_code = '440306'), count(*) FROM records "
                                  "WHERE session_no = 23").fetchone()
    assert shares[23] == f"{100 * baoan / city:.2f}".rstrip("0").rstrip(".")
    assert all(len(v.partition(".")[2]) <= 2 for v in shares.values()), shares
