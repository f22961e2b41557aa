"""Convolution layers: the same small kernel slid along a signal (Conv1d) or over an image (Conv2d).

As in PyTorch (and in every deep-learning library) the "convolution" is a
cross-correlation: the kernel is not flipped.

    Conv1d: y[n][o][t]    = b[o] + sum_{c,k}   w[o][c][k]    x_pad[n][c][t s + k]
    Conv2d: y[n][o][i][j] = b[o] + sum_{c,a,b} w[o][c][a][b] x_pad[n][c][i s_h + a][j s_w + b]

Shapes (PyTorch's layouts): x is batch x in_channels x length (or x height
x width), w is out_channels x in_channels x kernel_size (or x kh x kw), b
is out_channels; along each axis the output has
floor((size + 2 padding - kernel_size) / stride) + 1 positions. x_pad is
x with ``padding`` zeros on every side. The forward pass and the three
gradients are derived in docs/convolution.md; the loops are in
purenet/matrices/convolution.py.
"""

from __future__ import annotations

import math
import random

from ..matrices import convolution as kernels
from ..matrices import tensors
from ..validation import ArgumentTypeError, check_integer, is_integer
from .base import Layer, Parameter
from .dense import _make_rng


def pair(value: object, name: str, minimum: int) -> tuple[int, int]:
    """An int or a pair of ints (height, width) as a pair, each checked to be at least ``minimum``."""
    if is_integer(value):
        check_integer(value, name, minimum=minimum)
        return (value, value)
    if isinstance(value, (tuple, list)) and len(value) == 2 and all(is_integer(part) for part in value):
        for part in value:
            check_integer(part, name, minimum=minimum)
        return (value[0], value[1])
    expected = "a positive integer" if minimum == 1 else "a non-negative integer"
    raise ArgumentTypeError(f"{name} must be {expected} or a pair (height, width) of them, got {value!r}")


def uniform_initialisation(shape: tuple[int, ...], fan_in: int, rng: random.Random) -> list:
    """Values drawn from U(-1/sqrt(fan_in), 1/sqrt(fan_in)), PyTorch's default for a convolution.

    PyTorch initialises a convolution's weight with kaiming_uniform(a=sqrt(5)),
    whose bound sqrt(6 / ((1 + a^2) fan_in)) is exactly 1/sqrt(fan_in), and
    its bias with the same bound (docs/initialisation.md explains fan-in).
    """
    limit = 1.0 / math.sqrt(fan_in)
    count = math.prod(shape)
    return tensors.reshape([rng.uniform(-limit, limit) for _ in range(count)], shape)


