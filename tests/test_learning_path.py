"""The learning path (issue 15): its order, its step 0, its glossary and its letters, checked so they cannot drift.

- README's "Learn with it" and docs/index.md list the same path, step by step, and the same further pages, in the
  same order; a step whose programs import something outside the standard library says what to pip install.
- docs/start.md (step 0): every number and formula on the page, parsed from the page where practical and
  recomputed with purenet or plain Python; its one-weight program run and its output compared.
- docs/glossary.md: every entry defines its term and points to a derivation that exists; the first use of every
  term, in the order of the path, is a link to its entry; every link to the glossary, from any page, resolves.
- The letters: sample n, input i, output j, class k on every page of the path, as purenet's code and
  `python -m purenet explain` write them (no s for a sample or o for an output left in the formulas).

The structural checks of tests/test_docs.py (links and anchors resolve, runnable examples run, no control
characters) cover docs/start.md and docs/glossary.md too, as they cover every page of docs/.
"""

from __future__ import annotations

import contextlib
import io
import math
import random
import re
import sys
from fractions import Fraction
from pathlib import Path

import pytest
from conftest import assert_close, central_difference, heading_anchors

import purenet as pn
from purenet import matrices
from purenet.autograd import Value

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"
FENCE = re.compile(r"^```(\w*)\n(.*?)^```[ \t]*$", re.DOTALL | re.MULTILINE)
LINK = re.compile(r"\[((?:[^\[\]]|\[[^\[\]]*\])*)\]\(([^)\s]+)\)")


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def section(text: str, heading: str) -> str:
    """The text under the heading that starts with `heading`, up to the next heading of the same or a higher level."""
    level = len(heading) - len(heading.lstrip("#"))
    start = text.index(heading)
    following = re.compile(rf"^#{{1,{level}}} ", re.MULTILINE)
    match = following.search(text, start + len(heading))
    return text[start : match.start() if match else len(text)]


def table(text: str) -> list[list[str]]:
    """The body rows of the first Markdown table in text, as lists of stripped cells."""
    lines = text.splitlines()
    first = next(number_ for number_, line in enumerate(lines) if line.startswith("|"))
    rows = []
    for line in lines[first:]:
        if not line.startswith("|"):
            break
        rows.append(line)
    assert len(rows) >= 3, "no table found"
    return [[cell.strip() for cell in row.strip().strip("|").split("|")] for row in rows[2:]]


def number(cell: str) -> float:
    """The first number in a table cell or a formula ('$-8.0000$', '**diverges**: ...', '0.55')."""
    match = re.search(r"-?\d+(?:\.\d+)?", cell)
    assert match, f"no number in {cell!r}"
    return float(match.group())


# --- the path: README and docs/index.md list the same steps in the same order -------------------------------------

STEP_HEADING = re.compile(r"^## (\d+)\. (.*)$", re.MULTILINE)
README_ITEM = re.compile(r"^(\d+)\. (.*?)(?=^\d+\. |^<!--|^\n|\Z)", re.MULTILINE | re.DOTALL)


def index_steps() -> list[tuple[int, list[str]]]:
    """(step number, pages linked in the step's heading) for every '## N. ...' step of docs/index.md."""
    return [
        (int(number_), [target for _, target in LINK.findall(title)])
        for number_, title in STEP_HEADING.findall(read(DOCS / "index.md"))
    ]


def readme_learning_section() -> str:
    return section(read(ROOT / "README.md"), "## Learn with it")


def readme_steps() -> list[tuple[int, list[str]]]:
    """(step number, docs pages linked in the item) for every numbered item of README's 'Learn with it'."""
    steps = []
    for number_, item in README_ITEM.findall(readme_learning_section()):
        pages = [target.removeprefix("docs/") for _, target in LINK.findall(item) if target.startswith("docs/")]
        steps.append((int(number_), pages))
    return steps


def path_pages() -> list[str]:
    """The pages of the learning path, in order, as docs/index.md's step headings link them."""
    return [page for _, pages in index_steps() for page in pages]


