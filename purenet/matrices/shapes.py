"""What a matrix is here, and the checks every operation starts with.

A *matrix* is a list of rows, each row a list of floats; ``matrix[i][j]`` is
row ``i``, column ``j``. A *batch* is a matrix with one row per sample, so a
batch of 50 drawings of 1024 pixels has shape (50 x 1024). A *vector* is a
plain list of floats (a bias, one row).
"""

from __future__ import annotations

import math

from ..validation import check_integer, is_finite, is_number

Matrix = list[list[float]]
Vector = list[float]


def shape(matrix: Matrix) -> tuple[int, int]:
    """Return (rows, columns) of a matrix, checking that every row has the same length.

    A matrix with no rows has shape (0, 0).
    """
    if not isinstance(matrix, list):
        raise TypeError(f"shape: expected a matrix (a list of rows), got {type(matrix).__name__}")
    if not matrix:
        return (0, 0)
    if not isinstance(matrix[0], list):
        raise TypeError(
            f"shape: expected a matrix (a list of rows, each a list of numbers), but row 0 is a "
            f"{type(matrix[0]).__name__}; wrap a single sample as [sample]"
        )
    columns = len(matrix[0])
    for index, row in enumerate(matrix):
        if not isinstance(row, list):
            raise TypeError(
                f"shape: row {index} should be a list of numbers, got {type(row).__name__}"
            )
        if len(row) != columns:
            raise ValueError(
                f"shape: row {index} has {len(row)} values but row 0 has {columns}; "
                "a matrix needs rows of equal length"
            )
    return (len(matrix), columns)


def describe(matrix: Matrix) -> str:
    """The shape of a matrix as text, ``(rows x columns)``, for error messages."""
    rows, columns = shape(matrix)
    return f"({rows} x {columns})"


def check_same_shape(operation: str, a: Matrix, b: Matrix) -> None:
    """Raise a ValueError naming both shapes unless ``a`` and ``b`` have the same shape."""
    if shape(a) != shape(b):
        raise ValueError(f"{operation}: {describe(a)} and {describe(b)}: shapes differ")


def zeros(rows: int, columns: int) -> Matrix:
    """A (rows x columns) matrix of 0.0, each row its own list."""
    check_integer(rows, "zeros: rows", minimum=0)
    check_integer(columns, "zeros: columns", minimum=0)
    return [[0.0] * columns for _ in range(rows)]


def rows_of(values: list) -> list:
    """A matrix as its list of rows, a vector as one row: lets one loop serve weights and biases."""
    return values if values and isinstance(values[0], list) else [values]


def as_matrix(data: object, name: str) -> Matrix:
    """Validate user data as a batch and return it as a fresh matrix of floats.

    Accepts a list (or tuple) of samples, each a list (or tuple) of real
    numbers of the same length. Refuses booleans, strings, NaN and infinity,
    and a flat list of numbers (a single sample must be wrapped: ``[sample]``).
    ``name`` is the argument's name, used in the error messages.
    """
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"{name} must be a list of samples (each a list of numbers), got {type(data).__name__}")
    if not data:
        raise ValueError(f"{name} must hold at least one sample, got an empty list")
    if is_number(data[0]):
        raise ValueError(
            f"{name} must be a list of samples (each a list of numbers), got a flat list of "
            f"{len(data)} numbers; wrap a single sample as [sample]"
        )
    result = []
    width = None
    for row_index, row in enumerate(data):
        if not isinstance(row, (list, tuple)):
            raise TypeError(f"{name}[{row_index}] must be a list of numbers, got {type(row).__name__}")
        if width is None:
            width = len(row)
            if width == 0:
                raise ValueError(f"{name}[0] is empty: each sample needs at least one feature")
        elif len(row) != width:
            raise ValueError(f"{name}[{row_index}] has {len(row)} features but {name}[0] has {width}")
        if _all_finite_floats(row):
            result.append(list(row))
            continue
        for column_index, value in enumerate(row):
            if not is_number(value):
                raise TypeError(
                    f"{name}[{row_index}][{column_index}] must be a number, got {type(value).__name__} {value!r}"
                )
            if not is_finite(value):
                raise ValueError(f"{name}[{row_index}][{column_index}] must be finite, got {value!r}")
        result.append([float(value) for value in row])
    return result


def _all_finite_floats(row: list | tuple) -> bool:
    """Whether every value of ``row`` is a finite float: ``as_matrix``'s shortcut for the common case.

    Checking value by value costs about as much as a training step for a
    batch of drawings; this asks two questions of the whole row instead. Only
    floats (not bools, ints or strings), and a finite sum: a NaN or an
    infinity makes the sum NaN or infinite. A sum can also overflow on huge
    finite values; then the answer is False and the values are checked one by
    one, which accepts them.
    """
    return set(map(type, row)) == {float} and math.isfinite(sum(row))
