"""How fast is one training step of the square network, against other ways to write it?

    python benchmarks/step.py            # about half a minute
    python benchmarks/step.py --quick    # a few seconds, rougher figures

One step = zero_grad, forward, loss, backward, SGD update, for the square
network Dense(1024, 32) -> LeakyReLU(0.01) -> Dense(32, 2) with
SoftmaxCrossEntropy on a batch of 50 drawings, in float64. It is timed for:

- *purenet*: ``model.forward``, ``loss.forward``, ``model.backward``,
  ``optimizer.step``, as ``Sequential.fit`` runs them;
- *the original design*, restated below: the algorithm of the first,
  "from scratch" version of this project. One sample at a time; one Python
  loop per dot product (``for i in range(n): total += w[i] * x[i]``); a
  new list per neuron for the input gradient, even in the first layer,
  where nobody needs it; a new gradient matrix per sample, added element
  by element to the batch's; one weight at a time in the update;
- *tight loops*: what a careful programmer writes by hand in plain
  Python. Still one sample at a time, but one accumulation loop per
  neuron, no extra lists, and no input gradient for the first layer;
- *micrograd* (``micrograd.nn.MLP``), when installed: scalar automatic
  differentiation, one graph node per multiplication and addition. It is
  timed per sample (forward, loss and backward of one drawing) and
  compared with purenet's step time / 50;
- *NumPy* with one BLAS thread, when installed: the same step on arrays,
  the distance to what the hardware can do.

Before timing, each is checked against purenet on the same data and the
same initial weights: the same loss and the same updated weights, within
1e-9 relative.

Then the README's hand-written loop (``optimizer.zero_grad()``,
``loss.forward(model.forward(X), y)``, ``model.backward(loss.backward())``,
``optimizer.step()``) is timed against the same steps inside ``fit``, on
the same 4 batches of 50 drawings (one ``fit`` call of 3 epochs), and
against the loop as it cost before ``backward`` skipped the input gradient
by default (``input_gradient=True``). The target: the hand-written loop
takes no more than 1.1x the time of ``fit``.
"""

from __future__ import annotations

import math
import random
import sys
import time
from collections.abc import Callable

import common

numpy = common.import_numpy()  # before anything else can import NumPy with more threads

import purenet  # noqa: E402
from purenet.layers import Dense, LeakyReLU, ReLU  # noqa: E402
from purenet.losses import SoftmaxCrossEntropy  # noqa: E402
from purenet.optimizers import SGD  # noqa: E402

Matrix = common.Matrix

SLOPE = common.LEAKY_SLOPE
LEARNING_RATE = common.LEARNING_RATE


def target_over_original() -> float:
    """The issue's target for the speed-up over the original design on this Python."""
    return 12.0 if sys.version_info >= (3, 12) else 6.0


MICROGRAD_TARGET = 50.0  # purenet at least 50x faster per sample than micrograd
NUMPY_TARGET = 200.0  # purenet at most 200x slower than NumPy (one thread), on Python 3.12+


# --- the initial weights, shared by every implementation ---------------------


class InitialWeights:
    """W1 (32 x 1024), b1 (32,), W2 (2 x 32), b2 (2,): drawn once, copied into every implementation."""

    def __init__(self, seed: int) -> None:
        rng = random.Random(seed)
        hidden = Dense(common.INPUT_FEATURES, common.HIDDEN_FEATURES, rng=rng)
        output = Dense(common.HIDDEN_FEATURES, common.CLASSES, rng=rng)
        self.hidden_weight = common.copy_matrix(hidden.weight)
        self.hidden_bias = list(hidden.bias)
        self.output_weight = common.copy_matrix(output.weight)
        self.output_bias = list(output.bias)

    def parameters(self) -> list:
        """In purenet's order: weight, bias of each layer."""
        return [self.hidden_weight, self.hidden_bias, self.output_weight, self.output_bias]


# --- purenet ----------------------------------------------------------------


class PurenetStep:
    """The square network in purenet, and one training step as ``Sequential.fit`` takes it."""

    def __init__(self, weights: InitialWeights, hidden_activation: type = LeakyReLU) -> None:
        hidden = Dense(common.INPUT_FEATURES, common.HIDDEN_FEATURES)
        output = Dense(common.HIDDEN_FEATURES, common.CLASSES)
        hidden.weight[:] = common.copy_matrix(weights.hidden_weight)
        hidden.bias[:] = list(weights.hidden_bias)
        output.weight[:] = common.copy_matrix(weights.output_weight)
        output.bias[:] = list(weights.output_bias)
        activation = hidden_activation(SLOPE) if hidden_activation is LeakyReLU else hidden_activation()
        self.model = purenet.Sequential(hidden, activation, output)
        self.loss = SoftmaxCrossEntropy()
        self.optimizer = SGD(self.model.parameters(), lr=LEARNING_RATE)

    def step(self, batch: Matrix, labels: list[int]) -> float:
        self.optimizer.zero_grad()
        value = self.loss.forward(self.model.forward(batch), labels)
        self.model.backward(self.loss.backward(), input_gradient=False)
        self.optimizer.step()
        return value

    def parameters(self) -> list:
        return [list(parameter) for parameter in self.model.parameters()]


