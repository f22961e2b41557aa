"""The command line: each command runs, says what it should, and fails in one clear line."""

import json
import os
import random
import subprocess
import sys

import pytest

import purenet as pn
from purenet import cli, squares
from purenet.squares import quickdraw, shapes

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


# --- real drawings: evaluate --drawings, train squares --extra -----------------------------

RULER_SQUARE = [[(10, 10), (60, 10), (60, 60), (10, 60), (10, 10)]]


def write_drawings(path, kind, count, word):
    """A Quick, Draw! file of generated drawings, written the way the demo's --collect writes them."""
    for seed in range(count):
        quickdraw.append(path, shapes.sample(kind, random.Random(seed)), word)
    return path


def test_evaluate_on_real_drawings_prints_the_share_called_square(tmp_path, capsys):
    path = write_drawings(tmp_path / "squares.ndjson", "square", 12, "square")
    quickdraw.append(path, RULER_SQUARE, "square")
    expected = squares.evaluate_drawings(pn.load(squares.SHIPPED_MODEL), [d["strokes"] for d in quickdraw.read(path)])
    arguments = ["evaluate", squares.SHIPPED_MODEL, "--drawings", str(path), "--label", "square", "--samples", "40"]
    assert cli.main(arguments) == 0
    printed = capsys.readouterr().out
    share = f"{expected['share_square']:.2%}"
    assert f"called square: {share} ({expected['called_square']} of 13 drawings from {path}, at 32x32)" in printed
    assert f"accuracy on these squares: {share}" in printed
    # Then, as without --drawings, the report on fresh generated drawings (--samples and --seed apply to it).
    real, generated = printed.split("on fresh generated drawings:\n")
    report = squares.evaluate(pn.load(squares.SHIPPED_MODEL), samples=40)
    assert generated.strip() == squares.format_report(report).strip()
    assert "per kind" not in real


def test_evaluate_on_drawings_of_other_things_reports_the_accuracy_as_the_rest(tmp_path, capsys):
    path = write_drawings(tmp_path / "circles.ndjson", "circle", 8, "circle")
    arguments = ["evaluate", squares.SHIPPED_MODEL, "--drawings", str(path), "--label", "other", "--limit", "5",
                 "--samples", "20"]
    assert cli.main(arguments) == 0
    printed = capsys.readouterr().out
    called = float(printed.split("called square: ")[1].split("%")[0])
    accuracy = float(printed.split("accuracy on these drawings of other things: ")[1].split("%")[0])
    assert "of 5 drawings" in printed
    assert called + accuracy == pytest.approx(100.0, abs=0.011)


def test_train_squares_learns_from_extra_drawings_and_says_how_many(tmp_path, capsys):
    square_file = write_drawings(tmp_path / "mine.ndjson", "square", 30, "square")
    other_file = write_drawings(tmp_path / "theirs.ndjson", "circle", 10, "circle")
    out = tmp_path / "with_extra.json"
    code = cli.main([
        "train", "squares", "--samples", "200", "--epochs", "1", "--quiet", "--out", str(out),
        "--extra", f"{square_file}:square", "--extra", f"{other_file}:other",
    ])
    assert code == 0
    printed = capsys.readouterr().out
    # 30 squares: 3 test, 3 validation, 24 training; 10 others: 1, 1, 8.
    assert "extra drawings used: 40 (32 training, 4 validation, 4 test), with 200 generated ones" in printed
    assert "extra square" in printed and "extra other" in printed
    metadata = pn.load(out).metadata
    assert f"--extra {square_file}:square --extra {other_file}:other" in metadata["command"]
    assert metadata["extra"] == [
        {"file": str(square_file), "label": "square", "drawings": 30},
        {"file": str(other_file), "label": "other", "drawings": 10},
    ]
    assert metadata["test"]["extra"] == {"train": 32, "validation": 4, "test": 4}
    assert metadata["test"]["samples"] == 20 + 4


def test_train_squares_labels_a_collected_file_by_each_drawings_word(tmp_path, capsys):
    # A file as `demo --collect` writes it: squares and others in one file, the label as the word.
    collected = write_drawings(tmp_path / "collected.ndjson", "square", 20, "square")
    with open(write_drawings(tmp_path / "others.ndjson", "triangle", 10, "other"), encoding="utf-8") as others:
        with open(collected, "a", encoding="utf-8") as file:
            file.write(others.read())
    out = tmp_path / "by_word.json"
    code = cli.main(["train", "squares", "--samples", "200", "--epochs", "1", "--quiet", "--out", str(out),
                     "--extra", f"{collected}:word"])
    assert code == 0
    printed = capsys.readouterr().out
    assert f"extra drawings: 30 from {collected} (20 as 'square', 10 as 'other')" in printed
    # 20 squares: 2 test, 2 validation, 16 training; 10 others: 1, 1, 8.
    assert "extra drawings used: 30 (24 training, 3 validation, 3 test), with 200 generated ones" in printed
    assert pn.load(out).metadata["test"]["extra"] == {"train": 24, "validation": 3, "test": 3}


@pytest.mark.parametrize(
    "spec, message",
    [
        ("EXISTING", "must be FILE.ndjson:square, FILE.ndjson:other or FILE.ndjson:word"),
        (":square", "must be FILE.ndjson:square, FILE.ndjson:other or FILE.ndjson:word"),
        ("EXISTING:round", "unknown label 'round'"),
        ("EXISTING:", "unknown label ''"),
        ("no-such-file.ndjson:square", "no such file 'no-such-file.ndjson'"),
    ],
)
def test_a_bad_extra_spec_is_refused_before_training(tmp_path, capsys, spec, message):
    existing = write_drawings(tmp_path / "some.ndjson", "square", 1, "square")
    with pytest.raises(SystemExit) as raised:
        cli.main(["train", "squares", "--extra", spec.replace("EXISTING", str(existing))])
    assert raised.value.code == 2
    error = capsys.readouterr().err
    assert "argument --extra" in error and message in error and "Traceback" not in error


def test_real_drawing_errors_are_one_line(tmp_path, capsys):
    broken = tmp_path / "broken.ndjson"
    broken.write_text('{"word": "square", "drawing": [[[0, 1], [0, 1]]]}\n{"word": "square"}\n')
    assert cli.main(["evaluate", squares.SHIPPED_MODEL, "--drawings", str(broken)]) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"error: file {str(broken)!r}, line 2: has no \"drawing\"")
    assert len(error.strip().splitlines()) == 1
    assert cli.main(["evaluate", squares.SHIPPED_MODEL, "--label", "square"]) == 2
    assert "give that file too" in capsys.readouterr().err
    assert cli.main(["train", "squares", "--extra", f"{broken}:square", "--out", str(tmp_path / "m.json")]) == 2
    assert "line 2" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
    # An empty file of extra drawings is refused before training, as evaluate refuses one.
    empty = tmp_path / "empty.ndjson"
    empty.write_text("")
    assert cli.main(["train", "squares", "--extra", f"{empty}:square", "--out", str(tmp_path / "m.json")]) == 2
    assert f"file {str(empty)!r} holds no drawings" in capsys.readouterr().err
    assert not (tmp_path / "m.json").exists()
