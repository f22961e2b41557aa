"""Datasets: toy problems (xor, spiral) and hand-drawn shapes (``purenet.datasets.shapes``)."""

from .toy import spiral, xor

__all__ = ["spiral", "xor"]
