"""What the benchmarks share: timing, the square network's data, tables, JSON results.

How the timing works, and why (a noisy machine with 2 cores, other programs running):

- Every comparison is a *ratio measured in the same run*. Absolute times
  move by 20% or more from one minute to the next on a shared machine;
  the ratio of two things measured side by side moves much less.
- The candidates are *interleaved*: round 1 times A, B, C, round 2 times
  B, C, A, and so on. A slow patch of time (another process waking up)
  then hits every candidate about equally.
- Each candidate reports its *best* round (the minimum), as ``timeit``
  advises: other programs can only add time, never take it away, so the
  fastest round is the closest to the cost of the code itself. The
  median is written to the JSON file too. Ratios are ratios of the best
  times.
- The garbage collector stays on, as in real training: collecting the
  lists a computation leaves behind is part of its cost. ``gc.collect()``
  runs before every timed batch, so one candidate's garbage is not
  collected on another candidate's clock.

Run the benchmarks from the repository root::

    python benchmarks/kernels.py
    python benchmarks/step.py
"""

from __future__ import annotations

import argparse
import datetime
import gc
import importlib
import json
import math
import os
import platform
import random
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from collections.abc import Callable, Sequence

BENCHMARKS_FOLDER = Path(__file__).resolve().parent
REPOSITORY_ROOT = BENCHMARKS_FOLDER.parent
RESULTS_FOLDER = BENCHMARKS_FOLDER / "results"

# Benchmark this checkout of purenet, not an installed copy.
if str(REPOSITORY_ROOT) not in sys.path:
    sys.path.insert(0, str(REPOSITORY_ROOT))

import purenet  # noqa: E402  (needs the path above)
from purenet.squares import drawing  # noqa: E402

Matrix = list[list[float]]

# The square network: Dense(1024, 32) -> LeakyReLU(0.01) -> Dense(32, 2), batches of 50.
IMAGE_SIZE = 32
INPUT_FEATURES = IMAGE_SIZE * IMAGE_SIZE
HIDDEN_FEATURES = 32
CLASSES = 2
BATCH_SIZE = 50
LEAKY_SLOPE = 0.01
LEARNING_RATE = 0.1

# Tolerances of the correctness checks, relative (see the functions that use them).
KERNEL_TOLERANCE = 1e-12
STEP_TOLERANCE = 1e-9


# --- optional comparators --------------------------------------------------


def import_numpy() -> ModuleType | None:
    """NumPy restricted to one thread, or None when it is not installed.

    The thread count of the BLAS library (OpenBLAS, MKL, ...) is read from
    the environment when NumPy is first imported, so it is set here, before
    the import. One thread: purenet runs on one core, so NumPy does too.
    """
    if "numpy" not in sys.modules:
        for variable in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ[variable] = "1"
    try:
        return importlib.import_module("numpy")
    except ImportError:
        return None


def installed_version(distribution: str) -> str | None:
    """The installed version of a package (by its pip name), or None."""
    from importlib import metadata

    try:
        return metadata.version(distribution)
    except metadata.PackageNotFoundError:
        return None


NOT_INSTALLED = "not installed"


# --- inputs: real drawings -------------------------------------------------


def _simple_drawing(kind: str, rng: random.Random) -> list[list[tuple[float, float]]]:
    """A square, circle or triangle as one stroke of points, slightly irregular.

    Only used when ``purenet.datasets.shapes`` is not available.
    """
    if kind == "square":
        corners = [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]
    elif kind == "triangle":
        corners = [(0.0, 1.0), (0.5, 0.0), (1.0, 1.0)]
    else:
        corners = [(0.5 + 0.5 * math.cos(2 * math.pi * step / 24), 0.5 + 0.5 * math.sin(2 * math.pi * step / 24))
                   for step in range(24)]
    corners = [(x + rng.uniform(-0.04, 0.04), y + rng.uniform(-0.04, 0.04)) for x, y in corners]
    return [corners + [corners[0]]]


