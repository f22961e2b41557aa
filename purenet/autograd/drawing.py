"""Drawing the graph that computed a Value: as text, one node per line, or as an SVG picture.

``draw(value)`` lists the nodes, each after its parents, with its formula,
data and grad; ``draw(value, format="svg")`` lays the same graph out left to
right by depth, with the operations as circles between the values (the
picture in docs/graphs.md). Both walk the graph with an explicit stack, so
long chains can be drawn too.
"""

from __future__ import annotations

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


def draw(value: Value) -> str:
    """The graph that computed ``value`` as text, one node per line, each after its parents.

    Each line reads ``name = formula | data ... | grad ...``: a leaf's
    formula is ``leaf``, another node's is its operation on its parents'
    names (``v2 = v0 * v1``). A node is named by its label, or else ``v0``,
    ``v1``, ... in the order of the listing. Text only: purenet has no plotting module yet.
    """
    if not isinstance(value, Value):
        raise TypeError(f"draw: value must be a Value, got {type(value).__name__} {value!r}")
    # Depth-first, parents (left first) before the node: the order in which a program
    # would compute them. An explicit stack again, so that long chains can be drawn.
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
    names: dict[Value, str] = {}
    lines = []
    unnamed = 0
    for node in nodes:
        if node.label:
            names[node] = node.label
        else:
            names[node] = f"v{unnamed}"
            unnamed += 1
        if node.left is None:
            formula = "leaf"
        else:
            formula = _FORMULAS[node.operation].format(
                a=names[node.left],
                b=names[node.right] if node.right is not None else "",
                c=f"{node.constant:g}" if node.constant is not None else "",
            )
        lines.append((f"{names[node]} = {formula}", node))
    width = max(len(text) for text, _ in lines)
    return "\n".join(
        f"{text:<{width}} | data {node.data:10.4f} | grad {node.grad:10.4f}" for text, node in lines
    )
