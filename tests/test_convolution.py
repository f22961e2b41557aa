"""Conv1d, Conv2d, Flatten and Unflatten against plain loops and central differences (standard library only).

The fast kernels of purenet/matrices/convolution.py are compared with the
textbook loops beside them on random configurations (sizes, strides,
padding); the layers' three gradients with central differences of the
loss L = sum y * G, whose gradient dL/dy is G; the formulas of
docs/convolution.md with the numbers they predict. PyTorch's own numbers:
tests/test_convolution_torch.py.
"""

from __future__ import annotations

import math
import random

import pytest
from conftest import assert_close, central_difference

import purenet as pn
from purenet.layers.activations import Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from purenet.layers.convolution import Conv1d, Conv2d
from purenet.layers.pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from purenet.layers.reshape import Flatten, Unflatten
from purenet.matrices import convolution as kernels
from purenet.matrices import tensors


def random_tensor(rng: random.Random, shape: tuple[int, ...]) -> list:
    return tensors.reshape([rng.uniform(-1.0, 1.0) for _ in range(math.prod(shape))], shape)


def innermost_rows(tensor: list) -> list[list[float]]:
    """The innermost lists of a tensor, the same objects (so a change to one changes the tensor)."""
    rows = [tensor]
    while rows and rows[0] and isinstance(rows[0][0], list):
        rows = [row for outer in rows for row in outer]
    return rows


def numerical_gradient(loss, tensor: list) -> list:
    """dL/d tensor by central differences, one innermost row at a time, in the tensor's shape."""
    flat = [value for row in innermost_rows(tensor) for value in central_difference(loss, row)]
    return tensors.reshape(flat, tensors.tensor_shape(tensor, "tensor", tensors.depth(tensor)))


def weighted_sum(output: list, weights: list) -> float:
    """L = sum y * G over every entry: a loss whose gradient dL/dy is G."""
    return math.fsum(a * b for a, b in zip(tensors.flatten(output), tensors.flatten(weights)))


def random_configuration_2d(rng: random.Random) -> dict:
    kernel = (rng.randint(1, 3), rng.randint(1, 3))
    padding = (rng.randint(0, 2), rng.randint(0, 2))
    return {
        "batch": rng.randint(1, 3),
        "in_channels": rng.randint(1, 3),
        "out_channels": rng.randint(1, 3),
        "kernel_size": kernel,
        "stride": (rng.randint(1, 3), rng.randint(1, 3)),
        "padding": padding,
        "height": rng.randint(max(1, kernel[0] - 2 * padding[0]), 7),
        "width": rng.randint(max(1, kernel[1] - 2 * padding[1]), 7),
    }


# --- the kernels against the textbook loops --------------------------------------


@pytest.mark.parametrize("seed", range(12))
def test_convolution2d_kernels_match_the_textbook_loops(seed):
    rng = random.Random(seed)
    setup = random_configuration_2d(rng)
    layer = Conv2d(setup["in_channels"], setup["out_channels"], setup["kernel_size"], setup["stride"],
                   setup["padding"], rng=rng)
    x = random_tensor(rng, (setup["batch"], setup["in_channels"], setup["height"], setup["width"]))
    y = layer.forward(x)
    expected = kernels.reference_convolution2d(x, list(layer.weight), list(layer.bias), setup["stride"],
                                               setup["padding"])
    assert_close(y, expected)
    grad = random_tensor(rng, tensors.tensor_shape(y, "y", 4))
    input_gradient = layer.backward(grad)
    expected_input, expected_weight, expected_bias = kernels.reference_convolution2d_backward(
        x, list(layer.weight), grad, setup["stride"], setup["padding"]
    )
    assert_close(input_gradient, expected_input)
    assert_close(layer.weight.grad, expected_weight)
    assert_close(layer.bias.grad, expected_bias)


@pytest.mark.parametrize("seed", range(12))
def test_convolution1d_kernels_match_the_textbook_loops(seed):
    rng = random.Random(seed)
    kernel, padding = rng.randint(1, 4), rng.randint(0, 2)
    batch, channels, out_channels = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 3)
    stride, length = rng.randint(1, 3), rng.randint(max(1, kernel - 2 * padding), 9)
    layer = Conv1d(channels, out_channels, kernel, stride, padding, rng=rng)
    x = random_tensor(rng, (batch, channels, length))
    y = layer.forward(x)
    assert_close(y, kernels.reference_convolution1d(x, list(layer.weight), list(layer.bias), stride, padding))
    grad = random_tensor(rng, tensors.tensor_shape(y, "y", 3))
    input_gradient = layer.backward(grad)
    expected_input, expected_weight, expected_bias = kernels.reference_convolution1d_backward(
        x, list(layer.weight), grad, stride, padding
    )
    assert_close(input_gradient, expected_input)
    assert_close(layer.weight.grad, expected_weight)
    assert_close(layer.bias.grad, expected_bias)


