"""The kinds of drawing: a seeded generator of labelled drawings, made the way people draw.

The question this data set teaches a network to answer is "is this
drawing a square?", asked of drawings like those people make when a page
asks them to draw a square (or a circle, a star, ...) with a mouse or a
finger in a few seconds.  A drawing is a list of strokes, each stroke a
list of ``(x, y)`` points, ``y`` growing downwards as on a screen.

What "square" means
-------------------
A closed four-cornered shape with roughly equal sides, turned by any
angle.  The sides' ratio (the *aspect*) goes up to 1.5 in the generated
squares; clear rectangles start at 1.7; boxes in between are never
generated, so that the network's answer can fall gradually there
instead of being taught a sharp edge that people do not draw.  The
definition, and why: docs/squares.md, section 6.

What is here, and what is in hand.py
------------------------------------
This module knows *what* is drawn: :data:`KINDS` and how often each
non-square comes, and one function per kind that sets out the corners
(or curve) of its shape in a box about 1 unit across.  How a person
draws them is ``purenet/squares/hand.py``: the facts measured on
people's doodles (:data:`STROKE_COUNT_SHARES`,
:data:`SQUARE_ASPECT_SHARES`, the closure gap, the tilt), the hand's
pen paths through the corners (rounded, looped or overshot corners,
bowed sides, the gap where a stroke closes), its wobble, and the
finishing as the public collection stores a drawing: scaled to 0..255,
simplified with :func:`simplify` (epsilon 2), placed on the 100 x 100
canvas.  Every kind's function ends in ``hand.finish``.  Those facts
are kept importable from here, as they always were.

Everything random comes from the ``random.Random`` passed in, so a seed
gives the same drawings on every run and the global random state is
never touched.  :func:`draw_square` draws a square with chosen traits
(the rest drawn as people draw them), for benchmarks/square_probe.py.
"""

import math
import random
import types
from collections.abc import Callable

from .drawing import prepare
from .hand import (
    ANY_TILT_SHARE,
    BULGING_SHARE,
    CANVAS_SIZE,
    COLLECTION_SIDE,
    NEAT_SHARE,
    SQUARE_ASPECT_SHARES,
    STROKE_COUNT_SHARES,
    Drawing,
    Hand,
    Point,
    Stroke,
    bowed_side,
    centroid,
    closed_outline,
    ellipse_path,
    finish,
    pen_path,
    people_closure,
    people_hand,
    people_skew,
    people_square_aspect,
    people_tilt,
    point_along,
    smooth_curve,
    traced_path,
    unit_direction,
)

# Kept names: the collection's simplification, as this module always exported it.
from .polyline import simplify
from .quickdraw import SIMPLIFY_EPSILON

__all__ = [
    "ANY_TILT_SHARE",
    "BULGING_SHARE",
    "CANVAS_SIZE",
    "COLLECTION_SIDE",
    "Drawing",
    "KINDS",
    "LARGEST_SQUARE_ASPECT",
    "NEAT_SHARE",
    "Point",
    "SIMPLIFY_EPSILON",
    "SMALLEST_RECTANGLE_ASPECT",
    "SQUARE_ASPECT_SHARES",
    "STROKE_COUNT_SHARES",
    "Stroke",
    "dataset",
    "draw_square",
    "labelled_drawings",
    "sample",
    "simplify",
]

