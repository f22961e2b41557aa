"""The Quick, Draw! doodle format: newline-delimited JSON, one drawing per line.

Google's Quick, Draw! collection holds millions of doodles that people drew
in a browser in under 20 seconds when asked for "a square", "a circle", ...
Each line of its ``.ndjson`` files is one JSON object, for example::

    {"word": "square", "countrycode": "GB", "recognized": true,
     "key_id": "5090871658414080", "timestamp": "2017-03-01 20:29:51.69",
     "drawing": [[[0, 120, 255, 130, 2], [10, 0, 60, 255, 12]]]}

``"drawing"`` is a list of strokes; a stroke is ``[xs, ys]``, its x and its
y coordinates in two lists of the same length (the raw files add a third
list ``ts``, milliseconds since the first point).  In the *simplified*
files each drawing is moved so that its smallest x and y are 0, scaled
uniformly so that its longer side spans 0-255, and every stroke is
simplified by the Ramer-Douglas-Peucker algorithm with epsilon 2, so a
square is a handful of integer points.

:func:`read` turns such a file into drawings ``{"word": ..., "strokes":
[[[x, y], ...], ...]}`` that ``purenet.drawing.prepare`` accepts as they
are.  :func:`append` writes one drawing in the simplified form (the demo's
``--collect`` uses it), so that a learner's own drawings and the public
ones are read the same way.  How they feed training: docs/squares.md,
"Real drawings".
"""

from __future__ import annotations

import json
import math
import os
import threading
import warnings

from . import drawing
from .polyline import simplify_points

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_POINTS",
    "MAX_STROKES",
    "MAX_WORD_LENGTH",
    "QuickDrawFormatError",
    "append",
    "read",
    "simplify",
]

MAX_STROKES = 100
"""At most this many strokes in a drawing that :func:`append` writes (the demo's limit too)."""

MAX_POINTS = 10_000
"""At most this many points, all strokes together, in a drawing that :func:`append` accepts."""

MAX_WORD_LENGTH = 100
"""At most this many characters in the word (the label) that :func:`append` writes."""

MAX_FILE_BYTES = 50_000_000
""":func:`append` refuses to grow a file beyond this: a collecting server cannot fill the disk."""

TAIL_BYTES = 200_000
"""How much of a file's end :func:`append` reads to find a cut-short last line (more than any line it writes)."""

SIMPLIFIED_SIDE = 255
"""The simplified files scale a drawing's longer side to span 0..255."""

SIMPLIFY_EPSILON = 2.0
"""Ramer-Douglas-Peucker tolerance of the simplified files, in units of the 0..255 scale."""

# One append at a time within a process (the demo answers each request in a
# thread): the tail check and the write must not interleave.
_APPEND_LOCK = threading.Lock()


class QuickDrawFormatError(ValueError):
    """A line of a Quick, Draw! file that cannot be read; names the file and the line (from 1)."""

    def __init__(self, path: str, line_number: int, problem: str) -> None:
        super().__init__(f"file {path!r}, line {line_number}: {problem}")
        self.path = path
        self.line_number = line_number
        self.problem = problem


