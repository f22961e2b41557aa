"""The command line: ``python -m purenet COMMAND``.

Each command is a small function that parses nothing itself: ``main`` builds
the argument parser, and errors a user can cause (a bad option, a missing
file) are printed as one line without a traceback, with exit status 2.
"""

from __future__ import annotations

import argparse
import math
import os
import platform
import random
import shlex
import sys
import time

from . import __version__, datasets, explain, selfcheck
from . import report as run_report
from .squares import drawing, quickdraw, recipe as squares, run_report as squares_report
from .layers import Dense, ReLU
from .model import Sequential
from .optimizers import Adam
from .checkpoint import Checkpoint, check_options
from .gradcheck import DEFAULT_EPSILON
from .gradcheck_walkthrough import SHOWN_ENTRIES, walkthrough
from .interrupt import TrainingInterrupted
from .serialization import load


def train_spiral(arguments: argparse.Namespace) -> int:
    """Train a small network on the 3-class spiral and report held-out accuracy."""
    X_train, y_train = datasets.spiral(points_per_class=arguments.points, seed=arguments.seed)
    X_test, y_test = datasets.spiral(points_per_class=arguments.points, seed=arguments.seed + 1)
    rng = random.Random(arguments.seed)
    model = Sequential(Dense(2, arguments.hidden, rng=rng), ReLU(), Dense(arguments.hidden, 3, rng=rng))
    print(model.summary())
    options = {"task": "spiral", "points": arguments.points, "hidden": arguments.hidden, "lr": arguments.lr,
               "batch_size": arguments.batch_size, "seed": arguments.seed, "report": bool(arguments.report)}
    if arguments.resume:
        check_options(arguments.resume, options, SPIRAL_FLAGS)
    try:
        history = model.fit(
            X_train,
            y_train,
            optimizer=Adam(model.parameters(), lr=arguments.lr),
            epochs=arguments.epochs,
            batch_size=arguments.batch_size,
            seed=arguments.seed,
            # The report's validation curve: measuring on the held-out points changes no weight.
            validation=(X_test, y_test) if arguments.report else None,
            callbacks=[Checkpoint(arguments.checkpoint, options)] if arguments.checkpoint else None,
            resume=arguments.resume,
        )
    except TrainingInterrupted as stop:
        return _interrupted(stop, model, arguments, {"task": "spiral"})
    result = model.evaluate(X_test, y_test)
    print(f"held-out accuracy: {result['accuracy']:.1%} on {len(X_test)} fresh spiral points")
    if arguments.report:
        command = (
            f"python -m purenet train spiral --points {arguments.points} --hidden {arguments.hidden} "
            f"--epochs {arguments.epochs} --batch-size {arguments.batch_size} --lr {arguments.lr} "
            f"--seed {arguments.seed} --report {shlex.quote(arguments.report)}"
        ) + (f" --out {shlex.quote(arguments.out)}" if arguments.out else "")
        page = run_report.classification_report(
            "purenet: the spiral", model, history, command, X_test, y_test, ["class 0", "class 1", "class 2"]
        )
        run_report.write_report(arguments.report, page)
        print(f"wrote the report to {arguments.report}")
    if arguments.out:
        model.save(arguments.out, metadata={"task": "spiral", "test_accuracy": result["accuracy"]})
        print(f"saved the model to {arguments.out}")
    return 0


SQUARES_FLAGS = {"size": "--size", "samples": "--samples", "hidden": "--hidden", "batch_size": "--batch-size",
                 "lr": "--lr", "schedule": "--schedule", "optimizer": "--optimizer", "seed": "--seed",
                 "extra": "--extra"}
SPIRAL_FLAGS = {"points": "--points", "hidden": "--hidden", "lr": "--lr", "batch_size": "--batch-size",
                "seed": "--seed", "report": "--report"}


