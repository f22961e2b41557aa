"""A model's parameters by name, as PyTorch's ``state_dict``: ``{"0.weight": [[...]], "0.bias": [...], ...}``.

The key of a parameter is the index of its layer in the model and the
parameter's name, as PyTorch names the parameters of an ``nn.Sequential``;
layers without parameters (activations) have no keys, so the indices skip
them. The values are nested lists: a weight is out_features rows of
in_features numbers, a bias out_features numbers. ``Sequential.state_dict``
and ``Sequential.load_state_dict`` call the two functions here.
"""

from __future__ import annotations

from typing import NamedTuple

from .layers.base import Layer, Parameter
from .validation import is_finite, is_number


class IncompatibleKeys(NamedTuple):
    """What ``load_state_dict(..., strict=False)`` could not match, as PyTorch returns it."""

    missing_keys: list[str]
    unexpected_keys: list[str]


def named_parameters(layers: list[Layer]) -> dict[str, Parameter]:
    """Every parameter and buffer of the layers under its key, in layer order.

    Within a layer: weight, bias, then buffers (BatchNorm1d's running_mean and
    running_var), as PyTorch's state_dict orders them.
    """
    return {
        f"{index}.{tensor.name}": tensor
        for index, layer in enumerate(layers)
        for tensor in layer.parameters() + layer.buffers()
    }


def state_dict(layers: list[Layer]) -> dict[str, list]:
    """Every parameter's values under its key, copied into new lists (changing them leaves the model alone)."""
    return {key: _copy(parameter) for key, parameter in named_parameters(layers).items()}


def load_state_dict(layers: list[Layer], values: object, strict: bool = True) -> IncompatibleKeys:
    """Copy ``values`` (a ``state_dict``) into the layers' parameters, in place, so optimisers keep them.

    Every value must have its parameter's shape and hold finite numbers.
    With ``strict`` (PyTorch's default) the keys must be exactly the model's;
    otherwise the keys that match are loaded and the others are returned.
    Nothing changes unless everything checks out.
    """
    if not isinstance(values, dict):
        raise TypeError(
            f"load_state_dict: state_dict must be a dict such as model.state_dict(), got {type(values).__name__}"
        )
    parameters = named_parameters(layers)
    missing = [key for key in parameters if key not in values]
    unexpected = [key for key in values if key not in parameters]
    if strict and (missing or unexpected):
        raise ValueError(
            f"load_state_dict: missing keys {missing}, unexpected keys {unexpected}; "
            f"this model's keys are {list(parameters)} (strict=False loads the keys that match)"
        )
    checked = {key: _checked(values[key], parameter, key) for key, parameter in parameters.items() if key in values}
    for key, new_values in checked.items():
        parameters[key][:] = new_values
    return IncompatibleKeys(missing, unexpected)


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
