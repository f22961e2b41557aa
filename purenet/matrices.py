"""Matrix operations written by hand: the arithmetic under every layer.

A *matrix* is a list of rows, each row a list of floats; ``matrix[i][j]`` is
row ``i``, column ``j``. A *batch* is a matrix with one row per sample, so a
batch of 50 drawings of 1024 pixels has shape (50 x 1024). A *vector* is a
plain list of floats (a bias, one row).

Every operation checks the shapes it is given and raises a ``ValueError``
that names both shapes, for example::

    matmul: (50 x 1024) @ (1000 x 32): inner sizes differ

The hot loops of the whole library are the dot products in this module.
``dot`` is ``math.sumprod`` where Python has it (3.12 and later: a loop in C
with extended-precision accumulation) and ``sum(map(operator.mul, a, b))``
otherwise (the fastest plain form: the loop runs in C, no Python bytecode per
element). Beside each fast operation stands a plain ``reference_`` version,
written as the textbook triple loop; the tests check that both agree.

Derivations of where these products appear in a network: docs/dense.md and
docs/backpropagation.md.
"""

from __future__ import annotations

import math
import operator
from typing import Callable, Sequence

from .validation import is_finite

Matrix = list[list[float]]
Vector = list[float]

if hasattr(math, "sumprod"):  # Python 3.12+
    dot = math.sumprod

    def _dot_rows(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> Matrix:
        """result[i][j] = sum_k a[i][k] * b[j][k]: every row of a against every row of b."""
        sumprod = math.sumprod
        return [[sumprod(row, other) for other in b] for row in a]

else:  # Python 3.10 and 3.11

    def dot(a: Sequence[float], b: Sequence[float]) -> float:
        """Dot product sum_k a[k] * b[k] (the loop runs inside ``sum`` and ``map``)."""
        return sum(map(operator.mul, a, b))

    def _dot_rows(a: Sequence[Sequence[float]], b: Sequence[Sequence[float]]) -> Matrix:
        """result[i][j] = sum_k a[i][k] * b[j][k]: every row of a against every row of b."""
        multiply = operator.mul
        # ``dot`` is inlined: a Python function call per entry would cost a third of the time.
        return [[sum(map(multiply, row, other)) for other in b] for row in a]


# --- shapes ---------------------------------------------------------------


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


def zeros(rows: int, columns: int) -> Matrix:
    """A (rows x columns) matrix of 0.0, each row its own list."""
    if not isinstance(rows, int) or not isinstance(columns, int) or rows < 0 or columns < 0:
        raise ValueError(f"zeros: rows and columns must be non-negative integers, got {rows!r}, {columns!r}")
    return [[0.0] * columns for _ in range(rows)]


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
    if isinstance(data[0], (int, float)) and not isinstance(data[0], bool):
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
        for column_index, value in enumerate(row):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise TypeError(
                    f"{name}[{row_index}][{column_index}] must be a number, got {type(value).__name__} {value!r}"
                )
            if not is_finite(value):
                raise ValueError(f"{name}[{row_index}][{column_index}] must be finite, got {value!r}")
        result.append([float(value) for value in row])
    return result


# --- products -------------------------------------------------------------


def transpose(matrix: Matrix) -> Matrix:
    """Transpose: result[j][i] = matrix[i][j]; (n x m) -> (m x n)."""
    rows, columns = shape(matrix)
    if rows == 0:
        return []
    return [list(column) for column in zip(*matrix)]


def matmul_transposed(a: Matrix, b: Matrix) -> Matrix:
    """A @ B^T: result[i][j] = sum_k a[i][k] * b[j][k]; (n x k) and (m x k) -> (n x m).

    Every entry is the dot product of a row of A with a row of B, so no
    transpose is needed. This is the dense layer's forward product X W^T,
    with W stored as (outputs x inputs) like PyTorch.

    Rows of A that are mostly one repeated value (a drawing is mostly
    background) take a shortcut that skips that value; see
    ``_dot_row_skipping_background``. The result is the same up to float
    rounding; the tests compare it with ``reference_matmul``.
    """
    (a_rows, a_columns), (b_rows, b_columns) = shape(a), shape(b)
    if a_rows and b_rows and a_columns != b_columns:
        raise ValueError(
            f"matmul_transposed: ({a_rows} x {a_columns}) @ ({b_rows} x {b_columns})^T: "
            f"rows of both need the same length, got {a_columns} and {b_columns}"
        )
    if a_columns < BACKGROUND_MINIMUM_WIDTH or b_rows == 0:
        return _dot_rows(a, b)
    b_row_sums = None
    result = []
    for row in a:
        background = row[0]
        if row.count(background) < BACKGROUND_SHARE * a_columns:
            result.extend(_dot_rows([row], b))
            continue
        if b_row_sums is None:
            b_row_sums = [sum(other) for other in b]
        result.append(_dot_row_skipping_background(row, background, b, b_row_sums))
    return result


# A row takes the background shortcut when at least this share of its values
# equal its first value, and it is at least this wide (narrow rows gain nothing).
BACKGROUND_SHARE = 0.75
BACKGROUND_MINIMUM_WIDTH = 64


def _dot_row_skipping_background(
    row: list[float], background: float, b: Sequence[Sequence[float]], b_row_sums: list[float]
) -> list[float]:
    """Dot products of one row x with every row w of b, when most x_k equal one value c.

    Writing x_k = c + (x_k - c):

        x . w = c * sum_k w_k + sum_{k: x_k != c} (x_k - c) w_k

    so only the few k where x differs from the background are visited; the
    sums of the rows of b are computed once per matrix product.
    """
    indices = [k for k, value in enumerate(row) if value != background]
    if len(indices) < 2:
        # itemgetter of one index returns a value, not a tuple; such rows are rare.
        return _dot_rows([row], b)[0]
    deviations = [row[k] - background for k in indices]
    gather = operator.itemgetter(*indices)
    return [background * total + dot(deviations, gather(other)) for other, total in zip(b, b_row_sums)]


def matmul(a: Matrix, b: Matrix) -> Matrix:
    """Matrix product A @ B: result[i][j] = sum_k a[i][k] * b[k][j]; (n x k) @ (k x m) -> (n x m).

    B is transposed once so that every entry is a dot product of two rows.
    """
    (a_rows, a_columns), (b_rows, b_columns) = shape(a), shape(b)
    if a_columns != b_rows:
        raise ValueError(
            f"matmul: ({a_rows} x {a_columns}) @ ({b_rows} x {b_columns}): inner sizes differ"
        )
    if b_columns == 0:
        return [[] for _ in a]
    return _dot_rows(a, list(zip(*b)))


def transposed_matmul(a: Matrix, b: Matrix) -> Matrix:
    """A^T @ B: result[i][j] = sum_n a[n][i] * b[n][j]; (n x k) and (n x m) -> (k x m).

    The dense layer's weight gradient dZ^T X: both operands are batches with
    one row per sample, and the sum runs over the samples. When every row of
    B is mostly one repeated value (a batch of drawings), the product takes
    the shortcut of ``_transposed_matmul_skipping_background``.
    """
    (a_rows, a_columns), (b_rows, b_columns) = shape(a), shape(b)
    if a_rows != b_rows:
        raise ValueError(
            f"transposed_matmul: ({a_rows} x {a_columns})^T @ ({b_rows} x {b_columns}): "
            f"both need the same number of rows, got {a_rows} and {b_rows}"
        )
    if a_rows == 0:
        return zeros(a_columns, b_columns)
    if b_columns >= BACKGROUND_MINIMUM_WIDTH and all(
        row.count(row[0]) >= BACKGROUND_SHARE * b_columns for row in b
    ):
        return _transposed_matmul_skipping_background(a, b)
    # Columns as tuples straight from zip: no list copies, the dot products read them as well.
    return _dot_rows(list(zip(*a)), list(zip(*b)))


def _transposed_matmul_skipping_background(a: Matrix, b: Matrix) -> Matrix:
    """A^T B when each row n of B is mostly one value c_n (its first value).

    Writing B = c 1^T + D, where D is zero wherever B equals its row's
    background:

        A^T B = (A^T c) 1^T + A^T D

    The first term is one vector, repeated in every column. The second visits
    only the non-zero entries of D: entry (n, j) adds D[n][j] * a[n] to
    column j. The result is built column by column, then transposed.
    """
    backgrounds = [row[0] for row in b]
    base = [dot(column, backgrounds) for column in zip(*a)]
    columns = [base] * len(b[0])  # shared until a column is first written: lists are replaced, never mutated
    for a_row, b_row, background in zip(a, b, backgrounds):
        for j in [j for j, value in enumerate(b_row) if value != background]:
            deviation = b_row[j] - background
            columns[j] = [total + deviation * value for total, value in zip(columns[j], a_row)]
    return [list(row) for row in zip(*columns)]


# --- element-wise ---------------------------------------------------------


def _check_same_shape(operation: str, a: Matrix, b: Matrix) -> None:
    if shape(a) != shape(b):
        raise ValueError(f"{operation}: {describe(a)} and {describe(b)}: shapes differ")


def add(a: Matrix, b: Matrix) -> Matrix:
    """Element-wise sum A + B of two matrices of the same shape."""
    _check_same_shape("add", a, b)
    return [list(map(operator.add, row_a, row_b)) for row_a, row_b in zip(a, b)]


def subtract(a: Matrix, b: Matrix) -> Matrix:
    """Element-wise difference A - B of two matrices of the same shape."""
    _check_same_shape("subtract", a, b)
    return [list(map(operator.sub, row_a, row_b)) for row_a, row_b in zip(a, b)]


def multiply(a: Matrix, b: Matrix) -> Matrix:
    """Element-wise (Hadamard) product A * B of two matrices of the same shape."""
    _check_same_shape("multiply", a, b)
    return [list(map(operator.mul, row_a, row_b)) for row_a, row_b in zip(a, b)]


def scale(matrix: Matrix, factor: float) -> Matrix:
    """Every element multiplied by a number: factor * A."""
    shape(matrix)
    return [[factor * value for value in row] for row in matrix]


def map_elements(function: Callable[[float], float], matrix: Matrix) -> Matrix:
    """Apply ``function`` to every element: result[i][j] = function(matrix[i][j])."""
    shape(matrix)
    return [list(map(function, row)) for row in matrix]


def add_row(matrix: Matrix, row: Vector) -> Matrix:
    """Add the same row to every row of a matrix (the bias of a dense layer): (n x m) + (m,)."""
    rows, columns = shape(matrix)
    if rows and len(row) != columns:
        raise ValueError(f"add_row: ({rows} x {columns}) + ({len(row)},): the row needs {columns} values")
    return [list(map(operator.add, matrix_row, row)) for matrix_row in matrix]


def rows_of(values: list) -> list:
    """A matrix as its list of rows, a vector as one row: lets one loop serve weights and biases."""
    return values if values and isinstance(values[0], list) else [values]


def rectify(matrix: Matrix, slope: float = 0.0) -> Matrix:
    """y = x if x > 0 else slope * x, element-wise: ReLU (slope 0) and LeakyReLU.

    The condition is written inline rather than as a function called per
    element: a call per value would double the cost of the map.
    """
    shape(matrix)
    # "<= 0" rather than "> 0": NaN fails both tests, and this way it passes through (as in
    # PyTorch) instead of becoming 0 and hiding a diverged network.
    if slope == 0.0:
        return [[0.0 if value <= 0.0 else value for value in row] for row in matrix]
    return [[slope * value if value <= 0.0 else value for value in row] for row in matrix]


def rectify_backward(grad: Matrix, inputs: Matrix, slope: float = 0.0) -> Matrix:
    """dL/dx = dL/dy if x > 0 else slope * dL/dy: the gradient through ``rectify``."""
    _check_same_shape("rectify_backward", grad, inputs)
    if slope == 0.0:
        return [[g if x > 0.0 else 0.0 for g, x in zip(grad_row, input_row)] for grad_row, input_row in zip(grad, inputs)]
    return [
        [g if x > 0.0 else slope * g for g, x in zip(grad_row, input_row)] for grad_row, input_row in zip(grad, inputs)
    ]


def column_sums(matrix: Matrix) -> Vector:
    """Sum of each column: result[j] = sum_i matrix[i][j]; (n x m) -> (m,).

    The dense layer's bias gradient: the sum of dZ over the samples.
    """
    rows, columns = shape(matrix)
    if rows == 0:
        return []
    return [sum(column) for column in zip(*matrix)]


def argmax_rows(matrix: Matrix) -> list[int]:
    """Index of the largest value in each row (the first one on a tie)."""
    rows, columns = shape(matrix)
    if rows and columns == 0:
        raise ValueError(f"argmax_rows: ({rows} x 0): rows have no values to choose from")
    return [max(range(len(row)), key=row.__getitem__) for row in matrix]


# --- plain reference versions, for the tests ------------------------------


def reference_dot(a: Sequence[float], b: Sequence[float]) -> float:
    """The textbook loop: total = a[0] b[0] + a[1] b[1] + ..."""
    total = 0.0
    for k in range(len(a)):
        total += a[k] * b[k]
    return total


def reference_matmul(a: Matrix, b: Matrix) -> Matrix:
    """The textbook triple loop for A @ B, with no checks; the tests compare ``matmul`` with it."""
    rows, inner = len(a), len(b)
    columns = len(b[0]) if b else 0
    result = [[0.0] * columns for _ in range(rows)]
    for i in range(rows):
        for j in range(columns):
            total = 0.0
            for k in range(inner):
                total += a[i][k] * b[k][j]
            result[i][j] = total
    return result


def reference_transpose(matrix: Matrix) -> Matrix:
    """The textbook double loop for the transpose."""
    rows = len(matrix)
    columns = len(matrix[0]) if matrix else 0
    return [[matrix[i][j] for i in range(rows)] for j in range(columns)]
