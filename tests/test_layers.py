"""Tests for the layers: Dense (shapes, initialisation, gradients) and every activation."""

import math
import random
import warnings

import pytest
from conftest import assert_close, central_difference

import purenet as pn
from purenet.layers.activations import softmax_jacobian

ACTIVATIONS = [pn.Identity, pn.ReLU, pn.LeakyReLU, pn.Sigmoid, pn.Tanh, pn.Softmax]


def flatten(values):
    return [v for row in values for v in row] if values and isinstance(values[0], list) else list(values)


def mean_and_variance(values):
    mean = sum(values) / len(values)
    return mean, sum((v - mean) ** 2 for v in values) / len(values)


# --- Dense: shapes, layout, initialisation ---------------------------------------


def test_dense_weight_is_out_by_in_and_bias_starts_at_zero():
    layer = pn.Dense(3, 5)
    assert len(layer.weight) == 5 and all(len(row) == 3 for row in layer.weight)
    assert len(layer.bias) == 5
    assert all(value == 0.0 for value in layer.bias)
    assert layer.parameters() == [layer.weight, layer.bias]
    assert layer.parameters()[0] is layer.weight and layer.parameters()[1] is layer.bias
    assert layer.weight.grad is None and layer.bias.grad is None
    assert layer.weight.size() == 15 and layer.bias.size() == 5
    assert layer.output_features(3) == 5


def test_dense_forward_is_x_w_transposed_plus_b_by_hand():
    layer = pn.Dense(2, 3)
    layer.weight[:] = [[1.0, 2.0], [0.0, -1.0], [0.5, 0.5]]
    layer.bias[:] = [0.1, 0.2, 0.3]
    # sample [1, 1]: [1 + 2 + 0.1, 0 - 1 + 0.2, 0.5 + 0.5 + 0.3]
    # sample [2, -1]: [2 - 2 + 0.1, 0 + 1 + 0.2, 1 - 0.5 + 0.3]
    output = layer.forward([[1.0, 1.0], [2.0, -1.0]])
    assert_close(output, [[3.1, -0.8, 1.3], [0.1, 1.2, 0.8]])


def test_dense_backward_by_hand():
    layer = pn.Dense(2, 1)
    layer.weight[:] = [[3.0, -2.0]]
    layer.bias[:] = [0.5]
    layer.forward([[1.0, 2.0], [-1.0, 4.0]])
    upstream = [[1.0], [0.5]]
    input_gradient = layer.backward(upstream)
    # dL/dW = G^T X = [1*1 + 0.5*(-1), 1*2 + 0.5*4] = [0.5, 4]; dL/db = 1.5; dL/dX = G W
    assert_close(layer.weight.grad, [[0.5, 4.0]])
    assert layer.bias.grad == pytest.approx([1.5])
    assert_close(input_gradient, [[3.0, -2.0], [1.5, -1.0]])


def test_he_initialisation_statistics():
    in_features, out_features = 400, 100
    weights = flatten(pn.Dense(in_features, out_features, init="he", rng=1).weight)
    mean, variance = mean_and_variance(weights)
    expected = 2.0 / in_features  # 0.005; Xavier would give 2 / 500 = 0.004
    # 40000 normal samples: standard error of the mean sqrt(0.005 / 40000) = 3.5e-4,
    # relative standard error of the variance sqrt(2 / 40000) = 0.7 %.
    assert abs(mean) < 5 * math.sqrt(expected / len(weights))
    assert variance == pytest.approx(expected, rel=0.05)


def test_xavier_initialisation_statistics():
    in_features, out_features = 400, 100
    weights = flatten(pn.Dense(in_features, out_features, init="xavier", rng=1).weight)
    mean, variance = mean_and_variance(weights)
    expected = 2.0 / (in_features + out_features)  # 0.004; He would give 0.005
    limit = math.sqrt(6.0 / (in_features + out_features))
    assert max(abs(w) for w in weights) <= limit
    assert max(abs(w) for w in weights) > 0.95 * limit  # uniform: fills the whole range
    assert abs(mean) < 5 * math.sqrt(expected / len(weights))
    # uniform on [-a, a]: relative standard error of the variance is 0.89 / sqrt(n) = 0.45 %
    assert variance == pytest.approx(expected, rel=0.05)