def test_readme_and_index_list_the_same_path_in_the_same_order():
    index, readme = index_steps(), readme_steps()
    assert index, "docs/index.md has no '## N. ...' steps"
    numbers = [number_ for number_, _ in index]
    assert numbers == list(range(len(index))), "index.md's steps are not numbered 0, 1, 2, ..."
    assert readme == index, f"README's learning path {readme} differs from docs/index.md's {index}"
    # The path's order, as issue 15 asks: step 0 (gradient descent) before backpropagation, and the pages after.
    pages = path_pages()
    assert pages[0] == "start.md"
    assert pages.index("start.md") < pages.index("dense.md") < pages.index("backpropagation.md")
    assert pages.index("backpropagation.md") < pages.index("activations.md") < pages.index("losses.md")


def further_pages_of_index() -> list[str]:
    """The first link of every bullet of index.md's 'Reference and practice' that is a page of docs/."""
    pages = []
    for line in section(read(DOCS / "index.md"), "## Reference and practice").splitlines():
        links = LINK.findall(line)
        if line.startswith("- ") and links and links[0][1].endswith(".md"):
            pages.append(links[0][1])
    return pages


def test_readme_and_index_list_the_same_further_pages_in_the_same_order():
    further = readme_learning_section().split("\nFurther:", 1)[1]
    readme = [target.removeprefix("docs/") for _, target in LINK.findall(further)]
    assert readme == further_pages_of_index()


def test_readme_learning_links_resolve():
    """tests/test_docs.py checks the links of docs/; README's path section is checked here, anchors included."""
    targets = [target for _, target in LINK.findall(readme_learning_section())]
    assert len(targets) >= 20
    for target in targets:
        if not target.startswith(("http://", "https://")):
            assert resolves(ROOT / "README.md", target), f"README links {target}, which does not resolve"


def first_run_of_explain(text: str) -> int:
    return text.index("python -m purenet explain")


def test_explain_runs_only_after_backpropagation_activations_and_losses():
    index = read(DOCS / "index.md")
    steps = {pages[0]: number_ for number_, pages in index_steps()}
    step_of_explain = int(STEP_HEADING.findall(index[: first_run_of_explain(index)])[-1][0])
    for page in ("backpropagation.md", "activations.md", "losses.md"):
        assert steps[page] <= step_of_explain, f"index.md runs explain before {page} is read"
    readme = readme_learning_section()
    items_before = README_ITEM.findall(readme[: first_run_of_explain(readme)])
    assert int(items_before[-1][0]) == step_of_explain, "README runs explain at another step than index.md"


def third_party_imports(page: str) -> set[str]:
    """Top-level modules outside the standard library and purenet that the page's Python blocks import."""
    modules = set()
    for language, code in FENCE.findall(read(DOCS / page)):
        if language == "python":
            for match in re.finditer(r"^\s*(?:import|from) (\w+)", code, re.MULTILINE):
                modules.add(match.group(1))
    return {module for module in modules if module not in sys.stdlib_module_names and module != "purenet"}


def index_bullet_or_step(page: str) -> str:
    """The text of index.md that links page: its whole step if it is a step of the path, else its bullet."""
    index = read(DOCS / "index.md")
    for match in STEP_HEADING.finditer(index):
        if f"]({page})" in match.group(2):
            return section(index, match.group(0))
    lines = [line for line in index.splitlines() if line.startswith(f"- [{page}]({page})")]
    assert lines, f"index.md does not link {page}"
    return lines[0]


def test_every_step_says_what_it_needs_installed():
    index = read(DOCS / "index.md")
    assert "nothing needs installing" not in index
    assert "standard library" in index.split("## Before step 0")[0]
    linked = sorted({target for _, target in LINK.findall(index) if re.fullmatch(r"[\w-]+\.md", target)})
    needing = {page: third_party_imports(page) for page in linked}
    assert needing["pytorch.md"] >= {"torch", "safetensors"}, "the check itself must see pytorch.md's imports"
    for page, modules in needing.items():
        text = index_bullet_or_step(page)
        for module in modules:
            assert re.search(rf"pip install [\w. -]*\b{module}\b", text), f"index.md does not say {page} needs {module}"
    readme_items = dict(README_ITEM.findall(readme_learning_section()))
    for number_, pages in readme_steps():
        for module in set().union(*(needing.get(page, set()) for page in pages)):
            assert re.search(rf"pip install [\w. -]*\b{module}\b", readme_items[str(number_)]), (
                f"README's step {number_} does not say it needs {module}"
            )