# --- the README's hand-written loop against fit ---------------------------------

FIT_BATCHES = 4  # batches of 50 drawings per epoch
FIT_EPOCHS = 3  # epochs per fit call: fit checks X once per call, as a real run does once for many epochs
README_LOOP_TARGET = 1.1  # the hand-written loop at most 1.1x the time of fit


class ReadmeLoop:
    """The README's hand-written loop over the batches, on its own copy of the weights."""

    def __init__(self, weights: InitialWeights, input_gradient: bool = False) -> None:
        self.network = PurenetStep(weights)
        self.input_gradient = input_gradient

    def run(self, batches: list[tuple[Matrix, list[int]]]) -> None:
        model, loss, optimizer = self.network.model, self.network.loss, self.network.optimizer
        for X, y in batches:
            optimizer.zero_grad()
            loss.forward(model.forward(X), y)
            if self.input_gradient:  # what model.backward(...) computed before: dL/dX, unused
                model.backward(loss.backward(), input_gradient=True)
            else:
                model.backward(loss.backward())  # the README's line
            optimizer.step()


class FitSteps:
    """The same steps inside ``Sequential.fit``: one call, FIT_EPOCHS epochs over the batches."""

    def __init__(self, weights: InitialWeights) -> None:
        self.network = PurenetStep(weights)

    def run(self, X: Matrix, y: list[int]) -> None:
        network = self.network
        network.model.fit(X, y, loss=network.loss, optimizer=network.optimizer, epochs=FIT_EPOCHS,
                          batch_size=common.BATCH_SIZE, verbose=0)


def batches_in_fit_order(X: Matrix, y: list[int]) -> list[tuple[Matrix, list[int]]]:
    """The FIT_EPOCHS epochs' batches in the order fit takes them: reshuffled every epoch by random.Random(seed 0).

    The loops take the same batches as fit, so that the comparison is of the code, not of the data.
    """
    rng, order, batches = random.Random(0), list(range(len(X))), []
    for _ in range(FIT_EPOCHS):
        rng.shuffle(order)
        for start in range(0, len(X), common.BATCH_SIZE):
            indices = order[start:start + common.BATCH_SIZE]
            batches.append(([X[i] for i in indices], [y[i] for i in indices]))
    return batches


def check_loop_against_fit(weights: InitialWeights, X: Matrix, y: list[int]) -> dict:
    """The loop and fit from the same weights, on the same batches: the same weights after."""
    inside_fit = FitSteps(weights)
    inside_fit.run(X, y)
    loop = ReadmeLoop(weights)
    loop.run(batches_in_fit_order(X, y))
    weights_error, update_error = parameter_errors(
        loop.network.parameters(), inside_fit.network.parameters(), weights.parameters()
    )
    worst = max(weights_error, update_error)
    return {"weights_error": weights_error, "update_error": update_error,
            "check": common.verdict(worst, common.STEP_TOLERANCE)}


def measure_loop_against_fit(
    weights: InitialWeights, seed: int, rounds: int, seconds_per_batch: float
) -> tuple[dict[str, common.Timing], dict]:
    """Time the README's loop, the loop with the input gradient, and fit, over the same FIT_BATCHES batches."""
    X, y, _ = common.drawing_batch(FIT_BATCHES * common.BATCH_SIZE, seed)
    check = check_loop_against_fit(weights, X, y)
    batches = batches_in_fit_order(X, y)
    loop, loop_before, inside_fit = ReadmeLoop(weights), ReadmeLoop(weights, input_gradient=True), FitSteps(weights)
    candidates: dict[str, Callable[[], object]] = {
        "README loop": lambda: loop.run(batches),
        "README loop, input gradient": lambda: loop_before.run(batches),
        "inside fit": lambda: inside_fit.run(X, y),
    }
    return common.measure(candidates, rounds, seconds_per_batch), check


