"""Tests for benchmarks/square_probe.py: the sweeps move the trait they name, calibration is computed right."""

import importlib.util
import json
import math
import random
from pathlib import Path

import pytest

_PATH = Path(__file__).resolve().parent.parent / "benchmarks" / "square_probe.py"
_SPEC = importlib.util.spec_from_file_location("square_probe", _PATH)
square_probe = importlib.util.module_from_spec(_SPEC)
_SPEC.loader.exec_module(square_probe)


def elongation(strokes):
    """Widest over narrowest extent of the drawing across all directions: the same at any tilt.

    About 1.4 for a square (its diagonal over its side), about 3.2 for a 3:1 rectangle.
    """
    points = [point for stroke in strokes for point in stroke]
    widths = []
    for degrees in range(0, 180, 2):
        cosine, sine = math.cos(math.radians(degrees)), math.sin(math.radians(degrees))
        projections = [x * cosine + y * sine for x, y in points]
        widths.append(max(projections) - min(projections))
    return max(widths) / min(widths)


def squarish(drawings):
    """A stand-in model that calls a drawing square exactly when it is not elongated."""
    return [1.0 if elongation(strokes) < 2.2 else 0.0 for strokes in drawings]


def test_the_aspect_sweep_really_changes_the_aspect():
    rows = square_probe.sweep(squarish, "aspect", (1.0, 3.0), drawings=20, seed=1)
    assert [row["value"] for row in rows] == [1.0, 3.0]
    assert rows[0]["mean_p_square"] == pytest.approx(1.0)
    assert rows[1]["mean_p_square"] == pytest.approx(0.0)
    assert rows[0]["called_square"] == 1.0 and rows[0]["drawings"] == 20


def test_the_points_and_strokes_sweeps_set_what_they_name():
    def count_points(drawings):
        return [sum(map(len, strokes)) / 100 for strokes in drawings]

    def count_strokes(drawings):
        return [len(strokes) / 10 for strokes in drawings]

    rows = square_probe.sweep(count_points, "points", (6, 20), drawings=10, seed=2)
    assert rows[0]["mean_p_square"] == pytest.approx(0.06, abs=0.01)
    assert rows[1]["mean_p_square"] == pytest.approx(0.20, abs=0.015)
    rows = square_probe.sweep(count_strokes, "strokes", (1, 4), drawings=10, seed=2)
    assert [row["mean_p_square"] for row in rows] == pytest.approx([0.1, 0.4])
    # Squares drawn in one to four strokes (these ten are), each with four lines of shading more.
    rows = square_probe.sweep(lambda drawings: [float(len(strokes) >= 5) for strokes in drawings], "shading", (0, 4), 10, 2)
    assert [row["mean_p_square"] for row in rows] == pytest.approx([0.0, 1.0])


@pytest.mark.parametrize("distance", [0.0, 0.1, 0.3])
def test_the_stray_mark_lies_as_far_beyond_the_square_as_asked(distance):
    square = [[(10.0, 10.0), (50.0, 10.0), (50.0, 40.0), (10.0, 40.0), (10.0, 10.0)]]  # 40 wide, 30 high: size 40
    for seed in range(8):  # every corner comes up
        marked = square_probe.with_stray_mark(square, distance, random.Random(seed))
        assert marked[:-1] == square and len(marked[-1]) == 2
        xs = [x for stroke in marked for x, _ in stroke]
        ys = [y for stroke in marked for _, y in stroke]
        assert max(xs) - min(xs) == pytest.approx(40.0 + 40.0 * distance)
        assert max(ys) - min(ys) == pytest.approx(30.0 + 40.0 * distance)


def test_the_stray_mark_sweep_moves_the_mark_away():
    def mark_inside_the_square(drawings):
        """1 where the last stroke is within the bounding box of the others (give or take the mark's length)."""
        answers = []
        for strokes in drawings:
            xs = [x for stroke in strokes[:-1] for x, _ in stroke]
            ys = [y for stroke in strokes[:-1] for _, y in stroke]
            slack = 0.02 * max(max(xs) - min(xs), max(ys) - min(ys))
            inside = all(
                min(xs) - slack <= x <= max(xs) + slack and min(ys) - slack <= y <= max(ys) + slack
                for x, y in strokes[-1]
            )
            answers.append(1.0 if inside else 0.0)
        return answers

    rows = square_probe.stray_mark_sweep(mark_inside_the_square, (0.0, 0.2), drawings=10, seed=3)
    assert [row["value"] for row in rows] == [0.0, 0.2]
    assert [row["mean_p_square"] for row in rows] == pytest.approx([1.0, 0.0])
    assert all(row["drawings"] == 10 for row in rows)


def test_calibration_of_a_worked_example():
    # Bin 0.0-0.1: p = 0.05, 0.05 with labels 0, 1 -> observed 0.5, gap 0.45, weight 2/4.
    # Bin 0.9-1.0: p = 0.95 and 1.0 with labels 1, 1 -> mean 0.975, observed 1, gap 0.025, weight 2/4.
    result = square_probe.calibration([0.05, 0.05, 0.95, 1.0], [0, 1, 1, 1])
    assert result["count"] == 4
    assert result["bins"][0]["count"] == 2 and result["bins"][0]["observed"] == pytest.approx(0.5)
    assert result["bins"][9]["count"] == 2 and result["bins"][9]["mean_predicted"] == pytest.approx(0.975)
    assert result["bins"][5]["count"] == 0 and result["bins"][5]["observed"] is None
    assert result["ece"] == pytest.approx(0.5 * 0.45 + 0.5 * 0.025)


def test_a_perfectly_calibrated_predictor_has_no_calibration_error():
    probabilities = [0.25] * 4 + [0.75] * 4
    labels = [1, 0, 0, 0] + [1, 1, 1, 0]
    assert square_probe.calibration(probabilities, labels)["ece"] == pytest.approx(0.0, abs=1e-12)


def test_calibration_refuses_mismatched_lengths():
    with pytest.raises(ValueError, match="equally long"):
        square_probe.calibration([0.5, 0.5], [1])


def test_the_probe_runs_on_the_shipped_model_at_tiny_sizes(tmp_path, capsys):
    output = tmp_path / "probe.json"
    assert square_probe.main(["--drawings", "2", "--held-out", "16", "--json", str(output)]) == 0
    printed = capsys.readouterr().out
    for trait in [*square_probe.SWEEPS, "stray_mark"]:
        assert trait in printed
    assert "expected calibration error" in printed
    results = json.loads(output.read_text(encoding="utf-8"))
    assert set(results["sweeps"]) == {*square_probe.SWEEPS, "stray_mark"}
    values = {**square_probe.SWEEPS, "stray_mark": square_probe.STRAY_MARK_DISTANCES}
    for trait, rows in results["sweeps"].items():
        assert [row["value"] for row in rows] == list(values[trait])
        assert all(0.0 <= row["mean_p_square"] <= 1.0 and row["drawings"] == 2 for row in rows)
    assert sum(row["count"] for row in results["calibration"]["bins"]) == 16
    assert 0.0 <= results["calibration"]["ece"] <= 1.0 and math.isfinite(results["calibration"]["ece"])


def test_the_probe_refuses_an_empty_sweep():
    with pytest.raises(SystemExit):
        square_probe.main(["--drawings", "0"])
