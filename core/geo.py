"""Shenzhen district boundaries for choropleth maps (offline, vendored).

The shapes live in ``data/geo/shenzhen_districts.geojson`` (see
``data/geo/README.md`` for source, licence and how it was simplified): a
FeatureCollection with one Feature per district, ``id`` = the 6-digit district
code, properties ``district_code``, ``name_zh`` and ``name_en``.  Use it with
``featureidkey="properties.district_code"``.

Only the nine statutory districts have a shape.  Two codes used for Shenzhen
statistics have none, on purpose:

* ``SZDP`` Dapeng New Area (大鹏新区) is a functional area, not a district: its
  land is part of Longgang (440307), and the source draws it inside Longgang's
  shape (Longgang's MultiPolygon has two parts, the Dapeng peninsula being the
  eastern one, cut off from the rest of Longgang by Yantian and Pingshan).
  Giving it a shape of its own would mean cutting a boundary we have no
  source for.  Figures reported for SZDP therefore cannot be mapped separately;
  fold them into 440307 or show them outside the map.
* ``SZSS`` Shenshan Special Cooperation Zone (深汕特别合作区) lies about 100 km
  east of Shenzhen, inside Haifeng County, Shanwei (441521), and the source has
  no shape for it at all.  Its figures are likewise unmappable here.

Coordinates are GCJ-02 (Amap), a few hundred metres off WGS-84: irrelevant at
district scale.  Exterior rings are clockwise, as plotly's ``go.Choropleth``
(d3-geo) requires.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

GEOJSON_PATH: Path = (
    Path(__file__).resolve().parent.parent
    / "data"
    / "geo"
    / "shenzhen_districts.geojson"
)

# The nine districts that have a shape.  tests/test_geo.py checks this matches
# the file.  SZDP (Dapeng) and SZSS (Shenshan) are deliberately absent: see the
# module docstring.
MAPPED_CODES: frozenset[str] = frozenset(
    {
        "440303",  # 罗湖 Luohu
        "440304",  # 福田 Futian
        "440305",  # 南山 Nanshan
        "440306",  # 宝安 Bao'an
        "440307",  # 龙岗 Longgang (includes the Dapeng peninsula, SZDP)
        "440308",  # 盐田 Yantian
        "440309",  # 龙华 Longhua
        "440310",  # 坪山 Pingshan
        "440311",  # 光明 Guangming
    }
)


@lru_cache(maxsize=1)
def load_districts() -> dict:
    """Return the parsed district GeoJSON FeatureCollection.

    The result is cached and shared between callers: do not mutate it.
    """
    with GEOJSON_PATH.open(encoding="utf-8") as fh:
        return json.load(fh)
