"""Optimisers: turn gradients into parameter updates.

Both follow ``torch.optim`` exactly (same formulas, same defaults, same order
of operations), so what you learn here carries over. Each takes the list
``model.parameters()`` and offers ``step()`` (apply one update from the
current gradients), ``zero_grad()`` (clear them) and ``state_dict()`` /
``load_state_dict()`` (save and restore hyperparameters and buffers).

Gradients accumulate across ``backward`` calls, as in PyTorch. ``step()``
warns once if it finds a gradient summed over more than one backward pass:
the usual sign of a forgotten ``zero_grad()``.
Derivations: docs/optimisation.md.
"""

from __future__ import annotations

import copy
import math
import warnings

from .layers.base import Parameter
from .matrices import rows_of


def _store(parameter: Parameter, new_rows: list[list[float]]) -> None:
    """Write updated rows back into the parameter in place (the layer keeps the same object)."""
    if parameter and isinstance(parameter[0], list):
        parameter[:] = new_rows
    else:
        parameter[:] = new_rows[0]


def _check_number(name: str, value: object, low: float, high: float | None = None) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number, got {value!r}")
    if value < low or (high is not None and value >= high):
        bound = f">= {low}" if high is None else f"in [{low}, {high})"
        raise ValueError(f"{name} must be {bound}, got {value!r}")
    return float(value)


class Optimizer:
    """Base class: holds the parameters, one state entry per parameter, and ``zero_grad``."""

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
        self.lr = _check_number("lr", lr, 0.0)
        self.state: list[dict] = [{} for _ in params]
        self._warned_accumulation = False

    def zero_grad(self) -> None:
        """Clear the gradient of every parameter (call before each backward pass)."""
        for parameter in self.params:
            parameter.zero_grad()

    def step(self) -> None:
        """Update every parameter that has a gradient."""
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
            new_rows = [
                self.update_row(values, gradients, state, row)
                for row, (values, gradients) in enumerate(zip(rows_of(parameter), rows_of(parameter.grad)))
            ]
            self.finish_step(state)
            _store(parameter, new_rows)

    def update_row(self, values: list[float], gradients: list[float], state: dict, row: int) -> list[float]:
        """The new values of one row of a parameter."""
        raise NotImplementedError

    def finish_step(self, state: dict) -> None:
        """Per-parameter bookkeeping after all its rows are updated (Adam counts steps)."""

    def hyperparameters(self) -> dict:
        raise NotImplementedError

    def state_dict(self) -> dict:
        """Hyperparameters and buffers as plain JSON-compatible data (a deep copy)."""
        return {
            "optimizer": type(self).__name__,
            "hyperparameters": self.hyperparameters(),
            "state": copy.deepcopy(self.state),
        }

    def load_state_dict(self, state_dict: dict) -> None:
        """Restore what ``state_dict`` returned; the parameters must have the same shapes."""
        if not isinstance(state_dict, dict) or state_dict.get("optimizer") != type(self).__name__:
            found = state_dict.get("optimizer") if isinstance(state_dict, dict) else type(state_dict).__name__
            raise ValueError(f"load_state_dict: expected a state_dict of {type(self).__name__}, got {found!r}")
        state = state_dict.get("state")
        if not isinstance(state, list) or len(state) != len(self.params):
            raise ValueError(
                f"load_state_dict: the state has {len(state) if isinstance(state, list) else 'no'} "
                f"entries but the optimiser has {len(self.params)} parameters"
            )
        for index, (entry, parameter) in enumerate(zip(state, self.params)):
            if not isinstance(entry, dict):
                raise ValueError(f"load_state_dict: state entry {index} must be a dict, got {type(entry).__name__}")
            for name, buffer in entry.items():
                if name == "step":
                    continue
                if not isinstance(buffer, list) or [len(row) for row in buffer] != [
                    len(row) for row in rows_of(parameter)
                ]:
                    raise ValueError(f"load_state_dict: buffer {name!r} of parameter {index} has the wrong shape")
        hyperparameters = state_dict.get("hyperparameters")
        if not isinstance(hyperparameters, dict):
            raise ValueError(f"load_state_dict: 'hyperparameters' must be a dict, got {hyperparameters!r}")
        # A fresh optimiser built from the saved hyperparameters validates them.
        try:
            validated = type(self)(self.params, **hyperparameters)
        except TypeError as error:
            raise ValueError(f"load_state_dict: hyperparameters {sorted(hyperparameters)} do not fit: {error}") from None
        for name in hyperparameters:
            setattr(self, name, getattr(validated, name))
        self.state = copy.deepcopy(state)


