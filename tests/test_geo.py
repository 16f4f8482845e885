"""Checks on the vendored Shenzhen district boundaries (core/geo.py)."""

from __future__ import annotations

import itertools

import pandas as pd
import plotly.express as px
import plotly.graph_objects as go
import pytest

from core.geo import GEOJSON_PATH, MAPPED_CODES, load_districts

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
    assert (
        feat["properties"]["name_zh"].strip() and feat["properties"]["name_en"].strip()
    )
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


def test_plotly_express_choropleth_map_accepts_geojson():
    df = pd.DataFrame({"district_code": sorted(MAPPED_CODES), "value": range(9)})
    fig = px.choropleth_map(
        df,
        geojson=load_districts(),
        locations="district_code",
        featureidkey="properties.district_code",
        color="value",
        map_style="white-bg",
        center={"lon": 114.15, "lat": 22.62},
        zoom=8.5,
    )
    assert isinstance(fig, go.Figure)
    assert list(fig.data[0].locations) == sorted(MAPPED_CODES)
    fig.to_dict()  # full validation/serialisation, no rendering


def test_go_choropleth_with_fitbounds_builds():
    codes = sorted(MAPPED_CODES)
    fig = go.Figure(
        go.Choropleth(
            geojson=load_districts(),
            locations=codes,
            z=list(range(len(codes))),
            featureidkey="properties.district_code",
        )
    )
    fig.update_geos(fitbounds="locations", visible=False)
    assert fig.layout.geo.fitbounds == "locations"
    fig.to_dict()
