"""How fast is each hot loop of purenet, for the shapes of the square network?

    python benchmarks/kernels.py            # about a minute
    python benchmarks/kernels.py --quick    # a few seconds, rougher figures

The square network is Dense(1024, 32) -> LeakyReLU(0.01) -> Dense(32, 2),
trained on batches of 50 drawings. Every kernel it runs in a training step
is timed here on the data it really meets, against three others:

- the *reference*: the plain textbook loop (``reference_matmul`` and
  friends in purenet/matrices/products.py, or a loop written below);
- the *bare loop*: the fastest plain Python for the same result, with no
  shape checks and no shortcuts (``[[sum(map(operator.mul, r, w)) for w in W]
  for r in X]``, or ``math.sumprod`` on Python 3.12+). purenet's time over
  the bare loop's is its overhead: 1.00x means none. Below 1 means purenet
  is faster than the bare loop: on drawings, the matrix products skip the
  background (docs in ``purenet/matrices/products.py``). The same products also run
  on dense random data, where there is nothing to skip, to show the
  overhead alone;
- *NumPy* with one BLAS thread, when it is installed: the distance to
  what the hardware can do.

Rates are *nominal* operations per second: the multiply-adds of the dense
product (or the elements of an element-wise kernel) divided by the time.
A kernel that skips work therefore shows a rate above the bare loop's.

Every result is also checked against the reference: the largest error,
relative to the sum of |products| of each entry, must be at most 1e-12.
"""

from __future__ import annotations

import math
import operator
import random
import sys
import time
from dataclasses import dataclass
from collections.abc import Callable

import common

numpy = common.import_numpy()  # before anything else can import NumPy with more threads

from purenet import matrices  # noqa: E402
from purenet.layers import Dense, LeakyReLU, Parameter  # noqa: E402
from purenet.losses import SoftmaxCrossEntropy  # noqa: E402
from purenet.optimizers import SGD  # noqa: E402

Matrix = common.Matrix

OVERHEAD_TARGET = 1.15  # purenet at most 15% slower than the bare loop on the same data

# --- the bare loops: the fastest plain Python, nothing else ------------------

if hasattr(math, "sumprod"):  # Python 3.12+
    BARE_LOOP_TEXT = "[[math.sumprod(r, w) for w in W] for r in X]"

    def bare_dot_rows(a: Matrix, b: Matrix) -> Matrix:
        """result[i][j] = a[i] . b[j], as plainly and as fast as Python 3.12 allows."""
        sumprod = math.sumprod
        return [[sumprod(row, other) for other in b] for row in a]

else:  # Python 3.10 and 3.11
    BARE_LOOP_TEXT = "[[sum(map(operator.mul, r, w)) for w in W] for r in X]"

    def bare_dot_rows(a: Matrix, b: Matrix) -> Matrix:
        """result[i][j] = a[i] . b[j], as plainly and as fast as Python 3.10 and 3.11 allow."""
        multiply = operator.mul
        return [[sum(map(multiply, row, other)) for other in b] for row in a]


# --- textbook loops, for the kernels that purenet has no reference_ for -----


def textbook_add_row(matrix: Matrix, row: list[float]) -> Matrix:
    """result[i][j] = matrix[i][j] + row[j], one element at a time."""
    result = [[0.0] * len(row) for _ in matrix]
    for i in range(len(matrix)):
        for j in range(len(row)):
            result[i][j] = matrix[i][j] + row[j]
    return result


def textbook_column_sums(matrix: Matrix) -> list[float]:
    """result[j] = sum over i of matrix[i][j], one element at a time."""
    result = [0.0] * len(matrix[0])
    for i in range(len(matrix)):
        for j in range(len(matrix[0])):
            result[j] += matrix[i][j]
    return result


def textbook_leaky_relu(matrix: Matrix, slope: float) -> Matrix:
    """result[i][j] = x if x > 0 else slope * x, one element at a time."""
    result = [[0.0] * len(matrix[0]) for _ in matrix]
    for i in range(len(matrix)):
        for j in range(len(matrix[0])):
            value = matrix[i][j]
            result[i][j] = value if value > 0.0 else slope * value
    return result


