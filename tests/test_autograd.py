"""purenet.autograd: every operation's value and derivative, random expressions against finite
differences, Value.backward's one sweep against the plain reference, gradient accumulation, a
chain of a million nodes, no reference cycles, draw's text.

The torch comparison of the same random expressions is in tests/test_autograd_torch.py, which
skips when torch is missing; the SVG picture is tested in tests/test_autograd_drawing.py. The
derivations are in docs/graphs.md.
"""

from __future__ import annotations

import gc
import math
import random
import weakref

import pytest
from conftest import assert_close, central_difference
from hypothesis import given, settings
from hypothesis import strategies as st

from purenet.autograd import Value, backpropagate, draw, reference_backpropagate, zero_grad

PROPERTY_SETTINGS = settings(deadline=None, max_examples=60, derandomize=True, database=None)


def close(actual: float, expected: float, rel: float = 1e-6, abs_tolerance: float = 1e-8) -> bool:
    return math.isclose(actual, expected, rel_tol=rel, abs_tol=abs_tolerance)


# --- random programs: the same expressions on Values here and on torch tensors in the torch tests -----


def random_program(rng: random.Random, inputs: int, steps: int) -> list[tuple]:
    """A random straight-line program over ``inputs`` leaves: each step combines earlier results.

    Every operation of Value appears; the operands of log, fractional powers and divisions
    are made positive (or kept away from 0) by construction, so that every program is
    defined and differentiable at any input. Results are reused, so the graph is a DAG
    with shared nodes, not only a tree.
    """
    program = []
    for step in range(steps):
        available = inputs + step
        i, j = rng.randrange(available), rng.randrange(available)
        constant = rng.choice((-1.0, 1.0)) * rng.uniform(0.2, 2.0)
        operation = rng.choice(OPERATIONS)
        program.append((operation, i, j, constant))
    return program


def _apply(operation: str, a, b, c: float):
    """One step on a and b (Values, or torch tensors: the same operators and method names)."""
    if operation == "add":
        return a + b
    if operation == "add constant":
        return a + c
    if operation == "constant add":
        return c + a
    if operation == "subtract":
        return a - b
    if operation == "subtract constant":
        return a - c
    if operation == "constant subtract":
        return c - a
    if operation == "multiply":
        return a * b.tanh()  # tanh keeps products of products from overflowing
    if operation == "multiply constant":
        return a * c
    if operation == "constant multiply":
        return c * a
    if operation == "divide":
        return a / (b * b + 0.5)
    if operation == "divide constant":
        return a / c
    if operation == "constant divide":
        return c / (a * a + 0.5)
    if operation == "negate":
        return -a
    if operation == "integer power":
        return a.tanh() ** 3
    if operation == "fractional power":
        return (a * a + 0.25) ** (c / 2.0)
    if operation == "exp":
        return a.tanh().exp()
    if operation == "log":
        return (a * a + 0.1).log()
    if operation == "tanh":
        return a.tanh()
    if operation == "relu":
        return a.relu()
    if operation == "sigmoid":
        return a.sigmoid()
    raise AssertionError(operation)


OPERATIONS = (
    "add", "add constant", "constant add", "subtract", "subtract constant", "constant subtract",
    "multiply", "multiply constant", "constant multiply", "divide", "divide constant", "constant divide",
    "negate", "integer power", "fractional power", "exp", "log", "tanh", "relu", "sigmoid",
)


def run_program(program: list[tuple], leaves: list):
    """The program's output: the sum of its last three results (so that many paths reach the leaves)."""
    results = list(leaves)
    for operation, i, j, constant in program:
        results.append(_apply(operation, results[i], results[j], constant))
    return results[-1] + results[-2] + results[-3]


def program_value(program: list[tuple], point: list[float]) -> float:
    return run_program(program, [Value(x) for x in point]).data


