"""The spiral's validation gap, and how dropout and early stopping close it (the exercise of docs/regularisation.md).

A 2 -> 64 -> 64 -> 3 network is trained on 40 noisy spiral points per class,
watched on 100 validation points per class (another seed: early stopping reads
them) and measured on 200 test points per class (a third seed), four ways:
plain, with Dropout(0.3) after each hidden layer, with EarlyStopping on the
held-out loss, and with both. Prints the final training and held-out
and test accuracy and loss of each, and the gap between them.

    python benchmarks/regularisation.py [--epochs 300]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run from anywhere without installing

import purenet as pn  # noqa: E402
from purenet.datasets import spiral  # noqa: E402


def build(dropout: float) -> pn.Sequential:
    layers = [pn.Dense(2, 64, rng=1), pn.ReLU()]
    layers += [pn.Dropout(dropout, rng=2)] if dropout else []
    layers += [pn.Dense(64, 64, rng=3), pn.ReLU()]
    layers += [pn.Dropout(dropout, rng=4)] if dropout else []
    return pn.Sequential(*layers, pn.Dense(64, 3, rng=5))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=300)
    epochs = parser.parse_args().epochs
    X, y = spiral(points_per_class=40, noise=0.3, seed=1)
    X_validation, y_validation = spiral(points_per_class=100, noise=0.3, seed=2)
    X_test, y_test = spiral(points_per_class=200, noise=0.3, seed=3)
    print(f"{'run':<26} {'epochs':>6} {'train acc':>9} {'test acc':>8} {'gap':>6} {'train loss':>10} {'test loss':>9}")
    for name, dropout, stopping in (
        ("plain", 0.0, False),
        ("dropout 0.3", 0.3, False),
        ("early stopping", 0.0, True),
        ("dropout + early stopping", 0.3, True),
    ):
        model = build(dropout)
        callbacks = [pn.EarlyStopping(monitor="val_loss", patience=30)] if stopping else []
        history = model.fit(
            X, y, optimizer=pn.Adam(model.parameters(), lr=0.01), epochs=epochs, batch_size=20,
            validation=(X_validation, y_validation), verbose=0, seed=0, callbacks=callbacks,
        )
        train, held = model.evaluate(X, y), model.evaluate(X_test, y_test)
        gap = train["accuracy"] - held["accuracy"]
        print(
            f"{name:<26} {len(history['loss']):>6} {train['accuracy']:>9.3f} {held['accuracy']:>8.3f} {gap:>6.3f} "
            f"{train['loss']:>10.3f} {held['loss']:>9.3f}"
        )


if __name__ == "__main__":
    main()
