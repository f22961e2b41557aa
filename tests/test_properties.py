"""Property tests: every layer, loss and optimiser against plain loops, on random shapes and values.

Hypothesis draws the batch size, the widths and the numbers; each test recomputes what
purenet computes with the plainest loop that states the formula (one sample, one entry
at a time), and checks every gradient against central finite differences too. This is
minitorch's way of testing: the fast code must agree with the textbook on any input,
not only on the handful a person thought of. The formulas and their derivations are in
docs/dense.md, docs/activations.md, docs/losses.md and docs/optimisation.md.

Hypothesis is derandomised (the same examples on every run, as every random choice in
this project is reproducible) and keeps no example database in the working tree.
"""

from __future__ import annotations

import math
import warnings

import pytest
from conftest import assert_close, central_difference
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import purenet as pn

# No deadline and no too-slow check: on a busy machine drawing a wide batch can take a while, which says
# nothing about purenet.
PROPERTY_SETTINGS = settings(
    deadline=None, max_examples=30, derandomize=True, database=None, suppress_health_check=[HealthCheck.too_slow]
)

# Tolerances. Plain loops add in a different order from purenet's kernels: a few ulps of the
# largest term. Central differences with h = 1e-6 carry about 1e-10 of rounding per unit of
# the objective (docs/backpropagation.md), so they are held to a looser rule.
LOOP = {"rel": 1e-9, "abs": 1e-12}
FINITE_DIFFERENCE = {"rel": 1e-5, "abs": 1e-7}

BATCH = st.integers(min_value=1, max_value=4)
WIDTH = st.integers(min_value=1, max_value=5)
CLASSES = st.integers(min_value=2, max_value=5)
VALUE = st.floats(min_value=-3.0, max_value=3.0, allow_nan=False, allow_subnormal=False)
# Exact zeros and repeated values mixed in, as in one-hot, sparse or drawn inputs.
VALUE_WITH_RUNS = st.one_of(st.sampled_from([0.0, 0.0, 1.0, -0.5]), VALUE)
# Away from 0, where ReLU and LeakyReLU have their kink and a central difference straddles it.
AWAY_FROM_ZERO = st.tuples(st.booleans(), st.floats(min_value=0.01, max_value=3.0)).map(
    lambda sign_and_size: sign_and_size[1] if sign_and_size[0] else -sign_and_size[1]
)


def matrix_of(rows: int, columns: int, values: st.SearchStrategy = VALUE) -> st.SearchStrategy:
    return st.lists(st.lists(values, min_size=columns, max_size=columns), min_size=rows, max_size=rows)


def weighted_sum(outputs: list, weights: list) -> float:
    """L = sum_nk outputs[n][k] * weights[n][k]: a scalar whose gradient with respect to outputs is weights."""
    return sum(o * w for output_row, weight_row in zip(outputs, weights) for o, w in zip(output_row, weight_row))


def plain_softmax(row: list) -> list:
    """p_k = e^(z_k - max z) / sum_j e^(z_j - max z), written out again."""
    largest = max(row)
    exponentials = [math.exp(z - largest) for z in row]
    return [e / sum(exponentials) for e in exponentials]


# --- the shared helpers can fail ---------------------------------------------------------


