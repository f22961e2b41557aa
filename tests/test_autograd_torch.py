"""PyTorch as the oracle of purenet.autograd: the same random expressions, the same gradients.

Each random program of tests/test_autograd.py runs twice: on purenet Values and on 0-d
float64 torch tensors with requires_grad (the operators and method names are the same),
and every leaf's gradient must agree to 1e-9 relative. Skipped when torch is missing
(CI runs this module on its main Python only).
"""

from __future__ import annotations

import math
import random

import pytest

torch = pytest.importorskip(
    "torch",
    reason="PyTorch is not installed: the oracle tests need it (pip install torch==2.13.0); .ci/run installs it",
)

from test_autograd import random_program, run_program  # noqa: E402 (after the skip)

from purenet.autograd import Value  # noqa: E402


def torch_leaves(point: list[float]) -> list:
    return [torch.tensor(x, dtype=torch.float64, requires_grad=True) for x in point]


@pytest.mark.parametrize("seed", range(40))
def test_random_programs_match_torch(seed):
    rng = random.Random(1000 + seed)
    point = [rng.uniform(-2.0, 2.0) for _ in range(5)]
    program = random_program(rng, len(point), 40)
    leaves = [Value(x) for x in point]
    output = run_program(program, leaves)
    output.backward()
    tensors = torch_leaves(point)
    expected = run_program(program, tensors)
    expected.backward()
    assert math.isclose(output.data, expected.item(), rel_tol=1e-12, abs_tol=1e-12)
    assert sum(tensor.grad is not None for tensor in tensors) >= 2
    for leaf, tensor in zip(leaves, tensors):
        if tensor.grad is None:  # the output does not depend on this leaf: torch leaves grad unset
            assert leaf.grad == 0.0
        else:
            assert math.isclose(leaf.grad, tensor.grad.item(), rel_tol=1e-9, abs_tol=1e-12), (seed, leaf.grad)


def test_accumulation_matches_torch():
    """Two backward passes from two outputs add up in the leaves, as in torch."""

    def two_passes(x, y, **options) -> None:
        shared = (x * y).tanh()
        (shared * 3.0).backward(**options)
        (shared.exp() / y).backward()

    a, b = Value(0.7), Value(-1.2)
    two_passes(a, b)
    ta, tb = torch_leaves([0.7, -1.2])
    two_passes(ta, tb, retain_graph=True)  # torch frees a graph after a pass unless told to keep it
    assert math.isclose(a.grad, ta.grad.item(), rel_tol=1e-12)
    assert math.isclose(b.grad, tb.grad.item(), rel_tol=1e-12)


def test_square_network_on_values_matches_torch():
    """A 6 -> 4 (ReLU) -> 3 network and its softmax cross-entropy, written on Values, against torch.nn."""
    rng = random.Random(3)
    weight1 = [[rng.uniform(-1, 1) for _ in range(6)] for _ in range(4)]
    bias1 = [rng.uniform(-0.5, 0.5) for _ in range(4)]
    weight2 = [[rng.uniform(-1, 1) for _ in range(4)] for _ in range(3)]
    bias2 = [rng.uniform(-0.5, 0.5) for _ in range(3)]
    sample = [rng.uniform(-1, 1) for _ in range(6)]
    label = 2

    W1 = [[Value(w) for w in row] for row in weight1]
    b1 = [Value(b) for b in bias1]
    W2 = [[Value(w) for w in row] for row in weight2]
    b2 = [Value(b) for b in bias2]
    hidden = [sum((w * x for w, x in zip(row, sample)), b).relu() for row, b in zip(W1, b1)]
    scores = [sum((w * h for w, h in zip(row, hidden)), b) for row, b in zip(W2, b2)]
    loss = sum(score.exp() for score in scores).log() - scores[label]
    loss.backward()

    first, second = torch.nn.Linear(6, 4, dtype=torch.float64), torch.nn.Linear(4, 3, dtype=torch.float64)
    with torch.no_grad():
        first.weight.copy_(torch.tensor(weight1, dtype=torch.float64))
        first.bias.copy_(torch.tensor(bias1, dtype=torch.float64))
        second.weight.copy_(torch.tensor(weight2, dtype=torch.float64))
        second.bias.copy_(torch.tensor(bias2, dtype=torch.float64))
    logits = second(torch.relu(first(torch.tensor([sample], dtype=torch.float64))))
    expected = torch.nn.functional.cross_entropy(logits, torch.tensor([label]))
    expected.backward()

    assert math.isclose(loss.data, expected.item(), rel_tol=1e-12)
    pairs = [
        (W1, first.weight.grad), (W2, second.weight.grad), ([b1], first.bias.grad[None]), ([b2], second.bias.grad[None])
    ]
    for values, gradients in pairs:
        for value_row, gradient_row in zip(values, gradients.tolist()):
            for value, gradient in zip(value_row, gradient_row):
                assert math.isclose(value.grad, gradient, rel_tol=1e-9, abs_tol=1e-12)
