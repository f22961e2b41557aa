"""purenet.plot: every chart parses as XML, every point drawn is the data's point under the axis mapping read back
from the chart's own ticks, and every PNG decodes with a reference decoder written here (and with Pillow if installed).
"""

from __future__ import annotations

import base64
import io
import math
import random
import struct
import xml.etree.ElementTree as ElementTree
import zlib

import pytest

import purenet as pn
from purenet import plot
from purenet.datasets import xor
from purenet.plot import colours
from purenet.plot.ticks import nice_number, tick_labels

SVG = "{http://www.w3.org/2000/svg}"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


# --- reading charts back ------------------------------------------------------------------------------------------


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def by_class(root: ElementTree.Element, tag: str, name: str) -> list[ElementTree.Element]:
    return [element for element in root.iter(f"{SVG}{tag}") if element.get("class") == name]


def read_axis(root: ElementTree.Element, axis: str):
    """(ticks as (value, pixel) pairs, a function from pixel back to value), read from the chart's tick groups."""
    ticks = []
    for group in by_class(root, "g", f"{axis}-tick"):
        line, text = group.find(f"{SVG}line"), group.find(f"{SVG}text")
        pixel = float(line.get("x1" if axis == "x" else "y1"))
        ticks.append((float(text.text), pixel))
    assert len(ticks) >= 2, f"the chart has {len(ticks)} {axis} ticks"
    (first_value, first_pixel), (last_value, last_pixel) = ticks[0], ticks[-1]
    log = all(value > 0 for value, _ in ticks) and is_log_spaced([value for value, _ in ticks])
    scale = math.log10 if log else (lambda value: value)

    def value_at(pixel: float) -> float:
        fraction = (pixel - first_pixel) / (last_pixel - first_pixel)
        position = scale(first_value) + fraction * (scale(last_value) - scale(first_value))
        return 10**position if log else position

    # every tick sits where the mapping through the first and last puts it: the mapping is one line (in log space)
    for value, pixel in ticks:
        assert value_at(pixel) == pytest.approx(value, rel=1e-3, abs=1e-3 * abs(last_value - first_value))
    return ticks, value_at


def is_log_spaced(values: list[float]) -> bool:
    return len(values) > 2 and all(later / earlier == pytest.approx(10.0) for earlier, later in zip(values, values[1:]))


def drawn_series(root: ElementTree.Element) -> dict[str, list[list[tuple[float, float]]]]:
    """{series name: [polyline points]} in pixels."""
    result = {}
    for group in by_class(root, "g", "series"):
        title = group.find(f"{SVG}title")
        lines = []
        for polyline in group.iter(f"{SVG}polyline"):
            lines.append([tuple(map(float, pair.split(","))) for pair in polyline.get("points").split()])
        result["" if title is None else title.text] = lines
    return result


def embedded_png(image: ElementTree.Element) -> bytes:
    prefix = "data:image/png;base64,"
    source = image.get("href")
    assert source.startswith(prefix)
    return base64.b64decode(source[len(prefix) :])


def hex_to_rgb(text: str) -> tuple[int, int, int]:
    return tuple(int(text[index : index + 2], 16) for index in (1, 3, 5))


# --- a reference PNG decoder: chunks, CRCs, IHDR, zlib, filter-type-0 rows ----------------------------------------


def decode_png(data: bytes) -> list[list[tuple[int, int, int]]]:
    """Rows of (r, g, b) of an 8-bit RGB, non-interlaced PNG whose rows are all filter type 0."""
    assert data[:8] == PNG_SIGNATURE
    position, chunks = 8, []
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length : position + 12 + length])
        assert zlib.crc32(kind + body) & 0xFFFFFFFF == crc, f"bad CRC in chunk {kind!r}"
        chunks.append((kind, body))
        position += 12 + length
    assert position == len(data)
    assert chunks[0][0] == b"IHDR" and chunks[-1] == (b"IEND", b"")
    width, height, depth, colour_type, compression, filtering, interlace = struct.unpack(">IIBBBBB", chunks[0][1])
    assert (depth, colour_type, compression, filtering, interlace) == (8, 2, 0, 0, 0)
    raw = zlib.decompress(b"".join(body for kind, body in chunks if kind == b"IDAT"))
    stride = 1 + 3 * width
    assert len(raw) == height * stride
    rows = []
    for row in range(height):
        line = raw[row * stride : (row + 1) * stride]
        assert line[0] == 0, "filter type 0"
        rows.append([tuple(line[1 + 3 * column : 4 + 3 * column]) for column in range(width)])
    return rows


