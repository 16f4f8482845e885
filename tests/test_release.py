"""The press-release draft and the release-day kit (`python -m core.cli release`).

The DOCX is read back with python-docx and compared with literals from the session 23 press release
(data/raw/published_stats.csv and the seed text): 216 records, 159 companies, 148 / 33 / 35, 15 award-winning,
85.3 % high-tech, 8.62亿元 / 862 million yuan, 24 / 23 / 22 / 54 titled applicants making 75 %, up 7 percentage
points, Nanshan then Bao'an, Longhua, Guangming, 3,684 records since 2002. A freshly imported session 24 (no
applicant data) must say "not applicable" and nothing about applicants; bad input ends with one error line and
no file.
"""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import duckdb
import pytest
from pypdf import PdfReader

from core import catalog, cli, export, i18n, release, release_kit
from tests.conftest import no_browser
from tests.test_new_session import import_session_24
from tests.test_pages import entry_mode  # noqa: F401 (a fixture)


def _text(document) -> str:
    return "\n".join(p.text for p in document.paragraphs)


def _run_cli(args: list[str], capsys) -> tuple[int, str, str]:
    """cli.main in this process; a SystemExit carrying a message ends as the interpreter would end it."""
    import sys

    try:
        code = cli.main(args)
    except SystemExit as exc:
        if isinstance(exc.code, str):
            print(exc.code, file=sys.stderr)
        code = 1 if isinstance(exc.code, str) else exc.code
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def drafts(built_db, tmp_path_factory) -> dict[str, docx.document.Document]:
    """Session 23's release in both languages, written by the command line."""
    if export.browser_path() is None:
        no_browser("the release renders its charts with the export browser")
    folder = tmp_path_factory.mktemp("release")
    out = {}
    for lang in ("zh", "en"):
        path = folder / f"r23_{lang}.docx"
        assert cli.main(["release", "--session", "23", "--lang", lang, "--out", str(path)]) == 0
        out[lang] = docx.Document(str(path))
    out["folder"] = folder
    return out


ZH_PUBLISHED = ["深圳新增216项", "159家企业的216个项目", "产品研发类项目148项", "生产制造类项目33项",
                "现代服务类项目35项", "有15个项目获得国家、省、市科学技术进步奖", "国家高新技术企业占85.3%",
                "平均年销售收入8.62亿元", "制造业单项冠军24家", "“小巨人”企业23家", "省级专精特新中小企业22家",
                "市级专精特新中小企业54家", "合计占申报企业的75%，比第22届提高7个百分点",
                "南山区居首，其次为宝安区、龙华区、光明区", "累计发布“深圳企业创新纪录”3684项",
                "前22届累计发布3468项，涉及企业1830家次"]
EN_PUBLISHED = ["Shenzhen adds 216 more", "216 projects from 159 companies",
                "product research and development, 148", "production and manufacturing, 33", "modern services, 35",
                "15 have won national, provincial or municipal science and technology progress awards",
                "85.3% are national high-tech enterprises", "862 million yuan", "24 manufacturing single champions",
                "23 national specialised and innovative \"little giants\"", "22 provincial and 54 municipal",
                "together 75% of all applicants, up 7 percentage points on session 22",
                "Nanshan leads, followed by Bao'an, Longhua and Guangming", "approved 3,684 Shenzhen Enterprise",
                "The first 22 sessions accounted for 3,468 records from 1,830 companies"]


@pytest.mark.parametrize("lang, phrases", [("zh", ZH_PUBLISHED), ("en", EN_PUBLISHED)])
def test_session_23_states_the_published_figures(drafts, lang, phrases):
    text = _text(drafts[lang])
    missing = [p for p in phrases if p not in text]
    assert not missing, missing
    for bad in ("nan", "NaN", "⟦", "None"):
        assert bad not in text


def test_the_applicant_count_is_said_to_be_derived(drafts):
    """Session 23's release gives shares of its applicants, not their number: 163 is the project's inference
    (data/raw/derived_figures.csv) and the draft says so instead of stating it as published."""
    zh, en = _text(drafts["zh"]), _text(drafts["en"])
    assert "（申报企业约163家，系本系统据公开比例推算，并非公开数字）" in zh and "本届163家申报企业" not in zh
    assert "(about 163 companies: a count this project derived from the published shares, not a published " \
           "figure)" in en and "Of the 163 companies that applied" not in en