@pytest.mark.parametrize("seed", range(30))
def test_random_programs_match_finite_differences(seed):
    rng = random.Random(seed)
    point = [rng.uniform(-2.0, 2.0) for _ in range(4)]
    program = random_program(rng, len(point), 25)
    leaves = [Value(x) for x in point]
    output = run_program(program, leaves)
    output.backward()
    numeric = central_difference(lambda: program_value(program, point), point)
    assert_close([leaf.grad for leaf in leaves], numeric, rel=1e-5, abs=1e-7)
    assert output.grad == 1.0


def leaf_gradients(program: list[tuple], point: list[float], backward) -> list[float]:
    leaves = [Value(x) for x in point]
    backward(run_program(program, leaves))
    return [leaf.grad for leaf in leaves]


@pytest.mark.parametrize("seed", range(30))
def test_fast_backward_agrees_with_the_reference(seed):
    """Value.backward's one sweep (backward.backpropagate) against the plain find-sort-sweep form.

    The two add the same terms in different orders, so they agree to rounding, not bit for bit.
    """
    rng = random.Random(500 + seed)
    point = [rng.uniform(-2.0, 2.0) for _ in range(4)]
    program = random_program(rng, len(point), 60)
    fast = leaf_gradients(program, point, backpropagate)
    assert_close(fast, leaf_gradients(program, point, reference_backpropagate), rel=1e-12, abs=1e-14)
    assert leaf_gradients(program, point, Value.backward) == fast  # Value.backward is the fast form


def every_node(output: Value) -> list[Value]:
    """Every node output depends on, itself included, in the order a stack finds them (no recursion)."""
    found, stack, seen = [], [output], {output}
    while stack:
        node = stack.pop()
        found.append(node)
        for parent in node.parents:
            if parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return found


@pytest.mark.parametrize("seed", range(10))
def test_fast_backward_sets_every_interior_gradient_as_the_reference_does(seed):
    """Not only the leaves: each node's grad after the walk is the reference's, to rounding."""
    rng = random.Random(900 + seed)
    point = [rng.uniform(-2.0, 2.0) for _ in range(4)]
    program = random_program(rng, len(point), 60)
    output = run_program(program, [Value(x) for x in point])
    nodes = every_node(output)
    gradients = {}
    for backward in (reference_backpropagate, backpropagate):
        zero_grad(nodes)
        backward(output)
        gradients[backward] = [node.grad for node in nodes]
    assert_close(gradients[backpropagate], gradients[reference_backpropagate], rel=1e-12, abs=1e-14)
    assert sum(node.left is not None and node.grad != 0.0 for node in nodes) >= 10  # the check saw real gradients


@pytest.mark.parametrize("shape", ["left chain", "right chain", "balanced"])
def test_long_sums_of_every_shape(shape):
    """Sums of 100,000 terms, as (((a + b) + c) + ...), as a + (b + (c + ...)) and as a balanced tree.

    The walk goes on to a node's right parent and keeps the left one on a stack: the three shapes
    take that stack through its cases (one node kept at a time, none, as many as the tree is deep).
    Every partial sum's gradient is 1 and each term's is 1 too, exactly (sums of ones).
    """
    terms = [Value(float(index % 7)) for index in range(100_000)]
    if shape == "left chain":
        total = terms[0]
        for term in terms[1:]:
            total = total + term
    elif shape == "right chain":
        total = terms[-1]
        for term in reversed(terms[:-1]):
            total = term + total
    else:
        level = terms
        while len(level) > 1:
            level = [level[i] + level[i + 1] if i + 1 < len(level) else level[i] for i in range(0, len(level), 2)]
        total = level[0]
    total.backward()
    assert total.data == sum(float(index % 7) for index in range(100_000))
    assert all(term.grad == 1.0 for term in terms)
    assert all(node.grad == 1.0 for node in every_node(total))


