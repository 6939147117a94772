"""Creation sites: every live layer and model knows the user line (and columns) that created it."""

from __future__ import annotations

import os
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")

from kerascheck.runtime.capture import Capture, compile_site_of, site_of  # noqa: E402
from kerascheck.runtime.harness import run_script  # noqa: E402
from kerascheck.runtime.sites import UserFiles, split_cell_filename  # noqa: E402

SCRIPT = '''\
import numpy as np
import keras
from keras import layers


class Block(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.inner = layers.Dense(units)

    def call(self, x):
        return self.inner(x)


def hidden(width):
    return layers.Dense(width, activation="relu")


stack = [keras.Input(shape=(4,))]
for width in (8, 6):
    stack.append(hidden(width))
stack.append(  Block(3))
model = keras.Sequential(stack, name="net")
model.compile(optimizer="adam", loss="mse")
model.fit(np.zeros((8, 4)), np.zeros((8, 3)), verbose=0)
'''


def _run(tmp_path: Path, source: str) -> Capture:
    script = tmp_path / "train.py"
    script.write_text(source)
    seen: list[Capture] = []
    outcome = run_script(str(script), on_capture=seen.append)
    assert outcome.status == "checked", outcome.error
    return seen[0]


def test_layers_in_helpers_and_loops_point_at_the_line_that_made_them(tmp_path: Path) -> None:
    capture = _run(tmp_path, SCRIPT)
    dense, dense_1, block = capture.model.layers
    for layer in (dense, dense_1):
        site = site_of(layer)
        assert site is not None and site.file == str(tmp_path / "train.py")
        # line 16: `    return layers.Dense(width, activation="relu")`, the call spans columns 12..49
        assert (site.line, site.column, site.end_line, site.end_column) == (16, 12, 16, 50)


def test_custom_layer_site_is_its_instantiation_not_super_init(tmp_path: Path) -> None:
    capture = _run(tmp_path, SCRIPT)
    block = capture.model.layers[-1]
    site = site_of(block)
    assert site is not None and (site.line, site.column, site.end_column) == (22, 16, 24)
    inner = site_of(block.inner)  # a layer made inside the custom layer's __init__: that line
    assert inner is not None and inner.line == 9


def test_model_compile_and_fit_sites(tmp_path: Path) -> None:
    capture = _run(tmp_path, SCRIPT)
    model_site, compile_site = site_of(capture.model), compile_site_of(capture.model)
    assert model_site is not None and model_site.line == 23
    assert compile_site is not None and compile_site.line == 24 and compile_site.column == 1
    assert capture.fit_site is not None and capture.fit_site.line == 25
    assert capture.compile_args == {"optimizer": "adam", "loss": "mse"}


def test_layers_made_inside_keras_point_at_the_user_call(tmp_path: Path) -> None:
    # keras.Input creates an InputLayer inside Keras: its site is the user's keras.Input(...) line.
    source = SCRIPT.replace("stack = [keras.Input(shape=(4,))]", "inp = keras.Input(shape=(4,))\nstack = [inp]")
    capture = _run(tmp_path, source)
    site = site_of(capture.model.inputs[0]._keras_history[0])
    assert site is not None and site.line == 19


def test_user_files_exclude_installed_and_kerascheck_code(tmp_path: Path) -> None:
    import keras

    import kerascheck

    is_user = UserFiles([str(tmp_path), os.path.dirname(os.path.dirname(kerascheck.__file__))])
    assert is_user(str(tmp_path / "train.py"))
    assert is_user(str(tmp_path / "pkg" / "model.py"))
    assert not is_user(kerascheck.__file__)  # an editable checkout under the user's root is still ours
    assert not is_user(keras.__file__)
    assert not is_user(os.__file__)
    assert not is_user("<string>")
    assert not is_user(str(tmp_path) + "x/other.py")  # a sibling folder sharing the prefix
    assert is_user(f"{tmp_path}/nb.ipynb:cell 2")
    inside_prefix = UserFiles([os.path.join(sys.prefix, "src", "app")])  # Debian: sys.prefix is /usr
    assert inside_prefix(os.path.join(sys.prefix, "src", "app", "train.py"))
    assert not inside_prefix(os.path.join(sys.prefix, "lib", "x.py"))
    assert split_cell_filename(f"{tmp_path}/nb.ipynb:cell 2") == (f"{tmp_path}/nb.ipynb", 2)


def test_site_recording_is_cheap(tmp_path: Path) -> None:
    # 300 layers made in a loop: recording must not read source files or build inspect.stack().
    source = textwrap.dedent('''\
        import time
        import keras
        start = time.perf_counter()
        made = [keras.layers.Dense(2) for _ in range(300)]
        ELAPSED = time.perf_counter() - start
        ''')
    script = tmp_path / "many.py"
    script.write_text(source)
    import runpy

    from kerascheck.runtime.harness import RunOptions, Session

    with Session(str(tmp_path), [str(script)], lambda c: None, RunOptions()):
        namespace: dict[str, Any] = runpy.run_path(str(script))
    assert all(site_of(layer).line == 4 for layer in namespace["made"])
    assert namespace["ELAPSED"] < 2.0


def test_subclassed_model_site_and_its_layers(tmp_path: Path) -> None:
    capture = _run(tmp_path, textwrap.dedent('''\
        import numpy as np
        import keras


        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = keras.layers.Dense(4, activation="relu")
                self.head = keras.layers.Dense(1)

            def call(self, x):
                return self.head(self.hidden(x))


        net = Net()
        net.compile(optimizer="adam", loss="mse")
        net.fit(np.zeros((8, 3)), np.zeros(8), verbose=0)
        '''))
    assert site_of(capture.model).line == 15  # `net = Net()`, not super().__init__()
    assert [site_of(layer).line for layer in (capture.model.hidden, capture.model.head)] == [8, 9]
