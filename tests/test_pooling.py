"""MaxPool1d/2d and AvgPool1d/2d against plain loops and central differences (standard library only).

The fast kernels are compared with the textbook loops of
purenet/matrices/pooling.py on random windows and strides (overlapping
and not); the gradients with central differences; the gradient rules of
docs/convolution.md (to the maximum, the first on a tie; spread evenly)
with numbers worked by hand. PyTorch's own numbers:
tests/test_convolution_torch.py.
"""

from __future__ import annotations

import math
import random

import pytest
from conftest import assert_close
from test_convolution import numerical_gradient, random_tensor, weighted_sum

from purenet.layers.pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from purenet.matrices import pooling as kernels
from purenet.matrices import tensors


def random_window(rng: random.Random) -> tuple[tuple[int, int], tuple[int, int], tuple[int, int, int, int]]:
    kernel = (rng.randint(1, 3), rng.randint(1, 3))
    stride = (rng.randint(1, 3), rng.randint(1, 3))
    shape = (rng.randint(1, 3), rng.randint(1, 3), rng.randint(kernel[0], 7), rng.randint(kernel[1], 7))
    return kernel, stride, shape


@pytest.mark.parametrize("seed", range(12))
def test_max_pool2d_matches_the_textbook_loops(seed):
    rng = random.Random(seed)
    kernel, stride, shape = random_window(rng)
    x = random_tensor(rng, shape)
    layer = MaxPool2d(kernel, stride)
    y = layer.forward(x)
    assert_close(y, kernels.reference_max_pool2d(x, kernel, stride))
    grad = random_tensor(rng, tensors.tensor_shape(y, "y", 4))
    assert_close(layer.backward(grad), kernels.reference_max_pool2d_backward(x, grad, kernel, stride))


@pytest.mark.parametrize("seed", range(12))
def test_avg_pool2d_matches_the_textbook_loops(seed):
    rng = random.Random(50 + seed)
    kernel, stride, shape = random_window(rng)
    x = random_tensor(rng, shape)
    layer = AvgPool2d(kernel, stride)
    y = layer.forward(x)
    assert_close(y, kernels.reference_avg_pool2d(x, kernel, stride))
    grad = random_tensor(rng, tensors.tensor_shape(y, "y", 4))
    assert_close(layer.backward(grad), kernels.reference_avg_pool2d_backward(shape, grad, kernel, stride))


@pytest.mark.parametrize("seed", range(6))
def test_pool1d_is_the_textbook_loop_on_height_one(seed):
    rng = random.Random(80 + seed)
    kernel, stride = rng.randint(1, 4), rng.randint(1, 4)
    x = random_tensor(rng, (rng.randint(1, 3), rng.randint(1, 3), rng.randint(kernel, 11)))
    images = [[[channel] for channel in sample] for sample in x]
    for layer, reference in ((MaxPool1d(kernel, stride), kernels.reference_max_pool2d),
                             (AvgPool1d(kernel, stride), kernels.reference_avg_pool2d)):
        expected = reference(images, (1, kernel), (1, stride))
        assert_close(layer.forward(x), [[channel[0] for channel in sample] for sample in expected])


