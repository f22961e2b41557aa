"""Tests for purenet.matrices: every fast operation against a plain loop, and the shape errors."""

import math
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from purenet import matrices
from purenet.matrices import products

SETTINGS = settings(max_examples=60, deadline=None)

# Finite floats of moderate size: products stay far from overflow.
values = st.floats(min_value=-1e3, max_value=1e3, allow_nan=False, allow_infinity=False)
sizes = st.integers(min_value=0, max_value=4)


def matrix_of(rows, columns, elements=values):
    """A strategy for a (rows x columns) matrix; with no rows it is [] (shape (0, 0))."""
    return st.lists(
        st.lists(elements, min_size=columns, max_size=columns), min_size=rows, max_size=rows
    )


def assert_same_shape(actual, expected):
    assert isinstance(actual, list)
    assert len(actual) == len(expected)
    for actual_row, expected_row in zip(actual, expected):
        assert isinstance(actual_row, list)
        assert len(actual_row) == len(expected_row)


def assert_close(actual, expected, tolerances=None):
    """Same shape, and every entry within its tolerance (default 1e-12 relative, 1e-300 absolute)."""
    assert_same_shape(actual, expected)
    for i, (actual_row, expected_row) in enumerate(zip(actual, expected)):
        for j, (a, e) in enumerate(zip(actual_row, expected_row)):
            if tolerances is None:
                assert math.isclose(a, e, rel_tol=1e-12, abs_tol=1e-300), (i, j, a, e)
            else:
                assert abs(a - e) <= tolerances[i][j], (i, j, a, e, tolerances[i][j])


def columns_of(matrix):
    return len(matrix[0]) if matrix else 0


# --- plain loops written for these tests -----------------------------------


def loop_matmul(a, b):
    """(n x k) @ (k x m), the triple loop, with the bound sum_k |a[i][k] b[k][j]| of each entry's rounding."""
    n, k, m = len(a), len(b), columns_of(b)
    result = [[0.0] * m for _ in range(n)]
    bound = [[0.0] * m for _ in range(n)]
    for i in range(n):
        for j in range(m):
            for inner in range(k):
                result[i][j] += a[i][inner] * b[inner][j]
                bound[i][j] += abs(a[i][inner] * b[inner][j])
    # Both sums round at most k times: a relative 1e-12 of the sum of |products| covers it.
    tolerance = [[1e-12 * value + 1e-300 for value in row] for row in bound]
    return result, tolerance


def loop_transpose(matrix):
    return [[matrix[i][j] for i in range(len(matrix))] for j in range(columns_of(matrix))]


def loop_elementwise(a, b, operation):
    return [[operation(a[i][j], b[i][j]) for j in range(len(a[i]))] for i in range(len(a))]


# --- products ----------------------------------------------------------------


@st.composite
def matmul_operands(draw):
    n, k, m = draw(sizes), draw(sizes), draw(sizes)
    if n == 0:
        k = 0  # [] has shape (0 x 0): an empty a has no columns
    return draw(matrix_of(n, k)), draw(matrix_of(k, m))


@SETTINGS
@given(matmul_operands())
def test_matmul_agrees_with_the_triple_loops(operands):
    a, b = operands
    expected, tolerance = loop_matmul(a, b)
    result = matrices.matmul(a, b)
    assert_close(result, expected, tolerance)
    assert_close(matrices.reference_matmul(a, b), expected, tolerance)


@SETTINGS
@given(sizes.flatmap(lambda n: sizes.flatmap(lambda m: matrix_of(n, m))))
def test_transpose_agrees_with_the_double_loop(matrix):
    expected = loop_transpose(matrix)
    assert_close(matrices.transpose(matrix), expected)
    assert_close(matrices.reference_transpose(matrix), expected)


@SETTINGS
@given(sizes.flatmap(lambda n: sizes.flatmap(lambda m: matrix_of(n, m))))
def test_transpose_twice_gives_back_the_matrix_and_copies(matrix):
    twice = matrices.transpose(matrices.transpose(matrix))
    if matrix and not matrix[0]:
        # (n x 0) transposes to (0 x 0) = []: the row count cannot survive.
        assert twice == []
    else:
        assert_close(twice, matrix)


