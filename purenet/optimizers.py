"""Optimisers: turn gradients into parameter updates.

Both follow ``torch.optim`` exactly (same formulas, same defaults), so what
you learn here carries over. Each takes the list ``model.parameters()`` and
offers ``step()`` (apply one update from the current gradients),
``zero_grad()`` (clear them) and ``state_dict()`` / ``load_state_dict()``
(save and restore hyperparameters and buffers, in PyTorch's layout).

An update rule works value by value and never needs to know whether a
parameter is a vector (a bias), a matrix (a weight) or deeper: ``step`` hands it
every parameter as one flat vector of values (a matrix read row after row),
and writes the result back in the parameter's own shape. The buffers an
optimiser keeps per parameter (momentum, Adam's moments) are flat vectors
too; ``state_dict`` gives them in the parameter's shape, as PyTorch does.

Gradients accumulate across ``backward`` calls, as in PyTorch. ``step()``
warns once if it finds a gradient summed over more than one backward pass:
the usual sign of a forgotten ``zero_grad()``.
Derivations: docs/optimisation.md.
"""

from __future__ import annotations

import math
import warnings
from itertools import chain

from .layers.base import Parameter
from .matrices import Vector
from .validation import check_number, is_finite, is_integer, is_number


def flatten(values: list) -> Vector:
    """All the numbers of a parameter as one new vector, in reading order (a matrix row after row).

    Works at any depth: a bias, a weight matrix, a convolution's kernel.
    """
    while values and isinstance(values[0], list):
        values = list(chain.from_iterable(values))
    return list(values)


def in_shape_of(vector: Vector, like: list) -> list:
    """A flat vector given the shape of ``like`` (a parameter of any depth): the inverse of ``flatten``."""
    if not (like and isinstance(like[0], list)):
        return list(vector)
    part = len(vector) // len(like)
    return [in_shape_of(vector[index * part : (index + 1) * part], inner) for index, inner in enumerate(like)]


