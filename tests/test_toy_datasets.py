"""Tests for purenet.datasets.toy: XOR and the spiral."""

import math
import random

import pytest

from purenet.datasets import spiral, xor


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
