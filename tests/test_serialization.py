"""Tests for saving and loading models: exact round trips, atomic writes, and every broken file."""

import json
import math
import os
import random
import sys
import warnings
from pathlib import Path

import pytest
from conftest import assert_close

import purenet as pn
from purenet import serialization

DATA = Path(__file__).resolve().parent / "data"


def special_model():
    """A model whose floats are hard to write exactly."""
    first = pn.Dense(2, 3, init="xavier")
    first.weight[:] = [[0.1 + 0.2, 1e-300], [5e-324, -0.0], [1.0 / 3.0, -2.5e-310]]
    first.bias[:] = [1e308, -0.1, 123456789.123456789]
    second = pn.Dense(3, 2, rng=4)
    return pn.Sequential(
        first,
        pn.LeakyReLU(0.05),
        second,
        pn.Tanh(),
        pn.Dense(2, 2, rng=5),
        pn.Sigmoid(),
        pn.Dense(2, 2, rng=6),
        pn.ReLU(),
        pn.Identity(),
        pn.Softmax(),
    )


def all_bits(model):
    result = []
    for parameter in model.parameters():
        rows = parameter if isinstance(parameter[0], list) else [parameter]
        result.append([value.hex() for row in rows for value in row])
    return result


def write(path, data):
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def saved_dict(tmp_path, model=None):
    path = tmp_path / "model.json"
    (model or pn.Sequential(pn.Dense(2, 3), pn.ReLU(), pn.Dense(3, 2))).save(str(path))
    return json.loads(path.read_text(encoding="utf-8"))


# --- round trips ---------------------------------------------------------------------


def test_save_and_load_round_trip_bit_for_bit(tmp_path):
    model = special_model()
    path = tmp_path / "model.json"
    model.save(str(path))
    loaded = pn.load(str(path))
    assert [type(layer) for layer in loaded.layers] == [type(layer) for layer in model.layers]
    assert all_bits(loaded) == all_bits(model)
    # the sign of -0.0 and the subnormals survive
    assert math.copysign(1.0, loaded.layers[0].weight[1][1]) == -1.0
    assert loaded.layers[0].weight[1][0] == pytest.approx(5e-324, rel=0, abs=0)
    assert loaded.layers[1].alpha == pytest.approx(0.05)
    assert loaded.layers[0].init == "xavier"


def test_loaded_model_predicts_identically(tmp_path):
    model = pn.Sequential(pn.Dense(3, 5, rng=1), pn.Tanh(), pn.Dense(5, 4, rng=2))
    X = [[0.1, -0.2, 0.3], [1.0, 2.0, -3.0]]
    path = tmp_path / "model.json"
    model.save(path)  # a PathLike works too
    loaded = pn.load(path)
    before, after = model.predict_proba(X), loaded.predict_proba(X)
    assert [v.hex() for row in after for v in row] == [v.hex() for row in before for v in row]
    assert loaded.predict(X) == model.predict(X)


def test_file_is_the_documented_json(tmp_path):
    data = saved_dict(tmp_path)
    assert data["format"] == "purenet-model"
    assert data["version"] == 1
    assert [layer["type"] for layer in data["layers"]] == ["Dense", "ReLU", "Dense"]
    assert data["layers"][0]["config"] == {"in_features": 2, "out_features": 3, "init": "he"}
    assert len(data["layers"][0]["weight"]) == 3 and len(data["layers"][0]["weight"][0]) == 2
    assert len(data["layers"][0]["bias"]) == 3
    assert data["metadata"] == {}


def test_metadata_round_trips(tmp_path):
    model = pn.Sequential(pn.Dense(2, 2))
    metadata = {"epochs": 30, "dataset": "xor", "accuracy": 0.75, "classes": ["a", "b"], "nested": {"lr": 0.01}}
    path = tmp_path / "model.json"
    model.save(str(path), metadata=metadata)
    assert pn.load(str(path)).metadata == metadata
    # without an explicit argument, the model's own metadata is saved
    model.metadata = {"note": "mine"}
    model.save(str(path))
    assert pn.load(str(path)).metadata == {"note": "mine"}


