"""The traps learners fall into are impossible or loudly reported, never a silent wrong answer."""

import json
import math
import os
import subprocess
import sys
import time

import pytest

import purenet as pn
from purenet import drawing, matrices
from purenet.datasets import spiral

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_one_layer_object_used_twice_is_refused():
    # A layer remembers its last input for backward: shared, the second use overwrites the first.
    activation = pn.Tanh()
    with pytest.raises(ValueError, match=r"layer 3 Tanh\(\) is the same object as an earlier layer"):
        pn.Sequential(pn.Dense(2, 4), activation, pn.Dense(4, 4), activation, pn.Dense(4, 2))


def test_class_indices_for_a_single_output_mean_squared_error_are_refused():
    # Index 0 would become the one-hot row [1.0]: training towards 1 when told 0.
    with pytest.raises(ValueError, match="targets are class indices, but the output has a single value"):
        pn.MeanSquaredError()([[0.2], [0.4]], [0, 0])
    assert pn.MeanSquaredError()([[0.2], [0.4]], [[0.0], [0.0]]) == pytest.approx((0.04 + 0.16) / 2)


def test_an_optimizer_built_on_another_model_is_refused():
    model, other = pn.Sequential(pn.Dense(2, 2, rng=1)), pn.Sequential(pn.Dense(2, 2, rng=2))
    with pytest.raises(ValueError, match="optimizer holds parameters that are not this model's"):
        model.fit([[0.0, 1.0]], [1], optimizer=pn.Adam(other.parameters()), verbose=0)


@pytest.mark.parametrize(
    "arguments, message",
    [
        ({"loss": pn.SoftmaxCrossEntropy}, "loss must be an instance such as SoftmaxCrossEntropy"),
        ({"optimizer": pn.Adam}, "optimizer must be an instance such as Adam"),
    ],
)
def test_a_class_passed_for_an_instance_is_named(arguments, message):
    model = pn.Sequential(pn.Dense(2, 2))
    with pytest.raises(TypeError, match=message) as caught:
        model.fit([[0.0, 1.0]], [1], verbose=0, **arguments)
    assert "add the parentheses" in str(caught.value)


def test_a_model_passed_to_an_optimizer_instead_of_its_parameters_is_named():
    with pytest.raises(TypeError, match=r"params must be the list model.parameters\(\), got Sequential"):
        pn.SGD(pn.Sequential(pn.Dense(2, 2)), lr=0.1)


def test_seeds_must_be_integers_so_that_runs_repeat():
    with pytest.raises(TypeError, match="fit: seed must be an int"):
        pn.Sequential(pn.Dense(2, 2)).fit([[0.0, 1.0]], [1], seed=None, verbose=0)
    with pytest.raises(TypeError, match="spiral: seed must be an int"):
        spiral(seed=None)


def test_relu_lets_nan_through_so_that_divergence_is_reported():
    assert math.isnan(pn.ReLU()([[math.nan]])[0][0])
    assert math.isnan(pn.LeakyReLU()([[math.nan]])[0][0])
    model = pn.Sequential(pn.Dense(2, 3, rng=0), pn.ReLU(), pn.Dense(3, 2, rng=1))
    model.layers[0].weight[0][0] = math.nan
    with pytest.raises(pn.TrainingDivergedError, match="epoch 1, batch 1"):
        model.fit([[1.0, 2.0], [0.5, -1.0]], [0, 1], optimizer=pn.SGD(model.parameters(), lr=0.1), verbose=0)


def test_accuracy_refuses_what_it_cannot_score():
    with pytest.raises(ValueError, match="1 column per sample, so the predicted class would always be 0"):
        pn.accuracy([[0.9], [0.1]], [1, 0])
    with pytest.raises(ValueError, match=r"targets\[1\] is class 7, but outputs have 2 classes"):
        pn.accuracy([[0.9, 0.1], [0.2, 0.8]], [0, 7])


def test_calling_a_model_checks_the_data():
    model = pn.Sequential(pn.Dense(2, 1))
    with pytest.raises(ValueError, match=r"X\[0\]\[0\] must be finite"):
        model([[math.nan, 1.0]])
    with pytest.raises(TypeError, match="wrap a single sample"):
        pn.ReLU()([1.0, 2.0])


def test_adam_refuses_eps_zero():
    with pytest.raises(ValueError, match="eps must be > 0"):
        pn.Adam(pn.Sequential(pn.Dense(2, 2)).parameters(), eps=0.0)


