"""Tests for purenet.datasets.toy: XOR, the spiral, circles and moons."""

import math
import random

import pytest

from purenet.datasets import circles, moons, spiral, xor, xor_quadrants


def test_xor_values():
    X, y = xor()
    assert X == [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    # class 1 exactly when one input is 1
    assert y == [int(a != b) for a, b in X]
    assert y == [0, 1, 1, 0]


def test_xor_returns_fresh_lists():
    X, y = xor()
    X[0][0] = 5.0
    y[0] = 9
    assert xor() == ([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1, 0])


def test_spiral_shapes_and_labels():
    X, y = spiral(points_per_class=25, classes=4)
    assert len(X) == 100 and len(y) == 100
    assert all(len(point) == 2 for point in X)
    # class order: 25 zeros, then 25 ones, ...
    assert y == [label for label in range(4) for _ in range(25)]
    # radius i / points_per_class lies in [0, 1)
    assert all(math.hypot(a, b) < 1.0 for a, b in X)


def test_spiral_without_noise_follows_the_formula():
    points, classes = 8, 3
    X, y = spiral(points_per_class=points, classes=classes, noise=0.0)
    for index, ((a, b), label) in enumerate(zip(X, y)):
        i = index % points
        radius = i / points
        angle = 4.0 * radius + 2.0 * math.pi * label / classes
        assert a == pytest.approx(radius * math.sin(angle), abs=1e-12)
        assert b == pytest.approx(radius * math.cos(angle), abs=1e-12)
        assert math.hypot(a, b) == pytest.approx(radius, abs=1e-12)


def test_spiral_is_deterministic_and_the_seed_matters():
    first = spiral(points_per_class=20, seed=1)
    again = spiral(points_per_class=20, seed=1)
    other = spiral(points_per_class=20, seed=2)
    assert [v.hex() for p in first[0] for v in p] == [v.hex() for p in again[0] for v in p]
    assert first[1] == other[1]
    assert first[0] != other[0]
    # the default seed is reproducible too
    assert spiral(points_per_class=5)[0] == spiral(points_per_class=5)[0]


def test_spiral_does_not_touch_the_global_random_state():
    random.seed(7)
    before = random.getstate()
    spiral(points_per_class=10)
    assert random.getstate() == before


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"points_per_class": 0}, r"spiral: points_per_class must be a positive integer, got 0"),
        ({"points_per_class": 2.5}, r"spiral: points_per_class must be a positive integer, got 2\.5"),
        ({"classes": -1}, r"spiral: classes must be a positive integer, got -1"),
        ({"classes": True}, r"spiral: classes must be a positive integer, got True"),
        ({"noise": -0.1}, r"spiral: noise must be a non-negative number, got -0\.1"),
        ({"noise": "0.2"}, r"spiral: noise must be a non-negative number, got '0\.2'"),
    ],
)
def test_spiral_argument_errors(kwargs, message):
    with pytest.raises(ValueError, match=message):
        spiral(**kwargs)


def test_circles_follow_the_formula_without_noise():
    X, y = circles(points_per_class=12, factor=0.4, noise=0.0)
    assert y == [0] * 12 + [1] * 12
    for index, ((a, b), label) in enumerate(zip(X, y)):
        radius = 1.0 if label == 0 else 0.4
        angle = 2.0 * math.pi * (index % 12) / 12
        assert a == pytest.approx(radius * math.cos(angle), abs=1e-12)
        assert b == pytest.approx(radius * math.sin(angle), abs=1e-12)


def test_moons_follow_the_formula_without_noise():
    X, y = moons(points_per_class=9, noise=0.0)
    assert y == [0] * 9 + [1] * 9
    for index, ((a, b), label) in enumerate(zip(X, y)):
        t = math.pi * (index % 9) / 8
        expected = (math.cos(t), math.sin(t)) if label == 0 else (1 - math.cos(t), 0.5 - math.sin(t))
        assert a == pytest.approx(expected[0] - 0.5, abs=1e-12)
        assert b == pytest.approx(expected[1] - 0.25, abs=1e-12)


@pytest.mark.parametrize("make", [circles, moons])
def test_circles_and_moons_are_seeded_and_leave_the_global_state_alone(make):
    random.seed(3)
    before = random.getstate()
    first, again, other = make(seed=1), make(seed=1), make(seed=2)
    assert random.getstate() == before
    assert first == again
    assert first[1] == other[1] and first[0] != other[0]
    # the noise has the asked size: the points stray from the noiseless ones by about `noise`
    clean = make(noise=0.0)[0]
    errors = [a - c for point, exact in zip(first[0], clean) for a, c in zip(point, exact)]
    spread = math.sqrt(sum(e * e for e in errors) / len(errors))
    assert 0.07 < spread < 0.13


def test_circles_and_moons_need_a_curved_boundary():
    """A linear model (softmax regression) stays far from perfect; a small hidden layer learns them."""
    import purenet as pn

    for make in (circles, moons):
        X, y = make(points_per_class=100, seed=0)
        linear = pn.Sequential(pn.Dense(2, 2, rng=0))
        linear.fit(X, y, optimizer=pn.Adam(linear.parameters(), lr=0.05), epochs=60, verbose=0, seed=0)
        rng = random.Random(0)
        deep = pn.Sequential(pn.Dense(2, 16, rng=rng), pn.Tanh(), pn.Dense(16, 2, rng=rng))
        deep.fit(X, y, optimizer=pn.Adam(deep.parameters(), lr=0.05), epochs=60, verbose=0, seed=0)
        assert linear.evaluate(X, y)["accuracy"] < 0.9
        assert deep.evaluate(X, y)["accuracy"] > 0.95


@pytest.mark.parametrize(
    "call, error, words",
    [
        (lambda: circles(points_per_class=0), ValueError, "points_per_class"),
        (lambda: circles(factor=1.0), ValueError, "factor"),
        (lambda: circles(noise=-1), ValueError, "noise"),
        (lambda: circles(seed=1.5), TypeError, "seed"),
        (lambda: moons(points_per_class=1), ValueError, "points_per_class"),
        (lambda: moons(noise=float("nan")), ValueError, "noise"),
        (lambda: moons(seed=None), TypeError, "seed"),
    ],
)
def test_circles_and_moons_refuse_bad_arguments(call, error, words):
    with pytest.raises(error, match=words):
        call()


def test_xor_quadrants_label_by_the_signs_and_keep_the_margin():
    X, y = xor_quadrants(points=400, margin=0.1, seed=4)
    assert len(X) == 400 and X == xor_quadrants(points=400, margin=0.1, seed=4)[0]
    assert all(0.1 <= abs(value) <= 1.0 for point in X for value in point)
    assert y == [int((a < 0) != (b < 0)) for a, b in X]
    # all four quadrants are used, about equally
    quadrant_counts = [sum((a < 0, b < 0) == key for a, b in X) for key in ((0, 0), (0, 1), (1, 0), (1, 1))]
    assert min(quadrant_counts) > 70
    with pytest.raises(ValueError, match="margin"):
        xor_quadrants(margin=1.0)
