"""Tests for purenet.squares.shapes: valid, seeded, balanced drawings, made as people draw (issue 9's facts).

The facts are measured here on whole generated drawings; the hand that draws them
(purenet.squares.hand) is taken apart in tests/test_hand.py.
"""

import collections
import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purenet.squares import drawing
from purenet.squares import shapes

CLOSED_KINDS = ("square", "rectangle", "circle", "ellipse", "triangle", "pentagon", "hexagon", "octagon")


# --- Measurements used by the tests ------------------------------------------


def all_points(strokes):
    return [point for stroke in strokes for point in stroke]


def extents(points):
    """Width and height of the bounding box of ``points``."""
    xs = [x for x, _ in points]
    ys = [y for _, y in points]
    return max(xs) - min(xs), max(ys) - min(ys)


def bounding_box_aspect(strokes):
    """Longer side over shorter side of the bounding box, as drawn (tilt included)."""
    width, height = extents(all_points(strokes))
    return max(width, height) / min(width, height)


def shape_size(strokes):
    return max(extents(all_points(strokes)))


def closure_gap(strokes):
    """Distance between where a one-stroke drawing starts and ends, relative to its size (issue 9's measure)."""
    return math.dist(strokes[0][0], strokes[0][-1]) / shape_size(strokes)


def longest_side_tilt(strokes):
    """Degrees between the drawing's longest straight segment and the nearer axis (issue 9's measure)."""
    _, start, end = max(
        (math.dist(a, b), a, b) for stroke in strokes for a, b in zip(stroke, stroke[1:])
    )
    angle = math.degrees(math.atan2(end[1] - start[1], end[0] - start[0])) % 90
    return min(angle, 90 - angle)


def quantile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def samples(kind, count, seed=0):
    rng = random.Random(seed)
    return [shapes.sample(kind, rng) for _ in range(count)]


def assert_valid_drawing(strokes):
    assert isinstance(strokes, list) and strokes
    for stroke in strokes:
        assert isinstance(stroke, list)
        assert len(stroke) >= 2
        for point in stroke:
            assert isinstance(point, tuple) and len(point) == 2
            assert all(isinstance(value, float) and math.isfinite(value) for value in point)
    assert shape_size(strokes) > 0


@pytest.fixture(scope="module")
def people_squares():
    """2000 generated squares: enough that a share is known to about +-1 point."""
    return samples("square", 2000, seed=11)


# --- KINDS ----------------------------------------------------------------------


def test_kinds_names_and_labels():
    assert dict(shapes.KINDS) == {
        "square": 1,
        "rectangle": 0,
        "open_square": 0,
        "circle": 0,
        "ellipse": 0,
        "triangle": 0,
        "pentagon": 0,
        "hexagon": 0,
        "octagon": 0,
        "stop_sign": 0,
        "star": 0,
        "moon": 0,
        "arrow": 0,
        "line": 0,
        "zigzag": 0,
        "scribble": 0,
    }


def test_kinds_cannot_be_changed():
    with pytest.raises(TypeError):
        shapes.KINDS["square"] = 0
    with pytest.raises(TypeError):
        shapes.KINDS["heart"] = 0


def test_every_public_name_is_exported():
    for name in shapes.__all__:
        assert hasattr(shapes, name)
    for name in ("sample", "KINDS", "dataset", "labelled_drawings", "CANVAS_SIZE", "draw_square", "simplify"):
        assert name in shapes.__all__


# --- sample: validity and randomness -----------------------------------------------


@pytest.mark.parametrize("kind", list(shapes.KINDS))
def test_every_kind_gives_valid_drawings(kind):
    for strokes in samples(kind, 150):
        assert_valid_drawing(strokes)


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(list(shapes.KINDS)), seed=st.integers(0, 2**64))
def test_any_seed_gives_a_valid_drawing(kind, seed):
    assert_valid_drawing(shapes.sample(kind, random.Random(seed)))


@pytest.mark.parametrize("kind", list(shapes.KINDS))
def test_size_and_position_vary_within_the_canvas(kind):
    drawings = samples(kind, 150)
    sizes = [shape_size(strokes) for strokes in drawings]
    assert 29 <= min(sizes) < 40 and 80 < max(sizes) <= 90.01
    lefts = [min(x for x, _ in all_points(strokes)) for strokes in drawings]
    assert max(lefts) - min(lefts) > 30
    for strokes in drawings:
        assert all(-0.01 <= value <= 100.01 for point in all_points(strokes) for value in point)


