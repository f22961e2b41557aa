"""Gradient clipping: rescale all the gradients together when their total norm is too large.

    total = ( sum over every gradient value g of |g|^q )^(1/q)     (q = norm_type; max |g| for q = inf)
    every gradient <- gradient * min(1, max_norm / (total + 1e-6))

The direction of the step is kept and only its length is capped, which stops
one exploding batch from throwing the weights far away (docs/optimisation.md,
"Gradient clipping"). Same name, formula and return value as PyTorch's
``torch.nn.utils.clip_grad_norm_``.
"""

from __future__ import annotations

import math

from .layers.base import Parameter
from .validation import check_number, is_finite

CLIP_EPSILON = 1e-6  # PyTorch's: keeps max_norm / total finite when every gradient is 0


def _flat(values: list) -> list:
    while values and isinstance(values[0], list):
        values = [value for inner in values for value in inner]
    return values


def _scaled(values: list, factor: float) -> list:
    if values and isinstance(values[0], list):
        return [_scaled(inner, factor) for inner in values]
    return [value * factor for value in values]


def clip_grad_norm_(
    parameters: object, max_norm: float, norm_type: float = 2.0, error_if_nonfinite: bool = False
) -> float:
    """Scale the gradients of ``parameters`` in place so that their total norm is at most ``max_norm``.

    ``parameters`` is ``model.parameters()`` (or one Parameter); those without
    a gradient are skipped. Returns the total norm *before* clipping, as
    PyTorch does, so that it can be logged. With ``error_if_nonfinite`` a
    NaN or infinite norm raises instead of spreading NaN through every gradient.
    """
    if isinstance(parameters, Parameter):
        parameters = [parameters]
    if not isinstance(parameters, (list, tuple)) and not hasattr(parameters, "__next__"):
        raise TypeError(f"parameters must be model.parameters() or a Parameter, got {type(parameters).__name__}")
    parameters = list(parameters)
    for index, parameter in enumerate(parameters):
        if not isinstance(parameter, Parameter):
            raise TypeError(f"parameters[{index}] must be a Parameter, got {type(parameter).__name__}")
    max_norm = check_number(max_norm, "max_norm", minimum=0.0)
    if norm_type != math.inf:
        norm_type = check_number(norm_type, "norm_type", minimum=0.0)
        if norm_type == 0.0:
            raise ValueError("norm_type must be > 0 or math.inf, got 0")
    with_gradients = [parameter for parameter in parameters if parameter.grad is not None]
    if not with_gradients:
        return 0.0
    values = [abs(value) for parameter in with_gradients for value in _flat(parameter.grad)]
    if norm_type == math.inf:
        total = max(values)
    else:
        total = math.fsum(value**norm_type for value in values) ** (1.0 / norm_type)
    if error_if_nonfinite and not is_finite(total):
        raise RuntimeError(
            f"clip_grad_norm_: the total norm of the gradients is {total}; pass error_if_nonfinite=False to clip anyway"
        )
    factor = max_norm / (total + CLIP_EPSILON)
    if factor > 1.0:  # written so that a NaN factor is kept and spreads, as with torch.clamp
        factor = 1.0
    for parameter in with_gradients:
        parameter.grad = _scaled(parameter.grad, factor)
    return total
