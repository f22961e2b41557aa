"""RMSprop, Adagrad, AdamW and clip_grad_norm_ by hand: one or two steps worked out from the formulas.

The comparison with torch.optim over 20 steps is in test_toolbox_torch.py.
"""

from __future__ import annotations

import json
import math

import pytest

import purenet as pn
from conftest import assert_close
from purenet.adaptive_optimizers import Adagrad, AdamW, RMSprop
from purenet.clipping import clip_grad_norm_


def _parameter(values: list, gradient: list) -> pn.Parameter:
    parameter = pn.Parameter(list(values), "weight")
    parameter.accumulate_grad(list(gradient))
    return parameter


def test_rmsprop_first_step_by_hand() -> None:
    parameter = _parameter([1.0, -2.0], [0.5, -4.0])
    RMSprop([parameter], lr=0.1, alpha=0.9, eps=1e-8).step()
    # v = 0.1 g^2, so the step is lr g / (sqrt(0.1) |g| + eps) = lr sign(g) / sqrt(0.1)
    expected = [1.0 - 0.1 * 0.5 / (math.sqrt(0.1 * 0.25) + 1e-8), -2.0 + 0.1 * 4.0 / (math.sqrt(0.1 * 16.0) + 1e-8)]
    assert_close(list(parameter), expected)


def test_rmsprop_centered_uses_the_running_variance() -> None:
    parameter = _parameter([0.0], [2.0])
    optimizer = RMSprop([parameter], lr=1.0, alpha=0.5, eps=1e-8, centered=True)
    optimizer.step()
    # v = 0.5 * 4 = 2, a = 0.5 * 2 = 1, d = sqrt(2 - 1) + eps
    assert_close(list(parameter), [-2.0 / (1.0 + 1e-8)])
    assert_close(optimizer.state[0]["grad_avg"], [1.0])


def test_adagrad_two_steps_with_lr_decay_by_hand() -> None:
    parameter = _parameter([1.0], [2.0])
    optimizer = Adagrad([parameter], lr=0.5, lr_decay=1.0, eps=1e-10)
    optimizer.step()
    after_one = 1.0 - 0.5 * 2.0 / (2.0 + 1e-10)
    assert_close(list(parameter), [after_one])
    parameter.zero_grad()
    parameter.accumulate_grad([1.0])
    optimizer.step()
    # sum = 4 + 1 = 5, rate = 0.5 / (1 + 1 * 1.0)
    assert_close(list(parameter), [after_one - 0.25 * 1.0 / (math.sqrt(5.0) + 1e-10)])


def test_adamw_decays_even_with_a_zero_gradient() -> None:
    """Decoupled decay: p(1 - lr wd) whatever the gradient; Adam's L2 decay would be divided by sqrt(v)."""
    parameter = _parameter([3.0, -1.0], [0.0, 0.0])
    AdamW([parameter], lr=0.1, weight_decay=0.5).step()
    assert_close(list(parameter), [3.0 * 0.95, -1.0 * 0.95])


def test_adamw_without_decay_equals_adam() -> None:
    ours, adam = _parameter([1.0, 2.0], [0.3, -0.7]), _parameter([1.0, 2.0], [0.3, -0.7])
    first, second = AdamW([ours], lr=0.01, weight_decay=0.0), pn.Adam([adam], lr=0.01)
    for _ in range(3):
        first.step()
        second.step()
    assert_close(list(ours), list(adam))


@pytest.mark.parametrize(
    "make",
    [
        lambda p: RMSprop(p, momentum=0.9, centered=True),
        lambda p: Adagrad(p, lr_decay=0.1),
        lambda p: AdamW(p, weight_decay=0.1),
    ],
)
def test_state_dict_round_trip_through_json(make) -> None:
    parameter = _parameter([[1.0, 2.0], [3.0, 4.0]], [[0.1, -0.2], [0.3, 0.4]])
    optimizer = make([parameter])
    optimizer.step()
    saved = json.loads(json.dumps(optimizer.state_dict()))
    copy = make([pn.Parameter([[1.0, 2.0], [3.0, 4.0]], "weight")])
    copy.load_state_dict(saved)
    assert copy.state_dict() == optimizer.state_dict()


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda p: RMSprop(p, alpha=1.5), "alpha"),
        (lambda p: RMSprop(p, eps=0.0), "eps"),
        (lambda p: RMSprop(p, centered="yes"), "centered"),
        (lambda p: Adagrad(p, lr_decay=-1.0), "lr_decay"),
        (lambda p: AdamW(p, betas=(0.9, 1.0)), "betas"),
        (lambda p: AdamW(p, weight_decay=-0.1), "weight_decay"),
    ],
)
def test_bad_settings_are_named(make, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make([pn.Parameter([1.0], "bias")])


def test_clip_grad_norm_by_hand() -> None:
    first, second = _parameter([0.0, 0.0], [3.0, 0.0]), _parameter([0.0], [4.0])
    total = clip_grad_norm_([first, second], max_norm=1.0)
    assert_close(total, 5.0)  # the norm before clipping, as PyTorch returns it
    factor = 1.0 / (5.0 + 1e-6)
    assert_close(first.grad, [3.0 * factor, 0.0])
    assert_close(second.grad, [4.0 * factor])


def test_clip_grad_norm_leaves_small_gradients_and_skips_missing_ones() -> None:
    small, missing = _parameter([0.0], [0.5]), pn.Parameter([1.0], "bias")
    assert_close(clip_grad_norm_([small, missing], max_norm=1.0), 0.5)
    assert_close(small.grad, [0.5])
    assert missing.grad is None


def test_clip_grad_norm_nonfinite_and_bad_arguments() -> None:
    with pytest.raises(RuntimeError, match="total norm"):
        clip_grad_norm_(_parameter([0.0], [math.inf]), 1.0, error_if_nonfinite=True)
    with pytest.raises(ValueError, match="max_norm"):
        clip_grad_norm_(_parameter([0.0], [1.0]), -1.0)
    with pytest.raises(TypeError, match="parameters"):
        clip_grad_norm_([[1.0]], 1.0)
