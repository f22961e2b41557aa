"""benchmarks/conv_detector.py on tiny sizes, and the repeated-patch shortcut it relies on.

The benchmark's figures are quoted in docs/convolution.md, "A convolutional
square detector"; these tests keep its functions honest (inputs, network,
training loop, measures) without timing anything.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import conv_detector as detector  # noqa: E402

from purenet.layers import Conv2d  # noqa: E402
from purenet.matrices import convolution as kernels  # noqa: E402
from purenet.matrices.products import _dot_rows as dot_rows  # noqa: E402
from purenet.squares import drawing, hilbert, recipe, shapes  # noqa: E402


def drawings(count: int, seed: int = 3) -> list:
    return [item for _, item in shapes.labelled_drawings(count, seed=seed)]


# --- the repeated-patch shortcut of purenet/matrices/convolution.py ----------------------


def test_a_drawings_patches_repeat_enough_to_take_the_shortcut():
    images = [[drawing.rasterize(item, 32)] for item in drawings(4)]
    for sample_patches in kernels.image_patches(images, (4, 4), (4, 4), (0, 0)):
        assert len(set(sample_patches)) <= kernels.REPEATED_PATCH_SHARE * len(sample_patches)


@pytest.mark.parametrize("kernel, stride, padding", [(4, 4, 0), (4, 2, 1), (3, 1, 1), (2, 2, 0)])
def test_the_shortcut_gives_the_plain_products_and_the_textbook_loop(kernel, stride, padding):
    """On drawings (mostly blank paper, so the shortcut is taken) and on random images (no repeats, so it is not)."""
    rng = random.Random(kernel * 10 + stride)
    layer = Conv2d(1, 3, kernel, stride=stride, padding=padding, rng=rng)
    weight_rows = [[value for channel in kernel_weights for row in channel for value in row]
                   for kernel_weights in layer.weight]
    blank_paper = [[drawing.rasterize(item, 16)] for item in drawings(3)]
    noise = [[[[rng.uniform(-1, 1) for _ in range(9)] for _ in range(9)]]]
    for images in (blank_paper, noise):
        for sample_patches in kernels.image_patches(images, (kernel, kernel), (stride, stride), (padding, padding)):
            shortcut = kernels.patch_products(weight_rows, sample_patches)
            plain = dot_rows(weight_rows, sample_patches)
            assert max(abs(a - b) for row, other in zip(shortcut, plain) for a, b in zip(row, other)) < 1e-12
        expected = kernels.reference_convolution2d(images, list(layer.weight), list(layer.bias), (stride, stride),
                                                   (padding, padding))
        result = layer.forward(images)
        flat = [abs(a - b) for sample, other in zip(result, expected) for channel, other_channel in zip(sample, other)
                for row, other_row in zip(channel, other_channel) for a, b in zip(row, other_row)]
        assert max(flat) < 1e-12


def test_a_blank_patch_is_computed_once():
    """Every all-background patch of a drawing gets the very same outputs, copied from one computation."""
    images = [[drawing.rasterize(drawings(1)[0], 32)]]
    sample_patches = kernels.image_patches(images, (4, 4), (4, 4), (0, 0))[0]
    blank = tuple([-0.5] * 16)
    assert sample_patches.count(blank) > len(sample_patches) // 4
    products = kernels.patch_products([[0.1 * k for k in range(16)], [1.0] * 16], sample_patches)
    blank_outputs = {outputs for outputs, patch in zip(zip(*products), sample_patches) if patch == blank}
    assert len(blank_outputs) == 1
    (first, second), = blank_outputs
    assert first == pytest.approx(-0.5 * 0.1 * sum(range(16)), abs=1e-12) and second == pytest.approx(-8.0, abs=1e-12)


# --- the recipe ------------------------------------------------------------------------


def test_the_input_is_the_grid_row_by_row_the_same_values_the_dense_detector_reads_along_the_curve():
    item = drawings(1)[0]
    values = detector.grid_input(item)
    assert values == [value for row in drawing.rasterize(item, 32) for value in row]
    assert values == [value for row in hilbert.unflatten(drawing.prepare(item, 32)) for value in row]


def test_the_network_reads_4x4_patches_that_do_not_overlap_and_gives_two_logits():
    model = detector.build_network(random.Random(0))
    convolution = model.layers[1]
    assert convolution.kernel_size == convolution.stride == (4, 4) and convolution.padding == (0, 0)
    assert detector.parameter_count(model) == 4 * 16 + 4 + 256 * 32 + 32 + 32 * 2 + 2 == 8358
    outputs = model.forward([detector.grid_input(item) for item in drawings(3)])
    assert [len(row) for row in outputs] == [2, 2, 2]
    assert detector.parameter_count(detector.build_network(random.Random(0), channels=2, hidden=8)) == (
        2 * 16 + 2 + 128 * 8 + 8 + 8 * 2 + 2
    )


def test_training_stops_at_its_samples_checks_the_validation_set_and_is_reproducible_by_seed():
    X, y, _ = detector.labelled_inputs(40, seed=0)
    check = detector.labelled_inputs(10, seed=detector.VALIDATION_SEED)[:2]
    weights = []
    for _ in range(2):
        model = detector.build_network(random.Random(3), channels=2, hidden=4)
        before = [list(row) for row in model.layers[-1].weight]
        figures = detector.train(model, X, y, samples=100, seed=3, batch_size=10, seconds=600, check_every=50,
                                 check=check, target=0.0)
        assert figures["samples"] == 100 and figures["steps"] == 10 and figures["stopped_by"] == "samples"
        assert figures["epochs"] == pytest.approx(100 / 40)
        assert [point["samples"] for point in figures["curve"]] == [50, 100]
        assert all(0.0 <= point["accuracy"] <= 1.0 for point in figures["curve"])
        assert figures["first_at_target"] == figures["curve"][0]  # target 0: the first check reaches it
        assert figures["stays_at_target_from"] == figures["curve"][0]  # ... and every later one
        assert 0.0 < figures["curve"][0]["processor_seconds"] <= figures["processor_seconds"]
        weights.append([list(row) for row in model.layers[-1].weight])
    assert max(abs(a - b) for first, second in zip(*weights) for a, b in zip(first, second)) < 1e-12
    assert max(abs(a - b) for row, old in zip(weights[0], before) for a, b in zip(row, old)) > 1e-6  # it learned


def test_training_with_no_time_runs_no_batch_and_an_unreached_target_is_none():
    X, y, _ = detector.labelled_inputs(20, seed=0)
    figures = detector.train(detector.build_network(random.Random(0), channels=1, hidden=2), X, y, samples=100,
                             seed=0, seconds=0.0, check=(X, y), target=1.01)
    assert figures["samples"] == 0 and figures["stopped_by"] == "seconds"
    assert len(figures["curve"]) == 1 and figures["first_at_target"] is None
    assert figures["stays_at_target_from"] is None


def test_the_steady_time_to_the_target_skips_a_crossing_followed_by_a_dip():
    accuracies = (0.95, 0.97, 0.96, 0.98, 0.97)
    curve = [{"samples": n, "accuracy": accuracy} for n, accuracy in enumerate(accuracies, start=1)]
    assert detector.stays_at(curve, 0.97) == curve[3]
    assert detector.stays_at(curve, 0.99) is None
    assert detector.stays_at([], 0.97) is None


def test_held_out_splits_squares_and_others():
    labelled = shapes.labelled_drawings(30, seed=1)
    figures = detector.held_out(lambda items: [1.0] * len(items), labelled)  # calls everything a square
    squares = sum(shapes.KINDS[kind] for kind, _ in labelled)
    assert figures["squares"] == 1.0 and figures["others"] == 0.0
    assert figures["accuracy"] == pytest.approx(squares / len(labelled))
    assert figures["per_kind"]["square"] == 1.0 and figures["drawings"] == 30


def test_the_dense_detector_is_measured_as_recipe_evaluate_measures_it():
    shipped = recipe.square_detector()
    labelled = shapes.labelled_drawings(60, seed=detector.HELD_OUT_SEED)
    ours = detector.held_out(detector.dense_probability(shipped), labelled)
    assert ours["accuracy"] == recipe.evaluate(shipped, 32, 60, seed=detector.HELD_OUT_SEED)["accuracy"]


def test_a_quick_run_measures_both_detectors_and_writes_json(tmp_path, capsys):
    output = tmp_path / "conv_detector.json"
    assert detector.main(["--quick", "--output", str(output)]) == 0
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results["detectors"]) == {"convolutional", "shipped dense"}
    assert results["training"]["samples"] == 400 and results["held_out_seed"] == 12345
    for figures in results["detectors"].values():
        assert set(figures["summary"]) == set(detector.hilbert_experiment.HARD_SWEEPS)
        assert 0.0 <= figures["held_out"]["accuracy"] <= 1.0
    assert results["detectors"]["shipped dense"]["parameters"] == 32866
    assert "time to 97%" in capsys.readouterr().out


def test_bad_sizes_are_refused():
    with pytest.raises(SystemExit):
        detector.main(["--samples", "0"])
