"""Saving and loading models as JSON: safe (no pickle), exact, atomic.

The format, version 1::

    {
      "format": "purenet-model",
      "version": 1,
      "layers": [
        {"type": "Dense", "config": {"in_features": 2, "out_features": 3, "init": "he"},
         "weight": [[...], [...], [...]], "bias": [..., ..., ...]},
        {"type": "LeakyReLU", "config": {"alpha": 0.01}},
        ...
      ],
      "metadata": {...}
    }

Layer types: Dense, Identity, ReLU, LeakyReLU, Sigmoid, Tanh, Softmax,
Conv1d, Conv2d, MaxPool1d, MaxPool2d, AvgPool1d, AvgPool2d, Flatten,
Unflatten; files written before Identity had that name say ``Linear`` or
``Pass``, and load as Identity. A Dense ``weight`` holds out_features rows of
in_features numbers, ``bias`` out_features numbers; a convolution's weight
is nested as in PyTorch (out x in x kernel, or out x in x kh x kw). ``metadata`` is free-form JSON (how the model was
trained). Floats are written with ``repr`` precision, so they read back
bit for bit; NaN and infinity are refused. The full description of the
format is in docs/model-format.md.
"""

from __future__ import annotations

import json
import os

from .atomic import write_atomically  # noqa: F401  (kept here too: serialization.write_atomically)
from .layers import BatchNorm1d, Dense, Dropout, Identity, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh
from .layers.base import Layer
from .layers.convolution import Conv1d, Conv2d
from .layers.pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from .layers.reshape import Flatten, Unflatten
from .matrices import tensors
from .model import Sequential
from .state_dict import LARGEST_COUNT
from .validation import check_integer, is_finite, is_integer, is_number

FORMAT_NAME = "purenet-model"
FORMAT_VERSION = 1

LAYER_TYPES: dict[str, type[Layer]] = {
    "Dense": Dense,
    "Identity": Identity,
    "ReLU": ReLU,
    "LeakyReLU": LeakyReLU,
    "Sigmoid": Sigmoid,
    "Tanh": Tanh,
    "Softmax": Softmax,
    "Conv1d": Conv1d,
    "Conv2d": Conv2d,
    "MaxPool1d": MaxPool1d,
    "MaxPool2d": MaxPool2d,
    "AvgPool1d": AvgPool1d,
    "AvgPool2d": AvgPool2d,
    "Flatten": Flatten,
    "Unflatten": Unflatten,
    "Dropout": Dropout,
    "BatchNorm1d": BatchNorm1d,
}
# The identity's earlier names, read (never written) so that older files still load, without a warning.
OLD_LAYER_NAMES = {"Linear": "Identity", "Pass": "Identity"}
CONVOLUTION_KEYS = {"in_channels", "out_channels", "kernel_size", "stride", "padding"}
POOLING_KEYS = {"kernel_size", "stride"}
CONFIG_KEYS = {
    "Dense": {"in_features", "out_features", "init"},
    "LeakyReLU": {"alpha"},
    "Conv1d": CONVOLUTION_KEYS,
    "Conv2d": CONVOLUTION_KEYS,
    "MaxPool1d": POOLING_KEYS,
    "MaxPool2d": POOLING_KEYS,
    "AvgPool1d": POOLING_KEYS,
    "AvgPool2d": POOLING_KEYS,
    "Unflatten": {"shape"},
    "Dropout": {"p"},
    "BatchNorm1d": {"num_features", "eps", "momentum"},
}


class ModelFileError(ValueError):
    """A model file that cannot be loaded: corrupt, truncated, of another version, or inconsistent."""


def to_dict(model: Sequential, metadata: dict | None = None) -> dict:
    """The model as the JSON-compatible dictionary described above."""
    layers = []
    for index, layer in enumerate(model.layers):
        # Linear, the identity's old name, is a subclass of Identity: it is written as "Identity".
        kind = "Identity" if isinstance(layer, Identity) else type(layer).__name__
        if kind != "Identity" and LAYER_TYPES.get(kind) is not type(layer):
            raise ValueError(
                f"save: layer {index} ({kind}) is not one of the layer types a model file can hold "
                f"({', '.join(LAYER_TYPES)}), so load could not rebuild it"
            )
        entry: dict = {"type": kind, "config": layer.config()}
        for parameter in layer.parameters() + layer.buffers():  # BatchNorm1d's running statistics too
            entry[parameter.name] = tensors.reshape(tensors.flatten(parameter), _shape_of(parameter))
        # BatchNorm1d's num_batches_tracked: state_dict holds it, so the file does too.
        for name in layer.integer_buffers:
            entry[name] = getattr(layer, name)
        layers.append(entry)
    return {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "layers": layers,
        "metadata": dict(model.metadata if metadata is None else metadata),
    }


