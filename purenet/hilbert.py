"""Kept name: the Hilbert curve now lives in ``purenet.squares.hilbert``.

The square detector is an application, kept apart from the engine in
``purenet/squares/``; ``purenet.hilbert.flatten`` and its siblings keep
working from here because docs and outside tools use them.
"""

from .squares.hilbert import *  # noqa: F401,F403
from .squares.hilbert import __all__  # noqa: F401