def _interrupted(stop: TrainingInterrupted, model: Sequential, arguments: argparse.Namespace, metadata: dict) -> int:
    """Ctrl-C: save what was kept (the last whole epoch) to --out, say how to resume; exit status 130."""
    print(f"\ninterrupted: kept the model as it was after epoch {stop.epoch} of {stop.epochs}", file=sys.stderr)
    if arguments.out:
        model.save(arguments.out, metadata=dict(metadata, epochs_done=stop.epoch))
        print(f"saved it to {arguments.out}", file=sys.stderr)
    if stop.checkpoint:
        command = [sys.executable, "-m", "purenet"] + [
            word for word in (arguments.command_line or []) if word != "--resume" and word != arguments.resume
        ]
        resume = shlex.join(command + ["--resume", stop.checkpoint])
        print(f"checkpoint: {stop.checkpoint}\nresume with: {resume}", file=sys.stderr)
    else:
        print("(add --checkpoint FILE to be able to resume an interrupted run)", file=sys.stderr)
    return 130


def train_squares(arguments: argparse.Namespace) -> int:
    """Train the square detector (with real drawings from --extra), report held-out accuracy, save the model."""
    extra = []
    extra_files = []
    # Every file is read before training starts, so that a bad line stops the run at once.
    for path, label in arguments.extra or []:
        drawings = quickdraw.read(path)
        if not drawings:
            raise ValueError(f"--extra {path}:{label}: file {path!r} holds no drawings")
        # FILE:word labels each drawing by its own word, as `demo --collect` saves them.
        labels = [_label_of_word(item["word"]) if label == WORD_LABEL else label for item in drawings]
        extra += [(item_label, item["strokes"]) for item_label, item in zip(labels, drawings)]
        extra_files.append({"file": path, "label": label, "drawings": len(drawings)})
        counted = ", ".join(f"{labels.count(name)} as {name!r}" for name in squares.EXTRA_LABELS if name in labels)
        print(f"extra drawings: {len(drawings)} from {path} ({counted or 'none'})")
    keep_history = squares_report.KeepHistory()
    options = {"task": "squares", "size": arguments.size, "samples": arguments.samples, "hidden": arguments.hidden,
               "batch_size": arguments.batch_size, "lr": arguments.lr, "schedule": arguments.schedule,
               "optimizer": arguments.optimizer, "seed": arguments.seed,
               "extra": [list(pair) for pair in arguments.extra or []]}
    if arguments.resume:
        check_options(arguments.resume, options, SQUARES_FLAGS, earlier={"schedule": "constant"})
    saver = [Checkpoint(arguments.checkpoint, options)] if arguments.checkpoint else []
    try:
        model, report = squares.train(
            samples=arguments.samples,
            size=arguments.size,
            hidden=arguments.hidden,
            epochs=arguments.epochs,
            batch_size=arguments.batch_size,
            lr=arguments.lr,
            schedule=arguments.schedule,
            optimizer=arguments.optimizer,
            seed=arguments.seed,
            verbose=0 if arguments.quiet else 1,
            extra=extra,
            callbacks=[keep_history] + saver,
            resume=arguments.resume,
        )
    except TrainingInterrupted as stop:
        return _interrupted(stop, stop.model, arguments, {**stop.model.metadata, "task": "squares"})
    if extra:
        counts = report["extra"]
        print(
            f"extra drawings used: {len(extra)} ({counts['train']} training, {counts['validation']} validation, "
            f"{counts['test']} test), with {arguments.samples} generated ones"
        )
    print(model.summary())
    print("on the test split:")
    print(squares.format_report(report))
    evaluation = squares.evaluate(model, size=arguments.size)
    print("on fresh drawings:")
    print(squares.format_report(evaluation))
    command = (
        f"python -m purenet train squares --size {arguments.size} --samples {arguments.samples} "
        f"--hidden {arguments.hidden} --epochs {arguments.epochs} --batch-size {arguments.batch_size} "
        f"--lr {arguments.lr} --schedule {arguments.schedule} --optimizer {arguments.optimizer} --seed {arguments.seed}"
    ) + "".join(f" --extra {path}:{label}" for path, label in arguments.extra or [])
    metadata = {
        **model.metadata,  # "upright": how the model reads drawings (squares.reads_upright)
        "task": "squares",
        "command": command,
        "seed": arguments.seed,
        "extra": extra_files,
        "test": report,
        "evaluation": evaluation,
        "purenet_version": __version__,
        "python_version": platform.python_version(),
    }
    model.save(arguments.out, metadata=metadata)
    print(f"saved the model to {arguments.out}")
    if arguments.report:
        started, processor_started = time.perf_counter(), time.process_time()
        page = squares_report.squares_report(
            model, keep_history.history, report, evaluation, f"{command} --report {shlex.quote(arguments.report)}",
            arguments.size,
        )
        run_report.write_report(arguments.report, page)
        print(
            f"wrote the report to {arguments.report} in {time.perf_counter() - started:.2f} s "
            f"({time.process_time() - processor_started:.2f} s of processor time)"
        )
    return 0


