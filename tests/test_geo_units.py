"""core/geo.py's geometry on small shapes whose answers are known by hand: ring areas, the even-odd inside test
(holes are outside), distances to the nearest edge, the label point of a shape, and which part of a district
carries its name (Longgang's name not on the Dapeng peninsula)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from core import geo

SQUARE = np.array([[0.0, 0.0], [0.0, 4.0], [4.0, 4.0], [4.0, 0.0]])  # clockwise
HOLE = np.array([[1.5, 1.5], [2.5, 1.5], [2.5, 2.5], [1.5, 2.5]])
# an L: the 4x4 square without its top-right 2x2 quarter
ELL = np.array([[0.0, 0.0], [0.0, 4.0], [2.0, 4.0], [2.0, 2.0], [4.0, 2.0], [4.0, 0.0]])


def test_area_of_rings_either_way_round():
    assert geo._area(SQUARE) == 16.0
    assert geo._area(SQUARE[::-1]) == 16.0
    assert geo._area(np.array([[0.0, 0.0], [4.0, 0.0], [0.0, 3.0]])) == 6.0
    assert geo._area(ELL) == 12.0
    assert geo._area(np.array([[1.0, 1.0], [1.0, 3.0], [6.0, 3.0], [6.0, 1.0]])) == 10.0


def test_inside_by_the_even_odd_rule():
    points = np.array([[1.0, 1.0], [2.0, 2.0], [3.0, 3.0], [5.0, 2.0], [-1.0, 2.0], [2.0, 5.0], [2.0, -1.0],
                       [1.0, 3.0], [3.0, 1.0], [0.5, 2.0]])
    assert geo._inside(points, [SQUARE]).tolist() == [True, True, True, False, False, False, False, True, True, True]
    assert geo._inside(points, [SQUARE, HOLE]).tolist() == [True, False, True, False, False, False, False, True,
                                                            True, True]
    ell = geo._inside(points, [ELL]).tolist()
    assert ell[:1] + ell[2:] == [True, False, False, False, False, False, True, True, True]  # (2, 2): its corner


@pytest.mark.parametrize(("point", "rings", "expected"), [
    ((1.0, 2.0), "square", 1.0), ((2.0, 2.0), "square", 2.0), ((2.0, 3.5), "square", 0.5),
    ((6.0, 2.0), "square", 2.0), ((5.0, 5.0), "square", 2 ** 0.5), ((-3.0, -4.0), "square", 5.0),
    ((2.0, 2.0), "holed", 0.5), ((0.5, 2.0), "holed", 0.5), ((3.0, 3.0), "ell", 1.0), ((1.0, 1.0), "ell", 1.0),
    ((3.0, 0.5), "ell", 0.5)])
def test_distance_to_the_nearest_edge_of_any_ring(point, rings, expected):
    shapes = {"square": [SQUARE], "holed": [SQUARE, HOLE], "ell": [ELL]}[rings]
    assert geo._distance(np.array([point]), shapes)[0] == pytest.approx(expected, abs=1e-12)


def test_distance_of_several_points_at_once():
    points = np.array([[1.0, 2.0], [2.0, 3.5], [6.0, 2.0]])
    assert geo._distance(points, [SQUARE]).tolist() == pytest.approx([1.0, 0.5, 2.0])


def test_far_inside_scales_longitude_by_the_latitude():
    # 4 degrees of longitude by 2 of latitude round 60 N (cos 60 = 0.5): a square on the ground, so one centre
    wide = np.array([[0.0, 59.0], [0.0, 61.0], [4.0, 61.0], [4.0, 59.0]])
    lon, lat = geo._far_inside([wide])
    assert (lon, lat) == pytest.approx((2.0, 60.0), abs=0.01)
    assert isinstance(lon, float) and isinstance(lat, float)
    assert (lon, lat) == (round(lon, 5), round(lat, 5))


def test_far_inside_of_a_triangle_is_its_incentre_on_the_ground():
    # mean latitude 59.667, cos = 0.50504: the triangle is legs 2.0202 (east) and 2 (north) on the ground, whose
    # incircle has radius (2.0202 + 2 - 2.8427) / 2 = 0.5887, centre (0.5887 / 0.50504, 59 + 0.5887)
    triangle = np.array([[0.0, 59.0], [0.0, 61.0], [4.0, 59.0]])
    assert geo._far_inside([triangle]) == pytest.approx((1.1657, 59.5887), abs=0.005)


def test_far_inside_avoids_holes_and_leaves_the_bounding_box_centre_of_an_ell():
    holed = geo._far_inside([SQUARE, HOLE])  # the centre is in the hole; the deepest points are 0.88 from edges
    assert geo._inside(np.array([holed]), [SQUARE, HOLE])[0]
    assert geo._distance(np.array([holed]), [SQUARE, HOLE])[0] > 0.85
    ell = geo._far_inside([ELL])  # the centre (2, 2) is a corner; the deepest points lie near (1, 1)
    assert geo._inside(np.array([ell]), [ELL])[0]
    assert geo._distance(np.array([ell]), [ELL])[0] > 0.95


def test_far_inside_refines_past_the_first_grid():
    # 24 steps over 0..4 miss 2.0 by 0.087; four rounds of refinement come within 0.001 of the centre
    lon, lat = geo._far_inside([SQUARE], steps=24, rounds=4)
    assert abs(lon - 2.0) < 0.005 and abs(lat - 2.0) < 0.005
    coarse = geo._far_inside([SQUARE], steps=24, rounds=1)
    assert abs(coarse[0] - 2.0) > 0.05


def ring(west, south, east, north):
    return [[west, south], [west, north], [east, north], [east, south], [west, south]]


def feature(code, geometry_type, coordinates):
    return {"properties": {"district_code": code}, "geometry": {"type": geometry_type, "coordinates": coordinates}}


def test_label_part_of_a_polygon_keeps_its_holes():
    rings = geo._label_part(feature("440305", "Polygon", [ring(0, 0, 4, 4), ring(1, 1, 2, 2)]))
    assert [r.tolist() for r in rings] == [ring(0, 0, 4, 4), ring(1, 1, 2, 2)]
    assert all(r.dtype == float for r in rings)


def test_label_part_is_the_largest_part_but_never_dapeng_for_longgang():
    small_west = [ring(114.0, 22.0, 114.1, 22.1)]
    large_east = [ring(114.4, 22.0, 114.7, 22.3), ring(114.5, 22.1, 114.6, 22.2)]
    at_the_line = [ring(114.33, 22.0, 114.9, 22.5)]
    parts = [small_west, large_east]
    assert [r.tolist() for r in geo._label_part(feature("440306", "MultiPolygon", parts))] == large_east
    assert [r.tolist() for r in geo._label_part(feature("440307", "MultiPolygon", parts))] == small_west
    longgang = feature("440307", "MultiPolygon", [small_west, at_the_line])
    assert [r.tolist() for r in geo._label_part(longgang)] == small_west
    shifted = [ring(114.0, 22.0, 114.5, 22.2), ring(114.0, 22.0, 114.01, 22.01)]
    assert [r.tolist() for r in geo._label_part(feature("440306", "MultiPolygon", [large_east, shifted[::-1]]))] == \
        large_east  # a part's first ring (its exterior) is its size


DIAMOND = np.array([[2.0, 0.0], [0.0, 2.0], [2.0, 4.0], [4.0, 2.0]])  # |x - 2| + |y - 2| <= 2


def test_inside_a_shape_with_slanted_edges():
    points = np.array([[2.0, 2.0], [0.5, 2.0], [3.5, 2.0], [1.0, 1.2], [1.0, 0.9], [0.5, 0.5], [3.8, 3.8],
                       [3.0, 2.9], [3.0, 3.1], [1.0, 3.1]])
    assert geo._inside(points, [DIAMOND]).tolist() == [True, True, True, True, False, False, False, True, False,
                                                       False]


def test_inside_says_nothing_about_level_edges():
    # a level edge divides by zero, and a closed ring's last edge (first point repeated) is 0 / 0: expected, and
    # must not warn on every map draw
    closed = np.array(ring(0.0, 0.0, 4.0, 4.0))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert geo._inside(np.array([[1.0, 1.0], [1.0, 4.0]]), [SQUARE]).tolist() == [True, False]
        assert geo._inside(np.array([[1.0, 1.0], [1.0, 0.0], [5.0, 0.0]]), [closed]).tolist()[::2] == [True, False]


def test_distance_on_a_district_sized_shape():
    # real edges are a few thousandths of a degree long: a square of side 0.004, a point 0.001 from its left side
    tiny = SQUARE / 1000
    assert geo._distance(np.array([[0.001, 0.002]]), [tiny])[0] == pytest.approx(0.001, abs=1e-12)
    assert geo._distance(np.array([[0.005, 0.005]]), [tiny])[0] == pytest.approx(0.001 * 2 ** 0.5, abs=1e-12)


def test_label_part_compares_parts_by_area_not_by_coordinates():
    large_west = [ring(113.0, 22.0, 113.5, 22.5)]
    small_east = [ring(114.0, 22.0, 114.1, 22.1)]
    assert [r.tolist() for r in geo._label_part(feature("440306", "MultiPolygon", [large_west, small_east]))] == \
        large_west
