"""Check every gradient purenet computes against central finite differences.

``check_everything()`` runs ``purenet.gradcheck`` on every layer (Dense,
Identity, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, and on batches of signals
and images Conv1d, Conv2d, the four pooling layers, Flatten) and every loss
(SoftmaxCrossEntropy, ProbabilityCrossEntropy, MeanSquaredError), each on a small batch
of seeded random inputs, and on a whole model if one is given (at most
``MODEL_ENTRIES`` entries of each of its tensors, drawn at random). It prints one
line per checked tensor::

    component              parameter                  rel. error  result
    Dense                  weight                       1.23e-10  PASS

The error is the worst |backprop - finite difference| of the tensor, relative
to its largest gradient (``purenet.gradcheck.relative_error``). Inputs are
kept away from the kinks of ReLU and LeakyReLU (at 0), where a finite
difference that straddles the kink measures neither side's slope.

Run it with ``python -m purenet gradcheck [--model PATH]``. Why a central
difference is accurate to O(h^2): docs/backpropagation.md.
"""

from __future__ import annotations

import math
import os
import random
import sys
from typing import TextIO

from .gradcheck import gradcheck, print_report
from .layers import (
    AvgPool1d,
    AvgPool2d,
    Conv1d,
    Conv2d,
    Dense,
    Flatten,
    Identity,
    LeakyReLU,
    MaxPool1d,
    MaxPool2d,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    Unflatten,
)
from .layers.activations import softmax_row
from .layers.base import Layer
from .losses import Loss, MeanSquaredError, ProbabilityCrossEntropy, SoftmaxCrossEntropy
from .matrices import Matrix, tensors
from .model import Sequential
from .serialization import load

BATCH = 4
FEATURES = 3
MODEL_BATCH = 2
KINK_MARGIN = 1e-3
ATTEMPTS = 100
SEED = 0
MODEL_ENTRIES = 200  # entries checked per tensor of a model: a 1024 x 32 weight in full takes a minute


def _away_from_zero(rng: random.Random, rows: int, columns: int) -> Matrix:
    """Random values with 0.1 <= |v| <= 2 and a random sign: no value near a kink at 0."""
    return [[rng.choice((-1.0, 1.0)) * rng.uniform(0.1, 2.0) for _ in range(columns)] for _ in range(rows)]


def _uniform(rng: random.Random, rows: int, columns: int, low: float = -2.0, high: float = 2.0) -> Matrix:
    return [[rng.uniform(low, high) for _ in range(columns)] for _ in range(rows)]


def component_checks(rng: random.Random) -> list[tuple[str, Layer | Loss, Matrix, object]]:
    """(name, component, inputs, targets or None) for every layer and loss purenet has."""
    classes = [rng.randrange(FEATURES) for _ in range(BATCH)]
    checks: list[tuple[str, Layer | Loss, Matrix, object]] = [
        ("Dense", Dense(FEATURES, 4, rng=rng), _uniform(rng, BATCH, FEATURES), None),
        ("Dense(xavier)", Dense(FEATURES, 4, init="xavier", rng=rng), _uniform(rng, BATCH, FEATURES), None),
    ]
    for layer in (Identity(), ReLU(), LeakyReLU(), LeakyReLU(0.2), Sigmoid(), Tanh()):
        checks.append((repr(layer).replace("()", ""), layer, _away_from_zero(rng, BATCH, FEATURES), None))
    checks.append(("Softmax", Softmax(), _uniform(rng, BATCH, FEATURES), None))
    # batches of signals (batch x channels x length) and images (batch x channels x height x width)
    signals = [_uniform(rng, 2, 7) for _ in range(BATCH)]
    images = [[_uniform(rng, 5, 6) for _ in range(2)] for _ in range(BATCH)]
    checks.append(("Conv1d", Conv1d(2, 3, 3, stride=2, padding=1, rng=rng), signals, None))
    checks.append(("Conv2d", Conv2d(2, 3, (2, 3), stride=(1, 2), padding=1, rng=rng), images, None))
    for layer, batch in ((MaxPool1d(2), signals), (AvgPool1d(3, 2), signals), (MaxPool2d(2), images),
                         (AvgPool2d((2, 3), 1), images), (Flatten(), images)):
        checks.append((type(layer).__name__, layer, batch, None))
    checks.append(("SoftmaxCrossEntropy", SoftmaxCrossEntropy(), _uniform(rng, BATCH, FEATURES), classes))
    probabilities = [softmax_row(row) for row in _uniform(rng, BATCH, FEATURES)]
    checks.append(("ProbabilityCrossEntropy", ProbabilityCrossEntropy(), probabilities, classes))
    soft_targets = [softmax_row(row) for row in _uniform(rng, BATCH, FEATURES)]
    checks.append(("ProbabilityCrossEntropy(soft)", ProbabilityCrossEntropy(), probabilities, soft_targets))
    checks.append(("MeanSquaredError", MeanSquaredError(), _uniform(rng, BATCH, FEATURES), _uniform(rng, BATCH, FEATURES)))
    return checks