# --- step 0: every number of docs/start.md ------------------------------------------------------------------------

START = read(DOCS / "start.md")


def start_data() -> tuple[list[float], list[float]]:
    """The inputs x_n and targets t_n of the table in step 0's section 1."""
    rows = table(section(START, "## 1. A model with one weight"))
    return [number(row[1]) for row in rows], [number(row[2]) for row in rows]


def purenet_loss(w: float) -> float:
    """L(w) = mean over the samples of (w x_n - t_n)^2, computed by purenet's MSELoss on a Dense(1, 1) of weight w."""
    x, t = start_data()
    layer = pn.Dense(1, 1)
    layer.weight[0][0] = w
    return pn.MSELoss().forward(layer.forward([[v] for v in x]), [[v] for v in t])


def quadratic() -> tuple[float, float, float]:
    """(a, w*, L(w*)) of L(w) = a/2 (w - w*)^2 + L(w*), from the sums of the data."""
    x, t = start_data()
    size = len(x)
    sxx, sxt, stt = sum(v * v for v in x), sum(u * v for u, v in zip(x, t)), sum(v * v for v in t)
    return 2 * sxx / size, sxt / sxx, stt / size - sxt * sxt / (size * sxx)


def test_start_page_loss_table():
    x, t = start_data()
    assert len(x) == 3 and "$N = 3$" in START
    loss_table = section(START, "## 1. A model with one weight").split("training means finding")[1]
    header, _, values = [line for line in loss_table.splitlines() if line.startswith("|")][:3]  # _: the | --- | row
    weights = [number(cell) for cell in header.strip("|").split("|")[1:]]
    losses = [number(cell) for cell in values.strip("|").split("|")[1:]]
    assert weights == [0, 1, 2, 3, 4]
    for w, loss in zip(weights, losses):
        assert purenet_loss(w) == pytest.approx(loss, abs=5e-5), f"L({w})"
    # The sums and the parabola, as the page writes them.
    sums = re.search(
        r"\\sum_n x_n\^2 = ([\d.]+)\$, \$\\sum_n x_n t_n = ([\d.]+)\$ and\s+\$\\sum_n t_n\^2 = ([\d.]+)\$", START
    )
    assert sums, "the three sums are not on the page"
    assert [float(value) for value in sums.groups()] == [
        sum(v * v for v in x), sum(u * v for u, v in zip(x, t)), sum(v * v for v in t)
    ]
    a, best, lowest = quadratic()
    expanded = re.search(r"= ([\d.]+) w\^2 - ([\d.]+) w \+ ([\d.]+) = ([\d.]+) \(w - ([\d.]+)\)\^2 \+ ([\d.]+)", START)
    assert expanded, "the expanded parabola is not on the page"
    quadratic_term, linear_term, constant, half_a, written_best, written_lowest = map(float, expanded.groups())
    assert quadratic_term == half_a == pytest.approx(a / 2)
    assert linear_term == pytest.approx(a * best)
    assert constant == pytest.approx(purenet_loss(0.0), abs=5e-5)
    assert written_best == pytest.approx(best) and written_lowest == pytest.approx(lowest, abs=5e-5)
    assert f"$w^* = {best:g}$, with loss ${lowest:.4f}$" in START
    assert purenet_loss(best) == pytest.approx(lowest)
    assert "\\frac{24.5}{3} = 8.1667" in START and 24.5 / 3 == pytest.approx(purenet_loss(0.0))


def test_start_page_slope():
    a, best, _ = quadratic()
    slope = re.search(r"= ([\d.]+) w - ([\d.]+) = ([\d.]+) \(w - ([\d.]+)\)", START)
    assert slope, "L'(w) is not on the page"
    assert [float(value) for value in slope.groups()] == pytest.approx([a, a * best, a, best])
    for w in (0.0, 3.0):
        values = [w]
        derivative = central_difference(lambda: purenet_loss(values[0]), values)[0]
        assert derivative == pytest.approx(a * (w - best), abs=1e-6)
    assert f"At $w = 0$ the slope is ${a * (0 - best):g}$" in START and f"At $w = 3$ it is ${a * (3 - best):g}$" in START
    nudged = (purenet_loss(0.001) - purenet_loss(-0.001)) / 0.002
    assert f"\\bigl(L(0.001) - L(-0.001)\\bigr) / 0.002 = {nudged:.4f}$" in START
    assert f"the curvature $a = L''(w) = {a:g}$" in START