def evaluate_model(arguments: argparse.Namespace) -> int:
    """Evaluate a saved square detector on real drawings (--drawings), then on fresh generated ones, per kind."""
    if arguments.drawings is None and (arguments.label or arguments.limit):
        raise ValueError("--label and --limit describe the drawings of --drawings FILE.ndjson: give that file too")
    model = load(arguments.model)
    if arguments.drawings is not None:
        # Read and checked before the generated drawings are made, so that a bad line stops the run at once.
        drawings = quickdraw.read(arguments.drawings, limit=arguments.limit)
        if not drawings:
            raise ValueError(f"file {arguments.drawings!r} holds no drawings")
        result = squares.evaluate_drawings(model, [item["strokes"] for item in drawings], size=arguments.size)
        print(
            f"called square: {result['share_square']:.2%} ({result['called_square']} of {result['drawings']} "
            f"drawings from {arguments.drawings}, at {arguments.size}x{arguments.size})"
        )
        if arguments.label == "square":
            print(f"accuracy on these squares: {result['share_square']:.2%}")
        elif arguments.label == "other":
            print(f"accuracy on these drawings of other things: {1 - result['share_square']:.2%}")
        # Beside the real drawings, the generated ones the model learned from (issue 9: "as now").
        print("on fresh generated drawings:")
    report = squares.evaluate(model, size=arguments.size, samples=arguments.samples, seed=arguments.seed)
    print(squares.format_report(report))
    return 0


def predict_file(arguments: argparse.Namespace) -> int:
    """Classify a drawing (JSON) or a picture (PGM/PBM) with a saved square detector."""
    model = load(arguments.model)
    side = squares.model_size(model)
    if arguments.file.lower().endswith(".json"):
        item = drawing.load_drawing_json(arguments.file)
    else:
        item = drawing.rasterize_image(drawing.read_pgm(arguments.file), side)
    network_input = drawing.model_input(item, side, upright=squares.reads_upright(model))
    probabilities = model.predict_proba([network_input])[0]
    answer = max(range(2), key=probabilities.__getitem__)
    print(
        f"{squares.CLASS_NAMES[answer]} (p = {probabilities[answer]:.3f}; "
        f"not square {probabilities[0]:.3f}, square {probabilities[1]:.3f})"
    )
    return 0


def export_model(arguments: argparse.Namespace) -> int:
    """Write a saved model as an ONNX file (purenet.onnx), to run in onnxruntime and the tools that read ONNX."""
    from . import onnx  # imported when asked for: the other commands never need the exporter

    model = load(arguments.model)
    onnx.export(model, arguments.onnx, input_shape=arguments.input_shape, probabilities=arguments.probabilities)
    ending = "probabilities (a Softmax added)" if arguments.probabilities else "the model's own output"
    print(f"wrote {arguments.onnx}: ONNX opset {onnx.OPSET_VERSION}, {len(model.layers)} layers, ending in {ending}")
    return 0


def _sample_shape(text: str) -> tuple[int, ...]:
    """``1,28,28`` as (1, 28, 28): one sample's shape, without the batch."""
    try:
        shape = tuple(int(part) for part in text.split(","))
    except ValueError:
        shape = ()
    if not shape or min(shape) < 1:
        raise argparse.ArgumentTypeError(
            f"must be positive integers separated by commas, such as 1,28,28, got {text!r}"
        )
    return shape


def explain_example(arguments: argparse.Namespace) -> int:
    """Print a tiny network's forward and backward pass, number by number."""
    return 0 if explain.explain(arguments.activation, arguments.loss) else 1


