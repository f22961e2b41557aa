"""Layers: the dense layer and the activations (one concept per module)."""

from .activations import Identity, LeakyReLU, Linear, Pass, ReLU, Sigmoid, Softmax, Tanh
from .base import Layer, Parameter
from .dense import Dense

__all__ = ["Dense", "Identity", "Layer", "LeakyReLU", "Linear", "Parameter", "Pass", "ReLU", "Sigmoid", "Softmax", "Tanh"]