def test_english_numbers_use_english_formats(drafts):
    text = _text(drafts["en"])
    assert "3,684" in text and "1,989" in text and "3684" not in text
    assert "亿" not in text and "percentage points" in text


def test_the_document_is_editable_with_headings_pictures_and_page_numbers(drafts, built_db):
    for lang in ("zh", "en"):
        document = drafts[lang]
        styles = [(p.style.name, p.text) for p in document.paragraphs]
        assert styles.count(("Title", "深圳新增216项“企业创新纪录”" if lang == "zh" else
                             "Shenzhen adds 216 more Enterprise Innovation Records")) == 1
        headings = [text for style, text in styles if style == "Heading 1"]
        assert headings[-1] == ("编者注" if lang == "zh" else "Notes for editors") and len(headings) == 5
        assert len(document.inline_shapes) == 2
        footer = document.sections[0].footer._element.xml
        assert "PAGE" in footer and "NUMPAGES" in footer
    with duckdb.connect(str(built_db), read_only=True) as con:
        (demo,), = con.execute("SELECT count(*) > 0 FROM records WHERE source = 'demo'").fetchall()
    assert demo and "演示数据" in _text(drafts["zh"]) and "Demo data" in _text(drafts["en"])


def test_every_picture_has_alt_text_naming_its_chart(drafts):
    for lang in ("zh", "en"):
        document = drafts[lang]
        alts = [shape._inline.docPr.get("descr") or "" for shape in document.inline_shapes]
        assert len(alts) == 2
        assert "216" in alts[0] and ("南山区" in alts[1] if lang == "zh" else "Nanshan" in alts[1])


def test_a_new_session_without_applicant_data_states_only_what_exists(db_copy, tmp_path, capsys):
    import_session_24(tmp_path)
    with duckdb.connect(str(db_copy), read_only=True) as con:
        records, companies = con.execute("SELECT count(*), count(DISTINCT company_id) FROM records "
                                         "WHERE session_no = 24").fetchone()
    for lang, na, applicants in (("zh", "申报企业数据：不适用", "申报企业中"),
                                 ("en", "Applicant figures: not applicable", "companies that applied")):
        draft = release.build(24, lang, catalog.load_options(), with_charts=False)
        text = draft.text()
        assert (f"{companies}家企业的{records}个项目" if lang == "zh" else
                f"{records} projects from {companies} companies") in text
        assert na in text and applicants not in text
        assert "nan" not in text.lower().replace("nanshan", "") and "⟦" not in text
        assert "（）" not in text and "()" not in text and ", ." not in text
        # the change on session 23 is stated with 23's published counts
        assert ("与第23届（159家企业的216项纪录）" if lang == "zh" else "(216 records from 159 companies)") in text


def test_the_first_session_has_no_previous_one_and_no_comparison(built_db):
    options = catalog.load_options()
    draft = release.build(1, "en", options, with_charts=False)
    assert "no earlier session to compare with" in draft.text()
    assert "compare" not in release_kit.kit_names(1, "en", options)


def test_the_kit_holds_the_release_the_comparison_and_eleven_district_briefings(drafts, built_db, monkeypatch):
    # the district packs themselves are tested in test_district_profile.py; here: one per district, by name
    monkeypatch.setattr(release_kit.dbf, "build", lambda fmt, code, *a, **k: f"{fmt}:{code}".encode())
    options = catalog.load_options()
    data = release_kit.build_kit(23, "zh", options)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        names = zf.namelist()
        briefings = [n for n in names if n.startswith("各区简报/")]
        assert len(briefings) == 11
        with duckdb.connect(str(built_db), read_only=True) as con:
            districts = [r[0] for r in con.execute("SELECT name_zh FROM districts").fetchall()]
        assert len(districts) == 11 and all(any(d in n for n in briefings) for d in districts)
        assert {zf.read(n).decode() for n in briefings} == {f"pptx:{c}" for c in options.districts}
        release_docx = [n for n in names if n.endswith("新闻稿草稿.docx")]
        assert len(release_docx) == 1 and any(n.endswith("新闻稿草稿.pdf") for n in names)
        assert "第22届与第23届对比.docx" in names
        assert _text(docx.Document(io.BytesIO(zf.read(release_docx[0])))) == _text(drafts["zh"])
        pdf = zf.read([n for n in names if n.endswith(".pdf")][0])
        pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        assert "深圳新增216项" in pdf_text.replace(" ", "") and "3684" in pdf_text
        comparison = docx.Document(io.BytesIO(zf.read("第22届与第23届对比.docx")))
        assert "212项" in _text(comparison) and "216项" in _text(comparison)