def test_the_reference_decoder_refuses_a_damaged_file():
    data = bytearray(plot.png([[0.0, 1.0]]))
    data[-20] ^= 0xFF  # inside the IDAT data: its CRC no longer matches
    with pytest.raises(AssertionError, match="bad CRC"):
        decode_png(bytes(data))


# --- ticks --------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "rounding", "nice"),
    [
        (0.63, True, 0.5),
        (0.73, True, 1.0),
        (0.73, False, 1.0),
        (1.4, True, 1.0),
        (1.6, True, 2.0),
        (3.2, True, 5.0),
        (3.2, False, 5.0),
        (8.0, True, 10.0),
        (120.0, False, 200.0),
        (2.0, False, 2.0),
        (0.004, True, 0.005),
    ],
)
def test_nice_number_is_one_two_or_five_times_a_power_of_ten(value, rounding, nice):
    assert nice_number(value, rounding) == pytest.approx(nice)


def test_linear_ticks_are_nice_evenly_spaced_and_cover_the_range():
    rng = random.Random(12)
    for _ in range(500):
        magnitude = 10.0 ** rng.randint(-6, 6)  # values of every size, each range at least 1e-6 of its values
        low = rng.uniform(-1000, 1000) * magnitude
        high = low + rng.uniform(1e-3, 1000) * magnitude
        count = rng.randint(2, 10)
        ticks = plot.linear_ticks(low, high, count)
        assert ticks[0] <= low + 1e-12 * abs(low) and ticks[-1] >= high - 1e-12 * abs(high)
        step = ticks[1] - ticks[0]
        exponent = math.floor(math.log10(step) + 1e-9)
        assert round(step / 10**exponent, 6) in (1.0, 2.0, 5.0)
        for earlier, later in zip(ticks, ticks[1:]):
            assert later - earlier == pytest.approx(step, rel=1e-6)
        assert all(
            abs(tick / step - round(tick / step)) < 1e-6 * max(1.0, abs(tick / step)) for tick in ticks
        )  # multiples
        assert 2 <= len(ticks) <= 2 * count + 2  # about count ticks, never a forest
        # a tighter range would leave data out: no tick beyond the first at or below low
        assert ticks[1] > low and ticks[-2] < high


def test_linear_ticks_and_labels_for_familiar_ranges():
    assert plot.linear_ticks(0, 1, 6) == pytest.approx([0.0, 0.2, 0.4, 0.6, 0.8, 1.0])
    assert tick_labels(plot.linear_ticks(0, 1, 6)) == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]
    assert plot.linear_ticks(0.03, 0.97, 3) == pytest.approx([0.0, 0.5, 1.0])
    assert plot.linear_ticks(1, 100, 6) == pytest.approx([0, 20, 40, 60, 80, 100])
    assert tick_labels(plot.linear_ticks(1, 100, 6)) == ["0", "20", "40", "60", "80", "100"]
    assert plot.linear_ticks(1, 3, 10, integer=True) == pytest.approx([1, 2, 3])  # epochs: no 1.5
    ticks = plot.linear_ticks(5, 5)
    assert ticks[0] < 5 < ticks[-1]  # a single value sits inside the axis
    assert tick_labels([0.0, 2e-05, 4e-05]) == ["0", "2e-05", "4e-05"]
    assert tick_labels([0.0, 2e6, 4e6]) == ["0", "2e+06", "4e+06"]


def test_log_ticks_are_the_powers_of_ten_around_the_data():
    assert plot.log_ticks(0.003, 42) == pytest.approx([0.001, 0.01, 0.1, 1, 10, 100])
    assert plot.log_ticks(1, 1000) == pytest.approx([1, 10, 100, 1000])
    assert plot.log_ticks(2, 3) == pytest.approx([1, 10])
    assert tick_labels([0.01, 0.1, 1.0, 10.0], log=True) == ["0.01", "0.1", "1", "10"]


# --- line charts --------------------------------------------------------------------------------------------------


