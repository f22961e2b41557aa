"""Activation functions as layers: a fixed function applied to every value.

Element-wise activations y = f(x) have a diagonal Jacobian, so backward is
dL/dx = dL/dy * f'(x), element by element. Softmax mixes the values of a row
and needs its full Jacobian diag(p) - p p^T.
Derivations of every derivative here: docs/activations.md.
"""

from __future__ import annotations

import math
import warnings

from .. import matrices
from ..matrices import Matrix, Vector, tensors
from ..validation import check_number
from .base import Layer


class ElementwiseActivation(Layer):
    """y = f(x) for every value; subclasses define ``function`` and ``derivative``.

    The batch is a matrix (batch x features) or a tensor of any shape, such
    as a convolution's batch x channels x height x width: each sample is
    then read as one row of values and the result given back in its shape.
    """

    def __init__(self) -> None:
        self._input: Matrix | None = None
        self._output: Matrix | None = None
        self._sample_shape: tuple[int, ...] | None = None

    def _as_rows(self, x: list) -> Matrix:
        """The batch as rows (batch x values); a tensor's sample shape is remembered to give it back."""
        rows, self._sample_shape = tensors.batch_as_rows(x, f"{type(self).__name__}: input")
        return rows

    def _in_input_shape(self, rows: Matrix) -> list:
        """Rows given back in the shape of the input (the rows themselves for a matrix)."""
        return tensors.rows_in_sample_shape(rows, self._sample_shape)

    def function(self, x: float) -> float:
        """f(x) for one value."""
        raise NotImplementedError

    def derivative(self, x: float, y: float) -> float:
        """f'(x) for one value, given also y = f(x) (sigmoid and tanh use y)."""
        raise NotImplementedError

    def forward(self, x: Matrix) -> Matrix:
        self._input = self._as_rows(x)
        self._output = matrices.map_elements(self.function, self._input)
        return self._in_input_shape(self._output)

    @property
    def output(self) -> Matrix | None:
        """The output of the last forward pass as rows, one per sample (None before the first)."""
        return self._output

    def _check_gradient(self, grad: Matrix) -> Matrix:
        """backward needs a forward pass first, and a gradient shaped like its output; returned as rows."""
        self._require_forward(self._input)
        if self._sample_shape is not None:
            shape = tensors.tensor_shape(grad, f"{type(self).__name__}.backward: gradient", 1 + len(self._sample_shape))
            expected = (len(self._input),) + self._sample_shape
            if shape != expected:
                raise ValueError(
                    f"{type(self).__name__}.backward: gradient {tensors.describe_shape(shape)} must match "
                    f"the output {tensors.describe_shape(expected)}"
                )
            return tensors.samples_as_rows(grad)
        if matrices.shape(grad) != matrices.shape(self._input):
            raise ValueError(
                f"{type(self).__name__}.backward: gradient {matrices.describe(grad)} must match "
                f"the output {matrices.describe(self._input)}"
            )
        return grad

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        """dL/dx[n][j] = dL/dy[n][j] * f'(x[n][j])."""
        grad = self._check_gradient(grad)
        if not input_gradient:
            return None
        derivative = self.derivative
        return self._in_input_shape([
            [g * derivative(x, y) for g, x, y in zip(grad_row, input_row, output_row)]
            for grad_row, input_row, output_row in zip(grad, self._input, self._output)
        ])

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class Identity(ElementwiseActivation):
    """The identity, f(x) = x, f'(x) = 1: a layer that lets values pass unchanged (PyTorch's ``nn.Identity``).

    The original design called it ``Pass``, and that name still works.
    """

    def function(self, x: float) -> float:
        return x

    def derivative(self, x: float, y: float) -> float:
        return 1.0


Pass = Identity


class Linear(Identity):
    """The identity layer under its old name, which warns: PyTorch's ``nn.Linear`` is purenet's ``Dense``.

    Kept so that old code runs; a model file holding ``"Linear"`` loads as
    ``Identity`` without a warning.
    """

    def __init__(self) -> None:
        warnings.warn(
            "purenet.Linear is the identity layer, kept for old code; use Identity "
            "(PyTorch's nn.Linear is purenet.Dense)",
            FutureWarning,
            stacklevel=2,
        )
        super().__init__()


class ReLU(ElementwiseActivation):
    """f(x) = max(0, x); f'(x) = 1 for x > 0, else 0 (0 at x = 0, as in PyTorch).

    A unit whose input is negative for every sample gets no gradient and never
    recovers ("dying ReLU"); LeakyReLU avoids that. ``forward`` and
    ``backward`` run the kernels ``matrices.rectify`` and
    ``matrices.rectify_backward``; ``function`` and ``derivative`` state the
    same formulas one value at a time (the tests check that they agree).
    """

    slope = 0.0

    def function(self, x: float) -> float:
        return 0.0 if x <= 0.0 else x  # NaN passes through, as in matrices.rectify

    def derivative(self, x: float, y: float) -> float:
        return 1.0 if x > 0.0 else 0.0

    def forward(self, x: Matrix) -> Matrix:
        self._input = self._as_rows(x)
        self._output = matrices.rectify(self._input, self.slope)
        return self._in_input_shape(self._output)

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        grad = self._check_gradient(grad)
        if not input_gradient:
            return None
        return self._in_input_shape(matrices.rectify_backward(grad, self._input, self.slope))


