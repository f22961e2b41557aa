"""What the Hilbert order and the normalisation do for the square detector, measured.

The square detector (``purenet.squares``) reads a drawing as 1024 numbers:
the drawing normalised, rasterised on a 32 x 32 grid and read along the
Hilbert curve. This script trains the same network with the same recipe
(``purenet.squares``' defaults: 1024 -> 32 LeakyReLU -> 2, He initialisation
seeded by ``random.Random(seed)``, Adam, ``DEFAULT_*``) on the same drawings,
and measures it on the same fresh held-out drawings, under four variants:

  a. the grid read in Hilbert order (purenet's default, what
     ``python -m purenet train squares`` does);
  b. the same grid read row by row (row-major);
  c. the same grid read in a fixed random order (a seeded permutation);
  d. un-normalised drawings: the canvas coordinates (0..100, y down) mapped
     straight onto the 32 x 32 grid, no cropping, scaling or centring; same
     pen, same anti-aliasing; then Hilbert order.

It also measures:

- that (c) is *exactly* the network (a) when the first layer's weight
  columns are permuted the same way (a short twin training run);
- the model trained in (a), and the shipped model if there is one, read
  through ``purenet.squares.evaluate(model, size=...)`` on drawings rendered
  at 32 x 32, 64 x 64 and 128 x 128 (``hilbert.downsample`` shrinks them);
- that ``downsample(flatten(grid), f) == flatten(average_pool(grid, f))`` on
  real drawings, and how far a 64 or 128 rendering shrunk to 32 is from the
  32 rendering itself;
- how well each reading order keeps neighbouring pixels together.

Run from the repository root::

    python benchmarks/square_experiments.py            # the full run, a few minutes
    python benchmarks/square_experiments.py --quick    # a short run, for checking

It prints tables and writes everything to benchmarks/results/ as JSON.
Explained in docs/hilbert.md and docs/squares.md.
"""

from __future__ import annotations

import argparse
import itertools
import math
import os
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `common`, whatever the working folder

import common  # noqa: E402  (puts this checkout of purenet on the path first)

from purenet import squares  # noqa: E402
from purenet.squares import drawing, hilbert  # noqa: E402
from purenet.squares import shapes  # noqa: E402
from purenet.optimizers import Adam  # noqa: E402
from purenet.serialization import load  # noqa: E402

SIZE = 32  # the grid side the detector reads
ORDER = 5  # the Hilbert curve of a 32 x 32 grid: 2**5 = 32
HELD_OUT_SEED = 12345  # the default of purenet.squares.evaluate; training uses --seed (0)
PERMUTATION_SEED = 1
RESOLUTIONS = (32, 64, 128)

VARIANTS = {
    "a": "Hilbert order (default)",
    "b": "row-major",
    "c": f"random permutation (seed {PERMUTATION_SEED})",
    "d": "un-normalised, Hilbert order",
}


# --- reading a grid in three orders ------------------------------------------


def row_major(grid: list[list[float]]) -> list[float]:
    """The grid read row by row, left to right: value ``y * side + x`` is ``grid[y][x]``."""
    return [value for row in grid for value in row]


def random_order(cell_count: int, seed: int) -> list[int]:
    """A fixed permutation of the row-major cell numbers, from a seeded generator."""
    order = list(range(cell_count))
    random.Random(seed).shuffle(order)
    return order


def permuted(grid: list[list[float]], order: list[int]) -> list[float]:
    """The grid read in ``order``: value ``j`` is the row-major cell ``order[j]``."""
    flat = row_major(grid)
    return [flat[cell] for cell in order]


# --- the un-normalised drawing (variant d) -------------------------------------


def rasterize_on_canvas(strokes: list, size: int = SIZE) -> list[list[float]]:
    """Variant d: canvas point ``(x, y)`` lands at ``(x, y) * size / 100`` on the grid.

    No cropping, no scaling to fit, no centring: a small square in a corner
    of the canvas stays small and in the corner. Same pen as the normalised
    drawings (``purenet.drawing.rasterize_unnormalised``).
    """
    return drawing.rasterize_unnormalised(strokes, shapes.CANVAS_SIZE, size)


