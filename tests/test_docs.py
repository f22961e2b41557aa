"""Every formula of docs/ checked numerically against purenet's code, so the docs cannot drift.

Each derivation in docs/*.md names the test that checks it. The tests here
compare the formula as written in the docs (its worked numbers, its steps, its
tables) with what purenet computes, and with central finite differences where
there is a derivative. A check of the engine that is not about a page's own
claim lives beside the engine's tests (tests/test_layers.py, test_losses.py,
test_properties.py, ...), and the page names it there. The structural tests at
the end check that every test and every piece of code the docs name exists,
that every link resolves, that every runnable example runs, and that no page
holds a control character.

Runnable examples: a ```python block of a docs page that starts with an
import runs as a program (in a temporary folder); if a ```text block follows
it directly, the program's output must match that text (numbers to a relative
1e-3). Blocks that import torch are skipped when PyTorch is not installed.
"""

from __future__ import annotations

import ast
import contextlib
import inspect
import io
import json
import math
import os
import random
import re
import warnings
from pathlib import Path

import pytest
from conftest import STEP, assert_close, central_difference, heading_anchors

import purenet as pn
from purenet import matrices, serialization
from purenet.gradcheck import relative_error
from purenet.layers import activations
from purenet.layers.activations import sigmoid, softmax_jacobian, softmax_row
from purenet.losses import PROBABILITY_CLIP, log_sum_exp

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


# --- helpers ----------------------------------------------------------------


def read_doc(name: str) -> str:
    return (DOCS / name).read_text(encoding="utf-8")


def random_matrix(rng: random.Random, rows: int, columns: int, low: float = -1.0, high: float = 1.0) -> list:
    return [[rng.uniform(low, high) for _ in range(columns)] for _ in range(rows)]


def flat(values: list) -> list[float]:
    return [v for row in values for v in row] if values and isinstance(values[0], list) else list(values)


def one_hot(indices: list[int], classes: int) -> list[list[float]]:
    return [[1.0 if k == index else 0.0 for k in range(classes)] for index in indices]


def small_model(rng: random.Random) -> pn.Sequential:
    return pn.Sequential(pn.Dense(3, 4, rng=rng), pn.Tanh(), pn.Dense(4, 3, rng=rng))


def model_gradients(model: pn.Sequential, X: list, y: list) -> list:
    """The parameter gradients of one forward/backward pass (from cleared gradients)."""
    loss = pn.SoftmaxCrossEntropy()
    model.zero_grad()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    return [flat(parameter.grad) for parameter in model.parameters()]


# --- dense.md ---------------------------------------------------------------


def test_dense_forward_is_row_by_row_dot_products():
    rng = random.Random(1)
    layer = pn.Dense(3, 4, rng=rng)
    layer.bias[:] = [0.1, -0.2, 0.3, 0.05]
    X = random_matrix(rng, 5, 3)
    Z = layer.forward(X)
    # z_so = x_s . w_o + b_o, the formula of dense.md written as plain loops
    expected = [
        [sum(X[s][i] * layer.weight[o][i] for i in range(3)) + layer.bias[o] for o in range(4)] for s in range(5)
    ]
    assert_close(Z, expected)
    # the same as X W^T + b with the textbook product and transpose
    product = matrices.reference_matmul(X, matrices.reference_transpose(layer.weight))
    assert_close(Z, [[value + b for value, b in zip(row, layer.bias)] for row in product])
    # the worked example of dense.md
    example = pn.Dense(2, 2)
    example.weight[:] = [[0.1, -0.2], [0.4, 0.3]]
    example.bias[:] = [0.0, 0.1]
    assert_close(example.forward([[0.5, 1.0], [1.0, -0.5]]), [[-0.15, 0.6], [0.2, 0.35]])


def test_dense_weight_layout_is_outputs_by_inputs():
    layer = pn.Dense(3, 5, rng=2)
    assert len(layer.weight) == 5 and all(len(row) == 3 for row in layer.weight)
    assert len(layer.bias) == 5
    assert sum(parameter.size() for parameter in layer.parameters()) == 5 * (3 + 1)
    # row o holds everything neuron o uses: zero it and output o is zero for every sample
    layer.weight[2] = [0.0, 0.0, 0.0]
    outputs = layer.forward(random_matrix(random.Random(3), 4, 3))
    assert all(row[2] == pytest.approx(0.0, abs=1e-15) for row in outputs)
    assert any(abs(row[0]) > 1e-3 for row in outputs)


# --- backpropagation.md -----------------------------------------------------


def test_single_neuron_chain_rule_numbers():
    layer, activation, loss = pn.Dense(2, 1), pn.Sigmoid(), pn.MeanSquaredError()
    layer.weight[:] = [[0.1, -0.2]]
    layer.bias[:] = [0.0]
    z = layer.forward([[0.5, 1.0]])
    a = activation.forward(z)
    value = loss.forward(a, [[1.0]])
    dL_da = loss.backward()
    dL_dz = activation.backward(dL_da)
    layer.backward(dL_dz)
    table = {
        "z": (z[0][0], -0.1500),
        "a": (a[0][0], 0.4626),
        "L": (value, 0.2888),
        "dL/da": (dL_da[0][0], -1.0749),
        "da/dz": (a[0][0] * (1.0 - a[0][0]), 0.2486),
        "dz": (dL_dz[0][0], -0.2672),
        "dw1": (layer.weight.grad[0][0], -0.1336),
        "dw2": (layer.weight.grad[0][1], -0.2672),
        "db": (layer.bias.grad[0], -0.2672),
    }
    text = read_doc("backpropagation.md")
    for name, (computed, printed) in table.items():
        assert computed == pytest.approx(printed, abs=5e-5), name
        assert f"${printed:.4f}$" in text, f"{name}: {printed:.4f} not in backpropagation.md"
    # and the chain-rule product itself: dL/dw1 = 2(a - t) * a(1 - a) * x1
    assert layer.weight.grad[0][0] == pytest.approx(2 * (a[0][0] - 1) * a[0][0] * (1 - a[0][0]) * 0.5, rel=1e-12)


def test_mean_loss_gradient_does_not_grow_with_batch_size():
    model = small_model(random.Random(6))
    sample, other = [0.3, -0.7, 0.5], [-0.2, 0.4, 0.9]
    alone = model_gradients(model, [sample], [1])
    twice = model_gradients(model, [sample, sample], [1, 1])
    for a, b in zip(alone, twice):
        assert_close(b, a)
    # a batch gradient is the mean of the per-sample gradients
    pair = model_gradients(model, [sample, other], [1, 2])
    other_alone = model_gradients(model, [other], [2])
    for p, a, o in zip(pair, alone, other_alone):
        assert_close(p, [(x + z) / 2 for x, z in zip(a, o)])


def test_optimizer_warns_once_on_accumulated_gradients():
    model = small_model(random.Random(9))
    X, y = random_matrix(random.Random(10), 2, 3), [0, 2]
    loss = pn.SoftmaxCrossEntropy()
    optimizer = pn.SGD(model.parameters(), lr=0.1)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for _ in range(2):
            for _ in range(2):  # two backward passes per step, never zero_grad
                loss.forward(model.forward(X), y)
                model.backward(loss.backward())
            optimizer.step()
    messages = [str(warning.message) for warning in caught if issubclass(warning.category, UserWarning)]
    assert len(messages) == 1
    assert "SGD.step(): the gradient of 'weight' is the sum of 2 backward passes" in messages[0]
    assert messages[0].split(". ")[0] in read_doc("backpropagation.md")


