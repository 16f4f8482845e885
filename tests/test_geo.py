"""Checks on the vendored Shenzhen district boundaries (core/geo.py)."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path

import duckdb
import pytest

from core import catalog
from core.filters import Filters
from core.geo import GEOJSON_PATH, MAPPED_CODES, load_districts

ROOT = Path(__file__).resolve().parent.parent

# Shenzhen's bounding box (lon, lat).  The southern edge is 22.39, not 22.4:
# Nanshan's Neilingding island (内伶仃岛) reaches 22.396 N in the source.
LON_MIN, LON_MAX = 113.7, 114.7
LAT_MIN, LAT_MAX = 22.39, 22.9

EXPECTED = [
    ("440303", "罗湖区", "Luohu"),
    ("440304", "福田区", "Futian"),
    ("440305", "南山区", "Nanshan"),
    ("440306", "宝安区", "Bao'an"),
    ("440307", "龙岗区", "Longgang"),
    ("440308", "盐田区", "Yantian"),
    ("440309", "龙华区", "Longhua"),
    ("440310", "坪山区", "Pingshan"),
    ("440311", "光明区", "Guangming"),
]


def _features() -> dict[str, dict]:
    return {f["id"]: f for f in load_districts()["features"]}


def _rings(feature: dict):
    """Yield (is_exterior, ring) for every ring of a (Multi)Polygon feature."""
    geom = feature["geometry"]
    polys = (
        geom["coordinates"] if geom["type"] == "MultiPolygon" else [geom["coordinates"]]
    )
    for poly in polys:
        for i, ring in enumerate(poly):
            yield i == 0, ring


def _signed_area(ring) -> float:
    return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in itertools.pairwise(ring)) / 2


def test_file_is_small_feature_collection():
    assert GEOJSON_PATH.stat().st_size < 400_000
    fc = load_districts()
    assert fc["type"] == "FeatureCollection"
    assert len(fc["features"]) == 9
    assert load_districts() is fc  # cached


def test_codes_match_mapped_codes():
    assert set(_features()) == MAPPED_CODES == {code for code, _, _ in EXPECTED}
    assert "SZDP" not in MAPPED_CODES and "SZSS" not in MAPPED_CODES


@pytest.mark.parametrize(("code", "name_zh", "name_en"), EXPECTED)
def test_feature_properties(code, name_zh, name_en):
    feat = _features()[code]
    assert feat["type"] == "Feature"
    assert isinstance(feat["id"], str)
    assert feat["properties"] == {
        "district_code": code,
        "name_zh": name_zh,
        "name_en": name_en,
    }
    assert feat["geometry"]["type"] in {"Polygon", "MultiPolygon"}


@pytest.mark.parametrize("code", [code for code, _, _ in EXPECTED])
def test_rings_closed_inside_bbox_and_clockwise(code):
    rings = list(_rings(_features()[code]))
    assert rings
    for is_exterior, ring in rings:
        assert len(ring) >= 4
        assert ring[0] == ring[-1], "ring not closed"
        for lon, lat in ring:
            assert LON_MIN <= lon <= LON_MAX and LAT_MIN <= lat <= LAT_MAX, (lon, lat)
            assert round(lon, 5) == lon and round(lat, 5) == lat
        # go.Choropleth (d3-geo) floods the globe if exteriors are counter-clockwise.
        area = _signed_area(ring)
        assert (area < 0) if is_exterior else (area > 0)


def test_longgang_includes_dapeng_peninsula():
    # Nan'ao, on the Dapeng peninsula (SZDP), lies in Longgang's bounding box.
    lons = [lon for _, ring in _rings(_features()["440307"]) for lon, _ in ring]
    assert max(lons) > 114.6


def test_mapped_codes_are_the_statutory_districts_of_the_district_table():
    """The shapes cover exactly the rows of kind 'district' in data/raw/districts.csv; the others have none."""
    with (ROOT / "data" / "raw" / "districts.csv").open(encoding="utf-8") as fh:
        kinds = {row["district_code"]: row["kind"] for row in csv.DictReader(fh)}
    assert {code for code, kind in kinds.items() if kind == "district"} == MAPPED_CODES
    assert {code for code, kind in kinds.items() if kind != "district"} == {"SZDP", "SZSS"}


def test_district_map_draws_every_shape_with_its_records(built_db):
    """The map chart colours each of the nine shapes by its records (sessions 21-23, counted here directly) and
    names Dapeng and Shenshan, which have no shape, in a note with their counts."""
    options = catalog.load_options()
    filters = Filters(23, 21, 23, lang="en")
    fig, _, _ = catalog.build("district_map", filters, options)
    with duckdb.connect(str(built_db), read_only=True) as con:
        counts = dict(con.execute("SELECT district_code, count(*) FROM records WHERE session_no BETWEEN 21 AND 23 "
                                  "GROUP BY ALL").fetchall())
    assert sum(counts.values()) == 3684 - 3053  # published: 3,684 records in sessions 1-23, 3,053 in 1-20
    trace = fig.data[0]
    assert trace.featureidkey == "properties.district_code"
    drawn = dict(zip(trace.locations, (int(z) for z in trace.z)))
    assert drawn == {code: counts.get(code, 0) for code in MAPPED_CODES}
    note = "\n".join(a.text or "" for a in fig.layout.annotations)
    assert f"Dapeng: {counts.get('SZDP', 0)}" in note and f"Shenshan: {counts.get('SZSS', 0)}" in note
