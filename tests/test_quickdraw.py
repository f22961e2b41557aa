"""The Quick, Draw! format: reading newline-delimited JSON, and appending to it safely."""

import json
import math
import os
import threading
import warnings

import pytest

from purenet import drawing
from purenet.datasets import quickdraw
from purenet.squares import quickdraw as application_quickdraw

SIMPLIFIED_SQUARE = {
    "word": "square",
    "countrycode": "GB",
    "recognized": True,
    "key_id": "5090871658414080",
    "timestamp": "2017-03-01 20:29:51.69",
    "drawing": [[[0, 120, 255, 250, 2, 6], [10, 0, 6, 255, 250, 18]]],
}
RAW_CIRCLE = {
    "word": "circle",
    "drawing": [
        [[100.5, 150, 180, 150, 100, 70], [50, 60, 100, 150, 140, 90], [0, 16, 33, 50, 66, 83]],
        [[70, 100.25], [90, 52], [400, 420]],
    ],
}


def write_lines(path, lines):
    path.write_bytes("".join(line + "\n" for line in lines).encode("utf-8"))
    return path


def test_the_kept_name_is_the_application_module():
    assert quickdraw.read is application_quickdraw.read
    assert quickdraw.append is application_quickdraw.append
    assert set(quickdraw.__all__) >= {"read", "append", "simplify", "QuickDrawFormatError"}


def test_read_simplified_and_raw_lines_into_drawings_prepare_accepts(tmp_path):
    path = write_lines(tmp_path / "mixed.ndjson", [json.dumps(SIMPLIFIED_SQUARE), "", "   ", json.dumps(RAW_CIRCLE)])
    drawings = quickdraw.read(path)
    assert [item["word"] for item in drawings] == ["square", "circle"]
    assert drawings[0]["strokes"] == [
        [[0.0, 10.0], [120.0, 0.0], [255.0, 6.0], [250.0, 255.0], [2.0, 250.0], [6.0, 18.0]]
    ]
    assert drawings[1]["strokes"][1] == [[70.0, 90.0], [100.25, 52.0]]  # the times are left out
    assert set(drawings[0]) == {"word", "strokes"}
    for item in drawings:
        assert len(drawing.prepare(item)) == 1024  # accepted as it is
    assert drawing.prepare(drawings[0]) == drawing.prepare(
        [[(0, 10), (120, 0), (255, 6), (250, 255), (2, 250), (6, 18)]]
    )


def test_limit_stops_early_and_a_line_without_word_reads_as_none(tmp_path):
    wordless = {"drawing": [[[0, 5], [0, 5]]]}
    path = write_lines(tmp_path / "three.ndjson", [json.dumps(wordless), json.dumps(SIMPLIFIED_SQUARE), "{broken"])
    assert [item["word"] for item in quickdraw.read(path, limit=2)] == [None, "square"]
    assert len(quickdraw.read(path, limit=1)) == 1
    with pytest.raises(quickdraw.QuickDrawFormatError, match="line 3"):
        quickdraw.read(path, limit=3)


@pytest.mark.parametrize(
    ("limit", "error", "message"),
    [
        (0, ValueError, r"read: limit must be None \(every drawing\) or at least 1, got 0"),
        (-3, ValueError, r"at least 1, got -3"),
        (2.0, TypeError, r"read: limit must be None or an int, got float \(2\.0\)"),
        (True, TypeError, r"got bool"),
        ("5", TypeError, r"got str"),
    ],
)
def test_a_bad_limit_is_refused(tmp_path, limit, error, message):
    path = write_lines(tmp_path / "one.ndjson", [json.dumps(SIMPLIFIED_SQUARE)])
    with pytest.raises(error, match=message):
        quickdraw.read(path, limit=limit)


