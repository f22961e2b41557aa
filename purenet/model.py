"""``Sequential``: layers applied one after the other, with Keras-style ``fit``.

forward runs the layers in order; backward runs them in reverse, passing each
layer the gradient of the loss with respect to its output (the chain rule,
docs/backpropagation.md). ``fit`` is the training loop written out once:
shuffle, cut into mini-batches, and for each batch zero the gradients, run
forward, compute the loss, run backward, and let the optimiser step.
"""

from __future__ import annotations

import math
import random
import sys
import warnings
from typing import TextIO

from . import matrices
from .layers import Dense, Layer, ReLU, Softmax
from .layers.activations import softmax_row
from .layers.base import Parameter
from .losses import CrossEntropy, Loss, SoftmaxCrossEntropy
from .matrices import Matrix
from .metrics import accuracy
from .optimizers import Adam, Optimizer
from .progress import ProgressBar


class TrainingDivergedError(FloatingPointError):
    """The loss became NaN or infinite during ``fit``."""


def _labels(y: object, count: int, name: str) -> list:
    """Check labels: a list of class indices or of target rows, one per sample."""
    if not isinstance(y, (list, tuple)):
        raise TypeError(f"{name} must be a list of class indices (or of target rows), got {type(y).__name__}")
    if len(y) != count:
        raise ValueError(f"{name} has {len(y)} labels but there are {count} samples")
    return list(y)


def _is_classification(y: list) -> bool:
    """True when the labels are class indices or one-hot rows, so accuracy means something.

    Malformed labels are not classes either; the loss reports what is wrong with them.
    """
    if all(isinstance(label, int) and not isinstance(label, bool) for label in y):
        return True
    return all(
        isinstance(row, (list, tuple))
        and len(row) > 1
        and all(value in (0, 1) and not isinstance(value, bool) for value in row)
        and sum(row) == 1
        for row in y
    )


def _check_seed(seed: object) -> None:
    if isinstance(seed, bool) or not isinstance(seed, int):
        raise TypeError(f"fit: seed must be an int (runs are reproducible), got {type(seed).__name__} {seed!r}")


def _report_dead_units(fired: dict[int, list[bool]], epoch: int) -> bool:
    """Warn when a quarter or more of a ReLU layer's units gave 0 for every sample of an epoch.

    A few silent units are common and harmless; a quarter is capacity lost. True if it warned.
    """
    for index, units in fired.items():
        dead = units.count(False)
        if dead and 4 * dead >= len(units):
            warnings.warn(
                f"fit: {dead} of {len(units)} units of layer {index} (ReLU) gave 0 for every sample of epoch "
                f"{epoch}: they get no gradient and may never recover (dying ReLU). LeakyReLU, a smaller "
                "learning rate or He initialisation help (docs/activations.md).",
                stacklevel=3,
            )
            return True
    return False