class Optimizer:
    """Base class: holds the parameters, one state entry per parameter, ``step`` and ``zero_grad``.

    A subclass gives ``update`` (the rule for one parameter, on flat vectors)
    and ``hyperparameters``.
    """

    def __init__(self, params: object, lr: float) -> None:
        if not isinstance(params, (list, tuple)) and not hasattr(params, "__next__"):
            raise TypeError(
                f"{type(self).__name__}: params must be the list model.parameters(), got {type(params).__name__}"
            )
        params = list(params)
        if not params:
            raise ValueError(f"{type(self).__name__}: params is empty; pass model.parameters()")
        for index, parameter in enumerate(params):
            if not isinstance(parameter, Parameter):
                raise TypeError(
                    f"{type(self).__name__}: params[{index}] must be a Parameter (from model.parameters()), "
                    f"got {type(parameter).__name__}"
                )
        self.params: list[Parameter] = params
        self.lr = check_number(lr, "lr", minimum=0.0)
        self.state: list[dict] = [{} for _ in params]
        self._warned_accumulation = False

    def zero_grad(self) -> None:
        """Clear the gradient of every parameter (call before each backward pass)."""
        for parameter in self.params:
            parameter.zero_grad()

    def step(self) -> None:
        """Update every parameter that has a gradient, in place (the layers keep the same objects)."""
        for parameter, state in zip(self.params, self.state):
            if parameter.grad is None:
                continue
            if parameter.backward_passes > 1 and not self._warned_accumulation:
                self._warned_accumulation = True
                warnings.warn(
                    f"{type(self).__name__}.step(): the gradient of {parameter.name!r} is the sum of "
                    f"{parameter.backward_passes} backward passes. Gradients accumulate; call "
                    "optimizer.zero_grad() before each backward unless you mean to accumulate.",
                    stacklevel=2,
                )
            new_values = self.update(flatten(parameter), flatten(parameter.grad), state)
            parameter[:] = in_shape_of(new_values, parameter)

    def update(self, values: Vector, gradients: Vector, state: dict) -> Vector:
        """The new values of one parameter, from its values, its gradient and its buffers (all flat)."""
        raise NotImplementedError(
            f"{type(self).__name__} must define update(values, gradients, state), the rule for one parameter "
            "given as flat vectors; update_row(values, gradients, state, row) of earlier versions is not called"
        )

    def hyperparameters(self) -> dict:
        """The settings that rebuild this optimiser, as PyTorch's ``param_groups[0]`` names them."""
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Hyperparameters and buffers as plain JSON-compatible data (a copy), in PyTorch's layout.

        ``{"state": {0: {"step": 3, "exp_avg": [[...]], ...}, ...},
        "param_groups": [{"lr": 0.001, ..., "params": [0, 1, ...]}]}``: state
        is keyed by the parameter's index in ``params`` (parameters with no
        state yet are left out), and every buffer has its parameter's shape.
        """
        state = {}
        for index, (entry, parameter) in enumerate(zip(self.state, self.params)):
            if entry:
                state[index] = {
                    name: value if name == "step" else in_shape_of(value, parameter) for name, value in entry.items()
                }
        group = dict(self.hyperparameters(), params=list(range(len(self.params))))
        return {"state": state, "param_groups": [group]}

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what ``state_dict`` returned (also after a trip through JSON, which makes keys text).

        The hyperparameters must be this optimiser's, and every buffer must
        have the shape of its parameter; nothing changes if anything is wrong.
        """
        group = self._saved_group(state_dict)
        saved_state = state_dict["state"]
        if not isinstance(saved_state, dict):
            raise ValueError(f"load_state_dict: 'state' must be a dict, got {type(saved_state).__name__}")
        state: list[dict] = [{} for _ in self.params]
        for key, entry in saved_state.items():
            index = int(key) if isinstance(key, str) and key.isdigit() else key
            if not is_integer(index) or not 0 <= index < len(self.params):
                raise ValueError(
                    f"load_state_dict: state key {key!r} is not the index of one of the {len(self.params)} parameters"
                )
            if not isinstance(entry, dict):
                raise ValueError(f"load_state_dict: state entry {index} must be a dict, got {type(entry).__name__}")
            state[index] = self._buffers_from(entry, index)
        hyperparameters = {name: value for name, value in group.items() if name != "params"}
        # A fresh optimiser built from the saved hyperparameters validates them.
        validated = type(self)(self.params, **hyperparameters)
        for name in hyperparameters:
            setattr(self, name, getattr(validated, name))
        self.state = state

    def _saved_group(self, state_dict: object) -> dict:
        """The one parameter group of a saved state_dict, checked against this optimiser."""
        if not isinstance(state_dict, dict) or "state" not in state_dict or "param_groups" not in state_dict:
            found = sorted(state_dict) if isinstance(state_dict, dict) else type(state_dict).__name__
            earlier = (
                " (a state_dict of an earlier version, with 'optimizer' and 'hyperparameters'; save it again)"
                if isinstance(state_dict, dict) and "hyperparameters" in state_dict
                else ""
            )
            raise ValueError(f"load_state_dict: expected a dict with 'state' and 'param_groups', got {found}{earlier}")
        groups = state_dict["param_groups"]
        if not isinstance(groups, list) or len(groups) != 1 or not isinstance(groups[0], dict):
            raise ValueError(f"load_state_dict: 'param_groups' must be a list of one dict, got {groups!r}")
        group = groups[0]
        expected = sorted(self.hyperparameters())
        found = sorted(name for name in group if name != "params")
        if found != expected:
            raise ValueError(
                f"load_state_dict: expected a state_dict of {type(self).__name__} (hyperparameters "
                f"{', '.join(expected)}), got one with {', '.join(found) or 'none'}"
            )
        if group.get("params") != list(range(len(self.params))):
            count = len(group["params"]) if isinstance(group.get("params"), list) else "no"
            raise ValueError(
                f"load_state_dict: the state_dict holds {count} parameters but the optimiser has {len(self.params)}"
            )
        return group

    def _buffers_from(self, entry: dict, index: int) -> dict:
        """One parameter's saved buffers as flat vectors, each checked against the parameter's shape."""
        parameter = self.params[index]
        buffers = {}
        for name, value in entry.items():
            if name == "step":
                if not is_integer(value) or value < 0:
                    raise ValueError(f"load_state_dict: 'step' of parameter {index} must be a count, got {value!r}")
                buffers[name] = value
                continue
            if _nested_shape(value) != _nested_shape(parameter):
                raise ValueError(f"load_state_dict: buffer {name!r} of parameter {index} has the wrong shape")
            numbers = flatten(value)
            if not all(is_number(number) and is_finite(number) for number in numbers):
                raise ValueError(f"load_state_dict: buffer {name!r} of parameter {index} must hold finite numbers")
            buffers[name] = [float(number) for number in numbers]
        return buffers


