"""Tests for the optimisers: updates by hand, warnings, state_dict round trips and validation."""

import json
import math
import warnings

import pytest
from conftest import assert_close

import purenet as pn
from purenet.layers.base import Parameter


def vector(values, grad=None, name="bias"):
    parameter = Parameter(list(values), name)
    if grad is not None:
        parameter.accumulate_grad(list(grad))
    return parameter


def matrix(rows, grad=None, name="weight"):
    parameter = Parameter([list(row) for row in rows], name)
    if grad is not None:
        parameter.accumulate_grad([list(row) for row in grad])
    return parameter


def set_grad(parameter, grad):
    parameter.zero_grad()
    parameter.accumulate_grad(grad)


def bits(parameters):
    """Every value's exact bits, to compare runs that must be identical."""
    result = []
    for parameter in parameters:
        rows = parameter if parameter and isinstance(parameter[0], list) else [parameter]
        result.append([value.hex() for row in rows for value in row])
    return result


# --- SGD ---------------------------------------------------------------------------


def test_one_sgd_step_by_hand():
    bias = vector([1.0, 2.0], grad=[0.5, -1.0])
    weight = matrix([[1.0, -1.0], [0.0, 3.0]], grad=[[1.0, 2.0], [-3.0, 0.0]])
    pn.SGD([weight, bias], lr=0.1).step()
    # p <- p - lr g
    assert bias == pytest.approx([0.95, 2.1])
    assert weight[0] == pytest.approx([0.9, -1.2])
    assert weight[1] == pytest.approx([0.3, 3.0])


def test_sgd_updates_in_place():
    bias = vector([1.0], grad=[1.0])
    same_object = bias
    pn.SGD([bias], lr=0.5).step()
    assert same_object is bias and bias == pytest.approx([0.5])


def test_sgd_momentum_and_weight_decay_for_two_steps_by_hand():
    p = vector([1.0], grad=[1.0])
    optimizer = pn.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.1)
    optimizer.step()
    # step 1: g = 1 + 0.1 * 1 = 1.1; b = g = 1.1; p = 1 - 0.1 * 1.1 = 0.89
    assert p[0] == pytest.approx(0.89)
    set_grad(p, [1.0])
    optimizer.step()
    # step 2: g = 1 + 0.1 * 0.89 = 1.089; b = 0.9 * 1.1 + 1.089 = 2.079; p = 0.89 - 0.2079 = 0.6821
    assert p[0] == pytest.approx(0.6821)


def test_sgd_momentum_without_decay_on_a_matrix():
    w = matrix([[0.0, 0.0]], grad=[[1.0, -2.0]])
    optimizer = pn.SGD([w], lr=1.0, momentum=0.5)
    optimizer.step()  # b = g = [1, -2]; w = [-1, 2]
    optimizer.step()  # same grad: b = 0.5 b + g = [1.5, -3]; w = [-2.5, 5]
    assert w[0] == pytest.approx([-2.5, 5.0])


# --- Adam --------------------------------------------------------------------------


def test_adam_first_step_moves_each_parameter_by_about_lr_times_sign_of_gradient():
    w = matrix([[1.0, -1.0, 0.5]], grad=[[0.5, -3.0, 1e-3]])
    b = vector([0.0, 0.0], grad=[-10.0, 2.0])
    pn.Adam([w, b], lr=0.1).step()
    # m = (1 - b1) g, v = (1 - b2) g^2; bias-corrected m_hat = g, v_hat = g^2,
    # so the step is lr * g / (|g| + eps) = lr * sign(g), up to lr * eps / |g| (1e-6 for g = 1e-3).
    assert w[0] == pytest.approx([1.0 - 0.1, -1.0 + 0.1, 0.5 - 0.1], rel=0, abs=2e-6)
    assert b == pytest.approx([0.1, -0.1], rel=0, abs=1e-9)
    # exactly, with eps: 0.5 - 0.1 * 1e-3 / (1e-3 + 1e-8)
    assert w[0][2] == pytest.approx(0.5 - 0.1 * 1e-3 / (1e-3 + 1e-8), rel=1e-12)


