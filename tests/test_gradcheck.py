"""Tests for purenet.gradcheck: it passes correct gradients and, above all, catches wrong ones."""

import io
import random

import pytest

import purenet as pn
from purenet.gradcheck import relative_error

X = [[0.4, -0.3, 0.8], [-0.6, 0.2, 0.5]]


class DenseWithDoubledInputGradient(pn.Dense):
    """A deliberately broken layer: its input gradient is twice the true one."""

    def backward(self, grad, input_gradient=True):
        result = super().backward(grad, input_gradient)
        return None if result is None else [[2.0 * v for v in row] for row in result]


class DenseWithHalvedWeightGradient(pn.Dense):
    """Another broken layer: the stored weight gradient is half the true one."""

    def backward(self, grad, input_gradient=True):
        result = super().backward(grad, input_gradient)
        self.weight.grad = [[0.5 * v for v in row] for row in self.weight.grad]
        return result


class SigmoidWithWrongDerivative(pn.Sigmoid):
    """f'(x) written as f(x) instead of f(x) (1 - f(x))."""

    def derivative(self, x, y):
        return y


class MeanSquaredErrorWithoutTheTwo(pn.MeanSquaredError):
    """A classic slip: forgetting the 2 of d(d^2) = 2 d."""

    def backward(self):
        return [[g / 2.0 for g in row] for row in super().backward()]


def test_correct_components_give_small_errors():
    errors = pn.gradcheck(pn.Dense(3, 2, rng=1), X)
    assert set(errors) == {"input", "weight", "bias"}
    assert all(error < 1e-7 for error in errors.values())
    assert pn.gradcheck(pn.Tanh(), X)["input"] < 1e-7
    assert pn.gradcheck(pn.SoftmaxCrossEntropy(), X, [2, 0])["input"] < 1e-7


def test_detects_a_doubled_input_gradient():
    errors = pn.gradcheck(DenseWithDoubledInputGradient(3, 2, rng=1), X)
    # analytic = 2 numeric: |2n - n| / |2n| = 1/2
    assert errors["input"] == pytest.approx(0.5, rel=1e-4)
    assert errors["weight"] < 1e-7 and errors["bias"] < 1e-7


def test_detects_a_halved_weight_gradient():
    errors = pn.gradcheck(DenseWithHalvedWeightGradient(3, 2, rng=1), X)
    # analytic = numeric / 2: |n/2 - n| / |n| = 1/2
    assert errors["weight"] == pytest.approx(0.5, rel=1e-4)
    assert errors["input"] < 1e-7 and errors["bias"] < 1e-7


def test_detects_a_wrong_activation_derivative():
    assert pn.gradcheck(SigmoidWithWrongDerivative(), X)["input"] > 0.1