def test_line_chart_points_are_the_data_under_the_axis_mapping():
    rng = random.Random(3)
    data = {"loss": [rng.uniform(-3, 7) for _ in range(40)], "other": [rng.uniform(0, 2) for _ in range(40)]}
    x = [0.5 * index + 2 for index in range(40)]
    root = parse(plot.line_chart(data, x, title="t", x_label="step", y_label="value", width=500, height=300))
    _, x_value = read_axis(root, "x")
    y_ticks, y_value = read_axis(root, "y")
    assert y_ticks[0][0] <= min(data["loss"]) and y_ticks[-1][0] >= max(data["loss"])
    drawn = drawn_series(root)
    assert list(drawn) == ["loss", "other"]
    for name, values in data.items():
        (line,) = drawn[name]
        assert len(line) == len(values)
        for (px, py), expected_x, expected_y in zip(line, x, values):
            # two decimals of a pixel, a few hundred pixels for the whole range: 1e-3 of the range
            assert x_value(px) == pytest.approx(expected_x, abs=1e-3 * (max(x) - min(x)))
            assert y_value(py) == pytest.approx(expected_y, abs=1e-3 * 10)


def test_line_chart_on_a_log_scale():
    values = [10.0 * 0.5**epoch for epoch in range(12)]
    root = parse(plot.line_chart({"loss": values}, log_y=True))
    y_ticks, y_value = read_axis(root, "y")
    assert [value for value, _ in y_ticks] == pytest.approx([0.001, 0.01, 0.1, 1, 10])
    (line,) = drawn_series(root)["loss"]
    for (_, py), expected in zip(line, values):
        assert y_value(py) == pytest.approx(expected, rel=2e-3)
    # halving is a straight line on a log axis: equal pixel steps
    steps = [later[1] - earlier[1] for earlier, later in zip(line, line[1:])]
    assert max(steps) - min(steps) < 0.02
    root = parse(plot.line_chart([1, 100], log_x=False, log_y=True, y_range=(0.5, 2)))
    assert [value for value, _ in read_axis(root, "y")[0]] == pytest.approx([0.1, 1, 10, 100])


def test_a_none_is_a_gap_in_the_line():
    root = parse(plot.line_chart({"a": [1.0, 2.0, None, 4.0, 5.0, None, 7.0]}))
    lines = drawn_series(root)["a"]
    assert [len(line) for line in lines] == [2, 2]  # the lone 7.0 is a dot, not a line
    _, x_value = read_axis(root, "x")
    assert [round(x_value(px)) for px, _ in lines[1]] == [3, 4]
    assert len(list(root.iter(f"{SVG}circle"))) == 5


def test_legend_names_each_series_and_text_is_escaped():
    title = 'loss <train> & "validation"'
    svg = plot.line_chart({"a<b": [1, 2], "c&d": [2, 1]}, title=title, dashed=["c&d"])
    assert "&lt;train&gt; &amp;" in svg and "<train>" not in svg
    root = parse(svg)
    assert root.find(f"{SVG}title").text == title
    entries = by_class(root, "g", "legend-entry")
    assert [entry.find(f"{SVG}text").text for entry in entries] == ["a<b", "c&d"]
    swatches = [entry.find(f"{SVG}line") for entry in entries]
    assert swatches[0].get("stroke-dasharray") is None and swatches[1].get("stroke-dasharray") is not None
    assert swatches[0].get("stroke") != swatches[1].get("stroke")
    # a control character (forbidden in XML) cannot break the chart
    assert parse(plot.line_chart([1, 2], title="bell\x07")).find(f"{SVG}title").text == "bell\ufffd"
    # one unnamed series: no legend
    assert by_class(parse(plot.line_chart([1, 2, 3])), "g", "legend-entry") == []


def test_charts_are_deterministic():
    data = {"loss": [0.9, 0.5, 0.3], "val_loss": [1.0, 0.6, 0.5], "accuracy": [0.1, 0.5, 0.9]}
    assert plot.history(data) == plot.history(dict(data))
    assert plot.line_chart([1, 2, 3]) == plot.line_chart([1, 2, 3])
    assert plot.png([[0.1, 0.2]]) == plot.png([[0.1, 0.2]])


# --- history ------------------------------------------------------------------------------------------------------


def panels(root: ElementTree.Element) -> dict[str, ElementTree.Element]:
    return {panel.find(f"{SVG}text").text: panel for panel in by_class(root, "svg", "panel")}


