"""What `python -m purenet gradcheck` teaches, and every number and formula of docs/gradcheck.md.

The walkthrough's printed numbers are recomputed here independently: the tiny
network's loss and its gradients by plain loops over its fixed weights, the
central difference from the printed L(w + h) and L(w - h). The page's claims
(the worked cubic, the best step, the error-against-h table, the relative
error, the threshold, the sample outputs) are each checked against the code.
"""

from __future__ import annotations

import inspect
import io
import math
import re
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import STEP, central_difference

import purenet as pn
from purenet import cli, explain, serialization
from purenet.gradcheck import (
    DEFAULT_EPSILON,
    DEFAULT_TOLERANCE,
    SCALE_FLOOR,
    UNIT_ROUNDOFF,
    check_entries,
    gradient_scale,
    numeric_gradient,
    relative_error,
)
from purenet.gradcheck_walkthrough import (
    TEACHING_FIRST_BIAS,
    TEACHING_FIRST_WEIGHT,
    TEACHING_INPUT,
    TEACHING_SECOND_BIAS,
    TEACHING_SECOND_WEIGHT,
    TEACHING_TARGET,
    BrokenSigmoid,
    entry_error,
    teaching_network,
    walkthrough,
)
from purenet.layers.activations import sigmoid
from purenet.selfcheck import check_everything

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "gradcheck.md"
GRADCHECK = sys.modules["purenet.gradcheck"]
TENSORS = ["input", "0.Dense.weight", "0.Dense.bias", "2.Dense.weight", "2.Dense.bias"]


# --- helpers: the tiny network by plain loops, and the walkthrough's output parsed ------------


def plain_parameters() -> dict[str, list]:
    """The teaching network's tensors as fresh lists (vectors for biases, matrices otherwise)."""
    return {
        "input": [list(row) for row in TEACHING_INPUT],
        "0.Dense.weight": [list(row) for row in TEACHING_FIRST_WEIGHT],
        "0.Dense.bias": list(TEACHING_FIRST_BIAS),
        "2.Dense.weight": [list(row) for row in TEACHING_SECOND_WEIGHT],
        "2.Dense.bias": list(TEACHING_SECOND_BIAS),
    }


def plain_forward(tensors: dict[str, list]) -> tuple[float, list[float], list[float]]:
    """(L, hidden outputs s, probabilities p): z1 = W1 x + b1, s = sigmoid(z1), z2 = W2 s + b2, L = -log p_target."""
    x = tensors["input"][0]
    z1 = [sum(w * v for w, v in zip(row, x)) + b for row, b in zip(tensors["0.Dense.weight"], tensors["0.Dense.bias"])]
    s = [1.0 / (1.0 + math.exp(-z)) for z in z1]
    z2 = [sum(w * v for w, v in zip(row, s)) + b for row, b in zip(tensors["2.Dense.weight"], tensors["2.Dense.bias"])]
    top = max(z2)
    log_total = top + math.log(sum(math.exp(z - top) for z in z2))
    return log_total - z2[TEACHING_TARGET[0]], s, [math.exp(z - log_total) for z in z2]


def plain_gradients(broken: bool = False) -> dict[str, list]:
    """Backpropagation by hand, with the sigmoid's derivative s(1 - s), or s if ``broken``."""
    tensors = plain_parameters()
    _, s, p = plain_forward(tensors)
    x = tensors["input"][0]
    dz2 = [p_k - (1.0 if k == TEACHING_TARGET[0] else 0.0) for k, p_k in enumerate(p)]
    ds = [sum(dz2[k] * tensors["2.Dense.weight"][k][j] for k in range(2)) for j in range(3)]
    dz1 = [ds[j] * (s[j] if broken else s[j] * (1.0 - s[j])) for j in range(3)]
    return {
        "input": [[sum(dz1[j] * tensors["0.Dense.weight"][j][i] for j in range(3)) for i in range(2)]],
        "0.Dense.weight": [[dz1[j] * x[i] for i in range(2)] for j in range(3)],
        "0.Dense.bias": dz1,
        "2.Dense.weight": [[dz2[k] * s[j] for j in range(3)] for k in range(2)],
        "2.Dense.bias": dz2,
    }


def entry_of(values: list, index: str) -> float:
    for position in map(int, re.findall(r"\[(\d+)\]", index)):
        values = values[position]
    return values


