"""End to end: a script that builds its model in a loop from a config dict runs through the harness,
and the live facts make each structural rule fire on the line that created the layer (or compiled,
or fit) - while the static pass, which cannot see such a model, reports nothing for that rule.

Each case is (rule, bad config, fixed config, where the finding points). The same script template
runs both configs: the fixed one must leave the rule silent, so a rule that fires on everything fails.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")

from kerascheck.config import Settings, default_settings  # noqa: E402
from kerascheck.diagnostics import Diagnostic  # noqa: E402
from kerascheck.engine import lint_source  # noqa: E402
from kerascheck.runtime.capture import Capture  # noqa: E402
from kerascheck.runtime.harness import run_script  # noqa: E402
from kerascheck.runtime.live_facts import structural_diagnostics  # noqa: E402

TEMPLATE = '''\
import numpy as np
import keras
from keras import layers

CONFIG = {config!r}
rng = np.random.default_rng(0)
model = keras.Sequential()
model.add(keras.Input(shape=CONFIG["input"]))
for spec in CONFIG["layers"]:
    model.add(getattr(layers, spec["type"])(**spec["args"]))
loss = CONFIG["loss"] if isinstance(CONFIG["loss"], str) else getattr(keras.losses, CONFIG["loss"]["class"])(**CONFIG["loss"]["args"])
model.compile(optimizer="adam", loss=loss, metrics=CONFIG.get("metrics", []))
kind, _, width = CONFIG["labels"].partition(":")
x = rng.normal(size=(32, *CONFIG["input"])).astype("float32")
if kind == "onehot":
    y = np.eye(int(width), dtype="float32")[rng.integers(0, int(width), 32)]
elif kind == "int":
    y = rng.integers(0, int(width), 32)
elif kind == "binary":
    y = rng.integers(0, 2, (32, 1)).astype("float32")
else:
    y = rng.normal(size=(32, 1)).astype("float32")
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
'''
LINES = {"input": 8, "layer": 10, "compile": 12, "fit": 23}


def _dense(units: int, activation: str | None = None, **args: Any) -> dict[str, Any]:
    spec: dict[str, Any] = {"units": units, **args}
    if activation is not None:
        spec["activation"] = activation
    return {"type": "Dense", "args": spec}


def _layer(kind: str, **args: Any) -> dict[str, Any]:
    return {"type": kind, "args": args}


def _config(layers: list[dict[str, Any]], loss: Any, labels: str, shape: tuple[int, ...] = (6,),
            **extra: Any) -> dict[str, Any]:
    return {"input": list(shape), "layers": layers, "loss": loss, "labels": labels, **extra}


HIDDEN = _dense(8, "relu")
LOGITS_CCE = {"class": "CategoricalCrossentropy", "args": {"from_logits": True}}
PLAIN_CCE = {"class": "CategoricalCrossentropy", "args": {"from_logits": False}}
BIG_NORMAL = {"class_name": "RandomNormal", "config": {"stddev": 2.0}}
SMALL_NORMAL = {"class_name": "RandomNormal", "config": {"stddev": 0.05}}
IMAGE = (16, 16, 3)

CASES = [
    ("KC101", _config([HIDDEN, _dense(1, "softmax")], "binary_crossentropy", "binary"),
     _config([HIDDEN, _dense(1, "sigmoid")], "binary_crossentropy", "binary"), "layer"),
    ("KC102", _config([HIDDEN, _dense(3)], "categorical_crossentropy", "onehot:3"),
     _config([HIDDEN, _dense(3, "softmax")], "categorical_crossentropy", "onehot:3"), "compile"),
    ("KC103", _config([HIDDEN, _dense(3, "softmax")], LOGITS_CCE, "onehot:3"),
     _config([HIDDEN, _dense(3, "softmax")], PLAIN_CCE, "onehot:3"), "compile"),
    ("KC104", _config([HIDDEN, _dense(4, "softmax")], "binary_crossentropy", "onehot:4"),
     _config([HIDDEN, _dense(4, "softmax")], "categorical_crossentropy", "onehot:4"), "compile"),
    ("KC105", _config([HIDDEN, _dense(1, "sigmoid")], "categorical_crossentropy", "binary"),
     _config([HIDDEN, _dense(1, "sigmoid")], "binary_crossentropy", "binary"), "compile"),
    ("KC106", _config([HIDDEN, _dense(1)], "mse", "float", metrics=["accuracy"]),
     _config([HIDDEN, _dense(1)], "mse", "float", metrics=["mae"]), "compile"),
    ("KC107", _config([HIDDEN, _dense(3, "softmax")], "mse", "onehot:3"),
     _config([HIDDEN, _dense(3, "softmax")], "categorical_crossentropy", "onehot:3"), "compile"),
    ("KC108", _config([HIDDEN, _dense(3, "softmax")], "sparse_categorical_crossentropy", "onehot:3"),
     _config([HIDDEN, _dense(3, "softmax")], "sparse_categorical_crossentropy", "int:3"), "fit"),
    ("KC109", _config([HIDDEN, _dense(4, "softmax")], "categorical_crossentropy", "onehot:3"),
     _config([HIDDEN, _dense(3, "softmax")], "categorical_crossentropy", "onehot:3"), "layer"),
    ("KC110", _config([HIDDEN, _dense(3, "sigmoid")], "categorical_crossentropy", "onehot:3"),
     _config([HIDDEN, _dense(3, "softmax")], "categorical_crossentropy", "onehot:3"), "compile"),
    ("KC401", _config([_dense(8, "sigmoid")] * 4 + [_dense(1, "sigmoid")], "binary_crossentropy", "binary"),
     _config([_dense(8, "relu")] * 4 + [_dense(1, "sigmoid")], "binary_crossentropy", "binary"), "layer"),
    ("KC402", _config([_dense(8), _dense(8), _dense(1, "sigmoid")], "binary_crossentropy", "binary"),
     _config([_dense(8, "relu"), _dense(8, "relu"), _dense(1, "sigmoid")], "binary_crossentropy", "binary"),
     "layer"),
    ("KC403", _config([_dense(8, "softmax"), _dense(1, "sigmoid")], "binary_crossentropy", "binary"),
     _config([_dense(8, "relu"), _dense(1, "sigmoid")], "binary_crossentropy", "binary"), "layer"),
    ("KC404", _config([_dense(8, "relu", kernel_initializer="zeros"), _dense(1, "sigmoid")],
                      "binary_crossentropy", "binary"),
     _config([_dense(8, "relu", kernel_initializer="he_normal"), _dense(1, "sigmoid")],
             "binary_crossentropy", "binary"), "layer"),
    ("KC405", _config([_dense(32, "relu", kernel_initializer=BIG_NORMAL)] * 3 + [_dense(1, "sigmoid")],
                      "binary_crossentropy", "binary", shape=(32,)),
     _config([_dense(32, "relu", kernel_initializer=SMALL_NORMAL)] * 3 + [_dense(1, "sigmoid")],
             "binary_crossentropy", "binary", shape=(32,)), "layer"),
    ("KC406", _config([HIDDEN, _layer("Dropout", rate=0.2), HIDDEN, _layer("Dropout", rate=0.95),
                       _dense(1, "sigmoid")], "binary_crossentropy", "binary"),
     _config([HIDDEN, _layer("Dropout", rate=0.2), HIDDEN, _layer("Dropout", rate=0.3),
              _dense(1, "sigmoid")], "binary_crossentropy", "binary"), "layer"),
    ("KC407", _config([HIDDEN, _dense(3, "softmax"), _layer("Dropout", rate=0.3)],
                      "categorical_crossentropy", "onehot:3"),
     _config([HIDDEN, _layer("Dropout", rate=0.3), _dense(3, "softmax")], "categorical_crossentropy",
             "onehot:3"), "layer"),
    ("KC408", _config([_layer("Conv2D", filters=4, kernel_size=3), _layer("Flatten"), _dense(3, "softmax")],
                      "categorical_crossentropy", "onehot:3", shape=(3, 16, 16)),
     _config([_layer("Conv2D", filters=4, kernel_size=3), _layer("Flatten"), _dense(3, "softmax")],
             "categorical_crossentropy", "onehot:3", shape=IMAGE), "input"),
    ("KC409", _config([_layer("Conv2D", filters=4, kernel_size=3), _layer("MaxPooling2D"),
                       _dense(3, "softmax")], "categorical_crossentropy", "onehot:3", shape=IMAGE),
     _config([_layer("Conv2D", filters=4, kernel_size=3), _layer("MaxPooling2D"), _layer("Flatten"),
              _dense(3, "softmax")], "categorical_crossentropy", "onehot:3", shape=IMAGE), "layer"),
    ("KC411", _config([_layer("LSTM", units=4, return_sequences=True), _dense(1, "sigmoid")],
                      "binary_crossentropy", "binary", shape=(5, 3)),
     _config([_layer("LSTM", units=4), _dense(1, "sigmoid")], "binary_crossentropy", "binary",
             shape=(5, 3)), "layer"),
]


def _settings(code: str | None = None) -> Settings:
    """The defaults, with ``code`` enabled too (KC411 is opt-in)."""
    settings = default_settings()
    if code is None:
        return settings
    return dataclasses.replace(settings, enabled=tuple(sorted({*settings.enabled, code})))


def _live(tmp_path: Path, config: dict[str, Any], code: str | None = None) -> tuple[Path, list[Diagnostic]]:
    path = tmp_path / "train.py"
    path.write_text(TEMPLATE.format(config=config))
    seen: list[Capture] = []
    outcome = run_script(str(path), (), seen.append)
    assert outcome.status == "checked", outcome.error
    return path, structural_diagnostics(seen[0], _settings(code))


def _codes(diagnostics: list[Diagnostic], code: str) -> list[Diagnostic]:
    return [d for d in diagnostics if d.code == code]


def test_template_lines_are_where_the_cases_say() -> None:
    lines = TEMPLATE.splitlines()
    assert "keras.Input" in lines[LINES["input"] - 1]
    assert "model.add(getattr(layers" in lines[LINES["layer"] - 1]
    assert lines[LINES["compile"] - 1].startswith("model.compile(")
    assert lines[LINES["fit"] - 1].startswith("model.fit(")


@pytest.mark.parametrize(("code", "bad", "good", "where"), CASES, ids=[case[0] for case in CASES])
def test_live_model_fires_where_the_static_pass_is_blind(tmp_path: Path, code: str, bad: dict[str, Any],
                                                         good: dict[str, Any], where: str) -> None:
    path, found = _live(tmp_path, bad, code)
    hits = _codes(found, code)
    assert hits, f"{code} did not fire on the live model; found {[d.code for d in found]}"
    assert all(Path(d.path).resolve() == path.resolve() and d.line == LINES[where] for d in hits), hits
    assert not any(d.code == "KC000" for d in found), found
    static = lint_source(path.read_text(), str(path), _settings(code))
    assert not _codes(static, code), "the static pass saw this model: the case proves nothing"

    _, fixed = _live(tmp_path, good, code)
    assert not _codes(fixed, code), _codes(fixed, code)
    assert not any(d.code == "KC000" for d in fixed), fixed


def test_healthy_loop_built_classifier_is_clean(tmp_path: Path) -> None:
    config = _config([HIDDEN, _layer("Dropout", rate=0.2), HIDDEN, _dense(3, "softmax")],
                     "sparse_categorical_crossentropy", "int:3", metrics=["accuracy"])
    _, found = _live(tmp_path, config)
    assert found == []


def test_layer_findings_name_the_layer(tmp_path: Path) -> None:
    _, found = _live(tmp_path, CASES[0][1])
    (hit,) = _codes(found, "KC101")
    assert dict(hit.extra).get("layer", "").startswith("dense")


def test_loop_made_layers_are_judged_one_by_one(tmp_path: Path) -> None:
    """Two dropout layers from the same source line: the second's rate is judged too."""
    _, found = _live(tmp_path, CASES[15][1])
    (hit,) = _codes(found, "KC406")
    assert "Dropout(0.95)" in hit.message


