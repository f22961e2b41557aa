"""purenet.plot.network_diagram: one circle per unit shown, one line per weight between the units shown, each line
from the centre of its source to the centre of its target, coloured and sized by its weight, wide layers cut."""

from __future__ import annotations

import random
import xml.etree.ElementTree as ElementTree

import pytest

import purenet as pn
from purenet import plot
from purenet.plot.network import THICKEST, THINNEST, shown_units

SVG = "{http://www.w3.org/2000/svg}"


def parse(svg: str) -> ElementTree.Element:
    root = ElementTree.fromstring(svg)
    assert root.tag == f"{SVG}svg"
    return root


def by_class(root: ElementTree.Element, tag: str, name: str) -> list[ElementTree.Element]:
    return [element for element in root.iter(f"{SVG}{tag}") if element.get("class") == name]


def columns(root: ElementTree.Element) -> list[list[tuple[float, float]]]:
    """The centres of the circles, grouped by layer (the groups of class "layer", left to right)."""
    return [
        [(float(circle.get("cx")), float(circle.get("cy"))) for circle in by_class(layer, "circle", "unit")]
        for layer in by_class(root, "g", "layer")
    ]


def rgb(colour: str) -> tuple[int, int, int]:
    return int(colour[1:3], 16), int(colour[3:5], 16), int(colour[5:7], 16)


def test_every_unit_is_a_circle_and_every_weight_a_line_between_centres():
    root = parse(plot.network_diagram([2, 4, 3]))
    centres = columns(root)
    assert [len(column) for column in centres] == [2, 4, 3]
    # columns left to right, units top to bottom, each column at one x
    xs = [column[0][0] for column in centres]
    assert xs == sorted(xs) and len(set(xs)) == 3
    for column in centres:
        assert len({x for x, _ in column}) == 1
        ys = [y for _, y in column]
        assert ys == sorted(ys)
    lines = by_class(root, "line", "weight")
    assert len(lines) == 2 * 4 + 4 * 3
    ends = {
        ((float(line.get("x1")), float(line.get("y1"))), (float(line.get("x2")), float(line.get("y2"))))
        for line in lines
    }
    expected = {(a, b) for layer in range(2) for a in centres[layer] for b in centres[layer + 1]}
    assert ends == expected


def test_a_wide_layer_shows_its_first_units_an_ellipsis_and_its_last():
    assert shown_units(5, 8) == [0, 1, 2, 3, 4]
    assert shown_units(64, 8) == [0, 1, 2, 3, 4, 5, 6, 63]
    assert shown_units(4, 3) == [0, 1, 3]
    root = parse(plot.network_diagram([2, 64, 3], layer_labels=["inputs", "hidden", "outputs"]))
    assert [len(column) for column in columns(root)] == [2, 8, 3]
    assert len(by_class(root, "text", "ellipsis")) == 1
    assert len(by_class(root, "line", "weight")) == 2 * 8 + 8 * 3
    sizes = [text.text for text in by_class(root, "text", "layer-size")]
    assert sizes == ["2 units", "64 units (8 drawn)", "3 units"]
    assert [text.text for text in by_class(root, "text", "layer-label")] == ["inputs", "hidden", "outputs"]
    # the ellipsis sits in a gap as wide as two units' spacing, between the seventh unit and the last
    hidden = columns(root)[1]
    spacing = hidden[1][1] - hidden[0][1]
    assert hidden[-1][1] - hidden[-2][1] == pytest.approx(2 * spacing, abs=0.02)


def test_each_line_shows_its_weight_by_colour_and_thickness():
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(2, 3, rng=rng), pn.Tanh(), pn.Dense(3, 2, rng=rng))
    weights = [model.layers[0].weight, model.layers[2].weight]
    root = parse(plot.network_diagram([2, 3, 2], weights=weights))
    lines = by_class(root, "line", "weight")
    # drawn layer by layer, source unit by source unit, then target unit
    values = [
        weights[layer][target][source]
        for layer, (rows, cols) in enumerate(((3, 2), (2, 3)))
        for source in range(cols)
        for target in range(rows)
    ]
    assert len(lines) == len(values)
    largest = max(abs(value) for value in values)
    for line, value in zip(lines, values):
        red, _, blue = rgb(line.get("stroke"))
        assert (red > blue) == (value > 0), f"weight {value} drawn in {line.get('stroke')}"
        expected_width = THINNEST + (THICKEST - THINNEST) * abs(value) / largest
        assert float(line.get("stroke-width")) == pytest.approx(expected_width, abs=0.006)
        assert line.find(f"{SVG}title").text.endswith(format(value, ".3g"))
    # the largest weight is the thickest line
    assert max(float(line.get("stroke-width")) for line in lines) == pytest.approx(THICKEST)


def test_unit_names_sit_outside_the_outer_columns_and_inside_the_others():
    root = parse(plot.network_diagram([2, 2, 1], unit_labels=[["x1", "x2"], ["h0", "h1"], ["p"]], title="a < b"))
    centres = columns(root)
    texts = {text.text: float(text.get("x")) for text in root.iter(f"{SVG}text")}
    assert texts["x1"] < centres[0][0][0] and texts["p"] > centres[2][0][0]
    assert texts["h0"] == centres[1][0][0]
    assert root.find(f"{SVG}title").text == "a < b"
    assert by_class(root, "text", "layer-size")[2].text == "1 unit"


def test_diagrams_are_deterministic():
    arguments = dict(layer_labels=["in", "hidden", "out"], weights=[[[0.5, -1.0]], [[2.0]]])
    assert plot.network_diagram([2, 1, 1], **arguments) == plot.network_diagram([2, 1, 1], **arguments)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        (dict(layer_sizes=[2]), ValueError, "at least two layers"),
        (dict(layer_sizes=[2, 0]), ValueError, "layer_sizes[1]"),
        (dict(layer_sizes="2,3"), TypeError, "layer_sizes must be a list"),
        (dict(layer_sizes=[2, 3], most_units=2), ValueError, "most_units"),
        (dict(layer_sizes=[2, 3], layer_labels=["a"]), ValueError, "layer_labels must hold 2 labels"),
        (dict(layer_sizes=[2, 3], weights=[[[1.0, 2.0]]]), ValueError, "weights[0] must be 3 x 2"),
        (dict(layer_sizes=[2, 3], weights=[]), ValueError, "weights must not be empty"),
        (dict(layer_sizes=[1, 1], weights=[[[float("nan")]]]), ValueError, "weights[0][0][0] must be a finite number"),
        (dict(layer_sizes=[1, 1], unit_labels=[["a"]]), ValueError, "unit_labels must hold one entry per layer"),
        (dict(layer_sizes=[1, 1], unit_labels=[["a", "b"], None]), ValueError, "unit_labels[0] must hold 1 labels"),
        (dict(layer_sizes=[1, 1], title=3), TypeError, "title must be a str"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(arguments, error, message):
    sizes = arguments.pop("layer_sizes")
    with pytest.raises(error) as caught:
        plot.network_diagram(sizes, **arguments)
    assert "network_diagram" in str(caught.value) and message in str(caught.value)
