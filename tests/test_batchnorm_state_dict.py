"""BatchNorm1d's num_batches_tracked in state_dict, as PyTorch keys it: strict loads both ways, files, old state_dicts.

PyTorch's ``nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2))`` has the state_dict keys
0.weight, 0.bias, 1.weight, 1.bias, 1.running_mean, 1.running_var, 1.num_batches_tracked, 2.weight, 2.bias;
the count is a 0-dimensional int64 tensor, whose ``tolist()`` is an int, and purenet's state_dict holds that int.
The stdlib-only tests (purenet's own files, old state_dicts, bad counts) always run; the ones that need torch or the
official safetensors library skip, with the reason, where those are missing. Derivation and rules:
docs/regularisation.md ("Batch normalisation") and docs/pytorch.md.
"""

from __future__ import annotations

import json
import random

import pytest
from conftest import assert_close

import purenet as pn
from purenet import safetensors
from purenet.serialization import ModelFileError

KEYS = ["0.weight", "0.bias", "1.weight", "1.bias", "1.running_mean", "1.running_var", "1.num_batches_tracked",
        "2.weight", "2.bias"]
COUNT = "1.num_batches_tracked"


@pytest.fixture(name="torch")
def torch_module():
    return pytest.importorskip("torch", reason="torch is a test-only oracle (pip install torch)")


@pytest.fixture(name="official")
def official_safetensors():
    pytest.importorskip("torch", reason="torch is a test-only oracle (pip install torch)")
    return pytest.importorskip("safetensors.torch", reason="the official safetensors library is test-only")


def purenet_model(seed: int = 0) -> pn.Sequential:
    """The twin of torch_model: Dense(3, 4), BatchNorm1d(4), Dense(4, 2), with random weights and biases."""
    rng = random.Random(seed)
    model = pn.Sequential(pn.Dense(3, 4, rng=rng), pn.BatchNorm1d(4), pn.Dense(4, 2, rng=rng))
    for parameter in model.parameters():  # purenet starts biases and gamma, beta at 0 and 1: move them off
        if parameter.name in ("bias", "weight") and not isinstance(parameter[0], list):
            parameter[:] = [rng.uniform(0.5, 1.5) if parameter.name == "weight" else rng.uniform(-1.0, 1.0)
                            for _ in parameter]
    return model


def torch_model(torch, seed: int = 0):
    torch.manual_seed(seed)
    nn = torch.nn
    return nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.Linear(4, 2)).double()


def batches(seed: int, count: int, rows: int = 5) -> list[list[list[float]]]:
    rng = random.Random(seed)
    return [[[rng.uniform(-2.0, 2.0) for _ in range(3)] for _ in range(rows)] for _ in range(count)]


def train_purenet(model: pn.Sequential, inputs: list, lr: float = 0.1) -> None:
    """SGD steps in training mode on a fixed target (every output pulled towards 0.5): moves every statistic."""
    optimizer, loss = pn.SGD(model.parameters(), lr=lr), pn.MeanSquaredError()
    model.train()
    for batch in inputs:
        optimizer.zero_grad()
        outputs = model.forward(batch)
        loss.forward(outputs, [[0.5, 0.5] for _ in batch])
        model.backward(loss.backward())
        optimizer.step()


def train_torch(torch, twin, inputs: list, lr: float = 0.1) -> None:
    optimizer = torch.optim.SGD(twin.parameters(), lr=lr)
    twin.train()
    for batch in inputs:
        optimizer.zero_grad()
        outputs = twin(torch.tensor(batch, dtype=torch.float64))
        torch.nn.functional.mse_loss(outputs, torch.full_like(outputs, 0.5)).backward()
        optimizer.step()


def as_tensors(torch, state: dict) -> dict:
    """A purenet state_dict as PyTorch's: lists as float64 tensors, the count as an int64 scalar (torch.tensor(3))."""
    return {key: torch.tensor(value) if isinstance(value, int) else torch.tensor(value, dtype=torch.float64)
            for key, value in state.items()}