KINDS = types.MappingProxyType(
    {
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
)
"""Every kind of drawing and its label: 1 for a square, 0 otherwise."""

_NEGATIVE_WEIGHTS = types.MappingProxyType(
    {
        "rectangle": 3,
        "open_square": 3,
        "circle": 2,
        "ellipse": 1,
        "triangle": 1,
        "pentagon": 2,
        "hexagon": 1,
        "octagon": 2,
        "stop_sign": 1,
        "star": 1,
        "moon": 2,
        "arrow": 1,
        "line": 1,
        "zigzag": 1,
        "scribble": 1,
    }
)
# How often each non-square is drawn, relative to the others: the kinds that differ from a square by
# the least (its length, a missing side, a corner cut or rounded off) need the most examples to be
# told apart; a line is told apart from a handful.

LARGEST_SQUARE_ASPECT = 1.5
"""Generated squares go up to this aspect: people's distribution (``hand.SQUARE_ASPECT_SHARES``), cut at 1.5."""
SMALLEST_RECTANGLE_ASPECT = 1.7
"""Generated rectangles start here; between the two, nothing is generated (docs/squares.md)."""
_LARGEST_RECTANGLE_ASPECT = 3.5


# --- The square, and the box shapes around it -------------------------------------------


def _box_corners(aspect: float, skew: float, taper: float, rng: random.Random) -> list[Point]:
    """A box of sides 1 and ``aspect`` (lying or standing), sheared by ``skew``, narrowed at the top by ``taper``.

    Shear: ``x += skew * y``, a parallelogram.  Taper: ``x *= 1 + taper
    * 2y / height``, a trapezoid whose top side is ``1 - taper`` and bottom
    side ``1 + taper`` times the width.
    """
    width, height = (aspect, 1.0) if rng.random() < 0.5 else (1.0, aspect)
    corners = [(-width / 2, -height / 2), (width / 2, -height / 2), (width / 2, height / 2), (-width / 2, height / 2)]
    return [(x * (1 + taper * 2 * y / height) + skew * y, y) for x, y in corners]


def _check_trait(name: str, value: object, low: float, high: float) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(f"draw_square: {name} must be a number or None, got {type(value).__name__} {value!r}")
    if not (math.isfinite(value) and low <= value <= high):
        raise ValueError(f"draw_square: {name} must be between {low} and {high}, got {value!r}")


def _check_count(name: str, value: object, low: int, high: int) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"draw_square: {name} must be an int or None, got {type(value).__name__} {value!r}")
    if not low <= value <= high:
        raise ValueError(f"draw_square: {name} must be between {low} and {high}, got {value}")


def draw_square(
    rng: random.Random,
    *,
    aspect: float | None = None,
    corner_rounding: float | None = None,
    closure_gap: float | None = None,
    overshoot: float | None = None,
    skew: float | None = None,
    taper: float | None = None,
    bow: float | None = None,
    tilt: float | None = None,
    points: int | None = None,
    strokes: int | None = None,
    shading: int | None = None,
) -> list[list[tuple[float, float]]]:
    """A square drawn with the traits given, every trait left as None drawn as people draw it.

    - ``aspect``: longer side over shorter side of the box before shear,
      taper and tilt, 1 to 4 (people: :data:`SQUARE_ASPECT_SHARES` up to 1.5);
    - ``corner_rounding``: every corner's radius as a fraction of its
      shorter side, 0 (sharp) to 0.5 (a side all curve);
    - ``closure_gap``: how far the last stroke stops short of where the
      first began, as a fraction of the size, 0 to 0.5; ``overshoot``:
      how far it runs past the first corner instead, 0 to 0.5.  Giving
      one sets the other to 0 (people: a median gap of 7%, 18% at the
      90th percentile, a third overshoot);
    - ``skew``: shear ``x += skew * y``, -0.5 to 0.5 (a parallelogram);
      ``taper``: the top side ``1 - taper`` and the bottom ``1 + taper``
      times as wide, -0.5 to 0.5 (a trapezoid);
    - ``bow``: every side bulging out (or in, below 0) by this fraction
      of its length, -0.2 to 0.2;
    - ``tilt``: degrees, any finite angle (people: a median 2.4, 12 at
      the 90th percentile, sometimes any angle);
    - ``points``: points in the whole drawing after simplification,
      2 to 200: the smallest epsilon that leaves at most that many (a
      drawing cannot have more than its traced strokes hold, 25 to 40);
      people: RDP with epsilon 2, a median of about 16;
    - ``strokes``: 1 to 8 (people: :data:`STROKE_COUNT_SHARES`);
    - ``shading``: lines of ``hand.hatching`` across the inside, 0 to 12,
      besides the outline's strokes (None: none; people shade some of
      their squares of five strokes or more, the generator does not:
      section 9 of docs/squares.md says why).

    Returns a drawing on the 100 x 100 canvas like :func:`sample`.
    Raises TypeError or ValueError naming a trait that is not a number
    in its range.  Used by benchmarks/square_probe.py; docs/squares.md.
    """
    if not isinstance(rng, random.Random):
        raise TypeError(f"draw_square: rng must be a random.Random, got {type(rng).__name__}")
    for name, value, low, high in (
        ("aspect", aspect, 1.0, 4.0),
        ("corner_rounding", corner_rounding, 0.0, 0.5),
        ("closure_gap", closure_gap, 0.0, 0.5),
        ("overshoot", overshoot, 0.0, 0.5),
        ("skew", skew, -0.5, 0.5),
        ("taper", taper, -0.5, 0.5),
        ("bow", bow, -0.2, 0.2),
        ("tilt", tilt, -math.inf, math.inf),
    ):
        _check_trait(name, value, low, high)
    _check_count("points", points, 2, 200)
    _check_count("strokes", strokes, 1, 8)
    _check_count("shading", shading, 0, 12)
    if closure_gap is not None and overshoot is not None and closure_gap > 0 and overshoot > 0:
        raise ValueError(
            f"draw_square: closure_gap and overshoot cannot both be above 0 (the pen either stops short or runs "
            f"past), got closure_gap={closure_gap!r}, overshoot={overshoot!r}"
        )
    hand = people_hand(rng)
    if corner_rounding is not None:
        hand.rounding = corner_rounding
        hand.loop_share = hand.corner_overshoot_share = 0.0
    if bow is not None:
        hand.bow = bow
    closure = None
    if closure_gap is not None or overshoot is not None:
        closure = (closure_gap or 0.0, overshoot or 0.0)
    return _box(rng, hand, aspect, skew, taper, tilt, points, strokes, closure, shading or 0)


