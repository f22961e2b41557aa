"""Every picture of docs/images/ that a script draws, and the figures of docs/generalisation.md, in one command.

    python docs/pictures.py              # writes docs/images/*.svg and prints the measured figures
    python docs/pictures.py --out DIR    # writes the pictures to DIR instead

Each picture is drawn by purenet's own plotting (``purenet.plot``) from a
seeded, short training run, so the same command writes the same bytes on
Python 3.10 to 3.13: coordinates are written with two decimals, colours as
whole numbers, and the small differences in the last bits of a float that
``math.sumprod`` (Python 3.12 and later) makes never reach them.
tests/test_pictures.py runs this script's ``build`` into a temporary folder
and checks that every picture is the one committed, and that every number on
docs/generalisation.md is the number measured here.

The other files of docs/images/ are made elsewhere (``OTHER_PICTURES``):
spiral-overfitting.svg by benchmarks/watching_figures.py (200 epochs of a
2 -> 64 -> 64 -> 3 network, too long for a test), graph-neuron.svg by
tests/test_autograd_drawing.py, and demo.png is a screenshot of the web demo.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
if str(REPOSITORY) not in sys.path:
    sys.path.insert(0, str(REPOSITORY))  # run from a clone without installing

import purenet as pn  # noqa: E402
from purenet import plot  # noqa: E402
from purenet.atomic import write_atomically  # noqa: E402
from purenet.datasets import spiral, xor  # noqa: E402
from purenet.plot.charts import draw_line_chart  # noqa: E402
from purenet.plot.svg import document, element, text_element  # noqa: E402
from purenet.squares import hilbert  # noqa: E402
from purenet.training import split_validation  # noqa: E402

IMAGES = REPOSITORY / "docs" / "images"
# The pictures of docs/images/ drawn elsewhere, and what draws them.
OTHER_PICTURES = {
    "spiral-overfitting.svg": "benchmarks/watching_figures.py",  # 200 epochs of a wider network: minutes, not seconds
    "demo.png": "a screenshot of the web demo (python -m purenet demo)",
    "graph-neuron.svg": "tests/test_autograd_drawing.py",  # autograd's draw(), checked by that test
}
SQUARE_DETECTOR = REPOSITORY / "purenet" / "squares" / "models" / "square_detector.json"

# The spiral of examples/spiral.py: 100 points per class (noise 0.2), 20% held out for validation,
# 2 -> 64 -> 3 ReLU, Adam 0.01, batches of 32, 100 epochs; 300 fresh points (seed 1) measured at the end.
SPIRAL_EPOCHS, SPIRAL_HIDDEN = 100, 64

# The overfitting experiment of docs/generalisation.md: few noisy points, a wide network, a large learning rate.
SMALL_POINTS, SMALL_NOISE, SMALL_HIDDEN = 10, 0.4, 64
SMALL_EPOCHS, SMALL_BATCH, SMALL_LR = 150, 5, 0.03
WEIGHT_DECAY, PATIENCE = 0.1, 20
RUN_NAMES = {
    "plain": "no regularisation",
    "weight decay": f"weight decay {WEIGHT_DECAY} (AdamW)",
    "early stopping": f"early stopping (patience {PATIENCE})",
}


# --- the networks the pictures show ------------------------------------------------------------------------------


def train_xor() -> pn.Sequential:
    """examples/xor.py's network: 2 -> 8 -> 2 with tanh, Xavier initialisation, Adam 0.05, 300 epochs."""
    X, y = xor()
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(2, 8, init="xavier", rng=rng), pn.Tanh(), pn.Dense(8, 2, init="xavier", rng=rng))
    model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.05), epochs=300, batch_size=4, verbose=0)
    return model


