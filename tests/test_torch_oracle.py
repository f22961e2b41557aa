"""PyTorch as an oracle: purenet must compute what torch computes, to 1e-9 relative.

Every forward pass, loss, gradient (weights, biases and the input) and
optimiser step of purenet is compared with the same computation in torch,
in float64. The weights are drawn by purenet and copied into torch, so both
frameworks start from exactly the same numbers.

torch is used only here, as a reference; purenet itself imports nothing but
the standard library. The dtype is passed explicitly everywhere: the global
default dtype of torch is left alone.
"""

from __future__ import annotations

import math
import random

import pytest

torch = pytest.importorskip(
    "torch",
    reason="PyTorch is not installed: the oracle tests need it (pip install torch==2.13.0); .ci/run installs it",
)
F = torch.nn.functional

import purenet as pn

DTYPE = torch.float64
CLIP = 1e-7  # purenet.losses.PROBABILITY_CLIP


# --- comparing nested lists with tensors -------------------------------------


def _plain(value):
    """A tensor as nested lists (or a float for a 0-d tensor); anything else unchanged."""
    if isinstance(value, torch.Tensor):
        return value.detach().tolist()
    return value


def _compare(ours, theirs, rtol, atol, where, failures):
    if isinstance(theirs, (list, tuple)):
        if not isinstance(ours, (list, tuple)) or len(ours) != len(theirs):
            length = len(ours) if isinstance(ours, (list, tuple)) else type(ours).__name__
            failures.append(f"{where}: shape differs (ours {length}, torch {len(theirs)})")
            return
        for index, (a, b) in enumerate(zip(ours, theirs)):
            _compare(a, b, rtol, atol, f"{where}[{index}]", failures)
        return
    if isinstance(ours, (list, tuple)):
        failures.append(f"{where}: ours is a list of {len(ours)}, torch has the scalar {theirs!r}")
        return
    ours, theirs = float(ours), float(theirs)
    if math.isinf(theirs) or math.isnan(theirs):
        if not (ours == theirs or (math.isnan(ours) and math.isnan(theirs))):
            failures.append(f"{where}: ours {ours!r}, torch {theirs!r}")
        return
    if not abs(ours - theirs) <= atol + rtol * abs(theirs):
        failures.append(f"{where}: ours {ours!r}, torch {theirs!r} (difference {abs(ours - theirs):.3g})")


def assert_close(ours, theirs, rtol=1e-9, atol=1e-12, what="value"):
    """Assert |ours - theirs| <= atol + rtol |theirs| for every element.

    ``ours`` is a float or (nested) list from purenet, ``theirs`` a tensor, a
    float or a nested list. The relative tolerance is the real test; the tiny
    absolute floor ``atol`` is there because a value that is mathematically
    (close to) zero is usually the result of cancellation, e.g. a dot product
    of terms of size 1 that sum to 1e-15, or a gradient like p - t that
    vanishes. Its rounding error is then of the size of the *terms* (~1e-16),
    not of the result, and the two frameworks sum in different orders, so
    the relative error of such a value is meaningless (it can be 100 %).
    1e-12 is far below anything a real bug would produce.
    """
    failures: list[str] = []
    _compare(_plain(ours), _plain(theirs), rtol, atol, what, failures)
    assert not failures, f"{len(failures)} mismatch(es) with torch:\n" + "\n".join(failures[:20])


def tensor(values, requires_grad=False):
    return torch.tensor(values, dtype=DTYPE, requires_grad=requires_grad)


def nested_list(buffer):
    """A torch buffer as purenet's state_dict gives it: a matrix as a list of rows, a vector as a list."""
    return buffer.detach().tolist()


# --- building the same network in both frameworks ------------------------------

# A network is described by its input width and a list of layer specs:
# ("dense", out_features), ("relu",), ("leaky", alpha), ("sigmoid",),
# ("tanh",), ("softmax",), ("linear",).

