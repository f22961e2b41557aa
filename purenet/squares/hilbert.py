"""The Hilbert curve: a path through a square grid that keeps neighbours close.

A Hilbert curve of order ``n`` visits every cell of a square of side
``2**n`` exactly once, moving one cell up, down, left or right at each
step.  Reading an image along it turns the image into a list in which
pixels that are close in the list are also close in the image.  Better
still, the curve visits each 2 x 2 block of pixels in four consecutive
steps, and the blocks themselves in the order of the order ``n - 1``
curve.  So averaging every run of four values of the list gives the
list of the image shrunk by half: a 64 x 64 picture can be read by a
network trained on 32 x 32 pictures.

Coordinates: ``x`` is the column, ``y`` is the row (``grid[y][x]``).
Index 0 is at ``(0, 0)``; the last index is at ``(side - 1, 0)``.

The algorithm is the classic iterative one (Wikipedia, "Hilbert curve",
functions ``d2xy`` and ``xy2d``).  Explained in docs/hilbert.md.
"""

import functools

__all__ = ["index_to_xy", "xy_to_index", "flatten", "unflatten", "downsample", "upsample"]


def index_to_xy(index: int, order: int) -> tuple[int, int]:
    """Return the cell ``(x, y)`` visited at step ``index`` of the curve.

    The curve of order ``order`` covers a square of side ``2**order``;
    ``index`` runs from 0 to ``4**order - 1``.

    Algorithm (Wikipedia's ``d2xy``): read ``index`` two bits at a time,
    lowest first.  At scale ``s`` (1, 2, 4, ...) those two bits say which
    quadrant of the square of side ``2 * s`` the cell lies in
    (0: top-left, 1: bottom-left, 2: bottom-right, 3: top-right); the
    position found so far inside the quadrant is rotated to the
    quadrant's orientation, then shifted into it.  See docs/hilbert.md.
    """
    _check_order(order, "index_to_xy")
    _check_integer(index, "index", "index_to_xy")
    cell_count = 4**order
    if not 0 <= index < cell_count:
        raise ValueError(
            f"index_to_xy: index must be in 0..{cell_count - 1} for order "
            f"{order}, got {index}"
        )
    x = 0
    y = 0
    remaining = index
    scale = 1
    side = 2**order
    while scale < side:
        right = 1 & (remaining // 2)
        down = 1 & (remaining ^ right)
        x, y = _rotate(scale, x, y, right, down)
        x += scale * right
        y += scale * down
        remaining //= 4
        scale *= 2
    return x, y


def xy_to_index(x: int, y: int, order: int) -> int:
    """Return the step at which the curve of order ``order`` visits ``(x, y)``.

    ``x`` and ``y`` must be in ``0 .. 2**order - 1``.  This is the inverse
    of :func:`index_to_xy`.

    Algorithm (Wikipedia's ``xy2d``): from the largest scale ``s`` down
    to 1, the bits of ``x`` and ``y`` at ``s`` name the quadrant, which
    adds ``s * s * quadrant_number`` steps (every earlier quadrant is
    fully visited first); then the cell is rotated into the orientation
    of that quadrant before looking at the next, smaller scale.
    See docs/hilbert.md.
    """
    _check_order(order, "xy_to_index")
    _check_integer(x, "x", "xy_to_index")
    _check_integer(y, "y", "xy_to_index")
    side = 2**order
    if not (0 <= x < side and 0 <= y < side):
        raise ValueError(
            f"xy_to_index: x and y must be in 0..{side - 1} for order {order}, "
            f"got x={x}, y={y}"
        )
    index = 0
    scale = side // 2
    while scale > 0:
        right = 1 if x & scale else 0
        down = 1 if y & scale else 0
        index += scale * scale * ((3 * right) ^ down)
        # Rotating within the whole square (not just the quadrant) keeps
        # x and y non-negative; the lower bits read next are the same.
        x, y = _rotate(side, x, y, right, down)
        scale //= 2
    return index


def flatten(grid: list[list[float]]) -> list[float]:
    """Return the values of a square grid in Hilbert-curve order.

    ``grid`` is a list of rows, ``grid[y][x]``, of side ``2**n`` (1, 2,
    4, 8, ...).  The result has ``side * side`` values; value ``i`` is
    ``grid[y][x]`` with ``(x, y) = index_to_xy(i, n)``.  The values
    themselves are passed through unchanged.  See docs/hilbert.md.
    """
    if not isinstance(grid, (list, tuple)):
        raise TypeError(
            f"flatten: grid must be a list of rows, got {type(grid).__name__}"
        )
    if len(grid) == 0:
        raise ValueError("flatten: grid must have at least one row, got an empty grid")
    side = len(grid)
    for row_number, row in enumerate(grid):
        if not isinstance(row, (list, tuple)):
            raise TypeError(
                f"flatten: grid row {row_number} must be a list of values, "
                f"got {type(row).__name__}"
            )
        if len(row) != len(grid[0]):
            raise ValueError(
                f"flatten: grid rows must all have the same length, row 0 has "
                f"{len(grid[0])} values but row {row_number} has {len(row)}"
            )
    if len(grid[0]) != side or not _is_power_of_two(side):
        raise ValueError(
            f"flatten: grid must be square with a power-of-two side, got "
            f"{side} rows x {len(grid[0])} columns"
        )
    order = side.bit_length() - 1
    return [grid[y][x] for x, y in _curve_cells(order)]


def unflatten(values: list[float]) -> list[list[float]]:
    """Return the square grid whose Hilbert-curve reading is ``values``.

    ``len(values)`` must be ``4**n``; the grid has side ``2**n`` and is a
    list of rows, ``grid[y][x]``.  Inverse of :func:`flatten`.
    See docs/hilbert.md.
    """
    if not isinstance(values, (list, tuple)):
        raise TypeError(
            f"unflatten: values must be a list, got {type(values).__name__}"
        )
    order = _order_of_length(len(values))
    if order is None:
        raise ValueError(
            f"unflatten: values must have 4**n values (1, 4, 16, 64, 256, "
            f"1024, ...), got {len(values)}"
        )
    return [[values[index] for index in row] for row in _indices_by_row(order)]


def downsample(values: list[float], factor: int) -> list[float]:
    """Shrink an image given in Hilbert order by ``factor`` on each side.

    ``values`` is a flattened image of side ``2**n`` (``4**n`` values);
    ``factor`` is a power of two no larger than the side.  The result is
    the mean of each run of ``factor * factor`` consecutive values, so it
    has ``len(values) // factor**2`` values.

    Why this is average pooling: the curve enters a ``factor x factor``
    block, visits all its cells, then leaves, and the blocks follow the
    smaller curve of side ``side // factor`` in the same orientation.
    So ``downsample(flatten(image), f) == flatten(average_pool(image, f))``.
    See docs/hilbert.md.
    """
    if not isinstance(values, (list, tuple)):
        raise TypeError(
            f"downsample: values must be a list, got {type(values).__name__}"
        )
    _check_integer(factor, "factor", "downsample")
    order = _order_of_length(len(values))
    if order is None:
        raise ValueError(
            f"downsample: values must have 4**n values (1, 4, 16, 64, 256, "
            f"1024, ...), got {len(values)}"
        )
    if not _is_power_of_two(factor):
        raise ValueError(
            f"downsample: factor must be a power of two (1, 2, 4, ...), got {factor}"
        )
    side = 2**order
    if factor > side:
        raise ValueError(
            f"downsample: factor must be at most the image side {side} "
            f"({len(values)} values), got {factor}"
        )
    run = factor * factor
    return [
        sum(values[start : start + run]) / run for start in range(0, len(values), run)
    ]


def upsample(values: list[float], factor: int) -> list[float]:
    """Enlarge an image given in Hilbert order by ``factor`` on each side.

    ``values`` is a flattened image (``4**n`` values); ``factor`` is a
    power of two.  Each value is repeated ``factor * factor`` times, so
    the result has ``len(values) * factor**2`` values.

    Why this is nearest-neighbour enlargement: the larger curve visits
    each ``factor x factor`` block in ``factor**2`` consecutive steps,
    block after block along the smaller curve (see :func:`downsample`),
    so repeating a value that many times paints its pixel's whole block.
    ``downsample(upsample(values, f), f) == values``.  See docs/hilbert.md.
    """
    if not isinstance(values, (list, tuple)):
        raise TypeError(
            f"upsample: values must be a list, got {type(values).__name__}"
        )
    _check_integer(factor, "factor", "upsample")
    if _order_of_length(len(values)) is None:
        raise ValueError(
            f"upsample: values must have 4**n values (1, 4, 16, 64, 256, "
            f"1024, ...), got {len(values)}"
        )
    if not _is_power_of_two(factor):
        raise ValueError(
            f"upsample: factor must be a power of two (1, 2, 4, ...), got {factor}"
        )
    run = factor * factor
    return [value for value in values for _ in range(run)]


@functools.lru_cache(maxsize=16)
def _curve_cells(order: int) -> tuple[tuple[int, int], ...]:
    """Return the cells ``(x, y)`` in visiting order; cached per order.

    Computed once per order so that :func:`flatten` is a plain lookup.
    The result is a tuple so that nobody can change the cached table.
    """
    return tuple(index_to_xy(index, order) for index in range(4**order))


@functools.lru_cache(maxsize=16)
def _indices_by_row(order: int) -> tuple[tuple[int, ...], ...]:
    """Return, for each row ``y`` and column ``x``, the curve index of ``(x, y)``.

    The inverse table of :func:`_curve_cells`, used by :func:`unflatten`.
    """
    side = 2**order
    table = [[0] * side for _ in range(side)]
    for index, (x, y) in enumerate(_curve_cells(order)):
        table[y][x] = index
    return tuple(tuple(row) for row in table)


def _rotate(side: int, x: int, y: int, right: int, down: int) -> tuple[int, int]:
    """Turn a position into the orientation of its quadrant.

    Only the two top quadrants (``down == 0``) are turned: the top-left
    one is mirrored across its main diagonal (x and y swapped), the
    top-right one across its other diagonal, so that the sub-curve starts
    and ends next to its neighbouring quadrants.
    """
    if down == 0:
        if right == 1:
            x = side - 1 - x
            y = side - 1 - y
        x, y = y, x
    return x, y


def _order_of_length(length: int) -> int | None:
    """Return ``n`` such that ``length == 4**n``, or None if there is none."""
    if not _is_power_of_two(length):
        return None
    exponent = length.bit_length() - 1
    if exponent % 2 == 1:
        return None
    return exponent // 2


def _is_power_of_two(number: int) -> bool:
    """Return True for 1, 2, 4, 8, ...; a power of two has a single 1 bit."""
    return number > 0 and number & (number - 1) == 0


def _check_order(order: object, function_name: str) -> None:
    """Raise unless ``order`` is a non-negative integer."""
    _check_integer(order, "order", function_name)
    if order < 0:
        raise ValueError(
            f"{function_name}: order must be 0 or more (side 2**order), got {order}"
        )


def _check_integer(value: object, name: str, function_name: str) -> None:
    """Raise TypeError unless ``value`` is an int (bool is refused)."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"{function_name}: {name} must be an int, got "
            f"{type(value).__name__} ({value!r})"
        )
