"""Checkpoints (docs/checkpoints.md): a run resumed from one is bit for bit the uninterrupted run.

Weights, optimiser state and history are compared with ``==``: resuming is
exact or it is wrong.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys

import pytest

import purenet as pn
from purenet import datasets
from purenet.callbacks import Callback
from purenet.checkpoint import Checkpoint, load_checkpoint
from purenet.cli import main
from purenet.serialization import ModelFileError, load, save

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OLD_MODEL = os.path.join(ROOT, "tests", "data", "model_version_1_with_linear.json")
X, Y = datasets.spiral(points_per_class=20, seed=3)


def build(hidden: int = 8) -> pn.Sequential:
    rng = random.Random(5)
    return pn.Sequential(pn.Dense(2, hidden, rng=rng), pn.ReLU(), pn.Dense(hidden, 3, rng=rng))


def run(epochs: int, optimizer: str = "adam", **options) -> tuple[pn.Sequential, pn.Optimizer, dict]:
    model = build()
    if optimizer == "adam":
        chosen = pn.Adam(model.parameters(), lr=0.02)
    else:
        chosen = pn.SGD(model.parameters(), lr=0.05, momentum=0.9)
    history = model.fit(X, Y, optimizer=chosen, epochs=epochs, batch_size=7, seed=11, verbose=0, **options)
    return model, chosen, history


@pytest.mark.parametrize("optimizer", ["adam", "sgd"])
@pytest.mark.parametrize("stopped_after", [1, 3, 5])
def test_a_resumed_run_is_bit_for_bit_the_uninterrupted_run(tmp_path, optimizer, stopped_after):
    full_model, full_optimizer, full_history = run(6, optimizer, validation=0.25)
    path = tmp_path / "run.checkpoint.json"
    run(stopped_after, optimizer, validation=0.25, checkpoint=path)
    assert load_checkpoint(path)["training"]["epoch"] == stopped_after
    model, chosen, history = run(6, optimizer, validation=0.25, resume=path)
    assert history == full_history
    assert len(history["val_loss"]) == 6
    assert model.state_dict() == full_model.state_dict()
    assert chosen.state_dict() == full_optimizer.state_dict()


def test_the_checkpoint_of_every_epoch_is_the_model_of_a_run_that_long(tmp_path):
    path = tmp_path / "run.json"
    run(4, checkpoint=path)
    short_model, _, _ = run(4)
    assert pn.load(path).state_dict() == short_model.state_dict()  # a checkpoint is a model file too
    options = load_checkpoint(path)["training"]["options"]
    assert options["optimizer"]["lr"] == 0.02 and options["optimizer"]["betas"] == [0.9, 0.999]
    del options["optimizer"]
    assert options == {"batch_size": 7, "shuffle": True, "seed": 11, "training_samples": 60}


RESUME_ELSEWHERE = """
import random, sys
sys.path.insert(0, sys.argv[2])
import purenet as pn
from purenet import datasets
X, Y = datasets.spiral(points_per_class=20, seed=3)
rng = random.Random(5)
model = pn.Sequential(pn.Dense(2, 8, rng=rng), pn.ReLU(), pn.Dense(8, 3, rng=rng))
model.fit(X, Y, optimizer=pn.Adam(model.parameters(), lr=0.02), epochs=2, batch_size=7, seed=11, verbose=0,
          checkpoint=sys.argv[1])
