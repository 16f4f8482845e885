"""The real app in Debian's chromium (Playwright): URL filters, sidebar widgets, navigation, language, bad URLs.

Screenshots of every step go to tests/artifacts/ (gitignored), with a tall viewport so whole pages show.
"""

from __future__ import annotations

import contextlib
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
from playwright import sync_api

from core import config
from tests.conftest import no_browser

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM = config.browser_path() or config.CHROMIUM
ARGS = list(config.CHROMIUM_FLAGS)
TIMEOUT_MS = 60_000



@pytest.fixture(scope="module", autouse=True)
def chromium_present():
    if not os.path.exists(CHROMIUM):
        no_browser(f"{CHROMIUM} not found")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for_port(port: int, proc: subprocess.Popen, limit: float = 60.0) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.25)
    raise TimeoutError(f"streamlit did not answer on port {port} within {limit:.0f}s")


@contextlib.contextmanager
def running_app(db_path: Path, log_path: Path, env: dict | None = None):
    """`streamlit run dashboard.py` on a free localhost port over `db_path`; yields its address."""
    port = free_port()
    env = {**os.environ, "RECORDS_DB": str(db_path), **(env or {})}
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            [str(Path(sys.executable).parent / "streamlit"), "run", "dashboard.py", "--server.port", str(port),
             "--server.address", "127.0.0.1", "--server.headless", "true", "--browser.gatherUsageStats", "false"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        try:
            wait_for_port(port, proc)
            yield f"http://127.0.0.1:{port}"
        finally:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)


@contextlib.contextmanager
def tall_page():
    """A Chinese-language page in its own chromium, 1400 x 1600 (a whole chart card in view), with the longer
    timeout a shared machine needs: for the modules that read what a page shows of hostile input."""
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            pg = browser.new_context(viewport={"width": 1400, "height": 1600}, locale="zh-CN").new_page()
            pg.set_default_timeout(2 * TIMEOUT_MS)  # Streamlit can be slow to answer on a busy machine
            yield pg
        finally:
            browser.close()


@pytest.fixture(scope="module")
def server(built_db, tmp_path_factory):
    with running_app(built_db, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 2600}, locale="zh-CN")
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    yield pg
    context.close()


def shot(pg, name: str) -> None:
    pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def settle(pg) -> None:
    """Wait until Streamlit has finished the current run."""
    pg.wait_for_timeout(300)
    pg.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=TIMEOUT_MS)
    pg.wait_for_timeout(300)


def open_app(pg, url: str) -> None:
    pg.goto(url)
    pg.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT_MS)
    settle(pg)


def main_text(pg) -> str:
    return pg.locator('[data-testid="stMain"]').inner_text()


def assert_no_traceback(pg) -> None:
    text = pg.locator("body").inner_text()
    assert "Traceback" not in text and "Error:" not in text, text[:800]


def sidebar_nav_text(pg) -> str:
    return pg.locator('[data-testid="stSidebarNav"]').inner_text()


def ranking_categories(pg) -> list[str]:
    """y categories of the district ranking chart, read from Plotly's own data in the page."""
    return pg.evaluate("""() => {
        for (const el of document.querySelectorAll('.js-plotly-plot')) {
            const t = el.layout && el.layout.title && el.layout.title.text;
            if (t && (t.includes('各区纪录数排名') || t.includes('ranking') || t.includes('Ranking')))
                return Array.from(el.data[0].y);
        }
        return null;
    }""")


def ranking_tick_texts(pg) -> list[str]:
    """The district ranking's y tick labels as drawn (markup applied, so what a reader sees)."""
    return pg.evaluate("""() => {
        for (const el of document.querySelectorAll('.js-plotly-plot')) {
            const t = el.layout && el.layout.title && el.layout.title.text;
            if (t && (t.includes('各区纪录数排名') || t.includes('ranking') || t.includes('Ranking')))
                return Array.from(el.querySelectorAll('.ytick text')).map(n => n.textContent);
        }
        return null;
    }""")


def assert_nanshan_in_focus(pg) -> None:
    """Focus, not filter: every district stays in the ranking, Nanshan's rank written beside its name."""
    categories = ranking_categories(pg)
    assert len(categories) == 11 and categories[0] == "南山区", categories
    assert "南山区 第1/11" in ranking_tick_texts(pg)


def choose_session(pg, label: str) -> None:
    pg.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').first.click()
    pg.get_by_role("option", name=label).click()
    settle(pg)


