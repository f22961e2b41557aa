"""The live training page's server side: one training session per page, trained by a worker thread.

``python -m purenet demo`` serves the page at ``/train``. The page picks a
task (a 2-D toy set or the square detector), a network and an optimiser,
creates a session, and then polls its state several times a second while a
background thread trains in pure Python with ``Sequential.fit``. Everything
the page shows is measured by one callback, :class:`LiveWatcher`, at the
points of fit's loop described in docs/training.md; docs/watching.md says
how to read it.

Routes (answered by :meth:`Trainer.handle`; all bodies are strict JSON):

``GET /api/train/options``
    The tasks, activations and optimisers, and the bounds of every setting.
``POST /api/train/sessions``
    Body: the settings (:func:`read_settings`). Creates a session, ready to
    start: ``201 {"session": ID, ...}``; 503 when ``MAX_SESSIONS`` are live.
``POST /api/train/control``
    Body ``{"session": ID, "action": "start" | "pause" | "step" | "reset"}``.
    ``step`` trains one epoch, then pauses; ``reset`` draws fresh weights.
``GET /api/train/state?session=ID&since=N&picture=V``
    The state: status, epoch, the history from epoch ``N`` on, the gradient
    size and dead units of each layer, and, unless the page already has
    picture version ``V``, the decision regions (2-D tasks) or the first
    layer's weights on the grid (squares). Each call is also the page's
    heartbeat.
``POST /api/train/use``
    Body ``{"session": ID}``: the drawing page (``/``) now answers with this
    session's square detector.
``GET /api/train/model?session=ID``
    The trained model as a model file (``purenet.load`` reads it), to save.

Bounds: a worker per session, at most ``MAX_SESSIONS`` sessions; a session
whose page has not polled for ``HEARTBEAT_SECONDS`` stops its worker and is
forgotten, so closing the page frees its thread.
"""

from __future__ import annotations

import json
import math
import random
import secrets
import threading
import time
from http import HTTPStatus

from ... import datasets
from ...callbacks import Callback
from ...layers import Dense, LeakyReLU, ReLU, Sigmoid, Tanh
from ...matrices import tensors
from ...model import Sequential
from ...optimizers import SGD, Adam, Optimizer
from ...serialization import to_dict
from ...training import Training
from .. import hilbert, quickdraw, recipe, shapes
from .server import Explainer, RequestError, _json_type, _query_parameters, parse_json_body

MAX_SESSIONS = 4
"""Live sessions at once: each trains in its own thread, and the machine's cores are shared by all."""
HEARTBEAT_SECONDS = 15.0
"""A session whose page has not asked for its state for this long is stopped and forgotten."""
SNAPSHOT_SECONDS = 0.1
"""At most one snapshot of the gradients and the pictures per this many seconds of training."""
PICTURE_SHARE = 0.05
"""The pictures (regions, weights) may take at most this share of the worker's time: after a picture that
took t seconds, the next waits t * (1 - share) / share seconds, so the pictures cost training at most 5%."""
WEIGHTS_SECONDS = 1.0
"""The square detector's weight images are taken at most once a second: 32 x 1024 numbers is a large answer."""
REGION_RESOLUTION = 30
"""Cells on a side of the decision-region picture: 900 points through the network per picture."""

TASKS = {
    "spiral": {"classes": 3, "points": 100, "noise": 0.2, "title": "spiral (3 classes)"},
    "xor": {"classes": 2, "points": 200, "noise": 0.05, "title": "xor: four quadrants"},
    "circles": {"classes": 2, "points": 100, "noise": 0.1, "title": "circles"},
    "moons": {"classes": 2, "points": 100, "noise": 0.1, "title": "moons"},
    "squares": {"classes": 2, "points": 1000, "noise": None, "title": "the square detector (drawings)"},
}
"""The tasks the page offers: default sample counts ("points": per class for the toy sets except xor, which
counts points, and drawings for squares) and noise (the toy sets' own parameter: angle noise for the spiral,
the margin between quadrants for xor, coordinate noise for circles and moons)."""

