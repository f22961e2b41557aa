"""Tests for purenet.explain: the worked example prints real numbers, with their formulas, in 80 columns."""

from __future__ import annotations

import io
import itertools
import math
import re

import pytest

import purenet as pn
from purenet import explain as explain_module
from purenet.explain import ACTIVATIONS, LOSSES, explain
from purenet.layers.dense import Dense


def run(activation: str = "leaky_relu", loss: str = "softmax_cross_entropy") -> tuple[bool, str]:
    stream = io.StringIO()
    result = explain(activation, loss, stream=stream)
    return result, stream.getvalue()


def logical_lines(text: str) -> list[str]:
    """Join each equation with its continuation lines (which start with spaces and "= ")."""
    joined: list[str] = []
    for line in text.splitlines():
        continues = line.startswith(" ") and line.lstrip().startswith("= ")
        if joined and (continues or joined[-1].endswith("+")):
            joined[-1] += " " + line.strip()
        else:
            joined.append(line)
    return joined


def printed_values(text: str) -> dict[str, float]:
    """name -> the final number of its equation, e.g. {"z1[0][0]": -0.15, "dW2[1][0]": ...}."""
    values = {}
    for line in logical_lines(text):
        match = re.match(r"^(\S+) (=|<-) .* = (-?\d+\.\d+)$", line)
        if match:
            values[match.group(1) if match.group(2) == "=" else "new " + match.group(1)] = float(match.group(3))
    return values


def reference(activation_layer: pn.Layer, loss: pn.Loss) -> dict:
    """The same network built independently, with its forward values and gradients."""
    hidden, output = pn.Dense(2, 2), pn.Dense(2, 2)
    hidden.weight[:] = [list(row) for row in explain_module.HIDDEN_WEIGHT]
    hidden.bias[:] = list(explain_module.HIDDEN_BIAS)
    output.weight[:] = [list(row) for row in explain_module.OUTPUT_WEIGHT]
    output.bias[:] = list(explain_module.OUTPUT_BIAS)
    model = pn.Sequential(hidden, activation_layer, output)
    inputs, targets = [list(row) for row in explain_module.INPUTS], list(explain_module.TARGETS)
    value = loss.forward(model.forward(inputs), targets)
    model.backward(loss.backward())
    return {"model": model, "loss": value, "inputs": inputs, "targets": targets}


ALL_OPTIONS = list(itertools.product(ACTIVATIONS, LOSSES))


def test_default_explanation_shows_every_step():
    result, text = run()
    assert result is True
    for heading in ("1. Forward pass", "2. Backward pass", "3. Check every gradient with finite differences",
                    "4. One step of gradient descent", "Verdict"):
        assert heading in text
    # a forward formula with the numbers put in, exactly as the issue shows it
    assert "z1[0][0] = W1[0][0]*x[0][0] + W1[0][1]*x[0][1] + b1[0]\n" in text
    assert "         = 0.1000*0.5000 + (-0.2000)*1.0000 + 0.0000 = -0.1500\n" in text
    assert "h[0][0] = f(z1[0][0]) = 0.01*(-0.1500) (z <= 0) = -0.0015" in text
    assert "p[0][0] = e[0][0] / s[0]" in text
    assert "L = -(1/N) sum_n log p[n][t_n]" in text
    # the backward pass: every gradient, each with its formula
    for name in ("dz2[0][0]", "dz2[1][1]", "dW2[0][0]", "dW2[1][1]", "db2[0]", "dh[0][0]", "dh[1][1]",
                 "dz1[0][0]", "dz1[1][1]", "dW1[0][0]", "dW1[1][1]", "db1[0]", "db1[1]"):
        assert re.search(rf"^{re.escape(name)} = ", text, re.MULTILINE), name
    assert "dz2[0][0] = (p[0][0] - t[0][0]) / N" in text
    assert "dW1[0][0] = dz1[0][0]*x[0][0] + dz1[1][0]*x[1][0]" in text
    # the finite-difference confirmation and purenet.gradcheck's verdict
    assert "dL/dw ~ (L(w + h) - L(w - h)) / (2h)" in text
    assert re.search(r"^model +0\.Dense\.weight +\S+  PASS$", text, re.MULTILINE)
    # one SGD update
    assert "W1[0][0] <- W1[0][0] - lr*dW1[0][0] = 0.1000 - 0.5*" in text
    assert "loss before the step" in text


@pytest.mark.parametrize(("activation", "loss"), ALL_OPTIONS)
def test_every_option_runs_and_fits_80_columns(activation, loss):
    result, text = run(activation, loss)
    assert result is True
    assert "!!" not in text and "FAIL" not in text
    too_long = [line for line in text.splitlines() if len(line) > 80]
    assert not too_long
    assert len(re.findall(r"  PASS$", text, re.MULTILINE)) == 5  # the input and the four parameter tensors