def test_patches_hold_the_values_the_kernel_meets():
    # one 1 x 3 x 4 image, kernel 2 x 2, stride 1, padding 1: the patch of position (0, 0) is the corner
    image = [[[1.0, 2.0, 3.0, 4.0], [5.0, 6.0, 7.0, 8.0], [9.0, 10.0, 11.0, 12.0]]]
    patches = kernels.image_patches([image], (2, 2), (1, 1), (1, 1))[0]
    assert len(patches) == 4 * 5  # H_out = (3 + 2 - 2) / 1 + 1 = 4, W_out = (4 + 2 - 2) / 1 + 1 = 5
    assert list(patches[0]) == [0.0, 0.0, 0.0, 1.0]
    assert list(patches[1 * 5 + 2]) == [2.0, 3.0, 6.0, 7.0]
    assert list(patches[3 * 5 + 4]) == [12.0, 0.0, 0.0, 0.0]


# --- the formulas of docs/convolution.md ---------------------------------------------


@pytest.mark.parametrize(("size", "kernel", "stride", "padding", "expected"), [
    (32, 3, 1, 0, 30), (32, 3, 1, 1, 32), (32, 3, 2, 1, 16), (1024, 8, 4, 0, 255), (7, 3, 3, 0, 2), (5, 5, 1, 0, 1),
])
def test_output_size_formula(size, kernel, stride, padding, expected):
    assert kernels.output_size(size, kernel, stride, padding) == expected
    layer = Conv1d(1, 1, kernel, stride, padding)
    assert len(layer.forward([[[0.5] * size]])[0][0]) == expected
    assert layer.output_shape((1, size)) == (1, expected)


def test_forward_is_a_cross_correlation_not_a_flipped_convolution():
    # kernel (1, 2, 3) on (1, 0, 0, 0): a cross-correlation reads the kernel as it is, so the outputs
    # at t = 0 and t = 1 are 1 * 1 = 1 and 0 (a true convolution would flip it and give 3 at t = 0)
    layer = Conv1d(1, 1, 3)
    layer.weight[0][0][:] = [1.0, 2.0, 3.0]
    layer.bias[:] = [0.5]
    assert_close(layer.forward([[[1.0, 0.0, 0.0, 0.0]]]), [[[1.5, 0.5]]])
    assert_close(layer.forward([[[0.0, 0.0, 1.0, 0.0]]]), [[[3.5, 2.5]]])


def test_gradients_in_index_form_by_hand():
    # x = (1, 2, 3, 4), w = (1, -1), stride 2, padding 0: y_t = x_{2t} - x_{2t+1} + b, two outputs.
    # With g = (10, 100): dL/dw_k = sum_t g_t x_{2t+k} = (10*1 + 100*3, 10*2 + 100*4) = (310, 420),
    # dL/db = 110, dL/dx_{2t+k} = g_t w_k = (10, -10, 100, -100).
    layer = Conv1d(1, 1, 2, stride=2)
    layer.weight[0][0][:] = [1.0, -1.0]
    layer.bias[:] = [0.0]
    assert_close(layer.forward([[[1.0, 2.0, 3.0, 4.0]]]), [[[-1.0, -1.0]]])
    assert_close(layer.backward([[[10.0, 100.0]]]), [[[10.0, -10.0, 100.0, -100.0]]])
    assert_close(layer.weight.grad, [[[310.0, 420.0]]])
    assert_close(layer.bias.grad, [110.0])