def test_accumulating_pieces_sums_their_mean_gradients():
    model = small_model(random.Random(13))
    X, y = random_matrix(random.Random(14), 4, 3), [0, 1, 2, 1]
    whole = model_gradients(model, X, y)
    loss = pn.SoftmaxCrossEntropy()
    model.zero_grad()
    for piece in (slice(0, 2), slice(2, 4)):
        loss.forward(model.forward(X[piece]), y[piece])
        model.backward(loss.backward())
    for parameter, full in zip(model.parameters(), whole):
        assert_close(flat(parameter.grad), [2 * v for v in full])  # k = 2 pieces: k times the whole


def test_central_difference_error_shrinks_as_h_squared():
    x = 1.0
    central = {h: (math.sin(x + h) - math.sin(x - h)) / (2 * h) - math.cos(x) for h in (0.1, 0.05, 0.025)}
    forward = {h: (math.sin(x + h) - math.sin(x)) / h - math.cos(x) for h in (0.1, 0.05, 0.025)}
    for h in (0.1, 0.05):
        assert central[h] / central[h / 2] == pytest.approx(4.0, rel=0.01)  # O(h^2)
        assert forward[h] / forward[h / 2] == pytest.approx(2.0, rel=0.05)  # O(h)
        # the leading error terms: h^2/6 L''' and h/2 L''
        assert central[h] == pytest.approx(h * h / 6 * -math.cos(x), rel=0.01)
        assert forward[h] == pytest.approx(h / 2 * -math.sin(x), rel=0.05)
    # the best step for L and L''' of size 1, and the error there
    best = (3e-16) ** (1 / 3)
    assert best == pytest.approx(7e-6, rel=0.05)
    assert best**2 / 6 + 1e-16 / best == pytest.approx(2e-11, rel=0.15)
    # too small a step is worse: rounding dominates
    error = {h: abs((math.exp(h) - math.exp(-h)) / (2 * h) - 1.0) for h in (1e-5, 1e-12)}
    assert error[1e-5] < 1e-9
    assert error[1e-12] > 1e-6


# --- activations.md ---------------------------------------------------------


def test_relu_and_leaky_relu_derivatives_including_zero():
    points = [-2.0, -1e-9, 0.0, 1e-9, 3.0]
    relu, leaky = pn.ReLU(), pn.LeakyReLU(0.2)
    assert [relu.derivative(x, relu.function(x)) for x in points] == pytest.approx([0, 0, 0, 1, 1])
    assert [leaky.derivative(x, leaky.function(x)) for x in points] == pytest.approx([0.2, 0.2, 0.2, 1, 1])
    for layer, at_zero in ((relu, 0.0), (leaky, 0.2), (pn.LeakyReLU(), 0.01)):
        layer.forward([[0.0, -1.0, 2.0]])
        assert layer.backward([[1.0, 1.0, 1.0]])[0] == pytest.approx([at_zero, at_zero, 1.0])
    assert [relu.function(x) for x in points] == pytest.approx([0, 0, 0, 1e-9, 3])
    assert [leaky.function(x) for x in points] == pytest.approx([-0.4, -2e-10, 0, 1e-9, 3])


def test_sigmoid_derivative_is_s_times_one_minus_s():
    layer = pn.Sigmoid()
    grid = [x / 4 for x in range(-24, 25)]
    for x in grid:
        s = sigmoid(x)
        numeric = (sigmoid(x + STEP) - sigmoid(x - STEP)) / (2 * STEP)
        assert numeric == pytest.approx(s * (1 - s), rel=1e-7, abs=1e-12)
        assert math.exp(-x) / (1 + math.exp(-x)) ** 2 == pytest.approx(s * (1 - s), rel=1e-12)
        assert layer.derivative(x, s) == pytest.approx(s * (1 - s), rel=1e-15)
    slopes = [sigmoid(x) * (1 - sigmoid(x)) for x in grid]
    assert max(slopes) == pytest.approx(0.25) and grid[slopes.index(max(slopes))] == 0.0


def test_tanh_derivative_is_one_minus_tanh_squared():
    layer = pn.Tanh()
    for x in [x / 4 for x in range(-16, 17)]:
        y = math.tanh(x)
        numeric = (math.tanh(x + STEP) - math.tanh(x - STEP)) / (2 * STEP)
        assert numeric == pytest.approx(1 - y * y, rel=1e-7, abs=1e-12)
        quotient_rule = (math.cosh(x) ** 2 - math.sinh(x) ** 2) / math.cosh(x) ** 2
        assert quotient_rule == pytest.approx(1 - y * y, rel=1e-9)
        assert layer.derivative(x, y) == pytest.approx(1 - y * y, rel=1e-15)
    assert layer.derivative(0.0, 0.0) == pytest.approx(1.0)


def test_softmax_jacobian_matches_finite_differences():
    rng = random.Random(16)
    for size in (2, 3, 5):
        z = [rng.uniform(-2.0, 2.0) for _ in range(size)]
        p = softmax_row(z)
        # row i of the Jacobian is the gradient of p_i with respect to z
        numeric = [central_difference(lambda z=z, i=i: softmax_row(z)[i], z) for i in range(size)]
        # diag(p) - p p^T
        formula = [[(p[i] if i == j else 0.0) - p[i] * p[j] for j in range(size)] for i in range(size)]
        assert relative_error(formula, numeric) < 1e-8
        assert_close(softmax_jacobian(p), formula)
        assert_close(formula, [list(column) for column in zip(*formula)])  # symmetric
        assert all(abs(sum(row)) < 1e-15 for row in formula)  # rows sum to 0
        if size == 2:
            assert_close(formula, [[p[0] * (1 - p[0]), -p[0] * p[1]], [-p[0] * p[1], p[1] * (1 - p[1])]])
    layer = pn.Softmax()
    layer.forward([[0.2, -1.0, 0.5], [1.0, 2.0, 3.0]])
    assert_close(layer.jacobian(1), softmax_jacobian(softmax_row([1.0, 2.0, 3.0])))


# --- losses.md --------------------------------------------------------------


def test_full_jacobian_chain_gives_p_minus_t_over_n():
    rng = random.Random(23)
    logits = random_matrix(rng, 3, 4, -2, 2)
    targets = [softmax_row(row) for row in random_matrix(rng, 3, 4, -2, 2)]
    softmax, cross_entropy = pn.Softmax(), pn.ProbabilityCrossEntropy()
    probabilities = softmax.forward(logits)
    cross_entropy.forward(probabilities, targets)
    step_1 = cross_entropy.backward()  # -t / (N p)
    step_2 = softmax.backward(step_1)  # J^T (-t / (N p)), the full Jacobian
    assert_close(step_2, [[(p - t) / 3 for p, t in zip(pr, tr)] for pr, tr in zip(probabilities, targets)])
    # step 3 holds for any t: J^T (-t / p) = -t + p * sum_k t_k; step 4 needs sum_k t_k = 1
    t = [0.5, 2.0, 0.0, 1.5]
    p = softmax_row(logits[0])
    jacobian = softmax_jacobian(p)
    chained = [sum(-t[k] / p[k] * jacobian[k][j] for k in range(4)) for j in range(4)]
    assert_close(chained, [-t[j] + p[j] * sum(t) for j in range(4)])
    assert abs(sum(t) - 1.0) > 0.5 and relative_error(chained, [p_j - t_j for p_j, t_j in zip(p, t)]) > 0.1


