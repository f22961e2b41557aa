"""BCEWithLogitsLoss, L1Loss and HuberLoss: values by hand, gradients by central differences, the checks.

The same losses against torch.nn: test_toolbox_torch.py.
"""

from __future__ import annotations

import math
import random

import pytest

import purenet as pn
from conftest import assert_close, central_difference


def _random_case(seed: int, rows: int = 4, width: int = 2) -> tuple[list, list]:
    rng = random.Random(seed)
    output = [[rng.uniform(-3.0, 3.0) for _ in range(width)] for _ in range(rows)]
    target = [[rng.random() for _ in range(width)] for _ in range(rows)]
    return output, target


@pytest.mark.parametrize("make", [pn.BCEWithLogitsLoss, pn.L1Loss, pn.HuberLoss, lambda: pn.HuberLoss(0.25)])
def test_gradient_equals_central_difference(make) -> None:
    for seed in range(5):
        output, target = _random_case(seed)
        loss = make()
        loss.forward(output, target)
        analytic = loss.backward()
        numeric = central_difference(lambda: make().forward(output, target), output)
        assert_close(analytic, numeric, rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("make", [pn.BCEWithLogitsLoss, pn.L1Loss, pn.HuberLoss])
def test_purenet_gradcheck_passes(make) -> None:
    output, target = _random_case(11, rows=3, width=3)
    errors = pn.gradcheck(make(), output, target)
    assert max(errors.values()) < 1e-6


def test_binary_cross_entropy_by_hand_and_for_huge_logits() -> None:
    loss = pn.BCEWithLogitsLoss()
    value = loss.forward([[0.0], [2.0]], [0, 1])
    assert_close(value, (math.log(2.0) + math.log1p(math.exp(-2.0))) / 2)
    sigmoid_two = 1.0 / (1.0 + math.exp(-2.0))
    assert_close(loss.backward(), [[0.5 / 2], [(sigmoid_two - 1.0) / 2]])
    # log(sigmoid(-800)) written naively is log(0); the stable form gives 800.
    assert_close(loss.forward([[-800.0], [800.0]], [[1.0], [0.0]]), 800.0)
    assert_close(loss.backward(), [[-0.5], [0.5]])


def test_l1_and_huber_by_hand() -> None:
    l1, huber = pn.L1Loss(), pn.HuberLoss(delta=1.0)
    output, target = [[3.0, 0.5]], [[0.0, 0.0]]
    assert_close(l1.forward(output, target), 1.75)
    assert_close(l1.backward(), [[0.5, 0.5]])
    # h(3) = 1 * (3 - 0.5) = 2.5, h(0.5) = 0.125
    assert_close(huber.forward(output, target), (2.5 + 0.125) / 2)
    assert_close(huber.backward(), [[0.5, 0.25]])
    assert_close(l1.forward([[1.0]], [1.0]), 0.0)
    assert l1.backward() == [[0.0]]  # sign(0) = 0, as in PyTorch


@pytest.mark.parametrize(
    "make, output, target, error, message",
    [
        (pn.BCEWithLogitsLoss, [[0.0]], [2.0], ValueError, r"\[0, 1\]"),
        (pn.BCEWithLogitsLoss, [[0.0], [1.0]], [1.0], ValueError, "2 samples"),
        (pn.L1Loss, [[0.0, 1.0]], [[1.0]], ValueError, "row of 2 numbers"),
        (pn.HuberLoss, [[0.0]], "1", TypeError, "target"),
        (pn.L1Loss, [[0.0]], [[math.nan]], ValueError, "finite"),
    ],
)
def test_bad_targets_are_explained(make, output, target, error, message: str) -> None:
    with pytest.raises(error, match=message):
        make().forward(output, target)


def test_backward_before_forward_and_bad_delta() -> None:
    with pytest.raises(RuntimeError, match="before forward"):
        pn.L1Loss().backward()
    with pytest.raises(ValueError, match="delta"):
        pn.HuberLoss(delta=0.0)
