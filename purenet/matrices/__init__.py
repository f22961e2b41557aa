"""Matrix operations written by hand: the arithmetic under every layer, and its hot loops.

Read in this order:

- ``shapes.py``: what a matrix is (a list of rows), ``shape`` and the checks
  that turn a wrong shape into a clear error, ``as_matrix`` for user data;
- ``elementwise.py``: operations that visit each value once (``add``,
  ``subtract``, ``add_row``, ``rectify``, ``column_sums``, ...);
- ``products.py``: the products of the dense layer, each first as the
  textbook loop (``reference_matmul`` and friends), then in the fast form
  the layers call; the dense layer's hot loops live there;
- ``tensors.py``, ``convolution.py`` and ``pooling.py``: batches deeper than a matrix
  (signals, images) and the loops of convolution and pooling, imported as
  ``matrices.tensors``, ``matrices.convolution`` and ``matrices.pooling``.

Every operation checks the shapes it is given and raises a ``ValueError``
that names both shapes, for example::

    matmul: (50 x 1024) @ (1000 x 32): inner sizes differ

Everything is importable from here: ``matrices.matmul``, ``matrices.shape``.
Derivations of where these products appear in a network: docs/dense.md and
docs/backpropagation.md.
"""

from __future__ import annotations

from ..validation import is_finite
from .elementwise import add, add_row, argmax_rows, column_sums, map_elements, rectify, rectify_backward, subtract
from .products import (
    BACKGROUND_MINIMUM_WIDTH,
    BACKGROUND_SHARE,
    dot,
    matmul,
    matmul_left_transposed,
    matmul_right_transposed,
    matmul_transposed,
    reference_dot,
    reference_matmul,
    reference_matmul_left_transposed,
    reference_matmul_right_transposed,
    reference_transpose,
    transpose,
    transposed_matmul,
)
from .shapes import Matrix, Vector, as_matrix, check_same_shape, describe, rows_of, shape, zeros

# Operations removed because nothing but their own tests used them, with what to write instead.
REMOVED = {
    "multiply": "the element-wise product A * B is one comprehension: "
    "[[x * y for x, y in zip(row_a, row_b)] for row_a, row_b in zip(a, b)]",
    "scale": "factor * A is matrices.map_elements(lambda value: factor * value, a)",
}


def __getattr__(name: str) -> object:
    """Explain a removed name instead of the bare AttributeError (PEP 562)."""
    if name in REMOVED:
        raise AttributeError(f"purenet.matrices.{name} was removed (only tests used it); {REMOVED[name]}")
    raise AttributeError(f"module 'purenet.matrices' has no attribute {name!r}")


__all__ = [
    "BACKGROUND_MINIMUM_WIDTH",
    "BACKGROUND_SHARE",
    "Matrix",
    "Vector",
    "add",
    "add_row",
    "argmax_rows",
    "as_matrix",
    "check_same_shape",
    "column_sums",
    "describe",
    "dot",
    "is_finite",
    "map_elements",
    "matmul",
    "matmul_left_transposed",
    "matmul_right_transposed",
    "matmul_transposed",
    "rectify",
    "rectify_backward",
    "reference_dot",
    "reference_matmul",
    "reference_matmul_left_transposed",
    "reference_matmul_right_transposed",
    "reference_transpose",
    "rows_of",
    "shape",
    "subtract",
    "transpose",
    "transposed_matmul",
    "zeros",
]
