"""--keras2-compat: Keras 2 spellings reach fit on Keras 3, and each mapping applied is reported."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

tf = pytest.importorskip("tensorflow")

from kerascheck.runtime.capture import Capture  # noqa: E402
from kerascheck.runtime.compat import ALIASED_MODULES  # noqa: E402
from kerascheck.runtime.harness import Outcome, RunOptions, run_script  # noqa: E402

KERAS2 = '''\
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Dropout
from keras.layers import Embedding, GlobalAveragePooling1D
from keras.optimizers import SGD

x = np.random.rand(64, 8).astype("float32")
y = (x.sum(axis=1) > 4).astype("float32")

def batches():
    while True:
        yield x[:16], y[:16]

model = Sequential()
model.add(Dense(output_dim=16, input_dim=8, init="uniform", activation="relu"))
model.add(Dropout(p=0.2))
model.add(Dense(1, init="uniform", activation="sigmoid"))
emb = Embedding(100, output_dim=4, init="uniform")
model.compile(loss="binary_crossentropy", optimizer=SGD(lr=0.05, momentum=0.9), metrics=["accuracy"])
model.fit_generator(batches(), 2, nb_epoch=3, verbose=0, workers=2)
'''


def _run(tmp_path: Path, source: str, compat: bool = True) -> tuple[Outcome, list[Capture]]:
    script = tmp_path / "old.py"
    script.write_text(source)
    seen: list[Capture] = []
    return run_script(str(script), [], seen.append, RunOptions(keras2_compat=compat)), seen


def test_keras2_script_reaches_fit_with_every_mapping_applied(tmp_path: Path) -> None:
    outcome, seen = _run(tmp_path, KERAS2)
    assert outcome.status == "checked", outcome.error
    capture = seen[0]
    model = capture.model
    assert capture.method == "fit_generator" and dict(capture.fit_kwargs) == {
        "steps_per_epoch": 2, "epochs": 3, "verbose": 0}  # workers= dropped: Keras 3 fit has no queue
    assert model.layers[0].units == 16 and type(model.layers[0].kernel_initializer).__name__ == "RandomUniform"
    assert model.layers[1].rate == 0.2
    assert abs(float(model.optimizer.learning_rate.numpy()) - 0.05) < 1e-7
    assert capture.fit_site.line == 20


def test_each_mapping_is_reported_once_on_its_line(tmp_path: Path) -> None:
    outcome, _ = _run(tmp_path, KERAS2)
    found = sorted((d.code, d.line, d.message.split(" ", 1)[0]) for d in outcome.diagnostics)
    assert found == [
        ("KC205", 19, "SGD(lr=0.05):"),
        ("KC901", 15, "Dense(init=...)"),
        ("KC901", 15, "Dense(output_dim=...)"),
        ("KC901", 16, "Dropout(p=...)"),
        ("KC901", 17, "Dense(init=...)"),
        ("KC901", 18, "Embedding(init=...)"),  # Embedding's output_dim is still valid: not reported
        ("KC901", 20, "fit_generator(nb_epoch=3)"),
        ("KC902", 3, "`keras.layers.core`"),
        ("KC902", 20, "model.fit_generator()"),
    ]
    embedding = next(d for d in outcome.diagnostics if d.message.startswith("Embedding"))
    assert "embeddings_initializer='uniform'" in embedding.message
    assert all("--keras2-compat mapped it" in d.message and d.path.endswith("old.py") for d in outcome.diagnostics)
    lr = next(d for d in outcome.diagnostics if d.code == "KC205")
    assert (lr.column, lr.end_column) == (53, 79)  # the SGD(...) call


def test_keras1_functional_model_keywords(tmp_path: Path) -> None:
    source = ("import numpy as np\nimport keras\n"
              "a = keras.Input(shape=(3,))\n"
              "model = keras.Model(input=a, output=keras.layers.Dense(2)(a))\n"
              "model.compile(optimizer='adam', loss='mse')\n"
              "model.fit(np.zeros((4, 3)), np.zeros((4, 2)), verbose=0)\n")
    outcome, seen = _run(tmp_path, source)
    assert outcome.status == "checked", outcome.error
    assert type(seen[0].model).__name__ == "Functional" and seen[0].model.layers[-1].units == 2
    assert [(d.code, d.line, d.message.split(" ", 1)[0]) for d in sorted(outcome.diagnostics)] == [
        ("KC901", 4, "Model(input=...)"), ("KC901", 4, "Model(output=...)")]
    assert _run(tmp_path, source, compat=False)[0].status == "script_error"


def test_without_the_flag_nothing_is_mapped(tmp_path: Path) -> None:
    outcome, seen = _run(tmp_path, KERAS2, compat=False)
    assert outcome.status == "script_error" and not seen and not outcome.diagnostics
    assert outcome.error["type"] == "ModuleNotFoundError" and outcome.error["line"] == 3


def test_modern_script_gets_no_compat_findings(tmp_path: Path) -> None:
    source = ("import numpy as np\nimport keras\n"
              "model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(2, kernel_initializer='he_normal'),"
              " keras.layers.Embedding(10, output_dim=2)])\n"
              "model.compile(optimizer=keras.optimizers.Adam(learning_rate=1e-3), loss='mse')\n"
              "model.fit(np.zeros((4, 3)), np.zeros((4, 3, 2)), epochs=1, verbose=0)\n")
    outcome, seen = _run(tmp_path, source)
    assert outcome.status == "checked" and outcome.diagnostics == []


def test_aliases_are_removed_after_the_run(tmp_path: Path) -> None:
    _run(tmp_path, KERAS2)
    assert "keras.layers.core" not in sys.modules
    assert "keras.engine" not in ALIASED_MODULES  # no one-to-one Keras 3 home: not aliased
    assert ALIASED_MODULES["keras.utils.np_utils"] == "keras.utils"