class Conv2d(Layer):
    """2-D convolution (cross-correlation) with PyTorch's semantics and layout.

    y[n][o][i][j] = b[o] + sum_{c,a,b} w[o][c][a][b] x_pad[n][c][i s_h + a][j s_w + b]

    Args:
        in_channels, out_channels: channels of the input and of the output.
        kernel_size: an int, or a pair (kh, kw).
        stride: steps between positions, an int or a pair (default 1).
        padding: zeros added on every side, an int or a pair (default 0).
        rng: a ``random.Random`` or an int seed (default seed 0) for the
            initial weights, drawn as in PyTorch from
            U(-1/sqrt(fan_in), 1/sqrt(fan_in)) with fan_in = in_channels kh kw,
            and the biases from the same range.

    Shapes: input batch x in_channels x height x width, output batch x
    out_channels x H_out x W_out with H_out = floor((height + 2 p_h - kh) / s_h) + 1.
    ``weight`` is out_channels x in_channels x kh x kw, ``bias`` out_channels.
    Derivation: docs/convolution.md.
    """

    dimensions = 2

    def __init__(
        self,
        in_channels: int,
        out_channels: int,
        kernel_size: int | tuple[int, int],
        stride: int | tuple[int, int] = 1,
        padding: int | tuple[int, int] = 0,
        rng: random.Random | int | None = None,
    ) -> None:
        name = type(self).__name__
        self.in_channels = check_integer(in_channels, f"{name}: in_channels", minimum=1)
        self.out_channels = check_integer(out_channels, f"{name}: out_channels", minimum=1)
        self.kernel_size = self._size(kernel_size, f"{name}: kernel_size", 1)
        self.stride = self._size(stride, f"{name}: stride", 1)
        self.padding = self._size(padding, f"{name}: padding", 0)
        generator = _make_rng(rng, "rng")
        kernel_shape = self.kernel_size if self.dimensions == 2 else self.kernel_size[1:]
        fan_in = in_channels * math.prod(kernel_shape)
        self.weight = Parameter(
            uniform_initialisation((out_channels, in_channels) + tuple(kernel_shape), fan_in, generator), "weight"
        )
        self.bias = Parameter(uniform_initialisation((out_channels,), fan_in, generator), "bias")
        self._patches: list | None = None
        self._input_shape: tuple[int, int, int, int] | None = None

    @staticmethod
    def _size(value: object, name: str, minimum: int) -> tuple[int, int]:
        return pair(value, name, minimum)

    @classmethod
    def weight_shape(cls, config: dict) -> tuple[int, ...]:
        """The weight's shape, (out, in, k) or (out, in, kh, kw), for a ``config()``, checked without drawing weights.

        A model file is checked with it before the layer is built: a corrupt
        config could otherwise ask for billions of random weights.
        """
        name = cls.__name__
        out_channels = check_integer(config["out_channels"], f"{name}: out_channels", minimum=1)
        in_channels = check_integer(config["in_channels"], f"{name}: in_channels", minimum=1)
        kernel_size = cls._size(config["kernel_size"], f"{name}: kernel_size", 1)
        return (out_channels, in_channels) + (kernel_size if cls.dimensions == 2 else kernel_size[1:])

    def _image_shape(self, x: object) -> tuple[int, int, int, int]:
        """Check x as a batch of images and return its shape (batch, channels, height, width)."""
        shape = tensors.tensor_shape(x, f"{self!r}: input", 4)
        self._check_input_shape(shape, shape)
        return shape

    def _check_input_shape(self, shape: tuple[int, ...], image_shape: tuple[int, int, int, int]) -> None:
        layout = "batch x channels x length" if self.dimensions == 1 else "batch x channels x height x width"
        if image_shape[0] == 0:
            raise ValueError(f"{self!r}: the input batch is empty")
        if image_shape[1] != self.in_channels:
            raise ValueError(
                f"{self!r}: input {tensors.describe_shape(shape)} ({layout}) needs {self.in_channels} channels, "
                f"got {image_shape[1]}"
            )
        for size, kernel, padding, axis in zip(image_shape[2:], self.kernel_size, self.padding, ("height", "width")):
            if size + 2 * padding < kernel:
                what = "length" if self.dimensions == 1 else axis
                raise ValueError(
                    f"{self!r}: input {tensors.describe_shape(shape)} ({layout}) is too small: {what} {size} "
                    f"plus padding 2 x {padding} is less than the kernel's {kernel}"
                )

    def _weight_rows(self) -> list[list[float]]:
        """Each kernel w[o] flattened in (c, a, b) order, the row the patches are dotted with."""
        return [tensors.flatten(kernel) for kernel in self.weight]

    def forward(self, x: list) -> list:
        """y = b + the cross-correlation of x with w (the formula above): batch x out x H_out x W_out."""
        self._input_shape = self._image_shape(x)
        return self._forward_images(x)

    def _forward_images(self, images: list) -> list:
        self._patches = kernels.image_patches(images, self.kernel_size, self.stride, self.padding)
        _, _, height, width = self._input_shape
        rows = kernels.output_size(height, self.kernel_size[0], self.stride[0], self.padding[0])
        columns = kernels.output_size(width, self.kernel_size[1], self.stride[1], self.padding[1])
        return kernels.convolution2d_from_patches(self._patches, self._weight_rows(), list(self.bias), rows, columns)

    def backward(self, grad: list, input_gradient: bool = True) -> list | None:
        """From g = dL/dy (batch x out x H_out x W_out), in index form (docs/convolution.md):

        - dL/dw[o][c][a][b] = sum_{n,i,j} g[n][o][i][j] x_pad[n][c][i s_h + a][j s_w + b];
        - dL/db[o] = sum_{n,i,j} g[n][o][i][j];
        - dL/dx[n][c][i s_h + a - p_h][j s_w + b - p_w] += sum_o g[n][o][i][j] w[o][c][a][b], returned.
        """
        self._require_forward(self._patches)
        self._check_gradient(tensors.tensor_shape(grad, f"{type(self).__name__}.backward: gradient", 4))
        return self._backward_images(grad, input_gradient)

    def _check_gradient(self, image_shape: tuple[int, ...]) -> None:
        """The gradient must have the output's shape (as an image: a signal has height 1)."""
        batch, _, height, width = self._input_shape
        expected = (
            batch,
            self.out_channels,
            kernels.output_size(height, self.kernel_size[0], self.stride[0], self.padding[0]),
            kernels.output_size(width, self.kernel_size[1], self.stride[1], self.padding[1]),
        )
        if image_shape != expected:
            shown = expected if self.dimensions == 2 else expected[:2] + expected[3:]
            found = image_shape if self.dimensions == 2 else image_shape[:2] + image_shape[3:]
            raise ValueError(
                f"{type(self).__name__}.backward: gradient {tensors.describe_shape(found)} must match the output "
                f"{tensors.describe_shape(shown)}"
            )

    def _backward_images(self, grad: list, input_gradient: bool) -> list | None:
        weight_rows, bias_gradient = kernels.convolution2d_weight_gradient(self._patches, grad)
        kernel_shape = tuple(tensors.tensor_shape(list(self.weight), "weight", 2 + self.dimensions)[1:])
        self.weight.accumulate_grad(tensors.rows_as_samples(weight_rows, kernel_shape))
        self.bias.accumulate_grad(bias_gradient)
        if not input_gradient:
            return None
        return kernels.convolution2d_input_gradient(
            grad, self._weight_rows(), self._input_shape, self.kernel_size, self.stride, self.padding
        )

    def parameters(self) -> list[Parameter]:
        return [self.weight, self.bias]

    def output_shape(self, input_shape: tuple[int, ...]) -> tuple[int, ...]:
        """The shape of one output sample for one input sample of ``input_shape`` (channels first)."""
        sizes = input_shape[1:]
        return (self.out_channels,) + tuple(
            kernels.output_size(size, kernel, stride, padding)
            for size, kernel, stride, padding in zip(
                sizes, self.kernel_size[-len(sizes):], self.stride[-len(sizes):], self.padding[-len(sizes):]
            )
        )

    def config(self) -> dict:
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": list(self.kernel_size),
            "stride": list(self.stride),
            "padding": list(self.padding),
        }

    def __repr__(self) -> str:
        return (
            f"Conv2d({self.in_channels}, {self.out_channels}, kernel_size={self._shown(self.kernel_size)}, "
            f"stride={self._shown(self.stride)}, padding={self._shown(self.padding)})"
        )

    @staticmethod
    def _shown(value: tuple[int, int]) -> str:
        return str(value[0]) if value[0] == value[1] else str(value)


