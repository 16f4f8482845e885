"""The chart registry: each builder registers itself where it is defined, with its page, scope and fixed
query parameters, so a chart is declared exactly once.

    @chart(page="companies", scope="range", extra={"min_sessions": 2})
    def repeat_innovators(df, card): ...

The builder's name is the chart's name, its query (queries/<name>.sql) and its locale keys
(charts.<name>.title / .unit). Pages draw the charts registered for them in the order they are defined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

SCOPES = ("session", "range")  # one session, or sessions from..to


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
    # per_session: each row describes one session and depends on no other session (no ranks or totals over
    # the range), so the rows of any range, or of one session, are those of the result for every session: the
    # query (whose rows carry session_no) runs once for all sessions and a change of the range or session costs
    # a slice instead of a query (core/catalog.data). A session chart's query then takes a range too.
    per_session: bool = False
    builder: Callable | None = field(default=None, compare=False)

    @property
    def query(self) -> str:
        return self.name


REGISTRY: dict[str, ChartSpec] = {}


def chart(page: str, scope: str, extra: dict | None = None, focus: bool = False, applicants: bool = False,
          per_session: bool = False):
    """Register the decorated builder as a chart of `page`; `focus=True` for a chart that keeps all districts
    and emphasises the selected ones instead of filtering to them; `applicants=True` for a chart of applicants;
    `per_session=True` for a chart whose rows each describe one session on their own (see ChartSpec)."""
    if scope not in SCOPES:
        raise ValueError(f"scope must be one of {SCOPES}, not {scope!r}")

    def register(builder: Callable) -> Callable:
        name = builder.__name__
        if name in REGISTRY:
            raise ValueError(f"chart {name!r} is registered twice")
        REGISTRY[name] = ChartSpec(name, page, scope, dict(extra or {}), focus=focus, applicants=applicants,
                                   per_session=per_session, builder=builder)
        return builder

    return register


def for_page(page: str) -> list[ChartSpec]:
    return [spec for spec in REGISTRY.values() if spec.page == page]