def check_gradients(arguments: argparse.Namespace) -> int:
    """Walk through a tiny network's check entry by entry, then check every layer and loss (and a saved model).

    With ``--broken`` only the walkthrough runs, on the tiny network with a
    deliberately wrong sigmoid derivative; its check fails, so the exit status is 1.
    """
    passed = walkthrough(arguments.entries, arguments.epsilon, arguments.tolerance, broken=arguments.broken)
    if arguments.broken:
        return 0 if passed else 1
    model = load(arguments.model) if arguments.model else None
    print(f"\nNow the same check on every layer and loss of purenet{' and on the model' if model else ''},")
    print(f"on small random inputs with h = {DEFAULT_EPSILON:g}: one line per tensor, its worst entry's error.\n")
    table_passed = selfcheck.check_everything(model, tolerance=arguments.tolerance)
    return 0 if passed and table_passed else 1


def run_demo(arguments: argparse.Namespace) -> int:
    """Serve the drawing page until Ctrl-C."""
    # Imported here: only this command needs the web server.
    from .squares.demo.server import serve

    return serve(arguments.model, arguments.host, arguments.port, arguments.open, collect=arguments.collect)


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be a positive integer, got {text!r}")
    return value


def _non_negative_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"must be a whole number of at least 0, got {text!r}")
    return value


def _power_of_two(text: str) -> int:
    value = _positive_int(text)
    if value < 4 or value & (value - 1):
        raise argparse.ArgumentTypeError(f"must be a power of two of at least 4, got {text}")
    return value


