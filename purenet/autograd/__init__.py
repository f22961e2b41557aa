"""Automatic differentiation on a graph of scalars: ``Value``, in the spirit of micrograd.

Every arithmetic operation on ``Value`` objects records a node of a
computational graph: its result ``data``, the operands it came from (its
*parents*, at most two) and the *local derivative* of the result with respect
to each parent, computed in the forward pass. For ``y = a * b`` the node ``y``
stores ``a`` with dy/da = b and ``b`` with dy/db = a.

``y.backward()`` then applies the chain rule in reverse (reverse-mode
automatic differentiation): visiting every node after all the nodes that use
it (a reverse topological order),

    node.grad = sum over the nodes c that use node of  c.grad * dc/dnode,

starting from dy/dy = 1, so that afterwards ``v.grad`` = dy/dv for every
``Value`` v that y depends on. Derivation, the worked example of
``python -m purenet explain`` rebuilt from Values, and why the walk is neither
recursive nor leaves reference cycles behind: docs/graphs.md.

    >>> from purenet.autograd import Value
    >>> a, b = Value(0.5), Value(-0.3)
    >>> y = (a * b + 1.0).tanh()
    >>> y.backward()
    >>> round(a.grad, 6), round(b.grad, 6)    # dy/da = b (1 - y^2), dy/db = a (1 - y^2)
    (-0.156727, 0.261211)

One concept per module:

- ``value.py``: ``Value``, its operations and their local derivatives, and
  ``zero_grad``. A node stores references to its parents and numbers,
  nothing else: no closure that refers back to the node (micrograd's
  ``_backward``), so the graph holds no reference cycle, and dropping the
  last reference to the output frees the whole graph at once, without the
  garbage collector;
- ``backward.py``: the backward pass, in a plain form (find the nodes, sort
  them by depth, sweep) and the fast form ``Value.backward`` runs (one walk
  that finds its own order), both loops without recursion, so that a chain
  of a million operations works; benchmarks/autograd.py measures it;
- ``drawing.py``: ``draw``, the graph as text or as an SVG picture.

Gradients accumulate like PyTorch's: ``backward`` adds to the ``grad`` of the
leaves (the Values you created, with no parents), so that two calls add up;
set them back to zero with ``zero_grad(values)`` before the next pass. The
``grad`` of the other nodes is this pass's gradient, recomputed by every call.
Constants (plain ints and floats) are not nodes: ``a * 3`` has one parent.
"""

from .backward import backpropagate, reference_backpropagate
from .drawing import draw
from .value import Value, zero_grad

__all__ = ["Value", "backpropagate", "draw", "reference_backpropagate", "zero_grad"]
