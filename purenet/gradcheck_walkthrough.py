"""What ``python -m purenet gradcheck`` prints first: the gradient check, entry by entry.

``walkthrough`` checks a tiny network, Dense(2 -> 3), Sigmoid, Dense(3 -> 2)
with fixed weights (``teaching_network``), and prints for the first few
entries of each tensor h, w, L(w + h), L(w - h), the central difference

    numeric = (L(w + h) - L(w - h)) / (2h)

the backprop value and the relative error |backprop - numeric| / scale, then
each tensor's worst entry, which is ``gradcheck``'s error for it. With
``broken=True`` the sigmoid's derivative is deliberately wrong
(``BrokenSigmoid``), to show what a failing check looks like. The numbers come
from ``purenet/gradcheck.py::check_entries``; why h = 1e-6 and the threshold
1e-6: docs/gradcheck.md.
"""

from __future__ import annotations

import sys
from typing import TextIO

from .gradcheck import (
    DEFAULT_EPSILON,
    DEFAULT_TOLERANCE,
    UNIT_ROUNDOFF,
    EntryCheck,
    check_entries,
    gradient_scale,
    relative_error,
)
from .layers.activations import Sigmoid
from .layers.dense import Dense
from .losses import SoftmaxCrossEntropy
from .model import Sequential
from .validation import check_integer, check_number

TEACHING_INPUT = [[0.8, -0.5]]  # one sample with two features
TEACHING_TARGET = [1]  # of class 1
TEACHING_FIRST_WEIGHT = [[0.5, -0.4], [0.3, 0.8], [-0.6, 0.2]]
TEACHING_FIRST_BIAS = [0.1, -0.2, 0.05]
TEACHING_SECOND_WEIGHT = [[0.7, -0.5, 0.2], [-0.3, 0.6, 0.4]]
TEACHING_SECOND_BIAS = [0.0, 0.1]
SHOWN_ENTRIES = 3  # entries of each tensor the walkthrough prints


class BrokenSigmoid(Sigmoid):
    """A DELIBERATELY WRONG sigmoid, for ``python -m purenet gradcheck --broken`` only.

    Its derivative is written as s instead of s (1 - s), a slip the gradient
    check exists to catch: every gradient that flows back through it is
    1 / (1 - s) times too large. It lives here, with the teaching code, and is
    not exported by ``purenet`` or ``purenet.layers``: never train with it.
    """

    def derivative(self, x: float, y: float) -> float:
        return y  # wrong on purpose: the sigmoid's derivative is y * (1 - y)


def teaching_network(broken: bool = False) -> Sequential:
    """Dense(2 -> 3), Sigmoid, Dense(3 -> 2) with fixed weights; ``BrokenSigmoid`` if ``broken``."""
    first, second = Dense(2, 3, rng=0), Dense(3, 2, rng=0)
    first.weight[:] = [list(row) for row in TEACHING_FIRST_WEIGHT]
    first.bias[:] = list(TEACHING_FIRST_BIAS)
    second.weight[:] = [list(row) for row in TEACHING_SECOND_WEIGHT]
    second.bias[:] = list(TEACHING_SECOND_BIAS)
    return Sequential(first, BrokenSigmoid() if broken else Sigmoid(), second)


def entry_error(check: EntryCheck, scale: float) -> float:
    """|backprop - numeric| / scale: one entry's share of ``relative_error`` (the tensor's is the largest)."""
    return abs(check.analytic - check.numeric) / scale


def walkthrough(
    entries: int = SHOWN_ENTRIES,
    epsilon: float = DEFAULT_EPSILON,
    tolerance: float = DEFAULT_TOLERANCE,
    broken: bool = False,
    stream: TextIO | None = None,
) -> bool:
    """Print the check of a tiny network entry by entry; return True if every entry passes.

    For the first ``entries`` entries of each tensor (the input and every
    parameter of ``teaching_network(broken)``): h, w, L(w + h), L(w - h), the
    central difference, the backprop value and the relative error with its
    formula; then each tensor's worst entry, which is ``gradcheck``'s error for
    it. Every entry is checked; ``entries`` only limits what is printed. With
    ``broken=True`` the sigmoid's derivative is wrong (``BrokenSigmoid``) and the
    output says which tensors fail and why. The derivation: docs/gradcheck.md.
    """
    check_integer(entries, "walkthrough: entries", minimum=0)
    epsilon = check_number(epsilon, "walkthrough: epsilon")
    tolerance = check_number(tolerance, "walkthrough: tolerance", minimum=0.0)
    if epsilon <= 0.0:
        raise ValueError(f"walkthrough: epsilon must be a positive finite number (the step h), got {epsilon!r}")
    out = stream if stream is not None else sys.stdout
    model = teaching_network(broken)
    loss = SoftmaxCrossEntropy()
    checks = check_entries(model, TEACHING_INPUT, TEACHING_TARGET, loss=loss, epsilon=epsilon)
    loss_value = loss.forward(model.forward(TEACHING_INPUT), TEACHING_TARGET)

    _write_introduction(out, model, loss_value, epsilon, tolerance, broken)
    errors = {}
    for name, entry_checks in checks.items():
        errors[name] = _write_tensor(out, name, entry_checks, entries, tolerance)
    _write_threshold(out, loss_value, epsilon, tolerance)
    if broken:
        _write_what_broke(out, model, errors, tolerance)
    return all(error <= tolerance for error in errors.values())


