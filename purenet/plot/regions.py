"""Decision regions of a 2-D classifier: the class it gives at every point of the plane, and the data on top.

The plane around the data is cut into ``resolution`` x ``resolution``
cells; the classifier is asked once, in one batch, for the class at each
cell's centre, and each cell takes a pale tint of that class's colour. The
cells are one embedded PNG (a pixel per cell), drawn under the axes of
``purenet/plot/charts.py`` (the same ticks and mapping), and the samples are
circles in their true class's full colour, so a sample on the wrong tint is
a mistake the reader can see.
"""

from __future__ import annotations

from ..validation import ArgumentTypeError, check_integer, is_integer
from .charts import MARGIN_BOTTOM, MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, TEXT_COLOUR, TITLE_HEIGHT, Axis, legend_rows
from .charts import LEGEND_ROW_HEIGHT, frame, read_size
from .colours import RGB, hex_colour, mix, palette_colour
from .inputs import read_labels, read_sequence, read_text, read_values, short
from .png import encode_png
from .svg import document, element, image_element, text_element

WHITE: RGB = (255, 255, 255)
TINT = 0.7  # how far a region's colour is mixed towards white: pale enough for the samples to stand out
# The plane drawn reaches this share of the data's span beyond the outermost samples, so none sits on the frame.
PADDING = 0.1
MAXIMUM_RESOLUTION = 400


def read_classifier(classifier: object, where: str):
    """The function from a list of points to a list of class indices: ``model.predict``, or the callable itself."""
    predict = getattr(classifier, "predict", None)
    if callable(predict):
        return predict
    if callable(classifier):
        return classifier
    raise ArgumentTypeError(
        f"{where}: classifier must be a model with predict (a Sequential) or a function from points to classes, "
        f"got {short(classifier)}"
    )


def read_points(X: object, where: str) -> list[tuple[float, float]]:
    """The samples as (x1, x2) pairs of finite numbers."""
    rows = read_sequence(X, f"{where}: X")
    points = []
    for index, row in enumerate(rows):
        values = read_values(row, f"{where}: X[{index}]")
        if len(values) != 2:
            raise ValueError(f"{where}: X[{index}] must be a 2-D point (two numbers), got {len(values)} numbers")
        points.append((values[0], values[1]))
    return points


def read_classes(values: object, count: int, name: str) -> list[int]:
    """``count`` class indices, ints >= 0."""
    classes = read_sequence(values, name) if count else []
    if len(classes) != count:
        raise ValueError(f"{name} must hold {count} class indices, one per point, got {len(classes)}")
    for index, value in enumerate(classes):
        if not is_integer(value) or value < 0:
            raise ValueError(f"{name}[{index}] must be a class index (an int >= 0), got {short(value)}")
    return classes