def test_diagonal_only_slip_gives_wrong_gradient():
    rng = random.Random(24)
    logits = random_matrix(rng, 3, 4, -2, 2)
    targets = [2, 0, 3]
    t = one_hot(targets, 4)
    loss = pn.SoftmaxCrossEntropy()
    numeric = central_difference(lambda: loss.forward(logits, targets), logits)
    probabilities = [softmax_row(row) for row in logits]
    right = [[(p - tk) / 3 for p, tk in zip(pr, tr)] for pr, tr in zip(probabilities, t)]  # (S - T) / N
    slip = [[(tk * p - tk) / 3 for p, tk in zip(pr, tr)] for pr, tr in zip(probabilities, t)]  # (T*S - T) / N
    assert relative_error(right, numeric) < 1e-8
    assert relative_error(slip, numeric) > 0.1
    # the slip is the diagonal of the Jacobian alone: -t/p * p (1 - p)
    diagonal_only = [[-tk / p * p * (1 - p) / 3 for p, tk in zip(pr, tr)] for pr, tr in zip(probabilities, t)]
    assert_close(slip, diagonal_only)
    # both agree on the true class, and only there
    for s, index in enumerate(targets):
        assert slip[s][index] == pytest.approx(right[s][index])
        assert all(slip[s][k] == 0.0 and right[s][k] > 0.0 for k in range(4) if k != index)


def test_softmax_cross_entropy_is_log_sum_exp_minus_target_logit():
    rng = random.Random(25)
    logits = random_matrix(rng, 3, 5, -4, 4)
    targets = [softmax_row(row) for row in random_matrix(rng, 3, 5, -2, 2)]
    value = pn.SoftmaxCrossEntropy().forward(logits, targets)
    via_lse = sum(log_sum_exp(z) - matrices.dot(t, z) for z, t in zip(logits, targets)) / 3
    via_log_p = -sum(tk * math.log(pk) for z, t in zip(logits, targets) for pk, tk in zip(softmax_row(z), t)) / 3
    assert value == pytest.approx(via_lse, rel=1e-14)
    assert value == pytest.approx(via_log_p, rel=1e-12)


# --- optimisation.md --------------------------------------------------------


def descend_quadratic(a: float, lr: float, steps: int) -> float:
    """Run purenet's SGD on f(w) = a w^2 / 2 from w = 1 and return w."""
    w = pn.Parameter([1.0], "w")
    optimizer = pn.SGD([w], lr=lr)
    for _ in range(steps):
        w.grad = [a * w[0]]
        optimizer.step()
    return w[0]


def test_quadratic_diverges_above_two_over_a():
    a = 4.0
    for lr, factor in ((0.45, -0.8), (0.55, -1.2), (0.5, -1.0), (0.1, 0.6)):
        assert 1 - lr * a == pytest.approx(factor)
        w = 1.0
        for _ in range(100):
            w = (1 - lr * a) * w  # w_{t+1} = (1 - lr a) w_t
        assert w == pytest.approx(factor**100, rel=1e-9)
        assert descend_quadratic(a, lr, 100) == pytest.approx(w, rel=1e-9)
    assert abs(descend_quadratic(a, 0.45, 100)) == pytest.approx(2.04e-10, rel=0.01)  # 0.8^100
    assert abs(descend_quadratic(a, 0.55, 100)) == pytest.approx(8.28e7, rel=0.01)  # 1.2^100
    assert abs(descend_quadratic(a, 2 / a, 101)) == pytest.approx(1.0)  # r = -1: bounces forever
    assert descend_quadratic(a, 1 / a, 1) == pytest.approx(0.0, abs=1e-15)  # r = 0: one step
    for lr in (1.9 / a, 1.99 / a):
        assert abs(descend_quadratic(a, lr, 2000)) < 1e-6
    for lr in (2.01 / a, 2.1 / a):
        assert abs(descend_quadratic(a, lr, 2000)) > 1e6


def test_small_learning_rate_is_slow():
    assert math.log(1000) / -math.log(0.99) == pytest.approx(687.3, abs=0.1)
    factor = descend_quadratic(1.0, 0.01, 1)  # one SGD step from w = 1 at lr a = 0.01
    assert factor == pytest.approx(0.99)
    w, steps = 1.0, 0
    while abs(w) > 1e-3:
        w, steps = factor * w, steps + 1
    assert steps == 688  # against 1 step at lr = 1/a


def test_minibatch_gradients_average_to_full_batch_gradient():
    model = small_model(random.Random(26))
    X, y = random_matrix(random.Random(27), 8, 3), [0, 1, 2, 0, 1, 2, 0, 1]
    full = model_gradients(model, X, y)
    batches = [model_gradients(model, X[start : start + 2], y[start : start + 2]) for start in range(0, 8, 2)]
    for index, expected in enumerate(full):
        mean = [sum(batch[index][k] for batch in batches) / 4 for k in range(len(expected))]
        assert_close(mean, expected)


def test_momentum_matches_torch_form():
    rng = random.Random(28)
    lr, momentum = 0.1, 0.9
    gradients = [[rng.uniform(-1, 1), rng.uniform(-1, 1)] for _ in range(6)]
    w = pn.Parameter([0.5, -0.3], "w")
    optimizer = pn.SGD([w], lr=lr, momentum=momentum)
    expected, buffer, velocity, classic = [0.5, -0.3], None, [0.0, 0.0], [0.5, -0.3]
    for g in gradients:
        w.grad = list(g)
        optimizer.step()
        buffer = list(g) if buffer is None else [momentum * b + gk for b, gk in zip(buffer, g)]  # b <- mu b + g
        expected = [p - lr * b for p, b in zip(expected, buffer)]
        velocity = [momentum * v - lr * gk for v, gk in zip(velocity, g)]  # v <- mu v - lr g
        classic = [p + v for p, v in zip(classic, velocity)]
        assert_close(list(w), expected)
        assert_close(list(w), classic)
    # a constant gradient: b_t = g (1 - mu^t) / (1 - mu) -> g / (1 - mu)
    w = pn.Parameter([0.0], "w")
    optimizer = pn.SGD([w], lr=lr, momentum=momentum)
    for t in range(1, 101):
        w.grad = [2.0]
        optimizer.step()
        assert optimizer.state[0]["momentum_buffer"][0] == pytest.approx(2.0 * (1 - momentum**t) / (1 - momentum))
    assert optimizer.state[0]["momentum_buffer"][0] == pytest.approx(2.0 / (1 - momentum), rel=1e-4)