def test_overwriting_replaces_the_file_and_leaves_no_temporary_files(tmp_path):
    path = tmp_path / "model.json"
    pn.Sequential(pn.Dense(2, 2, rng=1)).save(str(path))
    second = pn.Sequential(pn.Dense(2, 2, rng=2))
    second.save(str(path))
    assert all_bits(pn.load(str(path))) == all_bits(second)
    assert sorted(os.listdir(tmp_path)) == ["model.json"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX file modes")
def test_saved_file_is_readable_like_a_normal_file_and_keeps_an_existing_mode(tmp_path):
    # The temporary file of an atomic write is private (0600); the saved model must not be.
    path = tmp_path / "model.json"
    pn.Sequential(pn.Dense(2, 2)).save(str(path))
    assert os.stat(path).st_mode & 0o777 == 0o644
    os.chmod(path, 0o640)
    pn.Sequential(pn.Dense(2, 2)).save(str(path))
    assert os.stat(path).st_mode & 0o777 == 0o640


# --- refusing to save ----------------------------------------------------------------


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_save_refuses_nan_and_infinite_weights(tmp_path, bad):
    model = pn.Sequential(pn.Dense(2, 2, rng=1), pn.ReLU(), pn.Dense(2, 2, rng=2))
    model.layers[2].bias[1] = bad
    path = tmp_path / "model.json"
    with pytest.raises(ValueError, match=r"save: layer 2 \(Dense\) has a NaN or infinite bias; refusing to save"):
        model.save(str(path))
    assert os.listdir(tmp_path) == []


def test_save_refuses_a_non_model(tmp_path):
    with pytest.raises(TypeError, match=r"save: model must be a Sequential, got Dense"):
        serialization.save(pn.Dense(2, 2), str(tmp_path / "x.json"))


def test_save_refuses_a_layer_that_load_cannot_rebuild(tmp_path):
    # A user's own Layer subclass would be written under a type name that load refuses:
    # save must say so at once instead of writing a file that can never be read back.
    class Doubling(pn.Layer):
        def forward(self, x):
            return [[2.0 * v for v in row] for row in x]

    path = tmp_path / "model.json"
    with pytest.raises((TypeError, ValueError), match=r"Doubling"):
        pn.Sequential(pn.Dense(2, 2), Doubling()).save(str(path))
    assert os.listdir(tmp_path) == []


def test_atomic_write_keeps_the_old_file_when_the_rename_fails(tmp_path, monkeypatch):
    path = tmp_path / "model.json"
    old = pn.Sequential(pn.Dense(2, 2, rng=1))
    old.save(str(path))
    old_text = path.read_text(encoding="utf-8")

    def failing_replace(source, destination):
        raise OSError("disk full (simulated)")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError, match="disk full"):
        pn.Sequential(pn.Dense(2, 2, rng=2)).save(str(path))
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == old_text
    assert sorted(os.listdir(tmp_path)) == ["model.json"], "the temporary file must be removed"


def test_atomic_write_interrupted_before_any_file_existed(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "replace", lambda source, destination: (_ for _ in ()).throw(KeyboardInterrupt()))
    with pytest.raises(KeyboardInterrupt):
        pn.Sequential(pn.Dense(2, 2)).save(str(tmp_path / "model.json"))
    monkeypatch.undo()
    assert os.listdir(tmp_path) == []


# --- refusing to load ----------------------------------------------------------------


def assert_model_file_error(path, message):
    with pytest.raises(pn.ModelFileError, match=message) as caught:
        pn.load(str(path))
    assert isinstance(caught.value, ValueError)
    assert str(path) in str(caught.value), "the message names the file"


def test_model_file_error_is_a_value_error():
    assert issubclass(pn.ModelFileError, ValueError)


def test_missing_file(tmp_path):
    assert_model_file_error(tmp_path / "nothing.json", r"no such model file")


