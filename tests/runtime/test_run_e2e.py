"""``kerascheck run`` end to end: the real CLI process, the real child, real scripts.

The failure cases stop before TensorFlow is imported (the scripts do not import Keras), so they cost a
Python start-up each; two cases import TensorFlow and check a tiny model, healthy and buggy.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

tf = pytest.importorskip("tensorflow")


def _run(tmp_path: Path, script: str, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    (tmp_path / "train.py").write_text(textwrap.dedent(script), encoding="utf-8")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, "-m", "kerascheck", "run", *args, "train.py"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=timeout)


def _gone(pid: int, seconds: float = 5.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
                if handle.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_raise_before_fit_shows_the_users_frame(tmp_path):
    done = _run(tmp_path, """\
        def load():
            raise FileNotFoundError("data.csv")
        x = load()
    """)
    assert done.returncode == 2
    assert "train.py:2: the script raised FileNotFoundError: data.csv (before its first fit)" in done.stderr
    assert 'train.py", line 3, in <module>' in done.stderr
    assert "kerascheck/runtime" not in done.stderr
    assert done.stdout == ""


def test_no_fit(tmp_path):
    done = _run(tmp_path, "print('just printing')\n")
    assert done.returncode == 2
    assert "finished without calling fit() / train_on_batch(): nothing to check" in done.stderr


def test_sys_exit_before_fit(tmp_path):
    done = _run(tmp_path, "import sys\nsys.exit(3)\n")
    assert done.returncode == 2
    assert "sys.exit(3) before its first fit()" in done.stderr


def test_segfault(tmp_path):
    done = _run(tmp_path, "import ctypes\nprint('loading', flush=True)\nctypes.string_at(0)\n")
    assert done.returncode == 2
    assert "the script crashed (signal SIGSEGV) before kerascheck could report; last output:" in done.stderr
    assert "loading" in done.stderr


def test_flooding_script_is_drained(tmp_path):
    done = _run(tmp_path, """\
        import sys
        chunk = "y" * 1023 + "\\n"
        for _ in range(50 * 1024):
            sys.stdout.write(chunk)
        print("last words")
        raise SystemExit(4)
    """)
    assert done.returncode == 2
    assert "sys.exit(4)" in done.stderr
    assert len(done.stderr) < 10_000


def test_timeout_leaves_no_orphan(tmp_path):
    done = _run(tmp_path, f"""\
        import os, time
        pid = os.fork()
        if pid == 0:
            time.sleep(600)
            os._exit(0)
        open({str(tmp_path / 'grandchild.pid')!r}, "w").write(str(pid))
        time.sleep(600)
    """, "--timeout", "3")
    assert done.returncode == 2
    assert "timed out after 3 s (raise --timeout)" in done.stderr
    assert _gone(int((tmp_path / "grandchild.pid").read_text()))


@pytest.mark.parametrize(("how", "status", "said"), [("SIGINT", 130, "interrupted"),
                                                     ("SIGTERM", 143, "terminated by SIGTERM")])
def test_ctrl_c_or_sigterm_exit_128_plus_the_signal_and_kill_the_script(tmp_path, how, status, said):
    pid_file = tmp_path / "child.pid"
    (tmp_path / "train.py").write_text(
        f"import os, time\nopen({str(pid_file)!r}, 'w').write(str(os.getpid()))\ntime.sleep(600)\n", encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-m", "kerascheck", "run", "train.py"], cwd=tmp_path,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + 60
    while not (pid_file.exists() and pid_file.read_text()) and time.monotonic() < deadline:
        time.sleep(0.1)  # the file exists a moment before the pid is in it
    parent.send_signal(getattr(signal, how))  # at once: the parent may still be in its static lint
    _, stderr = parent.communicate(timeout=30)
    assert parent.returncode == status, stderr
    assert said in stderr
    assert _gone(int(pid_file.read_text()))


HEAD = """\
import numpy as np
import keras
from keras import layers
rng = np.random.default_rng(0)
x = rng.normal(size=(128, 8)).astype("float32")
y = (x[:, 0] > 0).astype("int32")
"""


def test_a_healthy_script_is_clean_and_gets_the_table(tmp_path):
    done = _run(tmp_path, HEAD + textwrap.dedent("""\
        model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"),
                                  layers.Dense(2, activation="softmax")])
        model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
        model.fit(x, y, epochs=2, batch_size=32)
        raise SystemExit("training ran: the script was not stopped at fit")
    """))
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout == ""
    assert "grad norm" in done.stderr and "Dense(relu)" in done.stderr


def test_a_buggy_script_in_json(tmp_path):
    done = _run(tmp_path, HEAD + textwrap.dedent("""\
        model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(16, activation="relu"),
                                  layers.Dense(2, activation="softmax")])
        model.compile(optimizer=keras.optimizers.SGD(learning_rate=50.0), loss="sparse_categorical_crossentropy")
        model.fit(x * 1000, y, epochs=2, batch_size=32)
    """), "--output-format", "json")
    assert done.returncode == 1, done.stderr
    document = json.loads(done.stdout)
    assert document["status"] == "checked" and document["error"] is None
    assert [layer["name"] for layer in document["measurements"]["layers"]] == ["dense", "dense_1"]
    codes = {d["code"] for d in document["diagnostics"]}
    assert "KC602" in codes  # inputs of magnitude ~1000, from the runtime pass
    assert "KC201" in codes  # SGD(learning_rate=50.0), from the static pass
    assert all(d["path"] == "train.py" for d in document["diagnostics"])


def test_over_the_memory_cap_is_the_scripts_memory_error(tmp_path):
    done = _run(tmp_path, "import numpy as np\nbig = np.ones(10**10)\n", "--memory-limit", "4G")
    assert done.returncode == 2
    assert "the script raised MemoryError" in done.stderr


MODELS = """\
import keras
from keras import layers


def build_model():
    model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(8, activation="relu"),
                              layers.Dense(1, activation="softmax")])
    model.compile(optimizer="adam", loss="binary_crossentropy")
    return model
"""


def test_entry_mode_checks_a_factory_and_lints_its_module(tmp_path):
    (tmp_path / "models.py").write_text(MODELS, encoding="utf-8")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "run", "--entry", "models:build_model",
                           "--output-format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=120)
    document = json.loads(done.stdout)
    assert document["status"] == "checked", document["error"]
    assert done.returncode == 1
    head = [d for d in document["diagnostics"] if d["code"] == "KC101"]  # Dense(1, softmax): static and live
    assert len(head) == 1 and head[0]["path"] == "models.py" and head[0]["line"] == 7


def test_a_notebook_runs_cell_by_cell(tmp_path):
    cells = [HEAD, "%matplotlib inline\nmodel = keras.Sequential([keras.Input(shape=(8,)),\n"
             "    layers.Dense(2, activation='softmax')])\n",
             "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\nmodel.fit(x, y)\n"]
    notebook = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": [],
                           "execution_count": None} for c in cells],
                "metadata": {"kernelspec": {"language": "python", "name": "python3"}}, "nbformat": 4,
                "nbformat_minor": 5}
    (tmp_path / "nb.ipynb").write_text(json.dumps(notebook), encoding="utf-8")
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    done = subprocess.run([sys.executable, "-m", "kerascheck", "run", "nb.ipynb", "--output-format", "json"],
                          cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    document = json.loads(done.stdout)
    assert document["status"] == "checked", document["error"]
    layer = document["measurements"]["layers"][0]
    assert layer["site"]["file"].endswith("nb.ipynb") and layer["site"]["cell"] == 2