def _nested_shape(values: object) -> tuple[int, ...] | None:
    """The shape of nested lists, () for a single value, None if they are ragged."""
    if not isinstance(values, list):
        return ()
    shapes = {_nested_shape(value) for value in values}
    if len(shapes) > 1 or None in shapes:
        return None
    return (len(values),) + (shapes.pop() if shapes else ())


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay (torch.optim.SGD).

    For each parameter p with gradient g:
        g <- g + weight_decay * p                       (L2 penalty)
        b <- g on the first step, else momentum * b + g (if momentum > 0)
        p <- p - lr * b                                 (b = g without momentum)
    """

    def __init__(self, params: object, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = check_number(momentum, "momentum", minimum=0.0)
        self.weight_decay = check_number(weight_decay, "weight_decay", minimum=0.0)

    def update(self, values: Vector, gradients: Vector, state: dict) -> Vector:
        lr, decay, momentum = self.lr, self.weight_decay, self.momentum
        if decay:
            gradients = [g + decay * p for g, p in zip(gradients, values)]
        if momentum:
            buffer = state.get("momentum_buffer")
            if buffer is None:
                buffer = gradients
            else:
                buffer = [momentum * b + g for b, g in zip(buffer, gradients)]
            state["momentum_buffer"] = buffer
            gradients = buffer
        return [p - lr * g for p, g in zip(values, gradients)]

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay}


class Adam(Optimizer):
    """Adam (torch.optim.Adam): per-value steps scaled by running gradient statistics.

    For each parameter p with gradient g, at step t = 1, 2, ...:
        g <- g + weight_decay * p
        m <- beta1 m + (1 - beta1) g          (first moment, PyTorch's "exp_avg")
        v <- beta2 v + (1 - beta2) g^2        (second moment, "exp_avg_sq")
        m_hat = m / (1 - beta1^t)             (bias corrections: m and v start at 0)
        v_hat = v / (1 - beta2^t)
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    PyTorch computes the same step as lr / (1 - beta1^t) * m / (sqrt(v) /
    sqrt(1 - beta2^t) + eps); the two differ only in float rounding. Why the
    bias corrections are needed: docs/optimisation.md.
    """

    def __init__(
        self,
        params: object,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 0.0,
    ) -> None:
        super().__init__(params, lr)
        if not isinstance(betas, (tuple, list)) or len(betas) != 2:
            raise ValueError(f"betas must be a pair (beta1, beta2), got {betas!r}")
        self.betas = (
            check_number(betas[0], "betas[0]", minimum=0.0, below=1.0),
            check_number(betas[1], "betas[1]", minimum=0.0, below=1.0),
        )
        self.eps = check_number(eps, "eps", minimum=0.0)
        if self.eps == 0.0:
            # PyTorch allows 0, but then a parameter with a zero gradient divides 0 by 0.
            raise ValueError("eps must be > 0 (it keeps m_hat / (sqrt(v_hat) + eps) finite where v = 0), got 0")
        self.weight_decay = check_number(weight_decay, "weight_decay", minimum=0.0)

    def update(self, values: Vector, gradients: Vector, state: dict) -> Vector:
        if self.weight_decay:
            gradients = [g + self.weight_decay * p for g, p in zip(gradients, values)]
        return self.adam_step(values, gradients, state)

    def adam_step(self, values: Vector, gradients: Vector, state: dict) -> Vector:
        """The step from m_hat and v_hat, on gradients that already hold any weight decay."""
        beta1, beta2 = self.betas
        lr, eps = self.lr, self.eps
        t = state["step"] = state.get("step", 0) + 1
        m = state.get("exp_avg") or [0.0] * len(values)
        v = state.get("exp_avg_sq") or [0.0] * len(values)
        one_minus_beta1, one_minus_beta2 = 1.0 - beta1, 1.0 - beta2
        m = state["exp_avg"] = [beta1 * m_k + one_minus_beta1 * g for m_k, g in zip(m, gradients)]
        v = state["exp_avg_sq"] = [beta2 * v_k + one_minus_beta2 * g * g for v_k, g in zip(v, gradients)]
        first_correction, second_correction = 1.0 - beta1**t, 1.0 - beta2**t
        # m_hat = m / first_correction and v_hat = v / second_correction are computed inside the step,
        # not kept as lists of their own: two fewer passes over every weight, the same numbers.
        return [
            p - lr * (m_k / first_correction) / (math.sqrt(v_k / second_correction) + eps)
            for p, m_k, v_k in zip(values, m, v)
        ]

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "betas": list(self.betas), "eps": self.eps, "weight_decay": self.weight_decay}
