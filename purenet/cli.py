"""The command line: ``python -m purenet COMMAND``.

Each command is a small function that parses nothing itself: ``main`` builds
the argument parser, and errors a user can cause (a bad option, a missing
file) are printed as one line without a traceback, with exit status 2.
"""

from __future__ import annotations

import argparse
import random
import sys

from . import datasets
from .layers import Dense, ReLU
from .model import Sequential
from .optimizers import Adam


def train_spiral(arguments: argparse.Namespace) -> int:
    """Train a small network on the 3-class spiral and report held-out accuracy."""
    X_train, y_train = datasets.spiral(points_per_class=arguments.points, seed=arguments.seed)
    X_test, y_test = datasets.spiral(points_per_class=arguments.points, seed=arguments.seed + 1)
    rng = random.Random(arguments.seed)
    model = Sequential(Dense(2, arguments.hidden, rng=rng), ReLU(), Dense(arguments.hidden, 3, rng=rng))
    print(model.summary())
    model.fit(
        X_train,
        y_train,
        optimizer=Adam(model.parameters(), lr=arguments.lr),
        epochs=arguments.epochs,
        batch_size=arguments.batch_size,
        seed=arguments.seed,
    )
    result = model.evaluate(X_test, y_test)
    print(f"held-out accuracy: {result['accuracy']:.1%} on {len(X_test)} fresh spiral points")
    if arguments.out:
        model.save(arguments.out, metadata={"task": "spiral", "test_accuracy": result["accuracy"]})
        print(f"saved the model to {arguments.out}")
    return 0


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text}")
    return value


def _positive_float(text: str) -> float:
    value = float(text)
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be a positive number, got {text}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m purenet", description="purenet: deep learning in pure Python, for reading every line."
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    commands.required = True

    train = commands.add_parser("train", help="train a model on a built-in task")
    tasks = train.add_subparsers(dest="task", metavar="TASK")
    tasks.required = True
    spiral = tasks.add_parser("spiral", help="a 3-class spiral, 2 -> hidden ReLU -> 3")
    spiral.add_argument("--points", type=_positive_int, default=100, help="points per class (default 100)")
    spiral.add_argument("--hidden", type=_positive_int, default=64, help="hidden units (default 64)")
    spiral.add_argument("--epochs", type=_positive_int, default=100, help="passes over the data (default 100)")
    spiral.add_argument("--batch-size", type=_positive_int, default=32, help="samples per update (default 32)")
    spiral.add_argument("--lr", type=_positive_float, default=0.01, help="Adam learning rate (default 0.01)")
    spiral.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    spiral.add_argument("--out", help="save the trained model to this JSON file")
    spiral.set_defaults(run=train_spiral)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    try:
        return arguments.run(arguments)
    except (ValueError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
