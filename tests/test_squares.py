"""The square detector: recipe, evaluation, resolution, and the shipped model."""

import gc
import json
import math
import random

import pytest

import purenet as pn
from purenet import squares
from purenet.squares import drawing, hilbert, run_report
from purenet.squares import shapes


def test_build_network_has_the_documented_shape():
    model = squares.build_network(32, 32, random.Random(0))
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "LeakyReLU", "Dense"]
    assert (model.layers[0].in_features, model.layers[0].out_features) == (1024, 32)
    assert (model.layers[2].in_features, model.layers[2].out_features) == (32, 2)
    assert squares.model_size(model) == 32


def test_model_size_refuses_a_non_square_input_layer():
    model = pn.Sequential(pn.Dense(1000, 2))
    with pytest.raises(ValueError, match="square power-of-two grid"):
        squares.model_size(model)


def test_inputs_downsample_a_larger_rendering_through_the_hilbert_curve():
    item = shapes.sample("square", random.Random(3))
    read_at_64 = squares.inputs([item], 32, 64)[0]
    assert read_at_64 == pytest.approx(hilbert.downsample(drawing.prepare(item, 64), 2))
    assert len(read_at_64) == 1024


def test_inputs_enlarge_a_smaller_rendering_through_the_hilbert_curve():
    item = shapes.sample("square", random.Random(3))
    read_at_16 = squares.inputs([item], 32, 16)[0]
    assert read_at_16 == pytest.approx(hilbert.upsample(drawing.prepare(item, 16), 2))
    assert len(read_at_16) == 1024


@pytest.mark.parametrize("size, message", [(48, "size must be a power of two >= 4"), (2, "got 2")])
def test_inputs_refuse_impossible_sizes(size, message):
    item = shapes.sample("circle", random.Random(0))
    with pytest.raises(ValueError, match=message):
        squares.inputs([item], 32, size)


def test_a_short_training_run_learns_and_reports_on_held_out_drawings():
    model, report = squares.train(samples=400, epochs=3, seed=1, verbose=0)
    assert report["samples"] == 40  # 10% test split, never seen in training
    assert sum(map(sum, report["confusion"])) == 40
    assert set(report["per_kind"]) <= set(shapes.KINDS)
    assert report["accuracy"] > 0.6  # far above the 50% of a coin: it learned something in 3 short epochs
    correct = report["confusion"][0][0] + report["confusion"][1][1]
    assert report["accuracy"] == pytest.approx(correct / 40)


def test_train_refuses_bad_options():
    with pytest.raises(ValueError, match="optimizer must be one of adam, sgd, got 'rmsprop'"):
        squares.train(samples=100, optimizer="rmsprop", verbose=0)
    with pytest.raises(ValueError, match="schedule must be one of constant, step, got 'cosine'"):
        squares.train(samples=100, schedule="cosine", verbose=0)
    with pytest.raises(ValueError, match="samples must be at least 20"):
        squares.train(samples=5, verbose=0)


@pytest.mark.parametrize(
    "epochs, factors",
    [
        (10, [1, 1, 1, 1, 1, 1, 1, 1 / 3, 1 / 3, 1 / 10]),
        (20, [1] * 14 + [1 / 3] * 4 + [1 / 10] * 2),
        (5, [1, 1, 1, 1, 1 / 3]),
        (1, [1]),
    ],
)
def test_the_step_schedule_lowers_the_rate_for_the_last_three_tenths_of_the_epochs(epochs, factors):
    assert [squares.learning_rate_factor(epoch, epochs) for epoch in range(epochs)] == pytest.approx(factors)


def test_train_with_the_step_schedule_runs_each_epoch_at_its_rate():
    history = run_report.KeepHistory()
    squares.train(samples=40, epochs=10, lr=0.003, schedule="step", seed=2, verbose=0, callbacks=[history])
    assert history.history["lr"] == pytest.approx([0.003] * 7 + [0.001] * 2 + [0.0003], rel=1e-12)
    constant = run_report.KeepHistory()
    squares.train(samples=40, epochs=2, schedule="constant", seed=2, verbose=0, callbacks=[constant])
    assert "lr" not in constant.history  # no scheduler: the rate stays lr


class FreezeCount(run_report.KeepHistory):
    """Notes how many objects the cycle collector has set aside while fit runs."""

    def on_train_begin(self, training) -> None:
        self.during = gc.get_freeze_count()