ACTIVATIONS = {"relu": ReLU, "leaky_relu": LeakyReLU, "tanh": Tanh, "sigmoid": Sigmoid}
OPTIMIZERS = ("sgd", "momentum", "adam")
ACTIONS = ("start", "pause", "step", "reset")
SQUARE_SIDES = (16, 32)

BOUNDS = {
    "layers": (0, 6),
    "units": (1, 128),
    "lr": (1e-6, 10.0),
    "batch_size": (1, 1024),
    "epochs": (1, 10000),
    "points": (10, 1000),
    "drawings": (100, 4000),
    "noise": (0.0, 0.9),
    "seed": (0, 2**31 - 1),
}
"""Inclusive bounds of every number the page may send: low enough that one session cannot hold the server."""

DEFAULTS = {
    "task": "spiral",
    "hidden": [16, 16],
    "activation": "relu",
    "optimizer": "adam",
    "lr": 0.01,
    "batch_size": 16,
    "epochs": 500,
    "seed": 0,
    "side": 16,
}


# --- Reading the settings -------------------------------------------------------------


def _bad(message: str) -> RequestError:
    """A 400 answer with ``message``."""
    return RequestError(HTTPStatus.BAD_REQUEST, message)


def _whole(data: dict | list, key: str | int, low: int, high: int, name: str | None = None) -> int:
    """``data[key]`` if it is a whole number from ``low`` to ``high``; a 400 naming it otherwise."""
    value = data[key]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise _bad(f"{name or key} must be a whole number from {low} to {high}, got {_shown(value)}")
    return value