def train_spiral() -> dict:
    """examples/spiral.py, measured: its history, its model, and what the gap between the two losses is made of."""
    X_train, y_train = spiral(points_per_class=100, classes=3, seed=0)
    X_test, y_test = spiral(points_per_class=100, classes=3, seed=1)
    rng = random.Random(0)
    model = pn.Sequential(pn.Dense(2, SPIRAL_HIDDEN, rng=rng), pn.ReLU(), pn.Dense(SPIRAL_HIDDEN, 3, rng=rng))
    history = model.fit(
        X_train,
        y_train,
        loss=pn.SoftmaxCrossEntropy(),
        optimizer=pn.Adam(model.parameters(), lr=0.01),
        epochs=SPIRAL_EPOCHS,
        batch_size=32,
        validation=0.2,
        seed=0,
        verbose=0,
    )
    # the 240 points fit trained on and the 60 it held out: its own split, with the generator seeded as fit seeds it
    X_fit, y_fit, (X_validation, y_validation) = split_validation(X_train, y_train, 0.2, random.Random(0))
    # each validation point's loss, -log p(true class): the validation loss is their mean
    point_losses = [
        -math.log(probabilities[label]) for probabilities, label in zip(model.predict_proba(X_validation), y_validation)
    ]
    worst = max(range(len(point_losses)), key=point_losses.__getitem__)
    worst_answer = model.predict([X_validation[worst]])[0]
    best = min(range(SPIRAL_EPOCHS), key=history["val_loss"].__getitem__)
    fresh = model.evaluate(X_test, y_test)
    # where the fresh points it gets wrong lie: their distance from the centre, where all three arms start
    wrong = [
        math.hypot(*point) for point, label, answer in zip(X_test, y_test, model.predict(X_test)) if answer != label
    ]
    late = history["val_loss"][SPIRAL_EPOCHS - 40 :]
    figures = {
        "training loss": history["loss"][-1],
        "validation loss": history["val_loss"][-1],
        "training accuracy": history["accuracy"][-1],
        "validation accuracy": history["val_accuracy"][-1],
        "validation points": len(X_validation),
        "validation errors": round(len(X_validation) * (1 - history["val_accuracy"][-1])),
        "lowest validation loss": history["val_loss"][best],
        "lowest validation epoch": best + 1,
        "training loss at epoch 60": history["loss"][SPIRAL_EPOCHS - 41],
        "lowest validation loss of the last 40 epochs": min(late),
        "highest validation loss of the last 40 epochs": max(late),
        "training loss after training": model.evaluate(X_fit, y_fit)["loss"],
        "worst point class": y_validation[worst],
        "worst point answer": worst_answer,
        "worst point distance from the centre": math.hypot(*X_validation[worst]),
        "worst point loss": point_losses[worst],
        "worst point probability": math.exp(-point_losses[worst]),
        "worst point share": point_losses[worst] / len(point_losses),
        "validation loss without it": (sum(point_losses) - point_losses[worst]) / (len(point_losses) - 1),
        "fresh loss": fresh["loss"],
        "fresh accuracy": fresh["accuracy"],
        "fresh errors": round(len(X_test) * (1 - fresh["accuracy"])),
        "fresh errors at the centre": sum(distance < 0.05 for distance in wrong),
        "fresh errors farther than 0.9 from it": sum(distance > 0.9 for distance in wrong),
    }
    return {"model": model, "history": history, "X_test": X_test, "y_test": y_test, "figures": figures}


def small_spiral_runs() -> dict:
    """Three runs on 30 noisy points: plain, with weight decay, with early stopping; each measured on fresh points.

    The runs start from the same weights and see the batches in the same order, so the early-stopping run is the
    plain run, stopped. Validation (60 points, seed 1) is watched after every epoch; the test points (300, seed 2)
    are measured once, at the end, because early stopping chose its epoch by the validation points.
    """
    X, y = spiral(points_per_class=SMALL_POINTS, noise=SMALL_NOISE, seed=0)
    X_validation, y_validation = spiral(points_per_class=20, noise=SMALL_NOISE, seed=1)
    X_test, y_test = spiral(points_per_class=100, noise=SMALL_NOISE, seed=2)
    runs = {}
    for name in RUN_NAMES:
        rng = random.Random(0)
        model = pn.Sequential(pn.Dense(2, SMALL_HIDDEN, rng=rng), pn.ReLU(), pn.Dense(SMALL_HIDDEN, 3, rng=rng))
        if name == "weight decay":
            optimizer = pn.AdamW(model.parameters(), lr=SMALL_LR, weight_decay=WEIGHT_DECAY)
        else:
            optimizer = pn.Adam(model.parameters(), lr=SMALL_LR)
        stopper = pn.EarlyStopping(monitor="val_loss", patience=PATIENCE) if name == "early stopping" else None
        history = model.fit(
            X,
            y,
            optimizer=optimizer,
            epochs=SMALL_EPOCHS,
            batch_size=SMALL_BATCH,
            seed=0,
            validation=(X_validation, y_validation),
            verbose=0,
            callbacks=[stopper] if stopper else [],
        )
        test = model.evaluate(X_test, y_test)
        best = min(range(len(history["val_loss"])), key=history["val_loss"].__getitem__)
        runs[name] = {
            "history": history,
            "epochs": len(history["loss"]),
            "kept epoch": stopper.best_epoch if stopper else len(history["loss"]),
            "lowest validation epoch": best + 1,
            "lowest validation loss": history["val_loss"][best],
            # the weights kept: the last epoch's, or (early stopping) the best epoch's
            "training loss": model.evaluate(X, y)["loss"],
            "validation loss": model.evaluate(X_validation, y_validation)["loss"],
            "test loss": test["loss"],
            "test accuracy": test["accuracy"],
            "test errors": round(len(X_test) * (1 - test["accuracy"])),
            "parameters": sum(parameter.size() for parameter in model.parameters()),
            "largest weight": max(
                abs(value) for layer in (0, 2) for row in model.layers[layer].weight for value in row
            ),
        }
    return runs