def print_loop_against_fit(timings: dict[str, common.Timing], check: dict) -> dict:
    """The table of the three, per step, and the ratios; returns the ratios and the target."""
    fit_time = timings["inside fit"].best
    steps = FIT_BATCHES * FIT_EPOCHS
    rows = [
        [name, common.format_seconds(timing.best / steps), common.format_seconds(timing.median / steps),
         common.format_ratio(timing.best / fit_time)]
        for name, timing in timings.items()
    ]
    print(f"The README's hand-written loop against fit ({FIT_EPOCHS} epochs of {FIT_BATCHES} batches of "
          f"{common.BATCH_SIZE} drawings per call; fit's check of X, once per call, included):")
    print(common.format_table(["", "time per step", "(median)", "against fit"], rows))
    print(f"the loop and fit end with the same weights: {check['check']} "
          f"(weights error {check['weights_error']:.1e}, update error {check['update_error']:.1e})")
    ratio = timings["README loop"].best / fit_time
    target = {
        "target": f"the README's loop takes no more than {README_LOOP_TARGET:g}x the time of fit",
        "measured": ratio,
        "verdict": common.pass_or_miss(ratio <= README_LOOP_TARGET),
        "note": "",
    }
    print(f"  {target['verdict']:4}  {target['target']}: {common.format_ratio(ratio)}")
    return {
        "readme_loop_over_fit": ratio,
        "readme_loop_with_input_gradient_over_fit": timings["README loop, input gradient"].best / fit_time,
        "target": target,
    }


# --- the original design, restated -------------------------------------------


def original_dot(weights: list[float], inputs: list[float]) -> float:
    """The dot product as the original design wrote it: a Python loop over the inputs."""
    total = 0.0
    for i in range(len(weights)):
        total += weights[i] * inputs[i]
    return total


class OriginalDense:
    """A dense layer of the original design: it sees one sample at a time."""

    def __init__(self, weights: Matrix, biases: list[float]) -> None:
        self.weights = common.copy_matrix(weights)
        self.biases = list(biases)
        self.zero_grad()

    def zero_grad(self) -> None:
        self.weight_gradients = [[0.0] * len(row) for row in self.weights]
        self.bias_gradients = [0.0] * len(self.biases)

    def forward(self, sample: list[float]) -> list[float]:
        self.sample = sample
        outputs = []
        for neuron in range(len(self.weights)):
            outputs.append(original_dot(self.weights[neuron], sample) + self.biases[neuron])
        return outputs

    def backward(self, output_gradient: list[float]) -> list[float]:
        """Add this sample's gradients to the batch's, and return the gradient for the input."""
        inputs = len(self.sample)
        # This sample's weight gradient, a new matrix...
        sample_weight_gradient = [
            [output_gradient[neuron] * self.sample[i] for i in range(inputs)] for neuron in range(len(self.weights))
        ]
        # ... added element by element to the batch's.
        for neuron in range(len(self.weights)):
            for i in range(inputs):
                self.weight_gradients[neuron][i] += sample_weight_gradient[neuron][i]
            self.bias_gradients[neuron] += output_gradient[neuron]
        # The input gradient: a new list per neuron, added up.
        input_gradient = [0.0] * inputs
        for neuron in range(len(self.weights)):
            contribution = [self.weights[neuron][i] * output_gradient[neuron] for i in range(inputs)]
            for i in range(inputs):
                input_gradient[i] += contribution[i]
        return input_gradient

    def update(self, learning_rate: float) -> None:
        """w <- w - learning_rate * gradient, one weight at a time."""
        for neuron in range(len(self.weights)):
            for i in range(len(self.weights[neuron])):
                self.weights[neuron][i] -= learning_rate * self.weight_gradients[neuron][i]
            self.biases[neuron] -= learning_rate * self.bias_gradients[neuron]


class OriginalLeakyReLU:
    """LeakyReLU of the original design, one sample at a time."""

    def forward(self, sample: list[float]) -> list[float]:
        self.sample = sample
        return [value if value > 0.0 else SLOPE * value for value in sample]

    def backward(self, output_gradient: list[float]) -> list[float]:
        return [
            gradient if value > 0.0 else SLOPE * gradient for gradient, value in zip(output_gradient, self.sample)
        ]


def softmax(scores: list[float]) -> list[float]:
    largest = max(scores)
    exponentials = [math.exp(score - largest) for score in scores]
    total = sum(exponentials)
    return [value / total for value in exponentials]


