"""Tests for purenet.selfcheck: every layer and loss gradient-checked, and a broken one caught."""

from __future__ import annotations

import io
import random
import re

import pytest

import purenet as pn
from purenet.selfcheck import check_everything, model_inputs


class DoubledWeightGradientDense(pn.Dense):
    """A deliberately broken layer: its backward doubles the weight gradient."""

    def backward(self, grad, input_gradient=True):
        result = super().backward(grad, input_gradient)
        self.weight.grad = [[2.0 * value for value in row] for row in self.weight.grad]
        return result


class WrongDerivativeTanh(pn.Tanh):
    """A deliberately broken activation: 1 - y instead of 1 - y^2."""

    def derivative(self, x, y):
        return 1.0 - y


def run(model=None, tolerance: float = 1e-6) -> tuple[bool, str]:
    stream = io.StringIO()
    result = check_everything(model, stream=stream, tolerance=tolerance)
    return result, stream.getvalue()


def report_lines(text: str) -> list[tuple[str, str, float, str]]:
    """(component, parameter, error, PASS/FAIL) for every line of the table."""
    rows = re.findall(r"^(\S+) +(\S+) +(\d\.\d\de[-+]\d\d)  (PASS|FAIL)$", text, re.MULTILINE)
    return [(component, parameter, float(error), verdict) for component, parameter, error, verdict in rows]


def test_every_layer_and_loss_passes():
    result, text = run()
    assert result is True
    assert text.splitlines()[0].split() == ["component", "parameter", "rel.", "error", "result"]
    rows = report_lines(text)
    components = {component for component, _, _, _ in rows}
    for name in ("Dense", "Identity", "ReLU", "LeakyReLU(alpha=0.01)", "Sigmoid", "Tanh", "Softmax",
                 "SoftmaxCrossEntropy", "ProbabilityCrossEntropy", "MeanSquaredError"):
        assert name in components
    assert {parameter for component, parameter, _, _ in rows if component == "Dense"} == {"input", "weight", "bias"}
    assert all(verdict == "PASS" and error < 1e-8 for _, _, error, verdict in rows)
    assert "FAIL" not in text
    assert text.rstrip().endswith("pass (relative error <= 1e-06)")


def test_a_whole_model_is_checked():
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(3, 5, rng=rng), pn.ReLU(), pn.Dense(5, 4, rng=rng))
    result, text = run(model)
    assert result is True
    model_rows = [row for row in report_lines(text) if row[0] == "model"]
    assert [parameter for _, parameter, _, _ in model_rows] == [
        "input", "0.Dense.weight", "0.Dense.bias", "2.Dense.weight", "2.Dense.bias"
    ]
    assert all(verdict == "PASS" for _, _, _, verdict in model_rows)


def test_a_broken_layer_fails():
    rng = random.Random(1)
    model = pn.Sequential(DoubledWeightGradientDense(2, 4, rng=rng), pn.Tanh(), pn.Dense(4, 3, rng=rng))
    result, text = run(model)
    assert result is False
    verdicts = {(component, parameter): (error, verdict) for component, parameter, error, verdict in report_lines(text)}
    error, verdict = verdicts[("model", "0.DoubledWeightGradientDense.weight")]
    assert verdict == "FAIL" and error == pytest.approx(0.5, abs=1e-6)  # max|2g - g| / max|2g|
    assert verdicts[("model", "0.DoubledWeightGradientDense.bias")][1] == "PASS"
    assert [key for key, (_, verdict) in verdicts.items() if verdict == "FAIL"] == [("model", "0.DoubledWeightGradientDense.weight")]
    assert "FAIL: 1 of 21 components" in text


def test_a_broken_activation_fails_on_its_input_gradient():
    rng = random.Random(2)
    model = pn.Sequential(pn.Dense(2, 4, rng=rng), WrongDerivativeTanh(), pn.Dense(4, 3, rng=rng))
    result, text = run(model)
    assert result is False
    failing = [(component, parameter) for component, parameter, _, verdict in report_lines(text) if verdict == "FAIL"]
    assert ("model", "0.Dense.weight") in failing and ("model", "input") in failing


def test_a_saved_model_can_be_checked_by_path(tmp_path):
    rng = random.Random(3)
    path = tmp_path / "model.json"
    pn.Sequential(pn.Dense(2, 3, rng=rng), pn.Sigmoid(), pn.Dense(3, 2, rng=rng)).save(path)
    assert run(str(path))[0] is True
    assert run(path)[0] is True


def test_a_model_ending_in_softmax_is_checked_with_cross_entropy():
    rng = random.Random(4)
    model = pn.Sequential(pn.Dense(2, 3, rng=rng), pn.LeakyReLU(), pn.Dense(3, 3, rng=rng), pn.Softmax())
    result, text = run(model)
    assert result is True
    assert any(row[0] == "model" and row[1] == "2.Dense.weight" for row in report_lines(text))


def test_tolerance_is_applied():
    result, text = run(tolerance=0.0)  # no finite difference is exact
    assert result is False
    assert "FAIL" in text


def test_model_inputs_have_the_right_width_and_avoid_kinks():
    rng = random.Random(5)
    model = pn.Sequential(pn.Dense(6, 8, rng=rng), pn.ReLU(), pn.Dense(8, 3, rng=rng))
    inputs, targets = model_inputs(model, random.Random(6))
    assert all(len(row) == 6 for row in inputs)
    assert all(0 <= target < 3 for target in targets) and len(targets) == len(inputs)
    hidden = model.layers[0].forward(inputs)
    assert min(abs(value) for row in hidden for value in row) >= 1e-3


def test_a_model_without_dense_layers_is_refused():
    with pytest.raises(ValueError, match="no Dense layer"):
        check_everything(pn.Sequential(pn.ReLU()), stream=io.StringIO())
    with pytest.raises(TypeError, match="must be a Sequential or a path"):
        check_everything(42, stream=io.StringIO())


def test_prints_to_standard_output_by_default(capsys):
    assert check_everything() is True
    assert "SoftmaxCrossEntropy" in capsys.readouterr().out


def test_runs_are_reproducible():
    assert run()[1] == run()[1]
