"""``Value``: a scalar that records the operation that made it, with the local derivatives.

Each operation checks its operands, computes its result and, right away, the
derivative of the result with respect to each Value operand (its *local
derivatives*), and returns a new node that holds them with references to its
parents. The backward pass that uses them lives in ``backward.py``. The table
of local derivatives is derived in docs/graphs.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from ..layers.activations import sigmoid
from .backward import backpropagate


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
        users: how many operations have taken this Value as an operand so
            far (``a * a`` counts twice). The backward pass passes on the
            gradient of a node with one user as soon as that user is done.
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
        "users",
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
        self.users = 0
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
        node.users = 0
        node.label = ""
        # Counted so that backward can pass on a node's gradient the moment its only user is done.
        left.users += 1
        if right is not None:
            right.users += 1
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

        The chain rule, node by node, each node after all the nodes that use
        it: node.grad = sum over its users c of c.grad * dc/dnode, starting
        from d(self)/d(self) = 1. How the order is found without recursion
        and without sorting: ``backward.backpropagate``; derivation:
        docs/graphs.md. A ValueError if self is infinite or not a number:
        + - * / of floats overflow to inf without an error, and no gradient
        means anything then.
        """
        backpropagate(self)


def zero_grad(values: Iterable[Value]) -> None:
    """Set ``grad`` to 0.0 for each Value: call it on the leaves before each backward pass."""
    for value in values:
        if not isinstance(value, Value):
            raise TypeError(f"zero_grad: values must be Values, got {type(value).__name__} {value!r}")
        value.grad = 0.0
