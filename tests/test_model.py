"""Tests for Sequential: construction, forward/backward, prediction, summary and fit."""

import io
import math
import random
import re

import pytest

import purenet as pn
from purenet.datasets import spiral, xor


def xor_model():
    rng = random.Random(0)
    return pn.Sequential(pn.Dense(2, 8, init="xavier", rng=rng), pn.Tanh(), pn.Dense(8, 2, init="xavier", rng=rng))


def identity_model():
    """Dense(2, 2) with W = I and b = 0: the logits are the inputs."""
    layer = pn.Dense(2, 2)
    layer.weight[:] = [[1.0, 0.0], [0.0, 1.0]]
    layer.bias[:] = [0.0, 0.0]
    return pn.Sequential(layer)


def bits(values):
    return [v.hex() for row in values for v in (row if isinstance(row, list) else [row])]


# --- construction --------------------------------------------------------------------


def test_mismatched_dense_sizes_are_refused():
    with pytest.raises(ValueError, match=r"Sequential: layer 2 Dense\(4, 1, init='he'\) expects 4 inputs, but the layer before it gives 3"):
        pn.Sequential(pn.Dense(2, 3), pn.ReLU(), pn.Dense(4, 1))


def test_class_instead_of_instance_is_refused_with_a_hint():
    with pytest.raises(TypeError, match=r"layer 1 must be a layer .* got <class .*ReLU'>.*did you pass the class instead of an instance"):
        pn.Sequential(pn.Dense(2, 3), pn.ReLU, pn.Dense(3, 1))
    with pytest.raises(TypeError, match=r"layer 0 must be a layer such as Dense\(2, 3\) or ReLU\(\), got 'relu'$"):
        pn.Sequential("relu")


def test_empty_sequential_is_refused():
    with pytest.raises(ValueError, match="Sequential needs at least one layer"):
        pn.Sequential()


def test_a_list_of_layers_is_accepted():
    layers = [pn.Dense(2, 3), pn.ReLU()]
    model = pn.Sequential(layers)
    assert model.layers == layers


def test_parameters_are_in_layer_order_weight_then_bias():
    first, second = pn.Dense(2, 3), pn.Dense(3, 1)
    model = pn.Sequential(first, pn.Tanh(), second)
    parameters = model.parameters()
    assert len(parameters) == 4
    for got, want in zip(parameters, [first.weight, first.bias, second.weight, second.bias]):
        assert got is want


# --- forward and backward -----------------------------------------------------------------


def test_forward_chains_the_layers_by_hand():
    first = pn.Dense(2, 2)
    first.weight[:] = [[1.0, -1.0], [2.0, 0.0]]
    first.bias[:] = [0.0, -5.0]
    second = pn.Dense(2, 1)
    second.weight[:] = [[1.0, 1.0]]
    second.bias[:] = [0.5]
    model = pn.Sequential(first, pn.ReLU(), second)
    # x = [3, 1]: first -> [2, 1]; relu -> [2, 1]; second -> 3.5
    # x = [1, 2]: first -> [-1, -3]; relu -> [0, 0]; second -> 0.5
    output = model.forward([[3.0, 1.0], [1.0, 2.0]])
    assert output[0] == pytest.approx([3.5])
    assert output[1] == pytest.approx([0.5])
    assert model([[3.0, 1.0]])[0] == pytest.approx([3.5])


def test_backward_is_the_chain_rule_through_each_layer():
    rng = random.Random(5)
    first, second = pn.Dense(3, 4, rng=rng), pn.Dense(4, 2, rng=rng)
    tanh = pn.Tanh()
    model = pn.Sequential(first, tanh, second)
    x = [[0.2, -0.4, 1.0], [0.7, 0.1, -0.3]]
    upstream = [[1.0, -0.5], [0.25, 2.0]]
    model.forward(x)
    input_gradient = model.backward(upstream, input_gradient=True)
    # The same by hand, with fresh layers holding the same weights.
    a, b = pn.Dense(3, 4), pn.Dense(4, 2)
    a.weight[:], a.bias[:] = [list(r) for r in first.weight], list(first.bias)
    b.weight[:], b.bias[:] = [list(r) for r in second.weight], list(second.bias)
    hidden = a.forward(x)
    activated = [[math.tanh(v) for v in row] for row in hidden]
    b.forward(activated)
    g = b.backward(upstream)
    g = [[gv * (1.0 - math.tanh(h) ** 2) for gv, h in zip(g_row, h_row)] for g_row, h_row in zip(g, hidden)]
    expected_input = a.backward(g)
    for got, want in zip(input_gradient, expected_input):
        assert got == pytest.approx(want, rel=1e-12)
    for got, want in zip(first.weight.grad, a.weight.grad):
        assert got == pytest.approx(want, rel=1e-12)
    assert second.bias.grad == pytest.approx(b.bias.grad, rel=1e-12)