def _shown(value: object) -> str:
    """A JSON value in an error message: numbers and short strings as they are, the rest by their type."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return repr(value)
    if isinstance(value, str) and len(value) <= 40:
        return repr(value)
    return _json_type(value)


def read_settings(data: object) -> dict:
    """Check a ``POST /api/train/sessions`` body; return the settings with the defaults filled in.

    ``{"task": "spiral" | "xor" | "circles" | "moons" | "squares", "hidden": [units, ...],
    "activation": "relu" | "leaky_relu" | "tanh" | "sigmoid", "optimizer": "sgd" | "momentum" | "adam",
    "lr", "batch_size", "epochs", "seed", "points", "noise", "side" (squares: 16 or 32)}``, every field
    optional. Each number is checked against ``BOUNDS``; anything else is a 400 naming the field.
    """
    if not isinstance(data, dict):
        raise _bad(f"the body must be a JSON object of settings, got {_json_type(data)}")
    known = {*DEFAULTS, "points", "noise"}
    unknown = sorted(set(data) - known)
    if unknown:
        raise _bad(f"unknown setting(s) {', '.join(map(repr, unknown))}: expected some of {', '.join(sorted(known))}")
    settings = {**DEFAULTS, **data}
    task = settings["task"]
    if task not in TASKS:
        raise _bad(f"task must be one of {', '.join(TASKS)}, got {_shown(task)}")
    hidden = settings["hidden"]
    low, high = BOUNDS["layers"]
    if not isinstance(hidden, list) or not low <= len(hidden) <= high:
        raise _bad(f"hidden must be a list of {low} to {high} layer widths, got {_shown(hidden)}")
    for index in range(len(hidden)):
        _whole(hidden, index, *BOUNDS["units"], name=f"hidden[{index}] (units)")
    for name, choices in (("activation", tuple(ACTIVATIONS)), ("optimizer", OPTIMIZERS)):
        if settings[name] not in choices:
            raise _bad(f"{name} must be one of {', '.join(choices)}, got {_shown(settings[name])}")
    lr = settings["lr"]
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not BOUNDS["lr"][0] <= lr <= BOUNDS["lr"][1]:
        raise _bad(f"lr must be a number from {BOUNDS['lr'][0]} to {BOUNDS['lr'][1]}, got {_shown(lr)}")
    settings["lr"] = float(lr)
    for name in ("batch_size", "epochs", "seed"):
        _whole(settings, name, *BOUNDS[name])
    if task == "squares":
        if "noise" in data:
            raise _bad("noise is a setting of the 2-D tasks; the square detector's drawings have none")
        settings["points"] = settings.get("points", TASKS[task]["points"])
        _whole(settings, "points", *BOUNDS["drawings"])
        if settings["side"] not in SQUARE_SIDES:
            raise _bad(f"side must be one of {', '.join(map(str, SQUARE_SIDES))}, got {_shown(settings['side'])}")
        settings.pop("noise", None)
    else:
        if "side" in data:
            raise _bad("side is a setting of the squares task (the grid of a drawing)")
        settings.pop("side")
        settings["points"] = settings.get("points", TASKS[task]["points"])
        _whole(settings, "points", *BOUNDS["points"])
        noise = settings.get("noise", TASKS[task]["noise"])
        if isinstance(noise, bool) or not isinstance(noise, (int, float)) or not 0.0 <= noise <= BOUNDS["noise"][1]:
            raise _bad(f"noise must be a number from 0 to {BOUNDS['noise'][1]}, got {_shown(noise)}")
        settings["noise"] = float(noise)
    return settings


def options() -> dict:
    """What the page may choose, for ``GET /api/train/options``."""
    return {
        "tasks": {name: {"title": task["title"], "points": task["points"], "noise": task["noise"]}
                  for name, task in TASKS.items()},
        "activations": list(ACTIVATIONS),
        "optimizers": list(OPTIMIZERS),
        "square_sides": list(SQUARE_SIDES),
        "bounds": {name: list(bound) for name, bound in BOUNDS.items()},
        "defaults": DEFAULTS,
        "max_sessions": MAX_SESSIONS,
        "heartbeat_seconds": HEARTBEAT_SECONDS,
    }


# --- The data and the network ---------------------------------------------------------


def toy_data(task: str, points: int, noise: float, seed: int) -> tuple[list, list]:
    """A 2-D toy set drawn with ``seed`` (training) or ``seed + 1`` (validation: fresh points)."""
    if task == "spiral":
        return datasets.spiral(points_per_class=points, noise=noise, seed=seed)
    if task == "xor":
        return datasets.xor_quadrants(points=points, margin=noise, seed=seed)
    if task == "circles":
        return datasets.circles(points_per_class=points, noise=noise, seed=seed)
    return datasets.moons(points_per_class=points, noise=noise, seed=seed)


def square_data(drawings: int, side: int, seed: int, collect_path: str | None) -> tuple[list, list, list, list, int]:
    """Generated drawings (and the collected ones, if the demo collects), split 80 / 20 into training and
    validation; returns X_train, y_train, X_validation, y_validation and the number of collected drawings."""
    labelled = [(recipe.kind_label(kind), item) for kind, item in shapes.labelled_drawings(drawings, seed=seed)]
    collected = []
    if collect_path is not None:
        try:
            collected = [
                (recipe.EXTRA_LABELS["square" if entry["word"] == "square" else "other"], entry["strokes"])
                for entry in quickdraw.read(collect_path)
            ]
        except FileNotFoundError:
            collected = []  # nothing saved yet
        random.Random(seed).shuffle(collected)
    held_out = len(collected) // 5
    validation = labelled[: drawings // 5] + collected[:held_out]
    training = labelled[drawings // 5 :] + collected[held_out:]

    def split(part: list) -> tuple[list, list]:
        return recipe.inputs([item for _, item in part], side, side), [label for label, _ in part]

    return (*split(training), *split(validation), len(collected))


def build_model(inputs: int, settings: dict, classes: int) -> Sequential:
    """inputs -> (Dense -> activation) per hidden width -> Dense(classes), weights from ``seed``."""
    rng = random.Random(settings["seed"])
    layers = []
    width = inputs
    for units in settings["hidden"]:
        layers += [Dense(width, units, rng=rng), ACTIVATIONS[settings["activation"]]()]
        width = units
    layers.append(Dense(width, classes, rng=rng))
    return Sequential(*layers)


def build_optimizer(model: Sequential, settings: dict) -> Optimizer:
    """Adam, plain SGD, or SGD with momentum 0.9, at the settings' learning rate."""
    if settings["optimizer"] == "adam":
        return Adam(model.parameters(), lr=settings["lr"])
    momentum = 0.9 if settings["optimizer"] == "momentum" else 0.0
    return SGD(model.parameters(), lr=settings["lr"], momentum=momentum)


