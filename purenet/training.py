"""One run of ``fit``: its data, its mini-batches and its running figures, in one ``Training`` object.

``Sequential.fit`` builds a ``Training`` and hands it to every callback
(``purenet.callbacks``), so that a callback can read the epoch, the batch,
the loss and the history, or stop the run. The loop itself is in
``Sequential.fit``; docs/training.md walks through both.
"""

from __future__ import annotations

import math
import random
from typing import TYPE_CHECKING, Iterator

from .layers import Softmax
from .losses import Loss, SoftmaxCrossEntropy
from .matrices import Matrix
from .metrics import accuracy
from .optimizers import Adam, Optimizer
from .validation import is_integer

if TYPE_CHECKING:  # only for the type hints: model.py imports this module
    from .model import Sequential


def labels(y: object, count: int, name: str) -> list:
    """Check labels: a list of class indices or of target rows, one per sample."""
    if not isinstance(y, (list, tuple)):
        raise TypeError(f"{name} must be a list of class indices (or of target rows), got {type(y).__name__}")
    if len(y) != count:
        raise ValueError(f"{name} has {len(y)} labels but there are {count} samples")
    return list(y)


def is_classification(y: list) -> bool:
    """True when the labels are class indices or one-hot rows, so accuracy means something.

    Malformed labels are not classes either; the loss reports what is wrong with them.
    """
    if all(is_integer(label) for label in y):
        return True
    return all(
        isinstance(row, (list, tuple))
        and len(row) > 1
        and all(value in (0, 1) and not isinstance(value, bool) for value in row)
        and sum(row) == 1
        for row in y
    )


class Training:
    """The state of one ``fit`` run, handed to every callback.

    Attributes:
        model, loss, optimizer: what trains, on what, with what.
        inputs, targets: the training samples (batch x features) and their labels.
        epochs, batch_size, shuffle: as given to ``fit``.
        batches: mini-batches per epoch, ceil(samples / batch_size).
        rng: the ``random.Random`` that shuffles (seeded by ``fit``; its state
            is what a checkpoint needs to resume the same order).
        epoch, batch: the current epoch (1 to epochs) and batch (1 to batches);
            0 before the first.
        outputs, batch_targets, batch_loss: the current batch's model outputs,
            labels and loss.
        history: ``{"loss": [...], "accuracy": [...], "val_loss": [...],
            "val_accuracy": [...]}``, one value per finished epoch (accuracy is
            None for targets that are not classes); what ``fit`` returns.
        stop_training: set it to True to stop after the current batch.
    """

    def __init__(
        self,
        model: Sequential,
        loss: Loss,
        optimizer: Optimizer,
        inputs: Matrix,
        targets: list,
        epochs: int,
        batch_size: int,
        shuffle: bool,
        rng: random.Random,
    ) -> None:
        self.model, self.loss, self.optimizer = model, loss, optimizer
        self.inputs, self.targets = inputs, targets
        self.epochs, self.batch_size, self.shuffle, self.rng = epochs, batch_size, shuffle, rng
        self.batches = math.ceil(len(inputs) / batch_size)
        self.classification = is_classification(targets)
        self.history: dict[str, list] = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        self.epoch = self.batch = 0
        self.batch_loss = math.nan
        self.outputs: Matrix = []
        self.batch_targets: list = []
        self.stop_training = False
        self._order = list(range(len(inputs)))
        self._loss_sum = 0.0
        self._correct = 0
        self._seen = 0

    def start_epoch(self, epoch: int) -> None:
        """Begin epoch ``epoch``: reshuffle the order (if shuffling) and reset the running figures."""
        self.epoch, self.batch = epoch, 0
        if self.shuffle:
            self.rng.shuffle(self._order)
        self._loss_sum, self._correct, self._seen = 0.0, 0, 0

    def mini_batches(self) -> Iterator[tuple[Matrix, list]]:
        """The epoch's mini-batches ``(batch_x, batch_y)`` in the epoch's order.

        Counts them in ``batch`` and keeps the current one's labels in
        ``batch_targets`` for the callbacks.
        """
        for start in range(0, len(self._order), self.batch_size):
            indices = self._order[start : start + self.batch_size]
            self.batch += 1
            self.batch_targets = [self.targets[i] for i in indices]
            yield [self.inputs[i] for i in indices], self.batch_targets

    def record_loss(self, batch_loss: float) -> None:
        """Keep the batch's loss, and add it and the batch's accuracy to the epoch's running figures."""
        self.batch_loss = batch_loss
        count = len(self.batch_targets)
        self._loss_sum += batch_loss * count
        self._seen += count
        if self.classification:
            self._correct += round(accuracy(self.outputs, self.batch_targets) * count)

    def running_loss(self) -> float:
        """The mean loss of the epoch's batches so far, each measured just before its update."""
        return self._loss_sum / self._seen

    def end_epoch(self) -> None:
        """Append the epoch's loss and accuracy (means over its samples) to the history."""
        self.history["loss"].append(self.running_loss())
        self.history["accuracy"].append(self._correct / self._seen if self.classification else None)


