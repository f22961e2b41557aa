"""Learning-rate schedules: change the optimiser's ``lr`` after each epoch (torch.optim.lr_scheduler).

    scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
    for epoch in range(epochs):
        ...one epoch of steps...
        scheduler.step()

Each scheduler sets ``optimizer.lr`` when built (the ``base_lr``, epoch 0)
and after each ``step()``; ``get_last_lr()`` gives ``[lr]`` (a list, as in
PyTorch, where an optimiser may have several parameter groups; here it has
one). ``last_epoch`` counts the calls to ``step()``. In ``fit``, pass
``LearningRateScheduler(scheduler)`` (purenet/epoch_callbacks.py) among the
callbacks. The formulas, with epoch e = last_epoch and base lr lr_0:

    StepLR            lr_e = lr_0 gamma^floor(e / step_size)
    ExponentialLR     lr_e = lr_0 gamma^e
    CosineAnnealingLR lr_e = eta_min + (lr_0 - eta_min)(1 + cos(pi e / T_max)) / 2
    LambdaLR          lr_e = lr_0 lr_lambda(e)
    ReduceLROnPlateau lr <- max(lr factor, min_lr) when the metric has not improved for patience epochs

Like PyTorch, StepLR, ExponentialLR and CosineAnnealingLR compute lr_e from
lr_(e-1) (the "chainable" form), so an lr changed by hand carries on; the
closed forms above hold when nothing else changes lr. Derivations:
docs/schedules.md.
"""

from __future__ import annotations

import math
from typing import Callable

from .optimizers import Optimizer
from .validation import check_integer, check_number, is_finite, is_number


class LRScheduler:
    """Base class: ``step()`` moves to the next epoch and sets ``optimizer.lr`` to ``get_lr()``."""

    def __init__(self, optimizer: Optimizer, last_epoch: int = -1) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"{type(self).__name__}: optimizer must be a purenet optimiser (SGD, Adam, ...), "
                f"got {type(optimizer).__name__}"
            )
        if last_epoch != -1:
            # PyTorch resumes from a saved initial_lr here; purenet resumes by load_state_dict instead.
            raise ValueError(f"{type(self).__name__}: last_epoch must be -1 (a fresh schedule), got {last_epoch!r}")
        self.optimizer = optimizer
        self.base_lrs = [optimizer.lr]
        self.last_epoch = -1
        self.step()  # epoch 0: the lr the schedule starts from

    def get_lr(self) -> float:
        """The lr for epoch ``last_epoch``, from the current lr (or from the base lr)."""
        raise NotImplementedError

    def step(self) -> None:
        """Move to the next epoch and set its lr on the optimiser (call after each epoch)."""
        self.last_epoch += 1
        self.optimizer.lr = self.get_lr()
        self._last_lr = [self.optimizer.lr]

    def get_last_lr(self) -> list[float]:
        """``[lr]``: the lr the last ``step()`` set (a list, as PyTorch has one entry per parameter group)."""
        return list(self._last_lr)

    def state_dict(self) -> dict:
        """The schedule's position and settings (no optimiser, no function), to resume a run."""
        return {name: value for name, value in vars(self).items() if name not in ("optimizer", "lr_lambda")}

    def load_state_dict(self, state_dict: dict) -> None:
        """Resume from ``state_dict()``: the keys must be this scheduler's."""
        if not isinstance(state_dict, dict) or sorted(state_dict) != sorted(self.state_dict()):
            found = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
            raise ValueError(
                f"{type(self).__name__}.load_state_dict: expected keys {sorted(self.state_dict())}, got {found}"
            )
        vars(self).update(state_dict)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(last_epoch={self.last_epoch}, lr={self.optimizer.lr})"