def test_train_freezes_the_drawings_for_the_collector_while_fit_runs_and_only_then():
    watcher = FreezeCount()
    # Python 3.12 starts with some objects frozen; moved back to the collector, nothing is frozen here.
    gc.unfreeze()
    squares.train(samples=40, epochs=1, seed=2, verbose=0, callbacks=[watcher])
    assert watcher.during > 0  # the drawings (and everything alive) are set aside during fit
    assert gc.get_freeze_count() == 0  # and given back after it
    with pytest.raises(TypeError, match="callbacks"):  # given back when fit fails, too
        squares.train(samples=40, epochs=1, seed=2, verbose=0, callbacks=["not a callback"])
    assert gc.get_freeze_count() == 0
    # Something frozen before (by the caller, or by the interpreter) is not undone: all stays frozen.
    gc.freeze()
    try:
        frozen = gc.get_freeze_count()
        squares.train(samples=40, epochs=1, seed=2, verbose=0, callbacks=[watcher])
        assert watcher.during >= frozen  # frozen during fit, the drawings too
        assert gc.get_freeze_count() > 0  # and not undone
    finally:
        gc.unfreeze()


def test_format_report_lists_every_kind_and_the_confusion_matrix():
    report = {
        "accuracy": 0.75,
        "per_kind": {"square": 1.0, "circle": 0.5},
        "confusion": [[1, 1], [0, 2]],
        "samples": 4,
        "size": 32,
        "seed": 7,
    }
    text = squares.format_report(report)
    assert "75.00% on 4 drawings at 32x32 never seen in training (generator seed 7)" in text
    assert "circle" in text and "50.00%" in text
    assert "confusion matrix" in text


# --- the shipped model ------------------------------------------------------


def shipped_record():
    with open(squares.SHIPPED_MODEL, encoding="utf-8") as file:
        return json.load(file)["metadata"]


def test_the_shipped_model_loads_and_has_the_documented_architecture():
    model = pn.square_detector()
    assert squares.model_size(model) == 32
    assert [type(layer).__name__ for layer in model.layers] == ["Dense", "LeakyReLU", "Dense"]
    probabilities = model.predict_proba([drawing.prepare(shapes.sample("square", random.Random(5)))])[0]
    assert sum(probabilities) == pytest.approx(1.0)


def test_the_shipped_model_records_how_it_was_trained():
    record = shipped_record()
    assert record["command"].startswith("python -m purenet train squares")
    assert isinstance(record["seed"], int)
    assert 0.0 < record["evaluation"]["accuracy"] <= 1.0


def test_the_shipped_model_still_reaches_its_recorded_accuracy():
    record = shipped_record()["evaluation"]
    model = pn.square_detector()
    report = squares.evaluate(model, size=32, samples=record["samples"], seed=record["seed"])
    # The same drawings and the same weights: equal up to a prediction flipped by float rounding
    # (math.sumprod on Python 3.12+ rounds differently from sum(map(mul)) on 3.10 and 3.11).
    assert report["accuracy"] >= record["accuracy"] - 2 / record["samples"]
    # Issue 9 asks for 98% on the people-like generator; the shipped model reaches 98.70%
    # (docs/squares.md, section 7).
    assert report["accuracy"] >= 0.98


def test_the_shipped_model_reads_64x64_drawings_through_downsampling():
    report = squares.evaluate(pn.square_detector(), size=64, samples=300, seed=99)
    assert report["accuracy"] >= 0.95


@pytest.mark.parametrize(
    "strokes, expected",
    [
        ([[(10, 10), (60, 10), (60, 60), (10, 60), (10, 10)]], 1),  # drawn with a ruler: no tilt, no wobble
        ([[(0, 0), (50, 0)], [(50, 0), (50, 50)], [(50, 50), (0, 50)], [(0, 50), (0, 0)]], 1),  # four strokes
        ([[(10, 10), (110, 10), (110, 60), (10, 60), (10, 10)]], 0),  # a 2:1 rectangle, just as straight
        ([[(0, 50), (25, 0), (50, 50), (0, 50)]], 0),
    ],
    ids=["ruler square", "four-stroke square", "ruler rectangle", "ruler triangle"],
)
def test_the_shipped_model_reads_perfectly_straight_drawings(strokes, expected):
    # The generator's neat drawings (shapes.NEAT_SHARE) are there for these: without them a
    # perfectly straight square was unlike every square in training and read as "not square".
    probabilities = pn.square_detector().predict_proba([drawing.prepare(strokes)])[0]
    assert probabilities[expected] > 0.9


def regular_polygon(corners, radius=120.0, start=0.0):
    points = [
        (128 + radius * math.cos(start + 2 * math.pi * k / corners), 128 + radius * math.sin(start + 2 * math.pi * k / corners))
        for k in range(corners)
    ]
    return [points + [points[0]]]


