"""The phone layout (core/charts/phone.py) and how a phone is recognised (ui/device.py), without a browser.

The layout's geometry in a real browser is checked by tests/test_phone_browser.py; here: the design figure a
download renders is never touched by the phone copy, text breaks where a reader expects, the latest session
keeps its tick, and the request headers that mean "phone".
"""

from __future__ import annotations

import json

import pytest

from core import catalog
from core.charts.phone import PHONE_WIDTH, phone
from core.charts.text_lines import break_lines, text_width
from core.filters import parse
from ui.device import mobile_headers
from ui.widgets import SharedFigure

IPHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
          "Version/17.5 Mobile/15E148 Safari/604.1")
ANDROID = ("Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Mobile Safari/537.36")
ANDROID_TABLET = ("Mozilla/5.0 (Linux; Android 14; SM-X710) AppleWebKit/537.36 (KHTML, like Gecko) "
                  "Chrome/126.0.0.0 Safari/537.36")
IPAD = ("Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.5 Safari/605.1.15")  # iPadOS asks for desktop pages
DESKTOP = ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
           "Chrome/126.0.0.0 Safari/537.36")


@pytest.fixture(scope="module")
def options(built_db):
    return catalog.load_options()


def build(name: str, options, lang: str = "en", **query):
    filters = parse({"lang": lang, **query}, options).filters
    return catalog.build(name, filters, options)[0]


@pytest.mark.parametrize("name", ["district_map", "district_rank_history", "records_per_session",
                                  "qualification_mix"])
def test_the_phone_copy_leaves_the_design_figure_alone(name, options):
    """Downloads render the cached design figure; the phone layout is made from it on the same worker. The
    cached figure hands out the dict it shows (SharedFigure), so a phone layout made in place would reach
    every later download and every desktop reader of that view."""
    shared = SharedFigure(build(name, options))
    before = json.dumps(shared.to_dict(), sort_keys=True, default=str)
    phone(shared)
    assert json.dumps(shared.to_dict(), sort_keys=True, default=str) == before
    assert shared.layout.height != phone(shared)["layout"]["height"]  # and the copy was laid out anew


@pytest.mark.parametrize(("text", "size", "width", "expected"), [
    # at spaces, the words whole; 12 px Latin is counted at 7.44 px a character
    ("Records per session and district", 12, 120, "Records per<br>session and<br>district"),
    # between Chinese characters, never before closing punctuation
    ("深圳企业创新纪录公开发布数据；明细为演示数据", 12, 96, "深圳企业创新纪录<br>公开发布数据；明<br>细为演示数据"),
    # an address before its query and between parameters
    ("http://x.cn/districts?from=1&to=23", 10, 140, "http://x.cn/districts<br>?from=1&to=23"),
    ("http://x.cn/trends?from=1&to=23&lang=en", 10, 120, "http://x.cn/trends<br>?from=1&to=23<br>&lang=en"),
    # bold text stays bold on every line
    ("<b>District rank over time</b>", 16, 130, "<b>District rank</b><br><b>over time</b>"),
    # a closing quote never starts a line, an opening one never ends it (the phone's “小巨人” tick had a lone ”)
    # … and the last line is never three characters or fewer left behind ("人”" alone, "数。" on the awards note)
    ("国家级专精特新“小巨人”", 11, 120, "国家级专精特新<br>“小巨人”"),
    ("有公开数字：第23届。斜线柱：演示数据虚构的获奖数。", 12, 300,
     "有公开数字：第23届。斜线柱：演示数据虚构的<br>获奖数。"),
    ("获奖纪录数：评审会上获奖的纪录项数，不含其他奖项的数。", 12, 162,
     "获奖纪录数：评审会上获<br>奖的纪录项数，不含其他<br>奖项的数。"),
    ("获奖纪录数：评审会上获奖的纪录项数，不含未获奖的纪录与其他奖项的数。", 12, 192,
     "获奖纪录数：评审会上获奖的纪录<br>项数，不含未获奖的纪录与其他奖<br>项的数。"),
    ("专精特新“小巨人”企业", 11, 56, "专精特新<br>“小巨人”<br>企业"),  # 56 px: the quote goes down with 小
    # a subtitle breaks between its parts rather than inside one
    ("Session 23  ·  All districts  ·  Unit: records", 12, 312, "Session 23  ·  All districts  ·<br>Unit: records"),
    # and so does a source line whose parts have one space each side (a derived figure's note after it)
    ("Source: published totals · session 23's count is derived", 11, 250,
     "Source: published totals ·<br>session 23's count is derived"),
])
def test_text_breaks_where_a_reader_expects(text, size, width, expected):
    assert break_lines(text, size, width) == expected