class RecordingDense(pn.Dense):
    """A Dense layer that records the input_gradient flag of every backward call."""

    def __init__(self, *arguments, **keywords):
        super().__init__(*arguments, **keywords)
        self.asked = []

    def backward(self, grad, input_gradient=True):
        self.asked.append(input_gradient)
        return super().backward(grad, input_gradient)


def test_backward_computes_no_input_gradient_unless_asked():
    # As in PyTorch: the first layer's G W, the largest product of a backward pass, is skipped by default.
    first, last = RecordingDense(2, 3, rng=0), RecordingDense(3, 2, rng=1)
    model = pn.Sequential(first, pn.ReLU(), last)
    model.forward([[1.0, 2.0]])
    assert model.backward([[1.0, 0.0]]) is None
    assert first.asked == [False] and last.asked == [True]  # the later layers still pass gradients down
    assert all(parameter.grad is not None for parameter in model.parameters())
    model.zero_grad()
    assert all(parameter.grad is None for parameter in model.parameters())
    assert model.backward([[1.0, 0.0]], input_gradient=False) is None
    gradient = model.backward([[1.0, 0.0]], input_gradient=True)
    assert first.asked == [False, False, True]
    assert len(gradient) == 1 and len(gradient[0]) == 2


def test_backward_stops_at_the_first_layer_with_parameters():
    # An Unflatten (or a Dropout) before the first trainable layer has nothing to learn: its
    # backward, and the convolution's input gradient it would need, are skipped unless asked.
    class RecordingUnflatten(pn.Unflatten):
        def __init__(self, shape):
            super().__init__(shape)
            self.calls = 0

        def backward(self, grad, input_gradient=True):
            self.calls += 1
            return super().backward(grad, input_gradient)

    def run(input_gradient):
        unflatten = RecordingUnflatten((1, 6))
        model = pn.Sequential(unflatten, pn.Conv1d(1, 2, 3, rng=4), pn.Flatten(), pn.Dense(8, 2, rng=5))
        loss = pn.SoftmaxCrossEntropy()
        loss.forward(model.forward([[0.5, -1.0, 2.0, 0.0, 1.5, -0.5], [0.1, 0.2, 0.3, 0.4, 0.5, 0.6]]), [1, 0])
        returned = model.backward(loss.backward(), input_gradient=input_gradient)
        return unflatten.calls, returned, [parameter.grad for parameter in model.parameters()]

    calls, returned, skipped = run(False)
    assert calls == 0 and returned is None
    calls, returned, full = run(True)
    assert calls == 1 and len(returned) == 2 and len(returned[0]) == 6
    assert repr(skipped) == repr(full)  # the same floats, digit for digit (repr round-trips)
    # A model with no parameters at all has no backward work to do.
    assert pn.Sequential(pn.ReLU()).backward([[1.0]]) is None


def test_the_default_backward_stores_the_same_gradients_as_with_the_input_gradient():
    def gradients(input_gradient):
        model = pn.Sequential(pn.Dense(3, 4, rng=2), pn.Tanh(), pn.Dense(4, 2, rng=3))
        loss = pn.SoftmaxCrossEntropy()
        loss.forward(model.forward([[0.5, -1.0, 2.0], [0.1, 0.2, 0.3]]), [1, 0])
        model.backward(loss.backward(), input_gradient=input_gradient)
        return [parameter.grad for parameter in model.parameters()]

    for without, with_input in zip(gradients(False), gradients(True)):
        assert bits(without) == bits(with_input)


def test_gradcheck_of_a_whole_model():
    model = pn.Sequential(pn.Dense(3, 4, rng=1), pn.Sigmoid(), pn.Dense(4, 3, rng=2))
    errors = pn.gradcheck(model, [[0.5, -0.2, 0.9], [0.1, 0.4, -0.7]], [2, 0])
    assert set(errors) == {"input", "0.Dense.weight", "0.Dense.bias", "2.Dense.weight", "2.Dense.bias"}
    assert max(errors.values()) < 1e-6