def test_assert_close_names_the_first_differing_index():
    assert_close([[1.0, 2.0], [3.0, 4.0]], [[1.0, 2.0], [3.0, 4.0 + 1e-12]])
    assert_close(1.0, 1.0 + 1e-10)
    assert_close([math.nan, math.inf], [math.nan, math.inf])
    failures = {
        "at [1][0]: 3.5 != 3.0": ([[1.0, 2.0], [3.5, 9.0]], [[1.0, 2.0], [3.0, 4.0]]),
        "at [1]: expected 2 entries, got 1": ([[1.0], [2.0]], [[1.0], [2.0, 3.0]]),
        "at [0]: expected the number 1.0, got list": ([[1.0]], [1.0]),
        "at [0]: expected a list of 1, got float": ([1.0], [[1.0]]),
        "at [0]: nan != 1.0": ([math.nan], [1.0]),
        "at [0]: 1.0 != nan": ([1.0], [math.nan]),
        "at [1]: inf != -inf": ([0.0, math.inf], [0.0, -math.inf]),
        "at the top: 2.0 != 1.0": (2.0, 1.0),
    }
    for message, (actual, expected) in failures.items():
        with pytest.raises(AssertionError, match=message.replace("[", r"\[").replace("]", r"\]")):
            assert_close(actual, expected)
    with pytest.raises(AssertionError, match=r"at \[0\]: 1.001 != 1.0 \(difference 0.001 > 0.0001\)"):
        assert_close([1.001], [1.0], rel=1e-4)
    assert_close([1.001], [1.0], rel=1e-2)
    assert_close([1e-13], [0.0])  # within abs
    with pytest.raises(AssertionError, match=r"at \[0\]"):
        assert_close([1e-13], [0.0], abs=1e-14)


def test_central_difference_recovers_known_derivatives():
    vector = [0.3, -1.2]
    assert_close(central_difference(lambda: math.sin(vector[0]) * vector[1] ** 3, vector),
                 [math.cos(0.3) * -1.2**3, math.sin(0.3) * 3 * 1.2**2], rel=1e-8)
    assert vector == [0.3, -1.2]  # restored
    matrix = [[1.0, 2.0], [3.0, 4.0]]
    assert_close(central_difference(lambda: sum(v * v for row in matrix for v in row), matrix),
                 [[2.0, 4.0], [6.0, 8.0]], rel=1e-8)
    with pytest.raises(AssertionError):  # a wrong derivative is told apart
        assert_close(central_difference(lambda: math.exp(vector[0]), vector), [math.exp(0.3) * 1.001, 0.0], rel=1e-5)


# --- layers -------------------------------------------------------------------------------


@st.composite
def dense_cases(draw):
    """A Dense layer with random sizes, weights and bias, an input batch and an upstream gradient."""
    batch, inputs, outputs = draw(BATCH), draw(WIDTH), draw(WIDTH)
    layer = pn.Dense(inputs, outputs, rng=0)  # its initial weights are replaced just below
    layer.weight[:] = draw(matrix_of(outputs, inputs, VALUE_WITH_RUNS))
    layer.bias[:] = draw(matrix_of(1, outputs))[0]
    return layer, draw(matrix_of(batch, inputs, VALUE_WITH_RUNS)), draw(matrix_of(batch, outputs))


