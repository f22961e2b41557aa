"""Your first network: a CSV table in, a trained network out, saved, loaded back and asked about a new row.

Run from the repository root:  python examples/first_network.py

For your own data, copy this file, change the four lines under "Your data"
and run the copy: docs/first-network.md walks through every step.
"""

import math
import os
import random
import sys

# Find purenet in the clone, whether this file is in examples/ or a copy of it beside the purenet package.
HERE = os.path.dirname(os.path.abspath(__file__))
for folder in (HERE, os.path.dirname(HERE)):
    if os.path.isfile(os.path.join(folder, "purenet", "__init__.py")):
        sys.path.insert(0, folder)
        break

import purenet as pn  # noqa: E402  (after the path lines, so the example runs from a clone)
from purenet.datasets import read_csv  # noqa: E402

# --- Your data: change these four lines ---------------------------------------------------------------------
CSV_FILE = "examples/data/fruit.csv"  # a header line naming the columns, then one line per sample
TARGET = "fruit"  # the column to predict; every other column is a feature the network sees
MODEL_FILE = "my_first_network.json"  # where the trained network is saved
NEW_ROW = {"weight_g": 150.0, "width_cm": 7.0, "height_cm": 6.6, "hue_deg": 80.0}  # a sample to ask about

# 1. Read the table: X holds the features (one row of numbers per sample), y the class of each row (0, 1, ...).
X, y, feature_names, class_names = read_csv(CSV_FILE, target=TARGET)
print(f"read {CSV_FILE}: {len(X)} rows, {len(feature_names)} features {feature_names}, classes {class_names}")

# 2. Split: one row in five is kept aside for validation, chosen at random with a seed (the same every run).
#    The network never trains on these rows, so its accuracy on them says how it does on rows it has not seen.
rng = random.Random(0)
order = list(range(len(X)))
rng.shuffle(order)
held_out = len(X) // 5
if held_out < 1:
    sys.exit(f"{CSV_FILE} has {len(X)} rows: at least 5 are needed, as one in five is kept for validation")
validation_rows, training_rows = order[:held_out], order[held_out:]
X_train, y_train = [X[i] for i in training_rows], [y[i] for i in training_rows]
X_val, y_val = [X[i] for i in validation_rows], [y[i] for i in validation_rows]

# 3. Standardise: each feature becomes (value - mean) / std, so that every feature is about -2 to 2 whatever its
#    unit (grams and centimetres alike). The mean and std come from the training rows only: the validation rows
#    stand for data the network has never seen, and must not shape how it sees data.
columns = list(zip(*X_train))
mean = [sum(column) / len(column) for column in columns]
std = [math.sqrt(sum((value - m) ** 2 for value in column) / len(column)) for column, m in zip(columns, mean)]
std = [s if s > 0.0 else 1.0 for s in std]  # a constant column tells nothing apart; it becomes 0 everywhere


def standardise(rows):
    return [[(value - m) / s for value, m, s in zip(row, mean, std)] for row in rows]


X_train, X_val = standardise(X_train), standardise(X_val)
print(f"{len(X_train)} rows to train on, {len(X_val)} to validate on; from the training rows:")
width = max(len(name) for name in feature_names)  # for columns that line up
for name, m, s in zip(feature_names, mean, std):
    print(f"  {name:<{width}}  mean {m:9.3f}   std {s:8.3f}")

# 4. The network: features -> 16 ReLU units -> one score per class (softmax turns the scores into probabilities).
model = pn.Sequential(
    pn.Dense(len(feature_names), 16, rng=rng), pn.ReLU(), pn.Dense(16, len(class_names), rng=rng)
)
print(model.summary())

# 5. Train: 100 passes over the training rows in batches of 16, measuring the validation rows after each pass.
history = model.fit(
    X_train,
    y_train,
    loss=pn.SoftmaxCrossEntropy(),
    optimizer=pn.Adam(model.parameters(), lr=0.01),
    epochs=100,
    batch_size=16,
    validation=(X_val, y_val),
    seed=0,
)
trained = model.evaluate(X_train, y_train)
checked = model.evaluate(X_val, y_val)
print(f"training accuracy:   {trained['accuracy']:.1%} (loss {trained['loss']:.4f})")
print(f"validation accuracy: {checked['accuracy']:.1%} (loss {checked['loss']:.4f}) on {len(X_val)} rows it never saw")
matrix = pn.confusion_matrix(model.predict(X_val), y_val, len(class_names))
print("validation rows, actual class (row) against predicted class (column):")
width = max(len(name) for name in class_names + ["actual"])
print("  " + " " * width + "".join(f"  {name:>{width}}" for name in class_names))
for name, counts in zip(class_names, matrix):
    print(f"  {name:<{width}}" + "".join(f"  {count:>{width}}" for count in counts))

# 6. Save: the weights, and in the metadata what a prediction needs: the feature order, the class names, the
#    mean and std to standardise a new row the same way.
model.save(
    MODEL_FILE,
    metadata={"csv": CSV_FILE, "target": TARGET, "features": feature_names, "classes": class_names,
              "mean": mean, "std": std},
)
print(f"saved {MODEL_FILE}")

# 7. Load it back (as a new program would) and ask about a row it has never seen.
loaded = pn.load(MODEL_FILE)
info = loaded.metadata
if sorted(NEW_ROW) != sorted(info["features"]):
    sys.exit(f"NEW_ROW must give one number for each feature {info['features']}, got {sorted(NEW_ROW)}")
row = [(NEW_ROW[name] - m) / s for name, m, s in zip(info["features"], info["mean"], info["std"])]
probabilities = loaded.predict_proba([row])[0]
best = max(range(len(probabilities)), key=lambda index: probabilities[index])
print(f"loaded {MODEL_FILE}; the new row {NEW_ROW}")
print(f"prediction: {info['classes'][best]} (" + ", ".join(
    f"{name} {p:.1%}" for name, p in zip(info["classes"], probabilities)
) + ")")
