"""Tests for purenet.drawing: normalising, rasterising and reading pictures."""

import json
import math
import random

import pytest
from conftest import assert_close
from hypothesis import given, settings
from hypothesis import strategies as st

from purenet.squares import drawing, hilbert

# A pixel counts as inked when its value is above the background by more
# than rounding noise.
INKED = -0.5 + 1e-6


def rectangle(left, top, width, height):
    """One closed stroke around a rectangle."""
    return [
        [
            (left, top),
            (left + width, top),
            (left + width, top + height),
            (left, top + height),
            (left, top),
        ]
    ]


def polygon(corners, radius, centre_x, centre_y, turns=1):
    """One closed stroke through ``corners`` points on a circle.

    With ``turns`` > 1 it goes round several times: a star.
    """
    return [
        [
            (
                centre_x + radius * math.cos(2 * math.pi * turns * step / corners),
                centre_y + radius * math.sin(2 * math.pi * turns * step / corners),
            )
            for step in range(corners + 1)
        ]
    ]


def random_walk(rng, points=60, strokes=2, step=8.0):
    """Strokes wandering like a hand, with a gently turning direction."""
    result = []
    for _ in range(strokes):
        x, y = rng.uniform(0, 255), rng.uniform(0, 255)
        angle = rng.uniform(0, 2 * math.pi)
        stroke = []
        for _ in range(points // strokes):
            angle += rng.gauss(0, 0.3)
            x += step * math.cos(angle)
            y += step * math.sin(angle)
            stroke.append((x, y))
        result.append(stroke)
    return result


def sample_drawings():
    rng = random.Random(7)
    spiral = [
        [(3 * t * math.cos(t), 3 * t * math.sin(t)) for t in [i / 5 for i in range(80)]]
    ]
    return [
        rectangle(10, 20, 50, 25),
        polygon(40, 30, 0, 0),
        polygon(3, 100, 5, 5),
        polygon(5, 80, 0, 0, turns=2),
        [[(0, 0), (100, 0)], [(50, -40), (50, 40)]],
        [[(0, 0), (200, 100)], [(0, 100), (200, 0)]],
        spiral,
    ] + [random_walk(rng) for _ in range(5)]


def longer_side(strokes):
    """The longer side of the bounding box of all points."""
    xs = [x for stroke in strokes for x, _ in stroke]
    ys = [y for stroke in strokes for _, y in stroke]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def ink_bounds(grid):
    """Return (first row, last row, first column, last column) holding ink."""
    rows = [y for y, row in enumerate(grid) if max(row) > INKED]
    columns = [x for x in range(len(grid[0])) if any(row[x] > INKED for row in grid)]
    return rows[0], rows[-1], columns[0], columns[-1]


def transpose(grid):
    return [list(column) for column in zip(*grid)]


# --- normalisation -------------------------------------------------------


def test_translation_and_scale_do_not_change_the_grid():
    original = rectangle(0, 0, 20, 10)
    moved = [
        [(500 + 7.3 * x, -300 + 7.3 * y) for x, y in stroke] for stroke in original
    ]
    assert_close(drawing.rasterize(original), drawing.rasterize(moved), rel=0.0, abs=1e-9)


def test_a_wide_rectangle_stays_wide():
    grid = drawing.rasterize(rectangle(0, 0, 20, 10), size=32)
    top, bottom, left, right = ink_bounds(grid)
    # Longer side: the ink spans the grid less the 2-pixel margins.
    assert (left, right) == (2, 29)
    # The points span 32 - 4 - 1 = 27 pixels across, so 13.5 down; the pen
    # adds half a pixel on each side and the ramp at most one pixel more.
    assert 14.5 <= bottom - top + 1 <= 16.5
    # Centred: as much paper above as below.
    assert top == pytest.approx(31 - bottom, abs=1)


def test_a_square_fills_both_directions():
    grid = drawing.rasterize(rectangle(3, 4, 10, 10), size=32)
    assert ink_bounds(grid) == (2, 29, 2, 29)


def test_swapping_x_and_y_transposes_the_grid():
    wide = rectangle(0, 0, 20, 10) + [[(3, 2), (15, 7)]]
    tall = [[(y, x) for x, y in stroke] for stroke in wide]
    assert_close(drawing.rasterize(tall), transpose(drawing.rasterize(wide)), rel=0.0, abs=1e-9)


def test_y_grows_downwards():
    # An L: down the left side, then along the bottom.
    grid = drawing.rasterize([[(0, 0), (0, 10), (10, 10)]], size=32)
    assert grid[29][16] > 0.0
    assert grid[2][16] < INKED


@pytest.mark.parametrize("size", [16, 32, 64, 128])
@pytest.mark.parametrize("shape", ["wide", "tall"])
def test_ink_touches_the_margin_on_the_longer_axis(size, shape):
    strokes = rectangle(0, 0, 30, 12) if shape == "wide" else rectangle(0, 0, 12, 30)
    top, bottom, left, right = ink_bounds(drawing.rasterize(strokes, size=size))
    margin = size // 16
    longer = (left, right) if shape == "wide" else (top, bottom)
    shorter = (top, bottom) if shape == "wide" else (left, right)
    assert longer == (margin, size - margin - 1)
    assert shorter[0] > margin and shorter[1] < size - margin - 1


def test_a_straight_horizontal_line_is_scaled_by_its_length():
    grid = drawing.rasterize([[(5, 7), (25, 7)]], size=32)
    top, bottom, left, right = ink_bounds(grid)
    assert (left, right) == (2, 29)
    # Centred on the boundary between rows 15 and 16, one pixel wide, so
    # each of the two rows holds half of the ink.
    assert (top, bottom) == (15, 16)
    assert grid[15][16] == pytest.approx(0.0)
    assert grid[16][16] == pytest.approx(0.0)


# --- rasterisation -------------------------------------------------------


@settings(deadline=None)
@given(
    st.lists(
        st.lists(
            st.tuples(
                st.floats(min_value=-1e6, max_value=1e6),
                st.floats(min_value=-1e6, max_value=1e6),
            ),
            min_size=1,
            max_size=20,
        ),
        min_size=1,
        max_size=4,
    ).filter(lambda strokes: longer_side(strokes) > 1e-9),
    st.sampled_from([4, 8, 32]),
)
def test_values_stay_between_background_and_ink(strokes, size):
    # Drawings without a size must raise instead: tested further down.
    grid = drawing.rasterize(strokes, size=size)
    assert len(grid) == size
    for row in grid:
        assert len(row) == size
        for value in row:
            assert -0.5 - 1e-12 <= value <= 0.5 + 1e-12


def test_a_line_and_a_dot_worked_out_by_hand():
    # Points: a line from (0, 0) to (27, 0) and a dot at (13, 21).  The
    # longer side is 27, and at size 32 the points span 32 - 2 * 2 - 1 =
    # 27 pixels, so the scale is 1; the centre (13.5, 10.5) goes to
    # (16, 16).  The line lands on y = 5.5 from x = 2.5 to 29.5, the dot
    # on (15.5, 26.5): both on pixel centres.  Pen width 1, so
    # coverage = 1 - d: full on the line, zero one pixel away.
    grid = drawing.rasterize([[(0, 0), (27, 0)], [(13, 21)]], size=32)
    for x in range(2, 30):
        assert grid[5][x] == pytest.approx(0.5)
        assert grid[4][x] == pytest.approx(-0.5)
        assert grid[6][x] == pytest.approx(-0.5)
    assert grid[5][1] == pytest.approx(-0.5)
    assert grid[5][30] == pytest.approx(-0.5)
    assert grid[26][15] == pytest.approx(0.5)
    for x, y in [(14, 26), (16, 26), (15, 25), (15, 27)]:
        assert grid[y][x] == pytest.approx(-0.5)
    # At size 64 everything doubles, pen included: the line lies on
    # y = 11, between rows 10 and 11, whose centres are 0.5 away:
    # coverage = 2 / 2 + 0.5 - 0.5 = 1.  Rows 9 and 12 are 1.5 away: 0.
    grid = drawing.rasterize([[(0, 0), (27, 0)], [(13, 21)]], size=64)
    for x in range(5, 59):
        assert grid[10][x] == pytest.approx(0.5)
        assert grid[11][x] == pytest.approx(0.5)
        assert grid[9][x] == pytest.approx(-0.5)
        assert grid[12][x] == pytest.approx(-0.5)


@pytest.mark.parametrize("angle_degrees", [0, 7, 30, 45, 60, 83, 90, 123, 171])
def test_a_straight_line_has_no_gaps(angle_degrees):
    angle = math.radians(angle_degrees)
    line = [[(0.0, 0.0), (100 * math.cos(angle), 100 * math.sin(angle))]]
    grid = drawing.rasterize(line, size=32)
    # Every point of the centre line lies in a pixel whose centre is at
    # most sqrt(2)/2 away, so that pixel has at least 1 - 0.71 = 0.29 of
    # ink: those pixels must join the two ends without a gap.
    inked = {(x, y) for y in range(32) for x in range(32) if grid[y][x] > -0.25}
    start = min(inked)
    reached = {start}
    frontier = [start]
    while frontier:
        x, y = frontier.pop()
        for step_x in (-1, 0, 1):
            for step_y in (-1, 0, 1):
                neighbour = (x + step_x, y + step_y)
                if neighbour in inked and neighbour not in reached:
                    reached.add(neighbour)
                    frontier.append(neighbour)
    assert reached == inked
    top, bottom, left, right = ink_bounds(grid)
    assert max(bottom - top, right - left) == 27


def test_prepare_reads_the_grid_along_the_hilbert_curve():
    strokes = polygon(5, 80, 0, 0, turns=2)
    for size in (4, 16, 32):
        assert drawing.prepare(strokes, size) == pytest.approx(
            hilbert.flatten(drawing.rasterize(strokes, size))
        )
    assert len(drawing.prepare(strokes)) == 32 * 32


def test_list_and_json_forms_give_the_same_grid(tmp_path):
    strokes = [[(1, 2), (30, 40), (5.5, 17)], [(8, 8)]]
    as_json = {
        "strokes": [[[x, y] for x, y in stroke] for stroke in strokes],
        "label": "z",
    }
    path = tmp_path / "drawing.json"
    path.write_text(json.dumps(as_json), encoding="utf-8")
    expected = drawing.prepare(strokes)
    assert drawing.prepare(as_json) == pytest.approx(expected)
    assert drawing.prepare(json.loads(json.dumps(as_json))) == pytest.approx(expected)
    loaded = drawing.load_drawing_json(path)
    assert [len(stroke) for stroke in loaded] == [3, 1]
    assert all(type(point) is tuple for stroke in loaded for point in stroke)
    coordinates = [value for stroke in loaded for point in stroke for value in point]
    assert coordinates == pytest.approx([1, 2, 30, 40, 5.5, 17, 8, 8])
    assert drawing.prepare(loaded) == pytest.approx(expected)


def test_64_pixel_rendering_shrunk_by_two_matches_32_pixel_rendering():
    # Measured with this code: mean absolute difference at most 0.007 per
    # drawing, largest single-pixel difference 0.27 (where strokes cross:
    # overlapping strokes keep the larger coverage, which is not quite
    # what averaging four finer pixels gives).  A pen that stays one pixel
    # wide at 64 gives mean differences of 0.03 to 0.06 and maxima near
    # 0.5; a margin that does not scale gives maxima near 0.9.
    for strokes in sample_drawings():
        shrunk = hilbert.downsample(drawing.prepare(strokes, 64), 2)
        direct = drawing.prepare(strokes, 32)
        differences = [abs(a - b) for a, b in zip(shrunk, direct)]
        assert sum(differences) / len(differences) < 0.02
        assert max(differences) < 0.35


# --- pictures ---------------------------------------------------------------


def blank_picture(width, height):
    return [[0.0] * width for _ in range(height)]


def test_picture_is_normalised_like_a_drawing():
    picture = blank_picture(50, 40)
    for x in range(10, 30):  # a filled 20 x 10 block, away from the corner
        for y in range(25, 35):
            picture[y][x] = 1.0
    grid = drawing.rasterize_image(picture, size=32)
    top, bottom, left, right = ink_bounds(grid)
    # Longer side: 20 picture pixels onto 28 grid pixels, at the margins.
    assert (left, right) == (2, 29)
    # Shorter side: 10 pixels become 14, centred: rows 9 .. 22.
    assert (top, bottom) == (9, 22)
    assert grid[16][16] == pytest.approx(0.5)
    assert grid[5][16] == pytest.approx(-0.5)


def test_picture_values_are_in_range_and_prepare_flattens():
    rng = random.Random(5)
    picture = [[rng.random() for _ in range(37)] for _ in range(23)]
    grid = drawing.rasterize_image(picture, size=16)
    assert all(-0.5 <= value <= 0.5 + 1e-12 for row in grid for value in row)
    assert drawing.prepare_image(picture, 16) == pytest.approx(hilbert.flatten(grid))


def test_a_thin_line_in_a_big_picture_stays_visible():
    picture = blank_picture(256, 256)
    for y in range(20, 236):
        picture[y][100] = 1.0  # 1 picture pixel = 28 / 216 = 0.13 grid pixel
    picture[20][20] = 1.0  # sets the width of the bounding box
    picture[20][235] = 1.0
    grid = drawing.rasterize_image(picture, size=32)
    line_column = max(range(32), key=lambda x: grid[16][x])
    assert grid[16][line_column] == pytest.approx(0.5)
    for y in range(3, 29):
        assert grid[y][line_column] > 0.0


# --- PGM and PBM files ------------------------------------------------------

# Expected ink of the 5 x 3 test picture: an arrow of ink pointing right.
ARROW = [
    [1, 0, 0, 0, 0],
    [1, 1, 1, 1, 0],
    [1, 0, 0, 0, 0],
]


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    return path


def test_read_plain_pbm(tmp_path):
    # P1 digits may be packed without spaces; comments are allowed in the header.
    path = write(tmp_path, "a.pbm", b"P1\n# an arrow\n5 3\n10000\n1 1 1 1 0\n10000\n")
    assert drawing.read_pgm(path) == [pytest.approx(row) for row in ARROW]


def test_read_binary_pbm(tmp_path):
    # 5 pixels per row padded to one byte, first pixel in the highest bit.
    raster = bytes([0b10000000, 0b11110000, 0b10000000])
    path = write(tmp_path, "a.pbm", b"P4 5 3\n" + raster)
    assert drawing.read_pgm(path) == [pytest.approx(row) for row in ARROW]


def test_read_plain_pgm(tmp_path):
    # maxval 4: 0 is black (full ink), 4 is white, 1 is three quarters of ink.
    path = write(
        tmp_path,
        "a.pgm",
        b"P2\n5 3 # width height\n4\n0 4 4 4 4\n0 1 0 0 4\n0 4 4 4 2\n",
    )
    expected = [[1, 0, 0, 0, 0], [1, 0.75, 1, 1, 0], [1, 0, 0, 0, 0.5]]
    assert drawing.read_pgm(str(path)) == [pytest.approx(row) for row in expected]


def test_read_binary_pgm_one_byte(tmp_path):
    raster = bytes([0, 255, 255, 255, 255, 0, 0, 0, 0, 255, 0, 255, 255, 255, 51])
    path = write(tmp_path, "a.pgm", b"P5\n5 3\n255\n" + raster)
    expected = [row[:] for row in ARROW]
    expected[2][4] = 0.8
    assert drawing.read_pgm(path) == [pytest.approx(row) for row in expected]


def test_read_binary_pgm_two_bytes(tmp_path):
    # maxval above 255: two bytes per sample, most significant first.
    samples = [0, 1000, 1000, 1000, 1000, 0, 0, 0, 0, 1000, 0, 1000, 1000, 1000, 750]
    raster = b"".join(sample.to_bytes(2, "big") for sample in samples)
    path = write(tmp_path, "a.pgm", b"P5 5 3 1000\n" + raster)
    expected = [row[:] for row in ARROW]
    expected[2][4] = 0.25
    assert drawing.read_pgm(path) == [pytest.approx(row) for row in expected]


def test_a_read_picture_can_be_prepared(tmp_path):
    path = write(tmp_path, "a.pbm", b"P1\n5 3\n10000\n11110\n10000\n")
    network_input = drawing.prepare_image(drawing.read_pgm(path))
    assert len(network_input) == 1024
    assert max(network_input) == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b"GIF89a",
            r"does not start with a PBM or PGM magic number \(P1, P2, P4 or P5\), got b'GIF8'",
        ),
        (
            b"P6\n1 1\n255\n\x00\x00\x00",
            r"does not start with a PBM or PGM magic number",
        ),
        (b"", r"does not start with a PBM or PGM magic number"),
        (b"P5", r"must have whitespace after its magic number P5"),
        (b"P5\n5 3\n", r"truncated: its header ends before the maxval"),
        (b"P5\n5", r"truncated: its header ends before the height"),
        (b"P5\n5 3 255", r"truncated: it ends right after its header"),
        (b"P5\n# no end", r"truncated: a header comment runs to the end of the file"),
        (
            b"P5\n5 3\n255\n" + bytes(14),
            r"truncated: expected 15 bytes of pixels, found 14",
        ),
        (
            b"P5 2 1 1000\n\x00\x01\x00",
            r"truncated: expected 4 bytes of pixels, found 3",
        ),
        (b"P4\n9 2\n\x00\x00\x00", r"truncated: expected 4 bytes of pixels, found 3"),
        (b"P2\n2 2\n255\n0 1 2\n", r"truncated: expected 4 pixel values, found 3"),
        (b"P1\n2 2\n0 1 1\n", r"truncated: expected 4 pixel values, found 3"),
        (b"P1\n2 2\n0 1 1 0 1\n", r"has 5 pixel values, more than width x height = 4"),
        (b"P1\n2 1\n0 2\n", r"has b'2' among its pixels where 0 or 1 was expected"),
        (
            b"P2\n2 1\n255\n0 -1\n",
            r"has b'-1' among its pixels where a decimal number was expected",
        ),
        (b"P2\n2 1\n255\n0 256\n", r"has a sample 256 above its maxval 255"),
        (b"P5\n1 1\n15\n\x10", r"has a sample 16 above its maxval 15"),
        (
            b"P2\n2 x\n255\n0 1\n",
            r"has b'x' in its header where the height \(a decimal number\) was expected",
        ),
        (b"P2\n2 1\n0\n0 0\n", r"must have a maxval in 1\.\.65535, got 0"),
        (b"P2\n2 1\n70000\n0 0\n", r"must have a maxval in 1\.\.65535, got 70000"),
        (b"P2\n0 1\n255\n", r"must have a width and height of at least 1, got 0 x 1"),
        (b"P5\n1 1\n255#\n\x00", r"must have whitespace after its maxval, got b'#'"),
    ],
)
def test_bad_pictures_are_refused_naming_the_file(tmp_path, content, message):
    path = write(tmp_path, "bad.pgm", content)
    with pytest.raises(ValueError, match=message) as raised:
        drawing.read_pgm(path)
    assert "read_pgm: file" in str(raised.value)
    assert "bad.pgm" in str(raised.value)


