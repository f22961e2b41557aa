"""Exported ONNX files against the official tools: onnx.checker accepts them and onnxruntime computes what
purenet computes (float32: 1e-5 relative). Skipped, with the reason, where onnx or onnxruntime is missing."""

import random

import pytest

onnx_library = pytest.importorskip("onnx", reason="onnx is a test-only tool (pip install onnx)")
onnxruntime = pytest.importorskip("onnxruntime", reason="onnxruntime is a test-only tool (pip install onnxruntime)")
numpy = pytest.importorskip("numpy", reason="onnxruntime takes numpy arrays")

import purenet as pn  # noqa: E402
from purenet import onnx  # noqa: E402
from purenet.squares import recipe, shapes  # noqa: E402
from conftest import assert_close  # noqa: E402

ACTIVATIONS = [pn.Identity, pn.ReLU, lambda: pn.LeakyReLU(0.2), pn.Sigmoid, pn.Tanh]


def checked(data):
    """The exported bytes as the official library reads them, after its full check (with shape inference)."""
    model = onnx_library.load_from_string(data)
    onnx_library.checker.check_model(model, full_check=True)
    # protobuf's own serializer writes fields in number order, as the exporter does: the same bytes
    assert model.SerializeToString() == data
    return model


def run(data, inputs):
    session = onnxruntime.InferenceSession(data, providers=["CPUExecutionProvider"])
    return session.run(None, {"input": numpy.array(inputs, dtype=numpy.float32)})[0].tolist()


def random_batch(shape, rng, batch=5):
    if not shape:
        return rng.uniform(-2.0, 2.0)
    return [random_batch(shape[1:], rng, batch) for _ in range(shape[0])]


@pytest.mark.parametrize("seed", range(6))
def test_random_dense_stacks_with_every_activation_agree_with_onnxruntime(seed):
    rng = random.Random(seed)
    widths = [rng.randint(1, 9) for _ in range(rng.randint(2, 5))]
    layers = []
    for index, (inputs, outputs) in enumerate(zip(widths, widths[1:])):
        layers.append(pn.Dense(inputs, outputs, init=rng.choice(["he", "xavier"]), rng=rng))
        # every activation appears, in an order that changes with the seed
        layers.append(ACTIVATIONS[(index + seed) % len(ACTIVATIONS)]())
    for layer in layers:
        if isinstance(layer, pn.Dense):
            layer.bias[:] = [rng.uniform(-1.0, 1.0) for _ in layer.bias]
    if seed % 2:
        layers.append(pn.Softmax())
    model = pn.Sequential(*layers)
    data = onnx.to_bytes(model)
    checked(data)
    batch = random_batch((7, widths[0]), rng)
    assert_close(run(data, batch), model.forward(batch), rel=1e-5, abs=1e-6)


def test_every_activation_appears_in_the_dense_stacks():
    kinds = {type(activation()) for activation in ACTIVATIONS}
    assert kinds == {pn.Identity, pn.ReLU, pn.LeakyReLU, pn.Sigmoid, pn.Tanh}


@pytest.mark.parametrize("seed", range(3))
def test_convolutional_stacks_agree_with_onnxruntime(seed):
    rng = random.Random(seed)
    channels = rng.randint(1, 3)
    model = pn.Sequential(
        pn.Conv2d(channels, 4, rng.choice([2, 3, (3, 2)]), stride=rng.choice([1, 2]), padding=rng.choice([0, 1]),
                  rng=rng),
        pn.LeakyReLU(0.1),
        rng.choice([pn.MaxPool2d(2, stride=1), pn.AvgPool2d((2, 1))]),
        pn.Flatten(),
    )
    sample = (channels, rng.randint(6, 9), rng.randint(6, 9))
    shape = sample
    for layer in model.layers:
        shape = layer.output_shape(shape)
    width = shape[0]  # after Flatten: the features a 1-D convolution reads as one channel
    model = pn.Sequential(
        *model.layers, pn.Unflatten((1, width)), pn.Conv1d(1, 2, 3, padding=1, rng=rng), pn.Tanh(),
        rng.choice([pn.MaxPool1d(2), pn.AvgPool1d(3, stride=2)]), pn.Flatten(), pn.Sigmoid(),
    )
    data = onnx.to_bytes(model, input_shape=sample)
    checked(data)
    batch = random_batch((4, *sample), rng)
    assert_close(run(data, batch), model.forward(batch), rel=1e-5, abs=1e-6)


