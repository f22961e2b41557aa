"""Pooling layers: the maximum or the mean of each window, channel by channel; no parameters.

    MaxPool2d: y[n][c][i][j] = max_{a,b}            x[n][c][i s_h + a][j s_w + b]
    AvgPool2d: y[n][c][i][j] = (1 / (kh kw)) sum_{a,b} x[n][c][i s_h + a][j s_w + b]

and the same along one axis for MaxPool1d and AvgPool1d. Shapes as in
PyTorch: batch x channels x length (or x height x width) in, the same
channels out, floor((size - kernel_size) / stride) + 1 positions along
each axis; the stride defaults to the kernel size (windows side by side).
Gradients (docs/convolution.md): max pooling sends each g[n][c][i][j] to
the position of its window's maximum (the first in reading order on a tie,
as PyTorch); average pooling spreads it evenly, g / (kh kw) to each value
of the window. The loops are in purenet/matrices/pooling.py.
"""

from __future__ import annotations

from ..matrices import pooling as kernels
from ..matrices.convolution import output_size
from ..matrices import tensors
from ..validation import check_integer
from .base import Layer
from .convolution import pair


class Pool2d(Layer):
    """What the four pooling layers share: the window, the shape checks and the 1-D view as height 1."""

    dimensions = 2

    def __init__(self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> None:
        name = type(self).__name__
        if self.dimensions == 1:
            # A signal is an image of height 1: the window is 1 high and moves by 1 along the height.
            self.kernel_size = (1, check_integer(kernel_size, f"{name}: kernel_size", minimum=1))
            chosen = check_integer(stride, f"{name}: stride", minimum=1, optional=True)
            self.stride = (1, self.kernel_size[1] if chosen is None else chosen)
        else:
            self.kernel_size = pair(kernel_size, f"{name}: kernel_size", 1)
            self.stride = self.kernel_size if stride is None else pair(stride, f"{name}: stride", 1)
        self._input_shape: tuple[int, ...] | None = None

    def forward(self, x: list) -> list:
        """The pooled batch (formula in the module's docstring)."""
        shape = tensors.tensor_shape(x, f"{self!r}: input", 2 + self.dimensions)
        image_shape = shape if self.dimensions == 2 else (shape[0], shape[1], 1, shape[2])
        if shape[0] == 0:
            raise ValueError(f"{self!r}: the input batch is empty")
        for size, kernel, axis in zip(image_shape[2:], self.kernel_size, ("height", "width")):
            if size < kernel:
                what = "length" if self.dimensions == 1 else axis
                raise ValueError(
                    f"{self!r}: input {tensors.describe_shape(shape)} is too small: {what} {size} is less than "
                    f"the window's {kernel}"
                )
        self._input_shape = image_shape
        images = x if self.dimensions == 2 else [[[channel] for channel in sample] for sample in x]
        output = self._pool(images)
        return output if self.dimensions == 2 else [[channel[0] for channel in sample] for sample in output]

    def backward(self, grad: list, input_gradient: bool = True) -> list | None:
        """dL/dx from g = dL/dy, shaped like the input (the rule in the module's docstring)."""
        self._require_forward(self._input_shape)
        shape = tensors.tensor_shape(grad, f"{type(self).__name__}.backward: gradient", 2 + self.dimensions)
        _, channels, height, width = self._input_shape
        expected = self.output_shape((channels, height, width) if self.dimensions == 2 else (channels, width))
        if shape != (self._input_shape[0],) + expected:
            raise ValueError(
                f"{type(self).__name__}.backward: gradient {tensors.describe_shape(shape)} must match the output "
                f"{tensors.describe_shape((self._input_shape[0],) + expected)}"
            )
        if not input_gradient:
            return None
        images = grad if self.dimensions == 2 else [[[channel] for channel in sample] for sample in grad]
        result = self._unpool(images)
        return result if self.dimensions == 2 else [[channel[0] for channel in sample] for sample in result]

    def _pool(self, images: list) -> list:
        raise NotImplementedError

    def _unpool(self, grad: list) -> list:
        raise NotImplementedError

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of one output sample for one input sample of ``input_shape`` (channels first)."""
        sizes = input_shape[1:]
        kernel_sizes, strides = self.kernel_size[-len(sizes):], self.stride[-len(sizes):]
        return (input_shape[0],) + tuple(
            output_size(size, kernel, stride, 0) for size, kernel, stride in zip(sizes, kernel_sizes, strides)
        )

    def config(self) -> dict:
        if self.dimensions == 1:
            return {"kernel_size": self.kernel_size[1], "stride": self.stride[1]}
        return {"kernel_size": list(self.kernel_size), "stride": list(self.stride)}

    def __repr__(self) -> str:
        return f"{type(self).__name__}(kernel_size={self._shown(self.kernel_size)}, stride={self._shown(self.stride)})"

    def _shown(self, value: tuple[int, int]) -> str:
        """One number for a 1-D window or a square one, else the pair."""
        return str(value[1]) if self.dimensions == 1 or value[0] == value[1] else str(value)


class MaxPool2d(Pool2d):
    """y[n][c][i][j] = max_{a,b} x[n][c][i s_h + a][j s_w + b]; the gradient goes to each window's maximum.

    Args: kernel_size (an int or a pair (kh, kw)) and stride (default: the
    kernel size). Shapes: batch x channels x height x width in, batch x
    channels x H_out x W_out out. On a tie the first maximum in reading
    order takes the gradient, as in PyTorch. Derivation: docs/convolution.md.
    """

    def __init__(self, kernel_size: int | tuple[int, int], stride: int | tuple[int, int] | None = None) -> None:
        super().__init__(kernel_size, stride)
        self._winners: list | None = None

    def _pool(self, images: list) -> list:
        output, self._winners = kernels.max_pool2d(images, self.kernel_size, self.stride)
        return output

    def _unpool(self, grad: list) -> list:
        return kernels.max_pool2d_backward(grad, self._winners, self._input_shape[2], self._input_shape[3])


class AvgPool2d(Pool2d):
    """y[n][c][i][j] = (1 / (kh kw)) sum_{a,b} x[n][c][i s_h + a][j s_w + b]; the gradient spread evenly.

    Args: kernel_size (an int or a pair) and stride (default: the kernel
    size). Shapes as ``MaxPool2d``. Derivation: docs/convolution.md.
    """

    def _pool(self, images: list) -> list:
        return kernels.avg_pool2d(images, self.kernel_size, self.stride)

    def _unpool(self, grad: list) -> list:
        _, _, height, width = self._input_shape
        return kernels.avg_pool2d_backward(grad, height, width, self.kernel_size, self.stride)


class MaxPool1d(MaxPool2d):
    """y[n][c][t] = max_k x[n][c][t s + k]; batch x channels x length in and out.

    Args: kernel_size and stride (default: the kernel size), ints. Computed
    as MaxPool2d on an image of height 1. Derivation: docs/convolution.md.
    """

    dimensions = 1


class AvgPool1d(AvgPool2d):
    """y[n][c][t] = (1 / k) sum_k x[n][c][t s + k]; batch x channels x length in and out.

    Args: kernel_size and stride (default: the kernel size), ints. Computed
    as AvgPool2d on an image of height 1. Derivation: docs/convolution.md.
    """

    dimensions = 1
