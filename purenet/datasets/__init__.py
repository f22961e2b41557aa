"""Datasets: toy problems (xor, spiral, circles, moons, xor_quadrants) and hand-drawn shapes (``purenet.datasets.shapes``)."""

from .table import Table, TableFormatError, read_csv
from .toy import circles, moons, spiral, xor, xor_quadrants

__all__ = ["Table", "TableFormatError", "circles", "moons", "read_csv", "spiral", "xor", "xor_quadrants"]
