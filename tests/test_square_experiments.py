"""Tests for benchmarks/square_experiments.py: its pieces do what docs/hilbert.md and docs/squares.md say."""

import importlib.util
import random
from pathlib import Path

import pytest

from purenet import squares
from purenet.squares import drawing, hilbert
from purenet.squares import shapes

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "square_experiments.py"
_SPEC = importlib.util.spec_from_file_location("square_experiments", _PATH)
experiments = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(experiments)


def flat(matrix):
    return [value for row in matrix for value in row]


def test_canvas_rasterizer_keeps_size_and_position():
    # A square from (10, 10) to (30, 30) on the 100 x 100 canvas lands on
    # pixels 3.2 to 9.6 of the 32 x 32 grid; moved on the canvas, it moves
    # on the grid, while the normalised grid does not change at all.
    square = [[(10.0, 10.0), (30.0, 10.0), (30.0, 30.0), (10.0, 30.0), (10.0, 10.0)]]
    moved = [[(x + 50.0, y + 40.0) for x, y in stroke] for stroke in square]
    grid = experiments.rasterize_on_canvas(square)
    inked = [(x, y) for y, row in enumerate(grid) for x, value in enumerate(row) if value > drawing.BACKGROUND]
    assert min(x for x, _ in inked) == 2 and max(x for x, _ in inked) == 10
    assert min(y for _, y in inked) == 2 and max(y for _, y in inked) == 10
    assert grid[6][6] == drawing.BACKGROUND  # the inside stays empty
    assert experiments.rasterize_on_canvas(moved) != grid
    assert flat(drawing.rasterize(moved)) == pytest.approx(flat(drawing.rasterize(square)))


def test_the_three_orders_hold_the_same_values():
    rng = random.Random(5)
    grid = [[rng.random() for _ in range(32)] for _ in range(32)]
    order = experiments.random_order(1024, 1)
    assert sorted(order) == list(range(1024)) and order != list(range(1024))
    assert experiments.row_major(grid)[32 * 3 + 7] == grid[3][7]
    readings = [hilbert.flatten(grid), experiments.row_major(grid), experiments.permuted(grid, order)]
    assert sorted(readings[0]) == sorted(readings[1]) == sorted(readings[2])


def test_the_recipe_is_the_one_of_squares_train():
    # squares.train(samples=40) trains on the first 32 drawings of
    # labelled_drawings(40, seed); the experiment's train() on the same
    # inputs must end with the same weights.
    model, _ = squares.train(samples=40, epochs=2, seed=3, verbose=0)
    training = shapes.labelled_drawings(40, seed=3)[:32]
    tilts = squares.training_tilts(3)  # the training drawings' small tilts, as train draws them
    X = [hilbert.flatten(drawing.rasterize(squares.tilted_drawing(item, tilts), 32, upright=False)) for _, item in training]
    y = [shapes.KINDS[kind] for kind, _ in training]
    ours, _ = experiments.train(X, y, epochs=2, seed=3)
    for layer, our_layer in zip(model.layers, ours.layers):
        for parameter, our_parameter in zip(layer.parameters(), our_layer.parameters()):
            values = flat(parameter) if isinstance(parameter[0], list) else list(parameter)
            our_values = flat(our_parameter) if isinstance(our_parameter[0], list) else list(our_parameter)
            assert our_values == pytest.approx(values, rel=1e-12, abs=1e-15)


def test_permuted_inputs_with_permuted_weights_are_the_same_network():
    pairs = shapes.labelled_drawings(60, seed=2)
    grids = [drawing.rasterize(item, 32) for _, item in pairs]
    y = [shapes.KINDS[kind] for kind, _ in pairs]
    order = experiments.random_order(1024, 1)
    column_order = [hilbert.xy_to_index(cell % 32, cell // 32, 5) for cell in order]
    original, _ = experiments.train([hilbert.flatten(grid) for grid in grids], y, epochs=1, seed=0)
    twin, _ = experiments.train(
        [experiments.permuted(grid, order) for grid in grids], y, epochs=1, seed=0, initial_order=column_order
    )
    for twin_row, original_row in zip(twin.layers[0].weight, original.layers[0].weight):
        assert twin_row == pytest.approx([original_row[source] for source in column_order], abs=1e-12)
    # Without the rearranged start it is a different (equally random) network.
    other, _ = experiments.train([experiments.permuted(grid, order) for grid in grids], y, epochs=1, seed=0)
    assert flat(other.layers[0].weight) != pytest.approx(flat(twin.layers[0].weight), abs=1e-3)


def test_average_pool_and_downsample_agree_on_a_drawing():
    strokes = shapes.sample("square", random.Random(1))
    grid = drawing.rasterize(strokes, 64)
    pooled = hilbert.flatten(experiments.average_pool(grid, 2))
    assert hilbert.downsample(hilbert.flatten(grid), 2) == pytest.approx(pooled, abs=1e-12)


def test_mcnemar_counts_disagreements_and_gives_the_binomial_p_value():
    labels = [1] * 10
    first = [1] * 10
    second = [1] * 5 + [0] * 5  # the first model alone is right on five drawings
    result = experiments.mcnemar(first, second, labels)
    assert (result["only_first_right"], result["only_second_right"]) == (5, 0)
    assert result["p_value"] == pytest.approx(2 / 2**5)
    assert experiments.mcnemar(first, first, labels)["p_value"] == 1.0


@pytest.mark.parametrize("order", range(1, 7))
def test_runs_of_four_to_the_k_are_aligned_blocks_along_the_smaller_curve(order):
    # docs/hilbert.md: the cell of step i, divided by f = 2**k, is the cell of
    # step i // f**2 on the curve of order n - k. So each run of f*f steps
    # fills one aligned f x f block, and the blocks follow the smaller curve:
    # the reason why hilbert.downsample is average pooling.
    for k in range(order + 1):
        factor = 2**k
        for index in range(4**order):
            x, y = hilbert.index_to_xy(index, order)
            assert (x // factor, y // factor) == hilbert.index_to_xy(index // factor**2, order - k)
