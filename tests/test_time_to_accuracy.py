"""Tests for benchmarks/time_to_accuracy.py: its written-out training loop is the recipe of ``train squares``."""

import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import time_to_accuracy  # noqa: E402

from conftest import assert_close  # noqa: E402
from purenet import squares  # noqa: E402


def weights(model) -> list[float]:
    values = []
    for layer in model.layers:
        for parameter in layer.parameters():
            values.extend(value for row in parameter for value in (row if isinstance(row, list) else [row]))
    return values


@pytest.mark.parametrize(
    "recipe",
    [{}, {"batch_size": 10, "lr": 0.01, "hidden": 8}],
    ids=["the default recipe", "batches of 10, lr 0.01, 8 hidden units"],
)
def test_the_loop_ends_with_the_weights_of_squares_train(recipe):
    # squares.train(samples=40) trains on the first 32 drawings of labelled_drawings(40, seed), as
    # the benchmark does; trained every epoch, both must end with the same weights.
    expected, _ = squares.train(samples=40, epochs=2, seed=3, verbose=0, **recipe)
    result = time_to_accuracy.measure(40, epochs=2, check_every=1, seed=3, every_epoch=True, **recipe)
    assert len(weights(result["model"])) == len(weights(expected))
    assert_close(weights(result["model"]), weights(expected), rel=1e-12, abs=1e-15)
    batch_size = recipe.get("batch_size", squares.DEFAULT_BATCH_SIZE)
    assert result["batches"] == 2 * -(-32 // batch_size)
    assert result["recipe"]["hidden"] == recipe.get("hidden", squares.DEFAULT_HIDDEN)


def test_the_test_split_is_measured_every_few_batches_and_the_first_crossings_are_read_from_it():
    result = time_to_accuracy.measure(40, epochs=2, check_every=3, seed=3, batch_size=4, every_epoch=True)
    # 8 batches an epoch: measured after batches 3 and 6, and at the end of each epoch.
    assert [point["batches"] for point in result["curve"]] == [3, 6, 8, 9, 12, 15, 16]
    for key, batches in result["batches_to"].items():
        threshold = float(key.rstrip("%")) / 100
        crossings = [point for point in result["curve"] if point["accuracy"] >= threshold]
        if batches is None:
            assert not crossings and result["training_seconds_to"][key] is None
        else:
            assert batches == crossings[0]["batches"]
            assert_close(result["training_seconds_to"][key], crossings[0]["seconds"])
