"""Turn a drawing upright: the smallest turn that stands it along the grid's axes.

A square tilted by any angle is still a square (docs/squares.md, section
6), but a dense layer cannot know that: a square turned by 30 degrees puts
its ink on other pixels than an upright one, and every angle would have to
be learnt apart.  So, before it is cropped and scaled (section 2), every
drawing is turned so that the smallest rectangle around it, of any
orientation, stands along the axes.

The smallest-area rectangle around a set of points has one side along an
edge of their convex hull (Freeman and Shapira, 1975), so it is enough to
try the hull's edges: for an edge at angle phi, turn the hull by -phi and
measure its axis-aligned box,

    area(phi) = (max u - min u) * (max v - min v),
    u = x cos phi + y sin phi,   v = -x sin phi + y cos phi,

and keep the edge with the smallest area.  A rectangle standing on one side
is the same rectangle standing on the next, so phi is taken modulo a quarter
turn, into [-45, 45) degrees: the drawing is turned by at most 45 degrees,
and a drawing that already stands upright is not turned at all.  Explained
in docs/squares.md, section 2.
"""

from __future__ import annotations

import math

__all__ = ["convex_hull", "upright_angle", "turn", "upright"]

Point = tuple[float, float]
Stroke = list[Point]


def convex_hull(points: list[Point]) -> list[Point]:
    """The corners of the smallest convex polygon around ``points``, in order (Andrew's monotone chain).

    Sort the points by x (then y); walk them left to right, keeping the
    lower chain turning one way only (a point that would make a turn the
    other way, or no turn, is dropped), then right to left for the upper
    chain.  Repeated and collinear points are left out; fewer than three
    distinct points are returned as they are, sorted.
    """
    ordered = sorted(set(points))
    if len(ordered) < 3:
        return ordered

    def cross(origin: Point, a: Point, b: Point) -> float:
        """Positive when origin -> a -> b turns one way, negative the other, zero when straight."""
        return (a[0] - origin[0]) * (b[1] - origin[1]) - (a[1] - origin[1]) * (b[0] - origin[0])

    lower: list[Point] = []
    for point in ordered:
        while len(lower) >= 2 and cross(lower[-2], lower[-1], point) <= 0:
            lower.pop()
        lower.append(point)
    upper: list[Point] = []
    for point in reversed(ordered):
        while len(upper) >= 2 and cross(upper[-2], upper[-1], point) <= 0:
            upper.pop()
        upper.append(point)
    # Each chain ends where the other begins.
    return lower[:-1] + upper[:-1]


def upright_angle(points: list[Point]) -> float:
    """The angle phi in [-pi/4, pi/4) of the smallest-area rectangle around ``points``; 0 for a single point.

    Turning the points by ``-phi`` stands that rectangle along the axes.
    Of rectangles with the same area, the one that needs the smallest turn
    wins, so an upright square (whose edges at 0 and 90 degrees tie) stays
    as it is.
    """
    hull = convex_hull([(float(x), float(y)) for x, y in points])
    best_key, best_angle = None, 0.0
    for index in range(len(hull) if len(hull) > 1 else 0):
        (start_x, start_y), (end_x, end_y) = hull[index - 1], hull[index]
        angle = math.atan2(end_y - start_y, end_x - start_x)
        # Modulo a quarter turn: an edge at 100 degrees gives the rectangle an edge at 10.
        angle = (angle + math.pi / 4) % (math.pi / 2) - math.pi / 4
        cosine, sine = math.cos(angle), math.sin(angle)
        us = [x * cosine + y * sine for x, y in hull]
        vs = [-x * sine + y * cosine for x, y in hull]
        key = ((max(us) - min(us)) * (max(vs) - min(vs)), abs(angle))
        if best_key is None or key < best_key:
            best_key, best_angle = key, angle
    return best_angle


def turn(strokes: list[Stroke], angle: float) -> list[Stroke]:
    """Every point turned by ``angle`` radians about the origin: (x cos a - y sin a, x sin a + y cos a)."""
    cosine, sine = math.cos(angle), math.sin(angle)
    return [[(x * cosine - y * sine, x * sine + y * cosine) for x, y in stroke] for stroke in strokes]


def upright(strokes: list[Stroke]) -> list[Stroke]:
    """``strokes`` turned by ``-upright_angle`` of all their points: their smallest rectangle along the axes."""
    return turn(strokes, -upright_angle([point for stroke in strokes for point in stroke]))