def evaluation_outputs_agree(torch, model: pn.Sequential, twin, seed: int) -> None:
    inputs = batches(seed, 1, rows=7)[0]
    twin.eval()
    assert_close(model.eval().forward(inputs), twin(torch.tensor(inputs, dtype=torch.float64)).tolist(), rel=1e-9)


# --- the keys ------------------------------------------------------------------------------------------


def test_the_state_dict_has_pytorchs_keys_in_its_order_and_the_count_as_an_int():
    model = purenet_model()
    train_purenet(model, batches(1, 3))
    state = model.state_dict()
    assert list(state) == KEYS
    assert state[COUNT] == 3 and type(state[COUNT]) is int
    model.layers[1].num_batches_tracked = 5
    assert state[COUNT] == 3  # a copy: the model moves on, the state_dict does not


def test_the_keys_are_torchs(torch):
    assert list(torch_model(torch).state_dict()) == KEYS
    assert torch_model(torch).state_dict()[COUNT].tolist() == 0  # a 0-dimensional tensor: tolist() is an int


# --- purenet <-> torch, strictly -------------------------------------------------------------------------


def test_a_purenet_state_dict_loads_strictly_in_torch(torch):
    model = purenet_model(1)
    train_purenet(model, batches(2, 4))
    twin = torch_model(torch)
    assert not twin.load_state_dict(as_tensors(torch, model.state_dict()), strict=True).missing_keys
    assert twin[1].num_batches_tracked.dtype == torch.int64 and twin[1].num_batches_tracked.shape == ()
    assert int(twin[1].num_batches_tracked) == model.layers[1].num_batches_tracked == 4
    evaluation_outputs_agree(torch, model, twin, 3)


def test_a_torch_state_dict_loads_strictly_in_purenet_both_ways(torch):
    twin = torch_model(torch, 4)
    train_torch(torch, twin, batches(5, 3))
    state = twin.state_dict()
    model = purenet_model()
    assert model.load_state_dict({key: value.tolist() for key, value in state.items()}) == ([], [])
    assert model.layers[1].num_batches_tracked == 3
    evaluation_outputs_agree(torch, model, twin, 6)
    rebuilt = pn.from_state_dict(["Linear", "BatchNorm1d", "Linear"], state)  # the tensors themselves
    assert rebuilt.layers[1].num_batches_tracked == 3
    assert rebuilt.state_dict() == {key: value.tolist() for key, value in state.items()}


def test_after_training_on_both_sides_the_counts_and_weights_agree_and_travel_back(torch):
    """torch trains 3 steps, its state_dict goes to purenet, both train 2 more on the same batches, and back."""
    twin = torch_model(torch, 7)
    train_torch(torch, twin, batches(8, 3))
    model = pn.from_state_dict(["Linear", "BatchNorm1d", "Linear"], twin.state_dict())
    more = batches(9, 2)
    train_torch(torch, twin, more)
    train_purenet(model, more)
    ours, theirs = model.state_dict(), twin.state_dict()
    assert list(ours) == list(theirs) == KEYS
    assert ours[COUNT] == int(theirs[COUNT]) == 5
    for key in KEYS:
        assert_close(ours[key], theirs[key].tolist(), rel=1e-9, abs=1e-12)
    evaluation_outputs_agree(torch, model, twin, 10)
    back = torch_model(torch)
    back.load_state_dict(as_tensors(torch, ours), strict=True)
    assert int(back[1].num_batches_tracked) == 5
    evaluation_outputs_agree(torch, model, back, 11)


# --- safetensors files -------------------------------------------------------------------------------------


def test_a_state_dict_round_trips_through_a_safetensors_file_with_the_count_an_int(tmp_path):
    model = purenet_model(12)
    train_purenet(model, batches(13, 2))
    path = tmp_path / "model.safetensors"
    safetensors.save_file(model.state_dict(), path)
    header = safetensors.read_header(path.read_bytes())
    assert header.tensors[COUNT] == safetensors.TensorInfo("I64", (), (0, 8))  # PyTorch's int64 scalar, laid out first
    loaded = safetensors.load_file(path)
    assert loaded == model.state_dict() and type(loaded[COUNT]) is int
    rebuilt = pn.from_state_dict([pn.Dense, pn.BatchNorm1d, pn.Dense], loaded)
    assert rebuilt.state_dict() == model.state_dict()


