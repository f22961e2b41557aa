"""Binary cross-entropy on logits, and the L1 and Huber losses for regression (PyTorch's names).

Each is a ``Loss`` (purenet/losses.py): ``forward(output, target)`` gives the
mean over every sample and output (PyTorch's ``reduction="mean"``), and
``backward()`` gives dL/d(output) for the batch it last saw, so every
gradient carries a factor 1/(N K) for N samples of K outputs. Targets are
rows of K numbers, like the output (batch x K); with one output a plain list
of numbers (``[0, 1, 1]``) is read as one number per sample.
Derivations: docs/losses.md ("Binary cross-entropy on logits", "L1 and Huber").
"""

from __future__ import annotations

import math

from . import matrices
from .losses import Loss
from .matrices import Matrix
from .validation import check_number, is_finite, is_number


def number_rows(target: object, batch: int, width: int, loss_name: str) -> Matrix:
    """Targets as rows of ``width`` finite floats (batch x width), checked against the output's shape."""
    if not isinstance(target, (list, tuple)):
        raise TypeError(f"{loss_name}: target must be a list of rows of numbers, got {type(target).__name__}")
    if len(target) != batch:
        raise ValueError(f"{loss_name}: the output has {batch} samples but the target has {len(target)}")
    rows = []
    for index, item in enumerate(target):
        row = [item] if width == 1 and is_number(item) else item
        if not isinstance(row, (list, tuple)) or len(row) != width:
            raise ValueError(
                f"{loss_name}: target[{index}] must be a row of {width} numbers like the output, got {item!r}"
            )
        for value in row:
            if not is_number(value) or not is_finite(value):
                raise ValueError(f"{loss_name}: target[{index}] must hold finite numbers, got {value!r}")
        rows.append([float(value) for value in row])
    return rows


def _checked_output(output: Matrix, loss_name: str) -> tuple[int, int]:
    batch, width = matrices.shape(output)
    if batch == 0 or width == 0:
        raise ValueError(f"{loss_name}: output must hold at least one sample and one value, got ({batch} x {width})")
    return batch, width


def sigmoid(z: float) -> float:
    """1 / (1 + e^(-z)), written for each sign so that e^x never overflows."""
    if z >= 0.0:
        return 1.0 / (1.0 + math.exp(-z))
    exponential = math.exp(z)
    return exponential / (1.0 + exponential)


class BCEWithLogitsLoss(Loss):
    """Sigmoid and binary cross-entropy together, on logits z (PyTorch's ``BCEWithLogitsLoss``).

    forward:  L = (1/(N K)) sum_nk [ max(z, 0) - z t + log(1 + e^(-|z|)) ]
              (= -(1/(N K)) sum_nk [ t log sigmoid(z) + (1 - t) log(1 - sigmoid(z)) ], never log(0))
    backward: dL/dz = (sigmoid(z) - t) / (N K)

    For a network with one output (yes or no), or K independent yes/no
    outputs; targets t in [0, 1]. ``model.predict_proba`` gives sigmoid(z)
    for a one-output model. Give it raw scores: no Sigmoid layer at the end.
    """

    def __init__(self) -> None:
        self._logits: Matrix | None = None
        self._targets: Matrix | None = None

    def forward(self, output: Matrix, target: object) -> float:
        batch, width = _checked_output(output, "BCEWithLogitsLoss")
        targets = number_rows(target, batch, width, "BCEWithLogitsLoss")
        for index, row in enumerate(targets):
            if not all(0.0 <= t <= 1.0 for t in row):
                raise ValueError(f"BCEWithLogitsLoss: target[{index}] must be in [0, 1] (a probability), got {row}")
        total = 0.0
        for logits, target_row in zip(output, targets):
            for z, t in zip(logits, target_row):
                total += max(z, 0.0) - z * t + math.log1p(math.exp(-abs(z)))
        self._logits, self._targets = output, targets
        return total / (batch * width)

    def backward(self) -> Matrix:
        """(sigmoid(z) - t) / (N K) for every value."""
        self._require_forward(self._logits)
        count = len(self._logits) * len(self._logits[0])
        return [
            [(sigmoid(z) - t) / count for z, t in zip(logits, target_row)]
            for logits, target_row in zip(self._logits, self._targets)
        ]


class L1Loss(Loss):
    """Mean absolute error (PyTorch's ``L1Loss()``).

    forward:  L = (1/(N K)) sum_nk |y_nk - t_nk|
    backward: dL/dy = sign(y - t) / (N K), with sign(0) = 0 as in PyTorch

    Less swayed by outliers than MSE: every error pulls with the same force.
    """

    def __init__(self) -> None:
        self._difference: Matrix | None = None

    def forward(self, output: Matrix, target: object) -> float:
        batch, width = _checked_output(output, "L1Loss")
        self._difference = matrices.subtract(output, number_rows(target, batch, width, "L1Loss"))
        return sum(abs(d) for row in self._difference for d in row) / (batch * width)

    def backward(self) -> Matrix:
        self._require_forward(self._difference)
        count = len(self._difference) * len(self._difference[0])
        return [[(1.0 if d > 0.0 else -1.0 if d < 0.0 else 0.0) / count for d in row] for row in self._difference]


class HuberLoss(Loss):
    """Squared error near the target, absolute error far from it (PyTorch's ``HuberLoss(delta=1.0)``).

    With d = y - t:
    forward:  L = (1/(N K)) sum_nk h(d),  h(d) = d^2 / 2 if |d| < delta, else delta (|d| - delta / 2)
    backward: dL/dy = h'(d) / (N K),      h'(d) = d if |d| <= delta, else delta sign(d)

    The two pieces meet with the same value and slope at |d| = delta.
    """

    def __init__(self, delta: float = 1.0) -> None:
        self.delta = check_number(delta, "delta", minimum=0.0)
        if self.delta == 0.0:
            raise ValueError("delta must be > 0 (the width of the squared part), got 0")
        self._difference: Matrix | None = None

    def forward(self, output: Matrix, target: object) -> float:
        batch, width = _checked_output(output, "HuberLoss")
        self._difference = matrices.subtract(output, number_rows(target, batch, width, "HuberLoss"))
        delta = self.delta
        total = sum(
            0.5 * d * d if abs(d) < delta else delta * (abs(d) - 0.5 * delta) for row in self._difference for d in row
        )
        return total / (batch * width)

    def backward(self) -> Matrix:
        self._require_forward(self._difference)
        count = len(self._difference) * len(self._difference[0])
        delta = self.delta
        return [[max(-delta, min(delta, d)) / count for d in row] for row in self._difference]

    def __repr__(self) -> str:
        return f"HuberLoss(delta={self.delta})"
