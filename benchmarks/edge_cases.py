"""The small synthetic part of the benchmark corpus: shapes real files rarely show, written on demand.

The real corpus (``real_corpus.py``) is what the ratios are about; these few files cover what it
lacks and what the one-file and scale figures need:

- ``train_small.py``: a 10-line training script, the typical file a pre-commit run or an editor save
  lints alone (the one-file figure) and the unit the 5,000-file scale run is made of;
- ``no_keras.py``: ordinary Python that mentions neither Keras nor TensorFlow (the prefilter's case);
- ``long_module.py``: one long module of many small model factories and custom losses that call each
  other (dataflow across a large module, the interpreter's worst case in real code).
"""

from __future__ import annotations

from pathlib import Path

TRAIN_SMALL = '''import keras
from keras import layers

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32") / 255.0
model = keras.Sequential([layers.Dense(128, activation="relu"), layers.Dense(10, activation="softmax")])
model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy",
              metrics=["accuracy"])
model.fit(x_train, y_train, epochs={epochs}, batch_size=128, validation_split=0.1)
model.evaluate(x_test.reshape(-1, 784) / 255.0, y_test)
'''

NO_KERAS = '''"""Summary statistics of a CSV file."""
import csv
import statistics
import sys


def column(rows, name):
    return [float(row[name]) for row in rows if row.get(name)]


def main(path):
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    for name in rows[0] if rows else ():
        try:
            values = column(rows, name)
        except ValueError:
            continue
        print(name, statistics.mean(values), statistics.pstdev(values))


if __name__ == "__main__":
    main(sys.argv[1])
'''

_BLOCK = '''

def make_model_{i}(units={units}, rate={rate}):
    inputs = keras.Input(shape=({width},))
    x = layers.Dense(units, activation="relu")(inputs)
    x = layers.Dropout(0.{drop})(x)
    x = block_{prev}(x, units // 2)
    outputs = layers.Dense({classes}, activation="softmax")(x)
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(rate), loss=loss_{i}, metrics=["accuracy"])
    return model


def block_{i}(x, units):
    x = layers.Dense(units, activation="relu")(x)
    return layers.BatchNormalization()(x)


def loss_{i}(y_true, y_pred):
    y_pred = ops.clip(y_pred, 1e-7, 1.0 - 1e-7)
    return -ops.mean(ops.sum(y_true * ops.log(y_pred), axis=-1))
'''


def long_module(blocks: int = 120) -> str:
    head = ("import keras\nfrom keras import layers, ops\n\n\ndef block_0(x, units):\n"
            "    return layers.Dense(units, activation=\"relu\")(x)\n")
    body = "".join(_BLOCK.format(i=i, prev=i - 1, units=32 + i % 7 * 32, rate=f"{(i % 5 + 1)}e-4",
                                 width=8 + i % 13, drop=i % 5 + 1, classes=2 + i % 9)
                   for i in range(1, blocks + 1))
    tail = "\n\nmodels = [make_model_{0}() for _ in range(2)]\n".format(blocks)
    return head + body + tail


def train_small(variant: int = 0) -> str:
    """The 10-line script; ``variant`` changes one constant, so 5,000 copies are 5,000 distinct files."""
    return TRAIN_SMALL.format(epochs=5 + variant)


def write(out: Path) -> list[Path]:
    """Write the edge-shape files under ``out``; return their paths."""
    out.mkdir(parents=True, exist_ok=True)
    files = {"train_small.py": train_small(), "no_keras.py": NO_KERAS, "long_module.py": long_module()}
    paths = []
    for name, text in files.items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def write_many(out: Path, n: int) -> list[Path]:
    """``n`` distinct small training scripts (the scale run), 100 per folder as in a real tree."""
    paths = []
    for i in range(n):
        folder = out / f"pkg{i // 100:03}"
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / f"train_{i:05}.py"
        path.write_text(train_small(i), encoding="utf-8")
        paths.append(path)
    return paths