ARCHITECTURES = {
    "relu": (4, [("dense", 8), ("relu",), ("dense", 3)]),
    "leaky-tanh": (3, [("dense", 6), ("leaky", 0.2), ("dense", 5), ("tanh",), ("dense", 2)]),
    "sigmoid-softmax-hidden": (5, [("dense", 7), ("sigmoid",), ("dense", 4), ("softmax",), ("dense", 3)]),
    "tanh-leaky-softmax-last": (2, [("dense", 5), ("tanh",), ("dense", 5), ("leaky", 0.3), ("dense", 4), ("softmax",)]),
    "identity-relu-one-output": (6, [("dense", 4), ("linear",), ("relu",), ("dense", 1)]),
    "every-activation": (
        3,
        [
            ("dense", 6), ("relu",), ("dense", 6), ("leaky", 0.25), ("dense", 5), ("sigmoid",),
            ("dense", 5), ("tanh",), ("dense", 4), ("linear",), ("softmax",), ("dense", 3),
        ],
    ),
}


def build_pair(in_features, specs, seed):
    """The same network in purenet and torch: purenet draws the weights, torch copies them.

    Biases are set to random non-zero values too (purenet starts them at 0),
    so that the bias terms are actually tested.
    """
    rng = random.Random(seed)
    ours, theirs = [], []
    width = in_features
    for spec in specs:
        kind = spec[0]
        if kind == "dense":
            init = "xavier" if rng.random() < 0.5 else "he"
            layer = pn.Dense(width, spec[1], init=init, rng=rng)
            layer.bias[:] = [rng.uniform(-0.5, 0.5) for _ in range(spec[1])]
            linear = torch.nn.Linear(width, spec[1], dtype=DTYPE)
            with torch.no_grad():
                linear.weight.copy_(tensor(layer.weight))  # (out x in) in both frameworks
                linear.bias.copy_(tensor(layer.bias))
            ours.append(layer)
            theirs.append(linear)
            width = spec[1]
        elif kind == "relu":
            ours.append(pn.ReLU())
            theirs.append(torch.nn.ReLU())
        elif kind == "leaky":
            ours.append(pn.LeakyReLU(spec[1]))
            theirs.append(torch.nn.LeakyReLU(negative_slope=spec[1]))
        elif kind == "sigmoid":
            ours.append(pn.Sigmoid())
            theirs.append(torch.nn.Sigmoid())
        elif kind == "tanh":
            ours.append(pn.Tanh())
            theirs.append(torch.nn.Tanh())
        elif kind == "softmax":
            ours.append(pn.Softmax())
            theirs.append(torch.nn.Softmax(dim=1))
        elif kind == "linear":
            ours.append(pn.Identity())
            theirs.append(torch.nn.Identity())
        else:
            raise AssertionError(f"unknown layer spec {spec!r}")
    return pn.Sequential(*ours), torch.nn.Sequential(*theirs), width


def random_batch(rng, batch, features, scale=1.5):
    return [[rng.uniform(-scale, scale) for _ in range(features)] for _ in range(batch)]


def random_distribution_rows(rng, batch, classes):
    rows = []
    for _ in range(batch):
        weights = [rng.random() + 0.05 for _ in range(classes)]
        total = sum(weights)
        rows.append([w / total for w in weights])
    return rows


def one_hot(indices, classes):
    return [[1.0 if k == index else 0.0 for k in range(classes)] for index in indices]


def torch_cross_entropy_on_probabilities(p, t):
    """What purenet.ProbabilityCrossEntropy computes: clip to [1e-7, 1 - 1e-7], then -mean_n sum_k t log p."""
    return -(t * torch.log(torch.clamp(p, CLIP, 1.0 - CLIP))).sum(1).mean()


def assert_parameter_grads_match(model, net):
    ours = model.parameters()
    theirs = list(net.parameters())
    assert len(ours) == len(theirs)
    for index, (a, b) in enumerate(zip(ours, theirs)):
        assert a.grad is not None, f"purenet parameter {index} ({a.name}) has no gradient"
        assert_close(a.grad, b.grad, what=f"parameter {index} ({a.name}) grad")


def assert_parameters_match(model, net):
    for index, (a, b) in enumerate(zip(model.parameters(), net.parameters())):
        assert_close(list(a), b, what=f"parameter {index} ({a.name})")


# --- forward passes ----------------------------------------------------------------


