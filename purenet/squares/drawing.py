"""Turn a drawing (or a small picture) into the input of a network.

A drawing is a list of strokes, each a list of points ``(x, y)`` in any
coordinate range, as a mouse or a finger produces them.  The same steps
prepare it for training, for evaluation, for the command line and for
the web demo, so that the network always sees the same kind of picture:

1. Normalise: turn the drawing upright (:mod:`purenet.squares.upright`:
   the smallest rectangle around it stands along the axes), crop to its
   bounding box, scale it uniformly so that its longer side fills the
   grid less a margin of ``size / 16`` pixels on each side, and centre
   it.  The aspect ratio is kept: a rectangle stays a rectangle.  ``y`` grows downwards, like rows.
2. Rasterise: draw the strokes with a pen ``size / 32`` pixels wide
   (one pixel at 32 x 32), anti-aliased: a pixel's ink is how much of it
   the pen covers.  Background is -0.5, full ink is +0.5.
3. Read the grid along the Hilbert curve (:mod:`purenet.hilbert`).
4. Bring it to the model's side along the curve: a larger grid is shrunk
   by averaging runs of the curve, a smaller one enlarged by repeating
   values (:func:`model_input`, the one way every caller takes).

Every length above is a fixed fraction of ``size``, so a drawing
rendered at 64 x 64 and shrunk by :func:`purenet.hilbert.downsample`
looks almost the same as the drawing rendered at 32 x 32.

Pictures (lists of rows of ink in [0, 1], or PGM/PBM files) go through
the same normalisation; see :func:`rasterize_image`.  Every drawing that
comes in (a Python list, a JSON file, a web request, a Quick, Draw! line)
is checked by one function, :func:`read_strokes`.

Explained in docs/squares.md.
"""

import itertools
import json
import math
import os

from . import hilbert
from .upright import upright as turned_upright

__all__ = [
    "BACKGROUND",
    "prepare",
    "rasterize",
    "model_input",
    "read_strokes",
    "prepare_image",
    "rasterize_image",
    "load_drawing_json",
    "read_pgm",
    "rasterize_unnormalised",
    "Point",
    "Stroke",
]

BACKGROUND = -0.5
"""Value of a pixel with no ink; full ink is ``BACKGROUND + 1 = 0.5``."""

Point = tuple[float, float]
Stroke = list[Point]


def prepare(drawing: object, size: int = 32, upright: bool = True) -> list[float]:
    """Return the network input for ``drawing``: ``size * size`` floats.

    Equal to ``hilbert.flatten(rasterize(drawing, size, upright))``: the
    normalised, rasterised grid read in Hilbert-curve order.  ``drawing``
    is a list of strokes or a dict ``{"strokes": [...]}``; see
    :func:`rasterize`.  See docs/squares.md.
    """
    _check_size(size, "prepare")
    strokes = read_strokes(drawing, "prepare: drawing")
    return hilbert.flatten(_render_strokes(strokes, size, "prepare", _check_upright(upright, "prepare")))


def rasterize(drawing: object, size: int = 32, upright: bool = True) -> list[list[float]]:
    """Return the normalised drawing as ``size`` rows of ``size`` floats.

    ``drawing`` is a list of strokes, each a list of points ``(x, y)``
    (tuples or 2-lists of ints or floats), or the JSON form
    ``{"strokes": [[[x, y], ...], ...]}`` (other keys are ignored).
    Empty strokes add nothing; a one-point stroke is a dot.  ``size``
    is a power of two, at least 4.

    Normalisation: with ``upright`` (the default) the drawing is first
    turned by at most 45 degrees so that the smallest rectangle around it
    stands along the axes (:func:`purenet.squares.upright.upright`; models
    saved before 2026-12-02 were trained without this turn, see
    :func:`purenet.squares.recipe.reads_upright`).  Then the bounding box
    of all points is scaled uniformly so that its longer side, pen
    included, spans ``size - 2 * margin`` pixels with ``margin = size /
    16``, and is centred in the grid.

    Rasterisation: each stroke is a chain of line segments drawn with a
    pen of width ``w = size / 32`` pixels.  For a pixel whose centre is
    at distance ``d`` from the nearest segment,
    ``coverage = clamp(w / 2 + 0.5 - d, 0, 1)`` (a one-pixel linear ramp
    across the pen's edge, a cheap stand-in for the exact covered area)
    and the pixel's value is ``-0.5 + coverage``.

    Raises ValueError for a drawing with no points, or whose points are
    all at one place (a dot has no size to scale); :func:`read_strokes`
    lists every check.  See docs/squares.md.
    """
    _check_size(size, "rasterize")
    strokes = read_strokes(drawing, "rasterize: drawing")
    return _render_strokes(strokes, size, "rasterize", _check_upright(upright, "rasterize"))


