"""Tests for fit's callbacks: the protocol (which hook, when, with what), stopping, and the built-in callbacks."""

import inspect
import io
import math
import random
import re
from pathlib import Path

import pytest

import purenet as pn
from purenet.callbacks import (
    Callback,
    CallbackList,
    DivergenceGuard,
    DyingReLUMonitor,
    ProgressLogger,
    TrainingDivergedError,
    Validation,
)
from purenet.datasets import spiral, xor
from purenet.training import Training


def small_model(seed=0):
    rng = random.Random(seed)
    return pn.Sequential(pn.Dense(2, 4, rng=rng), pn.Tanh(), pn.Dense(4, 2, rng=rng))


class Recorder(Callback):
    """Records every call as (hook, epoch, batch)."""

    def __init__(self):
        self.calls = []

    def _record(self, hook, training):
        self.calls.append((hook, training.epoch, training.batch))

    def on_train_begin(self, training):
        self._record("train_begin", training)

    def on_epoch_begin(self, training):
        self._record("epoch_begin", training)

    def on_forward_end(self, training):
        self._record("forward_end", training)

    def on_before_backward(self, training):
        self._record("before_backward", training)

    def on_batch_end(self, training):
        self._record("batch_end", training)

    def on_epoch_end(self, training):
        self._record("epoch_end", training)

    def on_train_end(self, training):
        self._record("train_end", training)


# --- the protocol ---------------------------------------------------------------------------


def test_hooks_are_called_in_the_documented_order():
    X, y = xor()  # 4 samples, batches of 3: batches 1 (3 samples) and 2 (1 sample)
    recorder = Recorder()
    small_model().fit(X, y, epochs=2, batch_size=3, verbose=0, callbacks=[recorder])
    expected = [("train_begin", 0, 0)]
    for epoch in (1, 2):
        expected.append(("epoch_begin", epoch, 0))
        for batch in (1, 2):
            expected += [("forward_end", epoch, batch), ("before_backward", epoch, batch), ("batch_end", epoch, batch)]
        expected.append(("epoch_end", epoch, 2))
    expected.append(("train_end", 2, 2))
    assert recorder.calls == expected


def test_the_training_object_holds_what_each_hook_promises():
    X, y = xor()
    model = small_model()
    optimizer = pn.SGD(model.parameters(), lr=0.5)
    loss = pn.SoftmaxCrossEntropy()
    seen = {}

    class Inspector(Callback):
        def on_forward_end(self, training):
            # One batch of all four samples, in order: the outputs are the model's on X, before the update.
            assert training.outputs == model.forward(X)
            assert training.batch_targets == y
            seen["weights before"] = model.state_dict()

        def on_before_backward(self, training):
            expected = pn.SoftmaxCrossEntropy()(training.outputs, training.batch_targets)
            assert training.batch_loss == pytest.approx(expected, rel=1e-15)
            assert model.state_dict() == seen["weights before"]  # nothing has changed yet
            assert all(parameter.grad is None for parameter in model.parameters())

        def on_batch_end(self, training):
            assert model.state_dict() != seen["weights before"]  # the step has been taken
            seen["batches"] = seen.get("batches", 0) + 1

        def on_epoch_end(self, training):
            assert len(training.history["loss"]) == training.epoch

    model.fit(
        X, y, loss=loss, optimizer=optimizer, epochs=2, batch_size=4, shuffle=False, verbose=0, callbacks=[Inspector()]
    )
    assert seen["batches"] == 2


def test_the_training_object_names_the_run():
    X, y = spiral(points_per_class=10, classes=2, seed=0)  # 20 samples
    model = small_model()
    optimizer = pn.Adam(model.parameters())
    captured = {}

    class Capture(Callback):
        def on_train_begin(self, training):
            captured["training"] = training

    history = model.fit(
        X, y, optimizer=optimizer, epochs=3, batch_size=8, validation=0.25, verbose=0, callbacks=[Capture()]
    )
    training = captured["training"]
    assert isinstance(training, Training)
    assert training.model is model and training.optimizer is optimizer
    assert type(training.loss) is pn.SoftmaxCrossEntropy
    assert (training.epochs, training.batch_size, training.batches) == (3, 8, 2)  # 15 samples left: 8 + 7
    assert len(training.inputs) == 15 and len(training.targets) == 15
    assert training.history is history
    assert training.stop_training is False


