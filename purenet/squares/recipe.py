"""The square detector: is this drawing a square?

A drawing becomes 1024 numbers (``purenet.drawing.prepare``: turned upright,
normalised, rasterised on a 32 x 32 grid, read along the Hilbert curve), and a small
network answers with two scores, [not square, square]:

    1024 -> Dense -> 32 -> LeakyReLU -> Dense -> 2 -> (softmax)

The network ends in logits and is trained with ``SoftmaxCrossEntropy``;
``predict_proba`` applies the softmax. This module holds the recipe
(``build_network``, ``train`` and its step schedule, ``learning_rate_factor``
and ``StepSchedule``), the honest measurement (``evaluate`` on
freshly generated drawings, per kind, at any resolution), and the model that
ships inside the package (``square_detector``). Why normalisation matters and
how well it works: docs/squares.md.
"""

from __future__ import annotations

import contextlib
import gc
import math
import os
import random
import sys
from collections.abc import Iterator
from typing import TextIO

from . import drawing, hand, shapes, upright
from ..callbacks import Callback
from ..layers import Dense, LeakyReLU
from ..metrics import confusion_matrix
from ..model import Sequential
from ..optimizers import SGD, Adam, Optimizer
from ..serialization import load
from ..training import Training

SHIPPED_MODEL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "models", "square_detector.json")
CLASS_NAMES = ("not square", "square")
EXTRA_LABELS = {"square": 1, "other": 0}
"""Labels of real drawings added with ``train(extra=...)`` (``--extra FILE:square``), and their classes."""

# The default recipe: measured in docs/squares.md and benchmarks/time_to_accuracy.py.
DEFAULT_SAMPLES = 20000
DEFAULT_HIDDEN = 32
DEFAULT_EPOCHS = 10
DEFAULT_BATCH_SIZE = 50
DEFAULT_LEARNING_RATE = 0.003
OPTIMIZERS = ("adam", "sgd")
DEFAULT_SCHEDULE = "step"
SCHEDULES = ("constant", "step")
"""``train``'s learning-rate schedules: the rate unchanged, or lowered for the last epochs (``learning_rate_factor``)."""
TILT_SEED_OFFSET = 99
"""The training tilts come from ``random.Random(seed + TILT_SEED_OFFSET)`` (``training_tilts``)."""


def build_network(size: int = 32, hidden: int = DEFAULT_HIDDEN, rng: random.Random | None = None) -> Sequential:
    """``size*size -> hidden LeakyReLU -> 2``: He initialisation, seeded by ``rng``.

    Its metadata says ``"upright": True``: it reads drawings turned upright
    (``reads_upright``), as ``train`` prepares them.
    """
    rng = rng if rng is not None else random.Random(0)
    model = Sequential(Dense(size * size, hidden, rng=rng), LeakyReLU(), Dense(hidden, 2, rng=rng))
    model.metadata["upright"] = True
    return model


def reads_upright(model: Sequential) -> bool:
    """Whether ``model`` was trained on drawings turned upright: its metadata says ``"upright": true``.

    Every model ``train`` makes does (since 2026-12-02); a model saved
    before has no such key and is given drawings as it learnt them, not
    turned, so that it answers as it always did.  Pass the answer as
    ``upright`` to ``inputs`` and to ``drawing.model_input``.
    """
    return model.metadata.get("upright") is True


def learning_rate_factor(epoch: int, epochs: int) -> float:
    """The step schedule: lr for the first 70% of the epochs, lr / 3 up to 90%, lr / 10 for the rest.

    ``epoch`` counts from 0, as a scheduler's ``last_epoch`` does; with 10
    epochs, epochs 1-7 run at lr, 8-9 at lr / 3 and 10 at lr / 10. At a
    constant rate the network ends where Adam's steps leave it, jittering
    around a minimum; the smaller steps at the end let it settle there
    (docs/squares.md, section 7, measures what that is worth).
    """
    # In whole numbers, so that 70% of 10 epochs is exactly 7, whatever the float rounding of 0.7.
    if 10 * epoch < 7 * epochs:
        return 1.0
    if 10 * epoch < 9 * epochs:
        return 1 / 3
    return 1 / 10


class StepSchedule(Callback):
    """The step schedule in ``fit``: epoch e (from 1) runs at lr * learning_rate_factor(e - 1, epochs).

    The rate is set from the epoch's number alone, at the start of each
    epoch, and recorded in the history as ``"lr"``. So a run resumed from a
    checkpoint gets the rate of the epoch it goes on with, even with another
    number of epochs: the schedule then stretches to the new length. (An
    engine ``LambdaLR`` would give the same rates, but on a resume it keeps
    the rate the checkpoint's optimiser held until its next step.)
    """

    def __init__(self, optimizer: Optimizer, epochs: int) -> None:
        self.optimizer, self.epochs = optimizer, epochs
        self.lr = optimizer.lr  # the full rate, read before any epoch lowers it

    def on_epoch_begin(self, training: Training) -> None:
        self.optimizer.lr = self.lr * learning_rate_factor(training.epoch - 1, self.epochs)

    def on_epoch_end(self, training: Training) -> None:
        training.history.setdefault("lr", []).append(self.optimizer.lr)