def textbook_leaky_relu_backward(gradient: Matrix, inputs: Matrix, slope: float) -> Matrix:
    """result[i][j] = g if x > 0 else slope * g: the gradient through LeakyReLU."""
    result = [[0.0] * len(gradient[0]) for _ in gradient]
    for i in range(len(gradient)):
        for j in range(len(gradient[0])):
            result[i][j] = gradient[i][j] if inputs[i][j] > 0.0 else slope * gradient[i][j]
    return result


def textbook_sgd(weights: Matrix, gradients: Matrix, learning_rate: float) -> Matrix:
    """new[i][j] = w[i][j] - learning_rate * g[i][j], one weight at a time."""
    result = [[0.0] * len(weights[0]) for _ in weights]
    for i in range(len(weights)):
        for j in range(len(weights[0])):
            result[i][j] = weights[i][j] - learning_rate * gradients[i][j]
    return result


def absolute(matrix: Matrix) -> Matrix:
    return [[abs(value) for value in row] for row in matrix]


# --- one kernel, its candidates and its check -------------------------------


@dataclass
class Kernel:
    """One hot loop on one set of data, and everything it is compared with.

    ``operations`` is the nominal count (multiply-adds of the dense product,
    or elements); ``scale`` holds, per result entry, the sum of |terms|
    that the relative error of the check is measured against.
    """

    name: str
    shapes: str
    data: str
    operations: int
    purenet: Callable[[], object]
    reference: Callable[[], object]
    bare: Callable[[], object]
    numpy: Callable[[], object] | None
    scale: object
    purenet_code: str
    bare_code: str
    # When the timed call changes its own data (the SGD update), these make a fresh result to check.
    checked_purenet: Callable[[], object] | None = None
    checked_numpy: Callable[[], object] | None = None

    def candidates(self) -> dict[str, Callable[[], object]]:
        functions = {"purenet": self.purenet, "reference": self.reference, "bare loop": self.bare}
        if self.numpy is not None:
            functions["numpy"] = self.numpy
        return functions


def _as_lists(result: object) -> object:
    """A NumPy array as nested lists; anything else as it is."""
    return result.tolist() if hasattr(result, "tolist") else result


def check(kernel: Kernel) -> dict[str, float]:
    """The largest relative error of each fast candidate against the reference."""
    expected = kernel.reference()
    fast = {
        "purenet": kernel.checked_purenet or kernel.purenet,
        "bare loop": kernel.bare,
    }
    if kernel.numpy is not None:
        fast["numpy"] = kernel.checked_numpy or kernel.numpy
    errors = {}
    for name, function in fast.items():
        result = _as_lists(function())
        if isinstance(expected[0], list):  # a matrix
            errors[name] = common.largest_relative_error(result, expected, kernel.scale)
        else:  # a vector
            errors[name] = common.largest_relative_error([result], [expected], [kernel.scale])
    return errors


# --- the square network's data ----------------------------------------------


@dataclass
class NetworkData:
    """The inputs, weights and gradients of one training step of the square network."""

    inputs: Matrix  # X (50 x 1024): drawings, or dense random values
    hidden_weight: Matrix  # W1 (32 x 1024)
    hidden_bias: list[float]  # b1 (32,)
    output_weight: Matrix  # W2 (2 x 32)
    hidden_before_activation: Matrix  # Z1 = X W1^T + b1 (50 x 32)
    hidden_after_activation: Matrix  # A1 = LeakyReLU(Z1)
    output_gradient: Matrix  # dZ2 = (softmax(Z2) - T) / 50 (50 x 2)
    hidden_activation_gradient: Matrix  # dA1 = dZ2 W2 (50 x 32)
    hidden_gradient: Matrix  # dZ1 = dA1 * LeakyReLU'(Z1) (50 x 32)
    hidden_weight_gradient: Matrix  # dZ1^T X (32 x 1024)