ENTRY = re.compile(
    r"^  (?P<tensor>\S+?)(?P<index>(?:\[\d+\])+)   w = (?P<w>\S+)\n"
    r"    L\(w \+ h\) = (?P<above>\S+) +L\(w - h\) = (?P<below>\S+)\n"
    r"    numeric  = (?P<numeric>\S+) +backprop = (?P<backprop>\S+)\n"
    r"    relative error = (?P<difference>\S+) / (?P<scale>\S+) = (?P<error>\S+)   (?P<verdict>PASS|FAIL)"
    r"(?:   \(backprop / numeric = (?P<ratio>\S+)\))?$",
    re.MULTILINE,
)
TENSOR = re.compile(
    r"^(?P<tensor>\S+): (?P<count>\d+) entries \((?P<shown>[^)]*)\), scale (?P<scale>\S+)$", re.MULTILINE
)
WORST = re.compile(r"^  worst of all (?P<count>\d+) entries: (?P<error>\S+)   (?P<verdict>PASS|FAIL)$", re.MULTILINE)


def printed_entries(text: str) -> list[dict]:
    rows = []
    for match in ENTRY.finditer(text):
        row = {key: value for key, value in match.groupdict().items()}
        for key in ("w", "above", "below", "numeric", "backprop", "difference", "scale", "error"):
            row[key] = float(row[key])
        row["ratio"] = None if row["ratio"] is None else float(row["ratio"])
        rows.append(row)
    return rows


def run_walkthrough(**options) -> tuple[bool, str]:
    stream = io.StringIO()
    result = walkthrough(stream=stream, **options)
    return result, stream.getvalue()


def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def text_blocks_after(heading: str) -> list[str]:
    """The ```text blocks of the page's section ``heading``, in order."""
    section = page().split(f"## {heading}\n", 1)[1].split("\n## ", 1)[0]
    return [re.sub(r"^  ", "", block, flags=re.MULTILINE) if block.startswith("  ") else block
            for block in re.findall(r"```text\n(.*?)^ *```", section, re.DOTALL | re.MULTILINE)]


def worst_error(epsilon: float) -> tuple[float, dict[str, float]]:
    checks = check_entries(teaching_network(), TEACHING_INPUT, TEACHING_TARGET, epsilon=epsilon)
    errors = {
        name: relative_error([c.analytic for c in entries], [c.numeric for c in entries])
        for name, entries in checks.items()
    }
    return max(errors.values()), errors


# --- the central difference -------------------------------------------------------------------


def test_the_worked_cubic():
    def cube(w: float) -> float:
        return w**3

    h = 0.1
    assert cube(1.1) == pytest.approx(1.331, abs=1e-12) and cube(0.9) == pytest.approx(0.729, abs=1e-12)
    central = (cube(1.0 + h) - cube(1.0 - h)) / (2 * h)
    one_sided = (cube(1.0 + h) - cube(1.0)) / h
    assert central == pytest.approx(3.01, abs=1e-12)
    assert central - 3.0 == pytest.approx(h**2 / 6 * 6, abs=1e-12)  # h^2/6 L''' with L''' = 6, exactly
    assert one_sided == pytest.approx(3.31, abs=1e-12)
    assert one_sided - 3.0 == pytest.approx(h / 2 * 6 + h**2 / 6 * 6, abs=1e-12)  # h/2 L'' + h^2/6 L''' at w = 1
    assert (one_sided - 3.0) / (central - 3.0) == pytest.approx(31.0)
    # purenet's own central difference gives the same number
    values = [1.0]
    assert numeric_gradient(lambda: values[0] ** 3, values, [(0, 0)], h)[0] == pytest.approx(3.01, abs=1e-12)


# --- why h = 1e-6 -----------------------------------------------------------------------------


def test_the_best_step_and_its_error():
    u = UNIT_ROUNDOFF
    assert u == 2.0**-53 and u == pytest.approx(1.1e-16, rel=0.01)

    def total(h: float) -> float:  # E(h) for |L| = |L'''| = 1
        return h**2 / 6 + u / h

    best = (3 * u) ** (1 / 3)
    assert best == pytest.approx(6.9e-6, rel=0.01)
    assert total(best) == pytest.approx(2.4e-11, rel=0.01)
    # it is the minimum: the derivative h/3 - u/h^2 vanishes there, and E is larger on both sides
    assert best / 3 - u / best**2 == pytest.approx(0.0, abs=1e-15)
    assert total(best) < total(best * 1.1) and total(best) < total(best / 1.1)
    # at purenet's h: rounding 1.1e-10 dominates truncation 1.7e-13, total 1.1e-10
    assert u / DEFAULT_EPSILON == pytest.approx(1.1e-10, rel=0.01)
    assert DEFAULT_EPSILON**2 / 6 == pytest.approx(1.7e-13, rel=0.02)
    assert total(DEFAULT_EPSILON) == pytest.approx(1.1e-10, rel=0.02)
    # truncation h^2/6 |L'''| stays below the threshold for |L'''| up to 6e-6 / h^2 = 6e6
    assert 6 * DEFAULT_TOLERANCE / DEFAULT_EPSILON**2 == pytest.approx(6e6)