def test_a_node_with_users_outside_the_graph_waits_for_the_ones_inside():
    """users counts every operation ever applied; backward must not wait for users it cannot reach."""
    a = Value(0.7)
    hidden = a.tanh()
    unused = hidden * 3.0  # a user of hidden that y does not depend on
    y = hidden * 2.0 + hidden.exp()
    assert hidden.users == 3 and a.users == 1
    for backward in (backpropagate, reference_backpropagate):
        zero_grad([a])
        backward(y)
        t = math.tanh(0.7)
        assert close(a.grad, (2.0 + math.exp(t)) * (1 - t * t), rel=1e-14)
        assert close(hidden.grad, 2.0 + math.exp(t), rel=1e-14)
    assert unused.grad == 0.0


def test_backward_from_a_node_inside_a_graph():
    a, b = Value(0.3), Value(-1.2)
    middle = a * b
    top = (middle + a).tanh()
    top.backward()
    zero_grad([a, b])
    middle.backward()  # middle has one user (top), but the pass starts at middle itself
    assert (middle.grad, a.grad, b.grad) == (1.0, -1.2, 0.3)
    assert top.grad != 0.0  # untouched: top is not below middle


def test_users_counts_each_operand_of_each_operation():
    a, b = Value(1.0), Value(2.0)
    assert (a.users, b.users) == (0, 0)
    square = a * a
    total = square + b + 3.0
    assert (a.users, b.users, square.users, total.users) == (2, 1, 1, 0)


def test_random_programs_use_every_operation():
    used = {step[0] for seed in range(30) for step in random_program(random.Random(seed), 4, 25)}
    assert used == set(OPERATIONS)


# --- each operation: its value and its local derivative ---------------------------------------------

# (name, y = f(a, b) on Values, f on floats, dy/da, dy/db) at a = 1.3, b = -0.7
A, B = 1.3, -0.7
BINARY = [
    ("a + b", lambda a, b: a + b, lambda a, b: a + b, lambda a, b: 1.0, lambda a, b: 1.0),
    ("a - b", lambda a, b: a - b, lambda a, b: a - b, lambda a, b: 1.0, lambda a, b: -1.0),
    ("a * b", lambda a, b: a * b, lambda a, b: a * b, lambda a, b: b, lambda a, b: a),
    ("a / b", lambda a, b: a / b, lambda a, b: a / b, lambda a, b: 1.0 / b, lambda a, b: -a / b**2),
]
UNARY = [
    ("-a", lambda a: -a, lambda a: -a, lambda a: -1.0),
    ("a + 2", lambda a: a + 2, lambda a: a + 2, lambda a: 1.0),
    ("2 + a", lambda a: 2 + a, lambda a: 2 + a, lambda a: 1.0),
    ("a - 2", lambda a: a - 2, lambda a: a - 2, lambda a: 1.0),
    ("2 - a", lambda a: 2 - a, lambda a: 2 - a, lambda a: -1.0),
    ("a * 2.5", lambda a: a * 2.5, lambda a: a * 2.5, lambda a: 2.5),
    ("2.5 * a", lambda a: 2.5 * a, lambda a: 2.5 * a, lambda a: 2.5),
    ("a / 4", lambda a: a / 4, lambda a: a / 4, lambda a: 0.25),
    ("4 / a", lambda a: 4 / a, lambda a: 4 / a, lambda a: -4 / a**2),
    ("a ** 3", lambda a: a**3, lambda a: a**3, lambda a: 3 * a**2),
    ("a ** -1.5", lambda a: a**-1.5, lambda a: a**-1.5, lambda a: -1.5 * a**-2.5),
    ("a ** 0", lambda a: a**0, lambda a: 1.0, lambda a: 0.0),
    ("exp", Value.exp, math.exp, math.exp),
    ("log", Value.log, math.log, lambda a: 1.0 / a),
    ("tanh", Value.tanh, math.tanh, lambda a: 1.0 - math.tanh(a) ** 2),
    ("relu", Value.relu, lambda a: max(0.0, a), lambda a: 1.0 if a > 0 else 0.0),
    ("sigmoid", Value.sigmoid, lambda a: 1 / (1 + math.exp(-a)), lambda a: math.exp(-a) / (1 + math.exp(-a)) ** 2),
]