class Conv1d(Conv2d):
    """1-D convolution (cross-correlation) with PyTorch's semantics and layout.

    y[n][o][t] = b[o] + sum_{c,k} w[o][c][k] x_pad[n][c][t s + k]

    Args as ``Conv2d``, with ints only: kernel_size, stride (default 1) and
    padding (default 0). Shapes: input batch x in_channels x length, output
    batch x out_channels x L_out with L_out = floor((length + 2 padding -
    kernel_size) / stride) + 1; ``weight`` is out_channels x in_channels x
    kernel_size, ``bias`` out_channels. Initialisation as PyTorch's, fan_in =
    in_channels kernel_size. A signal is computed as an image of height 1
    (the same kernels as Conv2d). Derivation: docs/convolution.md.
    """

    dimensions = 1

    @staticmethod
    def _size(value: object, name: str, minimum: int) -> tuple[int, int]:
        # A signal is an image of height 1: the kernel, stride and padding along the height are 1, 1 and 0.
        check_integer(value, name, minimum=minimum)
        return (1, value) if minimum == 1 else (0, value)

    def _image_shape(self, x: object) -> tuple[int, int, int, int]:
        shape = tensors.tensor_shape(x, f"{self!r}: input", 3)
        image_shape = (shape[0], shape[1], 1, shape[2])
        self._check_input_shape(shape, image_shape)
        return image_shape

    def forward(self, x: list) -> list:
        """y = b + the cross-correlation of x with w: batch x out x L_out."""
        self._input_shape = self._image_shape(x)
        images = [[[channel] for channel in sample] for sample in x]
        return [[channel[0] for channel in sample] for sample in self._forward_images(images)]

    def backward(self, grad: list, input_gradient: bool = True) -> list | None:
        """From g = dL/dy (batch x out x L_out), in index form (docs/convolution.md):

        - dL/dw[o][c][k] = sum_{n,t} g[n][o][t] x_pad[n][c][t s + k];
        - dL/db[o] = sum_{n,t} g[n][o][t];
        - dL/dx[n][c][t s + k - p] += sum_o g[n][o][t] w[o][c][k], returned.
        """
        self._require_forward(self._patches)
        shape = tensors.tensor_shape(grad, f"{type(self).__name__}.backward: gradient", 3)
        self._check_gradient((shape[0], shape[1], 1, shape[2]))
        images = [[[channel] for channel in sample] for sample in grad]
        result = self._backward_images(images, input_gradient)
        if result is None:
            return None
        return [[channel[0] for channel in sample] for sample in result]

    def config(self) -> dict:
        return {
            "in_channels": self.in_channels,
            "out_channels": self.out_channels,
            "kernel_size": self.kernel_size[1],
            "stride": self.stride[1],
            "padding": self.padding[1],
        }

    def __repr__(self) -> str:
        return (
            f"Conv1d({self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size[1]}, "
            f"stride={self.stride[1]}, padding={self.padding[1]})"
        )
