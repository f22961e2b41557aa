"""Metrics: how good are the predictions? (Not differentiated; for reporting only.)"""

from __future__ import annotations

import math

from . import matrices
from .losses import target_rows
from .validation import check_integer, is_integer


def _class_indices(values: object, name: str) -> list[int]:
    """Class indices from a list of ints, or the argmax of each row of a matrix."""
    if not isinstance(values, (list, tuple)) or not values:
        raise ValueError(f"{name} must be a non-empty list of class indices or of rows, got {values!r}")
    if all(is_integer(value) for value in values):
        return list(values)
    if all(isinstance(value, (list, tuple)) for value in values):
        return matrices.argmax_rows([list(row) for row in values])
    kinds = sorted({type(value).__name__ for value in values})
    found = f"a mix of {', '.join(kinds)}" if len(kinds) > 1 else f"{kinds[0]} values"
    raise TypeError(f"{name} must be a list of class indices (ints) or a list of rows, got {found}")


def _check_scores(outputs: object, function: str) -> None:
    """Rows of scores need at least two columns: the argmax of a single column is always class 0."""
    if isinstance(outputs, (list, tuple)) and outputs and isinstance(outputs[0], (list, tuple)) and len(outputs[0]) < 2:
        raise ValueError(
            f"{function}: outputs have {len(outputs[0])} column per sample, so the predicted class would "
            "always be 0; accuracy needs one score per class"
        )


def accuracy(outputs: object, targets: object) -> float:
    """Hard accuracy: the fraction of samples whose predicted class equals the target class.

    ``outputs`` may be class indices or rows of scores (the argmax is taken);
    ``targets`` may be class indices or one-hot rows.
    """
    _check_scores(outputs, "accuracy")
    predicted = _class_indices(outputs, "outputs")
    actual = _class_indices(targets, "targets")
    if len(predicted) != len(actual):
        raise ValueError(f"accuracy: {len(predicted)} outputs but {len(actual)} targets")
    if isinstance(outputs[0], (list, tuple)):
        classes = len(outputs[0])
        for index, label in enumerate(actual):
            if not 0 <= label < classes:
                raise ValueError(f"accuracy: targets[{index}] is class {label}, but outputs have {classes} classes")
    return sum(p == t for p, t in zip(predicted, actual)) / len(actual)


def cosine_similarity(outputs: list[list[float]], targets: object) -> float:
    """Mean cosine of the angle between each output row y and its one-hot target row t.

    cos(y, t) = (y . t) / (|y| |t|), averaged over the batch: 1 when every
    output points exactly at its class, lower as probability leaks to other
    classes (the original design's "soft accuracy"). A zero row counts as 0.
    """
    batch, classes = matrices.shape(outputs)
    if batch == 0:
        raise ValueError("cosine_similarity: outputs is empty")
    rows = target_rows(targets, batch, classes, "cosine_similarity")
    total = 0.0
    for output_row, target_row in zip(outputs, rows):
        norms = math.sqrt(matrices.dot(output_row, output_row)) * math.sqrt(matrices.dot(target_row, target_row))
        total += matrices.dot(output_row, target_row) / norms if norms else 0.0
    return total / batch


def confusion_matrix(predicted: object, actual: object, classes: int | None = None) -> list[list[int]]:
    """Counts result[a][p] of samples of actual class a predicted as class p.

    Rows are the true classes, columns the predictions (the diagonal is what
    was right). ``predicted`` may be class indices or rows of scores.
    ``classes`` defaults to one more than the largest class seen.
    """
    _check_scores(predicted, "confusion_matrix")
    check_integer(classes, "confusion_matrix: classes", minimum=1, optional=True)
    predicted_classes = _class_indices(predicted, "predicted")
    actual_classes = _class_indices(actual, "actual")
    if len(predicted_classes) != len(actual_classes):
        raise ValueError(f"confusion_matrix: {len(predicted_classes)} predictions but {len(actual_classes)} labels")
    smallest, largest = min(predicted_classes + actual_classes), max(predicted_classes + actual_classes)
    if smallest < 0:
        raise ValueError(f"confusion_matrix: class indices must be >= 0, got {smallest}")
    if classes is None:
        classes = largest + 1
    elif largest >= classes:
        raise ValueError(f"confusion_matrix: classes={classes} but a class index {largest} was seen")
    counts = [[0] * classes for _ in range(classes)]
    for p, a in zip(predicted_classes, actual_classes):
        counts[a][p] += 1
    return counts
