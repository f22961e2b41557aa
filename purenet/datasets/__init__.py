"""Datasets: toy problems (xor, spiral, circles, moons, xor_quadrants) and hand-drawn shapes (``purenet.datasets.shapes``)."""

from .toy import circles, moons, spiral, xor, xor_quadrants

__all__ = ["circles", "moons", "spiral", "xor", "xor_quadrants"]