BAD_LINES = [
    ("{not json", r"line 2: is not valid JSON"),
    ('{"drawing": [[[0, NaN], [0, 1]]]}', r"line 2: is not valid JSON: NaN is not a number JSON allows"),
    ('{"drawing": [[[0, Infinity], [0, 1]]]}', r"Infinity is not a number JSON allows"),
    ('{"drawing": [[[0, 1e999], [0, 1]]]}', r"line 2: drawing stroke 0, point 1: x must be finite, got inf"),
    (
        '{"drawing": [[[0, 1' + "0" * 400 + "], [0, 1]]]}",
        r"line 2: drawing stroke 0, point 1: x is an integer too large",
    ),
    ('{"drawing": [[[0, 1' + "0" * 5000 + "], [0, 1]]]}", r"line 2: is not valid JSON: .*digits"),
    ('{"drawing": [[[0, true], [0, 1]]]}', r"line 2: drawing stroke 0, point 1: x must be a number, got bool"),
    ('{"drawing": [[[0, "1"], [0, 1]]]}', r"point 1: x must be a number, got str"),
    ('{"drawing": [[[0, 1], [0, null]]]}', r"point 1: y must be a number, got None"),
    ("[[[0, 1], [0, 1]]]", r'line 2: must be a JSON object \{"drawing": \[\.\.\.\], \.\.\.\}, got a JSON list'),
    ('{"word": "square", "strokes": []}', r'line 2: has no "drawing" \(its keys: strokes, word\)'),
    ('{"drawing": "square"}', r'line 2: "drawing" must be a list of strokes \[xs, ys\], got str'),
    ('{"drawing": [[[0, 1, 2], [0, 1]]]}', r"line 2: stroke 0 has lists of different lengths: xs 3, ys 2"),
    ('{"drawing": [[[0, 1], [0, 1], [5]]]}', r"stroke 0 has lists of different lengths: xs 2, ys 2, ts 1"),
    ('{"drawing": [[[0, 1], [0, 1]], [[], []]]}', r"line 2: stroke 1 is empty: it has no points"),
    ('{"drawing": [[[0, 1]]]}', r"line 2: stroke 0 must be \[xs, ys\] or \[xs, ys, ts\], got a list of 1"),
    ('{"drawing": [7]}', r"stroke 0 must be \[xs, ys\] or \[xs, ys, ts\], got int"),
    ('{"drawing": [[[0, 1], 5]]}', r"line 2: stroke 0: ys must be a list of numbers, got int"),
    ('{"drawing": []}', r"line 2: drawing is empty: it has no points"),
    ('{"drawing": [[[3, 3], ["4", "4"]]]}', r"line 2: drawing stroke 0, point 0: y must be a number, got str"),
    ('{"drawing": [[[1e999, 1e999], [4, 4]]]}', r"line 2: drawing stroke 0, point 0: x must be finite, got inf"),
    (
        '{"drawing": [[[1' + "0" * 400 + ", 1" + "0" * 400 + "], [4, 4]]]}",
        r"line 2: drawing stroke 0, point 0: x is an integer",
    ),
    ('{"word": 5, "drawing": [[[0, 1], [0, 1]]]}', r'line 2: "word" must be a string, got int'),
    ("[" * 100_000 + "]" * 100_000, r"line 2: is not valid JSON: its arrays are nested too deeply"),
]


@pytest.mark.parametrize("line, message", BAD_LINES, ids=[f"line{index}" for index in range(len(BAD_LINES))])
def test_a_malformed_line_names_the_file_the_line_and_the_problem(tmp_path, line, message):
    path = write_lines(tmp_path / "bad.ndjson", [json.dumps(SIMPLIFIED_SQUARE), line, json.dumps(RAW_CIRCLE)])
    with pytest.raises(quickdraw.QuickDrawFormatError, match=message) as raised:
        quickdraw.read(path)
    assert isinstance(raised.value, ValueError)
    assert str(raised.value).startswith(f"file {str(path)!r}, line 2: ")
    assert raised.value.line_number == 2 and raised.value.path == str(path)