# --- predict, predict_proba, evaluate --------------------------------------------------------


def test_predict_proba_is_the_softmax_of_the_logits():
    model = identity_model()
    probabilities = model.predict_proba([[0.0, math.log(3.0)], [2.0, 2.0], [1000.0, 0.0]])
    assert probabilities[0] == pytest.approx([0.25, 0.75])
    assert probabilities[1] == pytest.approx([0.5, 0.5])
    assert probabilities[2] == pytest.approx([1.0, 0.0], abs=1e-300)
    for row in probabilities:
        assert sum(row) == pytest.approx(1.0, rel=1e-12)


def test_predict_proba_of_a_model_ending_in_softmax_returns_them_directly():
    model = pn.Sequential(identity_model().layers[0], pn.Softmax())
    probabilities = model.predict_proba([[0.0, math.log(3.0)]])
    # not softmax applied twice (which would give [0.38, 0.62])
    assert probabilities[0] == pytest.approx([0.25, 0.75])


def test_predict_returns_the_argmax():
    model = identity_model()
    assert model.predict([[0.1, 0.9], [5.0, -5.0], [0.0, 0.0]]) == [1, 0, 0]


def test_predict_validates_its_input():
    model = identity_model()
    with pytest.raises(ValueError, match=r"X must be a list of samples .*flat list of 2 numbers"):
        model.predict([1.0, 2.0])
    with pytest.raises(ValueError, match=r"Dense\(2, 2\): input \(1 x 3\) needs 2 features per sample, got 3"):
        model.predict([[1.0, 2.0, 3.0]])


def test_evaluate_by_hand():
    model = identity_model()
    result = model.evaluate([[2.0, 0.0], [0.0, 1.0]], [0, 0])
    # -log softmax_0: [2, 0] -> log(1 + e^-2); [0, 1] -> log(1 + e)
    assert result["loss"] == pytest.approx((math.log(1.0 + math.exp(-2.0)) + math.log(1.0 + math.e)) / 2.0)
    assert result["accuracy"] == pytest.approx(0.5)


def test_evaluate_with_mse_and_regression_targets_has_no_accuracy():
    model = identity_model()
    result = model.evaluate([[1.0, 2.0]], [[0.5, 2.5]], loss=pn.MeanSquaredError())
    assert result["loss"] == pytest.approx(0.25)  # (0.25 + 0.25) / 2
    assert result["accuracy"] is None


def test_evaluate_of_a_softmax_model_uses_cross_entropy():
    model = pn.Sequential(identity_model().layers[0], pn.Softmax())
    result = model.evaluate([[0.0, math.log(3.0)]], [1])
    assert result["loss"] == pytest.approx(math.log(4.0 / 3.0))


def test_evaluate_refuses_mismatched_labels():
    with pytest.raises(ValueError, match=r"y has 1 labels but there are 2 samples"):
        identity_model().evaluate([[1.0, 2.0], [3.0, 4.0]], [0])


# --- summary -------------------------------------------------------------------------------------


def test_summary_lists_shapes_and_the_total_parameter_count():
    model = pn.Sequential(pn.Dense(30, 40), pn.ReLU(), pn.Dense(40, 3))
    text = model.summary()
    # 30 * 40 + 40 = 1240 and 40 * 3 + 3 = 123: 1363 in total
    plain = re.sub(r"(\d),(\d)", r"\1\2", text)  # accept 1,363 as well as 1363
    assert "Total parameters: 1363" in plain
    assert re.search(r"Dense\(30, 40.*\(batch, 40\)\s+1240", plain)
    assert re.search(r"ReLU\(\)\s+\(batch, 40\)\s+0", plain)
    assert re.search(r"Dense\(40, 3.*\(batch, 3\)\s+123", plain)


def test_summary_of_the_xor_model():
    # 2 * 8 + 8 = 24 and 8 * 2 + 2 = 18
    assert "Total parameters: 42" in xor_model().summary()


def test_summary_without_a_dense_layer_has_unknown_shapes_unless_told():
    model = pn.Sequential(pn.ReLU(), pn.Softmax())
    assert "(batch, ?)" in model.summary()
    assert "(batch, 5)" in model.summary(input_features=5)
    assert "Total parameters: 0" in model.summary()


# --- fit -------------------------------------------------------------------------------------------