def test_corrupt_json(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("{this is not json", encoding="utf-8")
    assert_model_file_error(path, r"not valid JSON at line 1, column \d+.*truncated or corrupt")


def test_truncated_file(tmp_path):
    path = tmp_path / "model.json"
    pn.Sequential(pn.Dense(4, 8), pn.ReLU(), pn.Dense(8, 3)).save(str(path))
    text = path.read_text(encoding="utf-8")
    path.write_text(text[: len(text) // 2], encoding="utf-8")
    assert_model_file_error(path, r"not valid JSON .*the file may be truncated or corrupt")


def test_empty_file(tmp_path):
    path = tmp_path / "model.json"
    path.write_text("", encoding="utf-8")
    assert_model_file_error(path, r"not valid JSON")


def test_not_utf8(tmp_path):
    path = tmp_path / "model.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    assert_model_file_error(path, r"cannot read the model file")


def test_not_an_object(tmp_path):
    assert_model_file_error(write(tmp_path / "m.json", [1, 2]), r"expected a JSON object, got list")


def test_wrong_format_name(tmp_path):
    data = saved_dict(tmp_path)
    data["format"] = "keras-model"
    assert_model_file_error(write(tmp_path / "m.json", data), r"not a purenet model: format is 'keras-model', expected 'purenet-model'")


@pytest.mark.parametrize("version", [2, 0, "1", None, True])
def test_wrong_or_newer_version(tmp_path, version):
    data = saved_dict(tmp_path)
    data["version"] = version
    assert_model_file_error(write(tmp_path / "m.json", data), rf"unsupported format version {version!r}; this purenet reads version 1")


def test_unknown_layer_type(tmp_path):
    data = saved_dict(tmp_path)
    data["layers"][1] = {"type": "Conv3d", "config": {}}
    assert_model_file_error(
        write(tmp_path / "m.json", data), r"layer 1 has unknown type 'Conv3d'; known: Dense, Identity, ReLU"
    )


@pytest.mark.parametrize(
    "kind, shown",
    [
        (["Dense"], r"list \['Dense'\]"),
        ({"name": "ReLU"}, r"dict \{'name': 'ReLU'\}"),
        (7, "int 7"),
        (None, "NoneType None"),
    ],
)
def test_a_layer_type_that_is_not_a_string_is_named(tmp_path, kind, shown):
    # A list or an object cannot be looked up among the layer types (unhashable): it must still be a ModelFileError.
    data = saved_dict(tmp_path)
    data["layers"][1]["type"] = kind
    assert_model_file_error(write(tmp_path / "m.json", data), rf"layer 1 has unknown type {shown}; known: Dense")


@pytest.mark.parametrize(
    "change, message",
    [
        (
            lambda d: d["layers"][0]["weight"][0].__setitem__(0, 10**400),
            r"layer 0 weight row 0 must hold finite numbers, got 1000.*\(401 characters\)",
        ),
        (
            lambda d: d["layers"][0]["bias"].__setitem__(2, -(10**400)),
            r"layer 0 bias must hold finite numbers, got -1000",
        ),
        (
            lambda d: d["layers"][0]["config"].__setitem__("out_features", 10**400),
            r"layer 0 weight must have 1000.* rows, got 3",
        ),
        (
            lambda d: d.__setitem__("version", 10**400),
            r"unsupported format version 1000.*; this purenet reads version 1",
        ),
    ],
)
def test_a_400_digit_integer_is_a_model_file_error_not_an_overflow(tmp_path, change, message):
    # math.isfinite(10**400) raises OverflowError; purenet's one finiteness check says "not finite".
    data = saved_dict(tmp_path)
    change(data)
    assert_model_file_error(write(tmp_path / "m.json", data), message)


def test_a_400_digit_alpha_is_a_model_file_error(tmp_path):
    data = saved_dict(tmp_path, pn.Sequential(pn.Dense(2, 2), pn.LeakyReLU()))
    data["layers"][1]["config"]["alpha"] = 10**400
    assert_model_file_error(write(tmp_path / "m.json", data), r"layer 1 \(LeakyReLU\) has an invalid config")


# --- the identity's names, and files written by earlier versions --------------------------------------


def test_the_identity_is_written_as_identity_also_under_its_old_name(tmp_path):
    with pytest.warns(FutureWarning):
        old_name = pn.Linear()
    for layer in (pn.Identity(), pn.Pass(), old_name):
        data = saved_dict(tmp_path, pn.Sequential(pn.Dense(2, 2), layer))
        assert data["layers"][1] == {"type": "Identity", "config": {}}


@pytest.mark.parametrize("old_name", ["Linear", "Pass"])
def test_files_naming_the_identity_linear_or_pass_load_as_identity_without_a_warning(tmp_path, old_name):
    data = saved_dict(tmp_path, pn.Sequential(pn.Dense(2, 2), pn.Identity()))
    data["layers"][1]["type"] = old_name
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = pn.load(write(tmp_path / "m.json", data))
    assert type(model.layers[1]) is pn.Identity


def test_a_file_written_by_an_earlier_version_loads_and_predicts_as_it_did():
    # Written by purenet at commit f2e36ca on Python 3.11 (format 1, the identity called "Linear"), with the
    # probabilities that version computed for two inputs: the loaded model gives the same, bit for bit where
    # the dot products are the writer's (sum(map(mul)) on 3.10 and 3.11), to the last bits on 3.12 and later,
    # whose math.sumprod rounds differently.
    path = DATA / "model_version_1_with_linear.json"
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = pn.load(path)
    assert [type(layer).__name__ for layer in model.layers] == [
        "Dense",
        "LeakyReLU",
        "Dense",
        "Tanh",
        "Identity",
        "Dense",
        "Softmax",
    ]
    assert "f2e36ca" in model.metadata["written_by"]
    got = model.predict_proba(model.metadata["inputs"])
    assert_close(got, model.metadata["probabilities"], rel=1e-14, abs=0.0)
    if sys.version_info < (3, 12):
        assert [v.hex() for row in got for v in row] == [v.hex() for row in model.metadata["probabilities"] for v in row]
    assert model.layers[1].alpha == pytest.approx(0.1)
    assert any(value != 0.0 for value in model.layers[0].bias)  # trained: the biases moved from 0


def test_a_file_from_an_earlier_version_saved_again_keeps_every_weight(tmp_path):
    model = pn.load(DATA / "model_version_1_with_linear.json")
    model.save(tmp_path / "again.json")
    again = pn.load(tmp_path / "again.json")
    assert all_bits(again) == all_bits(model)
    assert json.loads((tmp_path / "again.json").read_text())["layers"][4]["type"] == "Identity"


# --- state_dict and load_state_dict -----------------------------------------------------------------------


def mlp(seed):
    rng = random.Random(seed)
    return pn.Sequential(pn.Dense(3, 4, rng=rng), pn.ReLU(), pn.Dense(4, 2, rng=rng))


def test_state_dict_has_pytorchs_keys_and_copies_of_the_values():
    model = mlp(0)
    state = model.state_dict()
    assert list(state) == ["0.weight", "0.bias", "2.weight", "2.bias"]  # the activation at 1 has none
    assert state["0.weight"] == model.layers[0].weight and state["2.bias"] == model.layers[2].bias
    assert type(state["0.weight"]) is list and type(state["0.weight"][0]) is list and type(state["0.bias"]) is list
    state["0.weight"][0][0] = 99.0
    state["2.bias"][0] = 99.0
    assert model.layers[0].weight[0][0] != 99.0 and model.layers[2].bias[0] != 99.0
    json.dumps(state)  # plain JSON values


def test_state_dict_keys_match_torch_nn_sequential():
    torch = pytest.importorskip("torch")
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2))
    assert list(mlp(0).state_dict()) == list(net.state_dict())
    for key, value in net.state_dict().items():  # and the shapes: weight (out x in), bias (out,)
        state = mlp(0).state_dict()[key]
        shape = (len(state), len(state[0])) if isinstance(state[0], list) else (len(state),)
        assert shape == tuple(value.shape)


def test_load_state_dict_copies_values_in_place():
    model, other = mlp(0), mlp(1)
    optimizer = pn.SGD(model.parameters(), lr=0.1)
    parameters = model.parameters()
    result = model.load_state_dict(other.state_dict())
    assert result == ([], []) and result.missing_keys == [] and result.unexpected_keys == []
    assert all_bits(model) == all_bits(other)
    assert all(a is b for a, b in zip(model.parameters(), parameters))  # the optimiser still holds them
    assert optimizer.params[0] is model.layers[0].weight
    X = [[0.1, 0.2, 0.3]]
    assert model.predict_proba(X) == other.predict_proba(X)


def test_load_state_dict_accepts_integers_and_stores_floats():
    model = pn.Sequential(pn.Dense(2, 1))
    model.load_state_dict({"0.weight": [[1, 2]], "0.bias": [3]})
    assert model.layers[0].weight == [[1.0, 2.0]] and type(model.layers[0].weight[0][0]) is float
    assert type(model.layers[0].bias[0]) is float


@pytest.mark.parametrize(
    "change, error, message",
    [
        (
            lambda s: s.pop("2.bias"),
            ValueError,
            r"missing keys \['2.bias'\], unexpected keys \[\]; this model's keys are \['0.weight', '0.bias', '2.weight', '2.bias'\]",
        ),
        (lambda s: s.update({"1.weight": [[0.0]]}), ValueError, r"missing keys \[\], unexpected keys \['1.weight'\]"),
        (
            lambda s: s.update({"0.weight": s["0.weight"][:3]}),
            ValueError,
            r"'0.weight' must have the shape of the model's 0.weight, \(4 x 3\), got \(3 x 3\)",
        ),
        (
            lambda s: s["0.weight"][2].append(1.0),
            ValueError,
            r"'0.weight' must have the shape of the model's 0.weight, \(4 x 3\), got \(4 x 3/4\)",
        ),
        (
            lambda s: s.update({"2.bias": [0.0, 0.0, 0.0]}),
            ValueError,
            r"'2.bias' must have the shape of the model's 2.bias, \(2,\), got \(3,\)",
        ),
        (
            lambda s: s.update({"2.bias": [[0.0], [0.0]]}),
            ValueError,
            r"'2.bias' must have the shape of the model's 2.bias, \(2,\), got \(2 x 1\)",
        ),
        (
            lambda s: s.update({"2.bias": (0.0, 0.0)}),
            ValueError,
            r"'2.bias' must have the shape of the model's 2.bias, \(2,\), got a tuple",
        ),
        (
            lambda s: s["0.weight"][1].__setitem__(2, math.nan),
            ValueError,
            r"0.weight\[1\]\[2\] must be finite, got nan",
        ),
        (lambda s: s["2.bias"].__setitem__(1, 10**400), ValueError, r"2.bias\[1\] must be finite, got 1000"),
        (lambda s: s["2.bias"].__setitem__(1, -math.inf), ValueError, r"2.bias\[1\] must be finite, got -inf"),
        (
            lambda s: s["0.weight"][0].__setitem__(0, "0.5"),
            TypeError,
            r"0.weight\[0\]\[0\] must be a number, got str '0.5'",
        ),
        (lambda s: s["0.bias"].__setitem__(0, True), TypeError, r"0.bias\[0\] must be a number, got bool True"),
    ],
)
def test_load_state_dict_refuses_what_does_not_fit_and_changes_nothing(change, error, message):
    model = mlp(0)
    before = all_bits(model)
    state = mlp(1).state_dict()
    change(state)
    with pytest.raises(error, match="load_state_dict: " + message):
        model.load_state_dict(state)
    assert all_bits(model) == before  # all checked before anything is copied


def test_load_state_dict_refuses_what_is_not_a_dict():
    with pytest.raises(
        TypeError, match=r"load_state_dict: state_dict must be a dict such as model.state_dict\(\), got list"
    ):
        mlp(0).load_state_dict([[0.0]])


def test_load_state_dict_not_strict_loads_the_keys_that_match():
    model, other = mlp(0), mlp(1)
    state = other.state_dict()
    del state["2.bias"]
    state["5.weight"] = [[1.0]]
    result = model.load_state_dict(state, strict=False)
    assert result.missing_keys == ["2.bias"] and result.unexpected_keys == ["5.weight"]
    assert model.layers[0].weight == other.layers[0].weight and model.layers[2].weight == other.layers[2].weight
    assert model.layers[2].bias == mlp(0).layers[2].bias  # left as it was


def test_a_state_dict_loads_into_pytorch_and_back():
    torch = pytest.importorskip("torch")
    model = mlp(3)
    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 2)).double()
    net.load_state_dict({key: torch.tensor(value, dtype=torch.float64) for key, value in model.state_dict().items()})
    X = [[0.3, -0.1, 0.8], [1.0, 2.0, -0.5]]
    expected = net(torch.tensor(X, dtype=torch.float64)).tolist()
    for row, torch_row in zip(model.forward(X), expected):
        assert row == pytest.approx(torch_row, rel=1e-12, abs=1e-15)
    back = mlp(4)
    back.load_state_dict({key: value.tolist() for key, value in net.state_dict().items()})
    assert all_bits(back) == all_bits(model)