def read(path: str | os.PathLike, limit: int | None = None) -> list[dict]:
    """Read a Quick, Draw! ``.ndjson`` file; return ``[{"word", "strokes"}, ...]``.

    Each non-blank line is a JSON object with a ``"drawing"``: a list of
    strokes ``[xs, ys]`` (simplified files) or ``[xs, ys, ts]`` (raw files),
    the lists of one stroke of the same, non-zero length.  The result's
    ``"strokes"`` are lists of ``[x, y]`` float pairs, checked by
    ``drawing.read_strokes`` (numbers, finite), ready for
    ``drawing.prepare``; ``"word"`` is the line's word, or None if it has
    none.  Other keys are ignored.  ``limit``: stop after this many drawings
    (None: all).  A well-formed drawing whose points are all at one place
    (a tap: a dot has no size to scale) is skipped, and one RuntimeWarning
    says how many were and on which lines: public files are not ours to
    mend, and one tap must not keep a learner from the other drawings.

    Raises :class:`QuickDrawFormatError` (a ValueError) naming the file and
    the line for a line that is not UTF-8, not JSON (NaN and Infinity
    included), not an object, has no ``"drawing"``, or a malformed stroke or
    point.  ``ts`` is not used (only its length is checked).  Blank lines
    are skipped.  A last line cut short with no newline
    at its end, the trace of a write interrupted by a crash, is skipped with
    a warning (a RuntimeWarning).
    """
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, int)):
        raise TypeError(f"read: limit must be None or an int, got {type(limit).__name__} ({limit!r})")
    if limit is not None and limit < 1:
        raise ValueError(f"read: limit must be None (every drawing) or at least 1, got {limit}")
    name = os.fspath(path)
    drawings: list[dict] = []
    dots: list[int] = []
    with open(path, "rb") as file:
        for line_number, raw_line in enumerate(file, start=1):
            try:
                text = raw_line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise QuickDrawFormatError(
                    name, line_number, f"is not UTF-8 text: {error.reason} at byte {error.start}"
                ) from None
            if not text.strip():
                continue
            try:
                content = _parse_json(text)
            except ValueError as error:
                if not raw_line.endswith(b"\n"):
                    # A JSON object's last character is its closing brace, so a
                    # line cut short is never valid JSON: this is an interrupted write.
                    warnings.warn(
                        f"quickdraw.read: file {name!r}, line {line_number} is cut short (no newline at its "
                        f"end and not valid JSON, as a write interrupted by a crash leaves it): skipped",
                        RuntimeWarning,
                        stacklevel=2,
                    )
                    break
                raise QuickDrawFormatError(name, line_number, f"is not valid JSON: {error}") from None
            item = _read_line(content, name, line_number)
            if item is None:
                dots.append(line_number)
                continue
            drawings.append(item)
            if len(drawings) == limit:
                break
    if dots:
        shown = ", ".join(map(str, dots[:10])) + (", ..." if len(dots) > 10 else "")
        warnings.warn(
            f"quickdraw.read: file {name!r}: skipped {len(dots)} drawing(s) whose points are all at one place "
            f"(a dot has no size to scale), on line(s) {shown}",
            RuntimeWarning,
            stacklevel=2,
        )
    return drawings


def append(path: str | os.PathLike, strokes: object, word: str) -> dict:
    """Append one drawing to a Quick, Draw! file, in the simplified form; return it as :func:`read` would.

    ``strokes`` is any drawing ``drawing.read_strokes`` accepts, with at most
    ``MAX_STROKES`` strokes and ``MAX_POINTS`` points; ``word`` is its label
    (``"square"``, ...), 1 to ``MAX_WORD_LENGTH`` characters.  The drawing
    is stored as the simplified files store theirs (:func:`simplify`): one
    line ``{"word": ..., "drawing": [[xs, ys], ...]}`` of integers in
    0..255, a few kilobytes at most (``MAX_POINTS`` points of at most 8
    bytes each bound it by 80 kB).  The file is created if missing and never
    grows beyond ``MAX_FILE_BYTES``.

    How a crash is kept from breaking the file: the line, newline included,
    goes to the file opened in append mode in a single ``write``, followed by
    ``fsync``, so the file holds whole lines, or whole lines and the start of
    the last one if the machine stops during the write.  :func:`read` skips
    such an unterminated, unreadable last line with a warning, and the next
    ``append`` removes it (with a warning) before writing.  A last line
    without its newline that *is* valid JSON (a file edited by hand) is kept:
    a newline is written before the new line.  A short write (a full disk)
    is undone and raised as OSError.
    """
    if not isinstance(word, str):
        raise TypeError(f"append: word must be a string, got {type(word).__name__} ({word!r})")
    if not 1 <= len(word) <= MAX_WORD_LENGTH:
        raise ValueError(f"append: word must have 1 to {MAX_WORD_LENGTH} characters, got {len(word)}")
    checked = drawing.read_strokes(strokes, "append: drawing", max_strokes=MAX_STROKES, max_points=MAX_POINTS)
    simplified = simplify(checked)
    record = {
        "word": word,
        "drawing": [[[x for x, _ in stroke], [y for _, y in stroke]] for stroke in simplified],
    }
    line = (json.dumps(record, separators=(",", ":")) + "\n").encode("utf-8")
    name = os.fspath(path)
    # O_BINARY (Windows only) keeps "\n" from becoming "\r\n", which would change the byte counts.
    flags = os.O_RDWR | os.O_APPEND | os.O_CREAT | getattr(os, "O_BINARY", 0)
    with _APPEND_LOCK:
        descriptor = os.open(path, flags, 0o644)
        try:
            size = os.fstat(descriptor).st_size
            size, prefix = _mend_tail(descriptor, size, name)
            data = prefix + line
            if size + len(data) > MAX_FILE_BYTES:
                raise ValueError(
                    f"append: file {name!r} would grow beyond {MAX_FILE_BYTES:,} bytes; "
                    f"start a new file to collect more drawings"
                )
            written = os.write(descriptor, data)
            if written != len(data):
                os.ftruncate(descriptor, size)
                raise OSError(f"append: only {written} of {len(data)} bytes reached file {name!r} (is the disk full?)")
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
    return {"word": word, "strokes": [[[float(x), float(y)] for x, y in stroke] for stroke in simplified]}


