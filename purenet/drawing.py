"""Kept name: the drawing-to-input code now lives in ``purenet.squares.drawing``.

The square detector is an application, kept apart from the engine in
``purenet/squares/``; ``purenet.drawing.prepare`` and its siblings keep
working from here because docs and outside tools use them.
"""

from .squares.drawing import *  # noqa: F401,F403
from .squares.drawing import __all__  # noqa: F401