def test_a_tap_that_is_a_single_dot_is_skipped_with_one_warning(tmp_path):
    dot = {"word": "square", "drawing": [[[0], [0]]]}
    tap_twice = {"word": "square", "drawing": [[[7, 7], [3, 3]], [[7], [3]]]}
    lines = [json.dumps(dot), json.dumps(SIMPLIFIED_SQUARE), json.dumps(tap_twice), json.dumps(RAW_CIRCLE)]
    path = write_lines(tmp_path / "taps.ndjson", lines)
    with pytest.warns(
        RuntimeWarning, match=r"skipped 2 drawing\(s\) whose points are all at one place .* line\(s\) 1, 3"
    ):
        drawings = quickdraw.read(path)
    assert [item["word"] for item in drawings] == ["square", "circle"]
    with pytest.warns(RuntimeWarning, match=r"skipped 1 drawing"):
        assert len(quickdraw.read(path, limit=1)) == 1


def test_a_line_that_is_not_utf8_is_named(tmp_path):
    path = tmp_path / "latin.ndjson"
    path.write_bytes(json.dumps(SIMPLIFIED_SQUARE).encode() + b"\n" + b'{"word": "caf\xe9"}\n')
    with pytest.raises(quickdraw.QuickDrawFormatError, match=r"line 2: is not UTF-8 text"):
        quickdraw.read(path)


def test_a_last_line_cut_short_is_skipped_with_a_warning_but_a_broken_middle_line_is_an_error(tmp_path):
    whole = json.dumps(SIMPLIFIED_SQUARE)
    path = tmp_path / "cut.ndjson"
    path.write_bytes((whole + "\n" + whole[:30]).encode())
    with pytest.warns(RuntimeWarning, match=r"line 2 is cut short"):
        assert len(quickdraw.read(path)) == 1
    path.write_bytes((whole + "\n" + whole[:30] + "\n" + whole + "\n").encode())
    with pytest.raises(quickdraw.QuickDrawFormatError, match="line 2: is not valid JSON"):
        quickdraw.read(path)
    # A last line without its newline that is whole is read, not skipped.
    path.write_bytes((whole + "\n" + whole).encode())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert len(quickdraw.read(path)) == 2


# --- simplify and append --------------------------------------------------------------


def test_simplify_moves_scales_to_255_and_drops_points_within_epsilon():
    wobbly_top = [(10 + step, 20 + (0.001 if step % 2 else 0)) for step in range(0, 101)]
    strokes = [wobbly_top + [(110, 60), (10, 60), (10, 20)]]
    simplified = quickdraw.simplify(strokes)
    assert simplified == [[(0, 0), (255, 0), (255, 102), (0, 102), (0, 0)]]
    # On a 200-unit drawing one unit is 1.275 on the 0-255 scale: a bend of 1.7 units (2.17 > epsilon 2)
    # survives, one of 1.5 units (1.91) does not.
    assert quickdraw.simplify([[(0, 0), (80, 1.7), (200, 0)]]) == [[(0, 0), (102, 2), (255, 0)]]
    assert quickdraw.simplify([[(0, 0), (80, 1.5), (200, 0)]]) == [[(0, 0), (255, 0)]]


def test_simplify_handles_a_long_closed_stroke_without_deep_recursion():
    # A closed circle of 5000 points: the ends coincide, so distances are measured to the point.
    circle = [(math.cos(2 * math.pi * k / 5000), math.sin(2 * math.pi * k / 5000)) for k in range(5001)]
    simplified = quickdraw.simplify([circle])[0]
    assert 10 <= len(simplified) <= 60
    assert math.dist(simplified[0], simplified[-1]) <= 1  # closed, up to rounding
    centre = 127.5
    assert all(abs(math.hypot(x - centre, y - centre) - 127.5) < 3 for x, y in simplified)