def largest_difference(first: list, second: list) -> float:
    """max |first - second| over two grids or two flat lists of equal shape."""
    if first and isinstance(first[0], list):
        first, second = row_major(first), row_major(second)
    return max(abs(a - b) for a, b in zip(first, second, strict=True))


def flatten_values(parameter: list) -> list[float]:
    """The numbers of a bias (a list) or of a weight matrix (a list of rows), as one list."""
    return row_major(parameter) if parameter and isinstance(parameter[0], list) else list(parameter)


# --- average pooling, written plainly, for the downsampling check --------------


def average_pool(grid: list[list[float]], factor: int) -> list[list[float]]:
    """Shrink a square grid by averaging each ``factor x factor`` block."""
    side = len(grid) // factor
    return [
        [
            sum(grid[y][x] for y in range(row * factor, (row + 1) * factor)
                for x in range(column * factor, (column + 1) * factor)) / (factor * factor)
            for column in range(side)
        ]
        for row in range(side)
    ]


# --- training and measuring -----------------------------------------------------


def train(
    X: list[list[float]], y: list[int], epochs: int, seed: int, initial_order: list[int] | None = None
) -> tuple:
    """The recipe of ``purenet.squares.train``: same network, seeds, optimiser and defaults.

    ``squares.train(seed=s)`` builds ``build_network(size, hidden,
    random.Random(s))`` and calls ``fit(..., seed=s)`` with Adam at
    ``DEFAULT_LEARNING_RATE`` and the ``DEFAULT_SCHEDULE``; its validation set is only reported, so it
    changes nothing and is left out here. ``initial_order``, when given,
    rearranges the first layer's initial weight columns: column ``j`` takes
    the initial weight of column ``initial_order[j]``.
    Returns the model and the training time in seconds.
    """
    model = squares.build_network(SIZE, squares.DEFAULT_HIDDEN, random.Random(seed))
    if initial_order is not None:
        for row in model.layers[0].weight:
            row[:] = [row[source] for source in initial_order]
    optimizer = Adam(model.parameters(), lr=squares.DEFAULT_LEARNING_RATE)
    schedule = squares.schedule_callbacks(squares.DEFAULT_SCHEDULE, optimizer, epochs)
    start = time.perf_counter()
    model.fit(
        X,
        y,
        optimizer=optimizer,
        epochs=epochs,
        batch_size=squares.DEFAULT_BATCH_SIZE,
        seed=seed,
        verbose=0,
        callbacks=schedule,
    )
    return model, time.perf_counter() - start


def scores(predicted: list[int], kinds: list[str]) -> dict:
    """Accuracy overall and per kind (``purenet.squares.report``'s figures), with a 95% interval."""
    labels = [shapes.KINDS[kind] for kind in kinds]
    correct = [p == label for p, label in zip(predicted, labels, strict=True)]
    accuracy = sum(correct) / len(correct)
    per_kind = {}
    for kind in shapes.KINDS:
        outcomes = [right for right, k in zip(correct, kinds) if k == kind]
        if outcomes:
            per_kind[kind] = sum(outcomes) / len(outcomes)
    return {
        "accuracy": accuracy,
        # Normal approximation of the binomial: how far another held-out set of
        # this size could move the figure, for this same trained model.
        "interval_95": 1.96 * math.sqrt(accuracy * (1 - accuracy) / len(correct)),
        "per_kind": per_kind,
        "samples": len(correct),
    }


def mcnemar(first: list[int], second: list[int], labels: list[int]) -> dict:
    """Compare two models on the same drawings: exact McNemar test.

    Only the drawings on which they disagree count: ``only_first`` right by
    the first model alone, ``only_second`` by the second alone. If the two
    were equally good, each disagreement would go either way with
    probability 1/2; ``p_value`` is the two-sided binomial probability of a
    split at least this uneven.
    """
    only_first = sum(a == t != b for a, b, t in zip(first, second, labels))
    only_second = sum(b == t != a for a, b, t in zip(first, second, labels))
    disagreements = only_first + only_second
    tail = sum(math.comb(disagreements, k) for k in range(min(only_first, only_second) + 1))
    p_value = min(1.0, 2 * tail / 2**disagreements) if disagreements else 1.0
    return {"only_first_right": only_first, "only_second_right": only_second, "p_value": p_value}


