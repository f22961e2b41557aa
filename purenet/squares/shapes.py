"""Drawings made the way people draw: a seeded generator of labelled drawings.

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

How people draw (facts measured on about 400 public doodles, issue 9)
---------------------------------------------------------------------
The numbers below are module constants, and tests/test_shapes.py checks
that the generated squares show them:

- strokes: 73% one stroke, 13% two, 7% three, 4% four, 3% five or more
  (:data:`STROKE_COUNT_SHARES`);
- points: every stroke is simplified by Ramer-Douglas-Peucker with
  epsilon 2 after the drawing's longer side is scaled to 0..255
  (:func:`simplify`), so a drawing has 12 to 23 points (median 16);
- aspect of the bounding box: 36% within 1.1, 61% within 1.2, 78%
  within 1.3, 86% within 1.4, 90% within 1.5 (:data:`SQUARE_ASPECT_SHARES`);
- a one-stroke square rarely closes: start and end are a median 7% of
  the size apart, 18% at the 90th percentile; others run past the start;
- tilt: a median 2.4 degrees, 12 at the 90th percentile; sides bow,
  corners are rounded or looped, many squares are slight trapezoids or
  parallelograms.

How a drawing is made
---------------------
1. The kind's function sets out the corners (or curve) in a box about
   1 unit across and the *pen paths* a hand follows through them: how
   many strokes, where each starts and stops, rounded, looped or
   overshot corners, bowed sides, the gap or crossing where a stroke
   closes.
2. Every path is traced densely and given the hand's slow wobble (a few
   sinusoids along the stroke) and a faint tremor, then turned by the
   drawing's tilt.
3. As in the public collection, the drawing is scaled so that its
   longer side spans 0..255, rounded to whole units and each stroke is
   simplified with :func:`simplify` (epsilon 2): what is left is a
   few-point polyline.
4. It is placed on a 100 x 100 canvas at a random size (30-90% of the
   canvas) and position.

One drawing in twenty (:data:`NEAT_SHARE`) is drawn neatly: straight sides,
sharp corners, no wobble, no tilt, as with a ruler.

Everything random comes from the ``random.Random`` passed in, so a seed
gives the same drawings on every run and the global random state is
never touched.  :func:`draw_square` draws a square with chosen traits
(the rest drawn as people draw them), for benchmarks/square_probe.py.
"""

import bisect
import math
import random
import types
from collections.abc import Callable
from dataclasses import dataclass

from .drawing import prepare
from .polyline import simplify, simplify_points
from .quickdraw import SIMPLIFIED_SIDE, SIMPLIFY_EPSILON

__all__ = [
    "ANY_TILT_SHARE",
    "CANVAS_SIZE",
    "COLLECTION_SIDE",
    "KINDS",
    "LARGEST_SQUARE_ASPECT",
    "NEAT_SHARE",
    "SIMPLIFY_EPSILON",
    "SMALLEST_RECTANGLE_ASPECT",
    "SQUARE_ASPECT_SHARES",
    "STROKE_COUNT_SHARES",
    "dataset",
    "draw_square",
    "labelled_drawings",
    "sample",
    "simplify",
]

Point = tuple[float, float]
Stroke = list[Point]
Drawing = list[Stroke]

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

CANVAS_SIZE = 100.0
COLLECTION_SIDE = float(SIMPLIFIED_SIDE)
"""The public collection scales a drawing so that its longer side spans 0..255 before simplifying
(``quickdraw.SIMPLIFIED_SIDE``); simplified then with ``quickdraw.SIMPLIFY_EPSILON``."""

STROKE_COUNT_SHARES = types.MappingProxyType({1: 0.73, 2: 0.13, 3: 0.07, 4: 0.04, 5: 0.03})
"""Share of people's squares drawn in 1, 2, 3, 4 and 5 or more strokes."""

SQUARE_ASPECT_SHARES = ((1.0, 0.0), (1.1, 0.36), (1.2, 0.61), (1.3, 0.78), (1.4, 0.86), (1.5, 0.90))
"""(aspect, share of people's squares whose bounding box is within that aspect)."""
LARGEST_SQUARE_ASPECT = 1.5
"""Generated squares go up to this aspect: the people's distribution above, cut at 1.5."""
SMALLEST_RECTANGLE_ASPECT = 1.7
"""Generated rectangles start here; between the two, nothing is generated (docs/squares.md)."""
_LARGEST_RECTANGLE_ASPECT = 3.5

NEAT_SHARE = 0.05
"""The share of drawings drawn neatly: straight sides, sharp corners, no wobble and no tilt."""
ANY_TILT_SHARE = 0.06
"""The share of drawings turned by any angle at all (a diamond is a square), beyond people's small tilts."""

