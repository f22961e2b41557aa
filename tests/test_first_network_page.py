"""docs/first-network.md, followed as a new user would: every command run in a folder laid out like a fresh clone,
every printed number and every error message the page quotes compared with what really comes out.

The numbers are compared with a tolerance of one unit in the last printed digit (or 1e-3 relative); the
accuracies and counts must match exactly, since one validation row more or less changes them by a whole step.
How long each step takes is measured by hand and stated in the page, never by a test (DEVELOPERS.md, rule 4).
"""

from __future__ import annotations

import math
import random
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGE_PATH = ROOT / "docs" / "first-network.md"
PAGE = PAGE_PATH.read_text(encoding="utf-8")
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")


def block_after(marker: str, language: str | None = None, skip: int = 0) -> str:
    """The code of the first fenced block (of ``language``, if given) after the first occurrence of marker."""
    start = PAGE.index(marker)
    found = [
        block for block in FENCE.finditer(PAGE)
        if block.end() > start + len(marker) and (language is None or block.group(1) == language)
    ]
    assert len(found) > skip, f"no block after {marker!r} in docs/first-network.md"
    return found[skip].group(2)


def close(actual: str, expected: str) -> bool:
    """Two printed numbers agree: within one unit of the last printed digit, or 1e-3 relative."""
    digits = len(expected.split(".")[1]) if "." in expected and "e" not in expected.lower() else 0
    a, e = float(actual), float(expected)
    return math.isclose(a, e, rel_tol=1e-3, abs_tol=10.0**-digits * 1.000001 if digits else 0.0)


def assert_same_output(actual: str, expected: str) -> None:
    """The same lines, the same words, and the same numbers to the tolerance of ``close``."""
    actual_lines, expected_lines = actual.rstrip().splitlines(), expected.rstrip().splitlines()
    assert len(actual_lines) == len(expected_lines), f"printed:\n{actual}\nthe page:\n{expected}"
    for actual_line, expected_line in zip(actual_lines, expected_lines):
        same_words = NUMBER.split(actual_line.rstrip()) == NUMBER.split(expected_line.rstrip())
        numbers = list(zip(NUMBER.findall(actual_line), NUMBER.findall(expected_line)))
        assert same_words and all(close(a, e) for a, e in numbers), f"printed: {actual_line}\nthe page: {expected_line}"


def test_the_comparison_can_fail():
    assert close("0.0297", "0.0296") and not close("0.0298", "0.0296")
    assert not close("97.2", "94.4") and close("131", "131") and not close("130", "131")
    with pytest.raises(AssertionError):
        assert_same_output("validation accuracy: 91.7%", "validation accuracy: 94.4%")
    with pytest.raises(AssertionError):
        assert_same_output("prediction: lemon", "prediction: apple")


@pytest.fixture()
def clone(tmp_path: Path) -> Path:
    """A folder laid out like a fresh clone: the package and the examples, nothing else (no PYTHONPATH)."""
    folder = tmp_path / "purenet"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    shutil.copytree(ROOT / "purenet", folder / "purenet", ignore=ignore)
    shutil.copytree(ROOT / "examples", folder / "examples", ignore=ignore)
    return folder


def run(folder: Path, *arguments: str, check: bool = True) -> subprocess.CompletedProcess:
    result = subprocess.run(
        [sys.executable, *arguments], cwd=folder, capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "PYTHONDONTWRITEBYTECODE": "1"},
    )
    if check:
        assert result.returncode == 0, result.stderr
    return result


def last_line(result: subprocess.CompletedProcess) -> str:
    assert result.returncode != 0, result.stdout
    return result.stderr.rstrip().splitlines()[-1]


# --- steps 3 and 4: the example and its table ------------------------------------------------------


def test_step_3_the_example_prints_what_the_page_shows(clone):
    result = run(clone, "examples/first_network.py")
    assert_same_output(result.stdout, block_after("python examples/first_network.py", "text"))
    assert "epoch 100/100" in result.stderr  # the progress the page mentions, on stderr
    assert (clone / "my_first_network.json").is_file()


def test_step_4_the_head_of_the_table_is_what_the_page_shows():
    head = "".join((ROOT / "examples" / "data" / "fruit.csv").read_text(encoding="utf-8").splitlines(True)[:5])
    assert head == block_after("head -5 examples/data/fruit.csv", "text")


