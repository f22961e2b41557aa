"""Automatic differentiation on a graph of scalars: ``Value``, in the spirit of micrograd.

Every arithmetic operation on ``Value`` objects records a node of a
computational graph: its result ``data``, the operands it came from (its
*parents*, at most two) and the *local derivative* of the result with respect
to each parent, computed in the forward pass. For ``y = a * b`` the node ``y``
stores ``a`` with dy/da = b and ``b`` with dy/db = a.

``y.backward()`` then applies the chain rule in reverse (reverse-mode
automatic differentiation): visiting every node after all the nodes that use
it (a reverse topological order),

    node.grad = sum over the nodes c that use node of  c.grad * dc/dnode,

starting from dy/dy = 1, so that afterwards ``v.grad`` = dy/dv for every
``Value`` v that y depends on. Derivation, the worked example of
``python -m purenet explain`` rebuilt from Values, and why the walk is neither
recursive nor leaves reference cycles behind: docs/graphs.md.

    >>> from purenet.autograd import Value
    >>> a, b = Value(0.5), Value(-0.3)
    >>> y = (a * b + 1.0).tanh()
    >>> y.backward()
    >>> round(a.grad, 6), round(b.grad, 6)    # dy/da = b (1 - y^2), dy/db = a (1 - y^2)
    (-0.156727, 0.261211)

Two design choices, both measured by benchmarks/autograd.py:

- a node stores references to its parents and numbers, nothing else: no
  closure that refers back to the node (micrograd's ``_backward``), so the
  graph holds no reference cycle, and dropping the last reference to the
  output frees the whole graph at once, without the garbage collector;
- the order of the backward pass comes from each node's ``depth`` (one more
  than its deepest parent): sorting the nodes by depth, deepest first, puts
  every node after all the nodes that use it. Finding the nodes is a loop
  over an explicit stack, so a chain of a million operations needs no deep
  recursion.

Gradients accumulate like PyTorch's: ``backward`` adds to the ``grad`` of the
leaves (the Values you created, with no parents), so that two calls add up;
set them back to zero with ``zero_grad(values)`` before the next pass. The
``grad`` of the other nodes is this pass's gradient, recomputed by every call.
Constants (plain ints and floats) are not nodes: ``a * 3`` has one parent.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from operator import attrgetter

from .layers.activations import sigmoid

_depth_of = attrgetter("depth")


def _number(value: object, operation: str) -> float:
    """A constant operand as a float: a finite int or float, never a bool, else a clear error."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise TypeError(
            f"Value {operation}: the other operand must be a Value or a real number (int or float), "
            f"got {type(value).__name__} {value!r}"
        )
    try:
        number = float(value)
    except OverflowError:
        raise ValueError(f"Value {operation}: the number {value!r} is too large for a float") from None
    if not math.isfinite(number):
        raise ValueError(f"Value {operation}: the number must be finite, got {value!r}")
    return number


