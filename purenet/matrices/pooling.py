"""The loops under pooling: each first as the textbook loop, then in its fast form.

Layouts are PyTorch's (``matrices.convolution``): a batch of images is
x[n][c][i][j]; a 1-D signal is an image of height 1. With kernel (kh, kw) and
stride (sh, sw), derived in docs/convolution.md:

    max:      y[n][c][i][j] = max_{a,b} x[n][c][i sh + a][j sw + b]; its gradient goes to the first maximum
    average:  y[n][c][i][j] = (1 / (kh kw)) sum_{a,b} x[n][c][i sh + a][j sw + b]; its gradient is spread evenly

The ``reference_`` functions are those formulas, one window at a time. The
fast forms gather the windows with strided slices, one slice per kernel
offset (a, b), so that the maximum or the sum of a window runs in C.
"""

from __future__ import annotations

import math
import operator
from itertools import chain

from .convolution import Tensor, output_size


# --- the textbook loops -------------------------------------------------------


def reference_max_pool2d(x: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int]) -> Tensor:
    """y[n][c][i][j] = max_{a,b} x[n][c][i sh + a][j sw + b]; no checks."""
    batch, channels, height, width = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    rows = output_size(height, kernel_size[0], stride[0], 0)
    columns = output_size(width, kernel_size[1], stride[1], 0)
    y = [[[[0.0] * columns for _ in range(rows)] for _ in range(channels)] for _ in range(batch)]
    for n in range(batch):
        for c in range(channels):
            for i in range(rows):
                for j in range(columns):
                    largest = x[n][c][i * stride[0]][j * stride[1]]
                    for a in range(kernel_size[0]):
                        for b in range(kernel_size[1]):
                            value = x[n][c][i * stride[0] + a][j * stride[1] + b]
                            if value > largest:
                                largest = value
                    y[n][c][i][j] = largest
    return y


def reference_max_pool2d_backward(
    x: Tensor, grad: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int]
) -> Tensor:
    """dL/dx: each g[n][c][i][j] goes to the first maximum of its window (row by row); no checks."""
    batch, channels, height, width = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    rows, columns = len(grad[0][0]), len(grad[0][0][0])
    input_gradient = [[[[0.0] * width for _ in range(height)] for _ in range(channels)] for _ in range(batch)]
    for n in range(batch):
        for c in range(channels):
            for i in range(rows):
                for j in range(columns):
                    best_row, best_column = i * stride[0], j * stride[1]
                    for a in range(kernel_size[0]):
                        for b in range(kernel_size[1]):
                            row, column = i * stride[0] + a, j * stride[1] + b
                            if x[n][c][row][column] > x[n][c][best_row][best_column]:
                                best_row, best_column = row, column
                    input_gradient[n][c][best_row][best_column] += grad[n][c][i][j]
    return input_gradient


def reference_avg_pool2d(x: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int]) -> Tensor:
    """y[n][c][i][j] = (1 / (kh kw)) sum_{a,b} x[n][c][i sh + a][j sw + b]; no checks."""
    batch, channels, height, width = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    rows = output_size(height, kernel_size[0], stride[0], 0)
    columns = output_size(width, kernel_size[1], stride[1], 0)
    y = [[[[0.0] * columns for _ in range(rows)] for _ in range(channels)] for _ in range(batch)]
    for n in range(batch):
        for c in range(channels):
            for i in range(rows):
                for j in range(columns):
                    total = 0.0
                    for a in range(kernel_size[0]):
                        for b in range(kernel_size[1]):
                            total += x[n][c][i * stride[0] + a][j * stride[1] + b]
                    y[n][c][i][j] = total / (kernel_size[0] * kernel_size[1])
    return y


def reference_avg_pool2d_backward(
    x_shape: tuple[int, int, int, int], grad: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int]
) -> Tensor:
    """dL/dx[n][c][i sh + a][j sw + b] += g[n][c][i][j] / (kh kw): spread evenly over the window; no checks."""
    batch, channels, height, width = x_shape
    rows, columns = len(grad[0][0]), len(grad[0][0][0])
    input_gradient = [[[[0.0] * width for _ in range(height)] for _ in range(channels)] for _ in range(batch)]
    for n in range(batch):
        for c in range(channels):
            for i in range(rows):
                for j in range(columns):
                    for a in range(kernel_size[0]):
                        for b in range(kernel_size[1]):
                            share = grad[n][c][i][j] / (kernel_size[0] * kernel_size[1])
                            input_gradient[n][c][i * stride[0] + a][j * stride[1] + b] += share
    return input_gradient


# --- the fast forms -------------------------------------------------------------


def _windows(channel: list[list[float]], i: int, kernel_size: tuple[int, int], stride: tuple[int, int], columns: int):
    """For output row i, one strided slice per kernel offset (a, b): slice[j] = x[i sh + a][j sw + b]."""
    span = stride[1] * (columns - 1) + 1
    return [
        channel[i * stride[0] + a][b : b + span : stride[1]]
        for a in range(kernel_size[0])
        for b in range(kernel_size[1])
    ]