@st.composite
def wide_mostly_constant_dense_cases(draw):
    """As dense_cases, but each input row is 64 to 80 copies of one value with a few others among them.

    Such rows (a drawing's blank background, the zeros of a one-hot feature) take the
    products' shortcut for mostly-constant input (purenet/matrices/products.py), which
    must give what the plain loop gives.
    """
    batch, inputs, outputs = draw(BATCH), draw(st.integers(64, 80)), draw(st.integers(1, 3))
    layer = pn.Dense(inputs, outputs, rng=0)  # its initial weights are replaced just below
    layer.weight[:] = draw(matrix_of(outputs, inputs))
    layer.bias[:] = draw(matrix_of(1, outputs))[0]
    x = []
    for _ in range(batch):
        row = [draw(VALUE_WITH_RUNS)] * inputs
        for position, value in draw(st.lists(st.tuples(st.integers(0, inputs - 1), VALUE), max_size=inputs // 8)):
            row[position] = value
        x.append(row)
    return layer, x, draw(matrix_of(batch, outputs))


def dense_by_plain_loops(layer: pn.Dense, x: list, upstream: list) -> tuple:
    """(Z, dL/dW, dL/db, dL/dX) one entry at a time, for L with dL/dZ = upstream (docs/backpropagation.md).

    z[n][o] = sum_i x[n][i] w[o][i] + b[o];  dL/dW = G^T X;  dL/db = column sums of G;  dL/dX = G W.
    """
    samples, outputs, inputs = range(len(x)), range(layer.out_features), range(layer.in_features)
    output = [[sum(x[n][i] * layer.weight[o][i] for i in inputs) + layer.bias[o] for o in outputs] for n in samples]
    weight_gradient = [[sum(upstream[n][o] * x[n][i] for n in samples) for i in inputs] for o in outputs]
    bias_gradient = [sum(upstream[n][o] for n in samples) for o in outputs]
    input_gradient = [[sum(upstream[n][o] * layer.weight[o][i] for o in outputs) for i in inputs] for n in samples]
    return output, weight_gradient, bias_gradient, input_gradient


@pytest.mark.parametrize("cases", [dense_cases(), wide_mostly_constant_dense_cases()], ids=["narrow", "wide"])
@PROPERTY_SETTINGS
@given(data=st.data())
def test_dense_forward_and_backward_are_the_plain_loop(cases, data):
    layer, x, upstream = data.draw(cases)
    output, weight_gradient, bias_gradient, input_gradient = dense_by_plain_loops(layer, x, upstream)
    # Products of a few hundred terms of size up to 9, added in another order: a few ulps of 1e3.
    assert_close(layer.forward(x), output, rel=1e-9, abs=1e-11)
    assert_close(layer.backward(upstream), input_gradient, rel=1e-9, abs=1e-11)
    assert_close(layer.weight.grad, weight_gradient, rel=1e-9, abs=1e-11)
    assert_close(layer.bias.grad, bias_gradient, rel=1e-9, abs=1e-11)


@PROPERTY_SETTINGS
@given(dense_cases())
def test_dense_backward_is_the_finite_difference(case):
    layer, x, upstream = case
    layer.forward(x)
    input_gradient = layer.backward(upstream)

    def objective() -> float:
        return weighted_sum(layer.forward(x), upstream)

    assert_close(layer.weight.grad, central_difference(objective, layer.weight), **FINITE_DIFFERENCE)
    assert_close(layer.bias.grad, central_difference(objective, layer.bias), **FINITE_DIFFERENCE)
    assert_close(input_gradient, central_difference(objective, x), **FINITE_DIFFERENCE)


@PROPERTY_SETTINGS
@given(dense_cases())
def test_dense_backward_without_the_input_gradient_gives_the_same_parameter_gradients(case):
    layer, x, upstream = case
    layer.forward(x)
    layer.backward(upstream)
    with_input = [layer.weight.grad, layer.bias.grad]
    layer.zero_grad()
    layer.forward(x)
    assert layer.backward(upstream, input_gradient=False) is None
    assert_close([layer.weight.grad, layer.bias.grad], with_input, rel=0.0, abs=0.0)


# Each element-wise activation beside its formula and its derivative, written out again here.
ELEMENTWISE = {
    "Identity": (pn.Identity, lambda x: x, lambda x: 1.0),
    "ReLU": (pn.ReLU, lambda x: x if x > 0.0 else 0.0, lambda x: 1.0 if x > 0.0 else 0.0),
    "LeakyReLU": (pn.LeakyReLU, lambda x: x if x > 0.0 else 0.01 * x, lambda x: 1.0 if x > 0.0 else 0.01),
    "LeakyReLU(0.3)": (
        lambda: pn.LeakyReLU(0.3), lambda x: x if x > 0.0 else 0.3 * x, lambda x: 1.0 if x > 0.0 else 0.3
    ),
    "Sigmoid": (pn.Sigmoid, lambda x: 1.0 / (1.0 + math.exp(-x)), lambda x: math.exp(-x) / (1.0 + math.exp(-x)) ** 2),
    "Tanh": (pn.Tanh, math.tanh, lambda x: 1.0 / math.cosh(x) ** 2),
}


@st.composite
def activation_cases(draw, values=VALUE):
    batch, width = draw(BATCH), draw(WIDTH)
    return draw(matrix_of(batch, width, values)), draw(matrix_of(batch, width))


@pytest.mark.parametrize("name", list(ELEMENTWISE))
@PROPERTY_SETTINGS
@given(case=activation_cases(values=st.one_of(VALUE, st.just(0.0))))
def test_activation_forward_and_backward_are_the_plain_loop(name, case):
    make_layer, function, derivative = ELEMENTWISE[name]
    layer = make_layer()
    x, upstream = case
    assert_close(layer.forward(x), [[function(v) for v in row] for row in x], **LOOP)
    expected = [[g * derivative(v) for v, g in zip(row, upstream_row)] for row, upstream_row in zip(x, upstream)]
    assert_close(layer.backward(upstream), expected, **LOOP)  # dL/dx = dL/dy * f'(x), entry by entry


@pytest.mark.parametrize("name", list(ELEMENTWISE))
@PROPERTY_SETTINGS
@given(case=activation_cases(values=AWAY_FROM_ZERO))
def test_activation_backward_is_the_finite_difference(name, case):
    layer = ELEMENTWISE[name][0]()
    x, upstream = case
    layer.forward(x)
    analytic = layer.backward(upstream)
    numeric = central_difference(lambda: weighted_sum(layer.forward(x), upstream), x)
    assert_close(analytic, numeric, **FINITE_DIFFERENCE)


@PROPERTY_SETTINGS
@given(activation_cases())
def test_softmax_forward_and_backward_are_the_plain_loop_and_the_finite_difference(case):
    x, upstream = case
    layer = pn.Softmax()
    probabilities = layer.forward(x)
    assert_close(probabilities, [plain_softmax(row) for row in x], **LOOP)
    gradient = layer.backward(upstream)
    # dL/dz_j = sum_i dL/dp_i dp_i/dz_j with dp_i/dz_j = p_i (delta_ij - p_j) (docs/activations.md)
    expected = []
    for z, g in zip(x, upstream):
        p = plain_softmax(z)
        width = len(p)
        jacobian = [[p[i] * ((1.0 if i == j else 0.0) - p[j]) for j in range(width)] for i in range(width)]
        expected.append([sum(g[i] * jacobian[i][j] for i in range(width)) for j in range(width)])
    assert_close(gradient, expected, **LOOP)
    numeric = central_difference(lambda: weighted_sum(layer.forward(x), upstream), x)
    assert_close(gradient, numeric, **FINITE_DIFFERENCE)


# --- losses -------------------------------------------------------------------------------


@st.composite
def classification_cases(draw, outputs: st.SearchStrategy = VALUE):
    """(outputs, targets as class indices, the same targets as one-hot rows, soft target rows)."""
    batch, classes = draw(BATCH), draw(CLASSES)
    indices = draw(st.lists(st.integers(0, classes - 1), min_size=batch, max_size=batch))
    one_hot = [[1.0 if k == index else 0.0 for k in range(classes)] for index in indices]
    soft = [plain_softmax(row) for row in draw(matrix_of(batch, classes))]
    return draw(matrix_of(batch, classes, outputs)), indices, one_hot, soft


def softmax_cross_entropy(loss: pn.Loss, logits: list, targets: list) -> float:
    # Random logits may happen to lie in [0, 1] and sum to 1; the loss's warning that they look
    # like probabilities is right but not what these tests are about.
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="SoftmaxCrossEntropy expects logits")
        return loss.forward(logits, targets)


@PROPERTY_SETTINGS
@given(classification_cases())
def test_softmax_cross_entropy_is_the_plain_loop_and_the_finite_difference(case):
    logits, indices, one_hot, soft = case
    batch = len(logits)
    for targets, target_rows in ((indices, one_hot), (one_hot, one_hot), (soft, soft)):
        loss = pn.SoftmaxCrossEntropy()
        value = softmax_cross_entropy(loss, logits, targets)
        # L = -(1/N) sum_n sum_k t_nk log p_nk;  dL/dz = (p - t) / N (docs/losses.md)
        expected = -sum(
            t * math.log(p) for z, t_row in zip(logits, target_rows) for p, t in zip(plain_softmax(z), t_row) if t
        ) / batch
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)
        gradient = loss.backward()
        plain = [[(p - t) / batch for p, t in zip(plain_softmax(z), t_row)] for z, t_row in zip(logits, target_rows)]
        assert_close(gradient, plain, **LOOP)
        numeric = central_difference(lambda: softmax_cross_entropy(pn.SoftmaxCrossEntropy(), logits, targets), logits)
        assert_close(gradient, numeric, **FINITE_DIFFERENCE)


