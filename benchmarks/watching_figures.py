"""The figures of docs/watching.md and the README's picture of a report's curves, measured.

    python benchmarks/watching_figures.py      # a few minutes on a busy machine

Trains a wide network (2 -> 64 -> 64 -> 3, ReLU, Adam 0.01, batch 10) on a
small spiral (15 points per class, noise 0.3, seed 0) for 200 epochs,
measuring on 300 fresh points (seed 1) after every epoch, and prints where
the validation loss was lowest and where it ended. Writes the curves, as a
run report draws them (``purenet.plot.history``), to
docs/images/spiral-overfitting.svg.
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))

import purenet as pn  # noqa: E402
from purenet import plot  # noqa: E402
from purenet.datasets import spiral  # noqa: E402

IMAGE = REPOSITORY / "docs" / "images" / "spiral-overfitting.svg"
POINTS, NOISE, HIDDEN, EPOCHS = 15, 0.3, 64, 200


def main() -> int:
    X, y = spiral(points_per_class=POINTS, noise=NOISE, seed=0)
    X_validation, y_validation = spiral(points_per_class=100, noise=NOISE, seed=1)
    rng = random.Random(0)
    model = pn.Sequential(
        pn.Dense(2, HIDDEN, rng=rng), pn.ReLU(),
        pn.Dense(HIDDEN, HIDDEN, rng=rng), pn.ReLU(),
        pn.Dense(HIDDEN, 3, rng=rng),
    )
    history = model.fit(
        X, y, optimizer=pn.Adam(model.parameters(), lr=0.01), epochs=EPOCHS, batch_size=10, seed=0,
        validation=(X_validation, y_validation), verbose=0,
    )
    best = min(range(EPOCHS), key=history["val_loss"].__getitem__)
    print(f"spiral, {3 * POINTS} training points, 2 -> {HIDDEN} -> {HIDDEN} -> 3, {EPOCHS} epochs:")
    for label, epoch in (("epoch 10", 9), (f"lowest validation loss, epoch {best + 1}", best), ("end", EPOCHS - 1)):
        print(
            f"  {label:<36} loss {history['loss'][epoch]:.3f}  val_loss {history['val_loss'][epoch]:.3f}  "
            f"accuracy {history['accuracy'][epoch]:.3f}  val_accuracy {history['val_accuracy'][epoch]:.3f}"
        )
    chart = plot.history(history, title=f"spiral, {3 * POINTS} training points, 2 -> 64 -> 64 -> 3: overfitting")
    IMAGE.write_text(chart, encoding="utf-8")
    print(f"wrote {IMAGE.relative_to(REPOSITORY)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
