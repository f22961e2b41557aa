"""Probe a square detector: p(square) along one trait at a time, and its calibration.

Run from the repository root:

    python benchmarks/square_probe.py                       # the shipped model, 200 drawings per point
    python benchmarks/square_probe.py --model MODEL.json --drawings 50 --json

Sweeps. ``shapes.draw_square`` draws a square with one trait set (aspect
ratio, corner rounding, closure gap, overshoot, skew, taper, bow, tilt,
number of points, number of strokes, lines of shading) and every other trait drawn the way
people draw (purenet/squares/hand.py); one more sweep adds a stray mark
beside a square drawn as people draw it, ever further away, to show what
the crop to the bounding box does when the box holds more than the square.
For each value of the trait, the
probe draws ``--drawings`` squares, all from the same seed (so that the
values of one sweep are compared on drawings as alike as the trait
allows), and reports the mean p(square) and the share called square
(p > 0.5). A curve that falls where people still draw squares shows
where the model is brittle.

Calibration. On ``--held-out`` fresh drawings from ``shapes.labelled_drawings``
(seed ``--held-out-seed``, never the training seed 0), the predicted
p(square) is binned into ten bins of width 0.1; per bin, the mean
predicted probability is set beside the observed share of squares (a
reliability table), and the expected calibration error is

    ECE = sum over bins b of (n_b / N) * | share of squares in b - mean p(square) in b |

Results: text tables on stdout; ``--json [PATH]`` also writes them as JSON
(by default to benchmarks/results/square_probe-python<X.Y>-<date>.json).
Explained in docs/squares.md, section 9.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import random
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))  # for `common`, whatever the working folder

import common  # noqa: E402  (puts this checkout of purenet on the path first)

from purenet.serialization import load  # noqa: E402
from purenet.squares import drawing, recipe, shapes  # noqa: E402

Drawing = list
ProbabilityOfSquare = Callable[[list[Drawing]], list[float]]

SWEEPS: dict[str, tuple] = {
    "aspect": (1.0, 1.1, 1.2, 1.3, 1.4, 1.5, 1.6, 1.7, 1.8, 2.0, 2.5, 3.0),
    "corner_rounding": (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5),
    "closure_gap": (0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5),
    "overshoot": (0.0, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5),
    "skew": (0.0, 0.1, 0.2, 0.3, 0.4, 0.5),
    "taper": (-0.4, -0.2, 0.0, 0.2, 0.4),
    "bow": (-0.2, -0.1, -0.05, 0.0, 0.05, 0.1, 0.2),
    "tilt": (0.0, 5.0, 10.0, 15.0, 20.0, 30.0, 45.0),
    "points": (4, 5, 6, 8, 10, 12, 16, 20, 30, 40),
    "strokes": (1, 2, 3, 4, 5, 6, 8),
    "shading": (0, 1, 2, 3, 4, 6, 8),
}
"""Each trait of ``shapes.draw_square`` the probe sweeps, and the values it tries."""

STRAY_MARK_DISTANCES = (0.0, 0.05, 0.1, 0.15, 0.2, 0.3)
"""How far beyond a corner of the square the stray mark lies, as a fraction of the square's size."""

STRAY_MARK_LENGTH = 0.01
"""The stray mark's length, as a fraction of the square's size: a dot, as a pen leaves when it touches down."""

BINS = 10


def model_probability(model) -> ProbabilityOfSquare:
    """p(square) of ``model`` (a network ending in two logits) for each drawing, read at the model's grid side."""
    side = recipe.model_size(model)
    upright = recipe.reads_upright(model)

    def probability(drawings: list[Drawing]) -> list[float]:
        return [row[1] for row in model.predict_proba([drawing.prepare(item, side, upright) for item in drawings])]

    return probability