def test_every_sample_is_used_once_per_epoch_in_a_new_order():
    X = [[float(index), 0.0] for index in range(10)]
    y = [index % 2 for index in range(10)]
    orders = []

    class Orders(Callback):
        def on_epoch_begin(self, training):
            orders.append([])

        def on_forward_end(self, training):
            orders[-1].append([row[0] for row in training.model.layers[0]._input])

    small_model().fit(X, y, epochs=3, batch_size=4, verbose=0, seed=5, callbacks=[Orders()])
    for epoch in orders:
        assert [len(batch) for batch in epoch] == [4, 4, 2]
        assert sorted(value for batch in epoch for value in batch) == [float(index) for index in range(10)]
    assert orders[0] != orders[1]  # reshuffled every epoch


def test_a_callback_adds_to_the_history_that_fit_returns():
    class WeightNorm(Callback):
        def on_epoch_end(self, training):
            weight = training.model.layers[0].weight
            training.history.setdefault("weight_norm", []).append(math.sqrt(sum(w * w for row in weight for w in row)))

    X, y = xor()
    history = small_model().fit(X, y, epochs=3, verbose=0, callbacks=[WeightNorm()])
    assert len(history["weight_norm"]) == 3 and all(value > 0.0 for value in history["weight_norm"])


def test_user_callbacks_see_the_validation_figures_of_the_epoch():
    X, y = xor()
    seen = []

    class ReadsValidation(Callback):
        def on_epoch_end(self, training):
            seen.append((len(training.history["val_loss"]), training.epoch))

    small_model().fit(X, y, epochs=2, verbose=0, validation=(X, y), callbacks=[ReadsValidation()])
    assert seen == [(1, 1), (2, 2)]


def test_an_exception_in_a_callback_ends_fit():
    class Fails(Callback):
        def on_batch_end(self, training):
            raise RuntimeError("stop here")

    recorder = Recorder()
    with pytest.raises(RuntimeError, match="stop here"):
        small_model().fit(*xor(), epochs=2, verbose=0, callbacks=[Fails(), recorder])
    assert "train_end" not in [call[0] for call in recorder.calls]


# --- stopping -----------------------------------------------------------------------------------


def test_stop_training_after_a_batch_ends_the_epoch_there():
    X = [[float(index), 1.0] for index in range(10)]
    y = [index % 2 for index in range(10)]

    class StopAfterSecondBatch(Callback):
        def on_batch_end(self, training):
            if training.epoch == 2 and training.batch == 2:
                training.stop_training = True

    recorder = Recorder()
    history = small_model().fit(X, y, epochs=5, batch_size=3, verbose=0, callbacks=[StopAfterSecondBatch(), recorder])
    hooks = [call[0] for call in recorder.calls]
    assert hooks.count("batch_end") == 4 + 2  # four batches in epoch 1, two in epoch 2
    assert recorder.calls[-2:] == [("epoch_end", 2, 2), ("train_end", 2, 2)]
    assert len(history["loss"]) == 2  # the stopped epoch has its figures, over the batches that ran


def test_the_figures_of_a_stopped_epoch_cover_the_batches_that_ran():
    X, y = [[0.0, 1.0], [1.0, 0.0], [1.0, 1.0]], [0, 1, 1]
    model = small_model()
    losses = []

    class StopAfterFirstBatch(Callback):
        def on_before_backward(self, training):
            losses.append(training.batch_loss)

        def on_batch_end(self, training):
            training.stop_training = True

    history = model.fit(
        X,
        y,
        optimizer=pn.SGD(model.parameters(), lr=0.1),
        epochs=3,
        batch_size=2,
        shuffle=False,
        verbose=0,
        callbacks=[StopAfterFirstBatch()],
    )
    assert history["loss"] == [pytest.approx(losses[0], rel=1e-15)]


def test_stop_training_at_the_end_of_an_epoch_like_early_stopping():
    class StopWhenBelow(Callback):
        def on_epoch_end(self, training):
            if training.history["loss"][-1] < 0.3:
                training.stop_training = True

    X, y = xor()
    model = small_model()
    history = model.fit(
        X,
        y,
        optimizer=pn.Adam(model.parameters(), lr=0.05),
        epochs=500,
        batch_size=4,
        verbose=0,
        callbacks=[StopWhenBelow()],
    )
    assert 1 < len(history["loss"]) < 500
    assert history["loss"][-1] < 0.3 <= history["loss"][-2]


