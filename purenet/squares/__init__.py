"""The square detector: an application built on the purenet engine.

Everything that knows about drawings lives in this folder; the engine
(``purenet.matrices``, ``layers``, ``losses``, ``optimizers``, ``model``, ...)
imports nothing from it, and ``import purenet`` does not load it.

    hilbert.py    the Hilbert curve: a 32 x 32 grid read as 1024 values
    drawing.py    a drawing (strokes) or a picture to the network's input
    upright.py    turning a drawing upright: convex hull, smallest rectangle
    hand.py       how people draw: the facts, a person's hand, its pen paths
    shapes.py     the kinds of drawing: a seeded generator of labelled drawings
    polyline.py   Ramer-Douglas-Peucker: strokes as few-point polylines
    quickdraw.py  the public Quick, Draw! doodle format (newline-delimited JSON)
    recipe.py     the network, its training recipe and its honest measurement
    run_report.py the detector's parts of a run report (accuracy per kind, ...)
    demo/         the web page: draw and watch the network answer
    models/       the shipped, trained detector

The recipe's names are re-exported here, so ``purenet.squares.train`` and
``purenet.squares.evaluate`` read as they always have. docs/squares.md tells
the whole story.
"""

from .recipe import (
    CLASS_NAMES,
    DEFAULT_BATCH_SIZE,
    DEFAULT_EPOCHS,
    DEFAULT_HIDDEN,
    DEFAULT_LEARNING_RATE,
    DEFAULT_SAMPLES,
    DEFAULT_SCHEDULE,
    EXTRA_LABELS,
    OPTIMIZERS,
    SCHEDULES,
    SHIPPED_MODEL,
    TILT_SEED_OFFSET,
    StepSchedule,
    build_network,
    evaluate,
    evaluate_drawings,
    format_report,
    frozen_for_the_collector,
    inputs,
    kind_label,
    learning_rate_factor,
    model_size,
    reads_upright,
    report,
    schedule_callbacks,
    square_detector,
    tilted_drawing,
    tilted_inputs,
    train,
    training_tilts,
)

__all__ = [
    "CLASS_NAMES",
    "DEFAULT_BATCH_SIZE",
    "DEFAULT_EPOCHS",
    "DEFAULT_HIDDEN",
    "DEFAULT_LEARNING_RATE",
    "DEFAULT_SAMPLES",
    "DEFAULT_SCHEDULE",
    "EXTRA_LABELS",
    "OPTIMIZERS",
    "SCHEDULES",
    "SHIPPED_MODEL",
    "TILT_SEED_OFFSET",
    "StepSchedule",
    "build_network",
    "evaluate",
    "evaluate_drawings",
    "format_report",
    "frozen_for_the_collector",
    "inputs",
    "kind_label",
    "learning_rate_factor",
    "model_size",
    "reads_upright",
    "report",
    "schedule_callbacks",
    "square_detector",
    "tilted_drawing",
    "tilted_inputs",
    "train",
    "training_tilts",
]
