"""Loss functions: one number that says how wrong a batch of outputs is.

Each loss has ``forward(output, target) -> float``, the mean over the batch,
and ``backward() -> dL/d(output)`` for the batch it last saw. Because the loss
is a mean over N samples, every gradient carries a factor 1/N
(docs/backpropagation.md explains why the batch loss is a mean).

Targets may be class indices (``[2, 0, 1]``) or rows that sum to 1 (one-hot
``[[0, 0, 1], ...]`` or soft probabilities); both give the same loss.
Derivations: docs/losses.md.
"""

from __future__ import annotations

import math
import warnings

from . import matrices
from .layers.activations import softmax_row
from .matrices import Matrix
from .validation import is_finite, is_integer, is_number

PROBABILITY_CLIP = 1e-7


def target_rows(target: object, batch: int, classes: int, loss_name: str) -> Matrix:
    """Turn class indices or one-hot/probability rows into rows t (batch x classes).

    Raises a clear error for a class index out of range, a row of the wrong
    length, or a target whose length differs from the batch.
    """
    if not isinstance(target, (list, tuple)):
        raise TypeError(
            f"{loss_name}: target must be a list of class indices or of one-hot rows, got {type(target).__name__}"
        )
    if len(target) != batch:
        raise ValueError(f"{loss_name}: the output has {batch} samples but the target has {len(target)}")
    rows = []
    for index, item in enumerate(target):
        if isinstance(item, (list, tuple)):
            if len(item) != classes:
                raise ValueError(
                    f"{loss_name}: target[{index}] has {len(item)} values but the output has {classes} classes"
                )
            row = []
            for value in item:
                if not is_number(value) or not is_finite(value):
                    raise ValueError(f"{loss_name}: target[{index}] must hold finite numbers, got {value!r}")
                row.append(float(value))
            rows.append(row)
        elif is_integer(item):
            if not 0 <= item < classes:
                raise ValueError(
                    f"{loss_name}: target[{index}] is class {item}, but the output has {classes} classes "
                    f"(0 to {classes - 1})"
                )
            row = [0.0] * classes
            row[item] = 1.0
            rows.append(row)
        else:
            raise TypeError(
                f"{loss_name}: target[{index}] must be a class index (int) or a one-hot row, "
                f"got {type(item).__name__} {item!r}"
            )
    return rows


def _check_distribution_rows(rows: Matrix, loss_name: str) -> None:
    """Cross-entropy targets are distributions: non-negative, summing to 1."""
    for index, row in enumerate(rows):
        if min(row) < 0.0 or abs(sum(row) - 1.0) > 1e-6:
            raise ValueError(
                f"{loss_name}: target[{index}] must be a class index or a row of non-negative values "
                f"summing to 1 (one-hot), got {row}"
            )


def _output_shape(output: Matrix, loss_name: str) -> tuple[int, int]:
    rows, columns = matrices.shape(output)
    if rows == 0 or columns == 0:
        raise ValueError(f"{loss_name}: output must hold at least one sample and one class, got ({rows} x {columns})")
    return rows, columns


class Loss:
    """Base class: ``forward`` computes and remembers, ``backward`` differentiates."""

    def forward(self, output: Matrix, target: object) -> float:
        raise NotImplementedError

    def backward(self) -> Matrix:
        raise NotImplementedError

    def __call__(self, output: Matrix, target: object) -> float:
        return self.forward(output, target)

    def _require_forward(self, saved: object) -> None:
        if saved is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


def log_sum_exp(row: list[float]) -> float:
    """log(sum_j e^(z_j)) = m + log(sum_j e^(z_j - m)) with m = max(z): no overflow."""
    largest = max(row)
    return largest + math.log(sum(math.exp(value - largest) for value in row))


class SoftmaxCrossEntropy(Loss):
    """Softmax followed by cross-entropy, computed together from logits z (PyTorch's ``CrossEntropyLoss``).

    forward:  L = (1/N) sum_n [ logsumexp(z_n) - sum_k t_nk z_nk ]
              (= -(1/N) sum_n sum_k t_nk log softmax(z_n)_k, without taking log of 0)
    backward: dL/dz = (softmax(z) - t) / N

    This is the default loss for classification: give it the raw scores of a
    model that does *not* end in a Softmax layer. It warns once if its input
    rows already look like probabilities. Derivation of (p - t)/N through the
    full softmax Jacobian: docs/losses.md. ``CrossEntropyLoss`` is the same
    class under PyTorch's name.
    """

    def __init__(self) -> None:
        self._probabilities: Matrix | None = None
        self._targets: Matrix | None = None
        self._warned = False

    def forward(self, output: Matrix, target: object) -> float:
        batch, classes = _output_shape(output, "SoftmaxCrossEntropy")
        targets = target_rows(target, batch, classes, "SoftmaxCrossEntropy")
        _check_distribution_rows(targets, "SoftmaxCrossEntropy")
        if not self._warned and classes > 1 and _looks_like_probabilities(output):
            self._warned = True
            warnings.warn(
                "SoftmaxCrossEntropy expects logits (raw scores), but every row of its input is between "
                "0 and 1 and sums to 1: it looks like probabilities. Applying softmax twice flattens the "
                "gradient. Remove the final Softmax layer, or use ProbabilityCrossEntropy on probabilities.",
                stacklevel=2,
            )
        total = 0.0
        for logits, target_row in zip(output, targets):
            total += log_sum_exp(logits) - matrices.dot(target_row, logits)
        self._probabilities = [softmax_row(logits) for logits in output]
        self._targets = targets
        return total / batch

    def backward(self) -> Matrix:
        """(p - t) / N for every sample and class."""
        self._require_forward(self._probabilities)
        batch = len(self._probabilities)
        return [
            [(p - t) / batch for p, t in zip(probability_row, target_row)]
            for probability_row, target_row in zip(self._probabilities, self._targets)
        ]