@pytest.mark.parametrize("architecture", sorted(ARCHITECTURES))
@pytest.mark.parametrize("batch", [1, 7])
@pytest.mark.parametrize("seed", [0, 1, 2])
def test_forward_matches_torch(architecture, batch, seed):
    in_features, specs = ARCHITECTURES[architecture]
    model, net, _ = build_pair(in_features, specs, seed)
    x = random_batch(random.Random(1000 + seed), batch, in_features)
    assert_close(model.forward(x), net(tensor(x)), what="output")


# --- losses and every gradient ---------------------------------------------------


def _loss_cases(architecture):
    """The losses that make sense for the network's last layer."""
    ends_in_softmax = ARCHITECTURES[architecture][1][-1][0] == "softmax"
    if ends_in_softmax:
        return ["cross-entropy-indices", "cross-entropy-probabilities", "mse"]
    return ["softmax-cross-entropy-indices", "softmax-cross-entropy-one-hot", "softmax-cross-entropy-probabilities", "mse"]


LOSS_CASES = [
    (architecture, loss_case) for architecture in sorted(ARCHITECTURES) for loss_case in _loss_cases(architecture)
]


@pytest.mark.parametrize("architecture, loss_case", LOSS_CASES)
@pytest.mark.parametrize("batch", [1, 5])
@pytest.mark.parametrize("seed", [3, 4])
def test_loss_and_every_gradient_match_torch(architecture, loss_case, batch, seed):
    in_features, specs = ARCHITECTURES[architecture]
    model, net, classes = build_pair(in_features, specs, seed)
    rng = random.Random(2000 + seed)
    x = random_batch(rng, batch, in_features)
    indices = [rng.randrange(classes) for _ in range(batch)]

    x_torch = tensor(x, requires_grad=True)
    output_torch = net(x_torch)
    if loss_case == "softmax-cross-entropy-indices":
        target, loss = indices, pn.SoftmaxCrossEntropy()
        loss_torch = F.cross_entropy(output_torch, torch.tensor(indices))
    elif loss_case == "softmax-cross-entropy-one-hot":
        target, loss = one_hot(indices, classes), pn.SoftmaxCrossEntropy()
        loss_torch = F.cross_entropy(output_torch, tensor(target))
    elif loss_case == "softmax-cross-entropy-probabilities":
        target, loss = random_distribution_rows(rng, batch, classes), pn.SoftmaxCrossEntropy()
        loss_torch = F.cross_entropy(output_torch, tensor(target))
    elif loss_case == "cross-entropy-indices":
        target, loss = indices, pn.ProbabilityCrossEntropy()
        loss_torch = torch_cross_entropy_on_probabilities(output_torch, tensor(one_hot(indices, classes)))
    elif loss_case == "cross-entropy-probabilities":
        target, loss = random_distribution_rows(rng, batch, classes), pn.ProbabilityCrossEntropy()
        loss_torch = torch_cross_entropy_on_probabilities(output_torch, tensor(target))
    elif loss_case == "mse":
        target, loss = random_batch(rng, batch, classes), pn.MeanSquaredError()
        loss_torch = F.mse_loss(output_torch, tensor(target))  # reduction="mean": over all N*K elements
    else:
        raise AssertionError(loss_case)

    output = model.forward(x)
    value = loss.forward(output, target)
    input_grad = model.backward(loss.backward(), input_gradient=True)
    loss_torch.backward()

    assert_close(output, output_torch, what="output")
    assert_close(value, loss_torch, what="loss")
    assert_parameter_grads_match(model, net)
    assert_close(input_grad, x_torch.grad, what="input grad")


def test_mse_with_class_index_targets_uses_one_hot_rows():
    rng = random.Random(5)
    output = random_batch(rng, 4, 3)
    indices = [2, 0, 1, 1]
    loss = pn.MeanSquaredError()
    output_torch = tensor(output, requires_grad=True)
    loss_torch = F.mse_loss(output_torch, tensor(one_hot(indices, 3)))
    loss_torch.backward()
    assert_close(loss.forward(output, indices), loss_torch, what="loss")
    assert_close(loss.backward(), output_torch.grad, what="grad")


def test_input_gradient_false_gives_the_same_parameter_gradients():
    in_features, specs = ARCHITECTURES["leaky-tanh"]
    model, net, _ = build_pair(in_features, specs, seed=6)
    x = random_batch(random.Random(6), 4, in_features)
    target = [0, 1, 1, 0]
    loss = pn.SoftmaxCrossEntropy()
    loss.forward(model.forward(x), target)
    assert model.backward(loss.backward(), input_gradient=False) is None
    F.cross_entropy(net(tensor(x)), torch.tensor(target)).backward()
    assert_parameter_grads_match(model, net)


