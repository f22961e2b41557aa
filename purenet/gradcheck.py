"""Gradient checking: compare every analytic gradient with central finite differences.

For a scalar function f of a value v, the central difference

    df/dv ~ (f(v + h) - f(v - h)) / (2h)

has an error of order h^2 (docs/backpropagation.md). ``gradcheck`` nudges
every input value and every parameter in turn, recomputes the loss, and
reports per tensor the worst error relative to the gradient's size:

    error = max_k |analytic_k - numeric_k| / max(max_k |analytic_k|, max_k |numeric_k|, 1e-12)

What is checked:
- a layer: L = sum(layer(x) * R) for a fixed random R, so dL/d(output) = R;
- a loss: L = loss(output, target), the gradient with respect to output;
- a model: L = loss(model(x), target) with the given (default softmax
  cross-entropy) loss, for every parameter and the input.

Keep inputs away from kinks (ReLU at 0): a finite difference that straddles a
kink measures neither side's slope.
"""

from __future__ import annotations

import random
import sys
from typing import Callable, TextIO

from . import matrices
from .layers.base import Layer
from .losses import Loss, SoftmaxCrossEntropy
from .matrices import Matrix
from .model import Sequential


def _numeric_gradient(function: Callable[[], float], values: list, epsilon: float) -> list:
    """Central differences of ``function()`` with respect to each entry of ``values`` (changed in place)."""
    rows = values if values and isinstance(values[0], list) else [values]
    gradient_rows = []
    for row in rows:
        gradient_row = []
        for k, original in enumerate(row):
            row[k] = original + epsilon
            above = function()
            row[k] = original - epsilon
            below = function()
            row[k] = original
            gradient_row.append((above - below) / (2.0 * epsilon))
        gradient_rows.append(gradient_row)
    return gradient_rows if rows is values else gradient_rows[0]


def relative_error(analytic: list, numeric: list) -> float:
    """Worst absolute difference, relative to the larger of the two gradients' largest entries."""
    flat_analytic = [v for row in analytic for v in row] if analytic and isinstance(analytic[0], list) else analytic
    flat_numeric = [v for row in numeric for v in row] if numeric and isinstance(numeric[0], list) else numeric
    if len(flat_analytic) != len(flat_numeric):
        raise ValueError(f"relative_error: {len(flat_analytic)} analytic values but {len(flat_numeric)} numeric")
    worst = max((abs(a - n) for a, n in zip(flat_analytic, flat_numeric)), default=0.0)
    size = max([abs(v) for v in flat_analytic] + [abs(v) for v in flat_numeric] + [1e-12])
    return worst / size


def gradcheck(
    component: Layer | Loss | Sequential,
    inputs: object,
    targets: object = None,
    loss: Loss | None = None,
    epsilon: float = 1e-6,
    tolerance: float = 1e-6,
    seed: int = 0,
    verbose: bool = False,
    stream: TextIO | None = None,
) -> dict[str, float]:
    """Check ``component``'s gradients against central differences.

    Args:
        component: a layer, a loss, or a ``Sequential`` model.
        inputs: a batch (list of samples) fed to the component.
        targets: required for a loss or a model (class indices or rows).
        loss: for a model; default ``SoftmaxCrossEntropy()``.
        epsilon: the step h of the central difference.
        tolerance: the error above which ``verbose`` prints FAIL.
        seed: seeds the random upstream gradient R used for a layer.
        verbose: print a table (component, parameter, error, pass/fail).

    Returns the worst relative error per checked tensor, e.g.
    ``{"input": 3e-10, "weight": 2e-10, "bias": 1e-10}``; for a model the
    names are ``"0.Dense.weight"`` and so on. Parameter gradients are restored
    afterwards, so a check does not disturb training.
    """
    x = matrices.as_matrix(inputs, "inputs")
    if isinstance(component, Loss):
        if targets is None:
            raise ValueError("gradcheck: a loss needs targets")
        component.forward(x, targets)
        analytic = component.backward()
        numeric = _numeric_gradient(lambda: component.forward(x, targets), x, epsilon)
        errors = {"input": relative_error(analytic, numeric)}
    elif isinstance(component, (Layer, Sequential)):
        errors = _check_differentiable(component, x, targets, loss, epsilon, seed)
    else:
        raise TypeError(f"gradcheck: component must be a layer, a loss or a Sequential, got {type(component).__name__}")
    if verbose:
        print_report(type(component).__name__, errors, tolerance, stream or sys.stdout)
    return errors


def _check_differentiable(
    component: Layer | Sequential, x: Matrix, targets: object, loss: Loss | None, epsilon: float, seed: int
) -> dict[str, float]:
    if isinstance(component, Sequential):
        if targets is None:
            raise ValueError("gradcheck: a model needs targets")
        loss = loss if loss is not None else SoftmaxCrossEntropy()

        def objective() -> float:
            return loss.forward(component.forward(x), targets)

        def upstream() -> Matrix:
            return loss.backward()

        named = [
            (f"{index}.{type(layer).__name__}.{parameter.name}", parameter)
            for index, layer in enumerate(component.layers)
            for parameter in layer.parameters()
        ]
    else:
        rng = random.Random(seed)
        output = component.forward(x)
        weights = [[rng.uniform(-1.0, 1.0) for _ in row] for row in output]

        def objective() -> float:
            return sum(matrices.dot(row, weight_row) for row, weight_row in zip(component.forward(x), weights))

        def upstream() -> Matrix:
            return weights

        named = [(parameter.name, parameter) for parameter in component.parameters()]

    saved = [(parameter.grad, parameter.backward_passes) for _, parameter in named]
    for _, parameter in named:
        parameter.zero_grad()
    objective()
    input_gradient = component.backward(upstream(), input_gradient=True)
    errors = {"input": relative_error(input_gradient, _numeric_gradient(objective, x, epsilon))}
    for name, parameter in named:
        errors[name] = relative_error(parameter.grad, _numeric_gradient(objective, parameter, epsilon))
    for (_, parameter), (grad, passes) in zip(named, saved):
        parameter.grad, parameter.backward_passes = grad, passes
    return errors


def print_report(component: str, errors: dict[str, float], tolerance: float, stream: TextIO) -> bool:
    """Print one line per tensor with its error and PASS/FAIL; return True if all pass."""
    all_pass = True
    for name, error in errors.items():
        verdict = "PASS" if error <= tolerance else "FAIL"
        all_pass = all_pass and verdict == "PASS"
        stream.write(f"{component:<22} {name:<24} {error:>10.2e}  {verdict}\n")
    return all_pass
