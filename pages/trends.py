"""Trends over sessions: growth, applicant strength, categories, awards."""

from ui import state, widgets

filters = state.current()
widgets.page_header("trends", filters)
for name in ("records_per_session", "applicant_strength", "category_split", "awards_per_session"):
    widgets.chart(name, filters)
