"""The examples run from a clone, as the README says, and reach what they promise."""

import os
import re
import subprocess
import sys

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_example(name):
    result = subprocess.run(
        [sys.executable, os.path.join("examples", name)],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_xor_learns_all_four_points():
    assert "accuracy: 100%" in run_example("xor.py")


def test_spiral_reaches_95_percent_on_held_out_points():
    printed = run_example("spiral.py")
    match = re.search(r"held-out accuracy: ([0-9.]+)% on 300 fresh points", printed)
    assert match, printed
    assert float(match.group(1)) >= 95.0
