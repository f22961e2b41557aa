"""The products under every dense layer: each first as the textbook loop, then in its fast form.

A dense layer computes three products (docs/dense.md, docs/backpropagation.md):

    forward         Z = X W^T            matmul_right_transposed(X, W)
    weight gradient dL/dW = G^T X        matmul_left_transposed(G, X)
    input gradient  dL/dX = G W          matmul(G, W)

Each is written twice. The ``reference_`` version is the loop of the
definition, one multiply-add at a time; it is slow (a Python bytecode loop
per multiply-add) but nothing stands between the formula and the code. The
fast version gives the same numbers (up to float rounding, which the tests
bound) and is what the layers call. The tests check that both agree.

Two things make the fast forms fast:

1. Every entry of a product is a dot product of two rows, and the dot
   product runs in C: ``math.sumprod`` where Python has it (3.12 and later,
   with extended-precision accumulation), otherwise ``sum(map(operator.mul,
   a, b))`` (no Python bytecode per element).
2. The *background shortcut*. Many inputs are mostly one repeated value: the
   blank background of a drawing, the zeros of a one-hot or sparse feature
   vector, a saturated sensor. Writing each value of such a row as
   c + (x_k - c), where c is the repeated value, the part c * sum(w) is one
   number per output, and only the few x_k that differ from c need a
   multiply-add. A row takes the shortcut when at least ``BACKGROUND_SHARE``
   of its values equal its first value (the first value stands for the
   repeated one because it is free to find; a row that starts with a rare
   value simply takes the ordinary path, with the same result).
"""

from __future__ import annotations

import math
import operator
from typing import Sequence

from .shapes import Matrix, shape, zeros

# A row takes the background shortcut when at least this share of its values
# equal its first value, and it is at least this wide (narrow rows gain nothing).
BACKGROUND_SHARE = 0.75
BACKGROUND_MINIMUM_WIDTH = 64


# --- the textbook loops -------------------------------------------------------


def reference_dot(a: Sequence[float], b: Sequence[float]) -> float:
    """The textbook loop: total = a[0] b[0] + a[1] b[1] + ..."""
    total = 0.0
    for k in range(len(a)):
        total += a[k] * b[k]
    return total


def reference_transpose(matrix: Matrix) -> Matrix:
    """The textbook double loop for the transpose: result[j][i] = matrix[i][j]."""
    rows = len(matrix)
    columns = len(matrix[0]) if matrix else 0
    return [[matrix[i][j] for i in range(rows)] for j in range(columns)]


def reference_matmul(a: Matrix, b: Matrix) -> Matrix:
    """The textbook triple loop for A B: result[i][j] = sum_k a[i][k] * b[k][j]; no checks."""
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


def reference_matmul_right_transposed(a: Matrix, b: Matrix) -> Matrix:
    """The textbook triple loop for A B^T: result[i][j] = sum_k a[i][k] * b[j][k]; no checks."""
    result = [[0.0] * len(b) for _ in range(len(a))]
    for i in range(len(a)):
        for j in range(len(b)):
            total = 0.0
            for k in range(len(a[i])):
                total += a[i][k] * b[j][k]
            result[i][j] = total
    return result


def reference_matmul_left_transposed(a: Matrix, b: Matrix) -> Matrix:
    """The textbook triple loop for A^T B: result[i][j] = sum_n a[n][i] * b[n][j]; no checks."""
    columns_of_a = len(a[0]) if a else 0
    columns_of_b = len(b[0]) if b else 0
    result = [[0.0] * columns_of_b for _ in range(columns_of_a)]
    for i in range(columns_of_a):
        for j in range(columns_of_b):
            total = 0.0
            for n in range(len(a)):
                total += a[n][i] * b[n][j]
            result[i][j] = total
    return result


# --- the fast forms -------------------------------------------------------------

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


def transpose(matrix: Matrix) -> Matrix:
    """Transpose: result[j][i] = matrix[i][j]; (n x m) -> (m x n). ``zip(*rows)`` yields the columns."""
    rows, columns = shape(matrix)
    if rows == 0:
        return []
    return [list(column) for column in zip(*matrix)]


def matmul(a: Matrix, b: Matrix) -> Matrix:
    """Matrix product A B: result[i][j] = sum_k a[i][k] * b[k][j]; (n x k) and (k x m) -> (n x m).

    B is transposed once, so that every entry is a dot product of a row of A
    with a row of B^T. The dense layer's input gradient G W.
    """
    (a_rows, a_columns), (b_rows, b_columns) = shape(a), shape(b)
    if a_columns != b_rows:
        raise ValueError(
            f"matmul: ({a_rows} x {a_columns}) @ ({b_rows} x {b_columns}): inner sizes differ"
        )
    if b_columns == 0:
        return [[] for _ in a]
    return _dot_rows(a, transpose(b))


def matmul_right_transposed(a: Matrix, b: Matrix) -> Matrix:
    """A B^T: result[i][j] = sum_k a[i][k] * b[j][k]; (n x k) and (m x k) -> (n x m).

    Every entry is the dot product of a row of A with a row of B, so no
    transpose is needed. This is the dense layer's forward product X W^T,
    with W stored as (outputs x inputs) like PyTorch. Rows of A that are
    mostly one repeated value take the background shortcut
    (``_dot_row_skipping_background``). Plain loop:
    ``reference_matmul_right_transposed``.
    """
    (a_rows, a_columns), (b_rows, b_columns) = shape(a), shape(b)
    if a_rows and b_rows and a_columns != b_columns:
        raise ValueError(
            f"matmul_right_transposed: ({a_rows} x {a_columns}) @ ({b_rows} x {b_columns})^T: "
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


def matmul_left_transposed(a: Matrix, b: Matrix) -> Matrix:
    """A^T B: result[i][j] = sum_n a[n][i] * b[n][j]; (n x k) and (n x m) -> (k x m).

    The dense layer's weight gradient G^T X: both operands are batches with
    one row per sample, and the sum runs over the samples. When B as a whole
    is mostly one repeated value per row (at least ``BACKGROUND_SHARE`` of its
    entries equal their row's first value), the product takes the background
    shortcut of ``_matmul_left_transposed_skipping_background``, which is exact
    for any rows and visits every entry that differs. Plain loop:
    ``reference_matmul_left_transposed``.
    """
    (a_rows, a_columns), (b_rows, b_columns) = shape(a), shape(b)
    if a_rows != b_rows:
        raise ValueError(
            f"matmul_left_transposed: ({a_rows} x {a_columns})^T @ ({b_rows} x {b_columns}): "
            f"both need the same number of rows, got {a_rows} and {b_rows}"
        )
    if a_rows == 0:
        return zeros(a_columns, b_columns)
    # The batch as a whole decides: one drawing with more ink than the share (a scribble) costs
    # its own extra multiply-adds, not the shortcut of the whole batch.
    if b_columns >= BACKGROUND_MINIMUM_WIDTH and (
        sum(row.count(row[0]) for row in b) >= BACKGROUND_SHARE * b_rows * b_columns
    ):
        return _matmul_left_transposed_skipping_background(a, b)
    # Columns as tuples straight from zip: no list copies, the dot products read them as well.
    return _dot_rows(list(zip(*a)), list(zip(*b)))


def _matmul_left_transposed_skipping_background(a: Matrix, b: Matrix) -> Matrix:
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


# The names these products had before, kept because code and docs use them; the new
# names say which operand is transposed.
matmul_transposed = matmul_right_transposed
transposed_matmul = matmul_left_transposed
