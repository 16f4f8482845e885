"""Charts on a 390 px phone (issue 10, item 11), measured in the real app in chromium.

A 390x844 iPhone (mobile viewport, touch, iPhone user agent) opens the districts page, the overview and the
trends page (the one with legends) in Chinese and English. For every chart the geometry Plotly drew is read
from the DOM: every title, subtitle, legend and text annotation lies inside the chart (nothing cut at an
edge), the title is clear of Plotly's toolbar and of the red demo badge, the legend is clear of the subtitle
and the footer, neighbouring x tick labels do not touch, the map draws every district shape of its
boundary file, in view, and no line of a district's label (name, records) touches another's (issue 32). A
desktop browser in a 390 px window gets the same layout (the page reports its width; its user agent says
nothing), and a phone turned sideways gets the design layout back. Screenshots go to tests/artifacts/
(phone_map_zh.png and phone_map_en.png: the map alone).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_browser import (  # noqa: F401 - fixtures re-used
    ARTIFACTS,
    TIMEOUT_MS,
    assert_no_traceback,
    browser,
    chromium_present,
    server,
    settle,
)

pytestmark = pytest.mark.browser

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
GEOJSON = Path(__file__).resolve().parent.parent / "data" / "geo" / "shenzhen_districts.geojson"
DEMO_RED = "rgb(192, 57, 43)"  # the demo badge's fill, #C0392B
FOOTER_STARTS = ("来源", "数据版本", "Source:", "Data version:")
SLACK = 1  # px of rounding allowed at an edge

# Boxes (left, top, right, bottom in page px) of what Plotly drew in each chart.
GEOMETRY = """() => [...document.querySelectorAll('.js-plotly-plot')].map((gd) => {
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const one = (sel) => { const el = gd.querySelector(sel); return el ? box(el) : null; };
  const size = gd._fullLayout._size, plot = gd.getBoundingClientRect();
  return {
    plot: box(gd),
    area: [plot.left + size.l, plot.top + size.t, plot.left + size.l + size.w, plot.top + size.t + size.h],
    title: one('.gtitle'), titleText: (gd.querySelector('.gtitle') || {}).textContent || '',
    subtitle: one('.gtitle-subtitle'),
    modebar: one('.modebar'),
    legend: one('.legend'),
    annotations: [...gd.querySelectorAll('.annotation')].map((a) => {
      const bg = a.querySelector('rect.bg');
      return {text: a.textContent, box: box(a), fill: bg ? getComputedStyle(bg).fill : ''};
    }),
    xticks: [...gd.querySelectorAll('.xaxislayer-above .xtick text')].filter((t) => t.textContent)
      .map((t) => ({text: t.textContent, box: box(t)})),
    shapes: [...gd.querySelectorAll('.choroplethlayer path.choroplethlocation')].map(box),
    titleSize: gd._fullLayout.title.font.size,
  };
})"""


def features() -> int:
    return len(json.loads(GEOJSON.read_text(encoding="utf-8"))["features"])


def overlap(a, b) -> bool:
    return a is not None and b is not None and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def inside(box, outer, what: str, chart: str) -> None:
    assert outer[0] - SLACK <= box[0] and box[2] <= outer[2] + SLACK, \
        f"{chart}: {what} {box} runs past the chart's left or right edge {outer}"
    assert outer[1] - SLACK <= box[1] and box[3] <= outer[3] + SLACK, \
        f"{chart}: {what} {box} runs past the chart's top or bottom {outer}"


def open_phone(browser, url: str, user_agent: str = IPHONE, mobile: bool = True):  # noqa: F811
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=mobile, has_touch=mobile,
                                  user_agent=user_agent, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.goto(url)
    page.wait_for_selector(".js-plotly-plot", timeout=TIMEOUT_MS)
    settle(page)
    page.wait_for_timeout(1500)  # the page's width report and the rerun it asks for
    settle(page)
    return context, page


def check_charts(charts: list[dict], expected: int) -> None:
    assert len(charts) == expected, f"{len(charts)} charts drawn, {expected} expected"
    for chart in charts:
        name, plot = chart["titleText"], chart["plot"]
        inside(chart["title"], plot, "title", name)
        if chart["subtitle"]:
            inside(chart["subtitle"], plot, "subtitle", name)
        if chart["legend"]:
            inside(chart["legend"], plot, "legend", name)
        for note in chart["annotations"]:
            inside(note["box"], plot, f"text {note['text'][:30]!r}", name)
        badges = [n["box"] for n in chart["annotations"] if n["fill"] == DEMO_RED]
        assert len(badges) == 1, f"{name}: {len(badges)} demo badges (the test database holds demo data)"
        for what in ("title", "subtitle"):
            assert not overlap(chart[what], chart["modebar"]), f"{name}: the toolbar covers the {what}"
            assert not overlap(chart[what], badges[0]), f"{name}: the demo badge covers the {what}"
        footers = [n["box"] for n in chart["annotations"] if n["text"].startswith(FOOTER_STARTS)]
        assert len(footers) == 2, f"{name}: source and version lines not found"
        for other, what in [(chart["subtitle"], "subtitle"), (badges[0], "demo badge"),
                            *[(f, "footer") for f in footers]]:
            assert not overlap(chart["legend"], other), f"{name}: the legend sits on the {what}"
        ticks = sorted(chart["xticks"], key=lambda t: t["box"][0])
        for left, right in zip(ticks, ticks[1:]):
            assert left["box"][2] <= right["box"][0] + SLACK, \
                f"{name}: x ticks {left['text']!r} and {right['text']!r} collide"


def check_map(charts: list[dict]) -> None:
    """The map draws every shape of its boundary file with a size, all inside its plot (the whole city)."""
    maps = [c for c in charts if c["shapes"]]
    assert len(maps) == 1, "the districts page has one map"
    chart = maps[0]
    assert len(chart["shapes"]) == features()
    for shape in chart["shapes"]:
        assert shape[2] - shape[0] > 0 and shape[3] - shape[1] > 0, f"a district drawn with no size: {shape}"
        inside(shape, chart["area"], "district shape", chart["titleText"])


# Each district label on the map (name, then records): the box of each of its lines as drawn (the label's
# whole box would take the empty corner beside a short second line for text).
MAP_LABELS = """() => {
  const gd = [...document.querySelectorAll('.js-plotly-plot')].find((g) => g.querySelector('.choroplethlayer'));
  gd.scrollIntoView({block: 'center'});
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const labels = [...gd.querySelectorAll('.scattergeo text')].filter((t) => t.textContent).map((t) => {
    const lines = [...t.querySelectorAll('tspan.line')];
    return {text: t.textContent, lines: (lines.length ? lines : [t]).map(box)};
  });
  const notes = [...gd.querySelectorAll('.annotation')].map((a) => ({text: a.textContent, box: box(a)}));
  return {labels, notes};
}"""


def check_map_labels(page, lang: str) -> None:
    """Issue 32: on a phone 罗湖区 and 盐田区 and their numbers were drawn over each other. No line of a
    district's label touches a line of another's or a note; the map alone is kept as a picture to look at."""
    drawn = page.evaluate(MAP_LABELS)
    labels = drawn["labels"]
    page.wait_for_timeout(300)  # the scroll
    page.locator(".js-plotly-plot", has=page.locator(".choroplethlayer")).screenshot(
        path=str(ARTIFACTS / f"phone_map_{lang}.png"))
    assert len(labels) == features(), labels
    for i, a in enumerate(labels):
        assert len(a["lines"]) == 2, a
        for b in labels[i + 1:]:
            for one in a["lines"]:
                for other in b["lines"]:
                    assert not overlap(one, other), f"map labels {a['text']!r} {one} and {b['text']!r} {other} overlap"
        for note in drawn["notes"]:  # the selected districts' ranks were written over the top of the map
            for one in a["lines"]:
                assert not overlap(one, note["box"]), f"map label {a['text']!r} under the note {note['text'][:40]!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("path", "count"), [("districts", 4), ("overview", 1), ("trends", 4)])
def test_charts_fit_a_phone(server, browser, path, count, lang):  # noqa: F811
    context, page = open_phone(browser, f"{server}/{path}?lang={lang}")
    try:
        assert_no_traceback(page)
        page.screenshot(path=str(ARTIFACTS / f"phone_{path}_{lang}.png"), full_page=True)
        charts = page.evaluate(GEOMETRY)
        check_charts(charts, count)
        if path == "districts":
            check_map(charts)
            check_map_labels(page, lang)
        cut = page.locator('[data-testid="stMetricLabel"] [data-testid="stMarkdownContainer"]').evaluate_all(
            "els => els.filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.innerText)")
        assert not cut, f"figures' labels cut: {cut}"
    finally:
        context.close()


DESKTOP = ("Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 "
           "Safari/537.36")


def test_a_narrow_desktop_window_gets_the_phone_layout(server, browser):  # noqa: F811
    """Nothing in the request says "phone": the page's own report of its width makes the layout. Four
    districts chosen (their labels bold, their ranks in a note): the map's labels still clear of each other
    and of the note."""
    context, page = open_phone(browser, f"{server}/districts?lang=zh&district=440303,440308,440307,440310",
                               user_agent=DESKTOP, mobile=False)
    try:
        charts = page.evaluate(GEOMETRY)
        check_charts(charts, 4)
        check_map(charts)
        check_map_labels(page, "zh_chosen")
    finally:
        context.close()


def test_a_phone_turned_sideways_gets_the_design_layout(server, browser):  # noqa: F811
    context, page = open_phone(browser, f"{server}/overview?lang=en")
    try:
        assert [c["titleSize"] for c in page.evaluate(GEOMETRY)] == [16]  # phone layout: 16 px titles
        page.set_viewport_size({"width": 1100, "height": 700})
        page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                               ".every((gd) => gd._fullLayout.title.font.size === 20)", timeout=TIMEOUT_MS)
        page.set_viewport_size({"width": 390, "height": 844})
        page.wait_for_function("() => [...document.querySelectorAll('.js-plotly-plot')]"
                               ".every((gd) => gd._fullLayout.title.font.size === 16)", timeout=TIMEOUT_MS)
    finally:
        context.close()


def test_a_basket_cards_buttons_share_one_row_on_a_phone(server, browser):  # noqa: F811
    """↑, ↓ and ✕ were three columns, stacked on a phone into three full-width rows a card: a ten-chart basket
    ran to five screens."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                                  user_agent=IPHONE, device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        page.goto(f"{server}/briefing?lang=zh")
        page.get_by_role("button", name="放入默认的10张图表").click()
        page.get_by_role("button", name="✕").first.wait_for(timeout=TIMEOUT_MS)
        settle(page)
        boxes = [page.get_by_role("button", name=name).first.bounding_box() for name in ("↑", "↓", "✕")]
        assert len({round(box["y"]) for box in boxes}) == 1, boxes
        assert boxes[0]["x"] < boxes[1]["x"] < boxes[2]["x"] <= 390, boxes
    finally:
        context.close()
