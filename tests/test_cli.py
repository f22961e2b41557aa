"""The command line: each command runs, says what it should, and fails in one clear line."""

import json
import os
import random
import subprocess
import sys

import pytest

import purenet as pn
from purenet import cli, squares
from purenet.squares import shapes

REPOSITORY = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def run_module(*arguments):
    """Run ``python -m purenet ARGUMENTS`` from the repository, as a user would from a clone."""
    return subprocess.run(
        [sys.executable, "-m", "purenet", *arguments],
        cwd=REPOSITORY,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_help_lists_the_commands():
    result = run_module("--help")
    assert result.returncode == 0
    for command in ("train", "evaluate", "predict"):
        assert command in result.stdout


def test_train_spiral_reports_held_out_accuracy(capsys, tmp_path):
    out = tmp_path / "spiral.json"
    assert cli.main(["train", "spiral", "--epochs", "5", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "held-out accuracy" in printed
    assert pn.load(out).metadata["task"] == "spiral"


def test_train_squares_saves_a_model_with_its_record(capsys, tmp_path):
    out = tmp_path / "squares.json"
    code = cli.main(["train", "squares", "--samples", "200", "--epochs", "1", "--seed", "3", "--quiet", "--out", str(out)])
    assert code == 0
    printed = capsys.readouterr().out
    assert "confusion matrix" in printed and "per kind" in printed
    metadata = pn.load(out).metadata
    assert "--samples 200" in metadata["command"] and "--seed 3" in metadata["command"]
    assert metadata["test"]["samples"] == 20
    assert metadata["evaluation"]["samples"] == 2000


def test_evaluate_the_shipped_model_at_64(capsys):
    assert cli.main(["evaluate", squares.SHIPPED_MODEL, "--size", "64", "--samples", "100"]) == 0
    printed = capsys.readouterr().out
    assert "on 100 drawings at 64x64" in printed


def test_evaluate_the_shipped_model_at_16_enlarges_along_the_curve(capsys):
    # drawing.model_input repeats each 16 x 16 value 4 times along the curve for the 32 x 32 model.
    assert cli.main(["evaluate", squares.SHIPPED_MODEL, "--size", "16", "--samples", "60"]) == 0
    printed = capsys.readouterr().out
    assert "on 60 drawings at 16x16" in printed


def write_pgm(path, rows):
    """A plain (P2) PGM: white background 255, black ink 0."""
    lines = ["P2", f"{len(rows[0])} {len(rows)}", "255"]
    lines += [" ".join("0" if ink else "255" for ink in row) for row in rows]
    path.write_text("\n".join(lines) + "\n")


def test_predict_a_pgm_picture_of_a_square(tmp_path, capsys):
    side = 40
    rows = [[(x in (8, 31) or y in (8, 31)) and 8 <= x <= 31 and 8 <= y <= 31 for x in range(side)] for y in range(side)]
    picture = tmp_path / "square.pgm"
    write_pgm(picture, rows)
    assert cli.main(["predict", squares.SHIPPED_MODEL, str(picture)]) == 0
    assert capsys.readouterr().out.startswith("square (p = ")


def test_predict_a_json_drawing_of_a_circle(tmp_path, capsys):
    circle = shapes.sample("circle", random.Random(11))
    path = tmp_path / "circle.json"
    path.write_text(json.dumps({"strokes": [[list(point) for point in stroke] for stroke in circle]}))
    assert cli.main(["predict", squares.SHIPPED_MODEL, str(path)]) == 0
    assert capsys.readouterr().out.startswith("not square (p = ")


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["evaluate", "no-such-model.json"], "no such model file"),
        (["predict", "CORRUPT", "x.pgm"], "not valid JSON"),
        (["predict", squares.SHIPPED_MODEL, "BAD_IMAGE"], "BAD_IMAGE"),
    ],
)
def test_errors_are_one_line_without_a_traceback(tmp_path, arguments, message):
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_text('{"format": "purenet-model", "version": 1, "layers": [')
    bad_image = tmp_path / "bad.pgm"
    bad_image.write_text("P7 this is not a picture")
    replaced = [str(corrupt) if a == "CORRUPT" else str(bad_image) if a == "BAD_IMAGE" else a for a in arguments]
    message = str(bad_image) if message == "BAD_IMAGE" else message
    result = run_module(*replaced)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("option, value", [("--size", "48"), ("--epochs", "0"), ("--lr", "-1"), ("--optimizer", "x")])
def test_impossible_options_are_refused_by_the_parser(option, value):
    result = run_module("train", "squares", option, value)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert option in result.stderr
