"""The real child process end to end: ``python -m kerascheck.runtime.child REQUEST`` always writes a result.

Few tests here on purpose (each TensorFlow child costs seconds): the harness's behaviour is tested
in-process in test_harness.py; these check the process boundary, the real checks' wiring, and that the
child imports no TensorFlow before the script does.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from kerascheck.config import Settings
from kerascheck.rules.base import all_rules
from kerascheck.runtime.protocol import RunRequest, RunResult, read_result, write_request

REPO = Path(__file__).resolve().parents[2]
ENABLED = tuple(code for code, rule in all_rules().items() if rule.default_enabled)


def _child(tmp_path: Path, target: str, *, python: str = sys.executable, mode: str = "script",
           **fields: object) -> RunResult:
    request = RunRequest(mode=mode, target=target, result_path=str(tmp_path / "result.json"),
                         settings=Settings(enabled=ENABLED, project_root=str(tmp_path)), cwd=str(tmp_path),
                         **fields)  # type: ignore[arg-type]
    write_request(request, tmp_path / "request.pkl")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([python, "-m", "kerascheck.runtime.child", str(tmp_path / "request.pkl")], cwd=tmp_path,
                          env=env, capture_output=True, text=True, timeout=240)
    assert done.returncode == 0, done.stderr[-2000:]
    result = read_result(tmp_path / "result.json")
    assert result is not None, done.stderr[-2000:]
    return result


def test_error_before_importing_keras_costs_no_tensorflow(tmp_path: Path) -> None:
    script = tmp_path / "early.py"
    marker = tmp_path / "imported.txt"
    script.write_text(f"import sys\nopen({str(marker)!r}, 'w').write(str('tensorflow' in sys.modules))\n"
                      "config = {}\nconfig['missing']\n")
    result = _child(tmp_path, str(script))
    assert result.status == "script_error" and marker.read_text() == "False"
    assert result.error["type"] == "KeyError" and result.error["line"] == 4
    assert "runpy" not in result.error["traceback"] and "kerascheck" not in result.error["traceback"]


def test_sys_exit_code_is_reported(tmp_path: Path) -> None:
    script = tmp_path / "exits.py"
    script.write_text("import sys\nsys.exit(3)\n")
    result = _child(tmp_path, str(script))
    assert (result.status, result.exit_code, result.diagnostics) == ("script_exit", 3, [])


@pytest.mark.skipif(not Path("/tmp/dev/bin/python").exists(), reason="needs the environment without TensorFlow")
def test_no_tensorflow(tmp_path: Path) -> None:
    script = tmp_path / "train.py"
    script.write_text("import keras\n")
    result = _child(tmp_path, str(script), python="/tmp/dev/bin/python")
    assert result.status == "no_tensorflow"


def test_synthetic_mnist_example_is_checked_with_the_real_checks(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    example = REPO / "examples" / "runtime_mnist_synthetic.py"
    result = _child(tmp_path, str(example), synthetic_data=True, max_samples=64)
    assert result.status == "checked", result.error
    assert result.measurements is not None and result.measurements["fit_site"]["line"] == 28
    assert result.measurements["layers"][0]["site"]["line"] == 22  # Dense(128)
    assert any(d["code"] == "KC602" and d["line"] == 28 for d in result.diagnostics)
    json.dumps(result.to_json())  # plain JSON all the way


def test_continue_runs_the_script_after_fit(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    marker = tmp_path / "after.txt"
    script = tmp_path / "train.py"
    script.write_text(
        "import numpy as np\nimport keras\n"
        "model = keras.Sequential([keras.Input(shape=(3,)), keras.layers.Dense(8, activation='relu'),"
        " keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n"
        "x = np.random.default_rng(0).normal(size=(32, 3)).astype('float32')\n"
        "model.fit(x, x.sum(axis=1), epochs=1, verbose=0)\n"
        f"open({str(marker)!r}, 'w').write('trained')\n")
    result = _child(tmp_path, str(script), continue_after=True)
    assert result.status == "checked" and result.continued and marker.read_text() == "trained"


def test_notebook_through_the_child(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    nb = tmp_path / "nb.ipynb"
    cells = ["%pip install keras\nimport numpy as np\nimport keras",
             "model = keras.Sequential([keras.Input(shape=(2,)), keras.layers.Dense(1)])\nmodel.compile(loss='mse')",
             "model.fit(np.zeros((8, 2)), np.zeros(8))"]
    nb.write_text(json.dumps({"nbformat": 4, "nbformat_minor": 5, "metadata": {},
                              "cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
                                         "execution_count": None} for c in cells]}))
    result = _child(tmp_path, str(nb), mode="notebook")
    assert result.status == "checked", result.error
    assert result.measurements["fit_site"]["cell"] == 3 and result.measurements["fit_site"]["line"] == 1


def test_tf_keras_only_script_is_intercepted(tmp_path: Path) -> None:
    # `import tensorflow` locates keras with importlib.util.find_spec before tf.keras imports it.
    pytest.importorskip("tensorflow")
    script = tmp_path / "tfk.py"
    script.write_text(
        "import numpy as np\nimport tensorflow as tf\n"
        "model = tf.keras.Sequential([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1)])\n"
        "model.compile(optimizer='adam', loss='mse')\n"
        "model.fit(np.random.rand(16, 4), np.random.rand(16), verbose=0)\n")
    result = _child(tmp_path, str(script))
    assert result.status == "checked", result.error
    assert result.measurements["fit_site"]["line"] == 5 and result.measurements["compile_site"]["line"] == 4
