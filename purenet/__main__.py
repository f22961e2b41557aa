"""``python -m purenet``: the command line (see ``purenet.cli``)."""

import sys

from .cli import main

sys.exit(main())
