"""Batch normalisation over a batch of features (batch x features), PyTorch's ``nn.BatchNorm1d``.

For each feature j, over the N samples of the batch:

    training:   mu_j = (1/N) sum_n x_nj,   var_j = (1/N) sum_n (x_nj - mu_j)^2   (the biased variance)
                x^_nj = (x_nj - mu_j) / sqrt(var_j + eps),   y_nj = weight_j x^_nj + bias_j
                running_mean <- (1 - momentum) running_mean + momentum mu
                running_var  <- (1 - momentum) running_var  + momentum var N / (N - 1)   (unbiased)
    evaluation: x^_nj = (x_nj - running_mean_j) / sqrt(running_var_j + eps)

Backward in training, with g = dL/dy and s_j = 1 / sqrt(var_j + eps) (every
x_nj moves mu_j and var_j, so each sample's gradient involves the whole batch):

    dL/dweight_j = sum_n g_nj x^_nj,   dL/dbias_j = sum_n g_nj
    dL/dx_nj = (weight_j s_j / N) (N g_nj - sum_m g_mj - x^_nj sum_m g_mj x^_mj)

In evaluation the statistics are constants: dL/dx_nj = g_nj weight_j s_j.
The derivation in full: docs/regularisation.md ("Batch normalisation").
"""

from __future__ import annotations

import math

from .. import matrices
from ..matrices import Matrix
from ..validation import check_integer, check_number
from .base import Layer, Parameter


class BatchNorm1d(Layer):
    """Normalise each feature with the batch's statistics in training and the running ones in evaluation.

    ``weight`` (gamma, starts at 1) and ``bias`` (beta, starts at 0) are
    trained; ``running_mean`` (starts at 0) and ``running_var`` (starts at 1)
    are buffers, saved in ``state_dict`` under PyTorch's keys
    (``"1.running_mean"``). ``num_batches_tracked`` counts the training
    batches, as in PyTorch, and is saved with them as an int
    (``"1.num_batches_tracked": 12``, PyTorch's 0-dimensional int64, whose
    ``tolist()`` is that int). It only steers PyTorch's ``momentum=None`` (a
    cumulative average), which purenet does not offer, but PyTorch's keys are
    the contract: a state_dict loads in either library, strictly.
    """

    # PyTorch's 0-dimensional buffers: attributes holding an int, saved in state_dict under "<index>.<name>"
    # after the tensor buffers (purenet.state_dict reads and writes them by these names).
    integer_buffers = ("num_batches_tracked",)

    def __init__(self, num_features: int, eps: float = 1e-5, momentum: float = 0.1) -> None:
        self.num_features = check_integer(num_features, "BatchNorm1d: num_features", minimum=1)
        self.eps = check_number(eps, "BatchNorm1d: eps", minimum=0.0)
        if self.eps == 0.0:
            raise ValueError("BatchNorm1d: eps must be > 0 (it keeps 1 / sqrt(var + eps) finite for constant features)")
        self.momentum = check_number(momentum, "BatchNorm1d: momentum", minimum=0.0)
        if self.momentum > 1.0:
            raise ValueError(f"BatchNorm1d: momentum must be in [0, 1], got {momentum!r}")
        self.weight = Parameter([1.0] * num_features, "weight")
        self.bias = Parameter([0.0] * num_features, "bias")
        self.running_mean = Parameter([0.0] * num_features, "running_mean")
        self.running_var = Parameter([1.0] * num_features, "running_var")
        self.num_batches_tracked = 0
        self._normalised: Matrix | None = None
        self._inverse_deviation: list[float] | None = None
        self._batch_statistics = True  # whether the last forward pass normalised with the batch's statistics

    def parameters(self) -> list[Parameter]:
        return [self.weight, self.bias]

    def buffers(self) -> list[Parameter]:
        return [self.running_mean, self.running_var]

    def forward(self, x: Matrix) -> Matrix:
        rows, columns = matrices.shape(x)
        if columns != self.num_features:
            raise ValueError(f"BatchNorm1d: expected {self.num_features} features, got input {matrices.describe(x)}")
        if self.training:
            if rows < 2:
                raise ValueError(
                    f"BatchNorm1d: a batch of {rows} sample in training has no variance; use batches of 2 or "
                    "more, or model.eval()"
                )
            mean = [sum(column) / rows for column in zip(*x)]
            variance = [
                sum((value - mu) ** 2 for value in column) / rows for column, mu in zip(zip(*x), mean)
            ]
            momentum, unbiased = self.momentum, rows / (rows - 1)
            self.running_mean[:] = [(1.0 - momentum) * r + momentum * mu for r, mu in zip(self.running_mean, mean)]
            self.running_var[:] = [
                (1.0 - momentum) * r + momentum * v * unbiased for r, v in zip(self.running_var, variance)
            ]
            self.num_batches_tracked += 1
        else:
            mean, variance = list(self.running_mean), list(self.running_var)
        inverse = [1.0 / math.sqrt(v + self.eps) for v in variance]
        self._normalised = [[(value - mu) * s for value, mu, s in zip(row, mean, inverse)] for row in x]
        self._inverse_deviation = inverse
        self._batch_statistics = self.training
        return [[w * z + b for w, z, b in zip(self.weight, row, self.bias)] for row in self._normalised]

    def backward(self, grad: Matrix, input_gradient: bool = True) -> Matrix | None:
        self._require_forward(self._normalised)
        if matrices.shape(grad) != matrices.shape(self._normalised):
            raise ValueError(
                f"BatchNorm1d.backward: gradient {matrices.describe(grad)} must match the output "
                f"{matrices.describe(self._normalised)}"
            )
        gradient_sums = [sum(column) for column in zip(*grad)]
        weighted_sums = [
            sum(g * z for g, z in zip(grad_column, normalised_column))
            for grad_column, normalised_column in zip(zip(*grad), zip(*self._normalised))
        ]
        self.weight.accumulate_grad(weighted_sums)
        self.bias.accumulate_grad(gradient_sums)
        if not input_gradient:
            return None
        factors = [w * s for w, s in zip(self.weight, self._inverse_deviation)]
        if not self._batch_statistics:
            return [[g * f for g, f in zip(row, factors)] for row in grad]
        count = len(grad)
        return [
            [
                f * (g - total / count - z * weighted / count)
                for g, z, f, total, weighted in zip(grad_row, normalised_row, factors, gradient_sums, weighted_sums)
            ]
            for grad_row, normalised_row in zip(grad, self._normalised)
        ]

    def get_extra_state(self) -> dict:
        """The count of training batches for a checkpoint's layer entry (PyTorch's name).

        ``state_dict`` and model files hold the count too now; checkpoints still
        carry it here, where an earlier purenet looks for it, and
        ``set_extra_state`` reads the checkpoints written before, which hold it only here.
        """
        return {"num_batches_tracked": self.num_batches_tracked}

    def set_extra_state(self, state: dict) -> None:
        count = state.get("num_batches_tracked") if isinstance(state, dict) else state
        self.num_batches_tracked = check_integer(count, "BatchNorm1d: num_batches_tracked", minimum=0)

    def config(self) -> dict:
        return {"num_features": self.num_features, "eps": self.eps, "momentum": self.momentum}

    def __repr__(self) -> str:
        return f"BatchNorm1d({self.num_features}, eps={self.eps}, momentum={self.momentum})"