"""


def test_a_checkpoint_written_by_another_process_resumes_bit_for_bit(tmp_path):
    path = tmp_path / "elsewhere.json"
    subprocess.run([sys.executable, "-c", RESUME_ELSEWHERE, str(path), ROOT], check=True, timeout=120)
    full_model, full_optimizer, full_history = run(5)
    model, chosen, history = run(5, resume=path)
    assert history == full_history
    assert model.state_dict() == full_model.state_dict()
    assert chosen.state_dict() == full_optimizer.state_dict()


class CountingCallback(Callback):
    """A callback with state: the checkpoint carries it through ``state_dict``/``load_state_dict``."""

    def __init__(self) -> None:
        self.batches = 0

    def on_batch_end(self, training) -> None:
        self.batches += 1

    def state_dict(self) -> dict:
        return {"batches": self.batches}

    def load_state_dict(self, state: dict) -> None:
        self.batches = state["batches"]


def test_a_callbacks_state_is_carried_by_its_state_dict(tmp_path):
    path = tmp_path / "run.json"
    run(2, checkpoint=path, callbacks=[CountingCallback()])
    counter = CountingCallback()
    run(4, resume=path, callbacks=[counter])
    assert counter.batches == 4 * 9  # 60 samples in batches of 7: 9 a epoch, the first 2 epochs from the file
    with pytest.raises(ValueError, match="holds the state of callbacks"):
        run(4, resume=path)


def test_resuming_with_other_options_or_another_model_is_refused(tmp_path):
    path = tmp_path / "run.json"
    run(2, checkpoint=path)
    model = build()
    with pytest.raises(ValueError, match="batch_size=7, but this run has batch_size=8"):
        model.fit(X, Y, optimizer=pn.Adam(model.parameters(), lr=0.02), epochs=4, batch_size=8, seed=11,
                  verbose=0, resume=path)
    with pytest.raises(ValueError, match="seed=11, but this run has seed=12"):
        model.fit(X, Y, optimizer=pn.Adam(model.parameters(), lr=0.02), epochs=4, batch_size=7, seed=12,
                  verbose=0, resume=path)
    with pytest.raises(ValueError, match="lr=0.02, but this run's optimiser has lr=0.03"):
        model.fit(X, Y, optimizer=pn.Adam(model.parameters(), lr=0.03), epochs=4, batch_size=7, seed=11,
                  verbose=0, resume=path)
    with pytest.raises(ValueError, match="holds Adam, but this run uses SGD"):
        model.fit(X, Y, optimizer=pn.SGD(model.parameters(), lr=0.02), epochs=4, batch_size=7, seed=11,
                  verbose=0, resume=path)
    wider = build(hidden=9)
    with pytest.raises(ValueError, match="holds a model .* but this run trains"):
        wider.fit(X, Y, optimizer=pn.Adam(wider.parameters(), lr=0.02), epochs=4, batch_size=7, seed=11,
                  verbose=0, resume=path)
    assert model.state_dict() == build().state_dict()  # nothing was half restored
    plain = tmp_path / "model.json"
    build().save(plain)
    with pytest.raises(ValueError, match="is a model file, not a checkpoint"):
        run(4, resume=plain)


def test_a_damaged_checkpoint_is_a_model_file_error(tmp_path):
    path = tmp_path / "run.json"
    run(1, checkpoint=path)
    data = json.loads(path.read_text())
    data["training"]["random_state"] = [3, [1, 2, 3], None]
    path.write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match="random_state is not a random generator's state"):
        run(3, resume=path)
    data["training"]["checkpoint_version"] = 2
    path.write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match="unsupported checkpoint version 2"):
        load_checkpoint(path)
    data["training"] = {"checkpoint_version": 1, "epoch": "three"}
    path.write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match="'training.epoch' must be a int, got str"):
        load_checkpoint(path)


def test_a_model_file_may_carry_the_optimisers_state(tmp_path):
    model, optimizer, _ = run(3)
    path = tmp_path / "model.json"
    save(model, path, optimizer=optimizer)
    assert load(path).state_dict() == model.state_dict()  # load passes over the optimiser
    saved = load_checkpoint(path)
    assert saved["optimizer"]["type"] == "Adam" and saved["training"] is None
    fresh = pn.Adam(saved["model"].parameters(), lr=0.02)
    fresh.load_state_dict(saved["optimizer"]["state_dict"])
    assert fresh.state_dict() == optimizer.state_dict()
    with pytest.raises(TypeError, match="optimizer must be an Optimizer such as Adam"):
        save(model, path, optimizer="adam")


def test_a_model_file_of_an_earlier_version_still_loads_without_optimiser(tmp_path):
    saved = load_checkpoint(OLD_MODEL)
    assert saved["optimizer"] is None and saved["training"] is None
    assert saved["model"].state_dict() == load(OLD_MODEL).state_dict()


def test_the_command_line_resumes_a_spiral_run_bit_for_bit(tmp_path, capsys):
    options = ["train", "spiral", "--points", "20", "--hidden", "6", "--batch-size", "16"]
    checkpoint, out, full = tmp_path / "run.json", tmp_path / "resumed.json", tmp_path / "full.json"
    assert main(options + ["--epochs", "3", "--checkpoint", str(checkpoint)]) == 0
    assert main(options + ["--epochs", "5", "--resume", str(checkpoint), "--out", str(out)]) == 0
    assert main(options + ["--epochs", "5", "--out", str(full)]) == 0
    assert load(out).state_dict() == load(full).state_dict()
    capsys.readouterr()
    assert main(["train", "spiral", "--points", "20", "--hidden", "7", "--batch-size", "16", "--epochs", "5",
                 "--resume", str(checkpoint)]) == 2
    assert "--resume: " in capsys.readouterr().err
    assert main(options + ["--lr", "0.5", "--epochs", "5", "--resume", str(checkpoint)]) == 2
    assert "was written with --lr 0.01, this run has --lr 0.5" in capsys.readouterr().err


def test_a_checkpoint_callback_stores_the_options_it_is_given(tmp_path):
    path = tmp_path / "run.json"
    run(1, callbacks=[Checkpoint(path, {"task": "spiral", "hidden": 8})])
    options = load_checkpoint(path)["training"]["options"]
    assert (options["task"], options["hidden"], options["batch_size"]) == ("spiral", 8, 7)


def test_the_command_line_resumes_a_squares_run_bit_for_bit(tmp_path, capsys):
    options = ["train", "squares", "--samples", "100", "--size", "8", "--hidden", "4", "--quiet"]
    checkpoint, out, full = tmp_path / "run.json", tmp_path / "resumed.json", tmp_path / "full.json"
    assert main(options + ["--epochs", "1", "--checkpoint", str(checkpoint), "--out", str(tmp_path / "a.json")]) == 0
    assert main(options + ["--epochs", "3", "--resume", str(checkpoint), "--out", str(out)]) == 0
    assert main(options + ["--epochs", "3", "--out", str(full)]) == 0
    assert load(out).state_dict() == load(full).state_dict()
    capsys.readouterr()
    assert main(options + ["--optimizer", "sgd", "--epochs", "3", "--resume", str(checkpoint)]) == 2
    assert "was written with --optimizer 'adam', this run has --optimizer 'sgd'" in capsys.readouterr().err
    assert main(options + ["--schedule", "constant", "--epochs", "3", "--resume", str(checkpoint)]) == 2
    assert "was written with --schedule 'step', this run has --schedule 'constant'" in capsys.readouterr().err


class StopAfter(Callback):
    """Ends fit after ``epochs`` epochs, as Ctrl-C would: a run cut short of the epochs it was set for."""

    def __init__(self, epochs: int) -> None:
        self.epochs = epochs

    def on_epoch_end(self, training) -> None:
        training.stop_training = training.epoch >= self.epochs


def test_a_squares_run_with_the_step_schedule_resumes_bit_for_bit(tmp_path):
    from purenet import squares

    path = tmp_path / "run.json"
    options = dict(samples=60, size=8, hidden=4, epochs=10, schedule="step", seed=4, verbose=0)
    # Stopped after epoch 8 of 10: the checkpoint holds the schedule's place, past its first drop.
    squares.train(**options, callbacks=[Checkpoint(path, {"task": "test"}), StopAfter(8)])
    assert load_checkpoint(path)["training"]["epoch"] == 8
    resumed, _ = squares.train(**options, resume=str(path))
    whole, _ = squares.train(**options)
    assert resumed.state_dict() == whole.state_dict()


def test_a_squares_checkpoint_from_before_the_schedule_option_resumes_as_constant(tmp_path, capsys):
    options = ["train", "squares", "--samples", "100", "--size", "8", "--hidden", "4", "--quiet", "--schedule"]
    checkpoint = tmp_path / "run.json"
    assert main(options + ["constant", "--epochs", "1", "--checkpoint", str(checkpoint), "--out", str(tmp_path / "a.json")]) == 0
    saved = json.loads(checkpoint.read_text(encoding="utf-8"))
    del saved["training"]["options"]["schedule"]  # as written before --schedule existed: those runs kept one rate
    checkpoint.write_text(json.dumps(saved), encoding="utf-8")
    assert main(options + ["constant", "--epochs", "2", "--resume", str(checkpoint), "--out", str(tmp_path / "b.json")]) == 0
    capsys.readouterr()
    assert main(options + ["step", "--epochs", "2", "--resume", str(checkpoint)]) == 2
    assert "was written with --schedule 'constant', this run has --schedule 'step'" in capsys.readouterr().err


class HalvingSchedule(Callback):
    """Halves the learning rate after every epoch: the lr the checkpoint holds is not the one the run began with."""

    def __init__(self, optimizer) -> None:
        self.optimizer = optimizer

    def on_epoch_end(self, training) -> None:
        self.optimizer.lr /= 2

    def state_dict(self) -> dict:
        return {}

    def load_state_dict(self, state: dict) -> None:
        pass


def test_a_run_whose_learning_rate_changes_resumes_bit_for_bit(tmp_path):
    def scheduled(epochs, **options):
        model = build()
        optimizer = pn.Adam(model.parameters(), lr=0.02)
        history = model.fit(X, Y, optimizer=optimizer, epochs=epochs, batch_size=7, seed=11, verbose=0,
                            callbacks=[HalvingSchedule(optimizer)], **options)
        return model, optimizer, history

    path = tmp_path / "run.json"
    full_model, full_optimizer, full_history = scheduled(5)
    scheduled(2, checkpoint=path)
    model, optimizer, history = scheduled(5, resume=path)
    assert optimizer.lr == full_optimizer.lr == 0.02 / 32
    assert history == full_history and model.state_dict() == full_model.state_dict()