@st.composite
def matmul_transposed_operands(draw):
    n, k, m = draw(sizes), draw(sizes), draw(sizes)
    return draw(matrix_of(n, k)), draw(matrix_of(m, k))


@SETTINGS
@given(matmul_transposed_operands())
def test_matmul_right_transposed_and_its_plain_loop_are_a_times_b_transposed(operands):
    a, b = operands
    # result[i][j] = sum_k a[i][k] * b[j][k], written out: (n x k) and (m x k) give (n x m).
    expected = [[0.0] * len(b) for _ in a]
    tolerance = [[1e-300] * len(b) for _ in a]
    for i in range(len(a)):
        for j in range(len(b)):
            for inner in range(columns_of(a)):
                expected[i][j] += a[i][inner] * b[j][inner]
                tolerance[i][j] += 1e-12 * abs(a[i][inner] * b[j][inner])
    assert_close(matrices.matmul_right_transposed(a, b), expected, tolerance)
    assert_close(matrices.reference_matmul_right_transposed(a, b), expected, tolerance)


@st.composite
def transposed_matmul_operands(draw):
    n, k, m = draw(sizes), draw(sizes), draw(sizes)
    return draw(matrix_of(n, k)), draw(matrix_of(n, m))


@SETTINGS
@given(transposed_matmul_operands())
def test_matmul_left_transposed_and_its_plain_loop_are_a_transposed_times_b(operands):
    a, b = operands
    # result[i][j] = sum over samples s of a[s][i] * b[s][j], written out.
    k, m = columns_of(a), columns_of(b)
    expected = [[0.0] * m for _ in range(k)]
    tolerance = [[1e-300] * m for _ in range(k)]
    for i in range(k):
        for j in range(m):
            for s in range(len(a)):
                expected[i][j] += a[s][i] * b[s][j]
                tolerance[i][j] += 1e-12 * abs(a[s][i] * b[s][j])
    assert_close(matrices.matmul_left_transposed(a, b), expected, tolerance)
    if a:  # the plain loop reads the sizes from the rows, and [] has none: (0 x k)^T B is checked by the fast form
        assert_close(matrices.reference_matmul_left_transposed(a, b), expected, tolerance)