def _box(
    rng: random.Random,
    hand: Hand,
    aspect: float | None,
    skew: float | None = None,
    taper: float | None = None,
    tilt: float | None = None,
    points: int | None = None,
    strokes: int | None = None,
    closure: tuple[float, float] | None = None,
    shading: int = 0,
) -> Drawing:
    """A four-sided box drawn by ``hand``: :func:`draw_square` once its traits are checked."""
    corners = _box_corners(
        aspect if aspect is not None else people_square_aspect(rng),
        skew if skew is not None else (0.0 if hand.neat else people_skew(rng)),
        taper if taper is not None else (0.0 if hand.neat else people_skew(rng)),
        rng,
    )
    ideal = closed_outline(corners, hand, rng, strokes, closure, shading)
    if tilt is None:
        tilt = 0.0 if hand.neat else people_tilt(rng, 90.0)
    return finish(ideal, hand, tilt, rng, points)


def _square(rng: random.Random) -> Drawing:
    return draw_square(rng)


def _rectangle(rng: random.Random) -> Drawing:
    """A box clearly longer than wide: aspect 1.7 to 3.5 (more of them near 1.7), drawn like a square.

    Its sides never all bulge together (:data:`BULGING_SHARE`): a long side
    bulging by a tenth of its length widens the box by a third, and a
    1.7 box would no longer look clearly longer than wide.
    """
    hand = people_hand(rng, bulging=False)
    aspect = SMALLEST_RECTANGLE_ASPECT * (_LARGEST_RECTANGLE_ASPECT / SMALLEST_RECTANGLE_ASPECT) ** rng.random()
    return _box(rng, hand, aspect)


def _open_square(rng: random.Random) -> Drawing:
    """A square with a side missing (a U), or with 60% to 85% of one side left open (a C)."""
    hand = people_hand(rng)
    corners = _box_corners(people_square_aspect(rng), people_skew(rng), 0.0, rng)
    missing = rng.randrange(4)  # the side from this corner to the next
    chain = [corners[(missing + step) % 4] for step in range(1, 5)]
    if rng.random() < 0.5:
        chain.reverse()
    open_part = 1.0 if rng.random() < 0.7 else rng.uniform(0.6, 0.85)
    # With part of the missing side drawn, the chain runs on along it and stops before its end.
    end = point_along(
        chain[-1], unit_direction(chain[-1], chain[0]), (1 - open_part) * math.dist(chain[-1], chain[0])
    )
    if open_part < 1.0:
        chain.append(end)
    centre = centroid(corners)
    if rng.random() < 0.8:
        drawing = [pen_path(chain, hand, rng, centre)]
    else:
        drawing = [pen_path(chain[index : index + 2], hand, rng, centre) for index in range(len(chain) - 1)]
    return finish(drawing, hand, 0.0 if hand.neat else people_tilt(rng), rng)