# --- drawing files and bad input --------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"strokes": [[[0, 0], [1, 1]]', r"is not valid JSON"),
        (
            "[[[0, 0], [1, 1]]]",
            r'must hold a JSON object \{"strokes": \[\.\.\.\]\}, got a JSON list',
        ),
        (
            '{"points": []}',
            r"is a dict without the key 'strokes', got keys \['points'\]",
        ),
        (
            '{"strokes": [[[0, 0], [1, true]]]}',
            r"stroke 0, point 1: y must be a number, got bool",
        ),
        (
            '{"strokes": [[[0, 0], [1]]]}',
            r"stroke 0, point 1 must be a pair \(x, y\), got 1 values",
        ),
        ('{"strokes": [[[0, NaN]]]}', r"stroke 0, point 0: y must be finite, got nan"),
        ('{"strokes": []}', r"is empty: it has no points"),
    ],
)
def test_bad_drawing_files_are_refused_naming_the_file(tmp_path, text, message):
    path = tmp_path / "bad.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match=message) as raised:
        drawing.load_drawing_json(path)
    assert "load_drawing_json: file" in str(raised.value)
    assert "bad.json" in str(raised.value)


LINE = [[(0, 0), (10, 5)]]


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (
            lambda: drawing.rasterize([]),
            ValueError,
            r"rasterize: drawing is empty: it has no points, there is nothing to draw",
        ),
        (
            lambda: drawing.prepare([[], []]),
            ValueError,
            r"prepare: drawing is empty: it has no points",
        ),
        (
            lambda: drawing.rasterize({"strokes": []}),
            ValueError,
            r"rasterize: drawing is empty: it has no points",
        ),
        (
            lambda: drawing.rasterize([[(3, 4)]]),
            ValueError,
            r"rasterize: drawing has all its points at one place \(x=3\.0, y=4\.0\)",
        ),
        (
            lambda: drawing.rasterize([[(0, 0), (5e-324, 0)]]),
            ValueError,
            r"rasterize: drawing is 5e-324 units across, too far from 1 for "
            r"floating-point numbers to scale it",
        ),
        (
            lambda: drawing.prepare([[(-1e308, 0)], [(1e308, 0)]]),
            ValueError,
            r"prepare: drawing is inf units across, too far from 1",
        ),
        (
            lambda: drawing.prepare([[(3, 4), (3, 4)], [(3, 4)]]),
            ValueError,
            r"prepare: drawing has all its points at one place",
        ),
        (
            lambda: drawing.rasterize([[(0, 0), (math.nan, 1)]]),
            ValueError,
            r"rasterize: drawing stroke 0, point 1: x must be finite, got nan",
        ),
        (
            lambda: drawing.rasterize([[(0, 0)], [(1, 1), (2, math.inf)]]),
            ValueError,
            r"stroke 1, point 1: y must be finite, got inf",
        ),
        (
            lambda: drawing.rasterize([[(0, 0), (True, 1)]]),
            TypeError,
            r"stroke 0, point 1: x must be a number, got bool \(True\)",
        ),
        (
            lambda: drawing.rasterize([[(0, 0), ("1", 1)]]),
            TypeError,
            r"stroke 0, point 1: x must be a number, got str \('1'\)",
        ),
        (
            lambda: drawing.rasterize([[(0, 0), (1, 2, 3)]]),
            ValueError,
            r"stroke 0, point 1 must be a pair \(x, y\), got 3 values",
        ),
        (
            lambda: drawing.rasterize([[(0, 0), 5]]),
            TypeError,
            r"stroke 0, point 1 must be a pair \(x, y\), got int \(5\)",
        ),
        (
            lambda: drawing.rasterize([[(0, 0), (1, 1)], "ab"]),
            TypeError,
            r"drawing stroke 1 must be a list of points, got str",
        ),
        (
            lambda: drawing.rasterize("strokes"),
            TypeError,
            r"rasterize: drawing must be a list of strokes or a dict",
        ),
        (
            lambda: drawing.rasterize({"lines": []}),
            ValueError,
            r"rasterize: drawing is a dict without the key 'strokes', got keys \['lines'\]",
        ),
        (
            lambda: drawing.rasterize(LINE, size=30),
            ValueError,
            r"rasterize: size must be a power of two >= 4 .* got 30",
        ),
        (
            lambda: drawing.rasterize(LINE, size=2),
            ValueError,
            r"rasterize: size must be a power of two >= 4 .* got 2",
        ),
        (
            lambda: drawing.prepare(LINE, size=0),
            ValueError,
            r"prepare: size must be a power of two >= 4 .* got 0",
        ),
        (
            lambda: drawing.prepare(LINE, size=32.0),
            TypeError,
            r"prepare: size must be an int, got float \(32\.0\)",
        ),
        (
            lambda: drawing.prepare(LINE, size=True),
            TypeError,
            r"prepare: size must be an int, got bool",
        ),
        (
            lambda: drawing.rasterize_image([[1.0]], size=12),
            ValueError,
            r"rasterize_image: size must be a power of two >= 4 .* got 12",
        ),
        (
            lambda: drawing.rasterize_image(blank_picture(5, 4)),
            ValueError,
            r"rasterize_image: image is blank: no pixel has ink above 0\.5",
        ),
        (
            lambda: drawing.prepare_image([[0.5, 0.2]]),
            ValueError,
            r"prepare_image: image is blank",
        ),
        (
            lambda: drawing.rasterize_image([]),
            ValueError,
            r"rasterize_image: rows must have at least one row, got none",
        ),
        (
            lambda: drawing.rasterize_image([[1.0, 0.0], [1.0]]),
            ValueError,
            r"rows must be a rectangle: rows\[0\] has 2 values, rows\[1\] has 1",
        ),
        (
            lambda: drawing.rasterize_image([[]]),
            ValueError,
            r"rows\[0\] is empty: a picture needs at least one column",
        ),
        (
            lambda: drawing.rasterize_image([[1.0, 2.0]]),
            ValueError,
            r"rows\[0\]\[1\] must be an ink amount in \[0, 1\] \(1 is ink\), got 2\.0",
        ),
        (
            lambda: drawing.rasterize_image([[1.0, math.nan]]),
            ValueError,
            r"rows\[0\]\[1\] must be an ink amount in \[0, 1\]",
        ),
        (
            lambda: drawing.rasterize_image([[1.0, False]]),
            TypeError,
            r"rows\[0\]\[1\] must be a number, got bool",
        ),
        (
            lambda: drawing.rasterize_image([1.0, 0.0]),
            TypeError,
            r"rasterize_image: rows\[0\] must be a list of numbers, got float",
        ),
        (
            lambda: drawing.rasterize_image("image"),
            TypeError,
            r"rows must be a list of rows, got str",
        ),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_rasterize_unnormalised_keeps_size_and_position_on_the_canvas():
    # A square from (10, 10) to (30, 30) on a 100-unit canvas covers pixels 3.2..9.6 of a 32 grid.
    square = [[(10, 10), (30, 10), (30, 30), (10, 30), (10, 10)]]
    grid = drawing.rasterize_unnormalised(square, 100, 32)
    inked = [(x, y) for y, row in enumerate(grid) for x, value in enumerate(row) if value > -0.5]
    assert min(x for x, _ in inked) == 2 and max(x for x, _ in inked) == 10
    assert min(y for _, y in inked) == 2 and max(y for _, y in inked) == 10
    moved = [[(x + 50, y + 50) for x, y in square[0]]]
    assert drawing.rasterize_unnormalised(moved, 100, 32) != grid
    assert drawing.rasterize(moved, 32) == drawing.rasterize(square, 32)


