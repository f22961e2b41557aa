"""Every public name from before issue 10 still works, or fails with a message that names its replacement."""

import re
import warnings
from pathlib import Path

import pytest

import purenet as pn
from purenet import matrices
from purenet.layers.base import Parameter

# purenet.__all__ before the renames of issue 10.
OLD_PUBLIC_NAMES = [
    "Adam", "CrossEntropy", "Dense", "Layer", "LeakyReLU", "Linear", "Loss", "MeanSquaredError", "ModelFileError",
    "Optimizer", "Parameter", "Pass", "ReLU", "SGD", "Sequential", "Sigmoid", "Softmax", "SoftmaxCrossEntropy",
    "Tanh", "TrainingDivergedError", "accuracy", "confusion_matrix", "cosine_similarity", "gradcheck", "load",
    "square_detector",
]

# The public names of purenet/matrices.py before it became a package.
OLD_MATRICES_NAMES = [
    "Matrix", "Vector", "dot", "shape", "describe", "zeros", "is_finite", "as_matrix", "transpose",
    "matmul_transposed", "BACKGROUND_SHARE", "BACKGROUND_MINIMUM_WIDTH", "matmul", "transposed_matmul", "add",
    "subtract", "map_elements", "add_row", "rows_of", "rectify", "rectify_backward", "column_sums", "argmax_rows",
    "reference_dot", "reference_matmul", "reference_transpose",
]
REMOVED_MATRICES_NAMES = {"multiply": "zip", "scale": "map_elements"}


@pytest.mark.parametrize("name", OLD_PUBLIC_NAMES)
def test_every_old_public_name_is_still_exported(name):
    assert name in pn.__all__
    assert getattr(pn, name) is not None


@pytest.mark.parametrize("name", OLD_MATRICES_NAMES)
def test_every_old_matrices_name_still_works(name):
    assert hasattr(matrices, name)


@pytest.mark.parametrize("name, replacement", sorted(REMOVED_MATRICES_NAMES.items()))
def test_a_removed_matrices_name_fails_naming_what_to_write_instead(name, replacement):
    with pytest.raises(AttributeError, match=rf"matrices\.{name} was removed.*{replacement}"):
        getattr(matrices, name)


def test_the_new_names_carry_over_from_pytorch_and_the_old_misleading_ones_warn():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for new in (pn.Identity, pn.Pass, pn.ProbabilityCrossEntropy, pn.CrossEntropyLoss, pn.MSELoss):
            new()
    with pytest.warns(FutureWarning, match="use Identity"):
        assert isinstance(pn.Linear(), pn.Identity)
    with pytest.warns(FutureWarning, match="ProbabilityCrossEntropy"):
        assert isinstance(pn.CrossEntropy(), pn.ProbabilityCrossEntropy)


def test_an_optimiser_written_for_the_old_update_row_is_told_the_new_rule():
    class OldStyle(pn.Optimizer):
        def update_row(self, values, gradients, state, row):
            return [p - self.lr * g for p, g in zip(values, gradients)]

        def hyperparameters(self):
            return {"lr": self.lr}

    parameter = Parameter([1.0, 2.0], "bias")
    parameter.grad = [0.5, 0.5]
    expected = r"OldStyle must define update\(values, gradients, state\).*update_row"
    with pytest.raises(NotImplementedError, match=expected):
        OldStyle([parameter], lr=0.1).step()


def test_an_optimiser_state_dict_of_the_earlier_layout_is_named_as_such():
    parameter = Parameter([1.0, 2.0], "bias")
    earlier = {"optimizer": "SGD", "hyperparameters": {"lr": 0.1, "momentum": 0.0, "weight_decay": 0.0}, "state": [{}]}
    with pytest.raises(ValueError, match=r"expected a dict with 'state' and 'param_groups'.*an earlier version"):
        pn.SGD([parameter], lr=0.1).load_state_dict(earlier)


def test_docs_pytorch_md_maps_every_public_name_to_its_pytorch_counterpart():
    text = (Path(__file__).resolve().parent.parent / "docs" / "pytorch.md").read_text(encoding="utf-8")
    table = text[text.index("## Every name, and its PyTorch counterpart") :]
    table = table[: table.index("\n\n", table.index("| --- |"))]
    missing = [name for name in pn.__all__ if not re.search(rf"`pn\.{name}\b", table)]
    assert not missing, f"docs/pytorch.md's names table lacks {missing}"