class OriginalNetwork:
    """The square network of the original design, trained sample by sample."""

    def __init__(self, weights: InitialWeights) -> None:
        self.hidden = OriginalDense(weights.hidden_weight, weights.hidden_bias)
        self.activation = OriginalLeakyReLU()
        self.output = OriginalDense(weights.output_weight, weights.output_bias)

    def step(self, batch: Matrix, labels: list[int]) -> float:
        self.hidden.zero_grad()
        self.output.zero_grad()
        total_loss = 0.0
        for sample, label in zip(batch, labels):
            scores = self.output.forward(self.activation.forward(self.hidden.forward(sample)))
            probabilities = softmax(scores)
            total_loss += -math.log(probabilities[label])
            # dL/dscores of the batch mean: (p - t) / batch size.
            gradient = [
                (probability - (1.0 if k == label else 0.0)) / len(batch)
                for k, probability in enumerate(probabilities)
            ]
            self.hidden.backward(self.activation.backward(self.output.backward(gradient)))
        self.hidden.update(LEARNING_RATE)
        self.output.update(LEARNING_RATE)
        return total_loss / len(batch)

    def parameters(self) -> list:
        return [self.hidden.weights, self.hidden.biases, self.output.weights, self.output.biases]


# --- tight textbook loops ------------------------------------------------------


class TightLoopsNetwork:
    """The square network in careful plain Python: one sample at a time, one loop per neuron."""

    def __init__(self, weights: InitialWeights) -> None:
        self.hidden_weight = common.copy_matrix(weights.hidden_weight)
        self.hidden_bias = list(weights.hidden_bias)
        self.output_weight = common.copy_matrix(weights.output_weight)
        self.output_bias = list(weights.output_bias)

    def step(self, batch: Matrix, labels: list[int]) -> float:
        W1, b1, W2, b2 = self.hidden_weight, self.hidden_bias, self.output_weight, self.output_bias
        size = len(batch)
        W1_gradient = [[0.0] * len(row) for row in W1]
        b1_gradient = [0.0] * len(b1)
        W2_gradient = [[0.0] * len(row) for row in W2]
        b2_gradient = [0.0] * len(b2)
        total_loss = 0.0
        for x, label in zip(batch, labels):
            # Forward: z1 = W1 x + b1, a1 = LeakyReLU(z1), z2 = W2 a1 + b2.
            z1 = []
            for weights, bias in zip(W1, b1):
                total = bias
                for weight, value in zip(weights, x):
                    total += weight * value
                z1.append(total)
            a1 = [z if z > 0.0 else SLOPE * z for z in z1]
            z2 = []
            for weights, bias in zip(W2, b2):
                total = bias
                for weight, value in zip(weights, a1):
                    total += weight * value
                z2.append(total)
            # Loss: log-sum-exp of the scores minus the score of the right class.
            largest = max(z2)
            exponentials = [math.exp(z - largest) for z in z2]
            total_exponential = sum(exponentials)
            total_loss += largest + math.log(total_exponential) - z2[label]
            # Backward through the output layer: d2 = (p - t) / batch size.
            d2 = [exponential / total_exponential for exponential in exponentials]
            d2[label] -= 1.0
            d2 = [value / size for value in d2]
            for gradient_row, delta in zip(W2_gradient, d2):
                for j, value in enumerate(a1):
                    gradient_row[j] += delta * value
            for k, delta in enumerate(d2):
                b2_gradient[k] += delta
            # Back through W2 and LeakyReLU into the hidden layer: one loop per neuron,
            # and no input gradient for the first layer.
            for j, gradient_row in enumerate(W1_gradient):
                total = 0.0
                for k, delta in enumerate(d2):
                    total += delta * W2[k][j]
                delta = total if z1[j] > 0.0 else SLOPE * total
                for i, value in enumerate(x):
                    gradient_row[i] += delta * value
                b1_gradient[j] += delta
        # Update: w <- w - learning_rate * gradient.
        for weights, gradients in ((W1, W1_gradient), (W2, W2_gradient)):
            for row, gradient_row in zip(weights, gradients):
                for i, gradient in enumerate(gradient_row):
                    row[i] -= LEARNING_RATE * gradient
        for biases, gradients in ((b1, b1_gradient), (b2, b2_gradient)):
            for i, gradient in enumerate(gradients):
                biases[i] -= LEARNING_RATE * gradient
        return total_loss / size

    def parameters(self) -> list:
        return [self.hidden_weight, self.hidden_bias, self.output_weight, self.output_bias]


# --- NumPy ---------------------------------------------------------------------


