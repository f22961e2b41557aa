"""Writes are atomic: ``write_atomically`` leaves the old file or the new one, never a fragment.

The last test kills a saving process with SIGKILL at 200 seeded moments
while it writes a model over an existing one (docs/robustness.md).
"""

from __future__ import annotations

import os
import random
import signal
import time

import pytest

import purenet as pn
from purenet.serialization import load, write_atomically

def test_write_atomically_writes_bytes_and_text_with_mode_0644(tmp_path):
    path = tmp_path / "file.bin"
    write_atomically(path, b"\x00\x01")
    assert path.read_bytes() == b"\x00\x01"
    assert os.stat(path).st_mode & 0o777 == 0o644
    write_atomically(str(path), "é")
    assert path.read_bytes() == "é".encode("utf-8")
    assert sorted(os.listdir(tmp_path)) == ["file.bin"]


def test_write_atomically_keeps_the_old_mode(tmp_path):
    path = tmp_path / "file.txt"
    path.write_text("old")
    os.chmod(path, 0o600)
    write_atomically(path, "new")
    assert path.read_text() == "new"
    assert os.stat(path).st_mode & 0o777 == 0o600


def test_write_atomically_refuses_other_data_and_leaves_nothing(tmp_path):
    with pytest.raises(TypeError, match="data must be bytes or str, got int"):
        write_atomically(tmp_path / "file", 3)
    assert os.listdir(tmp_path) == []


def test_a_failed_write_removes_the_temporary_file_and_keeps_the_old_one(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    path.write_text("old")

    def broken_replace(source, destination):
        raise OSError("disk gone")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk gone"):
        write_atomically(path, "new")
    assert path.read_text() == "old"
    assert os.listdir(tmp_path) == ["model.json"]


def _model() -> pn.Sequential:
    return pn.Sequential(pn.Dense(20, 20, rng=random.Random(1)), pn.ReLU(), pn.Dense(20, 3, rng=random.Random(2)))


def _save_forever(path: str) -> None:
    """The child's work: save the model over ``path`` again and again until killed."""
    model = _model()
    for index in range(10**6):
        model.save(path, metadata={"index": index})


@pytest.mark.skipif(not hasattr(os, "fork"), reason="SIGKILL and fork are POSIX")
def test_a_save_killed_at_200_random_moments_leaves_a_whole_model(tmp_path):
    """A child process saves a model over the same file again and again; SIGKILL lands at seeded random moments.

    After each kill the file loads: a complete model (an earlier save or the latest), never a fragment.
    The child is forked (not a new interpreter) so that 200 kills take seconds, not minutes.
    """
    rng = random.Random(11)
    path = str(tmp_path / "model.json")
    _model().save(path, {"index": -1})
    indices, killed_mid_save = set(), 0
    for _ in range(200):
        child = os.fork()
        if child == 0:
            try:
                _save_forever(path)
            finally:
                os._exit(0)
        time.sleep(rng.uniform(0.0, 0.08))
        os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
        assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        model = load(path)
        assert len(model.layers) == 3 and model.layers[2].weight == _model().layers[2].weight
        indices.add(model.metadata["index"])
        for name in os.listdir(tmp_path):
            if name != "model.json":  # a killed save may leave its temporary file, never under the model's name
                assert name.startswith(".purenet-") and name.endswith(".tmp")
                os.remove(tmp_path / name)
                killed_mid_save += 1
    # the kills landed at many points of the save loop, some in the middle of writing the temporary file
    assert len(indices) > 5 and killed_mid_save > 20, (sorted(indices), killed_mid_save)
