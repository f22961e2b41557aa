"""The loops under convolution: each first as the textbook loop, then in its fast form.

Layouts are PyTorch's: a batch of signals is x[n][c][t] (batch x channels x
length), a batch of images x[n][c][i][j] (batch x channels x height x
width); a 1-D kernel is w[o][c][k] (out x in x kernel), a 2-D kernel
w[o][c][a][b]. Padding adds zeros on every side. The formulas (forward as a
cross-correlation, the three gradients in index form, pooling's gradients)
are derived in docs/convolution.md; for 2-D, with stride s and padding p:

    y[n][o][i][j] = b[o] + sum_{c,a,b} w[o][c][a][b] x_pad[n][c][i s + a][j s + b]
    output size   H_out = floor((H + 2 p - kh) / s) + 1

The ``reference_`` functions are those sums, one multiply-add at a time,
with the padding as an index test. The fast forms give the same numbers
(up to float rounding, which the tests bound) and are what the layers
call. They rest on one idea, *patches* (also called im2col): the values a
kernel sees at output position (i, j) are gathered into one row, in the
order (c, a, b) of the kernel's own flattened values, so that every output
is a dot product of a patch with a kernel row, and the three gradients are
the three products of the dense layer (docs/dense.md) on patches:

    forward          Y = P W^T + b       (positions x out)
    weight gradient  dL/dW = G^T P       (out x in*kh*kw), summed over the batch
    input gradient   dL/dP = G W, each patch row added back where it came from

A 1-D signal is an image of height 1, so the 1-D layers call the 2-D
kernels. Pooling's loops are in ``matrices.pooling``.

The forward product has one shortcut, the convolution's form of the dense
layer's background shortcut (``matrices.products``): *repeated patches*. A
drawing is mostly blank paper, and every blank patch is the same tuple of
values, so it gives the same outputs; the layers after it inherit this, since
a blank region gives the same activations everywhere. When a sample's
distinct patches are few enough (at most ``REPEATED_PATCH_SHARE`` of its
patches), each distinct patch is multiplied once and its outputs are copied
to every position where it occurs.
"""

from __future__ import annotations

import operator
from itertools import chain

from .products import _dot_rows as dot_rows

Tensor = list

# A sample takes the repeated-patch shortcut when it has at most this share of distinct patches
# (looking them up costs two hashes a patch, far less than the dot products it saves).
REPEATED_PATCH_SHARE = 0.75


def output_size(size: int, kernel_size: int, stride: int, padding: int) -> int:
    """Positions a kernel takes along one axis: floor((size + 2 padding - kernel_size) / stride) + 1."""
    return (size + 2 * padding - kernel_size) // stride + 1


# --- the textbook loops -------------------------------------------------------


def reference_convolution1d(x: Tensor, weight: Tensor, bias: list, stride: int, padding: int) -> Tensor:
    """y[n][o][t] = b[o] + sum_{c,k} w[o][c][k] x[n][c][t s + k - p] (x is 0 outside 0..L-1); no checks."""
    batch, channels, length = len(x), len(x[0]), len(x[0][0])
    out_channels, kernel_size = len(weight), len(weight[0][0])
    positions = output_size(length, kernel_size, stride, padding)
    y = [[[0.0] * positions for _ in range(out_channels)] for _ in range(batch)]
    for n in range(batch):
        for o in range(out_channels):
            for t in range(positions):
                total = bias[o]
                for c in range(channels):
                    for k in range(kernel_size):
                        position = t * stride + k - padding
                        if 0 <= position < length:
                            total += weight[o][c][k] * x[n][c][position]
                y[n][o][t] = total
    return y


def reference_convolution1d_backward(
    x: Tensor, weight: Tensor, grad: Tensor, stride: int, padding: int
) -> tuple[Tensor, Tensor, list]:
    """(dL/dx, dL/dw, dL/db) from g = dL/dy, one term at a time; no checks.

    dL/dx[n][c][t s + k - p] += g[n][o][t] w[o][c][k];  dL/dw[o][c][k] = sum_{n,t} g[n][o][t] x_pad[n][c][t s + k];
    dL/db[o] = sum_{n,t} g[n][o][t].
    """
    batch, channels, length = len(x), len(x[0]), len(x[0][0])
    out_channels, kernel_size = len(weight), len(weight[0][0])
    positions = len(grad[0][0])
    input_gradient = [[[0.0] * length for _ in range(channels)] for _ in range(batch)]
    weight_gradient = [[[0.0] * kernel_size for _ in range(channels)] for _ in range(out_channels)]
    bias_gradient = [0.0] * out_channels
    for n in range(batch):
        for o in range(out_channels):
            for t in range(positions):
                g = grad[n][o][t]
                bias_gradient[o] += g
                for c in range(channels):
                    for k in range(kernel_size):
                        position = t * stride + k - padding
                        if 0 <= position < length:
                            weight_gradient[o][c][k] += g * x[n][c][position]
                            input_gradient[n][c][position] += g * weight[o][c][k]
    return input_gradient, weight_gradient, bias_gradient