def test_same_rng_state_gives_same_drawing():
    for kind in shapes.KINDS:
        assert shapes.sample(kind, random.Random(42)) == shapes.sample(kind, random.Random(42))


def test_different_seeds_give_different_drawings():
    for kind in shapes.KINDS:
        assert shapes.sample(kind, random.Random(1)) != shapes.sample(kind, random.Random(2))


def test_global_random_state_is_untouched():
    random.seed(1234)
    state = random.getstate()
    for kind in shapes.KINDS:
        shapes.sample(kind, random.Random(0))
    shapes.draw_square(random.Random(0), points=8)
    shapes.labelled_drawings(20, seed=3)
    shapes.dataset(4, size=8, seed=3)
    assert random.getstate() == state


# --- The facts of issue 9: generated squares are drawn as people draw them --------------------


def test_strokes_per_square_follow_people(people_squares):
    counts = collections.Counter(min(len(strokes), 5) for strokes in people_squares)
    shares = {count: counts[count] / len(people_squares) for count in range(1, 6)}
    # People: 73% one stroke, 13% two, 7% three, 4% four, 3% five or more.
    for count, expected in shapes.STROKE_COUNT_SHARES.items():
        assert shares[count] == pytest.approx(expected, abs=0.03)


def test_points_per_square_follow_people(people_squares):
    # People: 12 to 23 points in a drawing, median 16 (after the collection's simplification).
    counts = [len(all_points(strokes)) for strokes in people_squares]
    assert 14 <= statistics.median(counts) <= 18
    assert 8 <= quantile(counts, 0.1) <= 13
    assert 19 <= quantile(counts, 0.9) <= 25


def test_the_aspect_of_squares_follows_people_up_to_one_and_a_half(people_squares):
    # People's shares within 1.1, 1.2, 1.3 and 1.4, among the 90% of their squares within 1.5
    # (the definition of a square cuts there): 0.36 / 0.9 = 0.40, 0.68, 0.87, 0.96. A tilted box's
    # bounding box is squarer than the box, so ours lie a little above.
    aspects = [bounding_box_aspect(strokes) for strokes in people_squares]
    for limit, share in shapes.SQUARE_ASPECT_SHARES[1:-1]:
        expected = share / shapes.SQUARE_ASPECT_SHARES[-1][1]
        measured = sum(aspect <= limit for aspect in aspects) / len(aspects)
        assert expected - 0.02 <= measured <= expected + 0.09, (limit, measured, expected)
    # Skew, taper and wobble can stretch a box of aspect 1.5 a little, never to a clear rectangle.
    assert max(aspects) < shapes.SMALLEST_RECTANGLE_ASPECT


def test_one_stroke_squares_close_as_people_close_them(people_squares):
    # People: start and end a median 7% of the size apart, 18% at the 90th percentile.
    gaps = [closure_gap(strokes) for strokes in people_squares if len(strokes) == 1]
    assert 0.05 <= statistics.median(gaps) <= 0.09
    assert 0.14 <= quantile(gaps, 0.9) <= 0.22
    assert sum(gap < 0.01 for gap in gaps) / len(gaps) < 0.1  # few close exactly


def test_squares_are_tilted_as_people_tilt_them(people_squares):
    # People: the longest side is a median 2.4 degrees off the axes, 12 at the 90th percentile.
    tilts = [longest_side_tilt(strokes) for strokes in people_squares]
    assert 1.8 <= statistics.median(tilts) <= 3.2
    assert 9 <= quantile(tilts, 0.9) <= 15
    # A square turned by any angle is a square: some are turned far (a diamond is 45 degrees).
    assert sum(tilt > 30 for tilt in tilts) / len(tilts) >= 0.01


# --- sample: geometry that makes the labels honest ---------------------------------


def test_rectangles_are_clearly_longer_than_wide():
    for strokes in samples("rectangle", 300):
        # The sides of the untilted box, read from the drawing turned back by every angle:
        # the smallest bounding box is the box's own.
        points = all_points(strokes)
        best_area, best_aspect = math.inf, 0.0
        for degrees in range(0, 90):
            angle = math.radians(degrees)
            turned = [(x * math.cos(angle) - y * math.sin(angle), x * math.sin(angle) + y * math.cos(angle)) for x, y in points]
            width, height = extents(turned)
            if width * height < best_area:
                best_area, best_aspect = width * height, max(width, height) / min(width, height)
        assert best_aspect >= 1.55