def max_pool2d(
    x: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int]
) -> tuple[Tensor, list[list[list[int]]]]:
    """y[n][c][i][j] = max_{a,b} x[n][c][i sh + a][j sw + b], and where each maximum was.

    Returns the output (batch x channels x H_out x W_out) and, per sample
    and channel, the flat index row * W + column of each output's maximum,
    the first in the window read row by row on a tie (as PyTorch), which
    ``max_pool2d_backward`` sends the gradient to. A window holding NaN
    gives NaN, and its last NaN takes the gradient, as in PyTorch.
    """
    kernel_height, kernel_width = kernel_size
    height, width = len(x[0][0]), len(x[0][0][0])
    rows = output_size(height, kernel_height, stride[0], 0)
    columns = output_size(width, kernel_width, stride[1], 0)
    output, winners = [], []
    for sample in x:
        sample_output, sample_winners = [], []
        for channel in sample:
            channel_output, channel_winners = [], []
            for i in range(rows):
                windows = list(zip(*_windows(channel, i, kernel_size, stride, columns)))
                maxima = list(map(max, windows))
                first = [window.index(largest) for window, largest in zip(windows, maxima)]
                if math.isnan(sum(chain.from_iterable(windows))):
                    # max() compares with >, which is false for NaN, so it may pass over a NaN; PyTorch
                    # returns NaN (a diverged network must not look healthy) and routes to the last one.
                    for j, window in enumerate(windows):
                        not_numbers = [k for k, value in enumerate(window) if math.isnan(value)]
                        if not_numbers:
                            maxima[j], first[j] = window[not_numbers[-1]], not_numbers[-1]
                channel_output.append(maxima)
                channel_winners.extend(
                    (i * stride[0] + k // kernel_width) * width + j * stride[1] + k % kernel_width
                    for j, k in enumerate(first)
                )
            sample_output.append(channel_output)
            sample_winners.append(channel_winners)
        output.append(sample_output)
        winners.append(sample_winners)
    return output, winners


def max_pool2d_backward(grad: Tensor, winners: list[list[list[int]]], height: int, width: int) -> Tensor:
    """dL/dx[n][c][r][s] = sum of g[n][c][i][j] over the windows whose maximum was at (r, s)."""
    result = []
    for sample_grad, sample_winners in zip(grad, winners):
        sample_result = []
        for channel_grad, channel_winners in zip(sample_grad, sample_winners):
            flat = [0.0] * (height * width)
            # windows overlap when the stride is below the kernel size, so one value may win several
            for position, value in zip(channel_winners, chain.from_iterable(channel_grad)):
                flat[position] += value
            sample_result.append([flat[row * width : (row + 1) * width] for row in range(height)])
        result.append(sample_result)
    return result


def avg_pool2d(x: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int]) -> Tensor:
    """y[n][c][i][j] = (1 / (kh kw)) sum_{a,b} x[n][c][i sh + a][j sw + b]."""
    height, width = len(x[0][0]), len(x[0][0][0])
    rows = output_size(height, kernel_size[0], stride[0], 0)
    columns = output_size(width, kernel_size[1], stride[1], 0)
    count = kernel_size[0] * kernel_size[1]
    return [
        [
            [
                [total / count for total in map(sum, zip(*_windows(channel, i, kernel_size, stride, columns)))]
                for i in range(rows)
            ]
            for channel in sample
        ]
        for sample in x
    ]


def avg_pool2d_backward(
    grad: Tensor, height: int, width: int, kernel_size: tuple[int, int], stride: tuple[int, int]
) -> Tensor:
    """dL/dx[n][c][i sh + a][j sw + b] += g[n][c][i][j] / (kh kw): each gradient spread evenly over its window.

    When the windows lie side by side (stride = kernel size, the default),
    each value belongs to exactly one window, so a row of the result is
    each share repeated kw times, and kh rows are the same.
    """
    kernel_height, kernel_width = kernel_size
    count = kernel_height * kernel_width
    add = operator.add
    result = []
    for sample_grad in grad:
        sample_result = []
        for channel_grad in sample_grad:
            channel = [[0.0] * width for _ in range(height)]
            columns = len(channel_grad[0])
            span = stride[1] * (columns - 1) + 1
            for i, gradient_row in enumerate(channel_grad):
                if stride == kernel_size:
                    row = [value / count for value in gradient_row for _ in range(kernel_width)]
                    row += [0.0] * (width - len(row))  # the columns no window reached
                    for a in range(kernel_height):
                        channel[i * kernel_height + a] = list(row)
                    continue
                shares = [value / count for value in gradient_row]
                for a in range(kernel_height):
                    target = channel[i * stride[0] + a]
                    for b in range(kernel_width):
                        part = slice(b, b + span, stride[1])
                        target[part] = list(map(add, target[part], shares))
            sample_result.append(channel)
        result.append(sample_result)
    return result