@pytest.mark.parametrize("dtype", ["F64", "F32"])
def test_a_state_dict_file_is_the_official_librarys_bytes_both_ways(dtype, torch, official, tmp_path):
    """purenet's file loads in torch strictly and is byte for byte torch's own; torch's loads in purenet the same."""
    torch_dtype = torch.float64 if dtype == "F64" else torch.float32
    model = purenet_model(14)
    train_purenet(model, batches(15, 3))
    if dtype == "F32":  # weights that float32 holds exactly, so that the two files can be compared byte for byte
        state = {key: value if isinstance(value, int) else torch.tensor(value, dtype=torch.float32).tolist()
                 for key, value in model.state_dict().items()}
        model.load_state_dict(state)
    ours = tmp_path / "purenet.safetensors"
    safetensors.save_file(model.state_dict(), ours, dtype=dtype)
    tensors = official.load_file(str(ours))
    assert tensors[COUNT].dtype == torch.int64 and tensors[COUNT].shape == () and int(tensors[COUNT]) == 3
    twin = torch_model(torch).to(torch_dtype)
    twin.load_state_dict(tensors, strict=True)
    assert official.save(twin.state_dict()) == ours.read_bytes()
    inputs = batches(16, 1, rows=6)[0]
    twin.eval()
    theirs = twin(torch.tensor(inputs, dtype=torch_dtype)).double().tolist()
    assert_close(model.eval().forward(inputs), theirs, rel=1e-9 if dtype == "F64" else 1e-5, abs=1e-6)

    theirs_path = tmp_path / "torch.safetensors"
    train_torch(torch, twin.double(), batches(17, 2))
    official.save_file(twin.to(torch_dtype).state_dict(), str(theirs_path))
    loaded = safetensors.load_file(theirs_path)
    assert type(loaded[COUNT]) is int and loaded[COUNT] == 5
    back = pn.from_state_dict(["Linear", "BatchNorm1d", "Linear"], loaded)
    assert back.state_dict() == {key: value.tolist() for key, value in twin.state_dict().items()}
    assert safetensors.save(back.state_dict(), dtype=dtype) == theirs_path.read_bytes()


# --- state_dicts and files from before the count was saved ---------------------------------------------------


def test_a_state_dict_without_the_count_loads_strictly_and_the_layer_keeps_its_count():
    """As PyTorch fills in a missing num_batches_tracked for a state_dict without a version (a plain dict)."""
    source = purenet_model(18)
    train_purenet(source, batches(19, 2))
    old = {key: value for key, value in source.state_dict().items() if key != COUNT}
    model = purenet_model()
    train_purenet(model, batches(20, 7))
    assert model.load_state_dict(old) == ([], [])
    assert model.layers[1].num_batches_tracked == 7
    assert model.state_dict() == dict(source.state_dict(), **{COUNT: 7})
    assert pn.from_state_dict(["Linear", "BatchNorm1d", "Linear"], old).layers[1].num_batches_tracked == 0


def test_torch_too_loads_a_plain_state_dict_without_the_count_strictly(torch):
    """The behaviour purenet follows: torch keeps its own count when a state_dict without version lacks it."""
    twin = torch_model(torch, 21)
    train_torch(torch, twin, batches(22, 2))
    old = {key: value for key, value in purenet_model(23).state_dict().items() if key != COUNT}
    assert twin.load_state_dict(as_tensors(torch, old), strict=True).missing_keys == []
    assert int(twin[1].num_batches_tracked) == 2


def test_a_model_file_keeps_the_count_and_one_written_before_loads_with_zero(tmp_path):
    model = purenet_model(24)
    train_purenet(model, batches(25, 3))
    path = tmp_path / "model.json"
    model.save(str(path))
    assert pn.load(str(path)).state_dict() == model.state_dict()
    data = json.loads(path.read_text())
    assert data["layers"][1]["num_batches_tracked"] == 3
    del data["layers"][1]["num_batches_tracked"]  # a file of an earlier purenet
    path.write_text(json.dumps(data))
    old = pn.load(str(path))
    assert old.layers[1].num_batches_tracked == 0
    assert old.state_dict() == dict(model.state_dict(), **{COUNT: 0})