def test_detects_a_wrong_loss_gradient():
    assert pn.gradcheck(MeanSquaredErrorWithoutTheTwo(), X, [[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])["input"] == pytest.approx(0.5, rel=1e-4)


def test_detects_a_broken_layer_inside_a_model():
    model = pn.Sequential(pn.Dense(3, 4, rng=1), pn.Tanh(), DenseWithHalvedWeightGradient(4, 2, rng=2))
    errors = pn.gradcheck(model, X, [1, 0])
    assert errors["0.Dense.weight"] < 1e-6
    assert errors["2.DenseWithHalvedWeightGradient.weight"] > 0.1


def test_verbose_prints_a_table_with_pass_and_fail():
    stream = io.StringIO()
    pn.gradcheck(DenseWithDoubledInputGradient(3, 2, rng=1), X, verbose=True, stream=stream)
    lines = stream.getvalue().splitlines()
    assert len(lines) == 3
    by_name = {line.split()[1]: line for line in lines}
    assert by_name["input"].split()[-1] == "FAIL"
    assert by_name["weight"].split()[-1] == "PASS"
    assert by_name["bias"].split()[-1] == "PASS"
    assert all(line.startswith("DenseWithDoubledInputGradient") for line in lines)


def test_verbose_defaults_to_stdout(capsys):
    pn.gradcheck(pn.ReLU(), X, verbose=True)
    out = capsys.readouterr().out
    assert "ReLU" in out and "PASS" in out and "FAIL" not in out


def test_tolerance_decides_pass_or_fail():
    stream = io.StringIO()
    pn.gradcheck(DenseWithDoubledInputGradient(3, 2, rng=1), X, tolerance=0.9, verbose=True, stream=stream)
    assert "FAIL" not in stream.getvalue()


def test_parameter_gradients_are_restored_after_the_check():
    layer = pn.Dense(3, 2, rng=1)
    layer.forward(X)
    layer.backward([[1.0, 2.0], [3.0, 4.0]])
    weight_grad = [list(row) for row in layer.weight.grad]
    bias_grad = list(layer.bias.grad)
    pn.gradcheck(layer, X)
    assert layer.weight.grad == [pytest.approx(row, rel=0, abs=0) for row in weight_grad]
    assert layer.bias.grad == pytest.approx(bias_grad, rel=0, abs=0)
    assert layer.weight.backward_passes == 1

    fresh = pn.Sequential(pn.Dense(3, 2, rng=1))
    pn.gradcheck(fresh, X, [0, 1])
    assert all(parameter.grad is None and parameter.backward_passes == 0 for parameter in fresh.parameters())


def test_parameters_and_inputs_are_unchanged_by_the_check():
    layer = pn.Dense(3, 2, rng=1)
    before = [v.hex() for row in layer.weight for v in row]
    inputs = [list(row) for row in X]
    pn.gradcheck(layer, inputs)
    assert [v.hex() for row in layer.weight for v in row] == before
    assert inputs == X


def test_relative_error_by_hand():
    # worst |a - n| = 0.5, largest entry 2
    assert relative_error([1.0, 2.0], [1.5, 2.0]) == pytest.approx(0.25)
    assert relative_error([[1.0], [-4.0]], [[1.0], [-3.0]]) == pytest.approx(0.25)
    assert relative_error([0.0], [0.0]) == pytest.approx(0.0)
    with pytest.raises(ValueError, match=r"relative_error: 2 analytic values but 1 numeric"):
        relative_error([1.0, 2.0], [1.0])


def test_argument_errors():
    with pytest.raises(ValueError, match=r"gradcheck: a loss needs targets"):
        pn.gradcheck(pn.MeanSquaredError(), X)
    with pytest.raises(ValueError, match=r"gradcheck: a model needs targets"):
        pn.gradcheck(pn.Sequential(pn.Dense(3, 2)), X)
    with pytest.raises(TypeError, match=r"gradcheck: component must be a layer, a loss or a Sequential, got str"):
        pn.gradcheck("tanh", X)
    with pytest.raises(ValueError, match=r"inputs must hold at least one sample"):
        pn.gradcheck(pn.ReLU(), [])


def test_entries_checks_a_random_subset_and_still_catches_a_wrong_gradient():
    rng = random.Random(2)
    x = [[rng.uniform(-1, 1) for _ in range(6)] for _ in range(3)]
    layer = pn.Dense(6, 4, rng=1)
    errors = pn.gradcheck(layer, x, entries=5)
    assert set(errors) == {"input", "weight", "bias"}
    assert max(errors.values()) < 1e-6

    class HalfWeightGradient(pn.Dense):
        def backward(self, grad, input_gradient=True):
            result = super().backward(grad, input_gradient)
            self.weight.grad = [[0.5 * value for value in row] for row in self.weight.grad]
            return result

    broken = HalfWeightGradient(6, 4, rng=1)
    assert pn.gradcheck(broken, x, entries=5)["weight"] > 0.3


def test_entries_must_be_a_positive_integer():
    with pytest.raises(ValueError, match="entries must be a positive integer or None, got 0"):
        pn.gradcheck(pn.ReLU(), [[1.0, 2.0]], entries=0)
    with pytest.raises(TypeError, match=r"^gradcheck: entries must be a positive integer or None, got 2\.5$"):
        pn.gradcheck(pn.ReLU(), [[1.0, 2.0]], entries=2.5)
    with pytest.raises(TypeError, match=r"^gradcheck: entries must be a positive integer or None, got True$"):
        pn.gradcheck(pn.ReLU(), [[1.0, 2.0]], entries=True)


@pytest.mark.parametrize("seed, shown", [(1.0, "float 1.0"), (True, "bool True"), (None, "NoneType None")])
def test_seed_must_be_an_int(seed, shown):
    with pytest.raises(TypeError, match=rf"^gradcheck: seed must be an int \(runs are reproducible\), got {shown}$"):
        pn.gradcheck(pn.ReLU(), [[1.0, 2.0]], seed=seed)
