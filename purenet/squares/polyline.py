"""Polylines: Ramer-Douglas-Peucker simplification, as the public doodle collection stores strokes.

The generator (``hand.finish``) simplifies the strokes it draws, and the
Quick, Draw! writer (``quickdraw.simplify``) simplifies the strokes a
person drew, with this one algorithm.  The collection's own tolerance and
scale are facts of its format and live in ``quickdraw``
(``SIMPLIFY_EPSILON``, ``SIMPLIFIED_SIDE``).
"""

from __future__ import annotations

import math

__all__ = ["simplify", "simplify_points"]

Point = tuple[float, float]


def simplify(stroke: list, epsilon: float) -> list[tuple[float, float]]:
    """Ramer-Douglas-Peucker: the fewest points of ``stroke`` that stay within ``epsilon`` of it.

    Keep the first and last points; find the point farthest from the
    segment joining them; if it is farther than ``epsilon``, keep it and
    simplify the two halves on either side of it the same way, else drop
    every point between.  Every dropped point is then within
    ``epsilon`` of the segment between the two kept points around it.
    The public doodle collection simplifies each stroke this way with
    epsilon 2 after scaling the drawing's longer side to 0..255
    (docs/squares.md).

    ``stroke`` is a list of ``(x, y)`` points; returns a list of tuples,
    a subsequence of ``stroke``.  Raises TypeError or ValueError for a
    stroke that is not a list of number pairs or a negative or
    non-finite ``epsilon``.
    """
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)):
        raise TypeError(f"simplify: epsilon must be a number, got {type(epsilon).__name__} {epsilon!r}")
    if not (math.isfinite(epsilon) and epsilon >= 0):
        raise ValueError(f"simplify: epsilon must be a finite number >= 0, got {epsilon!r}")
    if not isinstance(stroke, (list, tuple)):
        raise TypeError(f"simplify: stroke must be a list of (x, y) points, got {type(stroke).__name__}")
    points = []
    for index, point in enumerate(stroke):
        if (
            not isinstance(point, (list, tuple))
            or len(point) != 2
            or not all(isinstance(value, (int, float)) and not isinstance(value, bool) for value in point)
        ):
            raise TypeError(f"simplify: stroke point {index} must be an (x, y) pair of numbers, got {point!r}")
        points.append((point[0], point[1]))
    return simplify_points(points, epsilon)


def simplify_points(points: list[Point], epsilon: float) -> list[Point]:
    """:func:`simplify` without the checks, for points the caller made itself (the generator's hottest loop)."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    # An explicit stack instead of recursion: a long stroke cannot exhaust Python's recursion limit.
    pending = [(0, len(points) - 1)]
    while pending:
        first, last = pending.pop()
        # The squared distance from each point to the segment (not the whole line) from points[first] to
        # points[last] (t is where the point projects along the segment, clamped to it), squared so
        # that no square root is taken in this, the generator's hottest loop.
        (start_x, start_y), (end_x, end_y) = points[first], points[last]
        dx, dy = end_x - start_x, end_y - start_y
        length_squared = dx * dx + dy * dy
        farthest, farthest_distance = first, -1.0
        for index in range(first + 1, last):
            x, y = points[index]
            t = ((x - start_x) * dx + (y - start_y) * dy) / length_squared if length_squared else 0.0
            t = 0.0 if t < 0.0 else 1.0 if t > 1.0 else t
            away_x, away_y = x - start_x - t * dx, y - start_y - t * dy
            distance = away_x * away_x + away_y * away_y
            if distance > farthest_distance:
                farthest, farthest_distance = index, distance
        if farthest_distance > epsilon * epsilon:
            keep[farthest] = True
            pending.append((first, farthest))
            pending.append((farthest, last))
    return [point for point, kept in zip(points, keep) if kept]
