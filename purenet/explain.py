"""A worked example: one training step of a tiny network, every number shown.

``explain()`` builds a network with purenet's own layers and loss::

    x (2 values) -> Dense W1, b1 (2 -> 2) -> activation -> Dense W2, b2 (2 -> 2)
                 -> loss (softmax cross-entropy on the logits, or mean squared error)

with the fixed weights written below, runs it on a batch of two samples, and
prints every forward value, the loss, and every gradient of the backward pass.
Each value is printed with the formula that gives it and the numbers put into
that formula, for example::

    z1[0][0] = W1[0][0]*x[0][0] + W1[0][1]*x[0][1] + b1[0]
             = 0.1000*0.5000 + (-0.2000)*1.0000 + 0.0000 = -0.1500

The value on the right is the one purenet's code computed; the module
recomputes every formula by hand and reports any disagreement. Then every
gradient is confirmed with a central finite difference (and with
``purenet.gradcheck``), and one SGD update is shown with the loss before and
after it. Every printed line fits an 80-column terminal.

Run it with ``python -m purenet explain [--activation A] [--loss L]``.
Derivations of every formula used: docs/dense.md, docs/backpropagation.md,
docs/activations.md and docs/losses.md.
"""

from __future__ import annotations

import math
import sys
from collections.abc import Callable
from typing import TextIO

from .gradcheck import gradcheck, numeric_gradient, print_report
from .layers import Dense, Identity, LeakyReLU, ReLU, Sigmoid, Tanh
from .layers.activations import ElementwiseActivation, softmax_row
from .layers.base import Parameter
from .losses import Loss, MeanSquaredError, SoftmaxCrossEntropy
from .matrices import Matrix
from .model import Sequential
from .optimizers import SGD

ACTIVATIONS = ("relu", "leaky_relu", "sigmoid", "tanh", "linear")
LOSSES = ("softmax_cross_entropy", "mean_squared_error")

# The example's numbers: small, fixed, and chosen so that one hidden value is
# negative (ReLU's zero slope shows) but none lies near the kink at 0.
INPUTS = ((0.5, 1.0), (1.0, -0.5))
TARGETS = (0, 1)
HIDDEN_WEIGHT = ((0.1, -0.2), (0.4, 0.3))
HIDDEN_BIAS = (0.0, 0.1)
OUTPUT_WEIGHT = ((0.3, -0.5), (-0.2, 0.6))
OUTPUT_BIAS = (0.05, -0.05)
LEARNING_RATE = 0.5
FINITE_DIFFERENCE_STEP = 1e-6
TOLERANCE = 1e-6
LINE_WIDTH = 80

# How each activation is written: the function f(z), and its derivative f'
# evaluated either from z or from the output h = f(z) (as purenet does).
ACTIVATION_FORMULAS = {
    "relu": ("max(0, z)", "1 if z > 0 else 0"),
    "leaky_relu": ("z if z > 0 else 0.01*z", "1 if z > 0 else 0.01"),
    "sigmoid": ("1/(1 + exp(-z))", "h*(1 - h)"),
    "tanh": ("tanh(z)", "1 - h^2"),
    "linear": ("z", "1"),
}


def _make_activation(name: str) -> ElementwiseActivation:
    """The purenet layer for an activation name."""
    layers: dict[str, Callable[[], ElementwiseActivation]] = {
        "relu": ReLU,
        "leaky_relu": LeakyReLU,
        "sigmoid": Sigmoid,
        "tanh": Tanh,
        "linear": Identity,
    }
    return layers[name]()


def _number(value: float) -> str:
    """A value as it appears inside a formula: 4 decimals, negatives in parentheses."""
    text = f"{value:.4f}"
    return f"({text})" if text.startswith("-") else text


def _result(value: float) -> str:
    """A value as the result of a formula: 4 decimals, no parentheses."""
    return f"{value:.4f}"


