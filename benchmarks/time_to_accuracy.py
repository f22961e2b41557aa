"""Seconds until the square detector's held-out accuracy first reaches 90%, 95% and 97%.

Run from the repository root:

    python benchmarks/time_to_accuracy.py [--quick] [--seed 0]
    python benchmarks/time_to_accuracy.py --batch-size 25 --lr 0.002 --check-every 60 --save model.json

The recipe is ``python -m purenet train squares``'s default (purenet.squares:
the DEFAULT_* constants, Adam, batches of 50, reshuffled every epoch, the
step schedule, the drawings frozen for the cycle collector). The
training loop is written out here, exactly as ``Sequential.fit`` runs it
(tests/test_time_to_accuracy.py checks that it ends with the same weights),
so that the held-out test split can be measured every few batches; the clock
stops while measuring. Data generation is timed separately and reported
beside it. Results: a table on stdout and JSON in benchmarks/results/.

``--batch-size``, ``--lr`` and ``--hidden`` change the recipe, to compare
another one on the same clock (docs/squares.md, section 7). The run stops
once every threshold is reached, unless ``--save`` asks for the model: then
it trains every epoch, as ``train squares`` with the same options would, and
saves the model for ``evaluate``, ``benchmarks/square_detector.py`` and
``benchmarks/square_probe.py`` (their ``--model``).
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
from purenet.serialization import save  # noqa: E402

THRESHOLDS = (0.90, 0.95, 0.97)


def measure(
    samples: int,
    epochs: int,
    check_every: int,
    seed: int,
    batch_size: int = squares.DEFAULT_BATCH_SIZE,
    lr: float = squares.DEFAULT_LEARNING_RATE,
    hidden: int = squares.DEFAULT_HIDDEN,
    every_epoch: bool = False,
) -> dict:
    """Train with the recipe; return when each threshold was first reached, and the model.

    The test split is measured every ``check_every`` batches and at the end
    of each epoch. The run stops once every threshold is reached, or, with
    ``every_epoch``, after the last epoch.
    """
    started = time.perf_counter()
    labelled = shapes.labelled_drawings(samples, seed=seed)
    held_out = samples // 10
    training, test = labelled[: samples - 2 * held_out], labelled[samples - held_out :]
    # As squares.train: the training drawings turned upright, then by people's small tilts.
    X = squares.tilted_inputs([item for _, item in training], 32, squares.training_tilts(seed))
    y = [shapes.KINDS[kind] for kind, _ in training]
    X_test = squares.inputs([item for _, item in test], 32, 32)
    y_test = [shapes.KINDS[kind] for kind, _ in test]
    generation_seconds = time.perf_counter() - started

    model = squares.build_network(32, hidden, random.Random(seed))
    loss = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    order = list(range(len(X)))
    reached: dict[str, float | None] = {f"{threshold:.0%}": None for threshold in THRESHOLDS}
    batches_to: dict[str, int | None] = dict.fromkeys(reached)
    curve = []
    training_seconds, batches_done = 0.0, 0
    with squares.frozen_for_the_collector():  # as squares.train runs fit
        for epoch in range(1, epochs + 1):
            if squares.DEFAULT_SCHEDULE == "step":  # the recipe's rate for this epoch
                optimizer.lr = lr * squares.learning_rate_factor(epoch - 1, epochs)
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
                            batches_to[key] = batches_done
            if not every_epoch and all(value is not None for value in reached.values()):
                break
    return {
        "model": model,
        "recipe": {"batch_size": batch_size, "lr": lr, "hidden": hidden, "epochs": epochs, "seed": seed},
        "batches": batches_done,
        "batches_to": batches_to,
        "training_seconds": training_seconds,
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
    parser.add_argument("--batch-size", type=int, default=squares.DEFAULT_BATCH_SIZE)
    parser.add_argument("--lr", type=float, default=squares.DEFAULT_LEARNING_RATE)
    parser.add_argument("--hidden", type=int, default=squares.DEFAULT_HIDDEN)
    parser.add_argument("--check-every", type=int, default=10, help="batches between measurements of the test split")
    parser.add_argument("--save", metavar="MODEL", help="train every epoch and save the model here")
    arguments = parser.parse_args()
    for name in ("batch_size", "hidden", "check_every"):
        if getattr(arguments, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(arguments, name)}")
    if not arguments.lr > 0:
        parser.error(f"--lr must be positive, got {arguments.lr}")
    samples = 2000 if arguments.quick else squares.DEFAULT_SAMPLES
    result = measure(samples, epochs=squares.DEFAULT_EPOCHS, check_every=arguments.check_every, seed=arguments.seed,
                     batch_size=arguments.batch_size, lr=arguments.lr, hidden=arguments.hidden,
                     every_epoch=arguments.save is not None)
    model = result.pop("model")
    result["machine"] = common.machine_description()
    result["seed"] = arguments.seed
    result["milliseconds_per_batch"] = 1000 * result["training_seconds"] / result["batches"]
    recipe = result["recipe"]
    print(common.describe_machine_briefly(result["machine"]))
    print(f"square detector, {samples} drawings (generated and rasterised in {result['generation_seconds']:.1f} s), "
          f"batches of {recipe['batch_size']}, lr {recipe['lr']}, {recipe['hidden']} hidden units, "
          f"{result['milliseconds_per_batch']:.1f} ms a batch")
    print(f"{'held-out accuracy':<20} {'batches':>8} {'training seconds':>18} {'with data generation':>22}")
    for key, seconds in result["training_seconds_to"].items():
        if seconds is None:
            print(f"{key:<20} {'not reached':>8}")
        else:
            print(f"{key:<20} {result['batches_to'][key]:>8} {seconds:>18.1f} "
                  f"{seconds + result['generation_seconds']:>22.1f}")
    if arguments.save:
        save(model, arguments.save, metadata={"benchmark": "time_to_accuracy", "samples": samples, **recipe})
        print(f"saved the model to {arguments.save}")
    print(f"wrote {common.write_results('time_to_accuracy', result)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