def test_rasterize_unnormalised_refuses_a_bad_canvas():
    with pytest.raises(ValueError, match="canvas_size must be a positive number, got 0"):
        drawing.rasterize_unnormalised([[(0, 0), (1, 1)]], 0)


def test_an_integer_too_large_for_a_float_is_refused_clearly():
    with pytest.raises(ValueError, match=r"stroke 0, point 0: x is an integer too large for a float"):
        drawing.prepare([[(10**400, 0), (1, 1)]])


# --- one way to the model's input: model_input ------------------------------

SQUARE = [[(10, 10), (60, 12), (58, 60), (11, 58), (10, 10)]]


def test_model_input_of_a_drawing_at_the_models_side_is_prepare():
    assert drawing.model_input(SQUARE, 32) == drawing.prepare(SQUARE, 32)
    assert drawing.model_input({"strokes": SQUARE}, 16) == drawing.prepare(SQUARE, 16)


def test_model_input_shrinks_a_larger_rendering_by_averaging_runs_of_the_curve():
    at_64 = drawing.prepare(SQUARE, 64)
    values = drawing.model_input(SQUARE, 32, size=64)
    assert len(values) == 1024
    # Each model input is the mean of 4 consecutive values along the 64 x 64 curve.
    for index in (0, 100, 511, 1023):
        assert values[index] == pytest.approx(sum(at_64[4 * index : 4 * index + 4]) / 4, abs=1e-12)
    # Seen as a picture: the 2 x 2 average of the 64 x 64 grid.
    grid_64 = drawing.rasterize(SQUARE, 64)
    grid_32 = hilbert.unflatten(values)
    for y, x in ((0, 0), (5, 17), (31, 31), (16, 3)):
        block = [grid_64[2 * y + dy][2 * x + dx] for dy in (0, 1) for dx in (0, 1)]
        assert grid_32[y][x] == pytest.approx(sum(block) / 4, abs=1e-12)


