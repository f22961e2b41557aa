"""purenet.plot: charts and images drawn with the standard library alone, as SVG text and PNG bytes.

    from purenet import plot
    svg = plot.history(model.fit(X, y, validation=0.2, epochs=50))   # loss and accuracy per epoch
    open("history.svg", "w", encoding="utf-8").write(svg)

Every function returns the chart as text (SVG) or bytes (PNG) and writes
nothing: save it, serve it, or paste the SVG into an HTML page. The same
input always gives the same output. docs/plotting.md shows each one.

- ``line_chart``, ``history``: lines against x, with nice ticks, a legend and
  log scales (``charts.py``, ticks in ``ticks.py``);
- ``heat_map``, ``confusion_matrix_chart``, ``image_grid``,
  ``weight_images``: grids of numbers as colours (``grids.py``);
- ``decision_regions``: what a 2-D classifier says over the plane (``regions.py``);
- ``network_diagram``: layers as columns of units, weights as lines (``network.py``);
- ``png``: a grid as a PNG file (``png.py``).
"""

from .charts import history, line_chart
from .grids import confusion_matrix_chart, heat_map, image_grid, weight_images
from .network import network_diagram
from .png import png
from .regions import decision_regions
from .ticks import linear_ticks, log_ticks

__all__ = [
    "confusion_matrix_chart",
    "decision_regions",
    "heat_map",
    "history",
    "image_grid",
    "line_chart",
    "linear_ticks",
    "log_ticks",
    "network_diagram",
    "png",
    "weight_images",
]