def locality(cell_orders: dict[str, list[tuple[int, int]]]) -> dict:
    """How well each reading order keeps neighbouring pixels together.

    For each order (a list of cells ``(x, y)`` in reading order):

    - ``neighbour_steps``: share of consecutive inputs that are 4-neighbours;
    - ``distance_at_gap``: mean and largest grid distance between inputs
      ``i`` and ``i + g`` (nearby in the list -> nearby in the grid?);
    - ``neighbour_index_gap``: mean and largest ``|i - j|`` over all pairs of
      4-neighbour cells (nearby in the grid -> nearby in the list?);
    - ``window_spread_of_16``: mean and largest distance between the two
      farthest cells of 16 consecutive inputs, the patch of the picture
      that a 1-D convolution of width 16 would see (a 4 x 4 block spans 4.2).
    """
    results = {}
    for name, cells in cell_orders.items():
        index_of = {cell: index for index, cell in enumerate(cells)}
        steps = [math.dist(a, b) for a, b in itertools.pairwise(cells)]
        distances = {}
        for gap in (1, 4, 16, 64, 256):
            at_gap = [math.dist(cells[i], cells[i + gap]) for i in range(len(cells) - gap)]
            distances[gap] = {"mean": sum(at_gap) / len(at_gap), "largest": max(at_gap)}
        gaps = [
            abs(index_of[(x, y)] - index_of[(x + dx, y + dy)])
            for x, y in cells
            for dx, dy in ((1, 0), (0, 1))
            if (x + dx, y + dy) in index_of
        ]
        spreads = [
            max(math.dist(a, b) for a, b in itertools.combinations(cells[start : start + 16], 2))
            for start in range(len(cells) - 15)
        ]
        results[name] = {
            "neighbour_steps": sum(step == 1 for step in steps) / len(steps),
            "distance_at_gap": distances,
            "neighbour_index_gap": {"mean": sum(gaps) / len(gaps), "largest": max(gaps)},
            "window_spread_of_16": {"mean": sum(spreads) / len(spreads), "largest": max(spreads)},
        }
    return results


# --- the experiment ------------------------------------------------------------


