"""PyTorch as the oracle for convolution, pooling, Flatten and Unflatten: the same numbers to 1e-9, in float64.

On random configurations (batch, channels, kernel, stride, padding, sizes)
the forward pass, the input gradient and the weight and bias gradients of
every layer are compared with torch.nn.functional in float64; purenet
draws the weights and torch receives a copy, so both start from the same
numbers. torch is used only here, as a reference.
"""

from __future__ import annotations

import random

import pytest

torch = pytest.importorskip(
    "torch",
    reason="PyTorch is not installed: the oracle tests need it (pip install torch==2.13.0); .ci/run installs it",
)
functional = torch.nn.functional

from conftest import assert_close  # noqa: E402

from purenet.layers.convolution import Conv1d, Conv2d  # noqa: E402
from purenet.layers.pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d  # noqa: E402
from purenet.layers.reshape import Flatten, Unflatten  # noqa: E402

DTYPE = torch.float64


def random_tensor(rng: random.Random, shape: tuple[int, ...]):
    count = 1
    for size in shape:
        count *= size
    values = [rng.uniform(-1.0, 1.0) for _ in range(count)]
    return torch.tensor(values, dtype=DTYPE).reshape(shape).requires_grad_()


def as_lists(tensor) -> list:
    return tensor.detach().tolist()


def check_against_torch(layer, x, torch_output_of, rng: random.Random) -> None:
    """Forward and every gradient of ``layer`` on x against torch, for the loss sum(y * G) with random G."""
    parameters = [torch.tensor(list(parameter), dtype=DTYPE, requires_grad=True) for parameter in layer.parameters()]
    expected = torch_output_of(x, *parameters)
    grad = random_tensor(rng, tuple(expected.shape)).detach()
    expected.backward(grad)
    assert_close(layer.forward(as_lists(x)), as_lists(expected))
    assert_close(layer.backward(as_lists(grad)), as_lists(x.grad))
    for ours, theirs in zip(layer.parameters(), parameters):
        assert_close(ours.grad, as_lists(theirs.grad))


@pytest.mark.parametrize("seed", range(25))
def test_conv2d_matches_torch(seed):
    rng = random.Random(seed)
    kernel = (rng.randint(1, 4), rng.randint(1, 4))
    stride = (rng.randint(1, 3), rng.randint(1, 3))
    padding = (rng.randint(0, 2), rng.randint(0, 2))
    shape = (rng.randint(1, 4), rng.randint(1, 3), rng.randint(max(1, kernel[0] - 2 * padding[0]), 9),
             rng.randint(max(1, kernel[1] - 2 * padding[1]), 9))
    layer = Conv2d(shape[1], rng.randint(1, 4), kernel, stride, padding, rng=rng)
    check_against_torch(
        layer, random_tensor(rng, shape), lambda x, w, b: functional.conv2d(x, w, b, stride, padding), rng
    )


@pytest.mark.parametrize("seed", range(25))
def test_conv1d_matches_torch(seed):
    rng = random.Random(1000 + seed)
    kernel, stride, padding = rng.randint(1, 6), rng.randint(1, 4), rng.randint(0, 3)
    shape = (rng.randint(1, 4), rng.randint(1, 4), rng.randint(max(1, kernel - 2 * padding), 20))
    layer = Conv1d(shape[1], rng.randint(1, 4), kernel, stride, padding, rng=rng)
    check_against_torch(
        layer, random_tensor(rng, shape), lambda x, w, b: functional.conv1d(x, w, b, stride, padding), rng
    )


