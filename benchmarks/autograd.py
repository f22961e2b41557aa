"""How fast is purenet.autograd's Value against micrograd's, on the square network's graph?

    python benchmarks/autograd.py            # a few minutes, most of them micrograd's
    python benchmarks/autograd.py --quick    # about a minute, rougher figures

The graph is micrograd's ``MLP(1024, [32, 2])`` on one drawing: a ReLU
hidden layer of 32 neurons over 1024 inputs and 2 outputs, each neuron
``sum(w_i * x_i) + b`` written as micrograd's ``Neuron`` writes it (a chain of
additions starting from the bias), then softmax cross-entropy
``logsumexp(z) - z[label]``: about 66,000 nodes. Both libraries build it
from the same initial weights (those of benchmarks/step.py) with the same
operations, so the graphs have the same shape; purenet's is smaller only in
that constants (the drawing's values) are not nodes.

Timed, per sample, in interleaved rounds as in step.py:

- *forward and backward*: build the graph of one drawing, its loss, and
  ``loss.backward()``: what a training step costs per sample, the garbage
  collector's work included (micrograd's graphs are reference cycles that
  only the collector frees; purenet's are freed when the loss is dropped);
- *forward alone*: the same without ``backward``: building the graph and
  freeing it;
- *backward alone*: ``loss.backward()`` again on a graph built once: the
  walk itself, without building or freeing anything. purenet's is timed
  twice: ``Value.backward`` (a walk that finds its own order) and the
  plain reference it is tested against (find the nodes, sort them by depth,
  sweep: ``purenet.autograd.reference_backpropagate``), each on its own copy
  of the graph (same weights, same drawing). A pass stores each gradient
  in a new float and frees the old one, and CPython makes the next float
  where it freed the last, so the gradients stay in memory in the order
  the first pass over a graph wrote them; a form taking turns with another
  on one graph would run in the other's order (measured: the walk, on a
  graph that the earlier one-list sweep had walked first, ran no faster
  than that sweep);
- *forward and backward, collector off*: the first again with the garbage
  collector switched off during the call, to show how much of the time is
  the collector's.

Before timing, the loss and every weight and bias gradient of purenet's
Values are checked against purenet's Dense layers (ReLU hidden layer) and,
when it is installed, against micrograd's: within 1e-9 relative.
The target printed as PASS/MISS (issue 13): ``Value.backward`` at least 5x
faster per sample than micrograd's ``backward`` on the same graph, judged on
the best rounds as step.py does; the ratio of the medians is printed beside
each ratio, to show how much the machine's load moved it.
"""

from __future__ import annotations

import gc
import sys
import time
from collections.abc import Callable

import common
import step

from purenet.autograd import Value, reference_backpropagate, zero_grad

TARGET = 5.0  # Value.backward at least 5x faster per sample than micrograd's backward


class ValueNetwork:
    """``MLP(1024, [32, 2])`` with ReLU on purenet.autograd Values, built like micrograd's."""

    def __init__(self, weights: step.InitialWeights) -> None:
        self.layers = [
            ([[Value(weight) for weight in row] for row in weight_rows], [Value(bias) for bias in biases])
            for weight_rows, biases in (
                (weights.hidden_weight, weights.hidden_bias),
                (weights.output_weight, weights.output_bias),
            )
        ]

    def parameters(self) -> list[Value]:
        return [value for rows, biases in self.layers for row in rows + [biases] for value in row]

    def __call__(self, sample: list[float]) -> list[Value]:
        """z = W x + b per layer, as micrograd's Neuron: sum((w * x for ...), b), ReLU between layers."""
        inputs: list = sample
        for index, (rows, biases) in enumerate(self.layers):
            outputs = [
                sum((weight * value for weight, value in zip(row, inputs)), bias) for row, bias in zip(rows, biases)
            ]
            inputs = [output.relu() for output in outputs] if index < len(self.layers) - 1 else outputs
        return inputs


def value_cross_entropy(scores: list[Value], label: int) -> Value:
    """logsumexp(z) - z[label] on Values, shifted by the largest score as step.micrograd_cross_entropy does."""
    largest = max(score.data for score in scores)  # a constant: shifting by it changes no gradient
    total = sum((score - largest).exp() for score in scores)
    return total.log() + largest - scores[label]


def value_sample(network: ValueNetwork, sample: list[float], label: int) -> float:
    """Forward, loss and backward of one sample through purenet's Values; returns the loss."""
    loss = value_cross_entropy(network(sample), label)
    loss.backward()
    return loss.data


def without_collector(function: Callable[[], object]) -> Callable[[], object]:
    """``function`` run with the garbage collector off: what it costs without the collector's work."""

    def run() -> object:
        gc.disable()
        try:
            return function()
        finally:
            gc.enable()

    return run