class Sequential:
    """A stack of layers: ``Sequential(Dense(2, 16), ReLU(), Dense(16, 3))``.

    The model's output is usually raw scores (logits): train it with
    ``SoftmaxCrossEntropy`` and read probabilities with ``predict_proba``.
    ``layers`` is the list of layers; ``metadata`` is a dict saved with the
    model (for example how it was trained).
    """

    def __init__(self, *layers: Layer) -> None:
        if len(layers) == 1 and isinstance(layers[0], (list, tuple)):
            layers = tuple(layers[0])
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for index, layer in enumerate(layers):
            if not isinstance(layer, Layer):
                hint = " (did you pass the class instead of an instance, e.g. ReLU instead of ReLU()?)"
                raise TypeError(
                    f"Sequential: layer {index} must be a layer such as Dense(2, 3) or ReLU(), "
                    f"got {layer!r}{hint if isinstance(layer, type) else ''}"
                )
        for index, layer in enumerate(layers):
            if any(layer is other for other in layers[:index]):
                raise ValueError(
                    f"Sequential: layer {index} {layer!r} is the same object as an earlier layer; a layer "
                    "remembers its last input for backward, so each place needs its own instance "
                    "(write ReLU() twice, not one ReLU object used twice)"
                )
        width = None
        for index, layer in enumerate(layers):
            if isinstance(layer, Dense):
                if width is not None and layer.in_features != width:
                    raise ValueError(
                        f"Sequential: layer {index} {layer!r} expects {layer.in_features} inputs, "
                        f"but the layer before it gives {width}"
                    )
                width = layer.out_features
        dense_layers = [(index, layer) for index, layer in enumerate(layers) if isinstance(layer, Dense)]
        for position, (index, layer) in enumerate(dense_layers):
            for other_index, other in dense_layers[:position]:
                if layer.weight == other.weight:
                    warnings.warn(
                        f"Sequential: layers {other_index} and {index} start with identical weights (two Dense "
                        "layers of the same shape built with the same seed); pass one shared random.Random to "
                        "all layers, e.g. rng = random.Random(0); Dense(4, 4, rng=rng)",
                        stacklevel=2,
                    )
        self.layers: list[Layer] = list(layers)
        self.metadata: dict = {}

    # --- forward and backward ---------------------------------------------

    def forward(self, x: Matrix) -> Matrix:
        """Run every layer on the batch x (batch x in_features) in order."""
        for layer in self.layers:
            x = layer.forward(x)
        return x

    def __call__(self, x: object) -> Matrix:
        """``model(X)``: forward on validated user data (``forward`` itself trusts its input: it is the hot path)."""
        return self.forward(matrices.as_matrix(x, "X"))

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        """Run every layer's backward in reverse order, from dL/d(output).

        Stores each parameter's gradient and returns dL/d(input), or ``None``
        with ``input_gradient=False`` (then the first layer skips that product).
        """
        for index in range(len(self.layers) - 1, -1, -1):
            grad = self.layers[index].backward(grad, input_gradient=input_gradient or index > 0)
        return grad

    def parameters(self) -> list[Parameter]:
        """All trainable parameters, layer by layer (weight, then bias)."""
        return [parameter for layer in self.layers for parameter in layer.parameters()]

    def zero_grad(self) -> None:
        """Clear every parameter's gradient."""
        for layer in self.layers:
            layer.zero_grad()

    # --- using a trained model --------------------------------------------

    def predict_proba(self, X: object) -> Matrix:
        """Class probabilities per sample: the output itself if the model ends in Softmax,
        otherwise the softmax of the output (read as logits)."""
        outputs = self.forward(matrices.as_matrix(X, "X"))
        if isinstance(self.layers[-1], Softmax):
            return outputs
        return [softmax_row(row) for row in outputs]

    def predict(self, X: object) -> list[int]:
        """The predicted class index per sample (the argmax of the output)."""
        return matrices.argmax_rows(self.forward(matrices.as_matrix(X, "X")))

    def evaluate(self, X: object, y: object, loss: Loss | None = None) -> dict:
        """``{"loss": ..., "accuracy": ...}`` on the samples X with labels y.

        ``loss`` defaults to ``SoftmaxCrossEntropy`` (``CrossEntropy`` if the
        model ends in Softmax). Accuracy is ``None`` for non-class targets.
        """
        X = matrices.as_matrix(X, "X")
        y = _labels(y, len(X), "y")
        loss = loss if loss is not None else self._default_loss()
        outputs = self.forward(X)
        return {
            "loss": loss.forward(outputs, y),
            "accuracy": accuracy(outputs, y) if _is_classification(y) else None,
        }

    def _default_loss(self) -> Loss:
        return CrossEntropy() if isinstance(self.layers[-1], Softmax) else SoftmaxCrossEntropy()

    def summary(self, input_features: int | None = None) -> str:
        """A table of the layers with their output shapes and parameter counts."""
        if input_features is None:
            first_dense = next((layer for layer in self.layers if isinstance(layer, Dense)), None)
            input_features = first_dense.in_features if first_dense else None
        lines = [f"{'#':>2}  {'Layer':<28} {'Output shape':<16} {'Parameters':>10}", "-" * 60]
        width = input_features
        total = 0
        for index, layer in enumerate(self.layers):
            width = layer.output_features(width) if width is not None else None
            count = sum(parameter.size() for parameter in layer.parameters())
            total += count
            shape_text = f"(batch, {width})" if width is not None else "(batch, ?)"
            lines.append(f"{index:>2}  {repr(layer):<28} {shape_text:<16} {count:>10,}")
        lines += ["-" * 60, f"Total parameters: {total:,}"]
        return "\n".join(lines)

    def save(self, path: str, metadata: dict | None = None) -> None:
        """Write the model to ``path`` as JSON, atomically (see ``purenet.serialization``)."""
        # Imported here: serialization builds Sequential models, so it imports this module.
        from .serialization import save

        save(self, path, metadata)

    def __repr__(self) -> str:
        return "Sequential(" + ", ".join(repr(layer) for layer in self.layers) + ")"

    # --- training ---------------------------------------------------------

    def fit(
        self,
        X: object,
        y: object,
        loss: Loss | None = None,
        optimizer: Optimizer | None = None,
        epochs: int = 10,
        batch_size: int = 32,
        shuffle: bool = True,
        seed: int = 0,
        validation: object = None,
        verbose: int = 1,
        stream: TextIO | None = None,
    ) -> dict:
        """Train with mini-batch gradient descent and return the history.

        Args:
            X, y: samples (a list of lists of numbers) and labels (class
                indices, or one-hot / target rows).
            loss: default ``SoftmaxCrossEntropy()`` on the model's logits.
            optimizer: default ``Adam(self.parameters())`` (lr 0.001).
            epochs, batch_size: passes over the data; samples per update.
            shuffle, seed: reshuffle every epoch with ``random.Random(seed)``.
            validation: ``(X_val, y_val)``, or a fraction in (0, 1) of X held
                out (chosen with the seed) before training.
            verbose: 1 shows progress on ``stream`` (stderr by default): a bar
                updating in place on a terminal, one line per epoch otherwise;
                0 is silent.

        Returns ``{"loss": [...], "accuracy": [...], "val_loss": [...],
        "val_accuracy": [...]}``, one value per epoch. Training loss and
        accuracy are averaged over the epoch's batches, each measured just
        before its update; validation is measured after the epoch.

        Raises ``TrainingDivergedError`` naming the epoch and batch when the
        loss becomes NaN or infinite.
        """
        X = matrices.as_matrix(X, "X")
        y = _labels(y, len(X), "y")
        for argument, value in (("epochs", epochs), ("batch_size", batch_size)):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise ValueError(f"fit: {argument} must be a positive integer, got {value!r}")
        if verbose not in (0, 1):
            raise ValueError(f"fit: verbose must be 0 or 1, got {verbose!r}")
        _check_seed(seed)
        for argument, value, kind, example in (
            ("loss", loss, Loss, "SoftmaxCrossEntropy()"),
            ("optimizer", optimizer, Optimizer, "Adam(model.parameters())"),
        ):
            if value is not None and not isinstance(value, kind):
                hint = " (the class itself was passed: add the parentheses)" if isinstance(value, type) else ""
                raise TypeError(f"fit: {argument} must be an instance such as {example}, got {value!r}{hint}")
        loss = loss if loss is not None else SoftmaxCrossEntropy()
        if isinstance(loss, SoftmaxCrossEntropy) and isinstance(self.layers[-1], Softmax):
            raise ValueError(
                "fit: the model ends in Softmax but the loss is SoftmaxCrossEntropy, which applies softmax "
                "itself; remove the final Softmax layer (predict_proba still gives probabilities) or use "
                "CrossEntropy()"
            )
        optimizer = optimizer if optimizer is not None else Adam(self.parameters())
        own = {id(parameter) for parameter in self.parameters()}
        if not all(id(parameter) in own for parameter in optimizer.params):
            raise ValueError(
                "fit: the optimizer holds parameters that are not this model's; build it from "
                "this model: optimizer=Adam(model.parameters())"
            )
        rng = random.Random(seed)
        X, y, X_val, y_val = self._split_validation(X, y, validation, rng)
        classification = _is_classification(y)
        history: dict[str, list] = {"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []}
        batches = math.ceil(len(X) / batch_size)
        order = list(range(len(X)))
        # Plain ReLU layers (not LeakyReLU), watched for units that never fire: "dying ReLU".
        rectifiers = [(index, layer) for index, layer in enumerate(self.layers) if type(layer) is ReLU]
        dead_units_reported = False
        for epoch in range(1, epochs + 1):
            if shuffle:
                rng.shuffle(order)
            progress = ProgressBar(f"epoch {epoch}/{epochs}", batches, stream or sys.stderr) if verbose else None
            loss_sum, correct = 0.0, 0
            fired: dict[int, list[bool]] = {}
            for batch in range(1, batches + 1):
                indices = order[(batch - 1) * batch_size : batch * batch_size]
                batch_x = [X[i] for i in indices]
                batch_y = [y[i] for i in indices]
                value, outputs = self._train_step(batch_x, batch_y, loss, optimizer, epoch, batch)
                for index, layer in rectifiers:
                    units = fired.setdefault(index, [False] * len(layer.output[0]))
                    for row in layer.output:
                        units = [was or value > 0.0 for was, value in zip(units, row)]
                    fired[index] = units
                loss_sum += value * len(indices)
                if classification:
                    correct += round(accuracy(outputs, batch_y) * len(indices))
                if progress:
                    progress.update(batch, f"loss {loss_sum / min(batch * batch_size, len(X)):.4f}")
            history["loss"].append(loss_sum / len(X))
            history["accuracy"].append(correct / len(X) if classification else None)
            text = f"loss {history['loss'][-1]:.4f}"
            if classification:
                text += f" accuracy {history['accuracy'][-1]:.4f}"
            if X_val is not None:
                result = self.evaluate(X_val, y_val, loss)
                history["val_loss"].append(result["loss"])
                history["val_accuracy"].append(result["accuracy"])
                text += f" val_loss {result['loss']:.4f}"
                if result["accuracy"] is not None:
                    text += f" val_accuracy {result['accuracy']:.4f}"
            if progress:
                progress.finish(text)
            if not dead_units_reported:
                dead_units_reported = _report_dead_units(fired, epoch)
        return history

    def _train_step(
        self, batch_x: Matrix, batch_y: list, loss: Loss, optimizer: Optimizer, epoch: int, batch: int
    ) -> tuple[float, Matrix]:
        """One update: zero_grad, forward, loss, backward, step. Returns the loss and outputs."""
        optimizer.zero_grad()
        cause: BaseException | None = None
        try:
            outputs = self.forward(batch_x)
        except OverflowError as error:
            outputs, cause = [], error
        # Checked before the loss: a loss may refuse NaN with a message about its input instead.
        if cause is None and all(math.isfinite(value) for row in outputs for value in row):
            value = loss.forward(outputs, batch_y)
        else:
            value = math.nan
        if not math.isfinite(value):
            raise TrainingDivergedError(
                f"training diverged: the loss became {value} at epoch {epoch}, batch {batch}. "
                "Try a smaller learning rate (lr), or scale the inputs to a range like [-1, 1]."
            ) from cause
        self.backward(loss.backward(), input_gradient=False)
        optimizer.step()
        return value, outputs

    def _split_validation(
        self, X: Matrix, y: list, validation: object, rng: random.Random
    ) -> tuple[Matrix, list, Matrix | None, list | None]:
        if validation is None:
            return X, y, None, None
        if isinstance(validation, float) and not isinstance(validation, bool):
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
            return [X[i] for i in train], [y[i] for i in train], [X[i] for i in valid], [y[i] for i in valid]
        if isinstance(validation, (tuple, list)) and len(validation) == 2:
            X_val = matrices.as_matrix(validation[0], "validation X")
            return X, y, X_val, _labels(validation[1], len(X_val), "validation y")
        raise TypeError(f"fit: validation must be (X_val, y_val) or a fraction in (0, 1), got {validation!r}")
