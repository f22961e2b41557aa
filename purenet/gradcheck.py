"""Gradient checking: compare every analytic gradient with central finite differences.

For a scalar function f of a value v, the central difference

    df/dv ~ (f(v + h) - f(v - h)) / (2h)

has an error of order h^2 (docs/backpropagation.md; docs/gradcheck.md for why
h = 1e-6 and the threshold 1e-6). ``gradcheck`` nudges every input value and
every parameter in turn, recomputes the loss, and reports per tensor the worst
error relative to the gradient's size:

    error = max_k |analytic_k - numeric_k| / max(max_k |analytic_k|, max_k |numeric_k|, 1e-12)

What is checked:
- a layer: L = sum(layer(x) * R) for a fixed random R, so dL/d(output) = R;
- a loss: L = loss(output, target), the gradient with respect to output;
- a model: L = loss(model(x), target) with the given (default softmax
  cross-entropy) loss, for every parameter and the input.

``check_entries`` keeps what ``gradcheck`` reduces to one number per tensor:
every entry's value w, L(w + h), L(w - h) and backprop gradient;
``purenet/gradcheck_walkthrough.py`` prints them, entry by entry, for
``python -m purenet gradcheck``.

Keep inputs away from kinks (ReLU at 0): a finite difference that straddles a
kink measures neither side's slope.
"""

from __future__ import annotations

import random
import sys
from dataclasses import dataclass
from typing import Callable, TextIO

from . import matrices
from .layers.base import Layer
from .losses import Loss, SoftmaxCrossEntropy
from .matrices import Matrix, tensors
from .model import Sequential
from .validation import check_integer, check_seed, is_finite, is_number

DEFAULT_EPSILON = 1e-6  # h: the rounding error ~1e-16/h and the truncation error ~h^2/6 both stay far below 1e-6
DEFAULT_TOLERANCE = 1e-6  # correct gradients land near 1e-10, wrong ones near 1e-2 to 1 (docs/gradcheck.md)
SCALE_FLOOR = 1e-12  # divide by this, not by 0, when every gradient of a tensor is 0
UNIT_ROUNDOFF = 2.0**-53  # a float's relative rounding error, about 1.1e-16

Position = tuple[int, int]  # (row, column) of the innermost lists; a vector is one row


@dataclass(frozen=True)
class EntryCheck:
    """One entry of one tensor, checked: the numbers the central difference is made of.

    ``value`` is the entry w before the nudge, ``above`` = L(w + h),
    ``below`` = L(w - h), ``analytic`` the backprop dL/dw; ``numeric`` is
    (L(w + h) - L(w - h)) / (2h), computed exactly as ``numeric_gradient`` does.
    """

    tensor: str
    index: str
    value: float
    epsilon: float
    above: float
    below: float
    analytic: float

    @property
    def numeric(self) -> float:
        return (self.above - self.below) / (2.0 * self.epsilon)


def _positions(values: list, entries: int | None, rng: random.Random) -> list[Position]:
    """Every (row, column) of a tensor, or ``entries`` of them drawn at random."""
    rows = tensors.innermost_rows(values)
    every = [(row, column) for row, values_row in enumerate(rows) for column in range(len(values_row))]
    if entries is None or entries >= len(every):
        return every
    return sorted(rng.sample(every, entries))


def _nudge(
    function: Callable[[], float], rows: list[list[float]], position: Position, epsilon: float
) -> tuple[float, float]:
    """(f(v + h), f(v - h)) for the entry at ``position``, which is restored afterwards."""
    row, column = position
    original = rows[row][column]
    rows[row][column] = original + epsilon
    above = function()
    rows[row][column] = original - epsilon
    below = function()
    rows[row][column] = original
    return above, below


def numeric_gradient(function: Callable[[], float], values: list, positions: list[Position], epsilon: float) -> list:
    """Central differences (f(v + h) - f(v - h)) / 2h of ``function()`` at each position of ``values``.

    ``values`` is a vector (row 0), a matrix or a deeper tensor (its
    innermost lists are the rows), changed in place and restored;
    ``function`` must read it.
    """
    rows = tensors.innermost_rows(values)
    gradient = []
    for position in positions:
        above, below = _nudge(function, rows, position, epsilon)
        gradient.append((above - below) / (2.0 * epsilon))
    return gradient


def _entries(values: list, positions: list[Position]) -> list[float]:
    rows = tensors.innermost_rows(values)
    return [rows[row][column] for row, column in positions]


def _index_text(values: list, position: Position) -> str:
    """The entry's index as Python writes it: ``[j]`` in a vector, ``[o][i]`` in a matrix, and so on."""
    shape = []
    part = values
    while isinstance(part, list) and part:
        shape.append(len(part))
        part = part[0]
    row, column = position
    outer = []
    for size in reversed(shape[:-1]):
        row, index = divmod(row, size)
        outer.append(index)
    return "".join(f"[{index}]" for index in reversed(outer)) + f"[{column}]"


def gradient_scale(analytic: list, numeric: list) -> float:
    """max(max_k |analytic_k|, max_k |numeric_k|, 1e-12): the size ``relative_error`` divides by."""
    flat_analytic, flat_numeric = tensors.flatten(analytic), tensors.flatten(numeric)
    return max([abs(v) for v in flat_analytic] + [abs(v) for v in flat_numeric] + [SCALE_FLOOR])


