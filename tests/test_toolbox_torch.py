"""PyTorch as the oracle for the toolbox of issue 16, in float64, to 1e-9 relative over 20 steps.

RMSprop, Adagrad, AdamW, clip_grad_norm_, the learning-rate schedules, the
binary and regression losses, Dropout and BatchNorm1d are run side by side
with torch on random networks; the weights are drawn by purenet and copied
into torch, so both start from the same numbers. torch's global default
dtype is left alone: every tensor names float64.
"""

from __future__ import annotations

import math
import random

import pytest

torch = pytest.importorskip(
    "torch",
    reason="PyTorch is not installed: the toolbox oracle tests need it (pip install torch==2.13.0, as .ci/run does)",
)

import purenet as pn
from conftest import assert_close
from purenet.adaptive_optimizers import Adagrad, AdamW, RMSprop
from purenet.clipping import clip_grad_norm_

DTYPE = torch.float64
STEPS = 20


def _network(seed: int) -> pn.Sequential:
    rng = random.Random(seed)
    return pn.Sequential(
        pn.Dense(3, 5, rng=rng), pn.Tanh(), pn.Dense(5, 2, rng=rng)
    )


def _torch_copy(model: pn.Sequential) -> torch.nn.Sequential:
    """The same network in torch, with purenet's weights copied in."""
    first, last = model.layers[0], model.layers[2]
    twin = torch.nn.Sequential(torch.nn.Linear(3, 5), torch.nn.Tanh(), torch.nn.Linear(5, 2)).to(DTYPE)
    with torch.no_grad():
        for torch_layer, layer in ((twin[0], first), (twin[2], last)):
            torch_layer.weight.copy_(torch.tensor(layer.weight, dtype=DTYPE))
            torch_layer.bias.copy_(torch.tensor(layer.bias, dtype=DTYPE))
    return twin


def _data(seed: int, rows: int = 6) -> tuple[list, list]:
    rng = random.Random(seed)
    inputs = [[rng.uniform(-2.0, 2.0) for _ in range(3)] for _ in range(rows)]
    targets = [rng.randrange(2) for _ in range(rows)]
    return inputs, targets


def _train_side_by_side(make_ours, make_theirs, seed: int, clip: float | None = None) -> None:
    """STEPS steps of each optimiser on the same batches; weights compared after every step."""
    model = _network(seed)
    twin = _torch_copy(model)
    ours = make_ours(model.parameters())
    theirs = make_theirs(twin.parameters())
    loss = pn.CrossEntropyLoss()
    for step in range(STEPS):
        inputs, targets = _data(seed * 100 + step)
        ours.zero_grad()
        loss.forward(model.forward(inputs), targets)
        model.backward(loss.backward())
        theirs.zero_grad()
        torch_loss = torch.nn.functional.cross_entropy(
            twin(torch.tensor(inputs, dtype=DTYPE)), torch.tensor(targets)
        )
        torch_loss.backward()
        if clip is not None:
            our_norm = clip_grad_norm_(model.parameters(), clip)
            their_norm = torch.nn.utils.clip_grad_norm_(twin.parameters(), clip)
            assert_close(our_norm, float(their_norm))
        ours.step()
        theirs.step()
        for parameter, torch_parameter in zip(model.parameters(), twin.parameters()):
            assert_close(list(parameter), torch_parameter.detach().tolist())


OPTIMISERS = {
    "RMSprop": (lambda p: RMSprop(p, lr=0.01), lambda p: torch.optim.RMSprop(p, lr=0.01)),
    "RMSprop centered, momentum, decay": (
        lambda p: RMSprop(p, lr=0.005, alpha=0.9, momentum=0.8, centered=True, weight_decay=0.01),
        lambda p: torch.optim.RMSprop(p, lr=0.005, alpha=0.9, momentum=0.8, centered=True, weight_decay=0.01),
    ),
    "Adagrad": (lambda p: Adagrad(p, lr=0.1), lambda p: torch.optim.Adagrad(p, lr=0.1)),
    "Adagrad lr_decay, decay, accumulator": (
        lambda p: Adagrad(p, lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8),
        lambda p: torch.optim.Adagrad(
            p, lr=0.1, lr_decay=0.05, weight_decay=0.01, initial_accumulator_value=0.1, eps=1e-8
        ),
    ),
    "AdamW": (lambda p: AdamW(p, lr=0.01), lambda p: torch.optim.AdamW(p, lr=0.01)),
    "AdamW strong decay": (
        lambda p: AdamW(p, lr=0.02, betas=(0.8, 0.99), weight_decay=0.5),
        lambda p: torch.optim.AdamW(p, lr=0.02, betas=(0.8, 0.99), weight_decay=0.5),
    ),
}


@pytest.mark.parametrize("name", sorted(OPTIMISERS))
def test_optimiser_equals_torch_step_for_step(name: str) -> None:
    make_ours, make_theirs = OPTIMISERS[name]
    for seed in (1, 2):
        _train_side_by_side(make_ours, make_theirs, seed)


