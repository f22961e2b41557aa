"""Drawing the graph that computed a Value: as text, one node per line, or as an SVG picture.

``draw(value)`` lists the nodes, each after its parents, with its formula,
data and grad; ``draw(value, format="svg")`` lays the same graph out left to
right by depth, with the operations as ellipses between the values (the
picture in docs/graphs.md). Both walk the graph with an explicit stack, so
long chains can be drawn too.
"""

from __future__ import annotations

from ..plot.svg import document, element, number, text_element, text_width
from .value import Value


# How draw writes each operation: a and b stand for the parents, c for the constant.
_FORMULAS = {
    "+": "{a} + {b}",
    "+ c": "{a} + {c}",
    "c +": "{c} + {a}",
    "-": "{a} - {b}",
    "- c": "{a} - {c}",
    "c -": "{c} - {a}",
    "*": "{a} * {b}",
    "* c": "{a} * {c}",
    "c *": "{c} * {a}",
    "/": "{a} / {b}",
    "/ c": "{a} / {c}",
    "c /": "{c} / {a}",
    "neg": "-{a}",
    "** c": "{a} ** {c}",
    "exp": "exp({a})",
    "log": "log({a})",
    "tanh": "tanh({a})",
    "relu": "relu({a})",
    "sigmoid": "sigmoid({a})",
}


FORMATS = ("text", "svg")


def draw(value: Value, format: str = "text") -> str:  # noqa: A002 (the name PyTorch's and graphviz's users know)
    """The graph that computed ``value``: as text (``format="text"``) or as an SVG picture (``"svg"``).

    Text: one node per line, each after its parents, reading
    ``name = formula | data ... | grad ...``: a leaf's formula is ``leaf``,
    another node's is its operation on its parents' names (``v2 = v0 * v1``).
    A node is named by its label, or else ``v0``, ``v1``, ... in the order
    of the listing.

    SVG: the same nodes and names, laid out left to right (``svg``): each
    value a box with its name, data and grad, each operation an ellipse
    just left of the value it makes, an arrow from every parent. Returned as
    text, like purenet.plot's charts; write it with
    ``purenet.atomic.write_atomically``. Meant for graphs of tens of nodes:
    a network's graph of thousands draws, but nobody can read it.
    """
    if not isinstance(value, Value):
        raise TypeError(f"draw: value must be a Value, got {type(value).__name__} {value!r}")
    if format not in FORMATS:
        raise ValueError(f"draw: format must be one of {', '.join(map(repr, FORMATS))}, got {format!r}")
    nodes = parents_first(value)
    names = node_names(nodes)
    if format == "svg":
        return svg_picture(nodes, names)
    lines = [(f"{names[node]} = {formula(node, names)}", node) for node in nodes]
    width = max(len(text) for text, _ in lines)
    return "\n".join(
        f"{text:<{width}} | data {node.data:10.4f} | grad {node.grad:10.4f}" for text, node in lines
    )


def parents_first(value: Value) -> list[Value]:
    """Every node of value's graph once, each after its parents (left first), value last.

    Depth-first: the order in which a program would compute them. An
    explicit stack, so that long chains can be listed too.
    """
    nodes: list[Value] = []
    seen: set[Value] = set()
    stack: list[tuple[Value, bool]] = [(value, False)]
    while stack:
        node, parents_done = stack.pop()
        if parents_done:
            nodes.append(node)
        elif node not in seen:
            seen.add(node)
            stack.append((node, True))
            stack.extend((parent, False) for parent in reversed(node.parents) if parent not in seen)
    return nodes


def node_names(nodes: list[Value]) -> dict[Value, str]:
    """Each node's label, or else ``v0``, ``v1``, ... in the order of ``nodes``."""
    names: dict[Value, str] = {}
    unnamed = 0
    for node in nodes:
        if node.label:
            names[node] = node.label
        else:
            names[node] = f"v{unnamed}"
            unnamed += 1
    return names