def test_products_by_hand():
    a = [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    b = [[1.0, 0.0], [0.0, 1.0], [2.0, -1.0]]
    # row 0: [1 + 0 + 6, 0 + 2 - 3] = [7, -1]; row 1: [4 + 0 + 12, 0 + 5 - 6] = [16, -1]
    assert_close(matrices.matmul(a, b), [[7.0, -1.0], [16.0, -1.0]])
    # a @ a^T: [[1+4+9, 4+10+18], [.., 16+25+36]]
    assert_close(matrices.matmul_right_transposed(a, a), [[14.0, 32.0], [32.0, 77.0]])
    # a^T @ a: 3 x 3, entry (0, 2) = 1*3 + 4*6 = 27
    gram = matrices.matmul_left_transposed(a, a)
    assert len(gram) == 3 and all(len(row) == 3 for row in gram)
    assert gram[0][2] == pytest.approx(27.0)
    assert gram[1][1] == pytest.approx(4.0 + 25.0)


def test_one_sized_dimensions():
    assert_close(matrices.matmul([[3.0]], [[-2.0]]), [[-6.0]])
    # (1 x 2) @ (2 x 1) is the dot product, (2 x 1) @ (1 x 2) the outer product
    assert_close(matrices.matmul([[1.0, 2.0]], [[3.0], [4.0]]), [[11.0]])
    assert_close(matrices.matmul([[1.0], [2.0]], [[3.0, 4.0]]), [[3.0, 4.0], [6.0, 8.0]])
    assert_close(matrices.transpose([[1.0, 2.0, 3.0]]), [[1.0], [2.0], [3.0]])


def test_empty_matrices():
    assert matrices.transpose([]) == []
    assert matrices.matmul([], []) == []
    assert matrices.matmul([[], []], []) == [[], []]
    assert matrices.matmul_left_transposed([], []) == []
    assert matrices.column_sums([]) == []
    assert matrices.argmax_rows([]) == []
    assert matrices.shape([]) == (0, 0)
    assert matrices.shape([[], []]) == (2, 0)


# --- wide rows that are mostly one value (the background shortcut) ------------------
#
# Rows at least BACKGROUND_MINIMUM_WIDTH wide whose values are mostly their first value c
# take a shortcut: x . w = c * sum(w) + sum over the other k of (x_k - c) w_k. Its rounding
# is bounded by the sizes of the terms it adds, sum_k (|x_k| + 2 |c|) |w_k|, so the tolerance
# below is 1e-12 of that (instead of the sum of |x_k w_k| of the plain loop).

WIDE = max(getattr(matrices, "BACKGROUND_MINIMUM_WIDTH", 64), 8)


@st.composite
def mostly_constant_rows(draw, rows, width):
    """Rows of one background value with up to a quarter (or, sometimes, most) of them changed."""
    result = []
    for _ in range(rows):
        background = draw(st.sampled_from([0.0, -0.5, 1.0, -1.0]) | values)
        row = [background] * width
        most = draw(st.booleans()) and draw(st.booleans())  # a quarter of the rows take the plain path
        limit = width if most else width // 4
        for position in draw(st.lists(st.integers(0, width - 1), max_size=limit, unique=True)):
            row[position] = draw(values)
        result.append(row)
    return result


def background_tolerance(x_rows, w_rows):
    """1e-12 * sum_k (|x_k| + 2 |x_0|) |w_k| for every pair of rows (x_0 is the background)."""
    return [
        [1e-12 * sum((abs(x) + 2.0 * abs(x_row[0])) * abs(w) for x, w in zip(x_row, w_row)) + 1e-300 for w_row in w_rows]
        for x_row in x_rows
    ]


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_matmul_right_transposed_of_mostly_constant_rows_agrees_with_the_loop(data):
    n, m = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3))
    a = data.draw(mostly_constant_rows(n, WIDE))
    b = data.draw(matrix_of(m, WIDE))
    expected = [[sum(x * w for x, w in zip(a_row, b_row)) for b_row in b] for a_row in a]
    assert_close(matrices.matmul_right_transposed(a, b), expected, background_tolerance(a, b))
    assert_close(matrices.reference_matmul_right_transposed(a, b), expected, background_tolerance(a, b))


@settings(max_examples=30, deadline=None)
@given(st.data())
def test_matmul_left_transposed_with_mostly_constant_rows_agrees_with_the_loop(data):
    n, k = data.draw(st.integers(1, 4)), data.draw(st.integers(1, 3))
    a = data.draw(matrix_of(n, k))
    b = data.draw(mostly_constant_rows(n, WIDE))
    # result[i][j] = sum over samples s of a[s][i] * b[s][j]; rounding bounded by
    # sum_s |a[s][i]| (|b[s][j]| + 2 |b[s][0]|)
    expected = [[sum(a[s][i] * b[s][j] for s in range(n)) for j in range(WIDE)] for i in range(k)]
    tolerance = [
        [1e-12 * sum(abs(a[s][i]) * (abs(b[s][j]) + 2.0 * abs(b[s][0])) for s in range(n)) + 1e-300 for j in range(WIDE)]
        for i in range(k)
    ]
    assert_close(matrices.matmul_left_transposed(a, b), expected, tolerance)
    assert_close(matrices.reference_matmul_left_transposed(a, b), expected, tolerance)


def test_the_wide_cases_above_do_reach_the_shortcuts(monkeypatch):
    # Guard for the property tests: they must exercise the shortcut code, not only the plain path.
    names = ["_dot_row_skipping_background", "_matmul_left_transposed_skipping_background"]
    calls = []
    for name in names:
        original = getattr(products, name)
        monkeypatch.setattr(
            products, name, lambda *args, _original=original, _name=name: calls.append(_name) or _original(*args)
        )
    x = [0.0] * WIDE
    x[1], x[5] = 1.0, 2.0
    matrices.matmul_right_transposed([x], [[1.0] * WIDE])
    matrices.matmul_left_transposed([[1.0]], [x])
    assert calls == names