def test_history_draws_training_and_validation_per_measure():
    history = {
        "loss": [1.2, 0.8, 0.5, 0.4],
        "accuracy": [0.4, 0.6, 0.8, 0.85],
        "val_loss": [1.3, 0.9, 0.7, 0.7],
        "val_accuracy": [0.3, 0.5, 0.7, 0.75],
    }
    root = parse(plot.history(history, title="spiral"))
    found = panels(root)
    assert list(found) == ["loss", "accuracy"]
    for measure, panel in found.items():
        _, x_value = read_axis(panel, "x")
        _, y_value = read_axis(panel, "y")
        drawn = drawn_series(panel)
        assert list(drawn) == ["training", "validation"]
        for name, key in (("training", measure), ("validation", "val_" + measure)):
            (line,) = drawn[name]
            assert [x_value(px) for px, _ in line] == pytest.approx([1, 2, 3, 4], abs=0.01)
            assert [y_value(py) for _, py in line] == pytest.approx(history[key], abs=0.01)
        validation = by_class(panel, "g", "series")[1].find(f"{SVG}polyline")
        assert validation.get("stroke-dasharray") is not None
    accuracy_ticks, _ = read_axis(found["accuracy"], "y")
    assert accuracy_ticks[0][0] == pytest.approx(0.0) and accuracy_ticks[-1][0] == pytest.approx(1.0)
    loss_ticks, _ = read_axis(panels(parse(plot.history(history, log_loss=True)))["loss"], "y")
    assert is_log_spaced([value for value, _ in loss_ticks])


def test_history_of_a_real_fit():
    X, y = xor()
    model = pn.Sequential(pn.Dense(2, 4, rng=1), pn.Tanh(), pn.Dense(4, 2, rng=2))
    history = model.fit(X, y, epochs=5, batch_size=2, verbose=0, seed=0)
    root = parse(plot.history(history))
    found = panels(root)
    assert list(found) == ["loss", "accuracy"]
    assert list(drawn_series(found["loss"])) == ["training"]  # no validation asked for, none drawn
    (line,) = drawn_series(found["loss"])["training"]
    _, y_value = read_axis(found["loss"], "y")
    assert [y_value(py) for _, py in line] == pytest.approx(history["loss"], abs=1e-3 * max(history["loss"]))


def test_history_leaves_out_empty_measures_and_says_when_nothing_ran():
    root = parse(plot.history({"loss": [0.5, 0.25], "accuracy": [None, None], "val_loss": [], "val_accuracy": []}))
    assert list(panels(root)) == ["loss"]
    empty = plot.history({"loss": [], "accuracy": [], "val_loss": [], "val_accuracy": []})
    assert "no epochs yet" in empty and by_class(parse(empty), "svg", "panel") == []


# --- heat maps ----------------------------------------------------------------------------------------------------


def cell_colours(root: ElementTree.Element) -> list[tuple[int, int, int]]:
    return [hex_to_rgb(cell.get("fill")) for cell in by_class(root, "rect", "cell")]


def test_heat_map_colours_are_monotone_in_value():
    values = [[index / 4 + row * 2.5 for index in range(10)] for row in range(3)]  # increasing row by row
    sequential = cell_colours(parse(plot.heat_map(values)))
    assert len(sequential) == 30
    brightness = [colours.luminance(colour) for colour in sequential]
    assert all(later < earlier for earlier, later in zip(brightness, brightness[1:])), "darker means more"
    signed = [[value - 3.5 for value in row] for row in values]
    diverging = cell_colours(parse(plot.heat_map(signed, colour_map="diverging")))
    redness = [red - blue for red, _, blue in diverging]
    assert all(later > earlier for earlier, later in zip(redness, redness[1:])), "bluer below, redder above"
    assert diverging[14] == (247, 247, 247)  # the value 0.0: white is zero (the range is symmetric)
    root = parse(plot.heat_map([[1, 2.5]], show_values=True, row_labels=["r"], column_labels=["a", "b"]))
    assert [cell.find(f"{SVG}title").text for cell in by_class(root, "rect", "cell")] == [
        "row 0, column 0: 1",
        "row 0, column 1: 2.5",
    ]
    assert "2.5" in [text.text for text in root.iter(f"{SVG}text")]
    # a range given: values beyond it take the colour of its ends
    clipped = cell_colours(parse(plot.heat_map([[-5, 0, 0.5, 1, 9]], value_range=(0, 1))))
    assert clipped[0] == clipped[1] and clipped[3] == clipped[4] and clipped[1] != clipped[2] != clipped[3]