def network_data(inputs: Matrix, labels: list[int], seed: int) -> NetworkData:
    """Run the square network forward and backward once on ``inputs``, keeping every matrix."""
    rng = random.Random(seed)
    hidden = Dense(common.INPUT_FEATURES, common.HIDDEN_FEATURES, rng=rng)
    activation = LeakyReLU(common.LEAKY_SLOPE)
    output = Dense(common.HIDDEN_FEATURES, common.CLASSES, rng=rng)
    # Biases start at 0; give them values so that adding them is a real addition.
    hidden.bias[:] = [rng.uniform(-0.1, 0.1) for _ in range(common.HIDDEN_FEATURES)]
    loss = SoftmaxCrossEntropy()
    hidden_before = hidden.forward(inputs)
    hidden_after = activation.forward(hidden_before)
    loss.forward(output.forward(hidden_after), labels)
    output_gradient = loss.backward()
    hidden_activation_gradient = output.backward(output_gradient)
    hidden_gradient = activation.backward(hidden_activation_gradient)
    hidden.backward(hidden_gradient, input_gradient=False)
    return NetworkData(
        inputs=inputs,
        hidden_weight=common.copy_matrix(hidden.weight),
        hidden_bias=list(hidden.bias),
        output_weight=common.copy_matrix(output.weight),
        hidden_before_activation=hidden_before,
        hidden_after_activation=hidden_after,
        output_gradient=output_gradient,
        hidden_activation_gradient=hidden_activation_gradient,
        hidden_gradient=hidden_gradient,
        hidden_weight_gradient=common.copy_matrix(hidden.weight.grad),
    )


def array(values: object) -> object:
    """A float64 NumPy array (made once, outside the timed code)."""
    return numpy.array(values, dtype=numpy.float64)


# --- the kernels ------------------------------------------------------------


def product_kernels(data: NetworkData, label: str) -> list[Kernel]:
    """The two 1024-wide products that can skip the background: X W1^T and dZ1^T X."""
    X, W1, dZ1 = data.inputs, data.hidden_weight, data.hidden_gradient
    batch, width, hidden = len(X), len(X[0]), len(W1)
    kernels = []

    W1_transposed = matrices.reference_transpose(W1)
    X_array, W1_array = (array(X), array(W1)) if numpy else (None, None)
    kernels.append(Kernel(
        name="forward X W1^T",
        shapes=f"({batch}x{width}) ({hidden}x{width})^T",
        data=label,
        operations=batch * hidden * width,
        purenet=lambda: matrices.matmul_right_transposed(X, W1),
        reference=lambda: matrices.reference_matmul_right_transposed(X, W1),
        bare=lambda: bare_dot_rows(X, W1),
        numpy=(lambda: X_array @ W1_array.T) if numpy else None,
        scale=matrices.reference_matmul(absolute(X), absolute(W1_transposed)),
        purenet_code="matrices.matmul_right_transposed(X, W1)",
        bare_code=BARE_LOOP_TEXT,
    ))

    dZ1_array = array(dZ1) if numpy else None
    kernels.append(Kernel(
        name="weight gradient dZ1^T X",
        shapes=f"({batch}x{hidden})^T ({batch}x{width})",
        data=label,
        operations=hidden * width * batch,
        purenet=lambda: matrices.matmul_left_transposed(dZ1, X),
        reference=lambda: matrices.reference_matmul_left_transposed(dZ1, X),
        bare=lambda: bare_dot_rows(list(zip(*dZ1)), list(zip(*X))),
        numpy=(lambda: dZ1_array.T @ X_array) if numpy else None,
        scale=matrices.reference_matmul(absolute(matrices.reference_transpose(dZ1)), absolute(X)),
        purenet_code="matrices.matmul_left_transposed(dZ1, X)",
        bare_code="the bare loop on list(zip(*dZ1)), list(zip(*X))",
    ))
    return kernels


