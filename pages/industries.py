"""Industries: GB/T 4754 treemap, top industries over time, a session's industries as its list named them."""

from ui import state, widgets

filters = state.current()
widgets.page_header("industries", filters)
widgets.charts_for("industries", filters)