def run_start_program(lr: float | None = None) -> str:
    """Run step 0's one-weight program (with another learning rate if given) and return what it prints."""
    code = next(code for language, code in FENCE.findall(START) if language == "python" and "Dense(1, 1)" in code)
    if lr is not None:
        code = code.replace("lr=0.1", f"lr={lr}")
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "docs/start.md", "exec"), {"__name__": "__main__"})  # noqa: S102 (our docs' own example)
    return output.getvalue()


def test_start_page_descent_steps():
    a, best, _ = quadratic()
    lr = 0.1
    rows = table(section(START, "## 3. Gradient descent"))
    printed = run_start_program()
    expected_output = START.split("```text\n", 1)[1].split("```", 1)[0]
    assert printed == expected_output, f"the program printed:\n{printed}"
    printed_rows = re.findall(r"step (\d+): w = (\S+), L\(w\) = (\S+), dL/dw = (\S+)", printed)
    assert len(rows) == len(printed_rows) == 6
    for row, printed_row in zip(rows, printed_rows):
        step, w, loss, slope = (number(cell) for cell in row)
        printed_numbers = [float(value) for value in printed_row]
        assert [step, w, loss, slope] == printed_numbers, "the table is not what the program prints"
        # the closed form: the distance to w* shrinks by (1 - lr a) every step
        closed_w = best + (1 - lr * a) ** step * (0.0 - best)
        assert w == pytest.approx(closed_w, abs=5e-5)
        assert loss == pytest.approx(purenet_loss(closed_w), abs=5e-5)
        assert slope == pytest.approx(a * (closed_w - best), abs=5e-5)
    assert f"1 - \\eta a = 1 - {lr} \\cdot {a:g} = {1 - lr * a:g}" in START
    distances = re.search(r"the distance goes\s+\$([\d., ]+), \\dots\$", START).group(1)
    assert [float(v) for v in distances.split(",")] == pytest.approx([best * (1 - lr * a) ** k for k in range(4)])
    assert "Step 1: $w = 0 - 0.1 \\cdot (-8) = 0.8$" in START


def test_start_page_learning_rate_table():
    a, best, lowest = quadratic()
    assert f"$0 < \\eta < 2/a = {2 / a:g}$" in START
    rows = table(section(START, "## 4. The learning rate"))
    assert len(rows) == 6
    for row in rows:
        lr, factor, w_10, loss_10 = (number(cell) for cell in row[:4])
        assert factor == pytest.approx(1 - lr * a)
        # purenet's SGD, ten steps of the page's program with this learning rate
        layer = pn.Dense(1, 1)
        layer.weight[0][0] = 0.0
        x, t = start_data()
        optimizer, loss_function = pn.SGD([layer.weight], lr=lr), pn.MSELoss()
        for _ in range(10):
            layer.zero_grad()
            loss_function.forward(layer.forward([[v] for v in x]), [[v] for v in t])
            layer.backward(loss_function.backward())
            optimizer.step()
        tenth = layer.weight[0][0]
        assert w_10 == pytest.approx(tenth, abs=5e-5), f"lr {lr}"
        assert w_10 == pytest.approx(best - best * (1 - lr * a) ** 10, abs=5e-5)
        assert loss_10 == pytest.approx(purenet_loss(tenth), abs=5e-5)
        assert ("diverges" in row[4]) == (abs(1 - lr * a) > 1), f"lr {lr}: says {row[4]!r}"
        assert ("for ever" in row[4]) == (abs(1 - lr * a) == pytest.approx(1)), f"lr {lr}"
    assert rows[2][0] == f"{1 / a:g}" and "$\\eta = 1/a$" in rows[2][4]
    assert rows[4][0] == f"{2 / a:g}" and "2/a" in rows[4][4]