def gradients_of(network: ValueNetwork) -> list[list]:
    """[W1 grad, b1 grad, W2 grad, b2 grad] as nested lists, in purenet's order."""
    result = []
    for rows, biases in network.layers:
        result.append([[value.grad for value in row] for row in rows])
        result.append([value.grad for value in biases])
    return result


def check(weights: step.InitialWeights, micrograd_network: object | None, sample: list[float], label: int) -> dict:
    """purenet.autograd's loss and gradients on one sample against the Dense layers and micrograd."""
    network = ValueNetwork(weights)
    loss = value_sample(network, sample, label)
    gradients = gradients_of(network)

    twin = step.PurenetStep(weights, hidden_activation=step.ReLU)
    twin.optimizer.zero_grad()
    expected_loss = twin.loss.forward(twin.model.forward([sample]), [label])
    twin.model.backward(twin.loss.backward(), input_gradient=False)
    expected = [parameter.grad for parameter in twin.model.parameters()]
    result = {
        "loss": loss,
        "dense_layers_loss_error": step.relative_difference(loss, expected_loss),
        "dense_layers_gradient_error": max(
            common.largest_normwise_error(ours, theirs) for ours, theirs in zip(gradients, expected)
        ),
    }
    if micrograd_network is not None:
        micrograd_network.zero_grad()
        with step.DeeperRecursion():
            micrograd_loss = step.micrograd_sample(micrograd_network, sample, label)
        micrograd_gradients = []
        for layer in micrograd_network.layers:
            micrograd_gradients.append([[value.grad for value in neuron.w] for neuron in layer.neurons])
            micrograd_gradients.append([neuron.b.grad for neuron in layer.neurons])
        micrograd_network.zero_grad()
        result["micrograd_loss_error"] = step.relative_difference(loss, micrograd_loss)
        result["micrograd_gradient_error"] = max(
            common.largest_normwise_error(ours, theirs) for ours, theirs in zip(gradients, micrograd_gradients)
        )
    worst = max(value for key, value in result.items() if key.endswith("_error"))
    result["check"] = common.verdict(worst, common.STEP_TOLERANCE)
    return result


def count_nodes(loss: Value) -> int:
    """The nodes of loss's graph that are not leaves (the operations)."""
    seen, stack = {loss}, [loss]
    while stack:
        for parent in stack.pop().parents:
            if parent.left is not None and parent not in seen:
                seen.add(parent)
                stack.append(parent)
    return len(seen)