def test_a_tick_label_keeps_its_words_whole():
    """Below a bar a word a little too long runs wide rather than losing its last letter to the next line, and
    "&" stays with the word before it."""
    assert break_lines("Applicants", 11, 64, split_words=False) == "Applicants"
    assert break_lines("Production & manufacturing", 11, 64, split_words=False) == "Production\u00a0&<br>manufacturing"


def test_the_latest_session_keeps_its_tick(options):
    """Ticks are thinned from the end: the newest list, the one a reader looks for, is always labelled."""
    fig = phone(build("district_heatmap", options, **{"from": "1", "to": "23"}))
    ticks = fig["layout"]["xaxis"]["ticktext"]
    assert ticks[-1] == "23<br>2024"
    assert len(ticks) < 23 // 2


@pytest.mark.parametrize(("headers", "phone_expected"), [
    ({"User-Agent": IPHONE}, True),
    ({"User-Agent": ANDROID}, True),
    ({"User-Agent": DESKTOP, "Sec-CH-UA-Mobile": "?1"}, True),  # Chromium's client hint
    ({"User-Agent": ANDROID_TABLET}, False),  # Android tablets leave "Mobile" out
    ({"User-Agent": IPAD}, False),
    ({"User-Agent": DESKTOP, "Sec-CH-UA-Mobile": "?0"}, False),
    ({}, False),
])
def test_request_headers_that_mean_a_phone(headers, phone_expected):
    assert mobile_headers(headers) is phone_expected


@pytest.mark.parametrize("name", sorted(catalog.CHARTS))
def test_the_shared_dict_is_plotly_s_own(name, options):
    """SharedFigure builds its dict without copying the map's GeoJSON and with its own typed arrays: it must
    still be what plotly's to_dict gives (numbers as base64 typed arrays, every property), made once. Every
    chart, with a district (the profile's) and a second session (the comparison's)."""
    fig = build(name, options, district="440305", vs="22", **{"from": "5"})
    expected = json.dumps(fig.to_dict(), sort_keys=True, default=str)  # plotly's, before adopting
    shared = SharedFigure.adopt(fig)
    assert json.dumps(shared.to_dict(), sort_keys=True, default=str) == expected
    assert shared.to_dict() is shared.to_dict()  # made once


def _last_ranks(built_db, first: int, last: int) -> dict[str, int]:
    """English district name -> rank by records in session `last` (equal records share a rank), by plain SQL."""
    import duckdb

    with duckdb.connect(str(built_db), read_only=True) as con:
        rows = con.execute("""SELECT d.name_en, count(*) FROM records r JOIN districts d USING (district_code)
                              WHERE r.session_no = $s GROUP BY d.name_en""", {"s": last}).fetchall()
    return {name: 1 + sum(1 for _, m in rows if m > n) for name, n in rows}


def test_the_rank_history_on_a_phone_keeps_the_top_five(built_db, options):
    """Eleven lines tangle at 330 px: a phone keeps the last session's top five (ties included), with their
    end labels; the design figure (downloads) keeps every line and label."""
    fig = build("district_rank_history", options, session="23", **{"from": "15", "to": "23"})
    top = {name for name, rank in _last_ranks(built_db, 15, 23).items() if rank <= 5}
    design_lines = {t.name for t in fig.data}
    assert len(design_lines) >= 9 and top < design_lines
    shown = [a for a in fig.layout.annotations if a.visible is not False and a.xanchor == "left"]
    assert all(any(name in a.text for a in shown) for name in design_lines)  # every line labelled in a download
    small = phone(fig)
    assert {t["name"] for t in small["data"]} == top
    labels = [a["text"] for a in small["layout"]["annotations"] if a.get("xanchor") == "left"
              and a.get("visible") is not False]
    assert all(any(name in text for text in labels) for name in top)
    assert not any(name in text for text in labels for name in design_lines - top)


def test_the_rank_history_on_a_phone_keeps_the_chosen_districts(options):
    fig = build("district_rank_history", options, session="23", district=["440305", "440309"])
    assert len(fig.data) >= 9
    assert {t["name"] for t in phone(fig)["data"]} == {"Nanshan", "Longhua"}


@pytest.mark.parametrize("width", range(60, 400, 7))
def test_a_rank_is_never_broken_inside_its_fraction(width):
    """The chosen districts' ranks under the phone map ("坪山区 第8/11") broke after the slash at some widths."""
    from core.charts.text_lines import break_lines

    text = "龙岗区 第3/11、罗湖区 第6/11、坪山区 第8/11、盐田区 第9/11"
    lines = break_lines(text, 13, width).split("<br>")
    assert all(not line.endswith("/") for line in lines), lines
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")


