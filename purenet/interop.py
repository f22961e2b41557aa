"""A PyTorch ``nn.Sequential``'s weights as a purenet model: ``from_state_dict(architecture, state_dict)``.

PyTorch's ``state_dict`` of an ``nn.Sequential`` names each parameter by its
layer's index and name ("0.weight", "0.bias", "2.weight", ...), and purenet's
``Sequential.state_dict`` uses the same keys and layouts (a Linear's weight is
out x in, a convolution's out x in x kernel, a BatchNorm1d's
"1.num_batches_tracked" an int), so a file written by one loads in the other
strictly. What a state_dict does not hold is the architecture: which
layers, in which order, with which settings. ``from_state_dict`` takes it as
a list, one entry per layer of the ``nn.Sequential``:

- a purenet layer, built with its settings: ``MaxPool2d(2)``,
  ``LeakyReLU(0.2)``, ``Conv2d(3, 8, 3, stride=2)`` (its weights are replaced);
- a purenet layer class, ``Dense``, ``Conv2d``, ``ReLU``: a layer with
  weights takes its sizes from them (Dense(in, out) from an out x in weight,
  a convolution its channels and kernel with stride 1 and padding 0), a
  layer without settings is built with none;
- PyTorch's name of the layer, ``"Linear"``, ``"ReLU"``, ``"Flatten"``:
  the same as the class it names in ``PYTORCH_NAMES``.

The round trip is docs/pytorch.md's last section; it is exact, since the
values are copied, and float32 values are floats exactly.
"""

from __future__ import annotations

from collections.abc import Mapping

from .layers import Dense
from .layers.base import Layer
from .layers.convolution import Conv1d, Conv2d
from .layers.normalization import BatchNorm1d
from .model import Sequential
from .safetensors import shape_and_values
from .serialization import LAYER_TYPES

# PyTorch's torch.nn class names and the purenet layers that compute the same thing: the names purenet's model
# files use (serialization.LAYER_TYPES), except that PyTorch calls the dense layer Linear.
PYTORCH_NAMES: dict[str, type[Layer]] = {
    ("Linear" if name == "Dense" else name): kind for name, kind in LAYER_TYPES.items()
}
# The layers whose sizes can be read from their weight: the dimensions of the weight, and the settings they give.
WEIGHT_DIMENSIONS = {BatchNorm1d: 1, Dense: 2, Conv1d: 3, Conv2d: 4}


def from_state_dict(architecture: Sequential | list | tuple, state_dict: Mapping[str, object]) -> Sequential:
    """A purenet ``Sequential`` with the layers of ``architecture`` and the weights of ``state_dict``.

    ``architecture`` lists the layers (instances, classes or PyTorch names;
    see the module's docstring), or is a ``Sequential`` to fill in place.
    ``state_dict`` maps "index.weight" and "index.bias" to nested lists, and a
    BatchNorm1d's "index.num_batches_tracked" to an int, as
    ``purenet.safetensors.load_file`` returns them; values with a
    ``tolist()`` method (a torch tensor, a NumPy array) are read through it.
    Every key must match and every shape fit, as ``load_state_dict(strict=True)``
    checks; the error names the key. A state_dict without the count (an older
    one) loads too, as in PyTorch, and the layer keeps its count (0 for a new one).
    """
    if not isinstance(state_dict, Mapping):
        raise TypeError(
            "from_state_dict: state_dict must be a mapping such as purenet.safetensors.load_file(path) returns, "
            f"got {type(state_dict).__name__}"
        )
    values = {key: value.tolist() if hasattr(value, "tolist") else value for key, value in state_dict.items()}
    if isinstance(architecture, Sequential):
        architecture.load_state_dict(values)
        return architecture
    if not isinstance(architecture, (list, tuple)) or not architecture:
        raise TypeError(
            "from_state_dict: architecture must be a non-empty list of layers, layer classes or PyTorch layer "
            f"names, such as ['Linear', 'ReLU', 'Linear'], or a Sequential; got {architecture!r}"
        )
    model = Sequential([_layer(index, entry, values) for index, entry in enumerate(architecture)])
    model.load_state_dict(values)
    return model


def _layer(index: int, entry: object, values: dict[str, object]) -> Layer:
    """The layer for one entry of the architecture; sizes read from the weight for a class with weights."""
    if isinstance(entry, Layer):
        return entry
    kind = PYTORCH_NAMES.get(entry) if isinstance(entry, str) else entry
    if not (isinstance(kind, type) and issubclass(kind, Layer)):
        raise TypeError(
            f"from_state_dict: architecture[{index}] must be a purenet layer, a layer class or one of the "
            f"PyTorch names {', '.join(PYTORCH_NAMES)}; got {entry!r}"
        )
    if kind in WEIGHT_DIMENSIONS:
        return _sized_from_weight(index, kind, values)
    try:
        return kind()
    except TypeError:
        raise TypeError(
            f"from_state_dict: architecture[{index}] {kind.__name__} needs its settings, which a state_dict does "
            f"not hold: give the layer itself, such as {kind.__name__}(2) or {kind.__name__}((1, 28, 28))"
        ) from None


def _sized_from_weight(index: int, kind: type[Layer], values: dict[str, object]) -> Layer:
    """Dense(in, out) from an out x in weight; Conv1d/Conv2d(in, out, kernel) from out x in x kernel;
    BatchNorm1d(features) from its weight of that length."""
    key = f"{index}.weight"
    if key not in values:
        raise ValueError(
            f"from_state_dict: architecture[{index}] {kind.__name__} takes its sizes from {key!r}, "
            f"which the state_dict lacks; its keys are {list(values)}"
        )
    shape, _ = shape_and_values(values[key], f"state_dict[{key!r}]")
    dimensions = WEIGHT_DIMENSIONS[kind]
    if len(shape) != dimensions or 0 in shape:
        layout = {1: "features", 2: "out x in", 3: "out x in x kernel", 4: "out x in x kernel height x kernel width"}[
            dimensions
        ]
        raise ValueError(
            f"from_state_dict: state_dict[{key!r}] must be a {kind.__name__} weight ({layout}), got shape {list(shape)}"
        )
    if kind is BatchNorm1d:
        return BatchNorm1d(shape[0])
    if kind is Dense:
        return Dense(shape[1], shape[0])
    return kind(shape[1], shape[0], shape[2] if kind is Conv1d else tuple(shape[2:]))
