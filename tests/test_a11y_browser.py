"""WCAG 2.1 AA in the real app (Debian's chromium): axe-core's WCAG 2.0/2.1 A and AA rules report nothing on any
page, in both languages, at 1440 and 390 px, with the shipped theme; every chart's plot is an image named by its
text alternative, which also shows under the chart; the page says its language; the Plotly toolbar speaks
Chinese on the Chinese interface; at 200 % zoom (720 px at device scale 2) the page does not scroll sideways.
The same walk records every request: nothing is fetched from another host (the servers have no internet, and an
official's browser should not be sent elsewhere), no request fails, and the page's icon is the app's own.

One browser, one tab per window size, reused for every page (axe runs in a few hundred ms; drawing the page
is the cost). Screenshots go to tests/artifacts/a11y_*.png.
"""

from __future__ import annotations

import contextlib
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.test_browser import ARTIFACTS, TIMEOUT_MS, browser, chromium_present, server, settle  # noqa: F401

pytestmark = pytest.mark.browser

PAGES = ["overview", "trends", "districts", "district", "district?code=440305", "compare", "industries",
         "companies", "records", "briefing", "about"]
CHARTLESS = {"records", "briefing", "about", "import"}
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
# heading-order is a best practice in axe, not a WCAG rule; a section heading must not skip a level
EXTRA_RULES = {"heading-order": {"enabled": True}}
CJK = re.compile(r"[\u4e00-\u9fff]")
AXE = Axe()


def open_view(pg, path: str, lang: str) -> None:
    pg.goto(f"{pg.base}/{path}{'&' if '?' in path else '?'}lang={lang}")
    pg.wait_for_selector("h1", timeout=TIMEOUT_MS)
    settle(pg)
    # the labels are set by the page's script after Plotly has drawn: wait for them where there are charts (at
    # least one: on a phone the page reruns once it knows the width, and an empty page is not a drawn one)
    least = 0 if path.split("?")[0] in CHARTLESS else 1
    pg.wait_for_function("least => document.querySelectorAll('.js-plotly-plot').length >= least && "
                         "[...document.querySelectorAll('.js-plotly-plot')].every(p => "
                         "p.querySelector('svg.main-svg[role=img]')) && window.__a11yData",
                         arg=least, timeout=TIMEOUT_MS)


def violations(pg) -> list[str]:
    result = AXE.run(pg, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "rules": EXTRA_RULES})
    return [f"{v['id']}: {n['html'][:160]}" for v in result.response["violations"] for n in v["nodes"]]


NAMED = """() => [...document.querySelectorAll('[class*="st-key-alt_"]')].every(box => {
    const img = box.querySelector('.js-plotly-plot svg.main-svg');
    return img && img.getAttribute('role') === 'img';
})"""


def charts(pg) -> list[dict]:
    """Each chart's image role, accessible name and the caption under it (once every chart is named, or after
    10 s: a chart Plotly redrew after the page settled is named again a moment later)."""
    with contextlib.suppress(PlaywrightTimeout):
        pg.wait_for_function(NAMED, timeout=10_000)
    return pg.evaluate(CHART_NAMES)


# Each chart's image role, accessible name and caption, as the page has them now
CHART_NAMES = """[...document.querySelectorAll('[class*="st-key-alt_"]')].map(box => {
    const img = box.querySelector('.js-plotly-plot svg.main-svg');
    const caption = box.querySelector('[data-testid="stCaptionContainer"]');
    return {role: img && img.getAttribute('role'), label: img && img.getAttribute('aria-label'),
            caption: caption && caption.innerText.replace(/\\u2060/g, '').trim()};
})"""


LABELS_FOLLOW = f"""(before) => {{
    const found = {CHART_NAMES};
    const captions = found.map(chart => chart.caption);
    return found.length > 0 && JSON.stringify(captions) !== JSON.stringify(before)
        && found.every(chart => chart.label === chart.caption);
}}"""


def test_a_chart_redrawn_for_another_view_is_named_with_its_new_text(tab):
    """A filter change redraws the charts with new numbers in their texts: each plot's accessible name follows
    (the script labels again after the run, not only when the page first loads)."""
    if tab.width < 640:
        pytest.skip("on a phone the sidebar is folded away; labelling does not depend on the width")
    open_view(tab, "trends", "en")
    for option in (9, 4):  # two changes: the script's own data changes in a session's first runs, not after
        before = [chart["caption"] for chart in charts(tab)]
        tab.locator('[data-testid="stSidebar"] [data-testid="stSelectbox"]').nth(1).click()  # the range's start
        tab.locator('[role="option"]').nth(option).click()
        with contextlib.suppress(PlaywrightTimeout):
            tab.wait_for_function(LABELS_FOLLOW, arg=before, timeout=10_000)
        after = charts(tab)
        assert [chart["caption"] for chart in after] != before, "the change did not redraw the charts"
        assert all(chart["label"] == chart["caption"] for chart in after), after