def test_fit_learns_xor():
    X, y = xor()
    model = xor_model()
    history = model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.05), epochs=300, batch_size=4, verbose=0)
    assert model.predict(X) == [0, 1, 1, 0]
    assert pn.accuracy(model.predict(X), y) == pytest.approx(1.0)
    assert history["loss"][-1] < 0.1 < history["loss"][0]
    assert history["accuracy"][-1] == pytest.approx(1.0)


def test_fit_is_reproducible_with_the_same_seed_and_depends_on_it():
    X, y = spiral(points_per_class=10, classes=2, seed=3)

    def run(seed):
        model = pn.Sequential(pn.Dense(2, 6, rng=1), pn.ReLU(), pn.Dense(6, 2, rng=2))
        history = model.fit(X, y, optimizer=pn.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=4, seed=seed, verbose=0)
        return history, model

    first_history, first = run(seed=11)
    again_history, again = run(seed=11)
    other_history, _ = run(seed=12)
    assert bits(first_history["loss"]) == bits(again_history["loss"])
    for a, b in zip(first.parameters(), again.parameters()):
        assert bits(a) == bits(b)
    assert bits(first_history["loss"]) != bits(other_history["loss"])


def test_fit_does_not_touch_the_global_random_state():
    X, y = xor()
    random.seed(99)
    before = random.getstate()
    model = xor_model()
    model.fit(X, y, epochs=2, batch_size=2, verbose=0, validation=(X, y))
    assert random.getstate() == before


def test_fit_without_shuffle_by_hand():
    # W = I, b = 0, SGD lr 1, one sample per batch, in order.
    # batch 1: x = [0, ln 3], class 1: p = [1/4, 3/4], loss log(4/3); dz = p - t = [1/4, -1/4],
    #   dW = dz^T x = [[0, ln3/4], [0, -ln3/4]], db = dz, so W = [[1, -ln3/4], [0, 1 + ln3/4]], b = [-1/4, 1/4].
    # batch 2: x = [5, 0], class 0: z = W x + b = [4.75, 0.25], loss log(1 + e^(0.25 - 4.75)).
    # Each batch's loss is measured before its update; the epoch loss is their mean.
    model = identity_model()
    optimizer = pn.SGD(model.parameters(), lr=1.0)
    history = model.fit([[0.0, math.log(3.0)], [5.0, 0.0]], [1, 0], optimizer=optimizer, epochs=1, batch_size=1, shuffle=False, verbose=0)
    expected = (math.log(4.0 / 3.0) + math.log(1.0 + math.exp(-4.5))) / 2.0
    assert history["loss"][0] == pytest.approx(expected, rel=1e-12)
    # and the accuracy: sample 1 is predicted class 1 (3/4 > 1/4), sample 2 class 0 (4.75 > 0.25)
    assert history["accuracy"][0] == pytest.approx(1.0)


def test_history_keys_and_lengths():
    X, y = xor()
    history = xor_model().fit(X, y, epochs=5, batch_size=2, verbose=0)
    assert set(history) == {"loss", "accuracy", "val_loss", "val_accuracy"}
    assert len(history["loss"]) == 5 and len(history["accuracy"]) == 5
    assert history["val_loss"] == [] and history["val_accuracy"] == []
    assert all(0.0 <= a <= 1.0 for a in history["accuracy"])


def test_fit_with_a_validation_fraction():
    X, y = spiral(points_per_class=10, classes=2)
    model = pn.Sequential(pn.Dense(2, 4), pn.ReLU(), pn.Dense(4, 2))
    stream = io.StringIO()
    history = model.fit(X, y, epochs=3, batch_size=8, validation=0.25, stream=stream)
    assert len(history["val_loss"]) == 3 and len(history["val_accuracy"]) == 3
    # 20 samples, 5 held out: accuracies are multiples of 1/5 (validation) and 1/15 (training)
    for value in history["val_accuracy"]:
        assert value * 5 == pytest.approx(round(value * 5))
    for value in history["accuracy"]:
        assert value * 15 == pytest.approx(round(value * 15))
    assert "val_loss" in stream.getvalue()


def test_fit_with_a_validation_tuple_matches_evaluate():
    X, y = xor()
    model = xor_model()
    history = model.fit(X, y, epochs=2, batch_size=4, validation=(X[:2], y[:2]), verbose=0)
    after = model.evaluate(X[:2], y[:2])
    assert history["val_loss"][-1] == pytest.approx(after["loss"], rel=1e-12)
    assert history["val_accuracy"][-1] == pytest.approx(after["accuracy"])


