"""Tests for the losses: values by hand, gradients, stability, warnings and errors."""

import math
import random
import warnings

import pytest
from conftest import assert_close, central_difference

import purenet as pn

LOSSES = [pn.SoftmaxCrossEntropy, pn.ProbabilityCrossEntropy, pn.MeanSquaredError]


# --- SoftmaxCrossEntropy -------------------------------------------------------------


def test_softmax_cross_entropy_by_hand():
    loss = pn.SoftmaxCrossEntropy()
    # logits [0, ln 3] -> p = [1/4, 3/4]
    assert loss.forward([[0.0, math.log(3.0)]], [1]) == pytest.approx(math.log(4.0 / 3.0))
    assert loss.forward([[0.0, math.log(3.0)]], [0]) == pytest.approx(math.log(4.0))
    # equal logits over 3 classes: -log(1/3)
    assert loss.forward([[2.0, 2.0, 2.0]], [2]) == pytest.approx(math.log(3.0))
    # a batch is the mean of its samples
    value = loss.forward([[0.0, math.log(3.0)], [0.0, math.log(3.0)]], [1, 0])
    assert value == pytest.approx((math.log(4.0 / 3.0) + math.log(4.0)) / 2.0)


def test_softmax_cross_entropy_gradient_is_p_minus_t_over_n():
    loss = pn.SoftmaxCrossEntropy()
    loss.forward([[0.0, math.log(3.0)], [0.0, math.log(3.0)]], [1, 0])
    # p = [1/4, 3/4] for both rows, N = 2
    assert_close(loss.backward(), [[0.25 / 2, (0.75 - 1.0) / 2], [(0.25 - 1.0) / 2, 0.75 / 2]])


def test_class_indices_and_one_hot_give_the_same_loss_and_gradient():
    rng = random.Random(0)
    logits = [[rng.uniform(-3.0, 3.0) for _ in range(4)] for _ in range(5)]
    labels = [0, 3, 1, 1, 2]
    one_hot = [[1.0 if k == label else 0.0 for k in range(4)] for label in labels]
    for loss_class in LOSSES:
        outputs = logits if loss_class is not pn.ProbabilityCrossEntropy else pn.Softmax().forward(logits)
        by_index, by_rows = loss_class(), loss_class()
        assert by_index.forward(outputs, labels) == pytest.approx(by_rows.forward(outputs, one_hot), rel=1e-12)
        assert_close(by_index.backward(), by_rows.backward(), rel=1e-12)


def test_soft_targets_are_accepted():
    loss = pn.SoftmaxCrossEntropy()
    # logits [0, 0]: p = [1/2, 1/2]; target [0.3, 0.7]: L = -(0.3 + 0.7) log(1/2) = log 2
    assert loss.forward([[0.0, 0.0]], [[0.3, 0.7]]) == pytest.approx(math.log(2.0))
    assert loss.backward()[0] == pytest.approx([0.2, -0.2])


def test_softmax_cross_entropy_is_stable_for_huge_logits():
    loss = pn.SoftmaxCrossEntropy()
    # logits [1e4, 0]: log-sum-exp = 1e4 + log(1 + e^-1e4) = 1e4
    assert loss.forward([[1e4, 0.0]], [0]) == pytest.approx(0.0, abs=1e-12)
    assert loss.backward()[0] == pytest.approx([0.0, 0.0], abs=1e-12)
    assert loss.forward([[1e4, 0.0]], [1]) == pytest.approx(1e4)
    assert loss.backward()[0] == pytest.approx([1.0, -1.0])
    value = loss.forward([[1e4, -1e4, 1e4 - 1.0]], [2])
    assert math.isfinite(value)
    # by hand: lse = 1e4 + log(1 + e^-1 + e^-2e4) = 1e4 + log(1 + e^-1),
    # L = lse - z_2 = lse - (1e4 - 1) = 1 + log(1 + e^-1)
    assert value == pytest.approx(1.0 + math.log(1.0 + math.exp(-1.0)))


def test_softmax_cross_entropy_warns_once_per_instance_on_probability_rows():
    probabilities = [[0.2, 0.8], [0.5, 0.5]]
    loss = pn.SoftmaxCrossEntropy()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        loss.forward(probabilities, [1, 0])
        loss.forward(probabilities, [1, 0])
    relevant = [w for w in caught if issubclass(w.category, UserWarning)]
    assert len(relevant) == 1
    assert "looks like probabilities" in str(relevant[0].message)
    assert relevant[0].filename == __file__, "the warning should point at the caller"
    with pytest.warns(UserWarning, match="expects logits"):
        pn.SoftmaxCrossEntropy().forward(probabilities, [1, 0])


def test_softmax_cross_entropy_does_not_warn_on_logits():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        loss = pn.SoftmaxCrossEntropy()
        loss.forward([[2.0, -1.0], [0.5, 0.3]], [0, 1])