class NumpyNetwork:
    """The same step on NumPy arrays (float64, one BLAS thread)."""

    def __init__(self, weights: InitialWeights) -> None:
        self.hidden_weight = numpy.array(weights.hidden_weight, dtype=numpy.float64)
        self.hidden_bias = numpy.array(weights.hidden_bias, dtype=numpy.float64)
        self.output_weight = numpy.array(weights.output_weight, dtype=numpy.float64)
        self.output_bias = numpy.array(weights.output_bias, dtype=numpy.float64)

    def step(self, batch: object, labels: object, targets: object) -> float:
        """``batch`` (50 x 1024), ``labels`` (50,) and one-hot ``targets`` (50 x 2) are arrays."""
        W1, b1, W2, b2 = self.hidden_weight, self.hidden_bias, self.output_weight, self.output_bias
        size = batch.shape[0]
        z1 = batch @ W1.T + b1
        positive = z1 > 0.0
        a1 = numpy.where(positive, z1, SLOPE * z1)
        z2 = a1 @ W2.T + b2
        largest = z2.max(axis=1, keepdims=True)
        exponentials = numpy.exp(z2 - largest)
        totals = exponentials.sum(axis=1, keepdims=True)
        loss = float(numpy.mean(largest[:, 0] + numpy.log(totals[:, 0]) - z2[numpy.arange(size), labels]))
        d2 = (exponentials / totals - targets) / size
        W2_gradient, b2_gradient = d2.T @ a1, d2.sum(axis=0)
        hidden_gradient = d2 @ W2
        d1 = numpy.where(positive, hidden_gradient, SLOPE * hidden_gradient)
        W1_gradient, b1_gradient = d1.T @ batch, d1.sum(axis=0)
        W1 -= LEARNING_RATE * W1_gradient
        b1 -= LEARNING_RATE * b1_gradient
        W2 -= LEARNING_RATE * W2_gradient
        b2 -= LEARNING_RATE * b2_gradient
        return loss

    def parameters(self) -> list:
        return [parameter.tolist() for parameter in
                (self.hidden_weight, self.hidden_bias, self.output_weight, self.output_bias)]


# --- micrograd ------------------------------------------------------------------


def micrograd_model(weights: InitialWeights) -> object | None:
    """micrograd's ``MLP(1024, [32, 2])`` holding our initial weights, or None if not installed.

    MLP draws its weights from the global ``random`` state; that state is
    saved and restored around it, and the weights are then overwritten.
    Its hidden layer uses ReLU (micrograd's only non-linearity): in
    micrograd ReLU and LeakyReLU would both cost one graph node per value.
    """
    try:
        from micrograd.nn import MLP
    except ImportError:
        return None
    saved_state = random.getstate()
    try:
        model = MLP(common.INPUT_FEATURES, [common.HIDDEN_FEATURES, common.CLASSES])
    finally:
        random.setstate(saved_state)
    layers = ((weights.hidden_weight, weights.hidden_bias), (weights.output_weight, weights.output_bias))
    for layer, (weight_rows, biases) in zip(model.layers, layers):
        for neuron, weight_row, bias in zip(layer.neurons, weight_rows, biases):
            for value, weight in zip(neuron.w, weight_row):
                value.data = weight
            neuron.b.data = bias
    return model


def micrograd_cross_entropy(scores: list, label: int) -> object:
    """Softmax cross-entropy of one sample on micrograd Values: logsumexp(z) - z[label].

    micrograd's Value has no exp or log; they are added here the way
    micrograd defines its own operations: a new node, and a closure that
    pushes the gradient back to its input.
    """
    from micrograd.engine import Value

    def exp(value: Value) -> Value:
        out = Value(math.exp(value.data), (value,), "exp")

        def _backward() -> None:
            value.grad += out.data * out.grad

        out._backward = _backward
        return out

    def log(value: Value) -> Value:
        out = Value(math.log(value.data), (value,), "log")

        def _backward() -> None:
            value.grad += out.grad / value.data

        out._backward = _backward
        return out

    largest = max(score.data for score in scores)  # a constant: shifting by it changes no gradient
    total = sum((exp(score - largest) for score in scores), Value(0.0))
    return log(total) + largest - scores[label]


def micrograd_sample(model: object, sample: list[float], label: int) -> float:
    """Forward, loss and backward of one sample through micrograd's graph; returns the loss."""
    loss = micrograd_cross_entropy(model(sample), label)
    loss.backward()
    return loss.data


class DeeperRecursion:
    """micrograd sorts its graph with a recursive function, as deep as the 1024-input sums are long."""

    def __enter__(self) -> None:
        self.saved = sys.getrecursionlimit()
        sys.setrecursionlimit(max(self.saved, 20_000))

    def __exit__(self, *exception: object) -> None:
        sys.setrecursionlimit(self.saved)


# --- checks -----------------------------------------------------------------------


