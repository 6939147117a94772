"""Entry mode: a factory returning a compiled model, with a data loader or synthesized data."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")
import numpy as np  # noqa: E402

from kerascheck.runtime.capture import Capture, site_of  # noqa: E402
from kerascheck.runtime.entry import batch_for_model, run_entry  # noqa: E402
from kerascheck.runtime.harness import Outcome, RunOptions  # noqa: E402

FACTORIES = '''\
import numpy as np
import keras


def build_model():
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def build_text():
    inputs = keras.Input(shape=(12,), dtype="int32")
    hidden = keras.layers.GlobalAveragePooling1D()(keras.layers.Embedding(50, 8)(inputs))
    model = keras.Model(inputs, keras.layers.Dense(3, activation="softmax")(hidden))
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    return model


def build_two_heads():
    a, b = keras.Input(shape=(3,)), keras.Input(shape=(2,))
    joined = keras.layers.Concatenate()([a, b])
    out1 = keras.layers.Dense(1, activation="sigmoid", name="flag")(joined)
    out2 = keras.layers.Dense(2, name="value")(joined)
    model = keras.Model([a, b], [out1, out2])
    model.compile(optimizer="adam", loss={"flag": "binary_crossentropy", "value": "mse"})
    return model


def load_batch():
    return np.ones((10, 6), "float32"), np.arange(10) % 4


def build_from_argv():
    import sys
    model = keras.Sequential([keras.Input(shape=(6,)), keras.layers.Dense(int(sys.argv[1]), activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def uncompiled():
    return keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])


def not_a_model():
    return "model"
'''


@pytest.fixture()
def project(tmp_path: Path) -> Path:
    package = tmp_path / "proj_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "factories.py").write_text(FACTORIES)
    yield tmp_path
    for name in [m for m in sys.modules if m.startswith("proj_pkg")]:
        del sys.modules[name]


def _entry(project: Path, target: str, data: str | None = None) -> tuple[Outcome, list[Capture]]:
    seen: list[Capture] = []
    outcome = run_entry(f"proj_pkg.factories:{target}", data and f"proj_pkg.factories:{data}", seen.append,
                        RunOptions(cwd=str(project)))
    return outcome, seen


def test_entry_with_data_loader(project: Path) -> None:
    outcome, seen = _entry(project, "build_model", "load_batch")
    assert outcome.status == "checked", outcome.error
    capture = seen[0]
    assert capture.x.shape == (10, 6) and list(capture.y) == [i % 4 for i in range(10)]
    assert capture.fit_site.file == str(project / "proj_pkg" / "factories.py") and capture.fit_site.line == 5
    assert site_of(capture.model.layers[0]).line == 6  # sites are recorded in entry mode too


def test_entry_synthesizes_targets_matching_the_loss(project: Path) -> None:
    outcome, seen = _entry(project, "build_model")
    assert outcome.status == "checked"
    x, y = seen[0].x, seen[0].y
    assert x.shape == (32, 6) and x.dtype == np.float32 and abs(float(x.std()) - 1) < 0.3
    assert y.shape == (32,) and y.min() >= 0 and y.max() <= 3 and y.dtype.kind == "i"


def test_entry_synthesizes_ids_for_an_embedding_and_one_hot_targets(project: Path) -> None:
    outcome, seen = _entry(project, "build_text")
    assert outcome.status == "checked"
    x, y = seen[0].x, seen[0].y
    assert x.shape == (32, 12) and x.dtype.kind == "i" and 0 <= x.min() and x.max() < 50
    assert y.shape == (32, 3) and (y.sum(axis=1) == 1).all()


def test_entry_multi_input_multi_output(project: Path) -> None:
    outcome, seen = _entry(project, "build_two_heads")
    x, y = seen[0].x, seen[0].y
    assert [a.shape for a in x] == [(32, 3), (32, 2)]
    assert set(np.unique(y[0])) <= {0.0, 1.0} and y[0].shape == (32, 1)
    assert y[1].shape == (32, 2) and y[1].dtype == np.float32 and len(np.unique(y[1])) > 2


@pytest.mark.parametrize("target, words", [
    ("uncompiled", "not compiled"), ("not_a_model", "not a keras.Model"), ("missing", "no attribute"),
])
def test_entry_setup_errors(project: Path, target: str, words: str) -> None:
    outcome, seen = _entry(project, target)
    assert outcome.status == "setup_error" and words in outcome.error["message"] and not seen


def test_entry_bad_spec_and_missing_module(project: Path) -> None:
    seen: list[Any] = []
    outcome = run_entry("no_colon_here", None, seen.append, RunOptions(cwd=str(project)))
    assert outcome.status == "setup_error" and "MODULE:FUNCTION" in outcome.error["message"]
    outcome = run_entry("nowhere_pkg.mod:f", None, seen.append, RunOptions(cwd=str(project)))
    assert outcome.status == "setup_error" and "nowhere_pkg" in outcome.error["message"]


def test_batch_for_model_needs_an_input_shape() -> None:
    import keras

    from kerascheck.runtime.entry import EntryError

    model = keras.Sequential([keras.layers.Dense(2)])
    with pytest.raises(EntryError, match="--data"):
        batch_for_model(model)


def test_entry_arguments_are_the_factorys_argv(project: Path) -> None:
    seen: list[Capture] = []
    before = list(sys.argv)
    outcome = run_entry("proj_pkg.factories:build_from_argv", None, seen.append, RunOptions(cwd=str(project)),
                        args=("5", "--flag"))
    assert outcome.status == "checked", outcome.error
    assert seen[0].model.layers[-1].units == 5
    assert sys.argv == before  # put back afterwards