@pytest.mark.parametrize("max_norm", [0.05, 1.0, 100.0])
def test_clip_grad_norm_equals_torch(max_norm: float) -> None:
    """The returned norm and the clipped gradients (hence the weights) agree with torch's."""
    _train_side_by_side(
        lambda p: pn.SGD(p, lr=0.1), lambda p: torch.optim.SGD(p, lr=0.1), seed=3, clip=max_norm
    )


def test_clip_grad_norm_infinity_norm_equals_torch() -> None:
    model, twin = _network(4), None
    twin = _torch_copy(model)
    inputs, targets = _data(9)
    loss = pn.CrossEntropyLoss()
    loss.forward(model.forward(inputs), targets)
    model.backward(loss.backward())
    torch.nn.functional.cross_entropy(twin(torch.tensor(inputs, dtype=DTYPE)), torch.tensor(targets)).backward()
    assert_close(
        clip_grad_norm_(model.parameters(), 0.01, norm_type=math.inf),
        float(torch.nn.utils.clip_grad_norm_(twin.parameters(), 0.01, norm_type=math.inf)),
    )
    for parameter, torch_parameter in zip(model.parameters(), twin.parameters()):
        assert_close(parameter.grad, torch_parameter.grad.tolist())


# --- learning-rate schedules --------------------------------------------------


def _lr_sequences(make_ours, make_theirs, metrics: list[float] | None = None) -> tuple[list, list]:
    """The lr of 40 epochs (20 more than the target, to pass a cosine's turn) from purenet and from torch."""
    optimizer = pn.SGD([pn.Parameter([1.0], "bias")], lr=0.1)
    torch_optimizer = torch.optim.SGD([torch.zeros(1, dtype=DTYPE, requires_grad=True)], lr=0.1)
    ours, theirs = make_ours(optimizer), make_theirs(torch_optimizer)
    our_lrs, their_lrs = [ours.get_last_lr()[0]], [theirs.get_last_lr()[0]]
    for epoch in range(2 * STEPS):
        torch_optimizer.step()  # torch warns when the scheduler steps before the optimiser
        if metrics is None:
            ours.step()
            theirs.step()
        else:
            ours.step(metrics[epoch])
            theirs.step(metrics[epoch])
        our_lrs.append(ours.get_last_lr()[0])
        their_lrs.append(theirs.get_last_lr()[0])
        assert optimizer.lr == our_lrs[-1]
    return our_lrs, their_lrs


SCHEDULES = {
    "StepLR": (lambda o: pn.StepLR(o, 3, 0.5), lambda o: torch.optim.lr_scheduler.StepLR(o, 3, 0.5)),
    "ExponentialLR": (
        lambda o: pn.ExponentialLR(o, 0.9),
        lambda o: torch.optim.lr_scheduler.ExponentialLR(o, 0.9),
    ),
    "CosineAnnealingLR": (
        lambda o: pn.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
        lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=7, eta_min=0.001),
    ),
    "LambdaLR": (
        lambda o: pn.LambdaLR(o, lambda epoch: min(1.0, (epoch + 1) / 5) * 0.95**epoch),
        lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda epoch: min(1.0, (epoch + 1) / 5) * 0.95**epoch),
    ),
}


@pytest.mark.parametrize("name", sorted(SCHEDULES))
def test_schedule_lr_sequence_equals_torch(name: str) -> None:
    ours, theirs = _lr_sequences(*SCHEDULES[name])
    assert_close(ours, theirs)


@pytest.mark.parametrize(
    "settings",
    [
        {},
        {"mode": "max", "factor": 0.5, "patience": 2, "cooldown": 1},
        {"factor": 0.3, "patience": 1, "threshold": 0.05, "threshold_mode": "abs", "min_lr": 0.005},
    ],
)
def test_reduce_lr_on_plateau_equals_torch(settings: dict) -> None:
    # Improving for 6 epochs, then a plateau that wobbles above the best.
    metrics = [1.0 / (1 + epoch) if epoch < 6 else 0.2 + 0.01 * (epoch % 3) for epoch in range(2 * STEPS)]
    ours, theirs = _lr_sequences(
        lambda o: pn.ReduceLROnPlateau(o, **settings),
        lambda o: torch.optim.lr_scheduler.ReduceLROnPlateau(o, **settings),
        metrics,
    )
    assert_close(ours, theirs)
    assert len(set(ours)) > 1, "the metrics must make the schedule cut lr at least once"


# --- losses -------------------------------------------------------------------

LOSSES = {
    "BCEWithLogitsLoss": (pn.BCEWithLogitsLoss, torch.nn.BCEWithLogitsLoss, "probability"),
    "L1Loss": (pn.L1Loss, torch.nn.L1Loss, "number"),
    "HuberLoss": (pn.HuberLoss, torch.nn.HuberLoss, "number"),
    "HuberLoss delta 0.3": (lambda: pn.HuberLoss(0.3), lambda: torch.nn.HuberLoss(delta=0.3), "number"),
}