def parameter_errors(parameters: list, reference: list, initial: list) -> tuple[float, float]:
    """(weights error, update error) of updated parameters against purenet's.

    weights error: max |w - w_purenet| / max |w_purenet|, over every parameter;
    update error: the same for the change w - w_initial, a stricter test
    since the update is much smaller than the weights.
    """
    weights_error = update_error = 0.0
    for values, expected, start in zip(parameters, reference, initial):
        weights_error = max(weights_error, common.largest_normwise_error(values, expected))
        change = _difference(values, start)
        expected_change = _difference(expected, start)
        update_error = max(update_error, common.largest_normwise_error(change, expected_change))
    return weights_error, update_error


def _difference(values: list, start: list) -> list:
    if values and isinstance(values[0], list):
        return [_difference(row, start_row) for row, start_row in zip(values, start)]
    return [value - start_value for value, start_value in zip(values, start)]


def relative_difference(value: float, expected: float) -> float:
    return abs(value - expected) / abs(expected) if expected else abs(value)


def check_implementations(
    weights: InitialWeights, batch: Matrix, labels: list[int], numpy_inputs: tuple | None
) -> dict[str, dict]:
    """One step of each implementation from the same weights, compared with purenet's."""
    reference = PurenetStep(weights)
    reference_loss = reference.step(batch, labels)
    reference_parameters = reference.parameters()
    steps: dict[str, Callable[[], tuple[float, list]]] = {}

    def run(network: object, *arguments: object) -> tuple[float, list]:
        return network.step(*arguments), network.parameters()

    steps["original design"] = lambda: run(OriginalNetwork(weights), batch, labels)
    steps["tight loops"] = lambda: run(TightLoopsNetwork(weights), batch, labels)
    if numpy is not None:
        steps["numpy"] = lambda: run(NumpyNetwork(weights), *numpy_inputs)
    checks = {"purenet": {"loss": reference_loss}}
    for name, function in steps.items():
        loss, parameters = function()
        weights_error, update_error = parameter_errors(parameters, reference_parameters, weights.parameters())
        errors = {
            "loss": loss,
            "loss_error": relative_difference(loss, reference_loss),
            "weights_error": weights_error,
            "update_error": update_error,
        }
        worst = max(errors["loss_error"], weights_error, update_error)
        errors["check"] = common.verdict(worst, common.STEP_TOLERANCE)
        checks[name] = errors
    return checks


def check_micrograd(model: object, weights: InitialWeights, sample: list[float], label: int) -> dict:
    """micrograd's loss and gradients on one sample against purenet's (with ReLU, as micrograd's MLP)."""
    twin = PurenetStep(weights, hidden_activation=ReLU)
    twin.optimizer.zero_grad()
    expected_loss = twin.loss.forward(twin.model.forward([sample]), [label])
    twin.model.backward(twin.loss.backward(), input_gradient=False)
    model.zero_grad()
    with DeeperRecursion():
        loss = micrograd_sample(model, sample, label)
    gradient_error = 0.0
    for layer, dense in zip(model.layers, (twin.model.layers[0], twin.model.layers[2])):
        weight_gradients = [[value.grad for value in neuron.w] for neuron in layer.neurons]
        bias_gradients = [neuron.b.grad for neuron in layer.neurons]
        gradient_error = max(
            gradient_error,
            common.largest_normwise_error(weight_gradients, dense.weight.grad),
            common.largest_normwise_error(bias_gradients, dense.bias.grad),
        )
    model.zero_grad()
    loss_error = relative_difference(loss, expected_loss)
    return {
        "loss": loss,
        "purenet_relu_loss": expected_loss,
        "loss_error": loss_error,
        "gradient_error": gradient_error,
        "check": common.verdict(max(loss_error, gradient_error), common.STEP_TOLERANCE),
    }


# --- running and reporting ---------------------------------------------------------


def compared_with_purenet(seconds: float, purenet_seconds: float) -> str:
    """'12.3x slower' or '45.6x faster': a time as a multiple of purenet's."""
    if seconds >= purenet_seconds:
        return f"{common.format_ratio(seconds / purenet_seconds)} slower"
    return f"{common.format_ratio(purenet_seconds / seconds)} faster"


def ratio_text(ratio: float | str) -> str:
    """A measured ratio, or the reason there is none ("not installed")."""
    return ratio if isinstance(ratio, str) else common.format_ratio(ratio)


