"""The web demo's server: a drawing goes in, every number the network computes comes out.

Standard library only: ``http.server.ThreadingHTTPServer`` answers each
request in its own thread.  Routes:

``GET /`` and ``GET /static/NAME``
    The page: files from this package's ``static/`` folder and nowhere else.

``POST /api/predict``
    Body ``{"strokes": [[[x, y], ...], ...], "size": 16 | 32 | 64}`` (size
    optional, default the model's grid side).  Answers the normalised grid at
    ``size`` (``drawing.rasterize``), the model's input vector (the grid read
    along the Hilbert curve, then brought to the model's side by
    ``drawing.model_input``; :func:`describe_reading` says how), the hidden
    pre-activations and activations, the two logits and the two
    probabilities, computed by calling each layer's ``forward`` in turn.

``GET /api/model``
    The layers, the grid side, the class names, the kinds of sample drawings,
    the model's metadata (how it was trained and how well it did) and
    ``"collect"``: ``{"enabled": false}``, or the collection file's name,
    counts and caps.

``GET /api/weights?unit=N``
    One hidden unit's input weights, put back on the grid along the curve.

``GET /api/sample?kind=K[&seed=S]``
    A generated drawing of kind K (``datasets.shapes``) on a 100 x 100 canvas.

``POST /api/collect`` (only with ``collect``, ``demo --collect FILE.ndjson``)
    Body ``{"strokes": [[[x, y], ...], ...], "label": "square" | "other"}``:
    the drawing is appended to FILE as one Quick, Draw! line
    (:class:`Collector`).  Answers ``{"collect": ...}`` with the new counts;
    507 once the file holds ``MAX_COLLECTED_DRAWINGS`` drawings or
    ``MAX_COLLECTED_BYTES`` bytes, and 503 once Ctrl-C is stopping the demo.
    Without ``collect`` this route does not exist (404) and the server writes
    no file at all.

``GET /train`` and ``/api/train/...``
    The live training page and its sessions: see ``training.py``.

Every error a client can cause is answered as JSON ``{"error": "..."}`` with
status 400, 404, 405, 409, 411, 413, 503 or 507, and anything unexpected as 500: the thread
that answered goes on serving.  Every request writes one line to the log
stream: method, path, status and milliseconds.
"""

from __future__ import annotations

import itertools
import json
import math
import os
import random
import re
import signal
import socket
import sys
import threading
import time
import urllib.parse
import webbrowser
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TextIO

from .. import drawing, hilbert, recipe
from .. import quickdraw, shapes, upright
from ...layers import Dense, Softmax
from ...layers.activations import ElementwiseActivation, softmax_row
from ...model import Sequential
from ...serialization import load

STATIC_FOLDER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "static")
SIZES = (16, 32, 64)
"""Grid sides the page may ask for; each is the model's side times or divided by a power of two."""

# Limits on a request: far above what a hand draws (a minute of drawing is a
# few thousand points), low enough to keep each answer within a few seconds.
MAX_BODY_BYTES = 1_000_000
MAX_STROKES = 100
MAX_POINTS = 10_000

SAMPLE_CANVAS = 100
"""Side of the canvas that ``shapes.sample`` draws on; the page scales it to its own."""

REQUEST_TIMEOUT_SECONDS = 20
"""A client that stops sending in the middle of a request frees its thread after this long."""

STOP_CHECK_SECONDS = 0.5
"""``serve`` looks for a Ctrl-C between requests, and at least this often when no request comes."""

STOP_WAIT_SECONDS = 5
"""On Ctrl-C, the requests being answered get at most this long to finish (a drawing being saved: a write and
an fsync), and a drawing still being saved after that, as long again."""

MAX_CONNECTIONS = 64
"""At most this many connections are served at once (one thread each); one more is answered 503 and closed
at once, so that clients that hold connections open cannot make the demo start threads without end."""

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
}
"""The only kinds of static file served; any other extension is answered 404."""

# The page loads nothing from elsewhere; saying so lets the browser refuse
# anything else, so the demo provably works offline.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

_LOG_LOCK = threading.Lock()