def _looks_like_probabilities(output: Matrix) -> bool:
    return all(min(row) >= 0.0 and max(row) <= 1.0 and abs(sum(row) - 1.0) < 1e-6 for row in output)


class ProbabilityCrossEntropy(Loss):
    """Cross-entropy on probabilities p (for example the output of a Softmax layer).

    forward:  L = -(1/N) sum_n sum_k t_nk log(clip(p_nk))
    backward: dL/dp_nk = -t_nk / (N clip(p_nk)) where p_nk lies inside the clip
              range, 0 where it was clipped (as torch.clamp's gradient).

    clip(p) = min(max(p, 1e-7), 1 - 1e-7) keeps log away from log(0) = -inf.
    This is the less stable form: the clipping bounds the loss of a confident
    wrong answer at -log(1e-7) ~ 16.1, and the Softmax layer's Jacobian must be
    applied separately. Prefer ``SoftmaxCrossEntropy`` on logits
    (docs/stability.md). PyTorch has no single class for it: it is
    ``nn.NLLLoss`` applied to ``log(clamp(p))``.
    """

    def __init__(self) -> None:
        self._probabilities: Matrix | None = None
        self._targets: Matrix | None = None

    def forward(self, output: Matrix, target: object) -> float:
        name = type(self).__name__
        batch, classes = _output_shape(output, name)
        for index, row in enumerate(output):
            # Written so that NaN fails too: every comparison with NaN is False.
            if not all(0.0 <= p <= 1.0 for p in row):
                raise ValueError(
                    f"{name} expects probabilities in [0, 1], but output[{index}] is {row}; "
                    "for raw scores (logits) use SoftmaxCrossEntropy (PyTorch's CrossEntropyLoss)"
                )
        targets = target_rows(target, batch, classes, name)
        _check_distribution_rows(targets, name)
        total = 0.0
        for probability_row, target_row in zip(output, targets):
            for p, t in zip(probability_row, target_row):
                if t:
                    total -= t * math.log(min(max(p, PROBABILITY_CLIP), 1.0 - PROBABILITY_CLIP))
        self._probabilities = output
        self._targets = targets
        return total / batch

    def backward(self) -> Matrix:
        self._require_forward(self._probabilities)
        batch = len(self._probabilities)
        low, high = PROBABILITY_CLIP, 1.0 - PROBABILITY_CLIP
        return [
            [-t / (batch * p) if low <= p <= high else 0.0 for p, t in zip(probability_row, target_row)]
            for probability_row, target_row in zip(self._probabilities, self._targets)
        ]


class CrossEntropy(ProbabilityCrossEntropy):
    """``ProbabilityCrossEntropy`` under its old name, which warns: PyTorch's ``CrossEntropyLoss`` takes logits."""

    def __init__(self) -> None:
        warnings.warn(
            "purenet.CrossEntropy takes probabilities, unlike PyTorch's CrossEntropyLoss, which takes logits; "
            "use ProbabilityCrossEntropy on probabilities, or CrossEntropyLoss (SoftmaxCrossEntropy) on logits",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__()


class MeanSquaredError(Loss):
    """Mean squared error, averaged over samples and outputs (PyTorch's ``MSELoss()``).

    forward:  L = (1/(N K)) sum_n sum_k (y_nk - t_nk)^2
    backward: dL/dy = 2 (y - t) / (N K)

    Targets are rows of K numbers, or class indices (turned into one-hot rows).
    """

    def __init__(self) -> None:
        self._difference: Matrix | None = None

    def forward(self, output: Matrix, target: object) -> float:
        batch, width = _output_shape(output, "MeanSquaredError")
        if width == 1 and isinstance(target, (list, tuple)) and any(is_integer(item) for item in target):
            # A class index becomes a one-hot row, and with one output every one-hot row is [1.0].
            raise ValueError(
                "MeanSquaredError: the targets are class indices, but the output has a single value, so every "
                "index would become the target [1.0]; give targets as rows of numbers, e.g. [[0.0], [1.0]]"
            )
        targets = target_rows(target, batch, width, "MeanSquaredError")
        self._difference = matrices.subtract(output, targets)
        return sum(matrices.dot(row, row) for row in self._difference) / (batch * width)

    def backward(self) -> Matrix:
        self._require_forward(self._difference)
        count = len(self._difference) * len(self._difference[0])
        return [[2.0 * d / count for d in row] for row in self._difference]


# PyTorch's names for the same losses, so that code written for torch.nn reads the same here.
CrossEntropyLoss = SoftmaxCrossEntropy
MSELoss = MeanSquaredError
