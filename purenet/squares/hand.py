"""How people draw: the hand that every kind of drawing goes through.

A kind of drawing (``purenet/squares/shapes.py``) decides *what* is
drawn: the corners of a box or a star, the arc of a moon.  This module
decides *how*: the facts measured on people's drawings, the habits of
one person's hand, the pen paths that hand traces through the corners,
and the finishing that makes of them a drawing as the public Quick,
Draw! collection stores it.  A drawing is a list of strokes, each stroke
a list of ``(x, y)`` points, ``y`` growing downwards as on a screen.

How people draw (facts measured on about 400 public doodles, issue 9)
---------------------------------------------------------------------
The numbers below are module constants, and tests/test_shapes.py checks
that the generated squares show them:

- strokes: 73% one stroke, 13% two, 7% three, 4% four, 3% five or more
  (:data:`STROKE_COUNT_SHARES`): tick marks, shading, a doubled outline.
  The strokes beyond the outline go over a side again or tick it; shading
  (:func:`hatching`) is drawn only when asked for (``closed_outline``'s
  ``shading``): learning from it was tried and not kept (docs/squares.md,
  section 9);
- points: every stroke is simplified by Ramer-Douglas-Peucker with
  epsilon 2 after the drawing's longer side is scaled to 0..255
  (``polyline.simplify``), so a drawing has 12 to 23 points (median 16);
- aspect of the bounding box: 36% within 1.1, 61% within 1.2, 78%
  within 1.3, 86% within 1.4, 90% within 1.5 (:data:`SQUARE_ASPECT_SHARES`);
- a one-stroke square rarely closes: start and end are a median 7% of
  the size apart, 18% at the 90th percentile; others run past the start;
- tilt: a median 2.4 degrees, 12 at the 90th percentile; sides bow,
  corners are rounded or looped, many squares are slight trapezoids or
  parallelograms.  How far and how often sides bow, the facts do not say:
  every side bows a little, and one hand in ten (:data:`BULGING_SHARE`,
  our choice) bulges every side outwards by 3% to 10% of its length.

How a drawing is made
---------------------
1. The kind's function sets out the corners (or curve) in a box about
   1 unit across, takes a :func:`people_hand` and asks it for the *pen
   paths* it follows through them (:func:`closed_outline`,
   :func:`pen_path`, :func:`bowed_side`): how many strokes, where each
   starts and stops, rounded, looped or overshot corners, bowed sides,
   the gap or crossing where a stroke closes.
2. :func:`finish` traces every path densely and gives it the hand's slow
   wobble (a few sinusoids along the stroke) and a faint tremor, then
   turns it by the drawing's tilt.
3. As in the public collection, the drawing is scaled so that its
   longer side spans 0..255, rounded to whole units and each stroke is
   simplified with ``polyline.simplify`` (epsilon 2): what is left is a
   few-point polyline.
4. It is placed on a 100 x 100 canvas at a random size (30-90% of the
   canvas) and position.

One drawing in twenty (:data:`NEAT_SHARE`) is drawn neatly: straight sides,
sharp corners, no wobble, no tilt, as with a ruler.

Everything random comes from the ``random.Random`` passed in, so a seed
gives the same drawings on every run and the global random state is
never touched.
"""

import bisect
import math
import random
import types
from dataclasses import dataclass

from .polyline import simplify_points
from .quickdraw import SIMPLIFIED_SIDE, SIMPLIFY_EPSILON

__all__ = [
    "ANY_TILT_SHARE",
    "BULGING_SHARE",
    "CANVAS_SIZE",
    "COLLECTION_SIDE",
    "Drawing",
    "Hand",
    "NEAT_SHARE",
    "Point",
    "SQUARE_ASPECT_SHARES",
    "STROKE_COUNT_SHARES",
    "Stroke",
    "bowed_side",
    "centroid",
    "closed_outline",
    "ellipse_path",
    "finish",
    "hatching",
    "pen_path",
    "people_closure",
    "people_hand",
    "people_skew",
    "people_square_aspect",
    "people_tilt",
    "everyday_tilt",
    "point_along",
    "smooth_curve",
    "traced_path",
    "unit_direction",
]

# A point is (x, y) with y growing downwards; a stroke, the pen's path from touching the page to
# lifting off it; a drawing, its strokes in the order drawn.
Point = tuple[float, float]
Stroke = list[Point]
Drawing = list[Stroke]