def evaluate_targets(ratios: dict[str, float | str]) -> list[dict]:
    """The issue's targets, each with the measured ratio and PASS, MISS or n/a (with a note why)."""
    version = f"{sys.version_info.major}.{sys.version_info.minor}"
    on_new_python = sys.version_info >= (3, 12)
    targets = []

    speed_up = ratios["purenet_speed_up_over_original"]
    targets.append({
        "target": f"step at least {target_over_original():g}x faster than the original design "
                  f"(the target for Python {'3.12+' if on_new_python else '3.11 and earlier'})",
        "measured": speed_up,
        "verdict": common.pass_or_miss(speed_up >= target_over_original()),
        "note": "",
    })

    micrograd_ratio = ratios["purenet_speed_up_over_micrograd_per_sample"]
    installed = not isinstance(micrograd_ratio, str)
    targets.append({
        "target": f"at least {MICROGRAD_TARGET:g}x faster per sample than micrograd",
        "measured": micrograd_ratio,
        "verdict": common.pass_or_miss(micrograd_ratio >= MICROGRAD_TARGET) if installed else "n/a",
        "note": "" if installed else "pip install micrograd",
    })

    numpy_ratio = ratios["numpy_speed_up_over_purenet"]
    installed = not isinstance(numpy_ratio, str)
    if not installed:
        verdict, note = "n/a", "pip install numpy"
    elif not on_new_python:
        verdict, note = "n/a", f"the target is for Python 3.12+; this is {version}"
    else:
        verdict, note = common.pass_or_miss(numpy_ratio <= NUMPY_TARGET), ""
    targets.append({
        "target": f"no more than {NUMPY_TARGET:g}x slower than NumPy with one thread (Python 3.12+)",
        "measured": numpy_ratio,
        "verdict": verdict,
        "note": note,
    })
    return targets


def worst_parameter_error(check: dict) -> float:
    """The largest of a check's weights, update and gradient errors."""
    return max(check.get(key, 0.0) for key in ("weights_error", "update_error", "gradient_error"))


def results_table(timings: dict[str, common.Timing], checks: dict[str, dict]) -> str:
    """One row per implementation: its time, per sample, against purenet, and its check."""
    ours = timings["purenet"].best
    rows = []
    for name, timing in timings.items():
        step_time = timing.best * (common.BATCH_SIZE if name.startswith("micrograd") else 1)
        check = checks.get(name.replace(", one sample", ""), {})
        checked = "loss_error" in check
        rows.append([
            name,
            common.format_seconds(timing.best),
            common.format_seconds(timing.median),
            common.format_seconds(step_time / common.BATCH_SIZE),
            compared_with_purenet(step_time, ours) if name != "purenet" else "-",
            f"{check['loss_error']:.1e}" if checked else "-",
            f"{worst_parameter_error(check):.1e}" if checked else "-",
            check.get("check", "reference"),
        ])
    for missing in ("numpy", "micrograd"):
        if not any(name.startswith(missing) for name in timings):
            rows.append([missing, common.NOT_INSTALLED, "-", "-", "-", "-", "-", "-"])
    headers = [
        "implementation", "time per call", "(median)", "per sample", "against purenet", "loss error",
        "weights error", "check",
    ]
    return common.format_table(headers, rows)


TABLE_NOTES = f"""\
time per call: one training step of 50 drawings (micrograd: forward, loss and backward of one drawing),
the best round; the median shows how much the machine's load moved the rounds.
per sample: step time / 50. against purenet: per sample, how many times slower or faster than purenet.
loss, weights error: relative to purenet's, after one step from the same weights (weights error:
the worse of the updated weights and of the update itself; micrograd: one sample's gradients,
against purenet with ReLU, micrograd's activation). check: OK within {common.STEP_TOLERANCE:g}."""


def measured_ratios(timings: dict[str, common.Timing]) -> dict[str, float | str]:
    """purenet against each of the others, as ratios of the best times of this run."""
    ours = timings["purenet"].best
    ratios: dict[str, float | str] = {
        "purenet_speed_up_over_original": timings["original design"].best / ours,
        "purenet_speed_up_over_tight_loops": timings["tight loops"].best / ours,
        "purenet_speed_up_over_micrograd_per_sample": common.NOT_INSTALLED,
        "numpy_speed_up_over_purenet": common.NOT_INSTALLED,
    }
    if "micrograd, one sample" in timings:
        per_sample = ours / common.BATCH_SIZE
        ratios["purenet_speed_up_over_micrograd_per_sample"] = timings["micrograd, one sample"].best / per_sample
    if "numpy" in timings:
        ratios["numpy_speed_up_over_purenet"] = ours / timings["numpy"].best
    return ratios


def print_ratios_and_targets(ratios: dict[str, float | str], targets: list[dict]) -> None:
    print("purenet against the others (ratios of times measured in this run):")
    for label, key in (
        ("speed-up over the original design:  ", "purenet_speed_up_over_original"),
        ("speed-up over tight loops:          ", "purenet_speed_up_over_tight_loops"),
        ("speed-up over micrograd, per sample:", "purenet_speed_up_over_micrograd_per_sample"),
        ("NumPy (one thread) faster by:       ", "numpy_speed_up_over_purenet"),
    ):
        print(f"  {label} {ratio_text(ratios[key])}")
    print()
    print("Targets:")
    for target in targets:
        note = f" ({target['note']})" if target["note"] else ""
        print(f"  {target['verdict']:4}  {target['target']}: {ratio_text(target['measured'])}{note}")


