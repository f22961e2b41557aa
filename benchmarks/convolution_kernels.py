"""How fast are the convolution and pooling kernels, against the bare loop for the same arithmetic?

    python benchmarks/convolution_kernels.py            # about two minutes
    python benchmarks/convolution_kernels.py --quick    # under a minute, rougher figures

The data are drawings of the square task (1024 values each, read as
1 x 32 x 32 images or as 1 x 1024 signals), in batches of 8. Each kernel of
purenet/matrices/convolution.py, called as the layers call it, is timed in
the same run against two others on the same data:

- the *reference*: the textbook loop beside it (``reference_convolution2d``
  and friends: one multiply-add per Python step, padding as an index test);
- the *bare loop*: the plainest fast Python for the same result, with no
  checks and no patches: every output is a sum of dot products of a kernel
  row with a slice of an input row (``math.sumprod`` on 3.12+, else
  ``sum(map(operator.mul, ...))``); a gradient is the same sums turned
  around; a pooled value is ``max`` or ``sum`` over the window's row
  slices (max pooling also finds where the maximum was, as the layer must).

purenet's time over the bare loop's is the figure of the target: at most
1.3x (issue 13); below 1.00x purenet is faster. Every result is checked
against the reference: the largest difference, relative to the largest
value of the reference, must be at most 1e-12.
"""

from __future__ import annotations

import math
import operator
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass

import common

from purenet.matrices import convolution as kernels  # noqa: E402  (common puts this checkout on the path)
from purenet.matrices import pooling as pooling_kernels  # noqa: E402

OVERHEAD_TARGET = 1.3  # purenet at most 30 % slower than the bare loop on the same data
BATCH = 8

if hasattr(math, "sumprod"):  # Python 3.12+
    dot = math.sumprod
else:  # Python 3.10 and 3.11

    def dot(a: list[float], b: list[float]) -> float:
        return sum(map(operator.mul, a, b))


# --- the bare loops: direct sums over row slices, no patches, no checks -------------


def pad(channel: list, padding: int) -> list:
    """A channel with ``padding`` zeros on every side."""
    if padding == 0:
        return channel
    width = len(channel[0]) + 2 * padding
    side = [0.0] * padding
    blank = [[0.0] * width for _ in range(padding)]
    return blank + [side + row + side for row in channel] + [list(row) for row in blank]


def bare_convolution2d(x: list, weight: list, bias: list, stride: int, padding: int) -> list:
    """y[n][o][i][j] = b[o] + sum_{c,a} w[o][c][a] . x_pad[n][c][i s + a][j s : j s + kw]."""
    kernel_height, kernel_width = len(weight[0][0]), len(weight[0][0][0])
    result = []
    for sample in x:
        channels = [pad(channel, padding) for channel in sample]
        rows = (len(channels[0]) - kernel_height) // stride + 1
        columns = (len(channels[0][0]) - kernel_width) // stride + 1
        sample_result = []
        for kernel, bias_value in zip(weight, bias):
            # (kernel row, channel, a) for every row of the kernel
            rows_of_kernel = [(kernel[c][a], channel, a) for c, channel in enumerate(channels) for a in range(kernel_height)]
            sample_result.append([
                [
                    bias_value + sum(
                        dot(kernel_row, channel[i * stride + a][j * stride : j * stride + kernel_width])
                        for kernel_row, channel, a in rows_of_kernel
                    )
                    for j in range(columns)
                ]
                for i in range(rows)
            ])
        result.append(sample_result)
    return result