# --- fit's callbacks argument --------------------------------------------------------------------


@pytest.mark.parametrize(
    "callbacks, message",
    [
        ([Recorder], r"callbacks\[0\] must be an instance .* add the parentheses"),
        (
            [Recorder(), "progress"],
            r"callbacks\[1\] must be an instance of a purenet.callbacks.Callback subclass, got 'progress'",
        ),
        (Recorder(), r"callbacks must be a list of Callback objects, got Recorder\(\)"),
    ],
)
def test_bad_callbacks_are_refused_clearly(callbacks, message):
    with pytest.raises(TypeError, match=message):
        small_model().fit(*xor(), verbose=0, callbacks=callbacks)


def test_a_tuple_of_callbacks_is_accepted():
    recorder = Recorder()
    small_model().fit(*xor(), epochs=1, verbose=0, callbacks=(recorder,))
    assert recorder.calls[0][0] == "train_begin"


def test_callback_list_calls_in_order():
    calls = []

    class Named(Callback):
        def __init__(self, name):
            self.name = name

        def on_epoch_end(self, training):
            calls.append(self.name)

    CallbackList([Named("c")], first=[Named("a"), Named("b")]).on_epoch_end(None)
    assert calls == ["a", "b", "c"]


# --- the built-in callbacks ------------------------------------------------------------------------


def test_validation_as_a_callback_equals_the_validation_argument():
    X, y = spiral(points_per_class=10, classes=2, seed=1)
    X_val, y_val = spiral(points_per_class=5, classes=2, seed=2)
    by_argument = small_model().fit(X, y, epochs=3, batch_size=5, verbose=0, validation=(X_val, y_val))
    by_callback = small_model().fit(X, y, epochs=3, batch_size=5, verbose=0, callbacks=[Validation(X_val, y_val)])
    assert by_callback == by_argument
    assert len(by_callback["val_loss"]) == 3


def test_validation_checks_its_data():
    with pytest.raises(ValueError, match=r"validation y has 1 labels but there are 2 samples"):
        Validation([[0.0, 1.0], [1.0, 0.0]], [0])
    with pytest.raises(ValueError, match=r"validation X\[1\]\[0\] must be finite, got nan"):
        Validation([[0.0, 1.0], [math.nan, 0.0]], [0, 1])


def test_divergence_guard_keeps_the_last_finite_weights():
    # As in test_model's divergence test: the loss is finite up to step 24 and infinite at step 25.
    layer = pn.Dense(1, 1)
    layer.weight[:] = [[1.0]]
    layer.bias[:] = [0.0]
    model = pn.Sequential(layer)
    kept = []

    class KeepWeights(Callback):
        def on_batch_end(self, training):
            kept.append(model.state_dict())

    with pytest.raises(TrainingDivergedError, match=r"loss became inf at epoch 5, batch 5"):
        model.fit(
            [[1.0]] * 5,
            [[0.0]] * 5,
            loss=pn.MeanSquaredError(),
            optimizer=pn.SGD(model.parameters(), lr=1e6),
            epochs=10,
            batch_size=1,
            verbose=0,
            callbacks=[KeepWeights()],
        )
    assert len(kept) == 24
    assert model.state_dict() == kept[-1]  # step 25 was never taken
    assert all(math.isfinite(value) for value in model.layers[0].bias)


def test_divergence_guard_reports_non_finite_outputs_before_a_loss_would_misread_them():
    # A Softmax of [inf, -inf] is [nan, nan]; ProbabilityCrossEntropy alone would call that "not probabilities".
    model = pn.Sequential(pn.Dense(1, 2), pn.Softmax())
    model.layers[0].weight[:] = [[1e308], [-1e308]]
    message = r"loss became nan at epoch 1, batch 1 \(the model's outputs hold nan\)"
    with pytest.raises(TrainingDivergedError, match=message):
        model.fit([[10.0]], [0], optimizer=pn.SGD(model.parameters(), lr=0.1), epochs=1, verbose=0)