@pytest.mark.parametrize("layer_class", [MaxPool2d, AvgPool2d])
@pytest.mark.parametrize("seed", range(4))
def test_pool2d_gradients_match_central_differences(layer_class, seed):
    rng = random.Random(300 + seed)
    kernel, stride, shape = random_window(rng)
    layer = layer_class(kernel, stride)
    x = random_tensor(rng, shape)  # distinct random values: no window has a tie within the step 1e-6
    grad = random_tensor(rng, tensors.tensor_shape(layer.forward(x), "y", 4))
    expected = numerical_gradient(lambda: weighted_sum(layer.forward(x), grad), x)
    layer.forward(x)
    assert_close(layer.backward(grad), expected, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("layer_class", [MaxPool1d, AvgPool1d])
@pytest.mark.parametrize("seed", range(4))
def test_pool1d_gradients_match_central_differences(layer_class, seed):
    rng = random.Random(400 + seed)
    kernel, stride = rng.randint(1, 4), rng.randint(1, 4)
    layer = layer_class(kernel, stride)
    x = random_tensor(rng, (2, 2, rng.randint(kernel, 10)))
    grad = random_tensor(rng, tensors.tensor_shape(layer.forward(x), "y", 3))
    expected = numerical_gradient(lambda: weighted_sum(layer.forward(x), grad), x)
    layer.forward(x)
    assert_close(layer.backward(grad), expected, rel=1e-6, abs=1e-8)


# --- the rules of docs/convolution.md, by hand -------------------------------------------


def test_max_pool_sends_the_gradient_to_the_first_maximum_on_a_tie():
    layer = MaxPool1d(4)
    assert layer.forward([[[1.0, 3.0, 3.0, 2.0]]]) == [[[3.0]]]
    assert layer.backward([[[5.0]]]) == [[[0.0, 5.0, 0.0, 0.0]]]
    square = MaxPool2d(2)
    square.forward([[[[0.0, 7.0], [7.0, 7.0]]]])
    assert square.backward([[[[1.0]]]]) == [[[[0.0, 1.0], [0.0, 0.0]]]]


def test_overlapping_max_windows_add_up_where_one_value_wins_twice():
    # windows (0, 1, 2) and (2, 3, 4) with stride 2 both pick the 9 at position 2
    layer = MaxPool1d(3, stride=2)
    assert layer.forward([[[1.0, 2.0, 9.0, 4.0, 5.0]]]) == [[[9.0, 9.0]]]
    assert layer.backward([[[10.0, 100.0]]]) == [[[0.0, 0.0, 110.0, 0.0, 0.0]]]


def test_avg_pool_spreads_the_gradient_evenly():
    layer = AvgPool2d((1, 2))
    assert_close(layer.forward([[[[1.0, 2.0, 3.0, 5.0]]]]), [[[[1.5, 4.0]]]])
    assert_close(layer.backward([[[[4.0, 10.0]]]]), [[[[2.0, 2.0, 5.0, 5.0]]]])


def test_stride_defaults_to_the_kernel_size_and_leftovers_are_dropped():
    layer = AvgPool1d(2)
    assert layer.stride == (1, 2)
    assert_close(layer.forward([[[1.0, 3.0, 5.0, 7.0, 100.0]]]), [[[2.0, 6.0]]])  # floor((5 - 2) / 2) + 1 = 2
    assert_close(layer.backward([[[1.0, 1.0]]]), [[[0.5, 0.5, 0.5, 0.5, 0.0]]])
    assert MaxPool2d((2, 3)).stride == (2, 3)
    assert MaxPool2d(2, stride=1).output_shape((4, 5, 6)) == (4, 4, 5)
    assert MaxPool1d(4).output_shape((3, 1024)) == (3, 256)


# --- bad input ---------------------------------------------------------------------------


def test_bad_arguments_and_inputs_are_named():
    with pytest.raises(ValueError, match="MaxPool2d: kernel_size must be a positive integer, got 0"):
        MaxPool2d(0)
    with pytest.raises(TypeError, match="AvgPool1d: kernel_size must be a positive integer, got"):
        AvgPool1d((2, 2))
    with pytest.raises(ValueError, match="MaxPool1d: stride must be a positive integer or None, got 0"):
        MaxPool1d(2, stride=0)
    with pytest.raises(ValueError, match=r"is too small: length 1 is less than the window's 2"):
        MaxPool1d(2).forward([[[1.0]]])
    with pytest.raises(TypeError, match="must be a 4-dimensional tensor"):
        MaxPool2d(2).forward([[[1.0, 2.0]]])
    with pytest.raises(RuntimeError, match="AvgPool2d.backward called before forward"):
        AvgPool2d(2).backward([[[[1.0]]]])
    layer = MaxPool2d(2)
    layer.forward([[[[1.0, 2.0], [3.0, 4.0]]]])
    with pytest.raises(ValueError, match=r"gradient \(1 x 2 x 1 x 1\) must match the output \(1 x 1 x 1 x 1\)"):
        layer.backward([[[[1.0]], [[1.0]]]])
    assert repr(MaxPool2d(2)) == "MaxPool2d(kernel_size=2, stride=2)"
    assert repr(AvgPool2d((2, 3), 1)) == "AvgPool2d(kernel_size=(2, 3), stride=1)"
    assert repr(MaxPool1d(3)) == "MaxPool1d(kernel_size=3, stride=3)"



def test_max_pool_passes_nan_on_as_pytorch_does():
    # max() alone would answer 3.0 here: NaN compares false with everything
    nan = float("nan")
    layer = MaxPool1d(4)
    output = layer.forward([[[1.0, nan, 3.0, nan, 0.0, 1.0, 2.0, 0.5]]])
    assert math.isnan(output[0][0][0]) and output[0][0][1] == 2.0
    assert layer.backward([[[1.0, 1.0]]]) == [[[0.0, 0.0, 0.0, 1.0, 0.0, 0.0, 1.0, 0.0]]]