def sweep(probability: ProbabilityOfSquare, trait: str, values: Sequence, drawings: int, seed: int) -> list[dict]:
    """p(square) along one trait: for each value, the mean and the share above 0.5 over ``drawings`` squares.

    Every value's squares come from ``random.Random(seed)``, so the
    values are compared on drawings that differ only where the trait
    changes the random draws.
    """
    rows = []
    for value in values:
        rng = random.Random(seed)
        squares = [shapes.draw_square(rng, **{trait: value}) for _ in range(drawings)]
        rows.append(_row(value, probability(squares)))
    return rows


def with_stray_mark(square: Drawing, distance: float, rng: random.Random) -> Drawing:
    """``square`` and a dot ``distance`` times its size beyond one corner of its bounding box, diagonally out.

    The corner is drawn from ``rng``. The dot is a stroke of
    :data:`STRAY_MARK_LENGTH` pointing back at the corner, so the drawing's
    bounding box grows by exactly ``distance`` times the size in both
    directions (the size is the box's longer side).
    """
    xs = [x for stroke in square for x, _ in stroke]
    ys = [y for stroke in square for _, y in stroke]
    size = max(max(xs) - min(xs), max(ys) - min(ys))
    sign_x, sign_y = rng.choice((-1.0, 1.0)), rng.choice((-1.0, 1.0))
    corner = (max(xs) if sign_x > 0 else min(xs), max(ys) if sign_y > 0 else min(ys))
    dot = (corner[0] + sign_x * distance * size, corner[1] + sign_y * distance * size)
    back = (dot[0] - sign_x * STRAY_MARK_LENGTH * size, dot[1] - sign_y * STRAY_MARK_LENGTH * size)
    return [*square, [dot, back]]


def stray_mark_sweep(probability: ProbabilityOfSquare, distances: Sequence, drawings: int, seed: int) -> list[dict]:
    """p(square) for squares drawn as people draw them, each with a dot ever further away (:func:`with_stray_mark`).

    Rows as :func:`sweep` gives them; every distance's squares and corners
    come from ``random.Random(seed)``.
    """
    rows = []
    for distance in distances:
        rng = random.Random(seed)
        marked = [with_stray_mark(shapes.draw_square(rng), distance, rng) for _ in range(drawings)]
        rows.append(_row(distance, probability(marked)))
    return rows


def _row(value: float, probabilities: list[float]) -> dict:
    return {
        "value": value,
        "mean_p_square": sum(probabilities) / len(probabilities),
        "called_square": sum(p > 0.5 for p in probabilities) / len(probabilities),
        "drawings": len(probabilities),
    }


def calibration(probabilities: Sequence[float], labels: Sequence[int], bins: int = BINS) -> dict:
    """Reliability table and expected calibration error of predicted p(square) against labels (1 = square).

    Bin ``b`` holds the predictions in ``[b / bins, (b + 1) / bins)`` (the
    last bin includes 1). Returns ``{"bins": [{"low", "high", "count",
    "mean_predicted", "observed"}], "ece", "count"}``; an empty bin has
    ``None`` for its mean and observed share, and adds nothing to the ECE.
    """
    if len(probabilities) != len(labels) or not labels:
        raise ValueError(
            f"calibration: probabilities and labels must be equally long and not empty, "
            f"got {len(probabilities)} and {len(labels)}"
        )
    table = []
    error = 0.0
    for index in range(bins):
        low, high = index / bins, (index + 1) / bins
        members = [
            (p, label)
            for p, label in zip(probabilities, labels)
            if low <= p < high or (index == bins - 1 and p == 1.0)
        ]
        if members:
            mean_predicted = sum(p for p, _ in members) / len(members)
            observed = sum(label for _, label in members) / len(members)
            error += len(members) / len(labels) * abs(observed - mean_predicted)
        else:
            mean_predicted = observed = None
        table.append(
            {"low": low, "high": high, "count": len(members), "mean_predicted": mean_predicted, "observed": observed}
        )
    return {"bins": table, "ece": error, "count": len(labels)}