def test_adam_with_a_constant_gradient_keeps_stepping_by_lr():
    # With g constant, m_t = (1 - b1^t) g and v_t = (1 - b2^t) g^2, so the bias
    # corrections give m_hat = g and v_hat = g^2 at every step: each step is lr * sign(g).
    p = vector([0.0], grad=[0.25])
    optimizer = pn.Adam([p], lr=0.01)
    for step in range(1, 6):
        optimizer.step()
        assert p[0] == pytest.approx(-0.01 * step, rel=1e-6)
    assert optimizer.state[0]["step"] == 5


def test_adam_weight_decay_first_step_by_hand():
    p = vector([2.0], grad=[0.0])
    pn.Adam([p], lr=0.1, weight_decay=0.5).step()
    # g = 0 + 0.5 * 2 = 1 > 0: the first step is -lr * sign(g)
    assert p[0] == pytest.approx(1.9, rel=1e-6)


# --- shared behaviour ----------------------------------------------------------------------


@pytest.mark.parametrize("make", [lambda ps: pn.SGD(ps, lr=0.1, momentum=0.9), lambda ps: pn.Adam(ps, lr=0.1)])
def test_step_skips_parameters_without_gradient(make):
    with_grad = vector([1.0], grad=[1.0])
    without_grad = vector([5.0, 6.0])
    optimizer = make([with_grad, without_grad])
    optimizer.step()
    assert without_grad == pytest.approx([5.0, 6.0])
    assert with_grad[0] < 1.0
    assert optimizer.state[1] == {}


@pytest.mark.parametrize("optimizer_class", [pn.SGD, pn.Adam])
def test_step_warns_once_when_gradients_accumulated_over_two_backward_passes(optimizer_class):
    p = vector([1.0], grad=[1.0])
    p.accumulate_grad([1.0])  # a second backward without zero_grad
    assert p.grad == pytest.approx([2.0])
    optimizer = optimizer_class([p], lr=0.1)
    with pytest.warns(UserWarning, match=r"'bias' is the sum of 2 backward passes.*zero_grad"):
        optimizer.step()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.step()  # once per optimiser


def test_no_warning_after_zero_grad():
    p = vector([1.0], grad=[1.0])
    optimizer = pn.SGD([p], lr=0.1)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        optimizer.step()
        optimizer.zero_grad()
        p.accumulate_grad([1.0])
        optimizer.step()


def test_zero_grad_clears_every_parameter():
    model = pn.Sequential(pn.Dense(2, 3), pn.ReLU(), pn.Dense(3, 2))
    model.forward([[1.0, 2.0]])
    model.backward([[1.0, -1.0]])
    assert all(parameter.grad is not None for parameter in model.parameters())
    optimizer = pn.SGD(model.parameters(), lr=0.1)
    optimizer.zero_grad()
    assert all(parameter.grad is None for parameter in model.parameters())
    assert all(parameter.backward_passes == 0 for parameter in model.parameters())


# --- state_dict -----------------------------------------------------------------------------


def train_steps(model, optimizer, steps, start):
    X = [[0.5, -1.0], [1.5, 0.25], [-0.5, 0.75]]
    y = [0, 1, 1]
    loss = pn.SoftmaxCrossEntropy()
    for step in range(start, start + steps):
        optimizer.zero_grad()
        # a different batch each step, so the buffers matter
        batch = [X[step % 3], X[(step + 1) % 3]]
        labels = [y[step % 3], y[(step + 1) % 3]]
        loss.forward(model.forward(batch), labels)
        model.backward(loss.backward())
        optimizer.step()


