"""What every layer shares: parameters with gradients, and the forward/backward contract.

A layer maps a batch ``x`` (batch x in_features) to a batch (batch x
out_features) in ``forward`` and, in ``backward``, takes dL/d(output) of the
same shape as its output and returns dL/d(input), storing the gradients of
its parameters on the way. The chain rule that links them is derived in
docs/backpropagation.md.

Gradients accumulate, as in PyTorch: each ``backward`` *adds* to
``parameter.grad``, and ``zero_grad()`` clears it (sets it to ``None``).
``Sequential.fit`` zeroes the gradients before every batch; in a loop of your
own, call ``optimizer.zero_grad()`` before each ``backward``.
"""

from __future__ import annotations

import operator

from .. import matrices
from ..matrices import Matrix, tensors


class Parameter(list):
    """A trainable tensor: a list of floats (a bias), a list of rows (a weight matrix) or deeper (kernels).

    It is a list, so ``layer.weight[j][i]`` reads a weight directly, with two
    attributes as in PyTorch:

    - ``grad``: dL/d(parameter), same shape, or ``None`` before the first
      ``backward`` and after ``zero_grad()``;
    - ``backward_passes``: how many ``backward`` calls added to ``grad``
      since it was last cleared (optimisers use it to warn when gradients
      from several batches pile up because ``zero_grad()`` was forgotten).
    """

    def __init__(self, values: list, name: str) -> None:
        super().__init__(values)
        self.name = name
        self.grad: list | None = None
        self.backward_passes = 0

    def accumulate_grad(self, gradient: list) -> None:
        """grad <- grad + gradient (or gradient itself if grad is empty)."""
        if len(gradient) != len(self):
            raise ValueError(f"{self.name}: a gradient of length {len(gradient)} for a parameter of length {len(self)}")
        if self.grad is None:
            self.grad = gradient
        elif gradient and isinstance(gradient[0], list) and gradient[0] and isinstance(gradient[0][0], list):
            self.grad = tensors.add(self.grad, gradient)  # a convolution's kernels: three or four levels
        elif gradient and isinstance(gradient[0], list):
            self.grad = matrices.add(self.grad, gradient)
        else:
            self.grad = list(map(operator.add, self.grad, gradient))
        self.backward_passes += 1

    def zero_grad(self) -> None:
        """Forget the accumulated gradient."""
        self.grad = None
        self.backward_passes = 0

    def size(self) -> int:
        """Number of scalar values."""
        if self and isinstance(self[0], list):
            return len(tensors.flatten(self))
        return len(self)


class Layer:
    """Base class: subclasses implement ``forward`` and ``backward``.

    ``training`` (True until ``eval()``) is PyTorch's flag: Dropout and
    BatchNorm1d behave differently in training and in evaluation
    (docs/regularisation.md); the other layers ignore it.
    ``integer_buffers`` names the attributes that ``state_dict`` saves as
    counts, plain ints (BatchNorm1d's ``num_batches_tracked``); most layers have none.
    """

    training = True
    integer_buffers: tuple[str, ...] = ()

    def train(self, mode: bool = True) -> Layer:
        """Training mode (``mode=False``: evaluation mode); returns the layer, as PyTorch does."""
        if not isinstance(mode, bool):
            raise TypeError(f"train: mode must be True or False, got {type(mode).__name__} {mode!r}")
        self.training = mode
        return self

    def eval(self) -> Layer:
        """Evaluation mode: ``train(False)``."""
        return self.train(False)

    def buffers(self) -> list[Parameter]:
        """Tensors the layer keeps that are not trained (BatchNorm1d's running statistics); saved in state_dict."""
        return []

    def forward(self, x: Matrix) -> Matrix:
        """Output for a batch x (batch x in_features)."""
        raise NotImplementedError

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        """Given dL/d(output), store parameter gradients and return dL/d(input).

        With ``input_gradient=False`` the input gradient is not computed and
        ``None`` is returned: the first layer of a network does not need it.
        """
        raise NotImplementedError

    def __call__(self, x: Matrix) -> Matrix:
        return self.forward(x)

    def parameters(self) -> list[Parameter]:
        """The layer's trainable parameters (none for an activation)."""
        return []

    def zero_grad(self) -> None:
        """Clear the gradients of every parameter."""
        for parameter in self.parameters():
            parameter.zero_grad()

    def output_features(self, input_features: int) -> int:
        """Width of the output for inputs of ``input_features`` values (for ``summary``)."""
        return input_features

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """Shape of one output sample for one input sample of ``input_shape`` (for ``summary``).

        A sample of features (one number in the shape) has ``output_features``
        of them; a layer that acts value by value keeps any other shape.
        Convolution, pooling and reshaping layers say their own.
        """
        if len(input_shape) == 1:
            return (self.output_features(input_shape[0]),)
        return input_shape

    def config(self) -> dict:
        """The settings that rebuild this layer (saved in model files)."""
        return {}

    def _require_forward(self, saved: object) -> None:
        if saved is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")


def forward_in_evaluation_mode(layers: list[Layer], x: Matrix) -> Matrix:
    """The layers run in order on x in evaluation mode; each layer's own mode is restored afterwards.

    ``predict`` and ``evaluate`` use it, so that a prediction never drops
    units or moves BatchNorm1d's running statistics, even in the middle of ``fit``.
    """
    modes = [layer.training for layer in layers]
    try:
        for layer in layers:
            layer.training = False
        for layer in layers:
            x = layer.forward(x)
        return x
    finally:
        for layer, mode in zip(layers, modes):
            layer.training = mode
