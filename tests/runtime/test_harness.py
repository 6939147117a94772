"""The harness runs scripts as if run directly and intercepts their first training call (in-process)."""

from __future__ import annotations

import json
import os
import textwrap
from pathlib import Path
from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")

from kerascheck.runtime.capture import Capture  # noqa: E402
from kerascheck.runtime.harness import Outcome, RunOptions, run_notebook, run_script  # noqa: E402

MODEL = '''\
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
x = np.random.default_rng(0).normal(size=(16, 4)).astype("float32")
y = np.arange(16) % 3
'''


def _script(tmp_path: Path, body: str, name: str = "train.py") -> Path:
    path = tmp_path / name
    path.write_text(MODEL + textwrap.dedent(body))
    return path


def _run(tmp_path: Path, body: str, *args: str, **options: Any) -> tuple[Outcome, list[Capture]]:
    seen: list[Capture] = []
    outcome = run_script(str(_script(tmp_path, body)), list(args), seen.append, RunOptions(**options))
    return outcome, seen


def test_fit_with_arrays_captures_every_argument(tmp_path: Path) -> None:
    outcome, seen = _run(tmp_path, '''
        model.fit(x, y, batch_size=8, epochs=3, validation_data=(x, y), class_weight={0: 1.0, 1: 2.0, 2: 1.0},
                  sample_weight=np.ones(16), verbose=0)
        raise AssertionError("the script must stop at fit")
        ''')
    assert outcome.status == "checked" and outcome.error is None and not outcome.continued
    capture = seen[0]
    assert capture.method == "fit" and capture.batch_size == 8
    assert capture.x.shape == (16, 4) and list(capture.y) == [i % 3 for i in range(16)]
    assert capture.y.shape == (16,) and capture.sample_weight.shape == (16,)
    assert capture.validation_data[0] is capture.x
    assert capture.class_weight == {0: 1.0, 1: 2.0, 2: 1.0}
    assert dict(capture.fit_kwargs) == {"epochs": 3, "verbose": 0}
    assert capture.fit_site is not None and (capture.fit_site.line, capture.fit_site.end_line) == (10, 11)


def test_fit_with_positional_arguments_binds_them_by_name(tmp_path: Path) -> None:
    _, seen = _run(tmp_path, "model.fit(x, y, 4, 2)\n")
    assert seen[0].batch_size == 4 and dict(seen[0].fit_kwargs) == {"epochs": 2}


def test_fit_with_dataset_and_generator(tmp_path: Path) -> None:
    _, seen = _run(tmp_path, '''
        import tensorflow as tf
        ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(8)
        model.fit(ds, epochs=1, verbose=0)
        ''')
    assert isinstance(seen[0].x, tf.data.Dataset)
    assert seen[0].y is None
    _, seen = _run(tmp_path, '''
        def batches():
            while True:
                yield x[:8], y[:8]
        model.fit(batches(), steps_per_epoch=2, verbose=0)
        ''')
    assert next(seen[0].x)[0].shape == (8, 4)
    assert dict(seen[0].fit_kwargs) == {"steps_per_epoch": 2, "verbose": 0}


def test_train_on_batch_is_intercepted(tmp_path: Path) -> None:
    outcome, seen = _run(tmp_path, "model.train_on_batch(x, y)\nraise AssertionError('stopped')\n")
    assert outcome.status == "checked" and seen[0].method == "train_on_batch"
    assert seen[0].x.shape == (16, 4) and seen[0].fit_site.line == 9


def test_tf_keras_spelling_goes_through_the_same_classes(tmp_path: Path) -> None:
    outcome, seen = _run(tmp_path, '''
        import tensorflow as tf
        m = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])
        m.compile(optimizer="sgd", loss="mse")
        m.fit(x, y, verbose=0)
        ''')
    assert outcome.status == "checked" and seen[0].model.layers[0].units == 1  # m, not model
    assert seen[0].compile_args == {"optimizer": "sgd", "loss": "mse"}
    assert seen[0].compile_site.line == 12 and seen[0].model_site.line == 11


def test_only_the_first_training_call_is_checked_and_continue_runs_the_rest(tmp_path: Path) -> None:
    marker = tmp_path / "after.txt"
    outcome, seen = _run(tmp_path, f'''
        history = model.fit(x, y, epochs=2, verbose=0)
        model.fit(x, y, epochs=1, verbose=0)
        open({str(marker)!r}, "w").write(str(len(history.history["loss"])))
        ''', continue_after=True)
    assert outcome.status == "checked" and outcome.continued and len(seen) == 1
    assert marker.read_text() == "2"  # the real fit trained its 2 epochs, and the script went on


def test_continue_trains_on_every_batch_the_checks_put_back(tmp_path: Path) -> None:
    # The checks read a generator; what they leave in capture.x is what the real fit trains on.
    import itertools

    def checks(capture: Capture) -> None:
        first = next(capture.x)
        capture.x = itertools.chain([first], capture.x)

    marker = tmp_path / "seen.txt"
    script = _script(tmp_path, f'''
        served = []
        def batches():
            for i in range(4):
                served.append(i)
                yield x[:4], y[:4]
        model.fit(batches(), epochs=1, verbose=0)
        open({str(marker)!r}, "w").write(str(served))
        ''')
    outcome = run_script(str(script), [], checks, RunOptions(continue_after=True))
    assert outcome.status == "checked" and marker.read_text() == "[0, 1, 2, 3]"