def test_adam_bias_correction_recovers_constant_gradient():
    beta1, beta2 = 0.9, 0.999
    w = pn.Parameter([0.5, -1.0], "w")
    optimizer = pn.Adam([w], lr=0.01)
    g = [0.3, -2.0]
    for t in range(1, 51):
        w.grad = list(g)
        optimizer.step()
        m, v = optimizer.state[0]["exp_avg"], optimizer.state[0]["exp_avg_sq"]
        assert_close([m_k / (1 - beta1**t) for m_k in m], g, rel=1e-12)  # m_hat = g
        assert_close([v_k / (1 - beta2**t) for v_k in v], [gk * gk for gk in g], rel=1e-12)  # v_hat = g^2
    # unrolled: m_t = (1 - beta1) sum_i beta1^(t-i) g_i, for gradients that change
    rng = random.Random(29)
    gradients = [rng.uniform(-1, 1) for _ in range(20)]
    w = pn.Parameter([0.0], "w")
    optimizer = pn.Adam([w], lr=0.01)
    for g_t in gradients:
        w.grad = [g_t]
        optimizer.step()
    t = len(gradients)
    unrolled = (1 - beta1) * sum(beta1 ** (t - i) * gradients[i - 1] for i in range(1, t + 1))
    assert optimizer.state[0]["exp_avg"][0] == pytest.approx(unrolled, rel=1e-12)
    # the geometric sum behind E[m_t] = E[g] (1 - beta1^t)
    assert (1 - beta1) * sum(beta1 ** (t - i) for i in range(1, t + 1)) == pytest.approx(1 - beta1**t)


def test_adam_first_step_moves_by_learning_rate():
    lr, eps = 0.01, 1e-8
    for g in (1e-3, -0.5, 1e3):
        w = pn.Parameter([1.0], "w")
        optimizer = pn.Adam([w], lr=lr)
        for step in range(1, 4):
            before = w[0]
            w.grad = [g]
            optimizer.step()
            assert before - w[0] == pytest.approx(lr * g / (abs(g) + eps), rel=1e-9)  # about lr * sign(g)
    assert (1 - 0.9) / math.sqrt(1 - 0.999) == pytest.approx(3.16, abs=0.005)  # without the correction


def test_weight_decay_is_l2_penalty_gradient():
    rng = random.Random(30)
    values, g, decay, lr = [rng.uniform(-1, 1) for _ in range(3)], [rng.uniform(-1, 1) for _ in range(3)], 0.1, 0.2
    penalty_values = list(values)
    penalty_gradient = central_difference(lambda: decay / 2 * sum(v * v for v in penalty_values), penalty_values)
    assert_close(penalty_gradient, [decay * v for v in values], rel=1e-7)  # d/dw (lambda/2 |w|^2) = lambda w
    for optimizer_type, options in ((pn.SGD, {"lr": lr}), (pn.SGD, {"lr": lr, "momentum": 0.9}), (pn.Adam, {"lr": lr})):
        decayed, plain = pn.Parameter(list(values), "w"), pn.Parameter(list(values), "w")
        decaying = optimizer_type([decayed], weight_decay=decay, **options)
        penalised = optimizer_type([plain], **options)
        for _ in range(3):
            decayed.grad = list(g)
            plain.grad = [gk + decay * v for gk, v in zip(g, plain)]  # the gradient of L + lambda/2 |w|^2
            decaying.step()
            penalised.step()
            assert_close(list(decayed), list(plain), rel=1e-12)
    w = pn.Parameter(list(values), "w")
    optimizer = pn.SGD([w], lr=lr, weight_decay=decay)
    w.grad = list(g)
    optimizer.step()
    assert_close(list(w), [(1 - lr * decay) * v - lr * gk for v, gk in zip(values, g)])


# --- initialisation.md -------------------------------------------------------


def second_moment(values: list) -> float:
    flattened = flat(values)
    return sum(v * v for v in flattened) / len(flattened)


def test_variance_through_one_layer():
    rng = random.Random(31)
    layer = pn.Dense(100, 200, rng=rng)
    X = random_matrix(rng, 200, 100)
    Z = layer.forward(X)
    predicted = 100 * second_moment(layer.weight) * second_moment(X)  # n sigma^2 q
    assert second_moment(Z) == pytest.approx(predicted, rel=0.05)
    assert abs(sum(flat(Z)) / len(flat(Z))) < 0.05 * math.sqrt(predicted)  # mean 0


def test_relu_halves_the_second_moment():
    rng = random.Random(32)
    z = [rng.gauss(0.0, 1.7) for _ in range(100_000)]
    relu, leaky = pn.ReLU(), pn.LeakyReLU(0.2)
    assert second_moment([relu.function(v) for v in z]) / second_moment(z) == pytest.approx(0.5, rel=0.02)
    assert second_moment([leaky.function(v) for v in z]) / second_moment(z) == pytest.approx((1 + 0.2**2) / 2, rel=0.02)


def test_he_keeps_activation_scale_through_relu_layers():
    rng = random.Random(35)
    X = [[rng.gauss(0.0, 1.0) for _ in range(128)] for _ in range(64)]
    ratios = {}
    for init in ("he", "xavier"):  # xavier on 128 -> 128 layers is sigma^2 = 2 / 256 = 1 / n
        values, layer_rng = X, random.Random(36)
        for _ in range(6):
            values = pn.ReLU().forward(pn.Dense(128, 128, init=init, rng=layer_rng).forward(values))
        ratios[init] = second_moment(values) / second_moment(X)
    # He: each layer doubles the second moment (n sigma^2 = 2) and ReLU halves it
    assert 0.5 < ratios["he"] < 2.0
    assert ratios["xavier"] == pytest.approx(2.0**-6, rel=0.5)  # halves at each of the 6 layers


# --- stability.md -----------------------------------------------------------


def table_rows(text: str, heading: str) -> list[list[str]]:
    """The rows (as lists of cells) of the first Markdown table after a heading."""
    section = text[text.index(heading) :]
    rows = []
    for line in section.splitlines()[1:]:
        if line.startswith("|"):
            rows.append([cell.strip() for cell in line.strip().strip("|").split("|")])
        elif rows:
            break
    return [row for row in rows[1:] if not set(row[0]) <= {"-", " "}]


def outcome(expression: str) -> str:
    """What Python prints for an expression: its repr, or 'Error: message'."""
    try:
        return repr(eval(expression, {"math": math}))  # the expressions come from our own docs
    except ArithmeticError as error:
        return f"{type(error).__name__}: {error}"
    except ValueError as error:
        return f"{type(error).__name__}: {error}"


def test_python_float_limits_table():
    rows = table_rows(read_doc("stability.md"), "## The limits of a Python float")
    assert len(rows) == 8
    for expression_cell, result_cell in rows:
        expression = re.search(r"`([^`]+)`", expression_cell).group(1)
        expected = re.search(r"`([^`]+)`", result_cell).group(1)
        assert outcome(expression) == expected, expression
    assert math.log(1.7976931348623157e308) == pytest.approx(709.78, abs=0.005)


def unshifted_softmax_row():
    """softmax_row with the edit of stability.md and exercise 1: largest = 0.0 instead of max(row)."""
    source = inspect.getsource(activations.softmax_row)
    assert source.count("largest = max(row)") == 1
    namespace = {"math": math, "Vector": list}
    exec(source.replace("largest = max(row)", "largest = 0.0"), namespace)  # noqa: S102 (purenet's own source)
    return namespace["softmax_row"]