# --- edge values --------------------------------------------------------------------


def _layer_forward_backward(layer, torch_function, x, upstream):
    """Forward and backward of one purenet layer and of torch_function, for comparison."""
    ours_y = layer.forward(x)
    ours_dx = layer.backward(upstream)
    x_torch = tensor(x, requires_grad=True)
    y_torch = torch_function(x_torch)
    y_torch.backward(tensor(upstream))
    return ours_y, ours_dx, y_torch, x_torch.grad


@pytest.mark.parametrize(
    "name, make_ours, make_theirs",
    [
        ("relu", pn.ReLU, lambda: torch.nn.ReLU()),
        ("leaky-default", pn.LeakyReLU, lambda: torch.nn.LeakyReLU()),
        ("leaky-0.3", lambda: pn.LeakyReLU(0.3), lambda: torch.nn.LeakyReLU(0.3)),
    ],
)
def test_relu_family_at_exactly_zero(name, make_ours, make_theirs):
    x = [[0.0, -0.0, 1.5, -2.0], [0.0, 0.0, 0.0, 3.0]]
    upstream = [[1.0, 2.0, -3.0, 4.0], [0.5, -0.25, 1.0, 1.0]]
    layer = make_ours()
    ours_y, ours_dx, y_torch, dx_torch = _layer_forward_backward(layer, make_theirs(), x, upstream)
    assert_close(ours_y, y_torch, what="output")
    assert_close(ours_dx, dx_torch, what="input grad")
    # The convention itself, stated: ReLU'(0) = 0 and LeakyReLU'(0) = alpha, as in torch.
    slope_at_zero = 0.0 if name == "relu" else layer.alpha
    assert ours_dx[0][0] == slope_at_zero * upstream[0][0]
    assert dx_torch[0][0].item() == pytest.approx(slope_at_zero * upstream[0][0], rel=1e-15, abs=0.0)


def test_relu_units_whose_preactivation_is_exactly_zero_inside_a_network():
    """A Dense unit with zero weights and bias outputs exactly 0 for every sample."""
    for activation in ("relu", "leaky"):
        specs = [("dense", 4), (activation, 0.15) if activation == "leaky" else (activation,), ("dense", 2)]
        model, net, _ = build_pair(3, specs, seed=7)
        first = model.layers[0]
        first.weight[1][:] = [0.0, 0.0, 0.0]
        first.bias[1] = 0.0
        with torch.no_grad():
            net[0].weight[1].zero_()
            net[0].bias[1] = 0.0
        x = random_batch(random.Random(7), 5, 3)
        x_torch = tensor(x, requires_grad=True)
        loss = pn.SoftmaxCrossEntropy()
        target = [0, 1, 1, 0, 1]
        loss.forward(model.forward(x), target)
        input_grad = model.backward(loss.backward(), input_gradient=True)
        F.cross_entropy(net(x_torch), torch.tensor(target)).backward()
        assert_parameter_grads_match(model, net)
        assert_close(input_grad, x_torch.grad, what="input grad")


@pytest.mark.parametrize(
    "layer_class, torch_function",
    [(pn.Sigmoid, torch.sigmoid), (pn.Tanh, torch.tanh)],
)
def test_sigmoid_and_tanh_saturate_like_torch(layer_class, torch_function):
    x = [[1000.0, -1000.0, 0.0], [30.0, -30.0, 0.5], [-745.0, 710.0, -0.5]]
    upstream = [[1.0, -2.0, 3.0], [0.5, 0.25, -1.0], [1.0, 1.0, 2.0]]
    ours_y, ours_dx, y_torch, dx_torch = _layer_forward_backward(layer_class(), torch_function, x, upstream)
    assert all(math.isfinite(value) for row in ours_y + ours_dx for value in row)
    assert_close(ours_y, y_torch, what="output")
    assert_close(ours_dx, dx_torch, what="input grad")