def test_error_against_h_on_the_tiny_network():
    worst = {exponent: worst_error(10.0**-exponent)[0] for exponent in (1, 2, 3, 4, 5, 6, 8, 10, 12)}
    # the page's table: truncation rows to two digits, rounding rows to their order of magnitude
    for exponent, expected in ((1, 8.7e-4), (2, 8.7e-6), (3, 8.7e-8), (4, 8.7e-10)):
        assert worst[exponent] == pytest.approx(expected, rel=0.01)
    for exponent, expected in ((5, 1e-10), (6, 1e-9), (8, 1e-7), (10, 1e-5), (12, 1e-3)):
        assert expected / 10 < worst[exponent] < expected * 10, (exponent, worst[exponent])
    # truncation: each tenfold step down divides the error by 100 (h^2)
    for exponent in (1, 2, 3):
        assert worst[exponent] / worst[exponent + 1] == pytest.approx(100.0, rel=0.01)
    # rounding: about tenfold per step (100-fold per two steps, within noise)
    for exponent in (6, 8, 10):
        assert 20 < worst[exponent + 2] / worst[exponent] < 500
    # the minimum lies near 1e-5; both ends fail the check although the gradient is right
    assert worst[5] == min(worst.values())
    assert worst[2] > DEFAULT_TOLERANCE and worst[10] > DEFAULT_TOLERANCE
    assert worst[6] <= DEFAULT_TOLERANCE
    # |L'''| from the truncation at h = 1e-2: error * scale = h^2/6 |L'''|, about 0.07
    errors = worst_error(1e-2)[1]
    checks = check_entries(teaching_network(), TEACHING_INPUT, TEACHING_TARGET, epsilon=1e-6)["0.Dense.bias"]
    scale = gradient_scale([c.analytic for c in checks], [c.numeric for c in checks])
    third = errors["0.Dense.bias"] * scale * 6 / 1e-4
    assert third == pytest.approx(0.07, rel=0.05)
    loss = plain_forward(plain_parameters())[0]
    assert (3 * UNIT_ROUNDOFF * loss / third) ** (1 / 3) == pytest.approx(1.5e-5, rel=0.05)  # "near 1e-5"
    # the page's first entry: L(w + h) and L(w - h) agree in their first 6 digits
    first = check_entries(teaching_network(), TEACHING_INPUT, TEACHING_TARGET)["input"][0]
    assert f"{first.above:.15g}" == "0.714382433683897" and f"{first.below:.15g}" == "0.714382373484213"
    digits_above, digits_below = f"{first.above:.15f}"[2:], f"{first.below:.15f}"[2:]
    common = next(k for k, (a, b) in enumerate(zip(digits_above, digits_below)) if a != b)
    assert common == 6


def test_truncation_grows_with_the_third_derivative():
    # sin(k w): L''' = -k^3 cos(k w); the central difference errs by h^2/6 L''' (plus h^4 terms)
    h, w = 1e-3, 0.3
    for k in (1.0, 10.0, 30.0):
        values = [w]
        numeric = numeric_gradient(lambda: math.sin(k * values[0]), values, [(0, 0)], h)[0]
        error = numeric - k * math.cos(k * w)
        assert error == pytest.approx(h**2 / 6 * (-(k**3) * math.cos(k * w)), rel=0.02)


def test_purenet_uses_one_step_everywhere():
    assert DEFAULT_EPSILON == 1e-6 and DEFAULT_TOLERANCE == 1e-6 and SCALE_FLOOR == 1e-12
    parameters = inspect.signature(pn.gradcheck).parameters
    assert parameters["epsilon"].default == DEFAULT_EPSILON
    assert parameters["tolerance"].default == DEFAULT_TOLERANCE
    assert explain.FINITE_DIFFERENCE_STEP == DEFAULT_EPSILON and STEP == DEFAULT_EPSILON
    assert inspect.signature(walkthrough).parameters["epsilon"].default == DEFAULT_EPSILON
    assert cli.build_parser().parse_args(["gradcheck"]).epsilon == DEFAULT_EPSILON


# --- relative error ---------------------------------------------------------------------------


def page_formula(analytic: list[float], numeric: list[float]) -> float:
    """max_k |a_k - n_k| / max(max_k |a_k|, max_k |n_k|, 1e-12), as the page writes it."""
    top = max(abs(a - n) for a, n in zip(analytic, numeric))
    return top / max(max(abs(a) for a in analytic), max(abs(n) for n in numeric), 1e-12)