@pytest.mark.parametrize(
    "change, message",
    [
        (lambda d: d["layers"][0].update(weight=d["layers"][0]["weight"][:2]), r"layer 0 weight must have 3 rows, got 2"),
        (lambda d: d["layers"][0]["weight"][1].append(0.5), r"layer 0 weight row 1 must have 2 numbers, got 3"),
        (lambda d: d["layers"][0].update(bias=[0.0]), r"layer 0 bias must have 3 numbers, got 1"),
        (lambda d: d["layers"][0].pop("weight"), r"layer 0 weight must have 3 rows, got NoneType"),
        (lambda d: d["layers"][0]["weight"][0].__setitem__(0, "1.5"), r"layer 0 weight row 0 must hold finite numbers, got '1\.5'"),
        (lambda d: d["layers"][0]["bias"].__setitem__(0, True), r"layer 0 bias must hold finite numbers, got True"),
    ],
)
def test_wrong_weight_shapes_and_values(tmp_path, change, message):
    data = saved_dict(tmp_path)
    change(data)
    assert_model_file_error(write(tmp_path / "m.json", data), message)


@pytest.mark.parametrize("literal", ["NaN", "Infinity", "-Infinity"])
def test_nan_and_infinity_literals_in_the_file(tmp_path, literal):
    path = tmp_path / "model.json"
    pn.Sequential(pn.Dense(1, 1)).save(str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["layers"][0]["bias"] = ["PLACEHOLDER"]
    path.write_text(json.dumps(data).replace('"PLACEHOLDER"', literal), encoding="utf-8")
    assert_model_file_error(path, rf"the file contains {literal}, which is not a finite number")


def test_overflowing_number_in_the_file(tmp_path):
    path = tmp_path / "model.json"
    pn.Sequential(pn.Dense(1, 1)).save(str(path))
    data = json.loads(path.read_text(encoding="utf-8"))
    data["layers"][0]["bias"] = ["PLACEHOLDER"]
    # 1e999 is valid JSON but reads as infinity
    path.write_text(json.dumps(data).replace('"PLACEHOLDER"', "1e999"), encoding="utf-8")
    assert_model_file_error(path, r"layer 0 bias must hold finite numbers, got inf")


def test_inconsistent_dense_chain(tmp_path):
    data = saved_dict(tmp_path)  # Dense(2, 3), ReLU, Dense(3, 2)
    # make the second Dense expect 4 inputs while the first gives 3
    second = data["layers"][2]
    second["config"]["in_features"] = 4
    second["weight"] = [[0.0] * 4 for _ in range(2)]
    assert_model_file_error(write(tmp_path / "m.json", data), r"inconsistent layers: .*expects 4 inputs, but the layer before it gives 3")


@pytest.mark.parametrize(
    "config, message",
    [
        ({"in_features": 2, "out_features": 3}, r"layer 0 \(Dense\) config must have keys \['in_features', 'init', 'out_features'\], got \['in_features', 'out_features'\]"),
        ({"in_features": 0, "out_features": 3, "init": "he"}, r"layer 0 \(Dense\) has an invalid config: Dense: in_features must be a positive integer, got 0"),
        ({"in_features": 2, "out_features": 3, "init": "lecun"}, r"layer 0 \(Dense\) has an invalid config: init must be one of he, xavier, got 'lecun'"),
    ],
)
def test_bad_dense_config(tmp_path, config, message):
    data = saved_dict(tmp_path)
    data["layers"][0]["config"] = config
    assert_model_file_error(write(tmp_path / "m.json", data), message)


def test_bad_leaky_relu_alpha(tmp_path):
    data = saved_dict(tmp_path, pn.Sequential(pn.Dense(2, 2), pn.LeakyReLU()))
    data["layers"][1]["config"]["alpha"] = 2.0
    assert_model_file_error(write(tmp_path / "m.json", data), r"layer 1 \(LeakyReLU\) has an invalid config: LeakyReLU: alpha must be")


def test_empty_layers_and_bad_metadata(tmp_path):
    data = saved_dict(tmp_path)
    data["layers"] = []
    assert_model_file_error(write(tmp_path / "a.json", data), r"'layers' must be a non-empty list")
    data = saved_dict(tmp_path)
    data["metadata"] = [1, 2]
    assert_model_file_error(write(tmp_path / "b.json", data), r"'metadata' must be an object, got list")
    data = saved_dict(tmp_path)
    data["layers"][1] = "ReLU"
    assert_model_file_error(write(tmp_path / "c.json", data), r"layer 1 must be an object, got str")
