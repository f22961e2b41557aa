"""Datasets: toy problems (xor, spiral, circles, moons) and hand-drawn shapes (``purenet.datasets.shapes``)."""

from .toy import circles, moons, spiral, xor

__all__ = ["circles", "moons", "spiral", "xor"]
