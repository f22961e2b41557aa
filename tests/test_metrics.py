"""Tests for the metrics: accuracy, cosine similarity and the confusion matrix, by hand."""

import math

import pytest

import purenet as pn

# --- accuracy ----------------------------------------------------------------------


def test_accuracy_from_class_indices():
    # 3 of 4 right
    assert pn.accuracy([0, 1, 2, 1], [0, 1, 2, 0]) == pytest.approx(0.75)
    assert pn.accuracy([1], [0]) == pytest.approx(0.0)


def test_accuracy_from_score_rows_takes_the_argmax():
    scores = [[0.1, 0.9], [2.0, -1.0], [0.3, 0.3], [-5.0, -4.0]]
    # argmax: 1, 0, 0 (first on a tie), 1
    assert pn.accuracy(scores, [1, 0, 1, 1]) == pytest.approx(0.75)


def test_accuracy_with_one_hot_targets():
    one_hot = [[0, 1], [1, 0], [0, 1]]
    assert pn.accuracy([1, 1, 1], one_hot) == pytest.approx(2.0 / 3.0)
    assert pn.accuracy([[0.2, 0.8], [0.6, 0.4], [0.9, 0.1]], one_hot) == pytest.approx(2.0 / 3.0)


def test_accuracy_errors():
    with pytest.raises(ValueError, match=r"accuracy: 2 outputs but 3 targets"):
        pn.accuracy([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match=r"outputs must be a non-empty list of class indices or of rows, got \[\]"):
        pn.accuracy([], [])
    with pytest.raises(TypeError, match=r"targets must be a list of class indices \(ints\) or a list of rows, got a mix"):
        pn.accuracy([0, 1], [0, [1, 0]])


# --- cosine similarity --------------------------------------------------------------------


def test_cosine_similarity_by_hand():
    # [1, 0] vs class 0: cos = 1; [0, 1] vs class 0: cos = 0
    assert pn.cosine_similarity([[1.0, 0.0], [0.0, 1.0]], [0, 0]) == pytest.approx(0.5)
    # [3, 4] vs class 1: 4 / 5;  [1, 1] vs class 0: 1 / sqrt(2)
    value = pn.cosine_similarity([[3.0, 4.0], [1.0, 1.0]], [1, 0])
    assert value == pytest.approx((0.8 + 1.0 / math.sqrt(2.0)) / 2.0)
    # the scale of the output does not matter
    assert pn.cosine_similarity([[30.0, 40.0]], [[0, 1]]) == pytest.approx(0.8)


def test_cosine_similarity_of_a_zero_row_counts_as_zero():
    assert pn.cosine_similarity([[0.0, 0.0], [0.0, 2.0]], [1, 1]) == pytest.approx(0.5)


def test_cosine_similarity_errors():
    with pytest.raises(ValueError, match=r"cosine_similarity: outputs is empty"):
        pn.cosine_similarity([], [])
    with pytest.raises(ValueError, match=r"cosine_similarity: target\[0\] is class 2, but the output has 2 classes"):
        pn.cosine_similarity([[1.0, 0.0]], [2])


# --- confusion matrix --------------------------------------------------------------------------


def test_confusion_matrix_by_hand_rows_are_actual_classes():
    predicted = [0, 1, 1, 2, 2, 2, 0]
    actual = [0, 1, 0, 2, 1, 2, 2]
    # pairs (actual, predicted): (0,0) (1,1) (0,1) (2,2) (1,2) (2,2) (2,0)
    expected = [
        [1, 1, 0],  # actual 0: once right, once taken for 1
        [0, 1, 1],  # actual 1: once right, once taken for 2
        [1, 0, 2],  # actual 2: twice right, once taken for 0
    ]
    assert pn.confusion_matrix(predicted, actual) == expected


def test_confusion_matrix_from_scores_and_with_a_fixed_class_count():
    scores = [[0.9, 0.1], [0.2, 0.8]]
    assert pn.confusion_matrix(scores, [1, 1], classes=3) == [[0, 0, 0], [1, 1, 0], [0, 0, 0]]
    assert pn.confusion_matrix(scores, [[0, 1], [0, 1]]) == [[0, 0], [1, 1]]


def test_confusion_matrix_errors():
    with pytest.raises(ValueError, match=r"confusion_matrix: 2 predictions but 1 labels"):
        pn.confusion_matrix([0, 1], [0])
    with pytest.raises(ValueError, match=r"confusion_matrix: classes=2 but a class index 2 was seen"):
        pn.confusion_matrix([0, 2], [0, 1], classes=2)


def test_confusion_matrix_refuses_negative_class_indices():
    # -1 is no class: counting it would silently land in the last column.
    with pytest.raises(ValueError, match=r"-1"):
        pn.confusion_matrix([-1, 0], [0, 0])
    with pytest.raises(ValueError, match=r"-1"):
        pn.confusion_matrix([-1, 0], [0, 0], classes=2)


@pytest.mark.parametrize("classes, error", [(0, ValueError), (-2, ValueError), (2.0, TypeError), (True, TypeError)])
def test_confusion_matrix_refuses_a_class_count_that_is_not_a_positive_integer(classes, error):
    with pytest.raises(error, match=rf"^confusion_matrix: classes must be a positive integer or None, got {classes!r}$"):
        pn.confusion_matrix([0, 1], [1, 0], classes=classes)
