"""A network diagram: the layers as columns of circles (units), the weights as lines between them.

Layer ``l`` of a network of sizes ``n_0 -> n_1 -> ... -> n_L`` is drawn as
column ``l``; unit ``j`` of a layer is a ``<circle class="unit">``, and the
weight ``W[j][i]`` from unit ``i`` of one layer to unit ``j`` of the next
(``Dense.weight``: outputs x inputs, PyTorch's layout) is a
``<line class="weight">`` from the centre of the one to the centre of the
other. A layer wider than ``most_units`` shows its first ``most_units - 1``
units, a vertical ellipsis, and its last unit, so a 64-unit layer stays
readable; the lines are drawn between the units shown.

With ``weights``, each line is coloured by its weight on the "diverging" map
(blue negative, white zero, red positive; one range symmetric about 0 for
the whole network) and is thicker the larger ``|w|`` is:

    stroke-width = 0.5 + 2.5 * |w| / max |w|

so that the weights that matter stand out. Without ``weights`` every line is
the same thin grey: the picture shows only which unit feeds which.
"""

from __future__ import annotations

from ..validation import check_integer
from .colours import fraction_of, hex_colour, map_colour
from .inputs import read_grid, read_labels, read_sequence, read_text
from .svg import document, element, text_element, text_width

RADIUS, UNIT_SPACING, LAYER_SPACING = 13, 38, 170
MARGIN, TITLE_HEIGHT, LABEL_SPACE = 16, 28, 40
UNIT_FILL, UNIT_STROKE, PLAIN_LINE, TEXT_COLOUR = "#f2f2f2", "#444444", "#b0b0b0", "#222222"
THINNEST, THICKEST = 0.5, 3.0
MOST_UNITS_DEFAULT = 8


def shown_units(size: int, most_units: int) -> list[int]:
    """The indices of the units drawn for a layer of ``size``: all of them, or the first few and the last."""
    if size <= most_units:
        return list(range(size))
    return list(range(most_units - 1)) + [size - 1]


def count_text(size: int, drawn: int) -> str:
    """What is written under a column: "64 units (8 drawn)", "2 units", "1 unit"."""
    return f"{size} unit" + ("" if size == 1 else "s") + (f" ({drawn} drawn)" if drawn < size else "")


def read_weights(weights: object, sizes: list[int], where: str) -> list[list[list[float]]] | None:
    """``None``, or one (outputs x inputs) matrix of finite numbers per pair of adjacent layers."""
    if weights is None:
        return None
    matrices = read_sequence(weights, f"{where}: weights")
    if len(matrices) != len(sizes) - 1:
        raise ValueError(
            f"{where}: weights must hold one matrix per pair of adjacent layers ({len(sizes) - 1}), "
            f"got {len(matrices)}"
        )
    checked = []
    for index, matrix in enumerate(matrices):
        grid = read_grid(matrix, f"{where}: weights[{index}]")
        expected = (sizes[index + 1], sizes[index])
        if (len(grid), len(grid[0])) != expected:
            raise ValueError(
                f"{where}: weights[{index}] must be {expected[0]} x {expected[1]} (outputs x inputs, "
                f"like Dense.weight), got {len(grid)} x {len(grid[0])}"
            )
        checked.append(grid)
    return checked


def network_diagram(
    layer_sizes: list[int],
    *,
    layer_labels: list[str] | None = None,
    unit_labels: list[list[str] | None] | None = None,
    weights: list[list[list[float]]] | None = None,
    most_units: int = MOST_UNITS_DEFAULT,
    title: str = "",
) -> str:
    """An SVG of a network: layer ``l`` (``layer_sizes[l]`` units) as a column of circles, weights as lines.

    ``layer_labels`` puts one text under each column (such as "hidden: ReLU");
    the number of units is always written beneath it. ``unit_labels[l]``
    (a list per layer, or None) names the units of layer ``l``: the input and
    output layers' names are written outside the columns, the others' inside
    the circles. ``weights[l]`` is the (``layer_sizes[l + 1]`` x
    ``layer_sizes[l]``) weight matrix between layers ``l`` and ``l + 1``
    (``model.layers[k].weight``); with it, each line's colour and thickness
    show its weight (see the module docstring). A layer wider than
    ``most_units`` (at least 3) is drawn as its first ``most_units - 1`` units,
    a "⋮" and its last unit.
    """
    where = "network_diagram"
    sizes = read_sequence(layer_sizes, f"{where}: layer_sizes")
    for index, size in enumerate(sizes):
        check_integer(size, f"{where}: layer_sizes[{index}]", minimum=1)
    if len(sizes) < 2:
        raise ValueError(f"{where}: layer_sizes must hold at least two layers (inputs and outputs), got {sizes!r}")
    check_integer(most_units, f"{where}: most_units", minimum=3)
    labels = read_labels(layer_labels, len(sizes), f"{where}: layer_labels")
    names = read_unit_labels(unit_labels, sizes, where)
    matrices = read_weights(weights, sizes, where)
    title = read_text(title, f"{where}: title")

    shown = [shown_units(size, most_units) for size in sizes]
    elided = [len(units) < size for units, size in zip(shown, sizes)]
    slots = [len(units) + cut for units, cut in zip(shown, elided)]  # the ellipsis takes a slot of its own
    # room beside the outer columns for the input and output names, and for the labels centred under them
    beside = []
    for index in (0, -1):
        name_width = max((text_width(name) + 6 for name in names[index] or []), default=0.0)
        count = count_text(sizes[index], len(shown[index]))
        label_width = max(text_width(labels[index]) if labels else 0.0, text_width(count, 11)) / 2
        beside.append(max(RADIUS + name_width, label_width))
    drawing_width = beside[0] + (len(sizes) - 1) * LAYER_SPACING + beside[1]
    width = max(drawing_width + 2 * MARGIN, text_width(title, 14) + 2 * MARGIN if title else 0.0)
    left = (width - drawing_width) / 2 + beside[0]  # the drawing centred under a wider title
    top = MARGIN + (TITLE_HEIGHT if title else 0) + RADIUS
    column_height = (max(slots) - 1) * UNIT_SPACING
    height = top + column_height + RADIUS + 10 + (2 if labels else 1) * 16 + MARGIN

    positions = []  # per layer, {unit index: (x, y)}, each column centred on the tallest one
    for index, units in enumerate(shown):
        first = top + (column_height - (slots[index] - 1) * UNIT_SPACING) / 2
        x = float(left + index * LAYER_SPACING)
        column = {}
        for slot, unit in enumerate(units):
            if elided[index] and unit == sizes[index] - 1:
                slot += 1  # the last unit sits below the ellipsis
            column[unit] = (x, first + slot * UNIT_SPACING)
        positions.append(column)

    body = []
    if title:
        body.append(
            text_element(width / 2, MARGIN + 14, title, "middle", 14, fill=TEXT_COLOUR, **{"font-weight": "bold"})
        )
    body.append(draw_weights(positions, matrices))
    for index, size in enumerate(sizes):
        body.append(draw_layer(index, size, positions[index], names[index], len(sizes), labels, top, column_height))
    return document(width, height, body, title)