@pytest.mark.parametrize(
    "name, on_values, on_floats, derivative_a, derivative_b", BINARY, ids=[row[0] for row in BINARY]
)
def test_binary_operations(name, on_values, on_floats, derivative_a, derivative_b):
    a, b = Value(A), Value(B)
    y = on_values(a, b)
    y.backward()
    assert close(y.data, on_floats(A, B), rel=1e-15)
    assert close(a.grad, derivative_a(A, B), rel=1e-14)
    assert close(b.grad, derivative_b(A, B), rel=1e-14)
    inputs = [A, B]
    assert_close([a.grad, b.grad], central_difference(lambda: on_floats(*inputs), inputs), rel=1e-6, abs=1e-8)


@pytest.mark.parametrize("name, on_values, on_floats, derivative", UNARY, ids=[row[0] for row in UNARY])
@pytest.mark.parametrize("point", [A, 0.4, -0.9])
def test_unary_operations(name, on_values, on_floats, derivative, point):
    if name in ("log", "a ** -1.5") and point < 0:
        pytest.skip("defined for positive numbers only (the errors are tested below)")
    a = Value(point)
    y = on_values(a)
    y.backward()
    assert close(y.data, on_floats(point), rel=1e-14)
    assert close(a.grad, derivative(point), rel=1e-13, abs_tolerance=1e-15)
    if name != "relu" or abs(point) > 1e-3:
        inputs = [point]
        assert_close([a.grad], central_difference(lambda: on_floats(inputs[0]), inputs), rel=1e-6, abs=1e-8)


def test_relu_slope_at_zero_is_zero_as_in_pytorch():
    a = Value(0.0)
    a.relu().backward()
    assert a.grad == 0.0


def test_sigmoid_and_tanh_do_not_overflow():
    for point, expected in ((1000.0, 1.0), (-1000.0, 0.0)):
        a = Value(point)
        y = a.sigmoid()
        y.backward()
        assert close(y.data, expected, abs_tolerance=1e-300) and close(a.grad, 0.0, abs_tolerance=1e-300)
        assert close(Value(point).tanh().data, math.copysign(1.0, point))


def test_a_value_used_twice_gets_both_contributions():
    a = Value(3.0)
    y = a * a + a  # dy/da = 2a + 1
    y.backward()
    assert close(a.grad, 7.0, rel=1e-15)
    b = Value(0.5)
    shared = b.tanh()
    z = shared * shared + shared.exp()  # one node used by three others
    z.backward()
    t = math.tanh(0.5)
    assert close(b.grad, (2 * t + math.exp(t)) * (1 - t * t), rel=1e-14)


def test_sum_of_values_starts_from_zero():
    values = [Value(float(k)) for k in range(5)]
    total = sum(values)
    total.backward()
    assert close(total.data, 10.0, rel=1e-15)
    assert all(value.grad == 1.0 for value in values)


# --- the backward pass: accumulation, a fresh pass, zero_grad ----------------------------------------


def test_leaves_accumulate_and_zero_grad_resets():
    a, b = Value(2.0), Value(-1.0)
    y = a * b
    y.backward()
    y.backward()
    assert (a.grad, b.grad) == (pytest.approx(-2.0), pytest.approx(4.0))  # twice dy/da = b, dy/db = a
    zero_grad([a, b])
    assert (a.grad, b.grad) == (0.0, 0.0)
    y.backward()
    assert (a.grad, b.grad) == (pytest.approx(-1.0), pytest.approx(2.0))


