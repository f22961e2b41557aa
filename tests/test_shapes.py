"""Tests for purenet.datasets.shapes: valid, seeded, balanced and honestly labelled drawings."""

import collections
import math
import random
import statistics

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purenet.squares import drawing
from purenet.squares import shapes

CLOSED_KINDS = ("square", "circle", "ellipse", "triangle", "rectangle", "pentagon", "hexagon")
NEGATIVE_KINDS = tuple(kind for kind, label in shapes.KINDS.items() if label == 0)


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


def upright_aspect(strokes):
    """Aspect of the smallest bounding box over tilts of -15..15 degrees.

    This undoes the random tilt of up to 10 degrees, which makes a tilted
    rectangle's plain bounding box look squarer than the rectangle is.
    """
    points = all_points(strokes)
    best_area, best_aspect = math.inf, 0.0
    for half_degrees in range(-30, 31):
        angle = math.radians(half_degrees / 2)
        cosine, sine = math.cos(angle), math.sin(angle)
        width, height = extents(
            [(x * cosine - y * sine, x * sine + y * cosine) for x, y in points]
        )
        if width * height < best_area:
            best_area, best_aspect = width * height, max(width, height) / min(width, height)
    return best_aspect


def shape_size(strokes):
    return max(extents(all_points(strokes)))