def guard_requests(context, pg, host: str) -> None:
    """Block and record every request to another host; record failed requests (pg.outside, pg.failed)."""
    pg.outside, pg.failed = [], []

    def guard(route):
        url = route.request.url
        if url.split("//", 1)[-1].startswith(host) or url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            pg.outside.append(url)
            route.abort()

    context.route("**/*", guard)
    # a request cut short by the next page load is not a missing file
    pg.on("requestfailed", lambda request: None if request.failure == "net::ERR_ABORTED"
          else pg.failed.append(f"{request.url} {request.failure}"))


@pytest.fixture(scope="module", params=[1440, 390], ids=["1440px", "390px"])
def tab(request, browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": request.param, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.base, pg.width = server, request.param
    guard_requests(context, pg, server.split("//", 1)[1])
    yield pg
    context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_axe_violations_every_chart_named_nothing_from_elsewhere(tab, lang):
    found, unnamed = {}, {}
    tab.outside.clear()
    tab.failed.clear()
    for path in PAGES:
        open_view(tab, path, lang)
        assert tab.evaluate("document.documentElement.lang") == {"zh": "zh-CN", "en": "en"}[lang]
        if path in ("overview", "district?code=440305"):
            tab.screenshot(path=str(ARTIFACTS / f"a11y_{path[:8]}_{lang}_{tab.width}.png"), full_page=True)
        found[path] = violations(tab)
        assert not tab.locator('[data-testid="stException"]').count(), path
        for chart in charts(tab):
            if chart["role"] != "img" or len(chart["label"] or "") < 20 or chart["label"] != chart["caption"] \
                    or bool(CJK.search(chart["label"])) != (lang == "zh"):
                unnamed.setdefault(path, []).append(chart)
    assert not {p: v for p, v in found.items() if v}, found
    assert not unnamed, unnamed
    assert tab.outside == [] and tab.failed == [], (tab.outside, tab.failed)
    icon = tab.evaluate("() => (document.querySelector('link[rel~=\"icon\"]') || {}).href || ''")
    assert icon.startswith(tab.base) or icon.startswith("data:"), icon


def toolbar_in_chinese(tab) -> None:
    """Wait (10 s at most) for a toolbar whose every button has Chinese words: the script renames the buttons a
    frame after Plotly draws them, and on a phone the page reruns once it knows the width, so the charts (and
    their toolbars) are drawn again just after the first ones appear. The caller then asserts what it finds."""
    with contextlib.suppress(PlaywrightTimeout):
        tab.wait_for_function("(() => { const b = [...document.querySelectorAll('.modebar-btn')]; "
                              "return b.length > 0 && "
                              "b.every(x => /[\\u4e00-\\u9fff]/.test(x.getAttribute('data-title') || '')); })()",
                              timeout=10_000)


@pytest.mark.parametrize("page", ["trends", "districts"])  # a cartesian chart's toolbar; the map's
def test_toolbar_in_chinese_on_the_chinese_interface(tab, page):
    open_view(tab, page, "zh")
    tab.wait_for_selector(".modebar-btn", state="attached")
    toolbar_in_chinese(tab)
    titles = tab.evaluate("[...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
    assert titles, "no toolbar"
    english = [title for title in titles if not CJK.search(title or "")]
    assert not english, english


def test_toolbar_words_stay_for_the_whole_session(tab):
    """The words come with the session's first run in each language only (ui/a11y.py): a session opened in
    English, switched to Chinese, then taken to another page (same session, new charts) still gets them."""
    if tab.width < 640:
        pytest.skip("on a phone the sidebar is folded away; the words do not depend on the width")
    open_view(tab, "trends", "en")
    tab.locator('[data-testid="stSidebar"] [data-testid="stRadio"] label').filter(has_text="中文").click()
    tab.wait_for_function("document.documentElement.lang === 'zh-CN'", timeout=TIMEOUT_MS)
    settle(tab)
    tab.locator('[data-testid="stSidebarNav"] a[href$="/districts"]').first.click()
    tab.wait_for_selector(".js-plotly-plot .choroplethlayer, .js-plotly-plot .geolayer", state="attached")
    settle(tab)
    toolbar_in_chinese(tab)
    titles = tab.evaluate("[...document.querySelectorAll('.modebar-btn')].map(b => b.getAttribute('data-title'))")
    assert titles and tab.url.split("?")[0].endswith("/districts")
    assert not [title for title in titles if not CJK.search(title or "")], titles


def test_200_percent_zoom_scrolls_only_down(browser, server):  # noqa: F811
    context = browser.new_context(viewport={"width": 720, "height": 900}, device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.base = server
    try:
        wide = {}
        for path in PAGES:
            open_view(pg, path, "en")
            sizes = pg.evaluate("""() => {
                const main = document.querySelector('[data-testid="stMain"]');
                return {page: document.documentElement.scrollWidth, view: document.documentElement.clientWidth,
                        main: main.scrollWidth, mainView: main.clientWidth};
            }""")
            if sizes["page"] > sizes["view"] or sizes["main"] > sizes["mainView"]:
                wide[path] = sizes
        pg.screenshot(path=str(ARTIFACTS / "a11y_zoom200_about.png"), full_page=True)
        assert not wide, wide
    finally:
        context.close()


@pytest.fixture(scope="module")
def admin_server(built_db, tmp_path_factory, _one_admin):
    """The app with an administrator configured, so the Import page (its sign-in form) exists."""
    from tests.test_browser import running_app

    log = tmp_path_factory.mktemp("streamlit_admin") / "server.log"
    with running_app(built_db, log, env={"RECORDS_ADMINS": str(_one_admin)}) as url:
        yield url


@contextlib.contextmanager
def desktop_view(browser, base: str, path: str, lang: str):  # noqa: F811
    """`path` of the app at `base` in a fresh 1440 px context, open and settled."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    pg.base = base
    try:
        open_view(pg, path, lang)
        yield pg
    finally:
        context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_import_page_has_no_axe_violations(browser, admin_server, lang):  # noqa: F811
    with desktop_view(browser, admin_server, "import", lang) as pg:
        assert pg.evaluate("document.documentElement.lang") == {"zh": "zh-CN", "en": "en"}[lang]
        assert not violations(pg), violations(pg)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_file_picker_speaks_the_reader_s_language_only(browser, admin_server, lang, tmp_path):  # noqa: F811
    """Streamlit writes "Upload" on the picker's button: the label in the reader's language replaces it (it
    read "Upload选择文件"), and a chosen file's remove and add buttons stay icons (the label sat over them)."""
    from core.i18n import t
    from tests.conftest import ADMIN, ADMIN_PASSWORD

    with desktop_view(browser, admin_server, "import", lang) as pg:
        pg.get_by_role("textbox", name=t("auth.name", lang)).fill(ADMIN)
        pg.get_by_role("textbox", name=t("auth.password", lang)).fill(ADMIN_PASSWORD)
        pg.get_by_role("button", name=t("auth.sign_in", lang)).click()
        box = pg.locator('[data-testid="stFileUploaderDropzone"]')
        box.wait_for(timeout=TIMEOUT_MS)
        assert _button_texts(box) == [[t("uploader.button", lang)]]
        listed = tmp_path / "list.csv"
        listed.write_text("企业名称,项目名称\n", encoding="utf-8")
        pg.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(listed))
        pg.locator('[data-testid="stFileChip"]').wait_for(timeout=TIMEOUT_MS)
        settle(pg)
        pg.screenshot(path=str(ARTIFACTS / f"a11y_file_picker_{lang}.png"))
        assert _button_texts(box) == [[], []]  # remove the file, add one: icons only
        named = {"zh": ["移除 list.csv", "添加文件"], "en": ["Remove list.csv", "Add files"]}[lang]
        pg.wait_for_function("names => names.every((n, i) => [...document.querySelectorAll("
                             "'[data-testid=\"stFileUploaderDropzone\"] button')][i]"
                             "?.getAttribute('aria-label') === n)", arg=named, timeout=TIMEOUT_MS)
        assert not violations(pg), violations(pg)  # the signed-in page, a file chosen


# Each button's visible words: its text and generated content, Material icons' ligature names left out.
BUTTON_TEXTS = """box => [...box.querySelectorAll('button')].map(button => {
  const words = [];
  for (const el of [button, ...button.querySelectorAll('*')]) {
    // a screen reader's words (clipped to a pixel) are not drawn: only what the eye reads counts here
    const box = el.getBoundingClientRect();
    if (el.closest('[data-testid="stIconMaterial"]') || box.width <= 1 || box.height <= 1) continue;
    for (const node of el.childNodes) {
      if (node.nodeType === 3 && node.textContent.trim()) words.push(node.textContent.trim());
    }
    const after = getComputedStyle(el, '::after').content;
    if (after && after !== 'none' && after !== 'normal') words.push(JSON.parse(after));
  }
  return words;
})"""


def _button_texts(box) -> list[list[str]]:
    return box.evaluate(BUTTON_TEXTS)


def test_streamlit_s_own_words_are_in_chinese_on_a_chinese_page(browser, server):  # noqa: F811
    """Streamlit's front end speaks English only: its page-not-found dialog ("Page not found … Running the
    app's main page.") and the names a screen reader gives its buttons (Close, Help for …)."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    try:
        pg.goto(f"{server}/nosuchpage")
        dialog = pg.locator('[role="dialog"]')
        pg.wait_for_function("() => document.querySelector('[role=dialog] h2')?.textContent === '页面不存在'",
                             timeout=TIMEOUT_MS)
        assert "您要打开的页面不存在" in dialog.inner_text() and "Running" not in dialog.inner_text()
        assert dialog.locator("button").first.get_attribute("aria-label") == "关闭"
        pg.keyboard.press("Escape")
        pg.wait_for_selector('[data-testid="stMetric"]')
        pg.wait_for_function("() => [...document.querySelectorAll('[data-testid=stMetric] button[aria-label]')]"
                             ".every(b => b.getAttribute('aria-label').startsWith('说明：'))", timeout=TIMEOUT_MS)
    finally:
        context.close()
