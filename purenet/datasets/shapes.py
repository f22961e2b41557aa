"""Kept name: the generator of drawings now lives in ``purenet.squares.shapes``.

The square detector is an application, kept apart from the engine in
``purenet/squares/``; ``purenet.datasets.shapes.sample`` and its siblings keep
working from here because docs and outside tools use them.
"""

from ..squares.shapes import *  # noqa: F401,F403
from ..squares.shapes import __all__  # noqa: F401

# The module before the move read drawings with ``prepare``, and so offered it too.
from ..squares.drawing import prepare  # noqa: E402,F401