def largest_gap(strokes):
    """How far, at worst, a stroke end is from the ink it should meet, relative to the size.

    A stroke end of a closed shape should meet another stroke or, for a
    shape drawn in one stroke, the far third of its own stroke (its
    other end, or the part it overshoots onto).
    """
    worst = 0.0
    for index, stroke in enumerate(strokes):
        others = [
            point for other, points in enumerate(strokes) if other != index for point in points
        ]
        third = max(1, len(stroke) // 3)
        for end, far_part in ((stroke[0], stroke[-third:]), (stroke[-1], stroke[:third])):
            candidates = others if len(strokes) > 1 else far_part
            worst = max(worst, min(math.dist(end, point) for point in candidates))
    return worst / shape_size(strokes)


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


# --- KINDS ----------------------------------------------------------------------


def test_kinds_names_and_labels():
    assert dict(shapes.KINDS) == {
        "square": 1,
        "circle": 0,
        "ellipse": 0,
        "triangle": 0,
        "rectangle": 0,
        "pentagon": 0,
        "hexagon": 0,
        "open_square": 0,
        "scribble": 0,
    }


def test_kinds_cannot_be_changed():
    with pytest.raises(TypeError):
        shapes.KINDS["square"] = 0
    with pytest.raises(TypeError):
        shapes.KINDS["star"] = 0


# --- sample: validity and randomness -----------------------------------------------


@pytest.mark.parametrize("kind", list(shapes.KINDS))
def test_every_kind_gives_valid_drawings(kind):
    for strokes in samples(kind, 200):
        assert_valid_drawing(strokes)


@settings(max_examples=200, deadline=None)
@given(kind=st.sampled_from(list(shapes.KINDS)), seed=st.integers(0, 2**64))
def test_any_seed_gives_a_valid_drawing(kind, seed):
    assert_valid_drawing(shapes.sample(kind, random.Random(seed)))


@pytest.mark.parametrize("kind", list(shapes.KINDS))
def test_points_are_spaced_like_a_mouse_trace(kind):
    for strokes in samples(kind, 100):
        steps = [math.dist(a, b) for stroke in strokes for a, b in zip(stroke, stroke[1:])]
        assert 1.5 <= statistics.median(steps) <= 4.5
        assert 10 <= len(all_points(strokes)) <= 250


@pytest.mark.parametrize("kind", list(shapes.KINDS))
def test_size_and_position_vary_within_the_canvas(kind):
    drawings = samples(kind, 200)
    sizes = [shape_size(strokes) for strokes in drawings]
    assert 25 <= min(sizes) < 40 and 75 < max(sizes) <= 110
    centres_x = [statistics.mean(x for x, _ in all_points(strokes)) for strokes in drawings]
    assert max(centres_x) - min(centres_x) > 30
    for strokes in drawings:
        assert all(-15 <= value <= 115 for point in all_points(strokes) for value in point)


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
    shapes.labelled_drawings(20, seed=3)
    shapes.dataset(4, size=8, seed=3)
    assert random.getstate() == state


# --- sample: geometry that makes the labels honest ---------------------------------
# Tolerances were chosen from 20000 drawings per kind: squares reach a
# bounding-box aspect of about 1.27 (sides up to 15% apart, plus wobble
# and overshoot), rectangles go down to about 1.3 once the tilt is undone.


def test_squares_are_nearly_square():
    aspects = [bounding_box_aspect(strokes) for strokes in samples("square", 500)]
    assert max(aspects) <= 1.3
    assert statistics.median(aspects) <= 1.1


def test_open_squares_are_nearly_square_too():
    # So that only the missing side tells them from squares.
    assert max(bounding_box_aspect(strokes) for strokes in samples("open_square", 500)) <= 1.3


def test_rectangles_are_clearly_longer_than_wide():
    drawings = samples("rectangle", 500)
    assert min(upright_aspect(strokes) for strokes in drawings) >= 1.25
    assert statistics.median(upright_aspect(strokes) for strokes in drawings) >= 1.8
    # Even with the tilt, their bounding box is never square.
    assert min(bounding_box_aspect(strokes) for strokes in drawings) >= 1.12


def test_rectangles_stand_and_lie():
    drawings = samples("rectangle", 100)
    standing = sum(
        1
        for strokes in drawings
        if extents(all_points(strokes))[1] > extents(all_points(strokes))[0]
    )
    assert 20 <= standing <= 80


def test_circles_are_round_and_ellipses_are_not():
    assert max(bounding_box_aspect(strokes) for strokes in samples("circle", 500)) <= 1.25
    assert min(bounding_box_aspect(strokes) for strokes in samples("ellipse", 500)) >= 1.12


@pytest.mark.parametrize("kind", CLOSED_KINDS)
def test_closed_shapes_are_closed_up_to_a_small_gap(kind):
    gaps = [largest_gap(strokes) for strokes in samples(kind, 300)]
    assert max(gaps) <= 0.2
    assert statistics.median(gaps) <= 0.08


@pytest.mark.parametrize("kind", CLOSED_KINDS)
def test_closed_shapes_are_not_all_perfectly_closed(kind):
    # Hand-drawn shapes leave gaps or overshoot: the ends rarely coincide.
    gaps = [largest_gap(strokes) for strokes in samples(kind, 100)]
    assert sum(gap > 0.02 for gap in gaps) >= 20


def test_open_square_is_one_stroke_with_far_apart_ends():
    for strokes in samples("open_square", 500):
        assert len(strokes) == 1
        assert largest_gap(strokes) >= 0.5


def test_open_square_misses_each_side_sometimes():
    # The missing side is the one facing the gap between the two ends.
    sides = collections.Counter()
    for strokes in samples("open_square", 200):
        (start_x, start_y), (end_x, end_y) = strokes[0][0], strokes[0][-1]
        xs = [x for x, _ in strokes[0]]
        ys = [y for _, y in strokes[0]]
        middle_x, middle_y = (start_x + end_x) / 2, (start_y + end_y) / 2
        centre_x, centre_y = (max(xs) + min(xs)) / 2, (max(ys) + min(ys)) / 2
        if abs(middle_x - centre_x) > abs(middle_y - centre_y):
            sides["right" if middle_x > centre_x else "left"] += 1
        else:
            sides["bottom" if middle_y > centre_y else "top"] += 1
    assert set(sides) == {"left", "right", "top", "bottom"}
    assert min(sides.values()) >= 25


def test_squares_are_drawn_in_one_two_or_four_strokes():
    counts = collections.Counter(len(strokes) for strokes in samples("square", 300))
    assert set(counts) == {1, 2, 4}
    assert counts[1] > counts[2] and counts[1] > counts[4]


def test_squares_are_tilted_a_little_at_most():
    # The longest straight run of a square lies within about 10 degrees of
    # horizontal or vertical: measure the direction of each whole stroke
    # drawn as a single side.
    angles = []
    for strokes in samples("square", 300):
        if len(strokes) == 4:
            for stroke in strokes:
                (start_x, start_y), (end_x, end_y) = stroke[0], stroke[-1]
                angle = math.degrees(math.atan2(end_y - start_y, end_x - start_x)) % 90
                angles.append(min(angle, 90 - angle))
    assert angles and max(angles) <= 16
    assert statistics.mean(angles) >= 2


def test_strokes_wobble_smoothly():
    # A side drawn as its own stroke is not a straight line: it bows away
    # from the chord between its ends, by about 1-3% of the shape size,
    # which is much more than the point-to-point tremor alone would give
    # (a median of about 0.005 without the drift, 0.016 with it).
    bows = []
    for strokes in samples("square", 300):
        if len(strokes) == 4:
            size = shape_size(strokes)
            for stroke in strokes:
                start, end = stroke[0], stroke[-1]
                length = math.dist(start, end)
                deviations = [
                    abs(
                        (end[0] - start[0]) * (start[1] - y) - (start[0] - x) * (end[1] - start[1])
                    )
                    / length
                    for x, y in stroke
                ]
                bows.append(max(deviations) / size)
    assert 0.009 <= statistics.median(bows) <= 0.05


# --- labelled_drawings and dataset -------------------------------------------------


@pytest.mark.parametrize("n", [1, 2, 3, 16, 17, 48])
def test_labelled_drawings_are_balanced(n):
    kinds = collections.Counter(kind for kind, _ in shapes.labelled_drawings(n, seed=5))
    assert sum(kinds.values()) == n
    assert kinds["square"] == (n + 1) // 2
    negatives = [kinds[kind] for kind in NEGATIVE_KINDS]
    assert max(negatives) - min(negatives) <= 1


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
    with pytest.raises(ValueError, match="star") as caught:
        shapes.sample("star", random.Random(0))
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
