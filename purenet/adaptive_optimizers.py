"""RMSprop, Adagrad and AdamW: step sizes adapted value by value (torch.optim's formulas and defaults).

Each is an ``Optimizer`` (purenet/optimizers.py): ``step``, ``zero_grad``,
``state_dict`` in PyTorch's layout, and an ``update`` rule written on one
parameter's values as a flat vector. ``g`` is the gradient, ``p`` the value,
``t`` the step count (1, 2, ...); products, squares and square roots are
taken value by value. Derivations and why each exists: docs/optimisation.md
("RMSprop, Adagrad and AdamW").
"""

from __future__ import annotations

import math

from .matrices import Vector
from .optimizers import Adam, Optimizer
from .validation import check_number


def _positive_eps(eps: object) -> float:
    eps = check_number(eps, "eps", minimum=0.0)
    if eps == 0.0:
        # PyTorch allows 0, but then a value whose gradient is 0 divides 0 by 0.
        raise ValueError("eps must be > 0 (it keeps g / (sqrt(v) + eps) finite where v = 0), got 0")
    return eps


class RMSprop(Optimizer):
    """RMSprop (torch.optim.RMSprop): divide each step by a running root mean square of the gradient.

        g <- g + weight_decay p
        v <- alpha v + (1 - alpha) g^2                 ("square_avg")
        if centered: a <- a + (1 - alpha)(g - a)       ("grad_avg", the running mean of g)
                     d = sqrt(v - a^2) + eps           (a running standard deviation)
        else:        d = sqrt(v) + eps
        if momentum: b <- momentum b + g / d           ("momentum_buffer")
                     p <- p - lr b
        else:        p <- p - lr g / d
    """

    def __init__(
        self,
        params: object,
        lr: float = 1e-2,
        alpha: float = 0.99,
        eps: float = 1e-8,
        weight_decay: float = 0.0,
        momentum: float = 0.0,
        centered: bool = False,
    ) -> None:
        super().__init__(params, lr)
        self.alpha = check_number(alpha, "alpha", minimum=0.0)
        if self.alpha > 1.0:
            raise ValueError(f"alpha must be in [0, 1] (the weight of the old mean square), got {alpha!r}")
        self.eps = _positive_eps(eps)
        self.weight_decay = check_number(weight_decay, "weight_decay", minimum=0.0)
        self.momentum = check_number(momentum, "momentum", minimum=0.0)
        if not isinstance(centered, bool):
            raise TypeError(f"centered must be True or False, got {type(centered).__name__} {centered!r}")
        self.centered = centered

    def update(self, values: Vector, gradients: Vector, state: dict) -> Vector:
        alpha, eps, decay, momentum = self.alpha, self.eps, self.weight_decay, self.momentum
        if decay:
            gradients = [g + decay * p for g, p in zip(gradients, values)]
        state["step"] = state.get("step", 0) + 1
        square_average = state.get("square_avg") or [0.0] * len(values)
        square_average = state["square_avg"] = [
            alpha * v + (1.0 - alpha) * g * g for v, g in zip(square_average, gradients)
        ]
        if self.centered:
            gradient_average = state.get("grad_avg") or [0.0] * len(values)
            gradient_average = state["grad_avg"] = [
                a + (1.0 - alpha) * (g - a) for a, g in zip(gradient_average, gradients)
            ]
            denominators = [math.sqrt(v - a * a) + eps for v, a in zip(square_average, gradient_average)]
        else:
            denominators = [math.sqrt(v) + eps for v in square_average]
        if momentum:
            buffer = state.get("momentum_buffer") or [0.0] * len(values)
            buffer = state["momentum_buffer"] = [
                momentum * b + g / d for b, g, d in zip(buffer, gradients, denominators)
            ]
            return [p - self.lr * b for p, b in zip(values, buffer)]
        return [p - self.lr * g / d for p, g, d in zip(values, gradients, denominators)]

    def hyperparameters(self) -> dict:
        return {
            "lr": self.lr,
            "alpha": self.alpha,
            "eps": self.eps,
            "weight_decay": self.weight_decay,
            "momentum": self.momentum,
            "centered": self.centered,
        }


class Adagrad(Optimizer):
    """Adagrad (torch.optim.Adagrad): divide each step by the root of the sum of all squared gradients so far.

        g <- g + weight_decay p
        s <- s + g^2                                   ("sum", starting at initial_accumulator_value)
        p <- p - lr / (1 + (t - 1) lr_decay) * g / (sqrt(s) + eps)

    A value that has had large gradients takes small steps; the steps of
    every value shrink as s grows, so Adagrad slows down by itself.
    """

    def __init__(
        self,
        params: object,
        lr: float = 1e-2,
        lr_decay: float = 0.0,
        weight_decay: float = 0.0,
        initial_accumulator_value: float = 0.0,
        eps: float = 1e-10,
    ) -> None:
        super().__init__(params, lr)
        self.lr_decay = check_number(lr_decay, "lr_decay", minimum=0.0)
        self.weight_decay = check_number(weight_decay, "weight_decay", minimum=0.0)
        self.initial_accumulator_value = check_number(
            initial_accumulator_value, "initial_accumulator_value", minimum=0.0
        )
        self.eps = _positive_eps(eps)

    def update(self, values: Vector, gradients: Vector, state: dict) -> Vector:
        if self.weight_decay:
            gradients = [g + self.weight_decay * p for g, p in zip(gradients, values)]
        t = state["step"] = state.get("step", 0) + 1
        total = state.get("sum") or [self.initial_accumulator_value] * len(values)
        total = state["sum"] = [s + g * g for s, g in zip(total, gradients)]
        rate = self.lr / (1.0 + (t - 1) * self.lr_decay)
        return [p - rate * g / (math.sqrt(s) + self.eps) for p, g, s in zip(values, gradients, total)]

    def hyperparameters(self) -> dict:
        return {
            "lr": self.lr,
            "lr_decay": self.lr_decay,
            "weight_decay": self.weight_decay,
            "initial_accumulator_value": self.initial_accumulator_value,
            "eps": self.eps,
        }


class AdamW(Adam):
    """AdamW (torch.optim.AdamW): Adam with the weight decay taken out of the gradient.

        p <- p (1 - lr weight_decay)                   (decoupled decay, before the Adam step)
        then Adam's step on the bare gradient g:
        m <- beta1 m + (1 - beta1) g                   ("exp_avg")
        v <- beta2 v + (1 - beta2) g^2                 ("exp_avg_sq")
        p <- p - lr * m_hat / (sqrt(v_hat) + eps)

    Adam's ``weight_decay`` adds weight_decay p to g, which is then divided by
    sqrt(v): values with large gradients are hardly decayed. AdamW shrinks
    every value by the same factor (docs/regularisation.md, "Weight decay and AdamW").
    Its default decay is PyTorch's, 0.01.
    """

    def __init__(
        self,
        params: object,
        lr: float = 1e-3,
        betas: tuple[float, float] = (0.9, 0.999),
        eps: float = 1e-8,
        weight_decay: float = 1e-2,
    ) -> None:
        super().__init__(params, lr, betas, eps, weight_decay)

    def update(self, values: Vector, gradients: Vector, state: dict) -> Vector:
        shrink = 1.0 - self.lr * self.weight_decay
        return self.adam_step([p * shrink for p in values], gradients, state)
