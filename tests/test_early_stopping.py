"""EarlyStopping and LearningRateScheduler inside fit: when they stop, what they restore, the lr they set."""

from __future__ import annotations

import pytest

import purenet as pn
from conftest import assert_close
from purenet.callbacks import Callback
from purenet.datasets import xor


class ScriptedValidation(Callback):
    """Puts a given sequence of val_loss figures in the history, so that the stopping epoch is known."""

    def __init__(self, figures: list[float]) -> None:
        self.figures = figures

    def on_epoch_end(self, training) -> None:
        training.history["val_loss"].append(self.figures[training.epoch - 1])


def _model() -> pn.Sequential:
    return pn.Sequential(pn.Dense(2, 4, rng=1), pn.Tanh(), pn.Dense(4, 2, rng=2))


def test_stops_after_patience_epochs_without_improvement_and_restores_the_best() -> None:
    X, y = xor()
    model = _model()
    snapshots = []

    class Snapshot(Callback):
        def on_epoch_end(self, training) -> None:
            snapshots.append(training.model.state_dict())

    stopper = pn.EarlyStopping(patience=3, min_delta=0.01)
    figures = [1.0, 0.8, 0.795, 0.9, 0.7999, 0.5, 0.4]  # epoch 2 is best; 3 (not by min_delta), 4, 5 are not
    history = model.fit(
        X, y, epochs=7, verbose=0, callbacks=[ScriptedValidation(figures), Snapshot(), stopper]
    )
    assert len(history["loss"]) == 5
    assert (stopper.best_epoch, stopper.stopped_epoch) == (2, 5)
    assert_close(stopper.best, 0.8)
    # the weights after epoch 2, not after epoch 5
    assert_close(list(model.state_dict().values()), list(snapshots[1].values()))
    assert model.state_dict() != snapshots[-1]


def test_without_restoring_the_last_weights_stay_and_mode_max() -> None:
    X, y = xor()
    model = _model()
    stopper = pn.EarlyStopping(monitor="val_loss", patience=2, mode="max", restore_best_weights=False)
    model.fit(X, y, epochs=6, verbose=0, callbacks=[ScriptedValidation([0.5, 0.4, 0.3, 0.9, 1.0, 1.1]), stopper])
    assert (stopper.best_epoch, stopper.stopped_epoch) == (1, 3)


def test_unknown_monitor_is_explained() -> None:
    X, y = xor()
    with pytest.raises(ValueError, match="validation="):
        _model().fit(X, y, epochs=2, verbose=0, callbacks=[pn.EarlyStopping()])


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda: pn.EarlyStopping(patience=0), ValueError, "patience"),
        (lambda: pn.EarlyStopping(min_delta=-1.0), ValueError, "min_delta"),
        (lambda: pn.EarlyStopping(mode="lowest"), ValueError, "mode"),
        (lambda: pn.EarlyStopping(monitor=3), TypeError, "monitor"),
        (lambda: pn.LearningRateScheduler("StepLR"), TypeError, "scheduler"),
    ],
)
def test_bad_arguments(make, error, message: str) -> None:
    with pytest.raises(error, match=message):
        make()


def test_scheduler_steps_once_per_epoch_in_fit_and_records_lr() -> None:
    X, y = xor()
    model = _model()
    optimizer = pn.SGD(model.parameters(), lr=0.4)
    history = model.fit(
        X, y, optimizer=optimizer, epochs=5, verbose=0,
        callbacks=[pn.LearningRateScheduler(pn.StepLR(optimizer, step_size=2, gamma=0.5))],
    )
    assert_close(history["lr"], [0.4, 0.4, 0.2, 0.2, 0.1])
    assert_close(optimizer.lr, 0.1)  # epoch 5 of the schedule: 0.4 * 0.5^floor(5 / 2)


def test_plateau_scheduler_reads_the_monitored_figure() -> None:
    X, y = xor()
    model = _model()
    optimizer = pn.SGD(model.parameters(), lr=0.4)
    scheduler = pn.ReduceLROnPlateau(optimizer, patience=1, factor=0.5)
    history = model.fit(
        X, y, optimizer=optimizer, epochs=5, verbose=0,
        callbacks=[ScriptedValidation([1.0, 1.0, 1.0, 1.0, 1.0]), pn.LearningRateScheduler(scheduler)],
    )
    assert_close(history["lr"], [0.4, 0.4, 0.4, 0.2, 0.2])


def test_scheduler_on_another_optimizer_is_refused() -> None:
    X, y = xor()
    model = _model()
    other = pn.SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="another optimiser"):
        model.fit(
            X, y, optimizer=pn.SGD(model.parameters(), lr=0.1), epochs=1, verbose=0,
            callbacks=[pn.LearningRateScheduler(pn.StepLR(other, step_size=1))],
        )


def _resumable_run(path, epochs: int, resume: bool) -> tuple[pn.Sequential, pn.EarlyStopping, dict]:
    X, y = xor()
    model = pn.Sequential(pn.Dense(2, 6, rng=1), pn.BatchNorm1d(6), pn.Tanh(), pn.Dropout(0.2, rng=3),
                          pn.Dense(6, 2, rng=2))
    optimizer = pn.SGD(model.parameters(), lr=0.2)
    stopper = pn.EarlyStopping(monitor="loss", patience=50)
    history = model.fit(X, y, optimizer=optimizer, epochs=epochs, batch_size=2, verbose=0,
                        callbacks=[stopper], **({"resume": path} if resume else {"checkpoint": path}))
    return model, stopper, history


def test_a_checkpointed_run_resumes_bit_for_bit(tmp_path) -> None:
    """Early stopping's watch, dropout's generator and batch norm's statistics and count travel in the checkpoint."""
    whole, whole_stopper, whole_history = _resumable_run(str(tmp_path / "whole.json"), 6, resume=False)
    path = str(tmp_path / "half.json")
    _resumable_run(path, 3, resume=False)
    resumed, stopper, history = _resumable_run(path, 6, resume=True)
    assert resumed.state_dict() == whole.state_dict()
    assert history["loss"] == whole_history["loss"]
    assert (stopper.best, stopper.best_epoch) == (whole_stopper.best, whole_stopper.best_epoch)
    assert resumed.layers[1].num_batches_tracked == whole.layers[1].num_batches_tracked == 12
