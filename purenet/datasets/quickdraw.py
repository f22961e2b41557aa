"""Kept name: the Quick, Draw! doodle reader lives in ``purenet.squares.quickdraw``.

The square detector is an application, kept apart from the engine in
``purenet/squares/``; ``purenet.datasets.quickdraw.read`` and its siblings
work from here because issue 9 names them and docs and outside tools use them.
"""

from ..squares.quickdraw import *  # noqa: F401,F403
from ..squares.quickdraw import __all__  # noqa: F401
