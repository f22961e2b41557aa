"""What the tests share: one central difference and one assert_close.

Test files import them by name (`from conftest import assert_close, central_difference`):
pytest puts tests/ on the import path, and this is the one place they live.

The central difference is written here, independently of purenet.gradcheck, so that a
mistake in purenet's own finite differences cannot hide the same mistake in a backward
pass (docs/backpropagation.md derives the formula and its O(h^2) error).
"""

from __future__ import annotations

import math
import re
from typing import Callable

STEP = 1e-6


def central_difference(function: Callable[[], float], values: list, step: float = STEP) -> list:
    """d function() / d values[k] for every entry, by (f(v + h) - f(v - h)) / 2h.

    values is a vector or a matrix (a list of rows) that function() reads; each entry is
    moved by +h and -h in place and restored, so the gradient has the shape of values.
    The truncation error is h^2/6 f''' (docs/backpropagation.md), about 1e-13 for h = 1e-6.
    """
    is_matrix = bool(values) and isinstance(values[0], list)
    rows = values if is_matrix else [values]
    gradient = []
    for row in rows:
        gradient_row = []
        for k, original in enumerate(row):
            row[k] = original + step
            above = function()
            row[k] = original - step
            below = function()
            row[k] = original
            gradient_row.append((above - below) / (2.0 * step))
        gradient.append(gradient_row)
    return gradient if is_matrix else gradient[0]


# The tolerances are named rel and abs, as in pytest.approx, although abs hides the built-in here.
def _first_difference(actual, expected, rel: float, abs: float, index: str) -> str | None:  # noqa: A002
    """A description of the first entry where actual and expected differ, or None if they agree."""
    if isinstance(expected, (list, tuple)):
        if not isinstance(actual, (list, tuple)):
            found = f"{type(actual).__name__} {actual!r}"
            return f"at {index or 'the top'}: expected a list of {len(expected)}, got {found}"
        if len(actual) != len(expected):
            return f"at {index or 'the top'}: expected {len(expected)} entries, got {len(actual)}"
        for position, (actual_item, expected_item) in enumerate(zip(actual, expected)):
            found = _first_difference(actual_item, expected_item, rel, abs, f"{index}[{position}]")
            if found is not None:
                return found
        return None
    if isinstance(actual, (list, tuple)) or isinstance(actual, bool) or not isinstance(actual, (int, float)):
        return f"at {index or 'the top'}: expected the number {expected!r}, got {type(actual).__name__} {actual!r}"
    if math.isnan(expected) or math.isnan(actual):
        agree = math.isnan(expected) and math.isnan(actual)
    elif math.isinf(expected) or math.isinf(actual):
        agree = actual == expected
    else:
        # pytest.approx's rule: within rel of the expected value, or within abs
        tolerance = max(rel * math.fabs(expected), abs)
        agree = math.fabs(actual - expected) <= tolerance
    if agree:
        return None
    if math.isfinite(actual) and math.isfinite(expected):
        return (
            f"at {index or 'the top'}: {actual!r} != {expected!r} "
            f"(difference {math.fabs(actual - expected):.3g} > {max(rel * math.fabs(expected), abs):.3g})"
        )
    return f"at {index or 'the top'}: {actual!r} != {expected!r}"


def assert_close(actual, expected, rel: float = 1e-9, abs: float = 1e-12) -> None:  # noqa: A002
    """Assert that two numbers, vectors or nested lists agree entry by entry.

    An entry agrees when |actual - expected| <= max(rel * |expected|, abs) (pytest.approx's
    rule); NaN agrees only with NaN and an infinity only with itself. The shapes must be
    the same. The message names the first index that differs, such as "at [2][1]".
    """
    found = _first_difference(actual, expected, rel, abs, "")
    if found is not None:
        raise AssertionError(f"not close (rel={rel:g}, abs={abs:g}) {found}")


def heading_anchors(text: str) -> set[str]:
    """GitHub's anchors for the headings of a Markdown page (for the docs' link checks)."""
    anchors = set()
    in_code = False
    for line in text.splitlines():
        if line.startswith("```"):
            in_code = not in_code
        elif not in_code and line.startswith("#"):
            title = line.lstrip("#").strip().lower()
            anchors.add(re.sub(r"[^\w\- ]", "", title).replace(" ", "-"))
    return anchors