def test_the_fruit_table_is_what_its_seeded_script_writes_and_is_small(clone):
    path = ROOT / "examples" / "data" / "fruit.csv"
    assert path.stat().st_size < 20_000
    (clone / "examples" / "data" / "fruit.csv").unlink()
    printed = run(clone, "examples/data/make_fruit_csv.py").stdout
    assert printed.startswith("wrote ") and "180 rows" in printed
    assert (clone / "examples" / "data" / "fruit.csv").read_bytes() == path.read_bytes()


# --- steps 5 to 8: your own table ----------------------------------------------------------------


def own_network(folder: Path) -> None:
    """Steps 5 and 6, as the page says: my_data.csv typed in, the script copied and its four lines changed."""
    (folder / "my_data.csv").write_text(block_after("No table at hand?", "csv"), encoding="utf-8")
    script = (folder / "examples" / "first_network.py").read_text(encoding="utf-8")
    for line in block_after("Open\n`my_network.py` in an editor", "python").splitlines():
        name = line.split(" = ")[0]
        script, count = re.subn(rf"^{name} = .*$", lambda _: line, script, flags=re.MULTILINE)
        assert count == 1, f"the script has {count} lines setting {name}"
    (folder / "my_network.py").write_text(script, encoding="utf-8")


def test_steps_5_to_8_your_own_table_trained_saved_loaded_and_used(clone):
    own_network(clone)
    result = run(clone, "my_network.py")
    assert_same_output(result.stdout, block_after("python my_network.py", "text"))
    assert (clone / "my_network.json").is_file()
    (clone / "predict.py").write_text(block_after("Save this as `predict.py`", "python"), encoding="utf-8")
    assert_same_output(run(clone, "predict.py").stdout, block_after("Save this as `predict.py`", "text"))


def test_the_regression_example_prints_what_the_page_shows_and_its_comparison_holds(clone):
    code = block_after("If what you predict is a number", "python")
    (clone / "regression.py").write_text(code, encoding="utf-8")
    assert_same_output(run(clone, "regression.py").stdout, block_after("If what you predict is a number", "text"))
    # The formula the table was made with, on the same 36 validation fruit: the figures the page compares with.
    sys.path.insert(0, str(ROOT))
    try:
        from purenet.datasets import read_csv
    finally:
        sys.path.remove(str(ROOT))
    X, y, _, class_names = read_csv(ROOT / "examples" / "data" / "fruit.csv", target="fruit")
    order = list(range(len(X)))
    random.Random(0).shuffle(order)
    density = {"apple": 0.80, "lemon": 0.90, "orange": 0.87}
    average = sum(density.values()) / 3

    def formula_error(density_of) -> float:
        errors = [abs(X[i][0] - density_of(i) * math.pi / 6 * X[i][1] ** 2 * X[i][2]) for i in order[:36]]
        return sum(errors) / len(errors)

    assert f"average density {average:.3f}" in PAGE
    assert f"is off by {formula_error(lambda i: average):.1f} g" in PAGE
    assert f"({formula_error(lambda i: density[class_names[y[i]]]):.1f} g with each" in PAGE


# --- the errors the page quotes ----------------------------------------------------------------------