CANVAS_SIZE = 100.0
"""The side of the square canvas a finished drawing is placed on."""
COLLECTION_SIDE = float(SIMPLIFIED_SIDE)
"""The public collection scales a drawing so that its longer side spans 0..255 before simplifying
(``quickdraw.SIMPLIFIED_SIDE``); simplified then with ``quickdraw.SIMPLIFY_EPSILON``."""

STROKE_COUNT_SHARES = types.MappingProxyType({1: 0.73, 2: 0.13, 3: 0.07, 4: 0.04, 5: 0.03})
"""Share of people's squares drawn in 1, 2, 3, 4 and 5 or more strokes."""

SQUARE_ASPECT_SHARES = ((1.0, 0.0), (1.1, 0.36), (1.2, 0.61), (1.3, 0.78), (1.4, 0.86), (1.5, 0.90))
"""(aspect, share of people's squares whose bounding box is within that aspect)."""

NEAT_SHARE = 0.05
"""The share of drawings drawn neatly: straight sides, sharp corners, no wobble and no tilt."""
ANY_TILT_SHARE = 0.06
"""The share of drawings turned by any angle at all (a diamond is a square), beyond people's small tilts."""
BULGING_SHARE = 0.1
"""The share of hands whose sides all bulge outwards, by 3% to 10% of their length: a pen swung round
the shape rather than steered along each side.  The facts say "sides bow" without a share or a size;
these are our choice (docs/squares.md, section 6)."""
# A circle bulges by about a fifth of the side of the square inside it ((1 - cos 45deg) / (2 sin 45deg)
# = 0.21): a tenth is halfway there, with corners still turning by about 55 degrees.
_LARGEST_BULGE = 0.1

# The turn given to a drawing is log-normal.  People's longest sides lie a median 2.4 degrees off
# the axes, 12 at the 90th percentile, but skew, taper and wobble turn sides too, so the turn
# itself is smaller: a median of 1.5 and 9 at the 90th percentile, which gives sigma =
# ln(9 / 1.5) / z(0.9) (z(0.9) = 1.2816, the standard normal's 90th percentile) and measured
# sides as people's (tests/test_shapes.py::test_squares_are_tilted_as_people_tilt_them).
_TILT_MEDIAN_DEGREES = 1.5
_TILT_SPREAD = math.log(9.0 / 1.5) / 1.2816
_SKEW_SPREAD = 0.03  # standard deviation of the shear and of the taper of a box
_LARGEST_SKEW = 0.2  # beyond this a box's shear or taper is cut off
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


def people_tilt(rng: random.Random, symmetry_degrees: float = 360.0) -> float:
    """A tilt in degrees: people's (median 2.4, 90th percentile 12), or now and then any angle at all.

    ``symmetry_degrees`` is the turn that maps the shape onto itself
    (90 for a square), so "any angle" need not go further.
    """
    if rng.random() < ANY_TILT_SHARE:
        return rng.uniform(0.0, symmetry_degrees)
    return everyday_tilt(rng)


def everyday_tilt(rng: random.Random) -> float:
    """The small turn a hand gives a shape it means to draw upright, in degrees, either way (up to 45).

    Log-normal: a median of 1.5 degrees and 9 at the 90th percentile
    (the sides of the drawing end up a median 2.4 off the axes, 12 at the
    90th percentile, once skew, taper and wobble are added).  The tilt of
    :func:`people_tilt` without its share of any angle at all.  Training
    turns each upright drawing by one (``purenet/squares/recipe.py``).
    """
    return rng.choice((-1.0, 1.0)) * min(45.0, _log_normal(_TILT_MEDIAN_DEGREES, _TILT_SPREAD, rng))


def people_square_aspect(rng: random.Random) -> float:
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


def people_closure(rng: random.Random) -> tuple[float, float]:
    """(gap, overshoot) where a one-stroke shape closes, as fractions of its size; one of them is 0."""
    distance = min(_LARGEST_GAP, _log_normal(_GAP_MEDIAN, _GAP_SPREAD, rng))
    return (0.0, distance) if rng.random() < _OVERSHOOT_SHARE else (distance, 0.0)


def people_skew(rng: random.Random) -> float:
    """A box's shear or taper as people draw them: Gaussian of spread 0.03, kept within -0.2..0.2.

    Many people's squares are slight parallelograms or trapezoids;
    ``purenet/squares/shapes.py`` turns this number into either.
    """
    return max(-_LARGEST_SKEW, min(_LARGEST_SKEW, rng.gauss(0.0, _SKEW_SPREAD)))