def plane(points: list[list[float]]) -> tuple[float, float, float, float]:
    """The square of the plane the regions are drawn on: the points plus 10% on each side."""
    xs, ys = [point[0] for point in points], [point[1] for point in points]
    middle_x, middle_y = (min(xs) + max(xs)) / 2, (min(ys) + max(ys)) / 2
    half = 0.6 * max(max(xs) - min(xs), max(ys) - min(ys), 1e-9)
    return middle_x - half, middle_x + half, middle_y - half, middle_y + half


# --- Watching fit -------------------------------------------------------------------


class LiveWatcher(Callback):
    """Everything the page shows, measured inside ``fit`` by one callback.

    After each batch: the batch number, the pause and stop requests, and at
    most every ``SNAPSHOT_SECONDS`` a snapshot (each layer's gradient size,
    the decision regions or the weights). After each epoch: the epoch's
    dead units. The page's requests only read what this callback wrote.
    """

    def __init__(self, session: TrainingSession) -> None:
        self.session = session

    def on_train_begin(self, training: Training) -> None:
        self.rectifiers = [index for index, layer in enumerate(training.model.layers) if type(layer) is ReLU]
        self.session.publish(training=training)

    def on_epoch_begin(self, training: Training) -> None:
        self.fired: dict[int, list[bool]] = {}

    def on_batch_end(self, training: Training) -> None:
        # A unit is alive in this epoch if it gave more than 0 for any sample so far.
        for index in self.rectifiers:
            fired_now = [max(column) > 0.0 for column in zip(*training.model.layers[index].output)]
            fired_before = self.fired.get(index)
            self.fired[index] = fired_now if fired_before is None else list(map(max, fired_before, fired_now))
        self.session.after_batch(training)

    def on_epoch_end(self, training: Training) -> None:
        dead = {index: units.count(False) for index, units in self.fired.items()}
        self.session.after_epoch(training, dead)


