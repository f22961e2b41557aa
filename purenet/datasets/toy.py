"""Small classic datasets for the first examples: XOR and the spiral."""

from __future__ import annotations

import math
import random


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