def schedule_callbacks(schedule: str, optimizer: Optimizer, epochs: int) -> list[Callback]:
    """The callbacks that give ``fit`` a schedule of ``SCHEDULES``: ``[StepSchedule]`` for "step", none for "constant"."""
    _check_schedule(schedule)
    return [StepSchedule(optimizer, epochs)] if schedule == "step" else []


def _check_schedule(schedule: object) -> None:
    if schedule not in SCHEDULES:
        raise ValueError(f"schedule must be one of {', '.join(SCHEDULES)}, got {schedule!r}")


def model_size(model: Sequential) -> int:
    """The grid side a model reads: sqrt of its first layer's inputs (32 for 1024)."""
    first = model.layers[0]
    side = math.isqrt(first.in_features) if isinstance(first, Dense) else 0
    if not isinstance(first, Dense) or side * side != first.in_features or side & (side - 1):
        raise ValueError(
            f"the model's first layer must be a Dense layer reading a square power-of-two grid "
            f"(e.g. 1024 = 32 x 32 inputs), got {first!r}"
        )
    return side


def inputs(drawings: list, model_side: int, size: int, upright: bool = True) -> list[list[float]]:
    """Network inputs for drawings rendered at ``size`` and read by a model of side ``model_side``.

    ``drawing.model_input`` for each drawing: a larger grid is shrunk by
    ``hilbert.downsample`` (averaging runs of (size/model_side)^2 consecutive
    curve values is average pooling), a smaller one enlarged by
    ``hilbert.upsample`` (each pixel becomes a block).  ``upright``: turn
    each drawing upright first (``reads_upright`` of the model that reads them).
    """
    return [drawing.model_input(item, model_side, size, upright) for item in drawings]


def training_tilts(seed: int) -> random.Random:
    """The generator of the training drawings' small tilts for a run of ``seed``: ``random.Random(seed + 99)``.

    A stream of its own, so that the drawings, the weights and the shuffling
    are those of ``seed`` with or without the tilts.
    """
    return random.Random(seed + TILT_SEED_OFFSET)


def tilted_drawing(item: object, rng: random.Random) -> list[list[tuple[float, float]]]:
    """``item``'s strokes turned upright, then by ``hand.everyday_tilt(rng)`` degrees: a training drawing.

    Turned upright, the training squares are more alike than the squares
    people draw, and a network that learns from them alone calls square
    only what is very like them (docs/squares.md, section 7: a parallelogram
    of shear 0.3 called square 58% of the time, against 87% with the
    tilts).  So each is turned back by a small tilt such as people's hands
    leave.  Drawings to be answered are only turned upright (``inputs``).
    """
    strokes = upright.upright(drawing.read_strokes(item, "tilted_drawing: drawing"))
    return upright.turn(strokes, math.radians(hand.everyday_tilt(rng)))


def tilted_inputs(drawings: list, size: int, rng: random.Random) -> list[list[float]]:
    """Training inputs: each drawing's ``tilted_drawing``, cropped, scaled and drawn at ``size`` (not turned again)."""
    return [drawing.prepare(tilted_drawing(item, rng), size, upright=False) for item in drawings]


def evaluate(model: Sequential, size: int = 32, samples: int = 2000, seed: int = 12345) -> dict:
    """Held-out accuracy on ``samples`` freshly generated drawings, rendered at ``size``.

    Returns ``{"accuracy", "per_kind": {kind: accuracy}, "confusion": [[...]],
    "samples", "size", "seed"}``; the confusion matrix has rows = true class,
    columns = predicted class (0 = not square, 1 = square).
    """
    return report(model, shapes.labelled_drawings(samples, seed=seed), size, seed)


def report(model: Sequential, labelled: list, size: int, seed: int) -> dict:
    """Accuracy overall and per kind, and the confusion matrix, on (kind, drawing) pairs."""
    kinds = [kind for kind, _ in labelled]
    labels = [kind_label(kind) for kind in kinds]
    predicted = model.predict(inputs([item for _, item in labelled], model_size(model), size, reads_upright(model)))
    per_kind = {}
    for kind in [*shapes.KINDS, *(f"extra {label}" for label in EXTRA_LABELS)]:
        outcomes = [p == label for p, label, k in zip(predicted, labels, kinds) if k == kind]
        if outcomes:
            per_kind[kind] = sum(outcomes) / len(outcomes)
    return {
        "accuracy": sum(p == label for p, label in zip(predicted, labels)) / len(labels),
        "per_kind": per_kind,
        "confusion": confusion_matrix(predicted, labels, classes=2),
        "samples": len(labelled),
        "size": size,
        "seed": seed,
    }