@pytest.mark.parametrize("seed", range(6))
def test_convolution2d_gradients_match_central_differences(seed):
    rng = random.Random(100 + seed)
    setup = random_configuration_2d(rng)
    layer = Conv2d(setup["in_channels"], setup["out_channels"], setup["kernel_size"], setup["stride"],
                   setup["padding"], rng=rng)
    x = random_tensor(rng, (setup["batch"], setup["in_channels"], setup["height"], setup["width"]))
    grad = random_tensor(rng, tensors.tensor_shape(layer.forward(x), "y", 4))

    def loss() -> float:
        return weighted_sum(layer.forward(x), grad)

    expected_input = numerical_gradient(loss, x)
    expected_weight = numerical_gradient(loss, layer.weight)
    expected_bias = central_difference(loss, layer.bias)
    layer.forward(x)
    assert_close(layer.backward(grad), expected_input, rel=1e-6, abs=1e-8)
    assert_close(layer.weight.grad, expected_weight, rel=1e-6, abs=1e-8)
    assert_close(layer.bias.grad, expected_bias, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("seed", range(6))
def test_convolution1d_gradients_match_central_differences(seed):
    rng = random.Random(200 + seed)
    kernel, padding, stride = rng.randint(1, 4), rng.randint(0, 2), rng.randint(1, 3)
    layer = Conv1d(rng.randint(1, 3), rng.randint(1, 3), kernel, stride, padding, rng=rng)
    x = random_tensor(rng, (rng.randint(1, 3), layer.in_channels, rng.randint(max(1, kernel - 2 * padding), 9)))
    grad = random_tensor(rng, tensors.tensor_shape(layer.forward(x), "y", 3))

    def loss() -> float:
        return weighted_sum(layer.forward(x), grad)

    expected_input = numerical_gradient(loss, x)
    expected_weight = numerical_gradient(loss, layer.weight)
    expected_bias = central_difference(loss, layer.bias)
    layer.forward(x)
    assert_close(layer.backward(grad), expected_input, rel=1e-6, abs=1e-8)
    assert_close(layer.weight.grad, expected_weight, rel=1e-6, abs=1e-8)
    assert_close(layer.bias.grad, expected_bias, rel=1e-6, abs=1e-8)


def test_gradients_accumulate_and_input_gradient_can_be_skipped():
    rng = random.Random(5)
    layer = Conv2d(2, 3, 2, rng=rng)
    x = random_tensor(rng, (2, 2, 4, 4))
    grad = random_tensor(rng, (2, 3, 3, 3))
    layer.forward(x)
    layer.backward(grad)
    once_weight, once_bias = layer.weight.grad, layer.bias.grad
    layer.forward(x)
    assert layer.backward(grad, input_gradient=False) is None
    assert_close(layer.weight.grad, tensors.reshape([2.0 * v for v in tensors.flatten(once_weight)], (3, 2, 2, 2)))
    assert_close(layer.bias.grad, [2.0 * v for v in once_bias])
    layer.zero_grad()
    assert layer.weight.grad is None and layer.bias.grad is None


# --- initialisation ------------------------------------------------------------------


def test_initialisation_is_pytorchs_uniform_bound_and_seeded():
    layer = Conv2d(3, 8, (3, 5), rng=7)
    bound = 1.0 / math.sqrt(3 * 3 * 5)  # fan_in = in_channels kh kw
    weights = tensors.flatten(layer.weight)
    assert tensors.tensor_shape(list(layer.weight), "weight", 4) == (8, 3, 3, 5)
    assert len(layer.bias) == 8
    assert all(-bound <= value <= bound for value in weights + list(layer.bias))
    # uniform on [-bound, bound] has variance bound^2 / 3; 360 draws put the sample variance within 25 %
    variance = math.fsum(value * value for value in weights) / len(weights)
    assert abs(variance / (bound * bound / 3.0) - 1.0) < 0.25
    assert max(weights) > 0.8 * bound and min(weights) < -0.8 * bound
    same = Conv2d(3, 8, (3, 5), rng=7)
    assert tensors.flatten(same.weight) == weights
    assert tensors.flatten(Conv2d(3, 8, (3, 5), rng=8).weight) != weights
    shared = random.Random(3)
    first, second = Conv1d(2, 2, 3, rng=shared), Conv1d(2, 2, 3, rng=shared)
    assert tensors.flatten(first.weight) != tensors.flatten(second.weight)


# --- bad input ---------------------------------------------------------------------


@pytest.mark.parametrize(("arguments", "error", "message"), [
    ((0, 1, 3), ValueError, "Conv2d: in_channels must be a positive integer, got 0"),
    ((1, 2.0, 3), TypeError, "Conv2d: out_channels must be a positive integer, got 2.0"),
    ((1, 1, (3, 0)), ValueError, "Conv2d: kernel_size must be a positive integer, got 0"),
    ((1, 1, (3, 3, 3)), TypeError, "kernel_size must be a positive integer or a pair (height, width)"),
    ((1, 1, 3, 0), ValueError, "Conv2d: stride must be a positive integer, got 0"),
    ((1, 1, 3, 1, -1), ValueError, "Conv2d: padding must be a non-negative integer, got -1"),
])
def test_bad_arguments_are_named(arguments, error, message):
    with pytest.raises(error) as raised:
        Conv2d(*arguments)
    assert message in str(raised.value)


def test_conv1d_takes_ints_only():
    with pytest.raises(TypeError, match="Conv1d: kernel_size must be a positive integer, got"):
        Conv1d(1, 1, (1, 3))
    with pytest.raises(TypeError, match="rng must be a random.Random"):
        Conv1d(1, 1, 3, rng="seed")


def test_bad_inputs_are_named():
    layer = Conv2d(2, 1, 3)
    with pytest.raises(ValueError, match=r"needs 2 channels, got 1"):
        layer.forward([[[[0.0] * 5] * 5]])
    with pytest.raises(ValueError, match=r"too small: height 2 plus padding 2 x 0 is less than the kernel's 3"):
        layer.forward([[[[0.0] * 5] * 2] * 2])
    with pytest.raises(TypeError, match=r"must be a 4-dimensional tensor"):
        layer.forward([[0.0] * 5])
    with pytest.raises(ValueError, match=r"rectangular 4-dimensional tensor: at depth 3 entry 1 has 4 values"):
        layer.forward([[[[0.0] * 5, [0.0] * 4, [0.0] * 5]] * 2])
    with pytest.raises(ValueError, match=r"batch x channels x length\) is too small: length 2"):
        Conv1d(1, 1, 3).forward([[[0.0, 1.0]]])
    with pytest.raises(RuntimeError, match="Conv2d.backward called before forward"):
        Conv2d(1, 1, 1).backward([[[[1.0]]]])
    layer.forward([[[[0.0] * 5] * 5] * 2])
    with pytest.raises(ValueError, match=r"gradient \(1 x 1 x 3 x 2\) must match the output \(1 x 1 x 3 x 3\)"):
        layer.backward([[[[0.0] * 2] * 3]])
    conv1d = Conv1d(1, 2, 2)
    conv1d.forward([[[0.0, 1.0, 2.0]]])
    with pytest.raises(ValueError, match=r"gradient \(1 x 2 x 1\) must match the output \(1 x 2 x 2\)"):
        conv1d.backward([[[0.0], [0.0]]])


# --- Flatten and Unflatten ---------------------------------------------------------------


def test_flatten_reads_each_sample_last_index_fastest_and_back():
    rng = random.Random(9)
    x = random_tensor(rng, (2, 3, 4, 5))
    layer = Flatten()
    rows = layer.forward(x)
    assert len(rows) == 2 and len(rows[0]) == 60
    for c, i, j in ((0, 0, 0), (1, 2, 3), (2, 3, 4)):
        assert rows[1][(c * 4 + i) * 5 + j] == x[1][c][i][j]
    assert layer.backward(rows) == x
    assert layer.output_shape((3, 4, 5)) == (60,)
    with pytest.raises(ValueError, match="must have 60 columns"):
        layer.backward([[0.0] * 59] * 2)


def test_unflatten_cuts_rows_into_samples_and_back():
    layer = Unflatten((1, 2, 3))
    x = [[float(k) for k in range(6)], [float(10 + k) for k in range(6)]]
    y = layer.forward(x)
    assert y == [[[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]], [[[10.0, 11.0, 12.0], [13.0, 14.0, 15.0]]]]
    assert layer.backward(y) == x
    assert Flatten().forward(y) == x
    assert layer.config() == {"shape": [1, 2, 3]}
    assert repr(layer) == "Unflatten((1, 2, 3))"


def test_unflatten_refuses_what_does_not_fit():
    with pytest.raises(ValueError, match=r"needs 1024 features per sample \(the product of \(1, 32, 32\)\), got 1000"):
        Unflatten((1, 32, 32)).forward([[0.0] * 1000])
    with pytest.raises(TypeError, match="shape must be a tuple of positive integers"):
        Unflatten(1024)
    with pytest.raises(ValueError, match="each size of shape must be a positive integer, got 0"):
        Unflatten((1, 0))
    with pytest.raises(RuntimeError, match="Unflatten.backward called before forward"):
        Unflatten((2,)).backward([[1.0, 2.0]])


# --- the element-wise activations on signals and images ------------------------------------


@pytest.mark.parametrize("activation", [ReLU(), LeakyReLU(0.1), Sigmoid(), Tanh(), Identity()], ids=repr)
@pytest.mark.parametrize("shape", [(2, 3, 5), (2, 2, 3, 4)])
def test_activations_work_element_by_element_on_tensors(activation, shape):
    rng = random.Random(len(shape))
    x = random_tensor(rng, shape)
    y = activation.forward(x)
    assert tensors.tensor_shape(y, "y", len(shape)) == shape
    assert_close(tensors.flatten(y), [activation.function(value) for value in tensors.flatten(x)])
    grad = random_tensor(rng, shape)
    expected = numerical_gradient(lambda: weighted_sum(activation.forward(x), grad), x)
    activation.forward(x)
    assert_close(activation.backward(grad), expected, rel=1e-6, abs=1e-8)
    with pytest.raises(ValueError, match=r"gradient \(1 x .*\) must match the output \(2 x "):
        activation.backward(grad[:1])
    # a matrix still goes through as a matrix
    assert activation.forward([[0.5, -0.5]]) == [[activation.function(0.5), activation.function(-0.5)]]


# --- in a model: Sequential, summary, state_dict, save and load, gradcheck -------------------


def convolutional_model(seed: int = 0):
    rng = random.Random(seed)
    return pn.Sequential(
        Unflatten((1, 8, 8)), Conv2d(1, 3, 3, padding=1, rng=rng), ReLU(), MaxPool2d(2),
        Conv2d(3, 2, (2, 3), stride=(1, 2), rng=rng), Tanh(), Flatten(), pn.Dense(2 * 3 * 1, 2, rng=rng),
    )


def signal_model(seed: int = 0):
    rng = random.Random(seed)
    return pn.Sequential(
        Unflatten((1, 16)), Conv1d(1, 2, 3, stride=2, padding=1, rng=rng), LeakyReLU(0.1), AvgPool1d(2),
        MaxPool1d(2, stride=1), Flatten(), pn.Dense(2 * 3, 2, rng=rng),
    )


def test_a_convolutional_model_has_torchs_keys_and_a_summary():
    model = convolutional_model()
    assert list(model.state_dict()) == ["1.weight", "1.bias", "4.weight", "4.bias", "7.weight", "7.bias"]
    assert tensors.tensor_shape(model.state_dict()["4.weight"], "weight", 4) == (2, 3, 2, 3)
    summary = model.summary()
    assert "(batch, 3, 8, 8)" in summary and "(batch, 3, 4, 4)" in summary and "(batch, 2, 3, 1)" in summary
    assert "(batch, 6)" in summary
    assert f"Total parameters: {3 * 9 + 3 + 2 * 3 * 6 + 2 + 6 * 2 + 2}" in summary


def test_a_convolutional_model_trains_saves_and_loads_the_same(tmp_path):
    rng = random.Random(4)
    # class 1: a bright vertical bar somewhere in the image; class 0: noise only
    X, y = [], []
    for index in range(24):
        image = [[rng.uniform(0.0, 0.2) for _ in range(8)] for _ in range(8)]
        if index % 2:
            column = rng.randrange(8)
            for row in image:
                row[column] = 1.0
        X.append([value for row in image for value in row])
        y.append(index % 2)
    for model in (convolutional_model(), signal_model()):
        is_image_model = model.layers[0].shape == (1, 8, 8)
        X_model = X if is_image_model else [row[:16] for row in X]
        before = model.evaluate(X_model, y)["loss"]
        model.fit(X_model, y, optimizer=pn.Adam(model.parameters(), lr=0.02), epochs=15, batch_size=8, seed=1,
                  verbose=False)
        after = model.evaluate(X_model, y)["loss"]
        assert after < 0.8 * before
        path = tmp_path / "model.json"
        model.save(path)
        loaded = pn.load(path)
        assert repr(loaded) == repr(model)
        assert loaded.state_dict() == model.state_dict()
        assert_close(loaded.predict_proba(X_model), model.predict_proba(X_model), rel=0.0, abs=0.0)
        copy = convolutional_model(seed=9) if is_image_model else signal_model(seed=9)
        copy.load_state_dict(model.state_dict())
        assert_close(copy.predict_proba(X_model), model.predict_proba(X_model), rel=0.0, abs=0.0)


def test_gradcheck_passes_on_convolutional_models_and_layers():
    rng = random.Random(6)
    X = [[rng.uniform(-1.0, 1.0) for _ in range(64)] for _ in range(3)]
    errors = pn.gradcheck(convolutional_model(), X, [0, 1, 1])
    assert set(errors) == {"input", "1.Conv2d.weight", "1.Conv2d.bias", "4.Conv2d.weight", "4.Conv2d.bias",
                           "7.Dense.weight", "7.Dense.bias"}
    assert max(errors.values()) < 1e-6
    assert max(pn.gradcheck(signal_model(), [row[:16] for row in X], [1, 0, 1]).values()) < 1e-6
    images = random_tensor(rng, (2, 2, 5, 6))
    for layer in (Conv2d(2, 3, (2, 3), stride=2, padding=1, rng=1), MaxPool2d(2), AvgPool2d((2, 3), 1), Flatten()):
        errors = pn.gradcheck(layer, images)
        assert max(errors.values()) < 1e-6, (layer, errors)
    assert max(pn.gradcheck(Conv1d(2, 2, 3, rng=2), random_tensor(rng, (2, 2, 7))).values()) < 1e-6


def test_a_broken_gradient_fails_gradcheck():
    # the check can fail: a Conv2d whose weight gradient is doubled is caught
    layer = Conv2d(1, 1, 2, rng=3)
    original = layer._backward_images

    def doubled(grad, input_gradient):
        result = original(grad, input_gradient)
        layer.weight.grad = tensors.reshape([2.0 * v for v in tensors.flatten(layer.weight.grad)], (1, 1, 2, 2))
        return result

    layer._backward_images = doubled
    errors = pn.gradcheck(layer, random_tensor(random.Random(1), (1, 1, 3, 3)))
    assert errors["weight"] > 0.1 and errors["bias"] < 1e-6


def test_sequential_compares_widths_only_where_it_can():
    # Dense(16, 16) -> Unflatten -> Conv1d -> Flatten -> Dense(28, 2): 16 and 28 are not compared across the reshape
    model = pn.Sequential(pn.Dense(16, 16), Unflatten((1, 16)), Conv1d(1, 2, 3), Flatten(), pn.Dense(28, 2))
    assert len(model.forward([[0.5] * 16])[0]) == 2
    with pytest.raises(ValueError, match="needs 28 features per sample, got 30"):
        pn.Sequential(Unflatten((1, 17)), Conv1d(1, 2, 3), Flatten(), pn.Dense(28, 2)).forward([[0.5] * 17])


def test_the_gradient_self_check_covers_convolution_and_pooling():
    import io

    from purenet.selfcheck import check_everything

    output = io.StringIO()
    assert check_everything(convolutional_model(), stream=output) is True
    text = output.getvalue()
    for name in ("Conv1d", "Conv2d", "MaxPool1d", "MaxPool2d", "AvgPool1d", "AvgPool2d", "Flatten", "4.Conv2d.weight"):
        assert name in text
    assert "FAIL" not in text


@pytest.mark.parametrize("seed", range(4))
def test_input_gradient_is_a_full_correlation_with_the_flipped_kernel(seed):
    # stride 1, no padding: dL/dx[c][u] = sum_{o,k} G[o][u - k] w[o][c][k], a cross-correlation of G padded
    # with K - 1 zeros and the kernel flipped (and its in and out swapped): a true convolution of G with w
    rng = random.Random(500 + seed)
    channels, out_channels, kernel = rng.randint(1, 3), rng.randint(1, 3), rng.randint(1, 4)
    layer = Conv1d(channels, out_channels, kernel, rng=rng)
    x = random_tensor(rng, (2, channels, rng.randint(kernel, 9)))
    grad = random_tensor(rng, tensors.tensor_shape(layer.forward(x), "y", 3))
    transposed = Conv1d(out_channels, channels, kernel, padding=kernel - 1)
    for c in range(channels):
        for o in range(out_channels):
            transposed.weight[c][o][:] = layer.weight[o][c][::-1]
    transposed.bias[:] = [0.0] * channels
    assert_close(layer.backward(grad), transposed.forward(grad))
