"""A model's weights between purenet and PyTorch through safetensors files, both ways, bit for bit.

The stdlib-only tests (purenet -> safetensors -> purenet, from_state_dict's errors) always run; the ones that
need torch and the official safetensors library skip, with the reason, where those are missing."""

import random

import pytest
from conftest import assert_close

import purenet as pn
from purenet import safetensors
from purenet.interop import PYTORCH_NAMES


@pytest.fixture(name="torch")
def torch_module():
    return pytest.importorskip("torch", reason="torch is a test-only oracle (pip install torch)")


@pytest.fixture(name="official")
def official_safetensors():
    return pytest.importorskip("safetensors.torch", reason="the official safetensors library is test-only")


def dense_model(rng):
    """Every activation between Dense layers with random biases (purenet's start at zero)."""
    model = pn.Sequential(
        pn.Dense(3, 5, rng=rng), pn.ReLU(), pn.Dense(5, 4, rng=rng), pn.LeakyReLU(0.2), pn.Dense(4, 4, rng=rng),
        pn.Sigmoid(), pn.Dense(4, 3, rng=rng), pn.Tanh(), pn.Identity(), pn.Dense(3, 2, rng=rng), pn.Softmax(),
    )
    for parameter in model.parameters():
        if parameter.name == "bias":
            parameter[:] = [rng.uniform(-1.0, 1.0) for _ in parameter]
    return model


DENSE_ARCHITECTURE = ["Linear", "ReLU", "Linear", pn.LeakyReLU(0.2), "Linear", "Sigmoid", "Linear", "Tanh",
                      "Identity", "Linear", "Softmax"]


def torch_dense(nn):
    return nn.Sequential(
        nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 4), nn.LeakyReLU(0.2), nn.Linear(4, 4), nn.Sigmoid(),
        nn.Linear(4, 3), nn.Tanh(), nn.Identity(), nn.Linear(3, 2), nn.Softmax(dim=1),
    )


def convolutional_model(rng):
    return pn.Sequential(
        pn.Conv2d(2, 3, 3, stride=2, padding=1, rng=rng), pn.ReLU(), pn.MaxPool2d(2), pn.Flatten(),
        pn.Unflatten((3, 4)), pn.Conv1d(3, 2, 2, rng=rng), pn.Tanh(), pn.AvgPool1d(3), pn.Flatten(),
        pn.Dense(2, 3, rng=rng), pn.Softmax(),
    )


def convolutional_architecture():
    # the strided, padded convolution is given built; the others take their sizes from their weights
    return [pn.Conv2d(2, 3, 3, stride=2, padding=1), "ReLU", pn.MaxPool2d(2), "Flatten", pn.Unflatten((3, 4)),
            pn.Conv1d, pn.Tanh, pn.AvgPool1d(3), pn.Flatten, pn.Dense, pn.Softmax]


