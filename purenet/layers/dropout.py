"""Dropout: in training, zero each value with probability p and scale the rest by 1 / (1 - p).

    training:   y = x m / (1 - p),  m ~ Bernoulli(1 - p) drawn for every value of every batch
    evaluation: y = x
    backward:   dL/dx = dL/dy m / (1 - p)   (the mask of the forward pass)

Because E[m] = 1 - p, E[y] = x: the scaling during training ("inverted
dropout") keeps each value's expectation, so evaluation needs no rescaling.
Derivation and why dropout regularises: docs/regularisation.md.
"""

from __future__ import annotations

import random

from .. import matrices
from ..matrices import Matrix, tensors
from ..validation import check_number
from .base import Layer


class Dropout(Layer):
    """Inverted dropout on a batch, PyTorch's ``nn.Dropout(p=0.5)``.

    The batch is a matrix (batch x features) or a tensor of any shape, such
    as a convolution's batch x channels x height x width: every value is
    kept or dropped on its own, as in PyTorch.
    ``rng`` is a ``random.Random`` or a seed (None: seed 0, as ``Dense``), so the masks are reproducible.
    After a forward pass in training, ``mask`` holds the 0/1 mask it drew,
    one row per sample (batch x values: a tensor's sample read flat, as
    ``tensors.samples_as_rows`` reads it); set ``fixed_mask`` to such a
    mask to use it in every forward pass instead of drawing one (gradient
    checks need the same function each time).
    """

    def __init__(self, p: float = 0.5, rng: random.Random | int | None = None) -> None:
        self.p = check_number(p, "Dropout: p", minimum=0.0)
        if self.p > 1.0:
            raise ValueError(f"Dropout: p must be a probability in [0, 1], got {p!r}")
        if isinstance(rng, random.Random):
            self.rng = rng
        elif rng is None:
            self.rng = random.Random(0)  # as Dense: no seed given means seed 0, never an unrepeatable run
        elif isinstance(rng, int) and not isinstance(rng, bool):
            self.rng = random.Random(rng)
        else:
            raise TypeError(f"Dropout: rng must be a random.Random or an integer seed, got {type(rng).__name__}")
        self.mask: Matrix | None = None
        self.fixed_mask: Matrix | None = None
        self._sample_shape: tuple[int, ...] | None = None

    def _scale(self) -> float:
        # p = 1 drops every value: the output is 0 (as in PyTorch), and 1 / (1 - p) is never used.
        return 0.0 if self.p == 1.0 else 1.0 / (1.0 - self.p)

    def forward(self, x: Matrix) -> Matrix:
        if not self.training or self.p == 0.0:
            self.mask = None
            return x
        x, self._sample_shape = tensors.batch_as_rows(x, "Dropout: input")
        rows, columns = matrices.shape(x)
        if self.fixed_mask is not None:
            if matrices.shape(self.fixed_mask) != (rows, columns):
                raise ValueError(
                    f"Dropout: fixed_mask {matrices.describe(self.fixed_mask)} must match the input "
                    f"read as rows, {matrices.describe(x)}"
                )
            self.mask = self.fixed_mask
        else:
            keep, draw = 1.0 - self.p, self.rng.random
            self.mask = [[1.0 if draw() < keep else 0.0 for _ in range(columns)] for _ in range(rows)]
        scale = self._scale()
        output = [[value * kept * scale for value, kept in zip(row, mask_row)] for row, mask_row in zip(x, self.mask)]
        return tensors.rows_in_sample_shape(output, self._sample_shape)

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        """dL/dx = dL/dy m / (1 - p) in training; dL/dy itself in evaluation."""
        if not input_gradient:
            return None
        if self.mask is None:
            return grad
        rows, sample_shape = tensors.batch_as_rows(grad, "Dropout.backward: gradient")
        if sample_shape != self._sample_shape or matrices.shape(rows) != matrices.shape(self.mask):
            expected = matrices.describe(self.mask) if self._sample_shape is None else tensors.describe_shape(
                (len(self.mask),) + self._sample_shape
            )
            raise ValueError(f"Dropout.backward: gradient must match the output {expected}, got {_describe(grad)}")
        scale = self._scale()
        result = [[g * kept * scale for g, kept in zip(row, mask_row)] for row, mask_row in zip(rows, self.mask)]
        return tensors.rows_in_sample_shape(result, self._sample_shape)

    def config(self) -> dict:
        return {"p": self.p}

    def __repr__(self) -> str:
        return f"Dropout(p={self.p})"


def _describe(batch: list) -> str:
    """A batch's shape for a message, read along its first entries: (2 x 3) or (2 x 3 x 4)."""
    shape = []
    while isinstance(batch, list):
        shape.append(len(batch))
        if not batch:
            break
        batch = batch[0]
    return tensors.describe_shape(tuple(shape))
