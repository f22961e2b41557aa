"""Callbacks: everything ``fit`` does besides the training loop, as objects that plug into it.

``Sequential.fit`` runs the textbook's loop: for each epoch, for each
mini-batch, zero the gradients, forward, loss, backward, step. Everything
else it does (show progress, stop on a NaN loss, warn about dying ReLU
units, measure on validation data) is a callback, and so is anything you
add: ``model.fit(X, y, callbacks=[MyCallback()])``. The loop and the order
of the calls are described in docs/training.md.

The protocol, in the spirit of Keras' ``Callback``: subclass ``Callback``
and override any of these methods; each receives the ``Training`` of the
run (the model, the loss, the optimiser, the epoch, the batch, the history):

    on_train_begin(training)      once, before the first epoch
    on_epoch_begin(training)      before each epoch's first batch
    on_forward_end(training)      after a batch's forward pass (training.outputs)
    on_before_backward(training)  after its loss (training.batch_loss), before backward
                                  and step: nothing has changed yet (PyTorch Lightning's name)
    on_batch_end(training)        after the optimiser's step
    on_epoch_end(training)        after each epoch; its figures are in training.history
    on_train_end(training)        once, after the last epoch (also after a stop)
    on_exception(training, error) instead of on_train_end, when an exception ends fit:
                                  to tidy up (Ctrl-C's handler is put back); fit re-raises it

To stop training, a callback sets ``training.stop_training = True`` (Keras'
name). ``fit`` looks after every batch: the epoch in progress ends there
(``on_epoch_end`` runs, its figures cover the batches that ran), then
``on_train_end`` runs and ``fit`` returns. An exception raised by a callback
ends ``fit`` at once (``DivergenceGuard`` raises ``TrainingDivergedError``),
after ``on_exception``.
"""

from __future__ import annotations

import math
import sys
import warnings
from typing import TextIO