def test_fit_with_regression_targets_has_no_accuracy():
    X = [[0.0], [0.5], [1.0]]
    y = [[0.0], [1.0], [2.0]]
    model = pn.Sequential(pn.Dense(1, 1))
    history = model.fit(X, y, loss=pn.MeanSquaredError(), optimizer=pn.SGD(model.parameters(), lr=0.1), epochs=50, batch_size=3, verbose=0)
    assert history["accuracy"] == [None] * 50
    assert history["loss"][-1] < history["loss"][0]


def test_verbose_zero_prints_nothing(capsys):
    X, y = xor()
    xor_model().fit(X, y, epochs=3, verbose=0, validation=(X, y))
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_verbose_one_writes_one_line_per_epoch_to_a_non_terminal_stream(capsys):
    X, y = xor()
    stream = io.StringIO()
    xor_model().fit(X, y, epochs=4, batch_size=1, verbose=1, stream=stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 4
    assert "\r" not in stream.getvalue()
    for epoch, line in enumerate(lines, start=1):
        assert line.startswith(f"epoch {epoch}/4 ")
        assert re.search(r"loss \d+\.\d{4} accuracy \d\.\d{4}", line)
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == ""


def test_verbose_one_defaults_to_stderr(capsys):
    X, y = xor()
    xor_model().fit(X, y, epochs=2, verbose=1)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 2


def test_divergence_raises_naming_epoch_and_batch():
    # One weight w = 1, bias 0, input 1, target 0: L = s^2 with s = w + b, and each SGD step
    # with lr 1e6 sets s <- s - lr (2s + 2s) = s (1 - 4e6). Before step k the loss is
    # (4e6 - 1)^(2 (k - 1)): finite (1e303.7) at k = 24, infinite (1e316.9 > 1.8e308) at k = 25.
    # Five identical samples per epoch, batch_size 1: step 25 is epoch 5, batch 5.
    layer = pn.Dense(1, 1)
    layer.weight[:] = [[1.0]]
    layer.bias[:] = [0.0]
    model = pn.Sequential(layer)
    X, y = [[1.0]] * 5, [[0.0]] * 5
    with pytest.raises(pn.TrainingDivergedError, match=r"loss became (inf|nan) at epoch 5, batch 5\. Try a smaller learning rate"):
        model.fit(X, y, loss=pn.MeanSquaredError(), optimizer=pn.SGD(model.parameters(), lr=1e6), epochs=10, batch_size=1, verbose=0)


def test_divergence_error_is_a_floating_point_error():
    assert issubclass(pn.TrainingDivergedError, FloatingPointError)


def test_softmax_model_with_softmax_cross_entropy_is_refused():
    X, y = xor()
    model = pn.Sequential(pn.Dense(2, 2), pn.Softmax())
    with pytest.raises(
        ValueError, match=r"model ends in Softmax but the loss is SoftmaxCrossEntropy.*ProbabilityCrossEntropy\(\)"
    ):
        model.fit(X, y, loss=pn.SoftmaxCrossEntropy(), verbose=0)


def test_one_default_loss_for_fit_and_evaluate():
    # A model ending in Softmax gives probabilities: ProbabilityCrossEntropy; any other gives logits.
    softmax_model = pn.Sequential(pn.Dense(2, 2), pn.Softmax())
    logits_model = pn.Sequential(pn.Dense(2, 2))
    assert type(softmax_model.default_loss()) is pn.ProbabilityCrossEntropy
    assert type(logits_model.default_loss()) is pn.SoftmaxCrossEntropy


def test_fit_without_a_loss_trains_a_softmax_model_with_the_loss_evaluate_uses():
    # fit once picked SoftmaxCrossEntropy for such a model and then refused it.
    X, y = xor()
    rng = random.Random(0)
    model = pn.Sequential(
        pn.Dense(2, 8, init="xavier", rng=rng), pn.Tanh(), pn.Dense(8, 2, init="xavier", rng=rng), pn.Softmax()
    )
    history = model.fit(
        X, y, optimizer=pn.SGD(model.parameters(), lr=0.5), epochs=3, batch_size=4, shuffle=False, verbose=0
    )
    # One full batch and no shuffle: the first epoch's loss is the loss before any update, as evaluate
    # measures it with its own default. A fresh model with the same weights gives that loss.
    rng = random.Random(0)
    again = pn.Sequential(
        pn.Dense(2, 8, init="xavier", rng=rng), pn.Tanh(), pn.Dense(8, 2, init="xavier", rng=rng), pn.Softmax()
    )
    assert history["loss"][0] == pytest.approx(again.evaluate(X, y)["loss"], rel=1e-12)
    assert again.evaluate(X, y)["loss"] == pytest.approx(pn.ProbabilityCrossEntropy()(again.forward(X), y), rel=1e-12)
    assert history["loss"][-1] < history["loss"][0]


def test_softmax_model_trains_with_probability_cross_entropy():
    X, y = xor()
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(2, 8, init="xavier", rng=rng), pn.Tanh(), pn.Dense(8, 2, init="xavier", rng=rng), pn.Softmax())
    history = model.fit(
        X,
        y,
        loss=pn.ProbabilityCrossEntropy(),
        optimizer=pn.Adam(model.parameters(), lr=0.05),
        epochs=100,
        batch_size=4,
        verbose=0,
    )
    assert history["loss"][-1] < history["loss"][0]


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"epochs": 0}, ValueError, r"fit: epochs must be a positive integer, got 0"),
        ({"epochs": 2.5}, ValueError, r"fit: epochs must be a positive integer, got 2\.5"),
        ({"epochs": True}, ValueError, r"fit: epochs must be a positive integer, got True"),
        ({"batch_size": 0}, ValueError, r"fit: batch_size must be a positive integer, got 0"),
        ({"batch_size": "4"}, ValueError, r"fit: batch_size must be a positive integer, got '4'"),
        ({"verbose": 2}, ValueError, r"fit: verbose must be 0 or 1, got 2"),
        ({"validation": 1.5}, ValueError, r"fit: a validation fraction must be in \(0, 1\), got 1\.5"),
        ({"validation": 0.0}, ValueError, r"fit: a validation fraction must be in \(0, 1\), got 0\.0"),
        ({"validation": 0.05}, ValueError, r"fit: validation=0\.05 of 4 samples leaves 0 for validation and 4 for training"),
        ({"validation": 0.9}, ValueError, r"fit: validation=0\.9 of 4 samples leaves 4 for validation and 0 for training"),
        ({"validation": "some"}, TypeError, r"fit: validation must be \(X_val, y_val\) or a fraction in \(0, 1\), got 'some'"),
        ({"validation": ([[0.0, 1.0]], [1, 0])}, ValueError, r"validation y has 2 labels but there are 1 samples"),
        ({"validation": ([0.0, 1.0], [1])}, ValueError, r"validation X must be a list of samples"),
    ],
)
def test_fit_refuses_bad_arguments(kwargs, error, message):
    X, y = xor()
    arguments = {"verbose": 0}
    arguments.update(kwargs)
    with pytest.raises(error, match=message):
        xor_model().fit(X, y, **arguments)