# The turn given to a drawing is log-normal.  People's longest sides lie a median 2.4 degrees off
# the axes, 12 at the 90th percentile, but skew, taper and wobble turn sides too, so the turn
# itself is smaller: a median of 1.5 and 9 at the 90th percentile, which gives sigma =
# ln(9 / 1.5) / z(0.9) (z(0.9) = 1.2816, the standard normal's 90th percentile) and measured
# sides as people's (tests/test_shapes.py::test_squares_are_tilted_as_people_tilt_them).
_TILT_MEDIAN_DEGREES = 1.5
_TILT_SPREAD = math.log(9.0 / 1.5) / 1.2816
_SKEW_SPREAD = 0.03  # standard deviation of the shear and of the taper of a box
# The one-stroke closure gap is log-normal too: median 7% of the size, 18% at the 90th percentile.
_GAP_MEDIAN = 0.07
_GAP_SPREAD = math.log(0.18 / 0.07) / 1.2816
_LARGEST_GAP = 0.3  # beyond this the shape is open (an open square leaves at least 0.6 of a side open)
# The facts say "others overshoot and cross" without a share; a third is our choice.
_OVERSHOOT_SHARE = 1 / 3

_SMALLEST_SHAPE = 0.3  # fractions of the canvas taken by the drawing's longer side
_LARGEST_SHAPE = 0.9
_TRACE_STEP = 0.04  # pen paths are traced at points this far apart (in shape sizes) before simplifying


# --- Sampling people's habits -------------------------------------------------------


def _log_normal(median: float, spread: float, rng: random.Random) -> float:
    return median * math.exp(spread * rng.gauss(0.0, 1.0))


def _people_tilt(rng: random.Random, symmetry_degrees: float = 360.0) -> float:
    """A tilt in degrees: people's (median 2.4, 90th percentile 12), or now and then any angle at all.

    ``symmetry_degrees`` is the turn that maps the shape onto itself
    (90 for a square), so "any angle" need not go further.
    """
    if rng.random() < ANY_TILT_SHARE:
        return rng.uniform(0.0, symmetry_degrees)
    return rng.choice((-1.0, 1.0)) * min(45.0, _log_normal(_TILT_MEDIAN_DEGREES, _TILT_SPREAD, rng))


def _people_square_aspect(rng: random.Random) -> float:
    """An aspect drawn from people's squares (the shares of :data:`SQUARE_ASPECT_SHARES`), up to 1.5.

    Inverse-transform sampling of the piecewise linear distribution
    through the measured shares.
    """
    aspects = [aspect for aspect, _ in SQUARE_ASPECT_SHARES]
    shares = [share for _, share in SQUARE_ASPECT_SHARES]
    share = rng.uniform(0.0, shares[-1])
    index = max(1, bisect.bisect_left(shares, share))
    low, high = shares[index - 1], shares[index]
    return aspects[index - 1] + (aspects[index] - aspects[index - 1]) * (share - low) / (high - low)


def _people_stroke_count(rng: random.Random) -> int:
    """1, 2, 3, 4 strokes as :data:`STROKE_COUNT_SHARES`; "five or more" is 5 to 7."""
    draw = rng.random()
    for count, share in STROKE_COUNT_SHARES.items():
        draw -= share
        if draw < 0:
            return count if count < 5 else rng.randint(5, 7)
    return 1


def _people_closure(rng: random.Random) -> tuple[float, float]:
    """(gap, overshoot) where a one-stroke shape closes, as fractions of its size; one of them is 0."""
    distance = min(_LARGEST_GAP, _log_normal(_GAP_MEDIAN, _GAP_SPREAD, rng))
    return (0.0, distance) if rng.random() < _OVERSHOOT_SHARE else (distance, 0.0)


@dataclass
class _Hand:
    """How one person draws one drawing: the habits that are the same at every corner and side.

    ``rounding`` is each corner's radius as a fraction of the shorter
    side beside it (``None``: drawn per corner around ``roundness``);
    ``bow`` each side's bulge as a fraction of its length (``None``:
    drawn per side, spread ``bow_spread``); ``wobble`` the amplitude of
    the slow drift, as a fraction of the shape's size.
    """

    neat: bool
    rounding: float | None
    roundness: float
    bow: float | None
    bow_spread: float
    wobble: float
    loop_share: float
    corner_overshoot_share: float

    def corner_radius(self, rng: random.Random) -> float:
        if self.rounding is not None:
            return self.rounding
        return self.roundness * rng.uniform(0.7, 1.3)

    def side_bow(self, rng: random.Random) -> float:
        if self.bow is not None:
            return self.bow
        return rng.gauss(0.0, self.bow_spread)