@pytest.mark.parametrize("init", ["he", "xavier"])
def test_dense_is_reproducible_and_seeds_differ(init):
    first = pn.Dense(4, 3, init=init, rng=7)
    again = pn.Dense(4, 3, init=init, rng=7)
    other = pn.Dense(4, 3, init=init, rng=8)
    assert [w.hex() for w in flatten(first.weight)] == [w.hex() for w in flatten(again.weight)]
    assert flatten(first.weight) != flatten(other.weight)
    assert len(set(flatten(first.weight))) == 12, "weights must not be constant"
    # The default (no rng) is seed 0, also reproducible.
    assert flatten(pn.Dense(4, 3, init=init).weight) == flatten(pn.Dense(4, 3, init=init).weight)


def test_shared_random_gives_different_layers_of_same_shape():
    rng = random.Random(3)
    first, second = pn.Dense(3, 3, rng=rng), pn.Dense(3, 3, rng=rng)
    assert flatten(first.weight) != flatten(second.weight)
    # and the same as drawing from an equal generator by hand: He normal with sd sqrt(2/3)
    check = random.Random(3)
    expected = [check.gauss(0.0, math.sqrt(2.0 / 3.0)) for _ in range(9)]
    assert flatten(first.weight) == pytest.approx(expected, rel=1e-12)


def test_dense_does_not_touch_the_global_random_state():
    random.seed(12345)
    before = random.getstate()
    pn.Dense(5, 4)
    pn.Dense(5, 4, rng=3)
    pn.Dense(5, 4, init="xavier", rng=random.Random(1))
    assert random.getstate() == before


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"in_features": 0, "out_features": 2}, ValueError, r"Dense: in_features must be a positive integer, got 0"),
        ({"in_features": 2, "out_features": -1}, ValueError, r"Dense: out_features must be a positive integer, got -1"),
        ({"in_features": 2.0, "out_features": 2}, ValueError, r"in_features must be a positive integer, got 2\.0"),
        ({"in_features": True, "out_features": 2}, ValueError, r"in_features must be a positive integer, got True"),
        ({"in_features": "3", "out_features": 2}, ValueError, r"in_features must be a positive integer, got '3'"),
        ({"in_features": 2, "out_features": 2, "init": "glorot"}, ValueError, r"init must be one of he, xavier, got 'glorot'"),
        ({"in_features": 2, "out_features": 2, "rng": "seed"}, TypeError, r"rng must be a random\.Random, an int seed or None, got str"),
        ({"in_features": 2, "out_features": 2, "rng": True}, TypeError, r"rng must be .* got bool"),
    ],
)
def test_dense_refuses_bad_arguments(kwargs, error, message):
    with pytest.raises(error, match=message):
        pn.Dense(**kwargs)


def test_dense_forward_refuses_wrong_width_and_backward_wrong_shape():
    layer = pn.Dense(3, 2)
    with pytest.raises(ValueError, match=r"Dense\(3, 2\): input \(1 x 2\) needs 3 features per sample, got 2"):
        layer.forward([[1.0, 2.0]])
    layer.forward([[1.0, 2.0, 3.0]])
    with pytest.raises(ValueError, match=r"Dense\.backward: gradient \(1 x 3\) must match the output \(1 x 2\)"):
        layer.backward([[1.0, 2.0, 3.0]])


# --- activations: forward values -------------------------------------------------


def test_identity_and_its_original_name_pass_let_values_through_silently():
    assert pn.Pass is pn.Identity
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        layer = pn.Pass()
        assert_close(layer.forward([[-2.0, 0.0, 3.5]]), [[-2.0, 0.0, 3.5]])
        assert_close(layer.backward([[1.0, -4.0, 0.5]]), [[1.0, -4.0, 0.5]])
        assert repr(pn.Identity()) == "Identity()"


def test_linear_still_builds_the_identity_but_warns_that_pytorchs_linear_is_dense():
    with pytest.warns(FutureWarning, match=r"purenet\.Linear is the identity layer.*use Identity.*nn\.Linear is purenet\.Dense"):
        layer = pn.Linear()
    assert isinstance(layer, pn.Identity)
    assert_close(layer.forward([[-2.0, 0.0, 3.5]]), [[-2.0, 0.0, 3.5]])
    assert_close(layer.backward([[1.0, -4.0, 0.5]]), [[1.0, -4.0, 0.5]])


