"""Small classic datasets for the first examples: XOR (four points or a cloud), the spiral, circles, moons.

The 2-D sets (spiral, circles, moons, the XOR cloud) are the ones of TensorFlow Playground
and scikit-learn's ``make_circles`` / ``make_moons``: each needs a curved
boundary, so a network without a hidden layer cannot learn them. The live
training page (``python -m purenet demo``, ``/train``) draws their decision
regions as they move.
"""

from __future__ import annotations

import math
import random

from ..validation import check_integer, check_number, check_seed


def xor() -> tuple[list[list[float]], list[int]]:
    """The four XOR points: class 1 when exactly one input is 1.

    No straight line separates the classes, so a network needs a hidden layer.
    """
    X = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    y = [0, 1, 1, 0]
    return X, y


def spiral(
    points_per_class: int = 100, classes: int = 3, noise: float = 0.2, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """Interleaved spiral arms, one per class, in the square [-1, 1]^2.

    Point i of class c lies at radius r = i / points_per_class and angle
    theta = 4 r + 2 pi c / classes (plus Gaussian noise of standard deviation
    ``noise`` on the angle): x = r sin(theta), y = r cos(theta).
    Returns (X, y) in class order; ``fit`` shuffles.
    """
    for name, value in (("points_per_class", points_per_class), ("classes", classes)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"spiral: {name} must be a positive integer, got {value!r}")
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"spiral: seed must be an int (the points are reproducible), got {seed!r}")
    if isinstance(noise, bool) or not isinstance(noise, (int, float)) or noise < 0:
        raise ValueError(f"spiral: noise must be a non-negative number, got {noise!r}")
    rng = random.Random(seed)
    X, y = [], []
    for label in range(classes):
        for index in range(points_per_class):
            radius = index / points_per_class
            angle = 4.0 * radius + 2.0 * math.pi * label / classes + rng.gauss(0.0, noise)
            X.append([radius * math.sin(angle), radius * math.cos(angle)])
            y.append(label)
    return X, y


def circles(
    points_per_class: int = 100, factor: float = 0.5, noise: float = 0.1, seed: int = 0
) -> tuple[list[list[float]], list[int]]:
    """Two concentric circles: class 0 on the outer one (radius 1), class 1 on the inner one (radius ``factor``).

    Point i of a circle of radius R lies at angle theta = 2 pi i / points_per_class:
    (R cos theta, R sin theta), plus Gaussian noise of standard deviation
    ``noise`` on each coordinate (scikit-learn's ``make_circles``). The
    boundary a network must find is a ring. Returns (X, y) in class order.
    """
    check_integer(points_per_class, "circles: points_per_class", minimum=1)
    factor = check_number(factor, "circles: factor", minimum=0.0, below=1.0)
    noise = check_number(noise, "circles: noise", minimum=0.0)
    rng = random.Random(check_seed(seed, "circles: seed"))
    X, y = [], []
    for label, radius in enumerate((1.0, factor)):
        for index in range(points_per_class):
            angle = 2.0 * math.pi * index / points_per_class
            a, b = radius * math.cos(angle), radius * math.sin(angle)
            X.append([a + rng.gauss(0.0, noise), b + rng.gauss(0.0, noise)])
            y.append(label)
    return X, y


def moons(points_per_class: int = 100, noise: float = 0.1, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """Two interleaving half circles (scikit-learn's ``make_moons``), centred on the origin.

    Class 0 is the upper half circle (cos t, sin t) and class 1 the lower one
    (1 - cos t, 0.5 - sin t), for t = pi i / (points_per_class - 1) from 0 to
    pi, both shifted by (-0.5, -0.25) so the set sits around the origin, plus
    Gaussian noise of standard deviation ``noise`` on each coordinate.
    Returns (X, y) in class order.
    """
    check_integer(points_per_class, "moons: points_per_class", minimum=2)
    noise = check_number(noise, "moons: noise", minimum=0.0)
    rng = random.Random(check_seed(seed, "moons: seed"))
    X, y = [], []
    for label in range(2):
        for index in range(points_per_class):
            t = math.pi * index / (points_per_class - 1)
            if label == 0:
                a, b = math.cos(t), math.sin(t)
            else:
                a, b = 1.0 - math.cos(t), 0.5 - math.sin(t)
            X.append([a - 0.5 + rng.gauss(0.0, noise), b - 0.25 + rng.gauss(0.0, noise)])
            y.append(label)
    return X, y


def xor_quadrants(points: int = 200, margin: float = 0.05, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """XOR as a cloud (TensorFlow Playground's "exclusive or"): ``points`` points in [-1, 1]^2, class 1 when
    x and y have different signs.

    Each coordinate is drawn uniformly from [-1, -margin] or [margin, 1]
    (sign by a coin toss), so a gap of 2 * margin separates the quadrants.
    The classes are the four XOR points spread over their quadrants: class
    = (x < 0) xor (y < 0). Returns (X, y) in the order drawn.
    """
    check_integer(points, "xor_quadrants: points", minimum=1)
    margin = check_number(margin, "xor_quadrants: margin", minimum=0.0, below=1.0)
    rng = random.Random(check_seed(seed, "xor_quadrants: seed"))
    X, y = [], []
    for _ in range(points):
        point = [rng.choice((-1.0, 1.0)) * rng.uniform(margin, 1.0) for _ in range(2)]
        X.append(point)
        y.append(int((point[0] < 0) != (point[1] < 0)))
    return X, y