def test_relative_error_is_the_formula_of_the_page():
    assert "\\max_k |a_k - n_k|}{\\max\\bigl(\\max_k |a_k|, \\; \\max_k |n_k|, \\; 10^{-12}\\bigr)}" in page()
    cases = [([1.0, 2.0], [1.5, 2.0]), ([0.3, -4.0, 1e-9], [0.3, -3.0, 0.0]), ([1e-14], [0.0]), ([0.0], [0.0])]
    for analytic, numeric in cases:
        assert relative_error(analytic, numeric) == pytest.approx(page_formula(analytic, numeric), rel=1e-15)
        # between 0 and 2, and the same when the loss (so every gradient) is scaled by 1000
        assert 0.0 <= relative_error(analytic, numeric) <= 2.0
        scaled = relative_error([1000 * a for a in analytic], [1000 * n for n in numeric])
        if max(map(abs, analytic + numeric)) > 1e-12:
            assert scaled == pytest.approx(relative_error(analytic, numeric), rel=1e-12)
    assert relative_error([1e-14], [0.0]) == pytest.approx(1e-14 / SCALE_FLOOR)  # the floor, not a division by 0
    assert relative_error([1.0], [-1.0]) == 2.0
    # each entry's share (what the walkthrough prints) has the tensor's error as its largest
    for name, entries in check_entries(teaching_network(True), TEACHING_INPUT, TEACHING_TARGET).items():
        analytic, numeric = [c.analytic for c in entries], [c.numeric for c in entries]
        scale = gradient_scale(analytic, numeric)
        assert max(entry_error(c, scale) for c in entries) == relative_error(analytic, numeric)
        assert relative_error(analytic, numeric) == pytest.approx(page_formula(analytic, numeric), rel=1e-15)


def test_a_tiny_gradient_fails_entry_by_entry_but_not_against_the_scale():
    x = [0.5, 25.0]

    def loss() -> float:
        return sigmoid(x[0]) + sigmoid(x[1])

    analytic = [sigmoid(v) * (1 - sigmoid(v)) for v in x]
    assert analytic[1] == pytest.approx(1.4e-11, rel=0.01) and analytic[0] == pytest.approx(0.235, rel=0.01)
    # sigma(25 +- h) differ by 2h sigma'(25), less than one unit in the last place near 1: the same float
    assert 2 * DEFAULT_EPSILON * analytic[1] < math.ulp(sigmoid(25.0))
    assert sigmoid(25.0 + DEFAULT_EPSILON) == sigmoid(25.0 - DEFAULT_EPSILON)
    numeric = numeric_gradient(loss, x, [(0, 0), (0, 1)], DEFAULT_EPSILON)
    assert numeric[1] == 0.0
    own_entry = abs(analytic[1] - numeric[1]) / max(abs(analytic[1]), abs(numeric[1]), SCALE_FLOOR)
    assert own_entry == 1.0 and own_entry > DEFAULT_TOLERANCE  # entry by entry: a false FAIL
    assert relative_error(analytic, numeric) < 1e-9  # against the tensor's scale, 0.235: fine
    assert pn.gradcheck(pn.Sigmoid(), [x])["input"] < DEFAULT_TOLERANCE


# --- why the threshold is 1e-6 ----------------------------------------------------------------


def table_errors(text: str) -> list[float]:
    return [float(value) for value in re.findall(r"^\S.*? +(\d\.\d\de[-+]\d\d)  (?:PASS|FAIL)$", text, re.MULTILINE)]


def test_the_threshold_separates_correct_from_wrong():
    stream = io.StringIO()
    assert check_everything(stream=stream) is True
    correct = table_errors(stream.getvalue())
    assert len(correct) >= 28 and max(correct) < 1e-8  # every line of the table is below 1e-8
    assert DEFAULT_TOLERANCE / max(correct) > 100  # "about a thousand times above"
    broken = [error for error in worst_error_broken().values() if error > DEFAULT_TOLERANCE]
    assert min(broken) > 1e4 * DEFAULT_TOLERANCE  # "ten thousand times below" the slips


def worst_error_broken() -> dict[str, float]:
    return pn.gradcheck(teaching_network(broken=True), TEACHING_INPUT, TEACHING_TARGET)


class DoubledDense(pn.Dense):
    def backward(self, grad, input_gradient=True):
        result = super().backward(grad, input_gradient)
        self.weight.grad = [[2.0 * value for value in row] for row in self.weight.grad]
        return result


class HalvedDense(pn.Dense):
    def backward(self, grad, input_gradient=True):
        result = super().backward(grad, input_gradient)
        self.weight.grad = [[0.5 * value for value in row] for row in self.weight.grad]
        return result


class SignFlippedDense(pn.Dense):
    def backward(self, grad, input_gradient=True):
        result = super().backward(grad, input_gradient)
        self.bias.grad = [-value for value in self.bias.grad]
        return result


class SummedCrossEntropy(pn.SoftmaxCrossEntropy):
    """Forgets the 1/N of the mean in backward (forward still averages)."""

    def backward(self):
        rows = super().backward()
        return [[len(rows) * value for value in row] for row in rows]


