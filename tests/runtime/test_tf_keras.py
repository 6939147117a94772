"""The legacy ``tf_keras`` package (Keras 2 on TensorFlow >= 2.16): scripts that import it, or set
``TF_USE_LEGACY_KERAS=1``, are intercepted, measured and checked like Keras 3 ones.

Its classes are not Keras 3's (``tf_keras.Sequential``, its own ``clone_model``, ``_is_compiled``, a
``compute_loss`` that wants tensors), so each of those once turned a legacy model into "subclassed,
not compiled, nothing measured".
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("tensorflow")
pytest.importorskip("tf_keras")

LOOP_BUILT = """\
import numpy as np
import tf_keras as keras

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 6)).astype("float32")
y = rng.integers(0, 2, size=(64, 1))
UNITS = [8, {head}]
model = keras.Sequential([keras.layers.Input(shape=(6,))])
for n in UNITS:
    model.add(keras.layers.Dense(n, activation="{activation}" if n == UNITS[-1] else "relu"))
model.compile(optimizer=keras.optimizers.Adam(learning_rate=0.001), loss="binary_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=2, batch_size=16, verbose=0)
"""

LEGACY_ENV = """\
import os
os.environ["TF_USE_LEGACY_KERAS"] = "1"
import numpy as np
import tensorflow as tf

rng = np.random.default_rng(0)
x = rng.normal(size=(64, 6)).astype("float32") * {scale}
y = rng.integers(0, 3, size=(64,))
model = tf.keras.Sequential([tf.keras.layers.Dense(16, activation="relu", input_shape=(6,)),
                             tf.keras.layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
model.fit(x, y, epochs=2, verbose=0)
"""


def _run(tmp_path: Path, script: str) -> tuple[int, dict]:
    (tmp_path / "train.py").write_text(textwrap.dedent(script), encoding="utf-8")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "run", "--output-format", "json", "train.py"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=180)
    return done.returncode, json.loads(done.stdout)


def test_a_loop_built_tf_keras_model_is_measured_and_checked(tmp_path: Path) -> None:
    status, document = _run(tmp_path, LOOP_BUILT.format(head=1, activation="softmax"))
    assert status == 1 and document["status"] == "checked"
    measurements = document["measurements"]
    assert measurements["model_kind"] == "sequential"
    assert [layer["kind"] for layer in measurements["layers"]] == ["Dense", "Dense"]
    assert all(layer["grad_norm"] is not None for layer in measurements["layers"])
    assert measurements["probe"]["steps"] > 0
    hits = [(d["code"], d["line"]) for d in document["diagnostics"]]
    assert ("KC101", 10) in hits  # the live model's one-unit softmax, at the line in the loop that made it
    assert not any(code in ("KC000", "KC605") for code, _ in hits), hits


def test_the_same_tf_keras_model_written_correctly_is_clean(tmp_path: Path) -> None:
    status, document = _run(tmp_path, LOOP_BUILT.format(head=1, activation="sigmoid"))
    assert (status, document["diagnostics"]) == (0, [])


@pytest.mark.parametrize(("scale", "fires"), [(1000, True), (1, False)])
def test_tf_use_legacy_keras_scripts_are_checked(tmp_path: Path, scale: int, fires: bool) -> None:
    status, document = _run(tmp_path, LEGACY_ENV.format(scale=scale))
    assert document["status"] == "checked"
    assert document["measurements"]["model_kind"] == "sequential"
    codes = [d["code"] for d in document["diagnostics"]]
    assert codes == (["KC602"] if fires else []), document["diagnostics"]
