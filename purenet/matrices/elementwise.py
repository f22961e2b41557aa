"""Operations that visit every value once: sums, differences, ReLU, column sums, argmax.

Each is a single pass written as a comprehension over rows; where the loop
runs inside ``map`` (``map(operator.add, row_a, row_b)``) no Python bytecode
runs per value. Every operation checks the shapes it is given.
"""

from __future__ import annotations

import operator
from typing import Callable

from .shapes import Matrix, Vector, check_same_shape, shape


def add(a: Matrix, b: Matrix) -> Matrix:
    """Element-wise sum A + B of two matrices of the same shape (gradients accumulate with it)."""
    check_same_shape("add", a, b)
    return [list(map(operator.add, row_a, row_b)) for row_a, row_b in zip(a, b)]


def subtract(a: Matrix, b: Matrix) -> Matrix:
    """Element-wise difference A - B of two matrices of the same shape."""
    check_same_shape("subtract", a, b)
    return [list(map(operator.sub, row_a, row_b)) for row_a, row_b in zip(a, b)]


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
    check_same_shape("rectify_backward", grad, inputs)
    if slope == 0.0:
        return [
            [g if x > 0.0 else 0.0 for g, x in zip(grad_row, input_row)] for grad_row, input_row in zip(grad, inputs)
        ]
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