def pmatrices(text: str) -> dict[str, list[list[float]]]:
    r"""Every 'NAME = \begin{pmatrix} ... \end{pmatrix}' of text, as lists of rows."""
    found = {}
    for name, body in re.findall(r"(A\^\\top|AB|A|B) = \\begin\{pmatrix\}(.*?)\\end\{pmatrix\}", text, re.DOTALL):
        found[name] = [[float(cell) for cell in row.split("&")] for row in body.split("\\\\")]
    return found


def test_start_page_matrices():
    primer = section(START, "### Matrices: the product and the transpose")
    found = pmatrices(primer)
    assert set(found) == {"A", "B", "AB", "A^\\top"}
    A, B = found["A"], found["B"]
    assert_close(matrices.matmul(A, B), found["AB"])
    assert_close(matrices.transpose(A), found["A^\\top"])
    product_transposed = matrices.transpose(matrices.matmul(A, B))
    assert_close(product_transposed, matrices.matmul(matrices.transpose(B), matrices.transpose(A)))
    assert len(matrices.matmul(B, A)) == len(matrices.matmul(B, A)[0]) == 3 and "$(3 \\times 3)$" in primer
    # the two entries worked by hand, term by term
    worked = re.findall(r"[Ee]ntry \$\((\d), (\d)\)\$ is\s+\$(.*?) = (-?\d+)\$", primer)
    assert len(worked) == 2
    for i, j, terms, result in worked:
        i, j = int(i), int(j)
        pairs = [[float(v.strip(" ()")) for v in term.split("\\cdot")] for term in terms.split(" + ")]
        assert pairs == [[A[i][k], B[k][j]] for k in range(3)], f"entry ({i}, {j}) pairs the wrong numbers"
        assert float(result) == found["AB"][i][j] == sum(a * b for a, b in pairs)
    # X W^T pairs rows with rows: the dense layer's product
    X, W = [[0.5, 1.0], [1.0, -0.5]], [[0.1, -0.2], [0.4, 0.3]]
    assert_close(matrices.matmul_right_transposed(X, W), matrices.matmul(X, matrices.transpose(W)))


def test_start_page_derivatives():
    primer = section(START, "### Partial derivatives and the chain rule over several paths")
    # f(u, v) = u^2 v at (3, 2)
    point = [3.0, 2.0]
    gradient = central_difference(lambda: point[0] ** 2 * point[1], point)
    assert_close(gradient, [2 * 3.0 * 2.0, 3.0**2], rel=1e-7)
    assert f"where $f = {3.0**2 * 2.0:g}$" in primer
    assert f"= 2 u v = {gradient[0]:.0f}" in primer and f"= u^2 = {gradient[1]:.0f}" in primer
    assert f"the gradient there is $({gradient[0]:.0f}, {gradient[1]:.0f})$" in primer
    # u = 2w, v = w^2, L = u v: purenet's autograd sums the two paths
    w = Value(1.5)
    u, v = 2 * w, w**2
    loss = u * v
    loss.backward()
    through_u, through_v = v.data * 2, u.data * 2 * w.data
    assert w.grad == pytest.approx(through_u + through_v) == pytest.approx(6 * 1.5**2)
    values = [1.5]
    assert central_difference(lambda: 2 * values[0] ** 3, values)[0] == pytest.approx(w.grad, rel=1e-8)
    assert f"$u = {u.data:g}$, $v = {v.data:g}$, $L = {loss.data:g}$" in primer
    paths = f"= {v.data:g} \\cdot 2 + {u.data:g} \\cdot {2 * w.data:g} = {through_u:g} + {through_v:g} = {w.grad:g}$"
    assert paths in primer
    assert f"is ${w.grad:g}$ at $1.5$" in primer and f"Forgetting a path gives {through_u:g} or {through_v:g}" in primer