def reference_convolution2d(
    x: Tensor, weight: Tensor, bias: list, stride: tuple[int, int], padding: tuple[int, int]
) -> Tensor:
    """y[n][o][i][j] = b[o] + sum_{c,a,b} w[o][c][a][b] x[n][c][i sh + a - ph][j sw + b - pw]; no checks."""
    batch, channels, height, width = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    out_channels, kernel_height, kernel_width = len(weight), len(weight[0][0]), len(weight[0][0][0])
    rows = output_size(height, kernel_height, stride[0], padding[0])
    columns = output_size(width, kernel_width, stride[1], padding[1])
    y = [[[[0.0] * columns for _ in range(rows)] for _ in range(out_channels)] for _ in range(batch)]
    for n in range(batch):
        for o in range(out_channels):
            for i in range(rows):
                for j in range(columns):
                    total = bias[o]
                    for c in range(channels):
                        for a in range(kernel_height):
                            for b in range(kernel_width):
                                row = i * stride[0] + a - padding[0]
                                column = j * stride[1] + b - padding[1]
                                if 0 <= row < height and 0 <= column < width:
                                    total += weight[o][c][a][b] * x[n][c][row][column]
                    y[n][o][i][j] = total
    return y


def reference_convolution2d_backward(
    x: Tensor, weight: Tensor, grad: Tensor, stride: tuple[int, int], padding: tuple[int, int]
) -> tuple[Tensor, Tensor, list]:
    """(dL/dx, dL/dw, dL/db) from g = dL/dy, one term at a time, as in the 1-D loop; no checks."""
    batch, channels, height, width = len(x), len(x[0]), len(x[0][0]), len(x[0][0][0])
    out_channels, kernel_height, kernel_width = len(weight), len(weight[0][0]), len(weight[0][0][0])
    rows, columns = len(grad[0][0]), len(grad[0][0][0])
    input_gradient = [[[[0.0] * width for _ in range(height)] for _ in range(channels)] for _ in range(batch)]
    weight_gradient = [
        [[[0.0] * kernel_width for _ in range(kernel_height)] for _ in range(channels)] for _ in range(out_channels)
    ]
    bias_gradient = [0.0] * out_channels
    for n in range(batch):
        for o in range(out_channels):
            for i in range(rows):
                for j in range(columns):
                    g = grad[n][o][i][j]
                    bias_gradient[o] += g
                    for c in range(channels):
                        for a in range(kernel_height):
                            for b in range(kernel_width):
                                row = i * stride[0] + a - padding[0]
                                column = j * stride[1] + b - padding[1]
                                if 0 <= row < height and 0 <= column < width:
                                    weight_gradient[o][c][a][b] += g * x[n][c][row][column]
                                    input_gradient[n][c][row][column] += g * weight[o][c][a][b]
    return input_gradient, weight_gradient, bias_gradient


# --- the fast forms -------------------------------------------------------------


def _padded(channel: list[list[float]], padding: tuple[int, int]) -> list[list[float]]:
    """One channel (height x width) with rows and columns of zeros around it."""
    row_padding, column_padding = padding
    if row_padding == 0 and column_padding == 0:
        return channel
    side = [0.0] * column_padding
    width = len(channel[0]) + 2 * column_padding
    blank = [[0.0] * width for _ in range(row_padding)]
    return blank + [side + row + side for row in channel] + [list(row) for row in blank]


def image_patches(
    x: Tensor, kernel_size: tuple[int, int], stride: tuple[int, int], padding: tuple[int, int]
) -> list[list[list[float]]]:
    """For each sample, the patch of every output position: patches[n][i * W_out + j][(c, a, b)].

    patches[n][p][c kh kw + a kw + b] = x_pad[n][c][i sh + a][j sw + b] with p = i W_out + j:
    the values the kernel meets at (i, j), in the order of a flattened kernel w[o].
    Shape: batch x (H_out W_out) x (in kh kw), each patch a tuple.
    """
    kernel_height, kernel_width = kernel_size
    row_stride, column_stride = stride
    patches = []
    for sample in x:
        channels = [_padded(channel, padding) for channel in sample]
        rows = (len(channels[0]) - kernel_height) // row_stride + 1
        columns = (len(channels[0][0]) - kernel_width) // column_stride + 1
        span = column_stride * (columns - 1) + 1
        sample_patches = []
        for i in range(rows):
            # For output row i and each kernel offset (c, a, b), the values that offset meets at
            # j = 0, 1, ... are one strided slice of an input row; zip turns these columns into the
            # patches (as tuples), so the gathering runs in C rather than one Python step per value.
            offsets = [
                channel[i * row_stride + a][b : b + span : column_stride]
                for channel in channels
                for a in range(kernel_height)
                for b in range(kernel_width)
            ]
            sample_patches.extend(zip(*offsets))
        patches.append(sample_patches)
    return patches