@dataclass
class Hand:
    """How one person draws one drawing: the habits that are the same at every corner and side.

    ``rounding`` is each corner's radius as a fraction of the shorter
    side beside it (``None``: drawn per corner around ``roundness``);
    ``bow`` each side's bulge as a fraction of its length (``None``:
    drawn per side around ``bow_mean``, spread ``bow_spread``); ``wobble``
    the amplitude of the slow drift, as a fraction of the shape's size.
    """

    neat: bool
    rounding: float | None
    roundness: float
    bow: float | None
    bow_spread: float
    bow_mean: float
    wobble: float
    loop_share: float
    corner_overshoot_share: float

    def corner_radius(self, rng: random.Random) -> float:
        """One corner's radius, as a fraction of the shorter side beside it."""
        if self.rounding is not None:
            return self.rounding
        return self.roundness * rng.uniform(0.7, 1.3)

    def side_bow(self, rng: random.Random) -> float:
        """One side's bulge, as a fraction of its length (below 0: caving in)."""
        if self.bow is not None:
            return self.bow
        return rng.gauss(self.bow_mean, self.bow_spread)


def people_hand(rng: random.Random, neat: bool | None = None, bulging: bool = True) -> Hand:
    """A person's hand: most corners a little rounded, a few looped, sides bowing by about 2%.

    One hand in :data:`BULGING_SHARE` swings round every side, so that all
    of them bulge outwards together, by 3% to 10% of their length; with
    ``bulging=False`` (a line, an arrow, a rectangle, a star) none does.
    """
    if neat is None:
        neat = rng.random() < NEAT_SHARE
    if neat:
        return Hand(True, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0)
    style = rng.random()
    if style < 0.45:
        roundness = rng.uniform(0.0, 0.02)  # sharp corners
    elif style < 0.85:
        roundness = rng.uniform(0.02, 0.1)  # slightly rounded
    else:
        roundness = rng.uniform(0.1, 0.2)  # clearly rounded, yet with straight sides left between
    return Hand(
        neat=False,
        rounding=None,
        roundness=roundness,
        bow=None,
        bow_spread=rng.uniform(0.005, 0.03),
        bow_mean=rng.uniform(0.03, _LARGEST_BULGE) if bulging and rng.random() < BULGING_SHARE else 0.0,
        wobble=rng.uniform(0.006, 0.014),
        loop_share=0.05,
        corner_overshoot_share=0.1,
    )


# --- Pen paths: the hand's strokes through a shape's corners ------------------------


def unit_direction(start: Point, end: Point) -> Point:
    """The unit vector from ``start`` towards ``end`` (along x when the two are the same point)."""
    length = math.dist(start, end)
    return ((end[0] - start[0]) / length, (end[1] - start[1]) / length) if length else (1.0, 0.0)


def point_along(point: Point, direction: Point, distance: float) -> Point:
    """The point ``distance`` from ``point`` along ``direction`` (a unit vector; back along it below 0)."""
    return (point[0] + distance * direction[0], point[1] + distance * direction[1])


def traced_path(waypoints: list[Point], step: float = _TRACE_STEP) -> Stroke:
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


def bowed_side(start: Point, end: Point, bow: float, outward: Point) -> Stroke:
    """The side from ``start`` to ``end`` bulging by ``bow`` times its length at the middle.

    The bulge is ``bow * length * sin(pi t)`` along the normal that
    points away from ``outward`` (the shape's centre), so a positive bow
    bulges out and a negative one caves in.
    """
    length = math.dist(start, end)
    direction = unit_direction(start, end)
    normal = (-direction[1], direction[0])
    middle = ((start[0] + end[0]) / 2, (start[1] + end[1]) / 2)
    if (middle[0] - outward[0]) * normal[0] + (middle[1] - outward[1]) * normal[1] < 0:
        normal = (-normal[0], -normal[1])
    pieces = max(2, math.ceil(length / _TRACE_STEP))
    return [
        point_along(
            (start[0] + (end[0] - start[0]) * piece / pieces, start[1] + (end[1] - start[1]) * piece / pieces),
            normal,
            bow * length * math.sin(math.pi * piece / pieces),
        )
        for piece in range(pieces + 1)
    ]