@pytest.mark.parametrize("count", [-1, 3.0, [3], "3", True, None, 2**63])
def test_a_bad_count_in_a_model_file_is_a_model_file_error(count, tmp_path):
    path = tmp_path / "model.json"
    purenet_model().save(str(path))
    data = json.loads(path.read_text())
    data["layers"][1]["num_batches_tracked"] = count
    path.write_text(json.dumps(data))
    with pytest.raises(ModelFileError, match=r"layer 1 \(BatchNorm1d\) num_batches_tracked must be an integer"):
        pn.load(str(path))


def test_a_checkpoint_written_before_the_count_was_in_the_model_resumes_with_it(tmp_path):
    """Such a checkpoint holds the count only in training.layers (get_extra_state): resuming still restores it."""
    def run(epochs: int, **where) -> pn.Sequential:
        rng = random.Random(26)
        inputs = [[rng.uniform(-1.0, 1.0) for _ in range(3)] for _ in range(8)]
        targets = [rng.randrange(2) for _ in range(8)]
        model = purenet_model(27)
        model.fit(inputs, targets, loss=pn.SoftmaxCrossEntropy(), optimizer=pn.SGD(model.parameters(), lr=0.1),
                  epochs=epochs, batch_size=4, verbose=0, **where)
        return model

    whole = run(3)
    path = tmp_path / "checkpoint.json"
    run(2, checkpoint=str(path))
    data = json.loads(path.read_text())
    assert data["layers"][1]["num_batches_tracked"] == data["training"]["layers"]["1"]["extra"][
        "num_batches_tracked"] == 4
    del data["layers"][1]["num_batches_tracked"]
    path.write_text(json.dumps(data))
    resumed = run(3, resume=str(path))
    assert resumed.layers[1].num_batches_tracked == whole.layers[1].num_batches_tracked == 6
    assert resumed.state_dict() == whole.state_dict()


# --- bad counts ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "count, error, message",
    [
        (-1, ValueError, r"must be a count from 0 to 2\*\*63 - 1 \(int64\), got -1"),
        (2**63, ValueError, r"must be a count from 0 to 2\*\*63 - 1 \(int64\), got 9223372036854775808"),
        (3.0, TypeError, r"must be an int \(a count of batches, 0-dimensional.*got float 3.0"),
        ([3], TypeError, r"must be an int .*got list \[3\]"),
        ("3", TypeError, r"must be an int .*got str '3'"),
        (True, TypeError, r"must be an int .*got bool True"),
        (None, TypeError, r"must be an int .*got NoneType None"),
        pytest.param(10**5000, ValueError, r"must be a count from 0 to 2\*\*63 - 1 \(int64\), got an int of 16610 bits",
                     id="an int of 5001 digits"),
        (-(2**70), ValueError, r"must be a count from 0 to 2\*\*63 - 1 \(int64\), got a negative int of 71 bits"),
        (list(range(1000)), TypeError, r"must be an int .*got list \[0, 1, 2, .*\.\.\. \(\d+ characters\)"),
    ],
)
def test_a_bad_count_is_refused_naming_the_key_and_nothing_changes(count, error, message):
    source = purenet_model(28)
    model = purenet_model(29)
    train_purenet(model, batches(30, 2))
    before = model.state_dict()
    bad = dict(source.state_dict(), **{COUNT: count})
    for load in (lambda: model.load_state_dict(bad), lambda: model.load_state_dict(bad, strict=False),
                 lambda: pn.from_state_dict(model, bad)):
        with pytest.raises(error, match=r"load_state_dict: '1\.num_batches_tracked' " + message):
            load()
        assert model.state_dict() == before


def test_a_count_for_a_layer_without_one_is_an_unexpected_key():
    model = purenet_model()
    state = dict(model.state_dict(), **{"0.num_batches_tracked": 0})
    with pytest.raises(ValueError, match=r"unexpected keys \['0.num_batches_tracked'\]; this model's keys are \["):
        model.load_state_dict(state)
    assert model.load_state_dict(state, strict=False) == ([], ["0.num_batches_tracked"])
