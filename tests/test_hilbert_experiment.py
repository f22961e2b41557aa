"""benchmarks/hilbert_experiment.py on tiny sizes: orders, parameter budget, training, measuring."""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import hilbert_experiment as experiment  # noqa: E402

from purenet.squares import drawing, hilbert, shapes  # noqa: E402


@pytest.mark.parametrize("variant", list(experiment.VARIANTS))
def test_every_order_is_a_permutation_of_the_cells(variant):
    order = experiment.order_for(variant)
    assert sorted(order) == list(range(experiment.CELLS))


def test_the_three_orders_differ():
    orders = {tuple(experiment.hilbert_order()), tuple(experiment.row_major_order()), tuple(experiment.random_order())}
    assert len(orders) == 3


def test_reading_in_hilbert_order_is_hilbert_flatten():
    item = shapes.labelled_drawings(3, seed=5)[0][1]
    grid = drawing.rasterize(item, experiment.SIDE)
    assert experiment.read(grid, experiment.hilbert_order()) == hilbert.flatten(grid)
    assert experiment.read(grid, experiment.row_major_order()) == [value for row in grid for value in row]


def test_the_random_order_is_fixed_by_its_seed():
    assert experiment.random_order(1) == experiment.random_order(1)
    assert experiment.random_order(1) != experiment.random_order(2)


def test_a_hilbert_window_is_a_compact_patch_and_a_row_major_window_a_strip():
    """Conv1d's windows (16 values from 4t - 6, the padding clipped): compact along the curve, strips in a row."""

    def widest(order):
        cells = [(cell % experiment.SIDE, cell // experiment.SIDE) for cell in order]
        largest = 0.0
        for position in range(experiment.CELLS // 4):
            window = cells[max(0, 4 * position - 6) : 4 * position + 10]
            largest = max(largest, max(math.dist(first, second) for first in window for second in window))
        return largest

    # 16 consecutive steps lie in at most two consecutive aligned 4 x 4 blocks, which touch: a 4 x 8 rectangle.
    assert widest(experiment.hilbert_order()) <= math.hypot(3, 7) + 1e-9
    assert widest(experiment.row_major_order()) == pytest.approx(math.hypot(31, 1), abs=1e-9)  # wraps to the next row
    assert widest(experiment.random_order()) > 20


def test_the_dense_network_has_the_stated_budget_and_the_others_are_within_it():
    counts = {variant: experiment.parameter_count(experiment.build_network(variant, random.Random(0)))
              for variant in experiment.VARIANTS}
    assert counts["dense"] == experiment.DENSE_BUDGET == 1024 * 32 + 32 + 32 * 2 + 2
    for variant, count in counts.items():
        assert abs(count - experiment.DENSE_BUDGET) <= experiment.BUDGET_TOLERANCE * experiment.DENSE_BUDGET, variant
    assert counts["conv1d-hilbert"] == counts["conv1d-row"] == counts["conv1d-random"] == counts["conv2d"] == 32954


@pytest.mark.parametrize("variant", ["conv1d-hilbert", "conv2d"])
def test_the_convolutional_networks_give_two_logits(variant):
    model = experiment.build_network(variant, random.Random(0))
    outputs = model.forward([[random.Random(index).uniform(-0.5, 0.5) for _ in range(experiment.CELLS)] for index in range(3)])
    assert [len(row) for row in outputs] == [2, 2, 2]


def test_unknown_variant_is_named():
    with pytest.raises(ValueError, match="variant must be one of"):
        experiment.build_network("conv3d", random.Random(0))
    with pytest.raises(ValueError, match="variant must be one of"):
        experiment.order_for("conv3d")


def test_training_stops_at_max_samples_and_is_reproducible_by_seed():
    data = experiment.prepare_data(40, 6)
    X = [experiment.read(grid, experiment.hilbert_order()) for grid in data["train_grids"]]
    weights = []
    for _ in range(2):
        model = experiment.build_network("conv1d-hilbert", random.Random(3))
        before = [list(row) for row in model.layers[-1].weight]
        figures = experiment.train_for(model, X, data["train_labels"], seconds=600, seed=3, batch_size=10, max_samples=30)
        assert figures["samples"] == 30 and figures["steps"] == 3
        assert figures["epochs"] == pytest.approx(30 / 40)
        weights.append([list(row) for row in model.layers[-1].weight])
    # Same seed, same samples: the same arithmetic in the same order, so equal up to rounding at most.
    assert max(abs(a - b) for first, second in zip(*weights) for a, b in zip(first, second)) < 1e-12
    assert max(abs(a - b) for row, old in zip(weights[0], before) for a, b in zip(row, old)) > 1e-6  # it did learn


def test_training_with_no_time_runs_no_batch():
    data = experiment.prepare_data(20, 4)
    model = experiment.build_network("dense", random.Random(0))
    figures = experiment.train_for(model, [experiment.read(g, experiment.hilbert_order()) for g in data["train_grids"]],
                                   data["train_labels"], seconds=0.0, seed=0)
    assert figures["samples"] == 0 and figures["steps"] == 0


def test_the_aspect_sweep_counts_rectangles_rejected_and_skips_the_gradual_zone():
    rows = [{"value": 1.0, "called_square": 0.8}, {"value": 1.6, "called_square": 0.1},
            {"value": 2.0, "called_square": 0.3}]
    assert experiment.sweep_summary(rows, "aspect") == pytest.approx((0.8 + 0.7) / 2)
    assert experiment.sweep_summary(rows, "tilt") == pytest.approx((0.8 + 0.1 + 0.3) / 3)


def test_a_tiny_run_measures_everything():
    data = experiment.prepare_data(120, 6)
    figures = experiment.run_variant("conv1d-row", data, seconds=600, seed=0, sweep_drawings=1, max_samples=50)
    assert figures["training"]["samples"] == 50  # one batch of 50, then the limit
    assert 0.0 <= figures["held_out_accuracy"] <= 1.0 and 0.0 <= figures["unnormalised_accuracy"] <= 1.0
    assert set(figures["sweeps"]) == set(experiment.HARD_SWEEPS)
    assert [row["value"] for row in figures["sweeps"]["tilt"]] == list(experiment.square_probe.SWEEPS["tilt"])
    assert figures["parameters"] == 32954


def test_the_unnormalised_drawings_are_not_the_normalised_ones():
    data = experiment.prepare_data(4, 4)
    assert all(normalised != unnormalised for normalised, unnormalised
               in zip(data["test_grids"], data["test_unnormalised_grids"]))


def test_the_clock_is_checked_and_either_clock_stops_training():
    data = experiment.prepare_data(20, 4)
    X = [experiment.read(g, experiment.hilbert_order()) for g in data["train_grids"]]
    with pytest.raises(ValueError, match="clock must be one of"):
        experiment.train_for(experiment.build_network("dense", random.Random(0)), X, data["train_labels"], 1.0, 0,
                             clock="sundial")
    for clock in experiment.CLOCKS:
        figures = experiment.train_for(experiment.build_network("dense", random.Random(0)), X, data["train_labels"],
                                       seconds=0.0, seed=0, clock=clock)
        assert figures["samples"] == 0 and figures["clock"] == clock


def test_measure_reads_the_shipped_model_in_hilbert_order():
    data = experiment.prepare_data(4, 6)
    figures = experiment.measure(experiment.recipe.square_detector(), experiment.hilbert_order(), data, sweep_drawings=1)
    assert figures["parameters"] == experiment.DENSE_BUDGET
    assert 0.0 <= figures["held_out_accuracy"] <= 1.0
