"""Layers: dense, convolution, pooling, reshaping and the activations (one concept per module)."""

from .activations import Identity, LeakyReLU, Linear, Pass, ReLU, Sigmoid, Softmax, Tanh
from .base import Layer, Parameter
from .convolution import Conv1d, Conv2d
from .dense import Dense
from .dropout import Dropout
from .normalization import BatchNorm1d
from .pooling import AvgPool1d, AvgPool2d, MaxPool1d, MaxPool2d
from .reshape import Flatten, Unflatten

__all__ = [
    "AvgPool1d", "AvgPool2d", "BatchNorm1d", "Conv1d", "Conv2d", "Dense", "Dropout", "Flatten", "Identity", "Layer", "LeakyReLU", "Linear",
    "MaxPool1d", "MaxPool2d", "Parameter", "Pass", "ReLU", "Sigmoid", "Softmax", "Tanh", "Unflatten",
]