def _people_hand(rng: random.Random, neat: bool | None = None) -> _Hand:
    """A person's hand: most corners a little rounded, a few looped, sides bowing by about 2%."""
    if neat is None:
        neat = rng.random() < NEAT_SHARE
    if neat:
        return _Hand(True, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    style = rng.random()
    if style < 0.45:
        roundness = rng.uniform(0.0, 0.02)  # sharp corners
    elif style < 0.85:
        roundness = rng.uniform(0.02, 0.1)  # slightly rounded
    else:
        roundness = rng.uniform(0.1, 0.2)  # clearly rounded, yet with straight sides left between
    return _Hand(
        neat=False,
        rounding=None,
        roundness=roundness,
        bow=None,
        bow_spread=rng.uniform(0.005, 0.03),
        wobble=rng.uniform(0.006, 0.014),
        loop_share=0.05,
        corner_overshoot_share=0.1,
    )


# --- Geometry of a pen path ---------------------------------------------------------


def _unit(start: Point, end: Point) -> Point:
    length = math.dist(start, end)
    return ((end[0] - start[0]) / length, (end[1] - start[1]) / length) if length else (1.0, 0.0)


def _along(point: Point, direction: Point, distance: float) -> Point:
    return (point[0] + distance * direction[0], point[1] + distance * direction[1])


def _traced(waypoints: list[Point], step: float = _TRACE_STEP) -> Stroke:
    """The polyline through ``waypoints`` with a point at least every ``step`` along it."""
    path = [waypoints[0]]
    for start, end in zip(waypoints, waypoints[1:]):
        pieces = math.ceil(math.dist(start, end) / step)
        if pieces <= 1:  # most segments of a path already traced (a bowed side, a rounded corner)
            path.append(end)
            continue
        path.extend(
            (start[0] + (end[0] - start[0]) * piece / pieces, start[1] + (end[1] - start[1]) * piece / pieces)
            for piece in range(1, pieces + 1)
        )
    return path


def _bowed_side(start: Point, end: Point, bow: float, outward: Point) -> Stroke:
    """The side from ``start`` to ``end`` bulging by ``bow`` times its length at the middle.

    The bulge is ``bow * length * sin(pi t)`` along the normal that
    points away from ``outward`` (the shape's centre), so a positive bow
    bulges out and a negative one caves in.
    """
    length = math.dist(start, end)
    direction = _unit(start, end)
    normal = (-direction[1], direction[0])
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    if (middle[0] - outward[0]) * normal[0] + (middle[1] - outward[1]) * normal[1] < 0:
        normal = (-normal[0], -normal[1])
    pieces = max(2, math.ceil(length / _TRACE_STEP))
    return [
        _along(
            (start[0] + (end[0] - start[0]) * piece / pieces, start[1] + (end[1] - start[1]) * piece / pieces),
            normal,
            bow * length * math.sin(math.pi * piece / pieces),
        )
        for piece in range(pieces + 1)
    ]


def _corner(previous: Point, corner: Point, following: Point, hand: _Hand, rng: random.Random) -> tuple[
    list[Point], Point, Point
]:
    """How the pen turns at ``corner``: returns (the turn's points, where it arrives, where it leaves).

    Rounded: a quadratic Bezier curve from a point ``r`` before the
    corner to a point ``r`` after it, bent towards the corner.  Looped:
    the pen runs past the corner, swings round outside it and crosses
    back.  Overshot: the pen runs past the corner and comes straight
    back.  Sharp: the corner itself.
    """
    incoming, outgoing = _unit(previous, corner), _unit(corner, following)
    shorter = min(math.dist(previous, corner), math.dist(corner, following))
    habit = rng.random()
    if habit < hand.loop_share:
        reach = rng.uniform(0.03, 0.07) * shorter
        past = _along(corner, incoming, reach)
        turn = [past, _along(past, outgoing, -reach), _along(corner, outgoing, -reach), corner]
        return turn, past, corner
    if habit < hand.loop_share + hand.corner_overshoot_share:
        past = _along(corner, incoming, rng.uniform(0.02, 0.06) * shorter)
        return [past, corner], past, corner
    radius = min(0.5, hand.corner_radius(rng)) * shorter
    if radius <= 0.0:
        return [corner], corner, corner
    entry, leave = _along(corner, incoming, -radius), _along(corner, outgoing, radius)
    steps = max(2, math.ceil(2 * radius / _TRACE_STEP))
    turn = []
    for step in range(steps + 1):
        t = step / steps
        turn.append(
            (
                (1 - t) ** 2 * entry[0] + 2 * (1 - t) * t * corner[0] + t**2 * leave[0],
                (1 - t) ** 2 * entry[1] + 2 * (1 - t) * t * corner[1] + t**2 * leave[1],
            )
        )
    return turn, entry, leave


def _chain(corners: list[Point], hand: _Hand, rng: random.Random, centre: Point) -> Stroke:
    """One pen path along ``corners``: turns at every inner corner, bowed sides between them."""
    turns = [([corners[0]], corners[0], corners[0])]
    for previous, corner, following in zip(corners, corners[1:], corners[2:]):
        turns.append(_corner(previous, corner, following, hand, rng))
    turns.append(([corners[-1]], corners[-1], corners[-1]))
    path: Stroke = list(turns[0][0])
    for (_, _, leave), (turn, arrive, _) in zip(turns, turns[1:]):
        path.extend(_bowed_side(leave, arrive, hand.side_bow(rng), centre)[1:])
        path.extend(turn[1:])
    return path


def _slipped(corner: Point, neighbour: Point, size: float, rng: random.Random, spread: float = 0.025) -> Point:
    """Where a stroke really ends near ``corner``: a little short of it or past it, a little aside."""
    direction = _unit(neighbour, corner)
    aside = (-direction[1], direction[0])
    return _along(_along(corner, direction, rng.gauss(0.0, spread) * size), aside, rng.gauss(0.0, spread / 2) * size)


def _centre(points: list[Point]) -> Point:
    return (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))