def _mend_tail(descriptor: int, size: int, name: str) -> tuple[int, bytes]:
    """Make the file end with a whole line before appending; return its size and what to write first.

    A file that ends with a newline (or is empty) is fine.  A last line
    without one is kept, with a newline to write first, if it is valid JSON
    or too long to judge; otherwise it is what a crash during an append
    leaves, and it is cut off.
    """
    if size == 0:
        return 0, b""
    window = min(size, TAIL_BYTES)
    os.lseek(descriptor, size - window, os.SEEK_SET)
    tail = b""
    while len(tail) < window:
        chunk = os.read(descriptor, window - len(tail))
        if not chunk:
            break
        tail += chunk
    if tail.endswith(b"\n"):
        return size, b""
    start = tail.rfind(b"\n") + 1
    fragment = tail[start:]
    if (start == 0 and window < size) or not fragment.strip():
        return size, b"\n"
    try:
        _parse_json(fragment.decode("utf-8"))
    except ValueError:  # UnicodeDecodeError is a ValueError too
        os.ftruncate(descriptor, size - len(fragment))
        warnings.warn(
            f"quickdraw.append: file {name!r} ended with {len(fragment)} bytes of a line cut short "
            f"(a write interrupted by a crash); they were removed before appending",
            RuntimeWarning,
            stacklevel=3,
        )
        return size - len(fragment), b""
    return size, b"\n"


def simplify(strokes: list, epsilon: float = SIMPLIFY_EPSILON) -> list[list[tuple[int, int]]]:
    """A drawing as the simplified Quick, Draw! files store it: integer points in 0..255.

    ``strokes`` are checked by ``drawing.read_strokes``.  Three steps, those
    of the collection's own preprocessing:

    1. Move: ``x - min(x)``, ``y - min(y)`` over the whole drawing.
    2. Scale uniformly by ``255 / longer side`` (the aspect ratio is kept).
    3. Simplify each stroke by Ramer-Douglas-Peucker with tolerance
       ``epsilon``: keep the two ends; find the point farthest from the
       segment joining them; if it is farther than ``epsilon``, keep it and
       do the same on both halves, else drop every point between the ends.

    Then coordinates are rounded to integers and repeated points dropped.
    Empty strokes are dropped.  (The collection also resampled strokes at
    one-unit spacing before step 3; with this tolerance it changes almost
    nothing, and it is left out.)
    """
    checked = drawing.read_strokes(strokes, "simplify: strokes")
    if isinstance(epsilon, bool) or not isinstance(epsilon, (int, float)) or not 0 <= epsilon < math.inf:
        raise ValueError(f"simplify: epsilon must be a finite number >= 0, got {epsilon!r}")
    xs = [x for stroke in checked for x, _ in stroke]
    ys = [y for stroke in checked for _, y in stroke]
    left, top = min(xs), min(ys)
    # Not zero: read_strokes refuses a drawing whose points are all at one place.
    scale = SIMPLIFIED_SIDE / max(max(xs) - left, max(ys) - top)
    simplified = []
    for stroke in checked:
        if not stroke:
            continue
        scaled = [((x - left) * scale, (y - top) * scale) for x, y in stroke]
        kept = simplify_points(scaled, epsilon)
        rounded: list[tuple[int, int]] = []
        for x, y in kept:
            point = (min(SIMPLIFIED_SIDE, round(x)), min(SIMPLIFIED_SIDE, round(y)))
            if not rounded or point != rounded[-1]:
                rounded.append(point)
        simplified.append(rounded)
    return simplified