FUNCTIONAL = '''\
import numpy as np
import keras
from keras import layers

CONFIG = {config!r}
inputs = keras.Input(shape=(6,))
x = inputs
for spec in CONFIG["layers"]:
    x = getattr(layers, spec["type"])(**spec["args"])(x)
model = keras.Model(inputs, x)
model.compile(optimizer="adam", loss="categorical_crossentropy")
rng = np.random.default_rng(0)
model.fit(rng.normal(size=(16, 6)), np.eye(3)[rng.integers(0, 3, 16)], verbose=0)
'''


@pytest.mark.parametrize(("units", "fires"), [(4, True), (3, False)])
def test_functional_model_built_in_a_loop(tmp_path: Path, units: int, fires: bool) -> None:
    path = tmp_path / "functional.py"
    path.write_text(FUNCTIONAL.format(config={"layers": [_dense(8, "relu"), _dense(units, "softmax")]}))
    seen: list[Capture] = []
    assert run_script(str(path), (), seen.append).status == "checked"
    hits = _codes(structural_diagnostics(seen[0], _settings()), "KC109")
    assert [d.line for d in hits] == ([9] if fires else [])
    assert not _codes(lint_source(path.read_text(), str(path), _settings()), "KC109")


OPTIMIZER_FROM_CONFIG = '''\
import numpy as np
import keras
from keras import layers

CONFIG = {config!r}


def make_optimizer(cfg):
    return getattr(keras.optimizers, cfg["name"])(learning_rate=cfg["lr"])


model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer=make_optimizer(CONFIG), loss="mse")
rng = np.random.default_rng(0)
model.fit(rng.normal(size=(16, 6)), rng.normal(size=(16, 1)), verbose=0)
'''


@pytest.mark.parametrize(("rate", "fires"), [(0.5, True), (1e-3, False)])
def test_live_optimizer_findings_point_at_where_it_was_made(tmp_path: Path, rate: float, fires: bool) -> None:
    """A learning rate from a config, in a helper: the live KC201 names the line that built the optimizer."""
    path = tmp_path / "opt.py"
    path.write_text(OPTIMIZER_FROM_CONFIG.format(config={"name": "Adam", "lr": rate}))
    seen: list[Capture] = []
    assert run_script(str(path), (), seen.append).status == "checked"
    hits = _codes(structural_diagnostics(seen[0], _settings()), "KC201")
    assert [(d.line, d.column) for d in hits] == ([(9, 12)] if fires else [])
    assert not _codes(lint_source(path.read_text(), str(path), _settings()), "KC201")
