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
from .matrices import Matrix, tensors
from .model import Sequential
from .validation import check_integer, check_seed, is_finite, is_number


Position = tuple[int, int]  # (row, column) of the innermost lists; a vector is one row


def _positions(values: list, entries: int | None, rng: random.Random) -> list[Position]:
    """Every (row, column) of a tensor, or ``entries`` of them drawn at random."""
    rows = tensors.innermost_rows(values)
    every = [(row, column) for row, values_row in enumerate(rows) for column in range(len(values_row))]
    if entries is None or entries >= len(every):
        return every
    return sorted(rng.sample(every, entries))


def numeric_gradient(function: Callable[[], float], values: list, positions: list[Position], epsilon: float) -> list:
    """Central differences (f(v + h) - f(v - h)) / 2h of ``function()`` at each position of ``values``.

    ``values`` is a vector (row 0), a matrix or a deeper tensor (its
    innermost lists are the rows), changed in place and restored;
    ``function`` must read it.
    """
    rows = tensors.innermost_rows(values)
    gradient = []
    for row, column in positions:
        original = rows[row][column]
        rows[row][column] = original + epsilon
        above = function()
        rows[row][column] = original - epsilon
        below = function()
        rows[row][column] = original
        gradient.append((above - below) / (2.0 * epsilon))
    return gradient


def _entries(values: list, positions: list[Position]) -> list[float]:
    rows = tensors.innermost_rows(values)
    return [rows[row][column] for row, column in positions]


def relative_error(analytic: list, numeric: list) -> float:
    """Worst absolute difference, relative to the larger of the two gradients' largest entries."""
    flat_analytic, flat_numeric = tensors.flatten(analytic), tensors.flatten(numeric)
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
    entries: int | None = None,
    verbose: bool = False,
    stream: TextIO | None = None,
) -> dict[str, float]:
    """Check ``component``'s gradients against central differences.

    Args:
        component: a layer, a loss, or a ``Sequential`` model.
        inputs: a batch (list of samples) fed to the component: rows of
            features, or for a convolution or pooling layer a batch of
            signals (batch x channels x length) or images (... x height x width).
        targets: required for a loss or a model (class indices or rows).
        loss: for a model; default ``SoftmaxCrossEntropy()``.
        epsilon: the step h of the central difference.
        tolerance: the error above which ``verbose`` prints FAIL.
        seed: seeds the random upstream gradient R used for a layer, and the
            choice of entries.
        entries: check at most this many entries of each tensor, drawn at
            random (a finite difference costs two forward passes per entry,
            so a 1024 x 32 weight takes a while); ``None`` checks them all.
        verbose: print a table (component, parameter, error, pass/fail).

    Returns the worst relative error per checked tensor, e.g.
    ``{"input": 3e-10, "weight": 2e-10, "bias": 1e-10}``; for a model the
    names are ``"0.Dense.weight"`` and so on. Parameter gradients are restored
    afterwards, so a check does not disturb training.
    """
    x = _as_batch(inputs)
    check_integer(entries, "gradcheck: entries", minimum=1, optional=True)
    check_seed(seed, "gradcheck: seed")
    rng = random.Random(seed)
    if isinstance(component, Loss):
        if targets is None:
            raise ValueError("gradcheck: a loss needs targets")
        component.forward(x, targets)
        analytic = component.backward()
        positions = _positions(x, entries, rng)
        numeric = numeric_gradient(lambda: component.forward(x, targets), x, positions, epsilon)
        errors = {"input": relative_error(_entries(analytic, positions), numeric)}
    elif isinstance(component, (Layer, Sequential)):
        errors = _check_differentiable(component, x, targets, loss, epsilon, rng, entries)
    else:
        raise TypeError(f"gradcheck: component must be a layer, a loss or a Sequential, got {type(component).__name__}")
    if verbose:
        print_report(type(component).__name__, errors, tolerance, stream or sys.stdout)
    return errors


def _as_batch(inputs: object) -> list:
    """The inputs as floats: a matrix as ``matrices.as_matrix`` checks it, or a batch of signals or images."""
    levels = tensors.depth(inputs)
    if levels <= 2:
        return matrices.as_matrix(inputs, "inputs")
    shape = tensors.tensor_shape(inputs, "gradcheck: inputs", levels)
    values = tensors.flatten(inputs)
    if not all(is_number(value) and is_finite(value) for value in values):
        raise ValueError(f"gradcheck: inputs {tensors.describe_shape(shape)} must hold finite numbers only")
    return tensors.reshape([float(value) for value in values], shape)


def _check_differentiable(
    component: Layer | Sequential,
    x: Matrix,
    targets: object,
    loss: Loss | None,
    epsilon: float,
    rng: random.Random,
    entries: int | None,
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
        output = component.forward(x)
        shape = tensors.tensor_shape(output, "gradcheck: the layer's output", tensors.depth(output))
        flat_weights = [rng.uniform(-1.0, 1.0) for _ in range(len(tensors.flatten(output)))]
        weights = tensors.reshape(flat_weights, shape)

        def objective() -> float:
            return matrices.dot(tensors.flatten(component.forward(x)), flat_weights)

        def upstream() -> Matrix:
            return weights

        named = [(parameter.name, parameter) for parameter in component.parameters()]

    saved = [(parameter.grad, parameter.backward_passes) for _, parameter in named]
    for _, parameter in named:
        parameter.zero_grad()
    objective()
    input_gradient = component.backward(upstream(), input_gradient=True)
    errors = {}
    for name, values, analytic in [("input", x, input_gradient)] + [(n, p, p.grad) for n, p in named]:
        positions = _positions(values, entries, rng)
        numeric = numeric_gradient(objective, values, positions, epsilon)
        errors[name] = relative_error(_entries(analytic, positions), numeric)
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