def test_relu_forward_by_hand():
    assert_close(pn.ReLU().forward([[-2.0, 0.0, 3.0, -1e-3, 1e-3]]), [[0.0, 0.0, 3.0, 0.0, 1e-3]])


def test_leaky_relu_forward_by_hand():
    assert_close(pn.LeakyReLU(0.1).forward([[-2.0, 0.0, 3.0]]), [[-0.2, 0.0, 3.0]])
    # default alpha 0.01, as PyTorch's negative_slope
    assert_close(pn.LeakyReLU().forward([[-5.0]]), [[-0.05]])


def test_sigmoid_forward_by_hand():
    # sigmoid(0) = 1/2; sigmoid(ln 3) = 1 / (1 + 1/3) = 3/4; sigmoid(-ln 3) = 1/4
    output = pn.Sigmoid().forward([[0.0, math.log(3.0), -math.log(3.0)]])
    assert_close(output, [[0.5, 0.75, 0.25]])


def test_tanh_forward_by_hand():
    # tanh(ln 2) = (2 - 1/2) / (2 + 1/2) = 3/5
    output = pn.Tanh().forward([[0.0, math.log(2.0), -math.log(2.0)]])
    assert_close(output, [[0.0, 0.6, -0.6]])


@pytest.mark.parametrize("layer_class, low, high", [(pn.Sigmoid, 0.0, 1.0), (pn.Tanh, -1.0, 1.0)])
def test_saturating_activations_survive_huge_inputs(layer_class, low, high):
    layer = layer_class()
    output = layer.forward([[-1000.0, 1000.0]])
    assert all(math.isfinite(v) for v in output[0])
    assert output[0][0] == pytest.approx(low, abs=1e-12)
    assert output[0][1] == pytest.approx(high, abs=1e-12)
    gradient = layer.backward([[1.0, 1.0]])
    assert all(math.isfinite(v) for v in gradient[0])
    assert gradient[0] == pytest.approx([0.0, 0.0], abs=1e-12)


@pytest.mark.parametrize(
    "alpha, expected",
    [
        (1.0, r"in \[0\.0, 1\.0\), got 1\.0"),
        (1.5, r"in \[0\.0, 1\.0\), got 1\.5"),
        (-0.01, r"in \[0\.0, 1\.0\), got -0\.01"),
        (float("nan"), r"a finite number, got nan"),
        ("0.1", r"a finite number, got '0\.1'"),
        (True, r"a finite number, got True"),
        (None, r"a finite number, got None"),
    ],
)
def test_leaky_relu_refuses_bad_alpha(alpha, expected):
    with pytest.raises(ValueError, match=rf"^LeakyReLU: alpha must be {expected}$"):
        pn.LeakyReLU(alpha)


def test_leaky_relu_accepts_alpha_zero():
    assert pn.LeakyReLU(0).forward([[-3.0]])[0][0] == pytest.approx(0.0)


# --- softmax ---------------------------------------------------------------------


def test_softmax_forward_by_hand_and_shift_invariant():
    # softmax([0, ln 3]) = [1/4, 3/4]; adding 1000 to both changes nothing
    assert_close(pn.Softmax().forward([[0.0, math.log(3.0)]]), [[0.25, 0.75]])
    assert_close(pn.Softmax().forward([[1000.0, 1000.0 + math.log(3.0)]]), [[0.25, 0.75]], rel=1e-9)


def test_softmax_of_huge_values_is_stable():
    output = pn.Softmax().forward([[1000.0, 1001.0], [-1000.0, 1000.0], [1e4, 0.0]])
    e = math.e
    # [1000, 1001]: e^-1 / (e^-1 + 1) and 1 / (e^-1 + 1)
    assert output[0] == pytest.approx([1.0 / (1.0 + e), e / (1.0 + e)], rel=1e-12)
    assert output[1] == pytest.approx([0.0, 1.0], abs=1e-300)
    for row in output:
        assert all(math.isfinite(p) for p in row)
        assert sum(row) == pytest.approx(1.0, rel=1e-12)