def test_conv_initialisation_has_torchs_bound():
    # torch's own Conv2d draws from U(-1/sqrt(fan_in), 1/sqrt(fan_in)): its largest weight sits near the bound too
    torch_layer = torch.nn.Conv2d(3, 16, (3, 5), dtype=DTYPE)
    ours = Conv2d(3, 16, (3, 5), rng=1)
    bound = 1.0 / (3 * 3 * 5) ** 0.5
    assert torch_layer.weight.detach().abs().max().item() <= bound
    assert max(abs(v) for v in torch.tensor(list(ours.weight)).flatten().tolist()) <= bound
    assert torch_layer.weight.detach().abs().max().item() > 0.9 * bound
    assert tuple(torch_layer.weight.shape) == tuple(torch.tensor(list(ours.weight)).shape)


@pytest.mark.parametrize("seed", range(20))
def test_pool2d_matches_torch(seed):
    rng = random.Random(2000 + seed)
    kernel = (rng.randint(1, 3), rng.randint(1, 3))
    stride = None if seed % 4 == 0 else (rng.randint(1, 3), rng.randint(1, 3))
    shape = (rng.randint(1, 3), rng.randint(1, 3), rng.randint(kernel[0], 9), rng.randint(kernel[1], 9))
    for ours, theirs in ((MaxPool2d(kernel, stride), functional.max_pool2d),
                         (AvgPool2d(kernel, stride), functional.avg_pool2d)):
        check_against_torch(ours, random_tensor(rng, shape), lambda x: theirs(x, kernel, stride), rng)


@pytest.mark.parametrize("seed", range(20))
def test_pool1d_matches_torch(seed):
    rng = random.Random(3000 + seed)
    kernel = rng.randint(1, 5)
    stride = None if seed % 4 == 0 else rng.randint(1, 4)
    shape = (rng.randint(1, 3), rng.randint(1, 3), rng.randint(kernel, 20))
    for ours, theirs in ((MaxPool1d(kernel, stride), functional.max_pool1d),
                         (AvgPool1d(kernel, stride), functional.avg_pool1d)):
        check_against_torch(ours, random_tensor(rng, shape), lambda x: theirs(x, kernel, stride), rng)


@pytest.mark.parametrize("seed", range(6))
def test_max_pool_ties_go_where_torch_sends_them(seed):
    # values from {0, 1, 2}: most windows hold a tie for the maximum
    rng = random.Random(4000 + seed)
    kernel, stride = (rng.randint(2, 3), rng.randint(2, 3)), (rng.randint(1, 2), rng.randint(1, 2))
    values = [float(rng.randint(0, 2)) for _ in range(2 * 2 * 7 * 7)]
    x = torch.tensor(values, dtype=DTYPE).reshape(2, 2, 7, 7).requires_grad_()
    check_against_torch(MaxPool2d(kernel, stride), x, lambda x: functional.max_pool2d(x, kernel, stride), rng)
    signal = torch.tensor(values[:2 * 2 * 20], dtype=DTYPE).reshape(2, 2, 20).requires_grad_()
    check_against_torch(MaxPool1d(3, 2), signal, lambda x: functional.max_pool1d(x, 3, 2), rng)


def test_flatten_and_unflatten_match_torch():
    rng = random.Random(5)
    x = random_tensor(rng, (3, 2, 4, 5))
    check_against_torch(Flatten(), x, lambda x: torch.nn.Flatten()(x), rng)
    rows = random_tensor(rng, (3, 1024))
    check_against_torch(Unflatten((1, 32, 32)), rows, lambda x: torch.nn.Unflatten(1, (1, 32, 32))(x), rng)
    rows = random_tensor(rng, (3, 1024))
    check_against_torch(Unflatten((1, 1024)), rows, lambda x: torch.nn.Unflatten(1, (1, 1024))(x), rng)