@pytest.mark.parametrize(("seed", "eps"), [(0, 1e-5), (1, 1e-3), (2, 0.5)])
def test_a_batch_normalised_model_agrees_with_onnxruntime_in_evaluation_mode(seed, eps):
    rng = random.Random(seed)
    model = pn.Sequential(
        pn.Dense(3, 6, rng=rng), pn.BatchNorm1d(6, eps=eps, momentum=0.3), pn.ReLU(), pn.Dense(6, 2, rng=rng)
    )
    # features far from mean 0 and variance 1, so that a few training steps move the running statistics well away
    # from their start (0 and 1) and the learned scale and shift away from 1 and 0
    X = [[rng.gauss(3.0, 2.0), rng.gauss(-1.0, 0.5), rng.gauss(0.0, 4.0)] for _ in range(64)]
    y = [int(row[0] + row[2] > 3.0) for row in X]
    model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.05), epochs=3, batch_size=16, seed=seed, verbose=0)
    normalisation = model.layers[1]
    assert normalisation.num_batches_tracked == 12
    assert max(abs(mean) for mean in normalisation.running_mean) > 1.0
    assert max(abs(variance - 1.0) for variance in normalisation.running_var) > 1.0
    assert max(abs(weight - 1.0) for weight in normalisation.weight) > 0.01
    assert max(abs(bias) for bias in normalisation.bias) > 0.01
    assert normalisation.training  # fit leaves the model training: the file is its evaluation form anyway
    data = onnx.to_bytes(model)
    checked(data)
    batch = [[rng.gauss(3.0, 2.0), rng.gauss(-1.0, 0.5), rng.gauss(0.0, 4.0)] for _ in range(9)]
    model.eval()
    assert_close(run(data, batch), model.forward(batch), rel=1e-5, abs=1e-5)
    assert_close(run(data, batch[:1]), model.forward(batch[:1]), rel=1e-5, abs=1e-5)  # one sample: evaluation only


@pytest.mark.parametrize("seed", range(3))
def test_a_model_trained_with_dropout_agrees_with_onnxruntime_in_evaluation_mode(seed):
    rng = random.Random(seed)
    model = pn.Sequential(pn.Dense(4, 8, rng=rng), pn.ReLU(), pn.Dropout(0.5, rng=rng), pn.Dense(8, 3, rng=rng))
    X = [[rng.uniform(-2.0, 2.0) for _ in range(4)] for _ in range(48)]
    y = [int(row[0] > row[1]) + int(row[2] > 0.5) for row in X]
    model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.05), epochs=3, batch_size=16, seed=seed, verbose=0)
    dropout = model.layers[2]
    assert dropout.training and dropout.mask is not None  # fit leaves the model training, its last mask drawn
    logits, probabilities = onnx.to_bytes(model), onnx.to_bytes(model, probabilities=True)
    checked(logits)
    checked(probabilities)
    batch = [[rng.uniform(-2.0, 2.0) for _ in range(4)] for _ in range(9)]
    from_onnxruntime = run(logits, batch)
    # a training pass drops about half the hidden values and doubles the rest: not what the file computes
    in_training = model.forward(batch)
    assert max(abs(a - b) for row_a, row_b in zip(in_training, from_onnxruntime) for a, b in zip(row_a, row_b)) > 0.1
    # predict_proba and predict evaluate without changing the model's mode; the file answers as they do
    assert_close(run(probabilities, batch), model.predict_proba(batch), rel=1e-5, abs=1e-6)
    assert model.predict(batch) == numpy.argmax(numpy.array(from_onnxruntime), axis=1).tolist()
    assert dropout.training
    model.eval()
    assert_close(from_onnxruntime, model.forward(batch), rel=1e-5, abs=1e-5)


def test_the_square_detector_gives_the_same_probabilities_on_2000_drawings():
    model = pn.square_detector()
    data = onnx.to_bytes(model, probabilities=True)
    checked(data)
    drawings = [item for _, item in shapes.labelled_drawings(2000, seed=2024)]
    inputs = recipe.inputs(drawings, recipe.model_size(model), 32)
    from_onnxruntime = run(data, inputs)
    from_purenet = model.predict_proba(inputs)
    assert len(from_onnxruntime) == 2000
    assert_close(from_onnxruntime, from_purenet, rel=1e-5, abs=1e-5)
    largest = max(abs(a - b) for row_a, row_b in zip(from_onnxruntime, from_purenet) for a, b in zip(row_a, row_b))
    assert largest < 1e-5, largest