def test_an_enormous_target_is_a_bad_target_not_a_divergence():
    model = pn.Sequential(pn.Dense(2, 2))
    with pytest.raises(ValueError, match=r"target\[0\] must hold finite numbers"):
        model.fit([[0.0, 1.0]], [[10**400, 1]], loss=pn.MeanSquaredError(), verbose=0)


def test_a_corrupt_model_asking_for_huge_layers_fails_fast(tmp_path):
    path = tmp_path / "huge.json"
    layer = {"type": "Dense", "config": {"in_features": 20000, "out_features": 20000, "init": "he"},
             "weight": [[0.0]], "bias": [0.0]}
    path.write_text(json.dumps({"format": "purenet-model", "version": 1, "layers": [layer]}))
    started = time.perf_counter()
    with pytest.raises(pn.ModelFileError, match="weight must have 20000 rows, got 1"):
        pn.load(path)
    assert time.perf_counter() - started < 5.0  # not 400 million random draws first


def test_deeply_nested_files_are_refused_clearly(tmp_path):
    nested = tmp_path / "nested.json"
    nested.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(pn.ModelFileError, match="not a model file"):
        pn.load(nested)
    with pytest.raises(ValueError, match="nested.json"):
        drawing.load_drawing_json(nested)
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ValueError, match="binary.json"):
        drawing.load_drawing_json(binary)


def test_shape_names_a_flat_list():
    with pytest.raises(TypeError, match="row 0 is a float"):
        matrices.shape([1.0, 2.0])


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["train", "spiral", "--lr", "1e308", "--epochs", "1"], "error: training diverged"),
        (["train", "spiral", "--lr", "inf"], "must be a positive, finite number"),
        (["train", "squares", "--out", "/nonexistent-folder/x.json"], "does not exist or cannot be written"),
        (["demo", "--port", "99999"], "must be a port number from 0 to 65535"),
    ],
)
def test_command_line_mistakes_are_one_line(arguments, message):
    result = subprocess.run(
        [sys.executable, "-m", "purenet", *arguments], cwd=REPOSITORY, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert message in result.stderr


def test_evaluating_a_model_file_with_a_400_digit_integer_is_one_line(tmp_path):
    # math.isfinite(10**400) raises OverflowError: the file must be refused as a bad model file instead.
    path = tmp_path / "huge.json"
    pn.Sequential(pn.Dense(2, 2)).save(path)
    data = json.loads(path.read_text(encoding="utf-8"))
    data["layers"][0]["weight"][0][0] = 10**400
    path.write_text(json.dumps(data), encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-m", "purenet", "evaluate", str(path)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "OverflowError" not in result.stderr
    assert "layer 0 weight row 0 must hold finite numbers" in result.stderr


def test_dying_relu_is_reported_once():
    # Biases of -100 switch every ReLU unit off: the loss stays flat and, without a word, nothing learns.
    model = pn.Sequential(pn.Dense(2, 4, rng=0), pn.ReLU(), pn.Dense(4, 2, rng=1))
    model.layers[0].bias[:] = [-100.0] * 4
    with pytest.warns(UserWarning, match=r"4 of 4 units of layer 1 \(ReLU\) gave 0 for every sample of epoch 1") as caught:
        model.fit([[0.0, 1.0], [1.0, 0.0]], [0, 1], epochs=3, verbose=0)
    assert len([w for w in caught if "dying ReLU" in str(w.message)]) == 1


def test_a_healthy_relu_network_is_not_warned_about(recwarn):
    X, y = spiral(points_per_class=30, seed=0)
    model = pn.Sequential(pn.Dense(2, 16, rng=0), pn.ReLU(), pn.Dense(16, 3, rng=1))
    model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.01), epochs=5, verbose=0)
    assert not [w for w in recwarn if "dying ReLU" in str(w.message)]


def test_same_shape_layers_with_the_same_seed_are_reported():
    with pytest.warns(UserWarning, match="layers 0 and 2 start with identical weights"):
        pn.Sequential(pn.Dense(4, 4), pn.ReLU(), pn.Dense(4, 4))


def test_layers_sharing_one_random_generator_are_not_reported(recwarn):
    import random

    rng = random.Random(0)
    pn.Sequential(pn.Dense(4, 4, rng=rng), pn.ReLU(), pn.Dense(4, 4, rng=rng))
    assert not [w for w in recwarn if "identical weights" in str(w.message)]
