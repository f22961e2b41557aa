"""Seconds until the square detector's held-out accuracy first reaches 90%, 95% and 97%.

Run from the repository root:

    python benchmarks/time_to_accuracy.py [--quick]

The recipe is ``python -m purenet train squares``'s default (purenet.squares:
the DEFAULT_* constants, Adam, batches of 50, reshuffled every epoch, the
step schedule, the drawings frozen for the cycle collector). The
training loop is written out here, exactly as ``Sequential.fit`` runs it,
so that the held-out test split can be measured every few batches; the clock
stops while measuring. Data generation is timed separately and reported
beside it. Results: a table on stdout and JSON in benchmarks/results/.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

import common  # puts this checkout of purenet on the path first

from purenet import squares  # noqa: E402
from purenet.squares import shapes  # noqa: E402
from purenet.losses import SoftmaxCrossEntropy  # noqa: E402
from purenet.metrics import accuracy  # noqa: E402
from purenet.optimizers import Adam  # noqa: E402

THRESHOLDS = (0.90, 0.95, 0.97)


def measure(samples: int, epochs: int, check_every: int, seed: int) -> dict:
    """Train with the default recipe; return when each threshold was first reached."""
    started = time.perf_counter()
    labelled = shapes.labelled_drawings(samples, seed=seed)
    held_out = samples // 10
    training, test = labelled[: samples - 2 * held_out], labelled[samples - held_out :]
    X = squares.inputs([item for _, item in training], 32, 32)
    y = [shapes.KINDS[kind] for kind, _ in training]
    X_test = squares.inputs([item for _, item in test], 32, 32)
    y_test = [shapes.KINDS[kind] for kind, _ in test]
    generation_seconds = time.perf_counter() - started

    model = squares.build_network(32, squares.DEFAULT_HIDDEN, random.Random(seed))
    loss = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=squares.DEFAULT_LEARNING_RATE)
    rng = random.Random(seed)
    order = list(range(len(X)))
    batch_size = squares.DEFAULT_BATCH_SIZE
    reached: dict[str, float | None] = {f"{threshold:.0%}": None for threshold in THRESHOLDS}
    curve = []
    training_seconds, batches_done = 0.0, 0
    with squares.frozen_for_the_collector():  # as squares.train runs fit
        for epoch in range(1, epochs + 1):
            if squares.DEFAULT_SCHEDULE == "step":  # the recipe's rate for this epoch
                optimizer.lr = squares.DEFAULT_LEARNING_RATE * squares.learning_rate_factor(epoch - 1, epochs)
            rng.shuffle(order)
            for start in range(0, len(order), batch_size):
                clock = time.perf_counter()
                indices = order[start : start + batch_size]
                optimizer.zero_grad()
                loss.forward(model.forward([X[i] for i in indices]), [y[i] for i in indices])
                model.backward(loss.backward(), input_gradient=False)
                optimizer.step()
                training_seconds += time.perf_counter() - clock
                batches_done += 1
                if batches_done % check_every == 0 or start + batch_size >= len(order):
                    held_out_accuracy = accuracy(model.predict(X_test), y_test)
                    curve.append({"epoch": epoch, "batches": batches_done, "seconds": training_seconds,
                                  "accuracy": held_out_accuracy})
                    for threshold in THRESHOLDS:
                        key = f"{threshold:.0%}"
                        if reached[key] is None and held_out_accuracy >= threshold:
                            reached[key] = training_seconds
            if all(value is not None for value in reached.values()):
                break
    return {
        "samples": samples,
        "test_samples": len(X_test),
        "generation_seconds": generation_seconds,
        "training_seconds_to": reached,
        "curve": curve,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (2,000) for a fast look")
    parser.add_argument("--seed", type=int, default=0)
    arguments = parser.parse_args()
    samples = 2000 if arguments.quick else squares.DEFAULT_SAMPLES
    result = measure(samples, epochs=squares.DEFAULT_EPOCHS, check_every=10, seed=arguments.seed)
    result["machine"] = common.machine_description()
    result["seed"] = arguments.seed
    print(common.describe_machine_briefly(result["machine"]))
    print(f"square detector, default recipe, {samples} drawings "
          f"(generated and rasterised in {result['generation_seconds']:.1f} s)")
    print(f"{'held-out accuracy':<20} {'training seconds':>18} {'with data generation':>22}")
    for key, seconds in result["training_seconds_to"].items():
        if seconds is None:
            print(f"{key:<20} {'not reached':>18}")
        else:
            print(f"{key:<20} {seconds:>18.1f} {seconds + result['generation_seconds']:>22.1f}")
    print(f"wrote {common.write_results('time_to_accuracy', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