def test_softmax_rows_sum_to_one():
    rng = random.Random(0)
    batch = [[rng.uniform(-20.0, 20.0) for _ in range(6)] for _ in range(10)]
    for row in pn.Softmax().forward(batch):
        assert sum(row) == pytest.approx(1.0, rel=1e-12)
        assert all(0.0 < p < 1.0 for p in row)


def test_softmax_refuses_rows_without_values():
    with pytest.raises(ValueError, match=r"Softmax: input \(2 x 0\) has no values to normalise"):
        pn.Softmax().forward([[], []])


def test_softmax_jacobian_is_diag_p_minus_p_p_transposed():
    layer = pn.Softmax()
    layer.forward([[0.0, math.log(3.0)], [0.0, 0.0]])
    # p = [1/4, 3/4]: diag(p) - p p^T = [[1/4 - 1/16, -3/16], [-3/16, 3/4 - 9/16]]
    assert_close(layer.jacobian(0), [[3.0 / 16.0, -3.0 / 16.0], [-3.0 / 16.0, 3.0 / 16.0]])
    # p = [1/2, 1/2]: [[1/4, -1/4], [-1/4, 1/4]]
    assert_close(layer.jacobian(1), [[0.25, -0.25], [-0.25, 0.25]])


def test_softmax_jacobian_for_three_classes_with_plain_loops():
    probabilities = [0.2, 0.3, 0.5]
    expected = [[(p_i if i == j else 0.0) - p_i * p_j for j, p_j in enumerate(probabilities)] for i, p_i in enumerate(probabilities)]
    expected_by_hand = [[0.16, -0.06, -0.10], [-0.06, 0.21, -0.15], [-0.10, -0.15, 0.25]]
    assert_close(expected, expected_by_hand)
    assert_close(softmax_jacobian(probabilities), expected_by_hand)


def test_softmax_backward_is_the_shortcut_p_times_g_minus_g_dot_p():
    rng = random.Random(1)
    batch = [[rng.uniform(-3.0, 3.0) for _ in range(4)] for _ in range(3)]
    upstream = [[rng.uniform(-1.0, 1.0) for _ in range(4)] for _ in range(3)]
    layer = pn.Softmax()
    probabilities = layer.forward(batch)
    expected = []
    for p, g in zip(probabilities, upstream):
        g_dot_p = sum(gi * pi for gi, pi in zip(g, p))
        expected.append([pi * (gi - g_dot_p) for pi, gi in zip(p, g)])
    assert_close(layer.backward(upstream), expected, rel=1e-9, abs=1e-15)


# --- derivatives at the kink ---------------------------------------------------------


def test_relu_derivative_at_zero_is_zero_like_pytorch():
    layer = pn.ReLU()
    layer.forward([[0.0, 1e-3, -1e-3]])
    assert layer.backward([[1.0, 1.0, 1.0]]) == [pytest.approx([0.0, 1.0, 0.0])]


def test_leaky_relu_derivative_at_zero_is_alpha_like_pytorch():
    layer = pn.LeakyReLU(0.2)
    layer.forward([[0.0, 1e-3, -1e-3]])
    assert layer.backward([[1.0, 1.0, 1.0]]) == [pytest.approx([0.2, 1.0, 0.2])]


def test_sigmoid_and_tanh_derivatives_by_hand():
    sigmoid = pn.Sigmoid()
    sigmoid.forward([[0.0, math.log(3.0)]])
    # sigma' = sigma (1 - sigma): 1/4 at 0, 3/16 at ln 3
    assert sigmoid.backward([[1.0, 2.0]])[0] == pytest.approx([0.25, 2.0 * 3.0 / 16.0])
    tanh = pn.Tanh()
    tanh.forward([[0.0, math.log(2.0)]])
    # tanh' = 1 - tanh^2: 1 at 0, 1 - 9/25 = 16/25 at ln 2
    assert tanh.backward([[1.0, 1.0]])[0] == pytest.approx([1.0, 0.64])


# --- finite differences ---------------------------------------------------------------