def other_kernels(data: NetworkData) -> list[Kernel]:
    """The kernels whose data is dense anyway: small products, element-wise work, the update."""
    W1, b1, W2 = data.hidden_weight, data.hidden_bias, data.output_weight
    Z1, dZ2, dA1, dZ1 = (
        data.hidden_before_activation, data.output_gradient, data.hidden_activation_gradient, data.hidden_gradient
    )
    batch, hidden, width, classes = len(Z1), len(W1), len(W1[0]), len(W2)
    slope = common.LEAKY_SLOPE
    learning_rate = common.LEARNING_RATE
    label = "drawings"  # the network's own matrices, on the batch of drawings
    kernels = []

    dZ2_array, W2_array = (array(dZ2), array(W2)) if numpy else (None, None)
    kernels.append(Kernel(
        name="input gradient dZ2 W2",
        shapes=f"({batch}x{classes}) ({classes}x{hidden})",
        data=label,
        operations=batch * classes * hidden,
        purenet=lambda: matrices.matmul(dZ2, W2),
        reference=lambda: matrices.reference_matmul(dZ2, W2),
        bare=lambda: bare_dot_rows(dZ2, list(zip(*W2))),
        numpy=(lambda: dZ2_array @ W2_array) if numpy else None,
        scale=matrices.reference_matmul(absolute(dZ2), absolute(W2)),
        purenet_code="matrices.matmul(dZ2, W2)",
        bare_code="the bare loop on dZ2, list(zip(*W2))",
    ))

    dZ1_array, W1_array = (array(dZ1), array(W1)) if numpy else (None, None)
    kernels.append(Kernel(
        name="input gradient dZ1 W1 (skipped in training)",
        shapes=f"({batch}x{hidden}) ({hidden}x{width})",
        data=label,
        operations=batch * hidden * width,
        purenet=lambda: matrices.matmul(dZ1, W1),
        reference=lambda: matrices.reference_matmul(dZ1, W1),
        bare=lambda: bare_dot_rows(dZ1, list(zip(*W1))),
        numpy=(lambda: dZ1_array @ W1_array) if numpy else None,
        scale=matrices.reference_matmul(absolute(dZ1), absolute(W1)),
        purenet_code="matrices.matmul(dZ1, W1)",
        bare_code="the bare loop on dZ1, list(zip(*W1))",
    ))

    product = matrices.matmul_right_transposed(data.inputs, W1)  # X W1^T, before the bias
    product_array, b1_array = (array(product), array(b1)) if numpy else (None, None)
    add = operator.add
    kernels.append(Kernel(
        name="bias add",
        shapes=f"({batch}x{hidden}) + ({hidden},)",
        data=label,
        operations=batch * hidden,
        purenet=lambda: matrices.add_row(product, b1),
        reference=lambda: textbook_add_row(product, b1),
        bare=lambda: [list(map(add, row, b1)) for row in product],
        numpy=(lambda: product_array + b1_array) if numpy else None,
        scale=[[abs(value) + abs(bias) for value, bias in zip(row, b1)] for row in product],
        purenet_code="matrices.add_row(Z, b1)",
        bare_code="[list(map(operator.add, row, b1)) for row in Z]",
    ))

    kernels.append(Kernel(
        name="bias gradient (column sums)",
        shapes=f"({batch}x{hidden}) -> ({hidden},)",
        data=label,
        operations=batch * hidden,
        purenet=lambda: matrices.column_sums(dZ1),
        reference=lambda: textbook_column_sums(dZ1),
        bare=lambda: [sum(column) for column in zip(*dZ1)],
        numpy=(lambda: dZ1_array.sum(axis=0)) if numpy else None,
        scale=textbook_column_sums(absolute(dZ1)),
        purenet_code="matrices.column_sums(dZ1)",
        bare_code="[sum(column) for column in zip(*dZ1)]",
    ))

    layer = LeakyReLU(slope)
    Z1_array = array(Z1) if numpy else None
    leaky_numpy = (lambda: numpy.where(Z1_array > 0.0, Z1_array, slope * Z1_array)) if numpy else None
    kernels.append(Kernel(
        name="LeakyReLU forward (layer)",
        shapes=f"({batch}x{hidden})",
        data=label,
        operations=batch * hidden,
        purenet=lambda: layer.forward(Z1),
        reference=lambda: textbook_leaky_relu(Z1, slope),
        bare=lambda: [[value if value > 0.0 else slope * value for value in row] for row in Z1],
        numpy=leaky_numpy,
        scale=absolute(Z1),
        purenet_code="LeakyReLU(0.01).forward(Z1): matrices.rectify(Z1, 0.01)",
        bare_code="[[x if x > 0.0 else 0.01 * x for x in row] for row in Z1]",
    ))

    function = layer.function
    kernels.append(Kernel(
        name="map_elements, same function",
        shapes=f"({batch}x{hidden})",
        data=label,
        operations=batch * hidden,
        purenet=lambda: matrices.map_elements(function, Z1),
        reference=lambda: textbook_leaky_relu(Z1, slope),
        bare=lambda: [list(map(function, row)) for row in Z1],
        numpy=leaky_numpy,
        scale=absolute(Z1),
        purenet_code="matrices.map_elements(layer.function, Z1)",
        bare_code="[list(map(layer.function, row)) for row in Z1]",
    ))

    layer.forward(Z1)  # the backward pass reads the saved input
    dA1_array = array(dA1) if numpy else None
    kernels.append(Kernel(
        name="LeakyReLU backward (layer)",
        shapes=f"({batch}x{hidden})",
        data=label,
        operations=batch * hidden,
        purenet=lambda: layer.backward(dA1),
        reference=lambda: textbook_leaky_relu_backward(dA1, Z1, slope),
        bare=lambda: [
            [gradient if value > 0.0 else slope * gradient for gradient, value in zip(gradient_row, row)]
            for gradient_row, row in zip(dA1, Z1)
        ],
        numpy=(lambda: numpy.where(Z1_array > 0.0, dA1_array, slope * dA1_array)) if numpy else None,
        scale=absolute(dA1),
        purenet_code="LeakyReLU(0.01).backward(dA1): matrices.rectify_backward(dA1, Z1, 0.01)",
        bare_code="[[g if x > 0.0 else 0.01 * g for g, x in zip(...)] ...]",
    ))

    gradient = data.hidden_weight_gradient
    parameter = Parameter(common.copy_matrix(W1), "weight")
    parameter.accumulate_grad(gradient)
    optimizer = SGD([parameter], lr=learning_rate)
    weights_array, gradient_array = (array(W1), array(gradient)) if numpy else (None, None)

    def numpy_sgd() -> object:
        # In place, as purenet's step: W1 <- W1 - lr * G.
        return numpy.subtract(weights_array, learning_rate * gradient_array, out=weights_array)

    def purenet_sgd_once() -> Matrix:
        """One step from the original weights (the timed steps keep moving the same weights)."""
        fresh = Parameter(common.copy_matrix(W1), "weight")
        fresh.accumulate_grad(gradient)
        SGD([fresh], lr=learning_rate).step()
        return fresh

    def numpy_sgd_once() -> object:
        return array(W1) - learning_rate * gradient_array

    kernels.append(Kernel(
        name="SGD update of W1",
        shapes=f"({hidden}x{width})",
        data=label,
        operations=hidden * width,
        purenet=optimizer.step,
        reference=lambda: textbook_sgd(W1, gradient, learning_rate),
        bare=lambda: [
            [weight - learning_rate * slope_of_loss for weight, slope_of_loss in zip(weight_row, gradient_row)]
            for weight_row, gradient_row in zip(W1, gradient)
        ],
        numpy=numpy_sgd if numpy else None,
        scale=[[abs(w) + abs(learning_rate * g) for w, g in zip(w_row, g_row)] for w_row, g_row in zip(W1, gradient)],
        purenet_code="SGD([weight], lr=0.1).step()",
        bare_code="[[w - lr * g for w, g in zip(w_row, g_row)] for ...]",
        checked_purenet=purenet_sgd_once,
        checked_numpy=numpy_sgd_once if numpy else None,
    ))
    return kernels