def read_unit_labels(unit_labels: object, sizes: list[int], where: str) -> list[list[str] | None]:
    """One list of unit names (or None) per layer."""
    if unit_labels is None:
        return [None] * len(sizes)
    per_layer = read_sequence(unit_labels, f"{where}: unit_labels")
    if len(per_layer) != len(sizes):
        raise ValueError(f"{where}: unit_labels must hold one entry per layer ({len(sizes)}), got {len(per_layer)}")
    return [
        read_labels(names, size, f"{where}: unit_labels[{index}]")
        for index, (names, size) in enumerate(zip(per_layer, sizes))
    ]


def draw_weights(positions: list[dict[int, tuple[float, float]]], matrices: list | None) -> str:
    """Every line between the units shown of adjacent layers, coloured by its weight if weights are given."""
    largest = 0.0
    if matrices is not None:
        largest = max(abs(value) for matrix in matrices for row in matrix for value in row)
    lines = []
    for index in range(len(positions) - 1):
        for source, (x1, y1) in positions[index].items():
            for target, (x2, y2) in positions[index + 1].items():
                attributes: dict[str, object] = {"class": "weight", "x1": x1, "y1": y1, "x2": x2, "y2": y2}
                tooltip = ""
                if matrices is None:
                    attributes.update({"stroke": PLAIN_LINE, "stroke-width": 1.0})
                else:
                    value = matrices[index][target][source]
                    share = abs(value) / largest if largest else 0.0
                    colour = map_colour("diverging", fraction_of(value, -largest, largest) if largest else 0.5)
                    attributes.update(
                        {"stroke": hex_colour(colour), "stroke-width": THINNEST + (THICKEST - THINNEST) * share}
                    )
                    tooltip = element("title", {}, text=f"weight from unit {source} to unit {target}: {value:.3g}")
                lines.append(element("line", attributes, tooltip))
    return element("g", {"class": "weights"}, "".join(lines))


def draw_layer(
    index: int,
    size: int,
    positions: dict[int, tuple[float, float]],
    names: list[str] | None,
    layer_count: int,
    labels: list[str] | None,
    top: float,
    column_height: float,
) -> str:
    """One column: its circles, their names, the ellipsis of a layer drawn in part, and the labels beneath."""
    parts = []
    units = list(positions)
    for unit, (x, y) in positions.items():
        circle = element(
            "circle", {"class": "unit", "cx": x, "cy": y, "r": float(RADIUS), "fill": UNIT_FILL, "stroke": UNIT_STROKE}
        )
        parts.append(circle)
        if names is not None:
            name = names[unit]
            if index == 0:
                parts.append(
                    text_element(x - RADIUS - 6, y, name, "end", fill=TEXT_COLOUR, **{"dominant-baseline": "middle"})
                )
            elif index == layer_count - 1:
                parts.append(text_element(x + RADIUS + 6, y, name, fill=TEXT_COLOUR, **{"dominant-baseline": "middle"}))
            else:
                parts.append(
                    text_element(x, y, name, "middle", 10, fill=TEXT_COLOUR, **{"dominant-baseline": "middle"})
                )
    x = positions[units[0]][0]
    if len(units) < size:
        between = (positions[units[-2]][1] + positions[units[-1]][1]) / 2
        parts.append(
            text_element(
                x,
                between,
                "\u22ee",
                "middle",
                18,
                fill=TEXT_COLOUR,
                **{"dominant-baseline": "middle", "class": "ellipsis"},
            )
        )
    baseline = top + column_height + RADIUS + 22
    if labels:
        parts.append(text_element(x, baseline, labels[index], "middle", fill=TEXT_COLOUR, **{"class": "layer-label"}))
        baseline += 16
    parts.append(
        text_element(x, baseline, count_text(size, len(units)), "middle", 11, fill="#555555", **{"class": "layer-size"})
    )
    return element("g", {"class": "layer"}, "".join(parts))