def test_divergence_guard_alone():
    training = Training(small_model(), pn.SoftmaxCrossEntropy(), None, [[0.0, 0.0]], [0], 3, 1, False, random.Random(0))
    training.epoch, training.batch = 2, 7
    guard = DivergenceGuard()
    training.outputs, training.batch_loss = [[1.0, 2.0]], 0.5
    guard.on_forward_end(training)
    guard.on_before_backward(training)  # finite: nothing happens
    training.outputs = [[1.0, math.inf]]
    with pytest.raises(TrainingDivergedError, match=r"epoch 2, batch 7 \(the model's outputs hold inf\)"):
        guard.on_forward_end(training)
    training.batch_loss = 10**400  # an int too large for a float is not finite either
    with pytest.raises(TrainingDivergedError, match=r"epoch 2, batch 7\. Try a smaller learning rate"):
        guard.on_before_backward(training)


def test_progress_logger_prints_every_figure_of_the_history():
    training = Training(
        small_model(), pn.SoftmaxCrossEntropy(), None, [[0.0, 0.0]] * 4, [0, 1, 0, 1], 2, 2, False, random.Random(0)
    )
    stream = io.StringIO()
    logger = ProgressLogger(stream)
    training.epoch = 1
    logger.on_epoch_begin(training)
    training.history.update({"loss": [0.5], "accuracy": [None], "val_loss": [], "lr": [0.001]})
    logger.on_epoch_end(training)
    line = stream.getvalue()
    assert line.startswith("epoch 1/2 ") and line.endswith("loss 0.5000 lr 0.0010\n")
    assert "accuracy" not in line and "val_loss" not in line


def test_progress_logger_leaves_out_a_figure_of_the_epoch_before():
    model = small_model()
    optimizer = pn.SGD(model.parameters(), lr=0.1)
    stream = io.StringIO()
    scheduler = pn.LearningRateScheduler(pn.StepLR(optimizer, step_size=1, gamma=0.5))
    X, y = [[0.0, 1.0], [1.0, 0.0]] * 4, [0, 1] * 4
    history = model.fit(X, y, optimizer=optimizer, epochs=3, batch_size=4, stream=stream, callbacks=[scheduler])
    assert history["lr"] == pytest.approx([0.1, 0.05, 0.025])
    # The scheduler records each epoch's lr after the progress line is printed: no line shows
    # the lr of the epoch before it (the second used to say "lr 0.1000", the first epoch's).
    lines = stream.getvalue().strip().splitlines()
    assert len(lines) == 3 and not any(" lr " in line for line in lines)


def test_dying_relu_monitor_counts_units_over_the_whole_epoch():
    # Unit 0 fires only on the second sample, unit 1 never: with batches of one sample, a unit counts as
    # alive if it fired on any batch of the epoch. One dead unit of two is a quarter or more: one warning.
    first = pn.Dense(1, 2)
    first.weight[:] = [[1.0], [0.0]]
    first.bias[:] = [0.0, -1.0]
    model = pn.Sequential(first, pn.ReLU(), pn.Dense(2, 2, rng=0))
    with pytest.warns(UserWarning, match=r"1 of 2 units of layer 1 \(ReLU\) gave 0 for every sample of epoch 1"):
        model.fit(
            [[-1.0], [1.0]],
            [0, 1],
            optimizer=pn.SGD(model.parameters(), lr=0.0),
            epochs=2,
            batch_size=1,
            shuffle=False,
            verbose=0,
        )


def test_dying_relu_monitor_watches_only_plain_relu():
    model = pn.Sequential(pn.Dense(2, 2), pn.LeakyReLU(), pn.Dense(2, 2, rng=1), pn.ReLU())
    training = Training(model, pn.SoftmaxCrossEntropy(), None, [[0.0, 0.0]], [0], 1, 1, False, random.Random(0))
    monitor = DyingReLUMonitor()
    monitor.on_train_begin(training)
    assert [index for index, _ in monitor.rectifiers] == [3]


def test_the_loop_shown_in_docs_training_md_is_the_loop_in_fit():
    # docs/training.md prints fit's loop; if the loop changes, the page must change with it.
    root = Path(__file__).resolve().parent.parent
    page = (root / "docs" / "training.md").read_text(encoding="utf-8")
    shown = re.search(r"```text\n(callbacks\.on_train_begin\(training\).*?)```", page, re.DOTALL).group(1)
    source = inspect.getsource(pn.Sequential.fit)
    code = "\n".join(line[8:] for line in source.splitlines())  # fit's body is indented by 8 spaces
    assert shown.strip() in code
    loop = shown.strip().splitlines()
    assert len(loop) < 40  # the training loop fits on one screen