def test_the_chosen_districts_ranks_go_under_the_phone_map(options):
    """On a phone the map fills its plot: the ranks note pinned to its top lay over 光明区's name (issue 32)."""
    fig = build("district_map", options, lang="zh", district="440303,440308,440307,440310")
    ranks = [a for a in fig.layout.annotations if "第3/11" in (a.text or "")]
    assert ranks and ranks[0].y == 1  # the design figure: top right, over the sea
    note = next(a for a in phone(fig)["layout"]["annotations"] if "第3/11" in a["text"])
    assert (note["y"], note["yanchor"], note["yshift"] < 0) == (0, "top", True), note


def test_a_footer_wrapped_for_the_design_width_is_wrapped_afresh_for_a_phone(options):
    """Session 23's qualification chart carries the note on the derived applicant count: two lines at 960 px
    (broken after "demo data ·"), six on a phone. The phone wraps the whole line again, so the design's
    break leaves no short line ("data ·" alone, then "session 23's ...")."""
    fig = build("qualification_mix", options, session="23")
    design = next(a.text for a in fig.layout.annotations if a.name == "source")
    assert "demo data ·<br>session 23's" in design
    source = next(a["text"] for a in phone(fig)["layout"]["annotations"] if a.get("name") == "source")
    assert "data · session 23's" in source and "(how: About)" in source, source
    assert "·<br>session" not in source


@pytest.mark.parametrize("text", ["Ab中", "Session 23 · Nanshan, Bao'an", "第23届 · 南山区、宝安区  ·  单位：项",
                                  "R&amp;D <b>bold</b> – 12 %", "（演示）深圳市智源数字科技有限公司"])
def test_the_quick_width_is_never_below_the_measured_one(text):
    """template.wrapped skips break_lines for a text whose quick width fits: it must never be narrower."""
    from core.charts.text_lines import text_width, width_at_most

    assert width_at_most(text, 10) >= text_width(text, 10)
    assert width_at_most("Ab中", 10) == pytest.approx(22.4)  # 0.62 em twice, one em once


def test_counts_after_bars_read_as_on_the_desktop(options, sql):
    """The phone's ranking read 67.0, 42.0, … (counts come as floats in the figure's typed array); the desktop's
    67, 42, …"""
    filters = parse({"lang": "zh", "session": "23"}, options).filters
    texts = phone(catalog.build("district_ranking", filters, options)[0])["data"][0]["text"]
    counts = sql("SELECT count(*) AS n FROM records WHERE session_no = 23 GROUP BY district_code ORDER BY n DESC")
    assert texts == [str(n) for (n,) in counts]


@pytest.mark.parametrize("name", ["district_ranking", "industries_as_published", "repeat_innovators"])
def test_no_phone_bar_text_is_a_whole_number_written_with_a_point(name, options):
    spec = phone(catalog.build(name, parse({"lang": "en"}, options).filters, options)[0])
    texts = [str(x) for t in spec["data"] if isinstance(t.get("text"), list) for x in t["text"]]
    assert texts and not [x for x in texts if x.endswith(".0")], texts


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_no_note_is_written_over_a_phone_plot(options, lang):
    """On a slide a note sits in a corner the data leaves free; on a phone the corner is a third as wide and
    the trends page's notes ("titles recorded from session 15", "Hatched bars: …") lay over the lines and bars.
    Every note in the plot's own coordinates goes under the plot, with the source lines."""
    filters = parse({"lang": lang}, options).filters
    moved = 0
    for name, spec in catalog.CHARTS.items():
        if spec.context != "filters":
            continue
        layout = phone(catalog.build(name, filters, options)[0])["layout"]
        for note in layout.get("annotations", []):
            if note.get("xref") == note.get("yref") == "paper" and note.get("name") != "axis":
                assert note["y"] == 0 and note["yanchor"] == "top" and note["yshift"] <= 0, (name, note["text"][:40])
                moved += note.get("name") not in ("source", "meta", "demo")
    assert moved >= 4  # the two trends notes, the map's and the treemap's


@pytest.mark.parametrize(("text", "size", "width", "expected"), [
    # an address breaks after a slash, and not between a slash and the digits of a year after it
    ("example.org/records/2024/list?page=2", 12, 150, "example.org/records/<br>2024/list?page=2"),
    ("see example.org/a/b/c/d/e/f/g/h/i/j/k/l", 12, 120, "see example.org/<br>a/b/c/d/e/f/g/h/<br>i/j/k/l"),
    ("Records ", 12, 300, "Records"),  # no space left at a line's end
])
def test_addresses_and_ends_of_lines_break_as_a_reader_expects(text, size, width, expected):
    assert break_lines(text, size, width) == expected