def main(arguments: list[str] | None = None) -> int:
    options = common.parse_arguments(__doc__.split("\n\n")[0], arguments)
    rounds, seconds_per_batch = (3, 0.05) if options.quick else (7, 1.0)

    started = time.perf_counter()
    machine = common.machine_description(step.numpy)
    print(common.describe_machine_briefly(machine))
    batch, labels, source = common.drawing_batch(1, options.seed)
    sample, label = batch[0], labels[0]
    print(f"drawing: {source}")
    print(f"timing: best of {rounds} interleaved rounds, each about {seconds_per_batch * 1000:.0f} ms per candidate")
    print(flush=True)
    weights = step.InitialWeights(options.seed)
    micrograd_network = step.micrograd_model(weights)

    print("  checking ...", file=sys.stderr, flush=True)
    checks = check(weights, micrograd_network, sample, label)

    network = ValueNetwork(weights)
    operations = count_nodes(value_cross_entropy(network(sample), label))
    # Two phases, so that the graphs kept for "backward alone" are not alive while the
    # forward passes run: every object alive makes each full garbage collection longer.
    candidates = {"purenet.autograd, forward and backward": lambda: value_sample(network, sample, label)}
    if micrograd_network is not None:
        candidates["micrograd, forward and backward"] = lambda: step.micrograd_sample(micrograd_network, sample, label)
    for name in list(candidates):
        candidates[f"{name}, collector off"] = without_collector(candidates[name])
    print("  timing forward and backward ...", file=sys.stderr, flush=True)
    with step.DeeperRecursion():
        timings = common.measure(candidates, rounds, seconds_per_batch)
    candidates = {"purenet.autograd, forward alone": lambda: value_cross_entropy(network(sample), label).data}
    if micrograd_network is not None:
        candidates["micrograd, forward alone"] = (
            lambda: step.micrograd_cross_entropy(micrograd_network(sample), label).data
        )
    print("  timing forward alone ...", file=sys.stderr, flush=True)
    timings.update(common.measure(candidates, rounds, seconds_per_batch))
    loss = value_cross_entropy(network(sample), label)
    reference_network = ValueNetwork(weights)  # its own copy for the reference: see the module's docstring
    reference_loss = value_cross_entropy(reference_network(sample), label)
    candidates = {
        "purenet.autograd, backward alone": loss.backward,
        "purenet.autograd, backward alone, plain reference": lambda: reference_backpropagate(reference_loss),
    }
    if micrograd_network is not None:
        micrograd_loss = step.micrograd_cross_entropy(micrograd_network(sample), label)
        candidates["micrograd, backward alone"] = micrograd_loss.backward
    print("  timing backward alone ...", file=sys.stderr, flush=True)
    with step.DeeperRecursion():
        timings.update(common.measure(candidates, rounds, seconds_per_batch))
    zero_grad(network.parameters())

    kinds = {
        "backward_alone": "backward alone",
        "forward_alone": "forward alone",
        "forward_and_backward": "forward and backward",
        "backward_alone_plain_reference": "backward alone, plain reference",
    }
    # Ratios of the best rounds (the verdict, as in step.py) and, for how much the load moved them, of the medians.
    ratios: dict[str, float | str] = {key: common.NOT_INSTALLED for key in kinds}
    median_ratios: dict[str, float | str] = dict(ratios)
    if micrograd_network is not None:
        for key, kind in kinds.items():
            ours = timings[f"purenet.autograd, {kind}"]
            theirs = timings["micrograd, backward alone" if kind.startswith("backward alone") else f"micrograd, {kind}"]
            ratios[key] = theirs.best / ours.best
            median_ratios[key] = theirs.median / ours.median

    rows = []
    for name, timing in timings.items():
        rows.append([name, common.format_seconds(timing.best), common.format_seconds(timing.median)])
    if micrograd_network is None:
        rows.append(["micrograd", common.NOT_INSTALLED, "-"])
    print(common.format_table(["candidate (one sample)", "time", "(median)"], rows))
    print()
    print(f"graph: {operations} operations (nodes that are not leaves) in purenet's graph of one sample")
    print(
        f"check: loss error {checks['dense_layers_loss_error']:.1e}, gradient error "
        f"{checks['dense_layers_gradient_error']:.1e} against purenet's Dense layers"
        + (
            f"; {checks['micrograd_loss_error']:.1e}, {checks['micrograd_gradient_error']:.1e} against micrograd"
            if "micrograd_gradient_error" in checks
            else ""
        )
        + f": {checks['check']}"
    )
    print()
    print("purenet.autograd against micrograd, per sample (ratios of times measured in this run; best rounds, "
          "then medians):")
    for key, kind in kinds.items():
        print(f"  {kind + ':':33} {step.ratio_text(ratios[key])} faster ({step.ratio_text(median_ratios[key])})")
    collector_shares = {}
    for library in ("purenet.autograd", "micrograd"):
        name = f"{library}, forward and backward"
        if name in timings:
            collector_shares[library] = 1.0 - timings[f"{name}, collector off"].best / timings[name].best
    print("share of forward and backward spent in the garbage collector (1 - time with it off / with it on):")
    print("  " + ", ".join(f"{library} {share:.0%}" for library, share in collector_shares.items()))
    print()
    measured = ratios["backward_alone"]
    installed = not isinstance(measured, str)
    verdict = common.pass_or_miss(measured >= TARGET) if installed else "n/a"
    note = "" if installed else " (pip install micrograd)"
    print("Target:")
    print(f"  {verdict:4}  Value.backward at least {TARGET:g}x faster per sample than micrograd's backward: "
          f"{step.ratio_text(measured)}{note}")

    elapsed = time.perf_counter() - started
    path = common.write_results(
        "autograd",
        {
            "benchmark": "autograd",
            "machine": machine,
            "settings": {
                "quick": options.quick,
                "rounds": rounds,
                "seconds_per_batch": seconds_per_batch,
                "seed": options.seed,
                "drawing": source,
                "network": "MLP(1024, [32, 2]) with ReLU, softmax cross-entropy, one sample",
                "operations": operations,
                "tolerance": common.STEP_TOLERANCE,
            },
            "timings": {name: timing.as_dict() for name, timing in timings.items()},
            "ratios": ratios,
            "ratios_of_medians": median_ratios,
            "garbage_collector_share": collector_shares,
            "checks": checks,
            "target": {
                "target": f"Value.backward at least {TARGET:g}x faster per sample than micrograd's backward",
                "measured": measured,
                "verdict": verdict,
            },
            "seconds": elapsed,
        },
        options.output,
    )
    print(f"\nResults written to {path} ({elapsed:.0f} s)")
    return 0 if checks["check"] == "OK" else 1


if __name__ == "__main__":
    sys.exit(main())