def test_model_input_enlarges_a_smaller_rendering_into_blocks():
    values = drawing.model_input(SQUARE, 32, size=8)
    grid_8 = drawing.rasterize(SQUARE, 8)
    grid_32 = hilbert.unflatten(values)
    assert all(grid_32[y][x] == grid_8[y // 4][x // 4] for y in range(32) for x in range(32))


def test_model_input_of_a_grid_reads_it_along_the_curve_and_resamples_it():
    grid = drawing.rasterize(SQUARE, 64)
    assert drawing.model_input(grid, 64) == hilbert.flatten(grid)
    assert drawing.model_input(grid, 32) == pytest.approx(drawing.model_input(SQUARE, 32, size=64), abs=1e-12)
    assert drawing.model_input(grid, 32, size=64) == drawing.model_input(grid, 32)
    small = drawing.rasterize(SQUARE, 16)
    assert drawing.model_input(small, 32) == hilbert.upsample(hilbert.flatten(small), 2)
    # A picture (rows of ink) is rendered first, then read like any grid.
    outline = [[1.0 if max(abs(x - 5.5), abs(y - 5.5)) == 3.5 else 0.0 for x in range(12)] for y in range(12)]
    picture = drawing.rasterize_image(outline, 32)
    assert drawing.model_input(picture, 32) == hilbert.flatten(picture)


MODEL_INPUT_REFUSALS = [
    (lambda: drawing.model_input(SQUARE, 32.0), TypeError, r"model_input: model_side must be an int, got float"),
    (lambda: drawing.model_input(SQUARE, True), TypeError, r"model_side must be an int, got bool"),
    (lambda: drawing.model_input(SQUARE, 24), ValueError, r"model_side must be a power of two .* got 24"),
    (lambda: drawing.model_input(SQUARE, 0), ValueError, r"model_side must be a power of two .* got 0"),
    (lambda: drawing.model_input(SQUARE, 32, size=48), ValueError, r"model_input: size must be a power of two >= 4"),
    (lambda: drawing.model_input(SQUARE, 32, size=2), ValueError, r"size must be a power of two >= 4 .* got 2"),
    (
        lambda: drawing.model_input([[(0, 0), (1, "a")]], 32),
        TypeError,
        r"model_input: drawing stroke 0, point 1: y must be a number",
    ),
    (
        lambda: drawing.model_input([[0.0] * 6] * 6, 32),
        ValueError,
        r"model_input: grid must have a power-of-two side .* got 6 rows",
    ),
    (
        lambda: drawing.model_input([[0.0] * 4] * 3 + [[0.0] * 3], 32),
        ValueError,
        r"grid must be square: row 3 must have 4 values, got 3 values",
    ),
    (
        lambda: drawing.model_input([[0.0] * 4] * 3 + [[0.0, math.nan, 0.0, 0.0]], 32),
        ValueError,
        r"grid\[3\]\[1\] must be a finite number, got float \(nan\)",
    ),
    (
        lambda: drawing.model_input([[0.0] * 4] * 3 + [[0.0, "x", 0.0, 0.0]], 32),
        ValueError,
        r"grid\[3\]\[1\] must be a finite number, got str",
    ),
    (
        lambda: drawing.model_input([[0.0] * 4] * 4, 32, size=8),
        ValueError,
        r"size must be None or the grid's own side 4 for a grid, got 8",
    ),
]


@pytest.mark.parametrize(("call", "error", "message"), MODEL_INPUT_REFUSALS)
def test_model_input_refuses_bad_input_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda: hilbert.upsample([0.0] * 8, 2), ValueError, r"upsample: values must have 4\*\*n values .* got 8"),
        (lambda: hilbert.upsample([0.0] * 4, 3), ValueError, r"upsample: factor must be a power of two .* got 3"),
        (lambda: hilbert.upsample([0.0] * 4, 2.0), TypeError, r"upsample: factor must be an int, got float"),
        (lambda: hilbert.upsample("abcd", 2), TypeError, r"upsample: values must be a list, got str"),
    ],
)
def test_upsample_refuses_bad_input_clearly(call, error, message):
    with pytest.raises(error, match=message):
        call()


