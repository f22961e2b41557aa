"""BatchNorm1d: batch statistics, running statistics, evaluation mode, the backward pass, state_dict.

Against torch.nn.BatchNorm1d over 20 steps: test_toolbox_torch.py.
"""

from __future__ import annotations

import math
import random

import pytest

import purenet as pn
from conftest import assert_close, central_difference


def _batch(seed: int, rows: int = 5, columns: int = 3) -> list:
    rng = random.Random(seed)
    return [[rng.uniform(-2.0, 2.0) + column for column in range(columns)] for _ in range(rows)]


def _trained_layer(seed: int) -> pn.BatchNorm1d:
    layer = pn.BatchNorm1d(3)
    rng = random.Random(seed)
    layer.weight[:] = [rng.uniform(0.5, 2.0) for _ in range(3)]
    layer.bias[:] = [rng.uniform(-1.0, 1.0) for _ in range(3)]
    return layer


def test_training_output_has_mean_bias_and_deviation_weight() -> None:
    layer = _trained_layer(0)
    y = layer.forward(_batch(1))
    for column, weight, bias in zip(zip(*y), layer.weight, layer.bias):
        mean = sum(column) / len(column)
        variance = sum((value - mean) ** 2 for value in column) / len(column)
        assert_close(mean, bias, abs=1e-12)
        assert_close(math.sqrt(variance), weight, rel=1e-5)  # eps = 1e-5 shrinks it slightly


def test_running_statistics_use_the_unbiased_variance() -> None:
    layer = pn.BatchNorm1d(3, momentum=0.2)
    x = _batch(2)
    layer.forward(x)
    for j, column in enumerate(zip(*x)):
        mean = sum(column) / 5
        unbiased = sum((value - mean) ** 2 for value in column) / 4
        assert_close(layer.running_mean[j], 0.2 * mean)
        assert_close(layer.running_var[j], 0.8 + 0.2 * unbiased)
    assert layer.num_batches_tracked == 1


def test_evaluation_uses_running_statistics_and_leaves_them() -> None:
    layer = _trained_layer(3)
    layer.running_mean[:] = [0.5, -1.0, 2.0]
    layer.running_var[:] = [4.0, 1.0, 0.25]
    layer.eval()
    x = _batch(4)
    y = layer.forward(x)
    for row, out in zip(x, y):
        for j in range(3):
            expected = (row[j] - layer.running_mean[j]) / math.sqrt(layer.running_var[j] + 1e-5)
            assert_close(out[j], layer.weight[j] * expected + layer.bias[j])
    assert list(layer.running_mean) == [0.5, -1.0, 2.0]


@pytest.mark.parametrize("training", [True, False])
def test_backward_equals_central_differences(training: bool) -> None:
    layer = _trained_layer(5).train(training)
    layer.running_var[:] = [0.5, 2.0, 1.5]
    x, upstream = _batch(6), _batch(7)
    layer.forward(x)
    analytic_input = layer.backward(upstream)

    def objective() -> float:
        saved = list(layer.running_mean), list(layer.running_var)
        output = layer.forward(x)
        layer.running_mean[:], layer.running_var[:] = saved  # the statistics must not drift between differences
        return sum(g * v for g_row, v_row in zip(upstream, output) for g, v in zip(g_row, v_row))

    assert_close(analytic_input, central_difference(objective, x), rel=1e-6, abs=1e-8)
    assert_close(layer.weight.grad, central_difference(objective, layer.weight), rel=1e-6, abs=1e-8)
    assert_close(layer.bias.grad, central_difference(objective, layer.bias), rel=1e-6, abs=1e-8)


def test_purenet_gradcheck_in_training_mode() -> None:
    layer = _trained_layer(8)
    assert max(pn.gradcheck(layer, _batch(9)).values()) < 1e-6


def test_state_dict_holds_running_statistics_under_pytorch_keys() -> None:
    model = pn.Sequential(pn.Dense(3, 3, rng=1), pn.BatchNorm1d(3))
    model.forward(_batch(10))
    saved = model.state_dict()
    assert list(saved) == [
        "0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked"
    ]
    assert saved["1.num_batches_tracked"] == 1 and type(saved["1.num_batches_tracked"]) is int
    copy = pn.Sequential(pn.Dense(3, 3, rng=2), pn.BatchNorm1d(3))
    copy.load_state_dict(saved)
    assert_close(list(copy.layers[1].running_var), saved["1.running_var"])
    assert copy.layers[1].num_batches_tracked == 1
    assert model.parameters()[2:] == [model.layers[1].weight, model.layers[1].bias]  # buffers are not trained


@pytest.mark.parametrize(
    "action, error, message",
    [
        (lambda: pn.BatchNorm1d(0), ValueError, "num_features"),
        (lambda: pn.BatchNorm1d(2, eps=0.0), ValueError, "eps"),
        (lambda: pn.BatchNorm1d(2, momentum=2.0), ValueError, "momentum"),
        (lambda: pn.BatchNorm1d(2).forward([[1.0, 2.0]]), ValueError, "batch of 1"),
        (lambda: pn.BatchNorm1d(2).forward([[1.0, 2.0, 3.0], [1.0, 2.0, 3.0]]), ValueError, "2 features"),
        (lambda: pn.BatchNorm1d(2).backward([[1.0, 2.0]]), RuntimeError, "before forward"),
    ],
)
def test_bad_input_is_explained(action, error, message: str) -> None:
    with pytest.raises(error, match=message):
        action()


def test_save_and_load_keep_running_statistics_and_dropout(tmp_path) -> None:
    model = pn.Sequential(pn.Dense(3, 3, rng=1), pn.BatchNorm1d(3, momentum=0.2), pn.ReLU(), pn.Dropout(0.25))
    model.forward(_batch(11))
    path = tmp_path / "model.json"
    model.save(str(path))
    loaded = pn.load(str(path))
    assert_close(list(loaded.state_dict().values()), list(model.state_dict().values()))
    assert (loaded.layers[1].eps, loaded.layers[1].momentum, loaded.layers[3].p) == (1e-5, 0.2, 0.25)
    x = _batch(12)
    assert_close(loaded.predict_proba(x), model.predict_proba(x))