@pytest.mark.parametrize(
    "make",
    [
        lambda ps: pn.SGD(ps, lr=0.05, momentum=0.9, weight_decay=0.01),
        lambda ps: pn.Adam(ps, lr=0.02, betas=(0.8, 0.99), weight_decay=0.001),
    ],
)
def test_state_dict_round_trip_continues_identically(make):
    def build():
        return pn.Sequential(pn.Dense(2, 3, rng=1), pn.Tanh(), pn.Dense(3, 2, rng=2))

    reference = build()
    reference_optimizer = make(reference.parameters())
    train_steps(reference, reference_optimizer, 4, start=0)

    # Restore mid-way into a second model and a fresh optimiser, through JSON.
    saved_state = json.loads(json.dumps(reference_optimizer.state_dict()))
    restored = build()
    for target, source in zip(restored.parameters(), reference.parameters()):
        target[:] = [list(row) for row in source] if isinstance(source[0], list) else list(source)
    restored_optimizer = make(restored.parameters())
    restored_optimizer.lr = 123.0  # must be overwritten by the loaded hyperparameters
    restored_optimizer.load_state_dict(saved_state)
    assert restored_optimizer.lr == pytest.approx(reference_optimizer.lr)

    train_steps(reference, reference_optimizer, 3, start=4)
    train_steps(restored, restored_optimizer, 3, start=4)
    assert bits(restored.parameters()) == bits(reference.parameters())

    # Without the restored buffers (a fresh optimiser mid-way) the runs differ: the test can fail.
    unrestored = build()
    train_steps(unrestored, make(unrestored.parameters()), 4, start=0)
    train_steps(unrestored, make(unrestored.parameters()), 3, start=4)
    assert bits(unrestored.parameters()) != bits(reference.parameters())


def test_state_dict_has_pytorchs_layout_is_json_and_a_copy():
    weight = matrix([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], grad=[[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]])
    bias = vector([1.0, 2.0])  # no gradient: no state yet, left out as in PyTorch
    optimizer = pn.Adam([weight, bias], lr=0.01)
    optimizer.step()
    state = optimizer.state_dict()
    assert set(state) == {"state", "param_groups"}
    assert state["param_groups"] == [
        {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8, "weight_decay": 0.0, "params": [0, 1]}
    ]
    assert list(state["state"]) == [0]
    assert state["state"][0]["step"] == 1
    # every buffer has its parameter's shape; after one step m = (1 - beta1) g and v = (1 - beta2) g^2
    assert_close(state["state"][0]["exp_avg"], [[0.1 * g for g in row] for row in weight.grad], rel=1e-12, abs=1e-300)
    expected_squares = [[0.001 * g * g for g in row] for row in weight.grad]
    assert_close(state["state"][0]["exp_avg_sq"], expected_squares, rel=1e-12, abs=1e-300)
    assert json.loads(json.dumps(state))["state"]["0"]["step"] == 1
    state["state"][0]["exp_avg"][0][0] = 99.0
    assert optimizer.state_dict()["state"][0]["exp_avg"][0][0] != 99.0


@pytest.mark.parametrize("make", [lambda ps: pn.SGD(ps, lr=0.1, momentum=0.9), lambda ps: pn.Adam(ps, lr=0.1)])
def test_the_update_rule_sees_every_shape_alike(make):
    # A (2 x 3) weight and the same six values as a vector, with the same gradients, must step identically.
    rows = [[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]]
    grads = [[0.3, -0.1, 0.2], [-0.4, 0.05, 0.6]]
    weight = matrix(rows, grad=grads)
    flat = vector([value for row in rows for value in row], grad=[g for row in grads for g in row])
    for parameters in ([weight], [flat]):
        optimizer = make(parameters)
        for _ in range(3):
            optimizer.step()
    assert [value for row in weight for value in row] == pytest.approx(list(flat), rel=1e-15)
    assert [len(row) for row in weight] == [3, 3] and isinstance(weight[0], list)