def test_start_page_expectation_and_variance():
    primer = section(START, "### Expectation, variance and the second moment")
    faces = range(1, 7)
    mean = Fraction(sum(faces), 6)
    second = Fraction(sum(x * x for x in faces), 6)
    variance = sum((x - mean) ** 2 for x in faces) / 6
    assert variance == second - mean**2  # Var(X) = E[X^2] - E[X]^2, exactly
    assert f"/6 = {float(mean):g}$" in primer
    assert f"= {second.numerator}/{second.denominator} = {float(second):.4f}$" in primer
    assert f"$\\operatorname{{Var}}(X) = {float(second):.4f} - {float(mean):g}^2 = {float(variance):.4f}$" in primer
    # the page's program: its printed numbers are the sample's, close to the exact ones
    code, expected = [code for language, code in FENCE.findall(primer) if language in ("python", "text")]
    output = io.StringIO()
    with contextlib.redirect_stdout(output):
        exec(compile(code, "docs/start.md", "exec"), {"__name__": "__main__"})  # noqa: S102 (our docs' own example)
    assert output.getvalue() == expected
    sample_mean, sample_second, sample_variance = map(float, re.findall(r"\d+\.\d+", expected))
    standard_error = math.sqrt(float(variance) / 100_000)
    assert abs(sample_mean - float(mean)) < 4 * standard_error + 0.005
    assert sample_second == pytest.approx(float(second), abs=0.2)
    assert sample_variance == pytest.approx(float(variance), abs=0.05)
    # uniform on [-c, c]: mean 0 and variance c^2/3 (the integral of x^2 / (2c) from -c to c), also by sampling
    rng = random.Random(0)
    draws = [rng.uniform(-1.0, 1.0) for _ in range(100_000)]
    assert sum(draws) / len(draws) == pytest.approx(0.0, abs=0.01)
    assert sum(x * x for x in draws) / len(draws) == pytest.approx(1 / 3, abs=0.005)
    assert "variance $c^2/3$" in primer and f"(for $c = 1$: ${1 / 3:.4f}$)" in primer
    # independent terms: the variance of a sum of n_in terms w_i x_i is n_in times that of one
    n_in, trials = 8, 20_000
    sums = [sum(rng.gauss(0, 1) * rng.uniform(-1, 1) for _ in range(n_in)) for _ in range(trials)]
    assert sum(s * s for s in sums) / trials == pytest.approx(n_in * 1 * (1 / 3), rel=0.05)


# --- the glossary -------------------------------------------------------------------------------------------------

GLOSSARY = read(DOCS / "glossary.md")

# Every entry's anchor, and how its term is written in prose (case-insensitive; \s+ because a line may break there).
TERMS = {
    "activation": r"\bactivations?\b",
    "affine-map": r"\baffine\b",
    "backpropagation": r"\bbackpropagation\b",
    "batch-mini-batch": r"\b(?:mini-)?batch(?:es)?\b",
    "bias-the-parameter": r"\bbias(?:es)?\b(?!\s+correction)",
    "broadcasting": r"\bbroadcast(?:ing|s)?\b",
    "chain-rule": r"\bchain\s+rule\b",
    "class-index": r"\bclass\s+ind(?:ex|ices)\b",
    "cross-entropy": r"\bcross-entropy\b",
    "dead-relu": r"\bdead\W+(?:relus?|units?)\b|\bdying\s+relu\b",
    "dot-product": r"\bdot\s+products?\b",
    "early-stopping": r"\bearly[-\s]stopping\b",
    "epoch": r"\bepochs?\b",
    "expectation": r"\bexpectations?\b|\bexpected\s+value\b",
    "fan-in-fan-out": r"\bfan[-_\s](?:in|out)\b",
    "finite-difference-central-difference": r"\b(?:finite|central)[-\s]differences?\b",
    "generalisation": r"\bgenerali[sz](?:ation|e|es)\b",
    "gradient": r"\bgradients?\b(?!\s+descent)",
    "gradient-descent": r"\bgradient\s+descent\b",
    "jacobian": r"(?<!-)\bjacobians?\b",
    "label-smoothing": r"\blabel\s+smoothing\b",
    "learning-rate": r"\blearning\s+rates?\b",
    "logits": r"\blogits?\b",
    "loss": r"\bloss(?:es)?\b",
    "matrix-product": r"\bmatrix\s+products?\b",
    "mean-squared-error": r"\bmean\s+squared\s+error\b",
    "momentum": r"\bmomentum\b",
    "one-hot": r"\bone-hot\b",
    "overfitting": r"\boverfit(?:ting|s)?\b",
    "partial-derivative": r"\bpartial\s+derivatives?\b",
    "relative-error": r"\brelative\s+error\b",
    "second-moment-first-moment": r"\b(?:first|second)\s+moments?\b",
    "softmax": r"\bsoftmax\b",
    "subgradient": r"\bsubgradients?\b",
    "transpose": r"\btranspos(?:e|es|ed|ing)\b",
    "variance": r"\bvariances?\b",
    "vector-jacobian-product": r"\bvector-jacobian\s+products?\b",
    "weight": r"\bweights?\b(?!\s+decay)",
    "weight-decay": r"\bweight\s+decay\b",
}

