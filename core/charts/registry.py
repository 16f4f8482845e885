"""The chart registry: each builder registers itself where it is defined, with its page, scope and fixed
query parameters, so a chart is declared exactly once.

    @chart(page="companies", scope="range", extra={"min_sessions": 2})
    def repeat_innovators(df, card): ...

The builder's name is the chart's name, its query (queries/<name>.sql, unless `query=` names another) and
its locale keys (charts.<name>.title / .unit, unless `texts=` names another table). Pages draw the charts
registered for them in the order they are defined.

A chart is built for a context (core/catalog.py): the shared filters ("filters"), one district's profile
("district": the filters narrowed to one district) or a comparison of two sessions ("compare": the filters'
session against `vs`). Builders take (rows, card) and the keyword arguments `hints` gives for the context.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SCOPES = ("session", "range")  # one session, or sessions from..to
CONTEXTS = ("filters", "district", "compare")


@dataclass(frozen=True)
class ChartSpec:
    name: str
    page: str  # url path of the page that shows it
    scope: str  # "session" (one session) or "range" (sessions from..to)
    extra: dict = field(default_factory=dict)  # fixed extra query parameters
    # focus: shows every district and emphasises the selected ones (its query flags rows `selected`);
    # otherwise the district selection filters the data ("within the selection")
    focus: bool = False
    # applicants: counts applicants (company_profiles), which a session imported from an official list of
    # approved records does not have; its empty chart says so instead of asking to widen the filters
    applicants: bool = False
    # categories: counts records by category, which lists before sessions.CATEGORY_SINCE do not give; its empty
    # chart says so (it asked to widen the filters, for a comparison of a district's sessions 15 and 14)
    categories: bool = False
    # per_session: each row describes one session and depends on no other session (no ranks or totals over
    # the range), so the rows of any range, or of one session, are those of the result for every session: the
    # query (whose rows carry session_no) runs once for all sessions and a change of the range or session costs
    # a slice instead of a query (core/catalog.data). A session chart's query then takes a range too.
    per_session: bool = False
    context: str = "filters"  # one of CONTEXTS
    query_name: str = ""  # queries/<query_name>.sql when it is not the chart's name
    texts: str = ""  # the locale table of its title and unit when it is not charts.<name>
    # hints(filters, options, run) -> keyword arguments of the builder beyond rows and card (e.g. a name)
    hints: Callable | None = field(default=None, compare=False)
    builder: Callable | None = field(default=None, compare=False)

    @property
    def query(self) -> str:
        return self.query_name or self.name

    @property
    def text_key(self) -> str:
        return self.texts or f"charts.{self.name}"


CHARTS: dict[str, ChartSpec] = {}


def chart(page: str, scope: str, extra: dict | None = None, focus: bool = False, applicants: bool = False,
          per_session: bool = False, context: str = "filters", query: str = "", texts: str = "",
          hints: Callable | None = None, categories: bool = False):
    """Register the decorated builder as a chart of `page`; `focus=True` for a chart that keeps all districts
    and emphasises the selected ones instead of filtering to them; `applicants=True` for a chart of applicants,
    `categories=True` for one of record categories; `per_session=True` for a chart whose rows each describe one
    session on their own (see ChartSpec)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")
    if context not in CONTEXTS:
        raise ValueError(f"context must be one of {CONTEXTS}, not {context!r}")

    def register(builder: Callable) -> Callable:
        name = builder.__name__
        if name in CHARTS:
            raise ValueError(f"chart {name!r} is registered twice")
        CHARTS[name] = ChartSpec(name, page, scope, dict(extra or {}), focus=focus, applicants=applicants,
                                   per_session=per_session, context=context, query_name=query, texts=texts,
                                   hints=hints, builder=builder, categories=categories)
        return builder

    return register


def for_page(page: str, context: str = "filters") -> list[ChartSpec]:
    """The charts `page` shows in `context`, in the order they are defined."""
    return [spec for spec in CHARTS.values() if spec.page == page and spec.context == context]
