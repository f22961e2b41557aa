"""A convolutional square detector: can one reach 97% held out in under 3 minutes of training?

Issue 13's target: "a convolutional square detector trains to at least 97%
held-out accuracy in under 3 minutes on Python 3.11; if it beats the dense
one on the hard sweeps, the demo can offer it". This script trains one
convolutional recipe, measures it, and measures the shipped dense detector
(``purenet/squares/models/square_detector.json``) on the same drawings.

The network (``build_network``) reads the 32 x 32 grid row by row
(``grid_input``: ``drawing.rasterize``, the grid the dense detector reads
along the Hilbert curve) and cuts it into 4 x 4 patches that do not
overlap (stride = kernel size):

    Unflatten((1, 32, 32)) -> Conv2d(1, 4, 4, stride=4) -> LeakyReLU
    -> Flatten (4 channels x 8 x 8 = 256) -> Dense(256, 32) -> LeakyReLU -> Dense(32, 2)

4 * 16 + 4 + 256 * 32 + 32 + 32 * 2 + 2 = 8,358 parameters, a quarter of
the dense detector's 32,866. Why this shape: a convolution costs one dot
product per output position and channel, and a Dense layer after it costs
its inputs times its outputs, three times (forward, weight gradient, input
gradient, the last because the convolution before it learns); in pure
Python that is what the time goes to. Patches that do not overlap give the
fewest positions that still see every pixel (64), four channels keep the
Dense layer after them small, and a drawing's blank patches are all the
same tuple, computed once (``purenet/matrices/convolution.py``,
``patch_products``). Overlapping windows (``Conv2d(1, 8, 4, stride=2,
padding=1)``, the Hilbert experiment's) cost five to seven times as much per
sample and did not learn faster per sample.

Training (``train``): ``labelled_drawings(drawings, seed=0)``, batches of
50 reshuffled every epoch by ``random.Random(seed)``, Adam at ``lr``, for
``samples`` training samples (``--samples``, so the run is the same on any
machine), stopping early if ``--seconds`` of processor time pass first.
Every ``--check-every`` samples the model is measured on validation
drawings (``labelled_drawings(validation, seed=VALIDATION_SEED)``, neither
training nor held out), with the clocks stopped: the first check at 97% or
more gives the *time to 97%*, and the first from which every later check
is at 97% or more its steadier form. The clock is this process's processor time
(``time.process_time``), as in benchmarks/hilbert_experiment.py: on a
shared machine it is about what the wall clock would show if nothing else
ran; the wall clock and the load average are recorded too. Drawing and
rasterising the drawings is not counted.

Measured, for the trained network and the shipped dense detector:
  - held out: ``labelled_drawings(2000, seed=12345)``, the drawings
    ``recipe.evaluate`` uses (``recipe.evaluate`` itself reads only models
    whose first layer is Dense), overall, per kind, squares and others;
  - the hard sweeps of benchmarks/square_probe.py (tilt, skew, aspect,
    closure gap; ``square_probe.sweep`` with its values and seed 7), and one
    number per sweep as in benchmarks/hilbert_experiment.py
    (``sweep_summary``: the mean share answered right over its values).

Run from the repository root::

    python benchmarks/conv_detector.py              # the recipe: about 3 minutes of training, then measuring
    python benchmarks/conv_detector.py --quick      # tiny sizes, to check that it runs (figures mean nothing)

Results: tables on stdout, JSON in benchmarks/results/. Explained in
docs/convolution.md, "A convolutional square detector".
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `common`, whatever the working folder

import common  # noqa: E402  (puts this checkout of purenet on the path first)
import hilbert_experiment  # noqa: E402  (sweep_summary, the hard sweeps' names and seed)
import square_probe  # noqa: E402  (the trait sweeps)

from purenet.layers import Conv2d, Dense, Flatten, LeakyReLU, Unflatten  # noqa: E402
from purenet.losses import SoftmaxCrossEntropy  # noqa: E402
from purenet.model import Sequential  # noqa: E402
from purenet.optimizers import Adam  # noqa: E402
from purenet.squares import drawing, recipe, shapes  # noqa: E402

SIDE = 32
PATCH = 4  # kernel size and stride: 4 x 4 patches that do not overlap, 8 x 8 of them
CHANNELS = 4
HIDDEN = 32
DRAWINGS = 16000
SAMPLES = 40000
LEARNING_RATE = 0.005
BATCH_SIZE = 50
SECONDS = 180.0  # the target: under 3 minutes of training
TARGET = 0.97
CHECK_EVERY = 2000
VALIDATION = 1000
VALIDATION_SEED = 777  # neither the training seed 0 nor the held-out seed 12345
HELD_OUT = 2000
HELD_OUT_SEED = 12345  # recipe.evaluate's
PREDICTION_CHUNK = 200

Probability = Callable[[list], list[float]]


# --- the recipe ---------------------------------------------------------------------


def grid_input(item: object) -> list[float]:
    """The 1024 values the network reads: the normalised 32 x 32 grid, row by row (Unflatten((1, 32, 32)) order)."""
    return [value for row in drawing.rasterize(item, SIDE) for value in row]


def build_network(rng: random.Random, channels: int = CHANNELS, hidden: int = HIDDEN) -> Sequential:
    """The convolutional detector, its initial weights drawn from ``rng``; logits [not square, square]."""
    positions = (SIDE // PATCH) ** 2
    return Sequential(
        Unflatten((1, SIDE, SIDE)),
        Conv2d(1, channels, PATCH, stride=PATCH, rng=rng),
        LeakyReLU(),
        Flatten(),
        Dense(channels * positions, hidden, rng=rng),
        LeakyReLU(),
        Dense(hidden, 2, rng=rng),
    )


def labelled_inputs(count: int, seed: int) -> tuple[list[list[float]], list[int], list[str]]:
    """``labelled_drawings(count, seed)`` as network inputs, labels (1 = square) and kinds."""
    labelled = shapes.labelled_drawings(count, seed=seed)
    return [grid_input(item) for _, item in labelled], [shapes.KINDS[kind] for kind, _ in labelled], [
        kind for kind, _ in labelled
    ]


def train(model: Sequential, X: list, y: list[int], samples: int, seed: int, lr: float = LEARNING_RATE,
          batch_size: int = BATCH_SIZE, seconds: float = SECONDS, check_every: int = CHECK_EVERY,
          check: tuple[list, list[int]] | None = None, target: float = TARGET) -> dict:
    """Mini-batch Adam on (X, y) for ``samples`` samples, or until ``seconds`` of processor time have passed.

    The batches are those of ``fit``: the samples reshuffled every epoch by
    ``random.Random(seed)``. Every ``check_every`` samples (and at the end)
    the accuracy on ``check = (inputs, labels)`` is measured with both
    clocks stopped. Returns ``{"samples", "steps", "epochs",
    "processor_seconds", "seconds" (wall clock), "stopped_by" ("samples" or
    "seconds"), "curve": [{"samples", "processor_seconds", "seconds",
    "accuracy"}], "first_at_target": the first curve point at ``target`` or
    above, or None, "stays_at_target_from": the first point from which every
    later one is at ``target`` or above, or None}``. One check on 1,000
    drawings is uncertain by about half a point, so the first crossing may
    be followed by a dip; the second figure is the steadier one.
    """
    loss = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    indices = list(range(len(X)))
    seen = steps = 0
    processor = wall = 0.0
    curve: list[dict] = []
    stopped_by = "samples"

    def measure_point() -> None:
        accuracy = None if check is None else accuracy_of(probabilities(model, check[0]), check[1])
        curve.append({"samples": seen, "processor_seconds": processor, "seconds": wall, "accuracy": accuracy})

    while seen < samples and stopped_by == "samples":
        rng.shuffle(indices)
        for begin in range(0, len(indices), batch_size):
            if seen >= samples:
                break
            if processor >= seconds:
                stopped_by = "seconds"
                break
            processor_start, wall_start = time.process_time(), time.perf_counter()
            batch = indices[begin : begin + batch_size]
            optimizer.zero_grad()
            output = model.forward([X[i] for i in batch])
            loss.forward(output, [y[i] for i in batch])
            model.backward(loss.backward())
            optimizer.step()
            processor += time.process_time() - processor_start
            wall += time.perf_counter() - wall_start
            seen += len(batch)
            steps += 1
            if check_every and seen % check_every < batch_size and seen < samples:
                measure_point()
    measure_point()
    reached = [point for point in curve if point["accuracy"] is not None and point["accuracy"] >= target]
    return {
        "samples": seen,
        "steps": steps,
        "epochs": seen / len(X),
        "processor_seconds": processor,
        "seconds": wall,
        "stopped_by": stopped_by,
        "curve": curve,
        "first_at_target": reached[0] if reached else None,
        "stays_at_target_from": stays_at(curve, target),
    }


def stays_at(curve: list[dict], target: float) -> dict | None:
    """The first point of ``curve`` from which every accuracy is at ``target`` or above (None if there is none)."""
    for index, point in enumerate(curve):
        if all(later["accuracy"] is not None and later["accuracy"] >= target for later in curve[index:]):
            return point
    return None


# --- measuring ------------------------------------------------------------------------


def probabilities(model: Sequential, inputs: list) -> list[float]:
    """p(square) for each input, in chunks (a convolution's patches for thousands of drawings take room)."""
    result: list[float] = []
    for begin in range(0, len(inputs), PREDICTION_CHUNK):
        result += [row[1] for row in model.predict_proba(inputs[begin : begin + PREDICTION_CHUNK])]
    return result


def accuracy_of(p_square: Sequence[float], labels: Sequence[int]) -> float:
    """The share of answers right, "square" meaning p(square) > 0.5."""
    return sum((p > 0.5) == bool(label) for p, label in zip(p_square, labels, strict=True)) / len(labels)


def convolutional_probability(model: Sequential) -> Probability:
    """p(square) of the convolutional network for drawings (rasterised, normalised, read row by row)."""
    return lambda drawings: probabilities(model, [grid_input(item) for item in drawings])


def dense_probability(model: Sequential) -> Probability:
    """p(square) of a dense detector for drawings, read as it was trained (``drawing.prepare``, Hilbert order)."""
    return lambda drawings: probabilities(model, [drawing.prepare(item, SIDE) for item in drawings])


def held_out(probability: Probability, labelled: list) -> dict:
    """Accuracy on (kind, drawing) pairs: overall, per kind, on the squares and on the others."""
    kinds = [kind for kind, _ in labelled]
    labels = [shapes.KINDS[kind] for kind in kinds]
    right = [(p > 0.5) == bool(label) for p, label in zip(probability([item for _, item in labelled]), labels)]

    def share(chosen: list[bool]) -> float:
        return sum(chosen) / len(chosen)

    return {
        "accuracy": share(right),
        "squares": share([ok for ok, label in zip(right, labels) if label == 1]),
        "others": share([ok for ok, label in zip(right, labels) if label == 0]),
        "per_kind": {kind: share([ok for ok, k in zip(right, kinds) if k == kind]) for kind in shapes.KINDS
                     if kind in kinds},
        "drawings": len(labelled),
    }


def hard_sweeps(probability: Probability, drawings: int) -> dict:
    """``square_probe.sweep`` for tilt, skew, aspect and closure gap (seed 7), and one summary number per sweep."""
    rows = {trait: square_probe.sweep(probability, trait, square_probe.SWEEPS[trait], drawings,
                                      hilbert_experiment.SWEEP_SEED)
            for trait in hilbert_experiment.HARD_SWEEPS}
    return {"sweeps": rows,
            "summary": {trait: hilbert_experiment.sweep_summary(rows[trait], trait) for trait in rows}}


def measure(probability: Probability, labelled: list, sweep_drawings: int) -> dict:
    """Held-out accuracy and the hard sweeps of one detector."""
    return {"held_out": held_out(probability, labelled), **hard_sweeps(probability, sweep_drawings)}


def parameter_count(model: Sequential) -> int:
    return sum(parameter.size() for parameter in model.parameters())


# --- running and printing ---------------------------------------------------------------


def print_results(results: dict) -> None:
    training = results["training"]
    print(f"\ntraining: {training['samples']} samples ({training['epochs']:.2f} epochs of {results['drawings']} "
          f"drawings) in {training['processor_seconds']:.1f} s of processor time, {training['seconds']:.1f} s of wall "
          f"clock; stopped by {training['stopped_by']}")
    print(common.format_table(
        ["samples", "processor s", "wall s", f"validation ({results['validation']} drawings)"],
        [[point["samples"], f"{point['processor_seconds']:.1f}", f"{point['seconds']:.1f}",
          "-" if point["accuracy"] is None else f"{point['accuracy']:.2%}"] for point in training["curve"]]))
    for key, text in (("first_at_target", "first reached"), ("stays_at_target_from", "stays from")):
        point = training[key]
        if point is None:
            print(f"time to {results['target']:.0%} ({text}): not reached on the validation drawings")
        else:
            print(f"time to {results['target']:.0%} ({text}, validation): "
                  f"{point['processor_seconds']:.1f} s processor, "
                  f"{point['seconds']:.1f} s wall, after {point['samples']} samples")
    detectors = results["detectors"]
    traits = list(hilbert_experiment.HARD_SWEEPS)
    print()
    print(common.format_table(
        ["detector", "parameters", f"held out ({results['held_out']})", "squares", "others", *traits],
        [[name, figures["parameters"], f"{figures['held_out']['accuracy']:.2%}",
          f"{figures['held_out']['squares']:.2%}", f"{figures['held_out']['others']:.2%}",
          *(f"{figures['summary'][trait]:.1%}" for trait in traits)] for name, figures in detectors.items()]))
    for trait in traits:
        print(f"\n{trait}: share called square per value ({results['sweep_drawings']} squares per value, "
              f"seed {hilbert_experiment.SWEEP_SEED})")
        values = [row["value"] for row in next(iter(detectors.values()))["sweeps"][trait]]
        print(common.format_table(
            ["detector", *(square_probe._value_text(value) for value in values)],
            [[name, *(f"{row['called_square']:.0%}" for row in figures["sweeps"][trait])]
             for name, figures in detectors.items()]))


def run(options: argparse.Namespace) -> dict:
    """Draw the data, train the recipe, measure it and the shipped dense detector; the results as a dict."""
    load_before = os.getloadavg()
    start = time.perf_counter()
    X, y, _ = labelled_inputs(options.drawings, seed=0)
    check_X, check_y, _ = labelled_inputs(options.validation, seed=VALIDATION_SEED)
    labelled = shapes.labelled_drawings(options.held_out, seed=HELD_OUT_SEED)
    print(f"drew and rasterised {options.drawings} + {options.validation} drawings in "
          f"{time.perf_counter() - start:.0f} s", flush=True)
    model = build_network(random.Random(options.seed), options.channels, options.hidden)
    load_start = os.getloadavg()
    training = train(model, X, y, options.samples, options.seed, options.lr, BATCH_SIZE, options.seconds,
                     options.check_every, (check_X, check_y), options.target)
    load_end = os.getloadavg()
    print(f"trained: {training['samples']} samples in {training['processor_seconds']:.1f} s processor / "
          f"{training['seconds']:.1f} s wall", flush=True)
    shipped = recipe.square_detector()
    detectors = {
        "convolutional": {"parameters": parameter_count(model), "summary": repr(model),
                          **measure(convolutional_probability(model), labelled, options.sweep_drawings)},
        "shipped dense": {"parameters": parameter_count(shipped), "summary": repr(shipped),
                          **measure(dense_probability(shipped), labelled, options.sweep_drawings)},
    }
    return {
        "machine": common.machine_description(),
        "load_average": {"before": load_before, "training_start": load_start, "training_end": load_end,
                         "end": os.getloadavg()},
        "recipe": {"channels": options.channels, "hidden": options.hidden, "patch": PATCH, "lr": options.lr,
                   "batch_size": BATCH_SIZE, "samples": options.samples, "seconds": options.seconds},
        "shipped_model": {"path": os.path.relpath(recipe.SHIPPED_MODEL, common.REPOSITORY_ROOT),
                          "sha256": hashlib.sha256(Path(recipe.SHIPPED_MODEL).read_bytes()).hexdigest()},
        "seed": options.seed,
        "drawings": options.drawings,
        "validation": options.validation,
        "validation_seed": VALIDATION_SEED,
        "held_out": options.held_out,
        "held_out_seed": HELD_OUT_SEED,
        "sweep_drawings": options.sweep_drawings,
        "target": options.target,
        "training": training,
        "detectors": detectors,
    }


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the initial weights and batch order (default 0)")
    parser.add_argument("--samples", type=int, default=SAMPLES, help=f"training samples (default {SAMPLES})")
    parser.add_argument("--seconds", type=float, default=SECONDS,
                        help=f"stop training after this much processor time (default {SECONDS:.0f})")
    parser.add_argument("--drawings", type=int, default=DRAWINGS, help=f"training drawings (default {DRAWINGS})")
    parser.add_argument("--lr", type=float, default=LEARNING_RATE,
                        help=f"Adam's learning rate (default {LEARNING_RATE})")
    parser.add_argument("--channels", type=int, default=CHANNELS, help=f"convolution channels (default {CHANNELS})")
    parser.add_argument("--hidden", type=int, default=HIDDEN, help=f"hidden units (default {HIDDEN})")
    parser.add_argument("--check-every", type=int, default=CHECK_EVERY,
                        help=f"samples between validation checks (default {CHECK_EVERY}; 0: only at the end)")
    parser.add_argument("--validation", type=int, default=VALIDATION,
                        help=f"validation drawings (default {VALIDATION})")
    parser.add_argument("--held-out", type=int, default=HELD_OUT, help=f"held-out drawings (default {HELD_OUT})")
    parser.add_argument("--sweep-drawings", type=int, default=200, help="squares per sweep value (default 200)")
    parser.add_argument("--target", type=float, default=TARGET, help=f"accuracy to time (default {TARGET})")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check that it runs")
    parser.add_argument("--output", help="where to write the JSON results")
    options = parser.parse_args(arguments)
    if options.quick:
        options.samples, options.drawings, options.validation = 400, 200, 50
        options.held_out, options.sweep_drawings, options.check_every = 100, 5, 200
    for name in ("samples", "drawings", "validation", "held_out", "sweep_drawings", "channels", "hidden"):
        if getattr(options, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(options, name)}")
    results = run(options)
    print(common.describe_machine_briefly(results["machine"]))
    print_results(results)
    print(f"wrote {common.write_results('conv_detector', results, options.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