def test_softmax_max_shift_changes_nothing_and_prevents_overflow():
    rng = random.Random(37)
    for _ in range(20):
        z = [rng.uniform(-5, 5) for _ in range(4)]
        naive = [math.exp(v) / sum(math.exp(u) for u in z) for v in z]
        assert_close(softmax_row(z), naive, rel=1e-14)
        for shift in (-50.0, 50.0):
            assert_close(softmax_row([v + shift for v in z]), softmax_row(z), rel=1e-12)
    assert softmax_row([710.0, 0.0]) == pytest.approx([1.0, 4.476e-309], rel=1e-3, abs=0.0)
    assert_close(softmax_row([709.0, 709.0, 709.0]), [1 / 3] * 3)
    assert_close(softmax_row([-746.0, -746.0]), [0.5, 0.5])
    assert_close(softmax_row([1000.0, 1000.0]), [0.5, 0.5])


def test_softmax_without_max_shift_fails_as_documented():
    edited = unshifted_softmax_row()
    assert_close(edited([1.0, 2.0]), softmax_row([1.0, 2.0]))
    assert edited([709.78, 0.0]) == pytest.approx([1.0, 5.577796105262746e-309], rel=1e-9, abs=0.0)
    for logits in ([710.0, 0.0], [709.79, 0.0]):
        with pytest.raises(OverflowError, match="math range error"):
            edited(logits)
    assert edited([709.0, 709.0, 709.0]) == [0.0, 0.0, 0.0]  # silently wrong: the sum overflowed to inf
    with pytest.raises(ZeroDivisionError, match="float division by zero"):
        edited([-746.0, -746.0])
    assert math.exp(-745.13) > 0.0 and math.exp(-745.14) == 0.0  # "below about -745.13"


def test_log_sum_exp_matches_naive_form_and_survives_1000():
    rng = random.Random(38)
    for _ in range(20):
        z = [rng.uniform(-20, 20) for _ in range(5)]
        assert log_sum_exp(z) == pytest.approx(math.log(sum(math.exp(v) for v in z)), rel=1e-14)
    assert log_sum_exp([1.0, 2.0, 3.0]) == pytest.approx(3.40760596444438, rel=1e-15)
    assert log_sum_exp([1000.0, 0.0]) == pytest.approx(1000.0, rel=1e-15)
    assert math.isfinite(log_sum_exp([1000.0, 1000.0]))
    assert log_sum_exp([-1000.0, -1000.0]) == pytest.approx(-1000 + math.log(2), rel=1e-15)
    assert log_sum_exp([-1000.0, -1000.0]) == pytest.approx(-999.3068528194401, rel=1e-15)
    with pytest.raises(OverflowError, match="math range error"):
        math.log(sum(math.exp(v) for v in [1000.0, 0.0]))
    with pytest.raises(ValueError, match="math domain error"):
        math.log(sum(math.exp(v) for v in [-1000.0, -1000.0]))
    for z in ([0.3, -2.0], [5.0, 5.0, 5.0, 5.0]):  # between max(z) and max(z) + log K
        assert max(z) <= log_sum_exp(z) <= max(z) + math.log(len(z)) + 1e-12


def test_cross_entropy_clipping():
    assert PROBABILITY_CLIP == pytest.approx(1e-7)
    loss = pn.ProbabilityCrossEntropy()
    assert loss.forward([[0.0, 1.0]], [0]) == pytest.approx(-math.log(1e-7))
    assert -math.log(1e-7) == pytest.approx(16.12, abs=0.005)
    assert loss.backward() == [[0.0, 0.0]]  # clipped: no gradient
    perfect = pn.ProbabilityCrossEntropy()
    assert perfect.forward([[1.0, 0.0]], [0]) == pytest.approx(1e-7, rel=1e-6)
    assert perfect.backward() == [[0.0, 0.0]]
    inside = pn.ProbabilityCrossEntropy()
    inside.forward([[0.25, 0.75]], [1])
    assert_close(inside.backward(), [[0.0, -1 / 0.75]])
    with pytest.raises(ValueError, match="math domain error"):
        math.log(0.0)
    logits_loss = pn.SoftmaxCrossEntropy()
    assert logits_loss.forward([[-20.0, 20.0]], [0]) == pytest.approx(40.0)
    assert_close(logits_loss.backward(), [[-1.0, 1.0]], rel=1e-12)
    # "more than about 745 apart underflows to 0"
    assert softmax_row([0.0, -746.0])[1] == 0.0 and softmax_row([0.0, -700.0])[1] > 0.0


def test_sigmoid_is_overflow_safe():
    assert sigmoid(-1000.0) == pytest.approx(0.0, abs=1e-300)
    assert sigmoid(1000.0) == pytest.approx(1.0)
    with pytest.raises(OverflowError, match="math range error"):
        1.0 / (1.0 + math.exp(1000.0))
    for x in [x / 2 for x in range(-60, 61)]:
        textbook = 1.0 / (1.0 + math.exp(-x))
        other_form = math.exp(x) / (1.0 + math.exp(x))
        assert sigmoid(x) == pytest.approx(textbook, rel=1e-14)
        assert other_form == pytest.approx(textbook, rel=1e-14)
    assert pn.Sigmoid().forward([[-1000.0, 1000.0]])[0] == pytest.approx([0.0, 1.0])


# --- pytorch.md -------------------------------------------------------------


def test_pytorch_equivalents():
    torch = pytest.importorskip("torch")
    rng = random.Random(39)
    logits = random_matrix(rng, 4, 3, -2, 2)
    indices = [2, 0, 1, 1]
    soft = [softmax_row(row) for row in random_matrix(rng, 4, 3)]
    tensor = torch.tensor(logits, dtype=torch.float64)
    for targets, torch_targets in ((indices, torch.tensor(indices)), (soft, torch.tensor(soft, dtype=torch.float64))):
        value = pn.SoftmaxCrossEntropy().forward(logits, targets)
        assert value == pytest.approx(torch.nn.CrossEntropyLoss()(tensor, torch_targets).item(), rel=1e-12)
    probabilities = [softmax_row(row) for row in logits]
    p = torch.tensor(probabilities, dtype=torch.float64, requires_grad=True)
    torch_loss = torch.nn.NLLLoss()(torch.log(p.clamp(1e-7, 1 - 1e-7)), torch.tensor(indices))
    torch_loss.backward()
    ours = pn.ProbabilityCrossEntropy()
    assert ours.forward(probabilities, indices) == pytest.approx(torch_loss.item(), rel=1e-12)
    assert_close(ours.backward(), p.grad.tolist(), rel=1e-12)
    outputs, targets = random_matrix(rng, 4, 3), random_matrix(rng, 4, 3)
    expected = torch.nn.MSELoss()(torch.tensor(outputs), torch.tensor(targets)).item()
    assert pn.MeanSquaredError().forward(outputs, targets) == pytest.approx(expected, rel=1e-6)
    assert tuple(torch.nn.Linear(3, 5).weight.shape) == (5, 3)
    linear = torch.nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)
    assert linear.weight.abs().max().item() <= bound and linear.bias.abs().max().item() <= bound
    # the optimisers: same updates over a few steps
    for ours_type, theirs_type, options in (
        (pn.SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.01}),
        (pn.Adam, torch.optim.Adam, {"lr": 0.05, "weight_decay": 0.01}),
    ):
        start = [0.5, -1.5, 2.0]
        w = pn.Parameter(list(start), "w")
        tw = torch.tensor(start, dtype=torch.float64, requires_grad=True)
        ours_optimizer, theirs_optimizer = ours_type([w], **options), theirs_type([tw], **options)
        for step in range(5):
            gradient = [math.sin(step + k) for k in range(3)]
            w.grad = list(gradient)
            tw.grad = torch.tensor(gradient, dtype=torch.float64)
            ours_optimizer.step()
            theirs_optimizer.step()
        assert_close(list(w), tw.tolist(), rel=1e-12)