class TrainingSession:
    """One page's run: its settings, data, model and worker thread, and what the page reads.

    ``status``: "preparing" (making the data), "ready", "running", "paused",
    "finished", "stopped" (the page went away) or "failed" (``message`` says why).
    """

    def __init__(self, identifier: str, settings: dict, collect_path: str | None) -> None:
        self.identifier = identifier
        self.settings = settings
        self.collect_path = collect_path
        self.condition = threading.Condition()
        self.last_seen = time.monotonic()
        self.status = "preparing"
        self.message = ""
        self.data: tuple | None = None
        self.thread: threading.Thread | None = None
        self.collected = 0
        self._reset_state()
        threading.Thread(target=self._prepare, name=f"purenet-train-prepare-{identifier}", daemon=True).start()

    # --- state shared with the page ---------------------------------------------

    def _reset_state(self) -> None:
        self.history: dict = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        self.epoch = self.batch = self.batches = 0
        self.running_loss: float | None = None
        self.pause_requested = False
        self.stop_requested = False
        self.steps_left: int | None = None
        self.gradients: list[dict] = []
        self.dead: list[dict] = []
        self.regions: list[int] | None = None
        self.weights: list | None = None
        self.picture_version = 0
        self._last_snapshot = self._last_weights = self._next_picture = -math.inf

    def _prepare(self) -> None:
        """Make the data (drawings take a few seconds) and the first model, in the background."""
        settings = self.settings
        try:
            if settings["task"] == "squares":
                X, y, X_validation, y_validation, self.collected = square_data(
                    settings["points"], settings["side"], settings["seed"], self.collect_path
                )
            else:
                X, y = toy_data(settings["task"], settings["points"], settings["noise"], settings["seed"])
                X_validation, y_validation = toy_data(
                    settings["task"], settings["points"], settings["noise"], settings["seed"] + 1
                )
        except (ValueError, OSError) as error:
            with self.condition:
                self.status, self.message = "failed", f"could not make the data: {error}"
            return
        with self.condition:
            self.data = (X, y, X_validation, y_validation)
            if settings["task"] != "squares":
                self.bounds = plane(X + X_validation)
                left, right, bottom, top = self.bounds
                cells = REGION_RESOLUTION
                # Cell centres, top row first, as the page draws them.
                self.grid_points = [
                    [left + (column + 0.5) * (right - left) / cells, top - (row + 0.5) * (top - bottom) / cells]
                    for row in range(cells)
                    for column in range(cells)
                ]
            self._build()
            self.status = "ready"

    def _build(self) -> None:
        """Fresh weights from the seed, a fresh optimiser, and an empty history."""
        classes = TASKS[self.settings["task"]]["classes"]
        self.model = build_model(len(self.data[0][0]), self.settings, classes)
        self.optimizer = build_optimizer(self.model, self.settings)
        self._reset_state()
        self._snapshot_pictures(force=True)

    # --- the worker --------------------------------------------------------------

    def _run(self) -> None:
        """The worker thread: one call of fit, watched by a LiveWatcher, until its epochs end or it is stopped."""
        X, y, X_validation, y_validation = self.data
        try:
            self.model.fit(
                X,
                y,
                optimizer=self.optimizer,
                epochs=self.settings["epochs"],
                batch_size=self.settings["batch_size"],
                seed=self.settings["seed"],
                validation=(X_validation, y_validation),
                verbose=0,
                callbacks=[LiveWatcher(self)],
            )
        except FloatingPointError as error:  # TrainingDivergedError: the message says what to try
            with self.condition:
                self.status, self.message = "failed", str(error)
            return
        with self.condition:
            if self.stop_requested:
                return  # reset or the page went away: whoever stopped us sets the status
            self.status = "finished"
            self.message = f"trained {self.epoch} epochs"

    def publish(self, training: Training) -> None:
        """Called by the watcher when fit begins: the page reads fit's own history from now on."""
        with self.condition:
            self.history = training.history
            self.batches = training.batches

    def after_batch(self, training: Training) -> None:
        """Called by the watcher after each batch: snapshot if it is time, then honour pause and stop."""
        self.batch, self.epoch = training.batch, training.epoch
        self.running_loss = training.running_loss()
        now = time.monotonic()
        if now - self._last_snapshot >= SNAPSHOT_SECONDS:
            self._last_snapshot = now
            self._snapshot_gradients()
        if now >= self._next_picture:
            self._snapshot_pictures()
            cost = time.monotonic() - now
            self._next_picture = now + cost + max(SNAPSHOT_SECONDS, cost * (1 - PICTURE_SHARE) / PICTURE_SHARE)
        self._wait_if_paused(training)

    def after_epoch(self, training: Training, dead: dict[int, int]) -> None:
        layers = training.model.layers
        with self.condition:
            self.dead = [
                {"layer": index, "dead": count, "units": len(layers[index].output[0])}
                for index, count in sorted(dead.items())
            ]
            if self.steps_left is not None:
                self.steps_left -= 1
                if self.steps_left <= 0:
                    self.steps_left = None
                    self.pause_requested = True
        self._wait_if_paused(training)

    def _wait_if_paused(self, training: Training) -> None:
        """Block the worker while paused; stop it when asked or when the page stopped polling."""
        with self.condition:
            while True:
                if time.monotonic() - self.last_seen > HEARTBEAT_SECONDS:
                    self.stop_requested = True
                    self.status, self.message = "stopped", "the page stopped asking: training stopped"
                if self.stop_requested:
                    training.stop_training = True
                    return
                if not self.pause_requested:
                    self.status = "running"
                    return
                if self.status != "paused":
                    # The pictures of the very weights it stops at, for the page to study, taken before it
                    # says "paused" so that a paused session's pictures are always those of its weights.
                    self.condition.release()
                    try:
                        self._snapshot_gradients()
                        self._snapshot_pictures(force=True)
                    finally:
                        self.condition.acquire()
                    self.status = "paused" if self.pause_requested else self.status
                    continue  # the requests may have changed while the lock was free
                self.condition.wait(timeout=1.0)

    def _snapshot_gradients(self) -> None:
        """The size ||g|| = sqrt(sum g^2) of each Dense layer's weight gradient, from the last batch."""
        sizes = []
        for index, layer in enumerate(self.model.layers):
            if isinstance(layer, Dense) and layer.weight.grad is not None:
                values = tensors.flatten(layer.weight.grad)
                sizes.append({"layer": index, "norm": math.sqrt(math.fsum(value * value for value in values))})
        with self.condition:
            self.gradients = sizes

    def _snapshot_pictures(self, force: bool = False) -> None:
        """Regions (2-D tasks) or the first layer's weights on the grid (squares), from the current weights."""
        if self.settings["task"] != "squares":
            regions = self.model.predict(self.grid_points)
            with self.condition:
                self.regions = regions
                self.picture_version += 1
            return
        now = time.monotonic()
        if force or now - self._last_weights >= WEIGHTS_SECONDS:
            self._last_weights = now
            weights = [
                [[round(value, 4) for value in row] for row in hilbert.unflatten(list(unit))]
                for unit in self.model.layers[0].weight
            ]
            with self.condition:
                self.weights = weights
                self.picture_version += 1

    # --- what the page asks for ----------------------------------------------------

    def control(self, action: str) -> None:
        """start, pause, step (one epoch) or reset; refused with 409 when the session cannot do it now."""
        with self.condition:
            if self.status in ("preparing", "failed", "stopped"):
                raise RequestError(HTTPStatus.CONFLICT, f"cannot {action}: the session is {self.status}")
            if action == "reset":
                self._stop_worker()
                self._build()
                self.status = "ready"
                return
            if self.status == "finished":
                raise RequestError(
                    HTTPStatus.CONFLICT, f"cannot {action}: the run finished its epochs; reset to train again"
                )
            if action == "pause":
                self.pause_requested = True
                self.steps_left = None
            elif action in ("start", "step"):
                self.pause_requested = False
                self.steps_left = 1 if action == "step" else None
                if self.thread is None:
                    self.status = "running"
                    self.thread = threading.Thread(
                        target=self._run, name=f"purenet-train-{self.identifier}", daemon=True
                    )
                    self.thread.start()
            self.condition.notify_all()

    def _stop_worker(self) -> None:
        """Stop the worker (it stops after its current batch) and wait for it; called holding the condition."""
        thread = self.thread
        if thread is None:
            return
        self.stop_requested = True
        self.condition.notify_all()
        self.condition.release()
        try:
            thread.join()
        finally:
            self.condition.acquire()
        self.thread = None

    def stop(self) -> None:
        """Stop for good (the page went away)."""
        with self.condition:
            self._stop_worker()
            self.status = "stopped"

    def state(self, since: int) -> tuple[dict, dict | None]:
        """The page's view (everything from epoch ``since`` on, the latest gradients and dead units) and the
        latest picture: ``{"regions": ...}`` or ``{"weights": ...}``, or None before the first."""
        with self.condition:
            self.last_seen = time.monotonic()
            history = self.history
            # val_* are appended a moment after loss: send only the epochs complete in every list.
            complete = min(len(values) for values in history.values()) if history else 0
            answer = {
                "session": self.identifier,
                "status": self.status,
                "message": self.message,
                "epoch": self.epoch,
                "epochs": self.settings["epochs"],
                "batch": self.batch,
                "batches": self.batches,
                "running_loss": self.running_loss,
                "picture_version": self.picture_version,
                "history_from": min(since, complete),
                "history": {name: values[min(since, complete) : complete] for name, values in history.items()},
                "gradients": self.gradients,
                "dead": self.dead,
                "task": self.settings["task"],
            }
            picture = None
            if self.regions is not None:
                picture = {"regions": {"resolution": REGION_RESOLUTION, "classes": self.regions}}
            elif self.weights is not None:
                picture = {"weights": self.weights}
        return answer, picture

    def describe(self) -> dict:
        """The settings and the data, sent once when the session is made (and on request)."""
        with self.condition:
            answer = {"session": self.identifier, "settings": self.settings, "status": self.status}
            if self.data is not None:
                X, y, X_validation, y_validation = self.data
                answer["samples"] = {"training": len(X), "validation": len(X_validation), "collected": self.collected}
                if self.settings["task"] != "squares":
                    answer["points"] = [[round(a, 4), round(b, 4), label] for (a, b), label in zip(X, y)]
                    answer["bounds"] = list(self.bounds)
                answer["summary"] = self.model.summary()
        return answer


