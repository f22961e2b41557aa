"""Learn XOR: the smallest problem that needs a hidden layer.

Run from the repository root:  python examples/xor.py
"""

import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import purenet as pn  # noqa: E402  (after the path line, so the example runs from a clone)
from purenet.datasets import xor  # noqa: E402

X, y = xor()
rng = random.Random(0)
model = pn.Sequential(pn.Dense(2, 8, init="xavier", rng=rng), pn.Tanh(), pn.Dense(8, 2, init="xavier", rng=rng))
print(model.summary())
model.fit(X, y, optimizer=pn.Adam(model.parameters(), lr=0.05), epochs=300, batch_size=4, verbose=0)
for sample, label, probabilities in zip(X, y, model.predict_proba(X)):
    print(f"{sample} -> class {label}: p = [{probabilities[0]:.3f}, {probabilities[1]:.3f}]")
print(f"accuracy: {pn.accuracy(model.predict(X), y):.0%}")