@pytest.mark.parametrize("make", [lambda ps: pn.SGD(ps, lr=0.1, momentum=0.9), lambda ps: pn.Adam(ps, lr=0.1)])
def test_a_deeper_parameter_steps_like_its_values_and_its_state_dict_keeps_its_shape(make):
    # A kernel of shape (2 x 2 x 3), as a convolution has, against the same twelve values as a vector.
    values = [[[1.0, -2.0, 0.5], [3.0, 0.25, -1.0]], [[0.0, 4.0, -0.5], [2.0, -3.0, 1.5]]]
    grads = [[[0.3, -0.1, 0.2], [-0.4, 0.05, 0.6]], [[0.1, 0.0, -0.2], [0.7, -0.3, 0.25]]]
    kernel = Parameter([[list(row) for row in plane] for plane in values], "kernel")
    kernel.grad = [[list(row) for row in plane] for plane in grads]
    flat = vector(
        [v for plane in values for row in plane for v in row], grad=[g for plane in grads for row in plane for g in row]
    )
    kernel_optimizer = make([kernel])
    for parameters in ([kernel], [flat]):
        optimizer = kernel_optimizer if parameters[0] is kernel else make(parameters)
        for _ in range(3):
            optimizer.step()
    assert [v for plane in kernel for row in plane for v in row] == pytest.approx(list(flat), rel=1e-15)
    saved = json.loads(json.dumps(kernel_optimizer.state_dict()))
    for name, buffer in saved["state"]["0"].items():
        if name != "step":
            assert [[len(row) for row in plane] for plane in buffer] == [[3, 3], [3, 3]], name
    restored = make([kernel])
    restored.load_state_dict(saved)
    assert restored.state_dict() == kernel_optimizer.state_dict()
    saved["state"]["0"][next(name for name in saved["state"]["0"] if name != "step")][1][0] = [1.0, 2.0]
    with pytest.raises(ValueError, match=r"of parameter 0 has the wrong shape"):
        make([kernel]).load_state_dict(saved)


def test_load_state_dict_refuses_other_optimisers_and_shapes():
    p = vector([1.0, 2.0], grad=[0.1, 0.2])
    sgd = pn.SGD([p], lr=0.1, momentum=0.9)
    sgd.step()
    with pytest.raises(
        ValueError,
        match=r"load_state_dict: expected a state_dict of Adam \(hyperparameters betas, eps, lr, weight_decay\), "
        r"got one with lr, momentum, weight_decay",
    ):
        pn.Adam([p]).load_state_dict(sgd.state_dict())
    other = vector([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match=r"buffer 'momentum_buffer' of parameter 0 has the wrong shape"):
        pn.SGD([other], lr=0.1).load_state_dict(sgd.state_dict())
    as_matrix = matrix([[1.0], [2.0]])  # two values, but a (2 x 1) matrix: a shape, not only a count
    with pytest.raises(ValueError, match=r"buffer 'momentum_buffer' of parameter 0 has the wrong shape"):
        pn.SGD([as_matrix], lr=0.1).load_state_dict(sgd.state_dict())
    with pytest.raises(ValueError, match=r"the state_dict holds 1 parameters but the optimiser has 2"):
        pn.SGD([p, other], lr=0.1).load_state_dict(sgd.state_dict())
    bad = sgd.state_dict()
    bad["param_groups"][0]["lr"] = -1.0
    with pytest.raises(ValueError, match=r"lr must be >= 0\.0, got -1\.0"):
        pn.SGD([p], lr=0.1).load_state_dict(bad)


# --- validation -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make, error, message",
    [
        (lambda ps: pn.SGD(ps, lr=-0.1), ValueError, r"lr must be >= 0\.0, got -0\.1"),
        (lambda ps: pn.SGD(ps, lr=math.nan), ValueError, r"lr must be a finite number, got nan"),
        (lambda ps: pn.SGD(ps, lr="0.1"), ValueError, r"lr must be a finite number, got '0\.1'"),
        (lambda ps: pn.SGD(ps, lr=True), ValueError, r"lr must be a finite number, got True"),
        (lambda ps: pn.SGD(ps, lr=0.1, momentum=-0.5), ValueError, r"momentum must be >= 0\.0, got -0\.5"),
        (lambda ps: pn.SGD(ps, lr=0.1, weight_decay=-1), ValueError, r"weight_decay must be >= 0\.0, got -1"),
        (lambda ps: pn.Adam(ps, lr=-1e-3), ValueError, r"lr must be >= 0\.0, got -0\.001"),
        (lambda ps: pn.Adam(ps, betas=(1.0, 0.999)), ValueError, r"betas\[0\] must be in \[0\.0, 1\.0\), got 1\.0"),
        (lambda ps: pn.Adam(ps, betas=(0.9, 1.5)), ValueError, r"betas\[1\] must be in \[0\.0, 1\.0\), got 1\.5"),
        (lambda ps: pn.Adam(ps, betas=(-0.1, 0.999)), ValueError, r"betas\[0\] must be in \[0\.0, 1\.0\), got -0\.1"),
        (lambda ps: pn.Adam(ps, betas=(0.9,)), ValueError, r"betas must be a pair \(beta1, beta2\), got \(0\.9,\)"),
        (lambda ps: pn.Adam(ps, eps=-1e-8), ValueError, r"eps must be >= 0\.0, got -1e-08"),
    ],
)
def test_bad_hyperparameters_are_refused(make, error, message):
    with pytest.raises(error, match=message):
        make([vector([1.0])])


