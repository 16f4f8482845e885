"""Trends over sessions: growth, applicant strength, categories, awards."""

from ui import state, widgets

filters = state.current()
widgets.page_header("trends", filters)
widgets.charts_for("trends", filters)