# The terms issue 15 names; each must be an entry.
REQUIRED = [
    "logits", "softmax", "cross-entropy", "subgradient", "vector-jacobian-product", "jacobian", "gradient",
    "partial-derivative", "chain-rule", "learning-rate", "epoch", "batch-mini-batch", "second-moment-first-moment",
    "variance", "expectation", "fan-in-fan-out", "label-smoothing", "one-hot", "class-index", "activation",
    "dead-relu", "overfitting", "generalisation", "weight-decay", "early-stopping", "momentum",
    "finite-difference-central-difference", "relative-error", "bias-the-parameter", "broadcasting", "affine-map",
]


def glossary_entries() -> dict[str, str]:
    """anchor -> the entry's text, for every '## ' heading of docs/glossary.md."""
    parts = re.split(r"^## (.+)$", GLOSSARY, flags=re.MULTILINE)
    return {
        re.sub(r"[^\w\- ]", "", title.strip().lower()).replace(" ", "-"): body
        for title, body in zip(parts[1::2], parts[2::2])
    }


def test_glossary_has_every_term_and_a_pattern_for_each():
    entries = glossary_entries()
    assert set(REQUIRED) <= set(entries), f"missing entries: {sorted(set(REQUIRED) - set(entries))}"
    assert set(entries) == set(TERMS), "every entry needs its pattern in TERMS, and every pattern an entry"
    titles = re.findall(r"^## (.+)$", GLOSSARY, flags=re.MULTILINE)
    assert titles == sorted(titles, key=str.lower), "the entries are in alphabetical order"


def resolves(page: Path, target: str) -> bool:
    """True if a link from page to target (a relative path, an anchor, or both) reaches an existing file and heading."""
    file_part, _, anchor = target.partition("#")
    linked = (page.parent / file_part).resolve() if file_part else page
    if not linked.exists():
        return False
    return not anchor or linked.suffix != ".md" or anchor in heading_anchors(read(linked))


def test_glossary_entries_define_and_point_to_a_derivation():
    for anchor, body in glossary_entries().items():
        prose = re.sub(r"\s+", " ", body).strip()
        assert len(prose.split()) >= 15, f"glossary entry {anchor} is too short to define anything"
        elsewhere = [target for _, target in LINK.findall(body) if not target.startswith("#")]
        assert elsewhere, f"glossary entry {anchor} links no page where it is taught or derived"
        for target in LINK.findall(body):
            assert resolves(DOCS / "glossary.md", target[1]), f"glossary entry {anchor}: {target[1]} does not resolve"


def test_every_link_to_the_glossary_resolves():
    anchors = heading_anchors(GLOSSARY)
    pages = sorted(DOCS.glob("*.md")) + [ROOT / "README.md"]
    count = 0
    for page in pages:
        for _, target in LINK.findall(read(page)):
            file_part, _, anchor = target.partition("#")
            if Path(file_part).name == "glossary.md" or (page.name == "glossary.md" and not file_part):
                linked = (page.parent / file_part).resolve() if file_part else page.resolve()
                assert linked == (DOCS / "glossary.md").resolve(), f"{page.name}: {target}"
                assert not anchor or anchor in anchors, f"{page.name} links {target}: no such glossary entry"
                count += 1
    assert count >= len(TERMS), "the pages link the glossary less often than it has entries"