class _Explanation:
    """Writes the explanation line by line and keeps count of every check."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.mismatches = 0

    def line(self, text: str = "") -> None:
        self.stream.write(text + "\n")

    def heading(self, text: str) -> None:
        self.line()
        self.line(text)
        self.line("-" * len(text))

    def equation(self, left: str, *sides: str, sign: str = "=") -> None:
        """Print ``left = side1 = side2 = ...``, wrapped at 80 columns.

        ``sign`` is the first relation (``<-`` for an update). A side that
        does not fit on the current line starts a new line, aligned under the
        first sign; a side too long for a line of its own is split between
        the terms of a sum (after " + ").
        """
        indent = " " * (len(left) + len(sign) - 1) + " = "
        current = f"{left} {sign} {sides[0]}"
        pieces = [f" = {side}" for side in sides[1:]]
        lines = []
        for piece in pieces:
            if len(current) + len(piece) <= LINE_WIDTH:
                current += piece
            else:
                lines.append(current)
                current = indent + piece[3:]
        lines.append(current)
        for text in lines:
            for wrapped in self._split_sum(text, " " * len(indent)):
                self.line(wrapped)

    @staticmethod
    def _split_sum(text: str, indent: str) -> list[str]:
        """Split a line longer than 80 columns after its " + " signs."""
        result = []
        while len(text) > LINE_WIDTH:
            cut = text.rfind(" + ", 0, LINE_WIDTH - 1)
            if cut <= len(indent):
                break
            result.append(text[: cut + 2])
            text = indent + "  " + text[cut + 3 :]
        result.append(text)
        return result

    def agree(self, name: str, by_hand: float, from_code: float) -> None:
        """Report (and count) a value recomputed by hand that differs from purenet's."""
        if not math.isclose(by_hand, from_code, rel_tol=1e-9, abs_tol=1e-12):
            self.mismatches += 1
            self.line(f"!! {name}: by hand {by_hand:.10g}, purenet computed {from_code:.10g}")


def _objective(model: Sequential, loss: Loss, inputs: Matrix, targets: list[int]) -> Callable[[], float]:
    """The loss of the whole batch as a function of the current parameters."""

    def value() -> float:
        return loss.forward(model.forward(inputs), targets)

    return value