def test_softmax_cross_entropy_refuses_targets_that_are_not_distributions():
    with pytest.raises(ValueError, match=r"SoftmaxCrossEntropy: target\[0\] must be a class index or a row .* summing to 1"):
        pn.SoftmaxCrossEntropy().forward([[1.0, 2.0]], [[2.0, 0.0]])


# --- ProbabilityCrossEntropy ----------------------------------------------------------------------


def test_cross_entropy_by_hand():
    loss = pn.ProbabilityCrossEntropy()
    # -(log 0.75 + log 0.5) / 2
    value = loss.forward([[0.25, 0.75], [0.5, 0.5]], [1, 0])
    assert value == pytest.approx(-(math.log(0.75) + math.log(0.5)) / 2.0)
    # dL/dp = -t / (N p)
    assert_close(loss.backward(), [[0.0, -1.0 / (2 * 0.75)], [-1.0 / (2 * 0.5), 0.0]])


def test_cross_entropy_clips_zero_probability():
    loss = pn.ProbabilityCrossEntropy()
    value = loss.forward([[0.0, 1.0]], [0])
    assert math.isfinite(value)
    assert value == pytest.approx(-math.log(1e-7))
    assert value == pytest.approx(7.0 * math.log(10.0), rel=1e-12)  # -log(1e-7) = 7 ln 10
    gradient = loss.backward()
    assert all(math.isfinite(g) for g in gradient[0])
    assert gradient[0] == pytest.approx([0.0, 0.0])  # clipped entries get no gradient, as torch.clamp


@pytest.mark.parametrize("row", [[1.5, -0.5], [-0.1, 1.1], [0.3, 2.0]])
def test_cross_entropy_refuses_values_outside_zero_one_and_points_to_softmax_cross_entropy(row):
    with pytest.raises(ValueError, match=r"CrossEntropy expects probabilities in \[0, 1\].*output\[0\].*use SoftmaxCrossEntropy"):
        pn.ProbabilityCrossEntropy().forward([row], [0])


@pytest.mark.parametrize("row", [[math.nan, 0.5], [0.5, math.nan]])
def test_cross_entropy_refuses_nan_probabilities(row):
    # NaN is not a probability; it must not be skipped silently (target 1 gives log 2 otherwise).
    with pytest.raises(ValueError, match=r"CrossEntropy.*output\[0\]"):
        pn.ProbabilityCrossEntropy().forward([row], [1])


def test_the_old_cross_entropy_still_works_on_probabilities_but_warns_and_names_both_replacements():
    with pytest.warns(FutureWarning, match=r"CrossEntropy takes probabilities.*ProbabilityCrossEntropy.*CrossEntropyLoss \(SoftmaxCrossEntropy\)"):
        old = pn.CrossEntropy()
    assert isinstance(old, pn.ProbabilityCrossEntropy)
    probabilities, target = [[0.25, 0.75], [0.5, 0.5]], [1, 0]
    new = pn.ProbabilityCrossEntropy()
    assert old.forward(probabilities, target) == pytest.approx(new.forward(probabilities, target), rel=1e-15)
    assert_close(old.backward(), new.backward(), rel=1e-15)


def test_pytorchs_loss_names_are_the_same_classes_and_warn_nothing():
    assert pn.CrossEntropyLoss is pn.SoftmaxCrossEntropy
    assert pn.MSELoss is pn.MeanSquaredError
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert pn.CrossEntropyLoss().forward([[0.0, 0.0]], [1]) == pytest.approx(math.log(2.0), rel=1e-12)
        assert pn.MSELoss().forward([[1.0, 3.0]], [[0.0, 0.0]]) == pytest.approx(5.0, rel=1e-12)
        pn.ProbabilityCrossEntropy()


# --- MeanSquaredError --------------------------------------------------------------------


def test_mean_squared_error_is_the_mean_over_all_elements():
    loss = pn.MeanSquaredError()
    # squared errors 1, 4, 9, 16 over N K = 4 elements
    assert loss.forward([[1.0, 2.0], [3.0, 4.0]], [[0.0, 0.0], [0.0, 0.0]]) == pytest.approx(7.5)
    # dL/dy = 2 (y - t) / (N K)
    assert_close(loss.backward(), [[0.5, 1.0], [1.5, 2.0]])
    # one sample, three outputs: ((0.5)^2 + 0 + (-1)^2) / 3
    assert loss.forward([[1.5, 2.0, 0.0]], [[1.0, 2.0, 1.0]]) == pytest.approx(1.25 / 3.0)


def test_mean_squared_error_with_class_indices_uses_one_hot_rows():
    # [0.2, 0.9] against one-hot [0, 1]: (0.04 + 0.01) / 2
    assert pn.MeanSquaredError().forward([[0.2, 0.9]], [1]) == pytest.approx(0.025)


# --- errors --------------------------------------------------------------------------------


