"""Checks on the vendored Shenzhen district boundaries (core/geo.py)."""

from __future__ import annotations

import csv
import itertools
import json
from pathlib import Path

import duckdb
import pytest

from core import catalog, charts
from core.filters import Filters
from core.geo import GEOJSON_PATH, MAPPED_CODES, label_points, load_districts

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
    trace = next(t for t in fig.data if t.type == "choropleth")
    assert trace.featureidkey == "properties.district_code"
    drawn = dict(zip(trace.locations, (int(z) for z in trace.z)))
    assert drawn == {code: counts.get(code, 0) for code in MAPPED_CODES}
    note = "\n".join(a.text or "" for a in fig.layout.annotations)
    assert f"Dapeng: {counts.get('SZDP', 0)}" in note and f"Shenshan: {counts.get('SZSS', 0)}" in note



@pytest.mark.parametrize("districts", [(), ("440305",)])
def test_the_map_carries_the_boundaries_as_plotly_would(built_db, districts):
    """The shape traces hold the GeoJSON without plotly's copy; checked by plotly itself: the figure's dict goes
    through plotly's full validation unchanged, with the boundaries file's own content in every shape trace."""
    import plotly.graph_objects as go

    fig, _, _ = catalog.build("district_map", Filters(23, 1, 23, districts=districts, lang="zh"),
                              catalog.load_options())
    shapes = [t for t in fig.to_dict()["data"] if t["type"] == "choropleth"]
    assert len(shapes) == (2 if districts else 1)
    with open(GEOJSON_PATH, encoding="utf-8") as f:
        on_disk = json.load(f)
    assert all(t["geojson"] == on_disk for t in shapes)
    checked = go.Figure(fig.to_dict())  # plotly validates every property, the GeoJSON too
    assert json.loads(checked.to_json()) == json.loads(fig.to_json())

# --- names on the map ----------------------------------------------------------------------------------------


def _inside(lon: float, lat: float, rings) -> bool:
    """Plain even-odd ray casting, written out here apart from core.geo's vectorised one."""
    inside = False
    for ring in rings:
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside


def _edge_distance(lon: float, lat: float, rings) -> float:
    """Distance in degrees to the nearest edge (only to tell a point well inside from one on a border)."""
    best = float("inf")
    for ring in rings:
        for (x0, y0), (x1, y1) in itertools.pairwise(ring):
            dx, dy = x1 - x0, y1 - y0
            k = max(0.0, min(1.0, ((lon - x0) * dx + (lat - y0) * dy) / (dx * dx + dy * dy or 1e-18)))
            best = min(best, ((lon - x0 - k * dx) ** 2 + (lat - y0 - k * dy) ** 2) ** 0.5)
    return best


@pytest.fixture(scope="module")
def fresh_points() -> dict:
    """The label points computed here, not read from the process's cache, which an earlier caller may have
    filled with other code (make mutate changes the code under a warm process)."""
    return label_points.__wrapped__()


@pytest.mark.parametrize("code", [code for code, _, _ in EXPECTED])
def test_each_label_point_lies_well_inside_its_own_district(code, fresh_points):
    """Inside the district's shape, about a kilometre or more from its edges, and in no other district (a
    centroid of Bao'an, which wraps round Guangming, falls in Guangming)."""
    lon, lat = fresh_points[code]
    for other, feature in _features().items():
        rings = [ring for _, ring in _rings(feature)]
        assert _inside(lon, lat, rings) == (other == code), (code, other)
    assert _edge_distance(lon, lat, [ring for _, ring in _rings(_features()[code])]) > 0.01


def test_longgang_is_named_on_longgang_proper_not_on_the_dapeng_peninsula(fresh_points):
    lon, lat = fresh_points["440307"]
    assert lon < 114.33 and lat > 22.6  # the peninsula: 114.34-114.63 E, 22.44-22.67 N


@pytest.fixture(scope="module")
def map_counts(built_db):
    with duckdb.connect(str(built_db), read_only=True) as con:
        return dict(con.execute("SELECT district_code, count(*) FROM records WHERE session_no BETWEEN 21 AND 23 "
                                "GROUP BY ALL").fetchall())


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_district_map_writes_each_name_and_its_records_on_its_shape(built_db, map_counts, lang):
    """A text trace puts "name<br>records" (reader's language, records counted here) at each label point."""
    fig, _, _ = catalog.build("district_map", Filters(23, 21, 23, lang=lang), catalog.load_options())
    labels = next(t for t in fig.data if t.type == "scattergeo")
    assert labels.mode == "text" and labels.hoverinfo == "skip"
    grouping = "," if lang == "en" else ""
    expected = {(lon, lat): f"{zh if lang == 'zh' else en}<br>{map_counts.get(code, 0):{grouping}}"
                for code, zh, en in EXPECTED for lon, lat in [label_points()[code]]}
    assert dict(zip(zip(labels.lon, labels.lat), labels.text)) == expected
    assert sum(map_counts.values()) == 3684 - 3053  # published: 3,684 records in sessions 1-23, 3,053 in 1-20


def test_map_labels_are_white_on_the_darkest_shape_and_dark_on_the_lightest(built_db, map_counts):
    fig, _, _ = catalog.build("district_map", Filters(23, 21, 23, lang="en"), catalog.load_options())
    labels = next(t for t in fig.data if t.type == "scattergeo")
    colors = dict(zip((text.split("<br>")[0] for text in labels.text), labels.textfont.color))
    names = {code: en for code, _, en in EXPECTED}
    mapped = {code: n for code, n in map_counts.items() if code in names}
    assert colors[names[max(mapped, key=mapped.get)]] == "#ffffff"  # the top of the scale: dark blue
    assert colors[names[min(mapped, key=mapped.get)]] == charts.template.INK  # near the bottom: near white


def test_map_labels_in_focus_are_dark_on_grey_and_bold_for_the_selection(built_db):
    fig, _, _ = catalog.build("district_map", Filters(23, 21, 23, ("440305",), lang="zh"), catalog.load_options())
    labels = next(t for t in fig.data if t.type == "scattergeo")
    by_name = {text.split("<br>")[0]: color for text, color in zip(labels.text, labels.textfont.color)}
    assert "<b>南山区</b>" in by_name
    assert all(color == charts.template.INK for name, color in by_name.items() if name != "<b>南山区</b>")


def test_map_labels_come_first_so_plotly_fetches_no_world_map():
    """plotly.js fetches its world topojson from a CDN when the first trace of a geo subplot is a choropleth;
    offline that fails the whole chart (tests/test_export.py renders it)."""
    fig, _, _ = catalog.build("district_map", Filters(23, 21, 23, lang="en"), catalog.load_options())
    assert fig.data[0].type == "scattergeo" and {t.type for t in fig.data[1:]} == {"choropleth"}
