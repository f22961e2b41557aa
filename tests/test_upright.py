"""Tests for purenet.squares.upright: the convex hull, the smallest rectangle, and turning drawings upright."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purenet.squares import drawing, hand, recipe, shapes, upright


def turned(strokes, degrees):
    """``strokes`` turned by ``degrees`` about the origin, by the plain formula."""
    angle = math.radians(degrees)
    return [
        [(x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle)) for x, y in stroke]
        for stroke in strokes
    ]


def rectangle(width, height):
    return [[(0.0, 0.0), (width, 0.0), (width, height), (0.0, height), (0.0, 0.0)]]


def quarter_turns(grid):
    """The grid and its three quarter turns."""
    views = [grid]
    for _ in range(3):
        views.append([list(row) for row in zip(*views[-1][::-1])])
    return views


def largest_difference(a, b):
    return max(abs(u - v) for row_a, row_b in zip(a, b) for u, v in zip(row_a, row_b))


def box_area(points, angle):
    """The area of the box around ``points`` turned by ``-angle``: the function upright_angle minimises."""
    us = [x * math.cos(angle) + y * math.sin(angle) for x, y in points]
    vs = [-x * math.sin(angle) + y * math.cos(angle) for x, y in points]
    return (max(us) - min(us)) * (max(vs) - min(vs))


def test_the_hull_of_a_square_with_points_inside_and_on_its_sides_is_its_four_corners():
    points = [(0, 0), (4, 0), (4, 4), (0, 4), (2, 2), (1, 3), (2, 0), (4, 1), (0, 0)]
    hull = upright.convex_hull(points)
    assert sorted(hull) == [(0, 0), (0, 4), (4, 0), (4, 4)]


def test_fewer_than_three_distinct_points_are_their_own_hull():
    assert upright.convex_hull([(3, 1), (1, 2), (3, 1)]) == [(1, 2), (3, 1)]
    assert upright.convex_hull([(5, 5)]) == [(5, 5)]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(-50, 50), st.integers(-50, 50)), min_size=3, max_size=40))
def test_every_point_lies_inside_the_hull_and_every_corner_is_a_point(points):
    hull = upright.convex_hull(points)
    assert set(hull) <= set(points)
    if len(hull) < 3:  # all the points on one line
        return
    for index in range(len(hull)):
        (ax, ay), (bx, by) = hull[index - 1], hull[index]
        for x, y in points:
            # One side of every edge, the same for all edges: inside or on the hull.
            assert (bx - ax) * (y - ay) - (by - ay) * (x - ax) >= 0


@pytest.mark.parametrize("degrees", [-44, -30, -12.5, -3, 0, 2.4, 10, 29, 44.9])
@pytest.mark.parametrize("width, height", [(1.0, 1.0), (2.0, 1.0), (1.0, 1.4)])
def test_the_angle_of_a_turned_rectangle_is_the_turn(degrees, width, height):
    assert math.degrees(upright.upright_angle(turned(rectangle(width, height), degrees)[0])) == pytest.approx(
        degrees, abs=1e-9
    )


def test_a_turn_beyond_45_degrees_is_read_modulo_a_quarter_turn():
    points = turned(rectangle(2.0, 1.0), 70)[0]
    assert math.degrees(upright.upright_angle(points)) == pytest.approx(-20, abs=1e-9)


def test_an_upright_drawing_is_not_turned():
    strokes = rectangle(3.0, 2.0)
    assert upright.upright_angle(strokes[0]) == 0.0
    assert upright.upright(strokes) == [[(x, y) for x, y in strokes[0]]]


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10**6))
def test_no_other_angle_gives_a_smaller_box(seed):
    kind = random.Random(seed).choice(sorted(shapes.KINDS))
    points = [point for stroke in shapes.sample(kind, random.Random(seed)) for point in stroke]
    best = box_area(points, upright.upright_angle(points))
    # Every tenth of a degree of the quarter turn: none may beat the hull's edges.
    assert best <= min(box_area(points, math.radians(step / 10 - 45)) for step in range(900)) * (1 + 1e-9)


def test_turn_is_the_rotation_formula_and_turning_back_undoes_it():
    strokes = [[(3.0, -1.5), (0.25, 7.0)], [(-2.0, 4.0)]]
    for degrees in (-45, 17, 90, 200):
        result = upright.turn(strokes, math.radians(degrees))
        expected = turned(strokes, degrees)
        for stroke, expected_stroke in zip(result, expected):
            for point, expected_point in zip(stroke, expected_stroke):
                assert point == pytest.approx(expected_point, abs=1e-12)
        back = upright.turn(result, -math.radians(degrees))
        for stroke, original in zip(back, strokes):
            for point, original_point in zip(stroke, original):
                assert point == pytest.approx(original_point, abs=1e-12)


@settings(max_examples=30, deadline=None)
@given(st.integers(0, 10**6), st.floats(-180, 180))
def test_a_drawing_turned_by_any_angle_rasterises_as_the_drawing_itself_up_to_a_quarter_turn(seed, degrees):
    """Turning upright removes the turn: whatever the angle, the grid is the same, or a quarter turn of it."""
    kind = random.Random(seed).choice(["square", "rectangle", "triangle", "star", "moon", "arrow"])
    strokes = shapes.sample(kind, random.Random(seed))
    points = [point for stroke in strokes for point in stroke]
    # Two edges that give boxes of the same area, or nearly, may swap with rounding once the
    # drawing is turned: such a drawing has two uprights (a triangle can), and either may be chosen.
    hull = upright.convex_hull(points)
    edges = zip(hull, hull[1:] + hull[:1])
    areas = sorted(box_area(points, math.atan2(by - ay, bx - ax)) for (ax, ay), (bx, by) in edges)
    if areas[1] - areas[0] < 1e-6 * areas[0]:
        return
    reference = drawing.rasterize(strokes, 32)
    grid = drawing.rasterize(turned(strokes, degrees), 32)
    assert min(largest_difference(grid, view) for view in quarter_turns(reference)) < 1e-6


def test_without_upright_a_turned_square_stays_turned():
    square = rectangle(1.0, 1.0)
    upright_grid = drawing.rasterize(square, 32, upright=False)
    tilted_grid = drawing.rasterize(turned(square, 30), 32, upright=False)
    assert min(largest_difference(tilted_grid, view) for view in quarter_turns(upright_grid)) > 0.5
    assert largest_difference(drawing.rasterize(turned(square, 30), 32), upright_grid) < 1e-6


@pytest.mark.parametrize("function", [drawing.prepare, drawing.rasterize])
def test_upright_must_be_true_or_false(function):
    with pytest.raises(TypeError, match=r"upright must be True or False, got .*1"):
        function(rectangle(1.0, 1.0), 32, upright=1)
    with pytest.raises(TypeError, match=r"model_input: upright must be True or False, got .*'yes'"):
        drawing.model_input(rectangle(1.0, 1.0), 32, upright="yes")


def test_models_say_whether_they_read_drawings_upright():
    assert recipe.reads_upright(recipe.build_network(8, 4))
    old = recipe.build_network(8, 4)
    old.metadata = {}  # as a model saved before the drawings were turned upright
    assert not recipe.reads_upright(old)
    old.metadata = {"upright": "yes"}  # only true itself counts
    assert not recipe.reads_upright(old)


def test_a_model_saved_without_the_upright_key_is_given_drawings_as_it_learnt_them():
    """report() turns the drawings upright for a model that says so, and only then."""
    model = recipe.build_network(8, 4, random.Random(1))
    labelled = shapes.labelled_drawings(40, seed=3)
    drawings = [item for _, item in labelled]
    turned_inputs = recipe.inputs(drawings, 8, 8, upright=True)
    plain_inputs = recipe.inputs(drawings, 8, 8, upright=False)
    assert turned_inputs != plain_inputs
    expected_turned = model.predict(turned_inputs)
    expected_plain = model.predict(plain_inputs)
    assert recipe.report(model, labelled, 8, 3)["accuracy"] == pytest.approx(
        sum(p == recipe.kind_label(k) for p, (k, _) in zip(expected_turned, labelled)) / 40
    )
    model.metadata = {}
    assert recipe.report(model, labelled, 8, 3)["accuracy"] == pytest.approx(
        sum(p == recipe.kind_label(k) for p, (k, _) in zip(expected_plain, labelled)) / 40
    )


def test_training_inputs_are_turned_upright_then_by_a_small_tilt():
    drawings = [item for _, item in shapes.labelled_drawings(30, seed=5)]
    tilted = recipe.tilted_inputs(drawings, 16, random.Random(7))
    rng = random.Random(7)
    for item, values in zip(drawings, tilted):
        degrees = hand.everyday_tilt(rng)
        expected = drawing.prepare(turned(upright.upright(item), degrees), 16, upright=False)
        assert max(abs(a - b) for a, b in zip(values, expected)) < 1e-9


def test_everyday_tilts_are_small_either_way():
    rng = random.Random(11)
    tilts = [hand.everyday_tilt(rng) for _ in range(4000)]
    sizes = sorted(abs(tilt) for tilt in tilts)
    assert sizes[len(sizes) // 2] == pytest.approx(1.5, rel=0.1)
    assert sizes[int(0.9 * len(sizes))] == pytest.approx(9.0, rel=0.15)
    assert max(sizes) <= 45.0
    assert 0.45 < sum(tilt > 0 for tilt in tilts) / len(tilts) < 0.55