@pytest.mark.parametrize(("activation", "loss"), ALL_OPTIONS)
def test_printed_values_are_purenets(activation, loss):
    layers = {"relu": pn.ReLU(), "leaky_relu": pn.LeakyReLU(), "sigmoid": pn.Sigmoid(), "tanh": pn.Tanh(), "linear": pn.Identity()}
    loss_function = pn.SoftmaxCrossEntropy() if loss == "softmax_cross_entropy" else pn.MeanSquaredError()
    expected = reference(layers[activation], loss_function)
    model = expected["model"]
    _, text = run(activation, loss)
    values = printed_values(text)
    z1 = model.layers[0].forward(expected["inputs"])
    h = model.layers[1].forward(z1)
    z2 = model.layers[2].forward(h)
    for n in range(2):
        for j in range(2):
            assert values[f"z1[{n}][{j}]"] == pytest.approx(z1[n][j], abs=5.1e-5)
            assert values[f"h[{n}][{j}]"] == pytest.approx(h[n][j], abs=5.1e-5)
            assert values[f"z2[{n}][{j}]"] == pytest.approx(z2[n][j], abs=5.1e-5)
    loss_line = next(line for line in logical_lines(text) if line.startswith("L = "))
    assert float(loss_line.rsplit("= ", 1)[1]) == pytest.approx(expected["loss"], abs=5.1e-7)
    for level, layer in (("1", model.layers[0]), ("2", model.layers[2])):
        for j in range(2):
            assert values[f"db{level}[{j}]"] == pytest.approx(layer.bias.grad[j], abs=5.1e-5)
            assert values[f"new b{level}[{j}]"] == pytest.approx(layer.bias[j] - 0.5 * layer.bias.grad[j], abs=5.1e-5)
            for i in range(2):
                gradient = layer.weight.grad[j][i]
                assert values[f"dW{level}[{j}][{i}]"] == pytest.approx(gradient, abs=5.1e-5)
                new = layer.weight[j][i] - 0.5 * gradient
                assert values[f"new W{level}[{j}][{i}]"] == pytest.approx(new, abs=5.1e-5)


def test_finite_difference_table_confirms_every_gradient():
    _, text = run("tanh", "softmax_cross_entropy")
    rows = re.findall(r"^d([Wb][12]\S*) +(-?\d+\.\d+) +(-?\d+\.\d+) +(\S+)$", text, re.MULTILINE)
    assert len(rows) == 12  # 4 + 2 + 4 + 2 parameters
    for name, backprop, numeric, difference in rows:
        assert float(backprop) == pytest.approx(float(numeric), abs=2e-8), name
        assert float(difference) < 1e-8


def test_sgd_step_lowers_the_loss():
    for activation, loss in ALL_OPTIONS:
        _, text = run(activation, loss)
        match = re.search(r"loss before the step (\d+\.\d+), after (\d+\.\d+) \(lower", text)
        assert match and float(match.group(2)) < float(match.group(1)), (activation, loss)


def test_relu_shows_the_zero_slope():
    _, text = run("relu")
    assert "f'(z1[0][0]) = 0 (z <= 0) = 0.0000" in text
    assert "h[0][0] = f(z1[0][0]) = max(0, -0.1500) = 0.0000" in text
    assert re.search(r"^dz1\[0\]\[0\] = .* = (-)?0\.0000$", text, re.MULTILINE)


def test_mean_squared_error_uses_one_hot_targets_and_n_times_k():
    _, text = run("sigmoid", "mean_squared_error")
    assert "t[0] = [1, 0]" in text and "t[1] = [0, 1]" in text
    assert "L = (1/(N*K)) sum_n sum_k (z2[n][k] - t[n][k])^2" in text
    assert "dz2[0][0] = 2*(z2[0][0] - t[0][0]) / (N*K)" in text
    assert "f'(z1[0][0]) = 0.4626*(1 - 0.4626) = 0.2486" in text


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"activation": "softplus"}, "activation must be one of relu, leaky_relu, sigmoid, tanh, linear, got 'softplus'"),
        ({"loss": "hinge"}, "loss must be one of softmax_cross_entropy, mean_squared_error, got 'hinge'"),
        ({"activation": "ReLU"}, "got 'ReLU'"),
    ],
)
def test_bad_option_raises_naming_the_choices(arguments, message):
    with pytest.raises(ValueError, match=re.escape(message)):
        explain(**arguments, stream=io.StringIO())


def test_prints_to_standard_output_by_default(capsys):
    assert explain() is True
    assert "1. Forward pass" in capsys.readouterr().out


def test_a_wrong_gradient_is_caught(monkeypatch):
    original = Dense.backward

    def doubled_weight_gradient(self, grad, input_gradient=True):
        result = original(self, grad, input_gradient)
        self.weight.grad = [[2.0 * value for value in row] for row in self.weight.grad]
        return result

    monkeypatch.setattr(Dense, "backward", doubled_weight_gradient)
    result, text = run()
    assert result is False
    assert "!! dW2[0][0]: by hand" in text  # the formula recomputed by hand disagrees
    assert re.search(r"^model +0\.Dense\.weight +\S+  FAIL$", text, re.MULTILINE)
    assert "FAIL: some gradient or value does not agree" in text
    assert all(len(line) <= 80 for line in text.splitlines())


def test_explain_leaves_no_state_behind():
    first = run("tanh", "mean_squared_error")[1]
    second = run("tanh", "mean_squared_error")[1]
    assert first == second
    assert explain_module.HIDDEN_WEIGHT == ((0.1, -0.2), (0.4, 0.3))
    assert not math.isnan(float(printed_values(first)["dW1[0][0]"]))