def test_a_bar_text_that_is_not_a_whole_number_keeps_its_decimals():
    from core.charts.phone import _shown

    assert (_shown(12.5), _shown(67.0), _shown(3), _shown("54 · 33.1%")) == ("12.5", "67", "3", "54 · 33.1%")


@pytest.mark.parametrize("width", range(100, 420, 2))  # narrower, a word fills the line (a phone's plot: 300+)
@pytest.mark.parametrize("text", ["Session 23  ·  All districts  ·  Unit: records",
                                  "第1–23届（2002–2024年）  ·  南山区  ·  单位：项",
                                  "Source: published totals · session 23's count is derived"])
def test_no_line_starts_with_a_separator(text, width):
    """A subtitle broke as "Session 23  ·  All districts<br>·  Unit: records" at 200 px: the separator goes with
    the part before it, at every width."""
    assert not [line for line in break_lines(text, 11, width).split("<br>") if line.startswith("·")]


@pytest.mark.parametrize(("text", "size", "width", "expected"), [
    # the widow rule holds from eight ems (80 px at 10 px) and not below, where labels break as they may
    ("深圳企业创新纪录公开", 10, 80, "深圳企业创新<br>纪录公开"),
    ("深圳企业创新纪录公开", 10, 79, "深圳企业创新纪<br>录公开"),
    ("深圳企业创新纪录公", 10, 75, "深圳企业创新纪<br>录公"),
    # markup is not counted as characters of the last line
    ("<b>获奖纪录数：评审会上获奖的纪录项数，不含其他奖项的数。</b>", 12, 162,
     "<b>获奖纪录数：评审会上获</b><br><b>奖的纪录项数，不含其他</b><br><b>奖项的数。</b>"),
    # up to three characters narrower, never a line more
    ("见Nanshan：南山区。 宝安", 12, 149, "见Nanshan：南山<br>区。 宝安"),
    ("total records session of innovation x of", 12, 110, "total records<br>session of<br>innovation x<br>of"),
    # an address breaks after a comma between values; a leading space is dropped
    ("http://x.cn/d?district=440305,440306,440307", 10, 150,
     "http://x.cn/d<br>?district=440305,440306,<br>440307"),
    (" Records", 12, 300, "Records"),
])
def test_where_lines_break_at_the_edges(text, size, width, expected):
    """Literal breaks that pin the rules at their limits (a mutation hunt found each one unguarded)."""
    assert break_lines(text, size, width) == expected


def test_full_width_punctuation_is_one_em_wide():
    """（ and ） are full width: counted at 0.62 em they let a phone line run past the chart's edge."""
    assert text_width("（演示）", 10) == 40


def _band_note(layout: dict) -> tuple[dict, float]:
    """The profile's note on its grey band (sessions before the district's own lists) and the band's width in
    px on the phone's plot."""
    band = layout["shapes"][0]
    note = next(a for a in layout["annotations"] if a.get("xref") == "x" and band["x0"] <= a["x"] <= band["x1"])
    low, high = layout["xaxis"]["range"]
    plot_width = PHONE_WIDTH - layout["margin"]["l"] - layout["margin"]["r"]
    return note, (band["x1"] - band["x0"]) / (high - low) * plot_width


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("district", "query"), [("SZSS", {}), ("440309", {}), ("SZSS", {"from": "10"})])
def test_the_note_on_the_profile_s_grey_band_fits_the_band_on_a_phone(options, lang, district, query):
    """Shenshan's records chart (its lists start at session 18) writes "Sessions 1–17: counted under another
    district" level across the grey band: 630 px wide at 1440 px, 205 px on a 390 px phone, where the line ran
    past the band (Longhua's, sessions 1–10, past the chart's left edge). Bands of 8 sessions or more write the
    note level; on a phone it wraps to the band's width."""
    layout = phone(build("profile_records", options, lang=lang, district=district, **query))["layout"]
    note, band = _band_note(layout)
    assert note["textangle"] == 0
    assert text_width(note["text"], note["font"]["size"]) <= band - 8, (note["text"], band)


def test_the_band_note_breaks_between_words(options):
    layout = phone(build("profile_records", options, lang="en", district="SZSS"))["layout"]
    assert _band_note(layout)[0]["text"] == "Sessions 1–17: counted<br>under another district"
