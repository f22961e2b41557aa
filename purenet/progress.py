"""A small progress bar for training, written by hand (no third-party bar).

On a terminal it redraws one line in place with a carriage return; when the
stream is not a terminal (a log file, CI), it stays silent until ``finish``
writes one line per epoch.
"""

from __future__ import annotations

import sys
import time
from typing import TextIO

from .validation import check_integer


def bar(fraction: float, width: int = 24) -> str:
    """A text bar such as ``[=========>...........]`` for a fraction in [0, 1]."""
    fraction = min(max(fraction, 0.0), 1.0)
    filled = int(fraction * width)
    if filled == width:
        return "[" + "=" * width + "]"
    return "[" + "=" * filled + ">" + "." * (width - filled - 1) + "]"


class ProgressBar:
    """Progress of one epoch: ``update(done, text)`` per batch, then ``finish(text)``."""

    def __init__(self, label: str, total: int, stream: TextIO | None = None) -> None:
        self.label = label
        # At least one step: update divides by total.
        self.total = check_integer(total, "ProgressBar: total", minimum=1)
        self.stream = stream if stream is not None else sys.stderr
        self.interactive = hasattr(self.stream, "isatty") and self.stream.isatty()
        self.started = time.perf_counter()
        self._shown = 0  # length of the line now on the terminal, to erase it fully

    def update(self, done: int, text: str = "") -> None:
        """Redraw the bar after ``done`` of ``total`` steps (only on a terminal)."""
        if not self.interactive:
            return
        line = f"{self.label} {bar(done / self.total)} {done}/{self.total} {text}"
        self.stream.write("\r" + line.ljust(self._shown))
        self.stream.flush()
        self._shown = len(line)

    def finish(self, text: str = "") -> None:
        """End the line with the total time and a summary."""
        elapsed = time.perf_counter() - self.started
        line = f"{self.label} {bar(1.0)} {elapsed:.1f}s {text}"
        if self.interactive:
            # Spaces over what is left of a longer progress line.
            line = "\r" + line.ljust(self._shown)
        self.stream.write(line + "\n")
        self.stream.flush()