def _corner(previous: Point, corner: Point, following: Point, hand: Hand, rng: random.Random) -> tuple[
    list[Point], Point, Point
]:
    """How the pen turns at ``corner``: returns (the turn's points, where it arrives, where it leaves).

    Rounded: a quadratic Bezier curve from a point ``r`` before the
    corner to a point ``r`` after it, bent towards the corner.  Looped:
    the pen runs past the corner, swings round outside it and crosses
    back.  Overshot: the pen runs past the corner and comes straight
    back.  Sharp: the corner itself.
    """
    incoming, outgoing = unit_direction(previous, corner), unit_direction(corner, following)
    shorter = min(math.dist(previous, corner), math.dist(corner, following))
    habit = rng.random()
    if habit < hand.loop_share:
        reach = rng.uniform(0.03, 0.07) * shorter
        past = point_along(corner, incoming, reach)
        turn = [past, point_along(past, outgoing, -reach), point_along(corner, outgoing, -reach), corner]
        return turn, past, corner
    if habit < hand.loop_share + hand.corner_overshoot_share:
        past = point_along(corner, incoming, rng.uniform(0.02, 0.06) * shorter)
        return [past, corner], past, corner
    radius = min(0.5, hand.corner_radius(rng)) * shorter
    if radius <= 0.0:
        return [corner], corner, corner
    entry, leave = point_along(corner, incoming, -radius), point_along(corner, outgoing, radius)
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


def pen_path(corners: list[Point], hand: Hand, rng: random.Random, centre: Point) -> Stroke:
    """One pen path along ``corners``: turns at every inner corner, bowed sides between them."""
    turns = [([corners[0]], corners[0], corners[0])]
    for previous, corner, following in zip(corners, corners[1:], corners[2:]):
        turns.append(_corner(previous, corner, following, hand, rng))
    turns.append(([corners[-1]], corners[-1], corners[-1]))
    path: Stroke = list(turns[0][0])
    for (_, _, leave), (turn, arrive, _) in zip(turns, turns[1:]):
        path.extend(bowed_side(leave, arrive, hand.side_bow(rng), centre)[1:])
        path.extend(turn[1:])
    return path


def _slipped(corner: Point, neighbour: Point, size: float, rng: random.Random, spread: float = 0.025) -> Point:
    """Where a stroke really ends near ``corner``: a little short of it or past it, a little aside."""
    direction = unit_direction(neighbour, corner)
    aside = (-direction[1], direction[0])
    return point_along(
        point_along(corner, direction, rng.gauss(0.0, spread) * size), aside, rng.gauss(0.0, spread / 2) * size
    )


def centroid(points: list[Point]) -> Point:
    """The mean of ``points``: the shape's centre, which sides bow away from."""
    return (sum(x for x, _ in points) / len(points), sum(y for _, y in points) / len(points))


def _extent(points: list[Point]) -> float:
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def closed_outline(
    corners: list[Point],
    hand: Hand,
    rng: random.Random,
    strokes: int | None = None,
    closure: tuple[float, float] | None = None,
    shading: int = 0,
) -> Drawing:
    """The pen paths round a closed polygon, drawn from a random corner, either way round.

    ``strokes`` (people's count when None) splits the sides into that
    many runs of consecutive sides; beyond one stroke per side, the extra
    strokes go over a side again or add a tick mark.  ``shading`` adds
    that many :func:`hatching` strokes across the inside.  Where the pen
    comes back to the first corner, it stops ``gap`` short of the
    start or runs ``overshoot`` past it along the first side (fractions of
    the shape's size; people's when ``closure`` is None).  Every other
    stroke end slips a little off its corner.
    """
    size = _extent(corners)
    centre = centroid(corners)
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
        gap, overshoot = people_closure(rng)
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
            beyond = unit_direction(closed[0], closed[1])
            aside = (-beyond[1], beyond[0])
            chain = chain + [
                point_along(point_along(closed[0], beyond, overshoot * size), aside, rng.gauss(0.0, 0.02) * size)
            ]
        path = pen_path(chain, hand, rng, centre)
        if not hand.neat:
            begin = _slipped(chain[0], chain[1], size, rng, 0.01 if number == 0 else 0.025)
            path[0] = begin
        if is_last and overshoot == 0:
            start_point = drawing[0][0] if drawing else path[0]
            if gap > 0:
                # Stop short: the end is `gap` from where the stroke began, back along the last side.
                back = unit_direction(closed[0], chain[-2])
                turn = math.radians(rng.uniform(-25.0, 25.0))
                direction = (
                    back[0] * math.cos(turn) - back[1] * math.sin(turn),
                    back[0] * math.sin(turn) + back[1] * math.cos(turn),
                )
                end = point_along(start_point, direction, gap * size)
                path = _cut_at(path, end)
            elif runs == 1:
                path[-1] = start_point
        elif not hand.neat and not (is_last and overshoot > 0):
            path[-1] = _slipped(chain[-1], chain[-2], size, rng)
        drawing.append(path)
    for _ in range(count - runs):
        drawing.append(_extra_stroke(loop, hand, rng, centre, size))
    return drawing + hatching(corners, shading, rng)