# --- the pictures --------------------------------------------------------------------------------------------------


def panels(charts: list[tuple[list[str], int, int]], columns: int, title: str) -> str:
    """Chart bodies (each with its width and height) side by side, ``columns`` to a row, under one title."""
    width = sum(chart[1] for chart in charts[:columns])
    rows = [charts[start : start + columns] for start in range(0, len(charts), columns)]
    body = [text_element(width / 2, 18, title, "middle", 14, fill="#222222", **{"font-weight": "bold"})]
    top = 28.0  # below the title
    for row in rows:
        left = 0.0
        for chart_body, chart_width, chart_height in row:
            attributes = {"x": left, "y": top, "width": float(chart_width), "height": float(chart_height)}
            body.append(element("svg", {**attributes, "class": "panel"}, "".join(chart_body)))
            left += chart_width
        top += max(chart[2] for chart in row)
    return document(width, top, body, title)


def activation_curves() -> str:
    """ReLU, LeakyReLU, sigmoid and tanh (solid) and their derivatives (dashed), from -4 to 4, by purenet's layers.

    The values come from each layer's ``forward`` and the slopes from its ``derivative(x, y)``, the per-value
    reference the docs derive (docs/activations.md). ReLU's and LeakyReLU's slopes jump at 0, where the line is cut.
    """
    xs = [step / 10 for step in range(-40, 41)]
    layers = {
        "ReLU": pn.ReLU(),
        "LeakyReLU (alpha 0.1)": pn.LeakyReLU(alpha=0.1),
        "sigmoid": pn.Sigmoid(),
        "tanh": pn.Tanh(),
    }
    charts = []
    for name, layer in layers.items():
        values = layer.forward([xs])[0]
        slopes: list[float | None] = [layer.derivative(x, value) for x, value in zip(xs, values)]
        if name.startswith(("ReLU", "LeakyReLU")):
            slopes[xs.index(0.0)] = None  # the slope jumps from alpha to 1: a gap, not a steep line
        series = {f"{name.split()[0]}(x)": values, "slope": slopes}
        body = draw_line_chart(
            series, xs, 360, 260, name, "x", "", False, False, (-1.0, 1.0), {"slope"}, f"activation {name}"
        )
        charts.append((body, 360, 260))
    return panels(charts, 2, "activation functions (solid) and their derivatives (dashed)")


def regularisation_curves(runs: dict) -> str:
    """Training and validation loss per epoch of the three runs on 30 points, one panel each."""
    names = dict(RUN_NAMES)
    stopped = runs["early stopping"]
    names["early stopping"] += f": stopped at {stopped['epochs']}, kept {stopped['kept epoch']}"
    charts = []
    for key, heading in (("loss", "training loss"), ("val_loss", "validation loss (60 fresh points)")):
        series = {
            names[name]: run["history"][key] + [None] * (SMALL_EPOCHS - run["epochs"]) for name, run in runs.items()
        }
        x = [float(epoch) for epoch in range(1, SMALL_EPOCHS + 1)]
        body = draw_line_chart(
            series, x, 440, 320, heading, "epoch", "loss", False, False, (0.0, 1.0), {names["early stopping"]}, key
        )
        charts.append((body, 440, 320))
    return panels(charts, 2, "30 noisy spiral points, 2 -> 64 -> 3: what weight decay and early stopping change")