def save(
    model: Sequential, path: str | os.PathLike, metadata: dict | None = None, optimizer: object = None
) -> None:
    """Write the model to ``path`` atomically: a temporary file in the same folder, then a rename.

    A crash during the write leaves the old file (if any) untouched. Refuses
    NaN and infinite weights with a ``ValueError`` naming the layer. With an
    ``optimizer`` the file also holds ``"optimizer": {"type": "Adam",
    "state_dict": ...}`` (its moments or momentum), which ``load`` passes over
    and ``purenet.load_checkpoint`` returns, so that training can go on.
    """
    if not isinstance(model, Sequential):
        raise TypeError(f"save: model must be a Sequential, got {type(model).__name__}")
    for index, layer in enumerate(model.layers):
        for parameter in layer.parameters():
            if not all(is_finite(value) for value in tensors.flatten(parameter)):
                raise ValueError(
                    f"save: layer {index} ({type(layer).__name__}) has a NaN or infinite {parameter.name}; "
                    "refusing to save a broken model"
                )
    data = to_dict(model, metadata)
    if optimizer is not None:
        # Imported here: optimizers do not need the file format, and the format does not need them to load.
        from .optimizers import Optimizer

        if not isinstance(optimizer, Optimizer):
            raise TypeError(f"save: optimizer must be an Optimizer such as Adam(...), got {type(optimizer).__name__}")
        data["optimizer"] = {"type": type(optimizer).__name__, "state_dict": optimizer.state_dict()}
    try:
        text = json.dumps(data, allow_nan=False, separators=(",", ":"))
    except (TypeError, ValueError) as error:
        # The weights were checked above, so what json refuses is in the metadata.
        raise ValueError(
            f"save: metadata must hold only JSON values (objects, lists, strings, finite numbers, "
            f"true/false, null): {error}"
        ) from None
    write_atomically(path, text + "\n")


def _refuse_constant(name: str) -> float:
    raise ModelFileError(f"the file contains {name}, which is not a finite number")


def load(path: str | os.PathLike) -> Sequential:
    """Read a model written by ``save``; raises ``ModelFileError`` (a ``ValueError``) if anything is off."""
    path = os.fspath(path)
    data = read_json(path)
    try:
        return from_dict(data)
    except ModelFileError as error:
        raise ModelFileError(f"{path}: {error}") from None


def read_json(path: str) -> object:
    """The JSON value in the file at ``path``; anything unreadable is a ``ModelFileError`` naming the file."""
    try:
        with open(path, encoding="utf-8") as file:
            text = file.read()
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ModelFileError(f"{path}: cannot read the model file ({error})") from None
    try:
        return json.loads(text, parse_constant=_refuse_constant)
    except json.JSONDecodeError as error:
        raise ModelFileError(
            f"{path}: not valid JSON at line {error.lineno}, column {error.colno} ({error.msg}); "
            "the file may be truncated or corrupt"
        ) from None
    except (ModelFileError, ValueError, RecursionError) as error:
        # ValueError: an integer too long to read; RecursionError: lists nested thousands deep.
        raise ModelFileError(f"{path}: not a model file ({type(error).__name__}: {error})") from None


def from_dict(data: object) -> Sequential:
    """Build a model from the dictionary form, validating every field."""
    if not isinstance(data, dict):
        raise ModelFileError(f"expected a JSON object, got {type(data).__name__}")
    if data.get("format") != FORMAT_NAME:
        raise ModelFileError(f"not a purenet model: format is {data.get('format')!r}, expected {FORMAT_NAME!r}")
    version = data.get("version")
    if version != FORMAT_VERSION or isinstance(version, bool):
        raise ModelFileError(
            f"unsupported format version {_short(version)}; this purenet reads version {FORMAT_VERSION}"
        )
    layers_data = data.get("layers")
    if not isinstance(layers_data, list) or not layers_data:
        raise ModelFileError("'layers' must be a non-empty list")
    metadata = data.get("metadata", {})
    if not isinstance(metadata, dict):
        raise ModelFileError(f"'metadata' must be an object, got {type(metadata).__name__}")
    layers = [_layer_from_dict(index, entry) for index, entry in enumerate(layers_data)]
    try:
        model = Sequential(*layers)
    except ValueError as error:
        raise ModelFileError(f"inconsistent layers: {error}") from None
    model.metadata = metadata
    return model