PROBABILITY = st.floats(min_value=0.0, max_value=1.0, allow_subnormal=False)
CLIP = 1e-7  # purenet.losses.PROBABILITY_CLIP, written out again (test_docs.py::test_cross_entropy_clipping names it)


@PROPERTY_SETTINGS
@given(classification_cases(outputs=PROBABILITY))
def test_probability_cross_entropy_is_the_plain_loop(case):
    probabilities, indices, one_hot, soft = case
    batch = len(probabilities)
    for targets, target_rows in ((indices, one_hot), (one_hot, one_hot), (soft, soft)):
        loss = pn.ProbabilityCrossEntropy()
        value = loss.forward(probabilities, targets)
        # L = -(1/N) sum t log clip(p);  dL/dp = -t / (N p) inside the clip range, 0 where clipped
        expected = -sum(
            t * math.log(min(max(p, CLIP), 1.0 - CLIP))
            for p_row, t_row in zip(probabilities, target_rows) for p, t in zip(p_row, t_row) if t
        ) / batch
        assert value == pytest.approx(expected, rel=1e-9, abs=1e-12)
        plain = [
            [-t / (batch * p) if CLIP <= p <= 1.0 - CLIP else 0.0 for p, t in zip(p_row, t_row)]
            for p_row, t_row in zip(probabilities, target_rows)
        ]
        assert_close(loss.backward(), plain, **LOOP)