def test_a_convolutional_sequential_matches_torchs_with_the_same_state_dict():
    import purenet as pn

    rng = random.Random(11)
    ours = pn.Sequential(
        Unflatten((1, 32, 32)), Conv2d(1, 4, 3, rng=rng), pn.ReLU(), MaxPool2d(2), Flatten(),
        pn.Dense(4 * 15 * 15, 2, rng=rng),
    )
    theirs = torch.nn.Sequential(
        torch.nn.Unflatten(1, (1, 32, 32)), torch.nn.Conv2d(1, 4, 3), torch.nn.ReLU(), torch.nn.MaxPool2d(2),
        torch.nn.Flatten(), torch.nn.Linear(4 * 15 * 15, 2),
    ).to(DTYPE)
    assert list(ours.state_dict()) == list(theirs.state_dict())
    theirs.load_state_dict({key: torch.tensor(value, dtype=DTYPE) for key, value in ours.state_dict().items()})
    X = [[rng.uniform(0.0, 1.0) for _ in range(1024)] for _ in range(3)]
    targets = [0, 1, 1]
    x = torch.tensor(X, dtype=DTYPE, requires_grad=True)
    logits = theirs(x)
    loss = functional.cross_entropy(logits, torch.tensor(targets))
    loss.backward()
    criterion = pn.SoftmaxCrossEntropy()
    assert_close(criterion.forward(ours.forward(X), targets), loss.item())
    assert_close(ours.backward(criterion.backward(), input_gradient=True), as_lists(x.grad))
    for key, parameter in theirs.named_parameters():
        index, name = key.split(".")
        assert_close(getattr(ours.layers[int(index)], name).grad, as_lists(parameter.grad))
    # one step of SGD on both, then the same outputs
    pn.SGD(ours.parameters(), lr=0.1).step()
    torch.optim.SGD(theirs.parameters(), lr=0.1).step()
    assert_close(ours.forward(X), as_lists(theirs(x)))


def test_a_signal_sequential_matches_torchs():
    import purenet as pn

    rng = random.Random(12)
    ours = pn.Sequential(
        Unflatten((1, 64)), Conv1d(1, 3, 5, stride=2, padding=2, rng=rng), pn.Tanh(), AvgPool1d(2),
        Conv1d(3, 2, 3, rng=rng), pn.LeakyReLU(0.1), MaxPool1d(2, stride=1), Flatten(), pn.Dense(2 * 13, 2, rng=rng),
    )
    theirs = torch.nn.Sequential(
        torch.nn.Unflatten(1, (1, 64)), torch.nn.Conv1d(1, 3, 5, stride=2, padding=2), torch.nn.Tanh(),
        torch.nn.AvgPool1d(2), torch.nn.Conv1d(3, 2, 3), torch.nn.LeakyReLU(0.1), torch.nn.MaxPool1d(2, stride=1),
        torch.nn.Flatten(), torch.nn.Linear(2 * 13, 2),
    ).to(DTYPE)
    theirs.load_state_dict({key: torch.tensor(value, dtype=DTYPE) for key, value in ours.state_dict().items()})
    X = [[rng.uniform(-1.0, 1.0) for _ in range(64)] for _ in range(4)]
    x = torch.tensor(X, dtype=DTYPE, requires_grad=True)
    output = theirs(x)
    grad = random_tensor(rng, tuple(output.shape)).detach()
    output.backward(grad)
    assert_close(ours.forward(X), as_lists(output))
    assert_close(ours.backward(as_lists(grad), input_gradient=True), as_lists(x.grad))
    for key, parameter in theirs.named_parameters():
        index, name = key.split(".")
        assert_close(getattr(ours.layers[int(index)], name).grad, as_lists(parameter.grad))


def test_max_pool_nan_goes_where_torch_sends_it():
    rng = random.Random(13)
    values = [float("nan") if rng.random() < 0.2 else rng.uniform(-1.0, 1.0) for _ in range(2 * 2 * 6 * 6)]
    for ours, kernel, stride in ((MaxPool2d(2), 2, 2), (MaxPool2d(3, 1), 3, 1)):
        x = torch.tensor(values, dtype=DTYPE).reshape(2, 2, 6, 6).requires_grad_()
        check_against_torch(ours, x, lambda x: functional.max_pool2d(x, kernel, stride), rng)
