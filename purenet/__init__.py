"""purenet: deep learning in pure Python, for reading every line.

    import purenet as pn
    model = pn.Sequential(pn.Dense(2, 16), pn.ReLU(), pn.Dense(16, 3))
    history = model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.01), epochs=100)

Nothing but the standard library is imported, on Python 3.10 and later.
"""

from .callbacks import Callback
from .gradcheck import gradcheck
from .interop import from_state_dict
from .interrupt import TrainingInterrupted
from .layers import (
    AvgPool1d,
    AvgPool2d,
    BatchNorm1d,
    Conv1d,
    Conv2d,
    Dense,
    Dropout,
    Flatten,
    Identity,
    Layer,
    LeakyReLU,
    Linear,
    MaxPool1d,
    MaxPool2d,
    Parameter,
    Pass,
    ReLU,
    Sigmoid,
    Softmax,
    Tanh,
    Unflatten,
)
from .losses import (
    CrossEntropy,
    CrossEntropyLoss,
    Loss,
    MeanSquaredError,
    MSELoss,
    ProbabilityCrossEntropy,
    SoftmaxCrossEntropy,
)
from .metrics import accuracy, confusion_matrix, cosine_similarity
from .model import Sequential, TrainingDivergedError
from .optimizers import SGD, Adam, Optimizer
from .binary_and_regression_losses import BCEWithLogitsLoss, HuberLoss, L1Loss
from .adaptive_optimizers import Adagrad, AdamW, RMSprop
from .clipping import clip_grad_norm_
from .epoch_callbacks import EarlyStopping, LearningRateScheduler
from .schedulers import CosineAnnealingLR, ExponentialLR, LambdaLR, LRScheduler, ReduceLROnPlateau, StepLR
from .serialization import ModelFileError, load

__version__ = "0.1.0"


def square_detector() -> Sequential:
    """The trained square detector shipped with purenet (1024 -> 32 LeakyReLU -> 2).

    The detector is an application (``purenet.squares``), loaded only when asked
    for, so that ``import purenet`` loads the engine alone.
    """
    from .squares import square_detector as load_shipped_detector

    return load_shipped_detector()


__all__ = [
    "Adagrad",
    "Adam",
    "AdamW",
    "BCEWithLogitsLoss",
    "HuberLoss",
    "L1Loss",
    "CosineAnnealingLR",
    "EarlyStopping",
    "LearningRateScheduler",
    "ExponentialLR",
    "LambdaLR",
    "LRScheduler",
    "RMSprop",
    "ReduceLROnPlateau",
    "StepLR",
    "clip_grad_norm_",
    "AvgPool1d",
    "AvgPool2d",
    "BatchNorm1d",
    "Dropout",
    "Callback",
    "Conv1d",
    "Conv2d",
    "CrossEntropy",
    "CrossEntropyLoss",
    "Dense",
    "Flatten",
    "Identity",
    "Layer",
    "LeakyReLU",
    "Linear",
    "Loss",
    "MaxPool1d",
    "MaxPool2d",
    "MeanSquaredError",
    "MSELoss",
    "ModelFileError",
    "Optimizer",
    "Parameter",
    "Pass",
    "ProbabilityCrossEntropy",
    "ReLU",
    "SGD",
    "Sequential",
    "Sigmoid",
    "Softmax",
    "SoftmaxCrossEntropy",
    "Tanh",
    "TrainingDivergedError",
    "TrainingInterrupted",
    "Unflatten",
    "accuracy",
    "confusion_matrix",
    "cosine_similarity",
    "from_state_dict",
    "gradcheck",
    "load",
    "square_detector",
]