def test_every_pass_recomputes_the_interior_gradients():
    """A second backward through a shared interior node adds exactly one more dy/da to the leaf.

    micrograd would add two (3 dy/da in all): its interior gradients keep the first pass's
    value and are added to again. Here the interior .grad is this pass's gradient only.
    """
    a = Value(0.3)
    hidden = a.tanh()
    y = hidden * 2.0
    y.backward()
    first = a.grad
    y.backward()
    assert close(a.grad, 2 * first, rel=1e-15)
    assert close(hidden.grad, 2.0, rel=1e-15)


def test_two_outputs_of_one_graph_add_up_in_the_leaves():
    a = Value(1.5)
    shared = a.exp()
    (shared * 2.0).backward()
    (shared + a).backward()
    assert close(a.grad, 2 * math.exp(1.5) + math.exp(1.5) + 1.0, rel=1e-14)


def test_backward_of_a_leaf_is_one():
    a = Value(4.0)
    a.backward()
    assert a.grad == 1.0


def test_zero_grad_refuses_what_is_not_a_value():
    with pytest.raises(TypeError, match="zero_grad: values must be Values, got float 1.0"):
        zero_grad([Value(1.0), 1.0])


def test_a_chain_of_a_million_nodes():
    """y = x * c * c * ... (a million times): dy/dx = c^1000000, without recursion, and freed without it."""
    factor = 1.000001
    x = Value(0.5)
    y = x
    for _ in range(1_000_000):
        y = y * factor
    y.backward()
    assert close(x.grad, factor**1_000_000, rel=1e-9)  # about e
    assert y.depth == 1_000_000
    node = weakref.ref(y.left.left)
    del y  # freeing the chain must not recurse a million levels deep either
    assert node() is None


# --- no reference cycles ----------------------------------------------------------------------------


def square_network_graph() -> tuple[list[Value], Value]:
    """A small network's loss: 8 -> 4 (tanh) -> 1, the leaves and the output."""
    rng = random.Random(7)
    weights = [[Value(rng.uniform(-1, 1)) for _ in range(8)] for _ in range(4)]
    output_weights = [Value(rng.uniform(-1, 1)) for _ in range(4)]
    inputs = [rng.uniform(-1, 1) for _ in range(8)]
    hidden = [sum(w * x for w, x in zip(row, inputs)).tanh() for row in weights]
    output = sum(w * h for w, h in zip(output_weights, hidden)).sigmoid()
    loss = (output - 1.0) ** 2
    return [w for row in weights for w in row] + output_weights, loss


def test_a_dropped_graph_is_freed_without_the_garbage_collector():
    gc.collect()
    gc.disable()
    try:
        leaves, loss = square_network_graph()
        loss.backward()
        output = weakref.ref(loss)
        interior = weakref.ref(loss.left.left)  # the sigmoid node
        del loss
        assert output() is None and interior() is None  # freed by reference counting alone
        assert gc.collect() == 0  # nothing was left for the collector: no cycle
        assert all(leaf.grad != 0.0 for leaf in leaves)  # the leaves keep their gradients
    finally:
        gc.enable()


def test_the_cycle_check_can_fail():
    """A node that keeps a closure referring to itself (micrograd's design) is found only by the collector."""

    class ClosureNode:
        def __init__(self) -> None:
            def backward() -> None:
                self.grad = 0.0

            self.backward = backward

    gc.collect()
    gc.disable()
    try:
        node = ClosureNode()
        reference = weakref.ref(node)
        del node
        assert reference() is not None  # the cycle keeps it alive ...
        assert gc.collect() > 0  # ... until the collector finds it
        assert reference() is None
    finally:
        gc.enable()


# --- bad input: clear errors naming what came ------------------------------------------------------


