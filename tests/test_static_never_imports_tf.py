"""The static pass must never import TensorFlow, Keras or the code it checks.

``import tensorflow`` costs seconds and half a gigabyte, and importing a user's training script would run
it. These tests lint a realistic script in a fresh interpreter whose ``sys.path`` starts with booby-trapped
``tensorflow``/``keras``/``tf_keras`` packages and a booby-trapped user module: importing any of them
writes a marker file and raises. Afterwards none may be in ``sys.modules`` and no marker may exist.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

TRAPPED = ("tensorflow", "keras", "tf_keras", "train_helpers")

SCRIPT = '''\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from keras import layers as L
import tf_keras
import train_helpers
from train_helpers import load

(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_train = x_train.reshape(-1, 784).astype("float32")

model = keras.Sequential([
    L.Dense(512, activation="relu", input_shape=(784,)),
    L.Dropout(0.2),
    L.Dense(1, activation="softmax"),
])
opt = tf.keras.optimizers.SGD(lr=10.0)
model.compile(optimizer=opt, loss="categorical_crossentropy", metrics=["acc"])
model.fit(x_train, y_train, epochs=5, batch_size=128, validation_data=(x_test, y_test))


def my_loss(y_true, y_pred):
    return -tf.reduce_sum(y_true * tf.math.log(y_pred))


inputs = keras.Input(shape=(32,))
hidden = L.Dense(64, activation="relu")(inputs)
outputs = L.Dense(10)(hidden)
functional = keras.Model(inputs, outputs)
functional.compile(optimizer="adam", loss=my_loss)
'''

CHECK = '''\
import json, sys
{call}
print(json.dumps({{"loaded": sorted(m for m in sys.modules if m.split(".")[0] in {names!r}),
                   "numpy": "numpy" in sys.modules}}))
'''


@pytest.fixture
def trapped_path(tmp_path: Path) -> tuple[Path, Path]:
    """A directory of booby-trapped packages, and the directory where their markers would appear."""
    traps, markers = tmp_path / "traps", tmp_path / "markers"
    markers.mkdir()
    for name in TRAPPED:
        package = traps / name
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(textwrap.dedent(f"""\
            import pathlib
            pathlib.Path({str(markers / name)!r}).write_text("imported")
            raise ImportError("the static pass imported {name}")
        """))
    return traps, markers


def _run_isolated(code: str, cwd: Path, traps: Path) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(traps), os.environ.get("PYTHONPATH", "")])}
    result = subprocess.run([sys.executable, "-c", code], cwd=cwd, env=env, capture_output=True, text=True,
                            timeout=300)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.splitlines()[-1])


def test_the_trap_works(tmp_path: Path, trapped_path: tuple[Path, Path]) -> None:
    traps, markers = trapped_path
    code = "try:\n    import tensorflow\nexcept ImportError:\n    pass\n" + CHECK.format(call="", names=TRAPPED)
    assert _run_isolated(code, tmp_path, traps)["loaded"] == []
    assert (markers / "tensorflow").exists()


def test_engine_does_not_import_tensorflow_keras_or_user_code(tmp_path: Path,
                                                              trapped_path: tuple[Path, Path]) -> None:
    traps, markers = trapped_path
    (tmp_path / "project").mkdir()
    (tmp_path / "project" / "train.py").write_text(SCRIPT)
    (tmp_path / "project" / "train_helpers.py").write_text("raise SystemExit('user code was imported')\n")
    call = ("from kerascheck.config import default_settings\nfrom kerascheck.engine import lint_paths\n"
            "result = lint_paths(['.'], default_settings(select=['ALL']))\n"
            "assert result.files_checked + result.files_skipped == 2, result")
    report = _run_isolated(CHECK.format(call=call, names=TRAPPED), tmp_path / "project", traps)
    assert report["loaded"] == []
    assert report["numpy"] is False
    assert sorted(p.name for p in markers.iterdir()) == []


def test_cli_does_not_import_tensorflow_or_keras(tmp_path: Path, trapped_path: tuple[Path, Path]) -> None:
    traps, markers = trapped_path
    (tmp_path / "train.py").write_text(SCRIPT)
    call = ("from kerascheck.cli import main\ntry:\n"
            "    main(['--select', 'ALL', '--exit-zero', '--quiet', '--output-format', 'json', 'train.py'])\n"
            "except SystemExit as exit:\n    assert exit.code == 0, exit.code")
    report = _run_isolated(CHECK.format(call=call, names=TRAPPED), tmp_path, traps)
    assert report["loaded"] == []
    assert sorted(p.name for p in markers.iterdir()) == []
