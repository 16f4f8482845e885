"""While demo data is loaded, every page says so and every file a reader can download says so.

The walk goes through the real app (AppTest, the entry script): every page in Chinese and the download buttons
each draws, one chart's download menu (images and tables: every chart's menu is the same code), the records
list, a briefing pack in each format and a district pack (one format: its builders are the briefing's).
Every download button the pages draw is fetched and its file checked for the marker "演示数据", where a reader
meets it first: a CSV's first line, the top of an XLSX's first sheet, the text of an image
(SVG, PDF; a PNG's Comment chunk, beside the marker drawn in it), the first slide or the memo, and every file
inside a ZIP. A download the walk finds and cannot check fails the test, so a new kind of file cannot slip
by unmarked.
"""

from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from docx import Document
from PIL import Image
from pptx import Presentation
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import app_test

from core import briefing
from core.filters import Filters
from core.i18n import t
from tests.test_pages import PAGES, entry_mode, open_page  # noqa: F401 - entry_mode: a fixture, used by name

MARKER = t("charts.demo_marker", "zh")  # 演示数据: every marker (banner, table, figure, pack) contains it


@pytest.fixture
def managers(monkeypatch) -> list[MediaFileManager]:
    """The media file manager of each AppTest run, so the test can fetch what a download button serves."""
    made: list[MediaFileManager] = []

    class Recording(MediaFileManager):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            made.append(self)

    monkeypatch.setattr(app_test, "MediaFileManager", Recording)
    return made


def downloads(at, made: list[MediaFileManager]) -> dict[str, bytes]:
    """file name -> bytes of every download button of the last run (a deferred one: its callable, as a click
    would run it; Streamlit keeps those callables in a private table, read here because a test has no
    browser to click with)."""
    manager, files = made[-1], {}
    for button in at.get("download_button"):
        proto = button.proto
        if proto.deferred_file_id:
            entry = manager._deferred_callables[proto.deferred_file_id]
            name, data = entry["filename"], entry["callable"]()
        else:
            stored = manager._storage.get_file(proto.url.rsplit("/", 1)[-1])
            name, data = stored.filename, stored.content
        files[name] = data.encode() if isinstance(data, str) else bytes(data)
    return files


def says_demo(name: str, data: bytes) -> bool:
    """Whether the file says "demo data" where a reader meets it first."""
    ext = name.rsplit(".", 1)[-1].lower()
    if ext == "csv":  # the documented first line: 数据性质,演示数据：非官方名单
        first = data.decode("utf-8-sig").splitlines()[0]
        return first.startswith(t("export.data_kind", "zh") + ",") and MARKER in first
    if ext == "xlsx":
        return MARKER in str(openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["A1"].value)
    if ext == "png":
        image = Image.open(io.BytesIO(data))
        return MARKER in image.info.get("Comment", "")
    if ext == "svg":
        return MARKER in data.decode("utf-8")
    if ext == "pdf":
        return MARKER in PdfReader(io.BytesIO(data)).pages[0].extract_text()
    if ext == "pptx":
        first = Presentation(io.BytesIO(data)).slides[0]
        return any(MARKER in shape.text_frame.text for shape in first.shapes if shape.has_text_frame)
    if ext == "docx":
        return any(MARKER in p.text for p in Document(io.BytesIO(data)).paragraphs[:12])
    if ext == "json":  # a ZIP's manifest, for scripts
        manifest = json.loads(data)
        return manifest["demo"] is True and MARKER in manifest["data_kind"]
    if ext == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as pack:
            members = [m for m in pack.namelist() if not m.endswith("/")]
            return bool(members) and all(says_demo(m, pack.read(m)) for m in members)
    raise AssertionError(f"{name}: a download of a kind this test cannot check")


def banner_says_demo(at) -> bool:
    return any(MARKER in box.value for box in [*at.info, *at.warning])


def open_first_menu(at):
    menus = sorted(key for key in at.session_state if key.startswith("menu_"))
    if menus:
        at.session_state[menus[0]] = True
        at.run()
    return at


def build_each_format(at, radio: str, build_label: str, made, formats=tuple(briefing.PACK_FORMATS)
                      ) -> dict[str, bytes]:
    files = {}
    for fmt in formats:
        at.radio(key=radio).set_value(fmt).run()
        next(b for b in at.button if b.label == build_label).click().run()
        assert not at.exception, [e.message for e in at.exception]
        files.update(downloads(at, made))
    return files


@pytest.mark.usefixtures("entry_mode", "export_browser")
def test_every_page_and_every_download_says_demo_data(managers):
    files: dict[str, bytes] = {}
    for page in PAGES:
        query = {"district": "440305"} if page == "district" else {}
        at = open_page(page, query)
        assert not at.exception, (page, [e.message for e in at.exception])
        assert banner_says_demo(at), f"the {page} page does not say it shows demo data"
        if page == "briefing":
            at.session_state["basket"] = [briefing.entry("district_ranking", Filters(23, 1, 23))]
            at.run()
            files.update(build_each_format(at, "basket_format", t("basket.build", "zh"), managers))
        elif page == "district":
            district = t("profile.briefing_build", "zh", district="南山区")
            # the district pack goes through the briefing's pack builders: one format walks its button
            files.update(build_each_format(at, "profile_format", district, managers, formats=("docx",)))
        else:  # one chart's menu: every chart serves its images and tables through the same menu
            files.update(downloads(open_first_menu(at) if page == "overview" else at, managers))
    kinds = {name.rsplit(".", 1)[-1] for name in files}
    assert kinds >= {"csv", "xlsx", "png", "svg", "pdf", "pptx", "docx", "zip"}, sorted(files)
    unmarked = sorted(name for name, data in files.items() if not says_demo(name, data))
    assert unmarked == []


@pytest.mark.usefixtures("entry_mode")
def test_the_district_list_says_demo_data_too():
    """/district without a code lists the city's districts; it said nothing of demo data."""
    at = open_page("district", {})
    assert not at.exception, [e.message for e in at.exception]
    assert banner_says_demo(at)