def test_one_row_with_more_ink_does_not_cost_the_batch_its_shortcut(monkeypatch):
    # A batch decides as a whole: 9 mostly-background rows and one that is not (a scribble)
    # still take the weight gradient's shortcut, which is exact for any rows.
    rng = random.Random(5)
    rows = sparse_features(rng, 9, WIDE, -0.5, 0.1) + [[rng.uniform(-1.0, 1.0) for _ in range(WIDE)]]
    a = [[rng.uniform(-1.0, 1.0) for _ in range(3)] for _ in rows]
    calls = []
    original = products._matmul_left_transposed_skipping_background
    monkeypatch.setattr(
        products, "_matmul_left_transposed_skipping_background", lambda *args: calls.append(1) or original(*args)
    )
    result = matrices.matmul_left_transposed(a, rows)
    assert calls == [1]
    tolerance = [
        [1e-12 * sum(abs(a[s][i]) * (abs(rows[s][j]) + 2.0 * abs(rows[s][0])) for s in range(len(rows))) + 1e-300
         for j in range(WIDE)]
        for i in range(3)
    ]
    assert_close(result, matrices.reference_matmul_left_transposed(a, rows), tolerance)
    # A batch that is mostly ink takes the plain path.
    inked = [[rng.uniform(-1.0, 1.0) for _ in range(WIDE)] for _ in range(4)]
    matrices.matmul_left_transposed(a[:4], inked)
    assert calls == [1]


def test_background_shortcut_by_hand():
    # x = [-0.5] * WIDE except x[3] = 1 and x[10] = 0.25; w = [1, 2, 3, ...]:
    # x . w = -0.5 * sum(w) + (1 + 0.5) * w[3] + (0.25 + 0.5) * w[10]
    x = [-0.5] * WIDE
    x[3], x[10] = 1.0, 0.25
    w = [float(k + 1) for k in range(WIDE)]
    expected = -0.5 * WIDE * (WIDE + 1) / 2 + 1.5 * 4.0 + 0.75 * 11.0
    assert matrices.matmul_right_transposed([x], [w])[0][0] == pytest.approx(expected, rel=1e-12)
    # The same product as the weight gradient: [[2]]^T @ [x] = 2 x
    assert matrices.matmul_left_transposed([[2.0]], [x])[0] == pytest.approx([2.0 * v for v in x], rel=1e-12)
    # and a row of a single value everywhere
    assert matrices.matmul_right_transposed([[3.0] * WIDE], [w])[0][0] == pytest.approx(3.0 * WIDE * (WIDE + 1) / 2)


def sparse_features(rng, rows, width, background, share_changed):
    """Feature rows that are mostly one value but are no drawing: a random background, scattered random values."""
    result = []
    for _ in range(rows):
        row = [background] * width
        # position 0 keeps the background: the shortcut reads a row's first value as its repeated one
        for position in rng.sample(range(1, width), int(share_changed * width)):
            row[position] = rng.uniform(-3.0, 3.0)
        result.append(row)
    return result


@pytest.mark.parametrize("background", [0.0, 0.37, -2.5])
def test_the_shortcut_serves_any_mostly_constant_input_not_only_drawings(background, monkeypatch):
    # Sparse feature vectors (bag of words, one-hot blocks, a sensor stuck at one reading):
    # 10% of the values scattered at random, the rest one value that is neither 0 nor 1 in general.
    rng = random.Random(7)
    width = 3 * WIDE
    x = sparse_features(rng, 6, width, background, 0.1)
    x[2][0] = 9.0  # a row whose first value is the rare one: it takes the plain path, same result
    w = [[rng.gauss(0.0, 1.0) for _ in range(width)] for _ in range(5)]
    g = [[rng.gauss(0.0, 1.0) for _ in range(5)] for _ in range(6)]
    skipped_rows = []
    original = products._dot_row_skipping_background
    monkeypatch.setattr(
        products, "_dot_row_skipping_background", lambda row, *rest: skipped_rows.append(row) or original(row, *rest)
    )
    forward = matrices.matmul_right_transposed(x, w)
    assert len(skipped_rows) == 5 and x[2] not in skipped_rows
    assert_close(forward, matrices.reference_matmul_right_transposed(x, w), background_tolerance(x, w))
    # weight gradient G^T X: the rows of X are mostly constant except row 2, so the plain path runs...
    tolerance = [[1e-12 * sum(abs(g[n][i]) * (abs(x[n][j]) + 2.0 * abs(x[n][0])) for n in range(6)) + 1e-300
                  for j in range(width)] for i in range(5)]
    assert_close(matrices.matmul_left_transposed(g, x), matrices.reference_matmul_left_transposed(g, x), tolerance)
    # ...and without row 2 the shortcut runs, with the same result
    x[2][0] = background
    assert_close(matrices.matmul_left_transposed(g, x), matrices.reference_matmul_left_transposed(g, x), tolerance)