def test_confusion_matrix_chart_shows_counts_coloured_by_share_of_the_true_class():
    matrix = [[8, 2, 0], [1, 1, 0], [0, 0, 3]]
    root = parse(plot.confusion_matrix_chart(matrix, ["cat", "dog", "bird"]))
    cells = by_class(root, "rect", "cell")
    assert len(cells) == 9
    tooltips = [cell.find(f"{SVG}title").text for cell in cells]
    assert tooltips[0] == "true cat, predicted cat: 8 (80.0% of cat)"
    assert tooltips[4] == "true dog, predicted dog: 1 (50.0% of dog)"
    brightness = [colours.luminance(hex_to_rgb(cell.get("fill"))) for cell in cells]
    # 3 of 3 birds right is darker than 8 of 10 cats, though 8 > 3: the colour is the share
    assert brightness[8] < brightness[0] < brightness[4] < brightness[1]
    assert brightness[4] == pytest.approx(brightness[3])  # 1 of 2 dogs right, 1 of 2 wrong: the same share
    texts = [text.text for text in root.iter(f"{SVG}text")]
    assert {"8", "2", "3", "cat", "dog", "bird", "true class", "predicted class"} <= set(texts)
    computed = pn.confusion_matrix([0, 1, 1, 0], [0, 1, 0, 0])
    assert len(by_class(parse(plot.confusion_matrix_chart(computed)), "rect", "cell")) == 4


# --- PNG ----------------------------------------------------------------------------------------------------------


def test_png_decodes_with_the_reference_decoder():
    grid = [[0.0, 0.5, 1.0], [1.0, 0.25, 0.0]]
    assert decode_png(plot.png(grid)) == [
        [(0, 0, 0), (128, 128, 128), (255, 255, 255)],
        [(255, 255, 255), (64, 64, 64), (0, 0, 0)],
    ]
    ink = decode_png(plot.png(grid, colour_map="ink", value_range=(0, 2)))
    assert ink[0] == [(255, 255, 255), (191, 191, 191), (128, 128, 128)]
    enlarged = decode_png(plot.png(grid, scale=3))
    assert len(enlarged) == 6 and len(enlarged[0]) == 9
    assert enlarged[4][3:6] == [(64, 64, 64)] * 3
    colours_grid = [[(255, 0, 0), (0, 255, 0)], [(0, 0, 255), (12, 34, 56)]]
    assert decode_png(plot.png(colours_grid)) == colours_grid


def test_png_decodes_with_pillow():
    image_module = pytest.importorskip("PIL.Image")
    rng = random.Random(5)
    grid = [[rng.uniform(-1, 1) for _ in range(7)] for _ in range(5)]
    data = plot.png(grid, scale=2, colour_map="diverging")
    with image_module.open(io.BytesIO(data)) as image:
        assert image.size == (14, 10) and image.mode == "RGB"
        pixels = [[image.getpixel((x, y)) for x in range(14)] for y in range(10)]
    assert pixels == decode_png(data)


# --- image grids, weights, decision regions -----------------------------------------------------------------------


def test_image_grid_embeds_each_image_with_its_label_and_a_shared_range():
    images = [[[0.0, 1.0], [1.0, 0.0]], [[0.0, 2.0], [0.5, 0.5]], [[(255, 0, 0), (0, 0, 255)], [(0, 0, 0), (9, 9, 9)]]]
    root = parse(plot.image_grid(images, columns=2, labels=["first", "second <2>", "colour"], title="examples"))
    groups = by_class(root, "g", "image")
    assert [group.find(f"{SVG}title").text for group in groups] == ["first", "second <2>", "colour"]
    decoded = [decode_png(embedded_png(group.find(f"{SVG}image"))) for group in groups]
    white, black = (255, 255, 255), (0, 0, 0)
    # one range, 0 to 2, for both number images: 1.0 is the same grey in each, 2.0 is the only black
    assert decoded[0] == [[white, (128, 128, 128)], [(128, 128, 128), white]]
    assert decoded[1] == [[white, black], [(191, 191, 191), (191, 191, 191)]]
    assert decoded[2] == images[2]
    positions = [
        (float(group.find(f"{SVG}image").get("x")), float(group.find(f"{SVG}image").get("y"))) for group in groups
    ]
    assert positions[0][1] == positions[1][1] < positions[2][1] and positions[0][0] == positions[2][0] < positions[1][0]