def test_each_slip_gives_its_number():
    x = [[0.4, -0.3, 0.8], [-0.6, 0.2, 0.5], [0.1, 0.9, -0.4], [0.7, -0.8, 0.3]]
    assert pn.gradcheck(DoubledDense(3, 2, rng=1), x)["weight"] == pytest.approx(0.5, rel=1e-4)
    assert pn.gradcheck(HalvedDense(3, 2, rng=1), x)["weight"] == pytest.approx(0.5, rel=1e-4)
    assert pn.gradcheck(SignFlippedDense(3, 2, rng=1), x)["bias"] == pytest.approx(2.0, rel=1e-4)
    assert pn.gradcheck(SummedCrossEntropy(), x, [0, 2, 1, 2])["input"] == pytest.approx(1 - 1 / 4, rel=1e-4)
    # the sigmoid slip: max_k s_k |a_k| / scale over the layer before it; 0.67 for 0.Dense.bias
    _, s, _ = plain_forward(plain_parameters())
    wrong = plain_gradients(broken=True)["0.Dense.bias"]
    expected = max(s_j * abs(a_j) for s_j, a_j in zip(s, wrong)) / max(map(abs, wrong))
    assert worst_error_broken()["0.Dense.bias"] == pytest.approx(expected, rel=1e-6)
    assert expected == pytest.approx(0.67, abs=0.005)


# --- reading the output -----------------------------------------------------------------------


def test_the_printed_numbers_are_the_central_difference():
    passed, text = run_walkthrough(entries=100)
    assert passed is True
    assert "h = 1e-06" in text and "numeric = (L(w + h) - L(w - h)) / (2h)" in text
    assert "relative error = |backprop - numeric| / scale" in text
    rows = printed_entries(text)
    assert [row["tensor"] for row in rows].count("0.Dense.weight") == 6 and len(rows) == 2 + 6 + 3 + 6 + 2
    gradients = plain_gradients()
    scales = {match["tensor"]: float(match["scale"]) for match in TENSOR.finditer(text)}
    assert list(scales) == TENSORS
    for row in rows:
        tensors = plain_parameters()
        index = [int(position) for position in re.findall(r"\[(\d+)\]", row["index"])]
        holder = tensors[row["tensor"]]
        for position in index[:-1]:
            holder = holder[position]
        assert holder[index[-1]] == pytest.approx(row["w"], abs=1e-12)
        # L(w + h) and L(w - h), recomputed by plain loops with the entry nudged
        holder[index[-1]] = row["w"] + DEFAULT_EPSILON
        above = plain_forward(tensors)[0]
        holder[index[-1]] = row["w"] - DEFAULT_EPSILON
        below = plain_forward(tensors)[0]
        assert row["above"] == pytest.approx(above, rel=1e-13) and row["below"] == pytest.approx(below, rel=1e-13)
        # the central difference of the printed values (15 digits: ~1e-15 / 2h = 5e-10 of rounding)
        assert row["numeric"] == pytest.approx((row["above"] - row["below"]) / (2 * DEFAULT_EPSILON), abs=2e-9)
        # backprop against the hand-derived gradient, and against the tests' own central difference
        truth = entry_of(gradients[row["tensor"]], row["index"])
        assert row["backprop"] == pytest.approx(truth, rel=1e-10, abs=1e-13)
        # the relative error line: |backprop - numeric| / scale with the tensor's scale
        assert row["scale"] == scales[row["tensor"]]
        assert row["difference"] < 1e-8 and row["error"] < 1e-8 and row["verdict"] == "PASS"
        assert row["error"] == pytest.approx(row["difference"] / row["scale"], rel=0.1)
    # each tensor's scale is its largest |gradient|, computed from the hand-derived gradients
    for name in TENSORS:
        flat = [abs(v) for v in pn.matrices.tensors.flatten(gradients[name])]
        assert scales[name] == pytest.approx(max(flat), rel=1e-3)
    # the tests' own central difference agrees with the printed one
    tensors = plain_parameters()
    bias_numeric = central_difference(lambda: plain_forward(tensors)[0], tensors["0.Dense.bias"])
    printed_bias = [row["numeric"] for row in rows if row["tensor"] == "0.Dense.bias"]
    assert printed_bias == pytest.approx(bias_numeric, abs=1e-9)
    # the worst lines are gradcheck's errors for the same model
    worst = [float(match["error"]) for match in WORST.finditer(text)]
    errors = pn.gradcheck(teaching_network(), TEACHING_INPUT, TEACHING_TARGET)
    assert list(errors) == TENSORS
    assert worst == pytest.approx([float(f"{error:.1e}") for error in errors.values()], rel=1e-12)


