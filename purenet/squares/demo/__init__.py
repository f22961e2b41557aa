"""The web demo: draw a shape in a browser and watch the square detector read it.

``python -m purenet demo`` runs :func:`serve`, a small HTTP server written with
the standard library only (``http.server``).  It serves one page (the files in
``static/``: plain HTML, CSS and JavaScript, no build step, nothing fetched
from the network) and a JSON API that runs the model layer by layer, so that
the page can show every number the network computes.  See ``server.py``.
"""

from .server import make_server, serve

__all__ = ["make_server", "serve"]
