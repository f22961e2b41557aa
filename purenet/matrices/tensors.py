"""Tensors as nested lists: the shape of a batch of signals or images, and the reshapes between them.

A *tensor* here is a list of lists nested to a fixed depth, rectangular at
every level, as PyTorch lays it out: a batch of 1-D signals is
batch x channels x length (``x[n][c][t]``), a batch of images is
batch x channels x height x width (``x[n][c][i][j]``). A matrix is the
tensor of depth 2. Flattening reads the values in that order (the last
index fastest), which is PyTorch's order for ``flatten`` and ``view``.
"""

from __future__ import annotations

from itertools import chain

from ..validation import ArgumentTypeError, is_number

Tensor = list


def tensor_shape(tensor: object, name: str, dimensions: int) -> tuple[int, ...]:
    """The shape of a tensor of exactly ``dimensions`` levels, every level checked to be rectangular.

    Raises a ``TypeError`` (a list was expected, or a number where a list
    belongs) or a ``ValueError`` (ragged lengths) naming ``name`` and the
    index where the tensor went wrong; the numbers themselves are not
    inspected (layers receive what a previous layer computed).
    """
    if not isinstance(tensor, list):
        raise ArgumentTypeError(
            f"{name} must be a {dimensions}-dimensional tensor (nested lists), got {type(tensor).__name__}"
        )
    sizes: list[int] = []
    level = [tensor]
    for level_number in range(dimensions):
        size = len(level[0]) if isinstance(level[0], list) else 0
        for position, entry in enumerate(level):
            if not isinstance(entry, list):
                raise ArgumentTypeError(
                    f"{name} must be a {dimensions}-dimensional tensor (nested lists): at depth {level_number} entry "
                    f"{position} is a {type(entry).__name__}, not a list"
                )
            if len(entry) != size:
                raise ValueError(
                    f"{name} must be a rectangular {dimensions}-dimensional tensor: at depth {level_number} entry "
                    f"{position} has {len(entry)} values, the first has {size}"
                )
        sizes.append(size)
        if level_number + 1 < dimensions:
            level = list(chain.from_iterable(level))
            if not level:
                return tuple(sizes) + (0,) * (dimensions - level_number - 1)
    if level and level[0] and not is_number(level[0][0]):
        raise ArgumentTypeError(
            f"{name} must be a {dimensions}-dimensional tensor of numbers, but it is nested deeper "
            f"(found a {type(level[0][0]).__name__} at depth {dimensions})"
        )
    return tuple(sizes)


def describe_shape(shape: tuple[int, ...]) -> str:
    """A shape as text for messages: ``(2 x 3 x 32)``."""
    return "(" + " x ".join(str(size) for size in shape) + ")"


def depth(tensor: object) -> int:
    """How many levels of lists a tensor has, read along its first entries (0 for a number)."""
    levels = 0
    while isinstance(tensor, list):
        levels += 1
        if not tensor:
            break
        tensor = tensor[0]
    return levels


def flatten(tensor: Tensor) -> list[float]:
    """Every number of a tensor in order, the last index fastest (PyTorch's order)."""
    values = tensor
    while values and isinstance(values[0], list):
        values = list(chain.from_iterable(values))
    return list(values)


def reshape(values: list[float], shape: tuple[int, ...]) -> Tensor:
    """A flat list cut into nested lists of ``shape`` (the last index fastest), the inverse of ``flatten``."""
    nested: list = list(values)
    for size in reversed(shape[1:]):
        nested = [nested[start : start + size] for start in range(0, len(nested), size)]
    return nested


def zeros(shape: tuple[int, ...]) -> Tensor:
    """A tensor of 0.0 of the given shape, every innermost list its own."""
    if len(shape) == 1:
        return [0.0] * shape[0]
    return [zeros(shape[1:]) for _ in range(shape[0])]


def add(a: Tensor, b: Tensor) -> Tensor:
    """Element-wise sum of two tensors of the same shape (the caller has checked it)."""
    if a and isinstance(a[0], list):
        return [add(part_a, part_b) for part_a, part_b in zip(a, b)]
    return [value_a + value_b for value_a, value_b in zip(a, b)]


def innermost_rows(tensor: Tensor) -> list[list[float]]:
    """The innermost lists of a tensor, the very objects (a vector is its one row): changing one changes the tensor."""
    rows = [tensor]
    while rows and rows[0] and isinstance(rows[0][0], list):
        rows = list(chain.from_iterable(rows))
    return rows


def samples_as_rows(tensor: Tensor) -> list[list[float]]:
    """A batch tensor (batch x ...) as a matrix (batch x features): each sample flattened."""
    return [flatten(sample) for sample in tensor]


def rows_as_samples(matrix: list[list[float]], sample_shape: tuple[int, ...]) -> Tensor:
    """The inverse of ``samples_as_rows``: each row cut into a sample of ``sample_shape``."""
    return [reshape(row, sample_shape) for row in matrix]


def batch_as_rows(batch: list, name: str) -> tuple[list[list[float]], tuple[int, ...] | None]:
    """A batch as rows (batch x values), and the sample shape to give it back in (None for a matrix).

    For layers that act on every value alike, whatever the shape of a sample:
    a matrix (batch x features) is its own rows; a deeper tensor, such as a
    convolution's batch x channels x height x width, is checked rectangular
    (errors name ``name``) and each sample flattened into one row.
    """
    if isinstance(batch, list) and batch and isinstance(batch[0], list) and batch[0] and isinstance(batch[0][0], list):
        shape = tensor_shape(batch, name, depth(batch))
        return samples_as_rows(batch), shape[1:]
    return batch, None


def rows_in_sample_shape(rows: list[list[float]], sample_shape: tuple[int, ...] | None) -> list:
    """The inverse of ``batch_as_rows``: rows given back as samples of ``sample_shape`` (as they are for None)."""
    return rows if sample_shape is None else rows_as_samples(rows, sample_shape)