def relative_error(analytic: list, numeric: list) -> float:
    """Worst absolute difference, relative to the larger of the two gradients' largest entries."""
    flat_analytic, flat_numeric = tensors.flatten(analytic), tensors.flatten(numeric)
    if len(flat_analytic) != len(flat_numeric):
        raise ValueError(f"relative_error: {len(flat_analytic)} analytic values but {len(flat_numeric)} numeric")
    worst = max((abs(a - n) for a, n in zip(flat_analytic, flat_numeric)), default=0.0)
    return worst / gradient_scale(flat_analytic, flat_numeric)


def gradcheck(
    component: Layer | Loss | Sequential,
    inputs: object,
    targets: object = None,
    loss: Loss | None = None,
    epsilon: float = DEFAULT_EPSILON,
    tolerance: float = DEFAULT_TOLERANCE,
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
    checks = _check_entries("gradcheck", component, inputs, targets, loss, epsilon, seed, entries)
    errors = {
        name: relative_error([check.analytic for check in entry_checks], [check.numeric for check in entry_checks])
        for name, entry_checks in checks.items()
    }
    if verbose:
        print_report(type(component).__name__, errors, tolerance, stream or sys.stdout)
    return errors


def check_entries(
    component: Layer | Loss | Sequential,
    inputs: object,
    targets: object = None,
    loss: Loss | None = None,
    epsilon: float = DEFAULT_EPSILON,
    seed: int = 0,
    entries: int | None = None,
) -> dict[str, list[EntryCheck]]:
    """Every checked entry of every tensor, with the numbers ``gradcheck`` reduces to one error.

    Takes ``gradcheck``'s arguments and checks the same entries (same seed,
    same choice); returns, per tensor, one ``EntryCheck`` per entry: its
    value w, L(w + h), L(w - h), the backprop gradient, and (a property) the
    central difference. ``relative_error`` of a tensor's analytic and numeric
    values is ``gradcheck``'s error for it.
    """
    return _check_entries("check_entries", component, inputs, targets, loss, epsilon, seed, entries)


def _check_entries(
    caller: str,
    component: Layer | Loss | Sequential,
    inputs: object,
    targets: object,
    loss: Loss | None,
    epsilon: float,
    seed: int,
    entries: int | None,
) -> dict[str, list[EntryCheck]]:
    x = _as_batch(inputs)
    check_integer(entries, f"{caller}: entries", minimum=1, optional=True)
    check_seed(seed, f"{caller}: seed")
    rng = random.Random(seed)
    if isinstance(component, Loss):
        if targets is None:
            raise ValueError(f"{caller}: a loss needs targets")
        component.forward(x, targets)
        analytic = component.backward()

        def objective() -> float:
            return component.forward(x, targets)

        return {"input": _nudge_entries("input", objective, x, analytic, epsilon, rng, entries)}
    if isinstance(component, (Layer, Sequential)):
        return _check_differentiable(caller, component, x, targets, loss, epsilon, rng, entries)
    raise TypeError(f"{caller}: component must be a layer, a loss or a Sequential, got {type(component).__name__}")


def _nudge_entries(
    name: str,
    objective: Callable[[], float],
    values: list,
    analytic: list,
    epsilon: float,
    rng: random.Random,
    entries: int | None,
) -> list[EntryCheck]:
    """Nudge each chosen entry of ``values`` both ways; pair L(w + h), L(w - h) with backprop's dL/dw."""
    positions = _positions(values, entries, rng)
    rows = tensors.innermost_rows(values)
    checks = []
    for position, analytic_value in zip(positions, _entries(analytic, positions)):
        value = rows[position[0]][position[1]]
        above, below = _nudge(objective, rows, position, epsilon)
        checks.append(EntryCheck(name, _index_text(values, position), value, epsilon, above, below, analytic_value))
    return checks


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
    caller: str,
    component: Layer | Sequential,
    x: Matrix,
    targets: object,
    loss: Loss | None,
    epsilon: float,
    rng: random.Random,
    entries: int | None,
) -> dict[str, list[EntryCheck]]:
    if isinstance(component, Sequential):
        if targets is None:
            raise ValueError(f"{caller}: a model needs targets")
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
        shape = tensors.tensor_shape(output, f"{caller}: the layer's output", tensors.depth(output))
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
    checks = {}
    for name, values, analytic in [("input", x, input_gradient)] + [(n, p, p.grad) for n, p in named]:
        checks[name] = _nudge_entries(name, objective, values, analytic, epsilon, rng, entries)
    for (_, parameter), (grad, passes) in zip(named, saved):
        parameter.grad, parameter.backward_passes = grad, passes
    return checks


def print_report(component: str, errors: dict[str, float], tolerance: float, stream: TextIO) -> bool:
    """Print one line per tensor with its error and PASS/FAIL; return True if all pass."""
    all_pass = True
    for name, error in errors.items():
        verdict = "PASS" if error <= tolerance else "FAIL"
        all_pass = all_pass and verdict == "PASS"
        stream.write(f"{component:<22} {name:<24} {error:>10.2e}  {verdict}\n")
    return all_pass