# --- running and reporting --------------------------------------------------


def run_kernel(kernel: Kernel, rounds: int, seconds_per_batch: float) -> dict:
    """Check one kernel, time its candidates, and return every figure."""
    errors = check(kernel)
    timings = common.measure(kernel.candidates(), rounds, seconds_per_batch)
    ours = timings["purenet"].best
    result = {
        "kernel": kernel.name,
        "shapes": kernel.shapes,
        "data": kernel.data,
        "purenet_code": kernel.purenet_code,
        "bare_loop_code": kernel.bare_code,
        "nominal_operations": kernel.operations,
        "timings": {name: timing.as_dict() for name, timing in timings.items()},
        "operations_per_second": {name: kernel.operations / timing.best for name, timing in timings.items()},
        "speed_up_over_reference": timings["reference"].best / ours,
        "purenet_time_over_bare_loop": ours / timings["bare loop"].best,
        "numpy_speed_up_over_purenet": ours / timings["numpy"].best if "numpy" in timings else common.NOT_INSTALLED,
        "relative_errors": errors,
        "check": "OK" if all(error <= common.KERNEL_TOLERANCE for error in errors.values()) else "FAIL",
    }
    result["within_overhead_target"] = result["purenet_time_over_bare_loop"] <= OVERHEAD_TARGET
    return result