def test_argv_name_and_cwd_as_if_run_directly(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    record = tmp_path / "record.json"
    (tmp_path / "helper_mod.py").write_text("VALUE = 42\n")
    outcome, _ = _run(tmp_path, f'''
        import json, os, sys
        import helper_mod  # next to the script: sys.path[0] is the script's folder
        json.dump({{"argv": sys.argv, "name": __name__, "cwd": os.getcwd(), "value": helper_mod.VALUE}},
                  open({str(record)!r}, "w"))
        ''', "--epochs", "3", cwd=str(work))
    data = json.loads(record.read_text())
    assert outcome.status == "no_fit"
    assert data == {"argv": [str(tmp_path / "train.py"), "--epochs", "3"], "name": "__main__",
                    "cwd": str(work), "value": 42}
    assert os.getcwd() != str(work)  # restored afterwards


def test_error_before_fit_reports_the_user_frame_only(tmp_path: Path) -> None:
    outcome, seen = _run(tmp_path, '''
        def build():
            return keras.layers.Dense(-3)(x)
        build()
        ''')
    assert outcome.status == "script_error" and not seen
    error = outcome.error
    assert error["file"] == str(tmp_path / "train.py") and error["line"] == 11
    assert error["type"] == "ValueError" and "units" in error["message"]
    frames = [line for line in error["traceback"].splitlines() if line.strip().startswith("File ")]
    assert len(frames) == 2 and all("train.py" in f for f in frames)  # <module> and build(), no Keras/runpy


def test_script_without_fit(tmp_path: Path) -> None:
    outcome, seen = _run(tmp_path, "model.summary()\n")
    assert outcome.status == "no_fit" and outcome.error is None and not seen


def test_sys_exit_before_fit(tmp_path: Path) -> None:
    outcome, _ = _run(tmp_path, "import sys\nsys.exit(3)\nmodel.fit(x, y)\n")
    assert (outcome.status, outcome.exit_code) == ("script_exit", 3)
    outcome, _ = _run(tmp_path, "raise SystemExit('usage: train.py DATA')\n")
    assert (outcome.status, outcome.exit_code) == ("script_exit", 1)


def test_missing_script_is_a_setup_error(tmp_path: Path) -> None:
    outcome = run_script(str(tmp_path / "nope.py"))
    assert outcome.status == "setup_error" and "no such script" in outcome.error["message"]


def test_patches_are_removed_after_the_run(tmp_path: Path) -> None:
    import keras

    before = (keras.Model.fit, keras.Model.compile, keras.layers.Layer.__init__)
    _run(tmp_path, "model.fit(x, y, verbose=0)\n")
    assert (keras.Model.fit, keras.Model.compile, keras.layers.Layer.__init__) == before


def _notebook(path: Path, cells: list[tuple[str, str]]) -> Path:
    document = {"nbformat": 4, "nbformat_minor": 5, "metadata": {"kernelspec": {"language": "python"}},
                "cells": [{"cell_type": kind, "metadata": {}, "source": source.splitlines(True),
                           **({"outputs": [], "execution_count": None} if kind == "code" else {})}
                          for kind, source in cells]}
    path.write_text(json.dumps(document))
    return path


def test_notebook_cells_run_in_order_with_magics_skipped(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "nb.ipynb", [
        ("code", "%matplotlib inline\n!pip install nothing\nimport numpy as np\nimport keras"),
        ("markdown", "# not code"),
        ("code", "%%bash\necho this cell is shell\nexit 1"),
        ("code", "np?\ndisplay(np.zeros(2))\nmodel = keras.Sequential([\n    keras.Input(shape=(2,)),\n    keras.layers.Dense(1)])"),
        ("code", "model.compile(loss='mse')\nassert __name__ == '__main__'\nmodel.fit(np.zeros((4, 2)), np.zeros(4))"),
    ])
    seen: list[Capture] = []
    outcome = run_notebook(str(nb), seen.append)
    assert outcome.status == "checked", outcome.error
    dense_site = seen[0].model.layers[0]._kerascheck_site
    # code cells count from 1 (markdown skipped): Dense is on line 5 of code cell 3
    assert (dense_site.file, dense_site.cell, dense_site.line) == (str(nb), 3, 5)
    assert (seen[0].fit_site.cell, seen[0].fit_site.line) == (4, 3)


def test_notebook_error_names_cell_and_line(tmp_path: Path) -> None:
    nb = _notebook(tmp_path / "bad.ipynb", [("code", "x = 1"), ("code", "y = 2\nundefined_name")])
    outcome = run_notebook(str(nb))
    assert outcome.status == "script_error"
    assert (outcome.error["file"], outcome.error["cell"], outcome.error["line"]) == (str(nb), 2, 2)
    assert "undefined_name" in outcome.error["traceback"]
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json")
    assert run_notebook(str(broken)).status == "setup_error"
