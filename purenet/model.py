"""``Sequential``: layers applied one after the other, with Keras-style ``fit``.

forward runs the layers in order; backward runs them in reverse, passing each layer the gradient of the
loss with respect to its output (the chain rule, docs/backpropagation.md). ``fit`` is the textbook's loop:
for each mini-batch, zero the gradients, forward, loss, backward, step; all it does besides is in callbacks
(``purenet.callbacks``, docs/training.md).
"""

from __future__ import annotations

import math
import random
import warnings
from typing import TextIO

from . import matrices
from .callbacks import Callback, CallbackList, DivergenceGuard, DyingReLUMonitor, ProgressLogger, Validation
from .callbacks import TrainingDivergedError  # noqa: F401  (raised by DivergenceGuard; importable from here as before)
from .layers import Dense, Layer, Softmax
from .layers.activations import sigmoid, softmax_row
from .layers.base import Parameter, forward_in_evaluation_mode
from .layers.reshape import Flatten, Unflatten
from .losses import Loss, ProbabilityCrossEntropy, SoftmaxCrossEntropy
from .matrices import Matrix
from .metrics import accuracy
from .optimizers import Optimizer
from .state_dict import IncompatibleKeys, load_state_dict, state_dict
from .training import Training, is_classification, labels, loss_and_optimizer, split_validation
from .validation import check_integer, check_seed