def _refuse_constant(name: str) -> float:
    """``json.loads`` accepts NaN and Infinity, which are not JSON: refuse them."""
    raise ValueError(f"{name} is not a number JSON allows")


def _parse_json(text: str) -> object:
    """Strict JSON (no NaN, no Infinity); every failure a ValueError."""
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except RecursionError:
        raise ValueError("its arrays are nested too deeply") from None
    # json.JSONDecodeError and Python's limit on the digits of an integer are ValueErrors already.


def _read_line(content: object, name: str, line_number: int) -> dict | None:
    """One parsed line to ``{"word", "strokes"}``, None for a single dot, or QuickDrawFormatError."""
    if not isinstance(content, dict):
        raise QuickDrawFormatError(
            name, line_number, f'must be a JSON object {{"drawing": [...], ...}}, got a JSON {type(content).__name__}'
        )
    if "drawing" not in content:
        raise QuickDrawFormatError(
            name, line_number, f'has no "drawing" (its keys: {", ".join(sorted(map(str, content))[:10])})'
        )
    word = content.get("word")
    if word is not None and not isinstance(word, str):
        raise QuickDrawFormatError(name, line_number, f'"word" must be a string, got {type(word).__name__}')
    raw_strokes = content["drawing"]
    if not isinstance(raw_strokes, list):
        raise QuickDrawFormatError(
            name, line_number, f'"drawing" must be a list of strokes [xs, ys], got {type(raw_strokes).__name__}'
        )
    strokes = []
    for stroke_number, stroke in enumerate(raw_strokes):
        place = f"stroke {stroke_number}"
        if not isinstance(stroke, list) or len(stroke) not in (2, 3):
            got = f"a list of {len(stroke)}" if isinstance(stroke, list) else type(stroke).__name__
            raise QuickDrawFormatError(name, line_number, f"{place} must be [xs, ys] or [xs, ys, ts], got {got}")
        for axis, values in zip(("xs", "ys", "ts"), stroke):
            if not isinstance(values, list):
                raise QuickDrawFormatError(
                    name, line_number, f"{place}: {axis} must be a list of numbers, got {type(values).__name__}"
                )
        lengths = [len(values) for values in stroke]
        if len(set(lengths)) != 1:
            shown = ", ".join(f"{axis} {length}" for axis, length in zip(("xs", "ys", "ts"), lengths))
            raise QuickDrawFormatError(name, line_number, f"{place} has lists of different lengths: {shown}")
        if lengths[0] == 0:
            raise QuickDrawFormatError(name, line_number, f"{place} is empty: it has no points")
        strokes.append([[x, y] for x, y in zip(stroke[0], stroke[1])])
    try:
        checked = drawing.read_strokes(strokes, "drawing")
    except (TypeError, ValueError) as error:
        if _is_single_dot(strokes):
            return None
        raise QuickDrawFormatError(name, line_number, str(error)) from None
    return {"word": word, "strokes": [[[x, y] for x, y in stroke] for stroke in checked]}


def _is_single_dot(strokes: list[list[list]]) -> bool:
    """Whether every point is the same pair of finite numbers: what ``read_strokes`` refuses as a dot.

    A point refused for itself (a string, NaN, an int too large) is never a
    dot: its line is an error.
    """
    points = [point for stroke in strokes for point in stroke]
    if not points or any(point != points[0] for point in points):
        return False
    for value in points[0]:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        try:
            if not math.isfinite(value):
                return False
        except OverflowError:
            return False
    return True
