"""Where an axis puts its ticks, and how it writes their labels.

Linear axes use the classic "nice numbers" algorithm (Paul Heckbert,
"Nice Numbers for Graph Labels", Graphics Gems, 1990): every tick step is
1, 2 or 5 times a power of ten, so a reader can add up the labels in their
head (0, 0.2, 0.4, ... rather than 0, 0.17, 0.34, ...):

1. ``span = nice_number(high - low, rounding=False)``, the range rounded
   up to a nice number;
2. ``step = nice_number(span / (count - 1), rounding=True)``, the nearest
   nice number to the step that would give ``count`` ticks;
3. the ticks run from ``floor(low / step) * step`` to
   ``ceil(high / step) * step``, so they cover the data.

Logarithmic axes put a tick at every power of ten from the one at or below
the smallest value to the one at or above the largest.
"""

from __future__ import annotations

import math

# The multiples of a power of ten that make a nice step, with the fraction up to which each is
# chosen: rounding picks the nearest (thresholds halfway on a log scale), covering picks the
# smallest nice number at least as large.
NEAREST = ((1.5, 1.0), (3.0, 2.0), (7.0, 5.0))
COVERING = ((1.0, 1.0), (2.0, 2.0), (5.0, 5.0))


def nice_number(value: float, rounding: bool) -> float:
    """A number 1, 2, 5 or 10 times a power of ten near ``value > 0``.

    ``value = fraction * 10**exponent`` with ``1 <= fraction < 10``;
    rounding picks the nice fraction nearest to ``fraction``, otherwise the
    smallest nice fraction ``>= fraction``.
    """
    exponent = math.floor(math.log10(value))
    fraction = value / 10.0**exponent
    for limit, nice in NEAREST if rounding else COVERING:
        if (fraction < limit) if rounding else (fraction <= limit):
            return nice * 10.0**exponent
    return 10.0 * 10.0**exponent


def step_decimals(step: float) -> int:
    """How many decimals a multiple of ``step`` (1, 2 or 5 times a power of ten) needs: 0.2 needs 1, 0.05 needs 2."""
    return max(0, -math.floor(math.log10(step) + 1e-9))


def linear_ticks(low: float, high: float, count: int = 5, integer: bool = False) -> list[float]:
    """About ``count`` evenly spaced nice ticks with ``ticks[0] <= low`` and ``ticks[-1] >= high``.

    ``integer`` keeps the step at least 1 (epochs, counts). A range of one
    value is widened to show it in the middle.
    """
    if low > high:
        low, high = high, low
    if low == high:
        half = abs(low) / 2 if low else 1.0
        if integer:
            half = max(half, 1.0)
        low, high = low - half, high + half
    span = nice_number(high - low, rounding=False)
    step = nice_number(span / max(count - 1, 1), rounding=True)
    if integer:
        step = max(step, 1.0)
    decimals = step_decimals(step)
    first, last = math.floor(low / step + 1e-9), math.ceil(high / step - 1e-9)
    # round() removes the float noise of k * step (0.30000000000000004) without moving a tick
    return [round(index * step, decimals) + 0.0 for index in range(first, last + 1)]


def log_ticks(low: float, high: float) -> list[float]:
    """The powers of ten from the one at or below ``low > 0`` to the one at or above ``high``."""
    first = math.floor(math.log10(low) + 1e-12)
    last = math.ceil(math.log10(high) - 1e-12)
    if first == last:
        last += 1
    return [10.0**exponent for exponent in range(first, last + 1)]


def tick_labels(ticks: list[float], log: bool = False) -> list[str]:
    """The text of each tick: as many decimals as the step needs, and no more.

    Powers of ten and values beyond 10^6 or below 10^-4 are written in
    Python's short form (``1e-05``, ``1e+06``), the rest in fixed decimals.
    """
    if log or len(ticks) < 2:
        return [format(tick, "g") for tick in ticks]
    step = abs(ticks[1] - ticks[0])
    largest = max(abs(tick) for tick in ticks)
    if largest >= 1e6 or step < 1e-4:
        significant = max(1, math.floor(math.log10(largest)) - math.floor(math.log10(step) + 1e-9) + 1)
        return [format(tick, f".{significant}g") for tick in ticks]
    decimals = step_decimals(step)
    return [f"{tick:.{decimals}f}" for tick in ticks]
