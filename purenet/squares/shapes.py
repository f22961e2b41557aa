"""Shapes that look hand-drawn: a seeded generator of labelled drawings.

The question this data set teaches a network to answer is "is this
drawing a square?".  A drawing is what a browser canvas records while
someone draws with a mouse: a list of strokes, each stroke a list of
``(x, y)`` points.  Here the canvas is 100 x 100 units and ``y`` grows
downwards, as on a screen.

Labels
------
:data:`KINDS` maps every kind of drawing to its label: 1 for
``"square"``, 0 for everything else.  Several negatives are chosen to be
hard: a rectangle is a square that is too long (aspect 1.4 to 3), an
open square is a square with one side missing, and circles and right
triangles fill a square bounding box just like a square.  Some positives
are hard too: a square stays a square when it is turned by up to 10
degrees, when its corners are rounded or overshot, and when the pen
stops a little short of where it started.

How a drawing is made
---------------------
1. Each kind has a short function that returns its *ideal pen paths*:
   the polylines a very steady hand would follow, in any units.  The
   habits of a hand that depend on the shape are already there: strokes
   that stop short of a corner or run past it, rounded or overshot
   corners, circles that do not quite close, a square drawn in one,
   two or four strokes.
2. :func:`sample` fits those paths in a 1 x 1 box, turns them by up to
   10 degrees, scales them to 30-90% of the canvas and moves them to a
   random place.
3. Each stroke is then resampled the way a mouse reports its position:
   a point every few canvas units, a little irregularly.
4. Finally the hand's wobble is added: a slow, smooth drift (a sum of a
   few sinusoids along the stroke, 1-3% of the shape's size) and a
   faint tremor at every point.

One drawing in five (``NEAT_SHARE``) is drawn neatly instead: not turned
in step 2 and without the wobble of step 4, as with a careful hand or a
ruler, so that a perfectly straight square is a square too.

Everything random comes from the ``random.Random`` passed in, so a seed
gives the same drawings on every run and the global random state is
never touched.  :func:`dataset` turns the drawings into the vectors a
network reads, with :func:`purenet.drawing.prepare`.
"""

import math
import random
import types
from collections.abc import Callable

from .drawing import prepare

__all__ = ["CANVAS_SIZE", "KINDS", "NEAT_SHARE", "sample", "labelled_drawings", "dataset"]

Point = tuple[float, float]
Stroke = list[Point]
Drawing = list[Stroke]