# --- Polygons, round shapes and the other kinds ---------------------------------------


def _polygon_corners(side_count: int, rng: random.Random, jitter: float = 0.08) -> list[Point]:
    """Corners of a roughly regular polygon, standing on a corner or on a side, each nudged a little."""
    start = -math.pi / 2 + rng.choice((0.0, math.pi / side_count))
    corners = []
    for index in range(side_count):
        angle = start + 2 * math.pi * index / side_count + rng.uniform(-jitter, jitter)
        radius = rng.uniform(1 - jitter, 1 + jitter)
        corners.append((radius * math.cos(angle), radius * math.sin(angle)))
    return corners


def _polygon(side_count: int) -> Callable[[random.Random], Drawing]:
    def draw(rng: random.Random) -> Drawing:
        hand = people_hand(rng)
        outline = closed_outline(_polygon_corners(side_count, rng), hand, rng)
        return finish(outline, hand, 0.0 if hand.neat else people_tilt(rng), rng)

    draw.__doc__ = f"A roughly regular polygon of {side_count} sides, drawn as people draw."
    return draw


def _triangle(rng: random.Random) -> Drawing:
    """Equilateral, isosceles (tall or flat) or right-angled (the right angle in any direction)."""
    hand = people_hand(rng)
    sort = rng.randrange(3)
    if sort == 0:
        corners = _polygon_corners(3, rng)
    elif sort == 1:
        corners = [(-0.5, 0.0), (0.5, 0.0), (rng.uniform(-0.15, 0.15), -rng.uniform(0.5, 1.5))]
    else:
        flip_x, flip_y = rng.choice((-1.0, 1.0)), rng.choice((-1.0, 1.0))
        corners = [(0.0, 0.0), (flip_x, 0.0), (0.0, flip_y * rng.uniform(0.6, 1.4))]
    outline = closed_outline(corners, hand, rng)
    return finish(outline, hand, 0.0 if hand.neat else people_tilt(rng), rng)


def _stop_sign(rng: random.Random) -> Drawing:
    """An octagon standing on a side, often on a post, often with letters inside."""
    hand = people_hand(rng)
    corners = [
        (math.cos(math.pi / 8 + index * math.pi / 4), math.sin(math.pi / 8 + index * math.pi / 4))
        for index in range(8)
    ]
    drawing = closed_outline(corners, hand, rng)
    if rng.random() < 0.6:
        length = rng.uniform(0.8, 2.0)
        for offset in (-0.1, 0.1) if rng.random() < 0.5 else (0.0,):
            drawing.append(traced_path([(offset, 0.95), (offset + rng.gauss(0, 0.03), 0.95 + length)]))
    if rng.random() < 0.5:
        drawing.extend(_letters(rng))
    return finish(drawing, hand, 0.0 if hand.neat else people_tilt(rng), rng)


def _letters(rng: random.Random) -> Drawing:
    """S, T, O, P, small and side by side across the middle: a strokes' sketch of "STOP"."""
    height = rng.uniform(0.35, 0.6)
    width = height * 0.6
    left = -2 * width * 1.15
    strokes: Drawing = []
    for index, letter in enumerate("STOP"):
        x0, y0 = left + index * width * 1.15, -height / 2
        if letter == "S":
            strokes.append(
                [(x0 + width, y0), (x0, y0 + height * 0.2), (x0 + width, y0 + height * 0.75), (x0, y0 + height)]
            )
        elif letter == "T":
            strokes.append([(x0, y0), (x0 + width, y0)])
            strokes.append([(x0 + width / 2, y0), (x0 + width / 2, y0 + height)])
        elif letter == "O":
            strokes.append(ellipse_path(width / 2, height / 2, 0.0, 2 * math.pi, (x0 + width / 2, 0.0)))
        else:
            strokes.append(
                [(x0, y0 + height), (x0, y0), (x0 + width, y0 + height * 0.2), (x0, y0 + height * 0.45)]
            )
    return [traced_path(stroke) for stroke in strokes]


