"""Flatten and Unflatten: the same values in a different shape, so layers of different kinds connect.

``Flatten`` turns a batch of any shape (batch x channels x ...) into a
matrix (batch x features), reading each sample in PyTorch's order (the
last index fastest), so that a Dense layer can follow a convolution.
``Unflatten(shape)`` does the reverse: each row of a matrix becomes a
sample of ``shape``, so that a model fed 1024 values per drawing can hand
a convolution 1 x 1024 signals or 1 x 32 x 32 images. Neither has
parameters; the gradient is reshaped back the other way, since moving a
value moves its derivative with it.
"""

from __future__ import annotations

import math

from ..matrices import Matrix, tensors
from ..validation import ArgumentTypeError, check_integer, is_integer
from .base import Layer


class Flatten(Layer):
    """(batch x d1 x d2 x ...) -> (batch x d1 d2 ...): each sample read with the last index fastest.

    As PyTorch's ``nn.Flatten()`` (start_dim=1): x[n][c][i][j] lands in
    column (c H + i) W + j. A matrix passes unchanged.
    """

    def __init__(self) -> None:
        self._sample_shape: tuple[int, ...] | None = None

    def forward(self, x: list) -> Matrix:
        """One row of features per sample."""
        shape = tensors.tensor_shape(x, "Flatten: input", tensors.depth(x))
        if len(shape) < 2:
            raise ValueError(f"Flatten: input must be a batch (a list of samples), got {tensors.describe_shape(shape)}")
        self._sample_shape = shape[1:]
        return tensors.samples_as_rows(x)

    def backward(self, grad: Matrix, input_gradient: bool = True) -> list | None:
        """dL/dx is dL/dy cut back into the input's shape."""
        self._require_forward(self._sample_shape)
        features = math.prod(self._sample_shape)
        shape = tensors.tensor_shape(grad, "Flatten.backward: gradient", 2)
        if shape[1] != features:
            raise ValueError(f"Flatten.backward: gradient {tensors.describe_shape(shape)} must have {features} columns")
        if not input_gradient:
            return None
        return tensors.rows_as_samples(grad, self._sample_shape)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """One sample of ``input_shape`` becomes (features,)."""
        return (math.prod(input_shape),)

    def __repr__(self) -> str:
        return "Flatten()"


class Unflatten(Layer):
    """(batch x features) -> (batch x shape): each row cut into a sample of ``shape``.

    As PyTorch's ``nn.Unflatten(1, shape)``: features must equal the
    product of ``shape``, and the values are read with the last index
    fastest, so ``Unflatten((1, 32, 32))`` makes row r, column c of the
    image from feature 32 r + c.
    """

    def __init__(self, shape: tuple[int, ...] | list[int]) -> None:
        if not isinstance(shape, (tuple, list)) or not shape or not all(is_integer(size) for size in shape):
            raise ArgumentTypeError(
                f"Unflatten: shape must be a tuple of positive integers such as (1, 32, 32), got {shape!r}"
            )
        for size in shape:
            check_integer(size, "Unflatten: each size of shape", minimum=1)
        self.shape = tuple(shape)
        self._rows: int | None = None

    def forward(self, x: Matrix) -> list:
        """Each row of x as a sample of ``shape``."""
        rows, columns = tensors.tensor_shape(x, "Unflatten: input", 2)
        features = math.prod(self.shape)
        if columns != features:
            raise ValueError(
                f"{self!r}: input ({rows} x {columns}) needs {features} features per sample "
                f"(the product of {self.shape}), got {columns}"
            )
        self._rows = rows
        return tensors.rows_as_samples(x, self.shape)

    def backward(self, grad: list, input_gradient: bool = True) -> Matrix | None:
        """dL/dx is dL/dy read back into rows."""
        self._require_forward(self._rows)
        shape = tensors.tensor_shape(grad, "Unflatten.backward: gradient", 1 + len(self.shape))
        if shape != (self._rows,) + self.shape:
            raise ValueError(
                f"Unflatten.backward: gradient {tensors.describe_shape(shape)} must match the output "
                f"{tensors.describe_shape((self._rows,) + self.shape)}"
            )
        if not input_gradient:
            return None
        return tensors.samples_as_rows(grad)

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """A sample of (features,) becomes ``shape``."""
        return self.shape

    def config(self) -> dict:
        return {"shape": list(self.shape)}

    def __repr__(self) -> str:
        return f"Unflatten({self.shape})"
