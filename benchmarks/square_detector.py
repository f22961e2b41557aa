"""How well the shipped square detector does on fresh drawings, at 32x32, 64x64 and 128x128.

Run from the repository root:

    python benchmarks/square_detector.py [--samples 2000] [--seed 2024]

Drawings rendered above the model's 32x32 are read through
``hilbert.downsample`` (average pooling along the curve). The same drawings
are used at every size. Results: a table on stdout and JSON in
benchmarks/results/. Issue 9's targets: at least 98% at 32x32 and at 64x64,
and no kind below 95%. These are drawings from our own generator; how the
model does on people's drawings is not measured here (docs/squares.md).
"""

from __future__ import annotations

import argparse
import sys

import common  # puts this checkout of purenet on the path first

from purenet import squares  # noqa: E402
from purenet.squares import shapes  # noqa: E402

TARGETS = {32: 0.98, 64: 0.98}
EVERY_KIND_TARGET = 0.95


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024, help="seed of the fresh drawings (not the training seed 0)")
    arguments = parser.parse_args()
    model = squares.square_detector()
    labelled = shapes.labelled_drawings(arguments.samples, seed=arguments.seed)
    reports = {size: squares.report(model, labelled, size, arguments.seed) for size in (32, 64, 128)}

    kinds = list(shapes.KINDS)
    machine = common.machine_description()
    print(common.describe_machine_briefly(machine))
    print(f"shipped square detector on {arguments.samples} fresh drawings (seed {arguments.seed})")
    print(f"{'kind':<14}" + "".join(f"{f'{size}x{size}':>10}" for size in reports))
    print(f"{'all':<14}" + "".join(f"{report['accuracy']:>10.2%}" for report in reports.values()))
    for kind in kinds:
        print(f"{kind:<14}" + "".join(f"{report['per_kind'][kind]:>10.2%}" for report in reports.values()))
    all_met = True
    for size, target in TARGETS.items():
        met = reports[size]["accuracy"] >= target
        all_met = all_met and met
        print(f"target {size}x{size} >= {target:.0%}: {'PASS' if met else 'MISS'}")
    worst_kind = min(min(report["per_kind"].values()) for size, report in reports.items() if size in TARGETS)
    print(f"target every kind >= {EVERY_KIND_TARGET:.0%} (32x32 and 64x64): "
          f"{'PASS' if worst_kind >= EVERY_KIND_TARGET else 'MISS'} "
          f"(worst {worst_kind:.2%})")

    results = {"machine": machine, "samples": arguments.samples, "seed": arguments.seed,
               "reports": {str(size): report for size, report in reports.items()}}
    print(f"wrote {common.write_results('square_detector', results)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