@pytest.mark.parametrize("loss_class", LOSSES)
def test_class_index_out_of_range(loss_class):
    name = loss_class.__name__
    with pytest.raises(ValueError, match=rf"{name}: target\[1\] is class 3, but the output has 3 classes \(0 to 2\)"):
        loss_class().forward([[0.2, 0.3, 0.5], [0.1, 0.1, 0.8]], [0, 3])
    with pytest.raises(ValueError, match=rf"{name}: target\[0\] is class -1"):
        loss_class().forward([[0.2, 0.3, 0.5]], [-1])


@pytest.mark.parametrize("loss_class", LOSSES)
def test_target_row_of_wrong_length(loss_class):
    name = loss_class.__name__
    with pytest.raises(ValueError, match=rf"{name}: target\[0\] has 2 values but the output has 3 classes"):
        loss_class().forward([[0.2, 0.3, 0.5]], [[0.0, 1.0]])


@pytest.mark.parametrize("loss_class", LOSSES)
def test_batch_size_mismatch(loss_class):
    name = loss_class.__name__
    with pytest.raises(ValueError, match=rf"{name}: the output has 2 samples but the target has 3"):
        loss_class().forward([[0.5, 0.5], [0.5, 0.5]], [0, 1, 1])


@pytest.mark.parametrize("loss_class", LOSSES)
def test_bool_targets_are_refused(loss_class):
    name = loss_class.__name__
    with pytest.raises(TypeError, match=rf"{name}: target\[0\] must be a class index \(int\) or a one-hot row, got bool True"):
        loss_class().forward([[0.5, 0.5]], [True])
    with pytest.raises(ValueError, match=rf"{name}: target\[0\] must hold finite numbers, got False"):
        loss_class().forward([[0.5, 0.5]], [[False, True]])


@pytest.mark.parametrize("loss_class", LOSSES)
def test_other_bad_targets(loss_class):
    name = loss_class.__name__
    with pytest.raises(TypeError, match=rf"{name}: target must be a list of class indices or of one-hot rows, got int"):
        loss_class().forward([[0.5, 0.5]], 1)
    with pytest.raises(TypeError, match=rf"{name}: target\[0\] must be a class index.*got float 1\.0"):
        loss_class().forward([[0.5, 0.5]], [1.0])
    with pytest.raises(ValueError, match=rf"{name}: target\[0\] must hold finite numbers, got nan"):
        loss_class().forward([[0.5, 0.5]], [[math.nan, 1.0]])


@pytest.mark.parametrize("loss_class", LOSSES)
def test_empty_output_is_refused(loss_class):
    with pytest.raises(ValueError, match=rf"{loss_class.__name__}: output must hold at least one sample and one class, got \(0 x 0\)"):
        loss_class().forward([], [])


@pytest.mark.parametrize("loss_class", LOSSES)
def test_backward_before_forward_raises(loss_class):
    with pytest.raises(RuntimeError, match=rf"{loss_class.__name__}\.backward called before forward"):
        loss_class().backward()


# --- finite differences ----------------------------------------------------------------------


def sample_case(loss_class, batch, rng):
    classes = 3
    if loss_class is pn.ProbabilityCrossEntropy:
        # probabilities well inside (1e-7, 1 - 1e-7), so no step crosses the clip
        output = pn.Softmax().forward([[rng.uniform(-1.0, 1.0) for _ in range(classes)] for _ in range(batch)])
    else:
        output = [[rng.uniform(-2.0, 2.0) for _ in range(classes)] for _ in range(batch)]
    if loss_class is pn.MeanSquaredError:
        target = [[rng.uniform(-1.0, 1.0) for _ in range(classes)] for _ in range(batch)]
    else:
        target = [rng.randrange(classes) for _ in range(batch)]
    return output, target


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("loss_class", LOSSES)
def test_gradcheck_of_every_loss(loss_class, batch):
    output, target = sample_case(loss_class, batch, random.Random(batch))
    errors = pn.gradcheck(loss_class(), output, target)
    assert set(errors) == {"input"}
    assert errors["input"] < 1e-6


@pytest.mark.parametrize("batch", [1, 4])
@pytest.mark.parametrize("loss_class", LOSSES)
def test_every_loss_gradient_matches_an_independent_central_difference(loss_class, batch):
    output, target = sample_case(loss_class, batch, random.Random(10 + batch))
    loss = loss_class()
    loss.forward(output, target)
    analytic = loss.backward()
    numeric = central_difference(lambda: loss_class().forward(output, target), output)
    assert_close(analytic, numeric, rel=1e-6, abs=1e-8)


def test_soft_target_gradients_match_central_difference():
    output = [[0.3, -1.2, 0.8], [1.0, 0.0, -0.5]]
    target = [[0.2, 0.5, 0.3], [0.0, 0.1, 0.9]]
    for loss_class in (pn.SoftmaxCrossEntropy, pn.ProbabilityCrossEntropy):
        values = output if loss_class is pn.SoftmaxCrossEntropy else pn.Softmax().forward(output)
        assert pn.gradcheck(loss_class(), values, target)["input"] < 1e-6