def bare_weight_gradient(x: list, grad: list, kernel_size: int, stride: int, padding: int) -> list:
    """dL/dw[o][c][a][b] = sum_{n,i} g[n][o][i] . x_pad[n][c][i s + a][b :: s] (the row read at stride s)."""
    out_channels, channels = len(grad[0]), len(x[0])
    result = [[[[0.0] * kernel_size for _ in range(kernel_size)] for _ in range(channels)] for _ in range(out_channels)]
    for sample, sample_grad in zip(x, grad):
        padded = [pad(channel, padding) for channel in sample]
        rows, columns = len(sample_grad[0]), len(sample_grad[0][0])
        span = stride * (columns - 1) + 1
        for o in range(out_channels):
            for c in range(channels):
                for a in range(kernel_size):
                    for b in range(kernel_size):
                        result[o][c][a][b] += sum(
                            dot(sample_grad[o][i], padded[c][i * stride + a][b : b + span : stride]) for i in range(rows)
                        )
    return result


def bare_input_gradient(grad: list, weight: list, shape: tuple, stride: int, padding: int) -> list:
    """dL/dx_pad[n][c][i s + a][b :: s] += sum_o w[o][c][a][b] g[n][o][i], one row slice at a time, then cropped."""
    _, channels, height, width = shape
    kernel_size = len(weight[0][0])
    add = operator.add
    result = []
    for sample_grad in grad:
        rows, columns = len(sample_grad[0]), len(sample_grad[0][0])
        span = stride * (columns - 1) + 1
        padded = [[[0.0] * (width + 2 * padding) for _ in range(height + 2 * padding)] for _ in range(channels)]
        for c in range(channels):
            for a in range(kernel_size):
                for b in range(kernel_size):
                    column_weights = [kernel[c][a][b] for kernel in weight]
                    for i in range(rows):
                        values = [dot(column_weights, position) for position in zip(*(g[i] for g in sample_grad))]
                        target = padded[c][i * stride + a]
                        target[b : b + span : stride] = list(map(add, target[b : b + span : stride], values))
        result.append([[row[padding : padding + width] for row in channel[padding : padding + height]] for channel in padded])
    return result