@pytest.mark.parametrize("target_kind", ["indices", "probabilities"])
def test_softmax_cross_entropy_with_large_logits(target_kind):
    logits = [[1000.0, -1000.0, 0.0], [1000.0, 1000.0, -1000.0], [-1000.0, -999.0, -1000.0], [1e3, 1e3, 1e3]]
    indices = [1, 0, 2, 2]
    if target_kind == "indices":
        target, target_torch = indices, torch.tensor(indices)
    else:
        target = [[0.2, 0.5, 0.3], [0.5, 0.5, 0.0], [0.0, 1.0, 0.0], [0.1, 0.1, 0.8]]
        target_torch = tensor(target)
    loss = pn.SoftmaxCrossEntropy()
    value = loss.forward(logits, target)
    grad = loss.backward()
    logits_torch = tensor(logits, requires_grad=True)
    loss_torch = F.cross_entropy(logits_torch, target_torch)
    loss_torch.backward()
    assert math.isfinite(value)
    assert_close(value, loss_torch, what="loss")
    assert_close(grad, logits_torch.grad, what="grad")


def test_cross_entropy_clips_like_torch_clamp():
    """Probabilities 0 and 1 (outside the clip range) get the clamped loss and a zero gradient."""
    probabilities = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.2, 0.3, 0.5], [1e-9, 0.5, 0.5 - 1e-9]]
    target = [0, 0, 2, 0]
    loss = pn.ProbabilityCrossEntropy()
    value = loss.forward(probabilities, target)
    grad = loss.backward()
    p_torch = tensor(probabilities, requires_grad=True)
    loss_torch = torch_cross_entropy_on_probabilities(p_torch, tensor(one_hot(target, 3)))
    loss_torch.backward()
    assert_close(value, loss_torch, what="loss")
    assert_close(grad, p_torch.grad, what="grad")


# --- the Softmax layer's backward (full Jacobian) ------------------------------------


@pytest.mark.parametrize("batch, classes, scale", [(1, 2, 1.0), (1, 5, 3.0), (6, 4, 2.0), (3, 3, 1000.0)])
def test_softmax_layer_backward_matches_autograd(batch, classes, scale):
    rng = random.Random(batch * 100 + classes)
    z = random_batch(rng, batch, classes, scale=scale)
    upstream = random_batch(rng, batch, classes, scale=1.0)
    ours_p, ours_dz, p_torch, dz_torch = _layer_forward_backward(
        pn.Softmax(), lambda t: torch.softmax(t, dim=1), z, upstream
    )
    assert_close(ours_p, p_torch, what="probabilities")
    assert_close(ours_dz, dz_torch, what="input grad")


# --- training: 20 optimiser steps ----------------------------------------------------

OPTIMIZERS = {
    "sgd": (lambda ps: pn.SGD(ps, lr=0.1), lambda ps: torch.optim.SGD(ps, lr=0.1)),
    "sgd-momentum": (
        lambda ps: pn.SGD(ps, lr=0.05, momentum=0.9),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9),
    ),
    "sgd-weight-decay": (
        lambda ps: pn.SGD(ps, lr=0.1, weight_decay=0.01),
        lambda ps: torch.optim.SGD(ps, lr=0.1, weight_decay=0.01),
    ),
    "sgd-momentum-weight-decay": (
        lambda ps: pn.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
        lambda ps: torch.optim.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
    ),
    "adam": (lambda ps: pn.Adam(ps), lambda ps: torch.optim.Adam(ps)),
    "adam-custom": (
        lambda ps: pn.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01),
        lambda ps: torch.optim.Adam(ps, lr=0.02, betas=(0.8, 0.99), eps=1e-6, weight_decay=0.01),
    ),
}

TRAINING_NETWORK = (4, [("dense", 6), ("tanh",), ("dense", 5), ("leaky", 0.1), ("dense", 3)])