def decision_regions(
    classifier: object,
    X: list[list[float]],
    y: list[int],
    *,
    resolution: int = 60,
    class_names: list[str] | None = None,
    title: str = "",
    width: int = 480,
    height: int = 480,
) -> str:
    """An SVG of the class ``classifier`` gives over the plane, with the samples ``X`` (n x 2) of classes ``y`` on top.

    ``classifier`` is a model with ``predict`` (``Sequential.predict``) or a
    function taking a list of [x1, x2] points and returning one class index
    each. It is called once, with ``resolution ** 2`` points. The plane spans
    the samples plus 10% on each side, extended to nice ticks.
    """
    where = "decision_regions"
    predict = read_classifier(classifier, where)
    points = read_points(X, where)
    labels = read_classes(y, len(points), f"{where}: y")
    check_integer(resolution, f"{where}: resolution", minimum=2)
    if resolution > MAXIMUM_RESOLUTION:
        raise ValueError(
            f"{where}: resolution must be at most {MAXIMUM_RESOLUTION} (cells on a side), got {resolution}"
        )
    title = read_text(title, f"{where}: title")
    read_size(width, f"{where}: width")
    read_size(height, f"{where}: height")

    class_count = max(labels) + 1
    names = None
    if class_names is not None:
        names = read_labels(
            class_names, len(read_sequence(class_names, f"{where}: class_names")), f"{where}: class_names"
        )
        if len(names) < class_count:
            raise ValueError(f"{where}: class_names names {len(names)} classes, but y holds class {class_count - 1}")
        class_count = len(names)
    legend = legend_rows(names or [str(index) for index in range(class_count)], width - MARGIN_LEFT - MARGIN_RIGHT)
    top = MARGIN_TOP + (TITLE_HEIGHT if title else 0) + LEGEND_ROW_HEIGHT * len(legend)
    left, right, bottom = MARGIN_LEFT, width - MARGIN_RIGHT, height - MARGIN_BOTTOM
    axes = []
    for coordinate, (start, end, count) in enumerate(((left, right, 5), (bottom, top, 5))):
        values = [point[coordinate] for point in points]
        padding = PADDING * (max(values) - min(values)) or 0.5
        axes.append(Axis(min(values) - padding, max(values) + padding, start, end, False, count, False))
    x_axis, y_axis = axes

    # cell (row, column) has its centre at these values; row 0 is the top of the picture, the largest x2
    x_low, x_high = x_axis.ticks[0], x_axis.ticks[-1]
    y_low, y_high = y_axis.ticks[0], y_axis.ticks[-1]
    centres = [
        [x_low + (column + 0.5) / resolution * (x_high - x_low), y_high - (row + 0.5) / resolution * (y_high - y_low)]
        for row in range(resolution)
        for column in range(resolution)
    ]
    predicted = read_classes(predict(centres), len(centres), f"{where}: the classifier's answer")
    class_count = max(class_count, max(predicted) + 1)
    tints = [mix(palette_colour(index), WHITE, TINT) for index in range(class_count)]
    pixels = [
        [tints[predicted[row * resolution + column]] for column in range(resolution)] for row in range(resolution)
    ]

    body = []
    if title:
        body.append(
            text_element(width / 2, MARGIN_TOP + 14, title, "middle", 14, fill=TEXT_COLOUR, **{"font-weight": "bold"})
        )
    for row_number, row in enumerate(legend):
        baseline = MARGIN_TOP + (TITLE_HEIGHT if title else 0) + row_number * LEGEND_ROW_HEIGHT + 13
        for index, name, offset in row:
            swatch = element(
                "circle",
                {"cx": left + offset + 10.0, "cy": baseline - 4.0, "r": 5.0, "fill": hex_colour(palette_colour(index))},
            )
            body.append(
                element(
                    "g",
                    {"class": "legend-entry"},
                    swatch + text_element(left + offset + 26, baseline, name, fill=TEXT_COLOUR),
                )
            )
    body.append(image_element(left, top, right - left, bottom - top, encode_png(pixels), **{"class": "regions"}))
    for tick, label in zip(y_axis.ticks, y_axis.labels):
        pixel = y_axis.position(tick)
        line = element("line", {"x1": left - 4.0, "y1": pixel, "x2": float(left), "y2": pixel, "stroke": TEXT_COLOUR})
        body.append(
            element(
                "g",
                {"class": "y-tick"},
                line + text_element(left - 6, pixel, label, "end", fill=TEXT_COLOUR, **{"dominant-baseline": "middle"}),
            )
        )
    for tick, label in zip(x_axis.ticks, x_axis.labels):
        pixel = x_axis.position(tick)
        line = element(
            "line", {"x1": pixel, "y1": float(bottom), "x2": pixel, "y2": bottom + 4.0, "stroke": TEXT_COLOUR}
        )
        body.append(
            element(
                "g", {"class": "x-tick"}, line + text_element(pixel, bottom + 16, label, "middle", fill=TEXT_COLOUR)
            )
        )
    body.append(frame(left, top, right, bottom))
    circles = [
        element(
            "circle",
            {
                "cx": x_axis.position(point[0]),
                "cy": y_axis.position(point[1]),
                "r": 3.5,
                "fill": hex_colour(palette_colour(label)),
                "stroke": "#ffffff",
                "stroke-width": 0.75,
            },
        )
        for point, label in zip(points, labels)
    ]
    body.append(element("g", {"class": "samples"}, "".join(circles)))
    return document(width, height, body, title)