def model_input(item: object, model_side: int, size: int | None = None, upright: bool = True) -> list[float]:
    """Return what a model of grid side ``model_side`` reads: ``model_side**2`` floats.

    ``item`` is a drawing (strokes, or ``{"strokes": [...]}``, see
    :func:`rasterize`) or a grid already rendered (``size`` rows of
    ``size`` floats, as :func:`rasterize` and :func:`rasterize_image`
    return; ``size`` a power of two).  They are told apart by the first
    row: a grid's rows hold numbers, a drawing's strokes hold points.

    1. A drawing is rendered at ``size`` (default ``model_side``):
       ``grid = rasterize(item, size, upright)``.  A grid is taken as it
       is (``size``, if given, must be its side; ``upright`` does not
       apply to it).
    2. The grid is read along the Hilbert curve: ``v = hilbert.flatten(grid)``.
    3. ``v`` is brought to the model's side along the curve:
       ``hilbert.downsample(v, size // model_side)`` when the grid is larger
       (average pooling of each ``f x f`` block), ``hilbert.upsample(v,
       model_side // size)`` when it is smaller (each pixel a ``f x f``
       block), ``v`` itself when the sides are equal.

    So ``model_input(drawing, 32) == prepare(drawing, 32)``, and a drawing
    rendered at 64 reaches a 32 x 32 model as its 2 x 2 average.  Training,
    evaluation, the command line and the web demo all call this function.
    Why the curve makes resampling a matter of runs: docs/hilbert.md.
    """
    if isinstance(model_side, bool) or not isinstance(model_side, int):
        raise TypeError(
            f"model_input: model_side must be an int, got {type(model_side).__name__} ({model_side!r})"
        )
    _check_upright(upright, "model_input")
    if model_side < 1 or model_side & (model_side - 1):
        raise ValueError(f"model_input: model_side must be a power of two (1, 2, 4, ..., 32, ...), got {model_side}")
    if _is_grid(item):
        grid = _read_grid(item, "model_input: grid")
        if size is not None and size != len(grid):
            raise ValueError(
                f"model_input: size must be None or the grid's own side {len(grid)} for a grid, got {size!r}"
            )
        size = len(grid)
    else:
        size = model_side if size is None else size
        _check_size(size, "model_input")
        grid = _render_strokes(read_strokes(item, "model_input: drawing"), size, "model_input", upright)
    values = hilbert.flatten(grid)
    if size > model_side:
        return hilbert.downsample(values, size // model_side)
    if size < model_side:
        return hilbert.upsample(values, model_side // size)
    return values


def prepare_image(rows: list[list[float]], size: int = 32) -> list[float]:
    """Return the network input for a picture: ``size * size`` floats.

    Equal to ``hilbert.flatten(rasterize_image(rows, size))``; see
    :func:`rasterize_image`.  See docs/squares.md.
    """
    _check_size(size, "prepare_image")
    ink = _read_image(rows, "prepare_image: rows")
    return hilbert.flatten(_render_image(ink, size, "prepare_image"))


def rasterize_image(rows: list[list[float]], size: int = 32) -> list[list[float]]:
    """Return a picture normalised like a drawing, as ``size`` rows of floats.

    ``rows`` is a rectangular list of rows of ink amounts in [0, 1]:
    1 is full ink, 0 is paper (what :func:`read_pgm` returns).

    Normalisation, as for drawings: crop to the bounding box of the
    pixels with ink above 0.5, scale uniformly so that the box's longer
    side spans ``size - 2 * margin`` pixels (``margin = size / 16``),
    and centre it.

    Resampling is area averaging (a box filter): each grid pixel takes
    the mean ink of the part of the cropped picture it covers, so the
    result does not depend on where pixel edges happen to fall.
    Shrinking a large picture spreads a thin line over a fraction of a
    grid pixel and makes it faint, so the ink is finally divided by the
    largest ink found, which brings the strongest pixel to full ink.
    Values are ``-0.5 + ink``, in [-0.5, 0.5].

    Raises ValueError for a blank picture (no ink above 0.5).
    See docs/squares.md.
    """
    _check_size(size, "rasterize_image")
    ink = _read_image(rows, "rasterize_image: rows")
    return _render_image(ink, size, "rasterize_image")


def load_drawing_json(path: str | os.PathLike) -> list[Stroke]:
    """Read a drawing saved as JSON ``{"strokes": [[[x, y], ...], ...]}``.

    Returns the strokes as lists of ``(x, y)`` tuples, ready for
    :func:`prepare`.  A file that is not JSON, not an object with a
    ``"strokes"`` key, or holds malformed points raises ValueError
    naming the file.  See docs/squares.md.
    """
    name = os.fspath(path)
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
        content = json.loads(text)
    except (UnicodeDecodeError, ValueError, RecursionError) as error:
        # ValueError covers json's own errors and integers too long to read;
        # RecursionError, lists nested thousands deep.
        raise ValueError(
            f"load_drawing_json: file {name!r} is not valid JSON: {error}"
        ) from None
    if not isinstance(content, dict):
        raise ValueError(
            f"load_drawing_json: file {name!r} must hold a JSON object "
            f'{{"strokes": [...]}}, got a JSON {type(content).__name__}'
        )
    try:
        return read_strokes(content, f"load_drawing_json: file {name!r}:")
    except TypeError as error:
        # Wrong types inside a file are bad file content, not a caller's
        # mistake, so callers need to catch only ValueError.
        raise ValueError(str(error)) from error


def read_pgm(path: str | os.PathLike) -> list[list[float]]:
    """Read a PGM or PBM picture; return rows of ink amounts in [0, 1].

    Four Netpbm formats are read: P1 (PBM, text), P4 (PBM, binary),
    P2 (PGM, text) and P5 (PGM, binary, one byte per sample if maxval
    < 256, else two bytes, most significant first).

    Header: magic number, whitespace, then width, height (and maxval for
    PGM) as decimal numbers separated by whitespace; a ``#`` in the
    header starts a comment that runs to the end of the line.  One
    whitespace character separates the header from the pixels.

    Ink: PBM bit 1 is black, so ink = bit.  PGM 0 is black, so
    ink = 1 - value / maxval.  Netpbm allows several pictures one after
    another in a binary file; only the first is read.

    Raises ValueError naming the file for a wrong magic number, a bad
    header, a sample above maxval, or a truncated file.
    See docs/squares.md.
    """
    name = os.fspath(path)
    with open(path, "rb") as file:
        data = file.read()
    magic = data[:2]
    if magic not in (b"P1", b"P2", b"P4", b"P5"):
        raise ValueError(
            f"read_pgm: file {name!r} does not start with a PBM or PGM magic "
            f"number (P1, P2, P4 or P5), got {data[:4]!r}"
        )
    is_bitmap = magic in (b"P1", b"P4")
    field_names = ("width", "height") if is_bitmap else ("width", "height", "maxval")
    fields, raster_start = _read_netpbm_header(data, field_names, name)
    width, height = fields[0], fields[1]
    maximum = 1 if is_bitmap else fields[2]
    if width < 1 or height < 1:
        raise ValueError(
            f"read_pgm: file {name!r} must have a width and height of at "
            f"least 1, got {width} x {height}"
        )
    if not 1 <= maximum <= 65535:
        raise ValueError(
            f"read_pgm: file {name!r} must have a maxval in 1..65535, got {maximum}"
        )
    if magic in (b"P1", b"P2"):
        samples = _read_plain_samples(data[raster_start:], width * height, magic, name)
    elif magic == b"P4":
        samples = _read_packed_bits(data[raster_start:], width, height, name)
    else:
        samples = _read_binary_samples(
            data[raster_start:], width * height, maximum, name
        )
    for sample in samples:
        if sample > maximum:
            raise ValueError(
                f"read_pgm: file {name!r} has a sample {sample} above its "
                f"maxval {maximum}"
            )
    if is_bitmap:
        ink = [float(sample) for sample in samples]
    else:
        ink = [1.0 - sample / maximum for sample in samples]
    return [ink[row * width : (row + 1) * width] for row in range(height)]


def _check_size(size: object, function_name: str) -> None:
    """Raise unless ``size`` is a power of two of at least 4.

    A power of two so that the grid can be read along a Hilbert curve;
    at least 4 so that the margin leaves room to draw.
    """
    if isinstance(size, bool) or not isinstance(size, int):
        raise TypeError(
            f"{function_name}: size must be an int, got "
            f"{type(size).__name__} ({size!r})"
        )
    if size < 4 or size & (size - 1) != 0:
        raise ValueError(
            f"{function_name}: size must be a power of two >= 4 (4, 8, 16, 32, "
            f"64, ...), got {size}"
        )


def read_strokes(
    drawing: object,
    where: str = "drawing",
    max_strokes: int | None = None,
    max_points: int | None = None,
) -> list[Stroke]:
    """Check a drawing; return its strokes as lists of ``(x, y)`` float pairs.

    The one check every drawing goes through, whether it comes from
    Python, a JSON file, the web demo or a Quick, Draw! file.  ``drawing``
    is a list of strokes, each a list of points ``(x, y)`` (tuples or
    2-lists), or a dict ``{"strokes": [...]}`` (other keys ignored).
    Coordinates are ints or floats (never booleans), finite, and fit in a
    float.  Empty strokes are allowed, but the drawing needs points at two
    places at least: an empty drawing has nothing to draw and a single dot
    has no size to scale to the grid.  ``max_strokes`` and ``max_points``
    (points in all strokes together), when given, cap what a client may
    send.

    ``where`` starts every message, which names the stroke and the point,
    e.g. ``"rasterize: drawing stroke 0, point 3: x must be finite, got nan"``.
    Raises TypeError for a value of the wrong type and ValueError for a
    wrong value.  See docs/squares.md.
    """
    if isinstance(drawing, dict):
        if "strokes" not in drawing:
            raise ValueError(
                f"{where} is a dict without the key 'strokes', got keys "
                f"{sorted(map(str, drawing))[:10]}"
            )
        drawing = drawing["strokes"]
    if not isinstance(drawing, (list, tuple)):
        raise TypeError(
            f"{where} must be a list of strokes or a dict {{'strokes': [...]}}, "
            f"got {_describe(drawing)}"
        )
    if max_strokes is not None and len(drawing) > max_strokes:
        raise ValueError(f"{where} has too many strokes: at most {max_strokes}, got {len(drawing)}")
    strokes = []
    point_count = 0
    for stroke_number, stroke in enumerate(drawing):
        if not isinstance(stroke, (list, tuple)):
            raise TypeError(
                f"{where} stroke {stroke_number} must be a list of points, "
                f"got {_describe(stroke)}"
            )
        point_count += len(stroke)
        # Counted before the points are read, so that an oversized request
        # is refused before any work is spent on it.
        if max_points is not None and point_count > max_points:
            raise ValueError(
                f"{where} has too many points: at most {max_points} in all the strokes together"
            )
        points = []
        for point_number, point in enumerate(stroke):
            place = f"{where} stroke {stroke_number}, point {point_number}"
            if not isinstance(point, (list, tuple)):
                raise TypeError(f"{place} must be a pair (x, y), got {_describe(point)}")
            if len(point) != 2:
                raise ValueError(
                    f"{place} must be a pair (x, y), got {len(point)} values"
                )
            coordinates = []
            for axis, value in zip("xy", point):
                if isinstance(value, bool) or not isinstance(value, (int, float)):
                    raise TypeError(f"{place}: {axis} must be a number, got {_describe(value)}")
                try:
                    coordinate = float(value)
                except OverflowError:
                    # An int such as 10**400 is a number, but no float can hold it.
                    raise ValueError(f"{place}: {axis} is an integer too large for a float") from None
                if not math.isfinite(coordinate):
                    raise ValueError(f"{place}: {axis} must be finite, got {value}")
                coordinates.append(coordinate)
            points.append((coordinates[0], coordinates[1]))
        strokes.append(points)
    all_points = [point for stroke in strokes for point in stroke]
    if not all_points:
        raise ValueError(f"{where} is empty: it has no points, there is nothing to draw")
    if all(point == all_points[0] for point in all_points):
        x, y = all_points[0]
        raise ValueError(
            f"{where} has all its points at one place (x={x}, y={y}); "
            f"a single dot has no size to scale to the grid, draw a line or a shape"
        )
    return strokes


def _describe(value: object) -> str:
    """A value for an error message: its type and a short repr (a client may send megabytes)."""
    if value is None:
        return "None"
    shown = repr(value)
    if len(shown) > 40:
        shown = shown[:37] + "..."
    return f"{type(value).__name__} ({shown})"


def _is_grid(item: object) -> bool:
    """Whether ``item`` looks like rows of numbers (a grid) rather than strokes of points."""
    if not isinstance(item, (list, tuple)) or not item:
        return False
    first_row = item[0]
    return (
        isinstance(first_row, (list, tuple))
        and len(first_row) > 0
        and isinstance(first_row[0], (int, float))
        and not isinstance(first_row[0], bool)
    )


def _read_grid(grid: list, where: str) -> list[list[float]]:
    """Check a rendered grid: square, power-of-two side, finite numbers."""
    side = len(grid)
    if side & (side - 1):
        raise ValueError(f"{where} must have a power-of-two side (4, 8, 16, 32, ...), got {side} rows")
    for row_number, row in enumerate(grid):
        if not isinstance(row, (list, tuple)) or len(row) != side:
            got = f"{len(row)} values" if isinstance(row, (list, tuple)) else _describe(row)
            raise ValueError(f"{where} must be square: row {row_number} must have {side} values, got {got}")
        for column_number, value in enumerate(row):
            # An int is always finite (and math.isfinite would overflow on a huge one).
            if isinstance(value, bool) or not isinstance(value, (int, float)) or (
                isinstance(value, float) and not math.isfinite(value)
            ):
                raise ValueError(
                    f"{where}[{row_number}][{column_number}] must be a finite number, got {_describe(value)}"
                )
    return grid


def _check_upright(upright: object, function_name: str) -> bool:
    """``upright`` itself, once it is known to be True or False."""
    if not isinstance(upright, bool):
        raise TypeError(f"{function_name}: upright must be True or False, got {_describe(upright)}")
    return upright


def _render_strokes(
    strokes: list[Stroke], size: int, function_name: str, upright: bool
) -> list[list[float]]:
    """Normalise strokes checked by :func:`read_strokes` and draw them; see :func:`rasterize`."""
    if upright:
        strokes = turned_upright(strokes)
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    left, right, top, bottom = min(xs), max(xs), min(ys), max(ys)
    # Never zero: read_strokes refuses a drawing whose points are all at one place.
    longer_side = max(right - left, bottom - top)
    pen_width = size / 32
    margin = size / 16
    # The pen reaches pen_width / 2 beyond the points, so the points span
    # the room left by the margins less one pen width: then the ink, not
    # the points, touches the margins, at every size alike.
    scale = (size - 2 * margin - pen_width) / longer_side
    if not (math.isfinite(longer_side) and math.isfinite(scale)):
        raise ValueError(
            f"{function_name}: drawing is {longer_side} units across, too far "
            f"from 1 for floating-point numbers to scale it to the grid"
        )
    centre_x = (left + right) / 2
    centre_y = (top + bottom) / 2
    half = size / 2
    return _draw_strokes(strokes, size, scale, half - centre_x * scale, half - centre_y * scale)


def rasterize_unnormalised(drawing: object, canvas_size: float, size: int = 32) -> list[list[float]]:
    """Draw ``drawing`` where it lies on a ``canvas_size`` square canvas, without normalising.

    Point (x, y) lands at (x, y) * size / canvas_size on the grid: no
    cropping, no scaling to fit, no centring, so a small square in a corner
    stays small and in the corner (ink off the grid is lost). Same pen as
    :func:`rasterize`. For experiments that show why normalisation matters
    (docs/squares.md); the network's input always goes through
    :func:`prepare`.
    """
    _check_size(size, "rasterize_unnormalised")
    if isinstance(canvas_size, bool) or not isinstance(canvas_size, (int, float)) or not canvas_size > 0:
        raise ValueError(f"rasterize_unnormalised: canvas_size must be a positive number, got {canvas_size!r}")
    strokes = read_strokes(drawing, "rasterize_unnormalised: drawing")
    return _draw_strokes(strokes, size, size / canvas_size, 0.0, 0.0)


def _draw_strokes(
    strokes: list[Stroke], size: int, scale: float, shift_x: float, shift_y: float
) -> list[list[float]]:
    """Draw strokes with point (x, y) at grid position (x * scale + shift_x, y * scale + shift_y)."""
    pen_width = size / 32
    coverage = [0.0] * (size * size)
    for stroke in strokes:
        if not stroke:
            continue
        grid_points = [(x * scale + shift_x, y * scale + shift_y) for x, y in stroke]
        if len(grid_points) == 1:
            # A zero-length segment draws a round dot of the pen's width.
            grid_points.append(grid_points[0])
        for start, end in itertools.pairwise(grid_points):
            _draw_segment(coverage, size, start, end, pen_width)
    return [
        [BACKGROUND + value for value in coverage[row * size : (row + 1) * size]]
        for row in range(size)
    ]


def _draw_segment(
    coverage: list[float],
    size: int,
    start: Point,
    end: Point,
    pen_width: float,
) -> None:
    """Add one anti-aliased segment to ``coverage`` (``size * size``, row-major).

    Pixel ``(column, row)`` has its centre at ``(column + 0.5, row + 0.5)``.
    Its coverage is ``clamp(pen_width / 2 + 0.5 - d, 0, 1)`` with ``d`` the
    distance from the centre to the segment; overlapping segments keep the
    larger coverage rather than adding up, so joints are not darker.
    Only the pixels in the segment's bounding box grown by the pen's reach
    are visited: beyond it the coverage is zero.
    """
    reach = pen_width / 2 + 0.5
    start_x, start_y = start
    end_x, end_y = end
    first_column = max(0, math.ceil(min(start_x, end_x) - reach - 0.5))
    last_column = min(size - 1, math.floor(max(start_x, end_x) + reach - 0.5))
    first_row = max(0, math.ceil(min(start_y, end_y) - reach - 0.5))
    last_row = min(size - 1, math.floor(max(start_y, end_y) + reach - 0.5))
    along_x = end_x - start_x
    along_y = end_y - start_y
    length_squared = along_x * along_x + along_y * along_y
    # For a dot (zero length) this makes the projection 0: the distance
    # is then simply the distance to the dot.
    inverse_length_squared = 1.0 / length_squared if length_squared > 0 else 0.0
    reach_squared = reach * reach
    for row in range(first_row, last_row + 1):
        offset_y = row + 0.5 - start_y
        row_start = row * size
        for column in range(first_column, last_column + 1):
            offset_x = column + 0.5 - start_x
            # Position of the nearest point of the segment, as a fraction
            # of the way from start to end, kept within the segment.
            fraction = (
                offset_x * along_x + offset_y * along_y
            ) * inverse_length_squared
            if fraction < 0.0:
                fraction = 0.0
            elif fraction > 1.0:
                fraction = 1.0
            gap_x = offset_x - fraction * along_x
            gap_y = offset_y - fraction * along_y
            distance_squared = gap_x * gap_x + gap_y * gap_y
            # Comparing squares first skips the square root for the many
            # pixels of the box that the pen does not reach; plain `if`s
            # rather than min() and max() calls, as this runs per pixel.
            if distance_squared < reach_squared:
                ink = reach - math.sqrt(distance_squared)
                if ink > 1.0:
                    ink = 1.0
                if ink > coverage[row_start + column]:
                    coverage[row_start + column] = ink


def _read_image(rows: object, where: str) -> list[list[float]]:
    """Check a picture given as rows of ink in [0, 1]; return it as floats."""
    if not isinstance(rows, (list, tuple)):
        raise TypeError(f"{where} must be a list of rows, got {type(rows).__name__}")
    if len(rows) == 0:
        raise ValueError(f"{where} must have at least one row, got none")
    image = []
    for row_number, row in enumerate(rows):
        if not isinstance(row, (list, tuple)):
            raise TypeError(
                f"{where}[{row_number}] must be a list of numbers, "
                f"got {type(row).__name__}"
            )
        if len(row) == 0:
            raise ValueError(
                f"{where}[{row_number}] is empty: a picture needs at least one column"
            )
        if len(row) != len(rows[0]):
            raise ValueError(
                f"{where} must be a rectangle: rows[0] has {len(rows[0])} "
                f"values, rows[{row_number}] has {len(row)}"
            )
        for column_number, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(
                    f"{where}[{row_number}][{column_number}] must be a number, "
                    f"got {type(value).__name__} ({value!r})"
                )
            if not 0.0 <= value <= 1.0:
                raise ValueError(
                    f"{where}[{row_number}][{column_number}] must be an ink "
                    f"amount in [0, 1] (1 is ink), got {value}"
                )
        image.append([float(value) for value in row])
    return image


def _render_image(
    ink: list[list[float]], size: int, function_name: str
) -> list[list[float]]:
    """Normalise and resample checked picture rows; see :func:`rasterize_image`."""
    inked_rows = [number for number, row in enumerate(ink) if max(row) > 0.5]
    if not inked_rows:
        raise ValueError(
            f"{function_name}: image is blank: no pixel has ink above 0.5 "
            f"(ink is 1, paper is 0)"
        )
    inked_columns = [
        column for column in range(len(ink[0])) if any(row[column] > 0.5 for row in ink)
    ]
    top, bottom = inked_rows[0], inked_rows[-1]
    left, right = inked_columns[0], inked_columns[-1]
    crop = [row[left : right + 1] for row in ink[top : bottom + 1]]
    crop_width = right - left + 1
    crop_height = bottom - top + 1
    margin = size / 16
    scale = (size - 2 * margin) / max(crop_width, crop_height)
    column_weights = _box_weights(
        crop_width, (size - scale * crop_width) / 2, scale, size
    )
    row_weights = _box_weights(
        crop_height, (size - scale * crop_height) / 2, scale, size
    )
    # The box filter is separable: resample every row across, then the
    # resulting columns down.
    widened = [
        [
            sum(row[source] * weight for source, weight in weights)
            for weights in column_weights
        ]
        for row in crop
    ]
    coverage = [
        [
            sum(widened[source][column] * weight for source, weight in weights)
            for column in range(size)
        ]
        for weights in row_weights
    ]
    strongest = max(max(row) for row in coverage)
    return [[BACKGROUND + value / strongest for value in row] for row in coverage]


def _box_weights(
    source_length: int, offset: float, scale: float, size: int
) -> list[list[tuple[int, float]]]:
    """Return, for each grid pixel, the source pixels it covers and their weights.

    Source pixel ``i`` spans ``[i, i + 1]`` and lands on the grid at
    ``[offset + i * scale, offset + (i + 1) * scale]``.  Grid pixel ``j``
    spans ``[j, j + 1]``, i.e. ``[(j - offset) / scale, (j + 1 - offset) / scale]``
    in source units; a source pixel's weight is the fraction of that
    span it overlaps.  Outside the source there is only paper, so the
    weights of a grid pixel near the border sum to less than one.
    """
    weights = []
    for pixel in range(size):
        start = (pixel - offset) / scale
        end = (pixel + 1 - offset) / scale
        covered = []
        for source in range(
            max(0, math.floor(start)), min(source_length, math.ceil(end))
        ):
            overlap = min(end, source + 1) - max(start, source)
            if overlap > 0:
                covered.append((source, overlap * scale))
        weights.append(covered)
    return weights


def _read_netpbm_header(
    data: bytes, field_names: tuple[str, ...], name: str
) -> tuple[list[int], int]:
    """Read the numbers after the magic number; return them and where pixels start."""
    position = 2
    if position >= len(data) or not data[position : position + 1].isspace():
        raise ValueError(
            f"read_pgm: file {name!r} must have whitespace after its magic "
            f"number {data[:2].decode()}, got {data[position : position + 1]!r}"
        )
    fields = []
    while len(fields) < len(field_names):
        if position >= len(data):
            raise ValueError(
                f"read_pgm: file {name!r} is truncated: its header ends before "
                f"the {field_names[len(fields)]}"
            )
        byte = data[position : position + 1]
        if byte.isspace():
            position += 1
        elif byte == b"#":
            line_ends = [
                found
                for found in (data.find(b"\n", position), data.find(b"\r", position))
                if found != -1
            ]
            if not line_ends:
                raise ValueError(
                    f"read_pgm: file {name!r} is truncated: a header comment "
                    f"runs to the end of the file"
                )
            position = min(line_ends) + 1
        elif byte.isdigit():
            start = position
            while position < len(data) and data[position : position + 1].isdigit():
                position += 1
            fields.append(int(data[start:position]))
        else:
            raise ValueError(
                f"read_pgm: file {name!r} has {byte!r} in its header where the "
                f"{field_names[len(fields)]} (a decimal number) was expected"
            )
    if position >= len(data):
        raise ValueError(
            f"read_pgm: file {name!r} is truncated: it ends right after its header"
        )
    if not data[position : position + 1].isspace():
        raise ValueError(
            f"read_pgm: file {name!r} must have whitespace after its "
            f"{field_names[-1]}, got {data[position : position + 1]!r}"
        )
    return fields, position + 1


def _read_plain_samples(
    raster: bytes, count: int, magic: bytes, name: str
) -> list[int]:
    """Read the pixels of a text file: P2 numbers, or P1 digits 0/1.

    In P1 the digits need no whitespace between them, so every
    non-space character is one pixel.
    """
    tokens = raster.split()
    if magic == b"P1":
        tokens = [bytes([character]) for token in tokens for character in token]
    for token in tokens:
        if not token.isdigit() or (magic == b"P1" and token not in (b"0", b"1")):
            expected = "0 or 1" if magic == b"P1" else "a decimal number"
            raise ValueError(
                f"read_pgm: file {name!r} has {token!r} among its pixels where "
                f"{expected} was expected"
            )
    if len(tokens) < count:
        raise ValueError(
            f"read_pgm: file {name!r} is truncated: expected {count} pixel "
            f"values, found {len(tokens)}"
        )
    if len(tokens) > count:
        raise ValueError(
            f"read_pgm: file {name!r} has {len(tokens)} pixel values, more than "
            f"width x height = {count}"
        )
    return [int(token) for token in tokens]


def _read_packed_bits(raster: bytes, width: int, height: int, name: str) -> list[int]:
    """Read P4 pixels: 8 per byte, first pixel in the highest bit.

    Each row starts on a fresh byte, so a row takes ``ceil(width / 8)`` bytes.
    """
    row_bytes = (width + 7) // 8
    if len(raster) < row_bytes * height:
        raise ValueError(
            f"read_pgm: file {name!r} is truncated: expected {row_bytes * height} "
            f"bytes of pixels, found {len(raster)}"
        )
    return [
        (raster[row * row_bytes + column // 8] >> (7 - column % 8)) & 1
        for row in range(height)
        for column in range(width)
    ]


def _read_binary_samples(
    raster: bytes, count: int, maximum: int, name: str
) -> list[int]:
    """Read P5 pixels: one byte each if maxval < 256, else two, big-endian."""
    sample_bytes = 1 if maximum < 256 else 2
    if len(raster) < count * sample_bytes:
        raise ValueError(
            f"read_pgm: file {name!r} is truncated: expected {count * sample_bytes} "
            f"bytes of pixels, found {len(raster)}"
        )
    if sample_bytes == 1:
        return list(raster[:count])
    return [raster[2 * index] * 256 + raster[2 * index + 1] for index in range(count)]