def _extent(points: list[Point]) -> float:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def _closed_outline(
    corners: list[Point],
    hand: _Hand,
    rng: random.Random,
    strokes: int | None = None,
    closure: tuple[float, float] | None = None,
) -> Drawing:
    """The pen paths round a closed polygon, drawn from a random corner, either way round.

    ``strokes`` (people's count when None) splits the sides into that
    many runs of consecutive sides; beyond one stroke per side, the extra
    strokes go over a side again or add a tick mark.  Where the pen
    comes back to the first corner, it stops ``gap`` short of the
    start or runs ``overshoot`` past it along the first side (fractions of
    the shape's size; people's when ``closure`` is None).  Every other
    stroke end slips a little off its corner.
    """
    size = _extent(corners)
    centre = _centre(corners)
    start = rng.randrange(len(corners))
    loop = corners[start:] + corners[:start]
    if rng.random() < 0.5:
        loop = [loop[0], *reversed(loop[1:])]
    side_count = len(loop)
    count = strokes if strokes is not None else _people_stroke_count(rng)
    runs = min(count, side_count)
    breaks = sorted(rng.sample(range(1, side_count), runs - 1))
    bounds = [0, *breaks, side_count]
    if closure is not None:
        gap, overshoot = closure
    elif hand.neat:
        gap, overshoot = 0.0, 0.0
    else:
        gap, overshoot = _people_closure(rng)
        if runs > 1:
            # Where two strokes meet, the pen lands near ink it can see: a third of a one-stroke gap.
            gap, overshoot = gap / 3, overshoot / 3
    closed = loop + [loop[0], loop[1 % side_count]]
    drawing: Drawing = []
    for number, (first, last) in enumerate(zip(bounds, bounds[1:])):
        chain = closed[first : last + 1]
        is_last = number == runs - 1
        if is_last and overshoot > 0:
            # The pen runs on past the first corner, beside the first side (and across it).
            beyond = _unit(closed[0], closed[1])
            aside = (-beyond[1], beyond[0])
            chain = chain + [_along(_along(closed[0], beyond, overshoot * size), aside, rng.gauss(0.0, 0.02) * size)]
        path = _chain(chain, hand, rng, centre)
        if not hand.neat:
            begin = _slipped(chain[0], chain[1], size, rng, 0.01 if number == 0 else 0.025)
            path[0] = begin
        if is_last and overshoot == 0:
            start_point = drawing[0][0] if drawing else path[0]
            if gap > 0:
                # Stop short: the end is `gap` from where the stroke began, back along the last side.
                back = _unit(closed[0], chain[-2])
                turn = math.radians(rng.uniform(-25.0, 25.0))
                direction = (
                    back[0] * math.cos(turn) - back[1] * math.sin(turn),
                    back[0] * math.sin(turn) + back[1] * math.cos(turn),
                )
                end = _along(start_point, direction, gap * size)
                path = _cut_at(path, end)
            elif runs == 1:
                path[-1] = start_point
        elif not hand.neat and not (is_last and overshoot > 0):
            path[-1] = _slipped(chain[-1], chain[-2], size, rng)
        drawing.append(path)
    for _ in range(count - runs):
        drawing.append(_extra_stroke(loop, hand, rng, centre, size))
    return drawing