def split_validation(
    X: Matrix, y: list, validation: object, rng: random.Random
) -> tuple[Matrix, list, tuple[object, object] | None]:
    """``(X_train, y_train, (X_val, y_val) or None)`` from fit's ``validation`` argument.

    A fraction in (0, 1) holds out that share of the samples, chosen with
    ``rng``; a pair ``(X_val, y_val)`` is passed through (``Validation``
    checks it).
    """
    if validation is None:
        return X, y, None
    if isinstance(validation, float):
        if not 0.0 < validation < 1.0:
            raise ValueError(f"fit: a validation fraction must be in (0, 1), got {validation!r}")
        held_out = int(round(len(X) * validation))
        if held_out < 1 or held_out >= len(X):
            raise ValueError(
                f"fit: validation={validation} of {len(X)} samples leaves {held_out} for validation "
                f"and {len(X) - held_out} for training; both need at least one"
            )
        order = list(range(len(X)))
        rng.shuffle(order)
        train, valid = order[held_out:], order[:held_out]
        return [X[i] for i in train], [y[i] for i in train], ([X[i] for i in valid], [y[i] for i in valid])
    if isinstance(validation, (tuple, list)) and len(validation) == 2:
        return X, y, (validation[0], validation[1])
    raise TypeError(f"fit: validation must be (X_val, y_val) or a fraction in (0, 1), got {validation!r}")


def loss_and_optimizer(model: Sequential, loss: object, optimizer: object) -> tuple[Loss, Optimizer]:
    """fit's loss and optimiser: checked if given; ``model.default_loss()`` and ``Adam`` otherwise."""
    for argument, value, kind, example in (
        ("loss", loss, Loss, "SoftmaxCrossEntropy()"),
        ("optimizer", optimizer, Optimizer, "Adam(model.parameters())"),
    ):
        if value is not None and not isinstance(value, kind):
            hint = " (the class itself was passed: add the parentheses)" if isinstance(value, type) else ""
            raise TypeError(f"fit: {argument} must be an instance such as {example}, got {value!r}{hint}")
    loss = loss if loss is not None else model.default_loss()
    if isinstance(loss, SoftmaxCrossEntropy) and isinstance(model.layers[-1], Softmax):
        raise ValueError(
            "fit: the model ends in Softmax but the loss is SoftmaxCrossEntropy, which applies softmax "
            "itself; remove the final Softmax layer (predict_proba still gives probabilities) or use "
            "ProbabilityCrossEntropy()"
        )
    optimizer = optimizer if optimizer is not None else Adam(model.parameters())
    own = {id(parameter) for parameter in model.parameters()}
    if not all(id(parameter) in own for parameter in optimizer.params):
        raise ValueError(
            "fit: the optimizer holds parameters that are not this model's; build it from "
            "this model: optimizer=Adam(model.parameters())"
        )
    return loss, optimizer