def bare_max_pool2d(x: list, size: int) -> tuple[list, list]:
    """y = max of each size x size window (stride = size), and the flat index of the first maximum."""
    output, winners = [], []
    for sample in x:
        sample_output, sample_winners = [], []
        for channel in sample:
            width = len(channel[0])
            channel_output, channel_winners = [], []
            for i in range(len(channel) // size):
                rows = channel[i * size : (i + 1) * size]
                maxima = []
                for j in range(width // size):
                    window = [value for row in rows for value in row[j * size : (j + 1) * size]]
                    largest = max(window)
                    k = window.index(largest)
                    maxima.append(largest)
                    channel_winners.append((i * size + k // size) * width + j * size + k % size)
                channel_output.append(maxima)
            sample_output.append(channel_output)
            sample_winners.append(channel_winners)
        output.append(sample_output)
        winners.append(sample_winners)
    return output, winners


def bare_avg_pool2d(x: list, size: int) -> list:
    """y = mean of each size x size window (stride = size)."""
    count = size * size
    return [
        [
            [
                [sum(sum(row[j * size : (j + 1) * size]) for row in channel[i * size : (i + 1) * size]) / count
                 for j in range(len(channel[0]) // size)]
                for i in range(len(channel) // size)
            ]
            for channel in sample
        ]
        for sample in x
    ]


def bare_avg_pool2d_backward(grad: list, height: int, width: int, size: int) -> list:
    """dL/dx = g / size^2 repeated over each window."""
    count = size * size
    result = []
    for sample_grad in grad:
        sample_result = []
        for channel_grad in sample_grad:
            channel = []
            for gradient_row in channel_grad:
                row = [value / count for value in gradient_row for _ in range(size)]
                row += [0.0] * (width - len(row))
                channel.extend(list(row) for _ in range(size))
            channel += [[0.0] * width for _ in range(height - len(channel))]
            sample_result.append(channel)
        result.append(sample_result)
    return result


def bare_max_pool2d_backward(grad: list, winners: list, height: int, width: int) -> list:
    """dL/dx: each gradient added at its window's maximum."""
    result = []
    for sample_grad, sample_winners in zip(grad, winners):
        sample_result = []
        for channel_grad, channel_winners in zip(sample_grad, sample_winners):
            flat = [0.0] * (height * width)
            for position, value in zip(channel_winners, [value for row in channel_grad for value in row]):
                flat[position] += value
            sample_result.append([flat[row * width : (row + 1) * width] for row in range(height)])
        result.append(sample_result)
    return result


# --- the kernels and their data ---------------------------------------------------


@dataclass
class Kernel:
    name: str
    shapes: str
    operations: int  # nominal: multiply-adds, or values read
    purenet: Callable[[], object]
    bare_loop: Callable[[], object]
    reference: Callable[[], object]


def tensor(rng: random.Random, shape: tuple[int, ...]) -> list:
    if len(shape) == 1:
        return [rng.uniform(-0.5, 0.5) for _ in range(shape[0])]
    return [tensor(rng, shape[1:]) for _ in range(shape[0])]


def build_kernels(images: list, seed: int) -> list[Kernel]:
    rng = random.Random(seed)
    signals = [[[value for row in image[0] for value in row]] for image in images]
    batch = len(images)
    result = []

    # layer 1 of a small convolutional square detector: Conv2d(1, 8, 3, padding=1) on 32 x 32 drawings
    weight, bias = tensor(rng, (8, 1, 3, 3)), tensor(rng, (8,))
    weight_rows = [[value for channel in kernel for row in channel for value in row] for kernel in weight]
    patches = kernels.image_patches(images, (3, 3), (1, 1), (1, 1))
    grad = tensor(rng, (batch, 8, 32, 32))
    result.append(Kernel(
        "conv2d forward", f"{batch}x1x32x32 * 8x1x3x3, padding 1", batch * 8 * 32 * 32 * 9,
        lambda: kernels.convolution2d_from_patches(
            kernels.image_patches(images, (3, 3), (1, 1), (1, 1)), weight_rows, bias, 32, 32),
        lambda: bare_convolution2d(images, weight, bias, 1, 1),
        lambda: kernels.reference_convolution2d(images, weight, bias, (1, 1), (1, 1)),
    ))
    result.append(Kernel(
        "conv2d weight gradient", f"{batch}x8x32x32 grad, 8x1x3x3", batch * 8 * 32 * 32 * 9,
        lambda: kernels.convolution2d_weight_gradient(patches, grad)[0],
        lambda: bare_weight_gradient(images, grad, 3, 1, 1),
        lambda: kernels.reference_convolution2d_backward(images, weight, grad, (1, 1), (1, 1))[1],
    ))
    result.append(Kernel(
        "conv2d input gradient", f"{batch}x8x32x32 grad, 8x1x3x3", batch * 8 * 32 * 32 * 9,
        lambda: kernels.convolution2d_input_gradient(grad, weight_rows, (batch, 1, 32, 32), (3, 3), (1, 1), (1, 1)),
        lambda: bare_input_gradient(grad, weight, (batch, 1, 32, 32), 1, 1),
        lambda: kernels.reference_convolution2d_backward(images, weight, grad, (1, 1), (1, 1))[0],
    ))

    # layer 2: Conv2d(8, 16, 3) on 8 x 16 x 16 feature maps, stride 1, no padding
    maps = tensor(rng, (batch, 8, 16, 16))
    weight2, bias2 = tensor(rng, (16, 8, 3, 3)), tensor(rng, (16,))
    weight_rows2 = [[value for channel in kernel for row in channel for value in row] for kernel in weight2]
    result.append(Kernel(
        "conv2d forward", f"{batch}x8x16x16 * 16x8x3x3", batch * 16 * 14 * 14 * 72,
        lambda: kernels.convolution2d_from_patches(
            kernels.image_patches(maps, (3, 3), (1, 1), (0, 0)), weight_rows2, bias2, 14, 14),
        lambda: bare_convolution2d(maps, weight2, bias2, 1, 0),
        lambda: kernels.reference_convolution2d(maps, weight2, bias2, (1, 1), (0, 0)),
    ))

    # Conv1d(1, 8, 9, stride=2, padding=4) along the Hilbert curve: a signal is an image of height 1
    weight1, bias1 = tensor(rng, (8, 1, 9)), tensor(rng, (8,))
    weight_rows1 = [kernel[0] for kernel in weight1]
    result.append(Kernel(
        "conv1d forward", f"{batch}x1x1024 * 8x1x9, stride 2, padding 4", batch * 8 * 512 * 9,
        lambda: kernels.convolution2d_from_patches(
            kernels.image_patches([[[channel] for channel in sample] for sample in signals], (1, 9), (1, 2), (0, 4)),
            weight_rows1, bias1, 1, 512),
        lambda: bare_convolution1d(signals, weight1, bias1, 2, 4),
        lambda: kernels.reference_convolution1d(signals, weight1, bias1, 2, 4),
    ))

    # pooling 2 x 2 on the first layer's output: 8 x 32 x 32 maps
    maps32 = tensor(rng, (batch, 8, 32, 32))
    pooled_grad = tensor(rng, (batch, 8, 16, 16))
    _, winners = pooling_kernels.max_pool2d(maps32, (2, 2), (2, 2))
    values = batch * 8 * 32 * 32
    result.append(Kernel(
        "max pool2d forward", f"{batch}x8x32x32, 2x2", values,
        lambda: pooling_kernels.max_pool2d(maps32, (2, 2), (2, 2)),
        lambda: bare_max_pool2d(maps32, 2),
        lambda: pooling_kernels.reference_max_pool2d(maps32, (2, 2), (2, 2)),
    ))
    result.append(Kernel(
        "max pool2d backward", f"{batch}x8x16x16 grad", values,
        lambda: pooling_kernels.max_pool2d_backward(pooled_grad, winners, 32, 32),
        lambda: bare_max_pool2d_backward(pooled_grad, winners, 32, 32),
        lambda: pooling_kernels.reference_max_pool2d_backward(maps32, pooled_grad, (2, 2), (2, 2)),
    ))
    result.append(Kernel(
        "avg pool2d forward", f"{batch}x8x32x32, 2x2", values,
        lambda: pooling_kernels.avg_pool2d(maps32, (2, 2), (2, 2)),
        lambda: bare_avg_pool2d(maps32, 2),
        lambda: pooling_kernels.reference_avg_pool2d(maps32, (2, 2), (2, 2)),
    ))
    result.append(Kernel(
        "avg pool2d backward", f"{batch}x8x16x16 grad", values,
        lambda: pooling_kernels.avg_pool2d_backward(pooled_grad, 32, 32, (2, 2), (2, 2)),
        lambda: bare_avg_pool2d_backward(pooled_grad, 32, 32, 2),
        lambda: pooling_kernels.reference_avg_pool2d_backward((batch, 8, 32, 32), pooled_grad, (2, 2), (2, 2)),
    ))
    return result


def bare_convolution1d(x: list, weight: list, bias: list, stride: int, padding: int) -> list:
    """y[n][o][t] = b[o] + sum_c w[o][c] . x_pad[n][c][t s : t s + k]."""
    kernel_size = len(weight[0][0])
    result = []
    for sample in x:
        padded = [[0.0] * padding + channel + [0.0] * padding for channel in sample]
        positions = (len(padded[0]) - kernel_size) // stride + 1
        result.append([
            [
                bias_value + sum(
                    dot(kernel_channel, channel[t * stride : t * stride + kernel_size])
                    for kernel_channel, channel in zip(kernel, padded)
                )
                for t in range(positions)
            ]
            for kernel, bias_value in zip(weight, bias)
        ])
    return result


def first_part(result: object) -> object:
    """max_pool2d returns (output, winners); the others their result."""
    return result[0] if isinstance(result, tuple) else result


def relative_error(result: object, expected: object) -> float:
    return common.largest_normwise_error(first_part(result), first_part(expected))


def run_kernel(kernel: Kernel, rounds: int, seconds_per_batch: float) -> dict:
    """Check one kernel against the reference, time the three candidates, and return every figure."""
    expected = kernel.reference()
    errors = {"purenet": relative_error(kernel.purenet(), expected), "bare loop": relative_error(kernel.bare_loop(), expected)}
    candidates = {"purenet": kernel.purenet, "bare loop": kernel.bare_loop, "reference": kernel.reference}
    timings = common.measure(candidates, rounds, seconds_per_batch)
    ours = timings["purenet"].best
    return {
        "kernel": kernel.name,
        "shapes": kernel.shapes,
        "nominal_operations": kernel.operations,
        "timings": {name: timing.as_dict() for name, timing in timings.items()},
        "purenet_time_over_bare_loop": ours / timings["bare loop"].best,
        "speed_up_over_reference": timings["reference"].best / ours,
        "relative_errors": errors,
        "check": "OK" if all(error <= common.KERNEL_TOLERANCE for error in errors.values()) else "FAIL",
        "within_overhead_target": ours / timings["bare loop"].best <= OVERHEAD_TARGET,
    }


def main(arguments: list[str] | None = None) -> int:
    options = common.parse_arguments(__doc__.split("\n\n")[0], arguments)
    rounds, seconds_per_batch = (3, 0.05) if options.quick else (7, 0.2)
    started = time.perf_counter()
    machine = common.machine_description(None)
    print(common.describe_machine_briefly(machine))
    drawings, _, source = common.drawing_batch(BATCH, options.seed)
    # each drawing's 1024 values as one 32 x 32 channel (the layout does not change the arithmetic)
    images = [[[row[start : start + 32] for start in range(0, 1024, 32)]] for row in drawings]
    print(f"drawings: {source}; timing: best of {rounds} interleaved rounds, about {seconds_per_batch * 1000:.0f} ms each")
    results = []
    for kernel in build_kernels(images, options.seed):
        print(f"  timing {kernel.name} ({kernel.shapes}) ...", file=sys.stderr, flush=True)
        results.append(run_kernel(kernel, rounds, seconds_per_batch))
    rows = [
        [
            result["kernel"], result["shapes"], common.format_seconds(result["timings"]["purenet"]["min_seconds"]),
            f"{result['purenet_time_over_bare_loop']:.2f}x", common.format_ratio(result["speed_up_over_reference"]),
            result["check"], common.pass_or_miss(result["within_overhead_target"]),
        ]
        for result in results
    ]
    print(common.format_table(
        ["kernel", "shapes", "purenet time", "purenet/bare", "vs reference", "check", f"<= {OVERHEAD_TARGET}x"], rows
    ))
    print()
    print("purenet/bare: purenet's time over the bare loop's (below 1.00x = faster). vs reference: how many times")
    print(f"faster than the textbook loop. check: within {common.KERNEL_TOLERANCE:g} of the reference (relative to its largest value).")
    elapsed = time.perf_counter() - started
    path = common.write_results(
        "convolution_kernels",
        {
            "benchmark": "convolution_kernels",
            "machine": machine,
            "settings": {"quick": options.quick, "rounds": rounds, "seconds_per_batch": seconds_per_batch,
                         "seed": options.seed, "batch": BATCH, "drawings": source,
                         "tolerance": common.KERNEL_TOLERANCE, "overhead_target": OVERHEAD_TARGET},
            "kernels": results,
            "all_checks_ok": all(result["check"] == "OK" for result in results),
            "all_within_target": all(result["within_overhead_target"] for result in results),
            "seconds": elapsed,
        },
        options.output,
    )
    print(f"results written to {path}")
    return 0 if all(result["check"] == "OK" for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
