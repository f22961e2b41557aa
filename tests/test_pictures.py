"""The pictures in docs/images/ are what `python docs/pictures.py` draws now, and docs/generalisation.md quotes what it
measures: every number of the page is checked against the script's figures, or against the settings it uses.

The script runs once for the whole module: XOR, examples/spiral.py's run and three runs on 30 points, about 15
seconds of processor time. Its runs are seeded and its coordinates written with two decimals, so Python 3.10 to 3.13
draw the same bytes (3.12's math.sumprod changes the last bits of the training, never a written coordinate). The one
part of a picture that does not depend on purenet alone is the zlib compression of the PNG images embedded in some
SVGs: the compressed bytes depend on the zlib library a Python is built with, so an embedded PNG is compared by its
header and its pixel rows.
"""

from __future__ import annotations

import base64
import importlib.util
import math
import re
import struct
import xml.etree.ElementTree as ElementTree
import zlib
from pathlib import Path

import pytest

import purenet as pn

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "images"
PAGE = ROOT / "docs" / "generalisation.md"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
DATA_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")


def load_script():
    """docs/pictures.py as a module (it is a script in docs/, not part of the package)."""
    spec = importlib.util.spec_from_file_location("docs_pictures", ROOT / "docs" / "pictures.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    """(the script, the folder it wrote to, its pictures, its figures): one run for every test here."""
    script = load_script()
    pictures, figures = script.build()
    folder = tmp_path_factory.mktemp("pictures")
    script.write_pictures(pictures, folder)
    return script, folder, pictures, figures


# --- the pictures ---------------------------------------------------------------------------------------------------


def png_content(data: bytes) -> bytes:
    """A PNG's header and its rows, decompressed: what it shows, whatever zlib compressed it."""
    assert data.startswith(PNG_SIGNATURE)
    position, header, compressed = len(PNG_SIGNATURE), b"", b""
    while position < len(data):
        (length,) = struct.unpack(">I", data[position : position + 4])
        kind = data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            compressed += body
        position += 12 + length
    return header + zlib.decompress(compressed)


def comparable(svg: bytes) -> bytes:
    """An SVG's bytes with each embedded PNG replaced by what it shows."""
    text = svg.decode("utf-8")
    return DATA_URI.sub(lambda match: "png:" + png_content(base64.b64decode(match.group(1))).hex(), text).encode()


def test_comparing_sees_pixels_not_compression():
    rows = b"\x00\xff\x00\x00" * 3
    header = struct.pack(">IIBBBBB", 1, 3, 8, 2, 0, 0, 0)

    def png(payload: bytes) -> bytes:
        def chunk(kind: bytes, body: bytes) -> bytes:
            return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

        return PNG_SIGNATURE + chunk(b"IHDR", header) + chunk(b"IDAT", payload) + chunk(b"IEND", b"")

    def svg(data: bytes) -> bytes:
        return f'<svg><image href="data:image/png;base64,{base64.b64encode(data).decode()}"/></svg>'.encode()

    fast, best = svg(png(zlib.compress(rows, 1))), svg(png(zlib.compress(rows, 9)))
    other = svg(png(zlib.compress(b"\x00\x00\xff\x00" * 3, 9)))
    assert comparable(fast) == comparable(best)
    assert comparable(best) != comparable(other)


def test_every_picture_is_current(drawn):
    script, folder, pictures, _ = drawn
    stale = []
    for name in pictures:
        committed = IMAGES / name
        assert committed.is_file(), f"docs/images/{name} is missing: run python docs/pictures.py and commit it"
        if comparable((folder / name).read_bytes()) != comparable(committed.read_bytes()):
            stale.append(name)
    assert not stale, f"docs/images/ is out of date ({', '.join(stale)}): run python docs/pictures.py and commit"


def test_every_picture_in_docs_images_has_a_maker(drawn):
    script, _, pictures, _ = drawn
    present = {path.name for path in IMAGES.iterdir() if path.is_file()}
    unknown = sorted(present - set(pictures) - set(script.OTHER_PICTURES))
    assert not unknown, f"docs/images/ holds {unknown}: name what makes it in OTHER_PICTURES of docs/pictures.py"
    for name in ("spiral-overfitting.svg", "graph-neuron.svg"):
        assert name in present and (ROOT / script.OTHER_PICTURES[name]).is_file()


def test_pictures_are_whole_svg_files_written_atomically(drawn):
    _, folder, pictures, _ = drawn
    assert sorted(path.name for path in folder.iterdir()) == sorted(pictures)  # no temporary file left behind
    for name in pictures:
        root = ElementTree.fromstring((folder / name).read_text(encoding="utf-8"))
        assert root.tag == "{http://www.w3.org/2000/svg}svg" and root.find("{http://www.w3.org/2000/svg}title").text


def test_the_pictures_train_what_the_examples_train():
    """The loss curves and regions are those of examples/spiral.py and examples/xor.py, not of a lookalike."""
    script = (ROOT / "docs" / "pictures.py").read_text(encoding="utf-8")
    for example, fragments in (
        (
            "spiral.py",
            [
                "spiral(points_per_class=100, classes=3, seed=0)",
                "spiral(points_per_class=100, classes=3, seed=1)",
                "rng = random.Random(0)",
                "lr=0.01",
                "batch_size=32",
                "validation=0.2",
                "seed=0,",
                "loss=pn.SoftmaxCrossEntropy()",
            ],
        ),
        (
            "xor.py",
            [
                'pn.Dense(2, 8, init="xavier", rng=rng), pn.Tanh(), pn.Dense(8, 2, init="xavier", rng=rng)',
                "optimizer=pn.Adam(model.parameters(), lr=0.05), epochs=300, batch_size=4, verbose=0",
            ],
        ),
    ):
        text = (ROOT / "examples" / example).read_text(encoding="utf-8")
        for fragment in fragments:
            assert (
                fragment in text and fragment in script
            ), f"{fragment!r} differs between examples/{example} and docs/pictures.py"
    spiral_example = (ROOT / "examples" / "spiral.py").read_text(encoding="utf-8")
    assert "pn.Dense(2, 64, rng=rng), pn.ReLU(), pn.Dense(64, 3, rng=rng)" in spiral_example
    assert "epochs=100," in spiral_example
    module = load_script()
    assert (module.SPIRAL_HIDDEN, module.SPIRAL_EPOCHS) == (64, 100)


def test_the_early_stopping_run_is_the_plain_run_stopped(drawn):
    """The page says so: the same weights, the same batches, so the same curves until it stops."""
    _, _, _, figures = drawn
    plain, stopped = figures["histories"]["plain"], figures["histories"]["early stopping"]
    epochs = len(stopped["loss"])
    assert epochs < len(plain["loss"])
    for key in ("loss", "val_loss"):
        assert stopped[key] == plain[key][:epochs]


# --- docs/generalisation.md -------------------------------------------------------------------------------------------


def table(text: str, first_header: str) -> list[list[str]]:
    """The body rows of the Markdown table whose first header cell is ``first_header``."""
    lines = text.splitlines()
    start = next(index for index, line in enumerate(lines) if line.startswith(f"| {first_header} |"))
    rows = []
    for line in lines[start + 2 :]:
        if not line.startswith("|"):
            break
        rows.append([cell.strip() for cell in line.strip("|").split("|")])
    return rows


def quoted(shown: str, value: float) -> bool:
    """Whether ``shown`` (as written on the page) is ``value`` rounded to the decimals shown."""
    decimals = len(shown.partition(".")[2])
    return abs(float(shown) - value) <= 0.5 * 10**-decimals + 1e-9


def exercise_figures(script) -> dict[str, float]:
    """The exercise's answer, from the run's settings: what AdamW's decay leaves of a weight no gradient pushes."""
    steps_per_epoch = 3 * script.SMALL_POINTS // script.SMALL_BATCH
    factor = 1 - script.SMALL_LR * script.WEIGHT_DECAY
    steps = script.SMALL_EPOCHS * steps_per_epoch
    halving_steps = math.log(2) / -math.log(factor)
    return {
        "steps per epoch": steps_per_epoch,
        "factor": factor,
        "steps": steps,
        "left": factor**steps,
        "halving steps": halving_steps,
        "halving epochs": halving_steps / steps_per_epoch,
    }


def test_the_exercise_answer():
    script = load_script()
    answer = exercise_figures(script)
    assert answer["steps per epoch"] == 6 and answer["steps"] == 900  # the page's numbers are read in the test below
    # and AdamW does shrink a weight with a zero gradient that way, step after step
    layer = pn.Dense(1, 1, rng=0)
    layer.weight[0][0] = 1.0
    optimizer = pn.AdamW([layer.weight], lr=script.SMALL_LR, weight_decay=script.WEIGHT_DECAY)
    for _ in range(answer["steps"]):
        layer.weight.grad = [[0.0]]
        optimizer.step()
    assert layer.weight[0][0] == pytest.approx(answer["left"], rel=1e-9)


def test_the_generalisation_page_quotes_the_measured_figures(drawn):
    script, _, _, figures = drawn
    text = PAGE.read_text(encoding="utf-8")
    spiral, runs = figures["spiral"], figures["runs"]

    # the spiral's table
    rows = {row[0]: row[1:] for row in table(text, "measured on")}
    for label, loss, accuracy in (
        ("the 240 training points (mean over the last epoch)", "training loss", "training accuracy"),
        ("the 60 validation points", "validation loss", "validation accuracy"),
        ("300 fresh points (another seed), after training", "fresh loss", "fresh accuracy"),
    ):
        shown = rows[label]
        assert quoted(shown[0], spiral[loss]) and quoted(shown[1], spiral[accuracy]), f"{label}: {shown}"

    # the regularisation table
    rows = {row[0]: row[1:] for row in table(text, "run")}
    for label, name in (
        ("no regularisation", "plain"),
        (f"weight decay {script.WEIGHT_DECAY}", "weight decay"),
        (f"early stopping, patience {script.PATIENCE}", "early stopping"),
    ):
        run, shown = runs[name], rows[label]
        expected = [run["epochs"], run["kept epoch"], run["training loss"], run["validation loss"], run["test loss"]]
        expected += [run["test accuracy"], run["largest weight"]]
        for cell, value in zip(shown, expected):
            assert quoted(cell, value), f"{label}: {cell} on the page, {value} measured"

    # the claims in the prose, each read where it is made
    claims = [
        (
            r"between\s+(\d+(?:\.\d+)?) \(its lowest, at epoch (\d+)\) and (\d+(?:\.\d+)?)",
            [
                spiral["lowest validation loss of the last 40 epochs"],
                spiral["lowest validation epoch"],
                spiral["highest validation loss of the last 40 epochs"],
            ],
        ),
        (
            r"falls from (\d+(?:\.\d+)?) \(epoch 60\) to (\d+(?:\.\d+)?)",
            [spiral["training loss at epoch 60"], spiral["training loss"]],
        ),
        (
            r"gets (\d+) of the (\d+) validation points right",
            [spiral["validation points"] - spiral["validation errors"], spiral["validation points"]],
        ),
        (
            r"point of class (\d) at the very tip of its arm, (\d+(?:\.\d+)?) from the centre",
            [spiral["worst point class"], spiral["worst point distance from the centre"]],
        ),
        (
            r"says class (\d), and\s+gives class (\d) a probability of (\d+(?:\.\d+)?)",
            [spiral["worst point answer"], spiral["worst point class"], spiral["worst point probability"]],
        ),
        (
            r"\$-\\log \d+(?:\.\d+)? = (\d+(?:\.\d+)?)\$ and adds \$\d+(?:\.\d+)? / 60 = (\d+(?:\.\d+)?)\$",
            [spiral["worst point loss"], spiral["worst point share"]],
        ),
        (
            r"the other (\d+) points average (\d+(?:\.\d+)?)",
            [spiral["validation points"] - 1, spiral["validation loss without it"]],
        ),
        (r"loss of (\d+(?:\.\d+)?), between the two", [spiral["fresh loss"]]),
        (r"give\s+the (\d+) training points a loss of (\d+(?:\.\d+)?)", [240, spiral["training loss after training"]]),
        (r"network makes (\d+) mistakes", [spiral["fresh errors"]]),
        (
            r"The other (\d+) are at the tips of\s+the arms, farther than (\d+(?:\.\d+)?)",
            [spiral["fresh errors farther than 0.9 from it"], 0.9],
        ),
        (
            r"has (\d+) parameters, about (\d+(?:\.\d+)?) for each training\s+point",
            [runs["plain"]["parameters"], runs["plain"]["parameters"] / (3 * script.SMALL_POINTS)],
        ),
        (
            r"lowest at epoch (\d+) \((\d+(?:\.\d+)?)\) and then climbs, to (\d+(?:\.\d+)?) at epoch (\d+)",
            [
                runs["plain"]["lowest validation epoch"],
                runs["plain"]["lowest validation loss"],
                runs["plain"]["validation loss"],
                runs["plain"]["epochs"],
            ],
        ),
        (r"stops\s+at epoch (\d+), twenty epochs after", [runs["early stopping"]["epochs"]]),
        (
            r"(\d+), (\d+) and (\d+) mistakes out of (\d+)",
            [
                runs["plain"]["test errors"],
                runs["weight decay"]["test errors"],
                runs["early stopping"]["test errors"],
                300,
            ],
        ),
    ]
    answer = exercise_figures(script)
    claims += [
        (r"\$0\.997\^\{900\} = (\d\.\d+)\$, so (\d+(?:\.\d+)?)% is left", [answer["left"], 100 * answer["left"]]),
        (r"= (\d+)\$ steps, or (\d+(?:\.\d+)?) epochs", [answer["halving steps"], answer["halving epochs"]]),
        (
            r"(\d+) epochs of (\d) steps are (\d+) steps",
            [script.SMALL_EPOCHS, answer["steps per epoch"], answer["steps"]],
        ),
        (r"make (\d) steps an epoch", [answer["steps per epoch"]]),
        (
            r"1 - (\d+(?:\.\d+)?) \\times (\d+(?:\.\d+)?) = (\d+(?:\.\d+)?)",
            [script.SMALL_LR, script.WEIGHT_DECAY, answer["factor"]],
        ),
    ]
    checked = set()  # where on the page the numbers checked one by one start
    for pattern, values in claims:
        match = re.search(pattern.replace(" ", r"\s+"), text)  # a line may break at any space
        assert match, f"docs/generalisation.md no longer says {pattern!r}"
        assert len(match.groups()) == len(values)
        for group, value in enumerate(values, start=1):
            shown = match.group(group)
            assert quoted(shown, value), f"{pattern!r}: {shown} on the page, {value} measured"
            checked.add(match.start(group))
    assert spiral["fresh errors at the centre"] == 2 and "Two are at the centre" in text
    # the points' own losses average to fit's validation loss: the script split the points as fit did
    points = spiral["validation points"]
    mean = spiral["worst point share"] + spiral["validation loss without it"] * (points - 1) / points
    assert mean == pytest.approx(spiral["validation loss"], rel=1e-12)
    assert runs["early stopping"]["epochs"] - runs["early stopping"]["kept epoch"] == script.PATIENCE  # "twenty"

    # every other number of the page (outside the two tables, checked above) is a figure measured or a setting:
    # a whole number one of the whole numbers, a decimal one of the figures to the decimals shown, a percentage
    # a figure times 100
    figures_measured = [value for value in spiral.values()] + [value for run in runs.values() for value in run.values()]
    settings = [2, script.SPIRAL_HIDDEN, 3, 0.01, 32, script.SPIRAL_EPOCHS, 300, 240, 60, 0.2, 40]  # examples/spiral.py
    settings += [script.SMALL_POINTS, script.SMALL_NOISE, script.SMALL_HIDDEN, script.SMALL_EPOCHS, 30]  # 30 points
    settings += [script.SMALL_BATCH, script.SMALL_LR, script.WEIGHT_DECAY, script.PATIENCE]  # their training
    settings += [0, 1, 2, 0.9, 38]  # (0, 0); 1 - eta lambda, 1/2 and ln 2; the distance; epochs 38 to 57
    known = figures_measured + settings + list(answer.values())
    links = [match.span() for match in re.finditer(r"\]\([^)]*\)", text)]  # link targets are names, not figures
    tables = [match.span() for match in re.finditer(r"^\|.*$", text, re.MULTILINE)]
    for match in re.finditer(r"(?<![\w.])(\d+(?:\.\d+)?)(%?)", text):
        start = match.start()
        if start in checked or any(low <= start < high for low, high in links + tables):
            continue
        shown, percent = match.group(1), match.group(2)
        if percent:
            found = any(quoted(shown, 100 * value) for value in known)
        elif "." not in shown:
            found = any(float(value).is_integer() and int(value) == int(shown) for value in known)
        else:
            found = any(quoted(shown, value) for value in known)
        line = text.count("\n", 0, start) + 1
        assert found, f"docs/generalisation.md, line {line}, quotes {shown}{percent}: no figure measured or setting"