class StepLR(LRScheduler):
    """Multiply lr by ``gamma`` every ``step_size`` epochs: lr_e = lr_0 gamma^floor(e / step_size)."""

    def __init__(self, optimizer: Optimizer, step_size: int, gamma: float = 0.1, last_epoch: int = -1) -> None:
        self.step_size = check_integer(step_size, "step_size", minimum=1)
        self.gamma = check_number(gamma, "gamma", minimum=0.0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> float:
        if self.last_epoch == 0 or self.last_epoch % self.step_size != 0:
            return self.optimizer.lr
        return self.optimizer.lr * self.gamma


class ExponentialLR(LRScheduler):
    """Multiply lr by ``gamma`` every epoch: lr_e = lr_0 gamma^e."""

    def __init__(self, optimizer: Optimizer, gamma: float, last_epoch: int = -1) -> None:
        self.gamma = check_number(gamma, "gamma", minimum=0.0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> float:
        if self.last_epoch == 0:
            return self.optimizer.lr
        return self.optimizer.lr * self.gamma


class CosineAnnealingLR(LRScheduler):
    """Half a cosine from lr_0 down to ``eta_min`` over ``T_max`` epochs, then back up, and so on.

    lr_e = eta_min + (lr_0 - eta_min)(1 + cos(pi e / T_max)) / 2, computed as
    PyTorch does from lr_(e-1):
        lr_e = eta_min + (lr_(e-1) - eta_min)(1 + cos(pi e / T_max)) / (1 + cos(pi (e - 1) / T_max)),
    except where the denominator is 0 (e - 1 = T_max, 3 T_max, ...): there
        lr_e = lr_(e-1) + (lr_0 - eta_min)(1 - cos(pi / T_max)) / 2.
    """

    # T_max is PyTorch's name, capital letter included.
    def __init__(
        self, optimizer: Optimizer, T_max: int, eta_min: float = 0.0, last_epoch: int = -1  # noqa: N803
    ) -> None:
        self.T_max = check_integer(T_max, "T_max", minimum=1)
        self.eta_min = check_number(eta_min, "eta_min", minimum=0.0)
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> float:
        epoch, period, lowest, lr = self.last_epoch, self.T_max, self.eta_min, self.optimizer.lr
        if epoch == 0:
            return lr
        if (epoch - 1 - period) % (2 * period) == 0:
            return lr + (self.base_lrs[0] - lowest) * (1.0 - math.cos(math.pi / period)) / 2.0
        ratio = (1.0 + math.cos(math.pi * epoch / period)) / (1.0 + math.cos(math.pi * (epoch - 1) / period))
        return ratio * (lr - lowest) + lowest


class LambdaLR(LRScheduler):
    """lr_e = lr_0 lr_lambda(e), for a function ``lr_lambda`` of the epoch (a warm-up, a custom decay...)."""

    def __init__(self, optimizer: Optimizer, lr_lambda: Callable[[int], float], last_epoch: int = -1) -> None:
        if not callable(lr_lambda):
            raise TypeError(f"lr_lambda must be a function of the epoch, got {type(lr_lambda).__name__}")
        self.lr_lambda = lr_lambda
        super().__init__(optimizer, last_epoch)

    def get_lr(self) -> float:
        factor = self.lr_lambda(self.last_epoch)
        if not is_number(factor) or not is_finite(factor):
            raise ValueError(f"lr_lambda({self.last_epoch}) must return a finite number, got {factor!r}")
        return self.base_lrs[0] * factor


class ReduceLROnPlateau(LRScheduler):
    """Multiply lr by ``factor`` when a monitored figure has stopped improving: ``step(metric)`` after each epoch.

    A figure improves on the best so far when (mode "min", threshold_mode "rel")
    it is below best (1 - threshold); "abs" uses best - threshold; mode "max"
    mirrors both. After more than ``patience`` epochs without improvement,
    lr <- max(lr factor, min_lr) (unchanged if that moves it by eps or less),
    then ``cooldown`` epochs pass before bad epochs count again.
    """

    def __init__(
        self,
        optimizer: Optimizer,
        mode: str = "min",
        factor: float = 0.1,
        patience: int = 10,
        threshold: float = 1e-4,
        threshold_mode: str = "rel",
        cooldown: int = 0,
        min_lr: float = 0.0,
        eps: float = 1e-8,
    ) -> None:
        if not isinstance(optimizer, Optimizer):
            raise TypeError(
                f"ReduceLROnPlateau: optimizer must be a purenet optimiser (SGD, Adam, ...), "
                f"got {type(optimizer).__name__}"
            )
        if mode not in ("min", "max"):
            raise ValueError(f"mode must be 'min' (a loss) or 'max' (an accuracy), got {mode!r}")
        if threshold_mode not in ("rel", "abs"):
            raise ValueError(f"threshold_mode must be 'rel' or 'abs', got {threshold_mode!r}")
        self.factor = check_number(factor, "factor", minimum=0.0, below=1.0)
        self.patience = check_integer(patience, "patience", minimum=0)
        self.threshold = check_number(threshold, "threshold", minimum=0.0)
        self.cooldown = check_integer(cooldown, "cooldown", minimum=0)
        self.min_lr = check_number(min_lr, "min_lr", minimum=0.0)
        self.eps = check_number(eps, "eps", minimum=0.0)
        self.mode, self.threshold_mode = mode, threshold_mode
        self.optimizer = optimizer
        self.base_lrs = [optimizer.lr]
        self.last_epoch = 0
        self.best = math.inf if mode == "min" else -math.inf
        self.num_bad_epochs = 0
        self.cooldown_counter = 0
        self._last_lr = [optimizer.lr]

    def is_better(self, current: float) -> bool:
        """Whether ``current`` improves on the best so far by more than the threshold."""
        if self.mode == "min":
            bar = self.best * (1.0 - self.threshold) if self.threshold_mode == "rel" else self.best - self.threshold
            return current < bar
        bar = self.best * (1.0 + self.threshold) if self.threshold_mode == "rel" else self.best + self.threshold
        return current > bar

    def step(self, metrics: float) -> None:  # type: ignore[override]
        """Record this epoch's figure (a validation loss, say) and cut lr if it has stalled."""
        if not is_number(metrics):
            raise TypeError(f"ReduceLROnPlateau.step: metrics must be a number, got {type(metrics).__name__}")
        current = float(metrics)
        self.last_epoch += 1
        if self.is_better(current):
            self.best = current
            self.num_bad_epochs = 0
        else:
            self.num_bad_epochs += 1
        if self.cooldown_counter > 0:
            self.cooldown_counter -= 1
            self.num_bad_epochs = 0  # bad epochs in the cooldown do not count
        if self.num_bad_epochs > self.patience:
            new_lr = max(self.optimizer.lr * self.factor, self.min_lr)
            if self.optimizer.lr - new_lr > self.eps:
                self.optimizer.lr = new_lr
            self.cooldown_counter = self.cooldown
            self.num_bad_epochs = 0
        self._last_lr = [self.optimizer.lr]