def test_weight_images_show_each_unit_in_a_range_symmetric_about_zero():
    weight = [[0.0, 1.0, -1.0, 0.5, 0.0, 0.0], [-2.0, 0.0, 2.0, 0.0, 0.25, 0.0]]
    root = parse(plot.weight_images(weight, (2, 3)))
    groups = by_class(root, "g", "image")
    assert [group.find(f"{SVG}title").text for group in groups] == ["unit 0", "unit 1"]
    for unit, group in zip(weight, groups):
        decoded = decode_png(embedded_png(group.find(f"{SVG}image")))
        assert len(decoded) == 2 and len(decoded[0]) == 3
        for index, value in enumerate(unit):
            expected = colours.map_colour("diverging", (value + 2.0) / 4.0)
            assert decoded[index // 3][index % 3] == expected
    unit_one = decode_png(embedded_png(groups[1].find(f"{SVG}image")))
    assert (
        unit_one[0][0][2] > unit_one[0][0][0] and unit_one[0][2][0] > unit_one[0][2][2]
    )  # negative blue, positive red


class CountingClassifier:
    """A classifier of the plane with a known boundary (class 1 where x1 + x2 > 0.3), counting its calls."""

    def __init__(self) -> None:
        self.calls = 0

    def predict(self, points: list[list[float]]) -> list[int]:
        self.calls += 1
        return [int(x1 + x2 > 0.3) for x1, x2 in points]


def test_decision_regions_colour_each_cell_by_the_class_at_its_centre():
    X = [[-1.0, -0.5], [0.0, 0.8], [0.9, 0.1], [1.4, -0.9]]
    y = [0, 0, 1, 1]
    classifier = CountingClassifier()
    root = parse(plot.decision_regions(classifier, X, y, resolution=20, class_names=["left", "right"]))
    assert classifier.calls == 1  # one batch for the whole plane
    _, x_value = read_axis(root, "x")
    _, y_value = read_axis(root, "y")
    (image,) = by_class(root, "image", "regions")
    pixels = decode_png(embedded_png(image))
    assert len(pixels) == 20 and len(pixels[0]) == 20
    left, top = float(image.get("x")), float(image.get("y"))
    width, height = float(image.get("width")), float(image.get("height"))
    tints = [colours.mix(colours.palette_colour(label), (255, 255, 255), 0.7) for label in (0, 1)]
    for row in range(20):
        for column in range(20):
            centre = (x_value(left + (column + 0.5) / 20 * width), y_value(top + (row + 0.5) / 20 * height))
            assert pixels[row][column] == tints[int(sum(centre) > 0.3)], (row, column, centre)
    assert {pixel for row in pixels for pixel in row} == set(tints)
    samples = list(by_class(root, "g", "samples")[0].iter(f"{SVG}circle"))
    for circle, point, label in zip(samples, X, y):
        assert x_value(float(circle.get("cx"))) == pytest.approx(point[0], abs=0.01)
        assert y_value(float(circle.get("cy"))) == pytest.approx(point[1], abs=0.01)
        assert hex_to_rgb(circle.get("fill")) == colours.palette_colour(label)
    assert [entry.find(f"{SVG}text").text for entry in by_class(root, "g", "legend-entry")] == ["left", "right"]


def test_decision_regions_of_a_model():
    X, y = xor()
    model = pn.Sequential(pn.Dense(2, 3, rng=4), pn.Tanh(), pn.Dense(3, 2, rng=5))
    root = parse(plot.decision_regions(model, X, y, resolution=8))
    (image,) = by_class(root, "image", "regions")
    assert len(decode_png(embedded_png(image))) == 8
    root = parse(plot.decision_regions(lambda points: [0] * len(points), X, y, resolution=4))
    assert {pixel for row in decode_png(embedded_png(by_class(root, "image", "regions")[0])) for pixel in row} == {
        colours.mix(colours.palette_colour(0), (255, 255, 255), 0.7)
    }


# --- bad input ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("draw", "error", "message"),
    [
        (lambda: plot.line_chart([]), ValueError, "line_chart: series must not be empty"),
        (lambda: plot.line_chart({}), ValueError, "at least one series"),
        (lambda: plot.line_chart({"a": [1, "2"]}), TypeError, r"series\['a'\]\[1\] must be a finite number or None"),
        (lambda: plot.line_chart({"a": [1, True]}), TypeError, r"series\['a'\]\[1\] .* got bool True"),
        (lambda: plot.line_chart({"a": [1, math.nan]}), ValueError, r"series\['a'\]\[1\] must be a finite number"),
        (lambda: plot.line_chart([1, math.inf]), ValueError, r"series\[1\] must be a finite number or None .* inf"),
        (lambda: plot.line_chart([None, None]), ValueError, "every value is None"),
        (lambda: plot.line_chart({"a": [1, 0]}, log_y=True), ValueError, "log_y needs positive values.*'a' has y = 0"),
        (lambda: plot.line_chart([1, 2], x=[1]), ValueError, "x has 1 values but series has 2"),
        (lambda: plot.line_chart([1, 2], width=10), ValueError, "line_chart: width must be an integer >= 50"),
        (lambda: plot.line_chart([1, 2], title=3), TypeError, "line_chart: title must be a str, got int 3"),
        (lambda: plot.line_chart({"a": [1]}, dashed=["b"]), ValueError, "dashed names 'b', which is not a series"),
        (lambda: plot.history([1, 2]), TypeError, "history: history must be the dict fit returns, got list"),
        (lambda: plot.history({"loss": [1, "x"]}), TypeError, r"history\['loss'\]\[1\]"),
        (lambda: plot.heat_map([[1, 2], [3]]), ValueError, "equal length .* 2 numbers in row 0 and 1 in row 1"),
        (lambda: plot.heat_map([]), ValueError, "heat_map: grid must not be empty"),
        (lambda: plot.heat_map([[1]], colour_map="jet"), ValueError, "colour_map must be one of .* got 'jet'"),
        (lambda: plot.heat_map([[1, 2]], row_labels=["a", "b"]), ValueError, "row_labels must hold 1 labels"),
        (lambda: plot.heat_map([[1]], value_range=(2, 1)), ValueError, "value_range must have low < high"),
        (lambda: plot.confusion_matrix_chart([[1, 2]]), ValueError, "must be square"),
        (lambda: plot.confusion_matrix_chart([[1, -2], [0, 1]]), ValueError, r"matrix\[0\]\[1\] must be a count"),
        (lambda: plot.png([[1, 2], [3]]), ValueError, "png: grid must have rows of equal length"),
        (lambda: plot.png([[(0, 0, 256)]]), ValueError, r"png: grid\[0\]\[0\] must hold three ints 0-255"),
        (lambda: plot.png([[False]]), TypeError, r"png: grid\[0\]\[0\] must be a finite number, got bool"),
        (lambda: plot.png([[1]], scale=0), ValueError, "png: scale must be a positive integer, got 0"),
        (lambda: plot.png([[1]], scale=20000), ValueError, "more than 16384 on a side"),
        (lambda: plot.image_grid([]), ValueError, "image_grid: images must not be empty"),
        (lambda: plot.image_grid([[[1]]], labels=["a", "b"]), ValueError, "labels must hold 1 labels"),
        (lambda: plot.weight_images([[1, 2, 3]], (2, 2)), ValueError, "holds 4 pixels, but each unit has 3 weights"),
        (
            lambda: plot.decision_regions(CountingClassifier(), [[1, 2, 3]], [0]),
            ValueError,
            r"X\[0\] must be a 2-D point",
        ),
        (
            lambda: plot.decision_regions(CountingClassifier(), [[1, 2]], [1.0]),
            ValueError,
            r"y\[0\] must be a class index",
        ),
        (lambda: plot.decision_regions(lambda p: [0], [[1, 2]], [0]), ValueError, "the classifier's answer must hold"),
        (lambda: plot.decision_regions("model", [[1, 2]], [0]), TypeError, "classifier must be a model with predict"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(draw, error, message):
    with pytest.raises(error, match=message):
        draw()