def _round_shape(aspect_low: float, aspect_high: float) -> Callable[[random.Random], Drawing]:
    def draw(rng: random.Random) -> Drawing:
        hand = people_hand(rng)
        aspect = rng.uniform(aspect_low, aspect_high)
        radius_x, radius_y = (aspect, 1.0) if rng.random() < 0.5 else (1.0, aspect)
        lumps = [] if hand.neat else [(rng.uniform(0.0, 0.05), frequency, rng.uniform(0, 2 * math.pi)) for frequency in (2, 3, 4)]
        start = rng.uniform(0.0, 2 * math.pi)
        direction = rng.choice((-1.0, 1.0))
        gap, overshoot = (0.0, 0.0) if hand.neat else people_closure(rng)
        # The gap and overshoot are fractions of the size (2 radii): an angle of 2 * fraction radians.
        sweep = direction * (2 * math.pi + 2 * (overshoot - gap))
        if rng.random() < 0.1:
            middle = start + sweep * rng.uniform(0.4, 0.6)
            drawing = [
                ellipse_path(radius_x, radius_y, start, middle - start, lumps=lumps),
                ellipse_path(radius_x, radius_y, middle - direction * 0.05, start + sweep - middle, lumps=lumps),
            ]
        else:
            drawing = [ellipse_path(radius_x, radius_y, start, sweep, lumps=lumps)]
        return finish(drawing, hand, 0.0 if hand.neat else people_tilt(rng), rng)

    draw.__doc__ = f"An ellipse of aspect {aspect_low} to {aspect_high}, lumpy, rarely closed exactly."
    return draw


def _star(rng: random.Random) -> Drawing:
    """A five-pointed star in one stroke (crossing itself), an outline star, or two triangles."""
    # Never bulging: a star is drawn point by point, and its sides bulging away from the centre would
    # fill the notches between the points.
    hand = people_hand(rng, bulging=False)
    sort = rng.random()
    if sort < 0.5:
        outer = _polygon_corners(5, rng, 0.06)
        drawing = closed_outline([outer[(2 * index) % 5] for index in range(5)], hand, rng, strokes=1)
    elif sort < 0.85:
        points = rng.choice((5, 5, 5, 6))
        outer = _polygon_corners(points, rng, 0.05)
        inner_radius = rng.uniform(0.35, 0.55)
        corners = []
        for index, (x, y) in enumerate(outer):
            corners.append((x, y))
            angle = math.atan2(y, x) + math.pi / points
            corners.append((inner_radius * math.cos(angle), inner_radius * math.sin(angle)))
        drawing = closed_outline(corners, hand, rng, strokes=rng.choice((1, 1, 1, 2)))
    else:
        up = _polygon_corners(3, rng, 0.05)
        down = [(x, -y) for x, y in up]
        drawing = closed_outline(up, hand, rng, strokes=1) + closed_outline(down, hand, rng, strokes=1)
    return finish(drawing, hand, 0.0 if hand.neat else people_tilt(rng), rng)


def _moon(rng: random.Random) -> Drawing:
    """A crescent: a long outer arc between two tips and a shallower inner arc back.

    The tips are at angles ``opening +- half_opening`` on the unit
    circle; the inner arc is on a circle through both tips, centred a
    distance ``d`` from the origin towards the opening, so the crescent
    is ``1 + d - r`` thick in the middle (``r`` that circle's radius).
    """
    hand = people_hand(rng)
    opening = rng.uniform(0.0, 2 * math.pi)
    half_opening = math.radians(rng.uniform(35.0, 80.0))
    distance = rng.uniform(0.15, 0.9)
    centre = (distance * math.cos(opening), distance * math.sin(opening))
    tip_one = (math.cos(opening + half_opening), math.sin(opening + half_opening))
    tip_two = (math.cos(opening - half_opening), math.sin(opening - half_opening))
    radius = math.dist(centre, tip_one)
    outer = ellipse_path(1.0, 1.0, opening + half_opening, 2 * math.pi - 2 * half_opening)
    angle_two = math.atan2(tip_two[1] - centre[1], tip_two[0] - centre[0])
    angle_one = math.atan2(tip_one[1] - centre[1], tip_one[0] - centre[0])
    # The inner arc goes from the second tip back to the first through the side away from the opening:
    # clockwise (a negative sweep), since counter-clockwise would pass the opening.
    sweep = -((angle_two - angle_one) % (2 * math.pi))
    inner = ellipse_path(radius, radius, angle_two, sweep, centre)
    if rng.random() < 0.7:
        drawing = [outer + inner[1:]]
    else:
        drawing = [outer, inner]
    return finish(drawing, hand, 0.0, rng)