from . import matrices
from .layers import ReLU
from .progress import ProgressBar
from .training import Training, labels
from .validation import is_finite


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during ``fit``."""


class Callback:
    """Base class of the callbacks: every method does nothing until a subclass overrides it."""

    def on_train_begin(self, training: Training) -> None:
        """Once, before the first epoch."""

    def on_epoch_begin(self, training: Training) -> None:
        """Before each epoch's first batch."""

    def on_forward_end(self, training: Training) -> None:
        """After a batch's forward pass, with its outputs in ``training.outputs``."""

    def on_before_backward(self, training: Training) -> None:
        """After a batch's loss (``training.batch_loss``), before backward and the optimiser's step."""

    def on_batch_end(self, training: Training) -> None:
        """After the optimiser's step."""

    def on_epoch_end(self, training: Training) -> None:
        """After each epoch, with its figures in ``training.history``."""

    def on_train_end(self, training: Training) -> None:
        """Once, after the last epoch, or after a callback stopped training."""

    def on_exception(self, training: Training, error: BaseException) -> None:
        """Instead of ``on_train_end`` when an exception ends ``fit``; ``fit`` raises it again afterwards."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


class CallbackList(Callback):
    """Several callbacks called in order, so that ``fit`` makes one call per event.

    ``callbacks`` (a list, checked entry by entry) are called after ``first``
    (fit's own callbacks).
    """

    def __init__(self, callbacks: object, first: list[Callback] | None = None) -> None:
        if not isinstance(callbacks, (list, tuple)):
            raise TypeError(f"callbacks must be a list of Callback objects, got {callbacks!r}")
        for index, callback in enumerate(callbacks):
            if not isinstance(callback, Callback):
                hint = " (the class itself was passed: add the parentheses)" if isinstance(callback, type) else ""
                raise TypeError(
                    f"callbacks[{index}] must be an instance of a purenet.callbacks.Callback subclass, "
                    f"got {callback!r}{hint}"
                )
        self.callbacks = list(first or []) + list(callbacks)

    def on_train_begin(self, training: Training) -> None:
        for callback in self.callbacks:
            callback.on_train_begin(training)

    def on_epoch_begin(self, training: Training) -> None:
        for callback in self.callbacks:
            callback.on_epoch_begin(training)

    def on_forward_end(self, training: Training) -> None:
        for callback in self.callbacks:
            callback.on_forward_end(training)

    def on_before_backward(self, training: Training) -> None:
        for callback in self.callbacks:
            callback.on_before_backward(training)

    def on_batch_end(self, training: Training) -> None:
        for callback in self.callbacks:
            callback.on_batch_end(training)

    def on_epoch_end(self, training: Training) -> None:
        for callback in self.callbacks:
            callback.on_epoch_end(training)

    def on_train_end(self, training: Training) -> None:
        for callback in self.callbacks:
            callback.on_train_end(training)

    def on_exception(self, training: Training, error: BaseException) -> None:
        for callback in self.callbacks:
            callback.on_exception(training, error)


class DivergenceGuard(Callback):
    """Raise ``TrainingDivergedError``, naming the epoch and batch, when training diverges.

    It looks at the outputs before the loss (a loss on probabilities would
    refuse NaN with a message about probabilities instead) and at the loss
    before backward, so the model keeps the last weights that gave a finite
    loss. Why training diverges and what helps: docs/stability.md.
    """

    def on_forward_end(self, training: Training) -> None:
        for row in training.outputs:
            for value in row:
                if not is_finite(value):
                    self._stop(training, math.nan, f" (the model's outputs hold {value})")

    def on_before_backward(self, training: Training) -> None:
        if not is_finite(training.batch_loss):
            self._stop(training, training.batch_loss, "")

    def _stop(self, training: Training, loss: float, cause: str) -> None:
        raise TrainingDivergedError(
            f"training diverged: the loss became {loss} at epoch {training.epoch}, batch {training.batch}"
            f"{cause}. Try a smaller learning rate (lr), or scale the inputs to a range like [-1, 1]."
        )


class Validation(Callback):
    """Measure the loss and accuracy on held-out samples after every epoch.

    Appends to ``training.history["val_loss"]`` and ``["val_accuracy"]``,
    measured with the training loss by ``model.evaluate`` (accuracy is None
    for targets that are not classes).
    """

    def __init__(self, X: object, y: object) -> None:
        self.inputs = matrices.as_matrix(X, "validation X")
        self.targets = labels(y, len(self.inputs), "validation y")

    def on_epoch_end(self, training: Training) -> None:
        result = training.model.evaluate(self.inputs, self.targets, training.loss)
        training.history["val_loss"].append(result["loss"])
        training.history["val_accuracy"].append(result["accuracy"])

    def __repr__(self) -> str:
        return f"Validation({len(self.inputs)} samples)"


class ProgressLogger(Callback):
    """Show each epoch's progress on ``stream`` (stderr by default).

    On a terminal a bar redraws in place after every batch with the running
    loss; otherwise (a log file, CI) one line per epoch. The epoch's line ends
    with the history's latest figures: ``loss 0.1234 accuracy 0.9500
    val_loss ...``.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream
        self.bar: ProgressBar | None = None

    def on_epoch_begin(self, training: Training) -> None:
        label = f"epoch {training.epoch}/{training.epochs}"
        self.bar = ProgressBar(label, training.batches, self.stream if self.stream is not None else sys.stderr)

    def on_batch_end(self, training: Training) -> None:
        self.bar.update(training.batch, f"loss {training.running_loss():.4f}")

    def on_epoch_end(self, training: Training) -> None:
        # Only this epoch's figures: a callback that runs after this one (LearningRateScheduler records
        # the epoch's lr) has not added its figure yet, and its last one belongs to the epoch before.
        figures = [
            f"{name} {values[-1]:.4f}"
            for name, values in training.history.items()
            if len(values) == training.epoch and values[-1] is not None
        ]
        self.bar.finish(" ".join(figures))


class DyingReLUMonitor(Callback):
    """Warn once when a quarter or more of a ReLU layer's units gave 0 for every sample of an epoch.

    Such units get no gradient and may never recover ("dying ReLU",
    docs/activations.md). A few silent units are common and harmless; a
    quarter is capacity lost. Only plain ``ReLU`` layers are watched:
    LeakyReLU's units always pass some gradient.
    """

    def on_train_begin(self, training: Training) -> None:
        self.rectifiers = [(index, layer) for index, layer in enumerate(training.model.layers) if type(layer) is ReLU]
        self.reported = False

    def on_epoch_begin(self, training: Training) -> None:
        self.fired: dict[int, list[bool]] = {}

    def on_batch_end(self, training: Training) -> None:
        for index, layer in self.rectifiers:
            units = self.fired.get(index, [False] * len(layer.output[0]))
            for row in layer.output:
                units = [was or value > 0.0 for was, value in zip(units, row)]
            self.fired[index] = units

    def on_epoch_end(self, training: Training) -> None:
        if self.reported:
            return
        for index, units in self.fired.items():
            dead = units.count(False)
            if dead and 4 * dead >= len(units):
                warnings.warn(
                    f"fit: {dead} of {len(units)} units of layer {index} (ReLU) gave 0 for every sample of "
                    f"epoch {training.epoch}: they get no gradient and may never recover (dying ReLU). "
                    "LeakyReLU, a smaller learning rate or He initialisation help (docs/activations.md).",
                    # Points at the caller of fit: this method, CallbackList, fit, the caller.
                    stacklevel=4,
                )
                self.reported = True
                return
