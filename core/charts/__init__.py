"""Figure builders: the shared briefing template and one module per page, mirroring pages/.

`template` holds what every chart shares (`Card`, `brief`, `empty`, `esc` and the layout helpers);
`registry` holds the `@chart(...)` decorator each builder is registered with; trends, districts, industries,
companies and overview hold the builders of that page, profile those of the district profile and the
comparison. Importing this package registers every chart.
"""

from core.charts import companies, districts, industries, overview, profile, trends  # noqa: F401  (they register)
from core.charts.registry import CHARTS, ChartSpec, chart, for_page
from core.charts.template import Card, brief, empty, esc

__all__ = ["CHARTS", "Card", "ChartSpec", "brief", "chart", "empty", "esc", "for_page"]