class RequestError(Exception):
    """A request the server refuses: an HTTP status and a message for the page to show."""

    def __init__(self, status: HTTPStatus, message: str, allow: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.message = message
        self.allow = allow


# --- Reading a drawing from a request ----------------------------------------------


def _json_type(value: object) -> str:
    """How a JSON value is called in an error message: 'a string', 'null', ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__


def _refuse_constant(name: str) -> float:
    """``json.loads`` accepts NaN and Infinity, which are not JSON: refuse them."""
    raise RequestError(HTTPStatus.BAD_REQUEST, f"the body contains {name}, which is not a number JSON allows")


def parse_json_body(body: bytes) -> object:
    """Decode a request body as strict JSON (UTF-8, no NaN or Infinity); raise RequestError otherwise."""
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RequestError(
            HTTPStatus.BAD_REQUEST, f"the body must be UTF-8 text: {error.reason} at byte {error.start}"
        ) from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise RequestError(
            HTTPStatus.BAD_REQUEST,
            f"the body is not valid JSON: {error.msg} (line {error.lineno}, column {error.colno})",
        ) from None
    except RecursionError:
        raise RequestError(HTTPStatus.BAD_REQUEST, "the body is not a drawing: its JSON is nested too deeply") from None
    except ValueError as error:
        # Python refuses integers of thousands of digits (int_max_str_digits).
        raise RequestError(HTTPStatus.BAD_REQUEST, f"the body is not valid JSON: {error}") from None


def read_drawing_request(data: object, model_side: int) -> tuple[list[list[tuple[float, float]]], int]:
    """Check a parsed ``/api/predict`` body; return the strokes and the grid size.

    ``data`` must be ``{"strokes": [[[x, y], ...], ...], "size": 16|32|64}``
    (``size`` optional: ``model_side``).  The strokes are checked by
    ``drawing.read_strokes`` (numbers are ints or floats, never booleans,
    strings or null; an empty drawing and a single dot are refused), with at
    most ``MAX_STROKES`` strokes and ``MAX_POINTS`` points in all.
    """
    if not isinstance(data, dict):
        raise RequestError(
            HTTPStatus.BAD_REQUEST,
            f'the body must be a JSON object {{"strokes": [...], "size": 32}}, got {_json_type(data)}',
        )
    unknown = sorted(set(data) - {"strokes", "size"})
    if unknown:
        raise RequestError(
            HTTPStatus.BAD_REQUEST, f"unknown field(s) {', '.join(map(repr, unknown))}: expected 'strokes' and 'size'"
        )
    size = data.get("size", model_side)
    sizes = allowed_sizes(model_side)
    if isinstance(size, bool) or not isinstance(size, int) or size not in sizes:
        shown = json.dumps(size) if isinstance(size, (int, float, str)) or size is None else _json_type(size)
        raise RequestError(HTTPStatus.BAD_REQUEST, f"size must be one of {', '.join(map(str, sizes))}, got {shown}")
    if "strokes" not in data:
        raise RequestError(HTTPStatus.BAD_REQUEST, 'the body needs "strokes": a list of strokes, each a list of [x, y]')
    raw_strokes = data["strokes"]
    if not isinstance(raw_strokes, list):
        raise RequestError(HTTPStatus.BAD_REQUEST, f"strokes must be a list of strokes, got {_json_type(raw_strokes)}")
    try:
        # The one drawing check of the library: it names the stroke and the point.
        strokes = drawing.read_strokes(raw_strokes, "drawing", max_strokes=MAX_STROKES, max_points=MAX_POINTS)
    except (TypeError, ValueError) as error:
        raise RequestError(HTTPStatus.BAD_REQUEST, str(error)) from None
    return strokes, size


def allowed_sizes(model_side: int) -> list[int]:
    """The grid sides a drawing may be rendered at: SIZES, and the model's own side."""
    return sorted(set(SIZES) | {model_side})


# --- From the grid to what the model reads ----------------------------------------


def describe_reading(size: int, model_side: int) -> dict:
    """How ``drawing.model_input`` brought a grid of side ``size`` to the model's side, for the page.

    Returns ``{"mode": "downsample" | "as is" | "upsample", "factor", "text"}``.
    """
    if size > model_side:
        factor = size // model_side
        text = (
            f"Drawn at {size} × {size}, then shrunk to the model's {model_side} × {model_side}: each run of "
            f"{factor * factor} consecutive values along the Hilbert curve is averaged, which is "
            f"{factor} × {factor} average pooling."
        )
        return {"mode": "downsample", "factor": factor, "text": text}
    if size < model_side:
        factor = model_side // size
        text = (
            f"Drawn at {size} × {size}, then enlarged to the model's {model_side} × {model_side}: each value is "
            f"repeated {factor * factor} times along the Hilbert curve, which turns each pixel into a "
            f"{factor} × {factor} block (the inverse of the pooling). The model learned from "
            f"{model_side} × {model_side} drawings, so these coarser pictures can fool it."
        )
        return {"mode": "upsample", "factor": factor, "text": text}
    text = f"Drawn at {size} × {size}: the model reads these {size * size} values along the Hilbert curve as they are."
    return {"mode": "as is", "factor": 1, "text": text}


def _rounded(values: list[float], digits: int = 4) -> list[float]:
    """Values rounded for the page: 4 decimals of a value in [-0.5, 0.5] are more than a colour shows."""
    return [round(value, digits) for value in values]


# --- The model, explained -----------------------------------------------------------


class Explainer:
    """A square detector together with everything the page asks of it.

    The model must be ``Dense(side*side, hidden) -> activation -> Dense(hidden, 2)``,
    optionally followed by ``Softmax``: the shape the page draws.  One lock
    serialises the forward passes, because layers keep their last input and
    output on themselves (for ``backward``) and two threads would mix them up.
    """

    def __init__(self, model: Sequential, model_file: str | None = None) -> None:
        if not isinstance(model, Sequential):
            raise TypeError(f"make_server: model must be a purenet Sequential, got {type(model).__name__}")
        self.side = recipe.model_size(model)
        # Drawings reach the model as it learnt them: turned upright or not (recipe.reads_upright).
        self.upright = recipe.reads_upright(model)
        layers = model.layers
        shape_ok = (
            len(layers) in (3, 4)
            and isinstance(layers[0], Dense)
            and isinstance(layers[1], ElementwiseActivation)
            and isinstance(layers[2], Dense)
            and layers[2].out_features == len(recipe.CLASS_NAMES)
            and (len(layers) == 3 or isinstance(layers[3], Softmax))
        )
        if not shape_ok:
            raise ValueError(
                "make_server: the model must be Dense(side*side, hidden) -> an activation -> Dense(hidden, 2) "
                f"(optionally -> Softmax), like the square detector; got {model!r}"
            )
        self.model = model.eval()  # the demo only predicts: Dropout and BatchNorm1d must act as in use
        self.hidden_units = layers[0].out_features
        self.model_file = model_file
        self.metadata = _plain_json(model.metadata)
        self._forward_lock = threading.Lock()
        self._sample_lock = threading.Lock()
        # Samples without a seed take the next number: reproducible, and the
        # global random state is never touched.
        self._sample_seeds = itertools.count()

    def predict(self, strokes: list[list[tuple[float, float]]], size: int) -> dict:
        """Everything the network computes for a drawing rendered at ``size``."""
        try:
            grid = drawing.rasterize(strokes, size, upright=self.upright)
        except ValueError as error:
            raise RequestError(HTTPStatus.BAD_REQUEST, str(error)) from None
        inputs = drawing.model_input(grid, self.side)
        reading = describe_reading(size, self.side)
        # How far the drawing was turned to stand upright (section 2 of docs/squares.md), for the page to say.
        turned = 0.0
        if self.upright:
            turned = -math.degrees(upright.upright_angle([point for stroke in strokes for point in stroke]))
        reading["turned_degrees"] = round(turned, 1) + 0.0  # + 0.0: never "-0.0"
        if self.upright:
            reading["text"] = f"Turned {abs(reading['turned_degrees']):g}° to stand upright. {reading['text']}"
        outputs = self.forward(inputs)
        pre_activations, activations, logits = outputs[0], outputs[1], outputs[2]
        probabilities = outputs[3] if len(outputs) == 4 else softmax_row(logits)
        prediction = max(range(len(probabilities)), key=probabilities.__getitem__)
        return {
            "size": size,
            "model_side": self.side,
            "grid": [_rounded(row) for row in grid],
            "reading": reading,
            "inputs": _rounded(inputs),
            "hidden": {
                "activation": repr(self.model.layers[1]),
                "pre_activations": pre_activations,
                "activations": activations,
            },
            "logits": logits,
            "probabilities": probabilities,
            "class_names": list(recipe.CLASS_NAMES),
            "prediction": prediction,
            "verdict": recipe.CLASS_NAMES[prediction],
        }

    def forward(self, inputs: list[float]) -> list[list[float]]:
        """Each layer's output for one input, by calling the layers' own ``forward`` one by one."""
        outputs = []
        batch = [inputs]
        with self._forward_lock:
            for layer in self.model.layers:
                batch = layer.forward(batch)
                outputs.append(list(batch[0]))
        return outputs

    def describe(self) -> dict:
        """The model for the page: layers, sizes, classes, kinds of samples and how it was trained."""
        layers = []
        for layer in self.model.layers:
            entry = {
                "type": type(layer).__name__,
                "description": repr(layer),
                "parameters": sum(parameter.size() for parameter in layer.parameters()),
            }
            if isinstance(layer, Dense):
                entry["in_features"] = layer.in_features
                entry["out_features"] = layer.out_features
            entry.update({key: value for key, value in layer.config().items() if key not in entry})
            layers.append(entry)
        return {
            "model_side": self.side,
            "inputs": self.side * self.side,
            "hidden_units": self.hidden_units,
            "layers": layers,
            "total_parameters": sum(entry["parameters"] for entry in layers),
            "class_names": list(recipe.CLASS_NAMES),
            "sizes": allowed_sizes(self.side),
            "kinds": dict(shapes.KINDS),
            "limits": {"body_bytes": MAX_BODY_BYTES, "strokes": MAX_STROKES, "points": MAX_POINTS},
            "model_file": self.model_file,
            "metadata": self.metadata,
        }

    def weights(self, unit: int) -> dict:
        """One hidden unit: its input weights unflattened onto the grid, its bias and its weights to the logits."""
        first, last = self.model.layers[0], self.model.layers[2]
        row = list(first.weight[unit])
        return {
            "unit": unit,
            "side": self.side,
            "weights": [_rounded(grid_row, 5) for grid_row in hilbert.unflatten(row)],
            "largest": max(abs(value) for value in row),
            "bias": first.bias[unit],
            "to_logits": [last.weight[output][unit] for output in range(last.out_features)],
            "class_names": list(recipe.CLASS_NAMES),
        }

    def sample(self, kind: str, seed: int | None) -> dict:
        """A generated drawing of ``kind`` from ``random.Random(seed)`` (the next seed if None)."""
        if seed is None:
            with self._sample_lock:
                seed = next(self._sample_seeds)
        strokes = shapes.sample(kind, random.Random(seed))
        return {
            "kind": kind,
            "label": shapes.KINDS[kind],
            "class_name": recipe.CLASS_NAMES[shapes.KINDS[kind]],
            "seed": seed,
            "canvas": SAMPLE_CANVAS,
            "strokes": [[[round(x, 2), round(y, 2)] for x, y in stroke] for stroke in strokes],
        }


def _plain_json(metadata: object) -> object:
    """The model's metadata if it is plain JSON (it is, when loaded from a file), else a note."""
    try:
        return json.loads(json.dumps(metadata, allow_nan=False))
    except (TypeError, ValueError):
        return {"note": "this model's metadata is not plain JSON and is not shown"}


# --- Collecting drawings (--collect) --------------------------------------------------

COLLECT_LABELS = ("square", "other")
"""The labels a saved drawing may carry, written as its Quick, Draw! ``word``."""

# Caps on what --collect writes.  A hand-drawn shape, simplified as the
# Quick, Draw! files are, is a line of a few hundred bytes: these are far
# above a learner's session, and low enough that a page left open, or a
# script posting in a loop, cannot fill the disk.
MAX_COLLECTED_DRAWINGS = 10_000
"""At most this many drawings (lines) in the collection file."""
MAX_COLLECTED_BYTES = 20_000_000
"""At most this many bytes in the collection file (below ``quickdraw.MAX_FILE_BYTES``)."""
MAX_LINE_BYTES = 32_768
"""At most this many bytes in one saved line: about 4,000 points once simplified."""


def read_collect_request(data: object, model_side: int) -> tuple[list[list[tuple[float, float]]], str]:
    """Check a parsed ``/api/collect`` body; return the strokes and the label.

    ``data`` must be ``{"strokes": [[[x, y], ...], ...], "label": "square" | "other"}``.
    The strokes go through the same checks as a ``/api/predict`` drawing
    (:func:`read_drawing_request`): finite numbers, at most ``MAX_STROKES``
    strokes and ``MAX_POINTS`` points, neither empty nor a single dot.
    """
    if not isinstance(data, dict):
        raise RequestError(
            HTTPStatus.BAD_REQUEST,
            f'the body must be a JSON object {{"strokes": [...], "label": "square"}}, got {_json_type(data)}',
        )
    unknown = sorted(set(data) - {"strokes", "label"})
    if unknown:
        raise RequestError(
            HTTPStatus.BAD_REQUEST, f"unknown field(s) {', '.join(map(repr, unknown))}: expected 'strokes' and 'label'"
        )
    labels = " or ".join(json.dumps(label) for label in COLLECT_LABELS)
    if "label" not in data:
        raise RequestError(HTTPStatus.BAD_REQUEST, f'the body needs "label": {labels}')
    label = data["label"]
    if not isinstance(label, str) or label not in COLLECT_LABELS:
        shown = json.dumps(label[:40]) if isinstance(label, str) else _json_type(label)
        raise RequestError(HTTPStatus.BAD_REQUEST, f"label must be {labels}, got {shown}")
    strokes, _ = read_drawing_request({key: value for key, value in data.items() if key == "strokes"}, model_side)
    return strokes, label


def saved_line_bytes(strokes: list[list[tuple[float, float]]], word: str) -> int:
    """The bytes of the line ``quickdraw.append(path, strokes, word)`` writes: checked before it writes.

    That line is ``{"word": ..., "drawing": [[xs, ys], ...]}`` in compact
    JSON and a newline, the drawing simplified by ``quickdraw.simplify``.
    """
    simplified = quickdraw.simplify(strokes)
    record = {"word": word, "drawing": [[[x for x, _ in stroke], [y for _, y in stroke]] for stroke in simplified]}
    return len(json.dumps(record, separators=(",", ":")).encode("utf-8")) + 1


class Collector:
    """Appends drawings to one Quick, Draw! file (``demo --collect FILE.ndjson``) and counts them.

    Each saved drawing becomes one line of ``FILE``, written by
    :func:`purenet.squares.quickdraw.append` (the whole line in one write,
    then flushed and synced to disk, so a crash never leaves half a line).
    A lock makes saves one at a time: two threads never interleave their
    lines, and the caps (``MAX_COLLECTED_DRAWINGS`` lines,
    ``MAX_COLLECTED_BYTES`` bytes, ``MAX_LINE_BYTES`` per line) are checked
    and the counts updated in the same step as the write.  A file that
    already exists is read first (a malformed one is refused with its line
    number), its drawings counted, and appended to.  :meth:`close` (the
    demo is stopping) waits for a save in progress and refuses the ones
    after it.  Explained in docs/squares.md.
    """

    def __init__(self, path: str | os.PathLike) -> None:
        if not isinstance(path, (str, os.PathLike)):
            raise TypeError(f"make_server: collect must be a file path, got {type(path).__name__}")
        self.path = os.path.abspath(os.fspath(path))
        self.name = os.path.basename(self.path)
        if os.path.isdir(self.path):
            raise ValueError(f"make_server: collect must name a file, got the folder {os.fspath(path)!r}")
        if not os.path.isdir(os.path.dirname(self.path)):
            raise ValueError(f"make_server: collect: the folder of {os.fspath(path)!r} does not exist")
        self.counts = {label: 0 for label in COLLECT_LABELS}
        if os.path.exists(self.path):
            for drawing_read in quickdraw.read(self.path):
                # A file gathered elsewhere may hold other words ("circle"): all of them are "other".
                self.counts["square" if drawing_read["word"] == "square" else "other"] += 1
        self._lock = threading.Lock()
        self.closed = False

    def describe(self) -> dict:
        """What the page shows: the file's name (not its folder), the counts and the caps."""
        return {
            "enabled": True,
            "file": self.name,
            "counts": dict(self.counts),
            "limits": {
                "drawings": MAX_COLLECTED_DRAWINGS,
                "bytes": MAX_COLLECTED_BYTES,
                "line_bytes": MAX_LINE_BYTES,
            },
        }

    def save(self, strokes: list[list[tuple[float, float]]], label: str) -> dict:
        """Append one drawing with its label; return :meth:`describe` with the new counts."""
        # Measured before taking the lock: simplifying a long drawing takes a moment.
        line_bytes = saved_line_bytes(strokes, label)
        if line_bytes > MAX_LINE_BYTES:
            raise RequestError(
                HTTPStatus.BAD_REQUEST,
                f"the drawing would take {line_bytes:,} bytes in {self.name}; at most {MAX_LINE_BYTES:,} are "
                "written: draw it with fewer strokes or fewer turns",
            )
        with self._lock:
            if self.closed:
                raise RequestError(
                    HTTPStatus.SERVICE_UNAVAILABLE, f"the demo is stopping: the drawing was not saved in {self.name}"
                )
            drawings = sum(self.counts.values())
            if drawings >= MAX_COLLECTED_DRAWINGS:
                raise RequestError(
                    HTTPStatus.INSUFFICIENT_STORAGE,
                    f"{self.name} already holds {drawings:,} drawings, the most the demo writes to one file: "
                    "restart it with --collect ANOTHER.ndjson",
                )
            size = os.path.getsize(self.path) if os.path.exists(self.path) else 0
            if size + line_bytes > MAX_COLLECTED_BYTES:
                raise RequestError(
                    HTTPStatus.INSUFFICIENT_STORAGE,
                    f"{self.name} is {size:,} bytes; the demo writes at most {MAX_COLLECTED_BYTES:,} to one file: "
                    "restart it with --collect ANOTHER.ndjson",
                )
            try:
                quickdraw.append(self.path, strokes, label)
            except OSError as error:
                raise RequestError(
                    HTTPStatus.INTERNAL_SERVER_ERROR, f"could not save into {self.name}: {error.strerror or error}"
                ) from None
            self.counts[label] += 1
            return self.describe()

    def close(self, wait_seconds: float = STOP_WAIT_SECONDS) -> None:
        """Let a save in progress finish (at most ``wait_seconds``), then refuse every later one with 503.

        Called when the demo stops: the process may end as soon as this returns, and a handler thread
        (a daemon) that was still writing would be stopped with it, after however much of its line the
        system had written.  Taking the lock waits for that write and its fsync; a save that has not
        reached the lock yet finds ``closed`` set and answers that nothing was saved.
        """
        taken = self._lock.acquire(timeout=wait_seconds)
        self.closed = True
        if taken:
            self._lock.release()


# --- Query strings and static files -----------------------------------------------


def _query_parameters(query: str, allowed: tuple[str, ...]) -> dict[str, str]:
    """Parse ``a=1&b=2`` into a dict; each parameter at most once, none but ``allowed``."""
    try:
        pairs = urllib.parse.parse_qsl(query, keep_blank_values=True, max_num_fields=10, errors="strict")
    except (ValueError, UnicodeDecodeError) as error:
        raise RequestError(HTTPStatus.BAD_REQUEST, f"cannot read the query string: {error}") from None
    parameters: dict[str, str] = {}
    for name, value in pairs:
        if name not in allowed:
            expected = f"expected {', '.join(allowed)}" if allowed else "this address takes no parameters"
            raise RequestError(HTTPStatus.BAD_REQUEST, f"unknown parameter {name[:40]!r}: {expected}")
        if name in parameters:
            raise RequestError(HTTPStatus.BAD_REQUEST, f"parameter {name!r} is given more than once")
        parameters[name] = value
    return parameters


def _whole_number(text: str, name: str, upper: int) -> int:
    """A decimal whole number in 0..upper-1 from a query parameter."""
    if not re.fullmatch(r"[0-9]{1,20}", text) or int(text) >= upper:
        raise RequestError(
            HTTPStatus.BAD_REQUEST, f"{name} must be a whole number from 0 to {upper - 1}, got {text[:40]!r}"
        )
    return int(text)


def static_file(url_path: str) -> str | None:
    """The file under STATIC_FOLDER that ``url_path`` names, or None if it names nothing servable.

    ``/`` is the page; ``/static/NAME`` is a file of the folder.  Refused:
    anything that decodes to ``..``, ``.`` or empty segments, backslashes,
    colons, NUL bytes, absolute paths, symbolic links (the resolved path must equal
    the plain one), folders, and extensions without a content type.
    """
    if url_path == "/":
        relative = "index.html"
    elif url_path.startswith("/static/"):
        try:
            relative = urllib.parse.unquote(url_path[len("/static/") :], errors="strict")
        except UnicodeDecodeError:
            return None
    else:
        return None
    segments = relative.split("/")
    # A colon could name a Windows drive ("C:"), which os.path.join would jump to.
    if any(character in relative for character in "\\:\x00") or any(segment in ("", ".", "..") for segment in segments):
        return None
    root = os.path.realpath(STATIC_FOLDER)
    candidate = os.path.join(root, *segments)
    # realpath resolves every symbolic link and "..": if anything changed,
    # the path leaves the folder or goes through a link, and is refused.
    if os.path.realpath(candidate) != candidate or os.path.commonpath([root, candidate]) != root:
        return None
    if not os.path.isfile(candidate) or os.path.splitext(candidate)[1].lower() not in CONTENT_TYPES:
        return None
    return candidate


# --- The HTTP handler ---------------------------------------------------------------


API_ROUTES = {
    "/api/predict": "POST",
    "/api/model": "GET",
    "/api/weights": "GET",
    "/api/sample": "GET",
    "/api/collect": "POST",
}
"""Each API path and the one method it answers; other methods get 405."""


class DemoRequestHandler(BaseHTTPRequestHandler):
    """Answers one connection's requests; every response goes through ``_respond``, which logs it."""

    server: DemoServer
    server_version = "purenet-demo"
    timeout = REQUEST_TIMEOUT_SECONDS

    # --- methods --------------------------------------------------------------

    def do_GET(self) -> None:
        self._handle("GET")

    def do_POST(self) -> None:
        self._handle("POST")

    def do_HEAD(self) -> None:
        self._handle("HEAD")

    def do_PUT(self) -> None:
        self._handle("PUT")

    def do_DELETE(self) -> None:
        self._handle("DELETE")

    def do_PATCH(self) -> None:
        self._handle("PATCH")

    def do_OPTIONS(self) -> None:
        self._handle("OPTIONS")

    def _handle(self, method: str) -> None:
        """Route a request; turn every error into a JSON answer so the thread goes on serving."""
        try:
            self._route(method)
        except RequestError as error:
            if error.status in (HTTPStatus.LENGTH_REQUIRED, HTTPStatus.REQUEST_ENTITY_TOO_LARGE):
                # The body was not read: what is left of it must not be taken for the next request.
                self.close_connection = True
            headers = {"Allow": error.allow} if error.allow else {}
            self._send_json(error.status, {"error": error.message}, headers)
        except (ConnectionError, TimeoutError) as error:
            self.close_connection = True
            self._log_line(f"{method} {self._shown_path()} - connection lost ({type(error).__name__})")
        except Exception as error:  # noqa: BLE001 - any bug must become a 500, never a dead thread
            self.close_connection = True
            self._send_json(
                HTTPStatus.INTERNAL_SERVER_ERROR,
                {"error": f"the server failed: {type(error).__name__}: {error}"},
                note=f"{type(error).__name__}: {error}",
            )

    def _route(self, method: str) -> None:
        path, _, query = self.path.partition("?")
        if path.startswith("/api/train/"):
            self.server.trainer.handle(self, method, path, query)  # the live training page: training.py
            return
        if path == "/train":
            path = "/static/train.html"
        if path in API_ROUTES:
            if path == "/api/collect" and self.server.collector is None:
                raise RequestError(
                    HTTPStatus.NOT_FOUND,
                    "this demo saves no drawings: start it with `python -m purenet demo --collect FILE.ndjson`",
                )
            expected = API_ROUTES[path]
            if method != expected:
                raise RequestError(
                    HTTPStatus.METHOD_NOT_ALLOWED, f"{path} answers {expected} only, got {method}", allow=expected
                )
            explainer = self.server.explainer
            if path == "/api/predict":
                strokes, size = read_drawing_request(parse_json_body(self._read_body()), explainer.side)
                self._send_json(HTTPStatus.OK, explainer.predict(strokes, size))
            elif path == "/api/model":
                _query_parameters(query, ())
                collector = self.server.collector
                collecting = collector.describe() if collector is not None else {"enabled": False}
                self._send_json(HTTPStatus.OK, {**explainer.describe(), "collect": collecting})
            elif path == "/api/collect":
                strokes, label = read_collect_request(parse_json_body(self._read_body()), explainer.side)
                self._send_json(HTTPStatus.OK, {"saved": label, "collect": self.server.collector.save(strokes, label)})
            elif path == "/api/weights":
                parameters = _query_parameters(query, ("unit",))
                if "unit" not in parameters:
                    raise RequestError(HTTPStatus.BAD_REQUEST, "give the hidden unit: /api/weights?unit=0")
                unit = _whole_number(parameters["unit"], "unit", explainer.hidden_units)
                self._send_json(HTTPStatus.OK, explainer.weights(unit))
            else:
                parameters = _query_parameters(query, ("kind", "seed"))
                kind = parameters.get("kind")
                if kind not in shapes.KINDS:
                    shown = "no kind" if kind is None else f"{kind[:40]!r}"
                    raise RequestError(
                        HTTPStatus.BAD_REQUEST, f"kind must be one of {', '.join(shapes.KINDS)}; got {shown}"
                    )
                seed = _whole_number(parameters["seed"], "seed", 2**64) if "seed" in parameters else None
                self._send_json(HTTPStatus.OK, explainer.sample(kind, seed))
            return
        file_path = static_file(path)
        if file_path is None:
            raise RequestError(HTTPStatus.NOT_FOUND, f"nothing here: {path[:100]}")
        if method not in ("GET", "HEAD"):
            raise RequestError(HTTPStatus.METHOD_NOT_ALLOWED, f"{path} answers GET only, got {method}", allow="GET")
        with open(file_path, "rb") as file:
            body = file.read()
        content_type = CONTENT_TYPES[os.path.splitext(file_path)[1].lower()]
        self._respond(HTTPStatus.OK, body, content_type)

    def _read_body(self) -> bytes:
        """The request body, refused before reading when it has no length or too much of it."""
        if "Transfer-Encoding" in self.headers:
            raise RequestError(
                HTTPStatus.LENGTH_REQUIRED, "send the body with a Content-Length, not a Transfer-Encoding"
            )
        length_text = self.headers.get("Content-Length")
        if length_text is None:
            raise RequestError(HTTPStatus.LENGTH_REQUIRED, "the request needs a Content-Length header")
        if not re.fullmatch(r"[0-9]{1,20}", length_text.strip()):
            self.close_connection = True
            raise RequestError(
                HTTPStatus.BAD_REQUEST, f"Content-Length must be a whole number of bytes, got {length_text[:40]!r}"
            )
        length = int(length_text)
        if length > MAX_BODY_BYTES:
            raise RequestError(
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                f"the body is {length:,} bytes; at most {MAX_BODY_BYTES:,} are accepted",
            )
        body = self.rfile.read(length)
        if len(body) != length:
            self.close_connection = True
            raise RequestError(
                HTTPStatus.BAD_REQUEST, f"the body ended after {len(body)} of its {length} announced bytes"
            )
        return body

    # --- answering and logging ------------------------------------------------

    def _send_json(self, status: HTTPStatus, content: dict, headers: dict | None = None, note: str = "") -> None:
        body = json.dumps(content, allow_nan=False, separators=(",", ":")).encode("utf-8")
        self._respond(status, body, "application/json; charset=utf-8", headers, note)

    def _respond(
        self,
        status: HTTPStatus,
        body: bytes,
        content_type: str,
        headers: dict | None = None,
        note: str = "",
    ) -> None:
        """Send status, headers and body (no body for HEAD), then write the request's log line."""
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.send_header("Cache-Control", "no-store")
            self.send_header("X-Content-Type-Options", "nosniff")
            self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            if getattr(self, "command", None) != "HEAD":
                self.wfile.write(body)
        except (ConnectionError, TimeoutError):
            self.close_connection = True
            note = (note + "; " if note else "") + "the client left before the answer was sent"
        line = f"{self.command or '-'} {self._shown_path()} {int(status)} {self._elapsed_ms():.1f} ms"
        self._log_line(f"{line} ({note})" if note else line)

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """Errors found by http.server itself (a bad request line, an unknown method): JSON too."""
        self.close_connection = True
        if self.request_version == "HTTP/0.9":
            # http.server takes a request line it cannot read for HTTP/0.9,
            # which has no status line: answer in HTTP/1.0 so the client sees the status.
            self.request_version = "HTTP/1.0"
        text = message or HTTPStatus(code).phrase
        self._send_json(HTTPStatus(code), {"error": text})

    def parse_request(self) -> bool:
        self._started = time.perf_counter()
        return super().parse_request()

    def log_request(self, code: object = "-", size: object = "-") -> None:
        """Silenced: ``_respond`` writes one line per request, with its duration."""

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: idle keep-alive timeouts are not requests; everything else goes through ``_respond``."""

    def _elapsed_ms(self) -> float:
        return (time.perf_counter() - getattr(self, "_started", time.perf_counter())) * 1000

    def _shown_path(self) -> str:
        """The requested path for the log, with control characters escaped and a length limit."""
        path = getattr(self, "path", "") or "-"
        shown = "".join(character if character.isprintable() else repr(character)[1:-1] for character in path[:200])
        return shown + ("..." if len(path) > 200 else "")

    def _log_line(self, line: str) -> None:
        self.server.log(line)


class DemoServer(ThreadingHTTPServer):
    """A ThreadingHTTPServer that holds the model, the log stream and the collector (None: nothing is saved)."""

    daemon_threads = True  # a stalled client never keeps the program from stopping
    # Nor does server_close wait for the handler threads: one waiting for a stalled client would hold up
    # Ctrl-C for REQUEST_TIMEOUT_SECONDS.  serve waits for the requests being answered instead, with a
    # bound (finish_requests), and a drawing being saved is never cut short (Collector.close).
    block_on_close = False
    timeout = STOP_CHECK_SECONDS  # handle_request returns after this long without a connection (see serve)

    def __init__(
        self, address: tuple[str, int], explainer: Explainer, stream: TextIO, collector: Collector | None = None
    ) -> None:
        self.explainer = explainer
        self.collector = collector
        self.stream = stream
        if ":" in address[0]:
            self.address_family = socket.AF_INET6
        self.connection_slots = threading.BoundedSemaphore(MAX_CONNECTIONS)
        self.slot_holders: set[socket.socket] = set()
        super().__init__(address, DemoRequestHandler)

    def process_request(self, request: socket.socket, client_address: object) -> None:
        """Serve the connection in a thread of its own if a slot is free; otherwise answer 503 and close it."""
        if not self.connection_slots.acquire(blocking=False):
            body = json.dumps({"error": f"the demo is serving {MAX_CONNECTIONS} connections; try again"}).encode()
            try:
                request.sendall(
                    b"HTTP/1.1 503 Service Unavailable\r\nContent-Type: application/json\r\nRetry-After: 1\r\n"
                    + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode() + body
                )
            except OSError:
                pass  # the client is gone already: nothing to tell it
            self.shutdown_request(request)
            self.log(f"- - connection from {client_address} refused: {MAX_CONNECTIONS} connections open")
            return
        self.slot_holders.add(request)
        try:
            super().process_request(request, client_address)
        except BaseException:
            # Most often no thread started, so none will give the slot back.  But a KeyboardInterrupt (Ctrl-C
            # in serve_forever run in the main thread; serve itself takes Ctrl-C otherwise, see CtrlC) can
            # land after Thread.start has launched the thread: then both give it back, and _release_slot
            # lets only the first do so.  Released twice, the semaphore raised ValueError, which
            # socketserver took for a failed request and logged, swallowing the Ctrl-C.
            self._release_slot(request)
            raise

    def process_request_thread(self, request: socket.socket, client_address: object) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._release_slot(request)

    def _release_slot(self, request: socket.socket) -> None:
        """Give the connection's slot back, once however many times it is called."""
        try:
            self.slot_holders.remove(request)  # one step under the GIL: of two callers, one gets past it
        except KeyError:
            return
        self.connection_slots.release()

    def finish_requests(self, wait_seconds: float = STOP_WAIT_SECONDS) -> None:
        """Stop reading from every open connection, then wait (at most ``wait_seconds``) for their threads.

        Called once no new connection is taken.  A thread answering a request
        it has read goes on and sends the answer; one waiting for its client
        (for the rest of a request, as a stalled client makes it) reads the
        end of the stream at once, and answers 400 or simply closes.
        """
        for request in self.slot_holders.copy():
            try:
                request.shutdown(socket.SHUT_RD)
            except OSError:
                pass  # closed a moment ago
        deadline = time.monotonic() + wait_seconds
        while self.slot_holders and time.monotonic() < deadline:
            time.sleep(0.01)

    def log(self, line: str) -> None:
        """Write one line to the log stream; a lock keeps lines from two threads whole."""
        with _LOG_LOCK:
            try:
                self.stream.write(line + "\n")
                self.stream.flush()
            except (OSError, ValueError):
                pass  # a closed log stream must not stop the demo

    def handle_error(self, request: object, client_address: object) -> None:
        """An error outside the handler's own catching (rare: a broken socket): one line, no traceback."""
        error = sys.exc_info()[1]
        self.log(f"- - connection from {client_address} failed: {type(error).__name__}: {error}")


def make_server(
    model: Sequential,
    host: str = "127.0.0.1",
    port: int = 8000,
    stream: TextIO | None = None,
    model_file: str | None = None,
    collect: str | os.PathLike | None = None,
) -> DemoServer:
    """A demo server for ``model`` bound to ``host:port`` (port 0: a free port), not yet serving.

    Call ``serve_forever()`` (in a thread, for tests), then ``shutdown()`` and
    ``server_close()``.  The bound port is ``server.server_port``.
    ``collect``: a file that ``POST /api/collect`` appends drawings to (see
    :class:`Collector`; an existing file is read and counted first); None,
    the default, writes nothing.
    """
    explainer = Explainer(model, model_file)
    # The collection file is read before the port is bound: a bad file leaves no socket behind.
    collector = Collector(collect) if collect is not None else None
    server = DemoServer((host, port), explainer, stream if stream is not None else sys.stderr, collector)
    # Imported here: training.py builds on this module.
    from .training import Trainer

    server.trainer = Trainer(collector.path if collector is not None else None)
    return server


class CtrlC:
    """While ``serve`` runs, Ctrl-C (SIGINT) sets ``pressed`` and nothing else; ``serve`` stops between requests.

    Python's own Ctrl-C, a KeyboardInterrupt raised in the main thread
    wherever it happens to be, is what made the demo hang once in CI.  The
    main thread runs socketserver's loop, and it spends part of each request
    in ``Thread.start`` for the request's thread; a KeyboardInterrupt landing
    there, once that thread had answered, made ``process_request`` give the
    connection slot back a second time, the ValueError that raised was taken
    by socketserver for a failed request, logged, and the loop went on
    serving.  Landing before the loop started, it escaped ``serve`` as a
    traceback.  Noting the press and stopping where the loop checks for it
    leaves no such place.  Pressed again while stopping, Ctrl-C is noted
    again and changes nothing: the stop is short and bounded (the loop sees
    the press within ``STOP_CHECK_SECONDS``, the requests being answered get
    ``STOP_WAIT_SECONDS``), so it needs no cutting short, and a second
    press, which people often give, must not turn it into a traceback.
    Only in the main thread (Python runs signal handlers there), and not
    when SIGINT is ignored (a program a script started in the background);
    the previous handler is put back.
    """

    def __init__(self) -> None:
        self.pressed = False
        self.previous: object = None

    def __enter__(self) -> CtrlC:
        if threading.current_thread() is threading.main_thread() and signal.getsignal(signal.SIGINT) not in (
            signal.SIG_IGN,
            None,
        ):
            self.previous = signal.signal(signal.SIGINT, self._press)
        return self

    def _press(self, number: int, frame: object) -> None:
        # A signal handler may run between any two steps of the main thread, even inside a lock's
        # critical section: it sets a flag and takes no lock.
        self.pressed = True

    def __exit__(self, *exception: object) -> None:
        if self.previous is not None:
            signal.signal(signal.SIGINT, self.previous)


def _print_address(server: DemoServer, host: str, open_browser: bool, stream: TextIO) -> None:
    """The address to open (and open it, if asked), and what is being collected."""
    # Listening everywhere includes this machine itself: show its loopback address.
    shown_host = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "[::1]"}.get(
        host, f"[{host}]" if ":" in host else host
    )
    address = f"http://{shown_host}:{server.server_port}/"
    print(f"purenet demo: open {address} in a browser (Ctrl-C to stop)", file=stream, flush=True)
    if server.collector is not None:
        squares, others = server.collector.counts["square"], server.collector.counts["other"]
        print(
            f"collecting drawings into {server.collector.path} (so far {squares} square{'s' * (squares != 1)} "
            f"and {others} other{'s' * (others != 1)})",
            file=stream,
            flush=True,
        )
    if host in ("", "0.0.0.0", "::"):
        print("note: listening on every network interface: other machines can reach this demo", file=stream)
    if open_browser and not webbrowser.open(address):
        print("could not open a browser: open the address above yourself", file=stream)


