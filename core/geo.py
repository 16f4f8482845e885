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

import numpy as np

from core import config

GEOJSON_PATH: Path = config.GEOJSON

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


@lru_cache(maxsize=1)
def bounds() -> tuple[tuple[float, float], tuple[float, float]]:
    """((west, east), (south, north)) of all the shapes."""
    points = np.concatenate([np.asarray(ring, dtype=float) for feature in load_districts()["features"]
                             for part in feature["geometry"]["coordinates"] for ring in part])
    (west, south), (east, north) = points.min(axis=0), points.max(axis=0)
    return (float(west), float(east)), (float(south), float(north))


@lru_cache(maxsize=1)
def label_points() -> dict[str, tuple[float, float]]:
    """(lon, lat) where each district's name is written on the map: the point of its largest part that lies
    farthest from the part's edges. A centroid can fall outside a curved shape (Bao'an wraps round Guangming)
    or on a thin neck where the name would cross a border."""
    return {feature["properties"]["district_code"]: _far_inside(_label_part(feature))
            for feature in load_districts()["features"]}


# Longgang's second part, the Dapeng peninsula (SZDP, see above), lies wholly east of this longitude
# (114.338-114.628 E); it is about as large as Longgang proper, and Longgang's name belongs on Longgang proper.
DAPENG_WEST = 114.33


def _label_part(feature: dict) -> list[np.ndarray]:
    """The rings (exterior first, then holes) of the district's largest polygon, Dapeng left out."""
    geometry = feature["geometry"]
    parts = geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    if feature["properties"]["district_code"] == "440307":
        parts = [part for part in parts if min(lon for lon, _ in part[0]) < DAPENG_WEST]
    rings = max(parts, key=lambda part: _area(np.asarray(part[0], dtype=float)))
    return [np.asarray(ring, dtype=float) for ring in rings]


def _area(ring: np.ndarray) -> float:
    x, y = ring[:, 0], ring[:, 1]
    return abs(float(np.dot(x, np.roll(y, -1)) - np.dot(y, np.roll(x, -1)))) / 2


def _far_inside(rings: list[np.ndarray], steps: int = 24, rounds: int = 4) -> tuple[float, float]:
    """Grid search for the interior point farthest from every ring, refined round the best point each round.
    Longitudes are scaled by cos(latitude) so distances are alike in both directions."""
    squeeze = np.cos(np.radians(rings[0][:, 1].mean()))
    rings = [ring * (squeeze, 1.0) for ring in rings]
    low, high = rings[0].min(axis=0), rings[0].max(axis=0)
    best = None
    for _ in range(rounds):
        xs, ys = np.meshgrid(np.linspace(low[0], high[0], steps), np.linspace(low[1], high[1], steps))
        points = np.column_stack([xs.ravel(), ys.ravel()])
        depth = np.where(_inside(points, rings), _distance(points, rings), -np.inf)
        best = points[int(np.argmax(depth))]
        cell = (high - low) / (steps - 1)
        low, high = best - 2 * cell, best + 2 * cell
    return round(float(best[0] / squeeze), 5), round(float(best[1]), 5)


def _edges(ring: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return ring, np.roll(ring, -1, axis=0)


def _inside(points: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Even-odd rule over every ring, so a point in a hole is outside."""
    x, y = points[:, :1], points[:, 1:]
    crossings = np.zeros(len(points), dtype=int)
    for ring in rings:
        a, b = _edges(ring)
        spans = (a[:, 1] > y) != (b[:, 1] > y)
        with np.errstate(divide="ignore", invalid="ignore"):
            cross_x = a[:, 0] + (y - a[:, 1]) * (b[:, 0] - a[:, 0]) / (b[:, 1] - a[:, 1])
        crossings += (spans & (x < cross_x)).sum(axis=1)
    return crossings % 2 == 1


def _distance(points: np.ndarray, rings: list[np.ndarray]) -> np.ndarray:
    """Distance from each point to the nearest edge of any ring."""
    nearest = np.full(len(points), np.inf)
    for ring in rings:
        a, b = _edges(ring)
        edge = b - a
        length = np.maximum((edge ** 2).sum(axis=1), 1e-18)
        along = ((points[:, None, :] - a) * edge).sum(axis=2) / length
        foot = a + np.clip(along, 0, 1)[..., None] * edge
        nearest = np.minimum(nearest, np.sqrt(((points[:, None, :] - foot) ** 2).sum(axis=2)).min(axis=1))
    return nearest
