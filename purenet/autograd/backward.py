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
- ``backpropagate``, what ``Value.backward`` runs: the same chain rule,
  but the order comes out of the sweep itself. A node with one user
  (``users == 1``, most nodes of a network's graph) is complete as soon as
  that user is done, so the sweep walks on to it at once, down a chain of
  operations as far as it goes; a node with several users waits in a list
  for its depth until every deeper node is done. No separate search, no
  sort, no set for most nodes: one visit per node, one branch of the
  graph after another. benchmarks/autograd.py measures it against
  micrograd's recursive sort.

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
    """The backward pass as a walk down the graph that finds its own order (``Value.backward``).

    From a node whose gradient is complete, the walk sends each parent its
    share, ``local derivative * node.grad``, and steps on to a parent whose
    gradient that share completes: one with a single user
    (``parent.users == 1``), which can only be this node. So a chain of
    operations, such as ``relu(tanh(x * 3))``, is swept in one go, each node
    right after its user. A node with two parents walks on to the right one
    and puts the left one, if its gradient is complete, on the stack
    ``ready``, to walk from once the right branch ends. A branch ends at a
    leaf, which adds its share to what it holds, or at a parent with several
    users, which starts or adds up its gradient and waits in
    ``waiting[parent.depth]``. The stacks are taken deepest first, so a
    waiting node is taken only after every deeper node is done, and so after
    all its users (docs/graphs.md proves it).

    Python reads ``a + b + c`` as ``(a + b) + c``, so in a long sum the left
    operand is the long chain and the right one a short branch (a neuron's
    ``w_i * x_i``): the walk goes down the short branch to its leaf, then
    takes the chain back from the stack, which so stays short. Most nodes
    pass from one step of the walk to the next in local variables, with no
    list in between: docs/graphs.md gives the time against an earlier form,
    which put every node with one user on a list and took them in turn.
    """
    _check_output(output)
    if output.left is None:
        output.grad += 1.0
        return
    waiting: list[list[Value] | None] = [None] * (output.depth + 1)
    waiting[output.depth] = [output]
    gathering: set[Value] = set()  # the nodes with several users whose gradient this pass has started
    output.grad = 1.0
    for ready in reversed(waiting):
        if ready is None:
            continue
        # The list is a stack: the walk pushes the left parents it completes, and they are walked from in turn.
        while ready:
            node = ready.pop()
            gradient = node.grad
            # Walk: node's gradient is complete, ``gradient`` is it. The parents are written out, not looped
            # over: a loop or a call per edge would double the time.
            while True:
                if node.right is None:  # one parent: the walk goes on to it
                    gradient = node.left_derivative * gradient
                    node = node.left
                else:  # two parents: settle the left one here, walk on to the right one
                    parent = node.left
                    if parent.left is None:  # a leaf: add to what it holds
                        parent.grad += node.left_derivative * gradient
                    elif parent.users == 1:  # its only user is this node: its gradient is complete
                        parent.grad = node.left_derivative * gradient
                        ready.append(parent)
                    else:
                        _gather(waiting, gathering, parent, node.left_derivative * gradient)
                    gradient = node.right_derivative * gradient
                    node = node.right
                # node is the parent walked to; gradient, its share of the gradient.
                if node.left is None:  # a leaf: add to what it holds; the branch ends
                    node.grad += gradient
                    break
                if node.users != 1:  # several users: it waits for the others; the branch ends
                    _gather(waiting, gathering, node, gradient)
                    break
                node.grad = gradient  # its only user is the node just left: complete, walk on from it


def _gather(waiting: list[list[Value] | None], gathering: set[Value], node: Value, share: float) -> None:
    """Add ``share`` to the gradient of ``node``, a node with several users; the first share puts it on its list.

    ``gathering`` tells the first share of this pass, which replaces the
    last pass's gradient, from the next ones, which add to it.
    """
    if node in gathering:
        node.grad += share
        return
    gathering.add(node)
    node.grad = share
    level = waiting[node.depth]
    if level is None:
        waiting[node.depth] = [node]
    else:
        level.append(node)