def kind_label(kind: str) -> int:
    """The class of a kind: ``shapes.KINDS`` for generated drawings, ``EXTRA_LABELS`` for ``"extra square"``, ..."""
    if kind.startswith("extra "):
        return EXTRA_LABELS[kind[len("extra ") :]]
    return shapes.KINDS[kind]


def evaluate_drawings(model: Sequential, drawings: list, size: int = 32) -> dict:
    """The share of ``drawings`` (e.g. real ones from ``quickdraw.read``) that ``model`` calls square.

    Each drawing is rendered at ``size`` and brought to the model's side by
    ``drawing.model_input``.  Returns ``{"drawings", "called_square",
    "share_square", "size"}``; for drawings of squares the share is the
    accuracy, for drawings of anything else it is the error rate.
    """
    if not drawings:
        raise ValueError("evaluate_drawings: drawings is empty: there is nothing to measure")
    predicted = model.predict(inputs(drawings, model_size(model), size, reads_upright(model)))
    called_square = sum(1 for answer in predicted if answer == 1)
    return {
        "drawings": len(drawings),
        "called_square": called_square,
        "share_square": called_square / len(drawings),
        "size": size,
    }


def format_report(report: dict) -> str:
    """The evaluation as text: overall, per kind, and the confusion matrix."""
    lines = [
        f"held-out accuracy: {report['accuracy']:.2%} on {report['samples']} drawings "
        f"at {report['size']}x{report['size']} never seen in training (generator seed {report['seed']})",
        "per kind:",
    ]
    for kind, value in report["per_kind"].items():
        label = CLASS_NAMES[kind_label(kind)]
        lines.append(f"  {kind:<12} ({label:<10}) {value:7.2%}")
    extra = report.get("extra", {})
    if any(extra.values()):
        lines.insert(
            1,
            f"with real drawings (--extra): {extra['train']} in training, {extra['validation']} in validation, "
            f"{extra['test']} among these held-out drawings",
        )
    (true_negative, false_positive), (false_negative, true_positive) = report["confusion"]
    lines += [
        "confusion matrix (rows: truth, columns: prediction):",
        f"  {'':<12} {'not square':>10} {'square':>8}",
        f"  {'not square':<12} {true_negative:>10} {false_positive:>8}",
        f"  {'square':<12} {false_negative:>10} {true_positive:>8}",
    ]
    return "\n".join(lines)


