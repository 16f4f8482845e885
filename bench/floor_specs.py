"""The floor app's content: for every benchmarked page, the app's own figures (same kinds, traces and sizes,
GeoJSON included) as plain JSON, and the other elements the page shows (metrics, headings, text and captions with
the page's own texts, the tables' sizes, and its widgets with their labels and options: filters, buttons,
toggles, notices; read on the page itself with AppTest), written once per bench run for bench/floor_app.py.

The floor then costs what bare Streamlit + Plotly costs for the same page: it rebuilds each figure from
in-memory data on every rerun (no caching of its own), the app's own figure for the view chosen (written here
for every option of the selectbox the chart follows, so a change redraws what the app's redraws: new numbers,
axis ranges, tick and bar labels, subtitles), and draws as many metrics, headings, captions and tables, and
as much text, whose values follow the same filter.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from dataclasses import replace
from pathlib import Path

import numpy as np

from core import config

ARTIFACTS = config.BENCH_ARTIFACTS
SPECS = ARTIFACTS / "floor_specs.json"

# page -> the sidebar selectbox the bench changes there (0: session, 1: first session of the range). The
# range changes every chart on the page but one session-scoped chart at most; the overview has only a
# session-scoped chart, so it is timed on the session.
PAGES = {"overview": 0, "trends": 1, "districts": 1, "district": 1, "industries": 1, "companies": 1}
PROFILE_CODE = "440305"  # the district profile the bench opens (Nanshan: the most records)
APP_PATHS = {"district": f"district?code={PROFILE_CODE}"}  # a page's address in the app, where not its name
SCOPE_OF_BOX = {0: "session", 1: "range"}


def plain(value):
    """numpy arrays and scalars, plotly's base64 typed arrays, dates -> JSON lists and numbers, so that the
    floor app can change the numbers."""
    if isinstance(value, dict) and "bdata" in value and "dtype" in value:
        array = np.frombuffer(base64.b64decode(value["bdata"]), dtype=np.dtype(value["dtype"]))
        shape = value.get("shape")
        if shape:
            array = array.reshape([int(n) for n in str(shape).strip("[]()").split(",")])
        return array.tolist()
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain(value.tolist())
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return value


def page_charts(page: str) -> list[dict]:
    """[{name, scope, views, bytes}] for the charts `page` shows, in page order: `views` {option: the spec as JSON
    text} for every option of the sidebar selectbox the chart's scope follows (the session for a one-session
    chart, the range start for the others), built as the app builds them for that view: its own numbers, axis
    range, tick and bar labels and subtitle; `bytes`: the size of the view under the default filters."""
    from core import catalog
    from core.filters import defaults

    options = catalog.load_options()
    filters = defaults(options)
    if page == "district":
        filters = replace(filters, districts=(PROFILE_CODE,), industries=())
    status = catalog.DataStatus.read(filters.lang)
    out = []
    for name, spec in catalog.CHARTS.items():
        # the profile shows its district's charts; the city's map of districts is on /district without a code
        if spec.page == page and (page != "district" or spec.context == "district"):
            views = {str(n): json.dumps(plain(catalog.build(name, view(filters, spec.scope, n), options, status)[0]
                                              .to_dict()), ensure_ascii=False) for n in options.sessions}
            shown = filters.session if spec.scope == "session" else filters.session_from
            out.append({"name": name, "scope": spec.scope, "views": views, "bytes": len(views[str(shown)])})
    return out


def view(filters, scope: str | None, option: int):
    """The filters of the view `option` of the selectbox a chart of `scope` follows (the floor app's choice)."""
    return replace(filters, session=option) if scope == "session" else replace(filters, session_from=option)


def page_elements(page: str) -> dict:
    """What else `page` shows under the default filters, counted in the page's own element tree."""
    from streamlit.testing.v1 import AppTest


    at = AppTest.from_file(str(config.DASHBOARD), default_timeout=120)
    if page == "district":
        at.query_params["code"] = PROFILE_CODE
    at.run()
    if page != "overview":  # the entry script's default page
        at.switch_page(f"pages/{page}.py").run()
    if at.exception:
        raise RuntimeError(f"{page} raised under AppTest: {at.exception[0].message}")
    choices = lambda widgets: [[w.label, [str(o) for o in w.options]] for w in widgets]  # noqa: E731
    # the page's own texts, so that the floor sends as many bytes of them (Chinese is three bytes a character)
    return {"metrics": [[m.proto.label, m.proto.body, m.proto.delta, m.proto.help] for m in at.metric],
            "headings": [h.value for h in [*at.title, *at.header, *at.subheader]],
            "markdown": [m.value for m in at.markdown], "captions": [c.value for c in at.caption],
            "tables": [list(d.value.shape) for d in at.dataframe],
            # the filters and controls the page draws besides the two selectboxes the floor always has
            "multiselects": choices(at.multiselect), "radios": choices(at.radio),
            "selectboxes": choices(at.selectbox)[2:], "buttons": [b.label for b in at.button],
            "toggles": [w.label for w in list(at.toggle) + list(at.checkbox)], "expanders": len(at.expander),
            "alerts": [a.value for a in list(at.info) + list(at.warning) + list(at.error) + list(at.success)]}


def app_path(page: str) -> str:
    return APP_PATHS.get(page, page)


def changed_charts(charts: list[dict], box: int) -> int:
    """How many of the page's charts a change of sidebar selectbox `box` redraws."""
    return sum(c["scope"] == SCOPE_OF_BOX[box] for c in charts)


def write(path: Path = SPECS, pages: list[str] | None = None) -> dict[str, dict]:
    """Write the specs of `pages` (default: every benchmarked page); returns {page: {"charts": n, "changed": k
    (by the benchmarked box i), "box": i, "changed_by_box": {box: k}, "bytes": the charts' specs under the
    default filters, "elements"}}."""
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {page: {"charts": page_charts(page), "elements": {**page_elements(page), "box": PAGES[page]}}
            for page in pages or PAGES}
    text = json.dumps(data, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return {page: {"charts": len(d["charts"]), "changed": changed_charts(d["charts"], PAGES[page]), "box": PAGES[page],
                   "changed_by_box": {box: changed_charts(d["charts"], box) for box in SCOPE_OF_BOX},
                   "bytes": sum(c["bytes"] for c in d["charts"]), "elements": d["elements"]}
            for page, d in data.items()}