def constant_text(node: Value) -> str:
    """The constant operand as written (``0.5``, ``2``), or "" when the operation has none."""
    return f"{node.constant:g}" if node.constant is not None else ""


def formula(node: Value, names: dict[Value, str]) -> str:
    """How a node was computed from its parents' names: ``leaf``, ``v0 * v1``, ``tanh(v2)``, ``v3 ** 2``."""
    if node.left is None:
        return "leaf"
    return _FORMULAS[node.operation].format(
        a=names[node.left], b=names[node.right] if node.right is not None else "", c=constant_text(node)
    )


def operation_text(node: Value) -> str:
    """What an operation's ellipse says: its symbol or name, with the constant where it stood (``* 0.5``, ``1 -``)."""
    return " ".join(constant_text(node) if part == "c" else part for part in node.operation.split())


# --- the SVG picture ----------------------------------------------------------------------------

MARGIN, TITLE_HEIGHT = 16, 30
LINE_HEIGHT, BOX_PADDING = 15, 7
BOX_HEIGHT = 3 * LINE_HEIGHT + 2 * BOX_PADDING - 3
ROW_SPACING = BOX_HEIGHT + 18
OPERATION_HEIGHT, OPERATION_SPACE, COLUMN_GAP = 22, 96, 14
LEAF_FILL, VALUE_FILL, OUTPUT_FILL, OPERATION_FILL = "#e8f1fa", "#f7f7f7", "#fdf1e0", "#ffffff"
STROKE, EDGE_COLOUR, TEXT_COLOUR = "#444444", "#777777", "#222222"


def columns_of(nodes: list[Value]) -> dict[Value, int]:
    """The column each node is drawn in, 0 at the left: an operation's result at its depth, a leaf just left of its first user.

    A leaf (depth 0) drawn at column 0 would send long arrows across the
    picture to a deep user (the bias of a neuron, added last); one column
    before its shallowest user keeps every leaf beside the operation that
    first uses it. Columns with nothing in them are closed up.
    """
    column = {node: node.depth for node in nodes if node.left is not None}
    for user in column.copy():
        for parent in user.parents:
            if parent.left is None:
                column[parent] = min(column.get(parent, user.depth - 1), user.depth - 1)
    column.setdefault(nodes[-1], 0)  # the output itself a leaf: a graph of one node
    used = sorted(set(column.values()))
    closed_up = {original: index for index, original in enumerate(used)}
    return {node: closed_up[column[node]] for node in nodes}


def svg_picture(nodes: list[Value], names: dict[Value, str]) -> str:
    """The graph as an SVG document: columns by depth, nodes in each column in the listing's order."""
    columns = columns_of(nodes)
    texts = {node: (names[node], f"data {node.data:.4f}", f"grad {node.grad:.4f}") for node in nodes}
    box_width = max(text_width(line) for lines in texts.values() for line in lines) + 2 * BOX_PADDING
    column_width = OPERATION_SPACE + box_width + COLUMN_GAP
    column_count = max(columns.values()) + 1
    stacks: list[list[Value]] = [[] for _ in range(column_count)]
    for node in nodes:
        stacks[columns[node]].append(node)
    tallest = max(len(stack) for stack in stacks)
    height = 2 * MARGIN + TITLE_HEIGHT + tallest * ROW_SPACING - (ROW_SPACING - BOX_HEIGHT)
    # Column 0 holds only leaves (every operation is right of its parents): no room for an ellipse there.
    width = 2 * MARGIN + column_count * column_width - COLUMN_GAP - OPERATION_SPACE
    # Each box's left edge and vertical centre; each column centred on the tallest.
    left: dict[Value, float] = {}
    middle: dict[Value, float] = {}
    for index, stack in enumerate(stacks):
        top = MARGIN + TITLE_HEIGHT + (tallest - len(stack)) * ROW_SPACING / 2
        for row, node in enumerate(stack):
            left[node] = MARGIN + index * column_width
            middle[node] = top + row * ROW_SPACING + BOX_HEIGHT / 2

    output = nodes[-1]
    operations = sum(node.left is not None for node in nodes)
    leaves = len(nodes) - operations
    title = (
        f"The graph of {names[output]}: {leaves} {'leaf' if leaves == 1 else 'leaves'}, "
        f"{operations} {'operation' if operations == 1 else 'operations'}"
    )
    width = max(width, 2 * MARGIN + text_width(title, size=14))
    body = [
        element("defs", {}, element(
            "marker",
            {"id": "arrow", "viewBox": "0 0 8 8", "refX": 8, "refY": 4, "markerWidth": 7, "markerHeight": 7,
             "orient": "auto"},
            element("path", {"d": "M 0 0 L 8 4 L 0 8 z", "fill": EDGE_COLOUR}),
        )),
        text_element(MARGIN, MARGIN + 14, title, size=14, fill=TEXT_COLOUR, **{"font-weight": "bold"}),
    ]
    for node in nodes:
        if node.left is not None:
            body.append(operation_drawing(node, left, middle, box_width))
    for node in nodes:
        body.append(value_box(node, texts[node], left[node], middle[node], box_width, node is output))
    return document(width, height, body, title=title)


