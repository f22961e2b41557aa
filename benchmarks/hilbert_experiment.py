"""The Hilbert experiment: does reading a drawing along the Hilbert curve help a 1-D convolution?

Five networks learn the square task (``purenet.squares``: is this drawing a
square?) with about the same number of parameters and the same wall-clock
training time, and are measured on the same held-out drawings:

  dense          the shipped recipe's network, 1024 -> 32 LeakyReLU -> 2,
                 on the grid read along the Hilbert curve (32,866 parameters);
  conv1d-hilbert Conv1d over the grid read along the Hilbert curve;
  conv1d-row     the same Conv1d over the grid read row by row;
  conv1d-random  the same Conv1d over the grid read in a fixed random order;
  conv2d         Conv2d over the grid itself.

The convolutional networks (``build_network``) all read 16 pixels per
position and have 256 positions and 8 channels:

  Conv1d(1, 8, 16, stride=4, padding=6) | Conv2d(1, 8, 4, stride=2, padding=1)
  -> LeakyReLU -> Flatten (2048) -> Dense(2048, 16) -> LeakyReLU -> Dense(16, 2)

that is 8 * 16 + 8 + 2048 * 16 + 16 + 16 * 2 + 2 = 32,954 parameters, 88
(0.27%) more than the dense network's 1024 * 32 + 32 + 32 * 2 + 2 = 32,866. A window of 16 consecutive values is a
compact patch along the Hilbert curve (at most 7.3 cells across, four
2 x 2 blocks), a 1 x 16 strip of one row in row-major order, a scatter in a
random order, and a 4 x 4 square for Conv2d.

Training: the same drawings for every network (``labelled_drawings(samples,
seed=0)``), batches of 50, Adam at the recipe's learning rate, initial
weights and batch order from the run's seed; each network trains for the
same number of seconds (``--seconds``, of processor time by default,
``--clock wall`` for the wall clock) and stops at the first batch that
would start after it. Drawing and rasterising the training set is not
counted. The number of samples each network saw is reported: a network
that is slower per sample sees fewer. Because the stop is set by the clock,
two runs on different machines differ; the seed fixes everything else.

Measured, for every network (p(square) > 0.5 is "called square"):
  - held-out accuracy on ``labelled_drawings(held_out, seed=12345)``;
  - the hard sweeps of benchmarks/square_probe.py (tilt, skew, aspect,
    closure gap; ``square_probe.sweep`` with its values and seed 7);
  - held-out accuracy on the same held-out drawings *not normalised*: drawn
    where they lie on the generator's 100 x 100 canvas
    (``drawing.rasterize_unnormalised``), so shifted and scaled (the
    networks were trained on normalised drawings);
  - training time and samples seen.

Run from the repository root::

    python benchmarks/hilbert_experiment.py --seed 0            # one seed, every network
    python benchmarks/hilbert_experiment.py --quick             # tiny sizes, to check it runs
    python benchmarks/hilbert_experiment.py --variants conv2d --seconds 180 --shipped
                                      # one network for 3 minutes, beside the shipped dense detector

Results: tables on stdout, JSON in benchmarks/results/. Explained in
docs/hilbert.md, "The Hilbert experiment".
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `common`, whatever the working folder

import common  # noqa: E402  (puts this checkout of purenet on the path first)
import square_probe  # noqa: E402  (the trait sweeps)

from purenet.layers import Conv1d, Conv2d, Dense, Flatten, LeakyReLU, Unflatten  # noqa: E402
from purenet.losses import SoftmaxCrossEntropy  # noqa: E402
from purenet.model import Sequential  # noqa: E402
from purenet.optimizers import Adam  # noqa: E402
from purenet.squares import drawing, hilbert, recipe, shapes  # noqa: E402

SIDE = 32
ORDER = 5  # 2**5 = 32
CELLS = SIDE * SIDE
CHANNELS = 8
HIDDEN = 16
DENSE_BUDGET = CELLS * recipe.DEFAULT_HIDDEN + recipe.DEFAULT_HIDDEN + recipe.DEFAULT_HIDDEN * 2 + 2  # 32,866
BUDGET_TOLERANCE = 0.005  # every network within 0.5% of the dense one's parameters
PERMUTATION_SEED = 1
HELD_OUT_SEED = 12345
SWEEP_SEED = 7
HARD_SWEEPS = ("tilt", "skew", "aspect", "closure_gap")
PREDICTION_CHUNK = 200

VARIANTS = {
    "dense": "dense 1024 -> 32 -> 2, Hilbert order",
    "conv1d-hilbert": "Conv1d, Hilbert order",
    "conv1d-row": "Conv1d, row-major order",
    "conv1d-random": f"Conv1d, fixed random order (seed {PERMUTATION_SEED})",
    "conv2d": "Conv2d on the 32 x 32 grid",
}


# --- reading orders: permutations of the row-major cell numbers ----------------


def hilbert_order() -> list[int]:
    """Value ``j`` of the Hilbert reading is row-major cell ``y * 32 + x`` for ``(x, y) = index_to_xy(j)``."""
    return [y * SIDE + x for x, y in (hilbert.index_to_xy(index, ORDER) for index in range(CELLS))]


def row_major_order() -> list[int]:
    return list(range(CELLS))


def random_order(seed: int = PERMUTATION_SEED) -> list[int]:
    order = list(range(CELLS))
    random.Random(seed).shuffle(order)
    return order


def order_for(variant: str) -> list[int]:
    """The order in which ``variant`` reads the grid (Conv2d reads it row-major, as Unflatten((1, 32, 32)) expects)."""
    if variant in ("dense", "conv1d-hilbert"):
        return hilbert_order()
    if variant == "conv1d-random":
        return random_order()
    if variant in ("conv1d-row", "conv2d"):
        return row_major_order()
    raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}")


def read(grid: list[list[float]], order: Sequence[int]) -> list[float]:
    """The grid as a list, in ``order``: value ``j`` is the row-major cell ``order[j]``."""
    flat = [value for row in grid for value in row]
    return [flat[cell] for cell in order]


# --- the networks ---------------------------------------------------------------


def build_network(variant: str, rng: random.Random) -> Sequential:
    """The network of ``variant``, its initial weights drawn from ``rng``."""
    if variant == "dense":
        return recipe.build_network(SIDE, recipe.DEFAULT_HIDDEN, rng)
    if variant == "conv2d":
        front = [Unflatten((1, SIDE, SIDE)), Conv2d(1, CHANNELS, 4, stride=2, padding=1, rng=rng)]
    elif variant in VARIANTS:
        front = [Unflatten((1, CELLS)), Conv1d(1, CHANNELS, 16, stride=4, padding=6, rng=rng)]
    else:
        raise ValueError(f"variant must be one of {', '.join(VARIANTS)}, got {variant!r}")
    # Both convolutions give 8 channels x 256 positions = 2048 features.
    return Sequential(
        *front,
        LeakyReLU(),
        Flatten(),
        Dense(CHANNELS * CELLS // 4, HIDDEN, rng=rng),
        LeakyReLU(),
        Dense(HIDDEN, 2, rng=rng),
    )


def parameter_count(model: Sequential) -> int:
    return sum(parameter.size() for parameter in model.parameters())


# --- training for a fixed time --------------------------------------------------------


CLOCKS = {"process": time.process_time, "wall": time.perf_counter}


def train_for(model: Sequential, X: list, y: list[int], seconds: float, seed: int, lr: float = recipe.DEFAULT_LEARNING_RATE,
              batch_size: int = recipe.DEFAULT_BATCH_SIZE, max_samples: int | None = None, clock: str = "process") -> dict:
    """Mini-batch Adam on (X, y) until ``seconds`` have passed on ``clock`` (or ``max_samples`` were seen).

    The batches are those of ``fit``: the samples reshuffled every epoch by
    ``random.Random(seed)``. The clock is read before each batch; the batch
    that would start after ``seconds`` is not run. ``clock="process"``
    counts this process's processor time (``time.process_time``): on a
    shared machine it is what the wall clock would show if nothing else
    ran, so another program's load does not shorten one network's training
    more than another's; ``"wall"`` counts the wall clock. ``Sequential.backward``
    stops at the first layer with parameters, so the Unflatten before a
    convolution costs no input gradient. Returns ``{"clock",
    "seconds" (wall clock), "processor_seconds", "samples", "steps", "epochs"}``.
    """
    loss = SoftmaxCrossEntropy()
    optimizer = Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    if clock not in CLOCKS:
        raise ValueError(f"clock must be one of {', '.join(CLOCKS)}, got {clock!r}")
    read_clock = CLOCKS[clock]
    indices = list(range(len(X)))
    samples = steps = 0
    start, wall_start, processor_start = read_clock(), time.perf_counter(), time.process_time()
    while True:
        rng.shuffle(indices)
        for begin in range(0, len(indices), batch_size):
            if read_clock() - start >= seconds or (max_samples is not None and samples >= max_samples):
                return {
                    "clock": clock,
                    "seconds": time.perf_counter() - wall_start,
                    "processor_seconds": time.process_time() - processor_start,
                    "samples": samples,
                    "steps": steps,
                    "epochs": samples / len(X),
                }
            batch = indices[begin : begin + batch_size]
            optimizer.zero_grad()
            output = model.forward([X[i] for i in batch])
            loss.forward(output, [y[i] for i in batch])
            model.backward(loss.backward())
            optimizer.step()
            samples += len(batch)
            steps += 1


# --- measuring ------------------------------------------------------------------------


def probabilities(model: Sequential, inputs: list) -> list[float]:
    """p(square) for each input, in chunks (a convolution's patches for thousands of drawings take room)."""
    result = []
    for begin in range(0, len(inputs), PREDICTION_CHUNK):
        result += [row[1] for row in model.predict_proba(inputs[begin : begin + PREDICTION_CHUNK])]
    return result


def accuracy(p_square: Sequence[float], labels: Sequence[int]) -> float:
    return sum((p > 0.5) == bool(label) for p, label in zip(p_square, labels, strict=True)) / len(labels)


def sweeps(model: Sequential, order: list[int], drawings: int) -> dict:
    """``square_probe.sweep`` for each hard trait, the drawings rasterised, normalised, and read in ``order``."""

    def probability(items: list) -> list[float]:
        return probabilities(model, [read(drawing.rasterize(item, SIDE), order) for item in items])

    return {trait: square_probe.sweep(probability, trait, square_probe.SWEEPS[trait], drawings, SWEEP_SEED)
            for trait in HARD_SWEEPS}


def sweep_summary(rows: list[dict], trait: str) -> float:
    """One number per sweep: the mean share answered correctly over its values.

    Every drawing of a sweep is a square, except in the aspect sweep, where
    an aspect ratio of ``shapes.SMALLEST_RECTANGLE_ASPECT`` (1.7) or more is
    a clear rectangle (docs/squares.md): there the right answer is "not
    square"; values strictly between ``shapes.LARGEST_SQUARE_ASPECT`` (1.5)
    and 1.7, where p(square) should fall gradually, are left out.
    """
    scores = []
    for row in rows:
        if trait == "aspect" and row["value"] >= shapes.SMALLEST_RECTANGLE_ASPECT:
            scores.append(1.0 - row["called_square"])
        elif trait == "aspect" and row["value"] > shapes.LARGEST_SQUARE_ASPECT:
            continue
        else:
            scores.append(row["called_square"])
    return sum(scores) / len(scores)


def prepare_data(samples: int, held_out: int) -> dict:
    """Grids (row-major rows) and labels: training, held out, and held out without normalisation."""
    training = shapes.labelled_drawings(samples, seed=0)
    testing = shapes.labelled_drawings(held_out, seed=HELD_OUT_SEED)
    return {
        "train_grids": [drawing.rasterize(item, SIDE) for _, item in training],
        "train_labels": [shapes.KINDS[kind] for kind, _ in training],
        "test_grids": [drawing.rasterize(item, SIDE) for _, item in testing],
        "test_unnormalised_grids": [drawing.rasterize_unnormalised(item, shapes.CANVAS_SIZE, SIDE) for _, item in testing],
        "test_labels": [shapes.KINDS[kind] for kind, _ in testing],
    }


def run_variant(variant: str, data: dict, seconds: float, seed: int, sweep_drawings: int,
                max_samples: int | None = None, clock: str = "process") -> dict:
    """Train ``variant`` for ``seconds`` and measure it; returns the figures as a dict."""
    order = order_for(variant)
    model = build_network(variant, random.Random(seed))
    X = [read(grid, order) for grid in data["train_grids"]]
    training = train_for(model, X, data["train_labels"], seconds, seed, max_samples=max_samples, clock=clock)
    return {"variant": variant, "description": VARIANTS[variant], "seed": seed, "training": training,
            **measure(model, order, data, sweep_drawings)}


def measure(model: Sequential, order: list[int], data: dict, sweep_drawings: int) -> dict:
    """Held-out accuracy, the same drawings not normalised, and the hard sweeps, for a model reading ``order``."""
    start = time.process_time()
    held_out = probabilities(model, [read(grid, order) for grid in data["test_grids"]])
    prediction_seconds = time.process_time() - start
    unnormalised = probabilities(model, [read(grid, order) for grid in data["test_unnormalised_grids"]])
    swept = sweeps(model, order, sweep_drawings)
    return {
        "parameters": parameter_count(model),
        "held_out_accuracy": accuracy(held_out, data["test_labels"]),
        "prediction_seconds_per_drawing": prediction_seconds / len(held_out),
        "unnormalised_accuracy": accuracy(unnormalised, data["test_labels"]),
        "unnormalised_squares_called_square": _share(unnormalised, data["test_labels"], 1),
        "unnormalised_others_called_other": _share(unnormalised, data["test_labels"], 0),
        "sweeps": swept,
        "sweep_summary": {trait: sweep_summary(rows, trait) for trait, rows in swept.items()},
        "summary": repr(model),
    }


def _share(p_square: Sequence[float], labels: Sequence[int], label: int) -> float:
    chosen = [(p > 0.5) == bool(label) for p, truth in zip(p_square, labels) if truth == label]
    return sum(chosen) / len(chosen)


def print_results(results: dict) -> None:
    rows = []
    for figures in results["variants"]:
        training = figures["training"]
        if training is None:  # the shipped model, trained elsewhere
            trained = ["-", "-", "-"]
        else:
            trained = [f"{training['processor_seconds']:.0f} s / {training['seconds']:.0f} s", training["samples"],
                       f"{training['epochs']:.1f}"]
        rows.append([
            figures["variant"], figures["parameters"], *trained, f"{figures['held_out_accuracy']:.2%}",
            *(f"{figures['sweep_summary'][trait]:.1%}" for trait in HARD_SWEEPS),
            f"{figures['unnormalised_accuracy']:.2%}",
        ])
    print(common.format_table(
        ["network", "parameters", "trained (processor / wall)", "samples seen", "epochs", "held out",
         *HARD_SWEEPS, "not normalised"], rows))
    for trait in HARD_SWEEPS:
        print(f"\n{trait}: share called square per value ({results['sweep_drawings']} squares per value, seed {SWEEP_SEED})")
        values = [row["value"] for row in results["variants"][0]["sweeps"][trait]]
        print(common.format_table(
            ["network", *(square_probe._value_text(value) for value in values)],
            [[figures["variant"], *(f"{row['called_square']:.0%}" for row in figures["sweeps"][trait])]
             for figures in results["variants"]]))


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=0, help="seed of the initial weights and batch order (default 0)")
    parser.add_argument("--seconds", type=float, default=90.0, help="training time of every network (default 90)")
    parser.add_argument("--clock", choices=sorted(CLOCKS), default="process",
                        help="the training budget's clock: processor time of this process (default) or wall clock")
    parser.add_argument("--samples", type=int, default=8000, help="training drawings (default 8000)")
    parser.add_argument("--held-out", type=int, default=1000, help="held-out drawings (default 1000)")
    parser.add_argument("--sweep-drawings", type=int, default=50, help="squares per sweep value (default 50)")
    parser.add_argument("--variants", default=",".join(VARIANTS), help="comma-separated networks to run")
    parser.add_argument("--shipped", action="store_true",
                        help="also measure the shipped dense detector (trained by `train squares`, not here)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, to check that it runs")
    parser.add_argument("--output", help="where to write the JSON results")
    options = parser.parse_args(arguments)
    if options.quick:
        options.seconds, options.samples, options.held_out, options.sweep_drawings = 3.0, 200, 100, 10
    variants = options.variants.split(",")
    for variant in variants:
        if variant not in VARIANTS:
            parser.error(f"--variants: unknown network {variant!r}; expected some of {', '.join(VARIANTS)}")
    machine = common.machine_description()
    print(common.describe_machine_briefly(machine))
    start = time.perf_counter()
    data = prepare_data(options.samples, options.held_out)
    print(f"drew and rasterised {options.samples} + 2 x {options.held_out} drawings in {time.perf_counter() - start:.0f} s")
    results = {
        "machine": machine,
        "seed": options.seed,
        "seconds": options.seconds,
        "clock": options.clock,
        "samples": options.samples,
        "held_out": options.held_out,
        "held_out_seed": HELD_OUT_SEED,
        "sweep_drawings": options.sweep_drawings,
        "dense_budget": DENSE_BUDGET,
        "variants": [],
    }
    for variant in variants:
        figures = run_variant(variant, data, options.seconds, options.seed, options.sweep_drawings, clock=options.clock)
        print(f"{variant}: {figures['training']['samples']} samples in {figures['training']['processor_seconds']:.0f} s "
              f"of processor time ({figures['training']['seconds']:.0f} s wall clock), "
              f"held out {figures['held_out_accuracy']:.2%}", flush=True)
        results["variants"].append(figures)
    if options.shipped:
        results["variants"].append({"variant": "shipped", "description": "the shipped dense detector (recipe.py)",
                                    "seed": None, "training": None,
                                    **measure(recipe.square_detector(), hilbert_order(), data, options.sweep_drawings)})
    print_results(results)
    print(f"wrote {common.write_results('hilbert_experiment', results, options.output)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