def prose_mask(text: str) -> str:
    """text with everything that is not prose blanked out (same length): code, math, headings, link targets, comments.

    A term inside a code block, a formula, a heading or a URL is not a "use" that a reader needs explained there.
    """
    blank = lambda match: re.sub(r"[^\n]", " ", match.group())  # noqa: E731
    for pattern, flags in (
        (r"^```.*?^```[ \t]*$", re.DOTALL | re.MULTILINE),
        (r"<!--.*?-->", re.DOTALL),
        (r"`[^`\n]*`", 0),
        (r"\$\$.*?\$\$", re.DOTALL),
        (r"\$[^$\n]+\$", 0),
        (r"^#.*$", re.MULTILINE),
        (r"(?<=\[)[\w./-]+\.md(?:#[\w-]*)?(?=\]\()", 0),
        (r"\]\([^)\s]+\)", 0),
    ):
        text = re.sub(pattern, blank, text, flags=flags)
    return text


def first_uses() -> dict[str, tuple[str, int]]:
    """anchor -> (page, offset) of the first use of each glossary term in the pages of the path, in path order."""
    found = {}
    for page in path_pages():
        masked = prose_mask(read(DOCS / page))
        for anchor, pattern in TERMS.items():
            if anchor not in found:
                match = re.search(pattern, masked, re.IGNORECASE)
                if match:
                    found[anchor] = (page, match.start())
    return found


def test_glossary_terms_are_linked_at_first_use():
    unlinked = []
    for anchor, (page, offset) in first_uses().items():
        text = read(DOCS / page)
        links = [
            link for link in LINK.finditer(text)
            if link.start(1) <= offset < link.end(1) and link.group(2) == f"glossary.md#{anchor}"
        ]
        if not links:
            line = text.count("\n", 0, offset) + 1
            context = text[offset : offset + 40]
            unlinked.append(f"{page}:{line} uses '{anchor}' first ({context!r}) without linking glossary.md#{anchor}")
    assert not unlinked, "\n".join(unlinked)


def test_every_glossary_term_is_used_on_the_path():
    missing = sorted(set(TERMS) - set(first_uses()))
    assert not missing, f"glossary terms the path never uses in prose: {missing}"


def test_prose_mask_hides_code_math_and_urls():
    text = "A `softmax` and $softmax$ and\n```\nsoftmax\n```\n# softmax\n[x](glossary.md#softmax) softmax"
    masked = prose_mask(text)
    assert len(masked) == len(text) and masked.count("softmax") == 1 and masked.endswith("softmax")


# --- the letters: n, i, j, k, as the code writes them --------------------------------------------------------------

LETTER_PAGES = [
    "start.md", "glossary.md", "dense.md", "backpropagation.md", "activations.md", "losses.md", "optimisation.md",
    "initialisation.md", "stability.md", "pytorch.md", "exercises.md",
]
# s for a sample and o for an output, the letters the code does not use, inside a formula
OLD_LETTERS = re.compile(r"_\{?s\}?(?![a-z])|_\{s[a-z]|_\{[a-z]?o[a-z]?\}|_o\b|\\sum_\{?[so]\b|w_\{o")


def formulas(text: str) -> list[str]:
    return re.findall(r"\$\$.*?\$\$|\$[^$\n]+\$", text, re.DOTALL)


@pytest.mark.parametrize("page", LETTER_PAGES)
def test_formulas_use_the_codes_letters(page):
    old = [formula for formula in formulas(read(DOCS / page)) if OLD_LETTERS.search(formula)]
    assert not old, f"{page} still indexes samples by s or outputs by o: {old}"


def test_the_old_letters_are_noticed():
    assert OLD_LETTERS.search("$z_{so}$") and OLD_LETTERS.search("$\\sum_s g_s$") and OLD_LETTERS.search("$b_o$")
    assert not OLD_LETTERS.search("$z_{nj} = \\sum_i x_{ni} w_{ji} + b_j$ and $n_{out}$ and $\\operatorname{softmax}$")


def test_the_code_writes_the_same_letters():
    explain = read(ROOT / "purenet" / "explain.py")
    assert "x[n][i] is feature i of sample n" in explain and "W[j][i] connects input i to neuron j" in explain
    assert "sum_n a[n][i] * b[n][j]" in read(ROOT / "purenet" / "matrices" / "products.py")
    assert "| $n$ | the samples of a [batch](glossary.md#batch-mini-batch) |" in START
    assert "| $j$ | the outputs of a layer (its neurons) |" in START