def edge(x1: float, y1: float, x2: float, y2: float) -> str:
    """An arrow from (x1, y1) to (x2, y2), leaving and arriving horizontally (a cubic Bezier curve)."""
    bend = max((x2 - x1) / 2, 10.0)
    points = (x1, y1, x1 + bend, y1, x2 - bend, y2, x2, y2)
    path = "M {} {} C {} {} {} {} {} {}".format(*map(number, points))
    return element("path", {"class": "edge", "d": path, "fill": "none", "stroke": EDGE_COLOUR,
                             "stroke-width": 1.2, "marker-end": "url(#arrow)"})


def operation_drawing(node: Value, left: dict, middle: dict, box_width: float) -> str:
    """An operation's ellipse left of its result's box, an arrow in from each parent, one out to the result.

    The left operand's arrow arrives above the ellipse's centre and the
    right operand's below, so that ``a - b`` and ``b - a`` look different.
    """
    label = operation_text(node)
    centre_x = left[node] - OPERATION_SPACE / 2
    centre_y = middle[node]
    half_width = max(text_width(label) / 2 + 8, OPERATION_HEIGHT / 2)
    pieces = []
    operands = [(node.left, -4.0 if node.right is not None else 0.0)]
    if node.right is not None:
        operands.append((node.right, 4.0))
    for parent, offset in operands:
        pieces.append(edge(left[parent] + box_width, middle[parent], centre_x - half_width, centre_y + offset))
    pieces.append(edge(centre_x + half_width, centre_y, left[node], centre_y))
    pieces.append(element("ellipse", {"class": "operation", "cx": centre_x, "cy": centre_y, "rx": half_width,
                                      "ry": OPERATION_HEIGHT / 2, "fill": OPERATION_FILL, "stroke": STROKE}))
    pieces.append(text_element(centre_x, centre_y + 4, label, anchor="middle", fill=TEXT_COLOUR))
    return "".join(pieces)


def value_box(node: Value, lines: tuple[str, str, str], x: float, centre_y: float, box_width: float,
              is_output: bool) -> str:
    """A value as a box: its name (bold), data and grad; leaves blue, the output orange, the rest grey."""
    fill = OUTPUT_FILL if is_output else LEAF_FILL if node.left is None else VALUE_FILL
    top = centre_y - BOX_HEIGHT / 2
    pieces = [element("rect", {"class": "value", "x": x, "y": top, "width": box_width, "height": float(BOX_HEIGHT),
                               "rx": 4, "fill": fill, "stroke": STROKE})]
    for row, line in enumerate(lines):
        weight = {"font-weight": "bold"} if row == 0 else {}
        pieces.append(text_element(x + BOX_PADDING, top + BOX_PADDING + (row + 1) * LINE_HEIGHT - 3, line,
                                   fill=TEXT_COLOUR, **weight))
    return "".join(pieces)