def test_append_writes_a_simplified_line_that_read_returns(tmp_path):
    path = tmp_path / "mine.ndjson"
    square = [[(10, 10), (60, 10.4), (60, 60), (10, 60), (10, 10)]]
    returned = quickdraw.append(path, square, "square")
    quickdraw.append(path, {"strokes": [[(0, 0), (20, 30)], [(20, 0), (0, 30)]]}, "other")
    lines = path.read_bytes().split(b"\n")
    assert lines[-1] == b"" and len(lines) == 3
    first = json.loads(lines[0])
    assert first == {"word": "square", "drawing": [[[0, 255, 255, 0, 0], [0, 2, 255, 255, 0]]]}
    read_back = quickdraw.read(path)
    assert read_back[0] == returned
    assert [item["word"] for item in read_back] == ["square", "other"]
    assert read_back[1]["strokes"] == [[[0.0, 0.0], [170.0, 255.0]], [[170.0, 0.0], [0.0, 255.0]]]


@pytest.mark.parametrize(
    ("strokes", "word", "error", "message"),
    [
        ([[(0, 0), (1, 1)]], "", ValueError, r"append: word must have 1 to 100 characters, got 0"),
        ([[(0, 0), (1, 1)]], "w" * 101, ValueError, r"got 101"),
        ([[(0, 0), (1, 1)]], None, TypeError, r"append: word must be a string, got NoneType"),
        ([[(0, 0), (1, 1)]] * 101, "square", ValueError, r"append: drawing has too many strokes: at most 100, got 101"),
        ([[(step, step) for step in range(10_001)]], "square", ValueError, r"too many points: at most 10000"),
        ([[(0, 0), (math.nan, 1)]], "square", ValueError, r"append: drawing stroke 0, point 1: x must be finite"),
        ([[(2, 2)]], "square", ValueError, r"append: drawing has all its points at one place"),
        ([], "square", ValueError, r"append: drawing is empty"),
        ("square", "square", TypeError, r"append: drawing must be a list of strokes"),
    ],
)
def test_append_refuses_bad_drawings_and_words_and_writes_nothing(tmp_path, strokes, word, error, message):
    path = tmp_path / "collected.ndjson"
    with pytest.raises(error, match=message):
        quickdraw.append(path, strokes, word)
    assert not path.exists()


def test_append_removes_a_line_cut_short_by_a_crash_and_keeps_a_whole_one(tmp_path):
    path = tmp_path / "crashed.ndjson"
    square = [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]]
    quickdraw.append(path, square, "square")
    whole = path.read_bytes()
    path.write_bytes(whole + whole[:25])  # the machine stopped in the middle of a write
    with pytest.warns(RuntimeWarning, match=r"ended with 25 bytes of a line cut short"):
        quickdraw.append(path, square, "other")
    assert path.read_bytes() == whole + whole.replace(b'"square"', b'"other"')
    # A last line written by hand without its newline is valid JSON: it is kept.
    hand_written = json.dumps(SIMPLIFIED_SQUARE).encode()
    path.write_bytes(whole + hand_written)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        quickdraw.append(path, square, "square")
    assert path.read_bytes() == whole + hand_written + b"\n" + whole
    assert len(quickdraw.read(path)) == 3


def test_append_refuses_to_grow_a_file_beyond_its_cap(tmp_path, monkeypatch):
    path = tmp_path / "full.ndjson"
    square = [[(0, 0), (1, 0), (1, 1), (0, 1), (0, 0)]]
    quickdraw.append(path, square, "square")
    size = path.stat().st_size
    monkeypatch.setattr(application_quickdraw, "MAX_FILE_BYTES", size + 10)
    with pytest.raises(ValueError, match=r"would grow beyond 7\d bytes; start a new file"):
        quickdraw.append(path, square, "square")
    assert path.stat().st_size == size


def test_appends_from_many_threads_give_whole_lines(tmp_path):
    path = tmp_path / "threads.ndjson"
    shapes = [[[(0, 0), (index + 1, 0), (index + 1, index + 1)]] for index in range(20)]
    threads = [
        threading.Thread(target=quickdraw.append, args=(path, strokes, f"t{index}"))
        for index, strokes in enumerate(shapes)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    words = sorted(item["word"] for item in quickdraw.read(path))
    assert words == sorted(f"t{index}" for index in range(20))
    assert os.path.getsize(path) == sum(len(line) + 1 for line in path.read_bytes().split(b"\n")[:-1])