@pytest.mark.parametrize("batch", [1, 4])
def test_dense_gradients_match_an_independent_central_difference(batch):
    rng = random.Random(batch)
    layer = pn.Dense(3, 2, rng=rng)
    layer.bias[:] = [0.3, -0.7]
    x = [[rng.uniform(-1.0, 1.0) for _ in range(3)] for _ in range(batch)]
    upstream = [[rng.uniform(-1.0, 1.0) for _ in range(2)] for _ in range(batch)]

    def objective():
        # L = sum_n sum_o z[n][o] * upstream[n][o], so dL/dz = upstream
        return sum(z * u for z_row, u_row in zip(layer.forward(x), upstream) for z, u in zip(z_row, u_row))

    objective()
    input_gradient = layer.backward(upstream)
    assert_close(input_gradient, central_difference(objective, x), rel=1e-6, abs=1e-8)
    assert_close(layer.weight.grad, central_difference(objective, layer.weight), rel=1e-6, abs=1e-8)
    assert layer.bias.grad == pytest.approx(central_difference(objective, layer.bias), rel=1e-6, abs=1e-8)


def make_layer(layer_class):
    if layer_class is pn.Dense:
        return pn.Dense(3, 3, rng=4)
    if layer_class is pn.LeakyReLU:
        return pn.LeakyReLU(0.1)
    return layer_class()


@pytest.mark.parametrize("batch", [1, 5])
@pytest.mark.parametrize("layer_class", [pn.Dense] + ACTIVATIONS)
def test_gradcheck_of_every_layer(layer_class, batch):
    rng = random.Random(batch)
    # Keep away from 0 by more than epsilon, so ReLU kinks are not straddled.
    x = [[rng.choice([-1.0, 1.0]) * rng.uniform(0.1, 2.0) for _ in range(3)] for _ in range(batch)]
    errors = pn.gradcheck(make_layer(layer_class), x, epsilon=1e-6)
    assert "input" in errors
    if layer_class is pn.Dense:
        assert set(errors) == {"input", "weight", "bias"}
    for name, error in errors.items():
        assert error < 1e-6, (name, error)


@pytest.mark.parametrize("batch", [1, 3])
def test_gradcheck_of_a_wide_dense_layer_on_drawing_like_inputs(batch):
    # 64 features, mostly the background -0.5 with a few inked pixels: the shape of the
    # drawings the library is built for (and what its matrix products have shortcuts for).
    rng = random.Random(batch)
    x = []
    for _ in range(batch):
        row = [-0.5] * 64
        for position in rng.sample(range(64), 6):
            row[position] = rng.uniform(-0.5, 0.5)
        x.append(row)
    layer = pn.Dense(64, 3, rng=rng)
    layer.bias[:] = [0.1, -0.2, 0.3]
    errors = pn.gradcheck(layer, x)
    assert set(errors) == {"input", "weight", "bias"}
    for name, error in errors.items():
        assert error < 1e-6, (name, error)


@pytest.mark.parametrize("layer_class", [pn.ReLU, pn.LeakyReLU])
@pytest.mark.parametrize("batch", [1, 3])
def test_gradcheck_of_rectifiers_near_zero(layer_class, batch):
    # Inputs of +-1e-3: the finite difference (h = 1e-6) stays on one side of the kink.
    x = [[1e-3, -1e-3, 2e-3, -5e-4] for _ in range(batch)]
    errors = pn.gradcheck(make_layer(layer_class), x, epsilon=1e-6)
    assert errors["input"] < 1e-6


def test_leaky_relu_gradient_near_zero_against_central_difference():
    layer = pn.LeakyReLU(0.1)
    x = [[1e-3, -1e-3]]
    upstream = [[1.0, 1.0]]
    layer.forward(x)
    analytic = layer.backward(upstream)

    def objective():
        return sum(layer.forward(x)[0])

    assert analytic[0] == pytest.approx(central_difference(objective, x[0]), rel=1e-6)
    assert analytic[0] == pytest.approx([1.0, 0.1])


# --- the backward contract ----------------------------------------------------------------


@pytest.mark.parametrize("layer_class", [pn.Dense] + ACTIVATIONS)
def test_backward_before_forward_raises(layer_class):
    layer = make_layer(layer_class)
    with pytest.raises(RuntimeError, match=rf"{layer_class.__name__}\.backward called before forward"):
        layer.backward([[1.0, 1.0, 1.0]])