def test_circles_are_polygons_of_twenty_to_thirty_two_points():
    # People's circles have 20 to 32 points once simplified.
    counts = [len(all_points(strokes)) for strokes in samples("circle", 300)]
    assert 20 <= statistics.median(counts) <= 32
    assert quantile(counts, 0.9) <= 36


@pytest.mark.parametrize("kind", CLOSED_KINDS)
def test_closed_shapes_mostly_close(kind):
    gaps = [closure_gap(strokes) for strokes in samples(kind, 300) if len(strokes) == 1]
    assert statistics.median(gaps) <= 0.12


def test_open_squares_are_open():
    for strokes in samples("open_square", 300):
        ends = [point for stroke in strokes for point in (stroke[0], stroke[-1])]
        # Some pair of stroke ends is at least a third of the size apart with no ink between:
        # the largest distance from any stroke end to every other stroke's ink is large.
        assert max(
            min(math.dist(end, point) for other in strokes for point in other if end not in (other[0], other[-1]))
            if len(strokes) > 1
            else math.dist(strokes[0][0], strokes[0][-1])
            for end in ends
        ) / shape_size(strokes) >= 0.3


def test_lines_are_few_points_at_any_angle():
    drawings = samples("line", 300)
    assert all(len(strokes) == 1 and len(strokes[0]) <= 8 for strokes in drawings)
    angles = [math.degrees(math.atan2(s[0][-1][1] - s[0][0][1], s[0][-1][0] - s[0][0][0])) % 180 for s in drawings]
    assert min(angles) < 20 and max(angles) > 160 and any(60 < angle < 120 for angle in angles)


# --- draw_square: traits for the probe ----------------------------------------------------


def test_draw_square_sets_the_traits_it_is_given():
    rng = random.Random(3)
    for aspect in (1.0, 1.3, 2.0):
        drawn = shapes.draw_square(rng, aspect=aspect, tilt=0.0, skew=0.0, taper=0.0, bow=0.0, corner_rounding=0.0)
        assert bounding_box_aspect(drawn) == pytest.approx(aspect, rel=0.08)
    for strokes in (1, 2, 4, 6):
        assert len(shapes.draw_square(rng, strokes=strokes)) == strokes
    for shading in (0, 3, 8):
        # The lines of shading cross a convex box once each: one stroke apiece besides the outline's.
        assert len(shapes.draw_square(rng, strokes=2, shading=shading)) == 2 + shading
    for points in (5, 8, 16):
        drawn = shapes.draw_square(rng, points=points)
        assert abs(len(all_points(drawn)) - points) <= 2
    # More points than the traced strokes hold (on whole units of the 0..255 scale) cannot be had.
    assert 16 < len(all_points(shapes.draw_square(rng, points=60))) <= 60
    for gap in (0.1, 0.3):
        assert closure_gap(shapes.draw_square(rng, strokes=1, closure_gap=gap, tilt=0.0)) == pytest.approx(gap, abs=0.05)
    crossing = shapes.draw_square(rng, strokes=1, overshoot=0.3, tilt=0.0)
    assert closure_gap(crossing) >= 0.2
    diamond = shapes.draw_square(rng, tilt=45.0, aspect=1.0, skew=0.0, taper=0.0)
    assert 30 < longest_side_tilt(diamond) <= 45


@pytest.mark.parametrize(
    "traits, error, message",
    [
        ({"aspect": 0.5}, ValueError, "aspect must be between 1.0 and 4.0, got 0.5"),
        ({"corner_rounding": "round"}, TypeError, "corner_rounding must be a number or None, got str"),
        ({"tilt": math.nan}, ValueError, "tilt must be between"),
        ({"points": 1}, ValueError, "points must be between 2 and 200, got 1"),
        ({"strokes": 2.0}, TypeError, "strokes must be an int or None, got float"),
        ({"shading": 13}, ValueError, "shading must be between 0 and 12, got 13"),
        ({"shading": True}, TypeError, "shading must be an int or None, got bool"),
        ({"closure_gap": 0.1, "overshoot": 0.1}, ValueError, "closure_gap and overshoot cannot both be above 0"),
    ],
)
def test_draw_square_refuses_bad_traits(traits, error, message):
    with pytest.raises(error, match=message):
        shapes.draw_square(random.Random(0), **traits)


