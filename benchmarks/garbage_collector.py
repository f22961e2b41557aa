"""What Python's cycle collector costs the square detector's training, and what freezing the drawings saves.

Run from the repository root:

    python benchmarks/garbage_collector.py            # 20,000 drawings, about two minutes
    python benchmarks/garbage_collector.py --quick    # 4,000 drawings, rougher

``squares.train`` holds its drawings for the whole run: 16,000 training and
2,000 validation rows of 1024 floats. They hold no reference cycles, but
every full pass of the cycle collector walks every one of them again, and
the steps of a run allocate enough short-lived lists to start such a pass
every hundred steps or so. ``gc.freeze()`` sets every object alive at that
moment aside until ``gc.unfreeze()``, so the passes skip the drawings;
``squares.train`` freezes for the duration of ``fit``. This script times
the same training steps (the default network, Adam, batches of 50) with the
collector as it is and with everything frozen, in alternating rounds in
one process, and reports the milliseconds per step of each and their ratio,
with the time of one full collection. The numbers the steps compute are the
same either way: the collector frees memory, it never touches a float.
Results: a table on stdout and JSON in benchmarks/results/.
"""

from __future__ import annotations

import argparse
import gc
import random
import time

import common  # puts this checkout of purenet on the path first

from purenet import squares  # noqa: E402
from purenet.losses import SoftmaxCrossEntropy  # noqa: E402
from purenet.optimizers import Adam  # noqa: E402
from purenet.squares import shapes  # noqa: E402

ROUNDS = 8


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="4,000 drawings and shorter rounds")
    arguments = parser.parse_args()
    samples, steps_per_round = (4000, 10) if arguments.quick else (squares.DEFAULT_SAMPLES, 50)
    labelled = shapes.labelled_drawings(samples, seed=0)
    X = squares.inputs([item for _, item in labelled], 32, 32)
    y = [squares.kind_label(kind) for kind, _ in labelled]
    model = squares.build_network(32, squares.DEFAULT_HIDDEN, random.Random(0))
    optimizer = Adam(model.parameters(), lr=squares.DEFAULT_LEARNING_RATE)
    loss = SoftmaxCrossEntropy()
    batch = squares.DEFAULT_BATCH_SIZE
    batches = len(X) // batch

    def run_steps(first_batch: int) -> float:
        started = time.perf_counter()
        for index in range(first_batch, first_batch + steps_per_round):
            start = (index % batches) * batch
            optimizer.zero_grad()
            loss.forward(model.forward(X[start : start + batch]), y[start : start + batch])
            model.backward(loss.backward(), input_gradient=False)
            optimizer.step()
        return time.perf_counter() - started

    seconds = {"as it is": 0.0, "frozen": 0.0}
    full_passes = {"as it is": 0, "frozen": 0}
    next_batch = 0
    for _ in range(ROUNDS):
        for mode in seconds:  # alternating, so that a slower minute of the machine hits both
            if mode == "frozen":
                gc.freeze()
            before = gc.get_stats()[2]["collections"]
            seconds[mode] += run_steps(next_batch)
            full_passes[mode] += gc.get_stats()[2]["collections"] - before
            gc.unfreeze()
            next_batch += steps_per_round
    started = time.perf_counter()
    gc.collect()
    full_collection = time.perf_counter() - started

    steps = ROUNDS * steps_per_round
    per_step = {mode: total / steps * 1000 for mode, total in seconds.items()}
    machine = common.machine_description()
    print(common.describe_machine_briefly(machine))
    print(f"{samples} drawings held, {steps} steps of {batch} each way, alternating in {ROUNDS} rounds")
    print(f"{'collector':<12}{'ms per step':>14}{'full passes':>14}")
    for mode in seconds:
        print(f"{mode:<12}{per_step[mode]:>14.1f}{full_passes[mode]:>14}")
    ratio = per_step["as it is"] / per_step["frozen"]
    print(f"frozen is {ratio:.2f}x as fast; one full collection with the drawings alive: {full_collection:.2f} s")
    results = {
        "machine": machine,
        "samples": samples,
        "steps_each": steps,
        "ms_per_step": per_step,
        "full_passes": full_passes,
        "ratio": ratio,
        "full_collection_seconds": full_collection,
    }
    print(f"wrote {common.write_results('garbage_collector', results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