def test_fit_refuses_bad_data():
    model = xor_model()
    with pytest.raises(ValueError, match=r"y has 3 labels but there are 4 samples"):
        model.fit(xor()[0], [0, 1, 1], verbose=0)
    with pytest.raises(TypeError, match=r"y must be a list of class indices \(or of target rows\), got str"):
        model.fit(xor()[0], "0110", verbose=0)
    with pytest.raises(ValueError, match=r"X\[0\]\[0\] must be finite, got nan"):
        model.fit([[math.nan, 0.0]], [0], verbose=0)
    with pytest.raises(ValueError, match=r"target\[\d\] is class 2, but the output has 2 classes"):
        model.fit([[0.0, 0.0]], [2], verbose=0)


def test_repr():
    assert repr(pn.Sequential(pn.Dense(2, 3), pn.ReLU())) == "Sequential(Dense(2, 3, init='he'), ReLU())"


def test_fit_zeroes_gradients_every_batch(recwarn):
    rng = random.Random(11)
    model = pn.Sequential(pn.Dense(3, 4, rng=rng), pn.Tanh(), pn.Dense(4, 3, rng=rng))
    X = [[rng.uniform(-1.0, 1.0) for _ in range(3)] for _ in range(10)]
    y = [index % 3 for index in range(10)]
    model.fit(X, y, optimizer=pn.SGD(model.parameters(), lr=0.1), epochs=3, batch_size=4, verbose=0)
    # Every step's gradient comes from one backward pass, so the optimiser never warns of a sum.
    assert not [warning for warning in recwarn if "backward passes" in str(warning.message)]
    assert all(parameter.backward_passes == 1 for parameter in model.parameters())