def probe(probability: ProbabilityOfSquare, drawings: int, held_out: int, seed: int, held_out_seed: int) -> dict:
    """Every sweep of :data:`SWEEPS`, the stray-mark sweep, and the calibration on ``held_out`` fresh labelled drawings."""
    sweeps = {trait: sweep(probability, trait, values, drawings, seed) for trait, values in SWEEPS.items()}
    sweeps["stray_mark"] = stray_mark_sweep(probability, STRAY_MARK_DISTANCES, drawings, seed)
    labelled = shapes.labelled_drawings(held_out, seed=held_out_seed)
    probabilities = probability([item for _, item in labelled])
    labels = [shapes.KINDS[kind] for kind, _ in labelled]
    return {
        "sweeps": sweeps,
        "calibration": calibration(probabilities, labels),
        "drawings_per_point": drawings,
        "seed": seed,
        "held_out": held_out,
        "held_out_seed": held_out_seed,
    }


def format_results(results: dict) -> str:
    """The sweeps and the reliability table as text tables."""
    parts = []
    for trait, rows in results["sweeps"].items():
        parts.append(f"{trait} ({rows[0]['drawings']} squares per value, seed {results['seed']})")
        parts.append(
            common.format_table(
                [trait, "mean p(square)", "called square"],
                [[_value_text(row["value"]), f"{row['mean_p_square']:.3f}", f"{row['called_square']:.1%}"] for row in rows],
            )
        )
        parts.append("")
    calibration_result = results["calibration"]
    parts.append(
        f"calibration on {calibration_result['count']} fresh drawings "
        f"(labelled_drawings({results['held_out']}, seed={results['held_out_seed']}))"
    )
    parts.append(
        common.format_table(
            ["predicted p(square)", "drawings", "mean predicted", "observed share of squares"],
            [
                [
                    f"{row['low']:.1f}-{row['high']:.1f}",
                    row["count"],
                    "-" if row["mean_predicted"] is None else f"{row['mean_predicted']:.3f}",
                    "-" if row["observed"] is None else f"{row['observed']:.3f}",
                ]
                for row in calibration_result["bins"]
            ],
        )
    )
    parts.append(f"expected calibration error: {calibration_result['ece']:.4f}")
    return "\n".join(parts)


def _value_text(value: float) -> str:
    return str(value) if isinstance(value, int) else f"{value:g}"


def write_json(results: dict, path: Path) -> Path:
    """Write ``results`` as JSON to ``path`` atomically: a temporary file beside it, then renamed over it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            json.dump(results, file, indent=2)
            file.write("\n")
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise
    return path


def main(arguments: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=recipe.SHIPPED_MODEL, help="a saved model (default: the shipped detector)")
    parser.add_argument("--drawings", type=int, default=200, help="squares per value of each sweep (default 200)")
    parser.add_argument("--held-out", type=int, default=2000, help="fresh drawings for the calibration (default 2000)")
    parser.add_argument("--seed", type=int, default=7, help="seed of the sweeps' squares (default 7)")
    parser.add_argument("--held-out-seed", type=int, default=12345, help="seed of the calibration drawings (default 12345)")
    parser.add_argument("--json", nargs="?", const="", metavar="PATH",
                        help="also write the results as JSON (default path: benchmarks/results/square_probe-...json)")
    options = parser.parse_args(arguments)
    for name in ("drawings", "held_out"):
        if getattr(options, name) < 1:
            parser.error(f"--{name.replace('_', '-')} must be at least 1, got {getattr(options, name)}")
    model = load(options.model)
    results = probe(model_probability(model), options.drawings, options.held_out, options.seed, options.held_out_seed)
    results["model"] = options.model
    results["machine"] = common.machine_description()
    print(common.describe_machine_briefly(results["machine"]))
    print(f"model: {options.model}")
    print(format_results(results))
    if options.json is not None:
        if options.json:
            path = Path(options.json)
        else:
            stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
            version = f"{sys.version_info.major}.{sys.version_info.minor}"
            path = common.RESULTS_FOLDER / f"square_probe-python{version}-{stamp}.json"
        print(f"wrote {write_json(results, path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
