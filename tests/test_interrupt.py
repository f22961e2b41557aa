"""Ctrl-C (SIGINT) during fit and `train`: the batch finishes, the last whole epoch is kept, status 130.

docs/checkpoints.md describes what is kept and printed.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time

import pytest

import purenet as pn
from purenet import datasets
from purenet.callbacks import Callback
from purenet.checkpoint import load_checkpoint
from purenet.interrupt import TrainingInterrupted
from purenet.serialization import load

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
X, Y = datasets.spiral(points_per_class=20, seed=3)
POSIX = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="sends POSIX signals to a process")


def run(epochs: int, **options) -> tuple[pn.Sequential, pn.Optimizer, dict]:
    rng = random.Random(5)
    model = pn.Sequential(pn.Dense(2, 8, rng=rng), pn.ReLU(), pn.Dense(8, 3, rng=rng))
    optimizer = pn.Adam(model.parameters(), lr=0.02)
    history = model.fit(X, Y, optimizer=optimizer, epochs=epochs, batch_size=7, seed=11, verbose=0, **options)
    return model, optimizer, history


class PressControlC(Callback):
    """Sends this process SIGINT in the middle of one epoch, and counts the batches that ran after it."""

    def __init__(self, epoch: int, batch: int) -> None:
        self.epoch, self.batch, self.batches_after = epoch, batch, 0

    def on_batch_end(self, training) -> None:
        if (training.epoch, training.batch) == (self.epoch, self.batch):
            os.kill(os.getpid(), signal.SIGINT)
        elif (training.epoch, training.batch) > (self.epoch, self.batch):
            self.batches_after += 1


@POSIX
@pytest.mark.parametrize("epoch", [1, 3])
def test_control_c_keeps_the_last_whole_epoch_and_writes_it_to_the_checkpoint(tmp_path, epoch):
    path = tmp_path / "run.json"
    press = PressControlC(epoch, 4)
    rng = random.Random(5)
    model = pn.Sequential(pn.Dense(2, 8, rng=rng), pn.ReLU(), pn.Dense(8, 3, rng=rng))
    optimizer = pn.Adam(model.parameters(), lr=0.02)
    with pytest.raises(TrainingInterrupted) as caught:
        model.fit(X, Y, optimizer=optimizer, epochs=6, batch_size=7, seed=11, verbose=0, checkpoint=path,
                  callbacks=[press])
    assert press.batches_after == 0  # the batch finished, and no other began
    assert (caught.value.epoch, caught.value.epochs, caught.value.checkpoint) == (epoch - 1, 6, str(path))
    assert isinstance(caught.value, KeyboardInterrupt)
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler  # the handler is put back
    if epoch > 1:
        kept_model, kept_optimizer, _ = run(epoch - 1)
        assert model.state_dict() == kept_model.state_dict()
        assert optimizer.state_dict() == kept_optimizer.state_dict()
    assert load_checkpoint(path)["training"]["epoch"] == epoch - 1
    # and the run resumed from the checkpoint is the run that was never stopped
    full_model, _, full_history = run(6)
    resumed_model, _, resumed_history = run(6, resume=path)
    assert resumed_history == full_history
    assert resumed_model.state_dict() == full_model.state_dict()


def _start_training(tmp_path, *options: str) -> subprocess.Popen:
    command = [sys.executable, "-m", "purenet", "train", "spiral", "--points", "40", "--hidden", "16",
               "--epochs", "100000", *options]
    return subprocess.Popen(command, cwd=tmp_path, env=dict(os.environ, PYTHONPATH=ROOT),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(path, process: subprocess.Popen, seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while not os.path.exists(path):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "no checkpoint appeared"
        time.sleep(0.05)


@POSIX
def test_control_c_in_train_spiral_saves_the_kept_model_prints_how_to_resume_and_exits_130(tmp_path):
    checkpoint, out = tmp_path / "run.json", tmp_path / "spiral.json"
    process = _start_training(tmp_path, "--checkpoint", str(checkpoint), "--out", str(out))
    _wait_for(checkpoint, process)
    time.sleep(0.3)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "interrupted: kept the model as it was after epoch" in stderr
    assert f"saved it to {out}" in stderr
    resume_line = next(line for line in stderr.splitlines() if line.startswith("resume with: "))
    assert resume_line.endswith(f"--resume {checkpoint}") and "--epochs 100000" in resume_line
    saved = load_checkpoint(checkpoint)
    epoch = saved["training"]["epoch"]
    assert epoch >= 1 and f"after epoch {epoch} of 100000" in stderr
    assert load(out).state_dict() == saved["model"].state_dict()  # --out holds the epoch the checkpoint holds
    assert sorted(os.listdir(tmp_path)) == ["run.json", "spiral.json"]  # no temporary file left behind


@POSIX
def test_control_c_without_a_checkpoint_says_how_to_get_one(tmp_path):
    out = tmp_path / "spiral.json"
    process = _start_training(tmp_path, "--out", str(out))
    time.sleep(2.0)  # the interpreter starts and training begins
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode == 130, stderr
    assert "add --checkpoint FILE to be able to resume" in stderr
    assert len(load(out).layers) == 3


@POSIX
@pytest.mark.parametrize("delay", [0.0, 0.001, 0.01, 0.05])
def test_a_second_control_c_stops_at_once_and_leaves_no_half_file(tmp_path, delay):
    checkpoint, out = tmp_path / "run.json", tmp_path / "spiral.json"
    process = _start_training(tmp_path, "--checkpoint", str(checkpoint), "--out", str(out))
    _wait_for(checkpoint, process)
    process.send_signal(signal.SIGINT)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=60)
    # 130, or killed by SIGINT itself when the second one lands after main returned (a shell shows 130 for both)
    assert process.returncode in (130, -signal.SIGINT), stderr
    load_checkpoint(checkpoint)  # whole: the old checkpoint or the new one, never a fragment
    if out.exists():
        assert len(load(out).layers) == 3
    leftovers = [name for name in os.listdir(tmp_path) if name not in ("run.json", "spiral.json")]
    assert all(name.startswith(".purenet-") and name.endswith(".tmp") for name in leftovers), leftovers


class RaiseAfterFirstBatch(Callback):
    def on_batch_end(self, training):
        raise RuntimeError("a callback's own error")


class CountExceptions(Callback):
    def __init__(self):
        self.seen = []

    def on_exception(self, training, error):
        self.seen.append(error)


def test_an_error_that_ends_fit_puts_the_previous_ctrl_c_handler_back():
    # A handler left behind by a run that ended in an error would swallow the next Ctrl-C.
    before = signal.getsignal(signal.SIGINT)
    X, y = datasets.xor()
    model = pn.Sequential(pn.Dense(2, 4, rng=random.Random(0)), pn.ReLU(), pn.Dense(4, 2, rng=random.Random(1)))
    counter = CountExceptions()
    with pytest.raises(RuntimeError, match="a callback's own error"):
        model.fit(X, y, epochs=2, verbose=0, callbacks=[RaiseAfterFirstBatch(), counter])
    assert signal.getsignal(signal.SIGINT) is before
    assert [str(error) for error in counter.seen] == ["a callback's own error"]
    with pytest.raises(KeyboardInterrupt):  # the next Ctrl-C is an ordinary KeyboardInterrupt again
        signal.raise_signal(signal.SIGINT)
