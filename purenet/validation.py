"""Argument checks in one place: integers, finite numbers, powers of two, seeds.

Every check raises an error that names the argument, what was expected and
what came, for example::

    Dense: in_features must be a positive integer, got 0
    lr must be a finite number, got nan

A value of the wrong type raises ``ArgumentTypeError``, which is a
``TypeError`` and also a ``ValueError`` (purenet raised ``ValueError`` for
these before, and code that catches it keeps working). A value of the right
type outside its range raises ``ValueError``.

``name`` is the argument as the user knows it, with the function in front
where that helps: ``"Dense: in_features"``, ``"fit: seed"``.
"""

from __future__ import annotations

import math


class ArgumentTypeError(TypeError, ValueError):
    """An argument of the wrong type: a TypeError, and a ValueError for older callers."""


def is_finite(value: int | float) -> bool:
    """Whether a number is neither NaN nor infinite, as a float.

    ``math.isfinite`` raises ``OverflowError`` on an int too large for a float
    (``10**400``); such an int counts as not finite here, because purenet
    computes in floats. This is purenet's one finiteness check.
    """
    try:
        return math.isfinite(float(value))
    except OverflowError:
        return False


def is_integer(value: object) -> bool:
    """Whether a value is an int and not a bool (``True`` is an int in Python, never a count here)."""
    return isinstance(value, int) and not isinstance(value, bool)


def is_number(value: object) -> bool:
    """Whether a value is an int or a float and not a bool."""
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _integer_expectation(minimum: int | None, optional: bool) -> str:
    if minimum == 1:
        expected = "a positive integer"
    elif minimum == 0:
        expected = "a non-negative integer"
    elif minimum is None:
        expected = "an integer"
    else:
        expected = f"an integer >= {minimum}"
    return expected + " or None" if optional else expected


def check_integer(value: object, name: str, minimum: int | None = None, optional: bool = False) -> int | None:
    """Return ``value`` if it is an int (not a bool) of at least ``minimum``; ``None`` passes if ``optional``."""
    if optional and value is None:
        return None
    expected = _integer_expectation(minimum, optional)
    if not is_integer(value):
        raise ArgumentTypeError(f"{name} must be {expected}, got {value!r}")
    if minimum is not None and value < minimum:
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return value


def check_number(value: object, name: str, minimum: float | None = None, below: float | None = None) -> float:
    """Return ``value`` as a float if it is a finite int or float with minimum <= value < below.

    Either bound may be left out. The message shows the range as ``>= minimum``
    or ``in [minimum, below)``.
    """
    if not is_number(value):
        raise ArgumentTypeError(f"{name} must be a finite number, got {value!r}")
    if not is_finite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    too_low = minimum is not None and value < minimum
    too_high = below is not None and value >= below
    if too_low or too_high:
        if below is None:
            expected = f">= {minimum}"
        elif minimum is None:
            expected = f"< {below}"
        else:
            expected = f"in [{minimum}, {below})"
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return float(value)


def check_power_of_two(value: object, name: str, minimum: int = 1) -> int:
    """Return ``value`` if it is an int power of two (1, 2, 4, 8, ...) of at least ``minimum``.

    A positive int is a power of two when it has a single 1 bit, that is
    when ``value & (value - 1) == 0``.
    """
    powers = ", ".join(str(2**exponent) for exponent in range(8) if 2**exponent >= minimum)
    expected = f"a power of two >= {minimum} ({powers}, ...)" if minimum > 1 else f"a power of two ({powers}, ...)"
    if not is_integer(value):
        raise ArgumentTypeError(f"{name} must be an int, got {type(value).__name__} ({value!r})")
    if value < max(minimum, 1) or value & (value - 1) != 0:
        raise ValueError(f"{name} must be {expected}, got {value}")
    return value


def check_seed(seed: object, name: str = "seed") -> int:
    """Return ``seed`` if it is an int (not a bool): a seed makes a run reproducible."""
    if not is_integer(seed):
        raise ArgumentTypeError(
            f"{name} must be an int (runs are reproducible), got {type(seed).__name__} {seed!r}"
        )
    return seed