def _arrow(rng: random.Random) -> Drawing:
    """A shaft and a head of two barbs (or a closed triangle), pointing any way."""
    hand = people_hand(rng, bulging=False)  # a shaft is not drawn round a shape
    tip = (1.0, 0.0)
    barb_angle = math.radians(rng.uniform(25.0, 45.0))
    barb_length = rng.uniform(0.2, 0.4)
    barbs = [
        (1.0 - barb_length * math.cos(barb_angle), side * barb_length * math.sin(barb_angle)) for side in (-1, 1)
    ]
    centre = (0.5, 0.0)
    shaft = bowed_side((0.0, rng.gauss(0, 0.02)), tip, hand.side_bow(rng), centre)
    sort = rng.random()
    if sort < 0.4:
        drawing = [
            shaft + pen_path([tip, barbs[0]], hand, rng, centre)[1:], pen_path([barbs[1], tip], hand, rng, centre)
        ]
    elif sort < 0.8:
        drawing = [shaft, pen_path([barbs[0], tip, barbs[1]], hand, rng, centre)]
    else:
        drawing = [shaft] + closed_outline([tip, barbs[0], barbs[1]], hand, rng, strokes=1)
    return finish(drawing, hand, rng.uniform(0.0, 360.0), rng)


def _line(rng: random.Random) -> Drawing:
    """A line, nearly straight, at any angle."""
    hand = people_hand(rng, bulging=False)
    return finish(
        [bowed_side((0.0, 0.0), (1.0, 0.0), hand.side_bow(rng), (0.5, 1.0))], hand, rng.uniform(0.0, 180.0), rng
    )


def _zigzag(rng: random.Random) -> Drawing:
    """Three to eight straight strokes back and forth, in one stroke, along any direction."""
    hand = people_hand(rng)
    count = rng.randint(3, 8)
    height = rng.uniform(0.2, 0.8)
    corners = [(index / count, (index % 2) * height + rng.gauss(0, 0.04)) for index in range(count + 1)]
    return finish([pen_path(corners, hand, rng, (0.5, -1.0))], hand, rng.uniform(0.0, 180.0), rng)


def _scribble(rng: random.Random) -> Drawing:
    """A squiggle: a smooth line wandering from point to point; it may loop and cross itself."""
    hand = people_hand(rng)
    heading = rng.uniform(0.0, 2 * math.pi)
    controls = [(0.0, 0.0)]
    for _ in range(rng.randint(5, 9)):
        # Turning less than about 140 degrees at a time keeps the line flowing round
        # in curves and loops, rather than doubling back into sharp hairpins.
        heading += rng.uniform(-2.5, 2.5)
        length = rng.uniform(0.4, 1.0)
        controls.append(point_along(controls[-1], (math.cos(heading), math.sin(heading)), length))
    return finish([smooth_curve(controls)], hand, 0.0, rng)


# The function that draws each kind; every one ends in hand.finish.
_DRAWERS = types.MappingProxyType(
    {
        "square": _square,
        "rectangle": _rectangle,
        "open_square": _open_square,
        "circle": _round_shape(1.0, 1.12),
        "ellipse": _round_shape(1.35, 2.5),
        "triangle": _triangle,
        "pentagon": _polygon(5),
        "hexagon": _polygon(6),
        "octagon": _polygon(8),
        "stop_sign": _stop_sign,
        "star": _star,
        "moon": _moon,
        "arrow": _arrow,
        "line": _line,
        "zigzag": _zigzag,
        "scribble": _scribble,
    }
)