@PROPERTY_SETTINGS
@given(classification_cases(outputs=st.floats(min_value=0.05, max_value=0.95)))
def test_probability_cross_entropy_gradient_is_the_finite_difference(case):
    probabilities, indices, _, soft = case
    for targets in (indices, soft):
        loss = pn.ProbabilityCrossEntropy()
        loss.forward(probabilities, targets)
        numeric = central_difference(
            lambda: pn.ProbabilityCrossEntropy().forward(probabilities, targets), probabilities
        )
        assert_close(loss.backward(), numeric, **FINITE_DIFFERENCE)


@st.composite
def regression_cases(draw):
    batch, width = draw(BATCH), draw(WIDTH)
    return draw(matrix_of(batch, width)), draw(matrix_of(batch, width))


@PROPERTY_SETTINGS
@given(regression_cases())
def test_mean_squared_error_is_the_plain_loop_and_the_finite_difference(case):
    outputs, targets = case
    count = len(outputs) * len(outputs[0])
    loss = pn.MeanSquaredError()
    value = loss.forward(outputs, targets)
    # L = (1/(N K)) sum (y - t)^2;  dL/dy = 2 (y - t) / (N K)
    squares = [(y - t) ** 2 for y_row, t_row in zip(outputs, targets) for y, t in zip(y_row, t_row)]
    assert value == pytest.approx(sum(squares) / count, rel=1e-9, abs=1e-12)
    gradient = loss.backward()
    plain = [[2.0 * (y - t) / count for y, t in zip(y_row, t_row)] for y_row, t_row in zip(outputs, targets)]
    assert_close(gradient, plain, **LOOP)
    numeric = central_difference(lambda: pn.MeanSquaredError().forward(outputs, targets), outputs)
    assert_close(gradient, numeric, **FINITE_DIFFERENCE)


@PROPERTY_SETTINGS
@given(classification_cases())
def test_mean_squared_error_with_class_indices_is_one_hot(case):
    outputs, indices, one_hot, _ = case
    by_index, by_row = pn.MeanSquaredError(), pn.MeanSquaredError()
    assert by_index.forward(outputs, indices) == pytest.approx(by_row.forward(outputs, one_hot), rel=1e-12, abs=1e-15)
    assert_close(by_index.backward(), by_row.backward(), rel=1e-12, abs=1e-15)


# --- optimisers ---------------------------------------------------------------------------