def edit_line(path: Path, number: int, text: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[number - 1] = text
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def quoted(message: str) -> bool:
    """The message is in the page: a block of its own, or a cell of the table in backticks."""
    return any(block.group(2).strip() == message for block in FENCE.finditer(PAGE)) or f"`{message}`" in PAGE


def test_the_page_states_the_time_of_every_step_and_they_add_up_to_under_10_minutes():
    assert not re.search(r"[A-Z]+_SECONDS|MACHINE", PAGE)  # every measurement filled in
    steps = [line for line in PAGE.splitlines() if re.match(r"\| \[\d\]\(#", line)]
    assert len(steps) == 8
    estimates = []
    for line in steps:
        match = re.search(r"about (\d+) (s|minutes?) \|$", line)
        assert match, f"no time for the step: {line}"
        estimates.append(int(match.group(1)) * (1 if match.group(2) == "s" else 60))
    total = re.search(r"steps 1 to 7\)\*\* \| .* \| \*\*about (\d+) minutes\*\* \|$", PAGE, re.MULTILINE)
    assert total and int(total.group(1)) == round(sum(estimates[:7]) / 60) and sum(estimates) < 600


ERRORS = {
    "a word in a number column": lambda folder: edit_line(folder / "my_data.csv", 7, "7,strong,1,no"),
    "an empty cell": lambda folder: edit_line(folder / "my_data.csv", 7, "7,,1,no"),
    "a value left out": lambda folder: edit_line(folder / "my_data.csv", 7, "7,40,no"),
    "a target that is not there": lambda folder: (folder / "my_network.py").write_text(
        (folder / "my_network.py").read_text(encoding="utf-8").replace('TARGET = "cycled"', 'TARGET = "Cycled"')
    ),
    "semicolons": lambda folder: (folder / "my_data.csv").write_text(
        (folder / "my_data.csv").read_text(encoding="utf-8").replace(",", ";")
    ),
    "a decimal comma": lambda folder: decimal_comma(folder),
    "an older encoding": lambda folder: (folder / "my_data.csv").write_bytes(
        (folder / "my_data.csv").read_text(encoding="utf-8").replace("temperature", "température").encode("cp1252")
    ),
    "NEW_ROW of a fruit": lambda folder: (folder / "my_network.py").write_text(re.sub(
        r"^NEW_ROW = .*$", 'NEW_ROW = {"weight_g": 150.0, "width_cm": 7.0, "height_cm": 6.6, "hue_deg": 80.0}',
        (folder / "my_network.py").read_text(encoding="utf-8"), flags=re.MULTILINE,
    )),
    "a measurement as the class": lambda folder: (folder / "my_network.py").write_text(
        (folder / "my_network.py").read_text(encoding="utf-8")
        .replace('CSV_FILE = "my_data.csv"', 'CSV_FILE = "examples/data/fruit.csv"')
        .replace('TARGET = "cycled"', 'TARGET = "weight_g"')
    ),
    "too few rows": lambda folder: (folder / "my_data.csv").write_text(
        "".join((folder / "my_data.csv").read_text(encoding="utf-8").splitlines(True)[:4])
    ),
}


def decimal_comma(folder: Path) -> None:
    """The page's fix for semicolons applied (delimiter=";"), then a decimal comma on line 2."""
    script = (folder / "my_network.py").read_text(encoding="utf-8")
    call = 'read_csv(CSV_FILE, target=TARGET, delimiter=";")'
    assert f"`{call}`" in PAGE
    (folder / "my_network.py").write_text(script.replace("read_csv(CSV_FILE, target=TARGET)", call))
    text = (folder / "my_data.csv").read_text(encoding="utf-8").replace(",", ";").replace("18;10;0", "18,5;10;0", 1)
    (folder / "my_data.csv").write_text(text)


@pytest.mark.parametrize("mistake", list(ERRORS))
def test_each_mistake_gives_the_message_the_page_quotes(clone, mistake):
    own_network(clone)
    ERRORS[mistake](clone)
    message = last_line(run(clone, "my_network.py", check=False))
    assert quoted(message), f"{mistake}: the page does not quote\n{message}"


def test_running_from_another_folder_and_a_copy_outside_give_the_messages_the_page_quotes(clone, tmp_path):
    assert quoted(last_line(run(clone / "examples", "first_network.py", check=False)))
    own_network(clone)
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    shutil.copy(clone / "my_network.py", outside / "my_network.py")
    assert quoted(last_line(run(outside, "my_network.py", check=False)))


def test_the_figures_in_the_prose_are_those_of_the_printed_output():
    fruit = block_after("python examples/first_network.py", "text")
    prose = re.sub(r"\s+", " ", PAGE[PAGE.index("What happened, in the order") : PAGE.index("## 4. Look at")])
    training, validation = re.findall(r"^(?:training|validation) accuracy: +([\d.]+)%", fruit, re.MULTILINE)
    losses = re.findall(r"\(loss ([\d.]+)\)", fruit)
    assert f"{training}% of the training rows and {validation}% of the validation rows" in prose
    assert f"({round(float(validation) / 100 * 36)} of 36)" in prose
    assert f"the losses {losses[0]} and {losses[1]}" in prose
    assert f"Total parameters: {re.search(r'([0-9]+) numbers to learn', prose).group(1)}" in fruit
    wrong = {line.split()[0]: [int(count) for count in line.split()[1:]] for line in fruit.splitlines()[-6:-3]}
    assert wrong == {"apple": [9, 0, 0], "lemon": [0, 11, 1], "orange": [1, 0, 14]}
    assert "a lemon taken for an orange and an orange taken for an apple" in prose
    own = block_after("python my_network.py", "text")
    counts = {line.split()[0]: sum(map(int, line.split()[1:])) for line in own.splitlines()[-5:-3]}
    total = re.search(r"Total parameters: (\d+)", own).group(1)
    assert f"holds its {total} numbers" in PAGE
    assert f'{counts["no"]} "no"\nand {counts["yes"]} "yes"' in PAGE and f"each row {round(100 / 6)}% of it" in PAGE