@pytest.mark.parametrize("optimizer_class", [pn.SGD, pn.Adam])
def test_empty_params_and_non_parameters_are_refused(optimizer_class):
    name = optimizer_class.__name__
    with pytest.raises(ValueError, match=rf"{name}: params is empty; pass model\.parameters\(\)"):
        optimizer_class([], lr=0.1)
    with pytest.raises(TypeError, match=rf"{name}: params\[1\] must be a Parameter \(from model\.parameters\(\)\), got list"):
        optimizer_class([vector([1.0]), [1.0, 2.0]], lr=0.1)


def test_params_may_be_any_iterable():
    model = pn.Sequential(pn.Dense(2, 2))
    optimizer = pn.SGD(iter(model.parameters()), lr=0.1)
    assert optimizer.params == model.parameters()


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda saved: saved["state"].__setitem__(0, None), "state entry 0 must be a dict, got NoneType"),
        (lambda saved: saved["state"].__setitem__(5, {}), "state key 5 is not the index of one of the 2 parameters"),
        (lambda saved: saved["state"][0].__setitem__("step", -1), "'step' of parameter 0 must be a count, got -1"),
        (lambda saved: saved["state"][0]["momentum_buffer"][0].__setitem__(0, "x"), "must hold finite numbers"),
        (lambda saved: saved.pop("param_groups"), r"expected a dict with 'state' and 'param_groups', got \['state'\]"),
        (lambda saved: saved["param_groups"].append({}), "'param_groups' must be a list of one dict"),
        (
            lambda saved: saved["param_groups"][0].update(nesterov=True),
            "got one with lr, momentum, nesterov, weight_decay",
        ),
    ],
)
def test_load_state_dict_names_what_is_wrong_and_changes_nothing(change, message):
    model = pn.Sequential(pn.Dense(2, 2, rng=0))
    optimizer = pn.SGD(model.parameters(), lr=0.1, momentum=0.9)
    for parameter in model.parameters():
        parameter.accumulate_grad([[1.0, 1.0]] * 2 if isinstance(parameter[0], list) else [1.0, 1.0])
    optimizer.step()
    saved = optimizer.state_dict()
    change(saved)
    target = pn.SGD(model.parameters(), lr=0.5)
    with pytest.raises(ValueError, match=message):
        target.load_state_dict(saved)
    assert target.lr == 0.5 and target.momentum == 0.0 and target.state == [{}, {}]