class Trainer:
    """The live sessions of one demo server, at most ``MAX_SESSIONS``, and the routes of the page."""

    def __init__(self, collect_path: str | None = None) -> None:
        self.collect_path = collect_path
        self.sessions: dict[str, TrainingSession] = {}
        self.lock = threading.Lock()

    def create(self, settings: dict) -> TrainingSession:
        """A new session for checked ``settings``; 503 when ``MAX_SESSIONS`` are live (abandoned ones go first)."""
        self.forget_abandoned()
        with self.lock:
            if len(self.sessions) >= MAX_SESSIONS:
                raise RequestError(
                    HTTPStatus.SERVICE_UNAVAILABLE,
                    f"{MAX_SESSIONS} training sessions are already running; close a training page, "
                    f"or wait {HEARTBEAT_SECONDS:.0f} s after closing one",
                )
            identifier = secrets.token_hex(8)
            session = TrainingSession(identifier, settings, self.collect_path)
            self.sessions[identifier] = session
            return session

    def forget_abandoned(self) -> None:
        """Stop and forget the sessions whose page stopped polling."""
        now = time.monotonic()
        with self.lock:
            abandoned = [key for key, session in self.sessions.items() if now - session.last_seen > HEARTBEAT_SECONDS]
            stopped = [self.sessions.pop(key) for key in abandoned]
        for session in stopped:
            session.stop()

    def stop_all(self) -> None:
        """Stop every worker (the server is closing)."""
        with self.lock:
            sessions = list(self.sessions.values())
            self.sessions.clear()
        for session in sessions:
            session.stop()

    def session(self, identifier: object) -> TrainingSession:
        """The live session called ``identifier``; 400 if it is not a string, 404 if there is none."""
        if not isinstance(identifier, str):
            raise _bad(f"session must be the session's id (a string), got {_shown(identifier)}")
        with self.lock:
            session = self.sessions.get(identifier)
        if session is None:
            raise RequestError(
                HTTPStatus.NOT_FOUND, "no such training session (it may have stopped when its page went away)"
            )
        return session

    def handle(self, handler: object, method: str, path: str, query: str) -> None:
        """Answer one ``/api/train/...`` request through the demo's request ``handler``."""
        routes = {
            "/api/train/options": "GET",
            "/api/train/sessions": "POST",
            "/api/train/control": "POST",
            "/api/train/state": "GET",
            "/api/train/use": "POST",
            "/api/train/model": "GET",
        }
        if path not in routes:
            raise RequestError(HTTPStatus.NOT_FOUND, f"nothing here: {path[:100]}")
        if method != routes[path]:
            raise RequestError(
                HTTPStatus.METHOD_NOT_ALLOWED, f"{path} answers {routes[path]} only, got {method}", allow=routes[path]
            )
        if path == "/api/train/options":
            _query_parameters(query, ())
            handler._send_json(HTTPStatus.OK, options())
        elif path == "/api/train/sessions":
            session = self.create(read_settings(parse_json_body(handler._read_body())))
            handler._send_json(HTTPStatus.CREATED, session.describe())
        elif path == "/api/train/control":
            data = parse_json_body(handler._read_body())
            if not isinstance(data, dict) or set(data) != {"session", "action"}:
                raise _bad(f'the body must be {{"session": ID, "action": ...}} with the actions {", ".join(ACTIONS)}')
            if data["action"] not in ACTIONS:
                raise _bad(f"action must be one of {', '.join(ACTIONS)}, got {_shown(data['action'])}")
            session = self.session(data["session"])
            session.control(data["action"])
            handler._send_json(HTTPStatus.OK, session.state(0)[0])
        elif path == "/api/train/state":
            parameters = _query_parameters(query, ("session", "since", "picture"))
            session = self.session(parameters.get("session"))
            since = parameters.get("since", "0")
            if not since.isdigit() or len(since) > 6:
                raise _bad(f"since must be a whole number of epochs, got {since[:40]!r}")
            answer, picture = session.state(int(since))
            # The picture (900 classes, or up to 32 x 1024 weights) only when the page does not have it yet.
            if picture is not None and parameters.get("picture") != str(answer["picture_version"]):
                answer.update(picture)
            if parameters.get("since") == "0":
                answer["describe"] = session.describe()
            handler._send_json(HTTPStatus.OK, answer)
        else:
            if path == "/api/train/model":
                parameters = _query_parameters(query, ("session",))
                session = self.session(parameters.get("session"))
            else:
                data = parse_json_body(handler._read_body())
                if not isinstance(data, dict) or set(data) != {"session"}:
                    raise _bad('the body must be {"session": ID}')
                session = self.session(data["session"])
            model = self._trained_model(session)
            if path == "/api/train/model":
                metadata = {**model.metadata, "task": session.settings["task"], "settings": session.settings}
                body = json.dumps(to_dict(model, metadata))
                name = f"purenet-{session.settings['task']}.json"
                handler._respond(
                    HTTPStatus.OK,
                    body.encode("utf-8"),
                    "application/json; charset=utf-8",
                    {"Content-Disposition": f'attachment; filename="{name}"'},
                )
            else:
                if session.settings["task"] != "squares" or len(session.settings["hidden"]) != 1:
                    raise RequestError(
                        HTTPStatus.CONFLICT,
                        "the drawing page shows square detectors with one hidden layer: train the squares task "
                        "with one hidden layer to try it there",
                    )
                handler.server.explainer = Explainer(model, f"trained in the page (session {session.identifier})")
                handler._send_json(HTTPStatus.OK, {"used": True, "model": handler.server.explainer.describe()})

    @staticmethod
    def _trained_model(session: TrainingSession) -> Sequential:
        """A copy of the session's model, taken while its worker is paused, finished or not started."""
        with session.condition:
            if session.status not in ("ready", "paused", "finished"):
                raise RequestError(
                    HTTPStatus.CONFLICT, f"pause the training first: the session is {session.status}"
                )
            copy = build_model(len(session.data[0][0]), session.settings, TASKS[session.settings["task"]]["classes"])
            copy.load_state_dict(session.model.state_dict())
            if session.settings["task"] == "squares":
                # square_data turned its drawings upright (recipe.inputs), so the page's drawings must be too.
                copy.metadata["upright"] = True
            return copy