class Value:
    """A scalar and the graph that computed it: ``data``, ``grad`` and ``backward()``.

    Attributes:
        data: the value (a float).
        grad: d(output)/d(this value) after ``output.backward()``; 0.0 before.
        left, right: the parents, the Value operands of the operation that
            made this node (``right`` is None for an operation with one Value
            operand; both are None for a leaf).
        left_derivative, right_derivative: the local derivatives
            d(this)/d(left) and d(this)/d(right), computed in the forward pass.
        operation: the operation's name ("+", "* c", "c -", "tanh", ...; ""
            for a leaf), with ``c`` standing for ``constant``, a plain number,
            on the side where it stood.
        constant: the number operand, or None.
        depth: 0 for a leaf, else one more than the deeper parent's depth.
        label: a name for ``draw`` ("" when none was given).

    Build leaves with ``Value(data, label="")``; every other node comes from
    an operation. Supported: ``+ - * /`` with Values or numbers on either
    side, ``-v``, ``v ** p`` for a number p, and the methods ``exp``, ``log``,
    ``tanh``, ``relu``, ``sigmoid``.
    """

    __slots__ = (
        "data",
        "grad",
        "left",
        "right",
        "left_derivative",
        "right_derivative",
        "operation",
        "constant",
        "depth",
        "label",
        "__weakref__",
    )

    def __init__(self, data: float, label: str = "") -> None:
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            raise TypeError(f"Value: data must be a real number (int or float), got {type(data).__name__} {data!r}")
        if not isinstance(label, str):
            raise TypeError(f"Value: label must be a str, got {type(label).__name__} {label!r}")
        try:
            data = float(data)
        except OverflowError:
            raise ValueError(f"Value: data {data!r} is too large for a float") from None
        if not math.isfinite(data):
            raise ValueError(f"Value: data must be a finite number, got {data!r}")
        self.data = data
        self.grad = 0.0
        self.left = self.right = None
        self.left_derivative = self.right_derivative = 0.0
        self.operation = ""
        self.constant = None
        self.depth = 0
        self.label = label

    @staticmethod
    def _node(
        data: float,
        operation: str,
        left: Value,
        left_derivative: float,
        right: Value | None = None,
        right_derivative: float = 0.0,
        constant: float | None = None,
    ) -> Value:
        """A new node: its value, parents and local derivatives (the forward pass's record)."""
        # object.__new__ skips __init__'s checks of user input: an operation's
        # result is a float by construction, and this runs once per operation.
        node = object.__new__(Value)
        node.data = data
        node.grad = 0.0
        node.left = left
        node.left_derivative = left_derivative
        node.right = right
        node.right_derivative = right_derivative
        node.operation = operation
        node.constant = constant
        if right is None or left.depth >= right.depth:
            node.depth = left.depth + 1
        else:
            node.depth = right.depth + 1
        node.label = ""
        return node

    @property
    def parents(self) -> tuple[Value, ...]:
        """The Value operands of the operation that made this node: (), (left,) or (left, right)."""
        if self.left is None:
            return ()
        return (self.left,) if self.right is None else (self.left, self.right)

    def __repr__(self) -> str:
        label = f", label={self.label!r}" if self.label else ""
        return f"Value(data={self.data!r}, grad={self.grad!r}{label})"

    # --- arithmetic: y = f(a, b), with dy/da and dy/db -------------------------

    def __add__(self, other: Value | float) -> Value:
        """y = a + b: dy/da = 1, dy/db = 1."""
        if isinstance(other, Value):
            return Value._node(self.data + other.data, "+", self, 1.0, other, 1.0)
        number = _number(other, "+")
        return Value._node(self.data + number, "+ c", self, 1.0, constant=number)

    def __radd__(self, other: float) -> Value:
        """y = c + a: dy/da = 1 (``sum(values)`` starts with 0 + the first value)."""
        number = _number(other, "+")
        return Value._node(number + self.data, "c +", self, 1.0, constant=number)

    def __sub__(self, other: Value | float) -> Value:
        """y = a - b: dy/da = 1, dy/db = -1."""
        if isinstance(other, Value):
            return Value._node(self.data - other.data, "-", self, 1.0, other, -1.0)
        number = _number(other, "-")
        return Value._node(self.data - number, "- c", self, 1.0, constant=number)

    def __rsub__(self, other: float) -> Value:
        """y = c - a: dy/da = -1."""
        number = _number(other, "-")
        return Value._node(number - self.data, "c -", self, -1.0, constant=number)

    def __mul__(self, other: Value | float) -> Value:
        """y = a * b: dy/da = b, dy/db = a."""
        if isinstance(other, Value):
            return Value._node(self.data * other.data, "*", self, other.data, other, self.data)
        number = _number(other, "*")
        return Value._node(self.data * number, "* c", self, number, constant=number)

    def __rmul__(self, other: float) -> Value:
        """y = c * a: dy/da = c."""
        number = _number(other, "*")
        return Value._node(number * self.data, "c *", self, number, constant=number)

    def __truediv__(self, other: Value | float) -> Value:
        """y = a / b: dy/da = 1/b, dy/db = -a/b^2. Division by zero is a ZeroDivisionError naming both."""
        if isinstance(other, Value):
            if other.data == 0.0:
                raise ZeroDivisionError(f"Value /: division by zero, {self!r} / {other!r}")
            return Value._node(
                self.data / other.data, "/", self, 1.0 / other.data, other, -self.data / (other.data * other.data)
            )
        number = _number(other, "/")
        if number == 0.0:
            raise ZeroDivisionError(f"Value /: division by zero, {self!r} / {other!r}")
        return Value._node(self.data / number, "/ c", self, 1.0 / number, constant=number)

    def __rtruediv__(self, other: float) -> Value:
        """y = c / a: dy/da = -c/a^2."""
        number = _number(other, "/")
        if self.data == 0.0:
            raise ZeroDivisionError(f"Value /: division by zero, {other!r} / {self!r}")
        return Value._node(number / self.data, "c /", self, -number / (self.data * self.data), constant=number)

    def __neg__(self) -> Value:
        """y = -a: dy/da = -1."""
        return Value._node(-self.data, "neg", self, -1.0)

    def __pow__(self, exponent: float) -> Value:
        """y = a^p for a number p: dy/da = p a^(p-1).

        Refused with a ValueError where y or dy/da is not a finite real
        number: 0 to a negative power, 0 to a power between 0 and 1 (infinite
        slope), a negative number to a fractional power (a complex number).
        """
        if isinstance(exponent, Value):
            raise TypeError(
                "Value **: the exponent must be a number (int or float), got a Value; "
                "for a Value exponent b write (b * a.log()).exp()"
            )
        power = _number(exponent, "**")
        base = self.data
        if base < 0.0 and not power.is_integer():
            raise ValueError(f"Value **: a negative base to a fractional power is not real: {base!r} ** {exponent!r}")
        if base == 0.0 and power < 1.0 and power != 0.0:  # 0^p or its slope p 0^(p-1) is infinite
            raise ValueError(
                f"Value **: {base!r} ** {exponent!r} has an infinite value or slope at 0 (exponent below 1)"
            )
        try:
            result = base**power
            # d(a^0)/da = 0 everywhere; 0 ** -1 would fail where the formula is not needed.
            slope = power * base ** (power - 1.0) if power != 0.0 else 0.0
        except OverflowError:
            raise ValueError(f"Value **: {base!r} ** {exponent!r} overflows a float") from None
        return Value._node(result, "** c", self, slope, constant=power)

    # --- functions of one value: y = f(a), with dy/da -------------------------

    def exp(self) -> Value:
        """y = e^a: dy/da = e^a = y."""
        try:
            result = math.exp(self.data)
        except OverflowError:
            raise ValueError(f"Value.exp: exp({self.data!r}) overflows a float (above about 709.78)") from None
        return Value._node(result, "exp", self, result)

    def log(self) -> Value:
        """y = ln a for a > 0: dy/da = 1/a. A ValueError for a <= 0."""
        if self.data <= 0.0:
            raise ValueError(f"Value.log: the logarithm needs a positive number, got {self.data!r}")
        return Value._node(math.log(self.data), "log", self, 1.0 / self.data)

    def tanh(self) -> Value:
        """y = tanh a: dy/da = 1 - y^2."""
        result = math.tanh(self.data)
        return Value._node(result, "tanh", self, 1.0 - result * result)

    def relu(self) -> Value:
        """y = max(0, a): dy/da = 1 if a > 0 else 0 (0 at a = 0, as in PyTorch)."""
        positive = self.data > 0.0
        return Value._node(self.data if positive else 0.0, "relu", self, 1.0 if positive else 0.0)

    def sigmoid(self) -> Value:
        """y = 1 / (1 + e^-a), computed without overflow: dy/da = y (1 - y)."""
        result = sigmoid(self.data)
        return Value._node(result, "sigmoid", self, result * (1.0 - result))

    # --- the backward pass ------------------------------------------------------

    def backward(self) -> None:
        """Set ``v.grad`` += d(self)/dv for every leaf v, and = d(self)/dv for every other node.

        The chain rule, node by node in reverse topological order (deepest
        first): node.grad = sum over its users c of c.grad * dc/dnode,
        starting from d(self)/d(self) = 1. Derivation: docs/graphs.md.
        A ValueError if self is infinite or not a number: + - * / of floats
        overflow to inf without an error, and no gradient means anything then.
        """
        if not math.isfinite(self.data):
            raise ValueError(
                f"Value.backward: the output is {self.data!r}, not a finite number: a value of the forward "
                "pass overflowed (beyond about 1.8e308), so its gradients would mean nothing"
            )
        # Find every node that is not a leaf, with an explicit stack instead of
        # recursion (a chain of a million nodes would overflow Python's stack).
        seen = {self}
        interior = [self] if self.left is not None else []
        stack = list(interior)
        while stack:
            node = stack.pop()
            for parent in (node.left, node.right):
                if parent is not None and parent.left is not None and parent not in seen:
                    seen.add(parent)
                    parent.grad = 0.0  # this pass's gradient, not the last one's
                    interior.append(parent)
                    stack.append(parent)
        # A node is deeper than all its parents, so deepest first visits every
        # node after all its users: its grad is complete before it is passed on.
        interior.sort(key=_depth_of, reverse=True)
        if self.left is None:
            self.grad += 1.0
        else:
            self.grad = 1.0
        for node in interior:
            gradient = node.grad
            node.left.grad += node.left_derivative * gradient
            if node.right is not None:
                node.right.grad += node.right_derivative * gradient


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``grad`` to 0.0 for each Value: call it on the leaves before each backward pass."""
    for value in values:
        if not isinstance(value, Value):
            raise TypeError(f"zero_grad: values must be Values, got {type(value).__name__} {value!r}")
        value.grad = 0.0


# How draw writes each operation: a and b stand for the parents, c for the constant.
_FORMULAS = {
    "+": "{a} + {b}",
    "+ c": "{a} + {c}",
    "c +": "{c} + {a}",
    "-": "{a} - {b}",
    "- c": "{a} - {c}",
    "c -": "{c} - {a}",
    "*": "{a} * {b}",
    "* c": "{a} * {c}",
    "c *": "{c} * {a}",
    "/": "{a} / {b}",
    "/ c": "{a} / {c}",
    "c /": "{c} / {a}",
    "neg": "-{a}",
    "** c": "{a} ** {c}",
    "exp": "exp({a})",
    "log": "log({a})",
    "tanh": "tanh({a})",
    "relu": "relu({a})",
    "sigmoid": "sigmoid({a})",
}


def draw(value: Value) -> str:
    """The graph that computed ``value`` as text, one node per line, each after its parents.

    Each line reads ``name = formula | data ... | grad ...``: a leaf's
    formula is ``leaf``, another node's is its operation on its parents'
    names (``v2 = v0 * v1``). A node is named by its label, or else ``v0``,
    ``v1``, ... in the order of the listing. Text only: purenet has no plotting module yet.
    """
    if not isinstance(value, Value):
        raise TypeError(f"draw: value must be a Value, got {type(value).__name__} {value!r}")
    # Depth-first, parents (left first) before the node: the order in which a program
    # would compute them. An explicit stack again, so that long chains can be drawn.
    nodes: list[Value] = []
    seen: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(value, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            nodes.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((parent, False) for parent in reversed(node.parents) if parent not in seen)
    names: dict[Value, str] = {}
    lines = []
    unnamed = 0
    for node in nodes:
        if node.label:
            names[node] = node.label
        else:
            names[node] = f"v{unnamed}"
            unnamed += 1
        if node.left is None:
            formula = "leaf"
        else:
            formula = _FORMULAS[node.operation].format(
                a=names[node.left],
                b=names[node.right] if node.right is not None else "",
                c=f"{node.constant:g}" if node.constant is not None else "",
            )
        lines.append((f"{names[node]} = {formula}", node))
    width = max(len(text) for text, _ in lines)
    return "\n".join(
        f"{text:<{width}} | data {node.data:10.4f} | grad {node.grad:10.4f}" for text, node in lines
    )