def test_draw_square_needs_a_random_generator():
    with pytest.raises(TypeError, match=r"rng must be a random\.Random"):
        shapes.draw_square(0)


# --- simplify: Ramer-Douglas-Peucker ---------------------------------------------------


def distance_to_segment(point, start, end):
    """Brute force: the nearest of 2001 points along the segment (exact enough for the tests' margins)."""
    return min(
        math.dist(point, (start[0] + (end[0] - start[0]) * k / 2000, start[1] + (end[1] - start[1]) * k / 2000))
        for k in range(2001)
    )


def textbook_rdp(points, epsilon):
    """Ramer-Douglas-Peucker written recursively, the way it is usually taught."""
    if len(points) < 3:
        return list(points)
    distances = [distance_to_segment(point, points[0], points[-1]) for point in points[1:-1]]
    farthest = max(range(len(distances)), key=distances.__getitem__)
    if distances[farthest] <= epsilon:
        return [points[0], points[-1]]
    split = farthest + 1
    return textbook_rdp(points[: split + 1], epsilon)[:-1] + textbook_rdp(points[split:], epsilon)


point_lists = st.lists(
    st.tuples(st.integers(0, 255), st.integers(0, 255)).map(lambda p: (float(p[0]), float(p[1]))), min_size=0, max_size=25
)


@settings(max_examples=150, deadline=None)
@given(points=point_lists, epsilon=st.sampled_from([0.5, 2.0, 7.5, 40.0]))
def test_simplify_keeps_every_dropped_point_within_epsilon(points, epsilon):
    kept = shapes.simplify(points, epsilon)
    if len(points) < 3:
        assert kept == points
        return
    assert kept[0] == points[0] and kept[-1] == points[-1]
    # The kept points are a subsequence of the stroke; every point between two kept
    # neighbours lies within epsilon of the segment joining them.
    positions = []
    cursor = 0
    for point in kept:
        while points[cursor] != point:
            cursor += 1
        positions.append(cursor)
        cursor += 1
    for first, last in zip(positions, positions[1:]):
        for index in range(first + 1, last):
            assert distance_to_segment(points[index], points[first], points[last]) <= epsilon + 0.01


@settings(max_examples=100, deadline=None)
@given(points=point_lists, epsilon=st.sampled_from([0.5, 2.0, 7.5, 40.0]))
def test_simplify_agrees_with_the_textbook_recursion(points, epsilon):
    # Skipped when a distance falls within the brute force's rounding of epsilon, where the two may differ.
    assert shapes.simplify(points, epsilon) == textbook_rdp(points, epsilon) or any(
        abs(distance_to_segment(p, a, b) - epsilon) < 0.02 for p in points for a in points for b in points
    )


def test_simplify_worked_example():
    # A square traced with a point every 10 units and a 1-unit bump: epsilon 2 leaves its corners.
    stroke = [(x, 0.0) for x in range(0, 100, 10)] + [(100.0, y) for y in range(0, 100, 10)] + [(100.0, 100.0)]
    stroke[3] = (30.0, 1.0)
    assert shapes.simplify(stroke, 2.0) == [(0, 0.0), (100.0, 0), (100.0, 100.0)]
    assert shapes.simplify(stroke, 0.5) == [(0, 0.0), (20, 0.0), (30.0, 1.0), (40, 0.0), (100.0, 0), (100.0, 100.0)]


@pytest.mark.parametrize(
    "stroke, epsilon, error, message",
    [
        ([(0, 0), (1, 1)], -1.0, ValueError, "epsilon must be a finite number >= 0, got -1.0"),
        ([(0, 0), (1, 1)], math.inf, ValueError, "epsilon must be a finite number"),
        ([(0, 0), (1, 1)], "2", TypeError, "epsilon must be a number, got str"),
        ("stroke", 2.0, TypeError, "stroke must be a list of"),
        ([(0, 0), (1,)], 2.0, TypeError, r"stroke point 1 must be an \(x, y\) pair of numbers"),
    ],
)
def test_simplify_refuses_bad_input(stroke, epsilon, error, message):
    with pytest.raises(error, match=message):
        shapes.simplify(stroke, epsilon)


# --- labelled_drawings and dataset -------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 16, 17, 48])
def test_labelled_drawings_are_half_squares(n):
    kinds = collections.Counter(kind for kind, _ in shapes.labelled_drawings(n, seed=5))
    assert sum(kinds.values()) == n
    assert kinds["square"] == (n + 1) // 2