# --- model-format.md --------------------------------------------------------


def example_model() -> pn.Sequential:
    rng = random.Random(40)
    return pn.Sequential(
        pn.Dense(2, 3, rng=rng), pn.LeakyReLU(0.2), pn.Identity(), pn.Dense(3, 2, init="xavier", rng=rng)
    )


def test_model_format_example_loads():
    text = read_doc("model-format.md")
    block = re.search(r"```json\n(.*?)```", text, re.DOTALL).group(1)
    data = json.loads(block)
    model = serialization.from_dict(data)
    assert serialization.to_dict(model) == data
    assert model.metadata == {"task": "xor", "epochs": 300}
    assert len(model.forward([[0.5, -0.5]])[0]) == 2


def test_model_file_has_documented_fields(tmp_path):
    path = tmp_path / "model.json"
    example_model().save(path, metadata={"note": "test"})
    text = path.read_text(encoding="utf-8")
    assert text.endswith("\n") and text.count("\n") == 1 and ": " not in text and ", " not in text
    data = json.loads(text)
    assert list(data) == ["format", "version", "layers", "metadata"]
    assert (data["format"], data["version"]) == ("purenet-model", 1)
    assert (serialization.FORMAT_NAME, serialization.FORMAT_VERSION) == ("purenet-model", 1)
    assert [layer["type"] for layer in data["layers"]] == ["Dense", "LeakyReLU", "Identity", "Dense"]
    dense = data["layers"][0]
    assert set(dense) == {"type", "config", "weight", "bias"}
    assert dense["config"] == {"in_features": 2, "out_features": 3, "init": "he"}
    assert [len(row) for row in dense["weight"]] == [2, 2, 2] and len(dense["bias"]) == 3
    assert data["layers"][1]["config"] == {"alpha": 0.2} and data["layers"][2]["config"] == {}
    assert data["metadata"] == {"note": "test"}
    document = read_doc("model-format.md")
    for layer_type in serialization.LAYER_TYPES:
        assert f'`"{layer_type}"`' in document
    for keys in serialization.CONFIG_KEYS.values():
        assert all(f"`{key}`" in document for key in keys)
    # config may be omitted for a layer without settings; metadata may be omitted
    minimal = {"format": "purenet-model", "version": 1, "layers": [{"type": "ReLU"}]}
    assert serialization.from_dict(minimal).metadata == {}


def test_model_file_refuses_nan(tmp_path):
    text = read_doc("model-format.md")
    for value, name in ((math.nan, "weight"), (math.inf, "bias")):
        model = example_model()
        if name == "weight":
            model.layers[0].weight[1][0] = value
        else:
            model.layers[0].bias[0] = value
        with pytest.raises(ValueError, match=f"layer 0 \\(Dense\\) has a NaN or infinite {name}"):
            model.save(tmp_path / "broken.json")
    assert "save: layer 0 (Dense) has a NaN or infinite weight; refusing to save a broken model" in text
    with pytest.raises(ValueError, match="Out of range float values are not JSON compliant"):
        example_model().save(tmp_path / "broken.json", metadata={"accuracy": math.nan})
    assert os.listdir(tmp_path) == []
    for constant in ("NaN", "Infinity", "-Infinity"):
        path = tmp_path / f"{constant}.json"
        path.write_text(
            '{"format":"purenet-model","version":1,"layers":[{"type":"Dense","config":{"in_features":1,'
            f'"out_features":1,"init":"he"}},"weight":[[{constant}]],"bias":[0.0]}}]}}',
            encoding="utf-8",
        )
        with pytest.raises(pn.ModelFileError, match="which is not a finite number"):
            pn.load(path)
    assert "the file contains NaN, which is not a finite number" in text


def valid_file() -> dict:
    return serialization.to_dict(pn.Sequential(pn.Dense(2, 3, rng=1), pn.ReLU(), pn.Dense(3, 2, rng=2)))


def change(data: dict, edit) -> dict:
    edit(data)
    return data


BROKEN_FILES = {
    "not JSON": ('{"format": "purenet-model"', "the file may be truncated or corrupt"),
    "not an object": ("[1, 2]", "expected a JSON object, got list"),
    "another format": (
        {**valid_file(), "format": "keras"}, "not a purenet model: format is 'keras', expected 'purenet-model'"
    ),
    "another version": ({**valid_file(), "version": 2}, "unsupported format version 2; this purenet reads version 1"),
    "version true": ({**valid_file(), "version": True}, "unsupported format version"),
    "no layers": ({**valid_file(), "layers": []}, "'layers' must be a non-empty list"),
    "metadata": ({**valid_file(), "metadata": []}, "'metadata' must be an object, got list"),
    "unknown type": (
        change(valid_file(), lambda d: d["layers"].__setitem__(1, {"type": "Conv3d"})),
        "layer 1 has unknown type 'Conv3d'; known: Dense, Identity, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax, Conv1d",
    ),
    "config keys": (
        change(valid_file(), lambda d: d["layers"][0].__setitem__("config", {"in_features": 2})),
        "layer 0 (Dense) config must have keys ['in_features', 'init', 'out_features'], got ['in_features']",
    ),
    "config value": (
        change(valid_file(), lambda d: d["layers"][0]["config"].__setitem__("init", "zeros")),
        "layer 0 (Dense) has an invalid config: init must be one of he, xavier, got 'zeros'",
    ),
    "weight shape": (
        change(valid_file(), lambda d: d["layers"][0]["weight"].__setitem__(0, [1.0])),
        "layer 0 weight row 0 must have 2 numbers, got 1",
    ),
    "bias value": (
        change(valid_file(), lambda d: d["layers"][0]["bias"].__setitem__(0, "x")),
        "layer 0 bias must hold finite numbers, got 'x'",
    ),
    "layers that do not fit": (
        change(
            valid_file(),
            lambda d: d["layers"].__setitem__(
                2, {"type": "Dense", "config": {"in_features": 4, "out_features": 2, "init": "he"},
                    "weight": [[0.0] * 4] * 2, "bias": [0.0, 0.0]}
            ),
        ),
        "inconsistent layers: Sequential: layer 2 Dense(4, 2, init='he') expects 4 inputs, "
        "but the layer before it gives 3",
    ),
}


