"""Fewer lines on a phone: a chart with many lines (the rank history's eleven districts) keeps only the ones
that matter at 330 px, the chosen districts or the top five, and the others stay in the design figure that
downloads render.

A builder marks what a phone drops and what only a phone shows (see district_rank_history): traces and
annotations named EXTRA are dropped, annotations named PHONE_ONLY (invisible in the design figure) are shown.
"""

from __future__ import annotations

EXTRA = "phone:extra"
PHONE_ONLY = "phone:only"
DESIGN_ONLY = "design:only"
TOP = 5  # lines kept on a phone when no district is chosen


def focus(layout: dict, traces: list[dict]) -> list[dict]:
    """The traces a phone draws; the layout's annotations changed in place to match."""
    notes = layout.get("annotations")
    if notes and any(n.get("name") in (PHONE_ONLY, DESIGN_ONLY) for n in notes):
        layout["annotations"] = [{**n, "visible": True} if n.get("name") == PHONE_ONLY else n
                                 for n in notes if n.get("name") not in (EXTRA, DESIGN_ONLY)]
    return [t for t in traces if t.get("meta") != EXTRA]
