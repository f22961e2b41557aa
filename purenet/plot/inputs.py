"""The checks every plot makes on what it is given, each error naming the argument, what was expected and what came.

Values must be finite numbers: a NaN or an infinity is refused rather than
skipped, because a chart that quietly leaves a point out shows something the
data does not say. ``None`` is accepted where a gap makes sense (a series
with a missing epoch) and drawn as a break in the line.
"""

from __future__ import annotations

from ..validation import ArgumentTypeError, is_finite, is_number


def short(value: object) -> str:
    """``repr(value)``, cut to 60 characters so that an error message stays readable."""
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def read_text(value: object, name: str) -> str:
    """Return ``value`` if it is a str."""
    if not isinstance(value, str):
        raise ArgumentTypeError(f"{name} must be a str, got {type(value).__name__} {short(value)}")
    return value


def read_value(value: object, name: str, gaps: bool = False) -> float | None:
    """Return ``value`` as a float if it is a finite int or float (not a bool); ``None`` too if ``gaps``."""
    if gaps and value is None:
        return None
    expected = "a finite number or None (a gap)" if gaps else "a finite number"
    if not is_number(value):
        raise ArgumentTypeError(f"{name} must be {expected}, got {type(value).__name__} {short(value)}")
    if not is_finite(value):
        raise ValueError(f"{name} must be {expected}, got {value!r}")
    return float(value)


def read_sequence(values: object, name: str) -> list:
    """Return ``values`` as a list if it is a non-empty list or tuple."""
    if not isinstance(values, (list, tuple)):
        raise ArgumentTypeError(f"{name} must be a list, got {type(values).__name__} {short(values)}")
    if not values:
        raise ValueError(f"{name} must not be empty")
    return list(values)


def read_values(values: object, name: str, gaps: bool = False) -> list[float | None]:
    """A non-empty list of finite numbers (``None`` allowed as a gap if ``gaps``)."""
    return [read_value(value, f"{name}[{index}]", gaps) for index, value in enumerate(read_sequence(values, name))]


def read_grid(grid: object, name: str) -> list[list[float]]:
    """A non-empty list of equally long, non-empty rows of finite numbers."""
    rows = read_sequence(grid, name)
    result = [read_values(row, f"{name}[{index}]") for index, row in enumerate(rows)]
    for index, row in enumerate(result):
        if len(row) != len(result[0]):
            raise ValueError(
                f"{name} must have rows of equal length (a rectangle), got {len(result[0])} numbers in row 0 "
                f"and {len(row)} in row {index}"
            )
    return result


def read_range(value: object, name: str) -> tuple[float, float] | None:
    """``None``, or a pair ``(low, high)`` of finite numbers with ``low < high``."""
    if value is None:
        return None
    if not isinstance(value, (list, tuple)) or len(value) != 2:
        raise ArgumentTypeError(f"{name} must be a pair (low, high) or None, got {short(value)}")
    low, high = read_value(value[0], f"{name}[0]"), read_value(value[1], f"{name}[1]")
    if not low < high:
        raise ValueError(f"{name} must have low < high, got {short(value)}")
    return low, high


def read_labels(labels: object, count: int, name: str) -> list[str] | None:
    """``None``, or one str for each of ``count`` items."""
    if labels is None:
        return None
    labels = read_sequence(labels, name) if count else []
    if len(labels) != count:
        raise ValueError(f"{name} must hold {count} labels, one per item, got {len(labels)}")
    return [read_text(label, f"{name}[{index}]") for index, label in enumerate(labels)]