@pytest.mark.parametrize("case", list(BROKEN_FILES))
def test_model_file_errors(case, tmp_path):
    content, message = BROKEN_FILES[case]
    path = tmp_path / "model.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content), encoding="utf-8")
    with pytest.raises(pn.ModelFileError) as raised:
        pn.load(path)
    assert str(raised.value).startswith(f"{path}: ")
    assert message in str(raised.value)
    assert isinstance(raised.value, ValueError)
    assert message in read_doc("model-format.md")


# --- exercises.md -----------------------------------------------------------


def test_dead_relu_units_get_no_gradient():
    from purenet.datasets import spiral

    X, y = spiral(points_per_class=100, classes=3, seed=0)
    for activation in (pn.ReLU(), pn.LeakyReLU()):
        rng = random.Random(0)
        model = pn.Sequential(pn.Dense(2, 64, rng=rng), activation, pn.Dense(64, 3, rng=rng))
        model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.1), epochs=30, verbose=0)
        z = model.layers[0].forward(X)
        silent = [j for j in range(64) if all(row[j] <= 0.0 for row in z)]
        assert silent, "Adam at lr 0.1 should silence some units (exercise 2)"
        model_gradients(model, X, y)
        first = model.layers[0]
        largest = max(abs(v) for j in silent for v in first.weight.grad[j] + [first.bias.grad[j]])
        if isinstance(activation, pn.LeakyReLU):
            assert largest > 1e-6  # alpha times the gradient still flows
        else:
            assert largest == 0.0  # exactly zero, not merely small: ReLU'(z) = 0 for every sample


# --- structure: the docs refer to things that exist ----------------------------


DOC_FILES = sorted(path.name for path in DOCS.glob("*.md"))
OUR_PAGES = [
    "index.md", "dense.md", "backpropagation.md", "activations.md", "losses.md", "optimisation.md",
    "initialisation.md", "stability.md", "pytorch.md", "exercises.md", "model-format.md", "gradcheck.md",
    "start.md", "glossary.md", "first-network.md", "generalisation.md",
]
# The square detector's pages: their claims are checked by tests/test_hilbert.py, test_drawing.py,
# test_squares.py and test_square_experiments.py; the learning path links them too.
SQUARE_PAGES = ["hilbert.md", "squares.md"]


def defined_tests() -> dict[str, set[str]]:
    """Test function names per file of tests/ (as 'tests/test_x.py')."""
    result = {}
    for path in (ROOT / "tests").glob("test_*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        result[f"tests/{path.name}"] = {
            node.name for node in ast.walk(tree) if isinstance(node, ast.FunctionDef) and node.name.startswith("test_")
        }
    return result


def resolves(path: Path, qualified_name: str) -> bool:
    """True if the module at path defines qualified_name (a function, class, method or constant)."""
    scope = ast.parse(path.read_text(encoding="utf-8")).body
    for part in qualified_name.split("."):
        found = None
        for node in scope:
            defines = (
                (isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and node.name == part)
                or (
                    isinstance(node, ast.Assign)
                    and any(isinstance(t, ast.Name) and t.id == part for t in node.targets)
                )
                or (isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) and node.target.id == part)
            )
            if defines:
                found = node
        if found is None:
            return False
        scope = getattr(found, "body", [])
    return True


@pytest.mark.parametrize("name", DOC_FILES)
def test_docs_reference_existing_tests(name):
    text = read_doc(name)
    tests = defined_tests()
    everything = set().union(*tests.values())
    # a test name: test_... as a word, not a file name (test_x.py) nor a quoted key ("test_accuracy")
    for test_name in re.findall(r"(?<![\"'])\b(test_\w+)\b(?!\.py|[\"'])", text):
        assert test_name in everything, f"{name} names {test_name}, which no file in tests/ defines"
    for file_name, test_name in re.findall(r"(tests/test_\w+\.py)::(\w+)", text):
        assert test_name in tests.get(file_name, set()), f"{name} names {file_name}::{test_name}"


@pytest.mark.parametrize("name", DOC_FILES)
def test_docs_reference_existing_code(name):
    text = read_doc(name)
    for file_name in re.findall(r"\bpurenet/[\w/]+\.py\b", text):
        assert (ROOT / file_name).is_file(), f"{name} names {file_name}, which does not exist"
    for file_name, qualified_name in re.findall(r"(purenet/[\w/]+\.py)::([\w.]+)", text):
        assert resolves(ROOT / file_name, qualified_name), f"{name} names {file_name}::{qualified_name}"


# Every C0 control character but newline and tab, and DEL. "\approx" written into a Python string
# without a raw prefix loses its backslash: "\a" is BEL (U+0007), which a page shows as nothing.
CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
TEXT_PAGES = [DOCS / name for name in DOC_FILES] + [ROOT / "README.md", ROOT / "DEVELOPERS.md"]


def control_characters(text: str) -> list[str]:
    """'line L, column C: U+00XX' for every control character of text (newline and tab allowed)."""
    found = []
    for line_number, line in enumerate(text.split("\n"), start=1):
        for match in CONTROL_CHARACTER.finditer(line):
            found.append(f"line {line_number}, column {match.start() + 1}: U+{ord(match.group()):04X}")
    return found


def test_control_characters_are_noticed():
    assert control_characters("$e \\approx 2.718$\n\tindented\n") == []
    assert control_characters("$e \approx 2.718$") == ["line 1, column 4: U+0007"]
    assert control_characters("one\ntwo\r\n\x00\x7f") == [
        "line 2, column 4: U+000D", "line 3, column 1: U+0000", "line 3, column 2: U+007F"
    ]


@pytest.mark.parametrize("path", TEXT_PAGES, ids=lambda path: path.name)
def test_pages_hold_no_control_characters(path):
    found = control_characters(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)} holds control characters (a lost backslash?): {found}"


@pytest.mark.parametrize("name", DOC_FILES)
def test_docs_links_resolve(name):
    text = read_doc(name)
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://", "mailto:")):
            continue
        file_part, _, anchor = target.partition("#")
        linked = (DOCS / file_part).resolve() if file_part else DOCS / name
        assert linked.exists(), f"{name} links to {target}, which does not exist"
        if anchor and linked.suffix == ".md":
            assert anchor in heading_anchors(linked.read_text(encoding="utf-8")), f"{name}: no heading for {target}"


def test_index_links_every_page():
    index = read_doc("index.md")
    for page in OUR_PAGES + SQUARE_PAGES:
        assert (DOCS / page).is_file(), f"docs/{page} is missing"
        if page != "index.md":
            assert f"]({page})" in index, f"index.md does not link {page}"
    commands = (
        "python examples/xor.py",
        "python examples/spiral.py",
        "python -m purenet explain",
        "python -m purenet gradcheck",
    )
    for command in commands:
        assert command in index
    assert (ROOT / "examples" / "xor.py").is_file() and (ROOT / "examples" / "spiral.py").is_file()
    order = ["README", "dense.md", "backpropagation.md", "activations.md", "losses.md", "optimisation.md",
             "initialisation.md", "stability.md", "pytorch.md"]
    positions = [index.index(page) for page in order]
    assert positions == sorted(positions), "index.md must follow the learning path in order"


# --- structure: the runnable examples run --------------------------------------


FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)


