"""The fully connected (dense) layer: Z = X W^T + b.

Shapes: X is (batch x in_features), W is (out_features x in_features) as in
PyTorch, b is (out_features,), Z is (batch x out_features).
Derivation of the forward pass and of the three gradients: docs/dense.md and
docs/backpropagation.md.
"""

from __future__ import annotations

import math
import random

from .. import matrices
from ..matrices import Matrix
from ..validation import check_integer, is_integer
from .base import Layer, Parameter

INITIALISATIONS = ("he", "xavier")


def _make_rng(rng: random.Random | int | None, argument: str) -> random.Random:
    """Turn a seed or a Random into a Random, never touching the global random state."""
    if rng is None:
        return random.Random(0)
    if isinstance(rng, random.Random):
        return rng
    if is_integer(rng):
        return random.Random(rng)
    raise TypeError(f"{argument} must be a random.Random, an int seed or None, got {type(rng).__name__}")


def initial_weights(
    in_features: int, out_features: int, init: str, rng: random.Random
) -> list[list[float]]:
    """Draw a (out_features x in_features) weight matrix.

    - ``"he"`` (Kaiming): normal with variance 2 / in_features, which keeps the
      variance of activations constant through ReLU-family layers;
    - ``"xavier"`` (Glorot): uniform on [-a, a] with a = sqrt(6 / (in + out)),
      i.e. variance 2 / (in + out), for sigmoid and tanh.

    Where these variances come from: docs/initialisation.md.
    """
    if init == "he":
        standard_deviation = math.sqrt(2.0 / in_features)
        return [[rng.gauss(0.0, standard_deviation) for _ in range(in_features)] for _ in range(out_features)]
    if init == "xavier":
        limit = math.sqrt(6.0 / (in_features + out_features))
        return [[rng.uniform(-limit, limit) for _ in range(in_features)] for _ in range(out_features)]
    raise ValueError(f"init must be one of {', '.join(INITIALISATIONS)}, got {init!r}")


class Dense(Layer):
    """Fully connected layer: Z = X W^T + b.

    Args:
        in_features: values per input sample.
        out_features: values per output sample (neurons).
        init: ``"he"`` (default, for ReLU and LeakyReLU) or ``"xavier"``
            (for Sigmoid and Tanh). Biases start at 0.
        rng: a ``random.Random`` or an int seed (default seed 0). Pass one
            shared ``random.Random`` to all layers of a model so that layers
            of the same shape do not start from the same weights.

    Attributes: ``weight`` (out_features rows of in_features floats) and
    ``bias`` (out_features floats), both ``Parameter``s with a ``.grad``.
    """

    def __init__(
        self,
        in_features: int,
        out_features: int,
        init: str = "he",
        rng: random.Random | int | None = None,
    ) -> None:
        check_integer(in_features, "Dense: in_features", minimum=1)
        check_integer(out_features, "Dense: out_features", minimum=1)
        self.in_features = in_features
        self.out_features = out_features
        self.init = init
        weights = initial_weights(in_features, out_features, init, _make_rng(rng, "rng"))
        self.weight = Parameter(weights, "weight")
        self.bias = Parameter([0.0] * out_features, "bias")
        self._input: Matrix | None = None

    def forward(self, x: Matrix) -> Matrix:
        """Z = X W^T + b: z[n][j] = sum_i x[n][i] w[j][i] + b[j]."""
        rows, columns = matrices.shape(x)
        if columns != self.in_features:
            raise ValueError(
                f"Dense({self.in_features}, {self.out_features}): input ({rows} x {columns}) "
                f"needs {self.in_features} features per sample, got {columns}"
            )
        self._input = x
        return matrices.add_row(matrices.matmul_right_transposed(x, self.weight), self.bias)

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        """From G = dL/dZ (batch x out_features):

        - dL/dW = G^T X        (out_features x in_features), summed over the batch;
        - dL/db = column sums of G   (out_features,);
        - dL/dX = G W          (batch x in_features), returned.
        """
        self._require_forward(self._input)
        if matrices.shape(grad) != (len(self._input), self.out_features):
            raise ValueError(
                f"Dense.backward: gradient {matrices.describe(grad)} must match the output "
                f"({len(self._input)} x {self.out_features})"
            )
        self.weight.accumulate_grad(matrices.matmul_left_transposed(grad, self._input))
        self.bias.accumulate_grad(matrices.column_sums(grad))
        if not input_gradient:
            return None
        return matrices.matmul(grad, self.weight)

    def parameters(self) -> list[Parameter]:
        return [self.weight, self.bias]

    def output_features(self, input_features: int) -> int:
        return self.out_features

    def config(self) -> dict:
        return {"in_features": self.in_features, "out_features": self.out_features, "init": self.init}

    def __repr__(self) -> str:
        return f"Dense({self.in_features}, {self.out_features}, init={self.init!r})"
