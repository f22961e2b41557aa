"""purenet.autograd.draw(value, format="svg"): a readable picture of the graph, and docs/graphs.md's copy of it.

The text form is tested in tests/test_autograd.py. Rewrite the picture in the docs with

    python tests/test_autograd_drawing.py

after a change to the drawing; test_the_docs_picture_is_current fails until then.
"""

from __future__ import annotations

import math
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))  # when run as a script, to rewrite the picture

from purenet.atomic import write_atomically  # noqa: E402
from purenet.autograd import Value, draw  # noqa: E402

PICTURE = REPOSITORY / "docs" / "images" / "graph-neuron.svg"
SVG = "{http://www.w3.org/2000/svg}"


def neuron_loss() -> Value:
    """docs/graphs.md's neuron: z = w1 * 0.5 + w2 * 1.0 + b, a = sigmoid(z), loss = (a - 1)^2, after backward."""
    w1, w2, b = Value(0.1, label="w1"), Value(-0.2, label="w2"), Value(0.0, label="b")
    z = w1 * 0.5 + w2 * 1.0 + b
    a = z.sigmoid()
    loss = (a - 1.0) ** 2
    loss.backward()
    return loss


def elements(svg: str, tag: str, class_name: str | None = None) -> list[ElementTree.Element]:
    root = ElementTree.fromstring(svg)  # well-formed XML, or this raises
    return [
        element for element in root.iter(SVG + tag) if class_name is None or element.get("class") == class_name
    ]


def test_the_svg_is_well_formed_and_shows_every_node():
    loss = neuron_loss()
    svg = draw(loss, format="svg")
    assert svg.startswith("<svg ") and svg.endswith("</svg>\n")
    texts = [element.text for element in elements(svg, "text")]
    rows = draw(loss).splitlines()  # the text form: the same nodes, names and numbers
    for row in rows:
        name, data, grad = row.split(" = ")[0], float(row.split("data")[1].split("|")[0]), float(row.split("grad")[1])
        assert name in texts
        assert f"data {data:.4f}" in texts and f"grad {grad:.4f}" in texts
    assert len(elements(svg, "rect", "value")) == len(rows) == 10  # one box per value: 3 leaves, 7 results
    assert len(elements(svg, "ellipse", "operation")) == 7
    # one arrow in from each operand (9: the two additions have two) and one out of each operation (7)
    assert len(elements(svg, "path", "edge")) == 9 + 7
    for operation in ("* 0.5", "* 1", "+", "sigmoid", "- 1", "** 2"):
        assert operation in texts
    assert texts[0] == "The graph of v6: 3 leaves, 7 operations"


def test_columns_follow_depth_left_to_right():
    """Each result's box is right of its parents' boxes; a leaf sits one column before its first user."""
    loss = neuron_loss()
    svg = draw(loss, format="svg")
    boxes = elements(svg, "rect", "value")
    texts = [element.text for element in elements(svg, "text")]
    names = [row.split(" = ")[0] for row in draw(loss).splitlines()]
    # boxes are written in the text listing's order; their x grows with the column
    x = {name: float(box.get("x")) for name, box in zip(names, boxes)}
    assert x["w1"] == x["w2"] < x["v0"] == x["v1"] < x["v2"] == x["b"] < x["v3"] < x["v4"] < x["v5"] < x["v6"]
    assert "b" in texts


def test_values_that_need_escaping_and_a_single_leaf():
    leaf = Value(-1.5, label='a<b & "c"')
    svg = draw(leaf, format="svg")
    assert [element.text for element in elements(svg, "text")][1:4] == ['a<b & "c"', "data -1.5000", "grad 0.0000"]
    assert elements(svg, "ellipse") == [] and elements(svg, "path", "edge") == []


def test_operands_arrive_on_their_own_side():
    """In a - b the left operand's arrow ends above the ellipse's centre and the right one's below."""
    a, b = Value(1.0, label="a"), Value(2.0, label="b")
    svg = draw(a - b, format="svg")
    ellipse = elements(svg, "ellipse", "operation")[0]
    edges = elements(svg, "path", "edge")
    ends = [float(edge.get("d").split()[-1]) for edge in edges[:2]]
    assert ends[0] < float(ellipse.get("cy")) < ends[1]


def test_a_long_chain_draws_without_recursion():
    x = Value(0.5, label="x")
    y = x
    for _ in range(3000):
        y = y * 1.0001
    svg = draw(y, format="svg")
    assert len(elements(svg, "ellipse", "operation")) == 3000
    assert f"data {0.5 * 1.0001**3000:.4f}" in svg


def test_format_is_checked():
    with pytest.raises(ValueError, match="draw: format must be one of 'text', 'svg', got 'png'"):
        draw(Value(1.0), format="png")


def test_the_same_graph_gives_the_same_bytes():
    assert draw(neuron_loss(), format="svg") == draw(neuron_loss(), format="svg")


def test_the_docs_picture_is_current():
    """docs/images/graph-neuron.svg is exactly what the drawing gives now (rewrite it: python tests/test_autograd_drawing.py)."""
    expected = draw(neuron_loss(), format="svg").encode("utf-8")
    assert PICTURE.read_bytes() == expected, "docs/images/graph-neuron.svg is stale: python tests/test_autograd_drawing.py"
    assert math.isclose(neuron_loss().data, 0.2888, abs_tol=1e-4)  # the numbers docs/graphs.md writes beside it


if __name__ == "__main__":
    write_atomically(PICTURE, draw(neuron_loss(), format="svg"))
    print(f"wrote {PICTURE.relative_to(REPOSITORY)}")