@pytest.mark.parametrize(
    "action, error, message",  # message: a part of the error's text, as written
    [
        (lambda: Value("1"), TypeError, "Value: data must be a real number (int or float), got str '1'"),
        (lambda: Value(True), TypeError, "got bool True"),
        (lambda: Value(float("nan")), ValueError, "Value: data must be a finite number, got nan"),
        (lambda: Value(10**400), ValueError, "too large for a float"),
        (lambda: Value(1.0, label=3), TypeError, "label must be a str, got int 3"),
        (
            lambda: Value(1.0) + "2",
            TypeError,
            "Value +: the other operand must be a Value or a real number (int or float), got str '2'",
        ),
        (lambda: [1.0] * Value(2.0), TypeError, "Value *: the other operand must be a Value or a real number"),
        (lambda: Value(1.0) - None, TypeError, "got NoneType None"),
        (lambda: Value(1.0) * float("inf"), ValueError, "Value *: the number must be finite, got inf"),
        (lambda: Value(1.0) / Value(0.0), ZeroDivisionError, "Value /: division by zero, Value(data=1.0"),
        (lambda: Value(1.0) / 0, ZeroDivisionError, "division by zero"),
        (lambda: 2.0 / Value(0.0), ZeroDivisionError, "division by zero, 2.0 / Value"),
        (lambda: Value(0.0).log(), ValueError, "Value.log: the logarithm needs a positive number, got 0.0"),
        (lambda: Value(-2.0).log(), ValueError, "needs a positive number, got -2.0"),
        (lambda: Value(800.0).exp(), ValueError, "Value.exp: exp(800.0) overflows a float"),
        (lambda: Value(2.0) ** Value(2.0), TypeError, "the exponent must be a number (int or float), got a Value"),
        (lambda: Value(2.0) ** "2", TypeError, "Value **: the other operand must be a Value or a real number"),
        (lambda: Value(2.0) ** True, TypeError, "got bool True"),
        (lambda: Value(-8.0) ** (1 / 3), ValueError, "a negative base to a fractional power is not real"),
        (lambda: Value(0.0) ** -1, ValueError, "infinite value or slope at 0"),
        (lambda: Value(0.0) ** 0.5, ValueError, "infinite value or slope at 0"),
        (lambda: Value(10.0) ** 400, ValueError, "overflows a float"),
        (lambda: draw(1.0), TypeError, "draw: value must be a Value, got float 1.0"),
        (lambda: (Value(1e200) * 1e200).backward(), ValueError, "Value.backward: the output is inf, not a finite"),
        (lambda: (lambda y: y - y)(Value(1e200) * 1e200).backward(), ValueError, "the output is nan"),
    ],
)
def test_bad_input_gets_a_clear_error(action, error, message):
    with pytest.raises(error) as raised:
        action()
    assert message in str(raised.value)


def test_powers_that_are_defined_at_zero_and_below():
    for exponent, slope in ((1, 1.0), (2, 0.0), (0, 0.0), (1.5, 0.0)):
        a = Value(0.0)
        (a**exponent).backward()
        assert a.grad == slope
    a = Value(-2.0)
    y = a**3
    y.backward()
    assert (y.data, a.grad) == (-8.0, 12.0)


# --- draw ---------------------------------------------------------------------------------------


def test_draw_lists_each_node_once_parents_first():
    a, b = Value(0.5, label="a"), Value(-0.3, label="b")
    product = a * b
    y = (product + product.exp() - 1).tanh()
    y.backward()
    lines = draw(y).splitlines()
    names = [line.split(" = ")[0] for line in lines]
    formulas = [line.split(" = ")[1].split(" |")[0].strip() for line in lines]
    assert names == ["a", "b", "v0", "v1", "v2", "v3", "v4"]
    assert formulas[:2] == ["leaf", "leaf"]
    assert formulas[2:] == ["a * b", "exp(v0)", "v0 + v1", "v2 - 1", "tanh(v3)"]
    assert len(lines) == 7  # the product, used twice, is listed once
    assert lines[-1].endswith("grad     1.0000")
    assert f"data {math.tanh(-0.15 + math.exp(-0.15) - 1):10.4f}" in lines[-1]
    assert f"grad {a.grad:10.4f}" in lines[0]