def test_entries_limits_what_is_printed_not_what_is_checked():
    for entries, printed in ((0, 0), (1, 5), (3, 2 + 3 + 3 + 3 + 2), (100, 19)):
        passed, text = run_walkthrough(entries=entries)
        assert passed is True
        assert len(printed_entries(text)) == printed
        assert [int(match["count"]) for match in WORST.finditer(text)] == [2, 6, 3, 6, 2]
    shown = [match["shown"] for match in TENSOR.finditer(run_walkthrough(entries=3)[1])]
    assert shown == ["all shown", "the first 3 shown", "all shown", "the first 3 shown", "all shown"]
    assert {match["shown"] for match in TENSOR.finditer(run_walkthrough(entries=0)[1])} == {"none shown"}


def test_check_entries_agrees_with_gradcheck():
    model = pn.Sequential(pn.Dense(3, 4, rng=1), pn.Tanh(), pn.Dense(4, 2, rng=2))
    x = [[0.4, -0.3, 0.8], [-0.6, 0.2, 0.5]]
    for entries in (None, 3):
        checks = check_entries(model, x, [1, 0], seed=5, entries=entries)
        errors = pn.gradcheck(model, x, [1, 0], seed=5, entries=entries)
        assert list(checks) == list(errors)
        for name, entry_checks in checks.items():
            assert relative_error([c.analytic for c in entry_checks], [c.numeric for c in entry_checks]) == errors[name]
            assert all(c.numeric == (c.above - c.below) / (2 * c.epsilon) for c in entry_checks)
        assert len(checks["0.Dense.weight"]) == (12 if entries is None else 3)
    layer_checks = check_entries(pn.Dense(3, 2, rng=1), x)
    assert [c.index for c in layer_checks["weight"]] == [f"[{o}][{i}]" for o in range(2) for i in range(3)]
    assert [c.index for c in layer_checks["bias"]] == ["[0]", "[1]"]
    loss_checks = check_entries(pn.MeanSquaredError(), x, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])
    assert list(loss_checks) == ["input"] and len(loss_checks["input"]) == 6
    images = [[[[0.1 * (r + c + k) for c in range(3)] for r in range(2)] for k in range(2)]]  # 1 x 2 x 2 x 3
    assert [c.index for c in check_entries(pn.Flatten(), images)["input"]][:4] == [
        "[0][0][0][0]", "[0][0][0][1]", "[0][0][0][2]", "[0][0][1][0]"
    ]
    with pytest.raises(ValueError, match=r"^check_entries: a loss needs targets$"):
        check_entries(pn.MeanSquaredError(), x)
    with pytest.raises(TypeError, match=r"^check_entries: component must be a layer, a loss or a Sequential, got str$"):
        check_entries("tanh", x)


def test_the_sample_output_of_the_page_is_current():
    normal = run_walkthrough()[1]
    broken = run_walkthrough(broken=True)[1]
    reading = text_blocks_after("Reading the output")
    broke = text_blocks_after("What a broken gradient looks like")
    assert len(reading) == 2 and len(broke) == 2
    for sample, actual in ((reading[0], normal), (broke[0], broken)):
        sample_rows, actual_rows = printed_entries(sample), printed_entries(actual)
        assert len(sample_rows) == 3
        header = sample.splitlines()[0]
        assert header in actual.splitlines()
        matching = [row for row in actual_rows if row["tensor"] == sample_rows[0]["tensor"]]
        for mine, theirs in zip(sample_rows, matching[: len(sample_rows)], strict=True):
            assert mine["index"] == theirs["index"] and mine["verdict"] == theirs["verdict"]
            for key in ("w", "above", "below"):
                assert mine[key] == pytest.approx(theirs[key], rel=1e-13)
            for key in ("numeric", "backprop", "scale"):
                assert mine[key] == pytest.approx(theirs[key], rel=1e-8)
            if mine["verdict"] == "PASS":  # rounding noise: the same order, not the same digits
                assert mine["error"] < 1e-8 and theirs["error"] < 1e-8
            else:
                for key in ("difference", "error", "ratio"):
                    assert mine[key] == pytest.approx(theirs[key], rel=1e-3)
        worst = WORST.search(sample)
        actual_worst = [match for match in WORST.finditer(actual)][TENSORS.index(sample_rows[0]["tensor"])]
        assert worst["verdict"] == actual_worst["verdict"]
        if worst["verdict"] == "FAIL":
            assert worst["error"] == actual_worst["error"]
    # the table's first lines, and the fail / pass lists of --broken
    stream = io.StringIO()
    check_everything(stream=stream)
    table = stream.getvalue().splitlines()
    sample_table = reading[1].splitlines()
    assert sample_table[:2] == table[:2]
    for mine, theirs in zip(sample_table[2:], table[2:]):
        assert mine.split()[:2] == theirs.split()[:2] and mine.split()[-1] == theirs.split()[-1] == "PASS"
        assert float(mine.split()[2]) < 1e-8 and float(theirs.split()[2]) < 1e-8
    quoted = [line for line in broke[1].splitlines() if line.strip()]
    assert len(quoted) == 2
    for line in quoted:
        assert line in broken.splitlines()
    # the hidden outputs and ratios quoted in the text
    assert "s = 0.6682, 0.4110, 0.3705" in broken and "1 / (1 - s) = 3.014, 1.698, 1.589" in broken
    assert "$s = 0.6682, 0.4110, 0.3705$, so the ratios are 3.014, 1.698 and 1.589" in page().replace("\n  ", " ")