@pytest.mark.parametrize("name", sorted(LOSSES))
def test_loss_and_gradient_equal_torch(name: str) -> None:
    make_ours, make_theirs, kind = LOSSES[name]
    rng = random.Random(name)
    for trial in range(STEPS):
        rows, width = rng.randint(1, 6), rng.randint(1, 3)
        scale = 40.0 if trial % 4 == 0 else 3.0  # large logits: the stable form must not overflow
        output = [[rng.uniform(-scale, scale) for _ in range(width)] for _ in range(rows)]
        if kind == "probability":
            draw = (lambda: float(rng.random() < 0.5)) if trial % 2 else rng.random  # hard and soft targets
            target = [[draw() for _ in range(width)] for _ in range(rows)]
        else:
            target = [[rng.uniform(-scale, scale) for _ in range(width)] for _ in range(rows)]
        ours = make_ours()
        value = ours.forward(output, target)
        logits = torch.tensor(output, dtype=DTYPE, requires_grad=True)
        expected = make_theirs()(logits, torch.tensor(target, dtype=DTYPE))
        expected.backward()
        assert_close(value, float(expected.detach()))
        assert_close(ours.backward(), logits.grad.tolist())


# --- layers -------------------------------------------------------------------


def test_batchnorm_network_equals_torch_over_20_steps() -> None:
    """Forward, every gradient (input included) and the running statistics after each step, then evaluation."""
    rng = random.Random(21)
    model = pn.Sequential(pn.Dense(3, 6, rng=rng), pn.BatchNorm1d(6, momentum=0.3), pn.Tanh(), pn.Dense(6, 2, rng=rng))
    twin = torch.nn.Sequential(
        torch.nn.Linear(3, 6), torch.nn.BatchNorm1d(6, momentum=0.3), torch.nn.Tanh(), torch.nn.Linear(6, 2)
    ).to(DTYPE)
    with torch.no_grad():
        for index in (0, 3):
            twin[index].weight.copy_(torch.tensor(model.layers[index].weight, dtype=DTYPE))
            twin[index].bias.copy_(torch.tensor(model.layers[index].bias, dtype=DTYPE))
    ours, theirs = pn.SGD(model.parameters(), lr=0.1), torch.optim.SGD(twin.parameters(), lr=0.1)
    loss = pn.CrossEntropyLoss()
    for step in range(STEPS):
        inputs, targets = _data(500 + step, rows=rng.randint(2, 8))
        ours.zero_grad()
        outputs = model.forward(inputs)
        loss.forward(outputs, targets)
        input_gradient = model.backward(loss.backward(), input_gradient=True)
        theirs.zero_grad()
        torch_inputs = torch.tensor(inputs, dtype=DTYPE, requires_grad=True)
        torch_outputs = twin(torch_inputs)
        torch.nn.functional.cross_entropy(torch_outputs, torch.tensor(targets)).backward()
        assert_close(outputs, torch_outputs.tolist())
        assert_close(input_gradient, torch_inputs.grad.tolist())
        for parameter, torch_parameter in zip(model.parameters(), twin.parameters()):
            assert_close(parameter.grad, torch_parameter.grad.tolist())
        ours.step()
        theirs.step()
        assert_close(list(model.layers[1].running_mean), twin[1].running_mean.tolist())
        assert_close(list(model.layers[1].running_var), twin[1].running_var.tolist())
    assert model.layers[1].num_batches_tracked == int(twin[1].num_batches_tracked)
    twin.eval()
    inputs, _ = _data(999)
    assert_close(model.eval().forward(inputs), twin(torch.tensor(inputs, dtype=DTYPE)).tolist())
    assert_close(model.predict_proba(inputs), torch.softmax(twin(torch.tensor(inputs, dtype=DTYPE)), 1).tolist())


def test_dropout_with_torch_mask_equals_torch() -> None:
    """torch draws the mask (its generator differs from Python's); purenet, given that mask, computes the same."""
    dropped = 0
    for step in range(STEPS):
        p = 0.1 + 0.04 * step
        inputs, _ = _data(700 + step)
        torch_inputs = torch.tensor(inputs, dtype=DTYPE, requires_grad=True)
        torch.manual_seed(step)
        torch_outputs = torch.nn.functional.dropout(torch_inputs, p=p, training=True)
        mask = (torch_outputs != 0).to(DTYPE).tolist()  # torch's own mask (inputs are never exactly 0)
        upstream = torch.tensor(_data(800 + step)[0], dtype=DTYPE)
        (torch_outputs * upstream).sum().backward()
        layer = pn.Dropout(p, rng=step)
        layer.fixed_mask = mask
        assert_close(layer.forward(inputs), torch_outputs.tolist())
        assert_close(layer.backward(upstream.tolist()), torch_inputs.grad.tolist())
        dropped += sum(kept == 0.0 for row in mask for kept in row)
    assert dropped > 0, "torch must have dropped some values for the comparison to mean anything"