def test_softmax_jacobian_before_forward_raises():
    with pytest.raises(RuntimeError, match=r"Softmax\.backward called before forward"):
        pn.Softmax().jacobian()


@pytest.mark.parametrize("layer_class", ACTIVATIONS)
def test_activation_backward_refuses_wrong_gradient_shape(layer_class):
    layer = make_layer(layer_class)
    layer.forward([[0.5, -0.5, 1.0]])
    with pytest.raises(ValueError, match=rf"{layer_class.__name__}\.backward: gradient \(1 x 2\) must match the output \(1 x 3\)"):
        layer.backward([[1.0, 1.0]])


def test_gradients_accumulate_across_backward_calls_and_zero_grad_clears():
    layer = pn.Dense(2, 2, rng=1)
    x = [[1.0, -2.0], [0.5, 3.0]]
    first_upstream = [[1.0, 0.0], [0.0, 1.0]]
    second_upstream = [[0.5, -1.0], [2.0, 0.25]]

    # Gradients of each backward alone, on fresh copies of the layer.
    single = []
    for upstream in (first_upstream, second_upstream):
        fresh = pn.Dense(2, 2, rng=1)
        fresh.forward(x)
        fresh.backward(upstream)
        single.append((fresh.weight.grad, fresh.bias.grad))

    layer.forward(x)
    layer.backward(first_upstream)
    layer.backward(second_upstream)
    expected_weight = [[a + b for a, b in zip(r1, r2)] for r1, r2 in zip(single[0][0], single[1][0])]
    expected_bias = [a + b for a, b in zip(single[0][1], single[1][1])]
    assert_close(layer.weight.grad, expected_weight)
    assert layer.bias.grad == pytest.approx(expected_bias)
    # by hand for the bias: column sums of both upstreams = [1, 1] + [2.5, -0.75]
    assert layer.bias.grad == pytest.approx([3.5, 0.25])
    assert layer.weight.backward_passes == 2 and layer.bias.backward_passes == 2

    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None
    assert layer.weight.backward_passes == 0


def test_input_gradient_false_returns_none_but_stores_parameter_gradients():
    layer = pn.Dense(2, 1)
    layer.weight[:] = [[1.0, 1.0]]
    layer.forward([[2.0, 3.0]])
    assert layer.backward([[1.0]], input_gradient=False) is None
    # dL/dW = G^T X = [[2, 3]], dL/db = [1]
    assert_close(layer.weight.grad, [[2.0, 3.0]])
    assert layer.bias.grad == pytest.approx([1.0])


@pytest.mark.parametrize("layer_class", ACTIVATIONS)
def test_activation_input_gradient_false_returns_none(layer_class):
    layer = make_layer(layer_class)
    layer.forward([[0.5, -0.5]])
    assert layer.backward([[1.0, 1.0]], input_gradient=False) is None


def test_layer_config_and_repr():
    assert pn.Dense(2, 3, init="xavier").config() == {"in_features": 2, "out_features": 3, "init": "xavier"}
    assert pn.LeakyReLU(0.2).config() == {"alpha": 0.2}
    assert pn.ReLU().config() == {}
    assert repr(pn.Dense(2, 3)) == "Dense(2, 3, init='he')"
    assert repr(pn.Tanh()) == "Tanh()"


@pytest.mark.parametrize("layer", [pn.ReLU(), pn.LeakyReLU(), pn.LeakyReLU(0.3)], ids=repr)
def test_rectifier_kernels_agree_with_the_per_value_formulas(layer):
    # forward/backward run matrices.rectify(_backward); function/derivative are the plain reference.
    rng = random.Random(4)
    x = [[rng.choice([0.0, -0.0, rng.uniform(-2, 2)]) for _ in range(7)] for _ in range(5)]
    grad = [[rng.uniform(-1, 1) for _ in range(7)] for _ in range(5)]
    y = layer.forward(x)
    assert y == [[layer.function(v) for v in row] for row in x]
    expected = [[g * layer.derivative(v, layer.function(v)) for g, v in zip(grow, row)] for grow, row in zip(grad, x)]
    for got_row, expected_row in zip(layer.backward(grad), expected):
        assert got_row == pytest.approx(expected_row, abs=0.0, rel=1e-15)