def _positive_float(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not 0 < value < math.inf:
        raise argparse.ArgumentTypeError(f"must be a positive, finite number, got {text!r}")
    return value


def _port(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 0 to 65535, got {text!r}")
    return value


WORD_LABEL = "word"
"""``--extra FILE:word``: each drawing's own word decides its label (``square``, or else ``other``)."""


def _label_of_word(word: str) -> str:
    """The label of a Quick, Draw! drawing from its word: "square" is a square, every other word is not."""
    return "square" if word == "square" else "other"


def _extra_drawings(text: str) -> tuple[str, str]:
    """``FILE.ndjson:square``, ``:other`` or ``:word``, checked before training like ``--out``."""
    path, colon, label = text.rpartition(":")
    if not colon or not path:
        raise argparse.ArgumentTypeError(
            f"must be FILE.ndjson:square, FILE.ndjson:other or FILE.ndjson:word (a file, a colon, a label), "
            f"got {text!r}"
        )
    if label not in squares.EXTRA_LABELS and label != WORD_LABEL:
        raise argparse.ArgumentTypeError(
            f"unknown label {label!r} in {text!r}: expected {', '.join(squares.EXTRA_LABELS)} or {WORD_LABEL} "
            f"(each drawing's own word)"
        )
    if not os.path.isfile(path):
        raise argparse.ArgumentTypeError(f"no such file {path!r} (in {text!r})")
    return path, label


def _drawings_file(text: str) -> str:
    if not os.path.isfile(text):
        raise argparse.ArgumentTypeError(f"no such file {text!r}")
    return text


def _output_file(text: str) -> str:
    """A path that can be written: checked before training, so that a long run is not lost."""
    folder = os.path.dirname(os.path.abspath(text)) if text else ""
    if not text or os.path.isdir(text):
        raise argparse.ArgumentTypeError(f"must be a file name, got {text!r}")
    if not os.path.isdir(folder) or not os.access(folder, os.W_OK):
        raise argparse.ArgumentTypeError(f"the folder {folder!r} does not exist or cannot be written")
    return text


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
    spiral.add_argument("--out", type=_output_file, help="save the trained model to this JSON file")
    spiral.add_argument("--report", type=_output_file, metavar="FILE.html",
                        help="write a report of the run: curves, confusion matrix, decision regions, worst samples")
    spiral.add_argument("--checkpoint", type=_output_file, metavar="FILE.json",
                        help="write a checkpoint after every epoch (docs/checkpoints.md)")
    spiral.add_argument("--resume", metavar="FILE.json", help="go on from a checkpoint, with the same options")
    spiral.set_defaults(run=train_spiral)

    square = tasks.add_parser("squares", help="the square detector: drawings -> 1024 -> 32 LeakyReLU -> 2")
    square.add_argument("--size", type=_power_of_two, default=32, help="grid side (default 32)")
    square.add_argument("--samples", type=_positive_int, default=squares.DEFAULT_SAMPLES,
                        help=f"drawings, split 80/10/10 (default {squares.DEFAULT_SAMPLES})")
    square.add_argument("--hidden", type=_positive_int, default=squares.DEFAULT_HIDDEN,
                        help=f"hidden units (default {squares.DEFAULT_HIDDEN})")
    square.add_argument("--epochs", type=_positive_int, default=squares.DEFAULT_EPOCHS,
                        help=f"passes over the data (default {squares.DEFAULT_EPOCHS})")
    square.add_argument("--batch-size", type=_positive_int, default=squares.DEFAULT_BATCH_SIZE,
                        help=f"samples per update (default {squares.DEFAULT_BATCH_SIZE})")
    square.add_argument("--lr", type=_positive_float, default=squares.DEFAULT_LEARNING_RATE,
                        help=f"learning rate (default {squares.DEFAULT_LEARNING_RATE})")
    square.add_argument("--schedule", choices=squares.SCHEDULES, default=squares.DEFAULT_SCHEDULE,
                        help=f"constant: the same learning rate throughout; step: the rate for the first 70%% of "
                             f"the epochs, a third of it to 90%%, a tenth for the rest "
                             f"(default {squares.DEFAULT_SCHEDULE})")
    square.add_argument("--optimizer", choices=squares.OPTIMIZERS, default="adam",
                        help="adam (default) or sgd (with momentum 0.9)")
    square.add_argument("--seed", type=int, default=0, help="random seed for data and weights (default 0)")
    square.add_argument("--out", type=_output_file, default="square_detector.json",
                        help="where to save (default square_detector.json)")
    square.add_argument("--extra", type=_extra_drawings, action="append", metavar="FILE.ndjson:LABEL",
                        help="also learn from the real drawings in a Quick, Draw! file, labelled square or "
                             "other, or by each drawing's own word (FILE:word, as demo --collect saves them: the "
                             "word square is a square, any other word is not); repeatable; each label's drawings "
                             "split 80/10/10 like the generated ones")
    square.add_argument("--report", type=_output_file, metavar="FILE.html",
                        help="write a report of the run: curves, confusion matrix, accuracy per kind, the first "
                             "layer's weights as images, the hardest fresh drawings")
    square.add_argument("--quiet", action="store_true", help="no progress bar")
    square.add_argument("--checkpoint", type=_output_file, metavar="FILE.json",
                        help="write a checkpoint after every epoch (docs/checkpoints.md)")
    square.add_argument("--resume", metavar="FILE.json", help="go on from a checkpoint, with the same options")
    square.set_defaults(run=train_squares)

    evaluate = commands.add_parser(
        "evaluate", help="measure a square detector on fresh drawings, or on real ones (--drawings)"
    )
    evaluate.add_argument("model", metavar="MODEL", help="a saved model, e.g. purenet/squares/models/square_detector.json")
    evaluate.add_argument("--size", type=_power_of_two, default=32,
                          help="render the drawings at this size; larger than the model's is downsampled (default 32)")
    evaluate.add_argument("--samples", type=_positive_int, default=2000, help="fresh drawings (default 2000)")
    evaluate.add_argument("--seed", type=int, default=12345, help="seed of the fresh drawings (default 12345)")
    evaluate.add_argument("--drawings", type=_drawings_file, metavar="FILE.ndjson",
                          help="measure on the real drawings of a Quick, Draw! file too: the share called square, "
                               "before the report on fresh generated drawings")
    evaluate.add_argument("--label", choices=tuple(squares.EXTRA_LABELS),
                          help="what the drawings of --drawings are (square or other): also print the accuracy")
    evaluate.add_argument("--limit", type=_positive_int, help="read at most this many drawings of --drawings")
    evaluate.set_defaults(run=evaluate_model)

    predict = commands.add_parser("predict", help="is the drawing in FILE a square?")
    predict.add_argument("model", metavar="MODEL", help="a saved model")
    predict.add_argument("file", metavar="FILE", help="a PGM/PBM picture or a JSON drawing {\"strokes\": ...}")
    predict.set_defaults(run=predict_file)

    demo = commands.add_parser("demo", help="draw in the browser and watch the network answer")
    demo.add_argument("--model", help="a saved model (default: the shipped square detector)")
    demo.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    demo.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 picks a free one)")
    demo.add_argument("--open", action="store_true", help="open the page in a browser")
    demo.add_argument("--collect", type=_output_file, metavar="FILE.ndjson",
                      help="show 'save as a square' / 'save as not a square' buttons that append the drawing "
                           "to FILE in the Quick, Draw! format (without it, the demo writes nothing)")
    demo.set_defaults(run=run_demo)

    exporter = commands.add_parser("export", help="write a saved model in another format: --onnx FILE.onnx")
    exporter.add_argument("model", metavar="MODEL",
                          help="a saved model, e.g. purenet/squares/models/square_detector.json")
    exporter.add_argument("--onnx", type=_output_file, required=True, metavar="FILE.onnx",
                          help="write the model as an ONNX graph (opset 17, float32) for onnxruntime")
    exporter.add_argument("--input-shape", type=_sample_shape, metavar="C,H,W",
                          help="one sample's shape without the batch, e.g. 1,28,28; needed only when the model "
                               "starts with a convolution or pooling layer")
    exporter.add_argument("--probabilities", action="store_true",
                          help="end the graph with a Softmax, so that it outputs probabilities as predict_proba")
    exporter.set_defaults(run=export_model)

    tutorial = commands.add_parser("explain", help="a tiny network's forward and backward pass, step by step")
    tutorial.add_argument("--activation", choices=explain.ACTIVATIONS, default="leaky_relu",
                          help="the hidden activation (default leaky_relu)")
    tutorial.add_argument("--loss", choices=explain.LOSSES, default="softmax_cross_entropy",
                          help="the loss (default softmax_cross_entropy)")
    tutorial.set_defaults(run=explain_example)

    gradients = commands.add_parser(
        "gradcheck", help="check every layer and loss against finite differences, showing how (docs/gradcheck.md)",
        description="First a tiny network's check, entry by entry: h, L(w + h), L(w - h), the central "
                    "difference, the backprop value and their relative error; then one line per tensor of every "
                    "layer and loss. Exit status 0 if everything passes, 1 if a check fails.")
    broken_or_model = gradients.add_mutually_exclusive_group()
    broken_or_model.add_argument("--model", help="also check a saved model")
    broken_or_model.add_argument("--broken", action="store_true",
                                 help="walk through the tiny network with a sigmoid derivative that is wrong on "
                                      "purpose (s instead of s(1 - s)), to see a check fail and why (exit status 1)")
    gradients.add_argument("--entries", type=_non_negative_int, default=SHOWN_ENTRIES, metavar="N",
                           help=f"entries of each tensor the walkthrough prints (default {SHOWN_ENTRIES}; "
                                "0 prints each tensor's worst only); all are checked")
    gradients.add_argument("--epsilon", type=_positive_float, default=DEFAULT_EPSILON, metavar="H",
                           help=f"the walkthrough's step h (default {DEFAULT_EPSILON:g}; the table always uses "
                                f"{DEFAULT_EPSILON:g}); try 1e-12 or 1e-2 to see rounding or truncation take over")
    gradients.add_argument("--tolerance", type=_positive_float, default=1e-6,
                           help="largest relative error that passes (default 1e-6)")
    gradients.set_defaults(run=check_gradients)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    arguments = parser.parse_args(argv)
    arguments.command_line = list(sys.argv[1:] if argv is None else argv)  # to print the command that resumes
    try:
        return arguments.run(arguments)
    except BrokenPipeError:
        # The reader stopped early (``| head``): not an error. Point stdout at devnull so that
        # Python's final flush does not complain again (the recipe in the signal module's docs).
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except (ValueError, OSError, FloatingPointError) as error:
        # FloatingPointError: TrainingDivergedError, whose message says what to try instead.
        print(f"error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