# --- dot ---------------------------------------------------------------------


@settings(max_examples=100, deadline=None)
@given(
    st.integers(min_value=0, max_value=60).flatmap(
        lambda n: st.tuples(
            st.lists(st.floats(-1e6, 1e6), min_size=n, max_size=n),
            st.lists(st.floats(-1e6, 1e6), min_size=n, max_size=n),
        )
    )
)
def test_dot_agrees_with_reference_dot(pair):
    a, b = pair
    scale = sum(abs(x * y) for x, y in zip(a, b))
    # Relative to the sum of |products| (cancellation makes a plain relative error meaningless);
    # 1e-300 absorbs products that underflow to subnormals.
    assert abs(matrices.dot(a, b) - matrices.reference_dot(a, b)) <= 1e-12 * scale + 1e-300


def test_dot_and_reference_dot_by_hand():
    assert matrices.dot([1.0, 2.0, 3.0], [4.0, -5.0, 6.0]) == pytest.approx(4.0 - 10.0 + 18.0)
    assert matrices.reference_dot([1.0, 2.0, 3.0], [4.0, -5.0, 6.0]) == pytest.approx(12.0)
    assert matrices.dot([], []) == pytest.approx(0.0)


# --- element-wise --------------------------------------------------------------


@st.composite
def same_shape_pair(draw):
    n, m = draw(sizes), draw(sizes)
    return draw(matrix_of(n, m)), draw(matrix_of(n, m))


@SETTINGS
@given(same_shape_pair())
def test_add_and_subtract_agree_with_loops(pair):
    a, b = pair
    assert_close(matrices.add(a, b), loop_elementwise(a, b, lambda x, y: x + y))
    assert_close(matrices.subtract(a, b), loop_elementwise(a, b, lambda x, y: x - y))


@pytest.mark.parametrize("name, replacement", [("multiply", r"zip\(row_a, row_b\)"), ("scale", r"map_elements")])
def test_a_removed_operation_names_what_to_write_instead(name, replacement):
    with pytest.raises(AttributeError, match=rf"purenet\.matrices\.{name} was removed.*{replacement}"):
        getattr(matrices, name)
    with pytest.raises(AttributeError, match=r"has no attribute 'no_such_operation'"):
        matrices.no_such_operation


def test_the_old_product_names_are_the_new_products():
    assert matrices.matmul_transposed is matrices.matmul_right_transposed
    assert matrices.transposed_matmul is matrices.matmul_left_transposed


@st.composite
def matrix_and_row(draw):
    n, m = draw(sizes), draw(sizes)
    if n == 0:
        m = 0
    return draw(matrix_of(n, m)), draw(st.lists(values, min_size=m, max_size=m))


@SETTINGS
@given(matrix_and_row())
def test_add_row_agrees_with_loop(pair):
    matrix, row = pair
    expected = [[matrix[i][j] + row[j] for j in range(len(row))] for i in range(len(matrix))]
    assert_close(matrices.add_row(matrix, row), expected)