def convolution2d_from_patches(
    patches: list[list[list[float]]], weight_rows: list[list[float]], bias: list[float], rows: int, columns: int
) -> Tensor:
    """y[n][o][i][j] = w[o] . patches[n][i W_out + j] + b[o]: batch x out x H_out x W_out.

    ``weight_rows[o]`` is the kernel w[o] flattened in (c, a, b) order.
    """
    output = []
    for sample_patches in patches:
        products = patch_products(weight_rows, sample_patches)  # out x positions
        output.append(
            [
                [[value + bias_value for value in row[i * columns : (i + 1) * columns]] for i in range(rows)]
                for row, bias_value in zip(products, bias)
            ]
        )
    return output


def patch_products(weight_rows: list[list[float]], sample_patches: list) -> list:
    """products[o][p] = w[o] . patches[p] for one sample: out x positions, each distinct patch computed once.

    ``dict.fromkeys`` keeps the distinct patches in the order first met;
    when they are at most ``REPEATED_PATCH_SHARE`` of the patches, their dot
    products are taken once and copied to every position holding that patch
    (equal patches give equal sums). Otherwise every patch is multiplied, as
    ``dot_rows`` does. 0.0 and -0.0 count as equal: the sums can differ only
    in the sign of an exact zero.
    """
    distinct = list(dict.fromkeys(sample_patches))
    if len(distinct) > REPEATED_PATCH_SHARE * len(sample_patches):
        return dot_rows(weight_rows, sample_patches)
    outputs = dict(zip(distinct, zip(*dot_rows(weight_rows, distinct))))  # patch -> its out values
    return list(zip(*map(outputs.__getitem__, sample_patches)))


def convolution2d_weight_gradient(
    patches: list[list[list[float]]], grad: Tensor
) -> tuple[list[list[float]], list[float]]:
    """dL/dw[o][(c, a, b)] = sum_{n,p} g[n][o][p] patches[n][p][(c, a, b)], and dL/db[o] = sum_{n,p} g[n][o][p].

    The weight gradient G^T P of the dense layer, with the batch and the
    positions together as the rows: out x (in kh kw), the kernel flattened.
    """
    out_channels = len(grad[0])
    gradient_rows = [
        list(chain.from_iterable(chain.from_iterable(sample[o] for sample in grad))) for o in range(out_channels)
    ]
    patch_columns = list(zip(*chain.from_iterable(patches)))  # tuples: a dot product reads them as they are
    return dot_rows(gradient_rows, patch_columns), [sum(row) for row in gradient_rows]


def convolution2d_input_gradient(
    grad: Tensor,
    weight_rows: list[list[float]],
    input_shape: tuple[int, int, int, int],
    kernel_size: tuple[int, int],
    stride: tuple[int, int],
    padding: tuple[int, int],
) -> Tensor:
    """dL/dx[n][c][i sh + a - ph][j sw + b - pw] += sum_o g[n][o][i][j] w[o][c][a][b]: batch x in x H x W.

    For each kernel offset (c, a, b) the sums over o form one row of
    positions (W^T G per sample); each output row i of it is added at once
    to the strided slice of input row i sh + a that the kernel read.
    """
    _, channels, height, width = input_shape
    kernel_height, kernel_width = kernel_size
    row_stride, column_stride = stride
    row_padding, column_padding = padding
    weight_columns = list(zip(*weight_rows))  # (in kh kw) x out
    add = operator.add
    result = []
    for sample in grad:
        rows, columns = len(sample[0]), len(sample[0][0])
        positions = list(zip(*(chain.from_iterable(channel) for channel in sample)))  # positions x out
        offsets = dot_rows(weight_columns, positions)  # (in kh kw) x positions
        padded = [
            [[0.0] * (width + 2 * column_padding) for _ in range(height + 2 * row_padding)] for _ in range(channels)
        ]
        span = column_stride * (columns - 1) + 1
        offset_index = 0
        for c in range(channels):
            for a in range(kernel_height):
                for b in range(kernel_width):
                    values = offsets[offset_index]
                    offset_index += 1
                    for i in range(rows):
                        target = padded[c][i * row_stride + a]
                        part = slice(b, b + span, column_stride)
                        target[part] = list(map(add, target[part], values[i * columns : (i + 1) * columns]))
        result.append(
            [
                [row[column_padding : column_padding + width] for row in channel[row_padding : row_padding + height]]
                for channel in padded
            ]
        )
    return result
