"""The square detector's run report: ``python -m purenet train squares --report FILE.html``.

The engine's report (``purenet.report``) gives the curves, the command, the
model summary and the confusion matrix; this module adds what only the
square detector has: accuracy per kind of drawing, the first layer's weights
as pictures, and the fresh drawings the model finds hardest, drawn.

The network reads a drawing along the Hilbert curve (docs/hilbert.md), so
input i of a hidden unit is not pixel i of the grid: each unit's weight row
is put back on the grid with ``hilbert.unflatten`` before it is drawn.
"""

from __future__ import annotations

from .. import plot, report
from ..callbacks import Callback
from ..model import Sequential
from ..training import Training
from ..validation import check_integer
from . import drawing, hilbert, recipe, shapes

WORST_SAMPLES = 100
"""Fresh drawings searched for the hardest ones: enough to find the mistakes, few enough to stay well under 2 s."""
WORST_SHOWN = 12
"""Hardest drawings drawn in the report."""


class KeepHistory(Callback):
    """Keeps the history of the run it watches (``recipe.train`` returns none)."""

    def __init__(self) -> None:
        self.history: dict = {}

    def on_train_end(self, training: Training) -> None:
        self.history = training.history


def per_kind_section(test: dict, evaluation: dict) -> report.Section:
    """Accuracy per kind of drawing, on the test split and on fresh drawings."""
    kinds = list(dict.fromkeys([*test["per_kind"], *evaluation["per_kind"]]))
    rows = [
        [
            kind,
            recipe.CLASS_NAMES[recipe.kind_label(kind)],
            f"{test['per_kind'][kind]:.2%}" if kind in test["per_kind"] else "-",
            f"{evaluation['per_kind'][kind]:.2%}" if kind in evaluation["per_kind"] else "-",
        ]
        for kind in kinds
    ]
    rows.append(["all", "", f"{test['accuracy']:.2%}", f"{evaluation['accuracy']:.2%}"])
    return (
        "Accuracy per kind of drawing",
        report.table(
            ["kind", "class", f"test split ({test['samples']})", f"fresh drawings ({evaluation['samples']})"], rows
        ),
    )


def weights_section(model: Sequential) -> report.Section:
    """Each hidden unit's input weights, put back on the grid along the Hilbert curve."""
    first = model.layers[0]
    side = recipe.model_size(model)
    images = [hilbert.unflatten(list(row)) for row in first.weight]
    # Drawn through image_grid with weight_images' colours: the rows are already grids.
    chart = plot.image_grid(
        images,
        labels=[f"unit {index}" for index in range(len(images))],
        colour_map="diverging",
        scale=max(1, 64 // side),
    )
    return (
        "The first layer's weights",
        report.figure(
            chart,
            f"each hidden unit's {side * side} input weights on the {side} x {side} grid: red pixels push the "
            "unit up, blue ones down, white ones do not matter; one colour range for all units",
        ),
    )


def worst_section(model: Sequential, size: int, seed: int, samples: int = WORST_SAMPLES) -> report.Section:
    """The fresh drawings (never seen in training) to which the model gives the lowest probability of the truth."""
    check_integer(samples, "worst_section: samples", minimum=1)
    labelled = shapes.labelled_drawings(samples, seed=seed)
    side = recipe.model_size(model)
    grids = [drawing.rasterize(item, size, upright=recipe.reads_upright(model)) for _, item in labelled]
    inputs = [drawing.model_input(grid, side) for grid in grids]
    labels = [recipe.kind_label(kind) for kind, _ in labelled]
    worst = report.worst_examples(model, inputs, labels, min(WORST_SHOWN, samples))
    captions = [
        f"{labelled[entry['index']][0]}: p={entry['probability']:.2f}"
        + ("" if entry["predicted"] == entry["true"] else " (wrong)")
        for entry in worst
    ]
    chart = plot.image_grid([grids[entry["index"]] for entry in worst], columns=6, labels=captions)
    wrong = sum(entry["predicted"] != entry["true"] for entry in worst)
    return (
        "The hardest fresh drawings",
        report.figure(
            chart,
            f"the {len(worst)} of {samples} fresh drawings (generator seed {seed}) with the lowest probability "
            f"given to their true class (p); {wrong} of them are classified wrong",
        ),
    )


def squares_report(
    model: Sequential, history: dict, test: dict, evaluation: dict, command: str, size: int, seed: int = 12345
) -> str:
    """The whole report as one HTML page.

    ``test`` and ``evaluation`` are ``recipe.train``'s and ``recipe.evaluate``'s
    reports (the test split and fresh drawings); the hardest drawings are
    searched among ``WORST_SAMPLES`` fresh ones from generator seed ``seed``.
    """
    sections = [
        report.curves_section(history),
        report.model_section(model, command),
        report.confusion_section(
            evaluation["confusion"], list(recipe.CLASS_NAMES), f"{evaluation['samples']} fresh drawings"
        ),
        per_kind_section(test, evaluation),
        weights_section(model),
        worst_section(model, size, seed),
    ]
    return report.html_page(f"purenet: the square detector ({size} x {size})", sections)
