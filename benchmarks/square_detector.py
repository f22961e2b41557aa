"""How well the shipped square detector does on fresh drawings, at 32x32, 64x64 and 128x128.

Run from the repository root:

    python benchmarks/square_detector.py [--samples 2000] [--seed 2024] [--per-kind 2000] [--model FILE]

Two measurements, both on drawings the model never saw:

- the mixture: ``shapes.labelled_drawings(samples, seed)``, half squares,
  the other kinds by their weights (as ``python -m purenet evaluate``);
- kind by kind: ``per_kind`` drawings of every kind, drawn by
  ``shapes.sample(kind, random.Random(seed))``. In the mixture of 2000 the
  rarest kinds have about 40 drawings each, so one drawing moves a kind by
  2.5 points. With ``per_kind`` of each, a kind's share near 95% is known
  to within one standard error of sqrt(0.95 * 0.05 / per_kind): about half
  a point with the default 2000, which is what telling 94% from 95% needs
  ("every kind at least 95%"); with 400, about a point, too coarse for
  kinds at 94% to 96% (docs/squares.md, section 7).

The mixture is measured at every size, kind by kind at 32x32 and 64x64,
where the targets are. Drawings rendered above the model's 32x32 are read through
``hilbert.downsample`` (average pooling along the curve). The same drawings
are used at every size. Results: tables on stdout and JSON in
benchmarks/results/. Issue 9's targets: at least 98% on the mixture at
32x32 and at 64x64, and no kind below 95%. These are drawings from our own
generator; how the model does on people's drawings is not measured here
(docs/squares.md).
"""

from __future__ import annotations

import argparse
import random

import common  # puts this checkout of purenet on the path first

from purenet import squares  # noqa: E402
from purenet.serialization import load  # noqa: E402
from purenet.squares import shapes  # noqa: E402

TARGETS = {32: 0.98, 64: 0.98}
EVERY_KIND_TARGET = 0.95
SIZES = (32, 64, 128)


def kind_by_kind(per_kind: int, seed: int) -> list[tuple[str, list]]:
    """``per_kind`` drawings of every kind, in ``shapes.KINDS`` order, from one ``random.Random(seed)``."""
    rng = random.Random(seed)
    return [(kind, shapes.sample(kind, rng)) for kind in shapes.KINDS for _ in range(per_kind)]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=2024, help="seed of the fresh drawings (not the training seed 0)")
    parser.add_argument("--per-kind", type=int, default=2000, help="drawings of each kind for the kind-by-kind table (default 2000)")
    parser.add_argument("--model", help="a saved model (default: the shipped square detector)")
    arguments = parser.parse_args()
    model = load(arguments.model) if arguments.model else squares.square_detector()
    labelled = shapes.labelled_drawings(arguments.samples, seed=arguments.seed)
    mixture = {size: squares.report(model, labelled, size, arguments.seed) for size in SIZES}
    each_kind = kind_by_kind(arguments.per_kind, arguments.seed)
    # Kind by kind only where the targets are: 6400 drawings at 128 x 128 would cost most of the run.
    kinds = {size: squares.report(model, each_kind, size, arguments.seed) for size in TARGETS}

    machine = common.machine_description()
    print(common.describe_machine_briefly(machine))
    print(f"model: {arguments.model or 'the shipped square detector'}")
    print(f"\nthe mixture: {arguments.samples} fresh drawings (labelled_drawings, seed {arguments.seed})")
    print(f"{'kind':<14}" + "".join(f"{f'{size}x{size}':>10}" for size in SIZES))
    print(f"{'all':<14}" + "".join(f"{mixture[size]['accuracy']:>10.2%}" for size in SIZES))
    for kind in shapes.KINDS:
        print(f"{kind:<14}" + "".join(f"{mixture[size]['per_kind'][kind]:>10.2%}" for size in SIZES))
    print(f"\nkind by kind: {arguments.per_kind} fresh drawings of each kind (shapes.sample, seed {arguments.seed})")
    print(f"{'kind':<14}" + "".join(f"{f'{size}x{size}':>10}" for size in TARGETS) + "   errors at 32x32")
    for kind in shapes.KINDS:
        errors = round((1 - kinds[32]["per_kind"][kind]) * arguments.per_kind)
        print(
            f"{kind:<14}"
            + "".join(f"{kinds[size]['per_kind'][kind]:>10.2%}" for size in TARGETS)
            + f"   {errors} of {arguments.per_kind}"
        )
    for size, target in TARGETS.items():
        met = mixture[size]["accuracy"] >= target
        print(f"target {size}x{size} >= {target:.0%} on the mixture: {'PASS' if met else 'MISS'}")
    worst_kind, worst = min(
        ((kind, value) for size in TARGETS for kind, value in kinds[size]["per_kind"].items()), key=lambda pair: pair[1]
    )
    print(
        f"target every kind >= {EVERY_KIND_TARGET:.0%} (kind by kind, 32x32 and 64x64): "
        f"{'PASS' if worst >= EVERY_KIND_TARGET else 'MISS'} (worst {worst_kind} {worst:.2%})"
    )

    results = {
        "machine": machine,
        "model": arguments.model or "shipped",
        "samples": arguments.samples,
        "per_kind": arguments.per_kind,
        "seed": arguments.seed,
        "reports": {str(size): report for size, report in mixture.items()},
        "kind_by_kind": {str(size): report for size, report in kinds.items()},
    }
    print(f"wrote {common.write_results('square_detector', results)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
