"""A model's parameters by name, as PyTorch's ``state_dict``: ``{"0.weight": [[...]], "0.bias": [...], ...}``.

The key of a parameter is the index of its layer in the model and the
parameter's name, as PyTorch names the parameters of an ``nn.Sequential``;
layers without parameters (activations) have no keys, so the indices skip
them. The values are what PyTorch's ``tensor.tolist()`` gives: nested lists
for tensors (a weight is out_features rows of in_features numbers, a bias
out_features numbers) and a bare int for a 0-dimensional integer buffer
(BatchNorm1d's ``num_batches_tracked``). Within a layer the order is
PyTorch's: weight, bias, tensor buffers, integer buffers.
``Sequential.state_dict`` and ``Sequential.load_state_dict`` call the two
functions here.

A state_dict without a BatchNorm1d's ``num_batches_tracked`` (one saved by
purenet before it was saved) still loads, strictly, and the layer keeps its
own count: PyTorch does the same for a state_dict that carries no version
(a plain dict, or one read from a safetensors file), the case of every
purenet state_dict (docs/regularisation.md).
"""

from __future__ import annotations

from typing import NamedTuple

from .layers.base import Layer, Parameter
from .validation import is_finite, is_integer, is_number

# PyTorch keeps its counters as int64: a larger count could not be saved in its state_dict (or a safetensors file).
LARGEST_COUNT = 2**63 - 1


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` could not match, as PyTorch returns it."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def named_parameters(layers: list[Layer]) -> dict[str, Parameter]:
    """Every parameter and buffer of the layers under its key, in layer order.

    Within a layer: weight, bias, then buffers (BatchNorm1d's running_mean and
    running_var), as PyTorch's state_dict orders them. The integer buffers,
    which are not lists, are in ``named_integer_buffers``.
    """
    return {
        f"{index}.{tensor.name}": tensor
        for index, layer in enumerate(layers)
        for tensor in layer.parameters() + layer.buffers()
    }


def named_integer_buffers(layers: list[Layer]) -> dict[str, tuple[Layer, str]]:
    """Every 0-dimensional integer buffer (BatchNorm1d's num_batches_tracked) under its key: its layer and attribute.

    A layer lists them by name in ``integer_buffers``; the value is the
    layer's attribute of that name, an int.
    """
    return {
        f"{index}.{name}": (layer, name)
        for index, layer in enumerate(layers)
        for name in layer.integer_buffers
    }


def state_dict(layers: list[Layer]) -> dict[str, list | int]:
    """Every parameter and buffer under its key, in PyTorch's order; tensors copied into new lists, counts as ints.

    Changing the result leaves the model alone.
    """
    tensors, counts = named_parameters(layers), named_integer_buffers(layers)
    values = {key: _copy(tensor) for key, tensor in tensors.items()}
    for key, (layer, name) in counts.items():
        values[key] = getattr(layer, name)
    return {key: values[key] for key in _in_layer_order(list(values))}


def load_state_dict(layers: list[Layer], values: object, strict: bool = True) -> IncompatibleKeys:
    """Copy ``values`` (a ``state_dict``) into the layers' parameters, in place, so optimisers keep them.

    Every value must have its parameter's shape and hold finite numbers; a
    count (BatchNorm1d's num_batches_tracked) must be an int from 0 to 2**63 - 1,
    and may be left out: the layer then keeps its own, as in PyTorch.
    With ``strict`` (PyTorch's default) the keys must be exactly the model's;
    otherwise the keys that match are loaded and the others are returned.
    Nothing changes unless everything checks out.
    """
    if not isinstance(values, dict):
        raise TypeError(
            f"load_state_dict: state_dict must be a dict such as model.state_dict(), got {type(values).__name__}"
        )
    parameters, counts = named_parameters(layers), named_integer_buffers(layers)
    keys = _in_layer_order([*parameters, *counts])
    # A missing count is not missing: the layer keeps its own, as PyTorch fills it in for a state_dict without a
    # version, so that state_dicts saved before the count was (by purenet or an old PyTorch) still load strictly.
    missing = [key for key in keys if key not in values and key not in counts]
    unexpected = [key for key in values if key not in parameters and key not in counts]
    if strict and (missing or unexpected):
        raise ValueError(
            f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}; "
            f"this model's keys are {keys} (strict=False loads the keys that match)"
        )
    checked = {key: _checked(values[key], parameter, key) for key, parameter in parameters.items() if key in values}
    checked_counts = {key: _checked_count(values[key], key) for key in counts if key in values}
    for key, new_values in checked.items():
        parameters[key][:] = new_values
    for key, count in checked_counts.items():
        layer, name = counts[key]
        setattr(layer, name, count)
    return IncompatibleKeys(missing, unexpected)


def _in_layer_order(keys: list[str]) -> list[str]:
    """Keys sorted by their layer's index, keeping their order within a layer (``sorted`` is stable)."""
    return sorted(keys, key=lambda key: int(key.split(".", 1)[0]))


def _copy(values: list) -> list:
    """A vector, a matrix or a convolution's kernels as new lists, at every level."""
    return [_copy(row) for row in values] if values and isinstance(values[0], list) else list(values)


def _shape(values: object) -> str:
    """The shape of nested lists as text, ``(3 x 2)`` or ``(3,)``, or what else they are, for messages."""
    if not isinstance(values, list):
        return f"a {type(values).__name__}"
    if values and all(isinstance(row, list) for row in values):
        # the shape of each row without its parentheses: "3" for a vector, "3 x 2" for a matrix (kernels)
        inner = sorted({_shape(row)[1:-1].rstrip(",") for row in values}, key=lambda text: (len(text), text))
        return f"({len(values)} x {'/'.join(inner)})"
    return f"({len(values)},)"


def _checked(values: object, parameter: Parameter, key: str) -> list:
    """``values`` as floats if they have the parameter's shape and are finite numbers; a clear error if not."""
    expected = _shape(list(parameter))
    found = _shape(values)
    if found != expected:
        raise ValueError(f"load_state_dict: {key!r} must have the shape of the model's {key}, {expected}, got {found}")
    return _floats(values, key)


def _checked_count(value: object, key: str) -> int:
    """A count such as num_batches_tracked: an int from 0 to 2**63 - 1 (PyTorch's int64 scalar), or a clear error."""
    if is_integer(value) and 0 <= value <= LARGEST_COUNT:
        return value
    # A huge int or list is shown cut short (and an int of 5000 digits is beyond what Python turns into text).
    if is_integer(value) and value.bit_length() > 64:
        text = f"{'a negative' if value < 0 else 'an'} int of {value.bit_length()} bits"
    else:
        text = repr(value)
    shown = text if len(text) <= 60 else f"{text[:50]}... ({len(text)} characters)"
    if is_integer(value):
        raise ValueError(f"load_state_dict: {key!r} must be a count from 0 to 2**63 - 1 (int64), got {shown}")
    raise TypeError(
        f"load_state_dict: {key!r} must be an int (a count of batches, 0-dimensional: PyTorch's int64 "
        f"scalar, whose tolist() is an int), got {type(value).__name__} {shown}"
    )


def _floats(values: list, where: str) -> list:
    """Nested lists of finite numbers as floats, at any depth; the first bad entry named by its index."""
    result = []
    for index, value in enumerate(values):
        if isinstance(value, list):
            result.append(_floats(value, f"{where}[{index}]"))
            continue
        if not is_number(value):
            raise TypeError(f"load_state_dict: {where}[{index}] must be a number, got {type(value).__name__} {value!r}")
        if not is_finite(value):
            raise ValueError(f"load_state_dict: {where}[{index}] must be finite, got {value!r}")
        result.append(float(value))
    return result