def _write_introduction(out: TextIO, model: Sequential, loss_value: float, epsilon: float, tolerance: float,
                        broken: bool) -> None:
    hidden = type(model.layers[1]).__name__
    sample = TEACHING_INPUT[0]
    out.write("Checking a gradient, entry by entry (docs/gradcheck.md)\n\n")
    out.write(f"The network: Dense(2 -> 3), {hidden}, Dense(3 -> 2). The loss L: softmax\n")
    out.write(f"cross-entropy of one sample x = {sample} of class {TEACHING_TARGET[0]}; here L = {loss_value:.6f}.\n")
    if broken:
        out.write("BrokenSigmoid is wrong ON PURPOSE: its derivative is s instead of s (1 - s).\n")
    out.write("\nBackpropagation gives every dL/dw at once. To check one, nudge w by h both ways,\n")
    out.write("compute L again, and take the slope between the two points:\n\n")
    out.write(f"    numeric = (L(w + h) - L(w - h)) / (2h)        h = {epsilon:g}\n\n")
    out.write("    relative error = |backprop - numeric| / scale\n\n")
    out.write("w is any entry: an input value, a weight or a bias. scale is the tensor's largest\n")
    out.write("|gradient| (backprop or numeric, at least 1e-12), so that the rounding noise of a\n")
    out.write("tiny gradient is not blown up. An entry passes when its relative error is at most\n")
    out.write(f"{tolerance:g}; a tensor's error is its worst entry's. 'input' is x itself: its gradient\n")
    out.write("is what a layer hands back to the layer before it.\n")


def _write_tensor(out: TextIO, name: str, entry_checks: list[EntryCheck], entries: int, tolerance: float) -> float:
    """Print the first ``entries`` entries of one tensor and its worst error; return that error."""
    analytic = [check.analytic for check in entry_checks]
    numeric = [check.numeric for check in entry_checks]
    scale = gradient_scale(analytic, numeric)
    shown = entry_checks[:entries]
    if not shown:
        which = "none shown"
    elif len(shown) == len(entry_checks):
        which = "all shown"
    else:
        which = f"the first {len(shown)} shown"
    out.write(f"\n{name}: {len(entry_checks)} entries ({which}), scale {scale:.4g}\n")
    for check in shown:
        error = entry_error(check, scale)
        verdict = "PASS" if error <= tolerance else "FAIL"
        difference = abs(check.analytic - check.numeric)
        out.write(f"  {name}{check.index}   w = {check.value:g}\n")
        out.write(f"    L(w + h) = {check.above:<20.15g}  L(w - h) = {check.below:.15g}\n")
        out.write(f"    numeric  = {check.numeric:<20.12g}  backprop = {check.analytic:.12g}\n")
        line = f"    relative error = {difference:.1e} / {scale:.4g} = {error:.1e}   {verdict}"
        if verdict == "FAIL" and check.numeric != 0.0:
            # a wrong gradient is off by a factor, which rounding noise never is
            line += f"   (backprop / numeric = {check.analytic / check.numeric:.3f})"
        out.write(line + "\n")
    error = relative_error(analytic, numeric)
    out.write(f"  worst of all {len(entry_checks)} entries: {error:.1e}   {'PASS' if error <= tolerance else 'FAIL'}\n")
    return error


def _write_threshold(out: TextIO, loss_value: float, epsilon: float, tolerance: float) -> None:
    rounding = UNIT_ROUNDOFF * abs(loss_value) / epsilon
    truncation = epsilon**2 / 6.0
    out.write(f"\nWhy the threshold is {DEFAULT_TOLERANCE:g}. A correct gradient differs from the central\n")
    out.write("difference only by the difference's own error: rounding (L is exact to about\n")
    out.write(f"1.1e-16 |L|; dividing by 2h magnifies that to 1.1e-16 |L| / h = {rounding:.1e} here)\n")
    out.write(f"plus truncation (h^2/6 |L'''| = {truncation:.1e} for |L'''| = 1). Divided by a scale\n")
    out.write("of 0.1 to 1, that is 1e-10 to 1e-9. A wrong gradient is off by a factor, not by a\n")
    out.write("rounding: twice too large gives 0.5, a forgotten 1/N gives 1 - 1/N, a wrong\n")
    out.write("derivative anything from 1e-2 to 1. The threshold sits in the gap between them.\n")
    if tolerance != DEFAULT_TOLERANCE:
        out.write(f"(This run uses --tolerance {tolerance:g}.)\n")


def _write_what_broke(out: TextIO, model: Sequential, errors: dict[str, float], tolerance: float) -> None:
    failing = [name for name, error in errors.items() if error > tolerance]
    passing = [name for name, error in errors.items() if error <= tolerance]
    hidden = model.layers[1].forward(model.layers[0].forward(TEACHING_INPUT))[0]
    out.write("\nWhat broke. Backpropagation runs from the loss backwards. 2.Dense's gradients\n")
    out.write("are computed before the gradient reaches the sigmoid, so its tensors pass. Every\n")
    out.write("gradient behind the sigmoid is multiplied by s where s (1 - s) belongs, so it is\n")
    out.write("1 / (1 - s) times too large:\n")
    out.write(f"  fail: {', '.join(failing) or 'none'}\n")
    out.write(f"  pass: {', '.join(passing) or 'none'}\n")
    out.write(f"The hidden units' outputs are s = {', '.join(f'{s:.4f}' for s in hidden)},\n")
    ratios = ", ".join(f"{1.0 / (1.0 - s):.3f}" for s in hidden)
    out.write(f"so 1 / (1 - s) = {ratios}: the ratio backprop / numeric of\n")
    out.write("0.Dense.weight[j][i] and 0.Dense.bias[j] for unit j. The input's gradient mixes\n")
    out.write("the three units, so its ratio is none of them.\n")