@pytest.mark.parametrize(
    "strokes, expected",
    [
        ([[(40, 50), (210, 42), (222, 215), (35, 221), (44, 46), (104, 40)]], 1),
        (
            [
                [(60, 30), (190, 28), (215, 36), (226, 60), (228, 190)],
                [(224, 205), (205, 226), (60, 228), (36, 216), (28, 190), (30, 62), (40, 38), (62, 30)],
            ],
            1,
        ),
        ([[(20, 60), (235, 64), (233, 228), (22, 224), (25, 70)]], 1),
        ([[(57, 20), (250, 61), (209, 254), (16, 213), (55, 26)]], 1),
        ([[(128, 10), (246, 128), (128, 246), (10, 128), (124, 16)]], 1),
        ([[(30, 30), (225, 28), (228, 225), (28, 222), (30, 68)]], 1),
        (regular_polygon(8, start=math.pi / 8), 0),
        (regular_polygon(24), 0),
        ([[(128, 5), (200, 245), (10, 90), (246, 90), (56, 245), (126, 10)]], 0),
        ([[(180, 20), (120, 15), (60, 40), (25, 100), (25, 160), (60, 220), (120, 245), (185, 235),
           (130, 205), (100, 160), (95, 110), (115, 60), (175, 24)]], 0),
        ([[(30, 25), (28, 225), (228, 228), (226, 28)]], 0),
    ],
    ids=[
        "skewed square overshooting its start",
        "rounded square in two strokes",
        "square of aspect 1.3",
        "square tilted 12 degrees",
        "diamond: a square turned by 45 degrees",
        "square left open by 15% of its size",
        "octagon",
        "circle as a 24-gon",
        "five-pointed star in one stroke",
        "crescent moon",
        "open square",
    ],
)
def test_the_shipped_model_reads_drawings_typed_by_hand_as_people_draw(strokes, expected):
    # Few-point polylines on the collection's 0..255 scale, typed by hand for this test (not from
    # the generator): the habits of issue 9 (skew, overshoot, rounded corners, two strokes, aspect
    # 1.3, tilt, a diamond, a gap) and the non-squares people draw (docs/squares.md, section 10).
    probabilities = pn.square_detector().predict_proba([drawing.prepare(strokes)])[0]
    assert probabilities[expected] > 0.5


# --- real drawings: train(extra=...) and evaluate_drawings -------------------


def test_train_splits_each_labels_extra_drawings_like_the_generated_ones():
    extra = [("square", shapes.sample("square", random.Random(seed))) for seed in range(20)]
    extra += [("other", shapes.sample("circle", random.Random(seed))) for seed in range(10)]
    model, report = squares.train(samples=100, epochs=1, seed=4, verbose=0, extra=extra)
    # 20 squares: 2 test, 2 validation, 16 training; 10 others: 1, 1, 8.
    assert report["extra"] == {"train": 24, "validation": 3, "test": 3}
    assert report["samples"] == 10 + 3
    assert {"extra square", "extra other"} <= set(report["per_kind"])
    text = squares.format_report(report)
    assert "with real drawings (--extra): 24 in training, 3 in validation, 3 among these" in text
    _, without = squares.train(samples=100, epochs=1, seed=4, verbose=0)
    assert without["extra"] == {"train": 0, "validation": 0, "test": 0} and without["samples"] == 10
    assert "--extra" not in squares.format_report(without)


LINE = [[(0, 0), (1, 1)]]


@pytest.mark.parametrize(
    "extra, error, message",
    [
        ([("round", LINE)], ValueError, r"train: extra\[0\] has the label 'round'; expected one of square, other"),
        ([("square", LINE), "square"], TypeError, r"train: extra\[1\] must be a \(label, drawing\) pair"),
        ([("other", [[(0, 0), (1, "a")]])], TypeError, r"extra\[0\] drawing stroke 0, point 1: y must be a number"),
        ("square", TypeError, r"train: extra must be a list of \(label, drawing\) pairs, got str"),
    ],
)
def test_train_refuses_bad_extra_drawings_before_training(extra, error, message):
    with pytest.raises(error, match=message):
        squares.train(samples=100, epochs=1, verbose=0, extra=extra)


def test_evaluate_drawings_is_the_share_the_model_calls_square():
    model = pn.square_detector()
    items = [shapes.sample(kind, random.Random(seed)) for kind in ("square", "circle") for seed in range(6)]
    result = squares.evaluate_drawings(model, items, size=64)
    expected = model.predict(squares.inputs(items, 32, 64, squares.reads_upright(model)))
    assert result == {
        "drawings": 12,
        "called_square": sum(expected),
        "share_square": pytest.approx(sum(expected) / 12),
        "size": 64,
    }
    with pytest.raises(ValueError, match="drawings is empty"):
        squares.evaluate_drawings(model, [])


def test_kind_label_covers_generated_and_extra_kinds():
    assert all(squares.kind_label(kind) == label for kind, label in shapes.KINDS.items())
    assert squares.kind_label("extra square") == 1 and squares.kind_label("extra other") == 0