def test_draw_writes_every_operation():
    a = Value(2.0, label="a")
    b = Value(4.0, label="b")
    pieces = [
        a + b, a + 3, 3 + a, a - b, a - 3, 3 - a, a * b, a * 3, 3 * a, a / b, a / 4, 4 / a, -a, a**2,
        a.exp(), a.log(), a.tanh(), a.relu(), a.sigmoid(),
    ]
    text = draw(sum(pieces))
    for formula in (
        "a + b", "a + 3", "3 + a", "a - b", "a - 3", "3 - a", "a * b", "a * 3", "3 * a", "a / b", "a / 4",
        "4 / a", "-a", "a ** 2", "exp(a)", "log(a)", "tanh(a)", "relu(a)", "sigmoid(a)", "0 + v",
    ):
        assert f"= {formula}" in text, formula


def test_parents_and_repr():
    a, b = Value(1.0), Value(2.0, label="b")
    assert a.parents == () and (a * 2).parents == (a,) and (a * b).parents == (a, b)
    assert repr(b) == "Value(data=2.0, grad=0.0, label='b')"


# --- properties ------------------------------------------------------------------------------------

finite = st.floats(-3.0, 3.0, allow_nan=False)


@PROPERTY_SETTINGS
@given(finite, finite, finite)
def test_product_and_quotient_rules(x, y, z):
    a, b, c = Value(x), Value(y), Value(z)
    (a * b * c).backward()
    assert close(a.grad, y * z, rel=1e-12, abs_tolerance=1e-12)
    assert close(b.grad, x * z, rel=1e-12, abs_tolerance=1e-12)
    zero_grad([a, b])
    denominator = Value(y * y + 1.0)
    (a / denominator).backward()
    assert close(a.grad, 1.0 / (y * y + 1.0), rel=1e-12)
    assert close(denominator.grad, -x / (y * y + 1.0) ** 2, rel=1e-12, abs_tolerance=1e-12)


@PROPERTY_SETTINGS
@given(st.lists(st.sampled_from(["exp", "tanh", "sigmoid", "relu", "neg", "square"]), min_size=1, max_size=6), finite)
def test_chain_rule_through_any_composition(functions, x):
    """d f_n(...f_1(x)) / dx = product of f_k'(at its input), the chain rule, against a finite difference."""
    if "relu" in functions:
        x = x if abs(x) > 0.01 else 0.5  # away from the kink, where a difference measures neither slope

    def compose(value):
        for name in functions:
            if name == "neg":
                value = -value
            elif name == "square":
                value = value * value
            else:
                value = getattr(value, name)()
            if name in ("exp", "square"):
                value = value.tanh()  # bounded, so that repeated exp or squares cannot overflow
        return value

    a = Value(x)
    y = compose(a)
    y.backward()
    inputs = [x]
    numeric = central_difference(lambda: compose(Value(inputs[0])).data, inputs)[0]
    kink = any(abs(node.left.data) < 1e-5 for node in _all_nodes(y) if node.operation == "relu")
    if not kink:
        assert_close(a.grad, numeric, rel=1e-5, abs=1e-7)


def _all_nodes(value: Value) -> list[Value]:
    """Every node of value's graph, including the leaves (for the test above: finding ReLU's kinks)."""
    nodes, stack = [value], [value]
    while stack:
        for parent in stack.pop().parents:
            nodes.append(parent)
            stack.append(parent)
    return nodes


@PROPERTY_SETTINGS
@given(st.lists(finite, min_size=1, max_size=20))
def test_gradient_of_a_sum_of_squares(values):
    """d/dx_k sum_i x_i^2 = 2 x_k."""
    leaves = [Value(x) for x in values]
    sum(leaf**2 for leaf in leaves).backward()
    for leaf, x in zip(leaves, values):
        assert close(leaf.grad, 2 * x, rel=1e-15, abs_tolerance=1e-300)
