"""The backward pass: the chain rule applied to every node, each after all the nodes that use it.

    node.grad = sum over the users c of node of  c.grad * dc/dnode,    output.grad = 1

A node's gradient is complete once every node that uses it has sent its
share, so the nodes must be visited in *reverse topological order*.
Derivation and pictures: docs/graphs.md. Two forms, which give the same
gradients (tests/test_autograd.py::test_fast_backward_agrees_with_the_reference):

- ``reference_backpropagate``, the plain form the docs teach: find every
  node with an explicit stack, sort them by ``depth`` (a node is deeper than
  its parents, so deepest first puts every node after its users), then one
  sweep of ``parent.grad += local derivative * node.grad``;
- ``backpropagate``, what ``Value.backward`` runs: the same sweep, but the
  order comes out of the sweep itself. A node with one user (``users == 1``,
  most nodes of a network's graph) is complete as soon as that user is
  done, so it joins the list being swept right away; a node with several
  users waits in a list for its depth until every deeper node is done. No
  separate search, no sort, no set for most nodes: one visit per node.
  benchmarks/autograd.py measures it against micrograd's recursive sort.

Both use loops, never recursion (a chain of a million operations would
overflow Python's stack), and store nothing on the nodes but gradients, so
the graph keeps no reference cycle. Leaves (nodes without parents)
accumulate: backward *adds* to their ``grad``, like PyTorch. Every other
node's ``grad`` is set afresh by each pass.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .value import Value


def _check_output(output: Value) -> None:
    """A ValueError if the output is inf or NaN: + - * / overflow to inf silently, and then no gradient means anything."""
    if not math.isfinite(output.data):
        raise ValueError(
            f"Value.backward: the output is {output.data!r}, not a finite number: a value of the forward "
            "pass overflowed (beyond about 1.8e308), so its gradients would mean nothing"
        )


def reference_backpropagate(output: Value) -> None:
    """The backward pass in three plain steps: find the nodes, sort them deepest first, sweep.

    The form docs/graphs.md teaches, kept beside ``backpropagate`` (which
    gives the same gradients faster) as its reference.
    """
    _check_output(output)
    if output.left is None:  # a leaf: d(output)/d(output) = 1, accumulated as every leaf's grad is
        output.grad += 1.0
        return
    # 1. Every node that is not a leaf, with an explicit stack instead of recursion.
    nodes = [output]
    seen = {output}
    stack = [output]
    while stack:
        for parent in stack.pop().parents:
            if parent.left is not None and parent not in seen:
                seen.add(parent)
                nodes.append(parent)
                stack.append(parent)
    # 2. A node is deeper than its parents, so deepest first puts each node after all its users.
    nodes.sort(key=lambda node: node.depth, reverse=True)
    # 3. The chain rule: each node, its gradient complete, sends a share to each parent.
    for node in nodes:
        node.grad = 0.0  # this pass's gradient, not the last one's
    output.grad = 1.0
    for node in nodes:
        node.left.grad += node.left_derivative * node.grad
        if node.right is not None:
            node.right.grad += node.right_derivative * node.grad


def backpropagate(output: Value) -> None:
    """The backward pass in one sweep that finds its own order (``Value.backward``).

    ``waiting[d]`` lists the nodes of depth d whose gradient is being
    gathered, then swept: the sweep goes from the deepest list to depth 1.
    A node that is its parent's only user (``parent.users == 1``) completes
    the parent's gradient, so the parent joins the list being swept at once;
    a parent with several users joins ``waiting[parent.depth]``, reached
    only after every deeper node is done, and so after all its users
    (docs/graphs.md proves it). Leaves accumulate and are never swept.
    """
    _check_output(output)
    if output.left is None:
        output.grad += 1.0
        return
    waiting: list[list[Value] | None] = [None] * (output.depth + 1)
    waiting[output.depth] = [output]
    gathering: set[Value] = set()  # the nodes with several users found so far
    output.grad = 1.0
    for ready in reversed(waiting):
        if ready is None:
            continue
        # The list grows while it is swept (each parent that completes joins it): the loop reaches those too.
        # The two parents are written out, not looped over: a loop or a call per edge would double the time.
        for node in ready:
            gradient = node.grad
            parent = node.left
            if parent.left is None:  # a leaf: add to what it holds
                parent.grad += node.left_derivative * gradient
            elif parent.users == 1:  # its only user is this node: its gradient is complete
                parent.grad = node.left_derivative * gradient
                ready.append(parent)
            elif parent in gathering:
                parent.grad += node.left_derivative * gradient
            else:  # the first of its users: start its gradient, sweep it once deeper nodes are done
                gathering.add(parent)
                parent.grad = node.left_derivative * gradient
                _wait(waiting, parent)
            parent = node.right
            if parent is None:
                continue
            if parent.left is None:
                parent.grad += node.right_derivative * gradient
            elif parent.users == 1:
                parent.grad = node.right_derivative * gradient
                ready.append(parent)
            elif parent in gathering:
                parent.grad += node.right_derivative * gradient
            else:
                gathering.add(parent)
                parent.grad = node.right_derivative * gradient
                _wait(waiting, parent)


def _wait(waiting: list[list[Value] | None], node: Value) -> None:
    """Put ``node`` on the list of its depth, starting the list if it is the first there."""
    level = waiting[node.depth]
    if level is None:
        waiting[node.depth] = [node]
    else:
        level.append(node)