# --- one drawing check: read_strokes ---------------------------------------


def test_read_strokes_returns_float_pairs_and_keeps_empty_strokes():
    assert drawing.read_strokes({"strokes": [[[1, 2], (3.5, 4)], []], "word": "x"}) == [[(1.0, 2.0), (3.5, 4.0)], []]


def test_read_strokes_caps_strokes_and_points_when_asked():
    line = [[0, 0], [1, 1]]
    assert len(drawing.read_strokes([line] * 3, max_strokes=3, max_points=6)) == 3
    with pytest.raises(ValueError, match=r"drawing has too many strokes: at most 2, got 3"):
        drawing.read_strokes([line] * 3, max_strokes=2)
    with pytest.raises(ValueError, match=r"drawing has too many points: at most 5 in all the strokes together"):
        drawing.read_strokes([line] * 3, max_points=5)


def test_read_strokes_names_a_long_value_without_echoing_it_whole():
    with pytest.raises(TypeError) as raised:
        drawing.read_strokes([[(0, 0), ("y" * 10_000, 1)]], "request")
    message = str(raised.value)
    assert message.startswith("request stroke 0, point 1: x must be a number, got str ('yyy")
    assert len(message) < 150


def test_read_strokes_refuses_a_single_dot_in_several_strokes():
    with pytest.raises(ValueError, match=r"has all its points at one place \(x=5\.0, y=5\.0\); a single dot"):
        drawing.read_strokes([[(5, 5), (5, 5)], [], [(5, 5)]])