def run(samples: int, epochs: int, held_out: int, seed: int, quick: bool) -> dict:
    started = time.perf_counter()
    say = print
    say(f"Drawings: {samples} from labelled_drawings(seed={seed}), the first "
        f"{samples - 2 * (samples // 10)} for training (squares.train's split); "
        f"{held_out} held out from labelled_drawings(seed={HELD_OUT_SEED}).")
    labelled = shapes.labelled_drawings(samples, seed=seed)
    training = labelled[: samples - 2 * (samples // 10)]  # squares.train: 80 / 10 / 10
    held_out_pairs = shapes.labelled_drawings(held_out, seed=HELD_OUT_SEED)
    train_labels = [shapes.KINDS[kind] for kind, _ in training]
    test_kinds = [kind for kind, _ in held_out_pairs]
    test_labels = [shapes.KINDS[kind] for kind in test_kinds]

    # Rasterise once; the three orders only move the same values around.
    tick = time.perf_counter()
    # As squares.train: each training drawing turned upright, then by a small tilt from its own stream.
    tilts = squares.training_tilts(seed)
    train_grids = [drawing.rasterize(squares.tilted_drawing(item, tilts), SIZE, upright=False) for _, item in training]
    test_grids = [drawing.rasterize(item, SIZE) for _, item in held_out_pairs]
    train_canvas = [rasterize_on_canvas(item) for _, item in training]
    test_canvas = [rasterize_on_canvas(item) for _, item in held_out_pairs]
    render_seconds = time.perf_counter() - tick

    # The Hilbert reading is exactly what squares.train feeds the network.
    assert [hilbert.flatten(grid) for grid in train_grids[:20]] == squares.tilted_inputs(
        [item for _, item in training[:20]], SIZE, squares.training_tilts(seed)
    )
    order = random_order(SIZE * SIZE, PERMUTATION_SEED)
    readers = {
        "a": (hilbert.flatten, train_grids, test_grids),
        "b": (row_major, train_grids, test_grids),
        "c": (lambda grid: permuted(grid, order), train_grids, test_grids),
        "d": (hilbert.flatten, train_canvas, test_canvas),
    }
    ink_share = {}
    variants = {}
    predictions = {}
    models = {}
    for key, (read, grids, tests) in readers.items():
        X_train = [read(grid) for grid in grids]
        X_test = [read(grid) for grid in tests]
        ink_share[key] = sum(sum(v != drawing.BACKGROUND for v in row) for row in X_train) / (len(X_train) * SIZE**2)
        say(f"training {key}: {VARIANTS[key]} ...", flush=True)
        model, seconds = train(X_train, train_labels, epochs, seed)
        predictions[key] = model.predict(X_test)
        models[key] = model
        variants[key] = {"name": VARIANTS[key], **scores(predictions[key], test_kinds), "train_seconds": seconds}
    for key in "bcd":
        variants[key]["versus_a"] = mcnemar(predictions["a"], predictions[key], test_labels)

    # The twin: inputs in the random order, first-layer weight columns in the same
    # random order, from the same initial weights: the same network, step for step.
    say("twin check: permuted inputs with permuted initial weights ...", flush=True)
    twin_count = min(len(training), 2000)
    hilbert_of_cell = [hilbert.xy_to_index(cell % SIZE, cell // SIZE, ORDER) for cell in range(SIZE * SIZE)]
    column_order = [hilbert_of_cell[cell] for cell in order]  # permuted input j is Hilbert input column_order[j]
    X_twin_hilbert = [hilbert.flatten(grid) for grid in train_grids[:twin_count]]
    X_twin_permuted = [permuted(grid, order) for grid in train_grids[:twin_count]]
    original, _ = train(X_twin_hilbert, train_labels[:twin_count], 1, seed)
    twin, _ = train(X_twin_permuted, train_labels[:twin_count], 1, seed, initial_order=column_order)
    weight_gap = max(
        abs(twin_row[j] - original_row[column_order[j]])
        for twin_row, original_row in zip(twin.layers[0].weight, original.layers[0].weight)
        for j in range(SIZE * SIZE)
    )
    weight_size = max(abs(value) for row in original.layers[0].weight for value in row)
    twin_outputs = twin.forward([permuted(grid, order) for grid in test_grids])
    original_outputs = original.forward([hilbert.flatten(grid) for grid in test_grids])
    twin_result = {
        "training_samples": twin_count,
        "epochs": 1,
        "largest_first_layer_weight_difference": weight_gap,
        "largest_first_layer_weight": weight_size,
        "largest_output_difference": largest_difference(twin_outputs, original_outputs),
        "held_out_predictions_that_differ": sum(
            p != q for p, q in zip(twin.predict([permuted(g, order) for g in test_grids]),
                                    original.predict([hilbert.flatten(g) for g in test_grids]))
        ),
    }

    # Resolution: the model of variant a (what `python -m purenet train squares` trains),
    # and the shipped model if the package has one, through squares.evaluate.
    say("resolution: squares.evaluate at " + ", ".join(f"{s}x{s}" for s in RESOLUTIONS) + " ...", flush=True)
    resolution = {}
    evaluated = {"trained here (variant a)": models["a"]}
    if os.path.exists(squares.SHIPPED_MODEL):
        try:
            evaluated["shipped (purenet/squares/models/square_detector.json)"] = load(squares.SHIPPED_MODEL)
        except (OSError, ValueError) as error:
            resolution["shipped model could not be loaded"] = str(error)
    else:
        resolution["shipped model"] = f"not found at {squares.SHIPPED_MODEL}"
    shipped_name = "shipped (purenet/squares/models/square_detector.json)"
    if shipped_name in evaluated:
        # Same recipe and seed as `python -m purenet train squares`: if the shipped model was
        # trained that way with this code, it is the model of variant a, weight for weight.
        resolution["largest weight difference, variant a vs shipped"] = max(
            (abs(a - b)
             for layer, shipped_layer in zip(models["a"].layers, evaluated[shipped_name].layers)
             for parameter, shipped_parameter in zip(layer.parameters(), shipped_layer.parameters())
             for a, b in zip(flatten_values(parameter), flatten_values(shipped_parameter), strict=True)),
            default=math.inf,
        ) if len(models["a"].layers) == len(evaluated[shipped_name].layers) else math.inf
    for name, model in evaluated.items():
        resolution[name] = {}
        for size in RESOLUTIONS:
            report = squares.evaluate(model, size=size, samples=held_out, seed=HELD_OUT_SEED)
            resolution[name][size] = {
                "accuracy": report["accuracy"],
                "per_kind": report["per_kind"],
                "confusion": report["confusion"],
            }
    # squares.evaluate at 32 must agree with the evaluation above (same drawings, same inputs).
    assert resolution["trained here (variant a)"][32]["accuracy"] == variants["a"]["accuracy"]

    # Pooling identity and closeness of renderings, on real held-out drawings.
    pooling = {}
    checked = [item for _, item in held_out_pairs[: (20 if quick else 100)]]
    for size in RESOLUTIONS[1:]:
        factor = size // SIZE
        identity_gap = 0.0
        means, largest = [], []
        for item in checked:
            grid = drawing.rasterize(item, size)
            shrunk = hilbert.downsample(hilbert.flatten(grid), factor)
            identity_gap = max(identity_gap, largest_difference(shrunk, hilbert.flatten(average_pool(grid, factor))))
            differences = [abs(a - b) for a, b in zip(shrunk, drawing.prepare(item, SIZE))]
            means.append(sum(differences) / len(differences))
            largest.append(max(differences))
        pooling[size] = {
            "factor": factor,
            "drawings": len(checked),
            "downsample_vs_average_pool_largest_difference": identity_gap,
            "shrunk_vs_direct_32_mean_abs_difference": sum(means) / len(means),
            "shrunk_vs_direct_32_largest_difference": max(largest),
        }

    cells_hilbert = [hilbert.index_to_xy(index, ORDER) for index in range(SIZE * SIZE)]
    cells_row_major = [(cell % SIZE, cell // SIZE) for cell in range(SIZE * SIZE)]
    cells_random = [cells_row_major[cell] for cell in order]
    return {
        "settings": {
            "samples": samples,
            "training_samples": len(training),
            "epochs": epochs,
            "hidden": squares.DEFAULT_HIDDEN,
            "batch_size": squares.DEFAULT_BATCH_SIZE,
            "learning_rate": squares.DEFAULT_LEARNING_RATE,
            "optimizer": "adam",
            "seed": seed,
            "held_out": held_out,
            "held_out_seed": HELD_OUT_SEED,
            "permutation_seed": PERMUTATION_SEED,
            "quick": quick,
        },
        "render_seconds": render_seconds,
        "ink_share_of_training_inputs": ink_share,
        "variants": variants,
        "twin": twin_result,
        "resolution": resolution,
        "pooling": pooling,
        "locality": locality({"hilbert": cells_hilbert, "row-major": cells_row_major, "random": cells_random}),
        "total_seconds": time.perf_counter() - started,
    }


# --- printing --------------------------------------------------------------------


def percent(value: float) -> str:
    return f"{100 * value:.2f}%"


def print_results(results: dict) -> None:
    variants = results["variants"]
    settings = results["settings"]
    print()
    print(f"Held-out accuracy on {settings['held_out']} fresh drawings (seed {settings['held_out_seed']}); "
          f"trained on {settings['training_samples']} drawings, {settings['epochs']} epochs, seed {settings['seed']}")
    rows = []
    for key, result in variants.items():
        versus = result.get("versus_a")
        rows.append([
            f"{key}. {result['name']}",
            percent(result["accuracy"]),
            f"+/-{100 * result['interval_95']:.2f}",
            f"{versus['only_first_right']}/{versus['only_second_right']}" if versus else "-",
            f"{versus['p_value']:.3g}" if versus else "-",
            f"{result['train_seconds']:.0f}",
        ])
    print(common.format_table(
        ["variant", "accuracy", "95% (pp)", "a only/this only", "McNemar p", "train s"], rows))
    print()
    print("Per kind (share of the drawings of that kind classified correctly):")
    kinds = list(shapes.KINDS)
    rows = [[kind] + [percent(variants[key]["per_kind"].get(kind, float("nan"))) for key in variants]
            for kind in kinds]
    print(common.format_table(["kind"] + [f"{key}" for key in variants], rows))

    twin = results["twin"]
    print()
    print(f"Twin check ({twin['training_samples']} drawings, {twin['epochs']} epoch): permuted inputs with the first "
          f"layer's initial weight columns permuted alike vs variant a's setup:\n"
          f"  largest first-layer weight difference {twin['largest_first_layer_weight_difference']:.3g} "
          f"(weights up to {twin['largest_first_layer_weight']:.3g}); largest output difference "
          f"{twin['largest_output_difference']:.3g}; held-out predictions that differ: "
          f"{twin['held_out_predictions_that_differ']}")

    print()
    print("Resolution: squares.evaluate(model, size=...) on the same held-out drawings")
    rows = []
    for name, by_size in results["resolution"].items():
        if not isinstance(by_size, dict):
            print(f"  {name}: {by_size:.3g}" if isinstance(by_size, float) else f"  {name}: {by_size}")
            continue
        rows.append([name] + [percent(by_size[size]["accuracy"]) for size in RESOLUTIONS])
    print(common.format_table(["model"] + [f"{s}x{s}" for s in RESOLUTIONS], rows))
    trained = results["resolution"]["trained here (variant a)"]
    rows = [[kind] + [percent(trained[size]["per_kind"][kind]) for size in RESOLUTIONS] for kind in kinds]
    print(common.format_table(["kind (variant a)"] + [f"{s}x{s}" for s in RESOLUTIONS], rows))

    print()
    print("Pooling on real drawings: downsample(flatten(grid), f) vs flatten(average_pool(grid, f)), and the "
          "shrunk rendering vs the 32x32 rendering")
    rows = [[f"{size}x{size} / {p['factor']}", str(p["drawings"]),
             f"{p['downsample_vs_average_pool_largest_difference']:.3g}",
             f"{p['shrunk_vs_direct_32_mean_abs_difference']:.4f}",
             f"{p['shrunk_vs_direct_32_largest_difference']:.3f}"]
            for size, p in results["pooling"].items()]
    print(common.format_table(["rendering", "drawings", "identity: largest diff", "vs 32: mean |diff|",
                               "vs 32: largest"], rows))

    print()
    print("Locality of the three reading orders on a 32x32 grid")
    rows = []
    for name, figures in results["locality"].items():
        distances = figures["distance_at_gap"]
        rows.append([
            name,
            percent(figures["neighbour_steps"]),
            *(f"{distances[gap]['mean']:.1f} / {distances[gap]['largest']:.1f}" for gap in (1, 4, 16, 64)),
            f"{figures['neighbour_index_gap']['mean']:.0f} / {figures['neighbour_index_gap']['largest']}",
            f"{figures['window_spread_of_16']['mean']:.1f} / {figures['window_spread_of_16']['largest']:.1f}",
        ])
    print(common.format_table(
        ["order", "steps to a neighbour", "dist gap 1 (mean/max)", "gap 4", "gap 16", "gap 64",
         "index gap of neighbours (mean/max)", "spread of 16 in a row (mean/max)"], rows))
    print()
    print("Ink (non-background inputs) per training drawing: "
          + ", ".join(f"{key} {percent(share)}" for key, share in results["ink_share_of_training_inputs"].items()))
    print(f"Total time {results['total_seconds']:.0f} s (rasterising {results['render_seconds']:.0f} s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true",
                        help="a short run (1000 drawings, 2 epochs, 500 held out) to check that everything works")
    parser.add_argument("--seed", type=int, default=0, help="training seed (default 0, as squares.train)")
    parser.add_argument("--output", help="where to write the JSON (default benchmarks/results/...)")
    arguments = parser.parse_args(argv)
    if arguments.quick:
        samples, epochs, held_out = 1000, 2, 500
    else:
        samples, epochs, held_out = squares.DEFAULT_SAMPLES, squares.DEFAULT_EPOCHS, 2000
    machine = common.machine_description()
    print(common.describe_machine_briefly(machine).splitlines()[0])
    print("command: python " + " ".join([os.path.relpath(__file__)] + (argv if argv is not None else sys.argv[1:])))
    results = run(samples, epochs, held_out, arguments.seed, arguments.quick)
    print_results(results)
    results["machine"] = machine
    results["command"] = " ".join(["python", "benchmarks/square_experiments.py"]
                                  + (argv if argv is not None else sys.argv[1:]))
    path = common.write_results("square_experiments", results, arguments.output)
    print(f"results written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
