"""Grids of numbers as pictures: heat maps, confusion matrices, and grids of small images (drawings, weights).

A heat map draws each number as a square ``<rect class="cell">`` whose
colour comes from a colour map (``purenet/plot/colours.py``), with a colour
bar beside it to read the values back. An image grid draws each image as an
embedded PNG (``purenet/plot/png.py``) at one PNG pixel per image pixel,
scaled up by the viewer with square pixels, which keeps a page of 32 weight
images or 64 drawings small.
"""

from __future__ import annotations

import math

from ..validation import ArgumentTypeError, check_integer
from . import colours
from .colours import RGB, check_colour_map, fraction_of, hex_colour, luminance, map_colour
from .inputs import read_grid, read_labels, read_range, read_sequence, read_text, short
from .png import encode_png, grid_pixels
from .svg import FONT_SIZE, document, element, image_element, text_element, text_width

MARGIN, TITLE_HEIGHT, AXIS_LABEL_SPACE = 12, 24, 20
COLOUR_BAR_WIDTH, COLOUR_BAR_STEPS, COLOUR_BAR_SPACE = 14, 32, 64
TEXT_COLOUR = "#222222"


def format_value(value: float) -> str:
    """A cell's value as text: an integer as is, anything else to three significant figures."""
    return str(int(value)) if value.is_integer() and abs(value) < 1e15 else format(value, ".3g")


def draw_cells(
    values: list[list[float]],
    colour_map: str,
    low: float,
    high: float,
    texts: list[list[str]] | None,
    tooltips: list[list[str]],
    row_labels: list[str] | None,
    column_labels: list[str] | None,
    title: str,
    x_label: str,
    y_label: str,
    cell_size: float,
) -> str:
    """The SVG of a heat map: cells coloured over [low, high], optional texts in them, labels, and a colour bar."""
    rows, columns = len(values), len(values[0])
    row_label_width = max(text_width(label) for label in row_labels) + 8 if row_labels else 0
    left = MARGIN + (AXIS_LABEL_SPACE if y_label else 0) + row_label_width
    top = MARGIN + (TITLE_HEIGHT if title else 0) + (FONT_SIZE + 8 if column_labels else 0)
    grid_width, grid_height = columns * cell_size, rows * cell_size
    width = left + grid_width + 16 + COLOUR_BAR_WIDTH + COLOUR_BAR_SPACE
    if title:
        width = max(width, text_width(title, 14) + 2 * MARGIN)
    height = top + grid_height + (AXIS_LABEL_SPACE + 8 if x_label else 0) + MARGIN

    body = []
    if title:
        body.append(
            text_element(width / 2, MARGIN + 14, title, "middle", 14, fill=TEXT_COLOUR, **{"font-weight": "bold"})
        )
    for row_index, row in enumerate(values):
        for column_index, value in enumerate(row):
            colour = map_colour(colour_map, fraction_of(value, low, high))
            x, y = left + column_index * cell_size, top + row_index * cell_size
            cell = element(
                "rect",
                {
                    "class": "cell",
                    "x": float(x),
                    "y": float(y),
                    "width": float(cell_size),
                    "height": float(cell_size),
                    "fill": hex_colour(colour),
                },
                element("title", {}, text=tooltips[row_index][column_index]),
            )
            if texts is not None:
                ink = "#ffffff" if luminance(colour) < 0.5 else "#000000"  # readable on dark and on pale cells
                cell += text_element(
                    x + cell_size / 2,
                    y + cell_size / 2,
                    texts[row_index][column_index],
                    "middle",
                    fill=ink,
                    **{"dominant-baseline": "middle"},
                )
            body.append(cell)
    for row_index, label in enumerate(row_labels or []):
        body.append(
            text_element(
                left - 6,
                top + (row_index + 0.5) * cell_size,
                label,
                "end",
                fill=TEXT_COLOUR,
                **{"dominant-baseline": "middle", "class": "row-label"},
            )
        )
    for column_index, label in enumerate(column_labels or []):
        body.append(
            text_element(
                left + (column_index + 0.5) * cell_size,
                top - 6,
                label,
                "middle",
                fill=TEXT_COLOUR,
                **{"class": "column-label"},
            )
        )
    if x_label:
        body.append(
            text_element(
                left + grid_width / 2, top + grid_height + AXIS_LABEL_SPACE + 4, x_label, "middle", fill=TEXT_COLOUR
            )
        )
    if y_label:
        centre = top + grid_height / 2
        body.append(
            text_element(
                MARGIN + 10,
                centre,
                y_label,
                "middle",
                fill=TEXT_COLOUR,
                transform=f"rotate(-90 {MARGIN + 10} {centre})",
            )
        )

    # the colour bar: high at the top, in COLOUR_BAR_STEPS bands, with the values at its ends and middle
    bar_left = left + grid_width + 16
    band = grid_height / COLOUR_BAR_STEPS
    for step in range(COLOUR_BAR_STEPS):
        fraction = 1.0 - (step + 0.5) / COLOUR_BAR_STEPS
        body.append(
            element(
                "rect",
                {
                    "x": float(bar_left),
                    "y": top + step * band,
                    "width": float(COLOUR_BAR_WIDTH),
                    "height": band + 0.5,
                    "fill": hex_colour(map_colour(colour_map, fraction)),
                    "class": "colour-bar",
                },
            )
        )
    for fraction, baseline in ((1.0, top + 10), (0.5, top + grid_height / 2 + 4), (0.0, top + grid_height)):
        label = format_value(low + fraction * (high - low))
        body.append(
            text_element(
                bar_left + COLOUR_BAR_WIDTH + 4, baseline, label, fill=TEXT_COLOUR, **{"class": "colour-bar-label"}
            )
        )
    return document(width, height, body, title)