def test_the_non_squares_nearest_a_square_come_most_often():
    # 2 x 460 drawings: 460 non-squares, 20 full cycles of 23 (weights 3, 3, 2, 2, 2, 2 and nine 1s).
    kinds = collections.Counter(kind for kind, _ in shapes.labelled_drawings(920, seed=5))
    assert set(kinds) == set(shapes.KINDS)
    assert kinds["rectangle"] == kinds["open_square"] == 60
    assert kinds["circle"] == kinds["pentagon"] == kinds["octagon"] == kinds["moon"] == 40
    assert kinds["line"] == kinds["star"] == kinds["triangle"] == 20


def test_labelled_drawings_are_shuffled():
    kinds = [kind for kind, _ in shapes.labelled_drawings(40, seed=0)]
    alternating = ["square" if index % 2 == 0 else "other" for index in range(40)]
    assert [kind if kind == "square" else "other" for kind in kinds] != alternating


def test_labelled_drawings_are_seeded():
    assert shapes.labelled_drawings(10, seed=7) == shapes.labelled_drawings(10, seed=7)
    assert shapes.labelled_drawings(10, seed=7) != shapes.labelled_drawings(10, seed=8)


def test_labelled_drawings_are_valid():
    for kind, strokes in shapes.labelled_drawings(36, seed=2):
        assert kind in shapes.KINDS
        assert_valid_drawing(strokes)


def test_dataset_is_built_on_labelled_drawings():
    inputs, labels = shapes.dataset(18, size=16, seed=4)
    pairs = shapes.labelled_drawings(18, seed=4)
    assert labels == [shapes.KINDS[kind] for kind, _ in pairs]
    assert inputs == [drawing.prepare(strokes, 16) for _, strokes in pairs]


def test_dataset_shapes_and_values():
    inputs, labels = shapes.dataset(20, size=8, seed=1)
    assert len(inputs) == len(labels) == 20
    assert all(len(row) == 64 for row in inputs)
    assert all(-0.5 <= value <= 0.5 for row in inputs for value in row)
    assert sorted(set(labels)) == [0, 1]
    assert labels.count(1) == 10


def test_dataset_default_size_is_32():
    inputs, _ = shapes.dataset(2)
    assert all(len(row) == 32 * 32 for row in inputs)


def test_dataset_is_seeded():
    assert shapes.dataset(6, size=8, seed=9) == shapes.dataset(6, size=8, seed=9)
    assert shapes.dataset(6, size=8, seed=9) != shapes.dataset(6, size=8, seed=10)


# --- errors ---------------------------------------------------------------------


def test_unknown_kind_lists_the_kinds():
    with pytest.raises(ValueError, match="heart") as caught:
        shapes.sample("heart", random.Random(0))
    for kind in shapes.KINDS:
        assert kind in str(caught.value)


def test_kind_must_be_a_string():
    with pytest.raises(TypeError, match="kind must be a str"):
        shapes.sample(1, random.Random(0))


@pytest.mark.parametrize("rng", [None, 0, random, "seed"])
def test_rng_must_be_a_random_generator(rng):
    with pytest.raises(TypeError, match=r"rng must be a random\.Random"):
        shapes.sample("square", rng)


@pytest.mark.parametrize("function", [shapes.dataset, shapes.labelled_drawings])
@pytest.mark.parametrize("n", [0, -3])
def test_n_must_be_positive(function, n):
    with pytest.raises(ValueError, match=rf"n must be at least 1, got {n}"):
        function(n)


@pytest.mark.parametrize("function", [shapes.dataset, shapes.labelled_drawings])
@pytest.mark.parametrize("n", [2.0, "10", True, None])
def test_n_must_be_an_int(function, n):
    with pytest.raises(TypeError, match="n must be an int, got"):
        function(n)


@pytest.mark.parametrize("function", [shapes.dataset, shapes.labelled_drawings])
@pytest.mark.parametrize("seed", [1.5, "0", None, False])
def test_seed_must_be_an_int(function, seed):
    with pytest.raises(TypeError, match="seed must be an int, got"):
        function(4, seed=seed)


@pytest.mark.parametrize("size", [30, 2, 0])
def test_dataset_size_is_checked_by_prepare(size):
    with pytest.raises(ValueError, match="size must be a power of two"):
        shapes.dataset(2, size=size)
