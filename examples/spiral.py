"""Learn a 3-class spiral, then measure accuracy on points the model never saw.

Run from the repository root:  python examples/spiral.py
"""

import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import purenet as pn  # noqa: E402  (after the path line, so the example runs from a clone)
from purenet.datasets import spiral  # noqa: E402

X_train, y_train = spiral(points_per_class=100, classes=3, seed=0)
X_test, y_test = spiral(points_per_class=100, classes=3, seed=1)  # fresh noise: held out

rng = random.Random(0)
model = pn.Sequential(pn.Dense(2, 64, rng=rng), pn.ReLU(), pn.Dense(64, 3, rng=rng))
print(model.summary())
history = model.fit(
    X_train,
    y_train,
    loss=pn.SoftmaxCrossEntropy(),
    optimizer=pn.Adam(model.parameters(), lr=0.01),
    epochs=100,
    batch_size=32,
    validation=0.2,
    seed=0,
)
result = model.evaluate(X_test, y_test)
print(f"held-out accuracy: {result['accuracy']:.1%} on {len(X_test)} fresh points (loss {result['loss']:.4f})")