def default_cell_size(rows: int, columns: int) -> float:
    """About 360 pixels along the longer side, each cell 4 to 48 pixels."""
    return float(max(4, min(48, 360 // max(rows, columns))))


def read_cell_size(cell_size: object, rows: int, columns: int, where: str) -> float:
    """The side of a cell in pixels: as given (a positive int), or the default for the grid's size."""
    if cell_size is None:
        return default_cell_size(rows, columns)
    return float(check_integer(cell_size, f"{where}: cell_size", minimum=1))


def heat_map(
    grid: list[list[float]],
    *,
    colour_map: str = "sequential",
    value_range: tuple[float, float] | None = None,
    title: str = "",
    x_label: str = "",
    y_label: str = "",
    row_labels: list[str] | None = None,
    column_labels: list[str] | None = None,
    show_values: bool = False,
    cell_size: int | None = None,
) -> str:
    """An SVG heat map of ``grid`` (rows of finite numbers; ``grid[0]`` on top), with a colour bar.

    ``colour_map`` "sequential" (pale to dark: probabilities, counts) or
    "diverging" (blue, white at 0, red: weights and other signed numbers),
    or "grey" / "ink". ``value_range`` is the (low, high) the colours span;
    by default the grid's extremes, symmetric about 0 for "diverging".
    Values outside it take the colour of the nearer end. ``show_values``
    writes each number in its cell; every cell also names its value in a
    tooltip.
    """
    where = "heat_map"
    check_colour_map(colour_map, f"{where}: colour_map")
    values = read_grid(grid, f"{where}: grid")
    rows, columns = len(values), len(values[0])
    low, high = colours.value_range(
        [value for row in values for value in row], colour_map, read_range(value_range, f"{where}: value_range")
    )
    if not isinstance(show_values, bool):
        raise ArgumentTypeError(f"{where}: show_values must be True or False, got {short(show_values)}")
    texts = [[format_value(value) for value in row] for row in values]
    tooltips = [
        [f"row {row_index}, column {column_index}: {texts[row_index][column_index]}" for column_index in range(columns)]
        for row_index in range(rows)
    ]
    return draw_cells(
        values,
        colour_map,
        low,
        high,
        texts if show_values else None,
        tooltips,
        read_labels(row_labels, rows, f"{where}: row_labels"),
        read_labels(column_labels, columns, f"{where}: column_labels"),
        read_text(title, f"{where}: title"),
        read_text(x_label, f"{where}: x_label"),
        read_text(y_label, f"{where}: y_label"),
        read_cell_size(cell_size, rows, columns, where),
    )


def confusion_matrix_chart(
    matrix: list[list[int]],
    class_names: list[str] | None = None,
    *,
    title: str = "confusion matrix",
    cell_size: int | None = None,
) -> str:
    """An SVG of a confusion matrix (``purenet.metrics.confusion_matrix``: rows true classes, columns predictions).

    Each cell shows its count; its colour is the count's share of its row
    (of the samples of that true class), so a class with few samples is as
    readable as a large one, and a perfect classifier is a dark diagonal.
    """
    where = "confusion_matrix_chart"
    counts = read_grid(matrix, f"{where}: matrix")
    classes = len(counts)
    if len(counts[0]) != classes:
        raise ValueError(f"{where}: matrix must be square (classes x classes), got {classes} rows of {len(counts[0])}")
    for true_class, row in enumerate(counts):
        for predicted_class, count in enumerate(row):
            if count < 0 or not count.is_integer():
                raise ValueError(
                    f"{where}: matrix[{true_class}][{predicted_class}] must be a count (an integer >= 0), "
                    f"got {short(matrix[true_class][predicted_class])}"
                )
    names = read_labels(class_names, classes, f"{where}: class_names") or [str(index) for index in range(classes)]
    shares = [[count / sum(row) if sum(row) else 0.0 for count in row] for row in counts]
    tooltips = [
        [
            f"true {names[true_class]}, predicted {names[predicted]}: {int(count)} "
            f"({100 * shares[true_class][predicted]:.1f}% of {names[true_class]})"
            for predicted, count in enumerate(row)
        ]
        for true_class, row in enumerate(counts)
    ]
    texts = [[str(int(count)) for count in row] for row in counts]
    return draw_cells(
        shares,
        "sequential",
        0.0,
        1.0,
        texts,
        tooltips,
        names,
        names,
        read_text(title, f"{where}: title"),
        "predicted class",
        "true class",
        read_cell_size(cell_size, classes, classes, where),
    )


def image_grid(
    images: list[list[list[float]]],
    columns: int | None = None,
    labels: list[str] | None = None,
    *,
    colour_map: str = "ink",
    value_range: tuple[float, float] | None = None,
    scale: int | None = None,
    title: str = "",
) -> str:
    """An SVG of small images in a grid, each with its label beneath (drawings, misclassified examples).

    Each image is rows of numbers or of ``(r, g, b)`` ints 0-255 (``image[0]``
    is the top row). Numbers are shown through ``colour_map`` ("ink", the
    default: low white, high black, like a drawing; "grey", "sequential",
    "diverging") over one ``value_range`` shared by every image (default: the
    extremes of all of them), so that the same value looks the same in each.
    ``columns`` defaults to the square root of the count; ``scale`` (screen
    pixels per image pixel) to about 64 pixels an image.
    """
    where = "image_grid"
    check_colour_map(colour_map, f"{where}: colour_map")
    images = read_sequence(images, f"{where}: images")
    columns = (
        math.ceil(math.sqrt(len(images))) if columns is None else check_integer(columns, f"{where}: columns", minimum=1)
    )
    labels = read_labels(labels, len(images), f"{where}: labels")
    range_shown = read_range(value_range, f"{where}: value_range")
    numeric = [index for index, image in enumerate(images) if not is_colour_image(image)]
    if range_shown is None and numeric:
        everything = [
            value for index in numeric for row in read_grid(images[index], f"{where}: images[{index}]") for value in row
        ]
        range_shown = colours.value_range(everything, colour_map, None)
    pixels = [
        grid_pixels(image, f"{where}: images[{index}]", colour_map, range_shown) for index, image in enumerate(images)
    ]
    tallest, widest = max(len(image) for image in pixels), max(len(image[0]) for image in pixels)
    scale = max(1, 64 // max(tallest, widest)) if scale is None else check_integer(scale, f"{where}: scale", minimum=1)
    read_text(title, f"{where}: title")
    return draw_images(pixels, min(columns, len(pixels)), labels, scale, title)  # no empty columns


def is_colour_image(image: object) -> bool:
    """Whether an image's first cell is an (r, g, b) triple rather than a number."""
    return (
        isinstance(image, (list, tuple))
        and bool(image)
        and isinstance(image[0], (list, tuple))
        and bool(image[0])
        and isinstance(image[0][0], (list, tuple))
    )


def draw_images(pixels: list[list[list[RGB]]], columns: int, labels: list[str] | None, scale: int, title: str) -> str:
    """The SVG of images laid out ``columns`` to a row, each with its label beneath."""
    box_height = max(len(image) for image in pixels) * scale
    box_width = max(len(image[0]) for image in pixels) * scale
    if labels:
        box_width = max(box_width, max(text_width(label, 11) for label in labels))
    gap, label_height = 10, (16 if labels else 0)
    rows = math.ceil(len(pixels) / columns)
    top = MARGIN + (TITLE_HEIGHT if title else 0)
    width = 2 * MARGIN + columns * box_width + (columns - 1) * gap
    if title:
        width = max(width, text_width(title, 14) + 2 * MARGIN)
    height = top + rows * (box_height + label_height) + (rows - 1) * gap + MARGIN
    body = (
        [text_element(width / 2, MARGIN + 14, title, "middle", 14, fill=TEXT_COLOUR, **{"font-weight": "bold"})]
        if title
        else []
    )
    for index, image in enumerate(pixels):
        row, column = divmod(index, columns)
        x = MARGIN + column * (box_width + gap) + (box_width - len(image[0]) * scale) / 2
        y = top + row * (box_height + label_height + gap)
        tooltip = element("title", {}, text=labels[index]) if labels else ""
        body.append(
            element(
                "g",
                {"class": "image"},
                tooltip
                + image_element(x, y, len(image[0]) * scale, len(image) * scale, encode_png(image))
                + element(
                    "rect",
                    {
                        "x": float(x),
                        "y": float(y),
                        "width": float(len(image[0]) * scale),
                        "height": float(len(image) * scale),
                        "fill": "none",
                        "stroke": "#cccccc",
                    },
                ),
            )
        )
        if labels:
            centre = MARGIN + column * (box_width + gap) + box_width / 2
            body.append(
                text_element(
                    centre, y + box_height + 13, labels[index], "middle", 11, fill=TEXT_COLOUR, **{"class": "label"}
                )
            )
    return document(width, height, body, title)


def weight_images(
    weight: list[list[float]],
    image_shape: tuple[int, int],
    *,
    columns: int | None = None,
    labels: list[str] | None = None,
    title: str = "",
    scale: int | None = None,
) -> str:
    """A dense layer's weights as images: row ``o`` of ``weight`` (unit o's weight on each input) as one picture.

    ``weight`` is out_features rows of in_features numbers (``layer.weight``);
    ``image_shape`` is ``(rows, columns)`` with ``rows * columns ==
    in_features``, and each weight row is read into it row by row (reorder
    the weights first if the inputs are in another order, such as a Hilbert
    curve). Colours are "diverging" over one range symmetric about 0 for all
    units: blue pixels push the unit down, red ones up, white ones do not matter.
    """
    where = "weight_images"
    values = read_grid(weight, f"{where}: weight")
    if not isinstance(image_shape, (list, tuple)) or len(image_shape) != 2:
        raise ArgumentTypeError(f"{where}: image_shape must be a pair (rows, columns), got {short(image_shape)}")
    rows = check_integer(image_shape[0], f"{where}: image_shape[0]", minimum=1)
    width = check_integer(image_shape[1], f"{where}: image_shape[1]", minimum=1)
    if rows * width != len(values[0]):
        raise ValueError(
            f"{where}: image_shape {rows} x {width} holds {rows * width} pixels, "
            f"but each unit has {len(values[0])} weights"
        )
    images = [[unit[row_index * width : (row_index + 1) * width] for row_index in range(rows)] for unit in values]
    labels = [f"unit {index}" for index in range(len(images))] if labels is None else labels
    return image_grid(images, columns, labels, colour_map="diverging", title=title, scale=scale)
