"""Every chart's export keeps its text inside the picture: title, subtitle, tick labels, the text after bars,
the source and version lines. Each registered chart is built as `python -m core.cli export` builds it, rendered
to SVG at the slide size (every preset lays out at 960 x 540; the slide draws it at 1920 x 1080), and opened in
chromium, which measures every text it draws: none runs past or touches the picture's edges.

Found by looking at an export: session 23's qualification chart in English ran its source line (with the note
on the derived applicant count) 300 px past the right edge, and its longest bar's "54 · 33.1%" touched it.
A long permalink and subtitle (six districts chosen) are measured too."""

from __future__ import annotations

import pytest
from playwright import sync_api

from core import catalog, config, export
from core.filters import parse
from tests.conftest import no_browser

EDGE = 6  # px (of 1920) every text keeps from the picture's edges: touching one reads as cut off
SIX = "440303,440304,440305,440306,440307,440308"

# The box (left, top, right, bottom) of every non-empty text the SVG draws, and the picture's own box.
BOXES = """() => {
  const svg = document.querySelector('svg');
  const box = (el) => { const r = el.getBoundingClientRect(); return [r.left, r.top, r.right, r.bottom]; };
  const texts = [...svg.querySelectorAll('text')].filter((t) => t.textContent.trim() && t.getBBox().width > 0);
  return {picture: box(svg), texts: texts.map((t) => ({text: t.textContent, box: box(t)}))};
}"""


@pytest.fixture(scope="module")
def page(export_browser):
    chromium = config.browser_path() or config.CHROMIUM
    with sync_api.sync_playwright() as p:
        try:
            browser = p.chromium.launch(executable_path=chromium, args=list(config.CHROMIUM_FLAGS))
        except sync_api.Error as exc:
            no_browser(f"chromium did not start: {exc}")
        try:
            yield browser.new_page(viewport={"width": 2000, "height": 1200})
        finally:
            browser.close()


def query_for(name: str, lang: str) -> dict:
    """The chart's context as the command line gives it: a district for a profile, a second session for a
    comparison."""
    query = {"session": "23", "lang": lang}
    if "profile" in name:
        query["district"] = "440305"
    if "compare" in name:
        query["vs"] = "22"
    return query


def drawn_outside(page, query: dict, name: str) -> list[str]:
    options = catalog.load_options()
    parsed = parse(query, options)
    assert not parsed.notices, parsed.notices
    fig, _, _ = catalog.build(name, parsed.filters, options)
    page.set_content(export.render(fig, "svg", "slide").decode("utf-8"))
    drawn = page.evaluate(BOXES)
    left, top, right, bottom = drawn["picture"]
    assert right - left == 1920 and bottom - top == 1080, drawn["picture"]  # the slide's pixels
    assert len(drawn["texts"]) >= 4, drawn  # title, subtitle, source, version at least
    return [f"{t['text'][:60]!r} at {[round(v) for v in t['box']]}" for t in drawn["texts"]
            if t["box"][0] < left + EDGE or t["box"][2] > right - EDGE
            or t["box"][1] < top + EDGE or t["box"][3] > bottom - EDGE]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("name", sorted(catalog.CHARTS))
def test_every_text_of_an_export_lies_inside_the_picture(built_db, page, name, lang):
    assert drawn_outside(page, query_for(name, lang), name) == []


@pytest.mark.parametrize("name", ["district_ranking", "records_per_session"])
def test_a_long_permalink_stays_inside_the_picture(built_db, page, name):
    """Six districts chosen, in English: the longest subtitle and version line a page gives."""
    query = {"session": "23", "from": "1", "to": "23", "lang": "en", "district": SIX, "industry": "C39"}
    assert drawn_outside(page, query, name) == []