class LeakyReLU(ReLU):
    """f(x) = x for x > 0, alpha * x otherwise; f'(x) = 1 for x > 0, else alpha.

    ``alpha`` (default 0.01, PyTorch's ``negative_slope``) must satisfy
    0 <= alpha < 1. At x = 0 the derivative is alpha, as in PyTorch. The
    small slope keeps a gradient flowing through negative inputs, so a unit
    cannot die as a ReLU unit can. Same kernels as ``ReLU``, with
    slope = alpha.
    """

    def __init__(self, alpha: float = 0.01) -> None:
        super().__init__()
        self.alpha = check_number(alpha, "LeakyReLU: alpha", minimum=0.0, below=1.0)
        self.slope = self.alpha

    def function(self, x: float) -> float:
        return self.alpha * x if x <= 0.0 else x

    def derivative(self, x: float, y: float) -> float:
        return 1.0 if x > 0.0 else self.alpha

    def config(self) -> dict:
        return {"alpha": self.alpha}

    def __repr__(self) -> str:
        return f"LeakyReLU(alpha={self.alpha})"


def sigmoid(x: float) -> float:
    """1 / (1 + e^-x), computed so that e^t is only taken for t <= 0 and never overflows."""
    if x >= 0.0:
        return 1.0 / (1.0 + math.exp(-x))
    exponential = math.exp(x)
    return exponential / (1.0 + exponential)


class Sigmoid(ElementwiseActivation):
    """f(x) = 1 / (1 + e^-x); f'(x) = f(x) (1 - f(x)). Safe for inputs of +-1000."""

    def function(self, x: float) -> float:
        return sigmoid(x)

    def derivative(self, x: float, y: float) -> float:
        return y * (1.0 - y)


class Tanh(ElementwiseActivation):
    """f(x) = tanh(x); f'(x) = 1 - tanh(x)^2. ``math.tanh`` saturates to +-1 without overflow."""

    def function(self, x: float) -> float:
        return math.tanh(x)

    def derivative(self, x: float, y: float) -> float:
        return 1.0 - y * y


def softmax_row(row: Vector) -> Vector:
    """p_i = e^(z_i - m) / sum_j e^(z_j - m) with m = max(z).

    Subtracting the maximum changes nothing mathematically (it cancels in the
    fraction) but keeps every exponent <= 0, so e^(...) never overflows.
    """
    largest = max(row)
    exponentials = [math.exp(value - largest) for value in row]
    total = sum(exponentials)
    return [value / total for value in exponentials]


def softmax_jacobian(probabilities: Vector) -> Matrix:
    """The Jacobian of softmax, J[i][j] = dp_i/dz_j = p_i (delta_ij - p_j) = diag(p) - p p^T."""
    return [
        [(p_i if i == j else 0.0) - p_i * p_j for j, p_j in enumerate(probabilities)]
        for i, p_i in enumerate(probabilities)
    ]


class Softmax(Layer):
    """Turns each row of scores (logits) into probabilities that sum to 1.

    forward: p = softmax(z) per row (max-shifted, see ``softmax_row``).
    backward: the vector-Jacobian product dL/dz = J^T dL/dp with the full
    Jacobian J = diag(p) - p p^T (``jacobian``). For training a classifier,
    prefer a model that ends in logits with ``SoftmaxCrossEntropy``: the
    fused gradient (p - t)/N is cheaper and more stable (docs/losses.md).
    """

    def __init__(self) -> None:
        self._output: Matrix | None = None

    def forward(self, x: Matrix) -> Matrix:
        rows, columns = matrices.shape(x)
        if rows and columns == 0:
            raise ValueError(f"Softmax: input ({rows} x 0) has no values to normalise")
        self._output = [softmax_row(row) for row in x]
        return self._output

    def jacobian(self, sample: int = 0) -> Matrix:
        """The Jacobian diag(p) - p p^T of the last forward pass, for one sample of the batch."""
        self._require_forward(self._output)
        if not 0 <= sample < len(self._output):
            raise ValueError(f"Softmax.jacobian: sample must be in 0..{len(self._output) - 1}, got {sample}")
        return softmax_jacobian(self._output[sample])

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        """dL/dz_j = sum_i dL/dp_i J[i][j], one sample (row) at a time."""
        self._require_forward(self._output)
        if matrices.shape(grad) != matrices.shape(self._output):
            raise ValueError(
                f"Softmax.backward: gradient {matrices.describe(grad)} must match the output "
                f"{matrices.describe(self._output)}"
            )
        if not input_gradient:
            return None
        result = []
        for grad_row, probabilities in zip(grad, self._output):
            jacobian = softmax_jacobian(probabilities)
            # J is symmetric, so the column sums sum_i g_i J[i][j] are the row products.
            result.append([matrices.dot(jacobian_row, grad_row) for jacobian_row in jacobian])
        return result

    def __repr__(self) -> str:
        return "Softmax()"