# --- Public interface --------------------------------------------------------


def sample(kind: str, rng: random.Random) -> list[list[tuple[float, float]]]:
    """Return one drawing of ``kind``, drawn the way people draw it.

    ``kind`` is a key of :data:`KINDS`.  All randomness comes from
    ``rng`` (a ``random.Random``), so the same generator state gives the
    same drawing.  The drawing is a list of strokes, each a list of
    ``(x, y)`` float points on the 100 x 100 canvas with ``y`` growing
    downwards, simplified as the public collection simplifies (a few
    points per stroke; every stroke has at least two).

    Raises ``ValueError`` for an unknown kind and ``TypeError`` when
    ``kind`` is not a str or ``rng`` is not a ``random.Random``.
    """
    if not isinstance(kind, str):
        raise TypeError(f"sample: kind must be a str, got {type(kind).__name__} {kind!r}")
    if kind not in KINDS:
        raise ValueError(f"sample: kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if not isinstance(rng, random.Random):
        raise TypeError(f"sample: rng must be a random.Random, got {type(rng).__name__}")
    return _DRAWERS[kind](rng)


def _check_positive_int(value: object, name: str, function: str) -> None:
    # bool is a subclass of int, but dataset(True) is surely a mistake.
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{function}: {name} must be an int, got {type(value).__name__} {value!r}")
    if value < 1:
        raise ValueError(f"{function}: {name} must be at least 1, got {value}")


def _check_seed(seed: object, function: str) -> None:
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise TypeError(f"{function}: seed must be an int, got {type(seed).__name__} {seed!r}")


def labelled_drawings(n: int, seed: int = 0) -> list[tuple[str, list[list[tuple[float, float]]]]]:
    """Return ``n`` pairs ``(kind, drawing)``: half squares, half the other kinds.

    Squares and non-squares alternate before shuffling (so an odd ``n``
    has one square more), and the non-squares cycle through the other
    kinds, each as often as its weight: 3 for rectangles and open squares,
    2 for circles, pentagons, octagons and moons, 1 for the rest (the
    kinds nearest a square need the most examples).
    The order is then shuffled.  The same ``n`` and ``seed`` always give
    the same drawings: :func:`dataset` is built on this function, so
    the drawings behind ``dataset(n, size, seed)`` can be looked at, or
    rendered at another size, kind by kind.
    """
    _check_positive_int(n, "n", "labelled_drawings")
    _check_seed(seed, "labelled_drawings")
    rng = random.Random(seed)
    squares = [kind for kind, label in KINDS.items() if label == 1]
    # Round r of the cycle holds every kind whose weight is above r: weights 3, 2, 1 give a kind
    # three, two or one places in each cycle, spread out rather than side by side.
    others = [
        kind for cycle_round in range(max(_NEGATIVE_WEIGHTS.values())) for kind, weight in _NEGATIVE_WEIGHTS.items()
        if weight > cycle_round
    ]
    kinds = [
        others[(index // 2) % len(others)] if index % 2 else squares[(index // 2) % len(squares)]
        for index in range(n)
    ]
    rng.shuffle(kinds)
    return [(kind, sample(kind, rng)) for kind in kinds]


def dataset(n: int, size: int = 32, seed: int = 0) -> tuple[list[list[float]], list[int]]:
    """Return ``(X, y)``: ``n`` drawings ready for ``model.fit(X, y)``.

    ``X[i]`` is the drawing rasterised on a ``size`` x ``size`` grid and
    read along the Hilbert curve (:func:`purenet.drawing.prepare`);
    ``y[i]`` is 1 if it is a square, else 0.  Half the drawings are
    squares.  The same arguments always give the same result.

    Raises ``TypeError`` or ``ValueError`` when ``n`` is not an int of at
    least 1 or ``seed`` is not an int; ``prepare`` rejects a ``size``
    that is not a power of two of at least 4.
    """
    _check_positive_int(n, "n", "dataset")
    _check_seed(seed, "dataset")
    pairs = labelled_drawings(n, seed)
    inputs = [prepare(drawing, size) for _, drawing in pairs]
    labels = [KINDS[kind] for kind, _ in pairs]
    return inputs, labels