def drawing_batch(count: int = BATCH_SIZE, seed: int = 0) -> tuple[Matrix, list[int], str]:
    """``count`` drawings through ``purenet.drawing.prepare``, their labels (1 = square), and the source.

    Uses ``purenet.datasets.shapes.dataset`` when it exists; otherwise draws
    simple squares, circles and triangles here. Either way the inputs are
    what the network sees in training: 1024 values in Hilbert order, mostly
    the background value -0.5.
    """
    try:
        from purenet.squares.shapes import dataset
    except ImportError:
        dataset = None
    if dataset is not None:
        inputs, labels = dataset(count, size=IMAGE_SIZE, seed=seed)
        return inputs, labels, f"purenet.datasets.shapes.dataset({count}, size={IMAGE_SIZE}, seed={seed})"
    rng = random.Random(seed)
    kinds = [("square", "circle", "triangle")[index % 3] for index in range(count)]
    rng.shuffle(kinds)
    inputs = [drawing.prepare(_simple_drawing(kind, rng), IMAGE_SIZE) for kind in kinds]
    labels = [1 if kind == "square" else 0 for kind in kinds]
    return inputs, labels, "simple squares, circles and triangles drawn in benchmarks/common.py"


def random_matrix(rows: int, columns: int, rng: random.Random, low: float = -0.5, high: float = 0.5) -> Matrix:
    """A (rows x columns) matrix of uniform random floats: dense data, no background to skip."""
    return [[rng.uniform(low, high) for _ in range(columns)] for _ in range(rows)]


def background_share(batch: Matrix) -> float:
    """Share of the values equal to their row's first value (the background)."""
    equal = sum(row.count(row[0]) for row in batch)
    return equal / sum(len(row) for row in batch)


def copy_matrix(matrix: Sequence[Sequence[float]]) -> Matrix:
    """A deep copy of a list of rows (each row its own new list)."""
    return [list(row) for row in matrix]


# --- correctness checks ----------------------------------------------------


def largest_relative_error(result: Sequence, expected: Sequence, scale: Sequence) -> float:
    """max |result - expected| / scale over all entries (matrices or vectors of equal shape).

    ``scale`` holds, per entry, the size of the numbers that were added up
    (for a dot product, the sum of |products|): rounding errors grow with
    it, not with the result, which may be close to 0 after cancellation.
    """
    if result and isinstance(result[0], (list, tuple)):
        return max(
            (largest_relative_error(row, expected_row, scale_row)
             for row, expected_row, scale_row in zip(result, expected, scale)),
            default=0.0,
        )
    if len(result) != len(expected):
        return math.inf
    worst = 0.0
    for value, expected_value, size in zip(result, expected, scale):
        difference = abs(float(value) - expected_value)
        if difference:
            worst = max(worst, difference / size if size else math.inf)
    return worst


def largest_normwise_error(result: Sequence, expected: Sequence) -> float:
    """max |result - expected| / max |expected| over all entries (matrices, vectors or numbers)."""
    flat_result, flat_expected = _flatten(result), _flatten(expected)
    if len(flat_result) != len(flat_expected):
        return math.inf
    largest = max((abs(value) for value in flat_expected), default=0.0)
    difference = max((abs(a - b) for a, b in zip(flat_result, flat_expected)), default=0.0)
    if difference == 0.0:
        return 0.0
    return difference / largest if largest else math.inf


def _flatten(values: object) -> list[float]:
    if isinstance(values, (int, float)):
        return [float(values)]
    flat: list[float] = []
    for item in values:  # type: ignore[attr-defined]
        flat.extend(_flatten(item) if not isinstance(item, (int, float)) else [float(item)])
    return flat


def verdict(error: float, tolerance: float) -> str:
    """"OK" when the error is within the tolerance, else "FAIL"."""
    return "OK" if error <= tolerance else "FAIL"


# --- timing ----------------------------------------------------------------