class SGD(Optimizer):
    """Stochastic gradient descent, with optional momentum and weight decay (torch.optim.SGD).

    For each parameter p with gradient g:
        g <- g + weight_decay * p                       (L2 penalty)
        b <- g on the first step, else momentum * b + g (if momentum > 0)
        p <- p - lr * b                                 (b = g without momentum)
    """

    def __init__(self, params: object, lr: float, momentum: float = 0.0, weight_decay: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _check_number("momentum", momentum, 0.0)
        self.weight_decay = _check_number("weight_decay", weight_decay, 0.0)

    def update_row(self, values: list[float], gradients: list[float], state: dict, row: int) -> list[float]:
        lr, decay, momentum = self.lr, self.weight_decay, self.momentum
        if decay:
            gradients = [g + decay * p for g, p in zip(gradients, values)]
        if momentum:
            buffers = state.setdefault("momentum_buffer", [])
            if row < len(buffers):
                buffers[row] = [momentum * b + g for b, g in zip(buffers[row], gradients)]
            else:
                buffers.append(list(gradients))
            gradients = buffers[row]
        return [p - lr * g for p, g in zip(values, gradients)]

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "momentum": self.momentum, "weight_decay": self.weight_decay}


class Adam(Optimizer):
    """Adam (torch.optim.Adam): per-parameter steps scaled by running gradient statistics.

    For each parameter p with gradient g, at step t = 1, 2, ...:
        g <- g + weight_decay * p
        m <- beta1 m + (1 - beta1) g            (first moment, "exp_avg")
        v <- beta2 v + (1 - beta2) g^2          (second moment, "exp_avg_sq")
        p <- p - lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)

    The factors 1/(1 - beta^t) correct the bias of m and v towards their zero
    start (docs/optimisation.md).
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
        self.betas = (_check_number("betas[0]", betas[0], 0.0, 1.0), _check_number("betas[1]", betas[1], 0.0, 1.0))
        self.eps = _check_number("eps", eps, 0.0)
        if self.eps == 0.0:
            # PyTorch allows 0, but then a parameter with a zero gradient divides 0 by 0.
            raise ValueError("eps must be > 0 (it keeps m / (sqrt(v) + eps) finite where v = 0), got 0")
        self.weight_decay = _check_number("weight_decay", weight_decay, 0.0)

    def update_row(self, values: list[float], gradients: list[float], state: dict, row: int) -> list[float]:
        beta1, beta2 = self.betas
        decay, eps = self.weight_decay, self.eps
        if row == 0:
            state["step"] = state.get("step", 0)
            state.setdefault("exp_avg", [])
            state.setdefault("exp_avg_sq", [])
        step = state["step"] + 1
        if decay:
            gradients = [g + decay * p for g, p in zip(gradients, values)]
        first_moments, second_moments = state["exp_avg"], state["exp_avg_sq"]
        if row == len(first_moments):
            first_moments.append([0.0] * len(values))
            second_moments.append([0.0] * len(values))
        m = [beta1 * m_k + (1.0 - beta1) * g for m_k, g in zip(first_moments[row], gradients)]
        v = [beta2 * v_k + (1.0 - beta2) * g * g for v_k, g in zip(second_moments[row], gradients)]
        first_moments[row], second_moments[row] = m, v
        step_size = self.lr / (1.0 - beta1**step)
        root_correction = math.sqrt(1.0 - beta2**step)
        return [p - step_size * m_k / (math.sqrt(v_k) / root_correction + eps) for p, m_k, v_k in zip(values, m, v)]

    def finish_step(self, state: dict) -> None:
        state["step"] += 1

    def hyperparameters(self) -> dict:
        return {"lr": self.lr, "betas": list(self.betas), "eps": self.eps, "weight_decay": self.weight_decay}