@SETTINGS
@given(sizes.flatmap(lambda n: sizes.flatmap(lambda m: matrix_of(n, m))))
def test_column_sums_agree_with_loop(matrix):
    columns = columns_of(matrix)
    expected = [0.0] * columns
    tolerance = [1e-300] * columns
    for row in matrix:
        for j in range(columns):
            expected[j] += row[j]
            tolerance[j] += 1e-12 * abs(row[j])
    result = matrices.column_sums(matrix)
    assert len(result) == columns
    for value, want, allowed in zip(result, expected, tolerance):
        assert abs(value - want) <= allowed


@SETTINGS
@given(
    st.integers(1, 5).flatmap(
        lambda n: st.integers(1, 5).flatmap(
            # Small integers make ties common: argmax must pick the first largest.
            lambda m: matrix_of(n, m, st.integers(-2, 2).map(float))
        )
    )
)
def test_argmax_rows_agrees_with_loop_and_takes_the_first_tie(matrix):
    expected = []
    for row in matrix:
        best = 0
        for j in range(1, len(row)):
            if row[j] > row[best]:
                best = j
        expected.append(best)
    assert matrices.argmax_rows(matrix) == expected


def test_argmax_rows_by_hand():
    assert matrices.argmax_rows([[0.1, 0.7, 0.2], [5.0, 5.0, 1.0], [-3.0, -1.0, -2.0]]) == [1, 0, 1]


def test_elementwise_results_are_fresh_lists():
    a = [[1.0, 2.0]]
    b = [[3.0, 4.0]]
    total = matrices.add(a, b)
    total[0][0] = 99.0
    assert a == [[1.0, 2.0]] and b == [[3.0, 4.0]]


# --- shape errors name both shapes ---------------------------------------------


def test_matmul_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"matmul: \(2 x 3\) @ \(4 x 5\): inner sizes differ"):
        matrices.matmul([[1.0] * 3] * 2, [[1.0] * 5] * 4)


def test_matmul_right_transposed_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"matmul_right_transposed: \(2 x 3\) @ \(4 x 5\)\^T.*3 and 5"):
        matrices.matmul_right_transposed([[1.0] * 3] * 2, [[1.0] * 5] * 4)


def test_matmul_left_transposed_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"matmul_left_transposed: \(2 x 3\)\^T @ \(4 x 5\).*2 and 4"):
        matrices.matmul_left_transposed([[1.0] * 3] * 2, [[1.0] * 5] * 4)


@pytest.mark.parametrize("operation", ["add", "subtract"])
def test_elementwise_shape_error_names_both_shapes(operation):
    with pytest.raises(ValueError, match=rf"{operation}: \(2 x 2\) and \(2 x 3\): shapes differ"):
        getattr(matrices, operation)([[1.0, 2.0]] * 2, [[1.0, 2.0, 3.0]] * 2)


def test_add_row_shape_error_names_both_shapes():
    with pytest.raises(ValueError, match=r"add_row: \(2 x 3\) \+ \(2,\): the row needs 3 values"):
        matrices.add_row([[1.0, 2.0, 3.0]] * 2, [1.0, 2.0])


def test_ragged_matrix_is_refused_by_every_operation():
    ragged = [[1.0, 2.0], [3.0]]
    with pytest.raises(ValueError, match=r"row 1 has 1 values but row 0 has 2"):
        matrices.transpose(ragged)
    with pytest.raises(ValueError, match=r"row 1 has 1 values but row 0 has 2"):
        matrices.column_sums(ragged)
    with pytest.raises(TypeError, match=r"shape: expected a matrix \(a list of rows\), got tuple"):
        matrices.shape(((1.0,),))


def test_argmax_rows_refuses_rows_without_values():
    with pytest.raises(ValueError, match=r"argmax_rows: \(2 x 0\)"):
        matrices.argmax_rows([[], []])


def test_zeros():
    assert matrices.zeros(2, 3) == [[0.0] * 3] * 2
    grid = matrices.zeros(2, 2)
    grid[0][0] = 1.0
    assert grid[1][0] == 0.0, "each row must be its own list"
    with pytest.raises(ValueError, match=r"^zeros: rows must be a non-negative integer, got -1$"):
        matrices.zeros(-1, 2)
    with pytest.raises(TypeError, match=r"^zeros: columns must be a non-negative integer, got True$"):
        matrices.zeros(2, True)
    assert matrices.zeros(0, 3) == [] and matrices.zeros(2, 0) == [[], []]