@dataclass
class Timing:
    """The time of one call of a candidate, per round, in seconds; ``best`` is the figure reported."""

    name: str
    calls_per_round: int
    seconds_per_call: list[float] = field(default_factory=list)

    @property
    def median(self) -> float:
        ordered = sorted(self.seconds_per_call)
        middle = len(ordered) // 2
        return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2

    @property
    def best(self) -> float:
        return min(self.seconds_per_call)

    def as_dict(self) -> dict:
        return {
            "median_seconds": self.median,
            "min_seconds": self.best,
            "calls_per_round": self.calls_per_round,
            "seconds_per_call_each_round": self.seconds_per_call,
        }


def _time_calls(function: Callable[[], object], calls: int) -> float:
    """Seconds for ``calls`` calls of ``function`` (garbage from earlier work collected first)."""
    gc.collect()
    start = time.perf_counter()
    for _ in range(calls):
        function()
    return time.perf_counter() - start


def calls_for(function: Callable[[], object], target_seconds: float) -> int:
    """How many calls of ``function`` take about ``target_seconds`` (at least one)."""
    function()  # warm up: first calls fill caches and may allocate more
    calls = 1
    while True:
        elapsed = _time_calls(function, calls)
        if elapsed >= target_seconds / 2 or calls >= 1_000_000:
            return max(1, round(calls * target_seconds / max(elapsed, 1e-9)))
        calls *= 4


def measure(
    candidates: dict[str, Callable[[], object]], rounds: int, seconds_per_batch: float
) -> dict[str, Timing]:
    """Time every candidate in ``rounds`` interleaved rounds; return one ``Timing`` each.

    In each round every candidate runs a batch of calls lasting about
    ``seconds_per_batch``; the order of the candidates rotates from one
    round to the next, so none always runs first or right after a heavy one.
    """
    names = list(candidates)
    timings = {name: Timing(name, calls_for(candidates[name], seconds_per_batch)) for name in names}
    for round_number in range(rounds):
        shift = round_number % len(names)
        for name in names[shift:] + names[:shift]:
            timing = timings[name]
            elapsed = _time_calls(candidates[name], timing.calls_per_round)
            timing.seconds_per_call.append(elapsed / timing.calls_per_round)
    return timings


# --- printing and saving ---------------------------------------------------


def format_seconds(seconds: float) -> str:
    """A duration with a readable unit: 12.3 ns, 4.56 us, 7.89 ms, 1.23 s."""
    for unit, factor in (("s", 1.0), ("ms", 1e-3), ("us", 1e-6)):
        if seconds >= factor:
            return f"{seconds / factor:.3g} {unit}"
    return f"{seconds / 1e-9:.3g} ns"


def format_rate(per_second: float) -> str:
    """Operations per second with a readable unit: 1.2 M/s, 3.4 G/s."""
    for unit, factor in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if per_second >= factor:
            return f"{per_second / factor:.3g} {unit}/s"
    return f"{per_second:.3g} /s"


def format_ratio(ratio: float | None) -> str:
    """A ratio such as 1.07x, or a dash when there is nothing to compare."""
    if ratio is None:
        return "-"
    return f"{ratio:.3g}x" if ratio < 100 else f"{ratio:,.0f}x"


def format_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table: columns as wide as their widest cell, text left, numbers right."""
    cells = [[str(cell) for cell in row] for row in rows]
    widths = [max([len(header)] + [len(row[index]) for row in cells]) for index, header in enumerate(headers)]

    def line(values: Sequence[str], is_header: bool = False) -> str:
        parts = []
        for index, (value, width) in enumerate(zip(values, widths)):
            # The first column (names) reads left to right; figures line up on the right.
            parts.append(value.ljust(width) if index == 0 or is_header else value.rjust(width))
        return "  ".join(parts).rstrip()

    separator = "  ".join("-" * width for width in widths)
    return "\n".join([line(headers, True), separator] + [line(row) for row in cells])


def cpu_model() -> str:
    """The CPU's model name from /proc/cpuinfo (Linux), else what ``platform`` knows."""
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as file:
            for text in file:
                if text.lower().startswith("model name"):
                    return text.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _git_commit() -> str | None:
    """The checked-out commit of the repository (read only), or None outside a git checkout."""
    try:
        completed = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=REPOSITORY_ROOT, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if completed.returncode != 0:
        return None
    return completed.stdout.strip() or None


