"""Dropout: the mask, the 1/(1 - p) scaling, the expectation, evaluation mode and gradient checks.

Against torch's own mask: test_toolbox_torch.py.
"""

from __future__ import annotations

import random

import pytest

import purenet as pn
from purenet import matrices
from purenet.matrices import tensors
from conftest import assert_close, central_difference


def _batch(seed: int, rows: int = 4, columns: int = 5) -> list:
    rng = random.Random(seed)
    return [[rng.uniform(-2.0, 2.0) for _ in range(columns)] for _ in range(rows)]


def test_kept_values_are_scaled_and_dropped_values_are_zero() -> None:
    layer = pn.Dropout(0.25, rng=1)
    x = _batch(0)
    y = layer.forward(x)
    for x_row, y_row, mask_row in zip(x, y, layer.mask):
        for value, output, kept in zip(x_row, y_row, mask_row):
            assert_close(output, value / 0.75 if kept else 0.0)
    assert 0.0 in {kept for row in layer.mask for kept in row}


def test_expectation_is_the_input() -> None:
    """E[y] = x (docs/regularisation.md): the mean over many masks is within 4 standard errors of x."""
    layer, p, draws = pn.Dropout(0.4, rng=7), 0.4, 20000
    total = sum(layer.forward([[3.0]])[0][0] for _ in range(draws))
    # var(y) = x^2 p / (1 - p), so the standard error of the mean is 3 sqrt(p / (1 - p) / draws)
    standard_error = 3.0 * (p / (1.0 - p) / draws) ** 0.5
    assert abs(total / draws - 3.0) < 4.0 * standard_error


def test_evaluation_mode_is_the_identity_and_passes_gradients() -> None:
    layer = pn.Dropout(0.9, rng=3).eval()
    x = _batch(1)
    assert layer.forward(x) == x
    assert layer.backward(x) == x


def test_same_seed_same_masks() -> None:
    first, second = pn.Dropout(0.5, rng=11), pn.Dropout(0.5, rng=11)
    assert first.forward(_batch(2)) == second.forward(_batch(2))


def _backward_against_finite_differences(layer: pn.Dropout, x: list, upstream: list) -> list:
    """Draw a mask, fix it, and check backward against central differences of sum(upstream * forward(x)).

    Returns the analytic gradient.  x may be a table (batch x features) or a convolution's batch.
    """
    layer.forward(x)
    layer.fixed_mask = layer.mask
    analytic = layer.backward(upstream)

    def loss() -> float:
        return sum(
            g * v for g_row, v_row in zip(tensors.innermost_rows(upstream), tensors.innermost_rows(layer.forward(x)))
            for g, v in zip(g_row, v_row)
        )

    # innermost_rows gives the tensor's own rows, so central_difference moves the values of x in place.
    numeric = central_difference(loss, tensors.innermost_rows(x))
    assert_close(tensors.innermost_rows(analytic), numeric, rel=1e-6, abs=1e-8)
    return analytic


def test_gradient_with_the_mask_fixed() -> None:
    layer = pn.Dropout(0.3, rng=5)
    x = _batch(3)
    _backward_against_finite_differences(layer, x, _batch(4))
    assert max(pn.gradcheck(layer, x).values()) < 1e-6


def test_p_one_drops_everything_and_p_zero_nothing() -> None:
    x = _batch(5)
    assert pn.Dropout(1.0, rng=0).forward(x) == [[0.0] * 5 for _ in range(4)]
    assert pn.Dropout(0.0, rng=0).forward(x) == x


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: pn.Dropout(1.5), ValueError, "p must be a probability"),
        (lambda: pn.Dropout(-0.1), ValueError, "p"),
        (lambda: pn.Dropout(0.5, rng="seed"), TypeError, "rng"),
    ],
)
def test_bad_arguments(make, error, message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def test_model_modes_and_predict_restores_training() -> None:
    model = pn.Sequential(pn.Dense(5, 3, rng=1), pn.Dropout(0.5, rng=2), pn.Dense(3, 2, rng=3))
    x = _batch(6)
    assert model.predict(x) == model.eval().predict(x)  # predict drops nothing
    model.train()
    first = model.predict_proba(x)
    assert model.layers[1].training  # the mode is given back
    assert_close(first, model.predict_proba(x))
    assert not model.eval().layers[1].training
    with pytest.raises(TypeError, match="mode"):
        model.train("no")


def _images(seed: int, batch: int = 2, channels: int = 3, height: int = 2, width: int = 2) -> list:
    """A convolution's batch: batch x channels x height x width."""
    rng = random.Random(seed)
    return [
        [[[rng.uniform(-2.0, 2.0) for _ in range(width)] for _ in range(height)] for _ in range(channels)]
        for _ in range(batch)
    ]


def test_a_convolution_s_batch_keeps_its_shape_and_each_value_is_kept_or_dropped_on_its_own() -> None:
    layer = pn.Dropout(0.5, rng=4)
    x = _images(7)
    y = layer.forward(x)
    assert tensors.tensor_shape(y, "y", 4) == (2, 3, 2, 2)
    assert matrices.shape(layer.mask) == (2, 12)  # one row per sample, read flat
    for x_row, y_row, mask_row in zip(tensors.samples_as_rows(x), tensors.samples_as_rows(y), layer.mask):
        for value, output, kept in zip(x_row, y_row, mask_row):
            assert_close(output, value * 2.0 if kept else 0.0)
    assert {kept for row in layer.mask for kept in row} == {0.0, 1.0}


def test_gradient_through_a_convolution_s_batch_with_the_mask_fixed() -> None:
    analytic = _backward_against_finite_differences(pn.Dropout(0.3, rng=5), _images(8), _images(9))
    assert tensors.tensor_shape(analytic, "gradient", 4) == (2, 3, 2, 2)


def test_a_gradient_of_another_shape_is_named_with_both_shapes() -> None:
    layer = pn.Dropout(0.5, rng=6)
    layer.forward(_images(10))
    with pytest.raises(ValueError, match=r"must match the output \(2 x 3 x 2 x 2\), got \(2 x 12\)"):
        layer.backward([[1.0] * 12, [1.0] * 12])


def test_a_convolutional_network_with_dropout_trains_and_predicts_without_it() -> None:
    model = pn.Sequential(
        pn.Unflatten((1, 4, 4)), pn.Conv2d(1, 2, 3, rng=1), pn.ReLU(), pn.Dropout(0.5, rng=2), pn.Flatten(),
        pn.Dense(2 * 2 * 2, 2, rng=3),
    )
    rng = random.Random(11)
    images = [[rng.uniform(0.0, 1.0) for _ in range(16)] for _ in range(8)]  # 4 x 4 images, read flat
    labels = [index % 2 for index in range(8)]
    before = [list(row) for row in model.layers[5].weight]
    model.fit(images, labels, optimizer=pn.SGD(model.parameters(), lr=0.1), epochs=2, batch_size=4, verbose=0)
    assert max(abs(a - b) for row_a, row_b in zip(before, model.layers[5].weight) for a, b in zip(row_a, row_b)) > 0
    assert_close(model.predict_proba(images), model.predict_proba(images))  # evaluation draws no mask
