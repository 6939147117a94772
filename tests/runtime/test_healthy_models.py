"""Healthy models must come out of the runtime checks clean: thresholds need margin on both sides.

Each model is small but real (correct loss for its labels, scaled inputs, default initializers), and is
run through ``run_checks`` exactly as ``kerascheck run`` does at the first ``fit``. A runtime warning
on any of them would be a false positive on a healthy script. The measured figures asserted here are
the healthy side of each threshold (see the rules' References).
"""

from __future__ import annotations

import os

import pytest

tf = pytest.importorskip("tensorflow")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")

import keras  # noqa: E402
import numpy as np  # noqa: E402

from kerascheck.config import default_settings  # noqa: E402
from kerascheck.runtime.capture import Capture  # noqa: E402
from kerascheck.runtime.checks import run_checks  # noqa: E402

RNG = np.random.default_rng(0)


def mlp() -> tuple[keras.Model, object, object]:
    x = RNG.normal(size=(64, 10)).astype("float32")
    y = (x[:, 0] > 0).astype("int64") + (x[:, 1] > 0)
    model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(32, activation="relu"),
                              keras.layers.Dense(16, activation="relu"), keras.layers.Dense(3, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, x, y


def cnn() -> tuple[keras.Model, object, object]:
    x = RNG.uniform(0, 1, size=(32, 12, 12, 1)).astype("float32")
    y = RNG.integers(0, 4, size=32)
    model = keras.Sequential([
        keras.Input((12, 12, 1)), keras.layers.Conv2D(8, 3, activation="relu"), keras.layers.MaxPooling2D(),
        keras.layers.Conv2D(8, 3, activation="relu"), keras.layers.Flatten(),
        keras.layers.Dense(4, activation="softmax")])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, x, y


def lstm() -> tuple[keras.Model, object, object]:
    x = RNG.integers(1, 50, size=(32, 12))
    y = (x[:, 0] > 25).astype("float32")
    model = keras.Sequential([keras.Input((12,)), keras.layers.Embedding(50, 8), keras.layers.LSTM(8),
                              keras.layers.Dense(1, activation="sigmoid")])
    model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
    return model, x, y


def two_inputs() -> tuple[keras.Model, object, object]:
    a, b = RNG.normal(size=(48, 4)).astype("float32"), RNG.normal(size=(48, 6)).astype("float32")
    y = (a.sum(axis=1) - b[:, 0]).reshape(-1, 1) / 2.0
    left, right = keras.Input((4,), name="a"), keras.Input((6,), name="b")
    merged = keras.layers.concatenate([keras.layers.Dense(8, activation="tanh")(left),
                                       keras.layers.Dense(8, activation="relu")(right)])
    model = keras.Model([left, right], keras.layers.Dense(1)(keras.layers.Dense(8, activation="relu")(merged)))
    model.compile(optimizer=keras.optimizers.SGD(learning_rate=0.01), loss="mse", metrics=["mae"])
    return model, [a, b], y


class Subclassed(keras.Model):
    def __init__(self) -> None:
        super().__init__()
        self.hidden = keras.layers.Dense(16, activation="relu")
        self.out = keras.layers.Dense(3, activation="softmax")

    def call(self, inputs: object) -> object:
        return self.out(self.hidden(inputs))


def subclassed() -> tuple[keras.Model, object, object]:
    x = RNG.normal(size=(32, 6)).astype("float32")
    y = keras.utils.to_categorical(RNG.integers(0, 3, size=32), 3)
    model = Subclassed()
    model.compile(optimizer="rmsprop", loss="categorical_crossentropy", metrics=["accuracy"])
    return model, x, y


def mixed_precision() -> tuple[keras.Model, object, object]:
    """The mixed-precision idiom: float16 compute, a float32 softmax at the head (policy set by the test)."""
    x = RNG.normal(size=(64, 10)).astype("float32")
    y = RNG.integers(0, 4, size=64)
    inputs = keras.Input((10,))
    hidden = keras.layers.Dense(32, activation="relu")(inputs)
    logits = keras.layers.Dense(4)(keras.layers.Dense(32, activation="relu")(hidden))
    model = keras.Model(inputs, keras.layers.Activation("softmax", dtype="float32")(logits))
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model, x, y


@pytest.fixture()
def policy(request: pytest.FixtureRequest) -> object:
    """Mixed float16 for the mixed-precision model only; the global policy is put back afterwards."""
    if request.node.callspec.params["build"] is not mixed_precision:
        yield
        return
    keras.mixed_precision.set_global_policy("mixed_float16")
    try:
        yield
    finally:
        keras.mixed_precision.set_global_policy("float32")


@pytest.mark.usefixtures("policy")
@pytest.mark.parametrize("build", [mlp, cnn, lstm, two_inputs, subclassed, mixed_precision])
def test_healthy_model_is_clean(build: object) -> None:
    model, x, y = build()  # type: ignore[operator]
    diagnostics, run = run_checks(Capture(model=model, x=x, y=y, batch_size=32), default_settings())
    findings = [d for d in diagnostics if d.code != "KC000"]
    assert findings == [], [d.message for d in findings]
    assert run.step_error is None
    assert not [d for d in diagnostics if d.code == "KC000" and d.severity.value != "info"]
    # The healthy side of every threshold, measured (these are the figures behind the defaults).
    dead = [l.dead_fraction for l in run.layers if l.dead_fraction is not None]
    assert all(d < 0.8 for d in dead), dead  # 0.375 in the CNN on uncentred noise; threshold 0.9
    grads = [l.grad_norm for l in run.layers if l.grad_norm is not None]
    assert grads and min(grads) > 0 and max(grads) < 100, grads
    ratios = [l.update_ratio for l in run.layers if l.update_ratio is not None]
    assert ratios and 1e-6 < min(ratios) and max(ratios) < 0.2, ratios
    assert run.probe is not None and run.probe.losses[-1] < run.probe.losses[0]