@st.composite
def optimiser_cases(draw):
    """A parameter (a matrix or a vector), its start values and one gradient per step."""
    rows, columns, steps = draw(st.integers(1, 3)), draw(WIDTH), draw(st.integers(1, 5))
    is_matrix = draw(st.booleans())
    start = draw(matrix_of(rows if is_matrix else 1, columns))
    gradients = [draw(matrix_of(len(start), columns)) for _ in range(steps)]
    if not is_matrix:
        return start[0], [gradient[0] for gradient in gradients]
    return start, gradients


def run_optimizer(optimizer_type: type, start: list, gradients: list, **options: float) -> list:
    """purenet's optimiser, stepped once per gradient; the parameter's final values."""
    parameter = pn.Parameter([list(row) for row in start] if isinstance(start[0], list) else list(start), "w")
    optimizer = optimizer_type([parameter], **options)
    for gradient in gradients:
        optimizer.zero_grad()
        parameter.accumulate_grad(gradient)
        optimizer.step()
    return list(parameter)


def entry_by_entry(update, start: list, gradients: list) -> list:
    """Apply a scalar update rule to each entry of the parameter on its own: update(p, [g_1, g_2, ...]) -> p."""
    if isinstance(start[0], list):
        return [
            [update(p, [gradient[row][column] for gradient in gradients]) for column, p in enumerate(start_row)]
            for row, start_row in enumerate(start)
        ]
    return [update(p, [gradient[column] for gradient in gradients]) for column, p in enumerate(start)]


@PROPERTY_SETTINGS
@given(
    case=optimiser_cases(),
    lr=st.floats(min_value=1e-3, max_value=1.0),
    momentum=st.sampled_from([0.0, 0.5, 0.9]),
    weight_decay=st.sampled_from([0.0, 0.01, 0.3]),
)
def test_sgd_is_the_textbook_update(case, lr, momentum, weight_decay):
    start, gradients = case

    def textbook(p: float, gradient_sequence: list) -> float:
        # g <- g + lambda p;  b <- g at the first step, mu b + g after;  p <- p - lr b (docs/optimisation.md)
        buffer = None
        for g in gradient_sequence:
            g = g + weight_decay * p
            if momentum:
                buffer = g if buffer is None else momentum * buffer + g
                g = buffer
            p = p - lr * g
        return p

    ours = run_optimizer(pn.SGD, start, gradients, lr=lr, momentum=momentum, weight_decay=weight_decay)
    assert_close(ours, entry_by_entry(textbook, start, gradients), rel=1e-12, abs=1e-14)


@PROPERTY_SETTINGS
@given(
    case=optimiser_cases(),
    lr=st.floats(min_value=1e-4, max_value=0.5),
    beta1=st.sampled_from([0.0, 0.5, 0.9]),
    beta2=st.sampled_from([0.9, 0.999]),
    eps=st.sampled_from([1e-8, 1e-3]),
    weight_decay=st.sampled_from([0.0, 0.01, 0.3]),
)
def test_adam_is_the_textbook_update(case, lr, beta1, beta2, eps, weight_decay):
    start, gradients = case

    def textbook(p: float, gradient_sequence: list) -> float:
        # Kingma and Ba's Algorithm 1 with torch's L2 weight decay (docs/optimisation.md)
        m = v = 0.0
        for t, g in enumerate(gradient_sequence, start=1):
            g = g + weight_decay * p
            m = beta1 * m + (1.0 - beta1) * g
            v = beta2 * v + (1.0 - beta2) * g * g
            m_hat = m / (1.0 - beta1**t)
            v_hat = v / (1.0 - beta2**t)
            p = p - lr * m_hat / (math.sqrt(v_hat) + eps)
        return p

    ours = run_optimizer(pn.Adam, start, gradients, lr=lr, betas=(beta1, beta2), eps=eps, weight_decay=weight_decay)
    # The textbook divides m and v by their corrections, purenet folds them into the step size:
    # the same number up to rounding.
    assert_close(ours, entry_by_entry(textbook, start, gradients), rel=1e-10, abs=1e-12)