@pytest.mark.parametrize("loss_name", ["softmax-cross-entropy", "mse"])
@pytest.mark.parametrize("optimizer_name", sorted(OPTIMIZERS))
def test_twenty_training_steps_match_torch(optimizer_name, loss_name):
    in_features, specs = TRAINING_NETWORK
    model, net, classes = build_pair(in_features, specs, seed=8)
    rng = random.Random(8)
    x = random_batch(rng, 10, in_features)
    if loss_name == "softmax-cross-entropy":
        target = [rng.randrange(classes) for _ in range(10)]
        loss, target_torch, torch_loss = pn.SoftmaxCrossEntropy(), torch.tensor(target), F.cross_entropy
    else:
        target = random_batch(rng, 10, classes)
        loss, target_torch, torch_loss = pn.MeanSquaredError(), tensor(target), F.mse_loss
    make_ours, make_theirs = OPTIMIZERS[optimizer_name]
    optimizer = make_ours(model.parameters())
    optimizer_torch = make_theirs(net.parameters())
    x_torch = tensor(x)

    for step in range(20):
        optimizer.zero_grad()
        value = loss.forward(model.forward(x), target)
        model.backward(loss.backward())
        optimizer.step()

        optimizer_torch.zero_grad()
        loss_torch = torch_loss(net(x_torch), target_torch)
        loss_torch.backward()
        optimizer_torch.step()

        assert_close(value, loss_torch, what=f"loss at step {step + 1}")

    assert_parameters_match(model, net)

    # The optimiser state: purenet's state_dict() against torch's, key by key, in the same layout.
    saved = optimizer.state_dict()
    theirs = optimizer_torch.state_dict()
    assert set(saved) == set(theirs) == {"state", "param_groups"}
    group, their_group = saved["param_groups"][0], theirs["param_groups"][0]
    assert len(saved["param_groups"]) == len(theirs["param_groups"]) == 1
    assert group["params"] == their_group["params"] == list(range(len(list(net.parameters()))))
    for name, value in group.items():
        expected = list(their_group[name]) if name == "betas" else their_group[name]
        assert value == expected, f"hyperparameter {name}: ours {value!r}, torch {expected!r}"
    for index in group["params"]:
        ours_state = saved["state"].get(index, {})
        # torch keeps momentum_buffer = None when momentum is 0; purenet keeps no entry
        theirs_state = {key: value for key, value in theirs["state"].get(index, {}).items() if value is not None}
        assert set(ours_state) == set(theirs_state), f"parameter {index}: state keys differ"
        for key, theirs_value in theirs_state.items():
            if key == "step":
                assert ours_state["step"] == 20 == float(theirs_value)
            else:
                assert_close(ours_state[key], nested_list(theirs_value), what=f"parameter {index} {key}")


# --- Sequential.fit against a hand-written torch loop ---------------------------------


@pytest.mark.parametrize("loss_name", ["softmax-cross-entropy", "mse"])
@pytest.mark.parametrize("momentum", [0.0, 0.9])
def test_fit_is_the_textbook_loop(loss_name, momentum):
    in_features, specs = TRAINING_NETWORK
    model, net, classes = build_pair(in_features, specs, seed=9)
    rng = random.Random(9)
    n, batch_size, epochs = 12, 4, 3
    x = random_batch(rng, n, in_features)
    if loss_name == "softmax-cross-entropy":
        y = [rng.randrange(classes) for _ in range(n)]
        loss, y_torch, torch_loss = pn.SoftmaxCrossEntropy(), torch.tensor(y), F.cross_entropy
    else:
        y = random_batch(rng, n, classes)
        loss, y_torch, torch_loss = pn.MeanSquaredError(), tensor(y), F.mse_loss

    history = model.fit(
        x, y, loss=loss, optimizer=pn.SGD(model.parameters(), lr=0.1, momentum=momentum),
        epochs=epochs, batch_size=batch_size, shuffle=False, verbose=0,
    )

    optimizer_torch = torch.optim.SGD(net.parameters(), lr=0.1, momentum=momentum)
    x_torch = tensor(x)
    epoch_losses = []
    for _ in range(epochs):
        batch_losses = []
        for start in range(0, n, batch_size):
            optimizer_torch.zero_grad()
            batch_loss = torch_loss(net(x_torch[start : start + batch_size]), y_torch[start : start + batch_size])
            batch_loss.backward()
            optimizer_torch.step()
            batch_losses.append(batch_loss.item())
        epoch_losses.append(sum(batch_losses) / len(batch_losses))

    assert_parameters_match(model, net)
    # Equal batch sizes: the epoch loss is the mean of the batch losses, each taken before its update.
    assert_close(history["loss"], epoch_losses, what="history['loss']")