def test_overview_from_url(server, page):
    open_app(page, f"{server}/?session=23")
    page.wait_for_selector('[data-testid="stMetric"]')
    shot(page, "01_overview_session23")
    values = page.locator('[data-testid="stMetricValue"]').all_inner_texts()
    assert values[:2] == ["216", "159"]
    assert "85.3%" in values and "8.62亿元" in values
    # every figure's label is read whole (Streamlit cut the long ones to a line ending in "…")
    cut = page.locator('[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"]').evaluate_all(
        "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
    assert not cut, cut
    text = main_text(page)
    assert "南山区" in text and "75%" in text
    assert "session=23" in page.url
    assert_no_traceback(page)


def test_district_page_from_shared_link(server, page):
    open_app(page, f"{server}/districts?session=22&district=440305")
    shot(page, "02_districts_shared_link")
    assert "session=22" in page.url and "district=440305" in page.url
    assert_nanshan_in_focus(page)
    assert_no_traceback(page)


def test_english_from_url(server, page):
    open_app(page, f"{server}/?lang=en")
    shot(page, "03_overview_en")
    nav = sidebar_nav_text(page)
    for label in ("Overview", "Trends", "Districts", "Industries", "Companies", "About the data"):
        assert label in nav
    assert "概览" not in nav
    assert "862 million yuan" in main_text(page)


@pytest.mark.parametrize(("query", "bad"), [("session=abc", "abc"), ("district=XYZ", "XYZ")])
def test_bad_url_warns_without_traceback(server, page, query, bad):
    open_app(page, f"{server}/?{query}")
    shot(page, f"04_bad_url_{bad}")
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any(bad in a for a in alerts), alerts
    assert_no_traceback(page)
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "216"  # defaults used


@pytest.mark.parametrize(("path", "named"), [("compare?vs=%C2%B2", "vs=²"),
                                             ("compare?vs=99999999999999999999&code=zzz", "code=zzz"),
                                             ("district?code=%00&lang=en", "code=")])
def test_hostile_page_values_give_a_notice_in_the_browser(server, page, path, named):
    """A page-owned URL value (core.filters.PAGE_KEYS) that Python mis-parses: a notice, never an error page."""
    open_app(page, f"{server}/{path}")
    alerts = page.locator('[data-testid="stAlert"]').all_inner_texts()
    assert any(named in a for a in alerts), alerts
    assert "This app has encountered an error" not in page.locator("body").inner_text()
    assert_no_traceback(page)


def test_sidebar_flow_session_district_navigation_language(server, page):
    open_app(page, f"{server}/?session=23")
    choose_session(page, "第22届（2023年）")
    shot(page, "05_session22")
    assert_no_traceback(page)
    assert "session=22" in page.url
    assert page.locator('[data-testid="stMetricValue"]').first.inner_text() == "212"

    ms = page.locator('[data-testid="stSidebar"] [data-testid="stMultiSelect"]').first
    ms.click()
    page.get_by_role("option", name="南山区").click()
    page.keyboard.press("Escape")
    settle(page)
    shot(page, "06_district_nanshan")
    assert_no_traceback(page)
    assert "district=440305" in page.url

    page.locator('[data-testid="stSidebarNav"] a', has_text="各区").click()
    page.wait_for_url("**/districts*")
    page.wait_for_selector(".js-plotly-plot")
    settle(page)
    shot(page, "07_districts_nav")
    assert "session=22" in page.url and "district=440305" in page.url
    assert_nanshan_in_focus(page)

    page.locator('[data-testid="stSidebar"] [data-testid="stRadio"]').get_by_text("English").click()
    settle(page)
    shot(page, "08_english")
    assert_no_traceback(page)
    assert "Districts" in sidebar_nav_text(page) and "lang=en" in page.url


# --- downloads ------------------------------------------------------------------------------------------------

def png_size(path) -> tuple[int, int]:
    from PIL import Image

    with Image.open(path) as image:
        return image.size


def test_modebar_download_is_a_2x_png_named_after_chart_and_filters(server, page, tmp_path):
    open_app(page, f"{server}/districts?session=23&district=440305,440306")
    chart = page.locator(".js-plotly-plot").first
    chart.hover()
    button = chart.locator(".modebar-btn[data-title*='PNG'], .modebar-btn[data-title*='png']").first
    with page.expect_download() as info:
        button.click()
    download = info.value
    name = download.suggested_filename
    assert name.endswith(".png") and "各区纪录数排名" in name and "第23届" in name and "南山区" in name, name
    target = tmp_path / "modebar.png"
    download.save_as(target)
    assert png_size(target) == (1920, 1080)


def test_download_menu_gives_slide_png_and_excel_ready_csv(server, page, tmp_path):
    open_app(page, f"{server}/districts?session=23&district=440305")
    page.get_by_role("button", name="下载", exact=True).first.click()  # not the toolbar's 下载图表…
    menu = page.locator('[data-testid="stPopoverBody"]')
    menu.wait_for(state="visible")
    shot(page, "10_download_menu")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        menu.get_by_role("button", name="PNG 幻灯片（1920×1080）").click()
    png = info.value
    assert "各区纪录数排名" in png.suggested_filename and png.suggested_filename.endswith("_1920x1080.png")
    png.save_as(tmp_path / "slide.png")
    assert png_size(tmp_path / "slide.png") == (1920, 1080)
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        menu.get_by_role("button", name="数据 CSV（Excel 可直接打开）").click()
    csv = info.value
    csv.save_as(tmp_path / "data.csv")
    raw = (tmp_path / "data.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "南山区" in raw.decode("utf-8-sig")
    assert_no_traceback(page)


def test_briefing_basket_builds_a_pptx_deck(server, page, tmp_path):
    from pptx import Presentation

    open_app_plain(page, f"{server}/briefing?session=23&district=440305")
    page.get_by_role("button", name="放入默认的10张图表").click()
    settle(page)
    # the address the files' links carry is a link to that address, not to it and the sentence after it
    address = page.locator('[data-testid="stMain"] a[href^="http://127.0.0.1"]').first
    assert address.get_attribute("href") == server and address.inner_text() == server
    page.get_by_role("button", name="生成简报").click()
    download_button = page.get_by_role("button", name="下载 PPTX")
    download_button.wait_for(state="visible", timeout=TIMEOUT_MS)
    shot(page, "11_basket_built")
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        download_button.click()
    deck_file = tmp_path / "deck.pptx"
    info.value.save_as(deck_file)
    # the span of the default ten charts (sessions 1-23), as the pack's title states it
    assert info.value.suggested_filename == "深圳企业创新纪录简报_第1–23届（2002–2024年）.pptx"
    slides = list(Presentation(str(deck_file)).slides)
    assert len(slides) == 11
    first = " ".join(s.text_frame.text for s in slides[0].shapes if s.has_text_frame)
    assert "第23届" in first and "南山区" in first and "演示数据" in first
    assert_no_traceback(page)


def open_app_plain(pg, url: str) -> None:
    """Open a page that has no chart (the basket starts empty)."""
    pg.goto(url)
    pg.wait_for_selector("h1", timeout=TIMEOUT_MS)
    settle(pg)


def test_the_basket_survives_a_reload_a_typed_link_and_a_new_tab(server, page):
    """The basket lives in the browser's storage (ui/basket_keeper.py): a reload, a link typed into the
    address bar and a second tab all find it, caption included; "clear" empties it for good."""
    open_app_plain(page, f"{server}/briefing?session=23")
    page.get_by_role("button", name="放入默认的10张图表").click()
    settle(page)
    first_caption = page.locator("textarea").first
    first_caption.fill("周五例会用")
    first_caption.press("Control+Enter")
    settle(page)
    page.reload()
    page.wait_for_selector("h1", timeout=TIMEOUT_MS)
    settle(page)
    page.get_by_text("简报篮中有 10 张图表").wait_for(timeout=TIMEOUT_MS)
    page.locator("textarea").first.wait_for(timeout=TIMEOUT_MS)
    assert page.locator("textarea").first.input_value() == "周五例会用"
    page.goto(f"{server}/overview?session=22")  # a typed link: a new session
    page.get_by_text("简报篮中有 10 张图表").wait_for(timeout=TIMEOUT_MS)
    other = page.context.new_page()
    other.set_default_timeout(TIMEOUT_MS)
    open_app_plain(other, f"{server}/briefing")
    other.get_by_text("简报篮中有 10 张图表").wait_for(timeout=TIMEOUT_MS)
    other.get_by_role("button", name="清空简报篮").click()  # asks first: one click emptied it
    other.get_by_text("将移出这10张图表及其说明，无法撤销。").wait_for(timeout=TIMEOUT_MS)
    assert other.get_by_text("简报篮中有 10 张图表").count() == 1
    other.get_by_role("button", name="确定清空").click()
    settle(other)
    other.reload()
    other.wait_for_selector("h1", timeout=TIMEOUT_MS)
    settle(other)
    assert "简报篮是空的" in main_text(other)
    assert_no_traceback(other)
