"""Dropout: the mask, the 1/(1 - p) scaling, the expectation, evaluation mode and gradient checks.

Against torch's own mask: test_toolbox_torch.py.
"""

from __future__ import annotations

import random

import pytest

import purenet as pn
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


def test_gradient_with_the_mask_fixed() -> None:
    layer = pn.Dropout(0.3, rng=5)
    x = _batch(3)
    layer.forward(x)
    layer.fixed_mask = layer.mask
    upstream = _batch(4)
    analytic = layer.backward(upstream)
    numeric = central_difference(
        lambda: sum(g * v for g_row, v_row in zip(upstream, layer.forward(x)) for g, v in zip(g_row, v_row)), x
    )
    assert_close(analytic, numeric, rel=1e-6, abs=1e-8)
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