def runnable_examples() -> list:
    """(page, block number, code, expected output or None) for every runnable block of docs/."""
    examples = []
    for name in DOC_FILES:
        text = read_doc(name)
        blocks = list(FENCE.finditer(text))
        for number, block in enumerate(blocks):
            language, code = block.group(1), block.group(2)
            if language != "python" or not code.lstrip().startswith(("import ", "from ")):
                continue
            expected = None
            if number + 1 < len(blocks):
                following = blocks[number + 1]
                if following.group(1) == "text" and not text[block.end() : following.start()].strip():
                    expected = following.group(2)
            examples.append(pytest.param(name, code, expected, id=f"{name}#{number}"))
    return examples


NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?|nan|inf")


def same_output(actual: str, expected: str) -> bool:
    """Equal text, with numbers equal to a relative 1e-3 (or 1e-9 absolute)."""
    actual_lines, expected_lines = actual.rstrip().splitlines(), expected.rstrip().splitlines()
    if len(actual_lines) != len(expected_lines):
        return False
    for actual_line, expected_line in zip(actual_lines, expected_lines):
        if NUMBER.split(actual_line.rstrip()) != NUMBER.split(expected_line.rstrip()):
            return False
        for a, e in zip(NUMBER.findall(actual_line), NUMBER.findall(expected_line)):
            a_value, e_value = float(a), float(e)
            if math.isnan(a_value) or math.isnan(e_value):
                if not (math.isnan(a_value) and math.isnan(e_value)):
                    return False
            elif a_value != pytest.approx(e_value, rel=1e-3, abs=1e-9):
                return False
    return True


def test_same_output_can_fail():
    assert same_output("loss 0.5000\n", "loss 0.50001")
    assert not same_output("loss 0.51", "loss 0.50")
    assert not same_output("epoch 21", "epoch 22")
    assert not same_output("a nan", "a 1.0")
    assert not same_output("one\ntwo", "one")


@pytest.mark.parametrize(("name", "code", "expected"), runnable_examples())
def test_runnable_examples(name, code, expected, tmp_path, monkeypatch):
    if re.search(r"^\s*(import torch|from torch)", code, re.MULTILINE):
        pytest.importorskip("torch")
    monkeypatch.chdir(tmp_path)
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, f"docs/{name}", "exec"), {"__name__": "__main__"})  # noqa: S102 (our docs' own examples)
    if expected is not None:
        assert same_output(output.getvalue(), expected), f"output:\n{output.getvalue()}\nexpected:\n{expected}"


def test_every_page_has_a_runnable_or_checked_formula():
    names = {name for name in OUR_PAGES if name not in ("index.md", "exercises.md")}
    for name in names:
        # A page's checks live in tests/test_docs.py or in a test file of its own (test_learning_path.py, ...).
        assert re.search(r"tests/test_[a-z_]+\.py(::test_)?", read_doc(name)), f"{name} names no test"


def test_accumulating_k_pieces_divided_by_k_is_the_whole_batch():
    # docs/backpropagation.md: k pieces, each loss divided by k, accumulate to the whole batch's gradient, so
    # every optimiser takes the same step; Adam's first step barely depends on the gradient's scale, so lr/k
    # makes it k times smaller, while SGD's lr/k on the k-fold sum is the right step.
    X = [[0.5, -1.0, 2.0], [0.1, 0.2, 0.3], [1.5, -0.5, 0.0], [-2.0, 1.0, 0.5]]
    y = [1, 0, 2, 1]
    k = 2

    def model():
        return pn.Sequential(pn.Dense(3, 4, rng=2), pn.Tanh(), pn.Dense(4, 3, rng=3))

    def gradients(network, pieces, scale):
        loss = pn.SoftmaxCrossEntropy()
        network.zero_grad()
        for piece in pieces:
            loss.forward(network.forward([X[n] for n in piece]), [y[n] for n in piece])
            network.backward([[value * scale for value in row] for row in loss.backward()])
        return [[value for row in p.grad for value in (row if isinstance(row, list) else [row])]
                for p in network.parameters()]

    whole = gradients(model(), [[0, 1, 2, 3]], 1.0)
    accumulated = gradients(model(), [[0, 1], [2, 3]], 1.0 / k)
    summed = gradients(model(), [[0, 1], [2, 3]], 1.0)
    for a, b, c in zip(whole, accumulated, summed):
        assert_close(b, a, rel=1e-12, abs=1e-15)
        assert_close(c, [k * value for value in a], rel=1e-12, abs=1e-15)

    def first_step(optimizer_class, lr, scale):
        network = model()
        before = [value for row in network.layers[0].weight for value in row]
        gradients(network, [[0, 1], [2, 3]], scale)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the step warns that it uses two backward passes: here on purpose
            optimizer_class(network.parameters(), lr=lr).step()
        return [new - old for new, old in zip((v for row in network.layers[0].weight for v in row), before)]

    adam_right, adam_summed, adam_lr_over_k = (first_step(pn.Adam, 0.01, 1.0 / k), first_step(pn.Adam, 0.01, 1.0),
                                                first_step(pn.Adam, 0.01 / k, 1.0))
    assert_close(adam_summed, adam_right, rel=1e-3, abs=1e-12)  # the k-fold gradient: nearly the same step
    assert_close(adam_lr_over_k, [value / k for value in adam_right], rel=1e-3, abs=1e-12)  # k times smaller
    assert_close(first_step(pn.SGD, 0.1 / k, 1.0), first_step(pn.SGD, 0.1, 1.0 / k), rel=1e-12, abs=1e-15)


def test_exercise_3_dead_units_leave_only_the_output_bias_learning():
    # docs/exercises.md, exercise 3's answer: which hidden units are dead after epoch 2 and epoch 30.
    from purenet.datasets import spiral

    X, y = spiral(points_per_class=100, classes=3, seed=0)

    def train(lr, epochs):
        rng = random.Random(0)
        model = pn.Sequential(pn.Dense(2, 64, rng=rng), pn.ReLU(), pn.Dense(64, 3, rng=rng))
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            history = model.fit(X, y, loss=pn.MeanSquaredError(), optimizer=pn.SGD(model.parameters(), lr=lr),
                                epochs=epochs, verbose=0)
        hidden = model.layers[1].forward(model.layers[0].forward(X))
        dead = sum(1 for j in range(64) if all(row[j] == 0.0 for row in hidden))
        return dead, history["loss"][-1], model, [str(warning.message) for warning in caught]

    for lr in (3.0, 10.0):
        dead, _, _, messages = train(lr, 2)
        assert dead == 64
        assert any("64 of 64 units of layer 1 (ReLU) gave 0 for every sample of epoch 2" in m for m in messages)
    assert any("23 of 64 units of layer 1 (ReLU) gave 0 for every sample of epoch 2" in m for m in train(1.0, 2)[3])
    dead, loss, _, _ = train(1.0, 30)
    assert dead == 33 and loss == pytest.approx(0.0969, abs=5e-4)
    dead, loss, model, _ = train(2.9, 30)
    assert dead == 64 and loss == pytest.approx(0.5, abs=0.05)
    # With every unit dead, the output is the bias alone: the same row for every sample.
    outputs = model.forward(X[:5])
    assert all(row == pytest.approx(model.layers[2].bias, abs=1e-12) for row in outputs)