@pytest.mark.parametrize("args, message", [
    (["--session", "99"], "session 99 is not in the database"),
    (["--session", "23", "--with-districts"], "--out must end in .zip"),
    (["--session", "0"], "session 0 is not in the database"),
])
def test_bad_input_ends_with_one_error_line(built_db, tmp_path, capsys, args, message):
    out = tmp_path / "r.docx"
    code, _stdout, err = _run_cli(["release", *args, "--out", str(out)], capsys)
    assert code != 0 and err.strip().count("\n") == 0 and err.startswith("error:") and message in err
    assert "Traceback" not in err and list(tmp_path.iterdir()) == []


def test_a_missing_folder_or_an_existing_file_is_refused(built_db, tmp_path, capsys):
    code, _o, err = _run_cli(["release", "--session", "23", "--out", str(tmp_path / "no" / "r.docx")], capsys)
    assert code != 0 and err.startswith("error:") and "does not exist" in err
    existing = tmp_path / "r.docx"
    existing.write_bytes(b"keep me")
    code, _o, err = _run_cli(["release", "--session", "23", "--out", str(existing)], capsys)
    assert code != 0 and "--force" in err and existing.read_bytes() == b"keep me"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.docx"]


def test_a_failure_while_building_leaves_no_file(built_db, tmp_path, capsys, monkeypatch):
    def fail(*_args, **_kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("core.export.release_docx.build", fail)
    out = tmp_path / "r.docx"
    code, _o, err = _run_cli(["release", "--session", "23", "--out", str(out)], capsys)
    errors = [line for line in err.splitlines() if line.startswith("error:")]  # after the progress lines
    assert code != 0 and errors == ["error: RuntimeError: disk full"] and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_the_command_is_listed(capsys):
    with pytest.raises(SystemExit):
        cli.main(["release", "--help"])
    assert "--with-districts" in capsys.readouterr().out


def test_file_names_are_safe(built_db):
    assert Path(release.file_name(23, "en", "docx")).suffix == ".docx"
    assert "/" not in release.file_name(23, "zh", "docx")


@pytest.mark.usefixtures("entry_mode")
def test_the_overview_builds_the_release_with_progress(drafts):
    from streamlit.testing.v1 import AppTest

    from tests.test_pages import ROOT

    at = AppTest.from_file(str(ROOT / "dashboard.py"), default_timeout=120)
    at.session_state["release_open"] = True  # the expander draws its panel only while open
    at.switch_page("pages/overview.py")
    at.run()
    at.button(key="release_build").click().run()
    assert not at.exception
    assert [s.label for s in at.status] == ["新闻稿已生成"]
    name, data = at.session_state["release_file"][1:]
    assert name.endswith(".docx") and "深圳新增216项" in _text(docx.Document(io.BytesIO(data)))


@pytest.mark.usefixtures("entry_mode")
def test_the_import_page_offers_the_imported_sessions_release():
    from tests.test_pages import open_page

    at = open_page("import")
    assert "import_release_open" not in at.session_state  # nothing imported in this session yet
    at.session_state["import_release_session"] = 23  # what a successful import leaves behind
    at.run()
    assert not at.exception
    assert "为刚导入的第23届生成新闻稿" in [c.value for c in at.caption]
    assert [e.label for e in at.expander if e.label == "新闻稿"] == ["新闻稿"]


def test_libreoffice_renders_the_release_on_a4_pages(drafts):
    import shutil
    import subprocess

    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:  # as tests/test_export_docx.py: `make test` installs it
        no_browser("LibreOffice not installed (make test-deps: apt-get install libreoffice-writer-nogui)")
    work = drafts["folder"]
    subprocess.run([soffice, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless", "--convert-to",
                    "pdf", "--outdir", str(work), str(work / "r23_zh.docx")], check=True, capture_output=True,
                   timeout=300)
    pages = PdfReader(str(work / "r23_zh.pdf")).pages
    assert 2 <= len(pages) <= 4  # a press release, not a report: measured 3 pages (two charts, the notes)
    assert [round(v) for v in pages[0].mediabox[2:]] == [595, 842]
    text = "\n".join(p.extract_text() for p in pages)
    assert "深圳新增216项" in text.replace(" ", "") and "编者注" in text and "（完）" in text
    assert f"第 1 页，共 {len(pages)} 页" in text


@pytest.mark.parametrize("args, line", [
    (["--session", "99", "--out", "{tmp}/r.docx"], "error: session 99 is not in the database (sessions 1-23)"),
    (["--session", "23", "--out", "{tmp}/r.pdf"], "error: --out must end in .docx (add --with-districts for the "
                                                  ".zip kit)"),
    (["--session", "23", "--out", "{tmp}/no/r.docx"], "error: the folder {tmp}/no does not exist"),
])
def test_the_command_as_users_run_it_says_one_plain_line(built_db, tmp_path, args, line):
    # `python -m core.cli` runs cli.py as __main__: a message must not come out as "error: CliError: ..."
    import subprocess
    import sys

    from tests.test_pages import ROOT

    done = subprocess.run([sys.executable, "-m", "core.cli", "release", *[a.format(tmp=tmp_path) for a in args]],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and done.stderr.splitlines() == [line.format(tmp=tmp_path)]
    assert list(tmp_path.iterdir()) == []


def test_the_first_session_s_release_says_first_and_not_more(built_db):
    options = catalog.load_options()
    text = release.build(1, "en", options, with_charts=False).text()
    headline = text.split("\n")[1]
    assert headline == "Shenzhen announces its first 104 Enterprise Innovation Records"
    assert "As this is the programme's first session" in text and "1 sessions" not in text


def test_a_date_is_written_with_the_month_s_whole_name(built_db):
    text = release.build(21, "en", catalog.load_options(), with_charts=False).text()
    assert "opened on 27 April" in text


def test_two_names_are_joined_with_and():
    assert release._and_join(["Futian", "Luohu"], "en") == "Futian and Luohu"
    assert release._and_join(["A", "B", "C"], "en") == "A, B and C"
    assert release._and_join(["福田区", "罗湖区"], "zh") == "福田区、罗湖区"


def test_the_demo_note_says_only_published_figures_are_official(drafts):
    """On demo data the note said "the published totals match the official figures": a session 1 draft's
    high-tech share and revenue, and every district ranking, are the demo's own and read as official."""
    assert "只有官方公开发布过的数字与官方一致；其余数字（如各区排名" in _text(drafts["zh"])
    assert "Only figures the programme has published match the official ones; the others (district rankings" in \
        _text(drafts["en"])


def test_the_english_draft_reads_as_english():
    """Wording a reader tripped over: "Compared with session 22 (…), that is 4 more records" and "Among all
    applicants, Nanshan leads" (a district is not an applicant); the comparison memo titled "Session 22 against
    session 23" while its text ran the other way."""
    text = release.build(23, "en", catalog.load_options(), with_charts=False).text()
    assert re.search(r"That is [\d,]+ more records \([+-]\d+\.\d%\) and \d+ more compan\w+ than in session 22 "
                     r"\([\d,]+ records from [\d,]+ companies\)\.", text), text
    assert "By number of applicants, Nanshan leads, followed by" in text and "Among all applicants" not in text
    assert i18n.t("release.compare_title", "en", a=22, b=23) == "Sessions 22 and 23 compared (whole city)"


def test_english_industry_names_read_lower_case_inside_a_sentence(built_db):
    """"…; Computers, communication and other electronic equipment has the most": a name inside a sentence."""
    con = duckdb.connect(str(built_db), read_only=True)
    try:
        (name,), = con.execute("SELECT i.name_en FROM records r JOIN industries i ON i.industry_code = "
                               "left(r.industry_code, 3) WHERE r.session_no = 23 GROUP BY i.name_en "
                               "ORDER BY count(*) DESC LIMIT 1").fetchall()
    finally:
        con.close()
    text = release.build(23, "en", catalog.load_options(), with_charts=False).text()
    assert name[0].isupper() and f"industries; {name[0].lower()}{name[1:]} has the most (" in text