def explain(activation: str = "leaky_relu", loss: str = "softmax_cross_entropy", stream: TextIO | None = None) -> bool:
    """Print one forward pass, backward pass and SGD step of a tiny network, every number shown.

    Args:
        activation: the hidden activation, one of relu, leaky_relu, sigmoid,
            tanh, linear.
        loss: softmax_cross_entropy (on the logits) or mean_squared_error
            (on the outputs, against one-hot targets).
        stream: where to print (default: standard output).

    Returns True when every gradient agrees with its finite difference (and
    every value recomputed by hand agrees with purenet's), False otherwise.
    Raises ValueError naming the choices for an unknown activation or loss.
    """
    if activation not in ACTIVATIONS:
        raise ValueError(f"explain: activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    if loss not in LOSSES:
        raise ValueError(f"explain: loss must be one of {', '.join(LOSSES)}, got {loss!r}")
    out = _Explanation(stream if stream is not None else sys.stdout)
    hidden_layer = Dense(2, 2)
    hidden_layer.weight[:] = [list(row) for row in HIDDEN_WEIGHT]
    hidden_layer.bias[:] = list(HIDDEN_BIAS)
    activation_layer = _make_activation(activation)
    output_layer = Dense(2, 2)
    output_layer.weight[:] = [list(row) for row in OUTPUT_WEIGHT]
    output_layer.bias[:] = list(OUTPUT_BIAS)
    model = Sequential(hidden_layer, activation_layer, output_layer)
    loss_function: Loss = SoftmaxCrossEntropy() if loss == "softmax_cross_entropy" else MeanSquaredError()
    inputs = [list(row) for row in INPUTS]
    targets = list(TARGETS)

    _introduce(out, activation_layer, loss_function, hidden_layer, output_layer, inputs, targets)
    forward = _forward(out, activation, hidden_layer, activation_layer, output_layer, loss_function, inputs, targets)
    _backward(out, activation, hidden_layer, activation_layer, output_layer, loss_function, inputs, forward)
    checks_pass = _finite_differences(out, model, loss_function, inputs, targets)
    _sgd_step(out, model, loss_function, inputs, targets, forward["loss"])
    out.heading("Verdict")
    if out.mismatches:
        out.line(f"{out.mismatches} value(s) recomputed by hand disagree with purenet.")
    if checks_pass and not out.mismatches:
        out.line("Every gradient agrees with its finite difference: backpropagation")
        out.line("computed the slope of the loss for every weight and bias.")
    else:
        out.line("FAIL: some gradient or value does not agree (see above).")
    return checks_pass and not out.mismatches


def _introduce(
    out: _Explanation,
    activation_layer: ElementwiseActivation,
    loss_function: Loss,
    hidden_layer: Dense,
    output_layer: Dense,
    inputs: Matrix,
    targets: list[int],
) -> None:
    out.line("purenet explain: one training step of a tiny network, every number shown")
    out.line()
    out.line(f"network: x (2) -> Dense W1, b1 (2 -> 2) -> {activation_layer!r}")
    out.line(f"         -> Dense W2, b2 (2 -> 2) -> {loss_function!r}")
    out.line("batch:   N = 2 samples of 2 features; x[n][i] is feature i of sample n")
    out.line("weights: W[j][i] connects input i to neuron j (one row per neuron)")
    out.heading("The numbers")
    for n, (row, target) in enumerate(zip(inputs, targets)):
        out.line(f"x[{n}] = [{_result(row[0])}, {_result(row[1])}]   target class t_{n} = {target}")
    for name, parameter in (("W1", hidden_layer.weight), ("W2", output_layer.weight)):
        for j, row in enumerate(parameter):
            out.line(f"{name}[{j}] = [{_result(row[0])}, {_result(row[1])}]")
    for name, parameter in (("b1", hidden_layer.bias), ("b2", output_layer.bias)):
        out.line(f"{name} = [{_result(parameter[0])}, {_result(parameter[1])}]")


def _dense_forward(out: _Explanation, name: str, input_name: str, weight_name: str, bias_name: str,
                   layer: Dense, inputs: Matrix, outputs: Matrix) -> None:
    """Print z[n][j] = sum_i W[j][i] * a[n][i] + b[j] for every entry."""
    for n, input_row in enumerate(inputs):
        for j, weight_row in enumerate(layer.weight):
            symbols = " + ".join(f"{weight_name}[{j}][{i}]*{input_name}[{n}][{i}]" for i in range(len(input_row)))
            numbers = " + ".join(f"{_number(w)}*{_number(a)}" for w, a in zip(weight_row, input_row))
            by_hand = sum(w * a for w, a in zip(weight_row, input_row)) + layer.bias[j]
            out.agree(f"{name}[{n}][{j}]", by_hand, outputs[n][j])
            out.equation(
                f"{name}[{n}][{j}]",
                f"{symbols} + {bias_name}[{j}]",
                f"{numbers} + {_number(layer.bias[j])}",
                _result(outputs[n][j]),
            )


def _activation_by_hand(activation: str, z: float) -> tuple[str | None, float]:
    """f(z) written with the number put in (None for the identity), and its value computed here."""
    if activation == "relu":
        return f"max(0, {_result(z)})", max(0.0, z)
    if activation == "leaky_relu":
        return (f"{_number(z)} (z > 0)" if z > 0 else f"0.01*{_number(z)} (z <= 0)"), (z if z > 0 else 0.01 * z)
    if activation == "sigmoid":
        return f"1/(1 + exp({_result(-z)}))", 1.0 / (1.0 + math.exp(-z))
    if activation == "tanh":
        return f"tanh({_result(z)})", math.tanh(z)
    return None, z


def _derivative_by_hand(activation: str, z: float, h: float) -> tuple[str, float]:
    """f'(z) written with the numbers put in, and its value computed here."""
    if activation == "relu":
        return ("1 (z > 0)" if z > 0 else "0 (z <= 0)"), (1.0 if z > 0 else 0.0)
    if activation == "leaky_relu":
        return ("1 (z > 0)" if z > 0 else "0.01 (z <= 0)"), (1.0 if z > 0 else 0.01)
    if activation == "sigmoid":
        return f"{_number(h)}*(1 - {_number(h)})", h * (1.0 - h)
    if activation == "tanh":
        return f"1 - ({_result(h)})^2", 1.0 - h * h
    return "1", 1.0


def _forward(
    out: _Explanation,
    activation: str,
    hidden_layer: Dense,
    activation_layer: ElementwiseActivation,
    output_layer: Dense,
    loss_function: Loss,
    inputs: Matrix,
    targets: list[int],
) -> dict:
    """Run the forward pass layer by layer with purenet, printing every value."""
    out.heading("1. Forward pass")
    out.line("Dense: z[n][j] = sum_i W[j][i]*x[n][i] + b[j], i.e. Z = X W^T + b")
    out.line("(purenet/layers/dense.py, Dense.forward; docs/dense.md)")
    out.line()
    hidden = hidden_layer.forward(inputs)
    _dense_forward(out, "z1", "x", "W1", "b1", hidden_layer, inputs, hidden)
    out.line()
    function, _ = ACTIVATION_FORMULAS[activation]
    out.line(f"Activation: h[n][j] = f(z1[n][j]) with f(z) = {function}")
    out.line("(purenet/layers/activations.py; docs/activations.md)")
    activated = activation_layer.forward(hidden)
    for n, row in enumerate(hidden):
        for j, z in enumerate(row):
            written, by_hand = _activation_by_hand(activation, z)
            out.agree(f"h[{n}][{j}]", by_hand, activated[n][j])
            sides = (f"f(z1[{n}][{j}])",) + ((written,) if written else ()) + (_result(activated[n][j]),)
            out.equation(f"h[{n}][{j}]", *sides)
    out.line()
    logits = output_layer.forward(activated)
    _dense_forward(out, "z2", "h", "W2", "b2", output_layer, activated, logits)
    result = {"hidden": hidden, "activated": activated, "logits": logits, "targets": targets}
    out.line()
    if isinstance(loss_function, SoftmaxCrossEntropy):
        result["probabilities"] = _softmax_forward(out, logits)
    result["loss"] = _loss_forward(out, loss_function, result, targets)
    return result


def _softmax_forward(out: _Explanation, logits: Matrix) -> Matrix:
    out.line("Softmax turns the logits z2 into probabilities, max-shifted so that")
    out.line("exp never overflows (docs/stability.md):")
    out.line("  p[n][k] = e[n][k] / s[n],  e[n][k] = exp(z2[n][k] - m[n]),")
    out.line("  m[n] = max_k z2[n][k],  s[n] = sum_k e[n][k]")
    out.line("(purenet/layers/activations.py, softmax_row)")
    probabilities = [softmax_row(row) for row in logits]
    for n, row in enumerate(logits):
        largest = max(row)
        out.equation(f"m[{n}]", f"max({', '.join(_result(z) for z in row)})", _result(largest))
        exponentials = []
        for k, z in enumerate(row):
            exponentials.append(math.exp(z - largest))
            out.equation(
                f"e[{n}][{k}]",
                f"exp(z2[{n}][{k}] - m[{n}])",
                f"exp({_result(z)} - {_number(largest)})",
                _result(exponentials[-1]),
            )
        total = sum(exponentials)
        out.equation(f"s[{n}]", " + ".join(_number(e) for e in exponentials), _result(total))
        for k, exponential in enumerate(exponentials):
            out.agree(f"p[{n}][{k}]", exponential / total, probabilities[n][k])
            out.equation(
                f"p[{n}][{k}]",
                f"e[{n}][{k}] / s[{n}]",
                f"{_number(exponential)} / {_number(total)}",
                _result(probabilities[n][k]),
            )
    out.line()
    return probabilities


def _loss_forward(out: _Explanation, loss_function: Loss, values: dict, targets: list[int]) -> float:
    logits = values["logits"]
    loss_value = loss_function.forward(logits, targets)
    batch = len(logits)
    if isinstance(loss_function, SoftmaxCrossEntropy):
        probabilities = values["probabilities"]
        out.line("Loss: cross-entropy, the mean over the batch of -log(probability of")
        out.line("the true class) (purenet/losses.py, SoftmaxCrossEntropy.forward):")
        chosen = [probabilities[n][t] for n, t in enumerate(targets)]
        by_hand = -sum(math.log(p) for p in chosen) / batch
        out.agree("L", by_hand, loss_value)
        out.equation(
            "L",
            "-(1/N) sum_n log p[n][t_n]",
            "-(" + " + ".join(f"log p[{n}][{t}]" for n, t in enumerate(targets)) + f") / {batch}",
            "-(" + " + ".join(f"log {_number(p)}" for p in chosen) + f") / {batch}",
            f"{loss_value:.6f}",
        )
    else:
        classes = len(logits[0])
        out.line("Loss: mean squared error against one-hot targets t, the mean over all")
        out.line("N*K values (purenet/losses.py, MeanSquaredError.forward):")
        for n, target in enumerate(targets):
            out.line(f"t[{n}] = [{', '.join('1' if k == target else '0' for k in range(classes))}]")
        one_hot = [[1.0 if k == target else 0.0 for k in range(classes)] for target in targets]
        terms = [(y, t) for row, target_row in zip(logits, one_hot) for y, t in zip(row, target_row)]
        by_hand = sum((y - t) ** 2 for y, t in terms) / (batch * classes)
        out.agree("L", by_hand, loss_value)
        out.equation(
            "L",
            "(1/(N*K)) sum_n sum_k (z2[n][k] - t[n][k])^2",
            "(" + " + ".join(f"({_result(y)} - {t:.0f})^2" for y, t in terms) + f") / {batch * classes}",
            f"{loss_value:.6f}",
        )
    return loss_value


def _backward(
    out: _Explanation,
    activation: str,
    hidden_layer: Dense,
    activation_layer: ElementwiseActivation,
    output_layer: Dense,
    loss_function: Loss,
    inputs: Matrix,
    forward: dict,
) -> None:
    """Run the backward pass layer by layer with purenet, printing every gradient."""
    out.heading("2. Backward pass (the chain rule, from the loss back to W1)")
    out.line("d<name> means dL/d<name>, the slope of the loss for that value")
    out.line("(docs/backpropagation.md).")
    out.line()
    logits, activated, hidden = forward["logits"], forward["activated"], forward["hidden"]
    batch, classes = len(logits), len(logits[0])
    for layer in (hidden_layer, output_layer):
        layer.zero_grad()
    logits_gradient = loss_function.backward()
    if isinstance(loss_function, SoftmaxCrossEntropy):
        out.line("Softmax with cross-entropy: dz2 = (p - t) / N, t one-hot")
        out.line("(purenet/losses.py, SoftmaxCrossEntropy.backward; docs/losses.md)")
        probabilities = forward["probabilities"]
    else:
        out.line("Mean squared error: dz2 = 2 (z2 - t) / (N*K)")
        out.line("(purenet/losses.py, MeanSquaredError.backward; docs/losses.md)")
    for n in range(batch):
        for k in range(classes):
            target = 1.0 if k == forward["targets"][n] else 0.0
            if isinstance(loss_function, SoftmaxCrossEntropy):
                by_hand = (probabilities[n][k] - target) / batch
                sides = (f"(p[{n}][{k}] - t[{n}][{k}]) / N", f"({_result(probabilities[n][k])} - {target:.0f}) / {batch}")
            else:
                by_hand = 2.0 * (logits[n][k] - target) / (batch * classes)
                sides = (
                    f"2*(z2[{n}][{k}] - t[{n}][{k}]) / (N*K)",
                    f"2*({_result(logits[n][k])} - {target:.0f}) / {batch * classes}",
                )
            out.agree(f"dz2[{n}][{k}]", by_hand, logits_gradient[n][k])
            out.equation(f"dz2[{n}][{k}]", *sides, _result(logits_gradient[n][k]))
    out.line()
    activated_gradient = output_layer.backward(logits_gradient)
    _dense_backward(out, "2", "h", output_layer, activated, logits_gradient, activated_gradient)
    out.line()
    _, derivative = ACTIVATION_FORMULAS[activation]
    out.line("Activation: dz1[n][j] = dh[n][j] * f'(z1[n][j]), element by element,")
    name = type(activation_layer).__name__
    if isinstance(activation_layer, ReLU):  # LeakyReLU too: both run the rectify kernel
        where = f"{name}.backward -> matrices.rectify_backward"
    else:
        where = f"{name}.derivative and ElementwiseActivation.backward"
    out.line(f"with f'(z) = {derivative} (purenet/layers/activations.py,")
    out.line(f"{where})")
    hidden_gradient = activation_layer.backward(activated_gradient)
    for n, row in enumerate(hidden):
        for j, z in enumerate(row):
            written, slope = _derivative_by_hand(activation, z, activated[n][j])
            out.equation(f"f'(z1[{n}][{j}])", written, _result(slope))
            out.agree(f"dz1[{n}][{j}]", activated_gradient[n][j] * slope, hidden_gradient[n][j])
            out.equation(
                f"dz1[{n}][{j}]",
                f"dh[{n}][{j}] * f'(z1[{n}][{j}])",
                f"{_number(activated_gradient[n][j])} * {_number(slope)}",
                _result(hidden_gradient[n][j]),
            )
    out.line()
    hidden_layer.backward(hidden_gradient, input_gradient=False)
    _dense_backward(out, "1", "x", hidden_layer, inputs, hidden_gradient, None)


def _dense_backward(out: _Explanation, level: str, input_name: str, layer: Dense, inputs: Matrix,
                    gradient: Matrix, input_gradient: Matrix | None) -> None:
    """Print dW = dZ^T A, db = column sums of dZ and (if given) dA = dZ W."""
    z, w, b = f"dz{level}", f"dW{level}", f"db{level}"
    out.line(f"Dense, from {z} (purenet/layers/dense.py, Dense.backward).")
    out.line("The sums run over the batch; the 1/N of the mean loss is already in dz2.")
    out.line(f"  {w}[j][i] = sum_n {z}[n][j]*{input_name}[n][i]   ({w} = {z}^T {input_name.upper()})")
    out.line(f"  {b}[j]    = sum_n {z}[n][j]              (column sums of {z})")
    if input_gradient is not None:
        out.line(f"  d{input_name}[n][i] = sum_j {z}[n][j]*W{level}[j][i]  (d{input_name} = {z} W{level})")
    batch = len(inputs)
    for j, weight_gradient_row in enumerate(layer.weight.grad):
        for i, value in enumerate(weight_gradient_row):
            by_hand = sum(gradient[n][j] * inputs[n][i] for n in range(batch))
            out.agree(f"{w}[{j}][{i}]", by_hand, value)
            out.equation(
                f"{w}[{j}][{i}]",
                " + ".join(f"{z}[{n}][{j}]*{input_name}[{n}][{i}]" for n in range(batch)),
                " + ".join(f"{_number(gradient[n][j])}*{_number(inputs[n][i])}" for n in range(batch)),
                _result(value),
            )
    for j, value in enumerate(layer.bias.grad):
        out.agree(f"{b}[{j}]", sum(gradient[n][j] for n in range(batch)), value)
        out.equation(
            f"{b}[{j}]",
            " + ".join(f"{z}[{n}][{j}]" for n in range(batch)),
            " + ".join(_number(gradient[n][j]) for n in range(batch)),
            _result(value),
        )
    if input_gradient is None:
        return
    for n, row in enumerate(input_gradient):
        for i, value in enumerate(row):
            by_hand = sum(gradient[n][j] * layer.weight[j][i] for j in range(len(layer.weight)))
            out.agree(f"d{input_name}[{n}][{i}]", by_hand, value)
            out.equation(
                f"d{input_name}[{n}][{i}]",
                " + ".join(f"{z}[{n}][{j}]*W{level}[{j}][{i}]" for j in range(len(layer.weight))),
                " + ".join(f"{_number(gradient[n][j])}*{_number(layer.weight[j][i])}" for j in range(len(layer.weight))),
                _result(value),
            )


def _named_entries(model: Sequential) -> list[tuple[str, Parameter, int | None, int]]:
    """Every scalar parameter as (printed name, parameter, row or None for a bias, column)."""
    entries: list[tuple[str, Parameter, int | None, int]] = []
    for level, layer in (("1", model.layers[0]), ("2", model.layers[2])):
        for j, row in enumerate(layer.weight):
            for i in range(len(row)):
                entries.append((f"W{level}[{j}][{i}]", layer.weight, j, i))
        for j in range(len(layer.bias)):
            entries.append((f"b{level}[{j}]", layer.bias, None, j))
    return entries


def _holder(values: list, row: int | None) -> list:
    """The list that holds an entry: the row of a matrix, or the vector itself."""
    return values if row is None else values[row]


def _finite_differences(
    out: _Explanation, model: Sequential, loss_function: Loss, inputs: Matrix, targets: list[int]
) -> bool:
    """Confirm each gradient with a central difference, then with purenet.gradcheck."""
    out.heading("3. Check every gradient with finite differences")
    out.line("Nudge one weight by h both ways and watch the loss (docs/backpropagation.md):")
    out.line(f"  dL/dw ~ (L(w + h) - L(w - h)) / (2h),  h = {FINITE_DIFFERENCE_STEP:g}")
    out.line()
    out.line(f"{'value':<10} {'backprop':>14} {'finite difference':>18} {'difference':>12}")
    objective = _objective(model, loss_function, inputs, targets)
    for name, parameter, row, column in _named_entries(model):
        analytic = _holder(parameter.grad, row)[column]
        position = (0 if row is None else row, column)
        numeric = numeric_gradient(objective, parameter, [position], FINITE_DIFFERENCE_STEP)[0]
        out.line(f"d{name:<9} {analytic:>14.8f} {numeric:>18.8f} {abs(analytic - numeric):>12.1e}")
    out.line()
    out.line("purenet.gradcheck on the model: worst error per tensor, relative to the")
    out.line(f"largest gradient of the tensor; PASS when <= {TOLERANCE:g}:")
    errors = gradcheck(model, inputs, targets, loss=loss_function, epsilon=FINITE_DIFFERENCE_STEP)
    # The input gradient dL/dx is checked too, although training does not need it.
    return print_report("model", errors, TOLERANCE, out.stream)


def _sgd_step(
    out: _Explanation,
    model: Sequential,
    loss_function: Loss,
    inputs: Matrix,
    targets: list[int],
    loss_before: float,
) -> None:
    """Apply one SGD update with purenet's optimiser and print every new value."""
    out.heading("4. One step of gradient descent (purenet/optimizers.py, SGD.step)")
    out.line(f"Every value moves against its gradient: w <- w - lr*dw, lr = {LEARNING_RATE:g}")
    entries = _named_entries(model)
    before = [
        (_holder(parameter, row)[column], _holder(parameter.grad, row)[column])
        for _, parameter, row, column in entries
    ]
    SGD(model.parameters(), lr=LEARNING_RATE).step()
    for (name, parameter, row, column), (old, gradient) in zip(entries, before):
        new = _holder(parameter, row)[column]
        out.agree(name, old - LEARNING_RATE * gradient, new)
        out.equation(
            name,
            f"{name} - lr*d{name}",
            f"{_result(old)} - {LEARNING_RATE:g}*{_number(gradient)}",
            _result(new),
            sign="<-",
        )
    loss_after = loss_function.forward(model.forward(inputs), targets)
    direction = "lower: the step went downhill" if loss_after < loss_before else "not lower: lr is too large"
    out.line()
    out.line(f"loss before the step {loss_before:.6f}, after {loss_after:.6f} ({direction})")
