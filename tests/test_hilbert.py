"""Tests for purenet.hilbert: the curve, flatten/unflatten, downsample."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from purenet.squares import hilbert


def average_pool(image: list[list[float]], factor: int) -> list[list[float]]:
    """Shrink a square image by averaging factor x factor blocks, written plainly."""
    side = len(image) // factor
    pooled = []
    for block_row in range(side):
        row = []
        for block_column in range(side):
            total = 0.0
            for y in range(block_row * factor, (block_row + 1) * factor):
                for x in range(block_column * factor, (block_column + 1) * factor):
                    total += image[y][x]
            row.append(total / (factor * factor))
        pooled.append(row)
    return pooled


@pytest.mark.parametrize("order", range(7))
def test_curve_is_a_bijection_between_indices_and_cells(order):
    side = 2**order
    cells = [hilbert.index_to_xy(index, order) for index in range(side * side)]
    assert sorted(cells) == [(x, y) for x in range(side) for y in range(side)]
    for index, (x, y) in enumerate(cells):
        assert hilbert.xy_to_index(x, y, order) == index


@pytest.mark.parametrize("order", range(1, 7))
def test_consecutive_cells_are_neighbours(order):
    previous = hilbert.index_to_xy(0, order)
    for index in range(1, 4**order):
        current = hilbert.index_to_xy(index, order)
        assert abs(current[0] - previous[0]) + abs(current[1] - previous[1]) == 1
        previous = current


@pytest.mark.parametrize("order", range(7))
def test_curve_starts_top_left_and_ends_top_right(order):
    side = 2**order
    assert hilbert.index_to_xy(0, order) == (0, 0)
    assert hilbert.index_to_xy(4**order - 1, order) == (side - 1, 0)


def test_order_two_curve_matches_the_drawing_by_hand():
    # The order-2 curve drawn by hand, grid[y][x] = step at which the cell
    # is visited.  Each quadrant holds four consecutive steps (0-3, 4-7,
    # 8-11, 12-15) in the quadrant order top-left, bottom-left,
    # bottom-right, top-right of the order-1 curve (a U open at the top).
    # The bottom quadrants repeat the order-1 U; the top-left one is
    # mirrored across its main diagonal (it ends at (0, 1) to step down
    # into the bottom-left quadrant) and the top-right one across its
    # other diagonal (it starts at (3, 1), next to step 11 at (3, 2), and
    # ends at (3, 0)).
    expected = [
        [0, 1, 14, 15],
        [3, 2, 13, 12],
        [4, 7, 8, 11],
        [5, 6, 9, 10],
    ]
    for y in range(4):
        for x in range(4):
            assert hilbert.xy_to_index(x, y, 2) == expected[y][x]
            assert hilbert.index_to_xy(expected[y][x], 2) == (x, y)
    assert hilbert.unflatten(list(range(16))) == expected
    letters = [[f"{chr(ord('a') + y)}{x}" for x in range(4)] for y in range(4)]
    assert hilbert.flatten(letters)[:5] == ["a0", "a1", "b1", "b0", "c0"]


def test_order_zero_is_one_cell():
    assert hilbert.index_to_xy(0, 0) == (0, 0)
    assert hilbert.xy_to_index(0, 0, 0) == 0
    assert hilbert.flatten([[7]]) == [7]
    assert hilbert.unflatten([7]) == [[7]]


# Integers, not floats: flatten and unflatten only move values around, so
# the round trip must give back exactly the same values.
square_grids = st.integers(min_value=0, max_value=4).flatmap(
    lambda order: st.lists(
        st.lists(
            st.integers(),
            min_size=2**order,
            max_size=2**order,
        ),
        min_size=2**order,
        max_size=2**order,
    )
)


@given(square_grids)
def test_unflatten_undoes_flatten(grid):
    assert hilbert.unflatten(hilbert.flatten(grid)) == grid


@given(
    st.integers(min_value=0, max_value=4).flatmap(
        lambda order: st.lists(st.integers(), min_size=4**order, max_size=4**order)
    )
)
def test_flatten_undoes_unflatten(values):
    assert hilbert.flatten(hilbert.unflatten(values)) == values


def test_flatten_reads_cells_in_curve_order():
    rng = random.Random(3)
    grid = [[rng.random() for _ in range(8)] for _ in range(8)]
    flat = hilbert.flatten(grid)
    for index, value in enumerate(flat):
        x, y = hilbert.index_to_xy(index, 3)
        assert value == pytest.approx(grid[y][x])


@pytest.mark.parametrize(
    ("side", "factor"),
    [
        (4, 1),
        (4, 2),
        (4, 4),
        (8, 2),
        (16, 2),
        (16, 4),
        (32, 2),
        (32, 8),
        (64, 2),
        (64, 16),
        (64, 64),
    ],
)
def test_downsample_is_average_pooling(side, factor):
    rng = random.Random(side * 100 + factor)
    image = [[rng.uniform(-1.0, 1.0) for _ in range(side)] for _ in range(side)]
    pooled = hilbert.downsample(hilbert.flatten(image), factor)
    assert pooled == pytest.approx(hilbert.flatten(average_pool(image, factor)))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: hilbert.index_to_xy(16, 2),
            ValueError,
            r"index must be in 0\.\.15 for order 2, got 16",
        ),
        (
            lambda: hilbert.index_to_xy(-1, 2),
            ValueError,
            r"index must be in 0\.\.15 for order 2, got -1",
        ),
        (
            lambda: hilbert.index_to_xy(0, -1),
            ValueError,
            r"order must be 0 or more.*got -1",
        ),
        (
            lambda: hilbert.index_to_xy(1.0, 2),
            TypeError,
            r"index must be an int, got float",
        ),
        (
            lambda: hilbert.index_to_xy(True, 2),
            TypeError,
            r"index must be an int, got bool",
        ),
        (
            lambda: hilbert.index_to_xy(0, 2.0),
            TypeError,
            r"order must be an int, got float",
        ),
        (
            lambda: hilbert.xy_to_index(4, 0, 2),
            ValueError,
            r"x and y must be in 0\.\.3 for order 2, got x=4, y=0",
        ),
        (
            lambda: hilbert.xy_to_index(0, -1, 2),
            ValueError,
            r"x and y must be in 0\.\.3 for order 2, got x=0, y=-1",
        ),
        (
            lambda: hilbert.xy_to_index(0, "1", 2),
            TypeError,
            r"y must be an int, got str",
        ),
        (
            lambda: hilbert.flatten([]),
            ValueError,
            r"flatten: grid must have at least one row, got an empty grid",
        ),
        (
            lambda: hilbert.flatten([[1.0] * 5] * 3),
            ValueError,
            r"flatten: grid must be square with a power-of-two side, got 3 rows x 5 columns",
        ),
        (
            lambda: hilbert.flatten([[1.0] * 3] * 3),
            ValueError,
            r"square with a power-of-two side, got 3 rows x 3 columns",
        ),
        (
            lambda: hilbert.flatten([[1.0, 2.0], [3.0]]),
            ValueError,
            r"rows must all have the same length, row 0 has 2 values but row 1 has 1",
        ),
        (
            lambda: hilbert.flatten("abcd"),
            TypeError,
            r"grid must be a list of rows, got str",
        ),
        (
            lambda: hilbert.flatten([1.0, 2.0]),
            TypeError,
            r"grid row 0 must be a list of values, got float",
        ),
        (
            lambda: hilbert.unflatten([1.0] * 8),
            ValueError,
            r"unflatten: values must have 4\*\*n values .* got 8",
        ),
        (
            lambda: hilbert.unflatten([]),
            ValueError,
            r"unflatten: values must have 4\*\*n values .* got 0",
        ),
        (
            lambda: hilbert.unflatten(3.0),
            TypeError,
            r"unflatten: values must be a list, got float",
        ),
        (
            lambda: hilbert.downsample([1.0] * 16, 3),
            ValueError,
            r"downsample: factor must be a power of two .* got 3",
        ),
        (
            lambda: hilbert.downsample([1.0] * 16, 0),
            ValueError,
            r"downsample: factor must be a power of two .* got 0",
        ),
        (
            lambda: hilbert.downsample([1.0] * 16, 8),
            ValueError,
            r"downsample: factor must be at most the image side 4 \(16 values\), got 8",
        ),
        (
            lambda: hilbert.downsample([1.0] * 32, 2),
            ValueError,
            r"downsample: values must have 4\*\*n values .* got 32",
        ),
        (
            lambda: hilbert.downsample([1.0] * 16, 2.0),
            TypeError,
            r"downsample: factor must be an int, got float",
        ),
        (
            lambda: hilbert.downsample(None, 2),
            TypeError,
            r"downsample: values must be a list, got NoneType",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, error, message):
    with pytest.raises(error, match=message):
        call()
