"""Write examples/data/fruit.csv: made-up measurements of apples, lemons and oranges, from a seed.

Run from the repository root:  python examples/data/make_fruit_csv.py

The numbers are invented, not measured, but plausible: a fruit is an
ellipsoid of width w and height h (cm), so its volume is (pi/6) w^2 h and its
weight that volume times a density near 0.85 g/cm^3; its hue is the angle of
its colour on the colour wheel (0 red, 30 orange, 60 yellow, 90 green),
with one apple in three a green one. Apples and oranges are about the same
size, so the network needs the colour; green apples and lemons are about the
same colour, so it needs the shape: no single column tells the three apart.
tests/test_first_network_page.py checks that the file is what this script writes.
"""

from __future__ import annotations

import math
import os
import random
import sys

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
sys.path.insert(0, ROOT)

from purenet.atomic import write_atomically  # noqa: E402  (after the path line, so the script runs from a clone)

PATH = os.path.join(ROOT, "examples", "data", "fruit.csv")
ROWS_PER_FRUIT = 60
SEED = 2024

# fruit: (mean width cm, sd, mean height cm, sd, density g/cm^3, [(hue mean deg, sd, share), ...])
FRUITS = {
    "apple": (7.4, 0.5, 6.9, 0.5, 0.80, [(12.0, 10.0, 2 / 3), (85.0, 12.0, 1 / 3)]),
    "lemon": (5.9, 0.45, 7.9, 0.6, 0.90, [(58.0, 8.0, 1.0)]),
    "orange": (7.6, 0.55, 7.3, 0.5, 0.87, [(32.0, 7.0, 1.0)]),
}


def fruit_row(fruit: str, rng: random.Random) -> list[str]:
    width_mean, width_sd, height_mean, height_sd, density, hues = FRUITS[fruit]
    width = rng.gauss(width_mean, width_sd)
    height = rng.gauss(height_mean, height_sd)
    weight = density * math.pi / 6.0 * width * width * height * rng.gauss(1.0, 0.06)
    pick, total = rng.random(), 0.0
    for hue_mean, hue_sd, share in hues:
        total += share
        if pick < total:
            break
    hue = min(max(rng.gauss(hue_mean, hue_sd), 0.0), 120.0)
    return [f"{weight:.1f}", f"{width:.2f}", f"{height:.2f}", f"{hue:.1f}", fruit]


def fruit_table(seed: int = SEED) -> str:
    """The CSV text: a header, then the rows of the three fruits shuffled together."""
    rng = random.Random(seed)
    rows = [fruit_row(fruit, rng) for fruit in FRUITS for _ in range(ROWS_PER_FRUIT)]
    rng.shuffle(rows)
    lines = ["weight_g,width_cm,height_cm,hue_deg,fruit"] + [",".join(row) for row in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    write_atomically(PATH, fruit_table())
    print(f"wrote {os.path.relpath(PATH)}: {3 * ROWS_PER_FRUIT} rows")