class Sequential:
    """A stack of layers: ``Sequential(Dense(2, 16), ReLU(), Dense(16, 3))``.

    The model's output is usually raw scores (logits): train it with ``SoftmaxCrossEntropy`` and read
    probabilities with ``predict_proba``. ``layers`` is the list of layers; ``metadata`` is a dict saved
    with the model (for example how it was trained).
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
            elif isinstance(layer, (Flatten, Unflatten)):
                width = None  # reshaped: the widths on either side cannot be compared without the input's shape
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

    def backward(self, grad: Matrix, input_gradient: bool = False) -> Matrix | None:
        """Run every layer's backward in reverse order, from dL/d(output) (batch x out_features).

        Stores each parameter's gradient (docs/backpropagation.md). Returns
        ``None``, or dL/d(input) (batch x in_features) with
        ``input_gradient=True``: as in PyTorch, no gradient is computed for the
        input unless asked, which spares the first layer its largest product
        G W (batch x out x in multiply-adds). For the same reason the pass
        stops at the first layer that has parameters: the layers before it
        (an ``Unflatten``, say) have nothing to learn and nobody needs their
        input gradient.
        """
        last_needed = 0 if input_gradient else self._first_trainable_index()
        for index in range(len(self.layers) - 1, last_needed - 1, -1):
            grad = self.layers[index].backward(grad, input_gradient=input_gradient or index > last_needed)
        return grad if input_gradient else None

    def _first_trainable_index(self) -> int:
        """The index of the first layer with parameters (the number of layers if none has any)."""
        for index, layer in enumerate(self.layers):
            if layer.parameters():
                return index
        return len(self.layers)

    def parameters(self) -> list[Parameter]:
        """All trainable parameters, layer by layer (weight, then bias)."""
        return [parameter for layer in self.layers for parameter in layer.parameters()]

    def zero_grad(self) -> None:
        """Clear every parameter's gradient."""
        for layer in self.layers:
            layer.zero_grad()

    def train(self, mode: bool = True) -> Sequential:
        """Every layer in training mode (``mode=False``: evaluation), as PyTorch; ``fit`` starts with it."""
        for layer in self.layers:
            layer.train(mode)
        return self

    def eval(self) -> Sequential:
        """Every layer in evaluation mode (Dropout passes values on, BatchNorm1d uses its running statistics)."""
        return self.train(False)

    # --- using a trained model --------------------------------------------

    def predict_proba(self, X: object) -> Matrix:
        """Probabilities (evaluation mode): a final Softmax's output, a lone logit's sigmoid, else softmax."""
        outputs = forward_in_evaluation_mode(self.layers, matrices.as_matrix(X, "X"))
        if isinstance(self.layers[-1], Softmax):
            return outputs
        return [[sigmoid(row[0])] if len(row) == 1 else softmax_row(row) for row in outputs]

    def predict(self, X: object) -> list[int]:
        """The predicted class per sample, in evaluation mode: the argmax of the output (1 if a single logit is > 0)."""
        outputs = forward_in_evaluation_mode(self.layers, matrices.as_matrix(X, "X"))
        return [int(row[0] > 0.0) for row in outputs] if len(outputs[0]) == 1 else matrices.argmax_rows(outputs)

    def evaluate(self, X: object, y: object, loss: Loss | None = None) -> dict:
        """``{"loss": ..., "accuracy": ...}`` on X, y, in evaluation mode (accuracy None if y are not classes)."""
        X = matrices.as_matrix(X, "X")
        y = labels(y, len(X), "y")
        loss = loss if loss is not None else self.default_loss()
        outputs = forward_in_evaluation_mode(self.layers, X)
        return {
            "loss": loss.forward(outputs, y),
            "accuracy": accuracy(outputs, y) if is_classification(y) else None,
        }

    def default_loss(self) -> Loss:
        """The loss ``fit`` and ``evaluate`` use when given none: one rule for both.

        ``ProbabilityCrossEntropy`` if the model ends in Softmax (its output is
        probabilities), ``SoftmaxCrossEntropy`` on the logits otherwise.
        """
        return ProbabilityCrossEntropy() if isinstance(self.layers[-1], Softmax) else SoftmaxCrossEntropy()

    def summary(self, input_features: int | None = None) -> str:
        """A table of the layers with their output shapes and parameter counts."""
        if input_features is None and isinstance(self.layers[0], Unflatten):
            input_features = math.prod(self.layers[0].shape)
        if input_features is None:
            first_dense = next((layer for layer in self.layers if isinstance(layer, Dense)), None)
            input_features = first_dense.in_features if first_dense else None
        shape = (input_features,) if input_features is not None else None
        rows, total = [], 0
        for index, layer in enumerate(self.layers):
            shape = layer.output_shape(shape) if shape is not None else None
            count = sum(parameter.size() for parameter in layer.parameters())
            total += count
            shape_text = "(batch, " + ", ".join(map(str, shape)) + ")" if shape is not None else "(batch, ?)"
            rows.append((index, repr(layer), shape_text, count))
        # the columns widen for long names (a convolution's repr), so the table stays aligned
        name_width = max([28] + [len(name) for _, name, _, _ in rows])
        shape_width = max([16] + [len(text) for _, _, text, _ in rows])
        rule = "-" * (name_width + shape_width + 16)
        lines = [f"{'#':>2}  {'Layer':<{name_width}} {'Output shape':<{shape_width}} {'Parameters':>10}", rule]
        for index, name, text, count in rows:
            lines.append(f"{index:>2}  {name:<{name_width}} {text:<{shape_width}} {count:>10,}")
        lines += [rule, f"Total parameters: {total:,}"]
        return "\n".join(lines)

    def save(self, path: str, metadata: dict | None = None) -> None:
        """Write the model to ``path`` as JSON, atomically (see ``purenet.serialization``)."""
        # Imported here: serialization builds Sequential models, so it imports this module.
        from .serialization import save

        save(self, path, metadata)

    def __repr__(self) -> str:
        return "Sequential(" + ", ".join(repr(layer) for layer in self.layers) + ")"

    # --- parameters by name ---------------------------------------------

    def state_dict(self) -> dict[str, list | int]:
        """Copies of the parameters under PyTorch's ``nn.Sequential`` keys: ``{"0.weight": [[...]], "0.bias": [...]}``.

        A weight is out_features rows of in_features numbers, a bias out_features numbers; BatchNorm1d adds its
        running statistics and ``num_batches_tracked``, an int (``purenet.state_dict``).
        """
        return state_dict(self.layers)

    def load_state_dict(self, state_dict: object, strict: bool = True) -> IncompatibleKeys:
        """Copy a ``state_dict()`` into the parameters, in place; shapes and finite numbers checked first.

        ``strict`` (PyTorch's default) requires exactly the model's keys; ``strict=False``
        loads those that match and returns ``(missing_keys, unexpected_keys)``.
        """
        return load_state_dict(self.layers, state_dict, strict)

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
        callbacks: list[Callback] | None = None,
        checkpoint: str | None = None,
        resume: str | None = None,
    ) -> dict:
        """Train with mini-batch gradient descent and return the history.

        Args:
            X, y: samples (a list of lists of numbers) and labels (class
                indices, or one-hot / target rows).
            loss: default ``self.default_loss()``.
            optimizer: default ``Adam(self.parameters())`` (lr 0.001).
            epochs, batch_size: passes over the data; samples per update.
            shuffle, seed: reshuffle every epoch with ``random.Random(seed)``.
            validation: ``(X_val, y_val)``, or a fraction in (0, 1) of X held
                out (chosen with the seed) before training.
            verbose: 1 shows progress on ``stream`` (stderr by default): a bar
                updating in place on a terminal, one line per epoch otherwise;
                0 is silent.
            callbacks: ``Callback`` objects (``purenet.callbacks``), called
                after fit's own: ``Validation`` (with ``validation``),
                ``DivergenceGuard``, ``ProgressLogger`` (with ``verbose=1``),
                ``DyingReLUMonitor``.
            checkpoint, resume: write a checkpoint after every epoch; go on from one, bit for bit
                (docs/checkpoints.md). Ctrl-C keeps the last whole epoch, raises ``TrainingInterrupted``.

        Returns ``{"loss": [...], "accuracy": [...], "val_loss": [...],
        "val_accuracy": [...]}``, one value per epoch. Training loss and
        accuracy are averaged over the epoch's batches, each measured just
        before its update; validation is measured after the epoch.

        Raises ``TrainingDivergedError`` naming the epoch and batch when the
        loss becomes NaN or infinite.
        """
        X = matrices.as_matrix(X, "X")
        y = labels(y, len(X), "y")
        loss, optimizer = loss_and_optimizer(self.train(), loss, optimizer)  # train(): Dropout, BatchNorm1d learn
        check_integer(epochs, "fit: epochs", minimum=1)
        check_integer(batch_size, "fit: batch_size", minimum=1)
        if verbose not in (0, 1):
            raise ValueError(f"fit: verbose must be 0 or 1, got {verbose!r}")
        rng = random.Random(check_seed(seed, "fit: seed"))
        X, y, validation_data = split_validation(X, y, validation, rng)
        own = [Validation(*validation_data)] if validation_data else []
        own += [DivergenceGuard()] + ([ProgressLogger(stream)] if verbose else []) + [DyingReLUMonitor()]
        callbacks = CallbackList([] if callbacks is None else callbacks, first=own)
        training = Training(self, loss, optimizer, X, y, epochs, batch_size, shuffle, rng)
        # Imported here: checkpoints are model files, whose module imports this one.
        from .checkpoint import prepare

        first_epoch = prepare(training, callbacks, seed, checkpoint, resume)
        callbacks.on_train_begin(training)
        try:
            for epoch in range(first_epoch, epochs + 1):
                training.start_epoch(epoch)  # reshuffles
                callbacks.on_epoch_begin(training)
                for batch_x, batch_y in training.mini_batches():
                    optimizer.zero_grad()  # gradients accumulate: clear them first
                    training.outputs = self.forward(batch_x)
                    callbacks.on_forward_end(training)  # the divergence guard checks the outputs...
                    training.record_loss(loss.forward(training.outputs, batch_y))
                    callbacks.on_before_backward(training)  # ... and the loss, before anything changes
                    self.backward(loss.backward())
                    optimizer.step()
                    callbacks.on_batch_end(training)
                    if training.stop_training:
                        break
                training.end_epoch()
                callbacks.on_epoch_end(training)
                if training.stop_training:
                    break
        except BaseException as error:  # a run ended by an error still tidies up (Ctrl-C's handler)
            callbacks.on_exception(training, error)
            raise
        callbacks.on_train_end(training)
        return training.history
