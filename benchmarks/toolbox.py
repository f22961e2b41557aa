"""What the toolbox of issue 16 costs: the new layers and optimisers, and nothing for models that do not use them.

    python benchmarks/toolbox.py            # about a minute
    python benchmarks/toolbox.py --quick    # a few seconds, rougher figures

Three tables, every figure a ratio measured in the same run (interleaved
rounds, best of each; benchmarks/common.py explains why):

1. One training step (zero_grad, forward, loss, backward, SGD step) of a
   2 -> 64 -> 64 -> 3 ReLU network on a batch of 32, plain, with Dropout(0.3)
   after each hidden layer, and with BatchNorm1d(64) before each ReLU.
2. One optimiser step on the same network's parameters: SGD, Adam, RMSprop,
   Adagrad, AdamW.
3. The cost of evaluation mode for a model without Dropout or BatchNorm1d:
   ``model.predict`` (which switches every layer to evaluation mode and back)
   against a bare loop over the layers' ``forward`` and an argmax; the
   target is at most 1.05x.
"""

from __future__ import annotations

import random

import common

import purenet as pn
from purenet import matrices

BATCH = 32
PREDICT_TARGET = 1.05


def _network(kind: str) -> pn.Sequential:
    rng = random.Random(1)
    layers: list = [pn.Dense(2, 64, rng=rng)]
    layers += [pn.BatchNorm1d(64)] if kind == "batch norm" else []
    layers += [pn.ReLU()] + ([pn.Dropout(0.3, rng=2)] if kind == "dropout" else [])
    layers += [pn.Dense(64, 64, rng=rng)]
    layers += [pn.BatchNorm1d(64)] if kind == "batch norm" else []
    layers += [pn.ReLU()] + ([pn.Dropout(0.3, rng=3)] if kind == "dropout" else [])
    return pn.Sequential(*layers, pn.Dense(64, 3, rng=rng))


def _batch(seed: int) -> tuple[list, list]:
    rng = random.Random(seed)
    return [[rng.uniform(-1.0, 1.0), rng.uniform(-1.0, 1.0)] for _ in range(BATCH)], [
        rng.randrange(3) for _ in range(BATCH)
    ]


def _training_step(kind: str):
    model, (X, y), loss = _network(kind), _batch(0), pn.CrossEntropyLoss()
    optimizer = pn.SGD(model.parameters(), lr=0.01)

    def step() -> None:
        optimizer.zero_grad()
        loss.forward(model.forward(X), y)
        model.backward(loss.backward())
        optimizer.step()

    return step


def _optimizer_step(make):
    model, (X, y), loss = _network("plain"), _batch(1), pn.CrossEntropyLoss()
    loss.forward(model.forward(X), y)
    model.backward(loss.backward())
    optimizer = make(model.parameters())
    return optimizer.step  # the gradients stay: each call is one more update from them


def main(arguments: list[str] | None = None) -> None:
    options = common.parse_arguments(__doc__.splitlines()[0], arguments)
    rounds, seconds = (3, 0.05) if options.quick else (7, 0.3)
    results: dict = {"machine": common.machine_description()}
    print(common.describe_machine_briefly(results["machine"]))

    steps = common.measure({kind: _training_step(kind) for kind in ("plain", "dropout", "batch norm")}, rounds, seconds)
    plain = steps["plain"].best
    print(f"\n1. one training step, batch of {BATCH}, 2 -> 64 -> 64 -> 3:")
    print(common.format_table(
        ["", "time", "against plain"],
        [[name, common.format_seconds(t.best), common.format_ratio(t.best / plain)] for name, t in steps.items()],
    ))
    results["training_step"] = {name: t.as_dict() for name, t in steps.items()}

    makers = {
        "SGD": lambda p: pn.SGD(p, lr=0.01),
        "Adam": lambda p: pn.Adam(p, lr=0.001),
        "RMSprop": lambda p: pn.RMSprop(p, lr=0.001),
        "Adagrad": lambda p: pn.Adagrad(p, lr=0.01),
        "AdamW": lambda p: pn.AdamW(p, lr=0.001),
    }
    updates = common.measure({name: _optimizer_step(make) for name, make in makers.items()}, rounds, seconds)
    sgd = updates["SGD"].best
    print("\n2. one optimiser step on the same parameters (4,547 values):")
    print(common.format_table(
        ["", "time", "against SGD"],
        [[name, common.format_seconds(t.best), common.format_ratio(t.best / sgd)] for name, t in updates.items()],
    ))
    results["optimizer_step"] = {name: t.as_dict() for name, t in updates.items()}

    model, (X, _) = _network("plain"), _batch(2)

    def bare() -> list:
        outputs = X
        for layer in model.layers:
            outputs = layer.forward(outputs)
        return matrices.argmax_rows(outputs)

    assert bare() == model.predict(X)
    modes = common.measure({"bare forward": bare, "model.predict": lambda: model.predict(X)}, rounds, seconds)
    ratio = modes["model.predict"].best / modes["bare forward"].best
    print("\n3. evaluation mode on a model without Dropout or BatchNorm1d:")
    print(common.format_table(
        ["", "time", "against bare"],
        [[name, common.format_seconds(t.best), common.format_ratio(t.best / modes["bare forward"].best)]
         for name, t in modes.items()],
    ))
    verdict = common.pass_or_miss(ratio <= PREDICT_TARGET)
    print(f"  {verdict}  model.predict within {PREDICT_TARGET}x of the bare loop: {common.format_ratio(ratio)}")
    results["evaluation_mode"] = {"timings": {name: t.as_dict() for name, t in modes.items()}, "ratio": ratio,
                                  "target": PREDICT_TARGET, "verdict": verdict}
    print(f"\nresults written to {common.write_results('toolbox', results, options.output)}")


if __name__ == "__main__":
    main()