def torch_convolutional(nn):
    return nn.Sequential(
        nn.Conv2d(2, 3, 3, stride=2, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Unflatten(1, (3, 4)),
        nn.Conv1d(3, 2, 2), nn.Tanh(), nn.AvgPool1d(3), nn.Flatten(), nn.Linear(2, 3), nn.Softmax(dim=1),
    )


def random_tensor(shape, rng):
    if not shape:
        return rng.uniform(-1.0, 1.0)
    return [random_tensor(shape[1:], rng) for _ in range(shape[0])]


# --- purenet -> safetensors -> purenet (standard library only) ---------------------------------------------


@pytest.mark.parametrize(("build", "architecture"), [(dense_model, DENSE_ARCHITECTURE),
                                                     (convolutional_model, convolutional_architecture())])
def test_purenet_to_safetensors_to_purenet_is_bit_for_bit(tmp_path, build, architecture):
    model = build(random.Random(1))
    path = tmp_path / "model.safetensors"
    safetensors.save_file(model.state_dict(), path)
    loaded = pn.from_state_dict(architecture, safetensors.load_file(path))
    assert loaded.state_dict() == model.state_dict()  # == on purpose: F64 keeps every bit
    assert repr(loaded) == repr(model)
    shape = (4, 3) if build is dense_model else (4, 2, 8, 8)
    batch = random_tensor(shape, random.Random(2))
    assert loaded.forward(batch) == model.forward(batch)


def test_dense_sizes_come_from_the_weights():
    state = pn.Sequential(pn.Dense(7, 3), pn.ReLU(), pn.Dense(3, 2)).state_dict()
    model = pn.from_state_dict([pn.Dense, pn.ReLU, "Linear"], state)
    assert [(layer.in_features, layer.out_features) for layer in model.layers[::2]] == [(7, 3), (3, 2)]
    conv = pn.from_state_dict(["Conv2d", "Conv1d"], {
        "0.weight": random_tensor((4, 2, 3, 5), random.Random(0)), "0.bias": [0.0] * 4,
        "1.weight": random_tensor((1, 4, 2), random.Random(1)), "1.bias": [0.5],
    })
    assert repr(conv) == ("Sequential(Conv2d(2, 4, kernel_size=(3, 5), stride=1, padding=0), "
                          "Conv1d(4, 1, kernel_size=2, stride=1, padding=0))")


def test_a_sequential_is_filled_in_place():
    source = dense_model(random.Random(5))
    target = dense_model(random.Random(6))
    assert target.state_dict() != source.state_dict()
    assert pn.from_state_dict(target, source.state_dict()) is target
    assert target.state_dict() == source.state_dict()


def test_the_name_table_covers_every_layer_that_saves():
    from purenet.serialization import LAYER_TYPES

    assert set(PYTORCH_NAMES.values()) == set(LAYER_TYPES.values())
    assert PYTORCH_NAMES["Linear"] is pn.Dense


def test_errors_name_the_entry_and_what_was_expected():
    state = pn.Sequential(pn.Dense(3, 2), pn.ReLU()).state_dict()
    with pytest.raises(TypeError, match="state_dict must be a mapping"):
        pn.from_state_dict(["Linear"], [("0.weight", [[1.0]])])
    with pytest.raises(TypeError, match="architecture must be a non-empty list"):
        pn.from_state_dict("Linear", state)
    with pytest.raises(TypeError, match="architecture must be a non-empty list"):
        pn.from_state_dict([], state)
    with pytest.raises(TypeError, match=r"architecture\[1\] must be a purenet layer.*got 'Relu'"):
        pn.from_state_dict(["Linear", "Relu"], state)
    with pytest.raises(TypeError, match=r"architecture\[1\] MaxPool2d needs its settings"):
        pn.from_state_dict(["Linear", "MaxPool2d"], state)
    with pytest.raises(ValueError, match=r"architecture\[1\] Dense takes its sizes from '1.weight'"):
        pn.from_state_dict(["Linear", "Linear"], state)
    with pytest.raises(ValueError, match=r"state_dict\['0.weight'\] must be a Conv2d weight.*got shape \[2, 3\]"):
        pn.from_state_dict(["Conv2d", "ReLU"], state)
    with pytest.raises(ValueError, match="unexpected keys"):
        pn.from_state_dict(["ReLU", "ReLU"], state)
    with pytest.raises(ValueError, match=r"'0.weight' must have the shape"):
        pn.from_state_dict([pn.Dense(4, 2), "ReLU"], state)


# --- with PyTorch and the official safetensors library ------------------------------------------------------


@pytest.mark.parametrize(("build", "build_torch", "shape"), [(dense_model, torch_dense, (6, 3)),
                                                             (convolutional_model, torch_convolutional, (3, 2, 8, 8))])
def test_torch_loads_a_purenet_file_and_computes_the_same(tmp_path, torch, official, build, build_torch, shape):
    model = build(random.Random(3))
    path = tmp_path / "model.safetensors"
    safetensors.save_file(model.state_dict(), path)
    torch_model = build_torch(torch.nn).double()
    torch_model.load_state_dict(official.load_file(str(path)))
    for key, values in model.state_dict().items():
        assert torch_model.state_dict()[key].tolist() == values  # every bit
    batch = random_tensor(shape, random.Random(4))
    expected = torch_model(torch.tensor(batch, dtype=torch.float64)).tolist()
    assert_close(model.forward(batch), expected, rel=1e-12, abs=1e-12)


@pytest.mark.parametrize("dtype_name", ["float32", "float64"])
@pytest.mark.parametrize(("architecture", "build_torch", "shape"), [
    (DENSE_ARCHITECTURE, torch_dense, (6, 3)),
    (convolutional_architecture(), torch_convolutional, (3, 2, 8, 8)),
])
def test_a_torch_file_loads_into_purenet_bit_for_bit(tmp_path, torch, official, dtype_name, architecture,
                                                      build_torch, shape):
    torch.manual_seed(7)
    dtype = getattr(torch, dtype_name)
    torch_model = build_torch(torch.nn).to(dtype)
    path = tmp_path / "torch.safetensors"
    official.save_file(torch_model.state_dict(), str(path))
    model = pn.from_state_dict(architecture, safetensors.load_file(path))
    # a float32 is exactly a Python float: the round trip loses nothing in either precision
    assert model.state_dict() == {key: value.tolist() for key, value in torch_model.state_dict().items()}
    batch = random_tensor(shape, random.Random(8))
    expected = torch_model.double()(torch.tensor(batch, dtype=torch.float64)).tolist()
    assert_close(model.forward(batch), expected, rel=1e-12, abs=1e-12)


def test_a_torch_state_dict_loads_directly(torch):
    torch.manual_seed(9)
    torch_model = torch_dense(torch.nn)
    model = pn.from_state_dict(DENSE_ARCHITECTURE, torch_model.state_dict())
    assert model.state_dict() == {key: value.tolist() for key, value in torch_model.state_dict().items()}


def test_batch_norm_and_dropout_come_back_from_a_state_dict():
    model = pn.Sequential(pn.Dense(3, 4, rng=random.Random(0)), pn.BatchNorm1d(4), pn.ReLU(), pn.Dropout(0.2),
                          pn.Dense(4, 2, rng=random.Random(1)))
    state = model.state_dict()
    rebuilt = pn.from_state_dict(["Linear", "BatchNorm1d", "ReLU", "Dropout", "Linear"], state)
    assert [type(layer).__name__ for layer in rebuilt.layers] == ["Dense", "BatchNorm1d", "ReLU", "Dropout", "Dense"]
    assert rebuilt.layers[1].num_features == 4
    assert rebuilt.state_dict() == state