def square_detector_weights() -> str:
    """The shipped square detector's 32 first-layer units, each one's 1024 weights put back on the 32 x 32 grid."""
    model = pn.load(SQUARE_DETECTOR)
    first = model.layers[0]
    images = [hilbert.unflatten(list(row)) for row in first.weight]  # the inputs are read along the Hilbert curve
    labels = [f"unit {index}" for index in range(len(images))]
    return plot.image_grid(
        images,
        8,
        labels,
        colour_map="diverging",
        scale=3,
        title="the square detector's first layer: each unit's 1024 weights on the 32 x 32 grid",
    )


def build() -> tuple[dict[str, str], dict]:
    """Every picture as ``{file name: SVG text}``, and the figures docs/generalisation.md quotes."""
    xor_model = train_xor()
    spiral_run = train_spiral()
    small_runs = small_spiral_runs()
    X_xor, y_xor = xor()
    pictures = {
        "network-spiral.svg": plot.network_diagram(
            [2, SPIRAL_HIDDEN, 3],
            layer_labels=["inputs: a point", "hidden: Dense, then ReLU", "outputs: Dense (logits)"],
            unit_labels=[["x1", "x2"], None, ["class 0", "class 1", "class 2"]],
            title="the spiral's network, 2 -> 64 -> 3",
        ),
        "network-xor.svg": plot.network_diagram(
            [2, 8, 2],
            layer_labels=["inputs", "hidden: Dense, then tanh", "outputs: Dense (logits)"],
            unit_labels=[["x1", "x2"], None, ["class 0", "class 1"]],
            weights=[xor_model.layers[0].weight, xor_model.layers[2].weight],
            title="XOR's network after training: red weights positive, blue negative",
        ),
        "activations.svg": activation_curves(),
        "spiral-loss.svg": plot.history(
            spiral_run["history"], title="examples/spiral.py: training (solid) and validation (dashed) per epoch"
        ),
        "regions-xor.svg": plot.decision_regions(
            xor_model, X_xor, y_xor, resolution=60, class_names=["0: x1 = x2", "1: x1 != x2"], title="XOR"
        ),
        "regions-spiral.svg": plot.decision_regions(
            spiral_run["model"],
            spiral_run["X_test"],
            spiral_run["y_test"],
            resolution=60,
            class_names=["class 0", "class 1", "class 2"],
            title="the spiral, with 300 fresh points",
        ),
        "regularisation.svg": regularisation_curves(small_runs),
        "square-detector-weights.svg": square_detector_weights(),
    }
    figures = {
        "spiral": spiral_run["figures"],
        "runs": {
            name: {key: value for key, value in run.items() if key != "history"} for name, run in small_runs.items()
        },
        "histories": {name: run["history"] for name, run in small_runs.items()},
    }
    return pictures, figures


def report(figures: dict) -> str:
    """Every figure docs/generalisation.md quotes, one a line."""

    def line(name: str, value: object) -> str:
        return f"    {name:<48} {value:.4f}" if isinstance(value, float) else f"    {name:<48} {value}"

    lines = ["examples/spiral.py:"] + [line(name, value) for name, value in figures["spiral"].items()]
    for run_name, run in figures["runs"].items():
        lines.append(f"30 noisy points, 2 -> 64 -> 3, {RUN_NAMES[run_name]}:")
        lines += [line(name, value) for name, value in run.items()]
    return "\n".join(lines)


def write_pictures(pictures: dict[str, str], folder: Path) -> None:
    """Write each picture to ``folder`` atomically: a reader never sees half a file, even if this is interrupted."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, svg in pictures.items():
        write_atomically(folder / name, svg)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Draw every picture of docs/images/ and print the measured figures.")
    parser.add_argument("--out", type=Path, default=IMAGES, help="the folder to write to (default: docs/images)")
    arguments = parser.parse_args(argv)
    pictures, figures = build()
    write_pictures(pictures, arguments.out)
    for name in pictures:
        print(f"wrote {arguments.out / name}")
    print(report(figures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