KINDS = types.MappingProxyType(
    {
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
)
"""Every kind of drawing and its label: 1 for a square, 0 otherwise."""

CANVAS_SIZE = 100.0
_SMALLEST_SHAPE = 0.3  # fractions of the canvas taken by the shape's longer side
_LARGEST_SHAPE = 0.9
_LARGEST_TILT = math.radians(10.0)
# Canvas units between two mouse positions: a mouse reports its position
# many times a second, so a moving hand leaves a point every few units.
NEAT_SHARE = 0.2  # the share of drawings made neatly: no tilt, no drift, no tremor
_SHORTEST_MOUSE_STEP = 2.0
_LONGEST_MOUSE_STEP = 3.5


# --- Small geometry helpers -----------------------------------------------


def _moved(point: Point, reference: Point, distance: float) -> Point:
    """``point`` moved ``distance`` further away from ``reference``.

    A negative ``distance`` moves it towards ``reference`` instead.
    """
    length = math.dist(reference, point)
    return (
        point[0] + distance * (point[0] - reference[0]) / length,
        point[1] + distance * (point[1] - reference[1]) / length,
    )


def _quadratic_bezier(start: Point, control: Point, end: Point, t: float) -> Point:
    """The point at ``t`` (0 to 1) on the curve from ``start`` to ``end`` bent towards ``control``.

    Used to round a corner: the curve leaves one side and joins the
    next, cutting the corner ``control`` by a little.
    """
    return (
        (1 - t) ** 2 * start[0] + 2 * (1 - t) * t * control[0] + t**2 * end[0],
        (1 - t) ** 2 * start[1] + 2 * (1 - t) * t * control[1] + t**2 * end[1],
    )


def _catmull_rom(before: float, start: float, end: float, after: float, t: float) -> float:
    """One coordinate of the Catmull-Rom span from ``start`` to ``end``, at ``t`` (0 to 1).

    The span is a cubic that leaves ``start`` heading the way from
    ``before`` to ``end``, and arrives at ``end`` heading the way from
    ``start`` to ``after``: neighbouring spans therefore join without a
    kink.
    """
    return 0.5 * (
        2 * start
        + (end - before) * t
        + (2 * before - 5 * start + 4 * end - after) * t**2
        + (3 * start - before - 3 * end + after) * t**3
    )


def _smooth_curve(controls: list[Point], points_per_span: int = 8) -> Stroke:
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


# --- Habits of the hand that depend on the shape ---------------------------


def _stroke_end(corner: Point, neighbour: Point, rng: random.Random) -> Point:
    """Where the pen really starts or stops near ``corner``.

    People rarely land exactly on a corner: the stroke stops a little
    short of it or runs a little past it, along the side it is drawing.
    That is also what leaves small gaps and crossings where a shape
    closes.
    """
    slip = rng.uniform(-0.06, 0.05) * math.dist(corner, neighbour)
    return _moved(corner, neighbour, slip)


def _turn(previous: Point, corner: Point, following: Point, rng: random.Random) -> Stroke:
    """The path of the pen round one corner: slightly rounded, or overshot."""
    shorter_side = min(math.dist(previous, corner), math.dist(corner, following))
    if rng.random() < 0.25:
        # A fast hand runs past the corner before it changes direction,
        # then cuts back to the next side.
        overshoot = rng.uniform(0.02, 0.06) * shorter_side
        return [_moved(corner, previous, overshoot), _moved(corner, following, -overshoot)]
    # Otherwise the hand starts turning a little before the corner.
    radius = rng.uniform(0.0, 0.12) * shorter_side
    entry = _moved(corner, previous, -radius)
    exit_ = _moved(corner, following, -radius)
    return [_quadratic_bezier(entry, corner, exit_, step / 4) for step in range(5)]


def _pen_path(corners: list[Point], rng: random.Random) -> Stroke:
    """The path of one stroke along a chain of corners, as a hand draws it."""
    path = [_stroke_end(corners[0], corners[1], rng)]
    for previous, corner, following in zip(corners, corners[1:], corners[2:]):
        path.extend(_turn(previous, corner, following, rng))
    path.append(_stroke_end(corners[-1], corners[-2], rng))
    return path


def _stroke_breaks(side_count: int, rng: random.Random) -> list[tuple[int, int]]:
    """Split the sides of a closed polygon into strokes: (first, last) corner of each.

    Most people draw a polygon in one go; some lift the pen once, some
    draw each side on its own.
    """
    choice = rng.random()
    if choice < 0.6:
        breaks = []
    elif choice < 0.8:
        breaks = [rng.randrange(1, side_count)]
    else:
        breaks = list(range(1, side_count))
    bounds = [0, *breaks, side_count]
    return list(zip(bounds, bounds[1:]))


def _closed_polygon(corners: list[Point], rng: random.Random) -> Drawing:
    """Ideal pen paths round a closed polygon, from any corner, either way round."""
    start = rng.randrange(len(corners))
    loop = corners[start:] + corners[:start]
    if rng.random() < 0.5:
        loop = [loop[0], *reversed(loop[1:])]
    loop.append(loop[0])
    return [
        _pen_path(loop[first : last + 1], rng) for first, last in _stroke_breaks(len(corners), rng)
    ]


def _closed_curve(radius_x: float, radius_y: float, rng: random.Random) -> Drawing:
    """The ideal pen path round an ellipse, which rarely ends where it began."""
    start = rng.uniform(0.0, 2 * math.pi)
    direction = rng.choice((-1.0, 1.0))
    sweep = 2 * math.pi * (1 + rng.uniform(-0.03, 0.08))
    point_count = 48  # dense enough to look round; the mouse trace resamples it
    angles = (start + direction * sweep * step / point_count for step in range(point_count + 1))
    return [[(radius_x * math.cos(angle), radius_y * math.sin(angle)) for angle in angles]]


# --- Corner sets ------------------------------------------------------------


def _box_corners(width: float, height: float) -> list[Point]:
    """Corners of a box centred on the origin, clockwise from the top left."""
    return [
        (-width / 2, -height / 2),
        (width / 2, -height / 2),
        (width / 2, height / 2),
        (-width / 2, height / 2),
    ]


def _square_corners(rng: random.Random) -> list[Point]:
    """A box whose sides differ by at most 15%: what people draw as a square."""
    return _box_corners(1.0, rng.uniform(0.85, 1.15))


def _regular_polygon_corners(side_count: int, rng: random.Random) -> list[Point]:
    """Corners of a roughly regular polygon, standing on a corner or on a side.

    Nobody spaces corners evenly by hand, so each is nudged a little in
    angle and in distance from the centre.
    """
    start = -math.pi / 2 + rng.choice((0.0, math.pi / side_count))
    corners = []
    for index in range(side_count):
        angle = start + 2 * math.pi * index / side_count + rng.uniform(-0.1, 0.1)
        radius = rng.uniform(0.9, 1.1)
        corners.append((radius * math.cos(angle), radius * math.sin(angle)))
    return corners


def _equilateral_triangle_corners(rng: random.Random) -> list[Point]:
    return _regular_polygon_corners(3, rng)


def _right_triangle_corners(rng: random.Random) -> list[Point]:
    """A right triangle with the right angle in any of the four directions."""
    flip_x, flip_y = rng.choice((-1.0, 1.0)), rng.choice((-1.0, 1.0))
    return [(0.0, 0.0), (flip_x, 0.0), (0.0, flip_y * rng.uniform(0.5, 1.5))]


def _isosceles_triangle_corners(rng: random.Random) -> list[Point]:
    """A triangle with two equal sides, standing on its base, tall or flat."""
    return [(-0.5, 0.0), (0.5, 0.0), (0.0, -rng.uniform(0.5, 1.5))]


# --- One function per kind ---------------------------------------------------


def _square(rng: random.Random) -> Drawing:
    return _closed_polygon(_square_corners(rng), rng)


def _open_square(rng: random.Random) -> Drawing:
    """A square with one side missing, drawn as one stroke over the other three."""
    corners = _square_corners(rng)
    missing_side = rng.randrange(4)  # the side from this corner to the next
    chain = [corners[(missing_side + step) % 4] for step in range(1, 5)]
    if rng.random() < 0.5:
        chain.reverse()
    return [_pen_path(chain, rng)]


def _rectangle(rng: random.Random) -> Drawing:
    """A box clearly longer than wide (aspect 1.4 to 3), lying or standing."""
    aspect = rng.uniform(1.4, 3.0)
    width, height = (aspect, 1.0) if rng.random() < 0.5 else (1.0, aspect)
    return _closed_polygon(_box_corners(width, height), rng)


def _triangle(rng: random.Random) -> Drawing:
    """A triangle of one of the three sorts people draw most."""
    make_corners = rng.choice(
        (_equilateral_triangle_corners, _right_triangle_corners, _isosceles_triangle_corners)
    )
    return _closed_polygon(make_corners(rng), rng)


def _pentagon(rng: random.Random) -> Drawing:
    return _closed_polygon(_regular_polygon_corners(5, rng), rng)


def _hexagon(rng: random.Random) -> Drawing:
    return _closed_polygon(_regular_polygon_corners(6, rng), rng)


def _circle(rng: random.Random) -> Drawing:
    """An ellipse so close to round (within 8%) that people call it a circle."""
    return _closed_curve(1.0, rng.uniform(0.92, 1.08), rng)


def _ellipse(rng: random.Random) -> Drawing:
    """An ellipse clearly longer than wide (aspect 1.3 to 2.5), lying or standing."""
    aspect = rng.uniform(1.3, 2.5)
    radius_x, radius_y = (aspect, 1.0) if rng.random() < 0.5 else (1.0, aspect)
    return _closed_curve(radius_x, radius_y, rng)


def _scribble(rng: random.Random) -> Drawing:
    """A smooth line wandering from point to point; it may loop and cross itself."""
    heading = rng.uniform(0.0, 2 * math.pi)
    controls = [(0.0, 0.0)]
    for _ in range(rng.randint(5, 9)):
        # Turning less than about 140 degrees at a time keeps the line
        # flowing round in curves and loops, rather than doubling back
        # into sharp hairpins.
        heading += rng.uniform(-2.5, 2.5)
        length = rng.uniform(0.4, 1.0)
        x, y = controls[-1]
        controls.append((x + length * math.cos(heading), y + length * math.sin(heading)))
    return [_smooth_curve(controls)]


_DRAWERS = types.MappingProxyType(
    {
        "square": _square,
        "circle": _circle,
        "ellipse": _ellipse,
        "triangle": _triangle,
        "rectangle": _rectangle,
        "pentagon": _pentagon,
        "hexagon": _hexagon,
        "open_square": _open_square,
        "scribble": _scribble,
    }
)


# --- Placing on the canvas, mouse sampling and wobble ----------------------


def _fit_unit_box(strokes: Drawing) -> Drawing:
    """Scale and move the strokes so that they fill a 1 x 1 box centred on the origin."""
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    scale = 1.0 / max(max(xs) - min(xs), max(ys) - min(ys))
    centre_x = (max(xs) + min(xs)) / 2
    centre_y = (max(ys) + min(ys)) / 2
    return [
        [((x - centre_x) * scale, (y - centre_y) * scale) for x, y in stroke] for stroke in strokes
    ]


def _place(strokes: Drawing, size: float, rng: random.Random, tilted: bool = True) -> Drawing:
    """Tilt the unit-sized strokes a little (unless not ``tilted``), scale them to ``size``, place them."""
    angle = rng.uniform(-_LARGEST_TILT, _LARGEST_TILT) if tilted else 0.0
    cosine, sine = math.cos(angle), math.sin(angle)
    # How far the centre can move with the (untilted) shape still on the canvas.
    room = (CANVAS_SIZE - size) / 2
    centre_x = CANVAS_SIZE / 2 + rng.uniform(-room, room)
    centre_y = CANVAS_SIZE / 2 + rng.uniform(-room, room)
    return [
        [
            (centre_x + size * (x * cosine - y * sine), centre_y + size * (x * sine + y * cosine))
            for x, y in stroke
        ]
        for stroke in strokes
    ]


def _mouse_trace(path: Stroke, step: float, rng: random.Random) -> tuple[Stroke, list[float]]:
    """Resample ``path`` as a mouse reports it: a point every ``step`` units, give or take 25%.

    Returns the points and, for each, the distance travelled along the
    path to reach it (the wobble is a function of that distance).
    """
    trace = [path[0]]
    travelled_at_point = [0.0]
    travelled = 0.0  # length of the path up to the start of the current segment
    next_report = step * rng.uniform(0.75, 1.25)
    for (start_x, start_y), (end_x, end_y) in zip(path, path[1:]):
        length = math.hypot(end_x - start_x, end_y - start_y)
        # next_report is always past `travelled`, so a zero-length segment skips the loop.
        while next_report <= travelled + length:
            fraction = (next_report - travelled) / length
            trace.append(
                (start_x + fraction * (end_x - start_x), start_y + fraction * (end_y - start_y))
            )
            travelled_at_point.append(next_report)
            next_report += step * rng.uniform(0.75, 1.25)
        travelled += length
    if travelled > travelled_at_point[-1]:  # the mouse also reports where the stroke ends
        trace.append(path[-1])
        travelled_at_point.append(travelled)
    return trace, travelled_at_point


def _smooth_drift(size: float, rng: random.Random) -> Callable[[float], float]:
    """A slow, smooth drift along a stroke: a sum of three random sinusoids.

    Its amplitude never exceeds 1-3% of ``size``, and each wave is between
    0.4 and 2 times ``size`` long, so sides bow gently instead of
    shaking: that is how an unsteady hand differs from noise added to
    every point.
    """
    amplitude = size * rng.uniform(0.01, 0.03)
    weights = [rng.random() for _ in range(3)]
    waves = [
        (
            amplitude * weight / sum(weights),
            2 * math.pi / (size * rng.uniform(0.4, 2.0)),
            rng.uniform(0.0, 2 * math.pi),
        )
        for weight in weights
    ]
    return lambda distance: sum(
        wave_amplitude * math.sin(frequency * distance + phase)
        for wave_amplitude, frequency, phase in waves
    )


def _hand_drawn(path: Stroke, size: float, step: float, rng: random.Random, steady: bool = False) -> Stroke:
    """One ideal stroke as a mouse records it: resampled, drifting and trembling a little.

    A ``steady`` hand (or a ruler) adds neither drift nor tremor.
    """
    trace, travelled = _mouse_trace(path, step, rng)
    if steady:
        return trace
    drift_x = _smooth_drift(size, rng)
    drift_y = _smooth_drift(size, rng)
    tremor = 0.002 * size
    return [
        (
            x + drift_x(distance) + rng.gauss(0.0, tremor),
            y + drift_y(distance) + rng.gauss(0.0, tremor),
        )
        for (x, y), distance in zip(trace, travelled)
    ]


# --- Public interface --------------------------------------------------------


def sample(kind: str, rng: random.Random) -> list[list[tuple[float, float]]]:
    """Return one hand-drawn-looking drawing of ``kind``.

    ``kind`` is a key of :data:`KINDS`.  All randomness comes from
    ``rng`` (a ``random.Random``), so the same generator state gives the
    same drawing.  The drawing is a list of strokes, each a list of
    ``(x, y)`` points on a 100 x 100 canvas with ``y`` growing downwards
    (a big tilted shape may stray a few units past the edge).

    Raises ``ValueError`` for an unknown kind and ``TypeError`` when
    ``kind`` is not a str or ``rng`` is not a ``random.Random``.
    """
    if not isinstance(kind, str):
        raise TypeError(f"sample: kind must be a str, got {type(kind).__name__} {kind!r}")
    if kind not in KINDS:
        raise ValueError(f"sample: kind must be one of {', '.join(KINDS)}; got {kind!r}")
    if not isinstance(rng, random.Random):
        raise TypeError(f"sample: rng must be a random.Random, got {type(rng).__name__}")
    ideal = _fit_unit_box(_DRAWERS[kind](rng))
    size = CANVAS_SIZE * rng.uniform(_SMALLEST_SHAPE, _LARGEST_SHAPE)
    # Some people draw carefully: straight, untilted lines. Without such drawings of every kind,
    # a perfectly straight square would look unlike any square the network was shown.
    neat = rng.random() < NEAT_SHARE
    placed = _place(ideal, size, rng, tilted=not neat)
    # One step length per drawing: each person moves the mouse at their own pace.
    step = rng.uniform(_SHORTEST_MOUSE_STEP, _LONGEST_MOUSE_STEP)
    return [_hand_drawn(stroke, size, step, rng, steady=neat) for stroke in placed]


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
    kinds in the order of :data:`KINDS`, so each appears equally often.
    The order is then shuffled.  The same ``n`` and ``seed`` always give
    the same drawings: :func:`dataset` is built on this function, so
    the drawings behind ``dataset(n, size, seed)`` can be looked at, or
    rendered at another size, kind by kind.
    """
    _check_positive_int(n, "n", "labelled_drawings")
    _check_seed(seed, "labelled_drawings")
    rng = random.Random(seed)
    squares = [kind for kind, label in KINDS.items() if label == 1]
    others = [kind for kind, label in KINDS.items() if label == 0]
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