def model_widths(model: Sequential) -> tuple[int, int]:
    """(input features, output width) of a model: its Unflatten's size, or its first Dense layer's inputs."""
    if isinstance(model.layers[0], Unflatten):
        in_features = math.prod(model.layers[0].shape)
    else:
        first = next((layer for layer in model.layers if isinstance(layer, Dense)), None)
        if first is None:
            raise ValueError("check_everything: the model has no Dense layer, so its input width is unknown")
        in_features = first.in_features
    shape = (in_features,)
    for layer in model.layers:
        shape = layer.output_shape(shape)
    return in_features, math.prod(shape)


def _near_a_kink(model: Sequential, inputs: Matrix) -> bool:
    """True if any value entering a ReLU or LeakyReLU lies within KINK_MARGIN of 0."""
    values = inputs
    for layer in model.layers:
        near_zero = isinstance(layer, (ReLU, LeakyReLU)) and any(abs(v) < KINK_MARGIN for v in tensors.flatten(values))
        if near_zero:
            return True
        values = layer.forward(values)
    return False


def model_inputs(model: Sequential, rng: random.Random) -> tuple[Matrix, list[int]]:
    """A few random samples of the model's input width, away from kinks, with class-index targets."""
    in_features, classes = model_widths(model)
    for _ in range(ATTEMPTS):
        inputs = _uniform(rng, MODEL_BATCH, in_features, -1.0, 1.0)
        if not _near_a_kink(model, inputs):
            break
    targets = [rng.randrange(classes) for _ in range(MODEL_BATCH)]
    return inputs, targets


def check_everything(
    model: Sequential | str | os.PathLike | None = None,
    stream: TextIO | None = None,
    tolerance: float = 1e-6,
) -> bool:
    """Gradient-check every layer and loss, and ``model`` if given; print a table.

    Args:
        model: a ``Sequential`` (or the path of a saved model) to check as a
            whole: two seeded random samples of its input width with random
            class-index targets, under ``SoftmaxCrossEntropy`` (or
            ``ProbabilityCrossEntropy`` if it ends in Softmax). Every parameter is
            nudged twice, so a large model takes a while.
        stream: where to print (default: standard output).
        tolerance: the largest relative error that passes.

    Returns True when every check passes.
    """
    out = stream if stream is not None else sys.stdout
    rng = random.Random(SEED)
    out.write(f"{'component':<22} {'parameter':<24} {'rel. error':>10}  result\n")
    out.write("-" * 66 + "\n")
    results = []
    for name, component, inputs, targets in component_checks(rng):
        errors = gradcheck(component, inputs, targets, seed=SEED)
        results.append(print_report(name, errors, tolerance, out))
    if model is not None:
        if isinstance(model, (str, os.PathLike)):
            model = load(model)
        if not isinstance(model, Sequential):
            raise TypeError(f"check_everything: model must be a Sequential or a path, got {type(model).__name__}")
        inputs, targets = model_inputs(model, rng)
        loss: Loss = ProbabilityCrossEntropy() if isinstance(model.layers[-1], Softmax) else SoftmaxCrossEntropy()
        errors = gradcheck(model, inputs, targets, loss=loss, seed=SEED, entries=MODEL_ENTRIES)
        results.append(print_report("model", errors, tolerance, out))
    out.write("-" * 66 + "\n")
    failed = results.count(False)
    if failed:
        out.write(f"FAIL: {failed} of {len(results)} components have a gradient off by more than {tolerance:g}\n")
    else:
        out.write(f"all {len(results)} components pass (relative error <= {tolerance:g})\n")
    return not failed