def hatching(corners: list[Point], lines: int, rng: random.Random) -> Drawing:
    """``lines`` parallel strokes across the inside of the polygon ``corners``: shading, as people add it.

    The lines run at one angle drawn from ``rng``, evenly spaced (give or
    take 2% of the size) from a tenth to nine tenths of the way across the
    shape.  Each is cut where it crosses the outline (even-odd, so a star's
    points are shaded apart), and each end moves in or out by up to 5% of
    the size: a hand shading fast stops short of the outline or runs over.
    """
    if lines == 0:
        return []  # before any draw from rng: an unshaded drawing is drawn exactly as it was before shading existed
    size = _extent(corners)
    angle = rng.uniform(0.0, math.pi)
    along, across = (math.cos(angle), math.sin(angle)), (-math.sin(angle), math.cos(angle))
    heights = [x * across[0] + y * across[1] for x, y in corners]
    low, high = min(heights), max(heights)
    strokes: Drawing = []
    for line in range(lines):
        height = low + (high - low) * (0.1 + 0.8 * (line + 1) / (lines + 1)) + rng.gauss(0.0, 0.02) * size
        base = (across[0] * height, across[1] * height)  # the line's point at distance 0 along it
        crossings = _crossings(corners, heights, height, along)
        for start, end in zip(crossings[::2], crossings[1::2]):
            start += rng.uniform(-0.05, 0.05) * size
            end += rng.uniform(-0.05, 0.05) * size
            if end > start:
                strokes.append([point_along(base, along, start), point_along(base, along, end)])
    return strokes


def _crossings(corners: list[Point], heights: list[float], height: float, along: Point) -> list[float]:
    """Where the line of points at ``height`` across crosses the polygon's sides, as distances along it, sorted."""
    crossings = []
    for index, (first, second) in enumerate(zip(heights, heights[1:] + heights[:1])):
        if (first > height) != (second > height):  # the side's ends lie on either side of the line
            a, b = corners[index], corners[(index + 1) % len(corners)]
            fraction = (height - first) / (second - first)
            point = (a[0] + (b[0] - a[0]) * fraction, a[1] + (b[1] - a[1]) * fraction)
            crossings.append(point[0] * along[0] + point[1] * along[1])
    return sorted(crossings)


def _cut_at(path: Stroke, end: Point) -> Stroke:
    """``path`` up to its point nearest to ``end``, then ``end``: the pen lifts there."""
    nearest = min(range(len(path) // 2, len(path)), key=lambda index: math.dist(path[index], end))
    return path[: max(1, nearest)] + [end]


def _extra_stroke(corners: list[Point], hand: Hand, rng: random.Random, centre: Point, size: float) -> Stroke:
    """A fifth (sixth, ...) stroke: a side gone over again, or a short tick mark across a side."""
    side = rng.randrange(len(corners))
    start, end = corners[side], corners[(side + 1) % len(corners)]
    if rng.random() < 0.6:
        return bowed_side(
            _slipped(start, end, size, rng, 0.04), _slipped(end, start, size, rng, 0.04), hand.side_bow(rng), centre
        )
    middle = rng.uniform(0.2, 0.8)
    point = (start[0] + (end[0] - start[0]) * middle, start[1] + (end[1] - start[1]) * middle)
    direction = unit_direction(start, end)
    across = (-direction[1], direction[0])
    reach = rng.uniform(0.04, 0.1) * size
    return [point_along(point, across, -reach), point_along(point, across, reach)]


# --- Curved pen paths ----------------------------------------------------------------


def ellipse_path(
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


def smooth_curve(controls: list[Point], points_per_span: int = 40) -> Stroke:
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


# --- Finishing: wobble, tilt, the collection's simplification, placing on the canvas ---------


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


def finish(strokes: Drawing, hand: Hand, tilt: float, rng: random.Random, points: int | None = None) -> Drawing:
    """Wobble, tilt by ``tilt`` degrees, simplify as the collection does, and place on the canvas."""
    size = _extent([point for stroke in strokes for point in stroke])
    traced = [traced_path(stroke, _TRACE_STEP * size) for stroke in strokes]
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
