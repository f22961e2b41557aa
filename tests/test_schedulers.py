"""The learning-rate schedules against their closed forms (docs/schedules.md) and their argument checks.

The same sequences against torch.optim.lr_scheduler: test_toolbox_torch.py.
"""

from __future__ import annotations

import math

import pytest

import purenet as pn
from conftest import assert_close


def _optimizer(lr: float = 0.1) -> pn.SGD:
    return pn.SGD([pn.Parameter([0.0], "bias")], lr=lr)


def _sequence(scheduler, epochs: int = 30) -> list[float]:
    lrs = [scheduler.get_last_lr()[0]]
    for _ in range(epochs):
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
    return lrs


def test_step_lr_closed_form() -> None:
    assert_close(_sequence(pn.StepLR(_optimizer(), step_size=4, gamma=0.5)), [0.1 * 0.5 ** (e // 4) for e in range(31)])


def test_exponential_lr_closed_form() -> None:
    assert_close(_sequence(pn.ExponentialLR(_optimizer(), gamma=0.8)), [0.1 * 0.8**e for e in range(31)])


def test_cosine_annealing_closed_form_over_two_periods() -> None:
    """The chainable form equals eta_min + (lr_0 - eta_min)(1 + cos(pi e / T_max)) / 2, also past T_max."""
    lrs = _sequence(pn.CosineAnnealingLR(_optimizer(), T_max=10, eta_min=0.01))
    expected = [0.01 + 0.09 * (1 + math.cos(math.pi * e / 10)) / 2 for e in range(31)]
    assert_close(lrs, expected, rel=1e-9, abs=1e-15)
    assert_close(lrs[10], 0.01)


def test_lambda_lr_multiplies_the_base_lr() -> None:
    lrs = _sequence(pn.LambdaLR(_optimizer(0.2), lambda epoch: 1.0 / (1 + epoch)), epochs=5)
    assert_close(lrs, [0.2 / (1 + e) for e in range(6)])


def test_scheduler_sets_the_optimizer_lr() -> None:
    optimizer = _optimizer()
    scheduler = pn.StepLR(optimizer, step_size=1, gamma=0.5)
    scheduler.step()
    assert_close(optimizer.lr, 0.05)
    assert scheduler.last_epoch == 1


def test_reduce_lr_on_plateau_by_hand() -> None:
    optimizer = _optimizer()
    scheduler = pn.ReduceLROnPlateau(optimizer, factor=0.5, patience=2, min_lr=0.03)
    for metric in (1.0, 0.5, 0.6, 0.6):  # two bad epochs: patience not exceeded
        scheduler.step(metric)
    assert_close(optimizer.lr, 0.1)
    scheduler.step(0.7)  # the third bad epoch
    assert_close(optimizer.lr, 0.05)
    for metric in (0.7, 0.7, 0.7):
        scheduler.step(metric)
    assert_close(optimizer.lr, 0.03)  # max(0.025, min_lr)


def test_state_dict_resumes_a_schedule() -> None:
    first = pn.ExponentialLR(_optimizer(), gamma=0.5)
    first.step()
    first.step()
    second = pn.ExponentialLR(_optimizer(), gamma=0.5)
    second.load_state_dict(first.state_dict())
    assert second.last_epoch == 2
    with pytest.raises(ValueError, match="expected keys"):
        second.load_state_dict({"gamma": 0.5})


@pytest.mark.parametrize(
    "make, message",
    [
        (lambda o: pn.StepLR(o, step_size=0), "step_size"),
        (lambda o: pn.ExponentialLR(o, gamma=-1.0), "gamma"),
        (lambda o: pn.CosineAnnealingLR(o, T_max=0), "T_max"),
        (lambda o: pn.LambdaLR(o, 0.5), "lr_lambda"),
        (lambda o: pn.LambdaLR(o, lambda epoch: math.nan), "lr_lambda"),
        (lambda o: pn.ReduceLROnPlateau(o, mode="lowest"), "mode"),
        (lambda o: pn.ReduceLROnPlateau(o, factor=1.0), "factor"),
        (lambda o: pn.StepLR("optimizer", step_size=1), "optimizer"),
    ],
)
def test_bad_arguments_are_named(make, message: str) -> None:
    with pytest.raises((ValueError, TypeError), match=message):
        make(_optimizer())