def train(
    samples: int = DEFAULT_SAMPLES,
    size: int = 32,
    hidden: int = DEFAULT_HIDDEN,
    epochs: int = DEFAULT_EPOCHS,
    batch_size: int = DEFAULT_BATCH_SIZE,
    lr: float = DEFAULT_LEARNING_RATE,
    optimizer: str = "adam",
    seed: int = 0,
    verbose: int = 1,
    schedule: str = DEFAULT_SCHEDULE,
    stream: TextIO | None = None,
    extra: list[tuple[str, object]] | None = None,
    callbacks: list | None = None,
    resume: str | None = None,
) -> tuple[Sequential, dict]:
    """Generate drawings, split 80 / 10 / 10 into train / validation / test, and train.

    Every drawing is turned upright; the training drawings are then turned
    by small tilts such as people's hands leave (``tilted_inputs``, from
    ``training_tilts(seed)``), and the model's metadata
    says ``"upright": True`` (``reads_upright``).

    ``extra``: real drawings to learn from as well, as ``(label, drawing)``
    pairs with label ``"square"`` or ``"other"`` (``EXTRA_LABELS``), for
    example ``[("square", d["strokes"]) for d in quickdraw.read(path)]``.
    Each label's drawings are shuffled by ``random.Random(seed)`` and split
    like the generated ones: ``n // 10`` to test, ``n // 10`` to validation,
    the rest to training, each added once (no repetition or weighting).
    They appear in the report as the kinds ``"extra square"`` and
    ``"extra other"``.

    Returns the model and the test report (``evaluate``'s form, on the test
    split: drawings the model never saw, never a running training average),
    with ``"extra": {"train", "validation", "test"}``, how many extra
    drawings went to each part.  See docs/squares.md, "Real drawings".
    ``callbacks`` are passed to ``fit`` (``train squares --report`` keeps the history with one),
    and so is ``resume``, a checkpoint to go on from (docs/checkpoints.md).
    ``schedule``: ``"step"`` lowers the learning rate for the last epochs
    (``learning_rate_factor``), ``"constant"`` keeps ``lr`` throughout; the
    rate of each epoch is in the history as ``"lr"``.
    """
    if optimizer not in OPTIMIZERS:
        raise ValueError(f"optimizer must be one of {', '.join(OPTIMIZERS)}, got {optimizer!r}")
    _check_schedule(schedule)  # before any drawing is made, like every other option
    if samples < 20:
        raise ValueError(f"samples must be at least 20 (to split into train, validation and test), got {samples}")
    labelled = shapes.labelled_drawings(samples, seed=seed)
    validation_count = test_count = samples // 10
    training = labelled[: samples - validation_count - test_count]
    validation = labelled[len(training) : len(training) + validation_count]
    test = labelled[len(training) + validation_count :]
    extra_counts = {"train": 0, "validation": 0, "test": 0}
    for label, drawings in _extra_by_label(extra).items():
        random.Random(seed).shuffle(drawings)
        held_out = len(drawings) // 10
        kind = f"extra {label}"
        test = test + [(kind, item) for item in drawings[:held_out]]
        validation = validation + [(kind, item) for item in drawings[held_out : 2 * held_out]]
        training = training + [(kind, item) for item in drawings[2 * held_out :]]
        extra_counts["test"] += held_out
        extra_counts["validation"] += held_out
        extra_counts["train"] += len(drawings) - 2 * held_out

    X_train = tilted_inputs([item for _, item in training], size, training_tilts(seed))
    y_train = [kind_label(kind) for kind, _ in training]
    X_validation = inputs([item for _, item in validation], size, size)
    y_validation = [kind_label(kind) for kind, _ in validation]
    model = build_network(size, hidden, random.Random(seed))
    if optimizer == "adam":
        chosen = Adam(model.parameters(), lr=lr)
    else:
        chosen = SGD(model.parameters(), lr=lr, momentum=0.9)
    scheduled = schedule_callbacks(schedule, chosen, epochs)
    with frozen_for_the_collector():
        model.fit(
            X_train,
            y_train,
            optimizer=chosen,
            epochs=epochs,
            batch_size=batch_size,
            seed=seed,
            validation=(X_validation, y_validation),
            verbose=verbose,
            stream=stream or sys.stderr,
            callbacks=scheduled + (callbacks or []),
            resume=resume,
        )
    return model, {**report(model, test, size, seed), "extra": extra_counts}


@contextlib.contextmanager
def frozen_for_the_collector() -> Iterator[None]:
    """Everything alive now set aside from Python's cycle collector (``gc.freeze``) while the block runs.

    ``train`` holds its drawings for the whole run: 18,000 lists of 1024
    floats, holding no reference cycles, which every full pass of the
    collector would walk again (0.4 s each, dozens of times in a run).
    Frozen, they are skipped: the steps run about 1.09 times as fast
    (benchmarks/garbage_collector.py), with the same numbers. Afterwards
    they are unfrozen, unless something was frozen before (by the caller,
    or by the interpreter itself: Python 3.12 starts with a few hundred
    objects frozen), since unfreezing would undo that too; then all stays
    frozen. Frozen objects are still freed when nothing refers to them,
    only cycles among them are not.
    """
    unfreeze_after = gc.get_freeze_count() == 0
    gc.freeze()
    try:
        yield
    finally:
        if unfreeze_after:
            gc.unfreeze()


def _extra_by_label(extra: object) -> dict[str, list]:
    """Check ``train``'s ``extra`` pairs and group their drawings by label (labels in EXTRA_LABELS order)."""
    if extra is None:
        return {}
    if not isinstance(extra, (list, tuple)):
        raise TypeError(f"train: extra must be a list of (label, drawing) pairs, got {type(extra).__name__}")
    grouped: dict[str, list] = {label: [] for label in EXTRA_LABELS}
    for index, pair in enumerate(extra):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise TypeError(f"train: extra[{index}] must be a (label, drawing) pair, got {type(pair).__name__}")
        label, item = pair
        if label not in EXTRA_LABELS:
            raise ValueError(
                f"train: extra[{index}] has the label {label!r}; expected one of {', '.join(EXTRA_LABELS)}"
            )
        # Checked here, so that a bad drawing is named before any training time is spent.
        grouped[label].append(drawing.read_strokes(item, f"train: extra[{index}] drawing"))
    return {label: drawings for label, drawings in grouped.items() if drawings}


def square_detector() -> Sequential:
    """The trained model shipped with purenet; ``predict_proba`` gives [p_not_square, p_square]."""
    return load(SHIPPED_MODEL)