# --- as_matrix -----------------------------------------------------------------


def test_as_matrix_accepts_tuples_and_ints_and_returns_fresh_floats():
    data = ((1, 2), [3.5, 4])
    result = matrices.as_matrix(data, "X")
    assert result == [[1.0, 2.0], [3.5, 4.0]]
    assert all(isinstance(value, float) for row in result for value in row)
    source = [[1.0, 2.0]]
    copy = matrices.as_matrix(source, "X")
    copy[0][0] = 9.0
    assert source == [[1.0, 2.0]]


@pytest.mark.parametrize(
    "data, error, message",
    [
        ([1.0, 2.0, 3.0], ValueError, r"X must be a list of samples.*got a flat list of 3 numbers; wrap a single sample as \[sample\]"),
        ([[1.0, 2.0], [3.0]], ValueError, r"X\[1\] has 1 features but X\[0\] has 2"),
        ([[1.0, True]], TypeError, r"X\[0\]\[1\] must be a number, got bool True"),
        ([[1.0], ["2"]], TypeError, r"X\[1\]\[0\] must be a number, got str '2'"),
        ([[float("nan")]], ValueError, r"X\[0\]\[0\] must be finite, got nan"),
        ([[1.0, float("inf")]], ValueError, r"X\[0\]\[1\] must be finite, got inf"),
        ([[1.0, -float("inf")]], ValueError, r"X\[0\]\[1\] must be finite, got -inf"),
        ([], ValueError, r"X must hold at least one sample, got an empty list"),
        ([[]], ValueError, r"X\[0\] is empty"),
        ("abc", TypeError, r"X must be a list of samples .*got str"),
        ([[1.0], 2.0], TypeError, r"X\[1\] must be a list of numbers, got float"),
    ],
)
def test_as_matrix_refuses_bad_data_with_clear_messages(data, error, message):
    with pytest.raises(error, match=message):
        matrices.as_matrix(data, "X")


def test_as_matrix_refuses_an_int_too_large_for_a_float_with_a_clear_message():
    # 10**400 has no float value (it would be infinity): refused like inf, naming the position.
    with pytest.raises(ValueError, match=r"X\[0\]\[1\]"):
        matrices.as_matrix([[1, 10**400]], "X")


def test_as_matrix_accepts_huge_finite_floats_whose_sum_overflows():
    # The shortcut for rows of floats asks whether their sum is finite; this row's sum is inf,
    # so the values are checked one by one, and they are all finite.
    assert matrices.as_matrix([[1e308, 1e308, -1.0]], "X") == [[1e308, 1e308, -1.0]]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.lists(
            st.one_of(
                st.floats(allow_nan=True, allow_infinity=True),
                st.integers(min_value=-(10**3), max_value=10**3),
                st.booleans(),
            ),
            min_size=3,
            max_size=3,
        ),
        min_size=1,
        max_size=4,
    )
)
def test_as_matrix_shortcut_agrees_with_the_value_by_value_check(data):
    # The same answer as checking every value: the rows themselves, or the same error.
    expected_error = None
    for row_index, row in enumerate(data):
        for column_index, value in enumerate(row):
            if isinstance(value, bool):
                expected_error = (TypeError, f"X[{row_index}][{column_index}] must be a number")
            elif not math.isfinite(value):
                expected_error = (ValueError, f"X[{row_index}][{column_index}] must be finite")
            if expected_error:
                break
        if expected_error:
            break
    if expected_error is None:
        result = matrices.as_matrix(data, "X")
        assert result == [[float(value) for value in row] for row in data]
        assert all(type(value) is float for row in result for value in row)
    else:
        error, message = expected_error
        with pytest.raises(error) as raised:
            matrices.as_matrix(data, "X")
        assert str(raised.value).startswith(message)


def test_as_matrix_uses_the_argument_name():
    with pytest.raises(ValueError, match=r"^inputs\[0\]\[0\] must be finite"):
        matrices.as_matrix([[math.nan]], "inputs")