def main(arguments: list[str] | None = None) -> int:
    options = common.parse_arguments(__doc__.split("\n\n")[0], arguments)
    rounds, seconds_per_batch = (3, 0.05) if options.quick else (9, 0.2)

    started = time.perf_counter()
    machine = common.machine_description(numpy)
    print(common.describe_machine_briefly(machine))
    batch, labels, source = common.drawing_batch(common.BATCH_SIZE, options.seed)
    print(f"drawings: {source}; {common.background_share(batch):.0%} of their values are background")
    print(f"timing: best of {rounds} interleaved rounds, each about {seconds_per_batch * 1000:.0f} ms per candidate")
    print(flush=True)
    weights = InitialWeights(options.seed)

    numpy_inputs = None
    if numpy is not None:  # arrays made once: converting lists is not part of NumPy's step
        one_hot = [[1.0 if k == label else 0.0 for k in range(common.CLASSES)] for label in labels]
        numpy_inputs = (
            numpy.array(batch, dtype=numpy.float64), numpy.array(labels), numpy.array(one_hot, dtype=numpy.float64)
        )

    print("  checking ...", file=sys.stderr, flush=True)
    checks = check_implementations(weights, batch, labels, numpy_inputs)
    micrograd_network = micrograd_model(weights)
    if micrograd_network is not None:
        checks["micrograd"] = check_micrograd(micrograd_network, weights, batch[0], labels[0])

    # Each implementation trains its own copy of the weights while it is timed.
    purenet_network, original, tight = PurenetStep(weights), OriginalNetwork(weights), TightLoopsNetwork(weights)
    candidates: dict[str, Callable[[], object]] = {
        "purenet": lambda: purenet_network.step(batch, labels),
        "original design": lambda: original.step(batch, labels),
        "tight loops": lambda: tight.step(batch, labels),
    }
    if numpy is not None:
        numpy_network = NumpyNetwork(weights)
        candidates["numpy"] = lambda: numpy_network.step(*numpy_inputs)
    if micrograd_network is not None:
        candidates["micrograd, one sample"] = lambda: micrograd_sample(micrograd_network, batch[0], labels[0])
    print("  timing ...", file=sys.stderr, flush=True)
    with DeeperRecursion():
        timings = common.measure(candidates, rounds, seconds_per_batch)

    print(results_table(timings, checks))
    print()
    print(TABLE_NOTES)
    print()
    ratios = measured_ratios(timings)
    targets = evaluate_targets(ratios)
    print_ratios_and_targets(ratios, targets)

    print("  timing the README's loop and fit ...", file=sys.stderr, flush=True)
    loop_timings, loop_check = measure_loop_against_fit(weights, options.seed, rounds, seconds_per_batch)
    print()
    loop_against_fit = print_loop_against_fit(loop_timings, loop_check)
    targets.append(loop_against_fit.pop("target"))
    checks["README loop against fit"] = loop_check

    elapsed = time.perf_counter() - started
    all_checks_ok = all(check.get("check", "OK") == "OK" for check in checks.values())
    path = common.write_results(
        "step",
        {
            "benchmark": "step",
            "machine": machine,
            "settings": {
                "quick": options.quick,
                "rounds": rounds,
                "seconds_per_batch": seconds_per_batch,
                "seed": options.seed,
                "drawings": source,
                "drawings_background_share": common.background_share(batch),
                "network": "Dense(1024, 32) -> LeakyReLU(0.01) -> Dense(32, 2), SoftmaxCrossEntropy, SGD",
                "batch_size": common.BATCH_SIZE,
                "learning_rate": LEARNING_RATE,
                "tolerance": common.STEP_TOLERANCE,
            },
            "timings": {name: timing.as_dict() for name, timing in timings.items()},
            "loop_against_fit_timings": {name: timing.as_dict() for name, timing in loop_timings.items()},
            "loop_against_fit": loop_against_fit,
            "purenet_seconds_per_sample": timings["purenet"].best / common.BATCH_SIZE,
            "ratios": ratios,
            "checks": checks,
            "all_checks_ok": all_checks_ok,
            "targets": targets,
            "seconds": elapsed,
        },
        options.output,
    )
    print(f"\nResults written to {path} ({elapsed:.0f} s)")
    return 0 if all_checks_ok else 1


if __name__ == "__main__":
    sys.exit(main())