def test_the_normal_run_passes_and_exits_0(capsys):
    assert cli.main(["gradcheck"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("Checking a gradient, entry by entry (docs/gradcheck.md)")
    assert "FAIL" not in printed
    assert "Why the threshold is 1e-06." in printed
    assert printed.index("worst of all 2 entries") < printed.index("component              parameter")
    assert printed.rstrip().endswith("pass (relative error <= 1e-06)")
    assert len(printed_entries(printed)) == 13


def test_output_fits_a_terminal(capsys):
    for arguments in (["gradcheck"], ["gradcheck", "--broken"]):
        cli.main(arguments)
        lines = capsys.readouterr().out.splitlines()
        assert max(len(line) for line in lines) <= 90, max(lines, key=len)


# --- what a broken gradient looks like --------------------------------------------------------


def test_broken_fails_where_the_page_says():
    passed, text = run_walkthrough(broken=True)
    assert passed is False
    errors = worst_error_broken()
    failing = [name for name, error in errors.items() if error > DEFAULT_TOLERANCE]
    assert failing == ["input", "0.Dense.weight", "0.Dense.bias"]
    assert errors["2.Dense.weight"] < 1e-8 and errors["2.Dense.bias"] < 1e-8
    assert "  fail: input, 0.Dense.weight, 0.Dense.bias\n  pass: 2.Dense.weight, 2.Dense.bias\n" in text
    assert "BrokenSigmoid is wrong ON PURPOSE" in text
    rows = printed_entries(text)
    assert {row["verdict"] for row in rows if row["tensor"].startswith("2.")} == {"PASS"}
    assert {row["verdict"] for row in rows if not row["tensor"].startswith("2.")} == {"FAIL"}
    # the numeric column is the same as in the correct run: the forward pass is unchanged
    correct = printed_entries(run_walkthrough()[1])
    assert [row["numeric"] for row in rows] == [row["numeric"] for row in correct]
    assert [row["backprop"] for row in rows][-5:] == [row["backprop"] for row in correct][-5:]
    # the printed backprop is the hand-derived wrong gradient
    wrong = plain_gradients(broken=True)
    for row in rows:
        assert row["backprop"] == pytest.approx(entry_of(wrong[row["tensor"]], row["index"]), rel=1e-10)
    # the page's claimed range of the failing errors
    failing_errors = [row["error"] for row in rows if row["verdict"] == "FAIL"]
    assert min(failing_errors) == pytest.approx(4e-2, rel=0.1) and max(failing_errors) == pytest.approx(0.67, abs=0.005)


def test_broken_ratios_are_one_over_one_minus_s():
    _, s, _ = plain_forward(plain_parameters())
    assert [round(v, 4) for v in s] == [0.6682, 0.4110, 0.3705]
    assert [round(1 / (1 - v), 3) for v in s] == [3.014, 1.698, 1.589]
    checks = check_entries(teaching_network(broken=True), TEACHING_INPUT, TEACHING_TARGET)
    for tensor in ("0.Dense.weight", "0.Dense.bias"):
        for check in checks[tensor]:
            unit = int(re.match(r"\[(\d+)\]", check.index).group(1))
            assert check.analytic / check.numeric == pytest.approx(1 / (1 - s[unit]), rel=1e-8)
    ratios = [check.analytic / check.numeric for check in checks["input"]]
    assert all(min(abs(ratio - 1 / (1 - v)) for v in s) > 0.1 for ratio in ratios)  # "none of them"
    rows = printed_entries(run_walkthrough(broken=True)[1])
    assert len([row for row in rows if row["verdict"] == "FAIL"]) == 8
    for row in rows:
        if row["verdict"] == "FAIL":
            assert row["ratio"] == pytest.approx(row["backprop"] / row["numeric"], abs=1e-3)
        else:
            assert row["ratio"] is None  # a passing entry shows no ratio


def test_broken_exits_1(capsys):
    assert cli.main(["gradcheck", "--broken"]) == 1
    printed = capsys.readouterr().out
    assert "What broke." in printed and "component              parameter" not in printed  # no table with --broken
    assert cli.main(["gradcheck", "--broken", "--entries", "0"]) == 1
    assert "worst of all 6 entries: 6.7e-01   FAIL" in capsys.readouterr().out
    # the exit status is the check's: a tolerance above every error passes even the broken network
    assert cli.main(["gradcheck", "--broken", "--tolerance", "1"]) == 0
    capsys.readouterr()


def test_the_step_can_be_chosen(capsys):
    assert cli.main(["gradcheck", "--epsilon", "1e-2", "--entries", "1"]) == 1  # truncation fails the check
    printed = capsys.readouterr().out
    assert "h = 0.01" in printed and "FAIL" in printed
    assert "1.1e-16 |L| / h = 7.9e-15 here" in printed  # the rounding estimate follows h
    passed, text = run_walkthrough(epsilon=1e-4)
    assert passed is True and "h = 0.0001" in text
    rows = printed_entries(text)
    assert all(row["numeric"] == pytest.approx((row["above"] - row["below"]) / 2e-4, abs=1e-9) for row in rows)


def test_broken_sigmoid_is_not_a_real_layer():
    assert issubclass(BrokenSigmoid, pn.Sigmoid)
    assert BrokenSigmoid().derivative(0.0, 0.25) == 0.25 and pn.Sigmoid().derivative(0.0, 0.25) == 0.1875
    assert not hasattr(pn, "BrokenSigmoid") and not hasattr(pn.layers, "BrokenSigmoid")
    assert "BrokenSigmoid" not in serialization.LAYER_TYPES
    assert "BrokenSigmoid" not in getattr(pn, "__all__", [])
    assert isinstance(teaching_network().layers[1], pn.Sigmoid)
    assert not isinstance(teaching_network().layers[1], BrokenSigmoid)
    assert isinstance(teaching_network(broken=True).layers[1], BrokenSigmoid)
    # pn.gradcheck is the function; the teaching code's module exports nothing to purenet
    assert pn.gradcheck is GRADCHECK.gradcheck


# --- bad arguments ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--entries", "-1"], "argument --entries: must be a whole number of at least 0, got '-1'"),
        (["--entries", "three"], "argument --entries: must be a whole number of at least 0, got 'three'"),
        (["--epsilon", "0"], "argument --epsilon: must be a positive, finite number, got '0'"),
        (["--epsilon", "nan"], "argument --epsilon: must be a positive, finite number, got 'nan'"),
        (["--tolerance", "-1"], "argument --tolerance: must be a positive, finite number, got '-1'"),
        (["--broken", "--model", "m.json"], "argument --model: not allowed with argument --broken"),
    ],
)
def test_bad_command_line_arguments_give_one_clear_line(arguments, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        cli.main(["gradcheck", *arguments])
    assert exit_info.value.code == 2
    error = capsys.readouterr().err
    assert error.strip().splitlines()[-1].endswith(f"gradcheck: error: {message}")
    assert "Traceback" not in error


def test_a_missing_model_file_is_one_line(capsys, tmp_path):
    assert cli.main(["gradcheck", "--model", str(tmp_path / "missing.json"), "--entries", "0"]) == 2
    error = capsys.readouterr().err
    assert error.startswith("error: ") and "missing.json" in error and len(error.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "options, kind, message",
    [
        ({"entries": -1}, ValueError, r"^walkthrough: entries must be a non-negative integer, got -1$"),
        ({"entries": 2.5}, TypeError, r"^walkthrough: entries must be a non-negative integer, got 2\.5$"),
        ({"epsilon": 0.0}, ValueError, r"^walkthrough: epsilon must be a positive finite number .*, got 0\.0$"),
        ({"epsilon": -1e-6}, ValueError, r"^walkthrough: epsilon must be a positive finite number .*, got -1e-06$"),
        ({"epsilon": "small"}, TypeError, r"^walkthrough: epsilon must be a finite number, got 'small'$"),
        ({"epsilon": math.inf}, ValueError, r"^walkthrough: epsilon must be a finite number, got inf$"),
        ({"tolerance": -1.0}, ValueError, r"^walkthrough: tolerance must be >= 0\.0, got -1\.0$"),
    ],
)
def test_bad_walkthrough_arguments_are_named(options, kind, message):
    with pytest.raises(kind, match=message):
        walkthrough(stream=io.StringIO(), **options)


def test_the_command_runs_as_a_user_runs_it():
    result = subprocess.run(
        [sys.executable, "-m", "purenet", "gradcheck", "--broken", "--entries", "1"],
        cwd=ROOT, capture_output=True, text=True, timeout=300,
    )
    assert result.returncode == 1 and result.stderr == ""
    assert "fail: input, 0.Dense.weight, 0.Dense.bias" in result.stdout
