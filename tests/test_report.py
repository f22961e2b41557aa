"""Run reports (purenet.report, purenet.squares.run_report, ``train ... --report``): one self-contained page."""

from __future__ import annotations

import math
import os
import random
import re
from html.parser import HTMLParser

import pytest
from test_plot import SVG, decode_png, embedded_png, parse

import purenet as pn
from purenet import report
from purenet.cli import main
from purenet.datasets import spiral
from purenet.plot.colours import map_colour
from purenet.squares import hilbert, recipe, run_report


class PageReader(HTMLParser):
    """Collects the tags, every URL-like attribute, the headings and the inline SVG documents of a page."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.addresses: list[str] = []
        self.headings: list[str] = []
        self._heading = False
        self.feed(page)
        self.svgs = re.findall(r"<figure>(<svg.*?</svg>)(?:<figcaption|</figure>)", page, flags=re.DOTALL)

    def handle_starttag(self, tag: str, attributes: list) -> None:
        self.tags.append(tag)
        self.addresses += [value for name, value in attributes if name in ("src", "href") and value]
        self._heading = tag == "h2"

    def handle_data(self, data: str) -> None:
        if self._heading:
            self.headings.append(data)
            self._heading = False


def assert_self_contained(reader: PageReader) -> None:
    """No script, no stylesheet or font from elsewhere; every image is inline."""
    assert not {"script", "link", "iframe", "object", "embed"} & set(reader.tags)
    assert reader.addresses and all(address.startswith("data:image/png;base64,") for address in reader.addresses)


def test_spiral_report_from_the_command_line(tmp_path, capsys):
    path = tmp_path / "spiral.html"
    status = main(
        ["train", "spiral", "--points", "30", "--hidden", "8", "--epochs", "4", "--lr", "0.05", "--report", str(path)]
    )
    assert status == 0
    assert f"wrote the report to {path}" in capsys.readouterr().out
    page = path.read_text(encoding="utf-8")
    reader = PageReader(page)
    assert_self_contained(reader)
    assert reader.headings == [
        "Loss and accuracy per epoch",
        "The run",
        "Confusion matrix",
        "Decision regions",
        "The worst-classified held-out samples",
    ]
    assert "python -m purenet train spiral --points 30 --hidden 8 --epochs 4" in page
    assert "Dense(2, 8" in page and "Total parameters: 51" in page
    # every chart is well-formed SVG; the curves have training and validation for 4 epochs
    roots = [parse(svg) for svg in reader.svgs]
    series = [line for line in roots[0].iter(f"{SVG}polyline")]
    assert len(series) == 4 and all(len(line.get("points").split()) == 4 for line in series)
    # the confusion matrix counts the 90 held-out points
    tooltips = [title.text for title in roots[1].iter(f"{SVG}title")]
    counts = [int(match.group(1)) for text in tooltips if (match := re.search(r"predicted [^:]*: (\d+)", text))]
    assert len(counts) == 9
    assert sum(counts) == 90
    # no temporary file is left beside the report
    assert os.listdir(tmp_path) == ["spiral.html"]


def test_worst_examples_are_the_lowest_probabilities_of_the_true_class():
    X, y = spiral(points_per_class=20, seed=3)
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(2, 6, rng=rng), pn.Tanh(), pn.Dense(6, 3, rng=rng))
    probabilities = model.predict_proba(X)
    worst = report.worst_examples(model, X, y, count=5)
    by_probability = sorted(range(len(X)), key=lambda index: probabilities[index][y[index]])[:5]
    assert [entry["index"] for entry in worst] == by_probability
    for entry in worst:
        row = probabilities[entry["index"]]
        assert entry["true"] == y[entry["index"]]
        assert math.isclose(entry["probability"], row[entry["true"]], rel_tol=1e-12)
        assert row[entry["predicted"]] == max(row)
    with pytest.raises(ValueError, match="count"):
        report.worst_examples(model, X, y, count=0)


def test_text_in_a_report_is_escaped():
    page = report.html_page("a <b> & c", [("<h>", report.code("x < y")), ("table", report.table(["<n>"], [[0.5]]))])
    reader = PageReader(page)
    assert reader.headings == ["<h>", "table"]
    assert "<b>" not in page and "&lt;b&gt;" in page and "x &lt; y" in page and "&lt;n&gt;" in page
    assert "<script" not in page


def test_squares_weights_are_drawn_on_the_grid_along_the_hilbert_curve():
    """A unit whose only weight is on grid pixel (row 1, column 6) is drawn with that one pixel coloured."""
    model = recipe.build_network(size=8, hidden=2, rng=random.Random(0))
    grid = [[0.0] * 8 for _ in range(8)]
    grid[1][6] = 1.0
    model.layers[0].weight[0] = hilbert.flatten(grid)
    model.layers[0].weight[1] = [-value for value in hilbert.flatten(grid)]
    _, fragment = run_report.weights_section(model)
    root = parse(PageReader(fragment).svgs[0])
    images = [decode_png(embedded_png(image)) for image in root.iter(f"{SVG}image")]
    assert len(images) == 2
    zero = map_colour("diverging", 0.5)  # the diverging map's white is exactly zero
    for image, expected_colour in zip(images, ("red", "blue")):
        assert len(image) == 8 and len(image[0]) == 8
        coloured = {(row, column) for row in range(8) for column in range(8) if image[row][column] != zero}
        assert coloured == {(1, 6)}
        red, _, blue = image[1][6]
        assert (red > blue) == (expected_colour == "red")


def test_squares_report_has_every_section(tmp_path):
    keep = run_report.KeepHistory()
    model, test = recipe.train(samples=40, size=16, hidden=3, epochs=2, batch_size=8, verbose=0, callbacks=[keep])
    assert len(keep.history["loss"]) == 2 and len(keep.history["val_loss"]) == 2
    evaluation = recipe.evaluate(model, size=16, samples=30)
    page = run_report.squares_report(model, keep.history, test, evaluation, "python -m purenet train squares", 16)
    reader = PageReader(page)
    assert_self_contained(reader)
    assert reader.headings == [
        "Loss and accuracy per epoch",
        "The run",
        "Confusion matrix",
        "Accuracy per kind of drawing",
        "The first layer's weights",
        "The hardest fresh drawings",
    ]
    for svg in reader.svgs:
        parse(svg)
    for kind in evaluation["per_kind"]:
        assert f"<td>{kind}</td>" in page
    hardest = parse(reader.svgs[-1])
    assert len(list(hardest.iter(f"{SVG}image"))) == run_report.WORST_SHOWN
    path = tmp_path / "squares.html"
    path.write_text("an older report", encoding="utf-8")
    report.write_report(path, page)
    assert path.read_text(encoding="utf-8") == page
