"""Callbacks that act once per epoch: a learning-rate schedule and early stopping, for ``fit``.

    model.fit(X, y, validation=0.2, callbacks=[
        LearningRateScheduler(StepLR(optimizer, step_size=10, gamma=0.5)),
        EarlyStopping(monitor="val_loss", patience=5),
    ])

Both read the epoch's figures from ``training.history`` after fit's own
callbacks (the validation figures are in by then). The callback protocol:
docs/training.md; why early stopping regularises: docs/regularisation.md.
"""

from __future__ import annotations

import math

from .callbacks import Callback
from .schedulers import LRScheduler, ReduceLROnPlateau
from .training import Training
from .validation import check_integer, check_number, is_finite, is_number


def _monitored(training: Training, monitor: str, owner: str) -> float:
    """The latest value of history[monitor], with a clear error if fit does not record it."""
    values = training.history.get(monitor)
    if not values or not is_number(values[-1]):
        recorded = [name for name, figures in training.history.items() if figures and figures[-1] is not None]
        hint = " (val_* figures need fit(..., validation=...))" if monitor.startswith("val_") else ""
        raise ValueError(f"{owner}: monitor {monitor!r} is not in this run's history{hint}; it records {recorded}")
    return values[-1]


class LearningRateScheduler(Callback):
    """Call ``scheduler.step()`` after every epoch of ``fit`` (``step(history[monitor])`` for ReduceLROnPlateau).

    The lr used in each epoch is appended to ``history["lr"]``.
    """

    def __init__(self, scheduler: LRScheduler | ReduceLROnPlateau, monitor: str = "val_loss") -> None:
        if not isinstance(scheduler, (LRScheduler, ReduceLROnPlateau)):
            raise TypeError(
                f"LearningRateScheduler: scheduler must be a purenet scheduler (StepLR, ...), "
                f"got {type(scheduler).__name__}"
            )
        if not isinstance(monitor, str):
            raise TypeError(f"LearningRateScheduler: monitor must be a history key such as 'val_loss', got {monitor!r}")
        self.scheduler, self.monitor = scheduler, monitor

    def on_train_begin(self, training: Training) -> None:
        if training.optimizer is not self.scheduler.optimizer:
            raise ValueError("LearningRateScheduler: the scheduler was built on another optimiser than fit's")

    def on_epoch_end(self, training: Training) -> None:
        training.history.setdefault("lr", []).append(self.scheduler.get_last_lr()[0])
        if isinstance(self.scheduler, ReduceLROnPlateau):
            self.scheduler.step(_monitored(training, self.monitor, "LearningRateScheduler"))
        else:
            self.scheduler.step()

    def state_dict(self) -> dict:
        """The scheduler's position, for a checkpoint (purenet/checkpoint.py) to resume from."""
        return self.scheduler.state_dict()

    def load_state_dict(self, state: dict) -> None:
        self.scheduler.load_state_dict(state)

    def __repr__(self) -> str:
        return f"LearningRateScheduler({self.scheduler!r})"


class EarlyStopping(Callback):
    """Stop ``fit`` when ``monitor`` has not improved by more than ``min_delta`` for ``patience`` epochs.

    An epoch improves when its figure is below best - min_delta (mode "min",
    for a loss) or above best + min_delta (mode "max", for an accuracy).
    With ``restore_best_weights`` (the default here; Keras' is False) the
    model ends with the parameters and buffers (``state_dict``) of its best
    epoch, also when training ran to the end. ``best``, ``best_epoch`` and
    ``stopped_epoch`` (0 if it never stopped) say what happened.
    """

    def __init__(
        self,
        monitor: str = "val_loss",
        patience: int = 5,
        min_delta: float = 0.0,
        mode: str = "min",
        restore_best_weights: bool = True,
    ) -> None:
        if not isinstance(monitor, str):
            raise TypeError(f"EarlyStopping: monitor must be a history key such as 'val_loss', got {monitor!r}")
        if mode not in ("min", "max"):
            raise ValueError(f"EarlyStopping: mode must be 'min' (a loss) or 'max' (an accuracy), got {mode!r}")
        if not isinstance(restore_best_weights, bool):
            raise TypeError(f"EarlyStopping: restore_best_weights must be True or False, got {restore_best_weights!r}")
        self.monitor, self.mode, self.restore_best_weights = monitor, mode, restore_best_weights
        self.patience = check_integer(patience, "EarlyStopping: patience", minimum=1)
        self.min_delta = check_number(min_delta, "EarlyStopping: min_delta", minimum=0.0)
        self.resumed = False

    def on_train_begin(self, training: Training) -> None:
        if self.resumed:  # a checkpoint's state was just loaded: carry on from it
            self.resumed = False
            return
        self.best = math.inf if self.mode == "min" else -math.inf
        self.best_epoch, self.stopped_epoch, self.wait = 0, 0, 0
        self.best_state: dict | None = None

    def on_epoch_end(self, training: Training) -> None:
        value = _monitored(training, self.monitor, "EarlyStopping")
        improved = value < self.best - self.min_delta if self.mode == "min" else value > self.best + self.min_delta
        if is_finite(value) and improved:
            self.best, self.best_epoch, self.wait = value, training.epoch, 0
            if self.restore_best_weights:
                self.best_state = training.model.state_dict()
            return
        self.wait += 1
        if self.wait >= self.patience:
            self.stopped_epoch = training.epoch
            training.stop_training = True

    def on_train_end(self, training: Training) -> None:
        if self.restore_best_weights and self.best_state is not None:
            training.model.load_state_dict(self.best_state)

    def state_dict(self) -> dict:
        """Where the watch stands (best figure, its epoch, epochs waited, best weights), for a checkpoint."""
        best = self.best if is_finite(self.best) else None  # JSON has no infinity: None means no best yet
        return {"best": best, "best_epoch": self.best_epoch, "stopped_epoch": self.stopped_epoch,
                "wait": self.wait, "best_state": self.best_state}

    def load_state_dict(self, state: dict) -> None:
        """Resume from ``state_dict()``; the next ``fit`` carries on instead of starting afresh."""
        expected = ["best", "best_epoch", "best_state", "stopped_epoch", "wait"]
        if not isinstance(state, dict) or sorted(state) != expected:
            raise ValueError(f"EarlyStopping.load_state_dict: expected keys {expected}, got {state!r:.200}")
        worst = math.inf if self.mode == "min" else -math.inf
        self.best = worst if state["best"] is None else float(state["best"])
        self.best_epoch, self.stopped_epoch = state["best_epoch"], state["stopped_epoch"]
        self.wait, self.best_state = state["wait"], state["best_state"]
        self.resumed = True

    def __repr__(self) -> str:
        return f"EarlyStopping(monitor={self.monitor!r}, patience={self.patience}, min_delta={self.min_delta})"