def serve(
    model_path: str | None = None,
    host: str = "127.0.0.1",
    port: int = 8000,
    open_browser: bool = False,
    stream: TextIO | None = None,
    collect: str | os.PathLike | None = None,
) -> int:
    """Serve the demo until Ctrl-C, then stop cleanly; returns 0.

    ``model_path`` is a saved model (default: the shipped square detector).
    ``collect`` is a file to save drawings into (the page then shows the save
    buttons; see :func:`make_server`); None, the default, writes nothing.
    The address, then one line per request, go to ``stream`` (default
    ``sys.stderr``, looked up at call time so that a replaced stderr is used).
    A bad model file raises ``ModelFileError`` (a ValueError) and a port in
    use raises OSError, which the command line prints as one line.  Ctrl-C
    while the model loads is a KeyboardInterrupt (nothing is serving yet);
    from then on it stops the demo as described in :class:`CtrlC`: no new
    connection is taken, the requests being answered are finished and a
    client still sending is cut off (:meth:`DemoServer.finish_requests`), a
    drawing being saved is written whole (:meth:`Collector.close`), and the
    training workers stop.
    """
    stream = stream if stream is not None else sys.stderr
    if model_path is None:
        model, model_file = recipe.square_detector(), os.path.basename(recipe.SHIPPED_MODEL)
    else:
        model, model_file = load(model_path), os.path.basename(model_path)
    with CtrlC() as ctrl_c:
        server = make_server(model, host, port, stream, model_file, collect)
        try:
            _print_address(server, host, open_browser, stream)
            # handle_request rather than serve_forever: the loop is ours, so the flag is read here, between
            # requests, and at least every STOP_CHECK_SECONDS (server.timeout) when none comes.
            while not ctrl_c.pressed:
                server.handle_request()
        finally:
            server.finish_requests()
            if server.collector is not None:
                server.collector.close()
            server.trainer.stop_all()
            server.server_close()
        print("purenet demo: stopped", file=stream, flush=True)
    return 0