def _layer_from_dict(index: int, entry: object) -> Layer:
    where = f"layer {index}"
    if not isinstance(entry, dict):
        raise ModelFileError(f"{where} must be an object, got {type(entry).__name__}")
    kind = entry.get("type")
    # Checked as a string first: a list or an object cannot even be looked up in a dict (unhashable).
    kind = OLD_LAYER_NAMES.get(kind, kind) if isinstance(kind, str) else kind
    if not isinstance(kind, str) or kind not in LAYER_TYPES:
        found = repr(kind) if isinstance(kind, str) else f"{type(kind).__name__} {_short(kind)}"
        raise ModelFileError(f"{where} has unknown type {found}; known: {', '.join(LAYER_TYPES)}")
    config = entry.get("config", {})
    expected = CONFIG_KEYS.get(kind, set())
    if not isinstance(config, dict) or set(config) != expected:
        found = sorted(config) if isinstance(config, dict) else type(config).__name__
        raise ModelFileError(f"{where} ({kind}) config must have keys {sorted(expected)}, got {found}")
    weight = bias = None
    if kind == "Dense":
        # The weights are checked against the config before the layer is built: building draws
        # random initial weights, and a corrupt config could ask for billions of them.
        for name in ("in_features", "out_features"):
            try:
                check_integer(config[name], f"Dense: {name}", minimum=1)
            except ValueError as error:
                raise ModelFileError(f"{where} (Dense) has an invalid config: {error}") from None
        out_features, in_features = config["out_features"], config["in_features"]
        weight = _numbers(entry.get("weight"), (out_features, in_features), f"{where} weight")
        bias = _numbers(entry.get("bias"), (out_features,), f"{where} bias")
    elif kind in ("Conv1d", "Conv2d"):
        try:
            shape = LAYER_TYPES[kind].weight_shape(config)
        except ValueError as error:
            raise ModelFileError(f"{where} ({kind}) has an invalid config: {error}") from None
        weight = _numbers(entry.get("weight"), shape, f"{where} weight")
        bias = _numbers(entry.get("bias"), shape[:1], f"{where} bias")
    elif kind == "BatchNorm1d":
        if not is_integer(config["num_features"]) or config["num_features"] < 1:
            raise ModelFileError(f"{where} (BatchNorm1d) has an invalid num_features {_short(config['num_features'])}")
        vectors = {name: _numbers(entry.get(name), (config["num_features"],), f"{where} {name}")
                   for name in ("weight", "bias", "running_mean", "running_var")}
        # Files written before purenet saved the count have none: the layer starts from 0, as a new one does.
        count = entry.get("num_batches_tracked", 0)
        if not is_integer(count) or not 0 <= count <= LARGEST_COUNT:
            raise ModelFileError(
                f"{where} (BatchNorm1d) num_batches_tracked must be an integer from 0 to 2**63 - 1, got {_short(count)}"
            )
    try:
        layer = LAYER_TYPES[kind](**config)
    except (TypeError, ValueError) as error:
        raise ModelFileError(f"{where} ({kind}) has an invalid config: {error}") from None
    if weight is not None:
        layer.weight[:] = weight
        layer.bias[:] = bias
    if kind == "BatchNorm1d":
        for name, values in vectors.items():
            getattr(layer, name)[:] = values
        layer.num_batches_tracked = count
    return layer


def _shape_of(parameter: list) -> tuple[int, ...]:
    """The shape of a parameter (a bias, a weight matrix, a convolution's kernels)."""
    return tensors.tensor_shape(list(parameter), "parameter", tensors.depth(list(parameter)))


def _numbers(values: object, shape: tuple[int, ...], where: str) -> list:
    """Validate a vector, matrix or deeper tensor (a convolution's kernels) of finite numbers of exactly this shape."""
    if len(shape) >= 2:
        if not isinstance(values, list) or len(values) != shape[0]:
            count = len(values) if isinstance(values, list) else type(values).__name__
            raise ModelFileError(f"{where} must have {_short(shape[0])} rows, got {count}")
        return [_numbers(row, shape[1:], f"{where} row {row_index}") for row_index, row in enumerate(values)]
    if not isinstance(values, list) or len(values) != shape[0]:
        count = len(values) if isinstance(values, list) else type(values).__name__
        raise ModelFileError(f"{where} must have {_short(shape[0])} numbers, got {count}")
    for value in values:
        if not is_number(value) or not is_finite(value):
            raise ModelFileError(f"{where} must hold finite numbers, got {_short(value)}")
    return [float(value) for value in values]


def _short(value: object) -> str:
    """``repr(value)`` cut to 60 characters, for messages: a corrupt file may hold a huge number or list."""
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:50]}... ({len(text)} characters)"