def _cut_at(path: Stroke, end: Point) -> Stroke:
    """``path`` up to its point nearest to ``end``, then ``end``: the pen lifts there."""
    nearest = min(range(len(path) // 2, len(path)), key=lambda index: math.dist(path[index], end))
    return path[: max(1, nearest)] + [end]


def _extra_stroke(corners: list[Point], hand: _Hand, rng: random.Random, centre: Point, size: float) -> Stroke:
    """A fifth (sixth, ...) stroke: a side gone over again, or a short tick mark across a side."""
    side = rng.randrange(len(corners))
    start, end = corners[side], corners[(side + 1) % len(corners)]
    if rng.random() < 0.6:
        return _bowed_side(
            _slipped(start, end, size, rng, 0.04), _slipped(end, start, size, rng, 0.04), hand.side_bow(rng), centre
        )
    middle = rng.uniform(0.2, 0.8)
    point = (start[0] + (end[0] - start[0]) * middle, start[1] + (end[1] - start[1]) * middle)
    direction = _unit(start, end)
    across = (-direction[1], direction[0])
    reach = rng.uniform(0.04, 0.1) * size
    return [_along(point, across, -reach), _along(point, across, reach)]


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
    - ``strokes``: 1 to 8 (people: :data:`STROKE_COUNT_SHARES`).

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
    if closure_gap is not None and overshoot is not None and closure_gap > 0 and overshoot > 0:
        raise ValueError(
            f"draw_square: closure_gap and overshoot cannot both be above 0 (the pen either stops short or runs "
            f"past), got closure_gap={closure_gap!r}, overshoot={overshoot!r}"
        )
    hand = _people_hand(rng)
    if corner_rounding is not None:
        hand.rounding = corner_rounding
        hand.loop_share = hand.corner_overshoot_share = 0.0
    if bow is not None:
        hand.bow = bow
    closure = None
    if closure_gap is not None or overshoot is not None:
        closure = (closure_gap or 0.0, overshoot or 0.0)
    corners = _box_corners(
        aspect if aspect is not None else _people_square_aspect(rng),
        skew if skew is not None else (0.0 if hand.neat else _clipped_gauss(_SKEW_SPREAD, 0.2, rng)),
        taper if taper is not None else (0.0 if hand.neat else _clipped_gauss(_SKEW_SPREAD, 0.2, rng)),
        rng,
    )
    ideal = _closed_outline(corners, hand, rng, strokes, closure)
    if tilt is None:
        tilt = 0.0 if hand.neat else _people_tilt(rng, 90.0)
    return _finish(ideal, hand, tilt, rng, points)


def _clipped_gauss(spread: float, limit: float, rng: random.Random) -> float:
    return max(-limit, min(limit, rng.gauss(0.0, spread)))


def _square(rng: random.Random) -> Drawing:
    return draw_square(rng)


def _rectangle(rng: random.Random) -> Drawing:
    """A box clearly longer than wide: aspect 1.7 to 3.5 (more of them near 1.7), drawn like a square."""
    aspect = SMALLEST_RECTANGLE_ASPECT * (_LARGEST_RECTANGLE_ASPECT / SMALLEST_RECTANGLE_ASPECT) ** rng.random()
    return draw_square(rng, aspect=aspect)


def _open_square(rng: random.Random) -> Drawing:
    """A square with a side missing (a U), or with 60% to 85% of one side left open (a C)."""
    hand = _people_hand(rng)
    corners = _box_corners(_people_square_aspect(rng), _clipped_gauss(_SKEW_SPREAD, 0.2, rng), 0.0, rng)
    missing = rng.randrange(4)  # the side from this corner to the next
    chain = [corners[(missing + step) % 4] for step in range(1, 5)]
    if rng.random() < 0.5:
        chain.reverse()
    open_part = 1.0 if rng.random() < 0.7 else rng.uniform(0.6, 0.85)
    # With part of the missing side drawn, the chain runs on along it and stops before its end.
    end = _along(chain[-1], _unit(chain[-1], chain[0]), (1 - open_part) * math.dist(chain[-1], chain[0]))
    if open_part < 1.0:
        chain.append(end)
    centre = _centre(corners)
    if rng.random() < 0.8:
        drawing = [_chain(chain, hand, rng, centre)]
    else:
        drawing = [_chain(chain[index : index + 2], hand, rng, centre) for index in range(len(chain) - 1)]
    return _finish(drawing, hand, 0.0 if hand.neat else _people_tilt(rng), rng)


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
        hand = _people_hand(rng)
        outline = _closed_outline(_polygon_corners(side_count, rng), hand, rng)
        return _finish(outline, hand, 0.0 if hand.neat else _people_tilt(rng), rng)

    draw.__doc__ = f"A roughly regular polygon of {side_count} sides, drawn as people draw."
    return draw


def _triangle(rng: random.Random) -> Drawing:
    """Equilateral, isosceles (tall or flat) or right-angled (the right angle in any direction)."""
    hand = _people_hand(rng)
    sort = rng.randrange(3)
    if sort == 0:
        corners = _polygon_corners(3, rng)
    elif sort == 1:
        corners = [(-0.5, 0.0), (0.5, 0.0), (rng.uniform(-0.15, 0.15), -rng.uniform(0.5, 1.5))]
    else:
        flip_x, flip_y = rng.choice((-1.0, 1.0)), rng.choice((-1.0, 1.0))
        corners = [(0.0, 0.0), (flip_x, 0.0), (0.0, flip_y * rng.uniform(0.6, 1.4))]
    outline = _closed_outline(corners, hand, rng)
    return _finish(outline, hand, 0.0 if hand.neat else _people_tilt(rng), rng)


def _stop_sign(rng: random.Random) -> Drawing:
    """An octagon standing on a side, often on a post, often with letters inside."""
    hand = _people_hand(rng)
    corners = [
        (math.cos(math.pi / 8 + index * math.pi / 4), math.sin(math.pi / 8 + index * math.pi / 4))
        for index in range(8)
    ]
    drawing = _closed_outline(corners, hand, rng)
    if rng.random() < 0.6:
        length = rng.uniform(0.8, 2.0)
        for offset in (-0.1, 0.1) if rng.random() < 0.5 else (0.0,):
            drawing.append(_traced([(offset, 0.95), (offset + rng.gauss(0, 0.03), 0.95 + length)]))
    if rng.random() < 0.5:
        drawing.extend(_letters(rng))
    return _finish(drawing, hand, 0.0 if hand.neat else _people_tilt(rng), rng)


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
            strokes.append(_ellipse_path(width / 2, height / 2, 0.0, 2 * math.pi, (x0 + width / 2, 0.0)))
        else:
            strokes.append(
                [(x0, y0 + height), (x0, y0), (x0 + width, y0 + height * 0.2), (x0, y0 + height * 0.45)]
            )
    return [_traced(stroke) for stroke in strokes]


def _ellipse_path(
    radius_x: float, radius_y: float, start: float, sweep: float, centre: Point = (0.0, 0.0),
    lumps: list[tuple[float, int, float]] | None = None,
) -> Stroke:
    """Points round an ellipse from angle ``start`` through ``sweep`` radians, made lumpy by ``lumps``.

    Each lump ``(amplitude, frequency, phase)`` scales the radius by
    ``1 + amplitude * sin(frequency * angle + phase)``: people's circles
    are not round.
    """
    steps = max(8, math.ceil(abs(sweep) * 16))  # within 0.1 of a unit of the curve at the collection's scale
    path = []
    for step in range(steps + 1):
        angle = start + sweep * step / steps
        scale = 1.0 + sum(amplitude * math.sin(frequency * angle + phase) for amplitude, frequency, phase in lumps or ())
        path.append((centre[0] + scale * radius_x * math.cos(angle), centre[1] + scale * radius_y * math.sin(angle)))
    return path


def _round_shape(aspect_low: float, aspect_high: float) -> Callable[[random.Random], Drawing]:
    def draw(rng: random.Random) -> Drawing:
        hand = _people_hand(rng)
        aspect = rng.uniform(aspect_low, aspect_high)
        radius_x, radius_y = (aspect, 1.0) if rng.random() < 0.5 else (1.0, aspect)
        lumps = [] if hand.neat else [(rng.uniform(0.0, 0.05), frequency, rng.uniform(0, 2 * math.pi)) for frequency in (2, 3, 4)]
        start = rng.uniform(0.0, 2 * math.pi)
        direction = rng.choice((-1.0, 1.0))
        gap, overshoot = (0.0, 0.0) if hand.neat else _people_closure(rng)
        # The gap and overshoot are fractions of the size (2 radii): an angle of 2 * fraction radians.
        sweep = direction * (2 * math.pi + 2 * (overshoot - gap))
        if rng.random() < 0.1:
            middle = start + sweep * rng.uniform(0.4, 0.6)
            drawing = [
                _ellipse_path(radius_x, radius_y, start, middle - start, lumps=lumps),
                _ellipse_path(radius_x, radius_y, middle - direction * 0.05, start + sweep - middle, lumps=lumps),
            ]
        else:
            drawing = [_ellipse_path(radius_x, radius_y, start, sweep, lumps=lumps)]
        return _finish(drawing, hand, 0.0 if hand.neat else _people_tilt(rng), rng)

    draw.__doc__ = f"An ellipse of aspect {aspect_low} to {aspect_high}, lumpy, rarely closed exactly."
    return draw


def _star(rng: random.Random) -> Drawing:
    """A five-pointed star in one stroke (crossing itself), an outline star, or two triangles."""
    hand = _people_hand(rng)
    sort = rng.random()
    if sort < 0.5:
        outer = _polygon_corners(5, rng, 0.06)
        drawing = _closed_outline([outer[(2 * index) % 5] for index in range(5)], hand, rng, strokes=1)
    elif sort < 0.85:
        points = rng.choice((5, 5, 5, 6))
        outer = _polygon_corners(points, rng, 0.05)
        inner_radius = rng.uniform(0.35, 0.55)
        corners = []
        for index, (x, y) in enumerate(outer):
            corners.append((x, y))
            angle = math.atan2(y, x) + math.pi / points
            corners.append((inner_radius * math.cos(angle), inner_radius * math.sin(angle)))
        drawing = _closed_outline(corners, hand, rng, strokes=rng.choice((1, 1, 1, 2)))
    else:
        up = _polygon_corners(3, rng, 0.05)
        down = [(x, -y) for x, y in up]
        drawing = _closed_outline(up, hand, rng, strokes=1) + _closed_outline(down, hand, rng, strokes=1)
    return _finish(drawing, hand, 0.0 if hand.neat else _people_tilt(rng), rng)


def _moon(rng: random.Random) -> Drawing:
    """A crescent: a long outer arc between two tips and a shallower inner arc back.

    The tips are at angles ``opening +- half_opening`` on the unit
    circle; the inner arc is on a circle through both tips, centred a
    distance ``d`` from the origin towards the opening, so the crescent
    is ``1 + d - r`` thick in the middle (``r`` that circle's radius).
    """
    hand = _people_hand(rng)
    opening = rng.uniform(0.0, 2 * math.pi)
    half_opening = math.radians(rng.uniform(35.0, 80.0))
    distance = rng.uniform(0.15, 0.9)
    centre = (distance * math.cos(opening), distance * math.sin(opening))
    tip_one = (math.cos(opening + half_opening), math.sin(opening + half_opening))
    tip_two = (math.cos(opening - half_opening), math.sin(opening - half_opening))
    radius = math.dist(centre, tip_one)
    outer = _ellipse_path(1.0, 1.0, opening + half_opening, 2 * math.pi - 2 * half_opening)
    angle_two = math.atan2(tip_two[1] - centre[1], tip_two[0] - centre[0])
    angle_one = math.atan2(tip_one[1] - centre[1], tip_one[0] - centre[0])
    # The inner arc goes from the second tip back to the first through the side away from the opening:
    # clockwise (a negative sweep), since counter-clockwise would pass the opening.
    sweep = -((angle_two - angle_one) % (2 * math.pi))
    inner = _ellipse_path(radius, radius, angle_two, sweep, centre)
    if rng.random() < 0.7:
        drawing = [outer + inner[1:]]
    else:
        drawing = [outer, inner]
    return _finish(drawing, hand, 0.0, rng)


def _arrow(rng: random.Random) -> Drawing:
    """A shaft and a head of two barbs (or a closed triangle), pointing any way."""
    hand = _people_hand(rng)
    tip = (1.0, 0.0)
    barb_angle = math.radians(rng.uniform(25.0, 45.0))
    barb_length = rng.uniform(0.2, 0.4)
    barbs = [
        (1.0 - barb_length * math.cos(barb_angle), side * barb_length * math.sin(barb_angle)) for side in (-1, 1)
    ]
    centre = (0.5, 0.0)
    shaft = _bowed_side((0.0, rng.gauss(0, 0.02)), tip, hand.side_bow(rng), centre)
    sort = rng.random()
    if sort < 0.4:
        drawing = [shaft + _chain([tip, barbs[0]], hand, rng, centre)[1:], _chain([barbs[1], tip], hand, rng, centre)]
    elif sort < 0.8:
        drawing = [shaft, _chain([barbs[0], tip, barbs[1]], hand, rng, centre)]
    else:
        drawing = [shaft] + _closed_outline([tip, barbs[0], barbs[1]], hand, rng, strokes=1)
    return _finish(drawing, hand, rng.uniform(0.0, 360.0), rng)


def _line(rng: random.Random) -> Drawing:
    """A line, nearly straight, at any angle."""
    hand = _people_hand(rng)
    return _finish([_bowed_side((0.0, 0.0), (1.0, 0.0), hand.side_bow(rng), (0.5, 1.0))], hand, rng.uniform(0.0, 180.0), rng)


def _zigzag(rng: random.Random) -> Drawing:
    """Three to eight straight strokes back and forth, in one stroke, along any direction."""
    hand = _people_hand(rng)
    count = rng.randint(3, 8)
    height = rng.uniform(0.2, 0.8)
    corners = [(index / count, (index % 2) * height + rng.gauss(0, 0.04)) for index in range(count + 1)]
    return _finish([_chain(corners, hand, rng, (0.5, -1.0))], hand, rng.uniform(0.0, 180.0), rng)


def _scribble(rng: random.Random) -> Drawing:
    """A squiggle: a smooth line wandering from point to point; it may loop and cross itself."""
    hand = _people_hand(rng)
    heading = rng.uniform(0.0, 2 * math.pi)
    controls = [(0.0, 0.0)]
    for _ in range(rng.randint(5, 9)):
        # Turning less than about 140 degrees at a time keeps the line flowing round
        # in curves and loops, rather than doubling back into sharp hairpins.
        heading += rng.uniform(-2.5, 2.5)
        length = rng.uniform(0.4, 1.0)
        controls.append(_along(controls[-1], (math.cos(heading), math.sin(heading)), length))
    return _finish([_smooth_curve(controls)], hand, 0.0, rng)


def _catmull_rom(before: float, start: float, end: float, after: float, t: float) -> float:
    """One coordinate of the Catmull-Rom span from ``start`` to ``end`` at ``t`` (0 to 1).

    The cubic leaves ``start`` heading the way from ``before`` to
    ``end`` and arrives at ``end`` heading the way from ``start`` to
    ``after``, so neighbouring spans join without a kink.
    """
    return 0.5 * (
        2 * start
        + (end - before) * t
        + (2 * before - 5 * start + 4 * end - after) * t**2
        + (3 * start - before - 3 * end + after) * t**3
    )


def _smooth_curve(controls: list[Point], points_per_span: int = 40) -> Stroke:
    """A smooth curve through every control point, made of Catmull-Rom spans."""
    padded = [controls[0], *controls, controls[-1]]  # the end spans lean on their own ends
    curve = [controls[0]]
    for before, start, end, after in zip(padded, padded[1:], padded[2:], padded[3:]):
        for step in range(1, points_per_span + 1):
            t = step / points_per_span
            curve.append(
                (
                    _catmull_rom(before[0], start[0], end[0], after[0], t),
                    _catmull_rom(before[1], start[1], end[1], after[1], t),
                )
            )
    return curve


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


# --- Wobble, tilt, the collection's simplification, placing on the canvas -------------------


def _wobbled(path: Stroke, amplitude: float, size: float, rng: random.Random) -> Stroke:
    """``path`` drifting slowly sideways, as an unsteady hand does: two sinusoids per axis.

    Each wave is 0.4 to 2 sizes long, so sides bow gently instead of
    shaking; a faint tremor (up to 0.3% of the size) is added at every point.
    """
    waves = [
        (amplitude * size * rng.uniform(0.3, 1.0), 2 * math.pi / (size * rng.uniform(0.4, 2.0)), rng.uniform(0, 6.3))
        for _ in range(4)
    ]
    (ax, fx, px), (bx, gx, qx), (ay, fy, py), (by, gy, qy) = waves
    tremor = 0.006 * size  # uniform in -0.003..0.003 sizes: cheaper than a Gaussian, and as faint
    wobbled = []
    travelled = 0.0
    previous = path[0]
    for point in path:
        travelled += math.dist(previous, point)
        previous = point
        wobbled.append(
            (
                point[0] + ax * math.sin(fx * travelled + px) + bx * math.sin(gx * travelled + qx) + (rng.random() - 0.5) * tremor,
                point[1] + ay * math.sin(fy * travelled + py) + by * math.sin(gy * travelled + qy) + (rng.random() - 0.5) * tremor,
            )
        )
    return wobbled


def _to_collection(strokes: Drawing) -> Drawing:
    """Scaled so that the longer side spans 0..255 and rounded to whole units, as the collection stores drawings."""
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    left, top = min(xs), min(ys)
    scale = COLLECTION_SIDE / max(max(xs) - left, max(ys) - top)
    return [[(round((x - left) * scale), round((y - top) * scale)) for x, y in stroke] for stroke in strokes]


def _simplified_to(strokes: Drawing, points: int) -> Drawing:
    """The strokes simplified with the epsilon that leaves ``points`` points in all (or as close as can be).

    The count falls as epsilon grows, so bisection finds the smallest
    epsilon that leaves at most ``points``.
    """
    low, high = 0.0, COLLECTION_SIDE
    best = [simplify_points(stroke, high) for stroke in strokes]
    for _ in range(30):
        middle = (low + high) / 2
        candidate = [simplify_points(stroke, middle) for stroke in strokes]
        if sum(map(len, candidate)) <= points:
            best, high = candidate, middle
        else:
            low = middle
    return best


def _finish(strokes: Drawing, hand: _Hand, tilt: float, rng: random.Random, points: int | None = None) -> Drawing:
    """Wobble, tilt by ``tilt`` degrees, simplify as the collection does, and place on the canvas."""
    size = _extent([point for stroke in strokes for point in stroke])
    traced = [_traced(stroke, _TRACE_STEP * size) for stroke in strokes]
    if not hand.neat:
        traced = [_wobbled(stroke, hand.wobble, size, rng) for stroke in traced]
    angle = math.radians(tilt)
    cosine, sine = math.cos(angle), math.sin(angle)
    turned = [[(x * cosine - y * sine, x * sine + y * cosine) for x, y in stroke] for stroke in traced]
    collected = _to_collection(turned)
    if points is None:
        simplified = [simplify_points(stroke, SIMPLIFY_EPSILON) for stroke in collected]
    else:
        simplified = _simplified_to(collected, points)
    canvas_size = CANVAS_SIZE * rng.uniform(_SMALLEST_SHAPE, _LARGEST_SHAPE)
    room = CANVAS_SIZE - canvas_size
    left, top = rng.uniform(0.0, room), rng.uniform(0.0, room)
    scale = canvas_size / COLLECTION_SIDE
    return [[(left + x * scale, top + y * scale) for x, y in stroke] for stroke in simplified]


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