def table(results: list[dict]) -> str:
    """The results as a table: purenet's time, the rates of all four, the ratios, the check."""
    headers = [
        "kernel", "shapes", "data", "time", "purenet", "reference", "bare loop", "numpy",
        "vs reference", "purenet/bare", "numpy faster", "check",
    ]
    rows = []
    for result in results:
        rates = result["operations_per_second"]
        numpy_speed_up = result["numpy_speed_up_over_purenet"]
        rows.append([
            result["kernel"],
            result["shapes"],
            result["data"],
            common.format_seconds(result["timings"]["purenet"]["min_seconds"]),
            common.format_rate(rates["purenet"]),
            common.format_rate(rates["reference"]),
            common.format_rate(rates["bare loop"]),
            common.format_rate(rates["numpy"]) if "numpy" in rates else common.NOT_INSTALLED,
            common.format_ratio(result["speed_up_over_reference"]),
            f"{result['purenet_time_over_bare_loop']:.2f}x",
            common.format_ratio(numpy_speed_up) if not isinstance(numpy_speed_up, str) else "-",
            result["check"],
        ])
    return common.format_table(headers, rows)


def main(arguments: list[str] | None = None) -> int:
    options = common.parse_arguments(__doc__.split("\n\n")[0], arguments)
    rounds, seconds_per_batch = (5, 0.02) if options.quick else (11, 0.05)

    started = time.perf_counter()
    machine = common.machine_description(numpy)
    print(common.describe_machine_briefly(machine))
    drawings, labels, source = common.drawing_batch(common.BATCH_SIZE, options.seed)
    dense = common.random_matrix(len(drawings), len(drawings[0]), random.Random(options.seed))
    print(f"drawings: {source}; {common.background_share(drawings):.0%} of their values are background")
    print(f"bare loop: {BARE_LOOP_TEXT}")
    print(f"timing: best of {rounds} interleaved rounds, each about {seconds_per_batch * 1000:.0f} ms per candidate")
    print(flush=True)

    drawing_data = network_data(drawings, labels, options.seed)
    dense_data = network_data(dense, labels, options.seed)
    forward_on_drawings, weight_gradient_on_drawings = product_kernels(drawing_data, "drawings")
    forward_on_dense, weight_gradient_on_dense = product_kernels(dense_data, "dense random")
    kernels = [
        forward_on_drawings, forward_on_dense, weight_gradient_on_drawings, weight_gradient_on_dense
    ] + other_kernels(drawing_data)
    results = []
    for kernel in kernels:
        print(f"  timing {kernel.name} on {kernel.data} ...", file=sys.stderr, flush=True)
        results.append(run_kernel(kernel, rounds, seconds_per_batch))

    print(table(results))
    print()
    print("time: purenet's, per call. purenet, reference, bare loop, numpy: nominal operations per second")
    print("(multiply-adds of the dense product, or elements).")
    print("vs reference: how many times faster than the textbook loop. purenet/bare: purenet's time over")
    print("the bare loop's (overhead; below 1.00x = faster, thanks to the background shortcut).")
    print("numpy faster: how many times faster NumPy (one thread) is than purenet.")
    print(f"check: every result within {common.KERNEL_TOLERANCE:g} of the reference, relative to the sum of |products|.")
    print()
    print(f"Target: every kernel within {OVERHEAD_TARGET - 1:.0%} of the bare loop on the same data")
    for result in results:
        verdict = common.pass_or_miss(result["within_overhead_target"])
        print(f"  {verdict}  {result['kernel']} on {result['data']}: {result['purenet_time_over_bare_loop']:.2f}x")
    elapsed = time.perf_counter() - started
    path = common.write_results(
        "kernels",
        {
            "benchmark": "kernels",
            "machine": machine,
            "settings": {
                "quick": options.quick,
                "rounds": rounds,
                "seconds_per_batch": seconds_per_batch,
                "seed": options.seed,
                "drawings": source,
                "drawings_background_share": common.background_share(drawings),
                "bare_loop": BARE_LOOP_TEXT,
                "tolerance": common.KERNEL_TOLERANCE,
                "overhead_target": OVERHEAD_TARGET,
            },
            "kernels": results,
            "all_checks_ok": all(result["check"] == "OK" for result in results),
            "seconds": elapsed,
        },
        options.output,
    )
    print(f"\nResults written to {path} ({elapsed:.0f} s)")
    return 0 if all(result["check"] == "OK" for result in results) else 1


if __name__ == "__main__":
    sys.exit(main())