def numpy_description(numpy: ModuleType | None) -> dict | str:
    """NumPy's version and the BLAS library it calls, or "not installed".

    Without the imported module (``numpy=None``), only the installed
    version is read, and NumPy is not imported.
    """
    if numpy is None:
        version = installed_version("numpy")
        return {"version": version} if version else NOT_INSTALLED
    description: dict = {"version": numpy.__version__}
    try:
        configuration = numpy.show_config(mode="dicts")
        blas = configuration["Build Dependencies"]["blas"]
        description["blas"] = f"{blas.get('name')} {blas.get('version')}"
    except (AttributeError, KeyError, TypeError, ValueError):
        pass  # an older NumPy has no mode="dicts": the version alone will do
    return description


def machine_description(numpy: ModuleType | None = None) -> dict:
    """Everything that affects the figures: Python, machine, date, libraries, BLAS settings.

    Pass the imported NumPy module (from ``import_numpy``) to record the
    BLAS library it calls as well.
    """
    return {
        "python_version": platform.python_version(),
        "python_implementation": platform.python_implementation(),
        "python_executable": sys.executable,
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpu_model": cpu_model(),
        "cpu_count": os.cpu_count(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "purenet_version": purenet.__version__,
        "git_commit": _git_commit(),
        "numpy": numpy_description(numpy),
        "micrograd": installed_version("micrograd") or NOT_INSTALLED,
        "environment": {
            name: value
            for name, value in sorted(os.environ.items())
            if name.startswith(("OPENBLAS_", "OMP_", "MKL_"))
        },
    }


def describe_machine_briefly(machine: dict) -> str:
    """One line about the machine, printed above the tables."""
    numpy = machine["numpy"]
    if numpy == NOT_INSTALLED:
        numpy_text = NOT_INSTALLED
    else:
        numpy_text = numpy["version"] + (f" ({numpy['blas']})" if "blas" in numpy else "")
    settings = ", ".join(f"{name}={value}" for name, value in machine["environment"].items()) or "none"
    return (
        f"Python {machine['python_version']} on {machine['cpu_model']} ({machine['cpu_count']} cores), "
        f"{machine['date']}\nnumpy: {numpy_text}; micrograd: {machine['micrograd']}; BLAS settings: {settings}"
    )


def parse_arguments(description: str, arguments: list[str] | None) -> argparse.Namespace:
    """The options every timing benchmark takes: --quick, --output, --seed."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds: a rough run in seconds")
    parser.add_argument("--output", help="where to write the JSON results (default: benchmarks/results/...)")
    parser.add_argument("--seed", type=int, default=0, help="seed of every random choice (default 0)")
    return parser.parse_args(arguments)


def write_results(benchmark: str, results: dict, output: str | None = None) -> Path:
    """Write ``results`` as JSON to ``output``, by default
    benchmarks/results/<benchmark>-python<X.Y>-<UTC date and time>.json; return the path."""
    if output is None:
        stamp = datetime.datetime.now(datetime.timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        path = RESULTS_FOLDER / f"{benchmark}-python{version}-{stamp}.json"
    else:
        path = Path(output)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(_strict_json(results), indent=2, allow_nan=False) + "\n", encoding="utf-8")
    return path


def _strict_json(value: object) -> object:
    """A copy of ``value`` in which infinite and not-a-number floats (not JSON) become text."""
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, dict):
        return {key: _strict_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_strict_json(item) for item in value]
    return value


def pass_or_miss(passed: bool) -> str:
    return "PASS" if passed else "MISS"
